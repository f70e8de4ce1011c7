//! `range` and the iterators over builtin sequences.

use crate::error::{PyErr, PyResult};
use crate::objects::{dict, list, tuple, Kind, TypeId};
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

/// Ranges hold machine-word ints (as MicroPython's `mp_int_t`), which may
/// be boxed where small ints are narrower.
fn int_slot(vm: &Vm, r: ObjRef, i: usize) -> i64 {
    vm.as_int(vm.heap.slot(r, i)).unwrap_or(0)
}

/// Whether `for` loops over builtin containers take pooled iterators, so
/// they allocate nothing: code run with the heap locked relies on that
/// (micropython.heap_lock, with core-features). A build all for size
/// without it, where it would only be for speed, makes one per loop.
pub(crate) const LOOP_POOL: bool = !cfg!(pyrite_size) || crate::features::CORE_FEATURES;

impl Vm {
    pub fn new_range(&mut self, start: i64, stop: i64, step: i64) -> PyResult<Value> {
        if step == 0 {
            return Err(self.raise(TypeId::ValueError, "zero step"));
        }
        self.new_int_triple(Kind::Range, [start, stop, step])
    }

    /// A 3-slot object of ints: a range or a range iterator.
    fn new_int_triple(&mut self, kind: Kind, ints: [i64; 3]) -> PyResult<Value> {
        let r = self.heap.alloc_values(kind, 3)?;
        let v = Value::obj(r);
        self.with_root(v, |vm| {
            for (i, x) in ints.into_iter().enumerate() {
                let x = vm.int_value(x)?;
                vm.heap.set_slot(r, i, x);
            }
            Ok(v)
        })
    }

    /// `(start, stop, step)` of a range object.
    pub fn range_parts(&self, r: ObjRef) -> (i64, i64, i64) {
        (int_slot(self, r, 0), int_slot(self, r, 1), int_slot(self, r, 2))
    }

    pub fn range_len(&self, r: ObjRef) -> usize {
        let (start, stop, step) = self.range_parts(r);
        // The span as a u64 is exact (no i128: it costs flash on 32-bit parts).
        let (span, step) = match step > 0 {
            true if stop > start => (stop.wrapping_sub(start) as u64, step as u64),
            false if start > stop => (start.wrapping_sub(stop) as u64, step.unsigned_abs()),
            _ => return 0,
        };
        ((span - 1) / step + 1).min(isize::MAX as u64) as usize
    }

    /// `iter(v)`.
    pub fn get_iter(&mut self, v: Value) -> PyResult<Value> {
        match self.kind_of(v) {
            Some(Kind::Range) => {
                let r = v.as_obj().expect("range");
                let (start, stop, step) = self.range_parts(r);
                self.new_int_triple(Kind::RangeIter, [start, stop, step])
            }
            Some(Kind::RangeIter | Kind::SeqIter | Kind::Generator | Kind::Adapter) => Ok(v),
            Some(Kind::Instance) => match self.call_dunder(v, crate::qstr::q::__iter__, &[])? {
                Some(it) => Ok(it),
                // Streams iterate over their lines.
                None if self.is_stream(v) => {
                    let text =
                        matches!(self.class_of(v).as_type().and_then(TypeId::from_u16), Some(TypeId::StringIO | TypeId::TextIOWrapper));
                    let empty = if text { Value::qstr(crate::qstr::q::EMPTY) } else { self.new_bytes(&[])? };
                    let line = self.with_root(empty, |vm| vm.load_attr(v, crate::qstr::q::readline))?;
                    self.with_root(line, |vm| vm.new_adapter(adapter::CALL_UNTIL, line, empty))
                }
                None if self.native_value(v) != v => self.get_iter(self.native_value(v)),
                None if self.class_lookup(self.class_of(v), crate::qstr::q::__getitem__, None)?.is_some() => {
                    self.new_adapter(adapter::GETITEM, v, Value::small_int(0))
                }
                None => Err(self.raise(TypeId::TypeError, "object isn't iterable")),
            },
            _ if self.is_builtin_container(v) => self.new_seq_iter(v),
            _ => {
                let name = self.type_of(v).name();
                let name = self.qstr_bytes(name);
                let mut buf = [0u8; 48];
                let n = name.len().min(buf.len());
                buf[..n].copy_from_slice(&name[..n]);
                Err(self.raise_parts(TypeId::TypeError, &[b"'", &buf[..n], b"' object isn't iterable"]))
            }
        }
    }

