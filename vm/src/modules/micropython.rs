//! `micropython`: access to the VM's internals, as MicroPython has it.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{list, TypeId};
use crate::port::{Event, EventSource};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

/// MicroPython's default depth of the schedule queue.
const SCHEDULE_DEPTH: usize = 4;

impl Vm {
    /// Runs the scheduled calls, oldest first, one at a time; called at safe
    /// points. A call's exception propagates into the interrupted code.
    pub(crate) fn run_scheduled(&mut self) -> PyResult<()> {
        let Some(l) = self.scheduled.as_obj() else { return Ok(()) };
        // Only those queued now: a callback that schedules itself again
        // runs at the next check, after the program has moved on.
        for _ in 0..list::len(&self.heap, l) {
            let Some(pair) = self.list_pop(l, 0) else { break };
            let items = self.seq_items(pair).map(|s| s.to_vec()).unwrap_or_default();
            let [f, arg] = items[..] else { continue };
            self.running_scheduled = true;
            let r = self.with_root(pair, |vm| vm.call(f, &[arg]));
            self.running_scheduled = false;
            r?;
        }
        Ok(())
    }

    /// Moves the port's interrupt events onto the schedule queue while it
    /// has room, each as its registered callback and argument; an event
    /// without one is dropped (its irq was turned off after it fired).
    /// Events that do not fit wait in the port's queue for the next check,
    /// so a burst is run, not refused.
    pub(crate) fn queue_events(&mut self) -> PyResult<()> {
        let l = self.scheduled.as_obj().expect("made at start");
        while list::len(&self.heap, l) < SCHEDULE_DEPTH {
            let (source, id) = match self.port.take_event() {
                Some(Event::Irq { source, id }) => (source, id),
                #[cfg(feature = "foreign")]
                Some(Event::Call { handle, arg }) => {
                    self.schedule_held(handle, arg)?;
                    continue;
                }
                _ => return Ok(()),
            };
            let d = self.irq_handlers.as_obj().expect("made at start");
            let Some(pair) = self.dict_get(d, event_key(source, id))? else { continue };
            let items = self.seq_items(pair).map(|s| s.to_vec()).unwrap_or_default();
            if let [f, arg] = items[..] {
                schedule_call(self, f, arg)?;
            }
        }
        // Full: look at the port's queue again once these have run.
        self.events.store(true, core::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Sets (or with `None` removes) the callback for interrupt events
    /// from `source` `id`.
    pub(crate) fn set_irq_handler(&mut self, source: EventSource, id: u32, call: Option<(Value, Value)>) -> PyResult<()> {
        let d = self.irq_handlers.as_obj().expect("made at start");
        match call {
            Some((f, arg)) => {
                let pair = self.new_tuple(&[f, arg])?;
                self.with_root(pair, |vm| vm.dict_set(d, event_key(source, id), pair))
            }
            None => self.dict_remove(d, event_key(source, id)).map(|_| ()),
        }
    }

    /// Unlocks the heap whatever the nesting (after an uncaught exception).
    pub fn release_heap_lock(&mut self) {
        self.heap.lock_depth = 0;
    }
}

/// `const(x)`: x (the compiler folds it where MicroPython would).
pub fn constant(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    Ok(args.pos[0])
}

pub fn opt_level(vm: &mut Vm, args: Args) -> PyResult<Value> {
    match args.pos.first() {
        Some(&v) => {
            let n = vm.machine_int(v)?;
            vm.opt_level = n.clamp(0, 3) as u8;
            Ok(Value::NONE)
        }
        None => Ok(Value::small_int(vm.opt_level as isize)),
    }
}

fn print_line(vm: &mut Vm, parts: &[&[u8]], nums: &[usize]) -> PyResult<()> {
    let mut out = Vec::new();
    crate::runtime::format::put_counted(&mut out, parts, nums)?;
    put(&mut out, b"\n")?;
    vm.port.stdout(&out);
    Ok(())
}

/// `mem_info([verbose])`: MicroPython's memory report: allocation totals,
/// the native stack, the GC heap and its fragmentation; verbose adds a map
/// of the heap, a character a block.
pub fn mem_info(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (total_alloc, current, peak) = (vm.heap.total_allocated, vm.heap.used_bytes(), vm.heap.peak_bytes());
    print_line(vm, &[b"mem: total=", b", current=", b", peak="], &[total_alloc, current, peak])?;
    let used = vm.stack_base.abs_diff(crate::vm::stack_address());
    // The room the Python thread's stack has, when the port knows it.
    let room = if vm.stack_floor != 0 { vm.stack_base.saturating_sub(vm.stack_floor) + vm.stack_reserve } else { 0 };
    print_line(vm, &[b"stack: ", b" out of "], &[used, room])?;
    let (total, alloc, free) = (vm.heap.total_bytes(), vm.heap.used_bytes(), vm.heap.free_bytes());
    print_line(vm, &[b"GC: total: ", b", used: ", b", free: "], &[total, alloc, free])?;
    let (ones, twos, max_obj, max_free) = vm.heap.block_stats();
    print_line(vm, &[b" No. of 1-blocks: ", b", 2-blocks: ", b", max blk sz: ", b", max free sz: "], &[ones, twos, max_obj, max_free])?;
    if args.pos.first().is_some_and(|&v| vm.truthy(v).unwrap_or(false)) {
        vm.port.stdout(b"GC memory layout; from 0:");
        let mut map = Vec::new();
        vm.heap.block_map(|c| map.push(c));
        // 64 blocks a line; runs of all-free lines are summarised, as
        // MicroPython does.
        let lines: Vec<&[u8]> = map.chunks(64).collect();
        let mut free_run = 0usize;
        for (i, l) in lines.iter().enumerate() {
            let all_free = l.iter().all(|&c| c == b'.');
            if all_free && i + 1 < lines.len() {
                free_run += 1;
                continue;
            }
            if free_run > 0 {
                print_line(vm, &[b"\n       (", b" lines all free)"], &[free_run])?;
                free_run = 0;
            } else {
                vm.port.stdout(b"\n");
            }
            vm.port.stdout(l);
        }
        vm.port.stdout(b"\n");
    }
    Ok(Value::NONE)
}

/// `qstr_info([verbose])`: the interned strings made at run time (the ones
/// known at build time are in flash); verbose lists them.
pub fn qstr_info(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let pool = vm.qstr_pool();
    let n = list::len(&vm.heap, pool);
    let bytes: usize = list::items(&vm.heap, pool).iter().map(|&s| vm.str_bytes(s).map_or(0, |b| b.len())).sum();
    let total = bytes + n * (crate::heap::BYTES_PER_BLOCK + core::mem::size_of::<Value>());
    print_line(vm, &[b"qstr pool: n_pool=1, n_qstr=", b", n_str_data_bytes=", b", n_total_bytes="], &[n, bytes, total])?;
    if args.pos.first().is_some_and(|&v| vm.truthy(v).unwrap_or(false)) {
        for i in 0..n {
            let text = list::items(&vm.heap, pool).get(i).and_then(|&s| vm.str_bytes(s)).map(|b| b.to_vec()).unwrap_or_default();
            let mut out = Vec::new();
            put(&mut out, b"Q(")?;
            put(&mut out, &text)?;
            put(&mut out, b")\n")?;
            vm.port.stdout(&out);
        }
    }
    Ok(Value::NONE)
}

/// `stack_use()`: bytes of native stack in use below the top-level code.
pub fn stack_use(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::small_int(vm.stack_base.abs_diff(crate::vm::stack_address()) as isize))
}

/// `mem_total()`: bytes allocated since start (MicroPython's memory
/// statistics); `mem_current()`: in use now; `mem_peak()`: the most in use.
pub fn mem_total(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::small_int((vm.heap.total_allocated & (isize::MAX as usize >> 2)) as isize))
}

