//! `deflate.DeflateIO`: a stream that decompresses raw DEFLATE, zlib or
//! gzip data read from another stream, and compresses what is written to
//! it onto that stream, as MicroPython's. The decoder is `inflate.rs`, the
//! encoder `deflate_encode.rs`; this file is the Python object around them.
//!
//! The instance is `[type, stream, state, format, wbits, close, reader,
//! byte, wstate]`. `state` is None until the first read, then a bytes object
//! holding the decoder's state and its window (2^wbits bytes, chosen then:
//! a zlib header may lower it), so the window costs nothing until used and
//! is freed with the stream. `reader` is the source's `readinto` (or
//! `read`) and `byte` the one-byte buffer it reads into: the decoder asks
//! for a byte at a time, so no read takes more of the source than needed.
//! `wstate` is the encoder's state and window, made at the first write.

use crate::error::{PyErr, PyResult};
use crate::modules::builtins::{arity, size_arg};
use crate::modules::deflate_encode::Deflate;
use crate::modules::inflate::{header, Fault, Format, Inflate, Io};
use crate::modules::os::os_error;
use crate::objects::{Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

const STREAM: usize = 1;
const STATE: usize = 2;
const FORMAT: usize = 3;
const WBITS: usize = 4;
const CLOSE: usize = 5;
const READER: usize = 6;
const BYTE: usize = 7;
const WSTATE: usize = 8;
const SLOTS: usize = 9;

const AUTO: i64 = 0;
const RAW: i64 = 1;
const GZIP: i64 = 3;
/// The window when a raw stream's constructor gives no wbits (MicroPython's
/// default: the smallest useful one).
const DEFAULT_WBITS: u8 = 8;
const STATE_LEN: usize = core::mem::size_of::<Inflate>();

const EIO: i32 = 5;
const EAGAIN: i32 = 11;
const EINVAL: i32 = 22;

impl Vm {
    /// `DeflateIO(stream, format=AUTO, wbits=0, close=False)`.
    pub(crate) fn construct_deflateio(&mut self, args: &Args) -> PyResult<Value> {
        arity(self, args, 1, 4)?;
        let int_at = |vm: &Vm, i: usize| args.pos.get(i).map_or(Some(0), |&v| vm.as_int(v));
        let Some(format) = int_at(self, 1).filter(|f| (AUTO..=GZIP).contains(f)) else {
            return Err(self.raise(TypeId::ValueError, "format"));
        };
        let Some(wbits) = int_at(self, 2).filter(|&w| w == 0 || (5..=15).contains(&w)) else {
            return Err(self.raise(TypeId::ValueError, "wbits"));
        };
        let close = match args.pos.get(3) {
            Some(&v) => self.truthy(v)?,
            None => false,
        };
        let r = self.heap.alloc_values(Kind::Instance, SLOTS)?;
        self.heap.set_slot(r, 0, TypeId::DeflateIO.value());
        self.heap.set_slot(r, STREAM, args.pos[0]);
        self.heap.set_slot(r, STATE, Value::NONE);
        self.heap.set_slot(r, FORMAT, Value::small_int(format as isize));
        self.heap.set_slot(r, WBITS, Value::small_int(wbits as isize));
        self.heap.set_slot(r, CLOSE, Value::from_bool(close));
        self.heap.set_slot(r, READER, Value::NONE);
        self.heap.set_slot(r, BYTE, Value::NONE);
        self.heap.set_slot(r, WSTATE, Value::NONE);
        Ok(Value::obj(r))
    }
}

/// The decoder's view of the source stream and of the window.
struct Source<'a> {
    vm: &'a mut Vm,
    me: ObjRef,
}

impl Io for Source<'_> {
    type Err = PyErr;

    fn byte(&mut self) -> PyResult<u8> {
        let vm = &mut *self.vm;
        let (reader, buf) = (vm.heap.slot(self.me, READER), vm.heap.slot(self.me, BYTE));
        // Out of memory, the read is tried again here: the decoder has
        // moved and what it decoded would be lost if the call were retried.
        if let Some(b) = buf.as_obj() {
            // readinto(bytearray(1)): allocates nothing.
            let n = vm.retry_after_collect(Value::NONE, |vm| vm.call(reader, &[buf]))?;
            return match stream_count(vm, n)? {
                0 => Err(vm.raise(TypeId::EOFError, "")),
                _ => Ok(vm.bytearray_data(b)[0]),
            };
        }
        let got = vm.retry_after_collect(Value::NONE, |vm| vm.call(reader, &[Value::small_int(1)]))?;
        match vm.bytes_payload(got).map(|d| d.first().copied()) {
            Some(Some(b)) => Ok(b),
            Some(None) => Err(vm.raise(TypeId::EOFError, "")),
            None => Err(os_error(vm, EAGAIN)),
        }
    }

    fn window(&mut self) -> &mut [u8] {
        match self.vm.heap.slot(self.me, STATE).as_obj() {
            Some(s) => &mut self.vm.heap.bytes_mut(s)[STATE_LEN..],
            None => &mut [],
        }
    }
}

