//! `machine.I2C`: an I2C controller the port resolves by devicetree name
//! and drives through `embedded-hal`'s `I2c`. Instance layout:
//! `[type, handle, id, pending address, pending bytes]`.
//!
//! `embedded-hal` ends every transaction with a STOP, so a write with
//! `stop=False` is held back and sent with the next transfer to the same
//! address, joined by a repeated START: the register-pointer write before a
//! read that MicroPython drivers do in two calls.

use super::{e, f};
use crate::error::{PyErr, PyResult};
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, buffer_arg, handle, not_found, os_error, target_arg, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::{DeviceError, I2cBus, EIO};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;
use embedded_hal::i2c::Operation;

pub(crate) const ID: usize = 2;
pub(crate) const PENDING_ADDR: usize = 3;
pub(crate) const PENDING: usize = 4;

pub static I2C_ATTRS: crate::modules::Table = &[
    e!(q::init, f::I2C_INIT),
    e!(q::scan, f::I2C_SCAN),
    e!(q::readfrom, f::I2C_READFROM),
    e!(q::readfrom_into, f::I2C_READFROM_INTO),
    e!(q::writeto, f::I2C_WRITETO),
    e!(q::writevto, f::I2C_WRITEVTO),
    e!(q::readfrom_mem, f::I2C_READFROM_MEM),
    e!(q::readfrom_mem_into, f::I2C_READFROM_MEM_INTO),
    e!(q::writeto_mem, f::I2C_WRITETO_MEM),
];

fn freq_arg(vm: &mut Vm, args: &Args) -> PyResult<Option<u32>> {
    match args.kwarg(q::freq).filter(|v| !v.is_none()) {
        None => Ok(None),
        Some(v) => match vm.machine_int(v)? {
            f @ 1..=0xffff_ffff => Ok(Some(f as u32)),
            _ => Err(vm.raise(TypeId::ValueError, "invalid freq")),
        },
    }
}

fn set_freq(vm: &mut Vm, r: ObjRef, freq: Option<u32>) -> PyResult<()> {
    if let Some(f) = freq {
        let dev = handle(vm, r);
        if let Err(e) = vm.machine().i2c_set_freq(dev, f) {
            return Err(os_error(vm, e));
        }
    }
    Ok(())
}

/// `I2C(id, *, freq)`: `id` a devicetree node label or alias of an I2C
/// controller. Its pins come from the devicetree, so `scl` and `sda` are
/// refused, as MicroPython's Zephyr port does.
pub fn i2c_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 1)?;
    known_kwargs(vm, &args, &[q::freq, q::scl, q::sda, q::timeout])?;
    if args.kwarg(q::scl).is_some() || args.kwarg(q::sda).is_some() {
        return Err(vm.raise(TypeId::ValueError, "explicit choice of scl/sda is not implemented"));
    }
    let id = device::id_or_default(vm, &args, b"I2C")?;
    let freq = freq_arg(vm, &args)?;
    let (name, n) = device::name_arg(vm, id, q::I2C)?;
    // Allocate first so a failed allocation leaves the port untouched.
    let r = vm.heap.alloc_values(Kind::Native, 5)?;
    let handle = match vm.machine().i2c_open(&name[..n]) {
        Ok(h) => h,
        Err(e) => return Err(not_found(vm, b"I2C", id, e, |p, each| p.i2c_names(each))),
    };
    vm.heap.set_slot(r, 0, TypeId::I2C.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, ID, id);
    vm.heap.set_slot(r, PENDING_ADDR, Value::small_int(-1));
    vm.heap.set_slot(r, PENDING, Value::NONE);
    set_freq(vm, r, freq)?;
    Ok(Value::obj(r))
}

/// The instance a method was called on: an `I2C`, or a `SoftI2C`, which
/// shares these methods.
fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    if cfg!(feature = "machine-soft-i2c") {
        if let Some(r) = args.pos.first().copied().filter(|&v| vm.type_of(v) == TypeId::SoftI2C).and_then(Value::as_obj) {
            return Ok(r);
        }
    }
    device::this(vm, args, TypeId::I2C)
}

/// Runs `f` on the bus of `r`: the port's controller, or the pins of a
/// `SoftI2C`.
fn with_bus<T>(vm: &mut Vm, r: ObjRef, f: impl FnOnce(&mut dyn I2cBus) -> Result<T, DeviceError>) -> Result<T, DeviceError> {
    #[cfg(feature = "machine-soft-i2c")]
    if vm.type_of(Value::obj(r)) == TypeId::SoftI2C {
        return f(&mut super::soft_i2c::bus(vm, r));
    }
    let dev = handle(vm, r);
    match vm.machine().i2c(dev) {
        Some(bus) => f(bus),
        None => Err(DeviceError::Errno(EIO)),
    }
}

