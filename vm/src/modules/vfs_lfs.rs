//! `vfs.VfsLfs2`: littlefs (v2) on a block device written in Python (an
//! object with `readblocks(block, buf, offset)`, `writeblocks(block, buf,
//! offset)` and `ioctl(op, arg)`, as MicroPython's block device protocol),
//! mounted with `vfs.mount`. The disk format is littlefs's own, so images
//! move between Pyrite, MicroPython and any other littlefs.
//!
//! littlefs is C: the VM calls it through the small shim in `lfs/` (see
//! `pyrite_lfs.h`), and littlefs calls the block device back through the
//! `pyrite_lfs_bd_*` functions here. All of littlefs's state lives on the
//! Python heap (objects never move): the file system's in a bytes object the
//! `VfsLfs2` instance holds, each open file's in one the table of open files
//! (`Vm::vfs_files`) holds until it is closed, since littlefs keeps a list of
//! its open files.
//!
//! A Python exception in the block device cannot cross the C code: the
//! callback keeps it and returns an I/O error to littlefs, and the call that
//! began it raises it once littlefs returns.

use crate::error::{PyErr, PyResult};
use crate::modules::os::{os_error, stat_tuple, statvfs_tuple};
use crate::objects::{Kind, TypeId};
use crate::port::Errno;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;
use core::ffi::{c_char, c_int, c_void};

// The shim (lfs/pyrite_lfs.c), compiled by the port against its littlefs.
extern "C" {
    fn pyrite_lfs_fs_state_size() -> usize;
    fn pyrite_lfs_file_state_size() -> usize;
    fn pyrite_lfs_dir_state_size() -> usize;
    fn pyrite_lfs_name_max() -> u32;
    fn pyrite_lfs_setup(
        fs: *mut c_void,
        block_size: u32,
        block_count: u32,
        read_size: u32,
        prog_size: u32,
        lookahead: u32,
        cache_size: u32,
        read_buf: *mut u8,
        prog_buf: *mut u8,
        lookahead_buf: *mut u8,
    );
    fn pyrite_lfs_bind(fs: *mut c_void, ctx: *mut c_void) -> *mut c_void;
    fn pyrite_lfs_format(fs: *mut c_void) -> c_int;
    fn pyrite_lfs_mount(fs: *mut c_void) -> c_int;
    fn pyrite_lfs_unmount(fs: *mut c_void) -> c_int;
    fn pyrite_lfs_used_blocks(fs: *mut c_void) -> i32;
    fn pyrite_lfs_mkdir(fs: *mut c_void, path: *const c_char) -> c_int;
    fn pyrite_lfs_remove(fs: *mut c_void, path: *const c_char) -> c_int;
    fn pyrite_lfs_rename(fs: *mut c_void, from: *const c_char, to: *const c_char) -> c_int;
    fn pyrite_lfs_stat(fs: *mut c_void, path: *const c_char, is_dir: *mut u8, size: *mut u32, mtime_ns: *mut i64) -> c_int;
    fn pyrite_lfs_file_open(fs: *mut c_void, file: *mut c_void, path: *const c_char, flags: c_int, cache: *mut u8, mtime_ns: i64) -> c_int;
    fn pyrite_lfs_file_close(fs: *mut c_void, file: *mut c_void) -> c_int;
    fn pyrite_lfs_file_read(fs: *mut c_void, file: *mut c_void, buf: *mut u8, size: u32) -> i32;
    fn pyrite_lfs_file_write(fs: *mut c_void, file: *mut c_void, buf: *const u8, size: u32) -> i32;
    fn pyrite_lfs_file_seek(fs: *mut c_void, file: *mut c_void, offset: i32, whence: c_int) -> i32;
    fn pyrite_lfs_file_sync(fs: *mut c_void, file: *mut c_void) -> c_int;
    fn pyrite_lfs_dir_open(fs: *mut c_void, dir: *mut c_void, path: *const c_char) -> c_int;
    fn pyrite_lfs_dir_read(fs: *mut c_void, dir: *mut c_void, name: *mut c_char, cap: usize, is_dir: *mut u8, size: *mut u32) -> c_int;
    fn pyrite_lfs_dir_close(fs: *mut c_void, dir: *mut c_void) -> c_int;
}

