//! MicroPython bytecode to Pyrite bytecode, one function at a time.
//!
//! The two are close relatives: stack machines with the same calling
//! convention, the same order of operands for attribute and subscript
//! stores, and the same method-call pair. The translation keeps
//! MicroPython's value stack exactly (a `for` loop's iterator still takes
//! four slots: three NULLs under Pyrite's iterator), so every operand that
//! names a stack position keeps meaning the same thing. Where the two
//! differ:
//! - Exception blocks. MicroPython keeps a block on its exception stack
//!   while its handler runs and unwinds `break`, `continue` and `return`
//!   through `finally` bodies at run time. Pyrite drops a handler when it is
//!   taken. A first pass works out, for every instruction, which blocks are
//!   open and whether each is running its handler, and the stack's depth;
//!   the translation then says which Pyrite handler or exception to leave,
//!   and runs a `finally` body on the way out of a jump or return by
//!   pushing where to go on (a small int) and jumping into it:
//!   `END_FINALLY` goes on from there. The places are marked (MP_RESUME,
//!   with the stack's depth there), so a damaged file cannot send the VM
//!   elsewhere, nor with the stack at another depth.
//! - Locals. MicroPython passes a closure's cells as its first arguments and
//!   orders parameters positional, keyword-only, `*args`, `**kwargs`;
//!   Pyrite keeps cells in the last slots and puts `*args` before the
//!   keyword-only ones.
//! - A few operations Pyrite's compiler never needs: comprehension stores
//!   deep in the stack, calls with `*`/`**` spread over the arguments,
//!   `with` cleanup and `__build_class__`: MP_* opcodes in `bytecode.rs`.

use super::Context;
use crate::bytecode::{self as bc, write_uint, zigzag, BinOp};
use crate::error::{no_mem, PyErr, PyResult};
use crate::objects::function::{FnShape, NewCode};
use crate::qstr::q;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// MicroPython's opcodes (`py/bc0.h` of version 6).
mod mp {
    pub const LOAD_CONST_STRING: u8 = 0x10;
    pub const LOAD_NAME: u8 = 0x11;
    pub const LOAD_GLOBAL: u8 = 0x12;
    pub const LOAD_ATTR: u8 = 0x13;
    pub const LOAD_METHOD: u8 = 0x14;
    pub const LOAD_SUPER_METHOD: u8 = 0x15;
    pub const STORE_NAME: u8 = 0x16;
    pub const STORE_GLOBAL: u8 = 0x17;
    pub const STORE_ATTR: u8 = 0x18;
    pub const DELETE_NAME: u8 = 0x19;
    pub const DELETE_GLOBAL: u8 = 0x1a;
    pub const IMPORT_NAME: u8 = 0x1b;
    pub const IMPORT_FROM: u8 = 0x1c;
    pub const MAKE_CLOSURE: u8 = 0x20;
    pub const MAKE_CLOSURE_DEFARGS: u8 = 0x21;
    pub const LOAD_CONST_SMALL_INT: u8 = 0x22;
    pub const LOAD_CONST_OBJ: u8 = 0x23;
    pub const LOAD_FAST_N: u8 = 0x24;
    pub const LOAD_DEREF: u8 = 0x25;
    pub const STORE_FAST_N: u8 = 0x26;
    pub const STORE_DEREF: u8 = 0x27;
    pub const DELETE_FAST: u8 = 0x28;
    pub const DELETE_DEREF: u8 = 0x29;
    pub const BUILD_TUPLE: u8 = 0x2a;
    pub const BUILD_LIST: u8 = 0x2b;
    pub const BUILD_MAP: u8 = 0x2c;
    pub const BUILD_SET: u8 = 0x2d;
    pub const BUILD_SLICE: u8 = 0x2e;
    pub const STORE_COMP: u8 = 0x2f;
    pub const UNPACK_SEQUENCE: u8 = 0x30;
    pub const UNPACK_EX: u8 = 0x31;
    pub const MAKE_FUNCTION: u8 = 0x32;
    pub const MAKE_FUNCTION_DEFARGS: u8 = 0x33;
    pub const CALL_FUNCTION: u8 = 0x34;
    pub const CALL_FUNCTION_VAR_KW: u8 = 0x35;
    pub const CALL_METHOD: u8 = 0x36;
    pub const CALL_METHOD_VAR_KW: u8 = 0x37;
    pub const UNWIND_JUMP: u8 = 0x40;
    pub const JUMP: u8 = 0x42;
    pub const POP_JUMP_IF_TRUE: u8 = 0x43;
    pub const POP_JUMP_IF_FALSE: u8 = 0x44;
    pub const JUMP_IF_TRUE_OR_POP: u8 = 0x45;
    pub const JUMP_IF_FALSE_OR_POP: u8 = 0x46;
    pub const SETUP_WITH: u8 = 0x47;
    pub const SETUP_EXCEPT: u8 = 0x48;
    pub const SETUP_FINALLY: u8 = 0x49;
    pub const POP_EXCEPT_JUMP: u8 = 0x4a;
    pub const FOR_ITER: u8 = 0x4b;
    pub const LOAD_CONST_FALSE: u8 = 0x50;
    pub const LOAD_CONST_NONE: u8 = 0x51;
    pub const LOAD_CONST_TRUE: u8 = 0x52;
    pub const LOAD_NULL: u8 = 0x53;
    pub const LOAD_BUILD_CLASS: u8 = 0x54;
    pub const LOAD_SUBSCR: u8 = 0x55;
    pub const STORE_SUBSCR: u8 = 0x56;
    pub const DUP_TOP: u8 = 0x57;
    pub const DUP_TOP_TWO: u8 = 0x58;
    pub const POP_TOP: u8 = 0x59;
    pub const ROT_TWO: u8 = 0x5a;
    pub const ROT_THREE: u8 = 0x5b;
    pub const WITH_CLEANUP: u8 = 0x5c;
    pub const END_FINALLY: u8 = 0x5d;
    pub const GET_ITER: u8 = 0x5e;
    pub const GET_ITER_STACK: u8 = 0x5f;
    pub const STORE_MAP: u8 = 0x62;
    pub const RETURN_VALUE: u8 = 0x63;
    pub const RAISE_LAST: u8 = 0x64;
    pub const RAISE_OBJ: u8 = 0x65;
    pub const RAISE_FROM: u8 = 0x66;
    pub const YIELD_VALUE: u8 = 0x67;
    pub const YIELD_FROM: u8 = 0x68;
    pub const IMPORT_STAR: u8 = 0x69;
    pub const SMALL_INT_MULTI: u8 = 0x70;
    pub const LOAD_FAST_MULTI: u8 = 0xb0;
    pub const STORE_FAST_MULTI: u8 = 0xc0;
    pub const UNARY_OP_MULTI: u8 = 0xd0;
    pub const BINARY_OP_MULTI: u8 = 0xd7;
    /// The binary operators a bytecode names (up to `**`).
    pub const BINARY_OPS: u8 = 35;
    pub const BINARY_OP_LAST: u8 = BINARY_OP_MULTI + BINARY_OPS - 1;
    pub const EXCEPTION_MATCH: u8 = 8;
    /// Scope flags in a function's signature.
    pub const GENERATOR: usize = 1;
    pub const VARKEYWORDS: usize = 2;
    pub const VARARGS: usize = 4;
}

/// Slots a `for` loop's iterator takes on MicroPython's stack.
const ITER_SLOTS: i32 = 4;

