//! The VM's side of native modules (`foreign`): a port whose native tables
//! are Rust, standing where the Zephyr port puts C modules (whose C side
//! twister tests in samples/c_driver). Import, calls and their argument
//! checks, constants, submodules, capsules with methods and finalisers,
//! handles, and calls scheduled by native code.
#![cfg(feature = "foreign")]

use pyrite_vm::compile::Mode;
use pyrite_vm::error::PyResult;
use pyrite_vm::foreign::{Foreign, Member};
use pyrite_vm::objects::TypeId;
use pyrite_vm::port::Event;
use pyrite_vm::value::Value;
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The capsule type's identity: its address, as a C type's would be.
static THING: u8 = 0;
/// The native objects finalised, in order (their "addresses").
static FINALISED: Mutex<Vec<usize>> = Mutex::new(Vec::new());
thread_local! {
    /// Native calls made by this test's VM (tests run in parallel threads).
    static CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

struct Native;

const TABLES: [&[u8]; 3] = [b"native", b"native.sub", b"Thing"];

impl Foreign for Native {
    fn find(&self, name: &[u8]) -> Option<u8> {
        TABLES[..2].iter().position(|&n| n == name).map(|i| i as u8)
    }
    fn names(&self, each: &mut dyn FnMut(&[u8])) {
        TABLES[..2].iter().for_each(|n| each(n));
    }
    fn table_name(&self, t: u8) -> &'static [u8] {
        TABLES[t as usize]
    }
    fn member(&self, t: u8, i: u8) -> Option<(&'static [u8], Member)> {
        let table: &[(&'static [u8], Member)] = match t {
            0 => &[
                (b"add", Member::Function { min: 2, max: 2 }),
                (b"fill", Member::Function { min: 1, max: 1 }),
                (b"make", Member::Function { min: 1, max: 1 }),
                (b"fail", Member::Function { min: 0, max: 255 }),
                (b"VERSION", Member::Int(3)),
                (b"BIG", Member::Int(1 << 40)),
                (b"HALF", Member::Float(0.5)),
                (b"NAME", Member::Str(b"native")),
                (b"Thing", Member::Type(2)),
            ],
            1 => &[(b"twice", Member::Function { min: 1, max: 1 })],
            2 => &[
                (b"value", Member::Function { min: 1, max: 2 }),
                (b"KIND", Member::Int(7)),
                (b"__new__", Member::Function { min: 1, max: 1 }),
            ],
            _ => &[],
        };
        table.get(i as usize).copied()
    }
    fn call(&self, vm: &mut Vm, t: u8, i: u8, args: &[Value]) -> PyResult<Value> {
        CALLS.with(|c| c.set(c.get() + 1));
        let int = |vm: &mut Vm, v: Value| vm.as_int(v).ok_or_else(|| vm.raise(TypeId::TypeError, "int expected"));
        match (t, i) {
            (0, 0) => {
                let (a, b) = (int(vm, args[0])?, int(vm, args[1])?);
                vm.int_value(a + b)
            }
            (0, 1) => {
                let Some((p, n)) = vm.writable_buffer(args[0]) else {
                    return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
                };
                // SAFETY: the buffer's bytes in the heap, valid for this call.
                let buf = unsafe { std::slice::from_raw_parts_mut(p, n) };
                for (k, b) in buf.iter_mut().enumerate() {
                    *b = k as u8 + 1;
                }
                vm.int_value(n as i64)
            }
            (0, 2) | (2, 2) => {
                let n = int(vm, args[0])?;
                vm.new_capsule(n as usize, &THING as *const u8 as usize)
            }
            (0, 3) => Err(vm.raise(TypeId::ValueError, "native failure")),
            (1, 0) => {
                let n = int(vm, args[0])?;
                vm.int_value(2 * n)
            }
            (2, 0) => {
                let (ptr, _) = vm.capsule_parts(args[0]).expect("a capsule");
                let add = if args.len() > 1 { int(vm, args[1])? } else { 0 };
                vm.int_value(ptr as i64 + add)
            }
            _ => Ok(Value::NONE),
        }
    }
    fn capsule_table(&self, ty: usize) -> Option<u8> {
        (ty == &THING as *const u8 as usize).then_some(2)
    }
    fn finalise(&self, ptr: usize, ty: usize) {
        assert_eq!(ty, &THING as *const u8 as usize);
        FINALISED.lock().unwrap().push(ptr);
    }
}

static NATIVE: Native = Native;

struct NativePort {
    out: Rc<RefCell<Vec<u8>>>,
    events: Rc<RefCell<VecDeque<Event>>>,
}

impl Port for NativePort {
    fn stdout(&mut self, b: &[u8]) {
        self.out.borrow_mut().extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        0
    }
    fn sleep_us(&mut self, _us: u64) {}
    fn platform(&self) -> &'static str {
        "test"
    }
    fn foreign(&self) -> Option<&'static dyn Foreign> {
        Some(&NATIVE)
    }
    fn take_event(&mut self) -> Option<Event> {
        self.events.borrow_mut().pop_front()
    }
}

