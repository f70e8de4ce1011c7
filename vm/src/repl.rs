//! The interactive loop's logic, shared by every port: when an entry is
//! complete, running it, and a small line editor for raw terminals (the
//! Zephyr shell in bypass mode delivers raw bytes).

use crate::compile::Mode;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Whether `src` (an entry so far) needs more lines before it can run:
/// open brackets or triple quotes, a trailing `:` or `\`, or an indented
/// block that has not been closed by an empty line.
pub fn needs_more_input(src: &[u8]) -> bool {
    let mut depth = 0i32;
    let mut i = 0;
    let mut in_triple: Option<u8> = None;
    while i < src.len() {
        let c = src[i];
        if let Some(q) = in_triple {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if src[i..].starts_with(&[q, q, q]) {
                in_triple = None;
                i += 3;
                continue;
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                if src[i..].starts_with(&[c, c, c]) {
                    in_triple = Some(c);
                    i += 3;
                    continue;
                }
                i += 1;
                while i < src.len() && src[i] != c && src[i] != b'\n' {
                    if src[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    if in_triple.is_some() || depth > 0 {
        return true;
    }
    let text = src.strip_suffix(b"\n").unwrap_or(src);
    let last = text.rsplit(|&c| c == b'\n').next().unwrap_or(b"");
    let last_code = match last.iter().position(|&c| c == b'#') {
        Some(p) => &last[..p],
        None => last,
    };
    let trimmed = last_code.trim_ascii_end();
    if trimmed.ends_with(b":") || trimmed.ends_with(b"\\") {
        return true;
    }
    // A compound statement (a block) ends with an empty line; anything else
    // runs as soon as its brackets close.
    let first = text.split(|&c| c == b'\n').next().unwrap_or(b"").trim_ascii_start();
    let opens_block =
        [&b"if"[..], b"elif", b"else", b"while", b"for", b"def", b"class", b"with", b"try", b"except", b"finally", b"async", b"@"]
            .iter()
            .any(|k| first.starts_with(k) && first.get(k.len()).is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_')));
    let multi_line = text.contains(&b'\n');
    opens_block && multi_line && !last.trim_ascii().is_empty()
}

/// Collects lines into REPL entries and runs each complete one.
#[derive(Default)]
pub struct Repl {
    entry: Vec<u8>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// `>>> `: a new entry.
    Primary,
    /// `... `: the entry continues.
    Continue,
}

impl Prompt {
    pub fn text(self) -> &'static [u8] {
        match self {
            Prompt::Primary => b">>> ",
            Prompt::Continue => b"... ",
        }
    }
}

impl Repl {
    pub fn new() -> Repl {
        Repl::default()
    }

    /// Drops a partly typed entry (Ctrl-C at the prompt).
    pub fn cancel(&mut self) {
        self.entry.clear();
    }

    pub fn is_continuing(&self) -> bool {
        !self.entry.is_empty()
    }

    /// Takes one line (without its newline); runs the entry once complete,
    /// printing its value or its exception.
    pub fn push_line(&mut self, vm: &mut Vm, line: &[u8]) -> Prompt {
        if self.entry.try_reserve(line.len() + 1).is_err() {
            self.entry.clear();
            vm.port.stderr(b"MemoryError: input too long\n");
            return Prompt::Primary;
        }
        if self.entry.is_empty() && line.trim_ascii().is_empty() {
            return Prompt::Primary;
        }
        self.entry.extend_from_slice(line);
        self.entry.push(b'\n');
        if needs_more_input(&self.entry) {
            return Prompt::Continue;
        }
        let src = core::mem::take(&mut self.entry);
        if let Err(e) = vm.exec(&src, "<stdin>", Mode::Single) {
            // A heap left locked by the failed line would make the REPL
            // itself unusable.
            vm.release_heap_lock();
            // machine.soft_reset(): the port resets; nothing to print.
            if vm.soft_reset_pending() {
                return Prompt::Primary;
            }
            let exc = vm.exception_value(e);
            vm.print_exception(exc);
        }
        Prompt::Primary
    }
}

/// What a byte did to the line being edited.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Nothing,
    /// Enter: `line()` holds the line.
    Line,
    /// Ctrl-C.
    Interrupt,
    /// Ctrl-D on an empty line.
    Eof,
}

/// A minimal line editor: printable input, backspace, Enter, Ctrl-C and
/// Ctrl-D; escape sequences (arrow keys) are swallowed.
pub struct LineEditor {
    buf: [u8; 256],
    len: usize,
    escape: u8,
    last_was_cr: bool,
}

impl Default for LineEditor {
    fn default() -> LineEditor {
        LineEditor { buf: [0; 256], len: 0, escape: 0, last_was_cr: false }
    }
}

impl LineEditor {
    /// An editor started by a command line that ended with CR: a LF that
    /// follows is part of that Enter, not an empty line.
    pub fn after_enter() -> LineEditor {
        LineEditor { last_was_cr: true, ..LineEditor::default() }
    }

    pub fn line(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Takes one input byte; `echo` receives what the terminal should show.
    pub fn feed(&mut self, b: u8, echo: &mut dyn FnMut(&[u8])) -> Edit {
        let after_cr = core::mem::replace(&mut self.last_was_cr, b == b'\r');
        if self.escape == 1 {
            self.escape = if b == b'[' || b == b'O' { 2 } else { 0 };
            return Edit::Nothing;
        }
        if self.escape == 2 {
            if (0x40..=0x7e).contains(&b) {
                self.escape = 0;
            }
            return Edit::Nothing;
        }
        match b {
            0x1b => self.escape = 1,
            b'\n' if after_cr => {}
            b'\r' | b'\n' => {
                echo(b"\r\n");
                return Edit::Line;
            }
            0x03 => return Edit::Interrupt,
            0x04 if self.len == 0 => return Edit::Eof,
            0x08 | 0x7f => {
                // Remove one whole UTF-8 character.
                while self.len > 0 {
                    self.len -= 1;
                    if self.buf[self.len] & 0xc0 != 0x80 {
                        break;
                    }
                }
                echo(b"\x08 \x08");
            }
            b'\t' => {
                for _ in 0..4 {
                    self.insert(b' ', echo);
                }
            }
            c if c >= 0x20 => self.insert(c, echo),
            _ => {}
        }
        Edit::Nothing
    }

    fn insert(&mut self, c: u8, echo: &mut dyn FnMut(&[u8])) {
        if self.len < self.buf.len() {
            self.buf[self.len] = c;
            self.len += 1;
            echo(&[c]);
        }
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
    }

    #[test]
    fn editor_handles_backspace_escapes_and_line_endings() {
        let mut e = LineEditor::default();
        let mut shown = Vec::new();
        let mut echo = |b: &[u8]| shown.extend_from_slice(b);
        for &b in b"ab\x7fc\x1b[Ad" {
            assert_eq!(e.feed(b, &mut echo), Edit::Nothing);
        }
        assert_eq!(e.feed(b'\r', &mut echo), Edit::Line);
        assert_eq!(e.line(), b"acd");
        assert_eq!(e.feed(b'\n', &mut echo), Edit::Nothing, "LF after CR is one Enter");
        e.clear();
        assert_eq!(e.feed(0x04, &mut echo), Edit::Eof);
        assert_eq!(e.feed(0x03, &mut echo), Edit::Interrupt);
    }
}