/// MicroPython's block device ioctl operations.
const IOCTL_INIT: isize = 1;
const IOCTL_SYNC: isize = 3;
const IOCTL_BLOCK_COUNT: isize = 4;
const IOCTL_BLOCK_SIZE: isize = 5;
const IOCTL_BLOCK_ERASE: isize = 6;

/// littlefs's error for a failed block device operation.
const LFS_ERR_IO: c_int = -5;
const EROFS: c_int = 30;
const EBUSY: Errno = 16;
const EBADF: Errno = 9;

// littlefs's open flags (the shim checks them).
const O_RDONLY: c_int = 1;
const O_WRONLY: c_int = 2;
const O_RDWR: c_int = 3;
const O_CREAT: c_int = 0x100;
const O_EXCL: c_int = 0x200;
const O_TRUNC: c_int = 0x400;
const O_APPEND: c_int = 0x800;

/// The state list in a `VfsLfs2` instance's extra slot.
const ST_STORE: usize = 0;
const ST_BDEV: usize = 1;
const ST_CWD: usize = 2;
const ST_READONLY: usize = 3;
const ST_MTIME: usize = 4;
const ST_CACHE: usize = 5;

/// Shim states are placed at this alignment within their bytes objects.
const ALIGN: usize = 8;

/// The constructor's and `mkfs`'s settings.
struct Settings {
    read_size: u32,
    prog_size: u32,
    lookahead: u32,
    mtime: bool,
}

fn settings(vm: &mut Vm, args: &Args) -> PyResult<Settings> {
    let num = |vm: &mut Vm, i: usize, name, default: u32| -> PyResult<u32> {
        match args.pos.get(i).copied().or(args.kwarg(name)) {
            Some(v) => Ok(vm.machine_int(v)?.clamp(1, u32::MAX as i64) as u32),
            None => Ok(default),
        }
    };
    let read_size = num(vm, 1, q::readsize, 32)?;
    let prog_size = num(vm, 2, q::progsize, 32)?;
    let lookahead = num(vm, 3, q::lookahead, 32)?;
    let mtime = match args.pos.get(4).copied().or(args.kwarg(q::mtime)) {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    Ok(Settings { read_size, prog_size, lookahead, mtime })
}

/// What the callbacks need while one littlefs call runs: the VM, the block
/// device, and the first exception the device raised.
struct Ctx {
    vm: *mut Vm,
    bdev: Value,
    readonly: bool,
    err: Option<PyErr>,
}

fn aligned(vm: &mut Vm, store: ObjRef) -> *mut c_void {
    let bytes = vm.heap.bytes_mut(store);
    let pad = bytes.as_ptr().align_offset(ALIGN);
    bytes[pad..].as_mut_ptr().cast()
}

/// A bytes object of `n` bytes for shim state, with room to align it.
fn new_store(vm: &mut Vm, n: usize) -> PyResult<ObjRef> {
    let r = vm.heap.alloc_bytes(Kind::Bytes, n + ALIGN)?;
    vm.heap.bytes_mut(r).fill(0);
    Ok(r)
}

fn round(n: usize) -> usize {
    n.div_ceil(ALIGN) * ALIGN
}

/// The state list of a `VfsLfs2` instance.
fn state(vm: &Vm, inst: Value) -> Option<Vec<Value>> {
    let r = inst.as_obj().filter(|_| vm.class_of(inst) == TypeId::VfsLfs2.value())?;
    vm.seq_items(vm.heap.slot(r, 1)).filter(|s| s.len() > ST_CACHE).map(|s| s.to_vec())
}

/// Runs `f` (littlefs calls) on the file system whose shim state is in
/// `store`, with `bdev` reachable from the callbacks. Negative results
/// become `OSError`, and an exception the block device raised is raised.
fn with_fs(vm: &mut Vm, store: ObjRef, bdev: Value, readonly: bool, f: impl FnOnce(*mut c_void) -> c_int) -> PyResult<c_int> {
    let fs = aligned(vm, store);
    let at = vm.roots.len();
    vm.roots.try_reserve(2).map_err(|_| PyErr::NoMemory)?;
    vm.roots.push(Value::obj(store));
    vm.roots.push(bdev);
    let mut ctx = Ctx { vm: vm as *mut Vm, bdev, readonly, err: None };
    // SAFETY: `fs` points at the shim state inside `store`, rooted above and
    // never moved by the heap; `ctx` outlives the call, after which it is
    // unbound again. While littlefs runs, the VM is reached only through
    // `ctx.vm` (by the callbacks), not through `vm`.
    let r = unsafe {
        let was = pyrite_lfs_bind(fs, (&mut ctx as *mut Ctx).cast());
        if !was.is_null() {
            // A block device using the file system it is under.
            pyrite_lfs_bind(fs, was);
            -EBUSY
        } else {
            let r = f(fs);
            pyrite_lfs_bind(fs, core::ptr::null_mut());
            r
        }
    };
    vm.roots.truncate(at);
    if let Some(e) = ctx.err.take() {
        return Err(e);
    }
    if r < 0 {
        return Err(os_error(vm, -r));
    }
    Ok(r)
}

/// The callbacks' context.
///
/// # Safety
/// `ctx` must be the `Ctx` that `with_fs` bound for the littlefs call now
/// running (littlefs passes back the pointer `with_fs` gave it).
unsafe fn ctx_of<'a>(ctx: *mut c_void) -> (&'a mut Ctx, &'a mut Vm) {
    let ctx = &mut *(ctx as *mut Ctx);
    let vm = &mut *ctx.vm;
    (ctx, vm)
}

