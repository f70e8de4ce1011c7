//! `dict`, insertion-ordered: `[len, used, entries]`. `entries` is a
//! `ValArray` `[index, k0, v0, k1, v1, ...]`: the pairs in insertion order (a
//! deleted pair has a NULL key; `used` counts pairs ever placed) and, once
//! the dict holds more than `SMALL` pairs, `index`: a hash table
//! (`Kind::DictIndex`) of pair numbers, probed linearly.
//!
//! Small dicts (most instances and classes) are searched by identity first,
//! which is all a qstr key needs; the table makes large ones O(1). The table
//! has at least twice as many slots as the entries have room for pairs, and
//! pairs are only appended until the room is full (then the live ones are
//! packed, or the room grows, and the table is rebuilt), so probing always
//! meets an empty slot.

use crate::error::PyResult;
use crate::heap::Heap;
use crate::objects::Kind;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

const LEN: usize = 0;
const USED: usize = 1;
const ENTRIES: usize = 2;

/// Pairs beyond which a dict gets a hash table.
const SMALL: usize = 8;

fn count(heap: &Heap, d: ObjRef, slot: usize) -> usize {
    heap.slot(d, slot).as_small_int().unwrap_or(0) as usize
}

pub fn len(heap: &Heap, d: ObjRef) -> usize {
    count(heap, d, LEN)
}

#[inline]
fn entries(heap: &Heap, d: ObjRef) -> Option<ObjRef> {
    heap.slot(d, ENTRIES).as_obj()
}

/// Room for pairs in an entries array.
fn room(heap: &Heap, e: ObjRef) -> usize {
    (heap.len(e) - 1) / 2
}

