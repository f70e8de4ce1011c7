//! `time`: sleeping and MicroPython's wrapping tick counters, over the port's clock.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::TypeId;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// Ticks wrap at 2**30 so they stay small ints on every target.
const TICKS_PERIOD: i64 = 1 << 30;

fn int_arg(vm: &mut Vm, args: &Args, i: usize) -> PyResult<i64> {
    match args.pos.get(i).and_then(|&v| vm.as_int(v)) {
        Some(n) => Ok(n),
        None => Err(vm.raise(TypeId::TypeError, "expected an int")),
    }
}

/// Sleeps in slices so Ctrl-C is honoured promptly even if the port's sleep isn't.
fn sleep_for_us(vm: &mut Vm, us: i64) -> PyResult<Value> {
    let mut left = us.max(0) as u64;
    while left > 0 {
        vm.check_interrupt()?;
        let step = left.min(50_000);
        vm.port.sleep_us(step);
        left -= step;
    }
    vm.check_interrupt()?;
    Ok(Value::NONE)
}

pub fn sleep(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    match vm.as_number(args.pos[0]) {
        Some(s) => sleep_for_us(vm, (s * 1e6) as i64),
        None => Err(vm.raise(TypeId::TypeError, "expected a number")),
    }
}

pub fn sleep_ms(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let ms = int_arg(vm, &args, 0)?;
    sleep_for_us(vm, ms.saturating_mul(1000))
}

pub fn sleep_us(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let us = int_arg(vm, &args, 0)?;
    sleep_for_us(vm, us)
}

pub fn ticks_ms(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let t = (vm.port.ticks_us() / 1000) as i64;
    Ok(Value::small_int((t & (TICKS_PERIOD - 1)) as isize))
}

pub fn ticks_us(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let t = vm.port.ticks_us() as i64;
    Ok(Value::small_int((t & (TICKS_PERIOD - 1)) as isize))
}

/// Signed difference of two tick values, correct across one wrap.
pub fn ticks_diff(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let (a, b) = (int_arg(vm, &args, 0)?, int_arg(vm, &args, 1)?);
    let d = ((a - b + TICKS_PERIOD / 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD / 2;
    Ok(Value::small_int(d as isize))
}

pub fn ticks_add(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let (a, b) = (int_arg(vm, &args, 0)?, int_arg(vm, &args, 1)?);
    Ok(Value::small_int(((a + b) & (TICKS_PERIOD - 1)) as isize))
}
