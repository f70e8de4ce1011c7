//! `time`: sleeping and MicroPython's wrapping tick counters, over the port's clock.

use crate::error::PyResult;
use crate::objects::TypeId;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// Ticks wrap at 2**30 so they stay small ints on every target.
const TICKS_PERIOD: i64 = 1 << 30;

fn int_arg(vm: &mut Vm, args: &Args, i: usize) -> PyResult<i64> {
    vm.machine_int(args.pos.get(i).copied().unwrap_or(Value::NONE))
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
    match vm.as_number(args.pos[0]) {
        Some(s) => sleep_for_us(vm, (s * 1e6) as i64),
        None => Err(vm.raise(TypeId::TypeError, "expected a number")),
    }
}

pub fn sleep_ms(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let ms = int_arg(vm, &args, 0)?;
    sleep_for_us(vm, ms.saturating_mul(1000))
}

pub fn sleep_us(vm: &mut Vm, args: Args) -> PyResult<Value> {
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
    let (a, b) = (int_arg(vm, &args, 0)?, int_arg(vm, &args, 1)?);
    let d = ((a - b + TICKS_PERIOD / 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD / 2;
    Ok(Value::small_int(d as isize))
}

pub fn ticks_add(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (a, b) = (int_arg(vm, &args, 0)?, int_arg(vm, &args, 1)?);
    // Beyond half a period ticks_diff could not give the delta back.
    if b <= -TICKS_PERIOD / 2 || b >= TICKS_PERIOD / 2 {
        return Err(vm.raise(TypeId::OverflowError, "ticks interval overflow"));
    }
    Ok(Value::small_int((a.wrapping_add(b) & (TICKS_PERIOD - 1)) as isize))
}

pub fn ticks_cpu(vm: &mut Vm, args: Args) -> PyResult<Value> {
    ticks_us(vm, args)
}

pub fn time(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let ns = vm.port.time_ns();
    vm.new_float(ns as f64 / 1e9)
}

pub fn time_ns(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let ns = vm.port.time_ns();
    vm.int_value(ns)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm); `m` in 1..=12.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// `gmtime(secs)`: MicroPython's 8-tuple (year, month, mday, hour, minute,
/// second, weekday with Monday 0, yearday from 1).
pub fn gmtime(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let secs = match args.pos.first().filter(|v| !v.is_none()) {
        Some(&v) => match vm.as_int(v) {
            Some(s) => s,
            None => match vm.as_float(v) {
                Some(f) if f.is_finite() => libm::floor(f) as i64,
                _ => return Err(vm.raise(TypeId::TypeError, "expected a number")),
            },
        },
        None => vm.port.time_ns().div_euclid(1_000_000_000),
    };
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let fields = [y, m, d, rem / 3600, rem / 60 % 60, rem % 60, (days + 3).rem_euclid(7), days - days_from_civil(y, 1, 1) + 1];
    let vals: alloc::vec::Vec<Value> = fields.iter().map(|&f| Value::small_int(f as isize)).collect();
    vm.new_tuple(&vals)
}

/// `mktime(tuple)`: the inverse of `localtime` (which is UTC here), taking
/// out-of-range fields as offsets, as C's mktime does.
pub fn mktime(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let items = vm.seq_items(args.pos[0]).map(|s| s.to_vec()).unwrap_or_default();
    if !(8..=9).contains(&items.len()) {
        return Err(vm.raise(TypeId::TypeError, "mktime needs a tuple of length 8 or 9"));
    }
    let mut f = [0i64; 6];
    for (slot, &v) in f.iter_mut().zip(&items) {
        *slot = vm.machine_int(v)?;
    }
    let months = f[0] * 12 + f[1] - 1;
    let (y, m) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    let days = days_from_civil(y, m, 1) + f[2] - 1;
    vm.int_value(days * 86_400 + f[3] * 3600 + f[4] * 60 + f[5])
}
