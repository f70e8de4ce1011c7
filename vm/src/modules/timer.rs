//! `machine.Timer`: a virtual timer (id -1) the port runs, one-shot or
//! periodic. Its expiries are interrupt events: the callback runs between
//! instructions, as `Pin.irq` handlers do. Instance layout:
//! `[type, handle]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, handle, not_found, os_error, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::EventSource;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

pub const ONE_SHOT: isize = 0;
pub const PERIODIC: isize = 1;

pub static TIMER_ATTRS: crate::modules::Table = &[
    e!(q::init, f::TIMER_INIT),
    e!(q::deinit, f::TIMER_DEINIT),
    e!(q::ONE_SHOT, Value::small_int(ONE_SHOT)),
    e!(q::PERIODIC, Value::small_int(PERIODIC)),
];

/// `Timer(id=-1, *, mode, period, freq, callback)`: only virtual timers
/// (id -1) exist; with any keyword it is started as `init` starts it.
pub fn timer_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 1)?;
    let id = args.pos.first().copied().unwrap_or(Value::small_int(-1));
    if vm.as_int(id) != Some(-1) {
        return Err(vm.raise(TypeId::ValueError, "only virtual timers (id -1) are supported"));
    }
    let r = vm.heap.alloc_values(Kind::Native, 2)?;
    let handle = match vm.machine().timer_open() {
        Ok(h) => h,
        Err(e) => return Err(not_found(vm, b"Timer", id, e, |_, _| {})),
    };
    vm.heap.set_slot(r, 0, TypeId::Timer.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    if !args.kw.is_empty() {
        start(vm, r, &args)?;
    }
    Ok(Value::obj(r))
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    device::this(vm, args, TypeId::Timer)
}

/// Starts (or restarts) the timer from `init`'s keywords.
fn start(vm: &mut Vm, r: ObjRef, args: &Args) -> PyResult<()> {
    known_kwargs(vm, args, &[q::mode, q::period, q::freq, q::callback])?;
    let periodic = match args.kwarg(q::mode) {
        Some(v) => match vm.machine_int(v)? as isize {
            PERIODIC => true,
            ONE_SHOT => false,
            _ => return Err(vm.raise(TypeId::ValueError, "invalid mode")),
        },
        None => true,
    };
    let period_us = match (args.kwarg(q::period), args.kwarg(q::freq)) {
        (Some(p), None) => vm.machine_int(p)?.checked_mul(1000),
        (None, Some(f)) => match vm.as_number(f) {
            Some(hz) if hz > 0.0 => Some((1e6 / hz) as i64),
            _ => None,
        },
        (None, None) => Some(1_000_000),
        (Some(_), Some(_)) => None,
    };
    let Some(period_us) = period_us.filter(|&p| p > 0) else {
        return Err(vm.raise(TypeId::ValueError, "invalid period"));
    };
    let h = handle(vm, r);
    let call = args.kwarg(q::callback).filter(|c| !c.is_none()).map(|c| (c, Value::obj(r)));
    vm.set_irq_handler(EventSource::Timer, h, call)?;
    match vm.machine().timer_start(h, period_us as u64, periodic) {
        Ok(()) => Ok(()),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `init(*, mode=PERIODIC, period=ms | freq=Hz, callback)`.
pub fn timer_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    start(vm, r, &args)?;
    Ok(Value::NONE)
}

/// `deinit()`: stops the timer; its callback is forgotten.
pub fn timer_deinit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let h = handle(vm, r);
    vm.machine().timer_stop(h);
    vm.set_irq_handler(EventSource::Timer, h, None)?;
    Ok(Value::NONE)
}
