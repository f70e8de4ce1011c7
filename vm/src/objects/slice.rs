//! `slice` objects and what subscripting with one does to sequences.

use crate::error::{PyErr, PyResult};
use crate::objects::{list, Kind, TypeId};
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

/// A slice resolved against a sequence length: the positions it selects are
/// `start, start + step, ...`, `count` of them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: isize,
    pub step: isize,
    pub count: usize,
    /// The clamped stop index, as `slice.indices` gives it.
    pub stop: isize,
}

impl Span {
    pub fn positions(self) -> impl Iterator<Item = usize> {
        (0..self.count).map(move |i| (self.start + i as isize * self.step) as usize)
    }
}

impl Vm {
    pub fn new_slice(&mut self, start: Value, stop: Value, step: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::Slice, 3)?;
        for (i, v) in [start, stop, step].into_iter().enumerate() {
            self.heap.set_slot(r, i, v);
        }
        Ok(Value::obj(r))
    }

    /// The VM's one scratch slice, holding `bounds`, for a subscript that
    /// slices a builtin sequence straight away and can run no Python code
    /// that might slice too (bounds small ints or None; the value stored, if
    /// any, a builtin sequence): `b[i:j]` and `b[i:j] = x` then allocate
    /// nothing, as MicroPython's slices on the C stack.
    pub(crate) fn scratch_slice(&mut self, target: Value, value: Option<Value>, bounds: [Value; 3]) -> Option<Value> {
        let builtin =
            |k| matches!(k, Some(Kind::List | Kind::Tuple | Kind::Str | Kind::Bytes | Kind::ByteArray | Kind::MemoryView | Kind::Array));
        if !builtin(self.kind_of(target))
            || value.is_some_and(|v| !builtin(self.kind_of(v)))
            || !bounds.iter().all(|b| b.is_none() || b.as_small_int().is_some())
        {
            return None;
        }
        let r = self.scratch_slice.as_obj()?;
        for (i, v) in bounds.into_iter().enumerate() {
            self.heap.set_slot(r, i, v);
        }
        Some(self.scratch_slice)
    }

    pub fn is_slice(&self, v: Value) -> bool {
        crate::features::SLICE && self.kind_of(v) == Some(Kind::Slice)
    }

    /// Python's `slice.indices(len)`, as a span.
    pub fn slice_span(&mut self, s: ObjRef, len: usize) -> PyResult<Span> {
        let mut part = [None; 3];
        for (i, p) in part.iter_mut().enumerate() {
            let v = self.heap.slot(s, i);
            if v.is_none() {
                continue;
            }
            match self.as_int(v) {
                Some(n) => *p = Some(n as isize),
                None => return Err(self.raise(TypeId::TypeError, "slice indices must be integers or None")),
            }
        }
        let step = part[2].unwrap_or(1);
        if step == 0 {
            return Err(self.raise(TypeId::ValueError, "slice step can't be zero"));
        }
        let len = len as isize;
        let (lower, upper) = if step > 0 { (0, len) } else { (-1, len - 1) };
        let clamp = |v: Option<isize>, default: isize| match v {
            None => default,
            Some(v) if v < 0 => (v + len).max(lower),
            Some(v) => v.min(upper),
        };
        let start = clamp(part[0], if step > 0 { lower } else { upper });
        let stop = clamp(part[1], if step > 0 { upper } else { lower });
        let count = if step > 0 { (stop - start + step - 1) / step } else { (start - stop - step - 1) / -step };
        Ok(Span { start, step, count: count.max(0) as usize, stop })
    }

    /// `seq[slice]` for str, bytes, list, tuple and range.
    pub fn get_slice(&mut self, seq: Value, s: ObjRef) -> PyResult<Value> {
        if let Some(text) = self.str_bytes(seq) {
            // Slice by character. No table of where each one starts: a
            // long string would need more memory for it than for itself.
            let n = crate::runtime::strformat::char_count(text);
            let span = self.slice_span(s, n)?;
            let text = self.str_bytes(seq).unwrap_or(&[]);
            let mut out: Vec<u8> = Vec::new();
            // A cursor (character, byte) walked to each character the
            // slice takes, in its order, forwards or backwards.
            let follows = |i: usize| i < text.len() && !crate::objects::str::starts_char(text[i]);
            let (mut ci, mut bi) = (0usize, 0usize);
            for p in span.positions() {
                while ci != p {
                    if ci < p {
                        bi += 1;
                        while follows(bi) {
                            bi += 1;
                        }
                        ci += 1;
                    } else {
                        bi -= 1;
                        while follows(bi) {
                            bi -= 1;
                        }
                        ci -= 1;
                    }
                }
                let mut end = bi + 1;
                while follows(end) {
                    end += 1;
                }
                out.try_reserve(end - bi).map_err(|_| PyErr::NoMemory)?;
                out.extend_from_slice(&text[bi..end]);
            }
            return self.new_str(&out);
        }
        let r = seq.as_obj().expect("checked by the caller");
        match self.heap.kind(r) {
            Kind::Bytes => {
                let span = self.slice_span(s, self.heap.len(r))?;
                let mut out: Vec<u8> = Vec::new();
                out.try_reserve(span.count).map_err(|_| PyErr::NoMemory)?;
                out.extend(span.positions().map(|p| self.heap.bytes(r)[p]));
                self.new_bytes(&out)
            }
            Kind::ByteArray => {
                let span = self.slice_span(s, self.bytearray_data(r).len())?;
                let mut out: Vec<u8> = Vec::new();
                out.try_reserve(span.count).map_err(|_| PyErr::NoMemory)?;
                out.extend(span.positions().map(|p| self.bytearray_data(r)[p]));
                self.new_bytearray(&out)
            }
            Kind::List | Kind::Tuple => {
                let n = self.seq_items(seq).map_or(0, |i| i.len());
                let span = self.slice_span(s, n)?;
                let mut out: Vec<Value> = Vec::new();
                out.try_reserve(span.count).map_err(|_| PyErr::NoMemory)?;
                let items = self.seq_items(seq).unwrap_or(&[]);
                out.extend(span.positions().map(|p| items[p]));
                if self.heap.kind(r) == Kind::List {
                    self.new_list(&out)
                } else {
                    self.new_tuple(&out)
                }
            }
            Kind::Range => {
                let (start, _, step) = self.range_parts(r);
                let span = self.slice_span(s, self.range_len(r))?;
                let at = |i: isize| start.wrapping_add((i as i64).wrapping_mul(step));
                let Some(new_step) = step.checked_mul(span.step as i64) else {
                    return Err(self.raise(TypeId::OverflowError, "range step too large"));
                };
                self.new_range(at(span.start), at(span.stop), new_step)
            }
            _ => Err(self.raise(TypeId::TypeError, "object isn't subscriptable")),
        }
    }

    /// `lst[slice] = iterable`: with step 1 the lengths may differ.
    pub fn set_list_slice(&mut self, l: ObjRef, s: ObjRef, value: Value) -> PyResult<()> {
        // Materialise the new items first (the value may be the list itself);
        // once they are in a Rust vector no Python runs, so no collection.
        // A list or tuple is copied as it is (no Python list made: this
        // works with the heap locked).
        let fresh = match self.kind_of(value) {
            Some(Kind::List | Kind::Tuple) => value,
            _ => self.list_from_iter(value)?,
        };
        let items = self.seq_items(fresh).unwrap_or(&[]);
        let mut new: Vec<Value> = Vec::new();
        new.try_reserve(items.len()).map_err(|_| PyErr::NoMemory)?;
        new.extend_from_slice(items);
        let len = list::len(&self.heap, l);
        let span = self.slice_span(s, len)?;
        if span.step != 1 {
            if new.len() != span.count {
                return Err(self.raise(TypeId::ValueError, "attempt to assign sequence of wrong size to extended slice"));
            }
            for (p, v) in span.positions().zip(new) {
                list::items_mut(&mut self.heap, l)[p] = v;
            }
            return Ok(());
        }
        let start = span.start.max(0) as usize;
        let end = start + span.count;
        let mut items: Vec<Value> = Vec::new();
        items.try_reserve(len - span.count + new.len()).map_err(|_| PyErr::NoMemory)?;
        let old = list::items(&self.heap, l);
        items.extend_from_slice(&old[..start]);
        items.extend_from_slice(&new);
        items.extend_from_slice(&old[end..]);
        self.list_replace(l, &items)
    }

    /// `del lst[slice]`.
    pub fn delete_list_slice(&mut self, l: ObjRef, s: ObjRef) -> PyResult<()> {
        let len = list::len(&self.heap, l);
        let span = self.slice_span(s, len)?;
        let mut keep: Vec<Value> = Vec::new();
        keep.try_reserve(len).map_err(|_| PyErr::NoMemory)?;
        // Slice positions run one way: with a negative step, take them from the other end.
        let (first, step) = if span.count == 0 || span.step > 0 {
            (span.start, span.step)
        } else {
            (span.start + (span.count as isize - 1) * span.step, -span.step)
        };
        for (i, &v) in list::items(&self.heap, l).iter().enumerate() {
            let k = i as isize - first;
            let doomed = k >= 0 && k % step == 0 && ((k / step) as usize) < span.count;
            if !doomed {
                keep.push(v);
            }
        }
        self.list_replace(l, &keep)
    }
}

/// `slice.indices(length)`: (start, stop, step) resolved against a length.
pub fn indices(vm: &mut Vm, args: crate::runtime::call::Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 2, 2)?;
    let Some(s) = args.pos[0].as_obj().filter(|&r| vm.heap.kind(r) == Kind::Slice) else {
        return Err(vm.raise(TypeId::TypeError, "expected a slice"));
    };
    let len = match vm.as_int(args.pos[1]) {
        Some(n) if n >= 0 => n as usize,
        Some(_) => return Err(vm.raise(TypeId::ValueError, "length should not be negative")),
        None => return Err(vm.raise(TypeId::TypeError, "expected an int")),
    };
    let span = vm.slice_span(s, len)?;
    vm.new_tuple(&[Value::small_int(span.start), Value::small_int(span.stop), Value::small_int(span.step)])
}
