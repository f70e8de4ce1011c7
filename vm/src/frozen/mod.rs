//! Frozen modules: Python modules (`vm/frozen/*.py`) compiled at build time
//! into bytecode images kept in flash, so importing one neither parses nor
//! compiles (MicroPython's frozen bytecode). Loading an image makes its code
//! objects in the heap, but their bytecode and line tables stay in flash;
//! the names they use are static qstrs, so the bytecode's name operands are
//! valid as stored.
//!
//! The images (`*.mpk`) are generated from the sources by this module's
//! test, which fails when one is stale; `PYRITE_FREEZE=1 cargo test -p
//! pyrite-vm frozen` rewrites them, and lists any name the static qstr
//! table must gain first.
//!
//! Image format: the static qstr table's hash (4 bytes, little-endian), so
//! a stale image fails to import rather than run with the wrong names, then
//! the module's code object. All numbers are varuints: a code object is its name and file
//! qstrs, positional and keyword-only counts, flags, locals, stack depth,
//! first line, the parameter qstrs (count first), the bytecode and line
//! table (length first), then its constants (count first), each a tag byte
//! and its payload.

pub mod app;
#[cfg(feature = "mpy")]
pub mod file;
#[cfg(feature = "mpy")]
mod verify;
#[cfg(any(test, feature = "freeze"))]
pub mod write;

use crate::bytecode::{read_uint, unzigzag};
use crate::error::PyResult;
use crate::objects::function::{FnShape, NewCode};
#[cfg(feature = "asyncio")]
use crate::qstr::q;
use crate::qstr::Qstr;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

const TAG_INT: u8 = 0;
const TAG_STR: u8 = 1;
const TAG_BYTES: u8 = 2;
const TAG_FLOAT: u8 = 3;
const TAG_CODE: u8 = 4;
const TAG_QSTR: u8 = 5;
const TAG_BIGINT: u8 = 6;
const TAG_ELLIPSIS: u8 = 7;
const TAG_TUPLE: u8 = 8;
const TAG_NONE: u8 = 9;
const TAG_TRUE: u8 = 10;
const TAG_FALSE: u8 = 11;
/// Two f64s, real then imaginary (a build without complex refuses it).
const TAG_COMPLEX: u8 = 12;

/// The frozen modules: name and image.
static MODULES: &[(Qstr, &[u8])] = &[
    #[cfg(feature = "asyncio")]
    (q::asyncio, include_bytes!("asyncio.mpk")),
];

/// The frozen modules' names (for `help('modules')`).
pub fn names() -> impl Iterator<Item = Qstr> {
    MODULES.iter().map(|&(n, _)| n)
}

/// The image of frozen module `name` (MicroPython's `u` alias accepted).
pub fn find(name: Qstr) -> Option<(Qstr, &'static [u8])> {
    #[cfg(feature = "asyncio")]
    let name = if name == q::uasyncio { q::asyncio } else { name };
    MODULES.iter().find(|(n, _)| *n == name).copied()
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
    /// A precompiled file's names, which its numbers index (None: an
    /// image's numbers are this build's qstrs).
    names: Option<&'a [Qstr]>,
    /// Read past the end, or a name the file lacks.
    bad: bool,
}

impl<'a> Reader<'a> {
    fn uint(&mut self) -> usize {
        let (v, n) = read_uint(self.data, self.at);
        self.bad |= n == 0;
        self.at += n;
        v
    }

    fn bytes(&mut self) -> &'a [u8] {
        let n = self.uint();
        let s = self.data.get(self.at..self.at.saturating_add(n));
        self.bad |= s.is_none();
        self.at = self.at.saturating_add(n);
        s.unwrap_or(&[])
    }

    /// A count of things to read, each at least a byte: no more than the
    /// bytes left (so a damaged count cannot ask for memory).
    fn count(&mut self) -> usize {
        let n = self.uint();
        if n > self.data.len().saturating_sub(self.at) {
            self.bad = true;
            return 0;
        }
        n
    }

    /// A name: a qstr of this build, or one of a file's names.
    fn name(&mut self) -> Qstr {
        let n = self.uint();
        match self.names {
            None => Qstr(n as u32),
            Some(names) => names.get(n).copied().unwrap_or_else(|| {
                self.bad = true;
                Qstr(0)
            }),
        }
    }
}

