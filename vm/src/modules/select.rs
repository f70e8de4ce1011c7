//! `select`: `poll` objects, MicroPython's way to wait on several streams at
//! once (asyncio's IO queue is one). A stream is ready when its `ioctl(3,
//! events)` (MicroPython's stream poll request, which Python classes such as
//! asyncio's ThreadSafeFlag implement) says so; the console is always ready
//! to write and ready to read when the port says input is waiting. A poll
//! object's value is a list of `stream, events` pairs.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{list, Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

pub const POLLIN: isize = 0x1;
pub const POLLOUT: isize = 0x4;
pub const POLLERR: isize = 0x8;
pub const POLLHUP: isize = 0x10;
/// The stream ioctl request asking which of the given events are ready.
const MP_STREAM_POLL: isize = 3;

pub fn poll(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let l = vm.new_list(&[])?;
    vm.native_instance(TypeId::Poll, l, Value::NULL)
}

/// The pair list of the poll object a method was called on.
fn pairs(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().and_then(|v| v.as_obj()).filter(|&r| vm.heap.kind(r) == Kind::List) {
        Some(r) => Ok(r),
        None => Err(vm.raise(TypeId::TypeError, "expected a poll object")),
    }
}

fn find(vm: &Vm, l: ObjRef, stream: Value) -> Option<usize> {
    list::items(&vm.heap, l).chunks(2).position(|p| p[0] == stream).map(|i| i * 2)
}

fn events_arg(vm: &mut Vm, args: &Args, at: usize) -> PyResult<isize> {
    match args.pos.get(at) {
        None => Ok(POLLIN | POLLOUT),
        Some(&v) => match vm.as_int(v) {
            Some(n) => Ok(n as isize),
            None => Err(vm.raise(TypeId::TypeError, "events must be an int")),
        },
    }
}

/// `register(stream, events=POLLIN|POLLOUT)`; registering again updates.
pub fn register(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = pairs(vm, &args)?;
    let events = events_arg(vm, &args, 2)?;
    match find(vm, l, args.pos[1]) {
        Some(i) => list::items_mut(&mut vm.heap, l)[i + 1] = Value::small_int(events),
        None => {
            vm.list_push(l, args.pos[1])?;
            vm.list_push(l, Value::small_int(events))?;
        }
    }
    Ok(Value::NONE)
}

pub fn unregister(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = pairs(vm, &args)?;
    if let Some(i) = find(vm, l, args.pos[1]) {
        vm.list_pop(l, i + 1);
        vm.list_pop(l, i);
    }
    Ok(Value::NONE)
}

pub fn modify(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = pairs(vm, &args)?;
    let events = events_arg(vm, &args, 2)?;
    match find(vm, l, args.pos[1]) {
        Some(i) => {
            list::items_mut(&mut vm.heap, l)[i + 1] = Value::small_int(events);
            Ok(Value::NONE)
        }
        None => {
            let e = vm.new_exception(TypeId::OSError, &[Value::small_int(2)])?;
            Err(crate::error::PyErr::exc(e))
        }
    }
}

/// Which of `events` stream is ready for (errors and hang-ups always count).
fn ready(vm: &mut Vm, stream: Value, events: isize) -> PyResult<isize> {
    let inner = vm.native_value(stream);
    let ty = vm.native_base(vm.class_of(stream));
    if matches!(ty, Some(TypeId::TextIOWrapper | TypeId::FileIO)) {
        let fd = inner.as_small_int().unwrap_or(-1) & !crate::modules::io::BINARY;
        let readable = fd == 0 && vm.port.input_ready().unwrap_or(true);
        let writable = fd == 1 || fd == 2;
        return Ok(events & (if readable { POLLIN } else { 0 } | if writable { POLLOUT } else { 0 }));
    }
    #[cfg(all(feature = "machine-uart", feature = "select"))]
    if vm.type_of(stream) == TypeId::UART {
        return Ok(events & crate::modules::uart::poll_events(vm, stream));
    }
    let (m, this) = vm.load_method(stream, q::ioctl)?;
    let r = if this.is_null() {
        vm.call(m, &[Value::small_int(MP_STREAM_POLL), Value::small_int(events)])?
    } else {
        vm.call(m, &[this, Value::small_int(MP_STREAM_POLL), Value::small_int(events)])?
    };
    match vm.as_int(r) {
        Some(n) => Ok(n as isize & (events | POLLERR | POLLHUP)),
        None if r == Value::NONE => Ok(0),
        None => Err(vm.raise(TypeId::TypeError, "ioctl must return an int")),
    }
}

