//! `machine.WDT(id=0, timeout=5000)`: the port's watchdog (on Zephyr, the
//! devicetree's `watchdog0`). As in MicroPython it cannot be stopped or
//! changed once started; `feed()` restarts its countdown. Instance layout:
//! `[type, handle]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, handle, os_error, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::DeviceError;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

pub static WDT_ATTRS: crate::modules::Table = &[e!(q::feed, f::WDT_FEED)];

/// `WDT(id=0, timeout=5000)`, `timeout` in milliseconds.
pub fn wdt_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 2)?;
    known_kwargs(vm, &args, &[q::id, q::timeout])?;
    let id = match args.pos.first().copied().or_else(|| args.kwarg(q::id)) {
        Some(v) => vm.machine_int(v)?,
        None => 0,
    };
    if id != 0 {
        return Err(vm.raise(TypeId::ValueError, "WDT(0) is the only watchdog"));
    }
    let timeout = match args.pos.get(1).copied().or_else(|| args.kwarg(q::timeout)) {
        Some(v) => vm.machine_int(v)?,
        None => 5000,
    };
    if !(1..=0xffff_ffff).contains(&timeout) {
        return Err(vm.raise(TypeId::ValueError, "timeout must be positive"));
    }
    let r = vm.heap.alloc_values(Kind::Native, 2)?;
    let h = match vm.machine().wdt_start(timeout as u32) {
        Ok(h) => h,
        Err(DeviceError::NotFound) => return Err(vm.raise(TypeId::ValueError, "WDT isn't in the devicetree (no watchdog0 alias)")),
        Err(e) => return Err(os_error(vm, e)),
    };
    vm.heap.set_slot(r, 0, TypeId::WDT.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(h as isize));
    Ok(Value::obj(r))
}

/// `feed()`.
pub fn feed(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = device::this(vm, &args, TypeId::WDT)?;
    let dev = handle(vm, r);
    if let Err(e) = vm.machine().wdt_feed(dev) {
        return Err(os_error(vm, e));
    }
    Ok(Value::NONE)
}
