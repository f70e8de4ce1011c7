//! Code objects (what the compiler makes) and functions (a code object bound
//! to its globals and default arguments).

use crate::error::PyResult;
use crate::heap::Heap;
use crate::objects::Kind;
use crate::qstr::Qstr;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

/// Slots of a `Code` object.
pub mod code {
    pub const BYTECODE: usize = 0;
    pub const CONSTS: usize = 1;
    pub const NAME: usize = 2;
    pub const FILE: usize = 3;
    /// Line table: pairs of varuint (bytecode offset delta, zigzag line delta).
    pub const LINES: usize = 4;
    pub const N_ARGS: usize = 5;
    pub const N_LOCALS: usize = 6;
    pub const STACK: usize = 7;
    pub const FIRST_LINE: usize = 8;
    /// Tuple of the qstrs a caller may name: positional, then keyword-only.
    pub const PARAMS: usize = 9;
    pub const N_KWONLY: usize = 10;
    /// Bit 0: `*args`; bit 1: `**kwargs`.
    pub const FLAGS: usize = 11;
    pub const SLOTS: usize = 12;
}

const FLAG_VARARGS: usize = 1;
const FLAG_VARKW: usize = 2;
const FLAG_GENERATOR: usize = 4;

/// How a function takes its arguments.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FnShape {
    /// Positional parameters.
    pub n_args: usize,
    pub n_kwonly: usize,
    pub varargs: bool,
    pub varkw: bool,
    /// Calling it makes a generator.
    pub generator: bool,
}

impl FnShape {
    /// Takes nothing but positional arguments, so a call needs no binding.
    pub fn is_simple(&self) -> bool {
        self.n_kwonly == 0 && !self.varargs && !self.varkw
    }
}

/// Slots of a `Function`.
pub mod func {
    pub const CODE: usize = 0;
    pub const GLOBALS: usize = 1;
    /// A tuple of defaults for the last positional parameters, or NULL.
    pub const DEFAULTS: usize = 2;
    /// A dict of keyword-only parameters' defaults, or NULL.
    pub const KWDEFAULTS: usize = 3;
    /// A tuple of cells for the code's free variables, or NULL.
    pub const CLOSURE: usize = 4;
    pub const SLOTS: usize = 5;
}

/// What the interpreter needs of a code object, read once per call.
#[derive(Copy, Clone, Debug)]
pub struct CodeInfo {
    pub bytecode: ObjRef,
    pub consts: ObjRef,
    pub name: Qstr,
    pub shape: FnShape,
    pub params: Value,
    pub n_locals: usize,
    pub stack: usize,
}

fn small(heap: &Heap, r: ObjRef, slot: usize) -> usize {
    heap.slot(r, slot).as_small_int().unwrap_or(0) as usize
}

/// Whether calling code object `c` makes a generator (read on every call:
/// cheaper than all of `code_info`).
pub fn makes_generator(heap: &Heap, c: ObjRef) -> bool {
    small(heap, c, code::FLAGS) & FLAG_GENERATOR != 0
}

/// What running code object `c` in a frame needs (a generator's resume
/// reads only this, not all of `code_info`).
pub struct FrameCode {
    pub bytecode: ObjRef,
    pub consts: ObjRef,
    pub n_locals: usize,
    pub stack: usize,
}

#[cfg_attr(pyrite_optimize_attr, optimize(speed))]
pub fn frame_code(heap: &Heap, c: ObjRef) -> FrameCode {
    FrameCode {
        bytecode: heap.slot(c, code::BYTECODE).as_obj().expect("code has bytecode"),
        consts: heap.slot(c, code::CONSTS).as_obj().expect("code has consts"),
        n_locals: small(heap, c, code::N_LOCALS),
        stack: small(heap, c, code::STACK),
    }
}

#[cfg_attr(pyrite_optimize_attr, optimize(speed))]
pub fn code_info(heap: &Heap, c: ObjRef) -> CodeInfo {
    CodeInfo {
        bytecode: heap.slot(c, code::BYTECODE).as_obj().expect("code has bytecode"),
        consts: heap.slot(c, code::CONSTS).as_obj().expect("code has consts"),
        name: heap.slot(c, code::NAME).as_qstr().unwrap_or(crate::qstr::q::EMPTY),
        shape: FnShape {
            n_args: small(heap, c, code::N_ARGS),
            n_kwonly: small(heap, c, code::N_KWONLY),
            varargs: small(heap, c, code::FLAGS) & FLAG_VARARGS != 0,
            varkw: small(heap, c, code::FLAGS) & FLAG_VARKW != 0,
            generator: small(heap, c, code::FLAGS) & FLAG_GENERATOR != 0,
        },
        params: heap.slot(c, code::PARAMS),
        n_locals: small(heap, c, code::N_LOCALS),
        stack: small(heap, c, code::STACK),
    }
}

