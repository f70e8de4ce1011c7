//! Making frozen images: a code object written in the format `load_code`
//! reads, and an application's blob of modules (see `app`). Host tools
//! only (`pyrite-cross freeze`, and the test that keeps the VM's own images
//! current).

use super::app::{MAGIC, VERSION};
use super::*;
use crate::bytecode::{self as bc, write_uint, zigzag};
use crate::compile::Mode;
use crate::heap::Heap;
use crate::objects::function::code;
use crate::objects::{tuple, Kind};
use crate::port::Port;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use core::sync::atomic::AtomicBool;

/// A port with nothing behind it: compiling needs none.
struct NoPort;

impl Port for NoPort {
    fn stdout(&mut self, _: &[u8]) {}
    fn ticks_us(&mut self) -> u64 {
        0
    }
    fn sleep_us(&mut self, _: u64) {}
    fn platform(&self) -> &'static str {
        "freeze"
    }
}

/// A VM to compile with (host memory: a 4 MB heap, leaked).
pub fn new_vm() -> Vm {
    new_vm_with(Box::leak(Box::new(AtomicBool::new(false))))
}

/// A VM to compile with, which `interrupt` stops as Ctrl-C would.
pub fn new_vm_with(interrupt: &'static AtomicBool) -> Vm {
    let region = Box::leak(vec![0u8; 4 << 20].into_boxed_slice());
    match Vm::new(region, Box::new(NoPort), interrupt, crate::vm::Limits::default()) {
        Ok(vm) => vm,
        Err(_) => unreachable!("a 4 MB heap holds a VM"),
    }
}

fn put(out: &mut Vec<u8>, n: usize) {
    let _ = write_uint(out, n);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put(out, b.len());
    out.extend_from_slice(b);
}

fn small(h: &Heap, c: crate::value::ObjRef, slot: usize) -> usize {
    h.slot(c, slot).as_small_int().unwrap_or(0) as usize
}

/// Writes code object `c` (and the ones in its constants). Ints beyond a
/// small int of a `word_bits` target are written as big ints.
pub fn encode(vm: &mut Vm, c: Value, out: &mut Vec<u8>, word_bits: u32) -> Result<(), String> {
    Encoder { word_bits, names: None }.code(vm, c, out)
}

/// Writes code objects and constants: for an image, with this build's qstr
/// numbers; for a precompiled file (`names`), with the numbers of the
/// file's own list of names.
struct Encoder {
    word_bits: u32,
    names: Option<Vec<Qstr>>,
}

impl Encoder {
    fn name(&mut self, v: Value) -> Result<usize, String> {
        let q = v.as_qstr().ok_or("a name that is not a qstr")?;
        let Some(names) = &mut self.names else { return Ok(q.0 as usize) };
        Ok(names.iter().position(|&n| n == q).unwrap_or_else(|| {
            names.push(q);
            names.len() - 1
        }))
    }

    fn code(&mut self, vm: &mut Vm, c: Value, out: &mut Vec<u8>) -> Result<(), String> {
        let r = c.as_obj().ok_or("not a code object")?;
        for slot in [code::NAME, code::FILE] {
            let n = self.name(vm.heap.slot(r, slot))?;
            put(out, n);
        }
        for slot in [code::N_ARGS, code::N_KWONLY, code::FLAGS, code::N_LOCALS, code::STACK, code::FIRST_LINE] {
            put(out, small(&vm.heap, r, slot));
        }
        let h = &vm.heap;
        let params = tuple::items(h, h.slot(r, code::PARAMS).as_obj().ok_or("no parameters")?).to_vec();
        put(out, params.len());
        for p in params {
            let n = self.name(p)?;
            put(out, n);
        }
        let mut bytecode = h.code_bytes(h.slot(r, code::BYTECODE).as_obj().ok_or("no bytecode")?).to_vec();
        let lines = h.slot(r, code::LINES).as_obj().map(|l| h.code_bytes(l).to_vec()).unwrap_or_default();
        let consts = tuple::items(h, h.slot(r, code::CONSTS).as_obj().ok_or("no constants")?).to_vec();
        if self.names.is_some() {
            self.number_names(&mut bytecode)?;
        }
        put_bytes(out, &bytecode);
        put_bytes(out, &lines);
        put(out, consts.len());
        for v in consts {
            self.constant(vm, v, out)?;
        }
        Ok(())
    }

