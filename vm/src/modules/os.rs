//! `os` and `open()`: files and directories over the port's file system
//! (std's on the host, Zephyr's `fs_*` on a device), and `os.urandom` over
//! its random source. The VM keeps the current directory and hands the port
//! absolute, normalised paths, since Zephyr's file system API has no current
//! directory of its own.
//!
//! An open file is a `TextIOWrapper` (text) or `FileIO` (binary) instance,
//! like the console streams; its value is the port's handle shifted left,
//! with the `FILE` flag (and `io::BINARY` for binary files).

use crate::error::{no_mem, PyErr, PyResult};
use crate::modules::builtins::arity;
use crate::modules::io::BINARY;
use crate::modules::vfs::{Place, S_IFDIR, S_IFREG};
use crate::objects::TypeId;
use crate::port::{Errno, OpenMode};
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Marks a stream's value as an open file's (not a console descriptor).
pub(crate) const FILE: isize = 0x20;
/// Marks an open file of a mounted file system (a `VfsLfs2`): its handle is
/// a slot of `Vm::vfs_files`, not the port's.
#[cfg_attr(not(feature = "vfs-lfs2"), allow(dead_code))]
const VFS_FILE: isize = 0x40;
const HANDLE_SHIFT: u32 = 7;
/// The handle of a closed `VFS_FILE` file: generation 0, never given out.
#[cfg(feature = "vfs-lfs2")]
const CLOSED: isize = 0;
/// A `VFS_FILE` handle: the slot in its low bits, a generation above.
#[cfg(feature = "vfs-lfs2")]
const VFS_SLOT_BITS: u32 = 8;
#[cfg(feature = "vfs-lfs2")]
const VFS_SLOT_MASK: usize = (1 << VFS_SLOT_BITS) - 1;
/// Generations (1 to this, 0 for a closed file) wrap within what a small
/// int holds on a 32-bit part.
#[cfg(feature = "vfs-lfs2")]
pub(crate) const VFS_GENERATIONS: u16 = 0x3fff;

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

/// `OSError(errno)`, as MicroPython raises for file system failures.
pub(crate) fn os_error(vm: &mut Vm, errno: Errno) -> PyErr {
    match vm.new_exception(TypeId::OSError, &[Value::small_int(errno as isize)]) {
        Ok(e) => PyErr::exc(e),
        Err(e) => e,
    }
}

/// `path` made absolute against the directory `cwd` and normalised (`.`,
/// `..` and repeated slashes resolved).
pub(crate) fn join_path(cwd: &[u8], path: &[u8]) -> PyResult<Vec<u8>> {
    let mut parts: Vec<&[u8]> = Vec::new();
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
    Ok(out)
}

impl Vm {
    /// The absolute, normalised form of `path` (`.`, `..` and repeated
    /// slashes resolved against the current directory).
    pub(crate) fn abs_path(&mut self, path: &[u8]) -> PyResult<Vec<u8>> {
        if self.cwd.is_empty() {
            self.cwd = self.fs().fs_initial_dir();
        }
        join_path(&self.cwd, path)
    }

    /// A file of the port's file system, whole, in a bytes object on the
    /// Python heap, read a chunk at a time: never all of it in the small
    /// Rust heap. None when there is no such file.
    pub(crate) fn read_to_heap(&mut self, path: &[u8]) -> PyResult<Option<Value>> {
        let Ok(st) = self.fs().fs_stat(path) else { return Ok(None) };
        if st.is_dir {
            return Ok(None);
        }
        let Ok(h) = self.fs().fs_open(path, OpenMode { read: true, ..OpenMode::default() }) else { return Ok(None) };
        let size = st.size as usize;
        let obj = match self.heap.alloc_bytes(crate::objects::Kind::Bytes, size) {
            Ok(obj) => obj,
            Err(_) => {
                let _ = self.fs().fs_close(h);
                return Err(PyErr::NoMemory);
            }
        };
        let (mut got, mut chunk) = (0, [0u8; 128]);
        while got < size {
            let want = chunk.len().min(size - got);
            match self.fs().fs_read(h, &mut chunk[..want]) {
                Ok(n) if n > 0 => {
                    self.heap.bytes_mut(obj)[got..got + n].copy_from_slice(&chunk[..n]);
                    got += n;
                }
                _ => break,
            }
        }
        let _ = self.fs().fs_close(h);
        // A file that shrank meanwhile: what was read.
        self.heap.bytes_mut(obj)[got..].fill(b' ');
        Ok(Some(Value::obj(obj)))
    }

