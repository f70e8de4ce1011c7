//! The REPL, the same on every port, fed a byte at a time: MicroPython's
//! friendly REPL (line editing, history, auto-indent, Tab completion,
//! Ctrl-E paste mode) and its raw REPL with raw-paste flow control, byte
//! for byte as `mpremote` and `pyboard.py` expect them.

mod complete;
mod editor;
mod raw;

pub use editor::{Key, LineEditor};

use crate::compile::lexer::{Lexer, Tok};
use crate::compile::Mode;
use crate::error::PyErr;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Whether `src` (an entry so far, each line ended by a newline) needs more
/// lines before it can run: open brackets or a triple-quoted string at its
/// end, a last line ending in `:` or a backslash, a decorator, or an
/// indented block that has not been closed by an empty line. The lexer
/// reads it, so strings and comments are told apart as the compiler will.
pub fn needs_more_input(src: &[u8]) -> bool {
    let mut lex = Lexer::new(src);
    let (mut first, mut last, mut end) = (None, Tok::Newline, 0);
    loop {
        let t = match lex.next_token() {
            // The entry ends with a newline: only a string still open (a
            // triple-quoted one) fails at its very end.
            Err(_) if lex.at_end() => return true,
            // Other errors are the compiler's to report, once the entry is
            // complete by the rules below.
            Err(_) => break,
            Ok(t) => t,
        };
        match t.tok {
            Tok::Eof => break,
            Tok::Newline | Tok::Indent | Tok::Dedent => {}
            tok => {
                first.get_or_insert(tok);
                (last, end) = (tok, t.end as usize);
            }
        }
    }
    // Nothing but a backslash after the last token: a continued line.
    let after = src.get(end..).unwrap_or(b"").trim_ascii();
    if lex.in_brackets() || last == Tok::Colon || after == b"\\" {
        return true;
    }
    // A compound statement (a block) ends with an empty line; a decorator
    // waits for its function; anything else runs as soon as its brackets
    // close.
    let text = src.strip_suffix(b"\n").unwrap_or(src);
    let last_line = text.rsplit(|&c| c == b'\n').next().unwrap_or(b"");
    let block = matches!(
        first,
        Some(
            Tok::At
                | Tok::If
                | Tok::Elif
                | Tok::Else
                | Tok::While
                | Tok::For
                | Tok::Def
                | Tok::Class
                | Tok::With
                | Tok::Try
                | Tok::Except
                | Tok::Finally
                | Tok::Async
        )
    );
    block && (first == Some(Tok::At) || text.contains(&b'\n')) && !last_line.trim_ascii().is_empty()
}

/// Where the REPL reads its input, and how it tells the port when Python
/// code runs.
pub trait Console {
    /// The next byte typed, waiting for it; `None` once input has ended.
    fn read_byte(&mut self) -> Option<u8>;
    /// Python code starts (`true`) or stops running: while it runs, Ctrl-C
    /// raises KeyboardInterrupt in it; otherwise it is a key like another.
    fn running(&mut self, _on: bool) {}
    /// Bytes a raw-paste sender may have in flight per window: half what
    /// the port buffers (two windows are granted at the start), 128 as
    /// MicroPython's.
    fn paste_window(&self) -> u16 {
        128
    }
    /// Whether an uncaught `SystemExit` ends the REPL (a program, as
    /// MicroPython's unix port) rather than soft-resetting (a board).
    fn exits_on_system_exit(&self) -> bool {
        false
    }
}

/// Why `Session::run` returned.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Ctrl-D (or `machine.soft_reset()`): the port starts the VM afresh,
    /// prints `MPY: soft reboot` and calls `run` again; the session stays
    /// in the mode it was in (mpremote soft-resets in the raw REPL).
    SoftReset,
    /// Input ended, or Ctrl-D where it leaves the REPL (the shell's `py`).
    Leave,
}

/// What a mode's loop hands back to `run`.
enum Flow {
    Raw,
    Friendly,
    End(Ended),
}

/// One console's REPL: its mode and line editor (with the history), kept
/// across soft resets.
pub struct Session {
    raw: bool,
    ctrl_d_leaves: bool,
    /// Ctrl-X at the prompt leaves (to the Zephyr shell, where Python owns
    /// the console but a shell is built in).
    ctrl_x_leaves: bool,
    editor: LineEditor,
}

const PRIMARY: &[u8] = b">>> ";
const CONTINUE: &[u8] = b"... ";

fn show(vm: &mut Vm, bytes: &[u8]) {
    vm.port.stdout(bytes);
}

/// Appends to an input buffer without aborting when memory is short.
fn append(buf: &mut Vec<u8>, bytes: &[u8]) -> bool {
    if buf.try_reserve(bytes.len()).is_err() {
        return false;
    }
    buf.extend_from_slice(bytes);
    true
}

