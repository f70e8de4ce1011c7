//! `machine.Pin`: a GPIO line the port resolves (from the devicetree on
//! Zephyr) and drives through `embedded-hal`. Instance layout:
//! `[type, handle, mode, id]`; mode is -1 until the pin is configured.

use super::{e, f};
use crate::error::{PyErr, PyResult};
use crate::modules::builtins::arity;
use crate::objects::{Kind, TypeId};
use crate::port::{EventSource, PinError, PinId, PinMode, Pull, IRQ_FALLING, IRQ_RISING};
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const HANDLE: usize = 1;
const MODE: usize = 2;
const ID: usize = 3;

pub const IN: isize = 0;
pub const OUT: isize = 1;
pub const OPEN_DRAIN: isize = 2;
pub const DRIVE_0: isize = 0;
pub const DRIVE_1: isize = 1;
pub const PULL_UP: isize = 1;
pub const PULL_DOWN: isize = 2;

pub static PIN_ATTRS: crate::modules::Table = &[
    e!(q::value, f::PIN_VALUE),
    e!(q::on, f::PIN_ON),
    e!(q::off, f::PIN_OFF),
    e!(q::toggle, f::PIN_TOGGLE),
    e!(q::init, f::PIN_INIT),
    #[cfg(feature = "machine-pin-extras")]
    e!(q::irq, f::PIN_IRQ),
    e!(q::IN, Value::small_int(IN)),
    e!(q::OUT, Value::small_int(OUT)),
    e!(q::OPEN_DRAIN, Value::small_int(OPEN_DRAIN)),
    #[cfg(feature = "machine-pin-extras")]
    e!(q::DRIVE_0, Value::small_int(DRIVE_0)),
    #[cfg(feature = "machine-pin-extras")]
    e!(q::DRIVE_1, Value::small_int(DRIVE_1)),
    e!(q::PULL_UP, Value::small_int(PULL_UP)),
    e!(q::PULL_DOWN, Value::small_int(PULL_DOWN)),
    #[cfg(feature = "machine-pin-extras")]
    e!(q::IRQ_FALLING, Value::small_int(IRQ_FALLING as isize)),
    #[cfg(feature = "machine-pin-extras")]
    e!(q::IRQ_RISING, Value::small_int(IRQ_RISING as isize)),
];

fn mode_of(n: isize) -> Option<PinMode> {
    match n {
        IN => Some(PinMode::In),
        OUT => Some(PinMode::Out),
        OPEN_DRAIN => Some(PinMode::OpenDrain),
        _ => None,
    }
}

fn mode_number(m: PinMode) -> isize {
    match m {
        PinMode::In => IN,
        PinMode::Out => OUT,
        PinMode::OpenDrain => OPEN_DRAIN,
    }
}

fn pull_of(n: isize) -> Pull {
    match n {
        PULL_UP => Pull::Up,
        PULL_DOWN => Pull::Down,
        _ => Pull::None,
    }
}

/// Reads the `mode` and `pull` arguments (positional after `skip`, or keyword).
fn mode_and_pull(vm: &mut Vm, args: &Args, skip: usize) -> PyResult<(Option<isize>, isize)> {
    let get = |i: usize, name: Qstr| args.pos.get(skip + i).copied().or_else(|| args.kwarg(name)).filter(|v| !v.is_none());
    let mode = match get(0, q::mode) {
        Some(v) => match vm.as_int(v).filter(|&m| mode_of(m as isize).is_some()) {
            Some(m) => Some(m as isize),
            None => return Err(vm.raise(TypeId::ValueError, "invalid pin mode")),
        },
        None => None,
    };
    let pull = match get(1, q::pull) {
        Some(v) => vm.as_int(v).unwrap_or(-1) as isize,
        None => -1,
    };
    Ok((mode, pull))
}

