//! `machine.SPI`: an SPI controller, or a device on one, that the port
//! resolves by devicetree name and drives through `embedded-hal`'s
//! `SpiDevice`. A controller runs with no chip select (Python drives one
//! with a `Pin`, as in MicroPython); a device node brings its own chip
//! select, slave number, mode and top clock. Instance layout:
//! `[type, handle, id, baudrate, mode]`, mode being `bits << 3 | lsb << 2 |
//! phase << 1 | polarity`.
//!
//! Beyond MicroPython: `write` and `write_readinto` also take lists of
//! buffers, sent as segments of one transaction with the chip select held
//! across them (`embedded-hal`'s transaction; a command byte and its data as
//! two buffers, which some devices and Zephyr's emulators expect).

use super::{e, f};
use crate::error::{PyErr, PyResult};
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, buffer_arg, handle, not_found, os_error, target_arg, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::{DeviceError, SpiConfig, EIO};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;
use embedded_hal::spi::Operation;

pub(crate) const ID: usize = 2;
const BAUDRATE: usize = 3;
const MODE: usize = 4;

/// `SPI.MSB` and `SPI.LSB`, MicroPython's values.
const MSB: isize = 0;
const LSB: isize = 1;

/// Segments one transaction takes (the Zephyr glue's limit).
const MAX_SEGMENTS: usize = 8;

pub static SPI_ATTRS: crate::modules::Table = &[
    e!(q::init, f::SPI_INIT),
    e!(q::deinit, f::SPI_DEINIT),
    e!(q::read, f::SPI_READ),
    e!(q::readinto, f::SPI_READINTO),
    e!(q::write, f::SPI_WRITE),
    e!(q::write_readinto, f::SPI_WRITE_READINTO),
    e!(q::MSB, Value::small_int(MSB)),
    e!(q::LSB, Value::small_int(LSB)),
];

const SETTINGS: &[crate::qstr::Qstr] = &[q::baudrate, q::polarity, q::phase, q::bits, q::firstbit];

/// The instance a method was called on: an `SPI`, or a `SoftSPI`, which
/// shares these methods.
fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    if cfg!(feature = "machine-soft-spi") {
        if let Some(r) = args.pos.first().copied().filter(|&v| vm.type_of(v) == TypeId::SoftSPI).and_then(Value::as_obj) {
            return Ok(r);
        }
    }
    device::this(vm, args, TypeId::SPI)
}

fn is_soft(vm: &Vm, r: ObjRef) -> bool {
    cfg!(feature = "machine-soft-spi") && vm.type_of(Value::obj(r)) == TypeId::SoftSPI
}

#[cfg(feature = "machine-soft-spi")]
fn soft_idle(vm: &mut Vm, r: ObjRef, c: SpiConfig) -> Result<(), DeviceError> {
    super::soft_spi::idle(vm, r, c)
}

#[cfg(not(feature = "machine-soft-spi"))]
fn soft_idle(_vm: &mut Vm, _r: ObjRef, _c: SpiConfig) -> Result<(), DeviceError> {
    Ok(())
}

pub(crate) fn config_of(vm: &Vm, r: ObjRef) -> SpiConfig {
    let baudrate = vm.heap.slot(r, BAUDRATE).as_small_int().unwrap_or(0) as u32;
    let mode = vm.heap.slot(r, MODE).as_small_int().unwrap_or(0);
    SpiConfig { baudrate, polarity: mode & 1 != 0, phase: mode & 2 != 0, lsb_first: mode & 4 != 0, bits: (mode >> 3) as u8 }
}

pub(crate) fn store_config(vm: &mut Vm, r: ObjRef, c: &SpiConfig) {
    let mode = c.polarity as isize | (c.phase as isize) << 1 | (c.lsb_first as isize) << 2 | (c.bits as isize) << 3;
    vm.heap.set_slot(r, BAUDRATE, Value::small_int(c.baudrate.min(i32::MAX as u32) as isize));
    vm.heap.set_slot(r, MODE, Value::small_int(mode));
}