    /// A file's bytecode: each name operand (compiled `WIDE_NAME_LEN`
    /// bytes wide) given the file's number for the name.
    fn number_names(&mut self, code: &mut [u8]) -> Result<(), String> {
        let mut at = 0;
        while at < code.len() {
            let i = bc::decode(code, at).ok_or_else(|| alloc::format!("opcode {:#x} cannot be written to a file", code[at]))?;
            if bc::args(i.op) == Some(&[bc::Arg::Name]) {
                let k = self.name(Value::qstr(Qstr(i.a as u32)))?;
                bc::put_wide_name(&mut code[at + 1..i.next], k).ok_or("a name operand not compiled for a file")?;
            }
            at = i.next;
        }
        Ok(())
    }

    fn constant(&mut self, vm: &mut Vm, v: Value, out: &mut Vec<u8>) -> Result<(), String> {
        let word_bits = self.word_bits;
        let fits = |i: isize| word_bits >= usize::BITS || matches!((i as i64) >> (word_bits - 2), -1 | 0);
        if let Some(i) = v.as_small_int().filter(|&i| fits(i)) {
            out.push(TAG_INT);
            put(out, zigzag(i));
        } else if v.as_qstr().is_some() {
            out.push(TAG_QSTR);
            let n = self.name(v)?;
            put(out, n);
        } else if v == Value::ELLIPSIS {
            out.push(TAG_ELLIPSIS);
        } else if v == Value::NONE {
            out.push(TAG_NONE);
        } else if v == Value::TRUE {
            out.push(TAG_TRUE);
        } else if v == Value::FALSE {
            out.push(TAG_FALSE);
        } else if v.is_small_int() {
            // Small here, big on the target.
            out.push(TAG_BIGINT);
            let mut text = Vec::new();
            vm.write_repr(v, &mut text).map_err(|_| "no memory")?;
            put_bytes(out, &text);
        } else {
            let o = v.as_obj().ok_or("an immediate constant that cannot be frozen")?;
            match vm.heap.kind(o) {
                Kind::Str => {
                    out.push(TAG_STR);
                    put_bytes(out, vm.heap.bytes(o));
                }
                Kind::Bytes => {
                    out.push(TAG_BYTES);
                    put_bytes(out, vm.heap.bytes(o));
                }
                Kind::Float => {
                    out.push(TAG_FLOAT);
                    // From the build's float, single or double.
                    #[allow(clippy::useless_conversion)]
                    let f = f64::from(vm.as_float(v).ok_or("float")?);
                    put_bytes(out, &f.to_le_bytes());
                }
                Kind::Complex => {
                    out.push(TAG_COMPLEX);
                    let (re, im) = vm.as_complex(v).ok_or("complex")?;
                    #[allow(clippy::useless_conversion)]
                    let parts = [f64::from(re).to_le_bytes(), f64::from(im).to_le_bytes()].concat();
                    put_bytes(out, &parts);
                }
                Kind::BigInt => {
                    out.push(TAG_BIGINT);
                    let mut text = Vec::new();
                    vm.write_repr(v, &mut text).map_err(|_| "no memory")?;
                    put_bytes(out, &text);
                }
                Kind::Tuple => {
                    out.push(TAG_TUPLE);
                    let items = vm.seq_items(v).ok_or("tuple")?.to_vec();
                    put(out, items.len());
                    for x in items {
                        self.constant(vm, x, out)?;
                    }
                }
                Kind::Code => {
                    out.push(TAG_CODE);
                    self.code(vm, v, out)?;
                }
                k => return Err(alloc::format!("a constant of kind {k:?} cannot be frozen")),
            }
        }
        Ok(())
    }
}

