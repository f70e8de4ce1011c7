//! `io.StringIO` and `io.BytesIO`: in-memory streams. Each is an instance
//! of the builtin type holding a bytearray (its contents) and, in the
//! attribute-dict slot, the read/write position.

use crate::error::{PyResult, TryToVec};
use crate::modules::builtins::arity;
use crate::modules::os::FILE;
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

impl Vm {
    pub(crate) fn construct_stream(&mut self, t: TypeId, args: &Args) -> PyResult<Value> {
        arity(self, args, 0, 1)?;
        // MicroPython's BytesIO(n): empty, with room for n bytes, so writes
        // up to that size allocate nothing.
        if let Some(n) = args.pos.first().filter(|_| t == TypeId::BytesIO).and_then(|&v| v.as_small_int()) {
            let room: alloc::vec::Vec<u8> = alloc::vec![0; n.max(0) as usize];
            let buf = self.new_bytearray(&room)?;
            let br = buf.as_obj().expect("new bytearray");
            self.bytearray_splice(br, 0, room.len(), &[])?;
            return self.native_instance(t, buf, Value::small_int(0));
        }
        let init = match args.pos.first() {
            None => alloc::vec::Vec::new(),
            Some(&v) if t == TypeId::StringIO => match self.str_bytes(v) {
                Some(s) => s.try_to_vec()?,
                None => return Err(self.raise(TypeId::TypeError, "initial_value must be str")),
            },
            // Shared, not copied, until written to.
            Some(&v) if self.kind_of(v) == Some(Kind::Bytes) => return self.native_instance(t, v, Value::small_int(0)),
            Some(&v) => match self.bytes_payload(v) {
                Some(b) => b.try_to_vec()?,
                None => return Err(self.raise(TypeId::TypeError, "a bytes-like object is required")),
            },
        };
        let buf = self.new_bytearray(&init)?;
        self.native_instance(t, buf, Value::small_int(0))
    }
}

struct Stream {
    obj: ObjRef,
    buf: ObjRef,
    text: bool,
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<Stream> {
    let s = args.pos.first().and_then(|v| v.as_obj()).filter(|&r| {
        vm.heap.kind(r) == Kind::Instance
            && vm.heap.len(r) > 2
            && matches!(vm.heap.slot(r, 0).as_type().and_then(TypeId::from_u16), Some(TypeId::StringIO | TypeId::BytesIO))
    });
    let Some(obj) = s else { return Err(vm.raise(TypeId::TypeError, "expected a stream")) };
    let Some(buf) = vm.heap.slot(obj, 2).as_obj() else { return Err(vm.raise(TypeId::ValueError, "I/O operation on closed file")) };
    let text = vm.heap.slot(obj, 0) == TypeId::StringIO.value();
    Ok(Stream { obj, buf, text })
}

/// The stream's contents. A BytesIO made from bytes shares them until its
/// first write (MicroPython's BytesIO does not copy its initial value).
fn contents<'a>(vm: &'a Vm, s: &Stream) -> &'a [u8] {
    if vm.heap.kind(s.buf) == Kind::Bytes {
        vm.heap.bytes(s.buf)
    } else {
        vm.bytearray_data(s.buf)
    }
}

fn pos(vm: &Vm, s: &Stream) -> usize {
    vm.heap.slot(s.obj, 1).as_small_int().unwrap_or(0) as usize
}

fn make(vm: &mut Vm, s: &Stream, b: &[u8]) -> PyResult<Value> {
    if s.text {
        vm.new_str(b)
    } else {
        vm.new_bytes(b)
    }
}

