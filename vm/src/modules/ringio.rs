//! `micropython.RingIO`: a fixed-size byte ring for passing data between an
//! interrupt (or scheduled callback) and the program, as a stream: `write`
//! takes what fits, `read`/`readline`/`readinto` take what is there, and
//! `ioctl` answers polls, so asyncio can wait on it. It never allocates
//! once made (the ring is a bytearray, the caller's if given).
//!
//! The instance is `[type, get, ring, put]`: one slot of the ring stays
//! empty so that `get == put` means empty.

use crate::error::PyResult;
use crate::modules::builtins::{arity, size_arg};
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

const GET: usize = 1;
const RING: usize = 2;
const PUT: usize = 3;

impl Vm {
    /// `RingIO(size)` or `RingIO(buffer)`.
    pub(crate) fn construct_ringio(&mut self, args: &Args) -> PyResult<Value> {
        arity(self, args, 1, 1)?;
        let a = args.pos[0];
        let ring = match self.as_int(a) {
            Some(n) if (1..=65534).contains(&n) => {
                let zeros: Vec<u8> = alloc::vec![0; n as usize + 1];
                self.new_bytearray(&zeros)?
            }
            Some(_) => return Err(self.raise(TypeId::ValueError, "invalid size")),
            None if a.is_none() => return Err(self.raise(TypeId::TypeError, "size or buffer required")),
            None => match self.writable_span(a) {
                Some((_, _, len)) if (2..=65535).contains(&len) => a,
                Some(_) => return Err(self.raise(TypeId::ValueError, "invalid buffer size")),
                None => return Err(self.raise(TypeId::TypeError, "a writable buffer is required")),
            },
        };
        self.with_root(ring, |vm| {
            let r = vm.heap.alloc_values(Kind::Instance, 4)?;
            vm.heap.set_slot(r, 0, TypeId::RingIO.value());
            vm.heap.set_slot(r, GET, Value::small_int(0));
            vm.heap.set_slot(r, RING, ring);
            vm.heap.set_slot(r, PUT, Value::small_int(0));
            Ok(Value::obj(r))
        })
    }
}

struct Ring {
    obj: ObjRef,
    storage: ObjRef,
    start: usize,
    size: usize,
    get: usize,
    put: usize,
}

impl Ring {
    fn used(&self) -> usize {
        (self.put + self.size - self.get) % self.size
    }

    fn free(&self) -> usize {
        self.size - 1 - self.used()
    }

    fn store(&self, vm: &mut Vm) {
        vm.heap.set_slot(self.obj, GET, Value::small_int(self.get as isize));
        vm.heap.set_slot(self.obj, PUT, Value::small_int(self.put as isize));
    }

    /// Takes up to `n` bytes, stopping after a newline if `line` (the
    /// caller stores the ring once the result is made: out of memory, the
    /// call is retried and must find the bytes still there).
    fn take(&mut self, vm: &Vm, n: usize, line: bool) -> PyResult<Vec<u8>> {
        let mut out = Vec::new();
        let want = n.min(self.used());
        out.try_reserve_exact(want).map_err(|_| crate::error::PyErr::NoMemory)?;
        let bytes = vm.heap.bytes(self.storage);
        while out.len() < want {
            let b = bytes[self.start + self.get];
            self.get = (self.get + 1) % self.size;
            out.push(b);
            if line && b == b'\n' {
                break;
            }
        }
        Ok(out)
    }
}

fn ring(vm: &mut Vm, args: &Args) -> PyResult<Ring> {
    let obj = args.pos.first().and_then(|v| v.as_obj()).filter(|&r| vm.heap.kind(r) == Kind::Instance && vm.heap.len(r) == 4);
    let Some(obj) = obj else { return Err(vm.raise(TypeId::TypeError, "expected a RingIO")) };
    let Some((storage, start, size)) = vm.writable_span(vm.heap.slot(obj, RING)).filter(|s| s.2 > 0) else {
        return Err(vm.raise(TypeId::ValueError, "RingIO buffer changed size"));
    };
    let get = vm.heap.slot(obj, GET).as_small_int().unwrap_or(0) as usize % size;
    let put = vm.heap.slot(obj, PUT).as_small_int().unwrap_or(0) as usize % size;
    Ok(Ring { obj, storage, start, size, get, put })
}

/// `any()`: bytes waiting to be read.
pub fn any(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = ring(vm, &args)?;
    Ok(Value::small_int(r.used() as isize))
}

pub fn read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut r = ring(vm, &args)?;
    let data = r.take(vm, size_arg(vm, &args, 1), false)?;
    let v = vm.new_bytes(&data)?;
    r.store(vm);
    Ok(v)
}

pub fn readline(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut r = ring(vm, &args)?;
    let data = r.take(vm, size_arg(vm, &args, 1), true)?;
    let v = vm.new_bytes(&data)?;
    r.store(vm);
    Ok(v)
}

pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut r = ring(vm, &args)?;
    let Some((dst, at, room)) = vm.writable_span(args.pos[1]) else {
        return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
    };
    let n = room.min(size_arg(vm, &args, 2)).min(r.used());
    for i in 0..n {
        let b = vm.heap.bytes(r.storage)[r.start + r.get];
        r.get = (r.get + 1) % r.size;
        vm.heap.bytes_mut(dst)[at + i] = b;
    }
    r.store(vm);
    Ok(Value::small_int(n as isize))
}

/// `write(buf)`: as much as fits; returns how much that was.
pub fn write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut r = ring(vm, &args)?;
    let n = match vm.bytes_payload(args.pos[1]) {
        Some(b) => b.len().min(r.free()),
        None => return Err(vm.raise(TypeId::TypeError, "a bytes-like object is required")),
    };
    for i in 0..n {
        let b = vm.bytes_payload(args.pos[1]).map_or(0, |d| d[i]);
        let at = r.start + r.put;
        vm.heap.bytes_mut(r.storage)[at] = b;
        r.put = (r.put + 1) % r.size;
    }
    r.store(vm);
    Ok(Value::small_int(n as isize))
}

/// `ioctl(3, events)` answers polls: readable when bytes wait, writable
/// when there is room.
pub fn ioctl(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = ring(vm, &args)?;
    let req = vm.as_int(args.pos[1]).unwrap_or(0);
    let events = args.pos.get(2).and_then(|&v| vm.as_int(v)).unwrap_or(0) as isize;
    if req != 3 {
        return Ok(Value::small_int(-22));
    }
    let ready = if r.used() > 0 { 0x1 } else { 0 } | if r.free() > 0 { 0x4 } else { 0 };
    Ok(Value::small_int(ready & events))
}

pub fn close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    ring(vm, &args)?;
    Ok(Value::NONE)
}