    /// A path argument's text, as given.
    fn path_arg(&mut self, v: Value) -> PyResult<Vec<u8>> {
        match self.str_bytes(v).map(|s| s.to_vec()) {
            Some(p) => Ok(p),
            None => Err(self.raise(TypeId::TypeError, "path must be a str")),
        }
    }
}

/// `open(file, mode='r', buffering=-1, encoding=None)`: the file system
/// the path is on opens it.
pub fn open(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    let mode = args.pos.get(1).copied().or(args.kwarg(q::mode));
    match vm.vfs_lookup(&path)? {
        Place::Native(_, p) => open_native(vm, &p, mode),
        place => {
            let mode = match mode {
                Some(m) => m,
                None => vm.new_str(b"r")?,
            };
            vm.with_root(mode, |vm| vm.vfs_call(place, q::open, &[mode]))
        }
    }
}

/// `VfsNative.open(path, mode)`.
pub fn native_open(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[1])?;
    open_native(vm, &path, args.pos.get(2).copied())
}

/// A file of the port's file system; `path` relative to its current
/// directory or absolute.
fn open_native(vm: &mut Vm, path: &[u8], mode: Option<Value>) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let mode_text = match mode {
        None => b"r".to_vec(),
        Some(m) => match vm.str_bytes(m) {
            Some(s) => s.to_vec(),
            None => return Err(vm.raise(TypeId::TypeError, "mode must be a str")),
        },
    };
    let (mode, binary) = parse_mode(vm, &mode_text)?;
    let h = match vm.fs().fs_open(&path, mode) {
        Ok(h) => h as isize,
        Err(e) => return Err(os_error(vm, e)),
    };
    file_object(vm, h << HANDLE_SHIFT, binary)
}