/// The file a code object was compiled from.
pub fn code_file(heap: &Heap, c: Value) -> Qstr {
    c.as_obj().and_then(|r| heap.slot(r, code::FILE).as_qstr()).unwrap_or(crate::qstr::q::EMPTY)
}

/// The source line of the instruction at `offset` in code object `c`.
pub fn line_for_offset(heap: &Heap, c: ObjRef, offset: usize) -> usize {
    let mut line = small(heap, c, code::FIRST_LINE) as isize;
    if !crate::features::SOURCE_LINES {
        return line as usize;
    }
    let Some(t) = heap.slot(c, code::LINES).as_obj() else { return line as usize };
    let table = heap.code_bytes(t);
    let mut at = 0;
    let mut pc = 0usize;
    while at < table.len() {
        let (d_pc, n1) = crate::bytecode::read_uint(table, at);
        let (d_line, n2) = crate::bytecode::read_uint(table, at + n1);
        at += n1 + n2;
        pc += d_pc;
        if pc > offset {
            break;
        }
        line += crate::bytecode::unzigzag(d_line);
    }
    line as usize
}

pub struct NewCode<'a> {
    pub bytecode: &'a [u8],
    pub consts: &'a [Value],
    pub lines: &'a [u8],
    pub name: Qstr,
    pub file: Qstr,
    pub shape: FnShape,
    pub params: &'a [Value],
    pub n_locals: usize,
    pub stack: usize,
    pub first_line: usize,
}

impl Vm {
    pub fn new_code(&mut self, c: &NewCode) -> PyResult<Value> {
        let bc = self.new_bytes(c.bytecode)?;
        let lines = self.new_bytes(c.lines)?;
        self.make_code(c, bc, lines)
    }

    /// A code object whose bytecode and line table stay in flash (frozen).
    pub fn new_code_rom(&mut self, c: &NewCode, bytecode: &'static [u8], lines: &'static [u8]) -> PyResult<Value> {
        let bc = Value::obj(self.heap.alloc_rom_bytes(bytecode)?);
        let lines = Value::obj(self.heap.alloc_rom_bytes(lines)?);
        self.make_code(c, bc, lines)
    }

    // Allocation never collects (see `heap`), so the parts need no rooting.
    fn make_code(&mut self, c: &NewCode, bc: Value, lines: Value) -> PyResult<Value> {
        let consts = self.new_tuple(c.consts)?;
        let params = self.new_tuple(c.params)?;
        let r = self.heap.alloc_values(Kind::Code, code::SLOTS)?;
        let h = &mut self.heap;
        h.set_slot(r, code::BYTECODE, bc);
        h.set_slot(r, code::CONSTS, consts);
        h.set_slot(r, code::NAME, Value::qstr(c.name));
        h.set_slot(r, code::FILE, Value::qstr(c.file));
        h.set_slot(r, code::LINES, lines);
        h.set_slot(r, code::N_ARGS, Value::small_int(c.shape.n_args as isize));
        h.set_slot(r, code::PARAMS, params);
        h.set_slot(r, code::N_KWONLY, Value::small_int(c.shape.n_kwonly as isize));
        let flags = if c.shape.varargs { FLAG_VARARGS } else { 0 }
            | if c.shape.varkw { FLAG_VARKW } else { 0 }
            | if c.shape.generator { FLAG_GENERATOR } else { 0 };
        h.set_slot(r, code::FLAGS, Value::small_int(flags as isize));
        h.set_slot(r, code::N_LOCALS, Value::small_int(c.n_locals as isize));
        h.set_slot(r, code::STACK, Value::small_int(c.stack as isize));
        h.set_slot(r, code::FIRST_LINE, Value::small_int(c.first_line as isize));
        Ok(Value::obj(r))
    }

    pub fn new_function(&mut self, code: Value, globals: Value, defaults: Value, kwdefaults: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::Function, func::SLOTS)?;
        self.heap.set_slot(r, func::CODE, code);
        self.heap.set_slot(r, func::GLOBALS, globals);
        self.heap.set_slot(r, func::DEFAULTS, defaults);
        self.heap.set_slot(r, func::KWDEFAULTS, kwdefaults);
        Ok(Value::obj(r))
    }

    pub fn new_cell(&mut self, content: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::Cell, 1)?;
        self.heap.set_slot(r, 0, content);
        Ok(Value::obj(r))
    }

    pub fn new_bound_method(&mut self, this: Value, f: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::BoundMethod, 2)?;
        self.heap.set_slot(r, 0, this);
        self.heap.set_slot(r, 1, f);
        Ok(Value::obj(r))
    }
}
