//! `os` and `open()`: files and directories over the port's file system
//! (std's on the host, Zephyr's `fs_*` on a device), and `os.urandom` over
//! its random source. The VM keeps the current directory and hands the port
//! absolute, normalised paths, since Zephyr's file system API has no current
//! directory of its own.
//!
//! An open file is a `TextIOWrapper` (text) or `FileIO` (binary) instance,
//! like the console streams; its value is the port's handle shifted left,
//! with the `FILE` flag (and `io::BINARY` for binary files).

use crate::error::{PyErr, PyResult};
use crate::modules::builtins::arity;
use crate::modules::io::BINARY;
use crate::objects::TypeId;
use crate::port::{Errno, OpenMode};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Marks a stream's value as an open file's (not a console descriptor).
pub(crate) const FILE: isize = 0x20;
const HANDLE_SHIFT: u32 = 6;

const S_IFDIR: isize = 0x4000;
const S_IFREG: isize = 0x8000;

/// An int value for a size, position or time, big when it must be.
fn new_int(vm: &mut Vm, n: i64) -> PyResult<Value> {
    match Value::try_small_int(n) {
        Some(v) => Ok(v),
        None => {
            let b = crate::objects::bignum::Big::from_i64(n).map_err(no_mem)?;
            vm.new_int_big(b)
        }
    }
}

fn no_mem<T>(_: T) -> PyErr {
    PyErr::NoMemory
}

/// `OSError(errno)`, as MicroPython raises for file system failures.
pub(crate) fn os_error(vm: &mut Vm, errno: Errno) -> PyErr {
    match vm.new_exception(TypeId::OSError, &[Value::small_int(errno as isize)]) {
        Ok(e) => PyErr::exc(e),
        Err(e) => e,
    }
}

impl Vm {
    /// The absolute, normalised form of `path` (`.`, `..` and repeated
    /// slashes resolved against the current directory).
    pub(crate) fn abs_path(&mut self, path: &[u8]) -> PyResult<Vec<u8>> {
        if self.cwd.is_empty() {
            self.cwd = self.port.fs_initial_dir();
        }
        let mut parts: Vec<&[u8]> = Vec::new();
        let cwd = core::mem::take(&mut self.cwd);
        let joined: Vec<&[u8]> = if path.starts_with(b"/") { Vec::new() } else { cwd.split(|&c| c == b'/').collect() };
        for part in joined.into_iter().chain(path.split(|&c| c == b'/')) {
            match part {
                b"" | b"." => {}
                b".." => {
                    parts.pop();
                }
                p => {
                    parts.try_reserve(1).map_err(no_mem)?;
                    parts.push(p);
                }
            }
        }
        let mut out = Vec::new();
        for p in &parts {
            out.try_reserve(p.len() + 1).map_err(no_mem)?;
            out.push(b'/');
            out.extend_from_slice(p);
        }
        if out.is_empty() {
            out.push(b'/');
        }
        self.cwd = cwd;
        Ok(out)
    }

    fn path_arg(&mut self, v: Value) -> PyResult<Vec<u8>> {
        match self.str_bytes(v).map(|s| s.to_vec()) {
            Some(p) => self.abs_path(&p),
            None => Err(self.raise(TypeId::TypeError, "path must be a str")),
        }
    }
}