/// `write(buf)`, or MicroPython's `write(buf, n)` and `write(buf, off, n)`
/// for part of a buffer.
pub fn write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 4)?;
    let mut s = this(vm, &args)?;
    let data = if s.text { vm.str_bytes(args.pos[1]) } else { vm.bytes_payload(args.pos[1]) };
    let Some(mut data) = data.map(|d| d.try_to_vec()).transpose()? else {
        return Err(vm.raise(TypeId::TypeError, if s.text { "string argument expected" } else { "a bytes-like object is required" }));
    };
    let int_at = |vm: &Vm, i: usize| args.pos.get(i).and_then(|&v| vm.as_int(v)).map(|n| n.max(0) as usize);
    let (off, n) = match args.pos.len() {
        3 => (0, int_at(vm, 2)),
        4 => (int_at(vm, 2).unwrap_or(0), int_at(vm, 3)),
        _ => (0, None),
    };
    let off = off.min(data.len());
    let end = n.map_or(data.len(), |n| (off + n).min(data.len()));
    data.truncate(end);
    data.drain(..off);
    let at = pos(vm, &s);
    if vm.heap.kind(s.buf) == Kind::Bytes {
        // First write to shared bytes: take a copy to change.
        let copy = contents(vm, &s).try_to_vec()?;
        let b = vm.new_bytearray(&copy)?;
        vm.heap.set_slot(s.obj, 2, b);
        s.buf = b.as_obj().expect("new bytearray");
    }
    let len = contents(vm, &s).len();
    if at > len {
        // Writing past the end fills the gap with zeros.
        vm.bytearray_splice(s.buf, len, len, &alloc::vec![0; at - len])?;
    }
    let end = (at + data.len()).min(contents(vm, &s).len());
    vm.bytearray_splice(s.buf, at, end, &data)?;
    vm.heap.set_slot(s.obj, 1, Value::small_int((at + data.len()) as isize));
    let n = if s.text { crate::runtime::strformat::char_count(&data) } else { data.len() };
    Ok(Value::small_int(n as isize))
}

pub fn read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    let data = contents(vm, &s).try_to_vec()?;
    let at = pos(vm, &s).min(data.len());
    let n = args.pos.get(1).filter(|v| !v.is_none()).and_then(|&v| vm.as_int(v)).unwrap_or(-1);
    let end = if n < 0 { data.len() } else { (at + n as usize).min(data.len()) };
    // Made before the position moves: out of memory, the call is retried.
    let v = make(vm, &s, &data[at..end])?;
    vm.heap.set_slot(s.obj, 1, Value::small_int(end as isize));
    Ok(v)
}

pub fn readline(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    let data = contents(vm, &s).try_to_vec()?;
    let at = pos(vm, &s).min(data.len());
    let end = data[at..].iter().position(|&c| c == b'\n').map_or(data.len(), |i| at + i + 1);
    let v = make(vm, &s, &data[at..end])?;
    vm.heap.set_slot(s.obj, 1, Value::small_int(end as isize));
    Ok(v)
}

pub fn getvalue(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    let data = contents(vm, &s).try_to_vec()?;
    make(vm, &s, &data)
}

pub fn seek(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    let off = vm.as_int(args.pos[1]).unwrap_or(0);
    let base = match args.pos.get(2).and_then(|&w| vm.as_int(w)).unwrap_or(0) {
        0 => 0,
        1 => pos(vm, &s) as i64,
        _ => contents(vm, &s).len() as i64,
    };
    if base + off < 0 && args.pos.len() == 2 {
        // As a real file: OSError(EINVAL), which MicroPython's streams share.
        let e = vm.new_exception(TypeId::OSError, &[Value::small_int(22)])?;
        return Err(crate::error::PyErr::exc(e));
    }
    let to = (base + off).max(0);
    vm.heap.set_slot(s.obj, 1, Value::small_int(to as isize));
    Ok(Value::small_int(to as isize))
}

/// `readinto(buf[, n])`: reads into a writable buffer; returns the count.
pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    let Some(dst) = vm.writable_span(args.pos[1]) else {
        return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
    };
    let room = dst.2;
    let want = args.pos.get(2).and_then(|&v| vm.as_int(v)).map_or(room, |n| (n.max(0) as usize).min(room));
    let data = contents(vm, &s);
    let at = pos(vm, &s).min(data.len());
    let n = want.min(data.len() - at);
    let chunk = data[at..at + n].to_vec();
    vm.fill_span(dst, &chunk);
    vm.heap.set_slot(s.obj, 1, Value::small_int((at + n) as isize));
    Ok(Value::small_int(n as isize))
}

pub fn tell(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this(vm, &args)?;
    Ok(Value::small_int(pos(vm, &s) as isize))
}

pub fn flush(vm: &mut Vm, args: Args) -> PyResult<Value> {
    this(vm, &args)?;
    Ok(Value::NONE)
}

