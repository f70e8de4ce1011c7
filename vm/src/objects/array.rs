//! `array.array` and `memoryview`: typed views of raw bytes.
//!
//! An array is `[typecode, bytearray]`: its items live little-endian in a
//! bytearray, so growth, slicing storage and `bytes(a)` come for free. A
//! memoryview is `[object, start, count, typecode]` over a bytes, bytearray
//! or array; it copies nothing and writes through to mutable objects.

use crate::error::{PyErr, PyResult, TryToVec};
use crate::modules::builtins::arity;
use crate::objects::bignum::Big;
use crate::objects::fmath::Float;
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

pub fn itemsize(tc: u8) -> Option<usize> {
    Some(match tc {
        b'b' | b'B' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'l' | b'L' | b'f' => 4,
        b'q' | b'Q' | b'd' => 8,
        _ => return None,
    })
}

impl Vm {
    pub fn new_array(&mut self, tc: u8, data: &[u8]) -> PyResult<Value> {
        let ba = self.new_bytearray(data)?;
        self.with_root(ba, |vm| {
            let r = vm.heap.alloc_values(Kind::Array, 2)?;
            vm.heap.set_slot(r, 0, Value::small_int(tc as isize));
            vm.heap.set_slot(r, 1, ba);
            Ok(Value::obj(r))
        })
    }

    /// An array's or memoryview's typecode.
    pub(crate) fn typecode(&self, r: ObjRef) -> u8 {
        let slot = if self.heap.kind(r) == Kind::Array { 0 } else { 3 };
        self.heap.slot(r, slot).as_small_int().unwrap_or(b'B' as isize) as u8
    }

    pub(crate) fn array_storage(&self, r: ObjRef) -> ObjRef {
        self.heap.slot(r, 1).as_obj().expect("array storage")
    }

    /// Where a writable buffer's bytes are: the heap bytes object holding
    /// them and the byte range this object sees (a bytearray, an array, or
    /// a memoryview of either); `None` for read-only and non-buffer
    /// objects. Valid until the next allocation (a bytearray may move its
    /// bytes when it grows).
    pub(crate) fn writable_span(&self, v: Value) -> Option<(ObjRef, usize, usize)> {
        let r = v.as_obj()?;
        match self.heap.kind(r) {
            // An empty bytearray may have no storage yet: an empty span.
            Kind::ByteArray => Some(match self.heap.slot(r, 1).as_obj() {
                Some(buf) => (buf, 0, self.bytearray_data(r).len()),
                None => (r, 0, 0),
            }),
            Kind::Array if crate::features::ARRAY => self.writable_span(Value::obj(self.array_storage(r))),
            Kind::MemoryView if crate::features::ARRAY => {
                let isz = itemsize(self.typecode(r)).unwrap_or(1);
                let (store, base, len) = self.writable_span(self.heap.slot(r, 0))?;
                let start = self.heap.slot(r, 1).as_small_int().unwrap_or(0) as usize * isz;
                let n = self.heap.slot(r, 2).as_small_int().unwrap_or(0) as usize * isz;
                let a = start.min(len);
                Some((store, base + a, n.min(len - a)))
            }
            _ => None,
        }
    }

    /// Copies `data` to the start of a span from `writable_span`, as far as
    /// it reaches; returns the count.
    pub(crate) fn fill_span(&mut self, (store, at, len): (ObjRef, usize, usize), data: &[u8]) -> usize {
        let n = data.len().min(len);
        if n > 0 {
            self.heap.bytes_mut(store)[at..at + n].copy_from_slice(&data[..n]);
        }
        n
    }

    /// The bytes a memoryview sees.
    pub(crate) fn memoryview_data(&self, r: ObjRef) -> &[u8] {
        let obj = self.heap.slot(r, 0);
        let isz = itemsize(self.typecode(r)).unwrap_or(1);
        let start = self.heap.slot(r, 1).as_small_int().unwrap_or(0) as usize;
        let n = self.heap.slot(r, 2).as_small_int().unwrap_or(0) as usize;
        let all = self.bytes_payload(obj).unwrap_or(&[]);
        let a = (start * isz).min(all.len());
        let b = ((start + n) * isz).min(all.len());
        &all[a..b]
    }