    /// `iter(v)` for a `for` loop's own use: nobody else can see the
    /// iterator, so once spent it goes back to the pool (`for_loop_done`)
    /// and a later loop takes it without allocating. Such iterators have a
    /// third slot, which marks them.
    pub(crate) fn for_loop_iter(&mut self, v: Value) -> PyResult<Value> {
        if !LOOP_POOL || !self.is_builtin_container(v) {
            return self.get_iter(v);
        }
        let it = match self.iter_pool.pop() {
            Some(it) => it.as_obj().expect("pooled iterator"),
            None => self.heap.alloc_values(Kind::SeqIter, 3)?,
        };
        self.heap.set_slot(it, 0, v);
        self.heap.set_slot(it, 1, Value::small_int(0));
        Ok(Value::obj(it))
    }

    /// A `for` loop ran its iterator out: a private one is kept for reuse.
    pub(crate) fn for_loop_done(&mut self, it: Value) {
        if let Some(r) = it.as_obj().filter(|&r| LOOP_POOL && self.heap.kind(r) == Kind::SeqIter && self.heap.len(r) == 3) {
            if self.iter_pool.len() < self.iter_pool.capacity() {
                self.heap.set_slot(r, 0, Value::NONE);
                self.iter_pool.push(it);
            }
        }
    }

    /// A builtin stream (StringIO, BytesIO, a console stream or a file):
    /// iterating one gives its lines.
    fn is_stream(&self, v: Value) -> bool {
        match self.class_of(v).as_type().and_then(TypeId::from_u16) {
            Some(TypeId::StringIO | TypeId::BytesIO) => crate::features::IO,
            // Console streams (sys.stdin) and files.
            Some(TypeId::TextIOWrapper | TypeId::FileIO) => crate::features::CORE_FEATURES || cfg!(feature = "os"),
            _ => false,
        }
    }

    /// The builtin types a `SeqIter` walks by index.
    fn is_builtin_container(&self, v: Value) -> bool {
        v.as_qstr().is_some()
            || matches!(
                self.kind_of(v),
                Some(
                    Kind::List
                        | Kind::Tuple
                        | Kind::Str
                        | Kind::Bytes
                        | Kind::ByteArray
                        | Kind::DictView
                        | Kind::Array
                        | Kind::MemoryView
                        | Kind::Dict
                        | Kind::Set
                        | Kind::FrozenSet
                )
            )
    }

    fn new_seq_iter(&mut self, seq: Value) -> PyResult<Value> {
        let it = self.heap.alloc_values(Kind::SeqIter, 2)?;
        self.heap.set_slot(it, 0, seq);
        self.heap.set_slot(it, 1, Value::small_int(0));
        Ok(Value::obj(it))
    }

    /// The next item, or `None` when the iterator is exhausted (however it
    /// says so).
    pub fn iter_next(&mut self, it: Value) -> PyResult<Option<Value>> {
        match self.next_raw(it) {
            Err(crate::PyErr::Exc(e)) if self.exception_type(e.value()).is_subtype_of(TypeId::StopIteration) => Ok(None),
            r => r,
        }
    }

    /// The next item of `it` (rooted by the caller), asked again after a
    /// collection when it ran out of memory before taking anything (every
    /// builtin iterator makes its item before it moves, and an adapter that
    /// took items from the iterators under it counts them in `taken`):
    /// for callers that have taken items already and can't be retried.
    /// `raw`: as `next_raw` (a Python iterator's StopIteration passes).
    pub(crate) fn next_after_collect(&mut self, it: Value, raw: bool) -> PyResult<Option<Value>> {
        let (taken, mut again) = (self.taken, false);
        loop {
            match if raw { self.next_raw(it) } else { self.iter_next(it) } {
                Err(PyErr::NoMemory) if !again && self.taken == taken && self.collect_to_retry() => again = true,
                r => return r,
            }
        }
    }