#[derive(Clone, Copy)]
struct Insn {
    off: usize,
    op: u8,
    /// The operand: an unsigned or signed number, a table index, or (for a
    /// jump) the absolute offset of its target.
    arg: isize,
    extra: u8,
}

/// Decodes the instructions of `code` (the bytecode after the prelude).
fn decode(code: &[u8]) -> Option<Vec<Insn>> {
    let mut out = Vec::new();
    out.try_reserve(code.len() / 2).ok()?;
    let mut at = 0;
    while at < code.len() {
        let op = code[at];
        let mut p = at + 1;
        let format = if op < mp::SMALL_INT_MULTI { (0x3a4u32 >> (2 * (op >> 4))) & 3 } else { 0 };
        let mut arg: isize = 0;
        match format {
            1 | 2 => {
                let first = *code.get(p)?;
                let mut v: isize = if op == mp::LOAD_CONST_SMALL_INT && first & 0x40 != 0 { -1 } else { 0 };
                for n in 0.. {
                    let b = *code.get(p)?;
                    p += 1;
                    if n > 8 {
                        return None;
                    }
                    v = (v << 7) | (b & 0x7f) as isize;
                    if b & 0x80 == 0 {
                        break;
                    }
                }
                // Counts and table indices of real code are far below this;
                // a larger one (a damaged file) would wrap the depth count.
                if op != mp::LOAD_CONST_SMALL_INT && !(0..=0xffff).contains(&v) {
                    return None;
                }
                arg = v;
            }
            3 => {
                let b0 = *code.get(p)?;
                let (v, n) = if b0 & 0x80 == 0 { (b0 as isize, 1) } else { ((b0 & 0x7f) as isize | (*code.get(p + 1)? as isize) << 7, 2) };
                p += n;
                let signed = (mp::UNWIND_JUMP..=mp::POP_JUMP_IF_FALSE).contains(&op);
                let rel = if signed { v - if n == 1 { 0x40 } else { 0x4000 } } else { v };
                arg = p as isize + rel;
            }
            _ => {}
        }
        let mut extra = 0;
        if op & 0x9e == 0 {
            extra = *code.get(p)?;
            p += 1;
        }
        out.push(Insn { off: at, op, arg, extra });
        at = p;
    }
    Some(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Except,
    Finally,
    With,
}

/// An open exception block, as MicroPython's exception stack holds it.
#[derive(Clone, Copy)]
struct Block {
    kind: Kind,
    /// The MicroPython offset of its handler.
    handler: usize,
    /// The stack's depth under the block (above `__exit__` and its object
    /// for a `with`).
    base: i32,
    /// Its handler is running.
    active: bool,
}

#[derive(Clone)]
struct State {
    depth: i32,
    blocks: Vec<Block>,
}

/// What an instruction does to the stack's depth when it falls through.
fn effect(i: &Insn) -> Option<i32> {
    let a = i.arg;
    let calls = |a: isize| (a & 0xff) as i32 + 2 * ((a >> 8) & 0xff) as i32;
    Some(match i.op {
        mp::LOAD_CONST_STRING | mp::LOAD_NAME | mp::LOAD_GLOBAL | mp::LOAD_METHOD | mp::IMPORT_FROM => 1,
        mp::LOAD_ATTR | mp::DELETE_NAME | mp::DELETE_GLOBAL => 0,
        mp::LOAD_SUPER_METHOD | mp::STORE_NAME | mp::STORE_GLOBAL | mp::IMPORT_NAME => -1,
        mp::STORE_ATTR => -2,
        mp::MAKE_CLOSURE => 1 - i.extra as i32,
        mp::MAKE_CLOSURE_DEFARGS => -1 - i.extra as i32,
        mp::LOAD_CONST_SMALL_INT | mp::LOAD_CONST_OBJ | mp::LOAD_FAST_N | mp::LOAD_DEREF => 1,
        mp::STORE_FAST_N | mp::STORE_DEREF => -1,
        mp::DELETE_FAST | mp::DELETE_DEREF => 0,
        mp::BUILD_TUPLE | mp::BUILD_LIST | mp::BUILD_SET => 1 - a as i32,
        mp::BUILD_MAP => 1,
        mp::BUILD_SLICE => 1 - a as i32,
        mp::STORE_COMP => {
            if a & 3 == 1 {
                -2
            } else {
                -1
            }
        }
        mp::UNPACK_SEQUENCE => a as i32 - 1,
        mp::UNPACK_EX => ((a & 0xff) + ((a >> 8) & 0xff)) as i32,
        mp::MAKE_FUNCTION => 1,
        mp::MAKE_FUNCTION_DEFARGS => -1,
        mp::CALL_FUNCTION => -calls(a),
        mp::CALL_FUNCTION_VAR_KW | mp::CALL_METHOD => -calls(a) - 1,
        mp::CALL_METHOD_VAR_KW => -calls(a) - 2,
        mp::POP_JUMP_IF_TRUE | mp::POP_JUMP_IF_FALSE => -1,
        mp::JUMP_IF_TRUE_OR_POP | mp::JUMP_IF_FALSE_OR_POP => -1,
        mp::SETUP_WITH => 2,
        mp::SETUP_EXCEPT | mp::SETUP_FINALLY | mp::POP_EXCEPT_JUMP | mp::JUMP | mp::UNWIND_JUMP => 0,
        mp::FOR_ITER => 1,
        mp::LOAD_CONST_FALSE | mp::LOAD_CONST_NONE | mp::LOAD_CONST_TRUE | mp::LOAD_NULL | mp::LOAD_BUILD_CLASS => 1,
        mp::LOAD_SUBSCR => -1,
        mp::STORE_SUBSCR => -3,
        mp::DUP_TOP => 1,
        mp::DUP_TOP_TWO => 2,
        mp::POP_TOP => -1,
        mp::ROT_TWO | mp::ROT_THREE | mp::GET_ITER => 0,
        mp::WITH_CLEANUP => -2,
        mp::END_FINALLY => -1,
        mp::GET_ITER_STACK => ITER_SLOTS - 1,
        mp::STORE_MAP => -2,
        mp::YIELD_VALUE => 0,
        mp::YIELD_FROM | mp::IMPORT_STAR => -1,
        mp::RETURN_VALUE | mp::RAISE_LAST | mp::RAISE_OBJ | mp::RAISE_FROM => 0,
        0x70..=0xbf => 1,
        0xc0..=0xcf => -1,
        0xd0..=0xd6 => 0,
        mp::BINARY_OP_MULTI..=mp::BINARY_OP_LAST => -1,
        _ => return None,
    })
}

/// How many values an instruction reads from the stack: a file whose code
/// would read below its frame's stack is refused.
fn needs(i: &Insn) -> i32 {
    let a = i.arg;
    let calls = |a: isize| (a & 0xff) as i32 + 2 * ((a >> 8) & 0xff) as i32;
    match i.op {
        mp::LOAD_ATTR | mp::LOAD_METHOD | mp::STORE_NAME | mp::STORE_GLOBAL | mp::IMPORT_FROM => 1,
        mp::LOAD_SUPER_METHOD => 3,
        mp::STORE_ATTR | mp::IMPORT_NAME | mp::MAKE_FUNCTION_DEFARGS => 2,
        mp::MAKE_CLOSURE => i.extra as i32,
        mp::MAKE_CLOSURE_DEFARGS => i.extra as i32 + 2,
        mp::STORE_FAST_N | mp::STORE_DEREF | mp::UNPACK_SEQUENCE | mp::UNPACK_EX => 1,
        mp::BUILD_TUPLE | mp::BUILD_LIST | mp::BUILD_SET | mp::BUILD_SLICE => a as i32,
        mp::STORE_COMP => (a >> 2) as i32 + 1,
        mp::CALL_FUNCTION => calls(a) + 1,
        mp::CALL_FUNCTION_VAR_KW | mp::CALL_METHOD => calls(a) + 2,
        mp::CALL_METHOD_VAR_KW => calls(a) + 3,
        mp::POP_JUMP_IF_TRUE | mp::POP_JUMP_IF_FALSE | mp::JUMP_IF_TRUE_OR_POP | mp::JUMP_IF_FALSE_OR_POP => 1,
        mp::SETUP_WITH | mp::DUP_TOP | mp::POP_TOP | mp::END_FINALLY | mp::GET_ITER | mp::GET_ITER_STACK => 1,
        mp::RETURN_VALUE | mp::RAISE_OBJ | mp::YIELD_VALUE | mp::IMPORT_STAR => 1,
        mp::FOR_ITER => ITER_SLOTS,
        mp::LOAD_SUBSCR | mp::DUP_TOP_TWO | mp::ROT_TWO | mp::RAISE_FROM | mp::YIELD_FROM => 2,
        mp::STORE_SUBSCR | mp::ROT_THREE | mp::WITH_CLEANUP | mp::STORE_MAP => 3,
        0xc0..=0xd6 => 1,
        mp::BINARY_OP_MULTI..=mp::BINARY_OP_LAST => 2,
        _ => 0,
    }
}

/// Whether control never goes on to the next instruction.
fn ends_flow(op: u8) -> bool {
    matches!(op, mp::JUMP | mp::UNWIND_JUMP | mp::POP_EXCEPT_JUMP | mp::RETURN_VALUE | mp::RAISE_LAST | mp::RAISE_OBJ | mp::RAISE_FROM)
}

/// The block state at every instruction reached (MicroPython's compiler
/// gives each point one state, whatever the path to it).
/// `slack`: how far below the depth worked out here code may read. An
/// `async with`'s finally code finds MicroPython's two-value unwinding state
/// where the analysis counts one; it then reads one value deeper than the
/// analysis sees, which stays in the frame when it has local slots.
fn analyse(insns: &[Insn], slack: i32) -> Option<Vec<Option<State>>> {
    let index = |off: isize| insns.binary_search_by_key(&(off as usize), |i| i.off).ok().filter(|_| off >= 0);
    let mut states: Vec<Option<State>> = Vec::new();
    states.try_reserve(insns.len()).ok()?;
    states.resize(insns.len(), None);
    let mut work: Vec<usize> = Vec::new();
    // Arriving at `to` by normal flow: reaching a finally's handler (or
    // code past it: an `async with` jumps there) from its body starts that
    // handler, as MicroPython counts a block whose handler is at or before
    // the instruction running as active.
    let arrive = |states: &mut Vec<Option<State>>, work: &mut Vec<usize>, to: usize, mut st: State| -> Option<()> {
        // Running off the end of the code, or below the frame's stack.
        if to >= insns.len() || st.depth < 0 || st.blocks.len() > 64 {
            return None;
        }
        if let Some(top) = st.blocks.last_mut() {
            if !top.active && top.kind != Kind::Except && insns[to].off >= top.handler {
                top.active = true;
            }
        }
        match &states[to] {
            None => {
                states[to] = Some(st);
                work.try_reserve(1).ok()?;
                work.push(to);
            }
            // Every path to a point must agree on the stack and the blocks
            // (MicroPython's compiler makes it so; a file that does not is
            // refused rather than run on a stack the translation misjudged).
            Some(had) if had.depth != st.depth || had.blocks.len() != st.blocks.len() => return None,
            Some(_) => {}
        }
        Some(())
    };
    // No code at all would run off its end at once.
    if insns.is_empty() {
        return None;
    }
    arrive(&mut states, &mut work, 0, State { depth: 0, blocks: Vec::new() })?;
    while let Some(k) = work.pop() {
        let i = insns[k];
        let st = states[k].clone()?;
        if st.depth + slack < needs(&i) || st.depth > 1 << 14 {
            return None;
        }
        let target = |t: isize| index(t);
        match i.op {
            mp::SETUP_EXCEPT | mp::SETUP_FINALLY | mp::SETUP_WITH => {
                let h = target(i.arg)?;
                let kind = match i.op {
                    mp::SETUP_EXCEPT => Kind::Except,
                    mp::SETUP_FINALLY => Kind::Finally,
                    _ => Kind::With,
                };
                // A with's block sits above __exit__ and its object, which
                // replaced the context manager.
                let base = if kind == Kind::With { st.depth + 1 } else { st.depth };
                let mut body = st.clone();
                body.blocks.push(Block { kind, handler: i.arg as usize, base, active: false });
                let mut caught = body.clone();
                if let Some(b) = caught.blocks.last_mut() {
                    b.active = true;
                }
                caught.depth = base + 1;
                body.depth += effect(&i)?;
                arrive(&mut states, &mut work, h, caught)?;
                arrive(&mut states, &mut work, k + 1, body)?;
                continue;
            }
            mp::POP_EXCEPT_JUMP => {
                let mut s = st.clone();
                s.blocks.pop()?;
                arrive(&mut states, &mut work, target(i.arg)?, s)?;
                continue;
            }
            mp::END_FINALLY => {
                let mut s = st.clone();
                s.blocks.pop()?;
                s.depth -= 1;
                arrive(&mut states, &mut work, k + 1, s)?;
                continue;
            }
            mp::UNWIND_JUMP => {
                let mut s = st.clone();
                let n = (i.extra & 0x7f) as usize;
                let left = s.blocks.len().checked_sub(n)?;
                // The stack as the outermost block left found it (a with's
                // exit takes __exit__ and its object).
                if let Some(outer) = s.blocks.get(left) {
                    s.depth = if outer.kind == Kind::With { outer.base - 2 } else { outer.base };
                }
                s.blocks.truncate(left);
                if i.extra & 0x80 != 0 {
                    s.depth -= ITER_SLOTS;
                }
                arrive(&mut states, &mut work, target(i.arg)?, s)?;
                continue;
            }
            mp::JUMP => {
                arrive(&mut states, &mut work, target(i.arg)?, st)?;
                continue;
            }
            mp::POP_JUMP_IF_TRUE | mp::POP_JUMP_IF_FALSE => {
                let mut s = st.clone();
                s.depth -= 1;
                arrive(&mut states, &mut work, target(i.arg)?, s.clone())?;
                arrive(&mut states, &mut work, k + 1, s)?;
                continue;
            }
            mp::JUMP_IF_TRUE_OR_POP | mp::JUMP_IF_FALSE_OR_POP => {
                arrive(&mut states, &mut work, target(i.arg)?, st.clone())?;
                let mut s = st;
                s.depth -= 1;
                arrive(&mut states, &mut work, k + 1, s)?;
                continue;
            }
            mp::FOR_ITER => {
                let mut done = st.clone();
                done.depth -= ITER_SLOTS;
                arrive(&mut states, &mut work, target(i.arg)?, done)?;
                let mut s = st;
                s.depth += 1;
                arrive(&mut states, &mut work, k + 1, s)?;
                continue;
            }
            _ => {}
        }
        if ends_flow(i.op) {
            continue;
        }
        let mut s = st;
        s.depth += effect(&i)?;
        arrive(&mut states, &mut work, k + 1, s)?;
    }
    Some(states)
}

/// Where a jump of the translation goes.
#[derive(Clone, Copy)]
enum Target {
    /// The translation of a MicroPython instruction (by index).
    Insn(usize),
    /// A place in the translation only (`Out::labels`).
    Label(usize),
}

/// How an unwinding ends.
#[derive(Clone, Copy)]
enum Exit {
    Jump { to: usize, depth: i32 },
    Return,
}

struct Out {
    code: Vec<u8>,
    /// (position of a 2-byte target, or of a 3-byte small int, target).
    jumps: Vec<(usize, Target, bool)>,
    labels: Vec<Option<usize>>,
    at_insn: Vec<Option<usize>>,
    /// Stubs placed after the code: a finished `for` drops its padding.
    for_exits: Vec<(usize, usize)>,
}

type T<R> = Result<R, PyErr>;

impl Out {
    fn op(&mut self, op: u8) -> T<()> {
        self.code.try_reserve(1).map_err(no_mem)?;
        self.code.push(op);
        Ok(())
    }

    fn op_uint(&mut self, op: u8, v: usize) -> T<()> {
        self.op(op)?;
        write_uint(&mut self.code, v).map_err(no_mem)
    }

    fn op_byte(&mut self, op: u8, b: u8) -> T<()> {
        self.op(op)?;
        self.op(b)
    }

    fn jump(&mut self, op: u8, to: Target) -> T<()> {
        self.op(op)?;
        self.jumps.try_reserve(1).map_err(no_mem)?;
        self.jumps.push((self.code.len(), to, false));
        self.op(0)?;
        self.op(0)
    }

    /// Pushes where to go on after a finally body: the offset of `to` as a
    /// small int (a 3-byte varuint, patched), after a None for an `async
    /// with`, whose finally code expects MicroPython's two-value unwinding
    /// state.
    fn push_place(&mut self, to: Target, two: bool) -> T<()> {
        if two {
            self.op(bc::LOAD_CONST_NONE)?;
        }
        self.op(bc::LOAD_CONST_SMALL_INT)?;
        self.jumps.try_reserve(1).map_err(no_mem)?;
        self.jumps.push((self.code.len(), to, true));
        self.op(0x80)?;
        self.op(0x80)?;
        self.op(0)
    }

    fn new_label(&mut self) -> T<usize> {
        self.labels.try_reserve(1).map_err(no_mem)?;
        self.labels.push(None);
        Ok(self.labels.len() - 1)
    }

    fn place(&mut self, label: usize) {
        self.labels[label] = Some(self.code.len());
    }

    fn pops(&mut self, n: i32) -> T<()> {
        for _ in 0..n.max(0) {
            self.op(bc::POP_TOP)?;
        }
        Ok(())
    }

    fn fast(&mut self, load: bool, slot: usize) -> T<()> {
        match (load, slot < bc::FAST_SLOTS) {
            (true, true) => self.op(bc::LOAD_FAST_0 + slot as u8),
            (false, true) => self.op(bc::STORE_FAST_0 + slot as u8),
            (true, false) => self.op_uint(bc::LOAD_FAST, slot),
            (false, false) => self.op_uint(bc::STORE_FAST, slot),
        }
    }
}

/// Where MicroPython's locals go among Pyrite's slots.
struct Slots {
    n_free: usize,
    pos: usize,
    kwonly: usize,
    varargs: bool,
    with_scratch: usize,
    ret_scratch: usize,
    total: usize,
}

impl Slots {
    fn of(&self, l: usize) -> usize {
        if l < self.n_free {
            return self.total - self.n_free + l;
        }
        let k = l - self.n_free;
        let va = self.varargs as usize;
        if k < self.pos {
            k
        } else if k < self.pos + self.kwonly {
            k + va
        } else if self.varargs && k == self.pos + self.kwonly {
            self.pos
        } else {
            k
        }
    }
}

/// Translates one function (its `fun_data`: prelude, then bytecode) into a
/// code object; `None` when the data does not decode.
pub(super) fn translate(vm: &mut Vm, ctx: &Context, fun: &[u8], children: &[Value]) -> PyResult<Option<Value>> {
    // The signature: xSSSSEAA, then xFSSKAED while x is set.
    let mut p = 0usize;
    let byte = |p: &mut usize| -> Option<u8> {
        let b = *fun.get(*p)?;
        *p += 1;
        Some(b)
    };
    let Some(mut z) = byte(&mut p) else { return Ok(None) };
    let (mut n_state, mut flags, mut n_pos, mut n_kwonly) = (((z >> 3) & 0xf) as usize, 0usize, (z & 3) as usize, 0usize);
    let mut n = 0;
    while z & 0x80 != 0 {
        let Some(b) = byte(&mut p) else { return Ok(None) };
        z = b;
        if n > 8 {
            return Ok(None);
        }
        n_state |= ((z & 0x30) as usize) << (2 * n);
        flags |= (((z & 0x40) >> 6) as usize) << n;
        n_pos |= ((z & 0x4) as usize) << n;
        n_kwonly |= (((z & 0x08) >> 3) as usize) << n;
        n += 1;
    }
    n_state += 1;
    // The sizes of the source info and closure sections: xIIIIIIC.
    let (mut n_info, mut n_cell) = (0usize, 0usize);
    for n in 0.. {
        let Some(z) = byte(&mut p) else { return Ok(None) };
        if n > 8 {
            return Ok(None);
        }
        n_cell |= ((z & 1) as usize) << n;
        n_info |= (((z & 0x7e) >> 1) as usize) << (6 * n);
        if z & 0x80 == 0 {
            break;
        }
    }
    let info_start = p;
    let Some(bc_start) = info_start.checked_add(n_info).and_then(|v| v.checked_add(n_cell)).filter(|&v| v <= fun.len()) else {
        return Ok(None);
    };
    let mut r = super::Reader { data: &fun[..info_start + n_info], at: info_start };
    let qstr_at = |r: &mut super::Reader| r.uint().and_then(|i| ctx.qstrs.get(i).copied());
    let Some(name) = qstr_at(&mut r) else { return Ok(None) };
    let mut arg_names = Vec::new();
    arg_names.try_reserve(n_pos + n_kwonly).map_err(no_mem)?;
    for _ in 0..n_pos + n_kwonly {
        let Some(a) = qstr_at(&mut r) else { return Ok(None) };
        arg_names.push(a);
    }
    let line_info = &fun[r.at..info_start + n_info];
    let cells = &fun[info_start + n_info..bc_start];
    let code = &fun[bc_start..];
    let Some(insns) = decode(code) else { return Ok(None) };
    let has_blocks = insns.iter().any(|i| matches!(i.op, mp::SETUP_WITH | mp::SETUP_EXCEPT | mp::SETUP_FINALLY));
    // With blocks, the frame gets two scratch slots (below).
    let Some(states) = analyse(&insns, has_blocks as i32) else { return Ok(None) };

    // Where each finally's END_FINALLY leaves the stack, by its handler.
    let mut ends: Vec<(usize, i32)> = Vec::new();
    for (i, st) in insns.iter().zip(&states) {
        if let (mp::END_FINALLY, Some(st)) = (i.op, st) {
            if let Some(b) = st.blocks.last() {
                ends.try_reserve(1).map_err(no_mem)?;
                ends.push((b.handler, st.depth - 1));
            }
        }
    }

    // Locals: the most any instruction names, or the parameters.
    let varargs = flags & mp::VARARGS != 0;
    let varkw = flags & mp::VARKEYWORDS != 0;
    // A closure's cells come first, as parameters named `*`; a
    // comprehension's iterator, its last positional parameter, is named so
    // too.
    let star = vm.intern(b"*")?;
    let comprehension = matches!(vm.qstr_bytes(name), b"<listcomp>" | b"<dictcomp>" | b"<setcomp>" | b"<genexpr>");
    let n_free = arg_names.iter().take(n_pos.saturating_sub(comprehension as usize)).take_while(|&&a| a == star).count();
    let mut n_mp_locals = n_pos + n_kwonly + varargs as usize + varkw as usize;
    let needs_scratch = has_blocks;
    for i in &insns {
        match i.op {
            mp::LOAD_FAST_N | mp::STORE_FAST_N | mp::DELETE_FAST | mp::LOAD_DEREF | mp::STORE_DEREF | mp::DELETE_DEREF => {
                n_mp_locals = n_mp_locals.max(i.arg as usize + 1)
            }
            0xb0..=0xcf => n_mp_locals = n_mp_locals.max((i.op & 0xf) as usize + 1),
            _ => {}
        }
    }
    for &c in cells {
        n_mp_locals = n_mp_locals.max(c as usize + 1);
    }
    if n_mp_locals > n_state {
        return Ok(None);
    }
    // A cell's slot (the function's own cells, the closure's) is only read
    // whole, to pass the cell on; the *_DEREF instructions use only those.
    // Storing over one or deleting it would leave a LOAD_DEREF without its
    // cell: MicroPython's compiler never does it, and a file that does is
    // refused.
    let is_cell = |l: isize| (l as usize) < n_free || cells.contains(&(l as u8)) && l < 256;
    for i in &insns {
        let bad = match i.op {
            mp::LOAD_DEREF | mp::STORE_DEREF | mp::DELETE_DEREF => !is_cell(i.arg),
            mp::STORE_FAST_N | mp::DELETE_FAST => is_cell(i.arg),
            0xc0..=0xcf => is_cell((i.op & 0xf) as isize),
            _ => false,
        };
        if bad {
            return Ok(None);
        }
    }
    let real = n_mp_locals - n_free;
    let n_scratch = if needs_scratch { 2 } else { 0 };
    let slots = Slots {
        n_free,
        pos: n_pos - n_free,
        kwonly: n_kwonly,
        varargs,
        with_scratch: real,
        ret_scratch: real + 1,
        total: real + n_scratch + n_free,
    };

    // Source lines by MicroPython bytecode offset: (offset, line) steps.
    let mut line_steps: Vec<(usize, usize)> = Vec::new();
    {
        let (mut at, mut bc_off, mut line) = (0usize, 0usize, 1usize);
        while at < line_info.len() {
            let c = line_info[at];
            let (b, l) = if c & 0x80 == 0 {
                at += 1;
                ((c & 0x1f) as usize, (c >> 5) as usize)
            } else {
                let Some(&c2) = line_info.get(at + 1) else { break };
                at += 2;
                ((c & 0xf) as usize, (((c as usize) << 4) & 0x700) | c2 as usize)
            };
            bc_off += b;
            line += l;
            line_steps.try_reserve(1).map_err(no_mem)?;
            line_steps.push((bc_off, line));
        }
    }
    // MicroPython's rule: the first step past the offset is not taken.
    let line_at = |off: usize| line_steps.iter().take_while(|&&(o, _)| o <= off).last().map_or(1, |&(_, l)| l);

    let mut out = Out { code: Vec::new(), jumps: Vec::new(), labels: Vec::new(), at_insn: Vec::new(), for_exits: Vec::new() };
    out.code.try_reserve(code.len() + code.len() / 2).map_err(no_mem)?;
    out.at_insn.try_reserve(insns.len()).map_err(no_mem)?;
    out.at_insn.resize(insns.len(), None);
    let mut lines: Vec<u8> = Vec::new();
    let (mut last_line, mut last_pc) = (1usize, 0usize);
    let n_obj = ctx.objs.len();
    let index = |off: isize| insns.binary_search_by_key(&(off as usize), |i| i.off).ok().filter(|_| off >= 0);

    let fun = Function { slots: &slots, insns: &insns, ends: &ends };
    // The function's own cells, made from what their slots hold.
    for &c in cells {
        out.op_uint(bc::MAKE_CELL, slots.of(c as usize))?;
    }
    // Depths where a `LOAD_BUILD_CLASS` waits for its call.
    let mut classes: Vec<i32> = Vec::new();
    let mut skip = 0;
    for (k, i) in insns.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let Some(st) = states[k].as_ref() else { continue };
        let d = st.depth;
        // Falling into a finally's handler from its body: leave the block.
        if let (Some(top), Some(Some(prev))) = (st.blocks.last(), k.checked_sub(1).map(|j| states[j].as_ref())) {
            let entering = top.kind != Kind::Except && top.active && top.handler == i.off;
            let was_open = prev.blocks.last().is_some_and(|b| b.handler == i.off && !b.active);
            if entering && was_open && !ends_flow(insns[k - 1].op) {
                out.op(bc::POP_BLOCK)?;
            }
        }
        out.at_insn[k] = Some(out.code.len());
        if let Some(top) = st.blocks.last() {
            if top.kind == Kind::Except && top.active && top.handler == i.off {
                out.op(bc::ENTER_EXCEPT)?;
            }
        }
        let line = line_at(i.off);
        if line != last_line {
            let pc = out.code.len();
            write_uint(&mut lines, pc - last_pc).map_err(no_mem)?;
            write_uint(&mut lines, zigzag(line as isize - last_line as isize)).map_err(no_mem)?;
            last_line = line;
            last_pc = pc;
        }
        let a = i.arg;
        let qs = |v: isize| ctx.qstrs.get(v as usize).map(|q| q.0 as usize);
        macro_rules! q_or_none {
            ($v:expr) => {
                match qs($v) {
                    Some(q) => q,
                    None => return Ok(None),
                }
            };
        }
        macro_rules! to {
            ($v:expr) => {
                match index($v) {
                    Some(t) => Target::Insn(t),
                    None => return Ok(None),
                }
            };
        }
        let local = |v: usize| slots.of(v);
        match i.op {
            // A name operand: the same instruction, the name Pyrite's.
            mp::LOAD_CONST_STRING
            | mp::LOAD_NAME
            | mp::LOAD_GLOBAL
            | mp::LOAD_ATTR
            | mp::LOAD_METHOD
            | mp::STORE_NAME
            | mp::STORE_GLOBAL
            | mp::STORE_ATTR
            | mp::DELETE_NAME
            | mp::DELETE_GLOBAL
            | mp::IMPORT_FROM => {
                let op = match i.op {
                    mp::LOAD_CONST_STRING => bc::LOAD_CONST_STRING,
                    mp::LOAD_NAME => bc::LOAD_NAME,
                    mp::LOAD_GLOBAL => bc::LOAD_GLOBAL,
                    mp::LOAD_ATTR => bc::LOAD_ATTR,
                    mp::LOAD_METHOD => bc::LOAD_METHOD,
                    mp::STORE_NAME => bc::STORE_NAME,
                    mp::STORE_GLOBAL => bc::STORE_GLOBAL,
                    mp::STORE_ATTR => bc::STORE_ATTR,
                    mp::DELETE_NAME => bc::DELETE_NAME,
                    mp::DELETE_GLOBAL => bc::DELETE_GLOBAL,
                    _ => bc::IMPORT_FROM,
                };
                out.op_uint(op, q_or_none!(a))?
            }
            mp::LOAD_SUPER_METHOD => {
                // [super, __class__, self]: super(__class__, self).name
                out.op_uint(bc::CALL_FUNCTION, 2)?;
                out.op(0)?;
                out.op_uint(bc::LOAD_METHOD, q_or_none!(a))?;
            }
            mp::IMPORT_NAME => {
                // [level, fromlist]: without a from-list, `import a.b` binds `a`.
                let plain = k >= 1 && insns[k - 1].op == mp::LOAD_CONST_NONE;
                out.op(bc::POP_TOP)?;
                out.op(bc::POP_TOP)?;
                let mut name = q_or_none!(a);
                // A relative import (level > 0, a small int MicroPython's
                // compiler puts first) keeps its dots in the name, as
                // Pyrite's compiler does.
                // The from-list is None, a constant, or a tuple of n names
                // built from n strings; the level comes before it.
                let from_list = match k.checked_sub(1).map(|j| &insns[j]) {
                    Some(t) if t.op == mp::BUILD_TUPLE => t.arg.max(0) as usize + 1,
                    _ => 1,
                };
                let level = match k.checked_sub(1 + from_list).map(|j| &insns[j]) {
                    Some(l) if l.op == mp::LOAD_CONST_SMALL_INT => l.arg,
                    Some(l) if (0x70..=0xaf).contains(&l.op) => l.op as isize - 0x70 - 16,
                    _ => 0,
                };
                if !(0..=255).contains(&level) {
                    return Ok(None);
                }
                if level > 0 {
                    let tail = vm.qstr_bytes(crate::qstr::Qstr(name as u32));
                    let mut text = Vec::new();
                    text.try_reserve(level as usize + tail.len()).map_err(no_mem)?;
                    text.resize(level as usize, b'.');
                    text.extend_from_slice(tail);
                    name = vm.intern(&text)?.0 as usize;
                }
                out.op_uint(bc::IMPORT_NAME, name)?;
                let text = vm.qstr_bytes(crate::qstr::Qstr(name as u32));
                if plain {
                    if let Some(dot) = text.iter().position(|&c| c == b'.') {
                        let top = text[..dot].to_vec();
                        let top = vm.intern(&top)?;
                        out.op(bc::POP_TOP)?;
                        out.op_uint(bc::IMPORT_NAME, top.0 as usize)?;
                    }
                }
            }
            mp::IMPORT_STAR => out.op(bc::IMPORT_STAR)?,
            mp::MAKE_CLOSURE | mp::MAKE_CLOSURE_DEFARGS => {
                if a as usize >= children.len() {
                    return Ok(None);
                }
                out.op_uint(bc::BUILD_TUPLE, i.extra as usize)?;
                out.op_uint(bc::MAKE_CLOSURE, n_obj + a as usize)?;
                out.op((i.op == mp::MAKE_CLOSURE_DEFARGS) as u8)?;
            }
            mp::MAKE_FUNCTION | mp::MAKE_FUNCTION_DEFARGS => {
                if a as usize >= children.len() {
                    return Ok(None);
                }
                let op = if i.op == mp::MAKE_FUNCTION { bc::MAKE_FUNCTION } else { bc::MAKE_FUNCTION_DEFARGS };
                out.op_uint(op, n_obj + a as usize)?;
            }
            mp::LOAD_CONST_SMALL_INT => out.op_uint(bc::LOAD_CONST_SMALL_INT, zigzag(a))?,
            0x70..=0xaf => out.op_uint(bc::LOAD_CONST_SMALL_INT, zigzag(i.op as isize - 0x70 - 16))?,
            mp::LOAD_CONST_OBJ => {
                if a as usize >= n_obj {
                    return Ok(None);
                }
                out.op_uint(bc::LOAD_CONST_OBJ, a as usize)?;
            }
            mp::LOAD_FAST_N => out.fast(true, local(a as usize))?,
            mp::LOAD_FAST_MULTI..=0xbf => out.fast(true, local((i.op & 0xf) as usize))?,
            mp::STORE_FAST_N => out.fast(false, local(a as usize))?,
            mp::STORE_FAST_MULTI..=0xcf => out.fast(false, local((i.op & 0xf) as usize))?,
            mp::DELETE_FAST => out.op_uint(bc::DELETE_FAST, local(a as usize))?,
            mp::LOAD_DEREF => out.op_uint(bc::LOAD_DEREF, local(a as usize))?,
            mp::STORE_DEREF => out.op_uint(bc::STORE_DEREF, local(a as usize))?,
            mp::DELETE_DEREF => out.op_uint(bc::DELETE_DEREF, local(a as usize))?,
            mp::BUILD_TUPLE => out.op_uint(bc::BUILD_TUPLE, a as usize)?,
            mp::BUILD_LIST => out.op_uint(bc::BUILD_LIST, a as usize)?,
            // MicroPython sizes the dict; the items come by STORE_MAP.
            mp::BUILD_MAP => out.op_uint(bc::BUILD_MAP, 0)?,
            mp::BUILD_SET => out.op_uint(bc::BUILD_SET, a as usize)?,
            mp::BUILD_SLICE => {
                if a != 2 && a != 3 {
                    return Ok(None);
                }
                if a == 2 {
                    out.op(bc::LOAD_CONST_NONE)?;
                }
                out.op(bc::BUILD_SLICE)?;
            }
            // [dict, value, key]: a comprehension's dict store, two down.
            mp::STORE_MAP => out.op_uint(bc::MP_STORE_COMP, 2 << 2 | 1)?,
            mp::STORE_COMP => out.op_uint(bc::MP_STORE_COMP, a as usize)?,
            mp::UNPACK_SEQUENCE => out.op_uint(bc::UNPACK_SEQUENCE, a as usize)?,
            mp::UNPACK_EX => {
                out.op_uint(bc::UNPACK_EX, (a & 0xff) as usize)?;
                write_uint(&mut out.code, ((a >> 8) & 0xff) as usize).map_err(no_mem)?;
            }
            mp::CALL_FUNCTION | mp::CALL_METHOD | mp::CALL_FUNCTION_VAR_KW | mp::CALL_METHOD_VAR_KW => {
                let (n_p, n_k) = ((a & 0xff) as usize, ((a >> 8) & 0xff) as usize);
                let callee_depth = d - (n_p + 2 * n_k) as i32 - 1;
                // (__build_class__ takes the body and the name at least.)
                if i.op == mp::CALL_FUNCTION && classes.last() == Some(&callee_depth) && n_p >= 2 {
                    classes.pop();
                    out.op_uint(bc::MP_BUILD_CLASS, n_p)?;
                    write_uint(&mut out.code, n_k).map_err(no_mem)?;
                } else {
                    let op = match i.op {
                        mp::CALL_FUNCTION => bc::CALL_FUNCTION,
                        mp::CALL_METHOD => bc::CALL_METHOD,
                        _ => bc::MP_CALL_STAR,
                    };
                    out.op_uint(op, n_p)?;
                    write_uint(&mut out.code, n_k).map_err(no_mem)?;
                    if op == bc::MP_CALL_STAR {
                        out.op((i.op == mp::CALL_METHOD_VAR_KW) as u8)?;
                    }
                }
            }
            mp::UNWIND_JUMP => {
                let n = (i.extra & 0x7f) as usize;
                let Some(from) = st.blocks.len().checked_sub(n) else { return Ok(None) };
                let Some(t) = index(a) else { return Ok(None) };
                let Some(depth) = states[t].as_ref().map(|s| s.depth) else { return Ok(None) };
                unwind(&mut out, &st.blocks[from..], d, Exit::Jump { to: t, depth }, &fun)?;
            }
            mp::RETURN_VALUE if st.blocks.is_empty() => out.op(bc::RETURN_VALUE)?,
            mp::RETURN_VALUE => {
                out.fast(false, slots.ret_scratch)?;
                unwind(&mut out, &st.blocks, d - 1, Exit::Return, &fun)?;
            }
            mp::JUMP => {
                // Jumping past a finally's handler leaves its block.
                if st.blocks.last().is_some_and(|b| b.kind != Kind::Except && !b.active && a as usize >= b.handler) {
                    out.op(bc::POP_BLOCK)?;
                }
                out.jump(bc::JUMP, to!(a))?
            }
            // A conditional jump back (a `while` loop's test, at its end):
            // the loop goes round by a plain JUMP, where Pyrite checks for
            // Ctrl-C and the collector's requests.
            mp::POP_JUMP_IF_TRUE | mp::POP_JUMP_IF_FALSE if a as usize <= i.off => {
                let on = out.new_label()?;
                let inverse = if i.op == mp::POP_JUMP_IF_TRUE { bc::POP_JUMP_IF_FALSE } else { bc::POP_JUMP_IF_TRUE };
                out.jump(inverse, Target::Label(on))?;
                out.jump(bc::JUMP, to!(a))?;
                out.place(on);
            }
            mp::POP_JUMP_IF_TRUE => out.jump(bc::POP_JUMP_IF_TRUE, to!(a))?,
            mp::POP_JUMP_IF_FALSE => out.jump(bc::POP_JUMP_IF_FALSE, to!(a))?,
            mp::JUMP_IF_TRUE_OR_POP => out.jump(bc::JUMP_IF_TRUE_OR_POP, to!(a))?,
            mp::JUMP_IF_FALSE_OR_POP => out.jump(bc::JUMP_IF_FALSE_OR_POP, to!(a))?,
            mp::SETUP_EXCEPT => out.jump(bc::SETUP_EXCEPT, to!(a))?,
            mp::SETUP_FINALLY => out.jump(bc::SETUP_FINALLY, to!(a))?,
            mp::SETUP_WITH => {
                // [mgr] -> [__exit__, mgr, __enter__()], the handler's block
                // taking the stack under the value.
                out.op(bc::DUP_TOP)?;
                out.op_uint(bc::LOAD_METHOD, q::__exit__.0 as usize)?;
                out.op(bc::ROT_THREE)?;
                out.op(bc::ROT_THREE)?;
                out.op_uint(bc::LOAD_METHOD, q::__enter__.0 as usize)?;
                out.op_uint(bc::CALL_METHOD, 0)?;
                out.op(0)?;
                out.fast(false, slots.with_scratch)?;
                out.jump(bc::SETUP_FINALLY, to!(a))?;
                out.fast(true, slots.with_scratch)?;
            }
            mp::POP_EXCEPT_JUMP => {
                let handling = st.blocks.last().is_some_and(|b| b.active);
                out.op(if handling { bc::POP_EXCEPT } else { bc::POP_BLOCK })?;
                out.jump(bc::JUMP, to!(a))?;
            }
            // Where X ends the stack (an unwinding's place would be one above).
            mp::WITH_CLEANUP => out.op_uint(bc::MP_WITH_CLEANUP, slots.total + d as usize)?,
            mp::END_FINALLY => {
                // Ending an except clause that matched nothing: leave the
                // exception being handled, then raise it again.
                if st.blocks.last().is_some_and(|b| b.kind == Kind::Except) {
                    out.op(bc::POP_EXCEPT)?;
                }
                out.op(bc::END_FINALLY)?;
            }
            mp::FOR_ITER => {
                let Some(t) = index(a) else { return Ok(None) };
                let exit = out.new_label()?;
                out.for_exits.try_reserve(1).map_err(no_mem)?;
                out.for_exits.push((exit, t));
                out.jump(bc::FOR_ITER, Target::Label(exit))?;
            }
            mp::LOAD_CONST_FALSE => out.op(bc::LOAD_CONST_FALSE)?,
            mp::LOAD_CONST_NONE => out.op(bc::LOAD_CONST_NONE)?,
            mp::LOAD_CONST_TRUE => out.op(bc::LOAD_CONST_TRUE)?,
            mp::LOAD_NULL => {
                // `del x.a` and `del x[i]` store NULL.
                let next = |j: usize| insns.get(k + j).map(|n| n.op);
                match (next(1), next(2)) {
                    (Some(mp::ROT_TWO), Some(mp::STORE_ATTR)) => {
                        out.op_uint(bc::DELETE_ATTR, q_or_none!(insns[k + 2].arg))?;
                        skip = 2;
                    }
                    (Some(mp::ROT_THREE), Some(mp::STORE_SUBSCR)) => {
                        out.op(bc::DELETE_SUBSCR)?;
                        skip = 2;
                    }
                    // A generator expression's own iterator, laid out as
                    // MicroPython's iterator slots [NULL, iter, NULL, NULL]:
                    // Pyrite's loop wants it on top.
                    (Some(mp::LOAD_FAST_N | mp::LOAD_FAST_MULTI..=0xbf), Some(mp::LOAD_NULL))
                        if next(3) == Some(mp::LOAD_NULL) && next(4) == Some(mp::FOR_ITER) =>
                    {
                        for _ in 1..ITER_SLOTS {
                            out.op(bc::LOAD_NULL)?;
                        }
                        let f = insns[k + 1];
                        let l = if f.op == mp::LOAD_FAST_N { f.arg as usize } else { (f.op & 0xf) as usize };
                        out.fast(true, local(l))?;
                        skip = 3;
                    }
                    _ => out.op(bc::LOAD_NULL)?,
                }
            }
            mp::LOAD_BUILD_CLASS => {
                classes.try_reserve(1).map_err(no_mem)?;
                classes.push(d);
                out.op(bc::LOAD_NULL)?;
            }
            mp::LOAD_SUBSCR => out.op(bc::LOAD_SUBSCR)?,
            mp::STORE_SUBSCR => out.op(bc::STORE_SUBSCR)?,
            mp::DUP_TOP => out.op(bc::DUP_TOP)?,
            mp::DUP_TOP_TWO => out.op(bc::DUP_TOP_TWO)?,
            mp::POP_TOP => out.op(bc::POP_TOP)?,
            mp::ROT_TWO => out.op(bc::ROT_TWO)?,
            mp::ROT_THREE => out.op(bc::ROT_THREE)?,
            // `await x` and `yield from x` (then None is sent): an object's
            // __await__() where it has one; otherwise, and elsewhere, iter()
            // (a generator stays itself).
            mp::GET_ITER
                if crate::features::ASYNC
                    && insns.get(k + 1).map(|n| n.op) == Some(mp::LOAD_CONST_NONE)
                    && insns.get(k + 2).map(|n| n.op) == Some(mp::YIELD_FROM) =>
            {
                out.op(bc::GET_AWAITABLE)?
            }
            mp::GET_ITER => out.op(bc::GET_YIELD_FROM_ITER)?,
            mp::GET_ITER_STACK => {
                // [x] -> [NULL, NULL, NULL, iter(x)]
                out.op(bc::GET_ITER)?;
                for _ in 1..ITER_SLOTS {
                    out.op(bc::LOAD_NULL)?;
                    out.op(bc::ROT_TWO)?;
                }
            }
            mp::RAISE_LAST => out.op_byte(bc::RAISE, 0)?,
            mp::RAISE_OBJ => out.op_byte(bc::RAISE, 1)?,
            mp::RAISE_FROM => out.op_byte(bc::RAISE, 2)?,
            mp::YIELD_VALUE => out.op(bc::YIELD_VALUE)?,
            mp::YIELD_FROM => out.op(bc::YIELD_FROM)?,
            0xd0..=0xd3 => out.op_byte(bc::UNARY_OP, i.op - mp::UNARY_OP_MULTI)?,
            op @ mp::BINARY_OP_MULTI..=mp::BINARY_OP_LAST => {
                use BinOp::*;
                const CMP: [BinOp; 8] = [Lt, Gt, Eq, Le, Ge, Ne, In, Is];
                const ARITH: [BinOp; 13] = [Or, Xor, And, LShift, RShift, Add, Sub, Mul, MatMul, FloorDiv, TrueDiv, Mod, Pow];
                let k = op - mp::BINARY_OP_MULTI;
                match k {
                    0..=7 => out.op_byte(bc::BINARY_OP, CMP[k as usize] as u8)?,
                    mp::EXCEPTION_MATCH => {
                        // [exc, exc, class] -> [exc, matched]
                        out.op(bc::EXC_MATCH)?;
                        out.op(bc::ROT_TWO)?;
                        out.op(bc::POP_TOP)?;
                    }
                    9..=21 => out.op_byte(bc::INPLACE_OP, ARITH[k as usize - 9] as u8)?,
                    _ => out.op_byte(bc::BINARY_OP, ARITH[k as usize - 22] as u8)?,
                }
            }
            _ => return Ok(None),
        }
    }
    // A finished loop drops the padding under its iterator.
    for j in 0..out.for_exits.len() {
        let (label, to) = out.for_exits[j];
        out.place(label);
        out.pops(ITER_SLOTS - 1)?;
        out.jump(bc::JUMP, Target::Insn(to))?;
    }
    // Targets, now that every place is known.
    if out.code.len() > u16::MAX as usize {
        return Err(vm.raise(crate::objects::TypeId::RuntimeError, "bytecode overflow"));
    }
    for j in 0..out.jumps.len() {
        let (at, to, small) = out.jumps[j];
        let place = match to {
            Target::Insn(t) => out.at_insn[t],
            Target::Label(l) => out.labels[l],
        };
        let Some(place) = place else { return Ok(None) };
        if small {
            let v = zigzag(place as isize);
            out.code[at] = 0x80 | ((v >> 14) & 0x7f) as u8;
            out.code[at + 1] = 0x80 | ((v >> 7) & 0x7f) as u8;
            out.code[at + 2] = (v & 0x7f) as u8;
        } else {
            out.code[at..at + 2].copy_from_slice(&(place as u16).to_le_bytes());
        }
    }
    let max_depth = states.iter().flatten().map(|s| s.depth).max().unwrap_or(0);
    let max_blocks = states.iter().flatten().map(|s| s.blocks.len()).max().unwrap_or(0);
    let mut consts = Vec::new();
    consts.try_reserve(n_obj + children.len()).map_err(no_mem)?;
    consts.extend_from_slice(&ctx.objs);
    consts.extend_from_slice(children);
    let mut params = Vec::new();
    params.try_reserve(arg_names.len()).map_err(no_mem)?;
    params.extend(arg_names[n_free..].iter().map(|&a| Value::qstr(a)));
    let shape = FnShape { n_args: n_pos - n_free, n_kwonly, varargs, varkw, generator: flags & mp::GENERATOR != 0 };
    let c = NewCode {
        bytecode: &out.code,
        consts: &consts,
        lines: &lines,
        name,
        file: ctx.file,
        shape,
        params: &params,
        n_locals: slots.total,
        // The translation's own sequences take up to 3 more (a `with`), and
        // a finally body run for an unwinding one more per open block.
        stack: max_depth as usize + 4 + max_blocks,
        first_line: 1,
    };
    vm.new_code(&c).map(Some)
}