/// Keeps the block device's first exception for `with_fs` to raise.
fn device_result(ctx: &mut Ctx, r: PyResult<c_int>) -> c_int {
    match r {
        Ok(n) => n,
        Err(e) => {
            ctx.err.get_or_insert(e);
            LFS_ERR_IO
        }
    }
}

/// `bdev.ioctl(op, arg)` as an int (None is 0).
fn ioctl(vm: &mut Vm, bdev: Value, op: isize, arg: isize) -> PyResult<i64> {
    // Out of memory inside littlefs's operation, collect rather than fail
    // it half-way (see pyrite_lfs_bd_read).
    let r = vm.retry_after_collect(bdev, |vm| vm.call_fs(bdev, q::ioctl, &[Value::small_int(op), Value::small_int(arg)]))?;
    if r.is_none() {
        return Ok(0);
    }
    vm.machine_int(r)
}

/// # Safety
/// littlefs calls it with the context `with_fs` bound and, for data, a
/// buffer of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_lfs_bd_read(ctx: *mut c_void, block: u32, off: u32, buf: *mut u8, size: u32) -> c_int {
    // SAFETY: littlefs calls back with the context `with_fs` bound.
    let (ctx, vm) = unsafe { ctx_of(ctx) };
    let bdev = ctx.bdev;
    let r = (|| {
        // Out of memory here, collect (all the VM's callers have rooted what
        // they hold) rather than fail littlefs's operation half-way.
        let ba = vm.retry_after_collect(bdev, |vm| vm.new_bytearray_zeroed(size as usize))?;
        let ret = vm.retry_after_collect(ba, |vm| {
            vm.call_fs(bdev, q::readblocks, &[Value::small_int(block as isize), ba, Value::small_int(off as isize)])
        })?;
        if !ret.is_none() {
            // The device's own result: negative for an error.
            let r = vm.machine_int(ret)? as c_int;
            if r != 0 {
                return Ok(r);
            }
        }
        let data = vm.bytes_payload(ba).unwrap_or(&[]);
        let n = data.len().min(size as usize);
        // SAFETY: littlefs gave a buffer of `size` bytes; `n` is at most that.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), buf, n) };
        Ok(0)
    })();
    device_result(ctx, r)
}