/// The `drive` keyword: `Pin.DRIVE_0` (the default strength) or
/// `Pin.DRIVE_1` (the port's high drive), applied to pin `r`.
fn apply_drive(vm: &mut Vm, r: ObjRef, args: &Args) -> PyResult<()> {
    // Only where GPIO drivers are built (with Pin.irq).
    if !cfg!(feature = "machine-pin-extras") {
        return Ok(());
    }
    let Some(v) = args.kwarg(q::drive).filter(|v| !v.is_none()) else { return Ok(()) };
    let d = match vm.machine_int(v)? as isize {
        d @ (DRIVE_0 | DRIVE_1) => d as u8,
        _ => return Err(vm.raise(TypeId::ValueError, "invalid drive")),
    };
    let dev = handle(vm, r);
    if let Err(e) = vm.machine().pin_drive(dev, d) {
        let id = vm.heap.slot(r, ID);
        return Err(pin_error(vm, id, e));
    }
    Ok(())
}

/// `ValueError` naming the pin the port could not give.
fn pin_error(vm: &mut Vm, id: Value, e: PinError) -> PyErr {
    let mut name = Vec::new();
    if let Err(e) = vm.write_repr(id, &mut name) {
        return e;
    }
    let why: &[u8] = match e {
        PinError::NotFound => b" isn't in the devicetree",
        PinError::Config => b" can't be configured that way",
        PinError::Io => b": GPIO error",
        PinError::Unsupported => b": this port has no GPIO",
    };
    // An unknown name: the names there are.
    let mut known: Vec<u8> = Vec::new();
    if cfg!(feature = "machine-pin-extras") && e == PinError::NotFound && vm.str_bytes(id).is_some() {
        vm.machine().pin_names(&mut |n| {
            known.extend_from_slice(if known.is_empty() { b"; there is: " } else { b", " });
            known.extend_from_slice(n);
        });
    }
    vm.raise_parts(TypeId::ValueError, &[b"pin ", &name, why, &known])
}

pub fn pin_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 3)?;
    let id = args.pos[0];
    let (mode, pull) = mode_and_pull(vm, &args, 1)?;
    // Copy the name out of the heap: the port call needs `&mut vm.port`.
    let mut name = [0u8; 48];
    let (len, number) = if let Some(s) = vm.str_bytes(id) {
        let n = s.len().min(name.len());
        name[..n].copy_from_slice(&s[..n]);
        (n, None)
    } else if let Some(&[ctrl, pin]) = vm.seq_items(id) {
        let (Some(s), Some(p)) = (vm.str_bytes(ctrl), vm.as_int(pin)) else {
            return Err(vm.raise(TypeId::ValueError, "pin id must be a name or a (controller, pin) tuple"));
        };
        let n = s.len().min(name.len());
        name[..n].copy_from_slice(&s[..n]);
        (n, Some(p))
    } else {
        return Err(vm.raise(TypeId::ValueError, "pin id must be a name or a (controller, pin) tuple"));
    };
    let pin_id = match number {
        None => PinId::Name(&name[..len]),
        Some(p) if p >= 0 => PinId::Port(&name[..len], p as u32),
        Some(_) => return Err(vm.raise(TypeId::ValueError, "invalid pin number")),
    };
    // Allocate first so a failed allocation leaves the port untouched.
    let r = vm.heap.alloc_values(Kind::Native, 4)?;
    let handle = match vm.machine().pin_open(pin_id, mode.and_then(mode_of), pull_of(pull)) {
        Ok(h) => h,
        Err(e) => return Err(pin_error(vm, id, e)),
    };
    // Without a mode, the pin keeps the configuration it already has.
    let mode = mode.or_else(|| vm.machine().pin_mode(handle).map(mode_number));
    vm.heap.set_slot(r, 0, TypeId::Pin.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, MODE, Value::small_int(mode.unwrap_or(-1)));
    vm.heap.set_slot(r, ID, id);
    apply_drive(vm, r, &args)?;
    if let Some(v) = args.kwarg(q::value) {
        set(vm, r, v)?;
    }
    Ok(Value::obj(r))
}