/// What `unwind` needs of the function being translated.
struct Function<'a> {
    slots: &'a Slots,
    insns: &'a [Insn],
    /// Where each finally's END_FINALLY leaves the stack, by its handler.
    ends: &'a [(usize, i32)],
}

/// Leaves `blocks` (innermost last) on the way to `exit`, from a stack
/// `depth` deep: handlers dropped, exceptions being handled left, and
/// finally bodies and `with` exits run, each going on from a place pushed
/// for its `END_FINALLY`.
fn unwind(out: &mut Out, blocks: &[Block], depth: i32, exit: Exit, f: &Function) -> T<()> {
    let (slots, insns) = (f.slots, f.insns);
    let mut d = depth;
    for b in blocks.iter().rev() {
        match (b.kind, b.active) {
            (Kind::Except, false) => out.op(bc::POP_BLOCK)?,
            (Kind::Except, true) => out.op(bc::POP_EXCEPT)?,
            (kind, false) => {
                out.op(bc::POP_BLOCK)?;
                out.pops(d - b.base)?;
                let Some(h) = insns.binary_search_by_key(&b.handler, |i| i.off).ok() else { return Err(PyErr::NoMemory) };
                let back = out.new_label()?;
                // An `async with`'s finally code starts by asking whether it
                // got an exception (MicroPython's compiler makes it so).
                let two = kind == Kind::Finally
                    && matches!(
                        (insns.get(h).map(|i| i.op), insns.get(h + 1).map(|i| i.op), insns.get(h + 2).map(|i| i.op)),
                        (Some(mp::DUP_TOP), Some(mp::LOAD_GLOBAL), Some(op)) if op == mp::BINARY_OP_MULTI + mp::EXCEPTION_MATCH
                    );
                out.push_place(Target::Label(back), two)?;
                out.jump(bc::JUMP, Target::Insn(h))?;
                out.place(back);
                // Where its END_FINALLY leaves the stack (a with's exit takes
                // __exit__ and its object with it, an `async with` its
                // context manager), which the VM checks on the way back.
                d = f.ends.iter().find(|&&(h, _)| h == b.handler).map_or(b.base, |&(_, after)| after);
                out.op_uint(bc::MP_RESUME, (slots.total + d.max(0) as usize) << 1 | two as usize)?;
            }
            // Leaving a finally body from inside: what it was going to do
            // next (raise, return, jump) is dropped.
            (_, true) => {
                out.op_uint(bc::MP_CANCEL_FINALLY, slots.total + b.base.max(0) as usize)?;
                d = b.base;
            }
        }
    }
    match exit {
        // Down to the depth the target has (an iterator's slots included).
        Exit::Jump { to, depth } => {
            out.pops(d - depth)?;
            out.jump(bc::JUMP, Target::Insn(to))
        }
        Exit::Return => {
            out.fast(true, slots.ret_scratch)?;
            out.op(bc::RETURN_VALUE)
        }
    }
}