/// Applies `baudrate` (positional at `pos[at]` or keyword), `polarity`,
/// `phase`, `bits` and `firstbit` over the object's configuration.
pub(crate) fn configure(vm: &mut Vm, r: ObjRef, args: &Args, at: usize) -> PyResult<()> {
    let mut c = config_of(vm, r);
    let given = |name| args.kwarg(name).filter(|v| !v.is_none());
    if let Some(v) = args.pos.get(at).copied().or_else(|| given(q::baudrate)) {
        match vm.machine_int(v)? {
            b @ 1..=0x7fff_ffff => c.baudrate = b as u32,
            _ => return Err(vm.raise(TypeId::ValueError, "invalid baudrate")),
        }
    }
    for (name, field) in [(q::polarity, &mut c.polarity), (q::phase, &mut c.phase)] {
        if let Some(v) = given(name) {
            match vm.machine_int(v)? {
                b @ 0..=1 => *field = b == 1,
                _ => return Err(vm.raise(TypeId::ValueError, "polarity and phase must be 0 or 1")),
            }
        }
    }
    if let Some(v) = given(q::bits) {
        match vm.machine_int(v)? {
            b @ (8 | 16 | 32) => c.bits = b as u8,
            _ => return Err(vm.raise(TypeId::ValueError, "bits must be 8, 16 or 32")),
        }
    }
    if let Some(v) = given(q::firstbit) {
        match vm.machine_int(v)? as isize {
            MSB => c.lsb_first = false,
            LSB => c.lsb_first = true,
            _ => return Err(vm.raise(TypeId::ValueError, "firstbit must be MSB or LSB")),
        }
    }
    let dev = handle(vm, r);
    let result = if is_soft(vm, r) { soft_idle(vm, r, c) } else { vm.machine().spi_configure(dev, &c) };
    if let Err(e) = result {
        return Err(os_error(vm, e));
    }
    store_config(vm, r, &c);
    Ok(())
}

/// `SPI(id, baudrate, *, polarity, phase, bits, firstbit)`: `id` a node
/// label or alias of an SPI controller or of a device on one. Pins come
/// from the devicetree, so `sck`, `mosi` and `miso` are refused, as
/// MicroPython's Zephyr port does.
pub fn spi_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 2)?;
    known_kwargs(vm, &args, &[q::baudrate, q::polarity, q::phase, q::bits, q::firstbit, q::sck, q::mosi, q::miso])?;
    if [q::sck, q::mosi, q::miso].iter().any(|&k| args.kwarg(k).is_some()) {
        return Err(vm.raise(TypeId::NotImplementedError, "explicit choice of sck/miso/mosi is not implemented"));
    }
    let id = device::id_or_default(vm, &args, b"SPI")?;
    let (name, n) = device::name_arg(vm, id, q::SPI)?;
    // Allocate first so a failed allocation leaves the port untouched.
    let r = vm.heap.alloc_values(Kind::Native, 5)?;
    let (handle, config) = match vm.machine().spi_open(&name[..n]) {
        Ok(hc) => hc,
        Err(e) => return Err(not_found(vm, b"SPI", id, e, |p, each| p.spi_names(each))),
    };
    vm.heap.set_slot(r, 0, TypeId::SPI.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, ID, id);
    store_config(vm, r, &config);
    configure(vm, r, &args, 1)?;
    Ok(Value::obj(r))
}

/// `init(baudrate, *, polarity, phase, bits, firstbit)`: changes only
/// what is given.
pub fn init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, SETTINGS)?;
    configure(vm, r, &args, 1)?;
    Ok(Value::NONE)
}

/// `deinit()`: the bus stays with Zephyr's driver; nothing to release.
pub fn deinit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    this(vm, &args)?;
    Ok(Value::NONE)
}

fn transaction(vm: &mut Vm, r: ObjRef, ops: &mut [Operation<'_, u8>]) -> PyResult<()> {
    #[cfg(feature = "machine-soft-spi")]
    if is_soft(vm, r) {
        let c = config_of(vm, r);
        let result = embedded_hal::spi::SpiDevice::transaction(&mut super::soft_spi::bus(vm, r, c), ops);
        return result.map_err(|e| os_error(vm, e));
    }
    let h = handle(vm, r);
    let result = match vm.machine().spi(h) {
        Some(dev) => dev.transaction(ops),
        None => Err(DeviceError::Errno(EIO)),
    };
    result.map_err(|e| os_error(vm, e))
}

fn zeroed(n: usize) -> PyResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
    v.resize(n, 0);
    Ok(v)
}

/// Reads `n` bytes while sending `fill` for each.
fn read_n(vm: &mut Vm, r: ObjRef, n: usize, fill: Option<Value>) -> PyResult<Vec<u8>> {
    let fill = match fill {
        Some(v) => vm.machine_int(v)? as u8,
        None => 0,
    };
    let mut rx = zeroed(n)?;
    if fill == 0 {
        transaction(vm, r, &mut [Operation::Read(&mut rx)])?;
    } else {
        let mut tx = zeroed(n)?;
        tx.fill(fill);
        transaction(vm, r, &mut [Operation::Transfer(&mut rx, &tx)])?;
    }
    Ok(rx)
}

/// `read(nbytes, write=0x00)`.
pub fn read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::write])?;
    let n = vm.machine_int(args.pos[1])?.max(0) as usize;
    let fill = args.pos.get(2).copied().or_else(|| args.kwarg(q::write));
    let data = read_n(vm, r, n, fill)?;
    vm.new_bytes(&data)
}