/// What a stream's `readinto`/`write` returned, as MicroPython reads it
/// from a Python stream: None is EAGAIN, a negative number an errno.
fn stream_count(vm: &mut Vm, n: Value) -> PyResult<usize> {
    match vm.as_int(n) {
        Some(n) if n >= 0 => Ok(n as usize),
        Some(n) => Err(os_error(vm, n.unsigned_abs().min(i32::MAX as u64) as i32)),
        None => Err(os_error(vm, EAGAIN)),
    }
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    let me = args
        .pos
        .first()
        .and_then(|v| v.as_obj())
        .filter(|&r| vm.heap.kind(r) == Kind::Instance && vm.heap.len(r) == SLOTS && vm.heap.slot(r, 0) == TypeId::DeflateIO.value());
    me.ok_or_else(|| vm.raise(TypeId::TypeError, "expected a DeflateIO"))
}

/// A heap bytes object holding `state` (plain data) and then a zeroed
/// window of `window` bytes.
fn new_state<T: bytemuck::Pod>(vm: &mut Vm, state: &T, window: usize) -> PyResult<ObjRef> {
    let n = core::mem::size_of::<T>();
    let r = vm.heap.alloc_bytes(Kind::Bytes, n + window)?;
    store(vm, r, state);
    Ok(r)
}

fn load<T: bytemuck::Pod>(vm: &Vm, r: ObjRef) -> T {
    bytemuck::pod_read_unaligned(&vm.heap.bytes(r)[..core::mem::size_of::<T>()])
}

fn store<T: bytemuck::Pod>(vm: &mut Vm, r: ObjRef, state: &T) {
    vm.heap.bytes_mut(r)[..core::mem::size_of::<T>()].copy_from_slice(bytemuck::bytes_of(state));
}

fn fault(vm: &mut Vm, f: Fault<PyErr>) -> PyErr {
    match f {
        Fault::Io(e) => e,
        Fault::Data => os_error(vm, EINVAL),
    }
}

/// Finds the source's reader, reads the zlib/gzip header if there is one,
/// and makes the state and window.
fn start(vm: &mut Vm, me: ObjRef) -> PyResult<()> {
    let stream = vm.heap.slot(me, STREAM);
    // The reader is kept in its slot, which roots it while the buffer is made.
    match vm.load_attr(stream, q::readinto) {
        Ok(m) => {
            vm.heap.set_slot(me, READER, m);
            let b = vm.new_bytearray(&[0])?;
            vm.heap.set_slot(me, BYTE, b);
        }
        Err(e) if !vm.caught(e, TypeId::AttributeError) => return Err(e),
        Err(_) => {
            let m = vm.load_attr(stream, q::read)?;
            vm.heap.set_slot(me, READER, m);
        }
    }
    let format = vm.heap.slot(me, FORMAT).as_small_int().unwrap_or(0) as i64;
    let wbits = vm.heap.slot(me, WBITS).as_small_int().unwrap_or(0) as u8;
    let (format, wbits) = if format == RAW {
        (Format::Raw, if wbits == 0 { DEFAULT_WBITS } else { wbits })
    } else {
        let want = match format {
            AUTO => None,
            GZIP => Some(Format::Gzip),
            _ => Some(Format::Zlib),
        };
        let (f, declared) = header(&mut Source { vm, me }, want).map_err(|e| fault(vm, e))?;
        (f, if wbits == 0 { declared } else { wbits.min(declared) })
    };
    // The header is read by now: collect and try again here if need be.
    let state = vm.retry_after_collect(Value::NONE, |vm| new_state(vm, &Inflate::new(format, wbits), 1 << wbits))?;
    vm.heap.set_slot(me, STATE, Value::obj(state));
    Ok(())
}