/// The indentation for the line after `entry`'s last, as MicroPython's:
/// that line's in whole levels of four, one more after a `:`; none after
/// two blank lines.
fn auto_indent(entry: &[u8]) -> usize {
    let text = entry.strip_suffix(b"\n").unwrap_or(entry);
    let mut lines = text.rsplit(|&c| c == b'\n');
    let last = lines.next().unwrap_or(b"");
    if last.iter().all(|&c| c == b' ') && lines.next().is_some_and(|l| l.iter().all(|&c| c == b' ')) {
        return 0;
    }
    let levels = last.iter().take_while(|&&c| c == b' ').count() / 4 + usize::from(last.ends_with(b":"));
    (4 * levels).min(editor::LINE_MAX / 2)
}

/// Runs `src` as Python code (Ctrl-C raises meanwhile); `None` for source
/// that did not fit in memory, a MemoryError. Its exception, if any.
fn run_code(vm: &mut Vm, con: &mut dyn Console, src: Option<&[u8]>, mode: Mode) -> Option<PyErr> {
    let Some(src) = src else { return Some(PyErr::NoMemory) };
    con.running(true);
    let r = vm.exec(src, "<stdin>", mode);
    con.running(false);
    r.err()
}

/// Runs `src`, printing an uncaught exception. `Some` when the code asked
/// for a soft reset (`machine.soft_reset()`).
fn execute(vm: &mut Vm, con: &mut dyn Console, src: Option<&[u8]>, mode: Mode) -> Option<Ended> {
    let err = run_code(vm, con, src, mode);
    finish(vm, con, err)
}

/// After code ran: a soft reset it asked for, or its exception printed.
/// An uncaught `SystemExit` is not printed: as MicroPython's REPL on a
/// board, it soft-resets (tests that skip themselves print SKIP and raise
/// it, and the runner waits for the REPL to come back); a program ends.
fn finish(vm: &mut Vm, con: &mut dyn Console, err: Option<PyErr>) -> Option<Ended> {
    // A heap left locked by the failed code would make the REPL itself
    // unusable.
    vm.release_heap_lock();
    if vm.take_soft_reset() {
        return Some(Ended::SoftReset);
    }
    if let Some(e) = err {
        let exc = vm.exception_value(e);
        if vm.exception_type(exc).is_subtype_of(crate::objects::TypeId::SystemExit) {
            return Some(if con.exits_on_system_exit() { Ended::Leave } else { Ended::SoftReset });
        }
        vm.print_exception(exc);
    }
    None
}

impl Session {
    /// A session in the friendly REPL. `ctrl_d_leaves`: Ctrl-D at its
    /// prompt leaves (the shell's `py`) rather than soft-resets.
    pub fn new(ctrl_d_leaves: bool) -> Session {
        Session { raw: false, ctrl_d_leaves, ctrl_x_leaves: false, editor: LineEditor::default() }
    }

    /// Ctrl-X at a fresh prompt leaves the REPL (`Ended::Leave`).
    pub fn leave_on_ctrl_x(&mut self) {
        self.ctrl_x_leaves = true;
    }

    /// In the raw REPL (after Ctrl-A), where a soft reset returns to.
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// Starts in the raw REPL (after a soft reset there).
    pub fn enter_raw(&mut self) {
        self.raw = true;
    }

    /// Reads and runs what `con` gives until a soft reset or the end;
    /// `banner` greets the friendly REPL.
    pub fn run(&mut self, vm: &mut Vm, con: &mut dyn Console, banner: &[u8]) -> Ended {
        loop {
            let flow = if self.raw { raw::repl(vm, con) } else { self.friendly(vm, con, banner) };
            match flow {
                Flow::Raw => self.raw = true,
                Flow::Friendly => self.raw = false,
                Flow::End(e) => return e,
            }
        }
    }