pub fn mem_current(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::small_int(vm.heap.used_bytes() as isize))
}

pub fn mem_peak(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::small_int(vm.heap.peak_bytes() as isize))
}

pub fn heap_lock(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.heap.lock_depth = vm.heap.lock_depth.saturating_add(1);
    Ok(Value::NONE)
}

/// Returns the lock depth left, as MicroPython's does.
pub fn heap_unlock(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.heap.lock_depth = vm.heap.lock_depth.saturating_sub(1);
    Ok(Value::small_int(vm.heap.lock_depth as isize))
}

pub fn heap_locked(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::small_int(vm.heap.lock_depth as isize))
}

/// `kbd_intr(c)`: the character that raises KeyboardInterrupt (-1: none).
pub fn kbd_intr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let c = vm.machine_int(args.pos[0])?;
    vm.port.set_interrupt_char(c.clamp(-1, 255) as i32);
    Ok(Value::NONE)
}

/// `schedule(f, arg)`: calls `f(arg)` at the next safe point.
pub fn schedule(vm: &mut Vm, args: Args) -> PyResult<Value> {
    schedule_call(vm, args.pos[0], args.pos[1])?;
    Ok(Value::NONE)
}

/// Queues `f(arg)` to run at the next check, as MicroPython's scheduler.
pub(crate) fn schedule_call(vm: &mut Vm, f: Value, arg: Value) -> PyResult<()> {
    let l = vm.scheduled.as_obj().expect("made at start");
    if list::len(&vm.heap, l) >= SCHEDULE_DEPTH {
        return Err(vm.raise(TypeId::RuntimeError, "schedule queue full"));
    }
    let pair = vm.new_tuple(&[f, arg])?;
    vm.with_root(pair, |vm| vm.list_push(l, pair))?;
    vm.service_soon();
    Ok(())
}

/// The `irq_handlers` key of an event source.
fn event_key(source: EventSource, id: u32) -> Value {
    Value::small_int(((source as isize) << 24) | (id & 0xff_ffff) as isize)
}

/// `alloc_emergency_exception_buf(n)`: Pyrite keeps a MemoryError ready
/// from the start, and other exceptions raised without memory fall back to
/// it, so there is nothing to reserve.
pub fn alloc_emergency_exception_buf(_vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::NONE)
}
