//! Loading MicroPython's `.mpy` files: version 6 (MicroPython 1.19 and
//! later, `mpy-cross` 1.29 included), bytecode only. Each function's
//! MicroPython bytecode is translated once, at load time, to Pyrite's own
//! (`translate.rs`); what runs is an ordinary Pyrite code object.
//!
//! The container: a 4-byte header (`M`, version, features, small-int bits),
//! a table of the module's names (qstrs), a table of its constant objects,
//! then the tree of raw code (the module's body, its functions inside).

mod ops;
mod static_qstrs;
mod translate;

pub(crate) use ops::{finally_next, FinallyNext};

use crate::error::{PyErr, PyResult};
use crate::objects::TypeId;
use crate::qstr::Qstr;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

const MPY_VERSION: u8 = 6;
const MPY_SUB_VERSION: u8 = 3;
/// `sys.implementation._mpy`: the version, and the sub-version in the next
/// byte; the architecture bits above stay 0: no native code.
pub const SYS_MPY: usize = MPY_VERSION as usize | (MPY_SUB_VERSION as usize) << 8;

/// Object kinds in the constant table.
mod obj {
    pub const FUN_TABLE: u8 = 0;
    pub const NONE: u8 = 1;
    pub const FALSE: u8 = 2;
    pub const TRUE: u8 = 3;
    pub const ELLIPSIS: u8 = 4;
    pub const STR: u8 = 5;
    pub const BYTES: u8 = 6;
    pub const INT: u8 = 7;
    pub const FLOAT: u8 = 8;
    pub const COMPLEX: u8 = 9;
    pub const TUPLE: u8 = 10;
}

/// A file that is not a version 6 `.mpy`, or is cut short.
fn incompatible(vm: &mut Vm) -> PyErr {
    vm.raise(TypeId::ValueError, "incompatible .mpy file")
}

/// Reads the container; `None` when it is cut short.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    /// A varuint, most significant group first.
    fn uint(&mut self) -> Option<usize> {
        let mut v = 0usize;
        loop {
            let b = self.byte()?;
            v = v.checked_mul(128)? | (b & 0x7f) as usize;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
    }
}

/// What the functions of one file share: its names and constants.
pub(crate) struct Context {
    pub qstrs: Vec<Qstr>,
    pub objs: Vec<Value>,
    pub file: Qstr,
}

impl Vm {
    /// The module code object of a `.mpy` file's contents. The values made
    /// on the way stay unrooted: loading runs no Python code and allocation
    /// never collects.
    pub fn load_mpy(&mut self, data: &[u8]) -> PyResult<Value> {
        let mut r = Reader { data, at: 0 };
        let Some(header) = r.bytes(4) else { return Err(incompatible(self)) };
        if header[0] != b'M' || header[1] != MPY_VERSION || header[3] as u32 > usize::BITS - 1 {
            return Err(incompatible(self));
        }
        // Architecture bits: native code (or viper, or inline assembler),
        // which a bytecode VM cannot run. Flags for an architecture too.
        if (header[2] >> 2) & 0x2f != 0 {
            return Err(self.raise(TypeId::ValueError, "native code in .mpy unsupported"));
        }
        if header[2] & 0x40 != 0 {
            return Err(incompatible(self));
        }
        let (Some(n_qstr), Some(n_obj)) = (r.uint(), r.uint()) else { return Err(incompatible(self)) };
        let mut ctx = Context { qstrs: Vec::new(), objs: Vec::new(), file: crate::qstr::q::EMPTY };
        ctx.qstrs.try_reserve(n_qstr.min(data.len())).map_err(|_| PyErr::NoMemory)?;
        for _ in 0..n_qstr {
            let q = self.mpy_qstr(&mut r)?;
            ctx.qstrs.push(q);
        }
        ctx.file = ctx.qstrs.first().copied().unwrap_or(crate::qstr::q::EMPTY);
        ctx.objs.try_reserve(n_obj.min(data.len())).map_err(|_| PyErr::NoMemory)?;
        for _ in 0..n_obj {
            let o = self.mpy_obj(&mut r, 0)?;
            ctx.objs.push(o);
        }
        self.mpy_raw_code(&mut r, &ctx, 0)
    }