    fn friendly(&mut self, vm: &mut Vm, con: &mut dyn Console, banner: &[u8]) -> Flow {
        show(vm, banner);
        let mut entry: Vec<u8> = Vec::new();
        let mut prompt = PRIMARY;
        let mut indent = 0;
        // Off for the rest of an entry once it shows itself pasted.
        let mut indenting = true;
        loop {
            show(vm, prompt);
            self.editor.start(indent, &mut |b| vm.port.stdout(b));
            let run_now = loop {
                let Some(byte) = con.read_byte() else { return Flow::End(Ended::Leave) };
                match self.editor.feed(byte, &mut |b| vm.port.stdout(b)) {
                    Key::Nothing => {}
                    Key::IndentOff => indenting = false,
                    Key::Tab => complete::tab(vm, &mut self.editor, prompt),
                    Key::CtrlC => {
                        show(vm, b"\n");
                        entry.clear();
                        break false;
                    }
                    // Ctrl-D: runs a block being entered; on an empty
                    // prompt, soft reset (or leave).
                    Key::Control(4) => {
                        show(vm, b"\n");
                        if !entry.is_empty() {
                            break true;
                        }
                        return Flow::End(if self.ctrl_d_leaves { Ended::Leave } else { Ended::SoftReset });
                    }
                    // The others only at a fresh prompt.
                    Key::Control(_) if !entry.is_empty() => {}
                    // Ctrl-A: the raw REPL (what mpremote types).
                    Key::Control(1) => {
                        show(vm, b"\n");
                        return Flow::Raw;
                    }
                    Key::Control(0x18) if self.ctrl_x_leaves => {
                        show(vm, b"\n");
                        return Flow::End(Ended::Leave);
                    }
                    Key::Control(0x18) => {}
                    // Ctrl-B: the banner again.
                    Key::Control(2) => {
                        show(vm, b"\n");
                        show(vm, banner);
                        break false;
                    }
                    // Ctrl-E: paste mode.
                    Key::Control(_) => match paste(vm, con) {
                        Some(e) => return Flow::End(e),
                        None => break false,
                    },
                    Key::Enter => {
                        self.editor.remember();
                        let line = self.editor.line();
                        if entry.is_empty() && line.trim_ascii().is_empty() {
                            break false;
                        }
                        if !append(&mut entry, line) || !append(&mut entry, b"\n") {
                            entry = Vec::new();
                            finish(vm, con, Some(PyErr::NoMemory));
                            break false;
                        }
                        break !needs_more_input(&entry);
                    }
                }
            };
            if run_now {
                let src = core::mem::take(&mut entry);
                if let Some(e) = execute(vm, con, Some(&src), Mode::Single) {
                    return Flow::End(e);
                }
            }
            (prompt, indent) = match entry.is_empty() {
                true => (PRIMARY, 0),
                false => (CONTINUE, if indenting { auto_indent(&entry) } else { 0 }),
            };
            indenting |= entry.is_empty();
        }
    }
}

/// Ctrl-E: lines are taken as they come, without indenting or running
/// anything, until Ctrl-D runs them all (Ctrl-C drops them).
fn paste(vm: &mut Vm, con: &mut dyn Console) -> Option<Ended> {
    show(vm, b"\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\n=== ");
    let mut src = Vec::new();
    let mut fits = true;
    let mut after_cr = false;
    loop {
        let Some(b) = con.read_byte() else { return Some(Ended::Leave) };
        match b {
            0x03 => {
                show(vm, b"\n");
                return None;
            }
            0x04 => {
                show(vm, b"\n");
                return execute(vm, con, fits.then_some(&src[..]), Mode::File);
            }
            b'\n' if after_cr => {}
            b'\r' | b'\n' => {
                fits = fits && append(&mut src, b"\n");
                show(vm, b"\n=== ");
            }
            _ => {
                fits = fits && append(&mut src, &[b]);
                show(vm, &[b]);
            }
        }
        after_cr = b == b'\r';
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        assert!(!needs_more_input(b"print(1)\n"));
        assert!(needs_more_input(b"if x:\n"));
        assert!(needs_more_input(b"if x:\n  y = 1\n"));
        assert!(!needs_more_input(b"if x:\n  y = 1\n\n"));
        assert!(needs_more_input(b"f(1,\n"));
        assert!(needs_more_input(b"s = '''abc\n"));
        assert!(!needs_more_input(b"s = ':'  # trailing :\n"));
        assert!(!needs_more_input(b"x = '('\n"));
        assert!(!needs_more_input(b"x = (1,\n2)\n"), "closed brackets end a simple statement");
        assert!(!needs_more_input(b"for i in x: pass\n  \n"));
        assert!(needs_more_input(b"while x:\n    y()\n"));
        assert!(!needs_more_input(b"iffy = 1\n"));
        assert!(needs_more_input(b"@decorator\n"));
        assert!(needs_more_input(b"@decorator\ndef f(): pass\n"));
        assert!(!needs_more_input(b"@decorator\ndef f(): pass\n\n"));
        assert!(needs_more_input(b"x = 1 + \\\n"));
        assert!(!needs_more_input(b"x = 1  # not a continuation \\\n"));
        assert!(needs_more_input(b"s = \"\"\"a ' \\\" b\n"));
        assert!(!needs_more_input(b"s = 'open\n"), "a one-line string left open is an error to show");
        assert!(needs_more_input(b"d = {'a': [1,\n"));
        assert!(!needs_more_input(b"y = 1 + \\\\\n2\n"), "a stray backslash is an error to show");
    }
}
