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
//! refused as a whole), that every part reads within the file, and that
//! every instruction is one the compiler emits with its operands inside the
//! code, its constants, its names and its locals. As MicroPython trusts a
//! `.mpy` file's bytecode (and CPython a `.pyc`'s), the value stack depths
//! the compiler worked out are not checked again: a file made by hand to
//! misuse them is not defended against.

use super::{load_code, Reader};
use crate::bytecode::{self as bc, read_uint, Arg};
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
        let n = r.uint();
        let mut names = Vec::new();
        names.try_reserve_exact(n.min(data.len())).map_err(|_| crate::error::PyErr::NoMemory)?;
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
    let ok = params <= c.n_locals && c.params.len() <= named && (c.shape.n_kwonly == 0 || c.params.len() == named);
    match if ok { renumber(&mut code, names, &shape) } else { Err(Bad::Invalid) } {
        Ok(()) => vm.new_code(&NewCode { bytecode: &code, lines, ..*c }),
        Err(Bad::NoMemory) => Err(PyErr::NoMemory),
        Err(Bad::Invalid) => Err(vm.raise(TypeId::ValueError, INVALID)),
    }
}

/// Why code was refused.
enum Bad {
    Invalid,
    NoMemory,
}

/// What the checks need of a code object.
struct Shape<'a> {
    n_locals: usize,
    stack: usize,
    generator: bool,
    consts: &'a [u8],
}

// What the checks know of a value on the stack: what the compiler's
// instructions that build lists, dicts, sets and functions take must be
// what they expect.
const ANY: u8 = 0;
const LIST: u8 = 1;
const DICT: u8 = 2;
const SET: u8 = 3;
const TUPLE: u8 = 4;
const NONE: u8 = 5;
const FUNCTION: u8 = 6;
/// A function of no parameters: a class body.
const BODY: u8 = 7;
/// A constant that is a code object (a class body's if BODY).
const CODE: u8 = 8;

fn const_kind(vm: &Vm, v: Value) -> u8 {
    use crate::objects::{function::code, Kind};
    let Some(r) = v.as_obj() else { return ANY };
    match vm.heap.kind(r) {
        Kind::Tuple => TUPLE,
        Kind::Code => {
            let small = |slot| vm.heap.slot(r, slot).as_small_int();
            let none = small(code::N_ARGS) == Some(0) && small(code::N_KWONLY) == Some(0) && small(code::FLAGS) == Some(0);
            if none {
                BODY
            } else {
                CODE
            }
        }
        _ => ANY,
    }
}

/// The abstract stack at an instruction: what each value is, and the
/// stack's height at each open `SETUP_*` (an exception cuts the stack
/// back to it, so the code in between must not go below it).
/// What each local holds is followed too, as a comprehension keeps the
/// list it builds in one.
#[derive(Clone, PartialEq, Eq)]
struct State {
    stack: Vec<u8>,
    blocks: Vec<usize>,
    locals: Vec<u8>,
}

fn try_clone(s: &State) -> Result<State, Bad> {
    let mut c = State { stack: Vec::new(), blocks: Vec::new(), locals: Vec::new() };
    c.stack.try_reserve_exact(s.stack.len()).map_err(|_| Bad::NoMemory)?;
    c.blocks.try_reserve_exact(s.blocks.len()).map_err(|_| Bad::NoMemory)?;
    c.locals.try_reserve_exact(s.locals.len()).map_err(|_| Bad::NoMemory)?;
    c.stack.extend_from_slice(&s.stack);
    c.blocks.extend_from_slice(&s.blocks);
    c.locals.extend_from_slice(&s.locals);
    Ok(c)
}

/// One instruction: its opcode, its first two numeric operands, its jump
/// target, and where the next one starts.
struct Instr {
    op: u8,
    a: usize,
    b: usize,
    target: usize,
    next: usize,
}

