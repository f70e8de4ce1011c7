//! `gc`: the collector's controls and figures, true to the heap.

use crate::error::PyResult;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

pub fn collect(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    // A native call is a safepoint: the caller's values are all on the stack.
    vm.collect();
    Ok(Value::NONE)
}

pub fn mem_free(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.int_value(vm.heap.free_bytes() as i64)
}

pub fn mem_alloc(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.int_value(vm.heap.used_bytes() as i64)
}

pub fn enable(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.heap.auto_collect = true;
    Ok(Value::NONE)
}

pub fn disable(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.heap.auto_collect = false;
    Ok(Value::NONE)
}

pub fn isenabled(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::from_bool(vm.heap.auto_collect))
}

/// `gc.threshold()` reads, `gc.threshold(n)` sets (-1 disables) the number of
/// bytes allocated after which a collection runs at the next safe point.
pub fn threshold(vm: &mut Vm, args: Args) -> PyResult<Value> {
    match args.pos.first() {
        None => vm.int_value(vm.heap.threshold.map_or(-1, |t| t as i64)),
        Some(&v) => {
            let n = vm.as_int(v).unwrap_or(-1);
            // Counted in whole blocks, as MicroPython does (so it reads back
            // rounded down).
            let b = crate::heap::BYTES_PER_BLOCK;
            vm.heap.threshold = (n >= 0).then_some(n as usize / b * b);
            Ok(Value::NONE)
        }
    }
}
