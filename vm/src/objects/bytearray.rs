//! `bytearray`: a mutable byte buffer, `[len, buf]` where `buf` is a bytes
//! object used as raw storage with spare capacity (like a list's
//! `ValArray`), so appends are amortised O(1) without a second allocator.

use crate::error::{PyErr, PyResult, TryToVec};
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

const LEN: usize = 0;
const BUF: usize = 1;

impl Vm {
    pub fn new_bytearray(&mut self, data: &[u8]) -> PyResult<Value> {
        let v = self.new_bytearray_zeroed(data.len())?;
        if let Some(buf) = v.as_obj().and_then(|r| self.heap.slot(r, BUF).as_obj()) {
            self.heap.bytes_mut(buf).copy_from_slice(data);
        }
        Ok(v)
    }

    /// `bytearray(n)`: made in place, with no copy of `n` zeros in the Rust
    /// heap first (a RAM disk's bytearray may be larger than that heap).
    pub(crate) fn new_bytearray_zeroed(&mut self, n: usize) -> PyResult<Value> {
        let buf = self.heap.alloc_bytes(Kind::Bytes, n)?;
        self.heap.bytes_mut(buf).fill(0);
        let buf = Value::obj(buf);
        let r = self.with_root(buf, |vm| Ok(vm.heap.alloc_values(Kind::ByteArray, 2)?))?;
        self.heap.set_slot(r, LEN, Value::small_int(n as isize));
        self.heap.set_slot(r, BUF, buf);
        Ok(Value::obj(r))
    }

    pub(crate) fn bytearray_data(&self, r: ObjRef) -> &[u8] {
        let n = self.heap.slot(r, LEN).as_small_int().unwrap_or(0) as usize;
        match self.heap.slot(r, BUF).as_obj() {
            Some(b) => &self.heap.bytes(b)[..n],
            None => &[],
        }
    }

    /// Replaces bytes `start..end` with `new`, growing the storage as needed.
    pub(crate) fn bytearray_splice(&mut self, r: ObjRef, start: usize, end: usize, new: &[u8]) -> PyResult<()> {
        let len = self.bytearray_data(r).len();
        let new_len = len - (end - start) + new.len();
        let buf = self.heap.slot(r, BUF).as_obj().expect("bytearray storage");
        let cap = self.heap.len(buf);
        if new_len > cap {
            let grown = self.heap.alloc_bytes(Kind::Bytes, new_len.max(cap + cap / 2).max(8))?;
            self.heap.copy_bytes(buf, grown, len);
            self.heap.set_slot(r, BUF, Value::obj(grown));
        }
        let buf = self.heap.slot(r, BUF).as_obj().expect("bytearray storage");
        let b = self.heap.bytes_mut(buf);
        b.copy_within(end..len, start + new.len());
        b[start..start + new.len()].copy_from_slice(new);
        self.heap.set_slot(r, LEN, Value::small_int(new_len as isize));
        Ok(())
    }

    /// A byte value for storing into a bytearray.
    pub(crate) fn byte_value(&mut self, v: Value) -> PyResult<u8> {
        match self.as_int(v) {
            Some(i) if (0..256).contains(&i) => Ok(i as u8),
            Some(_) => Err(self.raise(TypeId::ValueError, "bytes must be in range(0, 256)")),
            None => Err(self.raise(TypeId::TypeError, "an integer is required")),
        }
    }

    /// The bytes of `bytes(x)`/`bytearray(x)`: a count of zeros, a str with
    /// an encoding, a bytes-like object or an iterable of ints.
    pub(crate) fn bytes_from(&mut self, args: &Args) -> PyResult<Vec<u8>> {
        let Some(&x) = args.pos.first() else { return Ok(Vec::new()) };
        if let Some(s) = self.str_bytes(x) {
            if args.pos.len() < 2 && args.kwarg(crate::qstr::q::encoding).is_none() {
                return Err(self.raise(TypeId::TypeError, "string argument without an encoding"));
            }
            return s.try_to_vec();
        }
        if args.pos.len() > 1 {
            return Err(self.raise(TypeId::TypeError, "encoding without a string argument"));
        }
        if let Some(b) = self.bytes_payload(x) {
            return b.try_to_vec();
        }
        if let Some(n) = self.as_int(x) {
            if n < 0 {
                return Err(self.raise(TypeId::ValueError, "negative count"));
            }
            let mut v = Vec::new();
            v.try_reserve(n as usize).map_err(|_| PyErr::NoMemory)?;
            v.resize(n as usize, 0);
            return Ok(v);
        }
        if self.is_int(x) {
            return Err(self.raise(TypeId::OverflowError, "overflow converting long int to machine word"));
        }
        let mut out = Vec::new();
        self.for_each(x, |vm, item| {
            let b = vm.byte_value(item)?;
            out.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
            out.push(b);
            Ok(true)
        })?;
        Ok(out)
    }
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().and_then(|v| v.as_obj()).filter(|&r| vm.heap.kind(r) == Kind::ByteArray) {
        Some(r) => Ok(r),
        None => Err(vm.raise(TypeId::TypeError, "expected a bytearray")),
    }
}

pub fn append(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let b = vm.byte_value(args.pos[1])?;
    let n = vm.bytearray_data(r).len();
    vm.bytearray_splice(r, n, n, &[b])?;
    Ok(Value::NONE)
}

pub fn extend(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let add = vm.bytes_from(&Args { pos: &args.pos[1..], kw: &[] })?;
    let n = vm.bytearray_data(r).len();
    vm.bytearray_splice(r, n, n, &add)?;
    Ok(Value::NONE)
}

pub fn pop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let n = vm.bytearray_data(r).len();
    if n == 0 {
        return Err(vm.raise(TypeId::IndexError, "pop from empty list"));
    }
    let i = match args.pos.get(1) {
        Some(&i) => vm.index(n, i, "bytearray")?,
        None => n - 1,
    };
    let b = vm.bytearray_data(r)[i];
    vm.bytearray_splice(r, i, i + 1, &[])?;
    Ok(Value::small_int(b as isize))
}

pub fn insert(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let n = vm.bytearray_data(r).len() as i64;
    let i = vm.as_int(args.pos[1]).unwrap_or(0);
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    let b = vm.byte_value(args.pos[2])?;
    vm.bytearray_splice(r, i, i, &[b])?;
    Ok(Value::NONE)
}

pub fn remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let b = vm.byte_value(args.pos[1])?;
    match vm.bytearray_data(r).iter().position(|&x| x == b) {
        Some(i) => vm.bytearray_splice(r, i, i + 1, &[]).map(|_| Value::NONE),
        None => Err(vm.raise(TypeId::ValueError, "value not found")),
    }
}

pub fn clear(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let n = vm.bytearray_data(r).len();
    vm.bytearray_splice(r, 0, n, &[])?;
    Ok(Value::NONE)
}

pub fn copy(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let data = vm.bytearray_data(r).to_vec();
    vm.new_bytearray(&data)
}

pub fn reverse(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let mut data = vm.bytearray_data(r).to_vec();
    data.reverse();
    let n = data.len();
    vm.bytearray_splice(r, 0, n, &data)?;
    Ok(Value::NONE)
}