/// Polls every registered stream until one is ready or `timeout_ms` passes
/// (negative: no limit), checking for Ctrl-C between rounds. Returns the
/// ready pairs' positions in the list with their events.
fn wait(vm: &mut Vm, l: ObjRef, timeout_ms: i64) -> PyResult<Vec<(usize, isize)>> {
    let start = vm.port.ticks_us();
    let mut found = Vec::new();
    loop {
        let mut i = 0;
        while i + 1 < list::len(&vm.heap, l) {
            let (stream, events) = {
                let p = &list::items(&vm.heap, l)[i..i + 2];
                (p[0], p[1].as_small_int().unwrap_or(0))
            };
            let r = vm.with_root(stream, |vm| ready(vm, stream, events))?;
            if r != 0 {
                found.try_reserve(1).map_err(|_| crate::error::PyErr::NoMemory)?;
                found.push((i, r));
            }
            i += 2;
        }
        if !found.is_empty() || timeout_ms == 0 {
            return Ok(found);
        }
        let waited = (vm.port.ticks_us() - start) / 1000;
        if timeout_ms > 0 && waited >= timeout_ms as u64 {
            return Ok(found);
        }
        vm.check_interrupt()?;
        // Nothing wakes a poll early, so look again each millisecond (or
        // sooner when the timeout ends first).
        let left = if timeout_ms > 0 { (timeout_ms as u64 - waited) * 1000 } else { 1000 };
        vm.port.sleep_us(left.clamp(1, 1000));
    }
}

fn timeout_arg(vm: &mut Vm, args: &Args) -> PyResult<i64> {
    match args.pos.get(1) {
        None => Ok(-1),
        Some(&v) if v == Value::NONE => Ok(-1),
        Some(&v) => match vm.as_int(v) {
            Some(n) => Ok(n),
            None => Err(vm.raise(TypeId::TypeError, "timeout must be an int")),
        },
    }
}

/// `poll([timeout_ms])` and `ipoll([timeout_ms[, flags]])`: a list of
/// `(stream, events)` tuples; with flags 1 (MicroPython's one-shot) each
/// ready stream's events are cleared, so it is not reported again until
/// `modify` sets them.
fn poll_common(vm: &mut Vm, args: Args, max: usize) -> PyResult<Value> {
    arity(vm, &args, 1, max)?;
    let l = pairs(vm, &args)?;
    let timeout = timeout_arg(vm, &args)?;
    let one_shot = args.pos.get(2).and_then(|&v| vm.as_int(v)).is_some_and(|f| f & 1 != 0);
    let found = wait(vm, l, timeout)?;
    let out = vm.new_list(&[])?;
    let or = out.as_obj().expect("new list");
    vm.with_root(out, |vm| {
        for &(i, ev) in &found {
            let Some(&stream) = list::items(&vm.heap, l).get(i) else { continue };
            let t = vm.new_tuple(&[stream, Value::small_int(ev)])?;
            vm.list_push(or, t)?;
            if one_shot {
                list::items_mut(&mut vm.heap, l)[i + 1] = Value::small_int(0);
            }
        }
        Ok(out)
    })
}

pub fn poll_poll(vm: &mut Vm, args: Args) -> PyResult<Value> {
    poll_common(vm, args, 2)
}

pub fn ipoll(vm: &mut Vm, args: Args) -> PyResult<Value> {
    poll_common(vm, args, 3)
}
