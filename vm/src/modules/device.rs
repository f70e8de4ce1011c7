//! What the `machine` device classes (I2C, ADC, UART, Timer) share: the
//! port's handle in slot 1, the method receiver check, name arguments, the
//! errors that name a device the devicetree lacks, and `OSError` for a
//! failed driver call.

use crate::error::{PyErr, PyResult};
use crate::objects::{Kind, TypeId};
use crate::port::{DeviceError, Machine, EIO, ENODEV, EOPNOTSUPP};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

/// The slot of a device instance that holds the port's handle.
pub(crate) const HANDLE: usize = 1;

/// The instance a method of class `ty` was called on.
pub(crate) fn this(vm: &mut Vm, args: &Args, ty: TypeId) -> PyResult<ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.type_of(v) == ty) {
        Some(v) => Ok(v.as_obj().expect("device object")),
        None => Err(named_error(vm, b"expected ", ty.name(), b"")),
    }
}

/// `TypeError` with a class name between two texts.
fn named_error(vm: &mut Vm, before: &[u8], name: crate::qstr::Qstr, after: &[u8]) -> PyErr {
    vm.raise_name(TypeId::TypeError, before, name, after)
}

/// The port's handle of a device instance.
pub(crate) fn handle(vm: &Vm, r: ObjRef) -> u32 {
    vm.heap.slot(r, HANDLE).as_small_int().unwrap_or(0) as u32
}

/// A devicetree name argument, copied out of the heap (the port call that
/// takes it needs `&mut vm.port`): the bytes and their length.
pub(crate) fn name_arg(vm: &mut Vm, id: Value, class: crate::qstr::Qstr) -> PyResult<([u8; 48], usize)> {
    let mut name = [0u8; 48];
    match vm.str_bytes(id) {
        Some(s) => {
            let n = s.len().min(name.len());
            name[..n].copy_from_slice(&s[..n]);
            Ok((name, n))
        }
        None => Err(named_error(vm, b"", class, b" id must be a devicetree name")),
    }
}

/// The bytes of a buffer argument, copied out of the heap (a transfer
/// needs `&mut vm.port`).
pub(crate) fn buffer_arg(vm: &mut Vm, v: Value) -> PyResult<Vec<u8>> {
    match vm.bytes_payload(v) {
        Some(b) => {
            let mut out = Vec::new();
            out.try_reserve(b.len()).map_err(|_| PyErr::NoMemory)?;
            out.extend_from_slice(vm.bytes_payload(v).unwrap_or(&[]));
            Ok(out)
        }
        None => Err(vm.raise(TypeId::TypeError, "object with buffer protocol required")),
    }
}

/// A bytearray to read into.
pub(crate) fn target_arg(vm: &mut Vm, v: Value) -> PyResult<ObjRef> {
    match v.as_obj().filter(|&r| vm.heap.kind(r) == Kind::ByteArray) {
        Some(r) => Ok(r),
        None => Err(vm.raise(TypeId::TypeError, "a writable buffer is required")),
    }
}

/// The first positional argument of a device class, or, with none, the
/// name of the device the board makes the default (`I2C()`).
pub(crate) fn id_or_default(vm: &mut Vm, args: &Args, class: &'static [u8]) -> PyResult<Value> {
    if let Some(&id) = args.pos.first() {
        return Ok(id);
    }
    match vm.machine().default_device(class) {
        Some(name) => vm.new_str(name),
        None => Err(vm.raise_parts(TypeId::ValueError, &[class, b"() needs a name: the board's devicetree names no default"])),
    }
}

/// A `Port` method listing the names of one kind of device.
pub(crate) type NameList = fn(&mut dyn Machine, &mut dyn FnMut(&[u8]));

/// `ValueError` naming the device (`class` `id`) the port could not give,
/// and, when it has none of that name, the names `list` offers.
pub(crate) fn not_found(vm: &mut Vm, class: &[u8], id: Value, e: DeviceError, list: NameList) -> PyErr {
    let mut name = Vec::new();
    if let Err(e) = vm.write_repr(id, &mut name) {
        return e;
    }
    let mut known: Vec<u8> = Vec::new();
    if e == DeviceError::NotFound {
        list(vm.machine(), &mut |n| {
            if !known.is_empty() {
                known.extend_from_slice(b", ");
            }
            known.extend_from_slice(n);
        });
    }
    let why: &[u8] = match e {
        DeviceError::NotFound if known.is_empty() => b" isn't in the devicetree; it has none",
        DeviceError::NotFound => b" isn't in the devicetree; there is: ",
        DeviceError::Unsupported => b": not supported by this port",
        _ => b": driver error",
    };
    vm.raise_parts(TypeId::ValueError, &[class, b" ", &name, why, &known])
}

/// `OSError` for a failed driver call, with MicroPython's numbers: `ENODEV`
/// when the target did not answer, `EOPNOTSUPP` for what the port cannot
/// do, else the driver's errno.
pub(crate) fn os_error(vm: &mut Vm, e: DeviceError) -> PyErr {
    let errno = match e {
        DeviceError::Nack => ENODEV,
        DeviceError::Errno(n) => n,
        DeviceError::Unsupported => EOPNOTSUPP,
        DeviceError::NotFound => EIO,
    };
    crate::modules::os::os_error(vm, errno)
}