/// # Safety
/// littlefs calls it with the context `with_fs` bound and, for data, a
/// buffer of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_lfs_bd_prog(ctx: *mut c_void, block: u32, off: u32, buf: *const u8, size: u32) -> c_int {
    // SAFETY: littlefs calls back with the context `with_fs` bound.
    let (ctx, vm) = unsafe { ctx_of(ctx) };
    if ctx.readonly {
        return -EROFS;
    }
    // SAFETY: littlefs gave `size` bytes at `buf`, which stay put during the
    // call; they are copied before any Python runs.
    let data = unsafe { core::slice::from_raw_parts(buf, size as usize) };
    let bdev = ctx.bdev;
    let r = (|| {
        let ba = vm.retry_after_collect(bdev, |vm| vm.new_bytearray(data))?;
        let ret = vm.retry_after_collect(ba, |vm| {
            vm.call_fs(bdev, q::writeblocks, &[Value::small_int(block as isize), ba, Value::small_int(off as isize)])
        })?;
        if ret.is_none() {
            return Ok(0);
        }
        Ok(vm.machine_int(ret)? as c_int)
    })();
    device_result(ctx, r)
}

/// # Safety
/// littlefs calls it with the context `with_fs` bound and, for data, a
/// buffer of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_lfs_bd_erase(ctx: *mut c_void, block: u32) -> c_int {
    // SAFETY: littlefs calls back with the context `with_fs` bound.
    let (ctx, vm) = unsafe { ctx_of(ctx) };
    if ctx.readonly {
        return -EROFS;
    }
    let r = ioctl(vm, ctx.bdev, IOCTL_BLOCK_ERASE, block as isize).map(|n| n as c_int);
    device_result(ctx, r)
}

/// # Safety
/// littlefs calls it with the context `with_fs` bound and, for data, a
/// buffer of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_lfs_bd_sync(ctx: *mut c_void) -> c_int {
    // SAFETY: littlefs calls back with the context `with_fs` bound.
    let (ctx, vm) = unsafe { ctx_of(ctx) };
    let r = ioctl(vm, ctx.bdev, IOCTL_SYNC, 0).map(|_| 0);
    device_result(ctx, r)
}

/// A file system's shim state and caches for `bdev`, configured (not
/// mounted): the store, and its cache size.
fn configure(vm: &mut Vm, bdev: Value, s: &Settings) -> PyResult<(ObjRef, u32)> {
    ioctl(vm, bdev, IOCTL_INIT, 1)?;
    let block_size = ioctl(vm, bdev, IOCTL_BLOCK_SIZE, 0)?;
    let block_count = ioctl(vm, bdev, IOCTL_BLOCK_COUNT, 0)?;
    if !(1..=u32::MAX as i64).contains(&block_size) || !(1..=u32::MAX as i64).contains(&block_count) {
        return Err(os_error(vm, 22));
    }
    let (bs, bc) = (block_size as u32, block_count as u32);
    let cache = bs.min(4 * s.read_size.max(s.prog_size));
    // SAFETY: the shim reports the size of its own state.
    let state = round(unsafe { pyrite_lfs_fs_state_size() });
    let (c, l) = (round(cache as usize), round(s.lookahead as usize));
    let store = new_store(vm, state + 2 * c + l)?;
    let fs = aligned(vm, store);
    let base = fs.cast::<u8>();
    // SAFETY: the store holds the state and then the three buffers at these
    // offsets (sized above, after the alignment padding).
    unsafe {
        pyrite_lfs_setup(
            fs,
            bs,
            bc,
            s.read_size,
            s.prog_size,
            s.lookahead,
            cache,
            base.add(state),
            base.add(state + c),
            base.add(state + 2 * c),
        );
    }
    Ok((store, cache))
}

/// `VfsLfs2(bdev, readsize=32, progsize=32, lookahead=32, mtime=True)`:
/// mounts the littlefs on `bdev`.
pub(crate) fn construct(vm: &mut Vm, args: &Args) -> PyResult<Value> {
    let Some(&bdev) = args.pos.first() else {
        return Err(vm.raise(TypeId::TypeError, "function missing 1 required positional arguments"));
    };
    let s = settings(vm, args)?;
    vm.with_root(bdev, |vm| {
        let (store, cache) = configure(vm, bdev, &s)?;
        let store_v = Value::obj(store);
        vm.with_root(store_v, |vm| {
            with_fs(vm, store, bdev, false, |fs| {
                // SAFETY: `fs` is the configured state `with_fs` bound.
                unsafe { pyrite_lfs_mount(fs) }
            })?;
            let cwd = Value::qstr(q::SLASH);
            let st = vm.new_list(&[store_v, bdev, cwd, Value::FALSE, Value::from_bool(s.mtime), Value::small_int(cache as isize)])?;
            vm.with_root(st, |vm| vm.native_instance(TypeId::VfsLfs2, Value::NONE, st))
        })
    })
}