/// Makes a code object of its parts and the bytecode and line table read
/// in place: an image's stay where they are, in flash; a file's are copied
/// (`file`).
type MakeCode<'a> = fn(&mut Vm, &NewCode, &'a [u8], &'a [u8], Option<&'a [Qstr]>) -> PyResult<Value>;

fn rom_code(vm: &mut Vm, c: &NewCode, bytecode: &'static [u8], lines: &'static [u8], _: Option<&[Qstr]>) -> PyResult<Value> {
    vm.new_code_rom(c, bytecode, lines)
}

/// Whether this build takes an application's frozen modules (the
/// `frozen-modules` part).
const APP_FROZEN: bool = cfg!(feature = "frozen-modules");
/// Whether names numbered from `FROZEN_BASE` can exist in this build.
pub(crate) const HAS_FROZEN_NAMES: bool = cfg!(any(test, feature = "freeze", feature = "frozen-modules"));

impl Vm {
    /// The text of a name of the application's frozen modules (or of the
    /// image being made).
    pub(crate) fn frozen_name(&self, q: Qstr) -> Option<&[u8]> {
        #[cfg(any(test, feature = "freeze"))]
        if let Some(names) = &self.freezing {
            return names.get((q.0 - crate::qstr::FROZEN_BASE) as usize).map(|n| &n[..]);
        }
        if !APP_FROZEN {
            return None;
        }
        self.app_frozen.as_ref()?.name(q)
    }

    pub(crate) fn find_frozen_name(&self, s: &[u8]) -> Option<Qstr> {
        #[cfg(any(test, feature = "freeze"))]
        if let Some(names) = &self.freezing {
            return names.iter().position(|n| n == s).map(|k| Qstr(crate::qstr::FROZEN_BASE + k as u32));
        }
        if !APP_FROZEN {
            return None;
        }
        self.app_frozen.as_ref()?.find_name(s)
    }

    /// The number past the last frozen name.
    pub(crate) fn frozen_names_end(&self) -> u32 {
        #[cfg(any(test, feature = "freeze"))]
        if let Some(names) = &self.freezing {
            return crate::qstr::FROZEN_BASE + names.len() as u32;
        }
        if !APP_FROZEN {
            return crate::qstr::FROZEN_BASE;
        }
        crate::qstr::FROZEN_BASE + self.app_frozen.as_ref().map_or(0, |f| f.name_count() as u32)
    }

    /// The application's frozen module `name`: its image and whether it
    /// is a package.
    pub(crate) fn find_app_frozen(&self, name: Qstr) -> Option<(&'static [u8], bool)> {
        if !APP_FROZEN {
            return None;
        }
        self.app_frozen.as_ref()?.modules().find(|m| m.name == name).map(|m| (m.image, m.package))
    }

    /// Runs the application's frozen module `name` (`main` at boot when the
    /// file system has no main.py) as the program, in `__main__`'s
    /// namespace. `Ok(false)` when there is no such module.
    pub fn run_frozen_main(&mut self, name: &str) -> PyResult<bool> {
        let Some(q) = self.find_qstr(name.as_bytes()) else { return Ok(false) };
        let Some((image, _)) = self.find_app_frozen(q) else { return Ok(false) };
        let code = load_image(self, image)?;
        self.run_top(code).map(|_| true)
    }
}

/// The module code object of an application's frozen module (checked with
/// the whole blob).
pub(crate) fn load_image(vm: &mut Vm, image: &'static [u8]) -> PyResult<Value> {
    load_code(vm, &mut Reader { data: image, at: 0, names: None, bad: false }, rom_code)
}