/// Up to `max` bytes of output (stopping after a newline if `line`).
fn inflate(vm: &mut Vm, me: ObjRef, max: usize, line: bool) -> PyResult<Vec<u8>> {
    if vm.heap.slot(me, STREAM).is_none() {
        return Err(os_error(vm, EINVAL));
    }
    if vm.heap.slot(me, STATE).is_none() {
        start(vm, me)?;
    }
    let Some(state) = vm.heap.slot(me, STATE).as_obj() else { return Err(os_error(vm, EINVAL)) };
    let mut st: Inflate = load(vm, state);
    let mut out = Vec::new();
    let mut result = Ok(());
    let mut src = Source { vm, me };
    while out.len() < max && !st.done() {
        match st.next(&mut src) {
            Ok(Some(b)) => {
                if out.try_reserve(1).is_err() {
                    result = Err(Fault::Io(PyErr::NoMemory));
                    break;
                }
                out.push(b);
                if line && b == b'\n' {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    store(vm, state, &st);
    if let Err(f) = result {
        // The decoder has moved, so the call is not retried: the error is
        // made here (out of memory: collect, then MemoryError).
        let data = f == Fault::Data;
        let e = fault(vm, f);
        return vm.retry_after_collect(Value::NONE, |vm| {
            Err(match e {
                PyErr::NoMemory if data => os_error(vm, EINVAL),
                e => e,
            })
        });
    }
    Ok(out)
}

// The stream and the decoder have moved once `inflate` returns: the
// result is made here, after a collection if need be, as the call can't
// be retried.

pub fn read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let me = this(vm, &args)?;
    let data = inflate(vm, me, size_arg(vm, &args, 1), false)?;
    vm.retry_after_collect(Value::NONE, |vm| vm.new_bytes(&data))
}

pub fn readline(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let me = this(vm, &args)?;
    let data = inflate(vm, me, size_arg(vm, &args, 1), true)?;
    vm.retry_after_collect(Value::NONE, |vm| vm.new_bytes(&data))
}

/// `readinto(buf[, n])`: fills a bytearray; returns the count.
pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let me = this(vm, &args)?;
    let Some(dst) = args.pos[1].as_obj().filter(|&r| vm.heap.kind(r) == Kind::ByteArray) else {
        return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
    };
    let room = vm.bytearray_data(dst).len().min(size_arg(vm, &args, 2));
    let data = inflate(vm, me, room, false)?;
    vm.bytearray_splice(dst, 0, data.len(), &data)?;
    Ok(Value::small_int(data.len() as isize))
}

/// Hands compressed bytes to the stream's `write`, until it has taken
/// them all. The encoder has moved by now, so out of memory this collects
/// and tries again itself rather than have the call retried.
fn emit(vm: &mut Vm, stream: Value, mut out: &[u8]) -> PyResult<()> {
    while !out.is_empty() {
        let n = vm.retry_after_collect(stream, |vm| {
            let data = vm.new_bytes(out)?;
            let m = vm.with_root(data, |vm| vm.load_attr(stream, q::write))?;
            vm.call(m, &[data])
        })?;
        match stream_count(vm, n)? {
            0 => return Err(os_error(vm, EIO)),
            n => out = &out[n.min(out.len())..],
        }
    }
    Ok(())
}

/// The encoder's state object, made (with the zlib/gzip header's format
/// and the window) at the first write. A write-mode AUTO is RAW.
fn encoder(vm: &mut Vm, me: ObjRef) -> PyResult<ObjRef> {
    if let Some(s) = vm.heap.slot(me, WSTATE).as_obj() {
        return Ok(s);
    }
    let format = match vm.heap.slot(me, FORMAT).as_small_int().unwrap_or(0) as i64 {
        GZIP => Format::Gzip,
        RAW | AUTO => Format::Raw,
        _ => Format::Zlib,
    };
    let wbits = match vm.heap.slot(me, WBITS).as_small_int().unwrap_or(0) as u8 {
        0 => DEFAULT_WBITS,
        w => w,
    };
    let s = new_state(vm, &Deflate::new(format, wbits), 1 << wbits)?;
    vm.heap.set_slot(me, WSTATE, Value::obj(s));
    Ok(s)
}

/// `write(buf)`: compresses `buf` onto the stream; returns its length.
pub fn write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let me = this(vm, &args)?;
    let stream = vm.heap.slot(me, STREAM);
    if stream.is_none() {
        return Err(os_error(vm, EINVAL));
    }
    // Anything with the buffer protocol, str included (as MicroPython).
    let data = vm.bytes_payload(args.pos[1]).or_else(|| vm.str_bytes(args.pos[1]));
    let Some(data) = data.map(|d| d.to_vec()) else {
        return Err(vm.raise(TypeId::TypeError, "a bytes-like object is required"));
    };
    let s = encoder(vm, me)?;
    let mut st: Deflate = load(vm, s);
    let mut out = Vec::new();
    st.write(&mut vm.heap.bytes_mut(s)[core::mem::size_of::<Deflate>()..], &data, &mut out);
    store(vm, s, &st);
    emit(vm, stream, &out)?;
    Ok(Value::small_int(data.len() as isize))
}

/// `close()`: ends the compressed stream if anything was written, frees
/// the windows, and closes the stream too if the constructor was asked to.
pub fn close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let me = this(vm, &args)?;
    let stream = vm.heap.slot(me, STREAM);
    if let Some(s) = vm.heap.slot(me, WSTATE).as_obj().filter(|_| !stream.is_none()) {
        let mut st: Deflate = load(vm, s);
        let mut out = Vec::new();
        st.finish(&mut out);
        vm.heap.set_slot(me, WSTATE, Value::NONE);
        emit(vm, stream, &out)?;
    }
    for slot in [STREAM, STATE, READER, BYTE, WSTATE] {
        vm.heap.set_slot(me, slot, Value::NONE);
    }
    if stream.is_none() || vm.heap.slot(me, CLOSE) != Value::TRUE {
        return Ok(Value::NONE);
    }
    // Rooted here: no slot holds the stream any more. A stream without
    // close() (an io.IOBase subclass) is closed through its ioctl, as
    // MicroPython's stream protocol does.
    vm.with_root(stream, |vm| match vm.load_attr(stream, q::close) {
        Ok(m) => vm.call(m, &[]),
        Err(e) if !vm.caught(e, TypeId::AttributeError) => Err(e),
        Err(_) => {
            let m = vm.load_attr(stream, q::ioctl)?;
            vm.call(m, &[Value::small_int(4), Value::small_int(0)])
        }
    })?;
    Ok(Value::NONE)
}