/// `VfsLfs2.mkfs(bdev, readsize=32, progsize=32, lookahead=32)`: a new,
/// empty littlefs on `bdev`.
pub fn mkfs(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let bdev = args.pos[0];
    let s = settings(vm, &args)?;
    vm.with_root(bdev, |vm| {
        let (store, _) = configure(vm, bdev, &s)?;
        vm.with_root(Value::obj(store), |vm| {
            // SAFETY: `fs` is the configured state `with_fs` bound.
            with_fs(vm, store, bdev, false, |fs| unsafe { pyrite_lfs_format(fs) })
        })?;
        Ok(Value::NONE)
    })
}

/// Whether `bdev` holds a littlefs: its superblock names itself at offset 8
/// of block 0 or 1 (either may be mid-erase).
pub(crate) fn is_littlefs(vm: &mut Vm, bdev: Value) -> PyResult<bool> {
    for block in 0..2 {
        let ba = vm.new_bytearray_zeroed(8)?;
        // A block the device can't read holds no superblock; any other
        // error (out of memory) is the caller's.
        match vm.with_root(ba, |vm| vm.call_fs(bdev, q::readblocks, &[Value::small_int(block), ba, Value::small_int(8)])) {
            Ok(_) if vm.bytes_payload(ba) == Some(b"littlefs") => return Ok(true),
            Err(e) if !vm.caught(e, TypeId::OSError) => return Err(e),
            _ => {}
        }
    }
    Ok(false)
}

/// A mounted file system: its state and the instance.
struct Fs {
    inst: Value,
    store: ObjRef,
    bdev: Value,
    cwd: Vec<u8>,
    readonly: bool,
    mtime: bool,
    cache: u32,
}

fn fs_of(vm: &mut Vm, inst: Value) -> PyResult<Fs> {
    let Some(st) = state(vm, inst) else {
        return Err(vm.raise(TypeId::TypeError, "expected a VfsLfs2"));
    };
    let Some(store) = st[ST_STORE].as_obj() else {
        // Unmounted.
        return Err(os_error(vm, EBADF));
    };
    Ok(Fs {
        inst,
        store,
        bdev: st[ST_BDEV],
        cwd: vm.str_bytes(st[ST_CWD]).unwrap_or(b"/").to_vec(),
        readonly: st[ST_READONLY] == Value::TRUE,
        mtime: st[ST_MTIME] == Value::TRUE,
        cache: st[ST_CACHE].as_small_int().unwrap_or(0) as u32,
    })
}

fn set_state(vm: &mut Vm, inst: Value, i: usize, v: Value) {
    if let Some(r) = inst.as_obj() {
        if let Some(l) = vm.heap.slot(r, 1).as_obj() {
            if let Some(item) = crate::objects::list::items_mut(&mut vm.heap, l).get_mut(i) {
                *item = v;
            }
        }
    }
}

impl Fs {
    fn run(&self, vm: &mut Vm, f: impl FnOnce(*mut c_void) -> c_int) -> PyResult<c_int> {
        let inst = self.inst;
        let (store, bdev, ro) = (self.store, self.bdev, self.readonly);
        vm.with_root(inst, |vm| with_fs(vm, store, bdev, ro, f))
    }

