//! Precompiled files (`.mpk`): a module compiled by `pyrite-cross compile`
//! to Pyrite's bytecode, imported from a file system without parsing or
//! compiling it (Pyrite's own counterpart of MicroPython's `.mpy`, which
//! `mpy/` also loads). Unlike a frozen image, a file names everything by
//! text, so one file serves every build of Pyrite of its format version,
//! whatever optional parts and word size the build has; loading interns
//! the names and renumbers the bytecode's name operands in place (the
//! compiler gave each the same width for that) in a copy in the heap.
//!
//! Format: `PYMK`, the format version (a byte), the CRC-32 of everything
//! after it (4 bytes, little-endian); the names (a varuint count, then
//! each one's length and bytes); the module's code object as
//! `frozen::load_code` reads it, with names as indices into the file's.
//!
//! What is checked: the checksum (a file damaged in storage or transfer is
//! refused as a whole), that every part reads within the file, and each
//! code object's bytecode as `verify` does it, since a file can come from
//! anywhere: the dispatch loop trusts the code it runs.

use super::verify::{check, const_kind, Bad, Shape};
use super::{load_code, Reader};
use crate::error::{PyErr, PyResult};
use crate::modules::binascii::crc32_update;
use crate::objects::function::NewCode;
use crate::objects::TypeId;
use crate::qstr::Qstr;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

pub const MAGIC: &[u8; 4] = b"PYMK";
/// Changes whenever the bytecode or this layout does.
pub const VERSION: u8 = 1;
/// Bytes before the names: magic, version, checksum.
pub const HEADER_LEN: usize = 9;

/// MicroPython's words for a `.mpy` of another version or damaged.
pub(crate) const INCOMPATIBLE: &str = "incompatible .mpk file";
pub(crate) const INVALID: &str = "invalid .mpk file";

impl Vm {
    /// The module code object of a `.mpk` file's contents. As for a `.mpy`,
    /// the values made on the way stay unrooted: loading runs no Python
    /// code and allocation never collects.
    pub fn load_mpk(&mut self, data: &[u8]) -> PyResult<Value> {
        if data.get(..4) != Some(&MAGIC[..]) || data.get(4) != Some(&VERSION) {
            return Err(self.raise(TypeId::ValueError, INCOMPATIBLE));
        }
        let sum = data.get(5..HEADER_LEN).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        if sum.is_none() || sum != data.get(HEADER_LEN..).map(|rest| crc32_update(0, rest)) {
            return Err(self.raise(TypeId::ValueError, INVALID));
        }
        let mut r = Reader { data, at: HEADER_LEN, names: None, bad: false };
        let n = r.count();
        let mut names = Vec::new();
        names.try_reserve_exact(n).map_err(|_| PyErr::NoMemory)?;
        for _ in 0..n {
            let text = r.bytes();
            if r.bad || !crate::objects::str::utf8_valid(text) {
                return Err(self.raise(TypeId::ValueError, INVALID));
            }
            names.push(self.intern(text)?);
        }
        r.names = Some(&names);
        let code = load_code(self, &mut r, file_code)?;
        if r.at != data.len() {
            return Err(self.raise(TypeId::ValueError, INVALID));
        }
        Ok(code)
    }
}