struct Setup {
    vm: Vm,
    out: Rc<RefCell<Vec<u8>>>,
    events: Rc<RefCell<VecDeque<Event>>>,
    flag: &'static AtomicBool,
}

fn setup() -> Setup {
    let out = Rc::new(RefCell::new(Vec::new()));
    let events = Rc::new(RefCell::new(VecDeque::new()));
    let port = NativePort { out: out.clone(), events: events.clone() };
    let region = Box::leak(vec![0u8; 64 * 1024].into_boxed_slice());
    let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let mut vm = Vm::new(region, Box::new(port), Box::leak(Box::new(AtomicBool::new(false))), Limits::default()).expect("heap");
    vm.set_event_flag(flag);
    Setup { vm, out, events, flag }
}

/// Runs `src`; the printed output, or the exception's last line.
fn run(s: &mut Setup, src: &str) -> String {
    s.out.borrow_mut().clear();
    match s.vm.exec(src.as_bytes(), "<test>", Mode::File) {
        Ok(_) => String::from_utf8(s.out.borrow().clone()).unwrap(),
        Err(e) => {
            let exc = s.vm.exception_value(e);
            let mut line = Vec::new();
            s.vm.write_exception_line(exc, &mut line).unwrap();
            String::from_utf8(line).unwrap() + "\n"
        }
    }
}

#[test]
fn a_native_module_imports_with_its_functions_and_constants() {
    let mut s = setup();
    assert_eq!(
        run(&mut s, "import native\nprint(native.add(2, 40), native.VERSION, native.BIG, native.HALF, native.NAME)"),
        "42 3 1099511627776 0.5 native\n"
    );
    assert_eq!(
        run(&mut s, "import native\nprint(native.add, native.add.__name__, type(native.add))"),
        "<function add> add <class 'function'>\n"
    );
    // The module is made once and kept in sys.modules.
    assert_eq!(run(&mut s, "import sys, native\nprint(sys.modules['native'] is native, native.__name__)"), "True native\n");
    assert_eq!(run(&mut s, "from native import add, VERSION\nprint(add(VERSION, 1))"), "4\n");
    assert_eq!(run(&mut s, "import nothing_native"), "ImportError: no module named 'nothing_native'\n");
}

#[test]
fn argument_counts_and_keywords_are_checked_before_native_code_runs() {
    let mut s = setup();
    let before = CALLS.with(|c| c.get());
    assert_eq!(run(&mut s, "import native\nnative.add(1)"), "TypeError: function takes 2 positional arguments but 1 were given\n");
    assert_eq!(run(&mut s, "import native\nnative.add(1, b=2)"), "TypeError: function doesn't take keyword arguments\n");
    assert_eq!(CALLS.with(|c| c.get()), before, "refused calls never reach native code");
    // Exceptions raised by native code propagate as any other.
    assert_eq!(
        run(&mut s, "import native\ntry:\n    native.fail(1, 2, 3)\nexcept ValueError as e:\n    print('caught', e)"),
        "caught native failure\n"
    );
    assert_eq!(run(&mut s, "import native\nnative.add('a', 1)"), "TypeError: int expected\n");
}