pub fn close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Ok(s) = this(vm, &args) {
        vm.heap.set_slot(s.obj, 2, Value::NONE);
    }
    Ok(Value::NONE)
}

pub fn enter(_vm: &mut Vm, args: Args) -> PyResult<Value> {
    Ok(args.pos[0])
}

/// `sys.stdin`, `sys.stdout`, `sys.stderr`: instances of `TextIOWrapper`
/// whose value is the file descriptor, writing to and reading from the port's
/// console; their `buffer`s are `FileIO`s on the same descriptor, reading
/// bytes.
pub(crate) fn console_stream(vm: &mut Vm, fd: isize, binary: bool) -> PyResult<Value> {
    let t = if binary { TypeId::FileIO } else { TypeId::TextIOWrapper };
    vm.native_instance(t, Value::small_int(if binary { fd | BINARY } else { fd }), Value::NULL)
}

/// Marks a console stream's descriptor as a `FileIO`'s: reads give bytes.
pub(crate) const BINARY: isize = 0x10;

/// Whether a console stream is a `buffer` (a `FileIO`: bytes, unchanged).
fn is_binary(vm: &Vm, args: &Args) -> bool {
    args.pos.first().and_then(|&v| vm.native_value(v).as_small_int()).is_some_and(|fd| fd & BINARY != 0)
}

/// `sys.stdin.buffer.read(n)`/`readinto`: `n` console bytes as they come.
pub(crate) fn console_read_raw(vm: &mut Vm, n: usize) -> PyResult<alloc::vec::Vec<u8>> {
    let mut buf = alloc::vec::Vec::new();
    buf.try_reserve_exact(n).map_err(|_| crate::error::PyErr::NoMemory)?;
    buf.resize(n, 0);
    let got = vm.port.read_raw(&mut buf);
    vm.check_interrupt()?;
    match got {
        Some(k) => {
            buf.truncate(k);
            Ok(buf)
        }
        None => Err(vm.raise(TypeId::OSError, "this board has no console input")),
    }
}

/// What console reads give: bytes from a `FileIO`, else str.
/// What was read, as bytes or str. The input is consumed by now, so out of
/// memory this collects and tries once more rather than have the call
/// retried (which would read on).
fn console_text(vm: &mut Vm, args: &Args, b: &[u8]) -> PyResult<Value> {
    let binary = is_binary(vm, args);
    vm.retry_after_collect(Value::NONE, |vm| if binary { vm.new_bytes(b) } else { vm.new_str(b) })
}

/// Methods of a builtin type get the instance's value: here the descriptor
/// (an open file's keeps its flags: see `os`).
fn console_fd(vm: &mut Vm, args: &Args) -> PyResult<isize> {
    match args.pos.first().and_then(|&v| vm.native_value(v).as_small_int()) {
        Some(fd) if cfg!(feature = "os") && fd & FILE != 0 => Ok(fd),
        Some(fd) => Ok(fd & !BINARY),
        None => Err(vm.raise(TypeId::TypeError, "expected a console stream")),
    }
}

/// `write(buf[, max_len])` or `write(buf, offset, max_len)` (MicroPython's
/// stream write: part of a buffer).
pub fn console_write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = console_fd(vm, &args)?;
    let (mut bytes, mut n) = match vm.str_bytes(args.pos[1]) {
        Some(s) => (s.to_vec(), crate::runtime::strformat::char_count(s)),
        None => match vm.bytes_payload(args.pos[1]) {
            Some(b) => (b.to_vec(), b.len()),
            None => return Err(vm.raise(TypeId::TypeError, "write() needs str or bytes")),
        },
    };
    // Part of a buffer, and binary unchanged output: what mpremote's
    // remote file system uses, which needs `os` (its VFS) anyway.
    if !cfg!(feature = "os") {
        crate::modules::builtins::arity(vm, &args, 2, 2)?;
    }
    if cfg!(feature = "os") && args.pos.len() > 2 {
        let (off, len) = match args.pos[2..] {
            [len] => (0, vm.machine_int(len)?),
            [off, len] => (vm.machine_int(off)?, vm.machine_int(len)?),
            _ => (0, i64::MAX),
        };
        let start = (off.max(0) as usize).min(bytes.len());
        let end = start.saturating_add(len.max(0).min(isize::MAX as i64) as usize).min(bytes.len());
        bytes = bytes[start..end].to_vec();
        n = bytes.len();
    }
    // sys.stdout.buffer: the bytes unchanged (no CR before LF).
    let binary = cfg!(feature = "os") && is_binary(vm, &args);
    match fd {
        _ if cfg!(feature = "os") && fd & FILE != 0 => {
            let n = crate::modules::os::file_write(vm, fd, &bytes)?;
            let n = if fd & BINARY != 0 { n } else { crate::runtime::strformat::char_count(&bytes[..n]) };
            return Ok(Value::small_int(n as isize));
        }
        2 => vm.port.stderr(&bytes),
        1 if binary => vm.port.stdout_raw(&bytes),
        1 => vm.port.stdout(&bytes),
        _ => return Err(vm.raise(TypeId::OSError, "stream not open for writing")),
    }
    Ok(Value::small_int(n as isize))
}

