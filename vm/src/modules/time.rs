//! `time`: sleeping and MicroPython's wrapping tick counters, over the port's clock.

use crate::error::PyResult;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::TypeId;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// Ticks wrap at 2**30 so they stay small ints on every target.
const TICKS_PERIOD: i64 = 1 << 30;

/// Sleeps in slices (`Vm::sleep_for`) so Ctrl-C is honoured promptly even
/// if the port's sleep isn't.
fn sleep_for_us(vm: &mut Vm, us: i64) -> PyResult<Value> {
    vm.sleep_for(Some(us.max(0) as u64), false)
}

pub fn sleep(vm: &mut Vm, args: Args) -> PyResult<Value> {
    match vm.as_number(args.pos[0]) {
        Some(s) => sleep_for_us(vm, (s * 1e6) as i64),
        None => Err(vm.raise(TypeId::TypeError, "expected a number")),
    }
}

pub fn sleep_ms(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let ms = vm.machine_int(args.pos[0])?;
    sleep_for_us(vm, ms.saturating_mul(1000))
}

pub fn sleep_us(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let us = vm.machine_int(args.pos[0])?;
    sleep_for_us(vm, us)
}

pub fn ticks_ms(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let t = (vm.port.ticks_us() / 1000) as i64;
    Ok(Value::small_int((t & (TICKS_PERIOD - 1)) as isize))
}

/// Also `ticks_cpu`: the port's finest clock is the microsecond one.
pub fn ticks_us(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let t = vm.port.ticks_us() as i64;
    Ok(Value::small_int((t & (TICKS_PERIOD - 1)) as isize))
}

/// Signed difference of two tick values, correct across one wrap.
pub fn ticks_diff(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (a, b) = (vm.machine_int(args.pos[0])?, vm.machine_int(args.pos[1])?);
    let d = ((a - b + TICKS_PERIOD / 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD / 2;
    Ok(Value::small_int(d as isize))
}

pub fn ticks_add(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (a, b) = (vm.machine_int(args.pos[0])?, vm.machine_int(args.pos[1])?);
    // Beyond half a period ticks_diff could not give the delta back.
    if b <= -TICKS_PERIOD / 2 || b >= TICKS_PERIOD / 2 {
        return Err(vm.raise(TypeId::OverflowError, "ticks interval overflow"));
    }
    Ok(Value::small_int((a.wrapping_add(b) & (TICKS_PERIOD - 1)) as isize))
}

pub fn time(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let ns = vm.port.time_ns();
    // Without floats, whole seconds (MicroPython's time.time() is an int
    // on ports without MICROPY_PY_TIME_FLOAT).
    if !crate::features::FLOAT {
        return vm.int_value(ns.div_euclid(1_000_000_000));
    }
    vm.new_float(ns as Float / 1e9)
}

pub fn time_ns(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let ns = vm.port.time_ns();
    vm.int_value(ns)
}

/// The days either side of 1970-01-01 that `gmtime` and `mktime` take
/// (about 2.9 million years): the calendar arithmetic then fits 32 bits,
/// and a 32-bit part does it without 64-bit division.
const MAX_DAYS: i64 = 1 << 30;

fn out_of_range(vm: &mut Vm) -> crate::error::PyErr {
    vm.raise(TypeId::OverflowError, "timestamp out of range")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm); `m` in 1..=12, `y` within `MAX_DAYS`.
pub(crate) fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, i32, i32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i32, m, d)
}

/// `gmtime(secs)`: MicroPython's 8-tuple (year, month, mday, hour, minute,
/// second, weekday with Monday 0, yearday from 1).
pub fn gmtime(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let secs = match args.pos.first().filter(|v| !v.is_none()) {
        Some(&v) => match vm.as_int(v) {
            Some(s) => s,
            None => match vm.as_float(v) {
                Some(f) if f.is_finite() => fm::floor(f) as i64,
                _ => return Err(vm.raise(TypeId::TypeError, "expected a number")),
            },
        },
        None => vm.port.time_ns().div_euclid(1_000_000_000),
    };
    let days = secs.div_euclid(86_400);
    if days.unsigned_abs() > MAX_DAYS as u64 {
        return Err(out_of_range(vm));
    }
    let (days, rem) = (days as i32, secs.rem_euclid(86_400) as i32);
    let (y, m, d) = civil_from_days(days);
    let fields = [y, m, d, rem / 3600, rem / 60 % 60, rem % 60, (days + 3).rem_euclid(7), days - days_from_civil(y, 1, 1) + 1];
    let vals = fields.map(|f| Value::small_int(f as isize));
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
    // Year and month first (the month may run over), then the rest added
    // as seconds; anything past the range is an OverflowError, not a wrap.
    let months = f[0].checked_mul(12).and_then(|x| x.checked_add(f[1])).and_then(|x| x.checked_sub(1));
    let Some(months) = months.filter(|x| x.unsigned_abs() <= 12 * (MAX_DAYS as u64 / 366)) else {
        return Err(out_of_range(vm));
    };
    let (y, m) = (months.div_euclid(12) as i32, months.rem_euclid(12) as i32 + 1);
    let days = days_from_civil(y, m, 1) as i64;
    let mut secs = days.checked_mul(86_400).and_then(|x| x.checked_sub(86_400));
    for (n, unit) in [(f[2], 86_400), (f[3], 3600), (f[4], 60), (f[5], 1)] {
        secs = secs.and_then(|s| s.checked_add(n.checked_mul(unit)?));
    }
    match secs {
        Some(s) => vm.int_value(s),
        None => Err(out_of_range(vm)),
    }
}