#[test]
fn a_submodule_is_an_attribute_of_its_package() {
    let mut s = setup();
    assert_eq!(run(&mut s, "import native.sub\nprint(native.sub.twice(21))"), "42\n");
    assert_eq!(run(&mut s, "from native.sub import twice\nprint(twice(4))"), "8\n");
    let listing = run(&mut s, "help('modules')");
    assert!(listing.contains("native.sub") && listing.contains("native "), "{listing}");
}

#[test]
fn native_code_fills_a_buffer_in_place() {
    let mut s = setup();
    assert_eq!(
        run(&mut s, "import native\nb = bytearray(5)\nn = native.fill(b)\nprint(n, b)"),
        "5 bytearray(b'\\x01\\x02\\x03\\x04\\x05')\n"
    );
    assert_eq!(
        run(&mut s, "import native\nb = bytearray(6)\nnative.fill(memoryview(b)[2:4])\nprint(b)"),
        "bytearray(b'\\x00\\x00\\x01\\x02\\x00\\x00')\n"
    );
    assert_eq!(run(&mut s, "import native\nnative.fill(b'abc')"), "TypeError: a writable buffer is required\n");
}

#[test]
fn capsules_have_methods_and_are_finalised_when_collected() {
    let mut s = setup();
    assert_eq!(
        run(&mut s, "import native\nt = native.make(0x1234)\nprint(t.value(), t.value(1), t.KIND, repr(t))"),
        "4660 4661 7 <Thing object at 0x1234>\n"
    );
    assert_eq!(run(&mut s, "import native\nnative.make(5).nothing"), "AttributeError: 'Thing' object has no attribute 'nothing'\n");
    // The type is a class: its constructor, constants, unbound methods,
    // type() and isinstance().
    assert_eq!(
        run(&mut s, "import native\nT = native.Thing\nt = T(9)\nprint(T, T.KIND, T.value(t, 1), type(t) is T, isinstance(t, T), isinstance(3, T), t.__class__ is T)"),
        "<class 'Thing'> 7 10 True True False True\n"
    );
    assert_eq!(run(&mut s, "import native\nnative.Thing()"), "TypeError: function takes 1 positional arguments but 0 were given\n");
    run(&mut s, "import native, gc\nt = None\nfor i in range(10):\n    native.make(1000 + i)\ngc.collect()");
    let done = FINALISED.lock().unwrap().clone();
    for i in 0..10 {
        assert!(done.contains(&(1000 + i)), "capsule {} finalised: {done:?}", 1000 + i);
    }
    // One still referenced is not, until the VM goes.
    run(&mut s, "import native\nkept = native.make(777)\nimport gc\ngc.collect()");
    assert!(!FINALISED.lock().unwrap().contains(&777));
    drop(s);
    assert!(FINALISED.lock().unwrap().contains(&777), "a soft reset releases what capsules hold");
}

#[test]
fn handles_keep_objects_alive_and_scheduled_calls_run_at_the_next_check() {
    let mut s = setup();
    run(&mut s, "got = []\ndef cb(x):\n    got.append(x)");
    let g = s.vm.globals.as_obj().unwrap();
    let name = Value::qstr(s.vm.intern(b"cb").unwrap());
    let cb = s.vm.dict_get(g, name).unwrap().unwrap();
    let h = s.vm.hold(cb).unwrap();
    assert_ne!(h, 0);
    run(&mut s, "del cb\nimport gc\ngc.collect()");
    assert_eq!(s.vm.held(h), Some(cb), "held across a collection");
    s.events.borrow_mut().push_back(Event::Call { handle: h, arg: 5 });
    s.events.borrow_mut().push_back(Event::Call { handle: h, arg: -7 });
    s.flag.store(true, Ordering::Relaxed);
    assert_eq!(run(&mut s, "for i in range(100):\n    pass\nprint(got)"), "[5, -7]\n");
    // A released handle's queued call is dropped; the handle is reused.
    s.vm.release(h);
    assert_eq!(s.vm.held(h), None);
    s.events.borrow_mut().push_back(Event::Call { handle: h, arg: 9 });
    s.flag.store(true, Ordering::Relaxed);
    assert_eq!(run(&mut s, "for i in range(100):\n    pass\nprint(got)"), "[5, -7]\n");
    let again = s.vm.hold(Value::NONE).unwrap();
    assert_eq!(again, h);
    assert_eq!(s.vm.held(0), None, "handle 0 is never given out");
}
