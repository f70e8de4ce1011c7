//! The REPL's line editor, the same on every port: a fixed line buffer and
//! history (no allocation), editing keys as a VT100 terminal sends them,
//! and output that only moves the cursor with backspaces and reprints, so
//! any terminal (or a serial console that is not one) shows it right.

/// Longest line; what is typed beyond it is dropped.
pub const LINE_MAX: usize = 256;
/// Bytes of history: the last lines entered, newest first, that fit.
pub const HISTORY_BYTES: usize = 256;

/// What a byte asks of the REPL beyond editing the line.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// Edited (or ignored): nothing for the REPL to do.
    Nothing,
    /// Enter: `line()` holds the line.
    Enter,
    /// Tab: the REPL completes the word before the cursor.
    Tab,
    /// Ctrl-C, on any line.
    CtrlC,
    /// Ctrl-A, Ctrl-B, Ctrl-D, Ctrl-E or Ctrl-X on a line with nothing but
    /// blanks typed (elsewhere they move the cursor or delete, as in Emacs).
    Control(u8),
    /// A space or Tab came first on an auto-indented line: text indented
    /// already (pasted) is arriving, so the REPL stops indenting for the
    /// rest of the entry. A space took back the indent but for itself.
    IndentOff,
}

/// The lines entered before, newest first, each ended by a 0 byte.
struct History {
    bytes: [u8; HISTORY_BYTES],
    used: usize,
}

impl History {
    fn push(&mut self, line: &[u8]) {
        if line.trim_ascii().is_empty() || line.len() + 1 > HISTORY_BYTES || line.contains(&0) || self.get(0) == Some(line) {
            return;
        }
        let n = line.len() + 1;
        // Drop the oldest entries that no longer fit, whole.
        let mut keep = self.used.min(HISTORY_BYTES - n);
        while keep > 0 && self.bytes[keep - 1] != 0 {
            keep -= 1;
        }
        self.bytes.copy_within(..keep, n);
        self.bytes[..line.len()].copy_from_slice(line);
        self.bytes[line.len()] = 0;
        self.used = keep + n;
    }

    /// Entry `k`, 0 the newest.
    fn get(&self, k: usize) -> Option<&[u8]> {
        // The last byte used ends the oldest entry.
        let entries = self.bytes.get(..self.used.checked_sub(1)?)?;
        entries.split(|&b| b == 0).nth(k)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.bytes[..self.used].iter().filter(|&&b| b == 0).count()
    }
}

/// Where an escape sequence has got to.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Escape {
    None,
    /// ESC seen.
    Start,
    /// ESC [ or ESC O seen, with the number so far (`ESC [ 3 ~`).
    Sequence(u8),
}

pub struct LineEditor {
    buf: [u8; LINE_MAX],
    len: usize,
    cursor: usize,
    escape: Escape,
    last_was_cr: bool,
    history: History,
    /// Which history entry is shown (after Up), if any.
    recalled: Option<usize>,
    /// The line starts with an auto-indent and nothing has been typed.
    indented: bool,
}

impl Default for LineEditor {
    fn default() -> LineEditor {
        LineEditor {
            buf: [0; LINE_MAX],
            len: 0,
            cursor: 0,
            escape: Escape::None,
            last_was_cr: false,
            history: History { bytes: [0; HISTORY_BYTES], used: 0 },
            recalled: None,
            indented: false,
        }
    }
}

