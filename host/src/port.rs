//! The port over std: stdout/stderr, a monotonic clock, and sleeping that
//! wakes early for Ctrl-C. Linux has no devicetree pins, so `machine.Pin`
//! raises `ValueError` here.

use pyrite_vm::Port;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct HostPort {
    start: Instant,
    interrupt: &'static AtomicBool,
}

impl HostPort {
    pub fn new(interrupt: &'static AtomicBool) -> HostPort {
        HostPort { start: Instant::now(), interrupt }
    }
}

impl Port for HostPort {
    fn stdout(&mut self, bytes: &[u8]) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }

    fn stderr(&mut self, bytes: &[u8]) {
        let _ = std::io::stderr().lock().write_all(bytes);
    }

    fn read_file(&mut self, path: &[u8]) -> Option<Vec<u8>> {
        let path = std::str::from_utf8(path).ok()?;
        // Only regular files: a directory named like a module is a package.
        std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        std::fs::read(path).ok()
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
}