/// The module code object of an image.
pub fn load(vm: &mut Vm, image: &'static [u8]) -> PyResult<Value> {
    // An image made against another qstr table would name the wrong things.
    if image.get(..4) != Some(&crate::qstr::STATIC_HASH.to_le_bytes()[..]) {
        return Err(vm.raise(crate::objects::TypeId::ImportError, "frozen module made for another build"));
    }
    load_code(vm, &mut Reader { data: image, at: 4, names: None, bad: false }, rom_code)
}

fn load_code<'a>(vm: &mut Vm, r: &mut Reader<'a>, make: MakeCode<'a>) -> PyResult<Value> {
    let name = r.name();
    let file = r.name();
    let n_args = r.uint();
    let n_kwonly = r.uint();
    let flags = r.uint();
    let n_locals = r.uint();
    let stack = r.uint();
    let first_line = r.uint();
    let n_params = r.count();
    let mut params = Vec::new();
    params.try_reserve_exact(n_params).map_err(|_| crate::error::PyErr::NoMemory)?;
    for _ in 0..n_params {
        params.push(Value::qstr(r.name()));
    }
    let bytecode = r.bytes();
    let lines = r.bytes();
    let n_consts = r.count();
    if r.bad {
        return Err(corrupt(vm, r.names.is_some()));
    }
    let consts = load_consts(vm, r, n_consts, make)?;
    let shape = FnShape { n_args, n_kwonly, varargs: flags & 1 != 0, varkw: flags & 2 != 0, generator: flags & 4 != 0 };
    let c = NewCode { bytecode: &[], consts: &consts, lines: &[], name, file, shape, params: &params, n_locals, stack, first_line };
    // Allocation never collects (see `heap`): `consts` needs no rooting here.
    make(vm, &c, bytecode, lines, r.names)
}

/// `n` tagged constants (a big int's goes through `int()`, so each is
/// rooted while the rest are made).
fn load_consts<'a>(vm: &mut Vm, r: &mut Reader<'a>, n: usize, make: MakeCode<'a>) -> PyResult<Vec<Value>> {
    vm.make_rooted(n, |vm, _| load_const(vm, r, make))
}

/// One tagged constant.
fn load_const<'a>(vm: &mut Vm, r: &mut Reader<'a>, make: MakeCode<'a>) -> PyResult<Value> {
    let tag = r.data.get(r.at).copied().unwrap_or(u8::MAX);
    r.at += 1;
    let v = match tag {
        TAG_INT => Value::small_int(unzigzag(r.uint())),
        TAG_STR => vm.new_str(r.bytes())?,
        TAG_BYTES => vm.new_bytes(r.bytes())?,
        TAG_FLOAT => {
            let b = r.bytes();
            vm.new_float(f64::from_le_bytes(b.try_into().unwrap_or([0; 8])) as crate::objects::fmath::Float)?
        }
        TAG_COMPLEX if crate::features::COMPLEX => {
            let b = r.bytes();
            let part = |k: usize| b.get(8 * k..8 * k + 8).map_or(0.0, |p| f64::from_le_bytes(p.try_into().unwrap_or([0; 8])));
            vm.new_complex(part(0) as crate::objects::fmath::Float, part(1) as crate::objects::fmath::Float)?
        }
        TAG_CODE => load_code(vm, r, make)?,
        TAG_QSTR => Value::qstr(r.name()),
        TAG_BIGINT => {
            let text = r.bytes();
            let s = vm.new_str(text)?;
            vm.with_root(s, |vm| vm.call(crate::objects::TypeId::Int.value(), &[s]))?
        }
        TAG_ELLIPSIS => Value::ELLIPSIS,
        TAG_NONE => Value::NONE,
        TAG_TRUE => Value::TRUE,
        TAG_FALSE => Value::FALSE,
        TAG_TUPLE => {
            // Its length, then its items.
            let n = r.count();
            let items = load_consts(vm, r, n, make)?;
            vm.new_tuple(&items)?
        }
        _ => return Err(corrupt(vm, r.names.is_some())),
    };
    if r.bad {
        return Err(corrupt(vm, r.names.is_some()));
    }
    Ok(v)
}