/// The next console line with its newline, or "" at end of input.
pub(crate) fn console_line(vm: &mut Vm) -> PyResult<Option<alloc::vec::Vec<u8>>> {
    let mut line = alloc::vec::Vec::new();
    let got = vm.port.read_line(&mut line);
    // Ctrl-C while waiting for the line.
    vm.check_interrupt()?;
    match got {
        Some(true) => {
            line.try_reserve(1).map_err(|_| crate::error::PyErr::NoMemory)?;
            line.push(b'\n');
            Ok(Some(line))
        }
        Some(false) => Ok(None),
        None => Err(vm.raise(TypeId::OSError, "this board has no console input")),
    }
}

/// The optional size argument of read/readline: None for all.
fn size_arg(vm: &Vm, args: &Args) -> Option<usize> {
    args.pos.get(1).and_then(|&v| vm.as_int(v)).filter(|&n| n >= 0).map(|n| n as usize)
}

pub fn console_readline(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = console_fd(vm, &args)?;
    if cfg!(feature = "os") && fd & FILE != 0 {
        let line = crate::modules::os::file_readline(vm, fd, size_arg(vm, &args))?;
        return console_text(vm, &args, &line);
    }
    if fd != 0 {
        return Err(vm.raise(TypeId::OSError, "stream not open for reading"));
    }
    let line = console_line(vm)?.unwrap_or_default();
    console_text(vm, &args, &line)
}

pub fn console_read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = console_fd(vm, &args)?;
    let limit = size_arg(vm, &args);
    if cfg!(feature = "os") && fd & FILE != 0 {
        let data = crate::modules::os::file_read_stream(vm, fd, limit, fd & BINARY == 0)?;
        return console_text(vm, &args, &data);
    }
    if fd != 0 {
        return Err(vm.raise(TypeId::OSError, "stream not open for reading"));
    }
    if let (Some(n), true) = (limit, cfg!(feature = "os") && is_binary(vm, &args)) {
        let data = console_read_raw(vm, n)?;
        return vm.new_bytes(&data);
    }
    let mut all = alloc::vec::Vec::new();
    while limit.is_none_or(|n| all.len() < n) {
        vm.check_interrupt()?;
        let Some(line) = console_line(vm)? else { break };
        crate::vm::put(&mut all, &line)?;
    }
    if let Some(n) = limit {
        all.truncate(n);
    }
    console_text(vm, &args, &all)
}

pub fn console_flush(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if cfg!(feature = "os") {
        let fd = console_fd(vm, &args)?;
        if fd & FILE != 0 {
            crate::modules::os::file_flush(vm, fd)?;
        }
    }
    Ok(Value::NONE)
}

/// `input([prompt])`.
pub fn input(vm: &mut Vm, args: Args) -> PyResult<Value> {
    vm.port.prepare_read();
    if let Some(&p) = args.pos.first() {
        let text = vm.to_str(p)?;
        let bytes = vm.str_bytes(text).unwrap_or(&[]).to_vec();
        vm.port.stdout(&bytes);
    }
    match console_line(vm)? {
        Some(mut line) => {
            line.pop();
            vm.new_str(&line)
        }
        None => Err(vm.raise(TypeId::EOFError, "")),
    }
}