/// `readinto(buf, write=0x00)`.
pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::write])?;
    let dst = target_arg(vm, args.pos[1])?;
    let n = vm.bytearray_data(dst).len();
    let fill = args.pos.get(2).copied().or_else(|| args.kwarg(q::write));
    let data = read_n(vm, r, n, fill)?;
    vm.bytearray_splice(dst, 0, n, &data)?;
    Ok(Value::NONE)
}

/// The buffers of a list or tuple argument (a segment each), or the one
/// buffer given.
fn vector(vm: &mut Vm, v: Value) -> PyResult<Option<Vec<Value>>> {
    let Some(items) = vm.seq_items(v).filter(|_| vm.bytes_payload(v).is_none()) else { return Ok(None) };
    if items.is_empty() || items.len() > MAX_SEGMENTS {
        return Err(vm.raise(TypeId::ValueError, "a transaction takes 1 to 8 buffers"));
    }
    let mut out = Vec::new();
    out.try_reserve(items.len()).map_err(|_| PyErr::NoMemory)?;
    out.extend_from_slice(vm.seq_items(v).unwrap_or(&[]));
    Ok(Some(out))
}

/// `write(buf)`, or `write([buf, ...])`: one transaction.
pub fn write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let parts = match vector(vm, args.pos[1])? {
        Some(parts) => parts,
        None => alloc::vec![args.pos[1]],
    };
    let mut bufs = Vec::new();
    bufs.try_reserve(parts.len()).map_err(|_| PyErr::NoMemory)?;
    for p in parts {
        bufs.push(buffer_arg(vm, p)?);
    }
    let mut ops: Vec<Operation<'_, u8>> = Vec::new();
    ops.try_reserve(bufs.len()).map_err(|_| PyErr::NoMemory)?;
    ops.extend(bufs.iter().map(|b| Operation::Write(b)));
    transaction(vm, r, &mut ops)?;
    Ok(Value::NONE)
}

fn same_length(vm: &mut Vm) -> PyErr {
    vm.raise(TypeId::ValueError, "buffers must be the same length")
}

/// `write_readinto(write_buf, read_buf)`, or two lists of as many buffers,
/// pair by pair of the same length (`None` in the read list drops what
/// comes in during that segment): one transaction.
pub fn write_readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let (wv, rv) = (vector(vm, args.pos[1])?, vector(vm, args.pos[2])?);
    let vectored = wv.is_some();
    let (writes, reads) = match (wv, rv) {
        (Some(w), Some(rd)) if w.len() == rd.len() => (w, rd),
        (None, None) => (alloc::vec![args.pos[1]], alloc::vec![args.pos[2]]),
        _ => return Err(vm.raise(TypeId::ValueError, "write and read need as many buffers")),
    };
    let mut tx = Vec::new();
    let mut rx: Vec<Option<(ObjRef, Vec<u8>)>> = Vec::new();
    tx.try_reserve(writes.len()).map_err(|_| PyErr::NoMemory)?;
    rx.try_reserve(reads.len()).map_err(|_| PyErr::NoMemory)?;
    for (&w, &rd) in writes.iter().zip(&reads) {
        let wb = buffer_arg(vm, w)?;
        if rd.is_none() && vectored {
            rx.push(None);
        } else {
            let dst = target_arg(vm, rd)?;
            if vm.bytearray_data(dst).len() != wb.len() {
                return Err(same_length(vm));
            }
            rx.push(Some((dst, zeroed(wb.len())?)));
        }
        tx.push(wb);
    }
    let mut ops: Vec<Operation<'_, u8>> = Vec::new();
    ops.try_reserve(tx.len()).map_err(|_| PyErr::NoMemory)?;
    for (t, slot) in tx.iter().zip(rx.iter_mut()) {
        ops.push(match slot {
            Some((_, buf)) => Operation::Transfer(buf, t),
            None => Operation::Write(t),
        });
    }
    transaction(vm, r, &mut ops)?;
    drop(ops);
    for (dst, data) in rx.into_iter().flatten() {
        let n = data.len();
        vm.bytearray_splice(dst, 0, n, &data)?;
    }
    Ok(Value::NONE)
}

/// `SPI('spi0', baudrate=1000000, polarity=0, phase=0, bits=8, firstbit=MSB)`.
pub(crate) fn spi_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    let c = config_of(vm, r);
    put(out, b"SPI(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    let num = |out: &mut Vec<u8>, label: &[u8], n: u32| -> PyResult<()> {
        put(out, label)?;
        crate::runtime::format::put_int(out, n as i64)
    };
    num(out, b", baudrate=", c.baudrate)?;
    num(out, b", polarity=", c.polarity as u32)?;
    num(out, b", phase=", c.phase as u32)?;
    num(out, b", bits=", c.bits as u32)?;
    put(out, if c.lsb_first { b", firstbit=LSB)" } else { b", firstbit=MSB)" })
}