/// The port handle of a `Pin` object (0 for anything else: callers check
/// with [`claim_pin`] first).
pub(crate) fn pin_handle(vm: &Vm, pin: Value) -> u32 {
    pin.as_obj().filter(|_| vm.type_of(pin) == TypeId::Pin).map_or(0, |r| handle(vm, r))
}

/// Drives pin `h` (for an open-drain line, high releases it), for a
/// bit-banged bus: a pin that fails is the bus's `EIO`.
#[cfg(any(feature = "machine-soft-i2c", feature = "machine-soft-spi"))]
pub(crate) fn bus_pin_set(port: &mut dyn crate::port::Machine, h: u32, high: bool) -> Result<(), crate::port::DeviceError> {
    let eio = crate::port::DeviceError::Errno(crate::port::EIO);
    let p = port.pin(h).ok_or(eio)?;
    let r = if high { p.set_high() } else { p.set_low() };
    r.map_err(|_| eio)
}

/// Reads pin `h`'s line, for a bit-banged bus.
#[cfg(any(feature = "machine-soft-i2c", feature = "machine-soft-spi"))]
pub(crate) fn bus_pin_get(port: &mut dyn crate::port::Machine, h: u32) -> Result<bool, crate::port::DeviceError> {
    let eio = crate::port::DeviceError::Errno(crate::port::EIO);
    port.pin(h).ok_or(eio)?.is_high().map_err(|_| eio)
}

/// Configures the `Pin` a bus class takes (`SoftI2C`'s lines, `SoftSPI`'s)
/// for its use, and records the mode on the object.
#[cfg(any(feature = "machine-soft-i2c", feature = "machine-soft-spi"))]
pub(crate) fn claim_pin(vm: &mut Vm, pin: Value, m: PinMode) -> PyResult<()> {
    let Some(r) = pin.as_obj().filter(|_| vm.type_of(pin) == TypeId::Pin) else {
        return Err(vm.raise(TypeId::TypeError, "expected a Pin"));
    };
    let dev = handle(vm, r);
    if let Err(e) = vm.machine().pin_configure(dev, m, Pull::None) {
        let id = vm.heap.slot(r, ID);
        return Err(pin_error(vm, id, e));
    }
    vm.heap.set_slot(r, MODE, Value::small_int(mode_number(m)));
    Ok(())
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.type_of(v) == TypeId::Pin) {
        Some(v) => Ok(v.as_obj().expect("pin object")),
        None => Err(vm.raise(TypeId::TypeError, "expected a Pin")),
    }
}

fn handle(vm: &Vm, r: ObjRef) -> u32 {
    vm.heap.slot(r, HANDLE).as_small_int().unwrap_or(0) as u32
}

fn mode(vm: &Vm, r: ObjRef) -> isize {
    vm.heap.slot(r, MODE).as_small_int().unwrap_or(-1)
}

/// Configures an unconfigured pin on first use: output when written, input when read.
fn ensure_mode(vm: &mut Vm, r: ObjRef, wanted: isize) -> PyResult<()> {
    if mode(vm, r) >= 0 {
        return Ok(());
    }
    let h = handle(vm, r);
    let m = mode_of(wanted).unwrap_or(PinMode::In);
    if let Err(e) = vm.machine().pin_configure(h, m, Pull::None) {
        let id = vm.heap.slot(r, ID);
        return Err(pin_error(vm, id, e));
    }
    vm.heap.set_slot(r, MODE, Value::small_int(wanted));
    Ok(())
}

fn io_error(vm: &mut Vm, r: ObjRef) -> PyErr {
    let id = vm.heap.slot(r, ID);
    pin_error(vm, id, PinError::Io)
}