/// `open(file, mode='r', buffering=-1, encoding=None)`.
pub fn open(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let mode_arg = args.pos.get(1).copied().or(args.kwarg(q::mode));
    let mode_text = match mode_arg {
        None => b"r".to_vec(),
        Some(m) => match vm.str_bytes(m) {
            Some(s) => s.to_vec(),
            None => return Err(vm.raise(TypeId::TypeError, "mode must be a str")),
        },
    };
    let mut mode = OpenMode::default();
    let mut binary = false;
    let mut kinds = 0;
    for &c in &mode_text {
        match c {
            b'r' => {
                mode.read = true;
                kinds += 1;
            }
            b'w' => {
                mode = OpenMode { write: true, create: true, truncate: true, ..mode };
                kinds += 1;
            }
            b'a' => {
                mode = OpenMode { write: true, create: true, append: true, ..mode };
                kinds += 1;
            }
            b'x' => {
                mode = OpenMode { write: true, create: true, exclusive: true, ..mode };
                kinds += 1;
            }
            b'+' => {
                mode.read = true;
                mode.write = true;
            }
            b'b' => binary = true,
            b't' => {}
            _ => return Err(vm.raise(TypeId::ValueError, "invalid mode")),
        }
    }
    if kinds != 1 {
        return Err(vm.raise(TypeId::ValueError, "invalid mode"));
    }
    let h = match vm.port.fs_open(&path, mode) {
        Ok(h) => h as isize,
        Err(e) => return Err(os_error(vm, e)),
    };
    let t = if binary { TypeId::FileIO } else { TypeId::TextIOWrapper };
    vm.native_instance(t, Value::small_int((h << HANDLE_SHIFT) | FILE | if binary { BINARY } else { 0 }), Value::NULL)
}

/// The port handle of a file stream's value.
pub(crate) fn handle(fd: isize) -> u32 {
    (fd >> HANDLE_SHIFT) as u32
}

/// Reads up to `limit` bytes (all, when None).
pub(crate) fn file_read(vm: &mut Vm, fd: isize, limit: Option<usize>) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let want = limit.map_or(chunk.len(), |n| (n - out.len()).min(chunk.len()));
        if want == 0 {
            break;
        }
        let n = match vm.port.fs_read(handle(fd), &mut chunk[..want]) {
            Ok(n) => n,
            Err(e) => return Err(os_error(vm, e)),
        };
        if n == 0 {
            break;
        }
        out.try_reserve(n).map_err(no_mem)?;
        out.extend_from_slice(&chunk[..n]);
    }
    Ok(out)
}

/// `read([n])` of an open file: `n` bytes of a binary one, `n` characters
/// of a text one (whole characters, however many bytes they take).
pub(crate) fn file_read_stream(vm: &mut Vm, fd: isize, limit: Option<usize>, text: bool) -> PyResult<Vec<u8>> {
    let mut data = file_read(vm, fd, limit)?;
    if !text {
        return Ok(data);
    }
    loop {
        let short = limit.is_some_and(|n| crate::runtime::strformat::char_count(&data) < n);
        let cut = core::str::from_utf8(&data).is_err_and(|e| e.error_len().is_none());
        if !short && !cut {
            return Ok(data);
        }
        let more = file_read(vm, fd, Some(1))?;
        if more.is_empty() {
            return Ok(data);
        }
        crate::vm::put(&mut data, &more)?;
    }
}

/// One line with its newline ("" at the end): read a byte at a time so the
/// file position stays just after the line.
pub(crate) fn file_readline(vm: &mut Vm, fd: isize, limit: Option<usize>) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    while limit.is_none_or(|n| out.len() < n) {
        match vm.port.fs_read(handle(fd), &mut b) {
            Ok(0) => break,
            Ok(_) => {
                out.try_reserve(1).map_err(no_mem)?;
                out.push(b[0]);
                if b[0] == b'\n' {
                    break;
                }
            }
            Err(e) => return Err(os_error(vm, e)),
        }
    }
    Ok(out)
}

pub(crate) fn file_write(vm: &mut Vm, fd: isize, data: &[u8]) -> PyResult<usize> {
    let mut done = 0;
    while done < data.len() {
        match vm.port.fs_write(handle(fd), &data[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) => return Err(os_error(vm, e)),
        }
    }
    Ok(done)
}

/// The stream value of a file method's `self`.
fn file_fd(vm: &mut Vm, args: &Args) -> PyResult<isize> {
    match args.pos.first().and_then(|&v| vm.native_value(v).as_small_int()) {
        Some(fd) => Ok(fd),
        None => Err(vm.raise(TypeId::TypeError, "expected a stream")),
    }
}