/// A 7-bit address argument.
fn addr_arg(vm: &mut Vm, v: Value) -> PyResult<u8> {
    match vm.machine_int(v)? {
        a @ 0..=0x7f => Ok(a as u8),
        _ => Err(vm.raise(TypeId::ValueError, "invalid I2C address")),
    }
}

fn stop_arg(vm: &mut Vm, args: &Args, at: usize) -> PyResult<bool> {
    match args.pos.get(at).copied().or_else(|| args.kwarg(q::stop)) {
        Some(v) => vm.truthy(v),
        None => Ok(true),
    }
}

/// Takes the write held back by `stop=False` for `addr`, if any.
fn take_pending(vm: &mut Vm, r: ObjRef, addr: u8) -> Vec<u8> {
    if vm.heap.slot(r, PENDING_ADDR).as_small_int() != Some(addr as isize) {
        return Vec::new();
    }
    let held = vm.heap.slot(r, PENDING);
    let bytes = vm.bytes_payload(held).map(<[u8]>::to_vec).unwrap_or_default();
    vm.heap.set_slot(r, PENDING_ADDR, Value::small_int(-1));
    vm.heap.set_slot(r, PENDING, Value::NONE);
    bytes
}

/// Sends a write held back for another address than `addr`, on its own.
fn flush_other(vm: &mut Vm, r: ObjRef, addr: Option<u8>) -> PyResult<()> {
    let Some(held) = vm.heap.slot(r, PENDING_ADDR).as_small_int().filter(|&a| a >= 0 && Some(a as u8) != addr) else {
        return Ok(());
    };
    let bytes = take_pending(vm, r, held as u8);
    transfer(vm, r, held as u8, &mut [Operation::Write(&bytes)])
}

fn transfer(vm: &mut Vm, r: ObjRef, addr: u8, ops: &mut [Operation<'_>]) -> PyResult<()> {
    with_bus(vm, r, |bus| bus.transaction(addr, ops)).map_err(|e| os_error(vm, e))
}

/// Reads `n` bytes from `addr`, after the held-back write if there is one.
fn read(vm: &mut Vm, r: ObjRef, addr: u8, n: usize) -> PyResult<Vec<u8>> {
    flush_other(vm, r, Some(addr))?;
    let mut buf = Vec::new();
    buf.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
    buf.resize(n, 0);
    let pending = take_pending(vm, r, addr);
    if pending.is_empty() {
        transfer(vm, r, addr, &mut [Operation::Read(&mut buf)])?;
    } else {
        transfer(vm, r, addr, &mut [Operation::Write(&pending), Operation::Read(&mut buf)])?;
    }
    Ok(buf)
}

/// Writes `data` to `addr` in one message (with the held-back bytes in
/// front), or holds it back when `stop` is false.
fn write(vm: &mut Vm, r: ObjRef, addr: u8, data: &[u8], stop: bool) -> PyResult<()> {
    flush_other(vm, r, Some(addr))?;
    let mut all = take_pending(vm, r, addr);
    all.try_reserve(data.len()).map_err(|_| PyErr::NoMemory)?;
    all.extend_from_slice(data);
    if !stop {
        let held = vm.new_bytes(&all)?;
        vm.heap.set_slot(r, PENDING, held);
        vm.heap.set_slot(r, PENDING_ADDR, Value::small_int(addr as isize));
        return Ok(());
    }
    transfer(vm, r, addr, &mut [Operation::Write(&all)])
}

/// Copies `data` into the front of bytearray `dst`.
fn fill(vm: &mut Vm, dst: ObjRef, data: &[u8]) -> PyResult<()> {
    vm.bytearray_splice(dst, 0, data.len(), data)
}

pub fn i2c_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    #[cfg(feature = "machine-soft-i2c")]
    if vm.type_of(Value::obj(r)) == TypeId::SoftI2C {
        super::soft_i2c::init(vm, r, &args)?;
        return Ok(Value::NONE);
    }
    known_kwargs(vm, &args, &[q::freq, q::timeout])?;
    let freq = freq_arg(vm, &args)?;
    set_freq(vm, r, freq)?;
    Ok(Value::NONE)
}

/// `scan()`: the addresses 0x08-0x77 that answer a one-byte read. A read
/// rather than an empty write, as `i2cdetect -r` does: an empty write can
/// change an EEPROM.
pub fn scan(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    flush_other(vm, r, None)?;
    let mut found: Vec<Value> = Vec::new();
    for addr in 0x08u8..=0x77 {
        let mut b = [0u8; 1];
        let ok = with_bus(vm, r, |bus| bus.read(addr, &mut b)).is_ok();
        if ok {
            found.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
            found.push(Value::small_int(addr as isize));
        }
    }
    crate::objects::list::new(&mut vm.heap, &found).map_err(Into::into)
}

