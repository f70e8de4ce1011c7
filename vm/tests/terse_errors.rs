//! A VM built with `terse-errors`: the exceptions it raises carry their
//! type and no message; those Python code raises keep their arguments.
//! (`cargo test -p pyrite-vm --features terse-errors --test terse_errors`)
#![cfg(feature = "terse-errors")]

use pyrite_vm::compile::Mode;
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;

struct BufPort(Rc<RefCell<Vec<u8>>>);

impl Port for BufPort {
    fn stdout(&mut self, b: &[u8]) {
        self.0.borrow_mut().extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        0
    }
    fn sleep_us(&mut self, _us: u64) {}
    fn platform(&self) -> &'static str {
        "test"
    }
}

/// What `src` prints, then its uncaught exception's last traceback line.
fn run(src: &str) -> String {
    let out = Rc::new(RefCell::new(Vec::new()));
    let region = Box::leak(vec![0u8; 64 * 1024].into_boxed_slice());
    let flag = Box::leak(Box::new(AtomicBool::new(false)));
    let mut vm = Vm::new(region, Box::new(BufPort(out.clone())), flag, Limits::default()).expect("heap big enough");
    let mut line = Vec::new();
    if let Err(e) = vm.exec(src.as_bytes(), "<test>", Mode::File) {
        let exc = vm.exception_value(e);
        vm.write_exception_line(exc, &mut line).unwrap();
    }
    let mut all = out.borrow().clone();
    all.extend_from_slice(&line);
    String::from_utf8(all).unwrap()
}

#[test]
fn raised_by_the_vm_without_message() {
    // Plain messages, names copied into messages, counts formatted into
    // them: all left out.
    let src = concat!(
        "def g(a, b):\n    return a\n",
        "def unpack(n):\n    a, b = range(n)\n",
        "for f in (lambda: 1 + 'a', lambda: [][1], lambda: {}['k'], lambda: int('z'), lambda: int('z', 16),\n",
        "          lambda: 1 // 0, lambda: undefined_name, lambda: (1).nope, lambda: abs(), lambda: g(1),\n",
        "          lambda: g(1, 2, 3), lambda: unpack(3), lambda: unpack(1), lambda: len(5)):\n",
        "    try:\n        f()\n    except Exception as e:\n        print(type(e).__name__, e.args)\n",
    );
    let names = [
        "TypeError",
        "IndexError",
        "KeyError ('k',)",
        "ValueError",
        "ValueError",
        "ZeroDivisionError",
        "NameError",
        "AttributeError",
        "TypeError",
        "TypeError",
        "TypeError",
        "ValueError",
        "ValueError",
        "TypeError",
    ];
    let want: String = names.iter().map(|n| if n.contains('(') { format!("{n}\n") } else { format!("{n} ()\n") }).collect();
    assert_eq!(run(src), want);
}

#[test]
fn raised_by_python_with_arguments() {
    assert_eq!(run("try:\n    raise ValueError('mine', 2)\nexcept ValueError as e:\n    print(e.args)\n"), "('mine', 2)\n");
}

#[test]
fn uncaught_gives_the_type() {
    let out = run("print(6 * 7)\n1 / 0\n");
    assert!(out.starts_with("42\nZeroDivisionError"), "{out}");
}

#[test]
fn tracebacks_keep_file_and_function_names() {
    let out = Rc::new(RefCell::new(Vec::new()));
    let region = Box::leak(vec![0u8; 64 * 1024].into_boxed_slice());
    let flag = Box::leak(Box::new(AtomicBool::new(false)));
    let mut vm = Vm::new(region, Box::new(BufPort(out.clone())), flag, Limits::default()).expect("heap big enough");
    let e = vm.exec(b"def f():\n    1 // 0\nf()\n", "<test>", Mode::File).expect_err("raises");
    let exc = vm.exception_value(e);
    vm.print_exception(exc);
    let text = String::from_utf8(out.borrow().clone()).unwrap();
    assert!(text.contains("File \"<test>\", line 2, in f\n"), "{text}");
    assert!(text.ends_with("ZeroDivisionError: \n"), "{text}");
}