/// A module compiled into a precompiled file (`.mpk`, see `file`) from
/// `src`, read from `file`, for any build of Pyrite: ints beyond a 32-bit
/// target's small ints are kept as big ints. Err: the error, as Python
/// prints it.
#[cfg(feature = "mpy")]
pub fn compile_file(src: &[u8], file: &str) -> Result<Vec<u8>, String> {
    use super::file::{HEADER_LEN, MAGIC, VERSION};
    let mut vm = new_vm();
    vm.wide_names = true;
    vm.target_word_bits = 32;
    let code = compile_for_freezing(&mut vm, src, file)?;
    let mut enc = Encoder { word_bits: 32, names: Some(Vec::new()) };
    let mut body = Vec::new();
    enc.code(&mut vm, code, &mut body)?;
    let names = enc.names.unwrap_or_default();
    let mut payload = Vec::new();
    put(&mut payload, names.len());
    for q in names {
        put_bytes(&mut payload, vm.qstr_bytes(q));
    }
    payload.extend_from_slice(&body);
    let mut out = Vec::from(&MAGIC[..]);
    out.push(VERSION);
    out.extend_from_slice(&crate::modules::binascii::crc32_update(0, &payload).to_le_bytes());
    debug_assert_eq!(out.len(), HEADER_LEN);
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Compiles `src` as a module; Err: the error as Python prints it.
fn compile_for_freezing(vm: &mut Vm, src: &[u8], file: &str) -> Result<Value, String> {
    vm.compile(src, file, Mode::File).map_err(|e| {
        let exc = vm.exception_value(e);
        let mut line = Vec::new();
        let _ = vm.write_exception_line(exc, &mut line);
        String::from_utf8_lossy(&line).into_owned()
    })
}

/// An application's frozen modules, compiled one by one into a blob for a
/// target with the same optional parts as this build and `word_bits`-bit
/// words.
pub struct Freezer {
    vm: Vm,
    word_bits: u32,
    modules: Vec<(Qstr, bool, Vec<u8>)>,
}

impl Freezer {
    pub fn new(word_bits: u32) -> Freezer {
        let mut vm = new_vm();
        vm.freezing = Some(Vec::new());
        vm.target_word_bits = word_bits;
        Freezer { vm, word_bits, modules: Vec::new() }
    }

    /// Compiles module `name` (dotted; a package's `__init__` under the
    /// package's name) from `src`, read from `file`. Err: the error, as
    /// Python prints it.
    pub fn add(&mut self, name: &str, file: &str, src: &[u8], package: bool) -> Result<(), String> {
        let vm = &mut self.vm;
        let code = compile_for_freezing(vm, src, file)?;
        let q = vm.intern(name.as_bytes()).map_err(|_| "no memory")?;
        let mut image = Vec::new();
        encode(vm, code, &mut image, self.word_bits)?;
        if self.modules.iter().any(|m| m.0 == q) {
            return Err(alloc::format!("module {name} frozen twice"));
        }
        self.modules.push((q, package, image));
        Ok(())
    }

    /// The blob: the names the modules brought, then the modules.
    pub fn finish(self) -> Vec<u8> {
        let names = self.vm.freezing.clone().unwrap_or_default();
        let mut out = Vec::from(&MAGIC[..]);
        out.push(VERSION);
        out.push(self.word_bits as u8);
        out.extend_from_slice(&crate::qstr::TABLE_HASH.to_le_bytes());
        put(&mut out, names.len());
        let offsets = out.len();
        out.resize(offsets + 4 * names.len(), 0);
        for (k, n) in names.iter().enumerate() {
            let at = out.len() as u32;
            out[offsets + 4 * k..offsets + 4 * k + 4].copy_from_slice(&at.to_le_bytes());
            put_bytes(&mut out, n);
        }
        put(&mut out, self.modules.len());
        for (q, package, image) in &self.modules {
            put(&mut out, q.0 as usize);
            out.push(*package as u8);
            put_bytes(&mut out, image);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    struct BlobPort {
        blob: &'static [u8],
        out: Rc<RefCell<Vec<u8>>>,
    }

    impl Port for BlobPort {
        fn stdout(&mut self, b: &[u8]) {
            self.out.borrow_mut().extend_from_slice(b);
        }
        fn ticks_us(&mut self) -> u64 {
            0
        }
        fn sleep_us(&mut self, _: u64) {}
        fn platform(&self) -> &'static str {
            "test"
        }
        fn frozen_modules(&self) -> &'static [u8] {
            self.blob
        }
    }

    fn vm_with(blob: Vec<u8>) -> (Vm, Rc<RefCell<Vec<u8>>>) {
        let out = Rc::new(RefCell::new(Vec::new()));
        let port = BlobPort { blob: Box::leak(blob.into_boxed_slice()), out: out.clone() };
        let region = Box::leak(vec![0u8; 256 << 10].into_boxed_slice());
        let flag = Box::leak(Box::new(AtomicBool::new(false)));
        let vm = Vm::new(region, Box::new(port), flag, crate::vm::Limits::default()).unwrap_or_else(|_| panic!("heap"));
        (vm, out)
    }

    fn run(vm: &mut Vm, out: &Rc<RefCell<Vec<u8>>>, src: &str) -> String {
        out.borrow_mut().clear();
        if let Err(e) = vm.exec(src.as_bytes(), "<test>", Mode::File) {
            let exc = vm.exception_value(e);
            let mut line = Vec::new();
            vm.write_exception_line(exc, &mut line).expect("line");
            return String::from_utf8_lossy(&line).into_owned();
        }
        String::from_utf8(out.borrow().clone()).expect("utf-8")
    }

    const LIB: &str = "GREETING = 'hello from flash, with spaces'\nBIG = 1 << 40\ndef shout(who):\n    return GREETING + ' ' + who.upper()\nclass Counter:\n    def __init__(self):\n        self.total = 0\n    def add(self, n):\n        self.total += n\n        return self\n";

    #[test]
    fn frozen_modules_import_with_their_names_and_strings_in_flash() {
        let mut f = Freezer::new(usize::BITS);
        f.add("applib", "lib/applib.py", LIB.as_bytes(), false).expect("compiles");
        f.add("pkg", "lib/pkg/__init__.py", b"from pkg.inner import VALUE\n", true).expect("compiles");
        f.add("pkg.inner", "lib/pkg/inner.py", b"VALUE = 'inner value'\n", false).expect("compiles");
        f.add("main", "main.py", b"import applib\nprint(applib.shout('world'))\n", false).expect("compiles");
        let (mut vm, out) = vm_with(f.finish());
        let used = vm.heap.used_bytes();
        assert_eq!(
            run(&mut vm, &out, "import applib\nprint(applib.shout('you'), applib.BIG, applib.Counter().add(2).add(3).total)"),
            "hello from flash, with spaces YOU 1099511627776 5\n"
        );
        // The module's string constant is a name in flash: no heap copy.
        assert_eq!(
            run(&mut vm, &out, "import applib\nprint(type(applib.GREETING), len(applib.GREETING))\ng = applib.GREETING"),
            "<class 'str'> 29\n"
        );
        let g = vm.globals.as_obj().expect("globals");
        let key = Value::qstr(vm.intern(b"g").expect("name"));
        let greeting = vm.dict_get(g, key).expect("lookup").expect("g");
        assert!(greeting.as_qstr().is_some_and(|q| q.0 >= crate::qstr::FROZEN_BASE), "a frozen name, not a heap str");
        // Names typed later are the frozen ones, so lookups by name work both
        // ways, and dir() lists them.
        assert_eq!(
            run(&mut vm, &out, "import applib\nprint('shout' in dir(applib), getattr(applib, 'shout') is applib.shout)"),
            "True True\n"
        );
        assert_eq!(run(&mut vm, &out, "import pkg\nprint(pkg.VALUE, pkg.inner.VALUE)"), "inner value inner value\n");
        assert_eq!(run(&mut vm, &out, "import nothing_frozen"), "ImportError: no module named 'nothing_frozen'");
        assert!(vm.heap.used_bytes() > used);
        assert!(vm.run_frozen_main("main").expect("runs"));
        assert_eq!(String::from_utf8(out.borrow().clone()).unwrap(), "hello from flash, with spaces WORLD\n");
        assert!(!vm.run_frozen_main("absent").expect("no module"));
        // A traceback names the frozen file.
        let mut f = Freezer::new(usize::BITS);
        f.add("bad", "lib/bad.py", b"def f():\n    return 1 // 0\n", false).expect("compiles");
        let (mut vm, out) = vm_with(f.finish());
        assert_eq!(run(&mut vm, &out, "import bad\nbad.f()"), "ZeroDivisionError: divide by zero");
    }

    #[test]
    fn a_blob_for_another_build_is_refused() {
        let mut f = Freezer::new(usize::BITS);
        f.add("m", "m.py", b"X = 1\n", false).expect("compiles");
        let mut blob = f.finish();
        blob[6] ^= 1;
        let (mut vm, out) = vm_with(blob.clone());
        assert_eq!(run(&mut vm, &out, "import m"), "ImportError: no module named 'm'");
        blob[6] ^= 1;
        blob[5] = 16;
        let (mut vm, out) = vm_with(blob);
        assert_eq!(run(&mut vm, &out, "import m"), "ImportError: no module named 'm'");
    }

    #[test]
    fn ints_beyond_a_32_bit_targets_small_ints_are_big_ints_in_its_images() {
        let mut f = Freezer::new(32);
        f.add("m", "m.py", b"A = 1 << 29\nB = 1073741824\nC = -1073741825\nD = 1073741823\n", false).expect("compiles");
        let vm = &mut f.vm;
        let code = vm.compile(b"x = 1073741824\ny = 5\n", "m.py", Mode::File).unwrap_or_else(|_| panic!("compiles"));
        let mut image = Vec::new();
        encode(vm, code, &mut image, 32).expect("encodes");
        // The constant table holds the big one as text; 5 stays inline.
        let text = b"1073741824";
        assert!(image.windows(text.len()).any(|w| w == text));
        let blob = f.finish();
        assert!(blob.windows(10).any(|w| w == b"1073741824"));
        assert!(blob.windows(10).any(|w| w == b"1073741825"));
    }
}