/// `seek(offset, whence=0)`; the console cannot seek.
pub fn seek(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    let offset = vm.as_int(args.pos[1]).unwrap_or(0);
    let whence = args.pos.get(2).and_then(|&v| vm.as_int(v)).unwrap_or(0);
    if fd & FILE == 0 || !(0..=2).contains(&whence) {
        return Err(os_error(vm, 22));
    }
    match vm.port.fs_seek(handle(fd), offset, whence as u8) {
        Ok(p) => new_int(vm, p as i64),
        Err(e) => Err(os_error(vm, e)),
    }
}

pub fn tell(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    if fd & FILE == 0 {
        return Err(os_error(vm, 22));
    }
    match vm.port.fs_seek(handle(fd), 0, 1) {
        Ok(p) => new_int(vm, p as i64),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `close()` (and `__exit__`): closing twice, or the console, does nothing.
pub fn close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    if fd & FILE != 0 {
        let _ = vm.port.fs_close(handle(fd));
    }
    Ok(Value::NONE)
}

pub fn enter(_vm: &mut Vm, args: Args) -> PyResult<Value> {
    Ok(args.pos[0])
}

/// `readinto(buf[, n])`: bytes from the file into a writable buffer
/// (bytearray, array, or a memoryview of one: mpremote hashes files so).
pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    let Some(dst) = vm.writable_span(args.pos[1]) else {
        return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
    };
    if fd & FILE == 0 {
        return Err(os_error(vm, 22));
    }
    let room = dst.2;
    let want = args.pos.get(2).and_then(|&v| vm.as_int(v)).map_or(room, |n| (n.max(0) as usize).min(room));
    let data = file_read(vm, fd, Some(want))?;
    let n = vm.fill_span(dst, &data);
    Ok(Value::small_int(n as isize))
}

fn path_or_cwd(vm: &mut Vm, args: &Args) -> PyResult<Vec<u8>> {
    match args.pos.first() {
        Some(&p) => vm.path_arg(p),
        None => vm.abs_path(b"."),
    }
}

fn check(vm: &mut Vm, r: Result<(), Errno>) -> PyResult<Value> {
    match r {
        Ok(()) => Ok(Value::NONE),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// Every entry of a directory: (name, is_dir, size).
fn entries(vm: &mut Vm, path: &[u8]) -> PyResult<Vec<(Vec<u8>, bool, u64)>> {
    let mut found = Vec::new();
    let mut failed = false;
    let r = vm.port.fs_list(path, &mut |name, st| {
        if found.try_reserve(1).is_err() {
            failed = true;
            return;
        }
        found.push((name.to_vec(), st.is_dir, st.size));
    });
    if failed {
        return Err(PyErr::NoMemory);
    }
    if let Err(e) = r {
        return Err(os_error(vm, e));
    }
    Ok(found)
}

/// A list with an item for every entry of the directory named by the call's
/// optional path argument (the current directory without one).
fn list_dir(vm: &mut Vm, args: &Args, item: fn(&mut Vm, &[u8], bool, u64) -> PyResult<Value>) -> PyResult<Value> {
    arity(vm, args, 0, 1)?;
    let path = path_or_cwd(vm, args)?;
    let found = entries(vm, &path)?;
    let l = vm.new_list(&[])?;
    let lr = l.as_obj().expect("new list");
    vm.with_root(l, |vm| {
        for (name, is_dir, size) in &found {
            let v = item(vm, name, *is_dir, *size)?;
            vm.with_root(v, |vm| vm.list_push(lr, v))?;
        }
        Ok(l)
    })
}

pub fn listdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    list_dir(vm, &args, |vm, name, _, _| vm.new_str(name))
}

/// `ilistdir([path])`: an iterator of `(name, type, inode, size)`.
pub fn ilistdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = list_dir(vm, &args, |vm, name, is_dir, size| {
        let s = vm.new_str(name)?;
        let size = vm.with_root(s, |vm| new_int(vm, size as i64))?;
        let ty = Value::small_int(if is_dir { S_IFDIR } else { S_IFREG });
        vm.with_root(s, |vm| vm.with_root(size, |vm| vm.new_tuple(&[s, ty, Value::small_int(0), size])))
    })?;
    vm.with_root(l, |vm| vm.get_iter(l))
}

