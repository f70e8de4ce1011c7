//! `tuple`: the items are the object's slots.

use crate::error::PyResult;
use crate::heap::{Heap, NoMemory};
use crate::objects::Kind;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

pub fn items(heap: &Heap, t: ObjRef) -> &[Value] {
    heap.slots(t, 0, heap.len(t))
}

pub fn new(heap: &mut Heap, items: &[Value]) -> Result<Value, NoMemory> {
    let r = heap.alloc_values(Kind::Tuple, items.len())?;
    heap.slots_mut(r, 0, items.len()).copy_from_slice(items);
    Ok(Value::obj(r))
}

impl Vm {
    pub fn new_tuple(&mut self, items: &[Value]) -> PyResult<Value> {
        Ok(new(&mut self.heap, items)?)
    }
}