fn decode(code: &[u8], at: usize) -> Option<Instr> {
    let op = *code.get(at)?;
    let mut i = Instr { op, a: 0, b: 0, target: 0, next: at + 1 };
    let mut k = 0;
    for arg in bc::args(op)? {
        let v = match arg {
            Arg::Target => {
                let t = code.get(i.next..i.next + 2)?;
                i.target = u16::from_le_bytes([t[0], t[1]]) as usize;
                i.next += 2;
                continue;
            }
            Arg::Byte => {
                i.next += 1;
                *code.get(i.next - 1)? as usize
            }
            _ => {
                let (v, n) = read_uint(code, i.next);
                if n == 0 || i.next + n > code.len() {
                    return None;
                }
                i.next += n;
                v
            }
        };
        if k == 0 {
            i.a = v;
        } else {
            i.b = v;
        }
        k += 1;
    }
    Some(i)
}

/// Checks `code` (see the top of this file) and rewrites its name operands
/// as the qstrs `names` gives them.
fn renumber(code: &mut [u8], names: &[Qstr], shape: &Shape) -> Result<(), Bad> {
    // Each instruction's operands, where instructions start and where
    // jumps go (only to a start: the paths followed below read the
    // instructions checked here).
    let mut targets: Vec<usize> = Vec::new();
    let mut starts: Vec<bool> = Vec::new();
    starts.try_reserve_exact(code.len()).map_err(|_| Bad::NoMemory)?;
    starts.resize(code.len(), false);
    let mut at = 0;
    while at < code.len() {
        starts[at] = true;
        let i = decode(code, at).ok_or(Bad::Invalid)?;
        match bc::args(i.op).unwrap_or(&[]) {
            [Arg::Name] => {
                let q = names.get(i.a).ok_or(Bad::Invalid)?;
                let field = code.get_mut(at + 1..i.next).filter(|f| f.len() == bc::WIDE_NAME_LEN).ok_or(Bad::Invalid)?;
                bc::put_wide_name(field, q.0 as usize).ok_or(Bad::Invalid)?;
            }
            [Arg::Local] if i.a >= shape.n_locals => return Err(Bad::Invalid),
            [Arg::Const, ..] if i.a >= shape.consts.len() => return Err(Bad::Invalid),
            _ => {}
        }
        let slot = match i.op {
            bc::LOAD_FAST_0..=bc::LOAD_FAST_LAST => Some(i.op - bc::LOAD_FAST_0),
            bc::STORE_FAST_0..=bc::STORE_FAST_LAST => Some(i.op - bc::STORE_FAST_0),
            _ => None,
        };
        if slot.is_some_and(|s| s as usize >= shape.n_locals) {
            return Err(Bad::Invalid);
        }
        if bc::args(i.op).is_some_and(|a| a.contains(&Arg::Target)) {
            targets.try_reserve(1).map_err(|_| Bad::NoMemory)?;
            targets.push(i.target);
        }
        at = i.next;
    }
    if !targets.iter().all(|&t| starts.get(t) == Some(&true)) {
        return Err(Bad::Invalid);
    }
    drop(starts);
    targets.sort_unstable();
    targets.dedup();
    flow(code, &targets, shape)
}