    /// `path` (relative to the current directory or absolute), normalised
    /// and NUL-terminated for C.
    fn c_path(&self, vm: &mut Vm, path: Value) -> PyResult<Vec<u8>> {
        let Some(p) = vm.str_bytes(path).or_else(|| vm.bytes_payload(path)).map(|p| p.to_vec()) else {
            return Err(vm.raise(TypeId::TypeError, "path must be a str"));
        };
        let mut out = crate::modules::os::join_path(&self.cwd, &p)?;
        crate::vm::put(&mut out, b"\0")?;
        Ok(out)
    }
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<Fs> {
    fs_of(vm, args.pos[0])
}

/// `mount(readonly, mkfs)`: mounted already (by the constructor); a
/// read-only mount refuses every write to the block device.
pub fn mount(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let ro = vm.truthy(args.pos[1])?;
    let fs = this(vm, &args)?;
    set_state(vm, fs.inst, ST_READONLY, Value::from_bool(ro));
    Ok(Value::NONE)
}

/// `umount()`: open files are closed, then littlefs unmounted.
pub fn umount(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    close_files_of(vm, fs.inst)?;
    // SAFETY: `fs` is the mounted state `with_fs` bound.
    fs.run(vm, |p| unsafe { pyrite_lfs_unmount(p) })?;
    Ok(Value::NONE)
}

fn path_call(vm: &mut Vm, args: &Args, f: unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int) -> PyResult<Value> {
    let fs = this(vm, args)?;
    let p = fs.c_path(vm, args.pos[1])?;
    // SAFETY: `fs` is the mounted state `with_fs` bound; `p` ends in NUL.
    fs.run(vm, |s| unsafe { f(s, p.as_ptr().cast()) })?;
    Ok(Value::NONE)
}

pub fn mkdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_call(vm, &args, pyrite_lfs_mkdir)
}

pub fn remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    path_call(vm, &args, pyrite_lfs_remove)
}

pub fn rename(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    let from = fs.c_path(vm, args.pos[1])?;
    let to = fs.c_path(vm, args.pos[2])?;
    // SAFETY: `fs` is the mounted state `with_fs` bound; both paths end in NUL.
    fs.run(vm, |s| unsafe { pyrite_lfs_rename(s, from.as_ptr().cast(), to.as_ptr().cast()) })?;
    Ok(Value::NONE)
}

/// (is_dir, size, mtime in ns) of a path.
fn stat_of(vm: &mut Vm, fs: &Fs, path: Value) -> PyResult<(bool, u32, i64)> {
    let p = fs.c_path(vm, path)?;
    let (mut is_dir, mut size, mut mtime) = (0u8, 0u32, 0i64);
    // SAFETY: `fs` is the mounted state `with_fs` bound; `p` ends in NUL and
    // the three outputs are live locals.
    fs.run(vm, |s| unsafe { pyrite_lfs_stat(s, p.as_ptr().cast(), &mut is_dir, &mut size, &mut mtime) })?;
    Ok((is_dir != 0, size, mtime))
}

pub fn stat(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    let (is_dir, size, mtime) = stat_of(vm, &fs, args.pos[1])?;
    stat_tuple(vm, is_dir, size as u64, mtime.div_euclid(1_000_000_000))
}

pub fn statvfs(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    // SAFETY: `fs` is the mounted state `with_fs` bound.
    let used = fs.run(vm, |s| unsafe { pyrite_lfs_used_blocks(s) })?;
    let (bs, bc) = block_geometry(vm, &fs)?;
    // SAFETY: a constant of the shim.
    let name_max = unsafe { pyrite_lfs_name_max() };
    statvfs_tuple(vm, bs as u64, bc as u64, (bc as i64 - used as i64).max(0) as u64, name_max as u64)
}

/// (block size, block count) as the block device reports them.
fn block_geometry(vm: &mut Vm, fs: &Fs) -> PyResult<(u32, u32)> {
    let bs = ioctl(vm, fs.bdev, IOCTL_BLOCK_SIZE, 0)?;
    let bc = ioctl(vm, fs.bdev, IOCTL_BLOCK_COUNT, 0)?;
    Ok((bs as u32, bc as u32))
}