/// The live `(key, value)` pairs as a flat slice `[k0, v0, k1, v1, ...]`,
/// deleted pairs included (their key is NULL).
pub fn raw_entries(heap: &Heap, d: ObjRef) -> &[Value] {
    let used = count(heap, d, USED);
    match entries(heap, d) {
        Some(e) => heap.slots(e, 1, used * 2),
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

/// Whether two distinct values might still compare equal. Distinct qstrs
/// never do (they are interned), nor do two distinct small ints, nor a
/// qstr and a small int; anything on the heap might.
#[inline]
fn may_equal(a: Value, b: Value) -> bool {
    let plain = |v: Value| v.is_small_int() || v.as_qstr().is_some();
    !(plain(a) && plain(b))
}

/// The hash table: `slots` entries of `width` bytes, 0 for empty, else a
/// pair number plus one.
struct Table {
    r: ObjRef,
    slots: usize,
    width: usize,
}

impl Table {
    fn of(heap: &Heap, e: ObjRef) -> Option<Table> {
        let r = heap.slot(e, 0).as_obj()?;
        let bytes = heap.len(r);
        let width = if bytes / 2 <= 0x1_0000 { 2 } else { 4 };
        Some(Table { r, slots: bytes / width, width })
    }

    fn get(&self, heap: &Heap, i: usize) -> usize {
        let b = &heap.bytes(self.r)[i * self.width..(i + 1) * self.width];
        if self.width == 2 {
            u16::from_le_bytes([b[0], b[1]]) as usize
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        }
    }

    fn set(&self, heap: &mut Heap, i: usize, v: usize) {
        let b = &mut heap.bytes_mut(self.r)[i * self.width..(i + 1) * self.width];
        if self.width == 2 {
            b.copy_from_slice(&(v as u16).to_le_bytes());
        } else {
            b.copy_from_slice(&(v as u32).to_le_bytes());
        }
    }

    /// The first slot to probe for `hash` (Fibonacci hashing spreads runs of
    /// consecutive ints and similar names).
    fn start(&self, hash: isize) -> usize {
        let h = hash as usize as u64;
        // Fibonacci hashing: the product's high bits mix all of the hash's.
        let x = ((h ^ (h >> 32)) as u32).wrapping_mul(0x9E37_79B9);
        ((x as u64 * self.slots as u64) >> 32) as usize
    }

    /// Files pair `pair` under `hash` in the first empty slot.
    fn insert(&self, heap: &mut Heap, hash: isize, pair: usize) {
        let mut i = self.start(hash);
        while self.get(heap, i) != 0 {
            i = (i + 1) & (self.slots - 1);
        }
        self.set(heap, i, pair + 1);
    }
}

/// Table slots for entries with room for `room` pairs: a power of two, at
/// least twice the room.
fn table_slots(room: usize) -> usize {
    (2 * room).next_power_of_two()
}

/// Where qstr keys (globals, attributes, methods) were last found, as
/// MicroPython's map lookup cache: a slot chosen by the dict and the name
/// holds a pair number, which a lookup tries first and checks by identity,
/// so a stale or foreign entry only costs a miss. 128 bytes.
pub struct LookupCache([u16; 64]);

impl Default for LookupCache {
    fn default() -> Self {
        LookupCache([0; 64])
    }
}

impl LookupCache {
    fn slot(d: ObjRef, key: Value) -> usize {
        (d.0 as usize ^ key.bits().rotate_right(3).wrapping_mul(31)) & 63
    }
}

/// Where a key is, or where a missing one's hash was (to file it without
/// hashing it again).
enum Found {
    At(usize),
    Missing(Option<isize>),
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
            let e = self.heap.alloc_values(Kind::ValArray, 1 + capacity * 2)?;
            self.heap.set_slot(d, ENTRIES, Value::obj(e));
        }
        Ok(Value::obj(d))
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn dict_find(&mut self, d: ObjRef, key: Value) -> PyResult<Found> {
        let used = count(&self.heap, d, USED);
        let Some(e) = entries(&self.heap, d) else { return Ok(Found::Missing(None)) };
        // The lookup cache (MicroPython's MICROPY_OPT_MAP_LOOKUP_CACHE) is
        // for speed only: a build all for size searches every time.
        if !cfg!(pyrite_size) && key.as_qstr().is_some() {
            let slot = LookupCache::slot(d, key);
            let pair = self.dict_cache.0[slot] as usize;
            if pair < used && self.heap.slot(e, 1 + 2 * pair) == key {
                return Ok(Found::At(pair));
            }
            let found = self.dict_search(d, e, used, key)?;
            if let Found::At(i) = found {
                self.dict_cache.0[slot] = i.min(u16::MAX as usize) as u16;
            }
            return Ok(found);
        }
        self.dict_search(d, e, used, key)
    }

    /// `dict_find` without the cache.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn dict_search(&mut self, d: ObjRef, e: ObjRef, used: usize, key: Value) -> PyResult<Found> {
        if Table::of(&self.heap, e).is_none() {
            let pairs = self.heap.slots(e, 1, used * 2);
            let mut maybe = false;
            for (i, kv) in pairs.chunks_exact(2).enumerate() {
                if kv[0] == key {
                    return Ok(Found::At(i));
                }
                maybe |= !kv[0].is_null() && may_equal(kv[0], key);
            }
            if !maybe {
                return Ok(Found::Missing(None));
            }
            // Equal but not identical keys (a heap str equal to a qstr, 1 == True).
            // `__eq__` may change the dict: each pair is read afresh.
            for i in 0..used {
                let Some(&k) = raw_entries(&self.heap, d).get(2 * i) else { break };
                if !k.is_null() && may_equal(k, key) && self.values_eq(k, key)? {
                    return Ok(Found::At(i));
                }
            }
            return Ok(Found::Missing(None));
        }
        let hash = self.hash_value(key)?;
        // `__hash__` and `__eq__` may change the dict: read it after the
        // one, and stop probing if the other did.
        let Some((e, table)) = entries(&self.heap, d).and_then(|e| Some((e, Table::of(&self.heap, e)?))) else {
            return Ok(Found::Missing(Some(hash)));
        };
        let mut i = table.start(hash);
        loop {
            let pair = table.get(&self.heap, i);
            if pair == 0 {
                break;
            }
            let k = self.heap.slot(e, 1 + 2 * (pair - 1));
            if k == key {
                return Ok(Found::At(pair - 1));
            }
            if !k.is_null() && may_equal(k, key) {
                let equal = self.values_eq(k, key)?;
                if entries(&self.heap, d) != Some(e) || Table::of(&self.heap, e).map(|t| t.r) != Some(table.r) {
                    break;
                }
                if equal {
                    return Ok(Found::At(pair - 1));
                }
            }
            i = (i + 1) & (table.slots - 1);
        }
        Ok(Found::Missing(Some(hash)))
    }

    /// TypeError for the builtin types that cannot be keys: the mutable
    /// containers. (Slices have no hash either, but MicroPython's
    /// OrderedDict, searched rather than hashed, takes them: see
    /// `store_subscr` and `hash`.)
    pub(crate) fn check_hashable(&mut self, v: Value) -> PyResult<()> {
        if matches!(self.kind_of(v), Some(Kind::List | Kind::Dict | Kind::Set | Kind::ByteArray)) {
            return Err(self.raise_type_name(crate::objects::TypeId::TypeError, b"unhashable type: '", v, b"'"));
        }
        Ok(())
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn dict_get(&mut self, d: ObjRef, key: Value) -> PyResult<Option<Value>> {
        Ok(match self.dict_find(d, key)? {
            Found::At(i) => entries(&self.heap, d).map(|e| self.heap.slot(e, 2 + 2 * i)),
            Found::Missing(_) => None,
        })
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn dict_set(&mut self, d: ObjRef, key: Value, value: Value) -> PyResult<()> {
        let hash = match self.dict_find(d, key)? {
            Found::At(i) => {
                let e = entries(&self.heap, d).expect("found in it");
                self.heap.set_slot(e, 2 + 2 * i, value);
                return Ok(());
            }
            Found::Missing(hash) => hash,
        };
        self.check_hashable(key)?;
        let mut used = count(&self.heap, d, USED);
        let e = match entries(&self.heap, d) {
            Some(e) if used < room(&self.heap, e) && (used < SMALL || self.heap.slot(e, 0).as_obj().is_some()) => e,
            _ => {
                self.dict_make_room(d)?;
                used = count(&self.heap, d, USED);
                entries(&self.heap, d).expect("made room")
            }
        };
        self.heap.set_slot(e, 1 + 2 * used, key);
        self.heap.set_slot(e, 2 + 2 * used, value);
        self.heap.set_slot(d, USED, Value::small_int(used as isize + 1));
        let n = len(&self.heap, d);
        self.heap.set_slot(d, LEN, Value::small_int(n as isize + 1));
        if let Some(table) = Table::of(&self.heap, e) {
            // A key found missing without the table (it was made since) is
            // hashed now; the key is in the entries, so it stays rooted.
            let hash = match hash {
                Some(h) => h,
                None => self.hash_value(key)?,
            };
            table.insert(&mut self.heap, hash, used);
        }
        Ok(())
    }

    /// Makes room for one more pair at the end: packs out deleted pairs if
    /// there are enough of them, else grows the entries by half. A dict past
    /// `SMALL` pairs then gets its table (re)built.
    fn dict_make_room(&mut self, d: ObjRef) -> PyResult<()> {
        let used = count(&self.heap, d, USED);
        let live = len(&self.heap, d);
        let Some(e) = entries(&self.heap, d) else {
            let e = self.heap.alloc_values(Kind::ValArray, 1 + 2 * 4)?;
            self.heap.set_slot(d, ENTRIES, Value::obj(e));
            return Ok(());
        };
        let have = room(&self.heap, e);
        if used < have {
            // There is room, but the dict is past SMALL without a table.
            return self.dict_new_table(d, e, have);
        }
        // Pack when that frees a fifth of the room, or when growing fails.
        if live < used && live + live / 4 < have {
            return self.dict_pack(d, e);
        }
        let want = have + have / 2 + 1;
        let e = match self.heap.realloc_values(e, 1 + 2 * want) {
            Ok(e) => e,
            Err(_) if live < used => return self.dict_pack(d, e),
            Err(err) => return Err(err.into()),
        };
        self.heap.set_slot(d, ENTRIES, Value::obj(e));
        if live < SMALL {
            return Ok(());
        }
        match self.dict_new_table(d, e, want) {
            // The old table has at least twice the old room, more than the
            // new room: it still serves, fuller.
            Err(crate::PyErr::NoMemory) if Table::of(&self.heap, e).is_some() => self.dict_rebuild_table(d, e),
            r => r,
        }
    }

    /// Slides the live pairs down over the deleted ones; no allocation, so
    /// rebinding a name works with the heap locked.
    fn dict_pack(&mut self, d: ObjRef, e: ObjRef) -> PyResult<()> {
        let used = count(&self.heap, d, USED);
        let pairs = self.heap.slots_mut(e, 1, 2 * used);
        let mut to = 0;
        for from in 0..used {
            if !pairs[2 * from].is_null() {
                pairs.copy_within(2 * from..2 * from + 2, 2 * to);
                to += 1;
            }
        }
        pairs[2 * to..].fill(Value::NULL);
        self.heap.set_slot(d, USED, Value::small_int(to as isize));
        self.dict_rebuild_table(d, e)
    }

    /// Gives the entries a table for `room` pairs, replacing any old one.
    fn dict_new_table(&mut self, d: ObjRef, e: ObjRef, room: usize) -> PyResult<()> {
        let slots = table_slots(room);
        let table = self.heap.alloc_bytes(Kind::DictIndex, slots * if slots <= 0x1_0000 { 2 } else { 4 })?;
        if let Some(old) = self.heap.slot(e, 0).as_obj() {
            self.heap.free(old);
        }
        self.heap.set_slot(e, 0, Value::obj(table));
        self.dict_rebuild_table(d, e)
    }

    /// Refiles every live pair in the entries' table (if it has one).
    fn dict_rebuild_table(&mut self, d: ObjRef, e: ObjRef) -> PyResult<()> {
        let Some(table) = Table::of(&self.heap, e) else { return Ok(()) };
        self.heap.bytes_mut(table.r).fill(0);
        let used = count(&self.heap, d, USED);
        for i in 0..used {
            let k = self.heap.slot(e, 1 + 2 * i);
            if k.is_null() {
                continue;
            }
            let hash = self.hash_value(k)?;
            // A key's `__hash__` may have changed the dict: stop if so.
            if entries(&self.heap, d) != Some(e) || Table::of(&self.heap, e).map(|t| t.r) != Some(table.r) {
                break;
            }
            table.insert(&mut self.heap, hash, i);
        }
        Ok(())
    }

    /// Empties a dict (or set) in place; its entries keep their room.
    pub fn dict_empty(&mut self, d: ObjRef) {
        let used = count(&self.heap, d, USED);
        if let Some(e) = entries(&self.heap, d) {
            self.heap.slots_mut(e, 1, used * 2).fill(Value::NULL);
            if let Some(table) = Table::of(&self.heap, e) {
                self.heap.bytes_mut(table.r).fill(0);
            }
        }
        self.heap.set_slot(d, USED, Value::small_int(0));
        self.heap.set_slot(d, LEN, Value::small_int(0));
    }

    pub fn dict_remove(&mut self, d: ObjRef, key: Value) -> PyResult<Option<Value>> {
        let Found::At(i) = self.dict_find(d, key)? else { return Ok(None) };
        let e = entries(&self.heap, d).expect("found in it");
        let v = self.heap.slot(e, 2 + 2 * i);
        self.heap.set_slot(e, 1 + 2 * i, Value::NULL);
        self.heap.set_slot(e, 2 + 2 * i, Value::NULL);
        let n = len(&self.heap, d);
        self.heap.set_slot(d, LEN, Value::small_int(n as isize - 1));
        // Without a table, removed pairs at the end are given back at once,
        // so a name bound and unbound over and over (`except E as e` at
        // module level) takes no more room. (A table still files them; they
        // are packed out when the room is full.)
        if Table::of(&self.heap, e).is_none() {
            let mut used = count(&self.heap, d, USED);
            while used > 0 && self.heap.slot(e, 1 + 2 * (used - 1)).is_null() {
                used -= 1;
            }
            self.heap.set_slot(d, USED, Value::small_int(used as isize));
        }
        Ok(Some(v))
    }
}