    /// The next item, or `None` when a builtin iterator is exhausted; a
    /// `StopIteration` raised by Python code (a `__next__`, or the function
    /// `map` calls) comes out as the error it is, with its arguments, as
    /// `next()` and the adapters pass it on.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn next_raw(&mut self, it: Value) -> PyResult<Option<Value>> {
        let r = self.next_item(it);
        // Counted for `not_retried`, adapters' inner items too.
        if let Ok(Some(_)) = r {
            self.taken = self.taken.wrapping_add(1);
        }
        r
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn next_item(&mut self, it: Value) -> PyResult<Option<Value>> {
        let Some(r) = it.as_obj() else {
            return Err(self.raise(TypeId::TypeError, "object isn't an iterator"));
        };
        match self.heap.kind(r) {
            Kind::RangeIter => {
                let (cur, stop, step) = (int_slot(self, r, 0), int_slot(self, r, 1), int_slot(self, r, 2));
                if (step > 0 && cur >= stop) || (step < 0 && cur <= stop) {
                    return Ok(None);
                }
                // Past the word's end the iterator is simply exhausted. Both
                // values are made before the iterator moves: an instruction
                // that fails for memory is retried, and must find it unmoved.
                let next = cur.checked_add(step).unwrap_or(stop);
                let item = self.int_value(cur)?;
                let next = self.int_value(next)?;
                self.heap.set_slot(r, 0, next);
                Ok(Some(item))
            }
            Kind::SeqIter => self.seq_iter_next(r),
            Kind::Generator => self.resume(it, Value::NONE, None),
            Kind::Adapter => {
                // Adapters over adapters recurse natively (zip(enumerate(...))).
                self.enter_native()?;
                let r = self.adapter_next(r);
                self.native_depth -= 1;
                r
            }
            Kind::Instance => match self.call_dunder(it, crate::qstr::q::__next__, &[])? {
                Some(v) => Ok(Some(v)),
                None => Err(self.raise(TypeId::TypeError, "object isn't an iterator")),
            },
            _ => Err(self.raise(TypeId::TypeError, "object isn't an iterator")),
        }
    }

    fn seq_iter_next(&mut self, r: ObjRef) -> PyResult<Option<Value>> {
        let seq = self.heap.slot(r, 0);
        let i = int_slot(self, r, 1) as usize;
        let (item, next) = if let Some(s) = self.str_bytes(seq) {
            if i >= s.len() {
                return Ok(None);
            }
            let n = crate::objects::str::char_len(s[i]);
            let end = (i + n).min(s.len());
            let mut ch = [0u8; 4];
            ch[..end - i].copy_from_slice(&s[i..end]);
            (self.new_str(&ch[..end - i])?, end)
        } else {
            // Spent and pooled (seen again only by a damaged .mpy's code).
            let Some(seq_ref) = seq.as_obj() else { return Ok(None) };
            let item = match self.heap.kind(seq_ref) {
                Kind::List => list::items(&self.heap, seq_ref).get(i).copied(),
                Kind::Tuple => tuple::items(&self.heap, seq_ref).get(i).copied(),
                Kind::Bytes => self.heap.bytes(seq_ref).get(i).map(|&b| Value::small_int(b as isize)),
                Kind::ByteArray => self.bytearray_data(seq_ref).get(i).map(|&b| Value::small_int(b as isize)),
                Kind::Array | Kind::MemoryView if crate::features::ARRAY => {
                    if i >= self.typed_len(seq_ref) {
                        return Ok(None);
                    }
                    let data = self.typed_data(seq_ref).to_vec();
                    let v = self.read_item(self.typecode(seq_ref), &data, i)?;
                    self.heap.set_slot(r, 1, Value::small_int(i as isize + 1));
                    return Ok(Some(v));
                }
                Kind::Dict | Kind::Set | Kind::FrozenSet | Kind::DictView => {
                    let view = self.heap.kind(seq_ref) == Kind::DictView;
                    let d = if view { self.dict_view_parts(seq_ref).0 } else { seq_ref };
                    let e = dict::raw_entries(&self.heap, d);
                    let mut j = i;
                    while j * 2 < e.len() && e[j * 2].is_null() {
                        j += 1;
                    }
                    let Some(&key) = e.get(j * 2) else { return Ok(None) };
                    // A view's item (a new pair for items()) before the move.
                    let item = if view { self.dict_view_item(seq_ref, j)? } else { key };
                    self.heap.set_slot(r, 1, Value::small_int(j as isize + 1));
                    return Ok(Some(item));
                }
                _ => None,
            };
            match item {
                Some(v) => (v, i + 1),
                None => return Ok(None),
            }
        };
        self.heap.set_slot(r, 1, Value::small_int(next as isize));
        Ok(Some(item))
    }
}

