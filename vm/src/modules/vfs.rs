//! `vfs` and the mount table: which file system a path belongs to.
//!
//! As MicroPython's VFS layer: file systems are objects mounted at paths
//! (`vfs.mount(fs, '/ram')`), and `os`'s functions and `open()` hand each
//! path, made relative to its mount point, to the object's method of the same
//! name. The port's own file system (the host's, or Zephyr's `fs_*` with
//! whatever the application mounted) is a native object, mounted at `/` from
//! the start and called directly, without a method lookup; a user class with
//! `open`, `stat`, `ilistdir`, ... methods, or a `VfsLfs2`, can be mounted
//! beside it, or in its place.
//!
//! The table is a list of `(fs, mount_point)` tuples, what `vfs.mount()`
//! returns, with anything mounted at `/` last so that longer mount points
//! win. The current directory is a table entry (a relative path goes to that
//! file system, which keeps its own directory) or none: the root, whose
//! listing is the mount points.

// Without `os` nothing calls into the table (the port file system is all).
#![cfg_attr(not(feature = "os"), allow(dead_code))]

use crate::error::{no_mem, PyErr, PyResult};
use crate::modules::builtins::has_attr;
use crate::modules::os::os_error;
use crate::objects::TypeId;
use crate::port::{Errno, ENODEV};
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

const EPERM: Errno = 1;
const EEXIST: Errno = 17;
const EINVAL: Errno = 22;
pub(crate) const S_IFDIR: isize = 0x4000;
pub(crate) const S_IFREG: isize = 0x8000;
/// `statvfs('/')`'s name length with nothing mounted at `/`.
const NAME_MAX: u64 = 255;

/// Where a path leads.
pub(crate) enum Place {
    /// `/` itself with the mount table behind it.
    Root,
    /// No file system holds it.
    Nowhere,
    /// The port's own file system: its table entry and the path within it.
    Native(Value, Vec<u8>),
    /// A mounted object: its table entry, the object and the path within it.
    Mounted(Value, Value, Vec<u8>),
}

impl Vm {
    /// The mount table and, at `/`, the port's file system (made with the VM).
    pub(crate) fn vfs_init(&mut self) -> PyResult<()> {
        let native = self.native_instance(TypeId::VfsNative, Value::NONE, Value::NULL)?;
        let entry = self.with_root(native, |vm| vm.new_tuple(&[native, Value::qstr(q::SLASH)]))?;
        self.vfs_cur = entry;
        self.vfs_mounts = self.new_list(&[entry])?;
        Ok(())
    }

    fn mount_entries(&self) -> Vec<Value> {
        self.seq_items(self.vfs_mounts).map(|s| s.to_vec()).unwrap_or_default()
    }

    /// An entry's (object, mount point).
    fn entry_parts(&self, entry: Value) -> (Value, Vec<u8>) {
        let items = self.seq_items(entry).unwrap_or(&[]);
        let obj = items.first().copied().unwrap_or(Value::NONE);
        let at = items.get(1).and_then(|&p| self.str_bytes(p)).map(|p| p.to_vec()).unwrap_or_default();
        (obj, at)
    }

    fn is_native_fs(&self, obj: Value) -> bool {
        self.kind_of(obj) == Some(crate::objects::Kind::Instance) && self.class_of(obj) == TypeId::VfsNative.value()
    }

    pub(crate) fn place_in(&self, entry: Value, path: &[u8]) -> PyResult<Place> {
        let (obj, _) = self.entry_parts(entry);
        let mut p = Vec::new();
        p.try_reserve(path.len()).map_err(no_mem)?;
        p.extend_from_slice(path);
        Ok(if self.is_native_fs(obj) { Place::Native(entry, p) } else { Place::Mounted(entry, obj, p) })
    }

    /// Which file system `path` is on, and the path within it.
    pub(crate) fn vfs_lookup(&self, path: &[u8]) -> PyResult<Place> {
        if !path.starts_with(b"/") && !self.vfs_cur.is_null() {
            return self.place_in(self.vfs_cur, path);
        }
        let rest = path.strip_prefix(b"/").unwrap_or(path);
        if rest.is_empty() {
            return Ok(Place::Root);
        }
        for entry in self.mount_entries() {
            let (_, at) = self.entry_parts(entry);
            let Some(name) = at.strip_prefix(b"/") else { continue };
            if name.is_empty() {
                // The file system at `/` holds everything else.
                return self.place_in(entry, path);
            }
            if let Some(tail) = rest.strip_prefix(name) {
                if tail.is_empty() {
                    return self.place_in(entry, b"/");
                }
                if tail.starts_with(b"/") {
                    return self.place_in(entry, tail);
                }
            }
        }
        Ok(Place::Nowhere)
    }