fn set(vm: &mut Vm, r: ObjRef, v: Value) -> PyResult<()> {
    let high = vm.truthy(v)?;
    ensure_mode(vm, r, OUT)?;
    let h = handle(vm, r);
    let ok = match vm.machine().pin(h) {
        Some(p) => if high { p.set_high() } else { p.set_low() }.is_ok(),
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(io_error(vm, r))
    }
}

/// `pin.value()` reads the level (the driven level for an output);
/// `pin.value(x)` drives it.
pub fn pin_value(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    if let Some(&v) = args.pos.get(1) {
        set(vm, r, v)?;
        return Ok(Value::NONE);
    }
    ensure_mode(vm, r, IN)?;
    let (h, output) = (handle(vm, r), mode(vm, r) != IN);
    let level = match vm.machine().pin(h) {
        Some(p) if output => p.is_set_high().ok(),
        Some(p) => p.is_high().ok(),
        None => None,
    };
    match level {
        Some(l) => Ok(Value::small_int(l as isize)),
        None => Err(io_error(vm, r)),
    }
}

pub fn pin_on(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    set(vm, r, Value::TRUE)?;
    Ok(Value::NONE)
}

pub fn pin_off(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    set(vm, r, Value::FALSE)?;
    Ok(Value::NONE)
}

pub fn pin_toggle(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    ensure_mode(vm, r, OUT)?;
    let h = handle(vm, r);
    let ok = vm.machine().pin(h).is_some_and(|p| p.toggle().is_ok());
    if !ok {
        return Err(io_error(vm, r));
    }
    Ok(Value::NONE)
}

/// `pin.init(mode, pull)`: reconfigures.
pub fn pin_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let (m, pull) = mode_and_pull(vm, &args, 1)?;
    let m = m.unwrap_or(if mode(vm, r) >= 0 { mode(vm, r) } else { IN });
    let h = handle(vm, r);
    if let Err(e) = vm.machine().pin_configure(h, mode_of(m).unwrap_or(PinMode::In), pull_of(pull)) {
        let id = vm.heap.slot(r, ID);
        return Err(pin_error(vm, id, e));
    }
    vm.heap.set_slot(r, MODE, Value::small_int(m));
    apply_drive(vm, r, &args)?;
    if let Some(v) = args.kwarg(q::value) {
        set(vm, r, v)?;
    }
    Ok(Value::NONE)
}

/// `pin.irq(handler=None, trigger=IRQ_FALLING | IRQ_RISING, hard=False)`:
/// `handler(pin)` runs after each edge in `trigger`, between instructions
/// (the interrupt handler only queues the event). MicroPython runs a
/// `hard` handler inside the interrupt; Pyrite never runs Python there, so
/// it runs as a soft one. `handler=None` turns the interrupt off.
pub fn pin_irq(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    crate::modules::builtins::known_kwargs(vm, &args, &[q::handler, q::trigger, q::hard])?;
    let handler = args.pos.get(1).copied().or_else(|| args.kwarg(q::handler)).unwrap_or(Value::NONE);
    let trigger = match args.pos.get(2).copied().or_else(|| args.kwarg(q::trigger)) {
        Some(v) => vm.machine_int(v)?,
        None => (IRQ_FALLING | IRQ_RISING) as i64,
    };
    if !(0..=(IRQ_FALLING | IRQ_RISING) as i64).contains(&trigger) {
        return Err(vm.raise(TypeId::ValueError, "invalid trigger"));
    }
    ensure_mode(vm, r, IN)?;
    let h = handle(vm, r);
    let (call, trigger) = if handler.is_none() { (None, 0) } else { (Some((handler, Value::obj(r))), trigger as u32) };
    vm.set_irq_handler(EventSource::Pin, h, call)?;
    if let Err(e) = vm.machine().pin_irq(h, trigger) {
        let id = vm.heap.slot(r, ID);
        return Err(pin_error(vm, id, e));
    }
    Ok(Value::NONE)
}

pub(crate) fn pin_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"Pin(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    put(out, b")")
}
