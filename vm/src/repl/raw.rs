//! MicroPython's raw REPL, the machine interface `mpremote` and
//! `pyboard.py` drive: no echo, code sent whole and ended by Ctrl-D, and
//! answers framed so the host can tell output from an exception.
//!
//! - `>` asks for code; Ctrl-D ends it, `OK` acknowledges, the code runs,
//!   then come its output, `\x04`, the exception (if any) and `\x04`.
//! - Ctrl-D with no code soft-resets; Ctrl-A starts over; Ctrl-B leaves
//!   for the friendly REPL; Ctrl-C drops what was sent.
//! - Raw paste: `\x05A\x01` asks for it; `R\x01` and the window size (two
//!   bytes, little-endian) answer, then a `\x01` for each window of bytes
//!   taken (two are granted at the start); the sender ends with `\x04`,
//!   echoed back before the code runs with the framing above.

use super::{append, finish, run_code, show, Console, Ended, Flow};
use crate::compile::Mode;
use crate::objects::TypeId;
use crate::vm::Vm;
use alloc::vec::Vec;

const BANNER: &[u8] = b"raw REPL; CTRL-B to exit\n";

pub(super) fn repl(vm: &mut Vm, con: &mut dyn Console) -> Flow {
    show(vm, BANNER);
    show(vm, b">");
    let mut src = Vec::new();
    let mut fits = true;
    loop {
        let Some(b) = con.read_byte() else { return Flow::End(Ended::Leave) };
        match b {
            0x01 if src.len() == 2 && src[0] == 0x05 => {
                let command = src[1];
                src = Vec::new();
                fits = true;
                if command == b'A' {
                    if let Some(e) = paste(vm, con) {
                        return Flow::End(e);
                    }
                } else {
                    // A request this side does not know.
                    show(vm, b"R\x00");
                }
                show(vm, b">");
            }
            0x01 => {
                src = Vec::new();
                fits = true;
                show(vm, BANNER);
                show(vm, b">");
            }
            0x02 => {
                show(vm, b"\n");
                return Flow::Friendly;
            }
            0x03 => {
                src = Vec::new();
                fits = true;
            }
            0x04 => {
                show(vm, b"OK");
                if src.is_empty() && fits {
                    show(vm, b"\n");
                    return Flow::End(Ended::SoftReset);
                }
                let code = core::mem::take(&mut src);
                if let Some(e) = run(vm, con, &code, fits) {
                    return Flow::End(e);
                }
                fits = true;
                show(vm, b">");
            }
            _ => fits = fits && append(&mut src, &[b]),
        }
    }
}

/// Raw-paste mode, once `\x05A\x01` has come: takes the code with flow
/// control, then runs it.
fn paste(vm: &mut Vm, con: &mut dyn Console) -> Option<Ended> {
    let window = con.paste_window().max(1);
    show(vm, b"R\x01");
    let [lo, hi] = window.to_le_bytes();
    show(vm, &[lo, hi, 0x01]);
    let mut src = Vec::new();
    let mut fits = true;
    let mut left = window;
    loop {
        let Some(b) = con.read_byte() else { return Some(Ended::Leave) };
        match b {
            0x04 => {
                show(vm, b"\x04");
                break;
            }
            // The sender gave up: end of data, then a KeyboardInterrupt
            // in the usual framing.
            0x03 => {
                show(vm, b"\x04\x04");
                match vm.new_exception(TypeId::KeyboardInterrupt, &[]) {
                    Ok(exc) => vm.print_exception(exc),
                    Err(_) => show(vm, b"KeyboardInterrupt: \n"),
                }
                show(vm, b"\x04");
                return None;
            }
            _ => fits = fits && append(&mut src, &[b]),
        }
        left -= 1;
        if left == 0 {
            show(vm, b"\x01");
            left = window;
        }
    }
    run(vm, con, &src, fits)
}

/// Runs raw-REPL code (`fits` false: it did not fit in memory) and frames
/// the answer: output, `\x04`, exception, `\x04`.
fn run(vm: &mut Vm, con: &mut dyn Console, code: &[u8], fits: bool) -> Option<Ended> {
    let err = run_code(vm, con, fits.then_some(code), Mode::File);
    show(vm, b"\x04");
    let ended = finish(vm, con, err);
    show(vm, b"\x04");
    ended
}
