//! The REPL driven byte by byte as a terminal or mpremote drives it: what
//! comes back must be what MicroPython's REPL sends, framing bytes and all.

use pyrite_vm::repl::{Console, Ended, Session};
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;

/// stdout and stderr into one buffer, as on a serial console.
struct TermPort {
    out: Rc<RefCell<Vec<u8>>>,
}

impl Port for TermPort {
    fn stdout(&mut self, b: &[u8]) {
        self.out.borrow_mut().extend_from_slice(b);
    }
    fn stderr(&mut self, b: &[u8]) {
        self.out.borrow_mut().extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        0
    }
    fn sleep_us(&mut self, _us: u64) {}
    fn platform(&self) -> &'static str {
        "test"
    }
}

/// Typed input; records which byte each stretch of output followed.
struct Typed {
    input: VecDeque<u8>,
    running: Rc<RefCell<Vec<bool>>>,
}

impl Console for Typed {
    fn read_byte(&mut self) -> Option<u8> {
        self.input.pop_front()
    }
    fn running(&mut self, on: bool) {
        self.running.borrow_mut().push(on);
    }
    fn paste_window(&self) -> u16 {
        16
    }
}

struct Term {
    vm: Vm,
    out: Rc<RefCell<Vec<u8>>>,
    session: Session,
}

impl Term {
    fn new() -> Term {
        let out = Rc::new(RefCell::new(Vec::new()));
        let region = Box::leak(vec![0u8; 256 * 1024].into_boxed_slice());
        let flag = Box::leak(Box::new(AtomicBool::new(false)));
        let vm = Vm::new(region, Box::new(TermPort { out: out.clone() }), flag, Limits::default()).unwrap();
        Term { vm, out, session: Session::new(false) }
    }