/// `open()`'s mode: what it allows, and whether the file is binary.
pub(crate) fn parse_mode(vm: &mut Vm, mode_text: &[u8]) -> PyResult<(OpenMode, bool)> {
    let mut mode = OpenMode::default();
    let mut binary = false;
    let mut kinds = 0;
    for &c in mode_text {
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
    Ok((mode, binary))
}

/// A file object for handle `h` of the port (or, with `VFS_FILE` in `h`'s
/// flags, of the open-file table).
pub(crate) fn file_object(vm: &mut Vm, h: isize, binary: bool) -> PyResult<Value> {
    let t = if binary { TypeId::FileIO } else { TypeId::TextIOWrapper };
    vm.native_instance(t, Value::small_int(h | FILE | if binary { BINARY } else { 0 }), Value::NULL)
}

/// Enters an open file of a mounted file system (its file system and state)
/// in the open-file table: a handle with `VFS_FILE` set, naming the slot and
/// a generation, so that a file object left from before an `umount` never
/// reaches the file that takes its slot later.
#[cfg(feature = "vfs-lfs2")]
pub(crate) fn add_vfs_file(vm: &mut Vm, fs: Value, file: Value) -> PyResult<isize> {
    if vm.vfs_files.is_null() {
        vm.vfs_files = vm.new_list(&[])?;
    }
    vm.vfs_generation = vm.vfs_generation % VFS_GENERATIONS + 1;
    let generation = vm.vfs_generation as isize;
    let slot = vm.new_tuple(&[fs, file, Value::small_int(generation)])?;
    let l = vm.vfs_files.as_obj().expect("open-file table");
    let free = crate::objects::list::items(&vm.heap, l).iter().position(|v| v.is_none());
    if free.is_none() && crate::objects::list::len(&vm.heap, l) > VFS_SLOT_MASK {
        return Err(os_error(vm, 24)); // EMFILE
    }
    let i = match free {
        Some(i) => {
            crate::objects::list::items_mut(&mut vm.heap, l)[i] = slot;
            i
        }
        None => {
            vm.with_root(slot, |vm| vm.list_push(l, slot))?;
            crate::objects::list::len(&vm.heap, l) - 1
        }
    };
    Ok(((generation << VFS_SLOT_BITS | i as isize) << HANDLE_SHIFT) | VFS_FILE)
}

/// The slot of a `VFS_FILE` handle.
#[cfg(feature = "vfs-lfs2")]
pub(crate) fn vfs_slot_index(fd: isize) -> usize {
    handle(fd) as usize & VFS_SLOT_MASK
}

/// Frees an open-file table slot.
#[cfg(feature = "vfs-lfs2")]
pub(crate) fn drop_vfs_file(vm: &mut Vm, i: usize) {
    if let Some(l) = vm.vfs_files.as_obj() {
        if let Some(v) = crate::objects::list::items_mut(&mut vm.heap, l).get_mut(i) {
            *v = Value::NONE;
        }
    }
}

/// The open-file table slot of a stream value with `VFS_FILE`.
#[cfg(feature = "vfs-lfs2")]
fn vfs_slot(vm: &mut Vm, fd: isize) -> PyResult<Value> {
    let generation = Value::small_int((handle(fd) >> VFS_SLOT_BITS) as isize);
    let slot = vm.seq_items(vm.vfs_files).and_then(|s| s.get(vfs_slot_index(fd)).copied());
    match slot.filter(|&s| vm.seq_items(s).and_then(|t| t.get(2)) == Some(&generation)) {
        Some(slot) => Ok(slot),
        None => Err(os_error(vm, crate::port::EBADF)),
    }
}

/// Reads from an open file, of the port or of a mounted file system.
fn raw_read(vm: &mut Vm, fd: isize, buf: &mut [u8]) -> PyResult<usize> {
    #[cfg(feature = "vfs-lfs2")]
    if fd & VFS_FILE != 0 {
        let slot = vfs_slot(vm, fd)?;
        return crate::modules::vfs_lfs::file_read(vm, slot, buf);
    }
    vm.fs().fs_read(handle(fd), buf).map_err(|e| os_error(vm, e))
}

fn raw_write(vm: &mut Vm, fd: isize, data: &[u8]) -> PyResult<usize> {
    #[cfg(feature = "vfs-lfs2")]
    if fd & VFS_FILE != 0 {
        let slot = vfs_slot(vm, fd)?;
        return crate::modules::vfs_lfs::file_write(vm, slot, data);
    }
    vm.fs().fs_write(handle(fd), data).map_err(|e| os_error(vm, e))
}

fn raw_seek(vm: &mut Vm, fd: isize, offset: i64, whence: u8) -> PyResult<u64> {
    #[cfg(feature = "vfs-lfs2")]
    if fd & VFS_FILE != 0 {
        let slot = vfs_slot(vm, fd)?;
        return crate::modules::vfs_lfs::file_seek(vm, slot, offset, whence);
    }
    vm.fs().fs_seek(handle(fd), offset, whence).map_err(|e| os_error(vm, e))
}

/// `flush()` of an open file: a mounted file system's writes reach its
/// block device.
pub(crate) fn file_flush(vm: &mut Vm, fd: isize) -> PyResult<()> {
    #[cfg(feature = "vfs-lfs2")]
    if fd & VFS_FILE != 0 {
        let slot = vfs_slot(vm, fd)?;
        return crate::modules::vfs_lfs::file_flush(vm, slot);
    }
    vm.fs().fs_flush(handle(fd)).map_err(|e| os_error(vm, e))
}

/// Whether a stream value is a file of a mounted file system.
pub(crate) fn is_vfs_file(fd: isize) -> bool {
    cfg!(feature = "vfs-lfs2") && fd & (FILE | VFS_FILE) == FILE | VFS_FILE
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
        let n = raw_read(vm, fd, &mut chunk[..want])?;
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
        if raw_read(vm, fd, &mut b)? == 0 {
            break;
        }
        out.try_reserve(1).map_err(no_mem)?;
        out.push(b[0]);
        if b[0] == b'\n' {
            break;
        }
    }
    Ok(out)
}

