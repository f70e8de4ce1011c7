//! The port over std: stdout/stderr, a monotonic clock, and sleeping that
//! wakes early for Ctrl-C. Linux has no devicetree pins, so `machine.Pin`
//! raises `ValueError` here.

use pyrite_vm::port::{Errno, FileStat, FileSystem, FsStat, OpenMode};
use pyrite_vm::Port;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct HostPort {
    start: Instant,
    interrupt: &'static AtomicBool,
    /// Open files by handle; handles are never reused, so a closed one
    /// stays invalid.
    files: HashMap<u32, std::fs::File>,
    next_handle: u32,
    /// Where stdout and stderr go instead, when set (the fault-injection
    /// test runs programs in its own process and compares their output).
    pub capture: Option<std::rc::Rc<std::cell::RefCell<Vec<u8>>>>,
}

impl HostPort {
    pub fn new(interrupt: &'static AtomicBool) -> HostPort {
        HostPort { start: Instant::now(), interrupt, files: HashMap::new(), next_handle: 1, capture: None }
    }

    fn file(&mut self, h: u32) -> Result<&mut std::fs::File, Errno> {
        self.files.get_mut(&h).ok_or(pyrite_vm::port::EBADF)
    }
}

fn path(p: &[u8]) -> &std::path::Path {
    std::path::Path::new(std::ffi::OsStr::from_bytes(p))
}

fn errno(e: std::io::Error) -> Errno {
    e.raw_os_error().unwrap_or(5)
}

fn file_stat(m: &std::fs::Metadata) -> FileStat {
    let mtime = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64);
    FileStat { is_dir: m.is_dir(), size: m.len(), mtime }
}

impl Port for HostPort {
    fn stdout(&mut self, bytes: &[u8]) {
        if let Some(c) = &self.capture {
            c.borrow_mut().extend_from_slice(bytes);
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }

    /// Standard input's bytes as they come, until `buf` is full or input
    /// ends.
    fn read_raw(&mut self, buf: &mut [u8]) -> Option<usize> {
        use std::io::Read;
        let mut stdin = std::io::stdin().lock();
        let mut n = 0;
        while n < buf.len() {
            match stdin.read(&mut buf[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        Some(n)
    }

    fn stderr(&mut self, bytes: &[u8]) {
        if let Some(c) = &self.capture {
            c.borrow_mut().extend_from_slice(bytes);
            return;
        }
        let _ = std::io::stderr().lock().write_all(bytes);
    }

    fn read_file(&mut self, path: &[u8]) -> Option<Vec<u8>> {
        let path = std::str::from_utf8(path).ok()?;
        // Only regular files: a directory named like a module is a package.
        std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        std::fs::read(path).ok()
    }

    fn random_bytes(&mut self, buf: &mut [u8]) -> Result<(), Errno> {
        std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf)).map_err(errno)
    }

    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    fn time_ns(&mut self) -> i64 {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        t.as_nanos() as i64
    }

    fn read_line(&mut self, line: &mut Vec<u8>) -> Option<bool> {
        use std::io::BufRead;
        let mut buf = Vec::new();
        let n = std::io::stdin().lock().read_until(b'\n', &mut buf).ok()?;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        *line = buf;
        Some(n > 0)
    }

    fn sleep_us(&mut self, us: u64) {
        let end = Instant::now() + Duration::from_micros(us);
        while !self.interrupt.load(Ordering::Relaxed) {
            let now = Instant::now();
            if now >= end {
                break;
            }
            std::thread::sleep((end - now).min(Duration::from_millis(10)));
        }
    }

    fn platform(&self) -> &'static str {
        "linux"
    }

    fn random_seed(&mut self) -> Option<u32> {
        use std::io::Read;
        let mut b = [0u8; 4];
        std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)).ok()?;
        Some(u32::from_le_bytes(b))
    }

    fn fs(&mut self) -> Option<&mut dyn FileSystem> {
        Some(self)
    }
}

impl FileSystem for HostPort {
    fn fs_initial_dir(&mut self) -> Vec<u8> {
        std::env::current_dir().map(|d| d.as_os_str().as_bytes().to_vec()).unwrap_or_else(|_| b"/".to_vec())
    }

    fn fs_open(&mut self, p: &[u8], mode: OpenMode) -> Result<u32, Errno> {
        let f = std::fs::OpenOptions::new()
            .read(mode.read)
            .write(mode.write && !mode.append)
            .append(mode.append)
            .create(mode.create && !mode.exclusive)
            .create_new(mode.exclusive)
            .truncate(mode.truncate)
            .open(path(p))
            .map_err(errno)?;
        if f.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(21);
        }
        let h = self.next_handle;
        self.next_handle += 1;
        self.files.insert(h, f);
        Ok(h)
    }

    fn fs_read(&mut self, h: u32, buf: &mut [u8]) -> Result<usize, Errno> {
        self.file(h)?.read(buf).map_err(errno)
    }

    fn fs_write(&mut self, h: u32, buf: &[u8]) -> Result<usize, Errno> {
        self.file(h)?.write(buf).map_err(errno)
    }

    fn fs_seek(&mut self, h: u32, offset: i64, whence: u8) -> Result<u64, Errno> {
        let to = match whence {
            0 => SeekFrom::Start(offset.max(0) as u64),
            1 => SeekFrom::Current(offset),
            _ => SeekFrom::End(offset),
        };
        self.file(h)?.seek(to).map_err(errno)
    }

    fn fs_flush(&mut self, h: u32) -> Result<(), Errno> {
        self.file(h)?.flush().map_err(errno)
    }

    fn fs_sync(&mut self) -> Result<(), Errno> {
        for f in self.files.values_mut() {
            f.flush().map_err(errno)?;
        }
        nix::unistd::sync();
        Ok(())
    }

    fn fs_close(&mut self, h: u32) -> Result<(), Errno> {
        self.files.remove(&h).map(|_| ()).ok_or(pyrite_vm::port::EBADF)
    }

    fn fs_list(&mut self, p: &[u8], each: &mut dyn FnMut(&[u8], FileStat)) -> Result<(), Errno> {
        let mut names: Vec<_> = std::fs::read_dir(path(p)).map_err(errno)?.flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            let st = e.metadata().map(|m| file_stat(&m)).unwrap_or_default();
            each(e.file_name().as_bytes(), st);
        }
        Ok(())
    }

    fn fs_stat(&mut self, p: &[u8]) -> Result<FileStat, Errno> {
        std::fs::metadata(path(p)).map(|m| file_stat(&m)).map_err(errno)
    }

    fn fs_statvfs(&mut self, p: &[u8]) -> Result<FsStat, Errno> {
        let st = nix::sys::statvfs::statvfs(path(p)).map_err(|e| e as Errno)?;
        // Block counts are in fragments (f_frsize), as MicroPython reports.
        Ok(FsStat {
            block_size: st.fragment_size() as u64,
            blocks: st.blocks() as u64,
            blocks_free: st.blocks_available() as u64,
            name_max: st.name_max() as u64,
        })
    }

    fn fs_mkdir(&mut self, p: &[u8]) -> Result<(), Errno> {
        std::fs::create_dir(path(p)).map_err(errno)
    }

    fn fs_remove(&mut self, p: &[u8], dir: bool) -> Result<(), Errno> {
        if dir { std::fs::remove_dir(path(p)) } else { std::fs::remove_file(path(p)) }.map_err(errno)
    }

    fn fs_rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), Errno> {
        std::fs::rename(path(from), path(to)).map_err(errno)
    }
}