/// Makes `data`'s checksum match its contents (for tests and fuzzing of
/// the checks behind it).
pub fn reseal(data: &mut [u8]) {
    if data.len() >= HEADER_LEN {
        let sum = crc32_update(0, &data[HEADER_LEN..]);
        data[5..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
    }
}

/// A file's code object: its bytecode copied, checked and given this VM's
/// name numbers.
fn file_code(vm: &mut Vm, c: &NewCode, bytecode: &[u8], lines: &[u8], names: Option<&[Qstr]>) -> PyResult<Value> {
    let names = names.unwrap_or(&[]);
    let mut code = Vec::new();
    code.try_reserve_exact(bytecode.len()).map_err(|_| PyErr::NoMemory)?;
    code.extend_from_slice(bytecode);
    let params = c.shape.n_args + c.shape.n_kwonly + c.shape.varargs as usize + c.shape.varkw as usize;
    // What MAKE_FUNCTION and LOAD_CONST_OBJ may take from the constants.
    let mut consts = Vec::new();
    consts.try_reserve_exact(c.consts.len()).map_err(|_| PyErr::NoMemory)?;
    consts.extend(c.consts.iter().map(|&v| const_kind(vm, v)));
    let shape = Shape { n_locals: c.n_locals, stack: c.stack, generator: c.shape.generator, consts: &consts };
    // The names a caller may pass by keyword, by slot: the parameters',
    // all of them if any is keyword-only (a comprehension's hidden
    // iterator has none).
    let named = c.shape.n_args + c.shape.n_kwonly;
    // Frames of at most 64 K slots (the code itself is shorter).
    let ok = c.n_locals <= 0xffff
        && c.stack <= 0xffff
        && params <= c.n_locals
        && c.params.len() <= named
        && (c.shape.n_kwonly == 0 || c.params.len() == named);
    match if ok { check(&mut code, names, &shape) } else { Err(Bad::Invalid) } {
        Ok(()) => vm.new_code(&NewCode { bytecode: &code, lines, ..*c }),
        Err(Bad::NoMemory) => Err(PyErr::NoMemory),
        Err(Bad::Invalid) => Err(vm.raise(TypeId::ValueError, INVALID)),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::super::write::{compile_file, new_vm_with};
    use super::*;
    use alloc::boxed::Box;
    use alloc::string::String;
    use core::sync::atomic::{AtomicBool, Ordering};

    /// Set every 10 ms by a thread: the Ctrl-C that stops code a change
    /// made loop for ever.
    static TICKING: AtomicBool = AtomicBool::new(false);

    fn ticking() -> &'static AtomicBool {
        static START: std::sync::Once = std::sync::Once::new();
        START.call_once(|| {
            std::thread::spawn(|| loop {
                std::thread::sleep(std::time::Duration::from_millis(10));
                TICKING.store(true, Ordering::Relaxed);
            });
        });
        &TICKING
    }

    /// Loads `data` and runs it in `vm`; the exception line if anything
    /// raised.
    fn load_and_run_in(vm: &mut Vm, data: &[u8]) -> Result<(), String> {
        let r = vm.load_mpk(data).and_then(|code| vm.run_top(code));
        r.map(|_| ()).map_err(|e| {
            let exc = vm.exception_value(e);
            let mut line = Vec::new();
            vm.write_exception_line(exc, &mut line).expect("line");
            String::from_utf8_lossy(&line).into_owned()
        })
    }

    /// The same in a fresh VM.
    fn load_and_run(data: &[u8]) -> Result<(), String> {
        load_and_run_in(&mut new_vm_with(Box::leak(Box::new(AtomicBool::new(false)))), data)
    }

    const PROG: &[u8] = b"def f(a, *b, k=2):\n    return [a * x + k for x in b]\nclass C:\n    n = 40\n    def m(self):\n        try:\n            return self.n + 2\n        finally:\n            pass\nassert f(3, 1, 2) == [5, 8], 'f'\nassert C().m() == 42\nassert 'caf\\xe9' + str(1 << 40) == 'caf\\xe91099511627776'\n";

    /// Loops, handlers, a with block, a generator, a closure, comprehensions
    /// of each kind, calls with * and **, and a class.
    const RICH: &[u8] = b"import sys\ndef gen(n):\n    for i in range(n):\n        yield i\ndef outer(x):\n    def inner(y=1, *a, **k):\n        return x + y + len(a) + len(k)\n    return inner\nclass Ctx:\n    def __enter__(self):\n        return self\n    def __exit__(self, *e):\n        return True\ntotal = 0\nfor i in gen(4):\n    try:\n        if i == 2:\n            continue\n        total += i\n    except ValueError as e:\n        total -= 1\n    finally:\n        total += 10\nwith Ctx() as c:\n    raise KeyError\nd = {k: v for k, v in zip('ab', [1, 2])}\ns = {x % 3 for x in range(9)}\nl = [outer(i)(*[1, 2], **{'z': 3}) for i in range(3) if i]\nwhile total > 40:\n    total -= 1\nassert (total, d, s, l) == (40, {'a': 1, 'b': 2}, {0, 1, 2}, [4, 5]), (total, d, s, l)\n";

    #[test]
    fn a_compiled_module_runs() {
        let data = compile_file(PROG, "prog.py").expect("compiles");
        assert_eq!(&data[..5], b"PYMK\x01");
        assert_eq!(load_and_run(&data), Ok(()));
        assert_eq!(load_and_run(&compile_file(RICH, "rich.py").expect("compiles")), Ok(()));
        // A failing assertion in it is reported as in the source.
        let data = compile_file(b"x = 1\nassert x == 2, 'from the file'\n", "a.py").expect("compiles");
        assert_eq!(load_and_run(&data), Err("AssertionError: from the file".into()));
    }

    #[test]
    fn names_get_this_vms_numbers() {
        // Names the loading VM already has and names new to it alike.
        let data = compile_file(b"import sys\nnew_name_xyz = len\nassert new_name_xyz('ab') == 2 and sys.maxsize > 0\n", "n.py").unwrap();
        assert_eq!(load_and_run(&data), Ok(()));
    }

    #[test]
    fn other_versions_and_damaged_files_are_refused() {
        let data = compile_file(PROG, "prog.py").expect("compiles");
        let mut other = data.clone();
        other[4] = VERSION + 1;
        assert_eq!(load_and_run(&other), Err(String::from("ValueError: incompatible .mpk file")));
        assert_eq!(load_and_run(b"M\x06\x00\x1f"), Err(String::from("ValueError: incompatible .mpk file")));
        // Every file cut short, and every byte changed (two ways), is
        // refused with ValueError (no panic, no wrong run).
        for n in 0..data.len() {
            let e = load_and_run(&data[..n]).expect_err("cut short");
            assert!(e.starts_with("ValueError: "), "{n}: {e}");
        }
        for i in 5..data.len() {
            for flip in [0x01, 0x80] {
                let mut d = data.clone();
                d[i] ^= flip;
                assert_eq!(load_and_run(&d), Err(String::from("ValueError: invalid .mpk file")), "byte {i}");
            }
        }
    }

    /// Files changed by hand with their checksum made right again: each
    /// byte set to values that make other opcodes, operands, targets and
    /// counts. Each loads and runs (or is interrupted), or is refused with
    /// ValueError or raises; nothing panics. (Each in a fresh VM: a changed
    /// loop may fill the heap before Ctrl-C stops it, and a full heap
    /// would turn later refusals into MemoryError.)
    #[test]
    fn contents_with_a_right_checksum_are_still_checked() {
        let (mut refused, mut ran) = (0, 0);
        for src in [PROG, RICH] {
            let data = compile_file(src, "p.py").expect("compiles");
            for i in HEADER_LEN..data.len() {
                for v in [0x00, 0x13, 0x30, 0x80] {
                    let mut d = data.clone();
                    d[i] = v;
                    reseal(&mut d);
                    match load_and_run_in(&mut new_vm_with(ticking()), &d) {
                        Err(e) if e == "ValueError: invalid .mpk file" => refused += 1,
                        _ => ran += 1,
                    }
                }
            }
        }
        std::println!("{} changed files: {refused} refused, {ran} loaded (and ran or raised)", refused + ran);
        assert!(refused > 1000 && ran > 1000, "{refused} refused, {ran} ran");
    }
}