pub(crate) fn file_write(vm: &mut Vm, fd: isize, data: &[u8]) -> PyResult<usize> {
    let mut done = 0;
    while done < data.len() {
        match raw_write(vm, fd, &data[done..])? {
            0 => break,
            n => done += n,
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
    let p = raw_seek(vm, fd, offset, whence as u8)?;
    new_int(vm, p as i64)
}

pub fn tell(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    if fd & FILE == 0 {
        return Err(os_error(vm, 22));
    }
    let p = raw_seek(vm, fd, 0, 1)?;
    new_int(vm, p as i64)
}

/// `close()` (and `__exit__`): closing twice, or the console, does nothing.
pub fn close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fd = file_fd(vm, &args)?;
    #[cfg(feature = "vfs-lfs2")]
    if fd & VFS_FILE != 0 {
        // Closing twice finds the slot free: nothing to do.
        let Ok(slot) = vfs_slot(vm, fd) else { return Ok(Value::NONE) };
        let r = crate::modules::vfs_lfs::file_close(vm, slot);
        drop_vfs_file(vm, vfs_slot_index(fd));
        // The slot may be reused: the closed file names none from now on.
        if let Some(f) = args.pos[0].as_obj().filter(|&f| vm.heap.kind(f) == crate::objects::Kind::Instance && vm.heap.len(f) > 2) {
            vm.heap.set_slot(f, 2, Value::small_int((fd & ((1 << HANDLE_SHIFT) - 1)) | CLOSED << HANDLE_SHIFT));
        }
        return r.map(|_| Value::NONE);
    }
    if fd & FILE != 0 {
        let _ = vm.fs().fs_close(handle(fd));
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
    let room = dst.2;
    if fd & FILE == 0 && fd & !BINARY == 0 {
        // sys.stdin.buffer: console bytes as they come.
        let want = args.pos.get(2).and_then(|&v| vm.as_int(v)).map_or(room, |n| (n.max(0) as usize).min(room));
        let data = crate::modules::io::console_read_raw(vm, want)?;
        return Ok(Value::small_int(vm.fill_span(dst, &data) as isize));
    }
    if fd & FILE == 0 {
        return Err(os_error(vm, 22));
    }
    let want = args.pos.get(2).and_then(|&v| vm.as_int(v)).map_or(room, |n| (n.max(0) as usize).min(room));
    let data = file_read(vm, fd, Some(want))?;
    let n = vm.fill_span(dst, &data);
    Ok(Value::small_int(n as isize))
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
    let r = vm.fs().fs_list(path, &mut |name, st| {
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

/// The optional path argument of `listdir`/`ilistdir`: "" (the current
/// directory) without one.
fn dir_arg(vm: &mut Vm, args: &Args, at: usize) -> PyResult<Vec<u8>> {
    arity(vm, args, at, at + 1)?;
    match args.pos.get(at) {
        Some(&p) => vm.path_arg(p),
        None => Ok(Vec::new()),
    }
}

/// `listdir([path])`: the names `ilistdir` gives.
pub fn listdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = dir_arg(vm, &args, 0)?;
    let it = vm.vfs_ilistdir(&path)?;
    let l = vm.new_list(&[])?;
    let lr = l.as_obj().expect("new list");
    vm.with_root(l, |vm| {
        vm.for_each(it, |vm, item| {
            let name = vm.subscr(item, Value::small_int(0))?;
            vm.list_push(lr, name).map(|_| true)
        })
    })?;
    Ok(l)
}

/// `ilistdir([path])`: an iterator of `(name, type, inode[, size])`.
pub fn ilistdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = dir_arg(vm, &args, 0)?;
    vm.vfs_ilistdir(&path)
}

/// `ilistdir` of the port's file system: `(name, type, inode, size)`s.
pub(crate) fn native_ilistdir(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let found = entries(vm, &path)?;
    listing(vm, &found, false)
}

/// An iterator of `(name, type, inode, size)` for directory entries
/// `(name, is_dir, size)`; names as bytes when the path given was.
pub(crate) fn listing(vm: &mut Vm, found: &[(Vec<u8>, bool, u64)], bytes_names: bool) -> PyResult<Value> {
    let l = vm.new_list(&[])?;
    let lr = l.as_obj().expect("new list");
    vm.with_root(l, |vm| {
        for (name, is_dir, size) in found {
            let s = if bytes_names { vm.new_bytes(name)? } else { vm.new_str(name)? };
            let size = vm.with_root(s, |vm| new_int(vm, *size as i64))?;
            let ty = Value::small_int(if *is_dir { S_IFDIR } else { S_IFREG });
            let t = vm.with_root(s, |vm| vm.with_root(size, |vm| vm.new_tuple(&[s, ty, Value::small_int(0), size])))?;
            vm.with_root(t, |vm| vm.list_push(lr, t))?;
        }
        vm.get_iter(l)
    })
}

/// One path's operation: on the port's file system directly, else by the
/// mounted object's method of the same name.
fn path_op(vm: &mut Vm, path: Value, name: Qstr, native: fn(&mut Vm, &[u8]) -> PyResult<Value>) -> PyResult<Value> {
    let path = vm.path_arg(path)?;
    match vm.vfs_lookup(&path)? {
        Place::Native(_, p) => native(vm, &p),
        // The root of the mount points: a directory.
        Place::Root if name == q::stat => stat_tuple(vm, true, 0, 0),
        // What is mounted at `/` answers for the root.
        Place::Root if name == q::statvfs => match vm.root_entry() {
            Some(e) => match vm.place_in(e, b"/")? {
                Place::Native(..) => native_statvfs(vm, b"/"),
                p => vm.vfs_call(p, name, &[]),
            },
            None => crate::modules::vfs::empty_statvfs(vm),
        },
        Place::Root if name == q::mkdir => Err(crate::modules::vfs::exists_error(vm)),
        Place::Mounted(_, _, p) if name == q::mkdir && p == b"/" => Err(crate::modules::vfs::exists_error(vm)),
        place => vm.vfs_call(place, name, &[]),
    }
}

/// The native methods of `VfsNative`: `self` then the path.
macro_rules! native_method {
    ($($method:ident => $op:ident,)*) => {$(
        pub fn $method(vm: &mut Vm, args: Args) -> PyResult<Value> {
            let path = vm.path_arg(args.pos[1])?;
            $op(vm, &path)
        }
    )*};
}
native_method! {
    native_mkdir_method => native_mkdir,
    native_rmdir_method => native_rmdir,
    native_remove_method => native_remove,
    native_stat_method => native_stat,
    native_statvfs_method => native_statvfs,
    native_chdir_method => native_chdir_value,
    native_ilistdir_method => native_ilistdir,
}

fn native_chdir_value(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    native_chdir(vm, path).map(|_| Value::NONE)
}

pub fn mkdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_op(vm, args.pos[0], q::mkdir, native_mkdir)
}

fn native_mkdir(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let r = vm.fs().fs_mkdir(&path);
    check(vm, r)
}

pub fn rmdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_op(vm, args.pos[0], q::rmdir, native_rmdir)
}

fn native_rmdir(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let r = vm.fs().fs_remove(&path, true);
    check(vm, r)
}

pub fn remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_op(vm, args.pos[0], q::remove, native_remove)
}

