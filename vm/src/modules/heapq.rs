//! `heapq`: MicroPython's three functions over a list used as a min-heap.
//! Items are compared with `<`, so user classes with `__lt__` work.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::objects::{list, Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

fn heap_list(vm: &mut Vm, v: Value) -> PyResult<ObjRef> {
    match v.as_obj().filter(|_| vm.kind_of(v) == Some(Kind::List)) {
        Some(r) => Ok(r),
        None => Err(vm.raise(TypeId::TypeError, "heap must be a list")),
    }
}

/// `l[i] < l[j]`, re-reading the list since `__lt__` may change it.
fn less(vm: &mut Vm, l: ObjRef, i: usize, j: usize) -> PyResult<bool> {
    let items = list::items(&vm.heap, l);
    let (Some(&a), Some(&b)) = (items.get(i), items.get(j)) else {
        return Err(vm.raise(TypeId::IndexError, "heap changed size"));
    };
    let r = vm.binary_op(BinOp::Lt, a, b)?;
    vm.truthy(r)
}

fn swap(vm: &mut Vm, l: ObjRef, i: usize, j: usize) {
    let items = list::items_mut(&mut vm.heap, l);
    if i < items.len() && j < items.len() {
        items.swap(i, j);
    }
}

/// Moves item `pos` up while it is smaller than its parent, stopping at
/// `start` (CPython's `_siftdown`).
fn sift_up(vm: &mut Vm, l: ObjRef, start: usize, mut pos: usize) -> PyResult<()> {
    while pos > start {
        let parent = (pos - 1) / 2;
        if !less(vm, l, pos, parent)? {
            break;
        }
        swap(vm, l, pos, parent);
        pos = parent;
    }
    Ok(())
}

/// CPython's `_siftup`: walks item `i` down to a leaf along the smaller
/// children, then back up to its place. Same comparisons as CPython (and
/// MicroPython), so heaps end up in the same order.
fn sift_down(vm: &mut Vm, l: ObjRef, start: usize) -> PyResult<()> {
    let mut pos = start;
    loop {
        let n = list::len(&vm.heap, l);
        let mut child = 2 * pos + 1;
        if child >= n {
            break;
        }
        if child + 1 < n && !less(vm, l, child, child + 1)? {
            child += 1;
        }
        swap(vm, l, pos, child);
        pos = child;
    }
    sift_up(vm, l, start, pos)
}

pub fn heappush(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = heap_list(vm, args.pos[0])?;
    vm.list_push(l, args.pos[1])?;
    let last = list::len(&vm.heap, l) - 1;
    sift_up(vm, l, 0, last)?;
    Ok(Value::NONE)
}

pub fn heappop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = heap_list(vm, args.pos[0])?;
    let n = list::len(&vm.heap, l);
    if n == 0 {
        return Err(vm.raise(TypeId::IndexError, "empty heap"));
    }
    swap(vm, l, 0, n - 1);
    let top = vm.list_pop(l, n - 1).unwrap_or(Value::NONE);
    vm.with_root(top, |vm| sift_down(vm, l, 0))?;
    Ok(top)
}

pub fn heapify(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = heap_list(vm, args.pos[0])?;
    for i in (0..list::len(&vm.heap, l) / 2).rev() {
        sift_down(vm, l, i)?;
    }
    Ok(Value::NONE)
}
