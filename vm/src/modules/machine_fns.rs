//! The `machine` module's functions: reset and its cause, the chip's
//! unique id and clock, idling, and masking interrupts.

use crate::error::PyResult;
use crate::modules::device::os_error;
use crate::objects::TypeId;
use crate::port::DeviceError;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// `reset_cause()` values, as MicroPython numbers them.
pub const PWRON_RESET: isize = 1;
pub const HARD_RESET: isize = 2;
pub const WDT_RESET: isize = 3;
pub const DEEPSLEEP_RESET: isize = 4;
pub const SOFT_RESET: isize = 5;

/// `reset()`: a hard reset of the chip; returns only where the port
/// cannot reset (then `OSError`).
pub fn reset(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let e = vm.machine().reset();
    Err(os_error(vm, e))
}

/// `soft_reset()`: as in MicroPython, raises `SystemExit`, which ends the
/// program; the port then starts the VM afresh (every Python object goes)
/// where it can (on Zephyr, in the shell and at the console REPL).
pub fn soft_reset(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.soft_reset = true;
    let e = vm.new_exception(TypeId::SystemExit, &[])?;
    Err(crate::error::PyErr::exc(e))
}

/// `time_pulse_us(pin, pulse_level, timeout_us=1000000)`: waits for `pin`
/// to read `pulse_level` (unless it already does), then times how long it
/// stays there, in microseconds. -2 if the wait for the level timed out, -1
/// if the pulse outlasted the timeout, as MicroPython's.
pub fn time_pulse_us(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(pin) = args.pos.first().copied().filter(|&v| vm.type_of(v) == TypeId::Pin) else {
        return Err(vm.raise(TypeId::TypeError, "expected a Pin"));
    };
    let h = crate::modules::machine::pin_handle(vm, pin);
    let level = vm.truthy(args.pos[1])?;
    let timeout = match args.pos.get(2) {
        Some(&v) => vm.machine_int(v)?.max(0) as u64,
        None => 1_000_000,
    };
    let read = |vm: &mut Vm| -> PyResult<bool> {
        match vm.machine().pin(h).map(embedded_hal::digital::InputPin::is_high) {
            Some(Ok(v)) => Ok(v),
            _ => Err(os_error(vm, DeviceError::Errno(crate::port::EIO))),
        }
    };
    let start = vm.port.ticks_us();
    while read(vm)? != level {
        if vm.port.ticks_us().wrapping_sub(start) >= timeout {
            return Ok(Value::small_int(-2));
        }
    }
    let t0 = vm.port.ticks_us();
    while read(vm)? == level {
        if vm.port.ticks_us().wrapping_sub(t0) >= timeout {
            return Ok(Value::small_int(-1));
        }
    }
    let us = vm.port.ticks_us().wrapping_sub(t0);
    vm.int_value(us as i64)
}

/// `reset_cause()`: why the chip last reset (`PWRON_RESET`...).
pub fn reset_cause(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    match vm.machine().reset_cause() {
        Ok(c) => Ok(Value::small_int(c as isize)),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `unique_id()`: the chip's serial number, as bytes.
pub fn unique_id(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let mut id = [0u8; 32];
    match vm.machine().unique_id(&mut id) {
        Ok(n) => vm.new_bytes(&id[..n.min(id.len())]),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `freq()`: the CPU clock in Hz. Changing it is not supported.
pub fn freq(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if !args.pos.is_empty() {
        return Err(vm.raise(TypeId::NotImplementedError, "changing the CPU frequency is not supported"));
    }
    let hz = vm.machine().cpu_freq();
    vm.int_value(hz as i64)
}

/// `idle()`: lets the rest of the system run until the next tick.
pub fn idle(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.port.sleep_us(0);
    vm.check_interrupt()?;
    Ok(Value::NONE)
}

/// `lightsleep([time_ms])`: sleeps until `time_ms` has passed (for ever
/// without it) or an interrupt event (a pin edge, a timer, UART bytes)
/// arrives, whose callback then runs, as MicroPython's may resume early for
/// events. Zephyr's idle thread puts the chip in its low-power states
/// meanwhile, where the application enables power management.
pub fn lightsleep(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let ms = match args.pos.first() {
        Some(&v) => Some(vm.machine_int(v)?.max(0) as u64 * 1000),
        None => None,
    };
    vm.sleep_for(ms, true)
}

/// `deepsleep()`: powers the chip off (Zephyr's `sys_poweroff`, where the
/// SoC has it); it wakes through a reset, from the wake-up sources the
/// application set up. A timed deep sleep needs a wake-up timer Zephyr does
/// not offer in general: `OSError(EOPNOTSUPP)`, as where there is no
/// power-off.
pub fn deepsleep(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if !args.pos.is_empty() {
        return Err(os_error(vm, DeviceError::Unsupported));
    }
    let e = vm.machine().poweroff();
    Err(os_error(vm, e))
}

/// `disable_irq()`: masks interrupts; the state to give `enable_irq`.
pub fn disable_irq(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    match vm.machine().disable_irq() {
        Some(key) => vm.int_value(key as i64),
        None => Err(os_error(vm, DeviceError::Unsupported)),
    }
}

/// `enable_irq(state)`: restores what `disable_irq` returned.
pub fn enable_irq(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let key = vm.machine_int(args.pos[0])?;
    vm.machine().enable_irq(key as u32);
    Ok(Value::NONE)
}