fn native_remove(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let r = vm.fs().fs_remove(&path, false);
    check(vm, r)
}

/// `rename(old, new)`, within one file system.
pub fn rename(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let from = vm.path_arg(args.pos[0])?;
    let to = vm.path_arg(args.pos[1])?;
    match (vm.vfs_lookup(&from)?, vm.vfs_lookup(&to)?) {
        (Place::Native(_, a), Place::Native(_, b)) => native_rename_paths(vm, &a, &b),
        (Place::Mounted(e1, obj, a), Place::Mounted(e2, _, b)) if e1 == e2 => {
            let b = vm.new_str(&b)?;
            vm.with_root(b, |vm| vm.vfs_call(Place::Mounted(e1, obj, a), q::rename, &[b]))
        }
        (a @ (Place::Root | Place::Nowhere), _) => vm.vfs_call(a, q::rename, &[]),
        _ => Err(crate::modules::vfs::cross_error(vm)),
    }
}

/// `VfsNative.rename(old, new)`.
pub fn native_rename(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let from = vm.path_arg(args.pos[1])?;
    let to = vm.path_arg(args.pos[2])?;
    native_rename_paths(vm, &from, &to)
}

fn native_rename_paths(vm: &mut Vm, from: &[u8], to: &[u8]) -> PyResult<Value> {
    let from = vm.abs_path(from)?;
    let to = vm.abs_path(to)?;
    let r = vm.fs().fs_rename(&from, &to);
    check(vm, r)
}