/// `ilistdir(path)`: `(name, type, inode, size)` for each entry.
pub fn ilistdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    let p = match args.pos.get(1) {
        Some(&v) => fs.c_path(vm, v)?,
        None => {
            let mut p = fs.cwd.clone();
            crate::vm::put(&mut p, b"\0")?;
            p
        }
    };
    // SAFETY: a constant of the shim.
    let dir = new_store(vm, unsafe { pyrite_lfs_dir_state_size() })?;
    let mut found: Vec<(Vec<u8>, bool, u64)> = Vec::new();
    vm.with_root(Value::obj(dir), |vm| {
        let d = aligned(vm, dir);
        let mut name = [0u8; 256];
        let mut failed = false;
        fs.run(vm, |s| {
            // SAFETY: `fs` is the mounted state `with_fs` bound, `d` the
            // rooted directory state, `p` ends in NUL; the directory is
            // closed before the call returns, so littlefs keeps no pointer
            // to it.
            unsafe {
                let r = pyrite_lfs_dir_open(s, d, p.as_ptr().cast());
                if r < 0 {
                    return r;
                }
                loop {
                    let (mut is_dir, mut size) = (0u8, 0u32);
                    let r = pyrite_lfs_dir_read(s, d, name.as_mut_ptr().cast(), name.len(), &mut is_dir, &mut size);
                    if r <= 0 {
                        pyrite_lfs_dir_close(s, d);
                        return r;
                    }
                    let n = name.iter().position(|&c| c == 0).unwrap_or(name.len());
                    if &name[..n] == b"." || &name[..n] == b".." {
                        continue;
                    }
                    if found.try_reserve(1).is_err() {
                        failed = true;
                        pyrite_lfs_dir_close(s, d);
                        return 0;
                    }
                    found.push((name[..n].to_vec(), is_dir != 0, size as u64));
                }
            }
        })?;
        if failed {
            return Err(PyErr::NoMemory);
        }
        Ok(())
    })?;
    // Names are bytes when the path was.
    let as_bytes = args.pos.get(1).is_some_and(|&p| vm.str_bytes(p).is_none());
    crate::modules::os::listing(vm, &found, as_bytes)
}

/// `chdir(path)`: a directory of this file system becomes its current one.
pub fn chdir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    let mut p = fs.c_path(vm, args.pos[1])?;
    p.pop();
    // Not there, or not a directory: ENOENT, as MicroPython's.
    if p != b"/" {
        match stat_of(vm, &fs, args.pos[1]) {
            Ok((true, _, _)) => {}
            Err(e) if !vm.caught(e, TypeId::OSError) => return Err(e),
            _ => return Err(os_error(vm, crate::port::ENOENT)),
        }
    }
    let s = vm.new_str(&p)?;
    set_state(vm, fs.inst, ST_CWD, s);
    Ok(Value::NONE)
}

pub fn getcwd(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    vm.new_str(&fs.cwd)
}

/// `open(path, mode)`: a `TextIOWrapper` or `FileIO`, as the port's files.
pub fn open(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fs = this(vm, &args)?;
    let mode_text = match args.pos.get(2) {
        Some(&m) => match vm.str_bytes(m) {
            Some(s) => s.to_vec(),
            None => return Err(vm.raise(TypeId::TypeError, "mode must be a str")),
        },
        None => b"r".to_vec(),
    };
    // A mode without r, w, a or x reads ("", "b"), as MicroPython's VfsLfs2.
    let mut mode_text = mode_text;
    if !mode_text.iter().any(|c| b"rwax".contains(c)) {
        crate::vm::put(&mut mode_text, b"r")?;
    }
    let (mode, binary) = crate::modules::os::parse_mode(vm, &mode_text)?;
    let mut flags = match (mode.read, mode.write) {
        (true, true) => O_RDWR,
        (false, true) => O_WRONLY,
        _ => O_RDONLY,
    };
    for (on, flag) in [(mode.create, O_CREAT), (mode.exclusive, O_EXCL), (mode.truncate, O_TRUNC), (mode.append, O_APPEND)] {
        if on {
            flags |= flag;
        }
    }
    let p = fs.c_path(vm, args.pos[1])?;
    let mtime = if fs.mtime && flags & O_WRONLY != 0 { vm.port.time_ns().max(1) } else { 0 };
    // SAFETY: a constant of the shim.
    let state = round(unsafe { pyrite_lfs_file_state_size() });
    let file = new_store(vm, state + fs.cache as usize)?;
    let file_v = Value::obj(file);
    vm.with_root(file_v, |vm| {
        // Everything that allocates comes first: once littlefs lists the
        // file, a MemoryError (and the retry of this call after a
        // collection) must not leave its state unreferenced.
        let h = crate::modules::os::add_vfs_file(vm, fs.inst, file_v)?;
        let obj = match crate::modules::os::file_object(vm, h, binary) {
            Ok(obj) => obj,
            Err(e) => {
                crate::modules::os::drop_vfs_file(vm, crate::modules::os::vfs_slot_index(h));
                return Err(e);
            }
        };
        let f = aligned(vm, file);
        let opened = vm.with_root(obj, |vm| {
            fs.run(vm, |s| {
                // SAFETY: `fs` is the mounted state `with_fs` bound; `f` the
                // file state, with its cache after it, in the rooted store,
                // kept in the open-file table for as long as littlefs lists it.
                unsafe { pyrite_lfs_file_open(s, f, p.as_ptr().cast(), flags, f.cast::<u8>().add(state), mtime) }
            })
        });
        match opened {
            Ok(_) => Ok(obj),
            Err(e) => {
                crate::modules::os::drop_vfs_file(vm, crate::modules::os::vfs_slot_index(h));
                Err(e)
            }
        }
    })
}