    /// `fs.name(path, *more)` for a mounted object; `OSError` for the root
    /// and for a path on no file system, as MicroPython.
    pub(crate) fn vfs_call(&mut self, place: Place, name: Qstr, more: &[Value]) -> PyResult<Value> {
        match place {
            Place::Nowhere => Err(os_error(self, ENODEV)),
            Place::Root => Err(os_error(self, EPERM)),
            Place::Native(..) => Err(os_error(self, EINVAL)),
            Place::Mounted(_, obj, path) => {
                let p = self.new_str(&path)?;
                let mut args = [p, Value::NONE, Value::NONE];
                let n = more.len().min(2);
                args[1..=n].copy_from_slice(&more[..n]);
                self.call_fs(obj, name, &args[..=n])
            }
        }
    }

    /// `obj.name(*args)`, the object and arguments rooted meanwhile.
    pub(crate) fn call_fs(&mut self, obj: Value, name: Qstr, args: &[Value]) -> PyResult<Value> {
        let at = self.roots.len();
        self.roots.try_reserve(args.len() + 2).map_err(no_mem)?;
        self.roots.push(obj);
        self.roots.extend_from_slice(args);
        let r = match self.load_attr(obj, name) {
            Ok(m) => {
                self.roots.push(m);
                self.call(m, args)
            }
            Err(e) => Err(e),
        };
        self.roots.truncate(at);
        r
    }

    /// A whole file for `import`, as a bytes object on the Python heap (the
    /// source of a module may be larger than the Rust heap); None when there
    /// is no such file (a mounted object's `stat` failing, as MicroPython,
    /// says so).
    pub(crate) fn vfs_read_file(&mut self, path: &[u8]) -> PyResult<Option<Value>> {
        match self.vfs_lookup(path)? {
            Place::Native(_, p) => match self.abs_path(&p) {
                Ok(full) => self.read_to_heap(&full),
                Err(_) => Ok(None),
            },
            Place::Mounted(e, obj, p) => {
                if self.mounted_mode(Place::Mounted(e, obj, p.clone()))?.is_none_or(|m| m & S_IFDIR != 0) {
                    return Ok(None);
                }
                let rb = self.new_str(b"rb")?;
                let f = self.with_root(rb, |vm| vm.vfs_call(Place::Mounted(e, obj, p), q::open, &[rb]))?;
                let data = self.with_root(f, |vm| read_stream(vm, f))?;
                // Read (the object saw every call): made here, not retried.
                self.retry_after_collect(f, |vm| vm.new_bytes(&data)).map(Some)
            }
            Place::Root | Place::Nowhere => Ok(None),
        }
    }

    /// Whether `path` is a directory (a package, for `import`).
    pub(crate) fn vfs_is_dir(&mut self, path: &[u8]) -> PyResult<bool> {
        Ok(match self.vfs_lookup(path)? {
            Place::Native(_, p) => self.abs_path(&p).ok().is_some_and(|full| self.fs().fs_stat(&full).is_ok_and(|st| st.is_dir)),
            place @ Place::Mounted(..) => self.mounted_mode(place)?.is_some_and(|m| m & S_IFDIR != 0),
            Place::Root => true,
            Place::Nowhere => false,
        })
    }

    /// The mode a mounted object's `stat` gives; None when it raises (no
    /// such file, as MicroPython takes it), but for lack of memory.
    fn mounted_mode(&mut self, place: Place) -> PyResult<Option<isize>> {
        let st = match self.vfs_call(place, q::stat, &[]) {
            Ok(st) => st,
            Err(PyErr::NoMemory) => return Err(PyErr::NoMemory),
            Err(e) if self.caught(e, TypeId::MemoryError) => return Err(e),
            Err(_) => return Ok(None),
        };
        Ok(self.seq_items(st).and_then(|i| i.first().copied()).and_then(|m| self.as_int(m)).map(|m| m as isize))
    }

    /// `os.getcwd()`: the current file system's directory under its mount
    /// point.
    pub(crate) fn vfs_getcwd(&mut self) -> PyResult<Value> {
        if self.vfs_cur.is_null() {
            return Ok(Value::qstr(q::SLASH));
        }
        let (obj, at) = self.entry_parts(self.vfs_cur);
        let cwd = if self.is_native_fs(obj) {
            let c = self.abs_path(b".")?;
            self.new_str(&c)?
        } else {
            self.call_fs(obj, q::getcwd, &[])?
        };
        if at == b"/" {
            return Ok(cwd);
        }
        let Some(c) = self.str_bytes(cwd).map(|c| c.to_vec()) else {
            return Err(self.raise(TypeId::TypeError, "getcwd() must return a str"));
        };
        let mut full = at;
        if c != b"/" {
            crate::vm::put(&mut full, &c)?;
        }
        self.new_str(&full)
    }

