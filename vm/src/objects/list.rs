//! `list`: `[len, items]`, items being a private `ValArray` that grows by half
//! again when full (in place when the blocks after it are free).

use crate::error::PyResult;
use crate::heap::{Heap, NoMemory};
use crate::objects::Kind;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

const LEN: usize = 0;
const ITEMS: usize = 1;

pub fn len(heap: &Heap, l: ObjRef) -> usize {
    heap.slot(l, LEN).as_small_int().unwrap_or(0) as usize
}

pub fn items(heap: &Heap, l: ObjRef) -> &[Value] {
    let n = len(heap, l);
    match heap.slot(l, ITEMS).as_obj() {
        Some(a) => heap.slots(a, 0, n),
        None => &[],
    }
}

pub fn items_mut(heap: &mut Heap, l: ObjRef) -> &mut [Value] {
    let n = len(heap, l);
    match heap.slot(l, ITEMS).as_obj() {
        Some(a) => heap.slots_mut(a, 0, n),
        None => &mut [],
    }
}

fn set_len(heap: &mut Heap, l: ObjRef, n: usize) {
    heap.set_slot(l, LEN, Value::small_int(n as isize));
}

pub fn new(heap: &mut Heap, items: &[Value]) -> Result<Value, NoMemory> {
    let l = heap.alloc_values(Kind::List, 2)?;
    set_len(heap, l, 0);
    if !items.is_empty() {
        let a = heap.alloc_values(Kind::ValArray, items.len())?;
        heap.slots_mut(a, 0, items.len()).copy_from_slice(items);
        heap.set_slot(l, ITEMS, Value::obj(a));
        set_len(heap, l, items.len());
    }
    Ok(Value::obj(l))
}

/// A new list with the same items as `l`.
pub fn new_copy(heap: &mut Heap, l: ObjRef) -> Result<Value, NoMemory> {
    let n = len(heap, l);
    let out = heap.alloc_values(Kind::List, 2)?;
    set_len(heap, out, 0);
    if n > 0 {
        let a = heap.alloc_values(Kind::ValArray, n)?;
        let src = heap.slot(l, ITEMS).as_obj().expect("non-empty list has items");
        for i in 0..n {
            let v = heap.slot(src, i);
            heap.set_slot(a, i, v);
        }
        heap.set_slot(out, ITEMS, Value::obj(a));
        set_len(heap, out, n);
    }
    Ok(Value::obj(out))
}

impl Vm {
    pub fn new_list(&mut self, items: &[Value]) -> PyResult<Value> {
        Ok(new(&mut self.heap, items)?)
    }

    /// Makes room for `extra` more items without changing the list's length.
    pub fn list_reserve(&mut self, l: ObjRef, extra: usize) -> PyResult<()> {
        let n = len(&self.heap, l);
        let need = n + extra;
        match self.heap.slot(l, ITEMS).as_obj() {
            None => {
                let a = self.heap.alloc_values(Kind::ValArray, need.max(4))?;
                self.heap.set_slot(l, ITEMS, Value::obj(a));
            }
            Some(a) if self.heap.len(a) < need => {
                let cap = self.heap.len(a);
                let a2 = self.heap.realloc_values(a, need.max(cap + cap / 2 + 1))?;
                self.heap.set_slot(l, ITEMS, Value::obj(a2));
            }
            Some(_) => {}
        }
        Ok(())
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn list_push(&mut self, l: ObjRef, v: Value) -> PyResult<()> {
        self.list_reserve(l, 1)?;
        let n = len(&self.heap, l);
        let a = self.heap.slot(l, ITEMS).as_obj().expect("reserved above");
        self.heap.set_slot(a, n, v);
        set_len(&mut self.heap, l, n + 1);
        Ok(())
    }

    /// Makes the list hold exactly `items`.
    pub fn list_replace(&mut self, l: ObjRef, items: &[Value]) -> PyResult<()> {
        let n = len(&self.heap, l);
        if items.len() > n {
            self.list_reserve(l, items.len() - n)?;
        }
        if let Some(a) = self.heap.slot(l, ITEMS).as_obj() {
            let cap = self.heap.len(a);
            let slots = self.heap.slots_mut(a, 0, cap);
            slots[..items.len()].copy_from_slice(items);
            slots[items.len()..].fill(Value::NULL);
        }
        set_len(&mut self.heap, l, items.len());
        Ok(())
    }

    pub fn list_pop(&mut self, l: ObjRef, index: usize) -> Option<Value> {
        let items = items_mut(&mut self.heap, l);
        if index >= items.len() {
            return None;
        }
        let v = items[index];
        items.copy_within(index + 1.., index);
        let n = items.len() - 1;
        items[n] = Value::NULL;
        set_len(&mut self.heap, l, n);
        Some(v)
    }
}