/// A frozen image that does not read to its end, or a precompiled file
/// whose checksum holds but whose contents do not (made by hand).
#[cold]
fn corrupt(vm: &mut Vm, _file: bool) -> crate::error::PyErr {
    #[cfg(feature = "mpy")]
    if _file {
        return vm.raise(crate::objects::TypeId::ValueError, file::INVALID);
    }
    vm.raise(crate::objects::TypeId::ImportError, "corrupt frozen module")
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::write::{encode, new_vm};
    use super::*;
    use crate::compile::Mode;
    use crate::objects::list;
    use alloc::boxed::Box;
    use alloc::string::String;
    use std::format;

    /// Compiles a frozen source: its image, or the names it uses that are
    /// not static qstrs.
    fn freeze(file: &str, src: &[u8]) -> Result<Vec<u8>, Vec<String>> {
        let mut vm = new_vm();
        let pool = vm.qstr_pool();
        let before = list::len(&vm.heap, pool);
        let c = vm.compile(src, file, Mode::File).unwrap_or_else(|_| panic!("{file} does not compile"));
        let pool = vm.qstr_pool();
        let new: Vec<String> = list::items(&vm.heap, pool)[before..]
            .iter()
            .map(|v| String::from_utf8_lossy(vm.heap.bytes(v.as_obj().expect("qstr text"))).into_owned())
            .collect();
        if !new.is_empty() {
            return Err(new);
        }
        let mut out = Vec::from(crate::qstr::STATIC_HASH.to_le_bytes());
        encode(&mut vm, c, &mut out, usize::BITS).expect("encodes");
        Ok(out)
    }

    /// Appends names to the frozen-module block at the end of the static
    /// qstr table (its last `}` but one closes the block).
    fn add_static_qstrs(names: &[String]) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/qstr.rs");
        let text = std::fs::read_to_string(path).expect("qstr.rs");
        let end = text.find("\n    }\n}\n\nconst fn ends").expect("frozen block at the end of the static table");
        let mut lines = String::new();
        for n in names {
            let ident = if n == "self" { String::from("SELF") } else { n.clone() };
            lines += &format!("\n        {ident} = \"{n}\",");
        }
        std::fs::write(path, format!("{}{lines}{}", &text[..end], &text[end..])).expect("write qstr.rs");
    }

    /// The frozen sources in vm/frozen/, by module name.
    const SOURCES: &[&str] = &["asyncio"];

    #[test]
    fn images_are_current_and_load() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/frozen");
        let regen = std::env::var("PYRITE_FREEZE").is_ok_and(|v| v == "1");
        for name in SOURCES {
            let file = format!("{name}.py");
            let src = std::fs::read(format!("{dir}/{file}")).expect("frozen source");
            let image_path = format!("{}/src/frozen/{name}.mpk", env!("CARGO_MANIFEST_DIR"));
            let image = match freeze(&file, &src) {
                Ok(image) => image,
                Err(names) if regen => {
                    add_static_qstrs(&names);
                    panic!("added {} names to vm/src/qstr.rs; run again", names.len())
                }
                Err(names) => panic!(
                    "{file} uses names that are not static qstrs; add them to the frozen-module block of vm/src/qstr.rs: {}",
                    names.iter().map(|n| format!("{n} = \"{n}\",")).collect::<Vec<_>>().join(" ")
                ),
            };
            if regen {
                std::fs::write(&image_path, &image).expect("write image");
            }
            let stored = std::fs::read(&image_path).unwrap_or_default();
            assert!(stored == image, "{image_path} is stale: run PYRITE_FREEZE=1 cargo test -p pyrite-vm frozen");
            // The image loads into code equal to a fresh compile's.
            let mut vm = new_vm();
            let loaded = load(&mut vm, Box::leak(stored.into_boxed_slice())).expect("loads");
            let mut again = Vec::from(crate::qstr::STATIC_HASH.to_le_bytes());
            encode(&mut vm, loaded, &mut again, usize::BITS).expect("encodes");
            assert_eq!(again, image);
        }
    }
}