    fn mpy_qstr(&mut self, r: &mut Reader) -> PyResult<Qstr> {
        let Some(len) = r.uint() else { return Err(incompatible(self)) };
        if len & 1 != 0 {
            // One of MicroPython's static qstrs, numbered from 1.
            let Some(name) = (len >> 1).checked_sub(1).and_then(|i| static_qstrs::NAMES.get(i)) else {
                return Err(incompatible(self));
            };
            return self.intern(name);
        }
        // The text, then a NUL.
        let Some(text) = r.bytes(len >> 1) else { return Err(incompatible(self)) };
        if r.byte().is_none() || !crate::objects::str::utf8_valid(text) {
            return Err(incompatible(self));
        }
        self.intern(text)
    }

    fn mpy_obj(&mut self, r: &mut Reader, nesting: usize) -> PyResult<Value> {
        let Some(kind) = r.byte() else { return Err(incompatible(self)) };
        match kind {
            obj::FUN_TABLE => return Err(self.raise(TypeId::ValueError, "native code in .mpy unsupported")),
            obj::NONE => return Ok(Value::NONE),
            obj::FALSE => return Ok(Value::FALSE),
            obj::TRUE => return Ok(Value::TRUE),
            obj::ELLIPSIS => return Ok(Value::ELLIPSIS),
            _ => {}
        }
        let Some(len) = r.uint() else { return Err(incompatible(self)) };
        if kind == obj::TUPLE {
            // Tuples hold constants only, but a crafted file could nest deep.
            if nesting > 8 {
                return Err(incompatible(self));
            }
            let mut items = Vec::new();
            items.try_reserve(len.min(r.data.len())).map_err(|_| PyErr::NoMemory)?;
            for _ in 0..len {
                let v = self.mpy_obj(r, nesting + 1)?;
                items.push(v);
            }
            return self.new_tuple(&items);
        }
        let Some(text) = r.bytes(len) else { return Err(incompatible(self)) };
        match kind {
            obj::STR | obj::BYTES => {
                if r.byte().is_none() {
                    return Err(incompatible(self));
                }
                if kind == obj::BYTES {
                    self.new_bytes(text)
                } else if crate::objects::str::utf8_valid(text) {
                    self.new_str(text)
                } else {
                    Err(incompatible(self))
                }
            }
            obj::INT => match crate::modules::builtins::parse_int(self, text, 10)? {
                Some(v) => Ok(v),
                None => Err(incompatible(self)),
            },
            obj::FLOAT if crate::features::FLOAT => match crate::objects::float::parse_float(text) {
                Some(f) => self.new_float(f),
                None => Err(incompatible(self)),
            },
            obj::COMPLEX if crate::features::COMPLEX => {
                // An imaginary literal, as `2j` (the compiler folds no complex sums).
                let im = text.strip_suffix(b"j").and_then(crate::objects::float::parse_float);
                match im {
                    Some(f) => self.new_complex(0.0, f),
                    None => Err(incompatible(self)),
                }
            }
            obj::FLOAT | obj::COMPLEX => Err(self.raise(TypeId::ValueError, "float/complex constants not supported by this build")),
            _ => Err(incompatible(self)),
        }
    }

    /// A raw code and its children, depth first: the children's code
    /// objects become constants of their parent.
    fn mpy_raw_code(&mut self, r: &mut Reader, ctx: &Context, nesting: usize) -> PyResult<Value> {
        let Some(kind_len) = r.uint() else { return Err(incompatible(self)) };
        if kind_len & 3 != 0 {
            // Native, viper or inline-assembler code.
            return Err(self.raise(TypeId::ValueError, "native code in .mpy unsupported"));
        }
        let Some(fun_data) = r.bytes(kind_len >> 3) else { return Err(incompatible(self)) };
        let mut children = Vec::new();
        if kind_len & 4 != 0 {
            // Functions nest as deep as the source did; the compiler that
            // made them bounds that, a crafted file must not go further.
            if nesting >= 32 {
                return Err(incompatible(self));
            }
            let Some(n) = r.uint() else { return Err(incompatible(self)) };
            children.try_reserve(n.min(r.data.len())).map_err(|_| PyErr::NoMemory)?;
            for _ in 0..n {
                let c = self.mpy_raw_code(r, ctx, nesting + 1)?;
                children.push(c);
            }
        }
        match translate::translate(self, ctx, fun_data, &children)? {
            Some(code) => Ok(code),
            None => Err(incompatible(self)),
        }
    }
}