pub fn mkdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let r = vm.port.fs_mkdir(&path);
    check(vm, r)
}

pub fn rmdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let r = vm.port.fs_remove(&path, true);
    check(vm, r)
}

pub fn remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let r = vm.port.fs_remove(&path, false);
    check(vm, r)
}

pub fn rename(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let from = vm.path_arg(args.pos[0])?;
    let to = vm.path_arg(args.pos[1])?;
    let r = vm.port.fs_rename(&from, &to);
    check(vm, r)
}

/// `stat(path)`: MicroPython's 10-tuple (mode, ino, dev, nlink, uid, gid,
/// size, atime, mtime, ctime).
pub fn stat(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let st = match vm.port.fs_stat(&path) {
        Ok(st) => st,
        Err(e) => return Err(os_error(vm, e)),
    };
    let size = new_int(vm, st.size as i64)?;
    let t = vm.with_root(size, |vm| new_int(vm, st.mtime))?;
    let mode = Value::small_int(if st.is_dir { S_IFDIR } else { S_IFREG });
    let z = Value::small_int(0);
    vm.with_root(size, |vm| vm.with_root(t, |vm| vm.new_tuple(&[mode, z, z, z, z, z, size, t, t, t])))
}

/// `statvfs(path)`: (bsize, frsize, blocks, bfree, bavail, files, ffree,
/// favail, flag, namemax).
pub fn statvfs(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let st = match vm.port.fs_statvfs(&path) {
        Ok(st) => st,
        Err(e) => return Err(os_error(vm, e)),
    };
    let mut items = [Value::small_int(0); 10];
    for (i, n) in [(0, st.block_size), (1, st.block_size), (2, st.blocks), (3, st.blocks_free), (4, st.blocks_free), (9, st.name_max)] {
        items[i] = Value::small_int(n.min(isize::MAX as u64 >> 2) as isize);
    }
    vm.new_tuple(&items)
}

pub fn getcwd(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let cwd = vm.abs_path(b".")?;
    vm.new_str(&cwd)
}

pub fn chdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    match vm.port.fs_stat(&path) {
        Ok(st) if st.is_dir => {
            vm.cwd = path;
            Ok(Value::NONE)
        }
        Ok(_) => Err(os_error(vm, 20)),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `sync()`: what open files hold back goes to their storage.
pub fn sync(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let r = vm.port.fs_sync();
    check(vm, r)
}

/// `urandom(n)`: n bytes from the port's random source.
pub fn urandom(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = match vm.machine_int(args.pos[0])? {
        n if n >= 0 => n as usize,
        _ => return Err(vm.raise(TypeId::ValueError, "negative length")),
    };
    let mut buf = Vec::new();
    buf.try_reserve_exact(n).map_err(no_mem)?;
    buf.resize(n, 0);
    if let Err(e) = vm.port.random_bytes(&mut buf) {
        return Err(os_error(vm, e));
    }
    vm.new_bytes(&buf)
}

/// `uname()`: (sysname, nodename, release, version, machine), also as
/// attributes, as MicroPython's attrtuple.
pub fn uname(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let platform = vm.port.platform().as_bytes();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let texts: [&[u8]; 5] = [platform, platform, version, version, platform];
    let fields = vm.make_rooted(texts.len(), |vm, i| vm.new_str(texts[i]))?;
    // attr_tuple's class call may run Python: the fields stay rooted.
    let at = vm.roots.len();
    vm.roots.extend_from_slice(&fields);
    let t = crate::modules::sys::attr_tuple(vm, q::uname_result, &[q::sysname, q::nodename, q::release, q::version, q::machine], &fields);
    vm.roots.truncate(at);
    t
}