/// Follows every path through `code` from its start with the abstract
/// stack: no instruction takes more than is there above the innermost
/// block's height or finds the wrong kind of value, paths meet with the
/// same height and blocks, none runs off the end, and the stack stays
/// within the frame's reserve.
fn flow(code: &[u8], targets: &[usize], shape: &Shape) -> Result<(), Bad> {
    // The state each jump target was last reached with.
    let mut at_target: Vec<Option<State>> = Vec::new();
    at_target.try_reserve_exact(targets.len()).map_err(|_| Bad::NoMemory)?;
    at_target.resize(targets.len(), None);
    let mut work: Vec<(usize, State)> = Vec::new();
    work.try_reserve(1).map_err(|_| Bad::NoMemory)?;
    let mut locals = Vec::new();
    locals.try_reserve_exact(shape.n_locals).map_err(|_| Bad::NoMemory)?;
    locals.resize(shape.n_locals, ANY);
    work.push((0, State { stack: Vec::new(), blocks: Vec::new(), locals }));
    while let Some((mut pc, mut st)) = work.pop() {
        loop {
            // Meeting a path that came here before: carry on only if this one
            // knows less (kinds merge to ANY).
            if let Ok(k) = targets.binary_search(&pc) {
                match &mut at_target[k] {
                    Some(seen) => {
                        if seen.stack.len() != st.stack.len() || seen.blocks != st.blocks {
                            return Err(Bad::Invalid);
                        }
                        let mut changed = false;
                        for (s, n) in seen.stack.iter_mut().zip(&st.stack).chain(seen.locals.iter_mut().zip(&st.locals)) {
                            if s != n && *s != ANY {
                                *s = ANY;
                                changed = true;
                            }
                        }
                        if !changed {
                            break;
                        }
                        st = try_clone(seen)?;
                    }
                    slot => *slot = Some(try_clone(&st)?),
                }
            }
            let i = decode(code, pc).ok_or(Bad::Invalid)?;
            let mut branch = |st: &State, work: &mut Vec<(usize, State)>| -> Result<(), Bad> {
                if targets.binary_search(&i.target).is_err() || i.target >= code.len() {
                    return Err(Bad::Invalid);
                }
                work.try_reserve(1).map_err(|_| Bad::NoMemory)?;
                work.push((i.target, try_clone(st)?));
                Ok(())
            };
            let go_on = step(&i, &mut st, shape, &mut branch, &mut work)?;
            if st.stack.len() > shape.stack {
                return Err(Bad::Invalid);
            }
            if !go_on {
                break;
            }
            pc = i.next;
            if pc >= code.len() {
                return Err(Bad::Invalid);
            }
        }
    }
    Ok(())
}

type Branch<'b> = dyn FnMut(&State, &mut Vec<(usize, State)>) -> Result<(), Bad> + 'b;