    /// `os.chdir(path)`: the file system it is on becomes the current one.
    pub(crate) fn vfs_chdir(&mut self, path: &[u8]) -> PyResult<()> {
        let place = self.vfs_lookup(path)?;
        let entry = match place {
            Place::Root => {
                // Relative paths then start at the root of what is at `/`.
                if let Some(e) = self.root_entry() {
                    let p = self.place_in(e, b"/")?;
                    self.chdir_in(p)?;
                }
                Value::NULL
            }
            Place::Nowhere => return Err(os_error(self, ENODEV)),
            Place::Native(entry, _) | Place::Mounted(entry, ..) => {
                self.with_root(entry, |vm| vm.chdir_in(place))?;
                entry
            }
        };
        self.vfs_cur = entry;
        Ok(())
    }

    fn chdir_in(&mut self, place: Place) -> PyResult<()> {
        match place {
            Place::Native(_, p) => crate::modules::os::native_chdir(self, &p),
            p => self.vfs_call(p, q::chdir, &[]).map(|_| ()),
        }
    }

    /// The entry mounted at `/`, if any.
    pub(crate) fn root_entry(&self) -> Option<Value> {
        self.mount_entries().into_iter().find(|&e| self.entry_parts(e).1 == b"/")
    }

    /// `os.ilistdir(path)`'s iterator: at the root, the mount points, then
    /// what is at `/`.
    pub(crate) fn vfs_ilistdir(&mut self, path: &[u8]) -> PyResult<Value> {
        match self.vfs_lookup(path)? {
            Place::Native(_, p) => crate::modules::os::native_ilistdir(self, &p),
            Place::Root => {
                let l = self.new_list(&[])?;
                let lr = l.as_obj().expect("new list");
                self.with_root(l, |vm| {
                    for entry in vm.mount_entries() {
                        let (obj, at) = vm.entry_parts(entry);
                        if at == b"/" {
                            let inner = match vm.place_in(entry, b"/")? {
                                Place::Native(_, p) => crate::modules::os::native_ilistdir(vm, &p)?,
                                _ => {
                                    let root = Value::qstr(q::SLASH);
                                    vm.call_fs(obj, q::ilistdir, &[root])?
                                }
                            };
                            vm.with_root(inner, |vm| vm.for_each(inner, |vm, item| vm.list_push(lr, item).map(|_| true)))?;
                            break;
                        }
                        let name = vm.new_str(at.get(1..).unwrap_or(&[]))?;
                        let t = vm.with_root(name, |vm| vm.new_tuple(&[name, Value::small_int(S_IFDIR), Value::small_int(0)]))?;
                        vm.with_root(t, |vm| vm.list_push(lr, t))?;
                    }
                    vm.get_iter(l)
                })
            }
            p => self.vfs_call(p, q::ilistdir, &[]),
        }
    }
}

/// MicroPython's stream ioctl requests a file object of a mounted file
/// system may answer (`io.IOBase` subclasses).
const IOCTL_CLOSE: isize = 4;
const IOCTL_BUFFER_SIZE: isize = 11;

/// A whole file's bytes from a file object of a mounted file system: as
/// MicroPython's module reader, by `readinto` in chunks of the size its
/// `ioctl` asks for (at most 255 bytes), closed by `ioctl`; by `read()` and
/// `close()` for an object without `ioctl`.
fn read_stream(vm: &mut Vm, f: Value) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    if !has_attr(vm, f, q::ioctl)? {
        let data = vm.call_fs(f, q::read, &[])?;
        crate::vm::put(&mut out, vm.bytes_payload(data).or_else(|| vm.str_bytes(data)).unwrap_or(&[]))?;
        vm.call_fs(f, q::close, &[])?;
        return Ok(out);
    }
    let size = vm.call_fs(f, q::ioctl, &[Value::small_int(IOCTL_BUFFER_SIZE), Value::small_int(0)])?;
    let size = vm.as_int(size).filter(|&n| n > 0).map_or(255, |n| n.min(255)) as usize;
    let buf = vm.new_bytearray_zeroed(size)?;
    let read = vm.with_root(buf, |vm| loop {
        let n = vm.call_fs(f, q::readinto, &[buf])?;
        let n = vm.as_int(n).unwrap_or(0).clamp(0, size as i64) as usize;
        if n == 0 {
            return Ok(());
        }
        let chunk = vm.bytes_payload(buf).unwrap_or(&[]);
        crate::vm::put(&mut out, &chunk[..n.min(chunk.len())])?;
    });
    vm.call_fs(f, q::ioctl, &[Value::small_int(IOCTL_CLOSE), Value::small_int(0)])?;
    read.map(|_| out)
}