/// Length of the UTF-8 sequence that starts with byte `b`.
pub fn utf8_len(b: u8) -> usize {
    match b {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// Tags of `Kind::Adapter`.
pub mod adapter {
    /// `[tag, iterator, next index]`
    pub const ENUMERATE: isize = 0;
    /// `[tag, tuple of iterators, _]`
    pub const ZIP: isize = 1;
    /// `[tag, function, tuple of iterators]`
    pub const MAP: isize = 2;
    /// `[tag, function or None, iterator]`
    pub const FILTER: isize = 3;
    /// `[tag, sequence, next index (counting down)]`
    pub const REVERSED: isize = 4;
    /// `iter(f, sentinel)`: `[tag, function (None when done), sentinel]`
    pub const CALL_UNTIL: isize = 5;
    /// The old protocol, `__getitem__` from 0 until IndexError:
    /// `[tag, object, next index]`
    pub const GETITEM: isize = 6;
}

impl Vm {
    pub fn new_adapter(&mut self, tag: isize, a: Value, b: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::Adapter, 3)?;
        self.heap.set_slot(r, 0, Value::small_int(tag));
        self.heap.set_slot(r, 1, a);
        self.heap.set_slot(r, 2, b);
        Ok(Value::obj(r))
    }

    /// Next items of each iterator in a tuple, or `None` when one runs out.
    /// The next item of each iterator in `iters`, as a new tuple; `None`
    /// once one is exhausted. The tuple is made first and holds each item
    /// as it comes: the next iterator may run Python code that collects,
    /// and once an item is taken nothing may fail for memory (the failing
    /// instruction would be retried and the item lost).
    fn next_of_each(&mut self, iters: Value) -> PyResult<Option<Value>> {
        let n = self.seq_items(iters).map_or(0, |s| s.len());
        if n == 0 {
            return Ok(None); // zip() and map(f) yield nothing
        }
        let t = self.heap.alloc_values(Kind::Tuple, n)?;
        self.heap.slots_mut(t, 0, n).fill(Value::NONE);
        self.with_root(Value::obj(t), |vm| {
            for i in 0..n {
                let it = vm.seq_items(iters).map_or(Value::NONE, |s| s[i]);
                // Items already taken from the iterators before this one
                // would be lost by a retried instruction.
                match vm.next_after_collect(it, true)? {
                    Some(v) => vm.heap.set_slot(t, i, v),
                    None => return Ok(None),
                }
            }
            Ok(Some(Value::obj(t)))
        })
    }

    fn adapter_next(&mut self, r: ObjRef) -> PyResult<Option<Value>> {
        let (a, b) = (self.heap.slot(r, 1), self.heap.slot(r, 2));
        // enumerate, filter and reversed come with builtins-extra: without
        // it, no adapter has their tags.
        let extra = cfg!(feature = "builtins-extra");
        match self.heap.slot(r, 0).as_small_int().unwrap_or(-1) {
            adapter::ENUMERATE if extra => {
                // The pair is made before the item is taken (see next_of_each).
                let i = b.as_small_int().unwrap_or(0);
                let t = self.new_tuple(&[Value::small_int(i), Value::NONE])?;
                let Some(v) = self.with_root(t, |vm| vm.next_raw(a))? else { return Ok(None) };
                self.heap.set_slot(t.as_obj().expect("tuple"), 1, v);
                self.heap.set_slot(r, 2, Value::small_int(i + 1));
                Ok(Some(t))
            }
            adapter::ZIP => self.next_of_each(a),
            adapter::MAP => match self.next_of_each(b)? {
                Some(t) => {
                    let args = self.seq_items(t).map(|s| s.to_vec()).unwrap_or_default();
                    self.with_root(t, |vm| vm.call(a, &args)).map(Some)
                }
                None => Ok(None),
            },
            adapter::FILTER if extra => loop {
                let Some(v) = self.next_raw(b)? else { return Ok(None) };
                // The item is only in a Rust local while the predicate runs.
                let keep = self.with_root(v, |vm| if a.is_none() { vm.truthy(v) } else { vm.call(a, &[v]).and_then(|t| vm.truthy(t)) })?;
                if keep {
                    return Ok(Some(v));
                }
            },
            // Made by iter(f, sentinel) (core-features) and for streams.
            adapter::CALL_UNTIL if crate::features::STREAMS => {
                if a.is_none() {
                    return Ok(None);
                }
                let v = self.call(a, &[])?;
                if self.with_root(v, |vm| vm.values_eq(v, b))? {
                    self.heap.set_slot(r, 1, Value::NONE);
                    return Ok(None);
                }
                Ok(Some(v))
            }
            adapter::GETITEM => {
                let i = b.as_small_int().unwrap_or(0);
                match self.subscr(a, Value::small_int(i)) {
                    Ok(v) => {
                        self.heap.set_slot(r, 2, Value::small_int(i + 1));
                        Ok(Some(v))
                    }
                    Err(e) if self.caught(e, TypeId::IndexError) || self.caught(e, TypeId::StopIteration) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            adapter::REVERSED if extra => {
                let i = b.as_small_int().unwrap_or(0);
                if i < 0 {
                    return Ok(None);
                }
                let v = self.subscr(a, Value::small_int(i))?;
                self.heap.set_slot(r, 2, Value::small_int(i - 1));
                Ok(Some(v))
            }
            _ => Ok(None),
        }
    }
}