/// One instruction's effect on the abstract stack (jumps go through
/// `branch`); false when no path goes on to the next instruction.
fn step(i: &Instr, st: &mut State, shape: &Shape, branch: &mut Branch, work: &mut Vec<(usize, State)>) -> Result<bool, Bad> {
    let floor = st.blocks.last().copied().unwrap_or(0);
    // Reading may reach below the innermost block's height; taking away
    // may not.
    let need = |st: &State, n: usize| if st.stack.len() >= n { Ok(()) } else { Err(Bad::Invalid) };
    let peek = |st: &State, n: usize| st.stack.len().checked_sub(n + 1).map(|k| st.stack[k]).ok_or(Bad::Invalid);
    let pop = |st: &mut State, n: usize| -> Result<(), Bad> {
        if st.stack.len() < floor.saturating_add(n) {
            return Err(Bad::Invalid);
        }
        st.stack.truncate(st.stack.len() - n);
        Ok(())
    };
    let push = |st: &mut State, k: u8, n: usize| -> Result<(), Bad> {
        if st.stack.len() + n > shape.stack {
            return Err(Bad::Invalid);
        }
        st.stack.try_reserve(n).map_err(|_| Bad::NoMemory)?;
        st.stack.resize(st.stack.len() + n, k);
        Ok(())
    };
    let is = |k: u8, want: &[u8]| if want.contains(&k) { Ok(()) } else { Err(Bad::Invalid) };
    let code_const = |n: usize| match shape.consts.get(n) {
        Some(&BODY) => Ok(BODY),
        Some(&CODE) => Ok(FUNCTION),
        _ => Err(Bad::Invalid),
    };
    // A local's slot (checked against the frame's when read).
    let local = |i: &Instr| match i.op {
        LOAD_FAST_0..=LOAD_FAST_LAST => (i.op - LOAD_FAST_0) as usize,
        STORE_FAST_0..=STORE_FAST_LAST => (i.op - STORE_FAST_0) as usize,
        _ => i.a,
    };
    use bc::*;
    match i.op {
        LOAD_CONST_NONE => push(st, NONE, 1)?,
        LOAD_CONST_OBJ => push(st, if shape.consts[i.a] == TUPLE { TUPLE } else { ANY }, 1)?,
        LOAD_FAST | LOAD_FAST_0..=LOAD_FAST_LAST => push(st, st.locals[local(i)], 1)?,
        STORE_FAST | STORE_FAST_0..=STORE_FAST_LAST => {
            let k = peek(st, 0)?;
            pop(st, 1)?;
            st.locals[local(i)] = k;
        }
        DELETE_FAST | MAKE_CELL => st.locals[i.a] = ANY,
        LOAD_CONST_FALSE | LOAD_CONST_TRUE | LOAD_CONST_SMALL_INT | LOAD_CONST_STRING | LOAD_NULL | LOAD_DEREF | LOAD_CLOSURE
        | LOAD_NAME | LOAD_GLOBAL | LOAD_LOCALS | IMPORT_NAME => push(st, ANY, 1)?,
        STORE_DEREF | STORE_NAME | STORE_GLOBAL | POP_TOP | PRINT_EXPR | IMPORT_STAR | DELETE_ATTR => pop(st, 1)?,
        DELETE_DEREF | DELETE_NAME | DELETE_GLOBAL | POP_EXCEPT => {}
        ENTER_EXCEPT => need(st, 1)?,
        LOAD_ATTR | GET_ITER | UNARY_OP | GET_AWAITABLE | GET_YIELD_FROM_ITER => {
            pop(st, 1)?;
            push(st, ANY, 1)?
        }
        LOAD_METHOD => {
            pop(st, 1)?;
            push(st, ANY, 2)?
        }
        IMPORT_FROM => {
            need(st, 1)?;
            push(st, ANY, 1)?
        }
        STORE_ATTR | DELETE_SUBSCR | WITH_EXIT => pop(st, 2)?,
        STORE_SUBSCR => pop(st, 3)?,
        // [exception, class] -> [exception, whether it matched]
        EXC_MATCH => {
            need(st, 2)?;
            pop(st, 1)?;
            push(st, ANY, 1)?
        }
        LOAD_SUBSCR | BINARY_OP | INPLACE_OP => {
            pop(st, 2)?;
            push(st, ANY, 1)?
        }
        BUILD_SLICE => {
            pop(st, 3)?;
            push(st, ANY, 1)?
        }
        DUP_TOP => push(st, peek(st, 0)?, 1)?,
        DUP_TOP_TWO => {
            let (a, b) = (peek(st, 1)?, peek(st, 0)?);
            push(st, a, 1)?;
            push(st, b, 1)?
        }
        ROT_TWO => {
            need(st, 2)?;
            let n = st.stack.len();
            st.stack.swap(n - 1, n - 2)
        }
        ROT_THREE => {
            pop(st, 3)?;
            push(st, ANY, 3)?
        }
        BUILD_TUPLE | BUILD_LIST | BUILD_SET => {
            pop(st, i.a)?;
            push(st, [TUPLE, LIST, SET][(i.op == BUILD_LIST) as usize + 2 * (i.op == BUILD_SET) as usize], 1)?
        }
        BUILD_MAP => {
            pop(st, i.a.checked_mul(2).ok_or(Bad::Invalid)?)?;
            push(st, DICT, 1)?
        }
        UNPACK_SEQUENCE => {
            pop(st, 1)?;
            push(st, ANY, i.a)?
        }
        UNPACK_EX => {
            pop(st, 1)?;
            push(st, ANY, i.a.checked_add(i.b).and_then(|n| n.checked_add(1)).ok_or(Bad::Invalid)?)?
        }
        LIST_APPEND | LIST_EXTEND => {
            is(peek(st, 1)?, &[LIST])?;
            pop(st, 1)?
        }
        SET_ADD => {
            is(peek(st, 1)?, &[SET])?;
            pop(st, 1)?
        }
        DICT_MERGE => {
            is(peek(st, 1)?, &[DICT])?;
            pop(st, 1)?
        }
        MAP_ADD => {
            is(peek(st, 2)?, &[DICT])?;
            pop(st, 2)?
        }
        LIST_TO_TUPLE => {
            is(peek(st, 0)?, &[LIST])?;
            pop(st, 1)?;
            push(st, TUPLE, 1)?
        }
        MAKE_FUNCTION => push(st, code_const(i.a)?, 1)?,
        MAKE_FUNCTION_DEFARGS | MAKE_CLOSURE => {
            let k = code_const(i.a)?;
            let closure = i.op == MAKE_CLOSURE;
            if closure {
                is(peek(st, 0)?, &[TUPLE])?;
            }
            let defaults = !closure || i.b != 0;
            if defaults {
                is(peek(st, closure as usize + 1)?, &[TUPLE, NONE])?;
                is(peek(st, closure as usize)?, &[DICT, NONE])?;
            }
            pop(st, closure as usize + 2 * defaults as usize)?;
            // A class body may be a closure; it never has defaults.
            push(st, if defaults { FUNCTION } else { k }, 1)?
        }
        CALL_CLASS_BODY => {
            is(peek(st, 0)?, &[BODY])?;
            pop(st, 1)?;
            push(st, DICT, 1)?
        }
        MAKE_CLASS => {
            is(peek(st, i.a.checked_add(1).ok_or(Bad::Invalid)?)?, &[DICT])?;
            pop(st, i.a + 2)?;
            push(st, ANY, 1)?
        }
        CALL_FUNCTION | CALL_METHOD => {
            let n = i.b.checked_mul(2).and_then(|k| k.checked_add(i.a)).and_then(|k| k.checked_add(1 + (i.op == CALL_METHOD) as usize));
            pop(st, n.ok_or(Bad::Invalid)?)?;
            push(st, ANY, 1)?
        }
        CALL_FUNCTION_EX => {
            is(peek(st, 1)?, &[LIST])?;
            is(peek(st, 0)?, &[DICT])?;
            pop(st, 3)?;
            push(st, ANY, 1)?
        }
        CALL_EXIT => need(st, i.a.checked_add(1).ok_or(Bad::Invalid)?)?,
        END_FINALLY => pop(st, 1)?,
        YIELD_VALUE | YIELD_FROM if shape.generator => {
            pop(st, 1 + (i.op == YIELD_FROM) as usize)?;
            push(st, ANY, 1)?
        }
        RETURN_VALUE | RERAISE => {
            need(st, 1)?;
            return Ok(false);
        }
        RAISE => {
            need(
                st,
                match i.a {
                    0 => 0,
                    2 => 2,
                    _ => 1,
                },
            )?;
            return Ok(false);
        }
        SETUP_EXCEPT | SETUP_FINALLY => {
            // The handler starts with the exception (or NULL) on the stack
            // as it is here, and the locals as any instruction of the block
            // may have left them.
            let mut h = try_clone(st)?;
            push(&mut h, ANY, 1)?;
            h.locals.fill(ANY);
            branch(&h, work)?;
            st.blocks.try_reserve(1).map_err(|_| Bad::NoMemory)?;
            st.blocks.push(st.stack.len());
        }
        POP_BLOCK => {
            st.blocks.pop().ok_or(Bad::Invalid)?;
        }
        JUMP => {
            branch(st, work)?;
            return Ok(false);
        }
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => {
            pop(st, 1)?;
            branch(st, work)?
        }
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
            need(st, 1)?;
            branch(st, work)?;
            pop(st, 1)?
        }
        FOR_ITER => {
            pop(st, 1)?;
            branch(st, work)?;
            push(st, ANY, 2)?
        }
        FOR_RANGE => {
            need(st, 2)?;
            branch(st, work)?;
            pop(st, 2)?;
            push(st, ANY, 3)?
        }
        _ => return Err(Bad::Invalid),
    }
    Ok(true)
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
    /// ValueError or raises; nothing panics. (One VM runs them all, as one
    /// device would.)
    #[test]
    fn contents_with_a_right_checksum_are_still_checked() {
        let mut vm = new_vm_with(ticking());
        let (mut refused, mut ran) = (0, 0);
        for src in [PROG, RICH] {
            let data = compile_file(src, "p.py").expect("compiles");
            for i in HEADER_LEN..data.len() {
                for v in [0x00, 0x05, 0x13, 0x30, 0x4d, 0x60, 0x80, 0xff] {
                    let mut d = data.clone();
                    d[i] = v;
                    reseal(&mut d);
                    match load_and_run_in(&mut vm, &d) {
                        Err(e) if e == "ValueError: invalid .mpk file" => refused += 1,
                        _ => ran += 1,
                    }
                }
            }
        }
        assert!(refused > 1000 && ran > 1000, "{refused} refused, {ran} ran");
    }
}