/// `stat(path)`: MicroPython's 10-tuple (mode, ino, dev, nlink, uid, gid,
/// size, atime, mtime, ctime).
pub fn stat(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_op(vm, args.pos[0], q::stat, native_stat)
}

fn native_stat(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let st = match vm.fs().fs_stat(&path) {
        Ok(st) => st,
        Err(e) => return Err(os_error(vm, e)),
    };
    stat_tuple(vm, st.is_dir, st.size, st.mtime)
}

pub(crate) fn stat_tuple(vm: &mut Vm, is_dir: bool, size: u64, mtime: i64) -> PyResult<Value> {
    let size = new_int(vm, size as i64)?;
    let t = vm.with_root(size, |vm| new_int(vm, mtime))?;
    let mode = Value::small_int(if is_dir { S_IFDIR } else { S_IFREG });
    let z = Value::small_int(0);
    vm.with_root(size, |vm| vm.with_root(t, |vm| vm.new_tuple(&[mode, z, z, z, z, z, size, t, t, t])))
}

/// `statvfs(path)`: (bsize, frsize, blocks, bfree, bavail, files, ffree,
/// favail, flag, namemax).
pub fn statvfs(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_op(vm, args.pos[0], q::statvfs, native_statvfs)
}

fn native_statvfs(vm: &mut Vm, path: &[u8]) -> PyResult<Value> {
    let path = vm.abs_path(path)?;
    let st = match vm.fs().fs_statvfs(&path) {
        Ok(st) => st,
        Err(e) => return Err(os_error(vm, e)),
    };
    statvfs_tuple(vm, st.block_size, st.blocks, st.blocks_free, st.name_max)
}

pub(crate) fn statvfs_tuple(vm: &mut Vm, block_size: u64, blocks: u64, free: u64, name_max: u64) -> PyResult<Value> {
    let mut items = [Value::small_int(0); 10];
    for (i, n) in [(0, block_size), (1, block_size), (2, blocks), (3, free), (4, free), (9, name_max)] {
        items[i] = Value::small_int(n.min(isize::MAX as u64 >> 2) as isize);
    }
    vm.new_tuple(&items)
}

pub fn getcwd(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    vm.vfs_getcwd()
}

/// `VfsNative.getcwd()`.
pub fn native_getcwd(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let cwd = vm.abs_path(b".")?;
    vm.new_str(&cwd)
}

pub fn chdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let path = vm.path_arg(args.pos[0])?;
    vm.vfs_chdir(&path)?;
    Ok(Value::NONE)
}

/// The port's file system's own current directory.
pub(crate) fn native_chdir(vm: &mut Vm, path: &[u8]) -> PyResult<()> {
    let path = vm.abs_path(path)?;
    // The root is a directory even where the port cannot stat it (Zephyr's
    // lists its mount points there).
    let st = if path == b"/" { Ok(crate::port::FileStat { is_dir: true, ..Default::default() }) } else { vm.fs().fs_stat(&path) };
    match st {
        Ok(st) if st.is_dir => {
            vm.cwd = path;
            Ok(())
        }
        Ok(_) => Err(os_error(vm, 20)),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `sync()`: what open files hold back goes to their storage.
pub fn sync(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let r = vm.fs().fs_sync();
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
