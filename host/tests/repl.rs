//! The `pyrite` REPL on a real terminal (a pseudo-terminal), keys sent all
//! at once as a fast typist or tmux sends them: nothing typed ahead is
//! lost, blocks auto-indent, Tab completes, Ctrl-C interrupts running code
//! and Ctrl-D leaves.

use nix::pty::openpty;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Repl {
    master: std::fs::File,
    child: std::process::Child,
    seen: Vec<u8>,
}

impl Repl {
    fn start() -> Repl {
        let pty = openpty(None, None).expect("a pseudo-terminal");
        let slave = |fd: &OwnedFd| Stdio::from(fd.as_fd().try_clone_to_owned().unwrap());
        // In a session of its own with the terminal as its controlling one
        // (util-linux's `setsid --ctty`), so Ctrl-C there is a SIGINT to
        // it, as in a terminal window.
        let child = Command::new("setsid")
            .arg("--ctty")
            .arg(env!("CARGO_BIN_EXE_pyrite"))
            .stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave))
            .spawn()
            .expect("pyrite runs");
        drop(pty.slave);
        let master = std::fs::File::from(pty.master);
        nix::fcntl::fcntl(master.as_raw_fd(), nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK)).unwrap();
        Repl { master, child, seen: Vec::new() }
    }

    fn send(&mut self, keys: &[u8]) {
        self.master.write_all(keys).unwrap();
    }

    /// Whether `text` has been shown by now (consumed if so).
    fn poll_for(&mut self, text: &str) -> bool {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = self.master.read(&mut buf) {
            self.seen.extend_from_slice(&buf[..n]);
        }
        match self.seen.windows(text.len()).position(|w| w == text.as_bytes()) {
            Some(at) => {
                self.seen.drain(..at + text.len());
                true
            }
            None => false,
        }
    }

    /// Waits for `text` in what the terminal has shown since the last wait.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut buf = [0u8; 4096];
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => self.seen.extend_from_slice(&buf[..n]),
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
            let shown = String::from_utf8_lossy(&self.seen).into_owned();
            if let Some(at) = self.seen.windows(text.len()).position(|w| w == text.as_bytes()) {
                self.seen.drain(..at + text.len());
                return shown;
            }
            assert!(Instant::now() < deadline, "no {text:?} in {shown:?}");
        }
    }
}

impl Drop for Repl {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn typed_ahead_blocks_indent_and_tab_completes() {
    let mut r = Repl::start();
    r.wait_for(">>> ");
    // As typed, with no indentation: the REPL indents the body.
    r.send(b"def f(x):\rreturn x*2\r\rf(21)\rimport math\rmath.sq\t(2.25)\r");
    let shown = r.wait_for("1.5\r\n");
    assert!(shown.contains("...     return x*2\r\n"), "{shown:?}");
    assert!(shown.contains("\r\n42\r\n"), "{shown:?}");
    assert!(shown.contains("math.sqrt(2.25)"), "{shown:?}");
    // History: Up brings back the last line.
    r.send(b"\x1b[A\r");
    r.wait_for("1.5\r\n");
    // Ctrl-C stops running code with KeyboardInterrupt; the REPL goes on.
    // A Ctrl-C read with the lines before it, under load, is taken by the
    // line editor before the loop runs: send it until the loop takes one.
    r.send(b"while True: pass\r\r");
    let interrupted = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(200));
        r.send(b"\x03");
        r.poll_for("KeyboardInterrupt")
    });
    assert!(interrupted, "Ctrl-C never stopped the loop: {:?}", String::from_utf8_lossy(&r.seen));
    r.send(b"print('still', 6*7)\r");
    r.wait_for("still 42");
    r.send(b"\x04");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = r.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "Ctrl-D did not end the REPL");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "Ctrl-D exits: {status:?}");
}

#[test]
fn raw_repl_on_the_terminal() {
    let mut r = Repl::start();
    r.wait_for(">>> ");
    r.send(b"\r\x01");
    r.wait_for("raw REPL; CTRL-B to exit\r\n>");
    r.send(b"print(6*7)\x04");
    r.wait_for("OK42\r\n\x04\x04>");
    r.send(b"\x05A\x01");
    r.wait_for("R\x01");
    r.send(b"print('pasted')\x04");
    r.wait_for("\x04pasted\r\n\x04\x04>");
    r.send(b"\x02");
    r.wait_for(">>> ");
}