    /// Reads item `i` of typecode `tc` from `data`.
    pub(crate) fn read_item(&mut self, tc: u8, data: &[u8], i: usize) -> PyResult<Value> {
        let isz = itemsize(tc).unwrap_or(1);
        let raw = &data[i * isz..(i + 1) * isz];
        match tc {
            b'f' => self.new_float(f32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as Float),
            b'd' => {
                let mut b = [0u8; 8];
                b.copy_from_slice(raw);
                self.new_float(f64::from_le_bytes(b) as Float)
            }
            _ => {
                let raw = raw.to_vec();
                let big = Big::from_bytes_le(&raw, tc.is_ascii_lowercase())?;
                self.new_int_big(big)
            }
        }
    }

    /// The bytes of `v` stored as typecode `tc` (ints wrap, as MicroPython).
    pub(crate) fn item_bytes(&mut self, tc: u8, v: Value) -> PyResult<Vec<u8>> {
        let isz = itemsize(tc).unwrap_or(1);
        match tc {
            b'f' | b'd' => {
                let Some(x) = self.as_number(v) else { return Err(self.raise(TypeId::TypeError, "can't convert to float")) };
                // (Float is f32 or f64: one of these casts is the identity.)
                #[allow(clippy::unnecessary_cast)]
                Ok(if tc == b'f' { (x as f32).to_le_bytes().to_vec() } else { (x as f64).to_le_bytes().to_vec() })
            }
            _ => {
                let Some(b) = self.as_big(v)? else { return Err(self.raise(TypeId::TypeError, "can't convert to int")) };
                let mut wide = b.to_bytes_le(isz + 8, true)?.unwrap_or_default();
                wide.truncate(isz);
                Ok(wide)
            }
        }
    }

    pub(crate) fn write_array_repr(&mut self, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
        let tc = self.typecode(r);
        put(out, b"array('")?;
        put(out, &[tc])?;
        put(out, b"'")?;
        let data = self.bytearray_data(self.array_storage(r)).to_vec();
        let isz = itemsize(tc).unwrap_or(1);
        if !data.is_empty() {
            put(out, b", [")?;
            for i in 0..data.len() / isz {
                if i > 0 {
                    put(out, b", ")?;
                }
                let v = self.read_item(tc, &data, i)?;
                self.write_repr(v, out)?;
            }
            put(out, b"]")?;
        }
        put(out, b")")
    }

    /// `array(tc[, init])`.
    pub(crate) fn construct_array(&mut self, args: &Args) -> PyResult<Value> {
        arity(self, args, 1, 2)?;
        let tc = match self.str_bytes(args.pos[0]) {
            Some(&[c]) if itemsize(c).is_some() => c,
            _ => return Err(self.raise(TypeId::ValueError, "bad typecode")),
        };
        let Some(&init) = args.pos.get(1) else { return self.new_array(tc, &[]) };
        if let Some(b) = self.bytes_payload(init).filter(|_| self.kind_of(init) != Some(Kind::Array)) {
            // Raw machine values, as the buffer protocol gives them.
            let b = b.try_to_vec()?;
            return self.new_array(tc, &b);
        }
        let mut data = Vec::new();
        self.for_each(init, |vm, v| {
            let b = vm.item_bytes(tc, v)?;
            data.try_reserve(b.len()).map_err(|_| PyErr::NoMemory)?;
            data.extend_from_slice(&b);
            Ok(true)
        })?;
        self.new_array(tc, &data)
    }