    /// Types `keys`; returns what the REPL sent back and why it stopped.
    fn type_keys(&mut self, keys: &[u8]) -> (Vec<u8>, Ended) {
        let mut con = Typed { input: keys.iter().copied().collect(), running: Rc::new(RefCell::new(Vec::new())) };
        self.out.borrow_mut().clear();
        let ended = self.session.run(&mut self.vm, &mut con, b"banner\n");
        (std::mem::take(&mut *self.out.borrow_mut()), ended)
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn auto_indent_and_a_blank_line_end_a_block() {
    let mut t = Term::new();
    let (out, ended) = t.type_keys(b"def f(x):\rreturn x*2\r\rf(21)\r");
    assert_eq!(ended, Ended::Leave, "input ran out");
    let out = text(&out);
    assert!(out.starts_with("banner\n>>> def f(x):\n...     return x*2\n...     \n>>> f(21)\n42\n>>> "), "{out:?}");
    // Nested blocks indent further; a line that dedents by backspace.
    let (out, _) = t.type_keys(b"for i in range(2):\rif i:\rprint('i', i)\r\x7fprint('end')\r\r");
    let out = text(&out);
    assert!(out.contains("...         print('i', i)\n"), "{out:?}");
    assert!(out.ends_with("\nend\ni 1\nend\n>>> "), "one backspace: back to the loop's body: {out:?}");
}

#[test]
fn indented_text_typed_fast_is_not_indented_twice() {
    let mut t = Term::new();
    // Pasted without paste mode: the first space after an auto-indent
    // takes the indent back, and the entry is not indented again.
    let (out, _) = t.type_keys(b"def g(n):\r    t = 0\r    for i in range(n):\r        t += i\r    return t\r\rg(4)\r");
    let out = text(&out);
    assert!(out.contains("...         t += i\n"), "{out:?}");
    assert!(out.ends_with(">>> g(4)\n6\n>>> "), "{out:?}");
}

#[test]
fn line_editing_and_history() {
    let mut t = Term::new();
    // Left twice and insert; Up recalls the line, Home and Delete and a
    // new first letter change it.
    let (out, _) = t.type_keys(b"x = 12\x1b[D\x1b[D3\r\x1b[A\x1b[H\x1b[3~y\rx, y\r");
    let out = text(&out);
    assert!(out.contains(">>> x, y\n(312, 312)\n"), "{out:?}");
}

#[test]
fn ctrl_c_drops_the_entry_and_ctrl_d_soft_resets() {
    let mut t = Term::new();
    let (out, ended) = t.type_keys(b"if 1:\rprint(1)\x03print(2)\r\x04");
    assert_eq!(ended, Ended::SoftReset);
    let out = text(&out);
    assert!(out.contains("print(1)\n>>> print(2)\n2\n>>> \n"), "{out:?}");
    assert!(!out.contains("\n1\n"), "{out:?}");
    let mut leaves = Term { session: Session::new(true), ..Term::new() };
    assert_eq!(leaves.type_keys(b"\x04").1, Ended::Leave, "the shell's py: Ctrl-D leaves");
}

#[test]
fn paste_mode_takes_lines_as_they_are() {
    let mut t = Term::new();
    let (out, _) = t.type_keys(b"\x05if 1:\r\n    x = 5\r\n    print(x * 2)\r\n\x04");
    let out = text(&out);
    assert!(out.starts_with("banner\n>>> \npaste mode; Ctrl-C to cancel, Ctrl-D to finish\n=== if 1:\n===     x = 5\n"), "{out:?}");
    assert!(out.ends_with("\n10\n>>> "), "{out:?}");
    let (out, _) = t.type_keys(b"\x05print(99)\x03");
    assert!(!text(&out).contains("99\n"), "Ctrl-C cancels");
}

#[test]
fn raw_repl_frames_output_and_errors() {
    let mut t = Term::new();
    let (out, ended) = t.type_keys(b"\r\x01print(6*7)\x041/0\x04\x03junk\x04");
    assert_eq!(ended, Ended::Leave);
    let out = text(&out);
    let raw = out.split_once("raw REPL; CTRL-B to exit\n>").expect("raw banner").1;
    let (first, rest) = raw.split_once('>').unwrap();
    assert_eq!(first, "OK42\n\x04\x04");
    let (second, rest) = rest.split_once("\x04>").unwrap();
    assert!(second.starts_with("OK\x04Traceback (most recent call last):\n"), "{second:?}");
    assert!(second.ends_with("ZeroDivisionError: divide by zero\n"), "{second:?}");
    // Ctrl-C dropped "print(6*7)"-like input: "junk" alone is a NameError.
    assert!(rest.starts_with("OK\x04") && rest.contains("NameError"), "{rest:?}");
    assert!(t.session.is_raw());
    // SystemExit is not printed: on a board it soft-resets, as
    // MicroPython's (a test that skips itself prints SKIP and raises it).
    let (out, ended) = t.type_keys(b"print('SKIP'); raise SystemExit\x04");
    assert_eq!((text(&out).as_str(), ended), ("raw REPL; CTRL-B to exit\n>OKSKIP\n\x04\x04", Ended::SoftReset));
    assert!(t.session.is_raw());
    // Ctrl-D with nothing sent: a soft reset, staying in the raw REPL.
    let (out, ended) = t.type_keys(b"\x04");
    assert_eq!((text(&out).as_str(), ended), ("raw REPL; CTRL-B to exit\n>OK\n", Ended::SoftReset));
    assert!(t.session.is_raw());
    // Ctrl-B: back to the friendly REPL, with its banner.
    let (out, _) = t.type_keys(b"\x02");
    assert_eq!(text(&out), "raw REPL; CTRL-B to exit\n>\nbanner\n>>> ");
    assert!(!t.session.is_raw());
}

#[test]
fn raw_paste_grants_windows_and_acknowledges_the_end() {
    let mut t = Term::new();
    // 40 bytes of code with a window of 16: two windows granted at the
    // start, then one more each time 16 bytes have been taken.
    let code = b"x = 'abcdefghijklmnopqrstu'\nprint(len(x))\n";
    assert_eq!(code.len(), 42);
    let mut keys = b"\x01\x05A\x01".to_vec();
    keys.extend_from_slice(code);
    keys.push(0x04);
    let (out, _) = t.type_keys(&keys);
    let out = text(&out);
    let raw = out.split_once("raw REPL; CTRL-B to exit\n>").unwrap().1;
    assert_eq!(raw, "R\x01\x10\x00\x01\x01\x01\x0421\n\x04\x04>");
    // An unknown request gets R\0 and the prompt again.
    let (out, _) = t.type_keys(b"\x05B\x01");
    assert!(text(&out).ends_with(">R\x00>"), "{out:?}");
    // Ctrl-C from the sender ends the paste with a KeyboardInterrupt.
    let (out, _) = t.type_keys(b"\x05A\x01print(1)\x03");
    assert!(text(&out).ends_with("R\x01\x10\x00\x01\x04\x04KeyboardInterrupt: \n\x04>"), "{out:?}");
}

#[test]
fn tab_completes_names_attributes_and_modules() {
    let mut t = Term::new();
    let (out, _) = t.type_keys(b"import math\rvariable_one = 1\rvari\t\rmath.sq\t(4)\rimport mat\t\r");
    let out = text(&out);
    assert!(out.contains(">>> variable_one\n1\n"), "{out:?}");
    assert!(out.contains(">>> math.sqrt(4)\n2.0\n"), "{out:?}");
    assert!(out.contains(">>> import math\n>>> "), "{out:?}");
    // Several matches agreeing no further: listed, then the line again.
    let (out, _) = t.type_keys(b"var_a = var_b = 0\rvar_\t");
    let out = text(&out);
    assert!(out.contains("var_\nvar_a           var_b\n>>> var_"), "{out:?}");
    // Tab right after an auto-indent keeps it (and stops indenting the
    // entry, as MicroPython); Tab in a blank line indents.
    let (out, _) = t.type_keys(b"if 1:\r\ty = 4\r\tz = 5\r\ry + z\r");
    let out = text(&out);
    assert!(out.contains("...     y = 4\n...     z = 5\n... \n>>> y + z\n9\n"), "{out:?}");
}