/// `readfrom(addr, nbytes, stop=True)`. A read always ends with a STOP
/// (`embedded-hal` transactions do), whatever `stop` says.
pub fn readfrom(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::stop])?;
    let addr = addr_arg(vm, args.pos[1])?;
    let n = vm.machine_int(args.pos[2])?.max(0) as usize;
    let data = read(vm, r, addr, n)?;
    vm.new_bytes(&data)
}

/// `readfrom_into(addr, buf, stop=True)`.
pub fn readfrom_into(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::stop])?;
    let addr = addr_arg(vm, args.pos[1])?;
    let dst = target_arg(vm, args.pos[2])?;
    let n = vm.bytearray_data(dst).len();
    let data = read(vm, r, addr, n)?;
    fill(vm, dst, &data)?;
    Ok(Value::NONE)
}

/// `writeto(addr, buf, stop=True)`: the number of bytes acknowledged.
pub fn writeto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::stop])?;
    let addr = addr_arg(vm, args.pos[1])?;
    let data = buffer_arg(vm, args.pos[2])?;
    let stop = stop_arg(vm, &args, 3)?;
    write(vm, r, addr, &data, stop)?;
    Ok(Value::small_int(data.len() as isize))
}

/// `writevto(addr, vector, stop=True)`: the buffers of `vector` as one write.
pub fn writevto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::stop])?;
    let addr = addr_arg(vm, args.pos[1])?;
    let Some(parts) = vm.seq_items(args.pos[2]).map(<[Value]>::to_vec) else {
        return Err(vm.raise(TypeId::TypeError, "object isn't a list or tuple"));
    };
    let mut data = Vec::new();
    for p in parts {
        let b = buffer_arg(vm, p)?;
        data.try_reserve(b.len()).map_err(|_| PyErr::NoMemory)?;
        data.extend_from_slice(&b);
    }
    let stop = stop_arg(vm, &args, 3)?;
    write(vm, r, addr, &data, stop)?;
    Ok(Value::small_int(data.len() as isize))
}

/// The register address `memaddr`, `addrsize` bits wide, most significant
/// byte first.
fn mem_addr(vm: &mut Vm, args: &Args, memaddr: Value) -> PyResult<([u8; 4], usize)> {
    known_kwargs(vm, args, &[q::addrsize])?;
    let bits = match args.kwarg(q::addrsize) {
        Some(v) => vm.machine_int(v)?,
        None => 8,
    };
    if !matches!(bits, 8 | 16 | 24 | 32) {
        return Err(vm.raise(TypeId::ValueError, "invalid addrsize"));
    }
    let a = vm.machine_int(memaddr)? as u32;
    let n = bits as usize / 8;
    Ok((a.to_be_bytes(), n))
}

/// `readfrom_mem(addr, memaddr, nbytes, *, addrsize=8)`.
pub fn readfrom_mem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let addr = addr_arg(vm, args.pos[1])?;
    let (ma, n_ma) = mem_addr(vm, &args, args.pos[2])?;
    let n = vm.machine_int(args.pos[3])?.max(0) as usize;
    write(vm, r, addr, &ma[4 - n_ma..], false)?;
    let data = read(vm, r, addr, n)?;
    vm.new_bytes(&data)
}

/// `readfrom_mem_into(addr, memaddr, buf, *, addrsize=8)`.
pub fn readfrom_mem_into(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let addr = addr_arg(vm, args.pos[1])?;
    let (ma, n_ma) = mem_addr(vm, &args, args.pos[2])?;
    let dst = target_arg(vm, args.pos[3])?;
    let n = vm.bytearray_data(dst).len();
    write(vm, r, addr, &ma[4 - n_ma..], false)?;
    let data = read(vm, r, addr, n)?;
    fill(vm, dst, &data)?;
    Ok(Value::NONE)
}

/// `writeto_mem(addr, memaddr, buf, *, addrsize=8)`: the register address
/// and the data in one write.
pub fn writeto_mem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let addr = addr_arg(vm, args.pos[1])?;
    let (ma, n_ma) = mem_addr(vm, &args, args.pos[2])?;
    let data = buffer_arg(vm, args.pos[3])?;
    write(vm, r, addr, &ma[4 - n_ma..], false)?;
    write(vm, r, addr, &data, true)?;
    Ok(Value::NONE)
}

pub(crate) fn i2c_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"I2C(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    put(out, b")")
}