/// `vfs.mount(fs, mount_point, *, readonly=False, mkfs=False)`; with no
/// arguments, the mount table: a list of `(fs, mount_point)`.
pub fn mount(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if args.pos.is_empty() {
        let items = vm.mount_entries();
        return vm.new_list(&items);
    }
    if args.pos.len() != 2 {
        return Err(vm.raise(TypeId::TypeError, "function takes 2 positional arguments"));
    }
    let (mut fs, at) = (args.pos[0], args.pos[1]);
    let Some(point) = vm.str_bytes(at).map(|p| p.to_vec()) else {
        return Err(vm.raise(TypeId::TypeError, "mount point must be a str"));
    };
    let readonly = Value::from_bool(args.kwarg(q::readonly).is_some_and(|v| vm.truthy(v).unwrap_or(false)));
    let mkfs = Value::from_bool(args.kwarg(q::mkfs).is_some_and(|v| vm.truthy(v).unwrap_or(false)));
    if !has_attr(vm, fs, q::mount)? {
        // A block device: the file system on it.
        fs = detect(vm, fs)?;
    }
    let entry = vm.with_root(fs, |vm| vm.new_tuple(&[fs, at]))?;
    vm.with_root(entry, |vm| vm.call_fs(fs, q::mount, &[readonly, mkfs]))?;
    // The file system is mounted: the call can't be retried (it would
    // mount it again), so out of memory collect and try here.
    vm.retry_after_collect(entry, |vm| {
        let taken = match vm.vfs_lookup(&point)? {
            Place::Root | Place::Nowhere => None,
            Place::Native(e, _) | Place::Mounted(e, ..) => Some(e),
        };
        // Below what is mounted at `/`, a new mount point may be made;
        // anything else is taken.
        if taken.is_some_and(|e| !(point != b"/" && vm.entry_parts(e).1 == b"/")) {
            return Err(os_error(vm, EPERM));
        }
        let mut items = vm.mount_entries();
        let at = items.iter().position(|&e| vm.entry_parts(e).1 == b"/").unwrap_or(items.len());
        items.try_reserve(1).map_err(no_mem)?;
        items.insert(at, entry);
        vm.vfs_mounts = vm.new_list(&items)?;
        Ok(Value::NONE)
    })
}

/// The file system on block device `bdev`: littlefs (v2), found by its
/// superblock's name in block 0 or 1.
fn detect(vm: &mut Vm, bdev: Value) -> PyResult<Value> {
    #[cfg(feature = "vfs-lfs2")]
    if crate::modules::vfs_lfs::is_littlefs(vm, bdev)? {
        return crate::modules::vfs_lfs::construct(vm, &Args { pos: &[bdev], kw: &[] });
    }
    let _ = bdev;
    Err(os_error(vm, ENODEV))
}

/// `vfs.umount(mount_point or fs)`.
pub fn umount(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let which = args.pos[0];
    let name = vm.str_bytes(which).map(|p| p.to_vec());
    let items = vm.mount_entries();
    let found = items.iter().position(|&e| {
        let (obj, at) = vm.entry_parts(e);
        obj == which || name.as_deref() == Some(&at[..])
    });
    let Some(i) = found else { return Err(os_error(vm, EINVAL)) };
    let entry = items[i];
    let mut rest = items;
    rest.remove(i);
    let l = vm.new_list(&rest)?;
    vm.vfs_mounts = l;
    if vm.vfs_cur == entry {
        vm.vfs_cur = Value::NULL;
    }
    let (obj, _) = vm.entry_parts(entry);
    if vm.is_native_fs(obj) {
        return Ok(Value::NONE);
    }
    // Taken out of the table already: the call can't be retried.
    vm.retry_after_collect(entry, |vm| vm.call_fs(obj, q::umount, &[]))?;
    Ok(Value::NONE)
}

/// `VfsNative.mount(readonly, mkfs)` and `umount()`: nothing to do.
pub fn native_nothing(_vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::NONE)
}

/// `os.statvfs('/')` with nothing mounted at `/`: all zero but the name
/// length.
pub(crate) fn empty_statvfs(vm: &mut Vm) -> PyResult<Value> {
    crate::modules::os::statvfs_tuple(vm, 0, 0, 0, NAME_MAX)
}

/// `os.mkdir` of a mount point or the root: it exists.
pub(crate) fn exists_error(vm: &mut Vm) -> PyErr {
    os_error(vm, EEXIST)
}

/// `os.rename` across two file systems.
pub(crate) fn cross_error(vm: &mut Vm) -> PyErr {
    os_error(vm, EPERM)
}