    /// `memoryview(obj)`.
    pub(crate) fn construct_memoryview(&mut self, args: &Args) -> PyResult<Value> {
        arity(self, args, 1, 1)?;
        let mut obj = args.pos[0];
        let (start, tc) = match self.kind_of(obj) {
            Some(Kind::MemoryView) => {
                let r = obj.as_obj().expect("memoryview");
                let s = self.heap.slot(r, 1).as_small_int().unwrap_or(0);
                let tc = self.typecode(r);
                obj = self.heap.slot(r, 0);
                (s, tc)
            }
            Some(Kind::Array) => (0, self.typecode(obj.as_obj().expect("array"))),
            Some(Kind::Bytes | Kind::ByteArray) => (0, b'B'),
            _ => return Err(self.raise(TypeId::TypeError, "object with buffer protocol required")),
        };
        let n = match self.kind_of(args.pos[0]) {
            Some(Kind::MemoryView) => self.heap.slot(args.pos[0].as_obj().expect("memoryview"), 2).as_small_int().unwrap_or(0),
            _ => (self.bytes_payload(obj).map_or(0, |b| b.len()) / itemsize(tc).unwrap_or(1)) as isize,
        };
        self.new_memoryview(obj, start, n, tc)
    }

    pub(crate) fn new_memoryview(&mut self, obj: Value, start: isize, n: isize, tc: u8) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::MemoryView, 4)?;
        self.heap.set_slot(r, 0, obj);
        self.heap.set_slot(r, 1, Value::small_int(start));
        self.heap.set_slot(r, 2, Value::small_int(n));
        self.heap.set_slot(r, 3, Value::small_int(tc as isize));
        Ok(Value::obj(r))
    }

    /// Item count of an array or memoryview.
    /// `==` with an array on either side: as in CPython, only another array
    /// can be equal; same-sized integer typecodes compare as bytes, others
    /// item by item.
    pub(crate) fn arrays_equal(&mut self, a: Value, b: Value) -> PyResult<bool> {
        let (Some(x), Some(y)) = (a.as_obj(), b.as_obj()) else { return Ok(false) };
        if self.heap.kind(x) != Kind::Array || self.heap.kind(y) != Kind::Array {
            return Ok(false);
        }
        let (tx, ty) = (self.typecode(x), self.typecode(y));
        if tx.eq_ignore_ascii_case(&ty) && !matches!(tx, b'f' | b'd') {
            return Ok(self.typed_data(x) == self.typed_data(y));
        }
        let n = self.typed_len(x);
        if n != self.typed_len(y) {
            return Ok(false);
        }
        for i in 0..n {
            let i = Value::small_int(i as isize);
            let u = self.typed_subscr(x, i)?;
            let v = self.with_root(u, |vm| vm.typed_subscr(y, i))?;
            if !self.values_eq(u, v)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(crate) fn typed_len(&self, r: ObjRef) -> usize {
        let isz = itemsize(self.typecode(r)).unwrap_or(1);
        match self.heap.kind(r) {
            Kind::Array => self.bytearray_data(self.array_storage(r)).len() / isz,
            _ => self.heap.slot(r, 2).as_small_int().unwrap_or(0) as usize,
        }
    }

    /// `a[i]` for arrays and memoryviews (`idx` an int or a slice).
    pub(crate) fn typed_subscr(&mut self, r: ObjRef, idx: Value) -> PyResult<Value> {
        let tc = self.typecode(r);
        let isz = itemsize(tc).unwrap_or(1);
        let n = self.typed_len(r);
        if let Some(s) = idx.as_obj().filter(|_| self.is_slice(idx)) {
            let span = self.slice_span(s, n)?;
            if self.heap.kind(r) == Kind::MemoryView && span.step == 1 {
                let obj = self.heap.slot(r, 0);
                let start = self.heap.slot(r, 1).as_small_int().unwrap_or(0);
                return self.new_memoryview(obj, start + span.start, span.count as isize, tc);
            }
            let data = self.typed_data(r).to_vec();
            let mut out = Vec::new();
            for p in span.positions() {
                out.extend_from_slice(&data[p * isz..(p + 1) * isz]);
            }
            return self.new_array(tc, &out);
        }
        let what = if self.heap.kind(r) == Kind::Array { "array" } else { "memoryview" };
        let i = self.index(n, idx, what)?;
        let data = self.typed_data(r).to_vec();
        self.read_item(tc, &data, i)
    }

    pub(crate) fn typed_data(&self, r: ObjRef) -> &[u8] {
        match self.heap.kind(r) {
            Kind::Array => self.bytearray_data(self.array_storage(r)),
            _ => self.memoryview_data(r),
        }
    }

    /// `a[i] = v` and `a[i:j] = values` for arrays and memoryviews.
    pub(crate) fn typed_store(&mut self, r: ObjRef, idx: Value, value: Value) -> PyResult<()> {
        let tc = self.typecode(r);
        let isz = itemsize(tc).unwrap_or(1);
        let n = self.typed_len(r);
        // Where the bytes live, and where this object's item 0 is in them.
        let (store, base) = match self.heap.kind(r) {
            Kind::Array => (self.array_storage(r), 0),
            _ => {
                let obj = self.heap.slot(r, 0);
                let start = self.heap.slot(r, 1).as_small_int().unwrap_or(0) as usize;
                match self.kind_of(obj) {
                    Some(Kind::ByteArray) => (obj.as_obj().expect("bytearray"), start * isz),
                    Some(Kind::Array) => (self.array_storage(obj.as_obj().expect("array")), start * isz),
                    _ => return Err(self.raise(TypeId::TypeError, "'memoryview' object doesn't support item assignment")),
                }
            }
        };
        let total = self.bytearray_data(store).len();
        let mut data = self.bytearray_data(store).try_to_vec()?;
        if let Some(s) = idx.as_obj().filter(|_| self.is_slice(idx)) {
            let span = self.slice_span(s, n)?;
            let src: Vec<u8> = match self.bytes_payload(value) {
                Some(b) => b.to_vec(),
                None => {
                    let mut v = Vec::new();
                    self.for_each(value, |vm, x| {
                        let b = vm.item_bytes(tc, x)?;
                        v.extend_from_slice(&b);
                        Ok(true)
                    })?;
                    v
                }
            };
            if self.heap.kind(r) == Kind::Array && span.step == 1 {
                // Arrays may change length.
                let a = span.start as usize * isz;
                return self.bytearray_splice(store, a, a + span.count * isz, &src);
            }
            if src.len() != span.count * isz {
                return Err(self.raise(TypeId::ValueError, "memoryview slice assignment has wrong size"));
            }
            for (k, p) in span.positions().enumerate() {
                data[base + p * isz..base + (p + 1) * isz].copy_from_slice(&src[k * isz..(k + 1) * isz]);
            }
        } else {
            let i = self.index(n, idx, "array")?;
            let b = self.item_bytes(tc, value)?;
            data[base + i * isz..base + (i + 1) * isz].copy_from_slice(&b);
        }
        self.bytearray_splice(store, 0, total, &data)
    }
}

fn this_array(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().and_then(|v| v.as_obj()).filter(|&r| vm.heap.kind(r) == Kind::Array) {
        Some(r) => Ok(r),
        None => Err(vm.raise(TypeId::TypeError, "expected an array")),
    }
}

pub fn append(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this_array(vm, &args)?;
    let b = vm.item_bytes(vm.typecode(r), args.pos[1])?;
    let s = vm.array_storage(r);
    let n = vm.bytearray_data(s).len();
    vm.bytearray_splice(s, n, n, &b)?;
    Ok(Value::NONE)
}

pub fn extend(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let r = this_array(vm, &args)?;
    let tc = vm.typecode(r);
    let mut add = Vec::new();
    if let Some(o) = args.pos[1].as_obj().filter(|&o| vm.heap.kind(o) == Kind::Array) {
        add.extend_from_slice(vm.bytearray_data(vm.array_storage(o)));
    } else {
        vm.for_each(args.pos[1], |vm, x| {
            let b = vm.item_bytes(tc, x)?;
            add.extend_from_slice(&b);
            Ok(true)
        })?;
    }
    let s = vm.array_storage(r);
    let n = vm.bytearray_data(s).len();
    vm.bytearray_splice(s, n, n, &add)?;
    Ok(Value::NONE)
}

pub fn construct(vm: &mut Vm, args: Args) -> PyResult<Value> {
    vm.construct_array(&args)
}
