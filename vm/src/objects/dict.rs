//! `dict`, insertion-ordered: `[len, used, entries]` where entries is a
//! `ValArray` of key/value pairs in insertion order and a deleted pair has a
//! NULL key. Lookup is a linear scan with an identity fast path (qstr keys of
//! globals and attributes compare by index).
// A hash index over the entries is the next step once dicts get large.

use crate::error::PyResult;
use crate::heap::Heap;
use crate::objects::Kind;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

const LEN: usize = 0;
const USED: usize = 1;
const ENTRIES: usize = 2;

fn count(heap: &Heap, d: ObjRef, slot: usize) -> usize {
    heap.slot(d, slot).as_small_int().unwrap_or(0) as usize
}

pub fn len(heap: &Heap, d: ObjRef) -> usize {
    count(heap, d, LEN)
}

/// The live `(key, value)` pairs as a flat slice `[k0, v0, k1, v1, ...]`,
/// deleted pairs included (their key is NULL).
pub fn raw_entries(heap: &Heap, d: ObjRef) -> &[Value] {
    let used = count(heap, d, USED);
    match heap.slot(d, ENTRIES).as_obj() {
        Some(e) => heap.slots(e, 0, used * 2),
        None => &[],
    }
}

/// Entry positions of `d`, deleted ones included: iterate `0..entry_slots`
/// and read each with `entry`, which re-reads the heap, so Python code run
/// between two entries cannot leave a stale view.
pub fn entry_slots(heap: &Heap, d: ObjRef) -> usize {
    count(heap, d, USED)
}

/// The live `(key, value)` at position `i`; `None` if it was deleted (or the
/// dict shrank meanwhile).
pub fn entry(heap: &Heap, d: ObjRef, i: usize) -> Option<(Value, Value)> {
    let e = raw_entries(heap, d);
    let (&k, &v) = e.get(2 * i).zip(e.get(2 * i + 1))?;
    (!k.is_null()).then_some((k, v))
}

impl Vm {
    pub fn new_dict(&mut self, capacity: usize) -> PyResult<Value> {
        self.new_dict_like(Kind::Dict, capacity)
    }

    /// A dict-shaped object: a dict, or a set (whose values are all None).
    pub fn new_dict_like(&mut self, kind: Kind, capacity: usize) -> PyResult<Value> {
        let d = self.heap.alloc_values(kind, 3)?;
        self.heap.set_slot(d, LEN, Value::small_int(0));
        self.heap.set_slot(d, USED, Value::small_int(0));
        if capacity > 0 {
            let e = self.heap.alloc_values(Kind::ValArray, capacity * 2)?;
            self.heap.set_slot(d, ENTRIES, Value::obj(e));
        }
        Ok(Value::obj(d))
    }

    fn dict_find(&mut self, d: ObjRef, key: Value) -> PyResult<Option<usize>> {
        let used = count(&self.heap, d, USED);
        let Some(e) = self.heap.slot(d, ENTRIES).as_obj() else { return Ok(None) };
        for i in 0..used {
            let k = self.heap.slot(e, 2 * i);
            if k == key {
                return Ok(Some(i));
            }
        }
        // Equal but not identical keys (a heap str equal to a qstr, 1 == True).
        for i in 0..used {
            let k = self.heap.slot(e, 2 * i);
            if !k.is_null() && self.values_eq(k, key)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// TypeError for the builtin types that cannot be keys: the mutable
    /// containers. (Slices have no hash either, but MicroPython's
    /// OrderedDict, searched rather than hashed, takes them: see
    /// `store_subscr` and `hash`.)
    pub(crate) fn check_hashable(&mut self, v: Value) -> PyResult<()> {
        if matches!(self.kind_of(v), Some(Kind::List | Kind::Dict | Kind::Set | Kind::ByteArray)) {
            let (buf, n) = self.qstr_copy(self.type_of(v).name())?;
            return Err(self.raise_parts(crate::objects::TypeId::TypeError, &[b"unhashable type: '", &buf[..n], b"'"]));
        }
        Ok(())
    }

    pub fn dict_get(&mut self, d: ObjRef, key: Value) -> PyResult<Option<Value>> {
        Ok(self.dict_find(d, key)?.map(|i| {
            let e = self.heap.slot(d, ENTRIES).as_obj().expect("found in it");
            self.heap.slot(e, 2 * i + 1)
        }))
    }

    pub fn dict_set(&mut self, d: ObjRef, key: Value, value: Value) -> PyResult<()> {
        if let Some(i) = self.dict_find(d, key)? {
            let e = self.heap.slot(d, ENTRIES).as_obj().expect("found in it");
            self.heap.set_slot(e, 2 * i + 1, value);
            return Ok(());
        }
        self.check_hashable(key)?;
        let used = count(&self.heap, d, USED);
        let e = match self.heap.slot(d, ENTRIES).as_obj() {
            None => {
                let e = self.heap.alloc_values(Kind::ValArray, 8)?;
                self.heap.set_slot(d, ENTRIES, Value::obj(e));
                e
            }
            Some(e) if self.heap.len(e) < (used + 1) * 2 => {
                let cap = self.heap.len(e) / 2;
                let e2 = self.heap.realloc_values(e, (cap + cap / 2 + 1) * 2)?;
                self.heap.set_slot(d, ENTRIES, Value::obj(e2));
                e2
            }
            Some(e) => e,
        };
        self.heap.set_slot(e, 2 * used, key);
        self.heap.set_slot(e, 2 * used + 1, value);
        self.heap.set_slot(d, USED, Value::small_int(used as isize + 1));
        let n = len(&self.heap, d);
        self.heap.set_slot(d, LEN, Value::small_int(n as isize + 1));
        Ok(())
    }

    /// Empties a dict (or set) in place; its entries keep their room.
    pub fn dict_empty(&mut self, d: ObjRef) {
        let used = count(&self.heap, d, USED);
        if let Some(e) = self.heap.slot(d, ENTRIES).as_obj() {
            self.heap.slots_mut(e, 0, used * 2).fill(Value::NULL);
        }
        self.heap.set_slot(d, USED, Value::small_int(0));
        self.heap.set_slot(d, LEN, Value::small_int(0));
    }

    pub fn dict_remove(&mut self, d: ObjRef, key: Value) -> PyResult<Option<Value>> {
        let Some(i) = self.dict_find(d, key)? else { return Ok(None) };
        let e = self.heap.slot(d, ENTRIES).as_obj().expect("found in it");
        let v = self.heap.slot(e, 2 * i + 1);
        self.heap.set_slot(e, 2 * i, Value::NULL);
        self.heap.set_slot(e, 2 * i + 1, Value::NULL);
        let n = len(&self.heap, d);
        self.heap.set_slot(d, LEN, Value::small_int(n as isize - 1));
        // Removed entries at the end are given back, so a name bound and
        // unbound over and over (`except E as e` at module level) takes no
        // more room: it then works with the heap locked.
        let mut used = count(&self.heap, d, USED);
        while used > 0 && self.heap.slot(e, 2 * (used - 1)).is_null() {
            used -= 1;
        }
        self.heap.set_slot(d, USED, Value::small_int(used as isize));
        Ok(Some(v))
    }
}
