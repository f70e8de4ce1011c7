//! The terminal the host REPL runs on, as MicroPython's unix port handles
//! it: raw while a line is read (no echo or line buffering; Ctrl-C, Ctrl-D
//! and the arrows reach the line editor as bytes), restored while code runs
//! (Ctrl-C is SIGINT there, which raises KeyboardInterrupt). Switching
//! keeps what was typed ahead: it is read once the prompt is back.

use nix::sys::termios::{self, InputFlags, LocalFlags, SetArg, SpecialCharacterIndices, Termios};
use pyrite_vm::repl::Console;
use std::io::Read;

pub struct Terminal {
    cooked: Option<Termios>,
    raw: Option<Termios>,
    is_raw: bool,
}

impl Terminal {
    pub fn new() -> Terminal {
        let stdin = std::io::stdin();
        let cooked = termios::tcgetattr(&stdin).ok();
        let raw = cooked.clone().map(|mut t| {
            t.local_flags.remove(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG | LocalFlags::IEXTEN);
            t.input_flags.remove(InputFlags::IXON | InputFlags::ICRNL);
            t.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
            t.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
            t
        });
        Terminal { cooked, raw, is_raw: false }
    }

    fn set(&mut self, raw: bool) {
        if self.is_raw == raw {
            return;
        }
        if let Some(t) = if raw { &self.raw } else { &self.cooked } {
            // TCSANOW, not TCSAFLUSH: input typed ahead stays.
            let _ = termios::tcsetattr(std::io::stdin(), SetArg::TCSANOW, t);
        }
        self.is_raw = raw;
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.set(false);
    }
}

impl Console for Terminal {
    fn read_byte(&mut self) -> Option<u8> {
        self.set(true);
        let mut b = [0u8; 1];
        loop {
            match std::io::stdin().lock().read(&mut b) {
                Ok(1) => return Some(b[0]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                _ => return None,
            }
        }
    }

    fn running(&mut self, on: bool) {
        self.set(!on);
    }

    fn exits_on_system_exit(&self) -> bool {
        true
    }
}
