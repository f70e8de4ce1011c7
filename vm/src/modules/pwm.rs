//! `machine.PWM`: a PWM channel the devicetree names (a node with a `pwms`
//! property, such as a `pwm-leds` child) driven through the port. The
//! period and pulse are kept here, so setting one keeps the other (the
//! duty ratio across a change of frequency, as MicroPython does).
//! Instance layout: `[type, handle, id, period_ns, pulse_ns]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, handle, not_found, os_error, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const ID: usize = 2;
const PERIOD: usize = 3;
const PULSE: usize = 4;

pub static PWM_ATTRS: crate::modules::Table = &[
    e!(q::init, f::PWM_INIT),
    e!(q::freq, f::PWM_FREQ),
    e!(q::duty_u16, f::PWM_DUTY_U16),
    e!(q::duty_ns, f::PWM_DUTY_NS),
    e!(q::deinit, f::PWM_DEINIT),
];

/// `PWM(dest, *, freq, duty_u16, duty_ns)`: `dest` a node label or alias
/// of a node with a `pwms` property; its period is the devicetree's until
/// `freq` is given.
pub fn pwm_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 1, 1)?;
    let id = args.pos[0];
    let (name, n) = device::name_arg(vm, id, q::PWM)?;
    let r = vm.heap.alloc_values(Kind::Native, 5)?;
    let (handle, period) = match vm.machine().pwm_open(&name[..n]) {
        Ok(hp) => hp,
        Err(e) => return Err(not_found(vm, b"PWM", id, e, |p, each| p.pwm_names(each))),
    };
    vm.heap.set_slot(r, 0, TypeId::PWM.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, ID, id);
    let period = vm.int_value(period as i64)?;
    vm.heap.set_slot(r, PERIOD, period);
    vm.heap.set_slot(r, PULSE, Value::small_int(0));
    configure(vm, r, &args)?;
    Ok(Value::obj(r))
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    device::this(vm, args, TypeId::PWM)
}

fn nanos(vm: &mut Vm, r: ObjRef, slot: usize) -> u64 {
    let v = vm.heap.slot(r, slot);
    vm.as_int(v).unwrap_or(0).max(0) as u64
}

/// Sets the output to `period` and `pulse` (ns) and remembers them.
fn apply(vm: &mut Vm, r: ObjRef, period: u64, pulse: u64) -> PyResult<()> {
    let (period, pulse) = (period.min(u32::MAX as u64), pulse.min(period));
    let dev = handle(vm, r);
    if let Err(e) = vm.machine().pwm_set(dev, period as u32, pulse as u32) {
        return Err(os_error(vm, e));
    }
    let (p, w) = (vm.int_value(period as i64)?, vm.int_value(pulse as i64)?);
    vm.heap.set_slot(r, PERIOD, p);
    vm.heap.set_slot(r, PULSE, w);
    Ok(())
}

/// `freq`, `duty_u16` and `duty_ns` keywords, in that order.
fn configure(vm: &mut Vm, r: ObjRef, args: &Args) -> PyResult<()> {
    known_kwargs(vm, args, &[q::freq, q::duty_u16, q::duty_ns])?;
    if let Some(f) = args.kwarg(q::freq) {
        set_freq(vm, r, f)?;
    }
    if let Some(d) = args.kwarg(q::duty_u16) {
        set_duty_u16(vm, r, d)?;
    }
    if let Some(d) = args.kwarg(q::duty_ns) {
        let ns = vm.machine_int(d)?.max(0) as u64;
        let period = nanos(vm, r, PERIOD);
        apply(vm, r, period, ns)?;
    }
    Ok(())
}

fn set_freq(vm: &mut Vm, r: ObjRef, f: Value) -> PyResult<()> {
    let hz = vm.machine_int(f)?;
    if !(1..=1_000_000_000).contains(&hz) {
        return Err(vm.raise(TypeId::ValueError, "freq out of range"));
    }
    let (old_period, old_pulse) = (nanos(vm, r, PERIOD), nanos(vm, r, PULSE));
    let period = 1_000_000_000 / hz as u64;
    let pulse =
        if old_period == 0 { 0 } else { ((old_pulse as u128 * period as u128 + old_period as u128 / 2) / old_period as u128) as u64 };
    apply(vm, r, period, pulse)
}

fn set_duty_u16(vm: &mut Vm, r: ObjRef, d: Value) -> PyResult<()> {
    let duty = vm.machine_int(d)?.clamp(0, 65535) as u64;
    let period = nanos(vm, r, PERIOD);
    // Rounded both ways, so a duty read back is the one set.
    apply(vm, r, period, (period * duty + 32767) / 65535)
}

/// `init(*, freq, duty_u16, duty_ns)`.
pub fn init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    configure(vm, r, &args)?;
    Ok(Value::NONE)
}

/// `freq()` in Hz, or `freq(hz)`, keeping the duty ratio.
pub fn freq(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    if let Some(&f) = args.pos.get(1) {
        set_freq(vm, r, f)?;
        return Ok(Value::NONE);
    }
    let period = nanos(vm, r, PERIOD);
    vm.int_value(1_000_000_000u64.checked_div(period).unwrap_or(0) as i64)
}

/// `duty_u16()` as 0-65535 of the period, or `duty_u16(x)`.
pub fn duty_u16(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    if let Some(&d) = args.pos.get(1) {
        set_duty_u16(vm, r, d)?;
        return Ok(Value::NONE);
    }
    let (period, pulse) = (nanos(vm, r, PERIOD), nanos(vm, r, PULSE));
    vm.int_value((pulse * 65535 + period / 2).checked_div(period).unwrap_or(0) as i64)
}

/// `duty_ns()` the pulse in ns, or `duty_ns(ns)`.
pub fn duty_ns(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    if let Some(&d) = args.pos.get(1) {
        let ns = vm.machine_int(d)?.max(0) as u64;
        let period = nanos(vm, r, PERIOD);
        apply(vm, r, period, ns)?;
        return Ok(Value::NONE);
    }
    let pulse = nanos(vm, r, PULSE);
    vm.int_value(pulse as i64)
}

/// `deinit()`: the output off (a pulse of 0).
pub fn deinit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let period = nanos(vm, r, PERIOD);
    apply(vm, r, period, 0)?;
    Ok(Value::NONE)
}

pub(crate) fn pwm_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"PWM(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    put(out, b")")
}
