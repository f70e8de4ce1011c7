//! `micropython`: access to the VM's internals, as MicroPython has it.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{list, TypeId};
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
    arity(vm, &args, 0, 1)?;
    match args.pos.first() {
        Some(&v) => {
            let Some(n) = vm.as_int(v) else { return Err(vm.raise(TypeId::TypeError, "expected an int")) };
            vm.opt_level = n.clamp(0, 3) as u8;
            Ok(Value::NONE)
        }
        None => Ok(Value::small_int(vm.opt_level as isize)),
    }
}

fn print_line(vm: &mut Vm, parts: &[&[u8]], nums: &[usize]) -> PyResult<()> {
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        put(&mut out, p)?;
        if let Some(&n) = nums.get(i) {
            crate::runtime::format::put_int(&mut out, n as i64)?;
        }
    }
    put(&mut out, b"\n")?;
    vm.port.stdout(&out);
    Ok(())
}

/// `mem_info()`: stack and GC heap figures.
pub fn mem_info(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 1)?;
    let used = vm.stack_base.abs_diff(crate::vm::stack_address());
    print_line(vm, &[b"stack: "], &[used])?;
    let (total, alloc, free) = (vm.heap.total_bytes(), vm.heap.used_bytes(), vm.heap.free_bytes());
    print_line(vm, &[b"GC: total: ", b", used: ", b", free: "], &[total, alloc, free])?;
    Ok(Value::NONE)
}

/// `qstr_info()`: the interned strings made at run time.
pub fn qstr_info(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 1)?;
    let pool = vm.qstr_pool();
    let n = list::len(&vm.heap, pool);
    let bytes: usize = list::items(&vm.heap, pool).iter().map(|&s| vm.str_bytes(s).map_or(0, |b| b.len())).sum();
    let statics = crate::qstr::STATIC_COUNT as usize;
    print_line(vm, &[b"qstr pool: n_static=", b", n_pool=", b", n_str_data_bytes="], &[statics, n, bytes])?;
    Ok(Value::NONE)
}

/// `stack_use()`: bytes of native stack in use below the top-level code.
pub fn stack_use(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    Ok(Value::small_int(vm.stack_base.abs_diff(crate::vm::stack_address()) as isize))
}

/// `mem_total()`: bytes allocated since start (MicroPython's memory
/// statistics); `mem_current()`: in use now; `mem_peak()`: the most in use.
pub fn mem_total(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    Ok(Value::small_int((vm.heap.total_allocated & (isize::MAX as usize >> 2)) as isize))
}

pub fn mem_current(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    Ok(Value::small_int(vm.heap.used_bytes() as isize))
}

pub fn mem_peak(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    Ok(Value::small_int((vm.heap.peak_blocks * crate::heap::BYTES_PER_BLOCK) as isize))
}

pub fn heap_lock(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    vm.heap.lock_depth = vm.heap.lock_depth.saturating_add(1);
    Ok(Value::NONE)
}

/// Returns the lock depth left, as MicroPython's does.
pub fn heap_unlock(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    vm.heap.lock_depth = vm.heap.lock_depth.saturating_sub(1);
    Ok(Value::small_int(vm.heap.lock_depth as isize))
}

pub fn heap_locked(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 0)?;
    Ok(Value::small_int(vm.heap.lock_depth as isize))
}

/// `kbd_intr(c)`: the character that raises KeyboardInterrupt (-1: none).
pub fn kbd_intr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let Some(c) = vm.as_int(args.pos[0]) else { return Err(vm.raise(TypeId::TypeError, "expected an int")) };
    vm.port.set_interrupt_char(c.clamp(-1, 255) as i32);
    Ok(Value::NONE)
}

/// `schedule(f, arg)`: calls `f(arg)` at the next safe point.
pub fn schedule(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let l = vm.scheduled.as_obj().expect("made at start");
    if list::len(&vm.heap, l) >= SCHEDULE_DEPTH {
        return Err(vm.raise(TypeId::RuntimeError, "schedule queue full"));
    }
    let pair = vm.new_tuple(&[args.pos[0], args.pos[1]])?;
    vm.with_root(pair, |vm| vm.list_push(l, pair))?;
    Ok(Value::NONE)
}

/// `alloc_emergency_exception_buf(n)`: Pyrite keeps a MemoryError ready
/// from the start, and other exceptions raised without memory fall back to
/// it, so there is nothing to reserve.
pub fn alloc_emergency_exception_buf(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    Ok(Value::NONE)
}
