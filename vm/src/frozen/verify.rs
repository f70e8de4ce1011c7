//! Checking Pyrite bytecode that comes from outside (a `.mpk` file) before
//! the dispatch loop, which trusts its code, runs it: every instruction is
//! one the compiler emits, with its operands inside the code, its
//! constants, names and locals; jumps land on instructions; and every path
//! is followed with an abstract stack, so no instruction takes more than
//! the frame (or an open exception block) holds, finds the wrong kind of
//! value where the compiler's instructions rely on one, or runs off the
//! end, and paths meet with the same depth and blocks.

use crate::bytecode::{self as bc, decode, Arg, Instr};
use crate::objects::function::code;
use crate::objects::Kind;
use crate::qstr::Qstr;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Why code was refused.
pub(crate) enum Bad {
    Invalid,
    NoMemory,
}

/// What the checks need of a code object.
pub(crate) struct Shape<'a> {
    pub n_locals: usize,
    pub stack: usize,
    pub generator: bool,
    pub consts: &'a [u8],
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
/// NULL or an exception: what a handler starts with, and what `with`,
/// `finally` and `except` take as the exception being handled (any other
/// value there would be raised as one).
const EXC: u8 = 9;

/// What a constant is, for the checks.
pub(crate) fn const_kind(vm: &Vm, v: Value) -> u8 {
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

/// Checks `code` (see the top of this file) and rewrites its name operands
/// as the qstrs `names` gives them.
pub(crate) fn check(code: &mut [u8], names: &[Qstr], shape: &Shape) -> Result<(), Bad> {
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
            [Arg::Const, ..] if i.a >= shape.consts.len() => return Err(Bad::Invalid),
            _ if i.local() && i.a >= shape.n_locals => return Err(Bad::Invalid),
            _ => {}
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
            // Every instruction here was decoded by `check`, so its jump
            // target is an instruction start and among `targets`.
            let i = decode(code, pc).ok_or(Bad::Invalid)?;
            if !step(&i, &mut st, shape, &mut work)? {
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

/// A path to follow later: from `i`'s jump target with `st`.
fn branch(i: &Instr, st: &State, work: &mut Vec<(usize, State)>) -> Result<(), Bad> {
    work.try_reserve(1).map_err(|_| Bad::NoMemory)?;
    work.push((i.target, try_clone(st)?));
    Ok(())
}

/// One instruction's effect on the abstract stack (its jump's path goes
/// on `work`); false when no path goes on to the next instruction.
fn step(i: &Instr, st: &mut State, shape: &Shape, work: &mut Vec<(usize, State)>) -> Result<bool, Bad> {
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
    use bc::*;
    match i.op {
        LOAD_CONST_NONE => push(st, NONE, 1)?,
        LOAD_CONST_OBJ => push(st, if shape.consts[i.a] == TUPLE { TUPLE } else { ANY }, 1)?,
        LOAD_FAST | LOAD_FAST_0..=LOAD_FAST_LAST => push(st, st.locals[i.a], 1)?,
        STORE_FAST | STORE_FAST_0..=STORE_FAST_LAST => {
            let k = peek(st, 0)?;
            pop(st, 1)?;
            st.locals[i.a] = k;
        }
        DELETE_FAST | MAKE_CELL => st.locals[i.a] = ANY,
        LOAD_NULL => push(st, EXC, 1)?,
        LOAD_CONST_FALSE | LOAD_CONST_TRUE | LOAD_CONST_SMALL_INT | LOAD_CONST_STRING | LOAD_DEREF | LOAD_CLOSURE | LOAD_NAME
        | LOAD_GLOBAL | LOAD_LOCALS | IMPORT_NAME => push(st, ANY, 1)?,
        STORE_DEREF | STORE_NAME | STORE_GLOBAL | POP_TOP | PRINT_EXPR | IMPORT_STAR | DELETE_ATTR => pop(st, 1)?,
        DELETE_DEREF | DELETE_NAME | DELETE_GLOBAL | POP_EXCEPT => {}
        ENTER_EXCEPT => is(peek(st, 0)?, &[EXC])?,
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
        STORE_ATTR | DELETE_SUBSCR => pop(st, 2)?,
        // [__exit__, NULL or exception]
        WITH_EXIT => {
            is(peek(st, 0)?, &[EXC])?;
            pop(st, 2)?
        }
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
        // [container, item] -> [container]
        LIST_APPEND | LIST_EXTEND | SET_ADD | DICT_MERGE => {
            let want = match i.op {
                SET_ADD => SET,
                DICT_MERGE => DICT,
                _ => LIST,
            };
            is(peek(st, 1)?, &[want])?;
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
        // Raise the exception on top, or carry on if it is NULL.
        END_FINALLY | RERAISE => {
            is(peek(st, 0)?, &[EXC])?;
            pop(st, 1)?
        }
        YIELD_VALUE | YIELD_FROM if shape.generator => {
            pop(st, 1 + (i.op == YIELD_FROM) as usize)?;
            push(st, ANY, 1)?
        }
        RETURN_VALUE => {
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
            push(&mut h, EXC, 1)?;
            h.locals.fill(ANY);
            branch(i, &h, work)?;
            st.blocks.try_reserve(1).map_err(|_| Bad::NoMemory)?;
            st.blocks.push(st.stack.len());
        }
        POP_BLOCK => {
            st.blocks.pop().ok_or(Bad::Invalid)?;
        }
        JUMP => {
            branch(i, st, work)?;
            return Ok(false);
        }
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => {
            pop(st, 1)?;
            branch(i, st, work)?
        }
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
            need(st, 1)?;
            branch(i, st, work)?;
            pop(st, 1)?
        }
        FOR_ITER => {
            pop(st, 1)?;
            branch(i, st, work)?;
            push(st, ANY, 2)?
        }
        FOR_RANGE => {
            need(st, 2)?;
            branch(i, st, work)?;
            pop(st, 2)?;
            push(st, ANY, 3)?
        }
        _ => return Err(Bad::Invalid),
    }
    Ok(true)
}