impl LineEditor {
    pub fn line(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The line up to the cursor: what Tab completes.
    pub fn before_cursor(&self) -> &[u8] {
        &self.buf[..self.cursor]
    }

    /// Starts a new line holding `indent` spaces (an auto-indent), shown at once.
    pub fn start(&mut self, indent: usize, out: &mut dyn FnMut(&[u8])) {
        // Made in the line buffer: a constant of spaces would take flash.
        let n = indent.min(LINE_MAX);
        self.buf[..n].fill(b' ');
        (self.len, self.cursor) = (n, n);
        self.recalled = None;
        self.indented = n > 0;
        if self.indented {
            out(&self.buf[..n]);
        }
    }

    /// Keeps the entered line for Up to bring back.
    pub fn remember(&mut self) {
        self.history.push(&self.buf[..self.len]);
    }

    /// Types `text` at the cursor.
    pub fn insert(&mut self, text: &[u8], out: &mut dyn FnMut(&[u8])) {
        let n = text.len().min(LINE_MAX - self.len);
        if n == 0 {
            return;
        }
        self.buf.copy_within(self.cursor..self.len, self.cursor + n);
        self.buf[self.cursor..self.cursor + n].copy_from_slice(&text[..n]);
        self.len += n;
        out(&self.buf[self.cursor..self.len]);
        self.cursor += n;
        self.back(self.len - self.cursor, out);
    }

    /// Shows the prompt and the whole line again, cursor in place (after
    /// Tab listed the choices).
    pub fn redraw(&self, prompt: &[u8], out: &mut dyn FnMut(&[u8])) {
        out(prompt);
        out(self.line());
        self.back(self.len - self.cursor, out);
    }

    /// Takes one input byte; `out` gets what the terminal should show.
    pub fn feed(&mut self, b: u8, out: &mut dyn FnMut(&[u8])) -> Key {
        let after_cr = core::mem::replace(&mut self.last_was_cr, b == b'\r');
        match self.escape {
            Escape::Start => {
                self.escape = if b == b'[' || b == b'O' { Escape::Sequence(0) } else { Escape::None };
                return Key::Nothing;
            }
            Escape::Sequence(n) => {
                if b.is_ascii_digit() {
                    self.escape = Escape::Sequence(n.saturating_mul(10).saturating_add(b - b'0'));
                    return Key::Nothing;
                }
                self.escape = Escape::None;
                match (b, n) {
                    (b'A', _) => self.recall(true, out),
                    (b'B', _) => self.recall(false, out),
                    (b'C', _) => self.right(out),
                    (b'D', _) => self.left(out),
                    (b'H', _) | (b'~', 1 | 7) => self.home(out),
                    (b'F', _) | (b'~', 4 | 8) => self.end(out),
                    (b'~', 3) => self.delete(out),
                    _ => {}
                }
                return Key::Nothing;
            }
            Escape::None => {}
        }
        if core::mem::take(&mut self.indented) && (b == b' ' || b == b'\t') {
            // As MicroPython: the space typed stands for one of the
            // indent's; three go.
            if b == b' ' && self.cursor >= 3 {
                self.erase_back(3, out);
            }
            return Key::IndentOff;
        }
        let blank = self.line().trim_ascii().is_empty();
        match b {
            0x1b => self.escape = Escape::Start,
            b'\n' if after_cr => {}
            b'\r' | b'\n' => {
                self.end(out);
                out(b"\n");
                return Key::Enter;
            }
            b'\t' => return Key::Tab,
            0x03 => return Key::CtrlC,
            0x01 | 0x02 | 0x04 | 0x05 | 0x18 if blank => return Key::Control(b),
            // Emacs keys (MicroPython's MICROPY_REPL_EMACS_KEYS, which its
            // minimal builds leave out).
            0x01 if crate::features::CORE_FEATURES => self.home(out),
            0x02 if crate::features::CORE_FEATURES => self.left(out),
            0x04 if crate::features::CORE_FEATURES => self.delete(out),
            0x05 if crate::features::CORE_FEATURES => self.end(out),
            0x06 if crate::features::CORE_FEATURES => self.right(out),
            0x0e if crate::features::CORE_FEATURES => self.recall(false, out),
            0x10 if crate::features::CORE_FEATURES => self.recall(true, out),
            0x08 | 0x7f => self.backspace(out),
            c if c >= 0x20 => self.insert(&[c], out),
            _ => {}
        }
        Key::Nothing
    }

    fn back(&self, n: usize, out: &mut dyn FnMut(&[u8])) {
        for _ in 0..n {
            out(b"\x08");
        }
    }

    fn blank(&self, n: usize, out: &mut dyn FnMut(&[u8])) {
        for _ in 0..n {
            out(b" ");
        }
    }

    /// The length of the character before (`forward` false) or at the cursor.
    fn char_len(&self, forward: bool) -> usize {
        if forward {
            let rest = &self.buf[self.cursor..self.len];
            1 + rest.iter().skip(1).take_while(|&&b| !crate::objects::str::starts_char(b)).count()
        } else {
            let head = &self.buf[..self.cursor];
            1 + head.iter().rev().take_while(|&&b| !crate::objects::str::starts_char(b)).count().min(head.len().saturating_sub(1))
        }
    }

    fn left(&mut self, out: &mut dyn FnMut(&[u8])) {
        if self.cursor > 0 {
            self.cursor -= self.char_len(false);
            out(b"\x08");
        }
    }

    fn right(&mut self, out: &mut dyn FnMut(&[u8])) {
        if self.cursor < self.len {
            let n = self.char_len(true);
            out(&self.buf[self.cursor..self.cursor + n]);
            self.cursor += n;
        }
    }

    fn home(&mut self, out: &mut dyn FnMut(&[u8])) {
        while self.cursor > 0 {
            self.left(out);
        }
    }

    fn end(&mut self, out: &mut dyn FnMut(&[u8])) {
        out(&self.buf[self.cursor..self.len]);
        self.cursor = self.len;
    }

    /// Removes `n` bytes at the cursor and shows the rest of the line.
    fn remove(&mut self, n: usize, out: &mut dyn FnMut(&[u8])) {
        self.buf.copy_within(self.cursor + n..self.len, self.cursor);
        self.len -= n;
        out(&self.buf[self.cursor..self.len]);
        self.blank(n, out);
        self.back(self.len - self.cursor + n, out);
    }

    /// Removes the `n` bytes before the cursor.
    fn erase_back(&mut self, n: usize, out: &mut dyn FnMut(&[u8])) {
        self.back(n, out);
        self.cursor -= n;
        self.remove(n, out);
    }

    fn delete(&mut self, out: &mut dyn FnMut(&[u8])) {
        if self.cursor < self.len {
            let n = self.char_len(true);
            self.remove(n, out);
        }
    }

    /// Backspace; in the indentation before any text it goes back to the
    /// previous multiple of four, undoing one auto-indent level.
    fn backspace(&mut self, out: &mut dyn FnMut(&[u8])) {
        if self.cursor == 0 {
            return;
        }
        let head = &self.buf[..self.cursor];
        let n = if head.iter().all(|&b| b == b' ') { (self.cursor - 1) % 4 + 1 } else { self.char_len(false) };
        self.erase_back(n, out);
    }

    /// Up (`older`) or Down through the history: the line shown is replaced
    /// (Down past the newest entry: by an empty line).
    fn recall(&mut self, older: bool, out: &mut dyn FnMut(&[u8])) {
        let next = match (self.recalled, older) {
            (None, true) => Some(0),
            (Some(k), true) => Some(k + 1),
            (None, false) => return,
            (Some(0), false) => None,
            (Some(k), false) => Some(k - 1),
        };
        if next.is_some_and(|k| self.history.get(k).is_none()) {
            return;
        }
        self.home(out);
        let old = self.len;
        let text = next.and_then(|k| self.history.get(k)).unwrap_or(&[]);
        self.buf[..text.len()].copy_from_slice(text);
        self.len = text.len();
        self.cursor = self.len;
        out(text);
        let gone = old.saturating_sub(self.len);
        self.blank(gone, out);
        self.back(gone, out);
        self.recalled = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn typed(e: &mut LineEditor, keys: &[u8]) -> (Vec<Key>, Vec<u8>) {
        let mut shown = Vec::new();
        let keys = keys.iter().map(|&b| e.feed(b, &mut |s| shown.extend_from_slice(s))).filter(|k| *k != Key::Nothing).collect();
        (keys, shown)
    }

    #[test]
    fn edits_in_the_middle_of_a_line() {
        let mut e = LineEditor::default();
        // abc, Left Left, X, End, Backspace, Home, Delete.
        let (keys, _) = typed(&mut e, b"abc\x1b[D\x1b[DX\x1b[F\x7f\x1b[H\x1b[3~");
        assert!(keys.is_empty());
        assert_eq!(e.line(), b"Xb");
        let (keys, _) = typed(&mut e, b"\r\n");
        assert_eq!(keys, [Key::Enter], "LF after CR is the same Enter");
    }

    #[test]
    fn history_brings_back_lines_newest_first() {
        let mut e = LineEditor::default();
        for line in [&b"one"[..], b"two", b"two", b"three"] {
            e.start(0, &mut |_| {});
            typed(&mut e, line);
            e.remember();
        }
        e.start(0, &mut |_| {});
        typed(&mut e, b"\x1b[A");
        assert_eq!(e.line(), b"three");
        typed(&mut e, b"\x1b[A\x1b[A");
        assert_eq!(e.line(), b"one", "a repeated line is kept once");
        typed(&mut e, b"\x1b[A");
        assert_eq!(e.line(), b"one", "nothing older");
        typed(&mut e, b"\x1b[B\x1b[B\x1b[B");
        assert_eq!(e.line(), b"", "down past the newest: an empty line");
    }

    #[test]
    fn history_drops_the_oldest_when_full() {
        let mut e = LineEditor::default();
        let long = [b'x'; 100];
        for c in b"abcd" {
            let mut line = long;
            line[0] = *c;
            e.start(0, &mut |_| {});
            typed(&mut e, &line);
            e.remember();
        }
        assert_eq!(e.history.len(), 2);
        assert_eq!(e.history.get(0).map(|l| l[0]), Some(b'd'));
        assert_eq!(e.history.get(1).map(|l| l[0]), Some(b'c'));
    }

    #[test]
    fn control_keys_reach_the_repl_only_on_a_blank_line() {
        let mut e = LineEditor::default();
        e.start(4, &mut |_| {});
        assert_eq!(typed(&mut e, b"\x04").0, [Key::Control(4)]);
        typed(&mut e, b"ab\x01");
        // Emacs keys come with core-features (MICROPY_REPL_EMACS_KEYS).
        let home: &[u8] = if cfg!(feature = "core-features") { b"" } else { b"    ab" };
        assert_eq!(e.before_cursor(), home, "Ctrl-A on text: start of line");
        assert_eq!(typed(&mut e, b"\x03\t").0, [Key::CtrlC, Key::Tab]);
    }

    #[test]
    fn backspace_in_indentation_removes_a_level() {
        let mut e = LineEditor::default();
        e.start(8, &mut |_| {});
        typed(&mut e, b"\x7f");
        assert_eq!(e.line(), b"    ");
        typed(&mut e, b"x\x7f");
        assert_eq!(e.line(), b"    ", "a character typed goes one at a time");
        typed(&mut e, b"\x7f");
        assert_eq!(e.line(), b"");
    }
}