/// The file system and the file state of an open file's table slot.
fn open_file(vm: &mut Vm, slot: Value) -> PyResult<(Fs, ObjRef)> {
    let items = vm.seq_items(slot).map(|s| s.to_vec()).unwrap_or_default();
    match (items.first(), items.get(1).and_then(|f| f.as_obj())) {
        (Some(&inst), Some(file)) => Ok((fs_of(vm, inst)?, file)),
        _ => Err(os_error(vm, EBADF)),
    }
}

pub(crate) fn file_read(vm: &mut Vm, slot: Value, buf: &mut [u8]) -> PyResult<usize> {
    let (fs, file) = open_file(vm, slot)?;
    let f = aligned(vm, file);
    let len = buf.len() as u32;
    let ptr = buf.as_mut_ptr();
    // SAFETY: `fs` is the mounted state `with_fs` bound, `f` an open file of
    // it (its store held by the open-file table); `ptr` has `len` bytes.
    let n = fs.run(vm, |s| unsafe { pyrite_lfs_file_read(s, f, ptr, len) })?;
    Ok(n as usize)
}

pub(crate) fn file_write(vm: &mut Vm, slot: Value, data: &[u8]) -> PyResult<usize> {
    let (fs, file) = open_file(vm, slot)?;
    let f = aligned(vm, file);
    // SAFETY: as in `file_read`, with `data`'s bytes.
    let n = fs.run(vm, |s| unsafe { pyrite_lfs_file_write(s, f, data.as_ptr(), data.len() as u32) })?;
    Ok(n as usize)
}

pub(crate) fn file_seek(vm: &mut Vm, slot: Value, offset: i64, whence: u8) -> PyResult<u64> {
    let (fs, file) = open_file(vm, slot)?;
    let f = aligned(vm, file);
    let off = offset.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    // SAFETY: as in `file_read`.
    let n = fs.run(vm, |s| unsafe { pyrite_lfs_file_seek(s, f, off, whence as c_int) })?;
    Ok(n as u64)
}

pub(crate) fn file_flush(vm: &mut Vm, slot: Value) -> PyResult<()> {
    let (fs, file) = open_file(vm, slot)?;
    let f = aligned(vm, file);
    // SAFETY: as in `file_read`.
    fs.run(vm, |s| unsafe { pyrite_lfs_file_sync(s, f) })?;
    Ok(())
}

/// Closes an open file; its slot is then free.
pub(crate) fn file_close(vm: &mut Vm, slot: Value) -> PyResult<()> {
    let (fs, file) = open_file(vm, slot)?;
    let f = aligned(vm, file);
    // SAFETY: as in `file_read`; littlefs drops the file from its list.
    fs.run(vm, |s| unsafe { pyrite_lfs_file_close(s, f) })?;
    Ok(())
}

/// Closes every file still open on `inst` (at `umount`).
fn close_files_of(vm: &mut Vm, inst: Value) -> PyResult<()> {
    let slots = vm.seq_items(vm.vfs_files).map(|s| s.to_vec()).unwrap_or_default();
    for (h, slot) in slots.into_iter().enumerate() {
        if vm.seq_items(slot).and_then(|s| s.first().copied()) == Some(inst) {
            let r = file_close(vm, slot);
            crate::modules::os::drop_vfs_file(vm, h);
            r?;
        }
    }
    Ok(())
}
