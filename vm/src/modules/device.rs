//! What the `machine` device classes (I2C, ADC) share: the errors that name
//! a device the devicetree lacks, and `OSError` for a failed driver call.

use crate::error::PyErr;
use crate::objects::TypeId;
use crate::port::{DeviceError, Port, EIO, ENODEV};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// A `Port` method listing the names of one kind of device.
pub(crate) type NameList = fn(&mut dyn Port, &mut dyn FnMut(&[u8]));

/// `ValueError` naming the device (`class` `id`) the port could not give,
/// and, when it has none of that name, the names `list` offers.
pub(crate) fn not_found(vm: &mut Vm, class: &[u8], id: Value, e: DeviceError, list: NameList) -> PyErr {
    let mut name = Vec::new();
    if let Err(e) = vm.write_repr(id, &mut name) {
        return e;
    }
    let mut known: Vec<u8> = Vec::new();
    if e == DeviceError::NotFound {
        list(&mut *vm.port, &mut |n| {
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
/// when the target did not answer, else the driver's errno.
pub(crate) fn os_error(vm: &mut Vm, e: DeviceError) -> PyErr {
    let errno = match e {
        DeviceError::Nack => ENODEV,
        DeviceError::Errno(n) => n,
        DeviceError::NotFound | DeviceError::Unsupported => EIO,
    };
    crate::modules::os::os_error(vm, errno)
}
