//! `machine.RTC`: the board's real-time clock (the devicetree's `rtc`
//! alias or node label) through the port. Instance layout: `[type]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::device::{self, os_error};
use crate::objects::{Kind, TypeId};
use crate::port::DateTime;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

pub static RTC_ATTRS: crate::modules::Table = &[e!(q::datetime, f::RTC_DATETIME), e!(q::init, f::RTC_DATETIME)];

/// `RTC(id=0)`: the one real-time clock.
pub fn rtc_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 1)?;
    if args.pos.first().is_some_and(|&id| vm.as_int(id) != Some(0)) {
        return Err(vm.raise(TypeId::ValueError, "invalid RTC id"));
    }
    let r = vm.heap.alloc_values(Kind::Native, 1)?;
    vm.heap.set_slot(r, 0, TypeId::RTC.value());
    Ok(Value::obj(r))
}

/// `datetime()`: `(year, month, day, weekday, hours, minutes, seconds,
/// subseconds)`, weekday 0 for Monday, subseconds in microseconds;
/// `datetime(tuple)` (or `init(tuple)`) sets the clock from such a tuple,
/// the weekday worked out from the date.
pub fn datetime(vm: &mut Vm, args: Args) -> PyResult<Value> {
    device::this(vm, &args, TypeId::RTC)?;
    if let Some(&t) = args.pos.get(1) {
        let Some(items) = vm.seq_items(t).map(<[Value]>::to_vec).filter(|i| (7..=8).contains(&i.len())) else {
            return Err(vm.raise(TypeId::ValueError, "requested length 8 but object has length 0"));
        };
        let mut n = [0i64; 8];
        for (slot, &v) in n.iter_mut().zip(&items) {
            *slot = vm.machine_int(v)?;
        }
        let [year, month, day, _, hour, minute, second, micros] = n;
        let valid = (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && (0..24).contains(&hour)
            && (0..60).contains(&minute)
            && (0..60).contains(&second)
            && (0..1_000_000).contains(&micros)
            && (1900..=9999).contains(&year);
        if !valid {
            return Err(vm.raise(TypeId::ValueError, "invalid date or time"));
        }
        let days = crate::modules::time::days_from_civil(year as i32, month as i32, day as i32);
        // 1970-01-01 was a Thursday (3, counting Monday as 0).
        let weekday = (days + 3).rem_euclid(7) as u8;
        let dt = DateTime {
            year: year as u16,
            month: month as u8,
            day: day as u8,
            weekday,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            micros: micros as u32,
        };
        return match vm.machine().rtc_set(&dt) {
            Ok(()) => Ok(Value::NONE),
            Err(e) => Err(os_error(vm, e)),
        };
    }
    let dt = match vm.machine().rtc_get() {
        Ok(dt) => dt,
        Err(e) => return Err(os_error(vm, e)),
    };
    let fields = [
        dt.year as i64,
        dt.month as i64,
        dt.day as i64,
        dt.weekday as i64,
        dt.hour as i64,
        dt.minute as i64,
        dt.second as i64,
        dt.micros as i64,
    ];
    let mut vals = [Value::NONE; 8];
    for (v, f) in vals.iter_mut().zip(fields) {
        *v = vm.int_value(f)?;
    }
    vm.new_tuple(&vals)
}
