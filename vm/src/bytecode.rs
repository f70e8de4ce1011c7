//! The bytecode: a `u8` opcode followed by its operands. Counts, indices and
//! qstrs are varuints (7 bits a byte, high bit = more follows, as in
//! MicroPython); jump targets are 2-byte little-endian absolute offsets, so a
//! forward jump can be patched once its target is known. Opcodes are
//! numbered from 0 with few gaps, so the dispatch loop's jump table needs
//! no offset.

macro_rules! opcodes {
    ($($name:ident = $val:expr,)*) => {
        $(pub const $name: u8 = $val;)*
        /// Opcode names, for disassembly and tests.
        pub fn name(op: u8) -> &'static str {
            match op { $($val => stringify!($name),)* _ => "?" }
        }
    };
}

opcodes! {
    LOAD_CONST_NONE = 0x00,
    LOAD_CONST_FALSE = 0x01,
    LOAD_CONST_TRUE = 0x02,
    LOAD_CONST_SMALL_INT = 0x03, // zigzag varint
    LOAD_CONST_STRING = 0x04,    // qstr
    LOAD_CONST_OBJ = 0x05,       // index into the code's consts
    LOAD_NULL = 0x06,
    LOAD_DEREF = 0x07,           // slot holding a cell: push its content
    STORE_DEREF = 0x08,
    DELETE_DEREF = 0x09,
    LOAD_CLOSURE = 0x0a,         // slot holding a cell: push the cell itself
    MAKE_CELL = 0x0b,            // slot: wrap its value (or nothing) in a new cell
    LOAD_FAST = 0x10,            // local slot
    STORE_FAST = 0x11,
    DELETE_FAST = 0x12,
    LOAD_NAME = 0x13,            // qstr; module level
    STORE_NAME = 0x14,
    DELETE_NAME = 0x15,
    LOAD_GLOBAL = 0x16,
    STORE_GLOBAL = 0x17,
    DELETE_GLOBAL = 0x18,
    LOAD_ATTR = 0x19,
    STORE_ATTR = 0x1a,
    LOAD_METHOD = 0x1b,          // pushes (callable, self or NULL)
    LOAD_SUBSCR = 0x1c,
    STORE_SUBSCR = 0x1d,
    DELETE_SUBSCR = 0x1e,
    POP_TOP = 0x20,
    DUP_TOP = 0x21,
    DUP_TOP_TWO = 0x22,
    ROT_TWO = 0x23,
    ROT_THREE = 0x24,
    JUMP = 0x30,                 // u16 target
    POP_JUMP_IF_FALSE = 0x31,
    POP_JUMP_IF_TRUE = 0x32,
    JUMP_IF_FALSE_OR_POP = 0x33,
    JUMP_IF_TRUE_OR_POP = 0x34,
    GET_ITER = 0x35,
    FOR_ITER = 0x36,             // u16 target when exhausted (iterator popped)
    FOR_RANGE = 0x37,            // zigzag step, then u16 target: [counter, bound] ->
                                 // [counter + step, bound, counter], or jump when done
    BINARY_OP = 0x40,            // BinOp byte
    UNARY_OP = 0x41,             // UnaryOp byte
    BUILD_TUPLE = 0x48,          // count
    BUILD_LIST = 0x49,
    BUILD_MAP = 0x4a,            // count of key/value pairs
    UNPACK_SEQUENCE = 0x4b,
    BUILD_SLICE = 0x4c,          // start, stop, step -> slice
    LIST_APPEND = 0x4d,          // [list, x] -> [list]
    LIST_EXTEND = 0x4e,          // [list, iterable] -> [list]
    MAP_ADD = 0x4f,              // [dict, key, value] -> [dict]
    BUILD_SET = 0x6d,            // count
    UNPACK_EX = 0x6f,            // before, after: `a, *b, c = seq`
    LIST_TO_TUPLE = 0x70,
    DELETE_ATTR = 0x71,          // qstr
    SET_ADD = 0x6e,              // [set, x] -> [set]
    MAKE_FUNCTION = 0x50,        // const index of the code object
    MAKE_FUNCTION_DEFARGS = 0x51, // pops defaults (tuple or None) and keyword-only defaults (dict or None)
    LOAD_LOCALS = 0x5c,          // push the frame's namespace dict (a class body's result)
    CALL_CLASS_BODY = 0x5d,      // call TOS (a class body) with a new namespace; leaves the namespace
    MAKE_CLASS = 0x5e,           // base count; [namespace, name, bases...] -> class
    MAKE_CLOSURE = 0x5b,         // const index, then a byte: 1 if defaults are under the cells tuple
    CALL_FUNCTION = 0x52,        // positional count, keyword count
    CALL_METHOD = 0x53,
    RETURN_VALUE = 0x54,
    RAISE = 0x55,                // 0: re-raise, 1: raise TOS, 2: raise TOS1 from TOS
    PRINT_EXPR = 0x56,
    DICT_MERGE = 0x57,           // [dict, mapping] -> [dict]; keys must be str
    IMPORT_NAME = 0x58,          // qstr
    IMPORT_FROM = 0x59,          // qstr; module stays on the stack
    CALL_FUNCTION_EX = 0x5a,     // [callable, list of args, dict of keyword args] -> result
    SETUP_EXCEPT = 0x60,         // u16 handler; an exception jumps there with itself on the stack
    SETUP_FINALLY = 0x61,        // u16 handler; likewise (NULL arrives instead when no exception)
    POP_BLOCK = 0x62,            // the protected block ended normally
    POP_EXCEPT = 0x63,           // leaving an except clause
    ENTER_EXCEPT = 0x64,         // TOS is the exception now being handled (for bare `raise`)
    EXC_MATCH = 0x65,            // pops a class or tuple; pushes whether the exception under it is an instance
    RERAISE = 0x66,              // pops an exception and raises it again
    END_FINALLY = 0x67,          // pops NULL (carry on) or an exception (raise it again)
    WITH_EXIT = 0x68,            // [exit, NULL or exception]: calls exit; re-raises unless it returned true
    YIELD_VALUE = 0x6a,          // suspends, yielding TOS; resumes with the sent value pushed
    YIELD_FROM = 0x6b,           // [iter, sent]: passes `sent` on; yields what iter yields, or
                                 // when it is done leaves its return value
    INPLACE_OP = 0x73,           // BinOp: `a op= b`, in place for mutable operands
    IMPORT_STAR = 0x74,          // module on the stack: its public names into the NAME namespace
    GET_AWAITABLE = 0x72,        // TOS.__await__() for objects that have it, else iter(TOS)
    GET_YIELD_FROM_ITER = 0x6c,  // iter(TOS), generators as they are
    CALL_EXIT = 0x69,            // n: calls the __exit__ n below the top with (None, None, None)
    // Only in code translated from MicroPython's (`.mpy` files; mpy/translate.rs).
    MP_STORE_COMP = 0x75,        // n: as MicroPython's STORE_COMP (n >> 2 below the top; n & 3:
                                 // list append, dict store [value, key], set add)
    MP_CALL_STAR = 0x76,         // positional count, keyword count, method byte; then the bitmap of
                                 // `*` arguments on top; a NULL key marks `**`
    MP_WITH_CLEANUP = 0x77,      // n: [__exit__, obj, None | exception | place] -> [None | exception |
                                 // place]; n: the stack's height there (from the frame)
    MP_BUILD_CLASS = 0x78,       // positional count, keyword count: [NULL, body, name, bases...] -> class
    MP_RESUME = 0x7a,            // n: where an unwinding goes on after a finally body, the stack n >> 1
                                 // high (from the frame), a None under the place if n & 1;
                                 // END_FINALLY goes only to such places, so high
    MP_CANCEL_FINALLY = 0x79,    // n: leaving a finally body from inside: the stack back to n high,
                                 // its pending state (None, an exception or a place) dropped
    // One byte for the first 16 local slots, the commonest operands of all
    // (as MicroPython's LOAD_FAST_MULTI): no operand to decode.
    LOAD_FAST_0 = 0x80,          // ..0x8f: LOAD_FAST of slot op - LOAD_FAST_0
    STORE_FAST_0 = 0x90,         // ..0x9f
}

/// Slots the one-byte LOAD_FAST_n and STORE_FAST_n forms reach.
pub const FAST_SLOTS: usize = 16;
pub const LOAD_FAST_LAST: u8 = LOAD_FAST_0 + FAST_SLOTS as u8 - 1;
pub const STORE_FAST_LAST: u8 = STORE_FAST_0 + FAST_SLOTS as u8 - 1;

/// What follows an opcode, for reading code that comes from outside
/// (precompiled `.mpk` files, whose loader checks every operand).
#[cfg(any(test, feature = "mpy", feature = "freeze"))]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A count or a zigzag int: a varuint.
    Uint,
    /// A qstr: a varuint.
    Name,
    /// An index into the code's constants: a varuint.
    Const,
    /// A local slot: a varuint.
    Local,
    /// One byte (an operator, a flag).
    Byte,
    /// A 2-byte jump target.
    Target,
}

/// The operands of each opcode the compiler emits (not the `MP_*` ones
/// only translated `.mpy` code has); None for any other byte.
#[cfg(any(test, feature = "mpy", feature = "freeze"))]
pub fn args(op: u8) -> Option<&'static [Arg]> {
    use Arg::*;
    Some(match op {
        LOAD_CONST_NONE | LOAD_CONST_FALSE | LOAD_CONST_TRUE | LOAD_NULL | LOAD_SUBSCR | STORE_SUBSCR | DELETE_SUBSCR | POP_TOP
        | DUP_TOP | DUP_TOP_TWO | ROT_TWO | ROT_THREE | GET_ITER | BUILD_SLICE | LIST_APPEND | LIST_EXTEND | MAP_ADD | SET_ADD
        | LIST_TO_TUPLE | LOAD_LOCALS | CALL_CLASS_BODY | CALL_FUNCTION_EX | RETURN_VALUE | DICT_MERGE | PRINT_EXPR | POP_BLOCK
        | POP_EXCEPT | ENTER_EXCEPT | EXC_MATCH | RERAISE | END_FINALLY | WITH_EXIT | YIELD_VALUE | YIELD_FROM | IMPORT_STAR
        | GET_AWAITABLE | GET_YIELD_FROM_ITER => &[],
        LOAD_FAST_0..=LOAD_FAST_LAST | STORE_FAST_0..=STORE_FAST_LAST => &[],
        LOAD_CONST_SMALL_INT | BUILD_TUPLE | BUILD_LIST | BUILD_MAP | BUILD_SET | UNPACK_SEQUENCE | MAKE_CLASS | CALL_EXIT => &[Uint],
        UNPACK_EX | CALL_FUNCTION | CALL_METHOD => &[Uint, Uint],
        LOAD_CONST_STRING | LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL | LOAD_ATTR | STORE_ATTR
        | LOAD_METHOD | DELETE_ATTR | IMPORT_NAME | IMPORT_FROM => &[Name],
        LOAD_CONST_OBJ | MAKE_FUNCTION | MAKE_FUNCTION_DEFARGS => &[Const],
        MAKE_CLOSURE => &[Const, Byte],
        LOAD_FAST | STORE_FAST | DELETE_FAST | MAKE_CELL | LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE => &[Local],
        JUMP | POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP | FOR_ITER | SETUP_EXCEPT
        | SETUP_FINALLY => &[Target],
        FOR_RANGE => &[Uint, Target],
        BINARY_OP | INPLACE_OP | UNARY_OP | RAISE => &[Byte],
        _ => return None,
    })
}

/// One instruction read with `args`: its opcode, its first two numeric
/// operands (for LOAD_FAST_n and STORE_FAST_n, the slot the opcode names),
/// its jump target, and where the next one starts.
#[cfg(any(test, feature = "mpy", feature = "freeze"))]
pub struct Instr {
    pub op: u8,
    pub a: usize,
    pub b: usize,
    pub target: usize,
    pub next: usize,
}

#[cfg(any(test, feature = "mpy", feature = "freeze"))]
impl Instr {
    /// Whether `a` is a local slot.
    pub fn local(&self) -> bool {
        args(self.op) == Some(&[Arg::Local]) || matches!(self.op, LOAD_FAST_0..=STORE_FAST_LAST)
    }
}

/// The instruction at `at` (None: not one the compiler emits, or cut short).
#[cfg(any(test, feature = "mpy", feature = "freeze"))]
pub fn decode(code: &[u8], at: usize) -> Option<Instr> {
    let op = *code.get(at)?;
    let slot = match op {
        LOAD_FAST_0..=LOAD_FAST_LAST => (op - LOAD_FAST_0) as usize,
        STORE_FAST_0..=STORE_FAST_LAST => (op - STORE_FAST_0) as usize,
        _ => 0,
    };
    let mut i = Instr { op, a: slot, b: 0, target: 0, next: at + 1 };
    let mut k = 0;
    for arg in args(op)? {
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

/// The width of a name operand in code compiled for a file: names there
/// are renumbered when the file loads, in place, so each takes the same
/// three bytes whatever its number (a varuint with leading zero groups).
pub const WIDE_NAME_LEN: usize = 3;

/// Writes `q` as a `WIDE_NAME_LEN`-byte varuint into `out` (None if `q`
/// does not fit in 21 bits).
pub fn put_wide_name(out: &mut [u8], q: usize) -> Option<()> {
    if q >> 21 != 0 || out.len() != WIDE_NAME_LEN {
        return None;
    }
    out.copy_from_slice(&[0x80 | (q >> 14) as u8, 0x80 | (q >> 7 & 0x7f) as u8, (q & 0x7f) as u8]);
    Some(())
}

/// Binary operators, comparisons included (as in MicroPython).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BinOp {
    Lt,
    Gt,
    Eq,
    Ne,
    Le,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
    Or,
    Xor,
    And,
    LShift,
    RShift,
    Add,
    Sub,
    Mul,
    FloorDiv,
    TrueDiv,
    Mod,
    Pow,
    /// `@`: no builtin type has it; classes define `__matmul__`.
    MatMul,
}

impl BinOp {
    pub fn from_u8(b: u8) -> Option<BinOp> {
        use BinOp::*;
        const ALL: [BinOp; 23] = [
            Lt, Gt, Eq, Ne, Le, Ge, In, NotIn, Is, IsNot, Or, Xor, And, LShift, RShift, Add, Sub, Mul, FloorDiv, TrueDiv, Mod, Pow, MatMul,
        ];
        ALL.get(b as usize).copied()
    }

    /// The operator as written in source, for error messages.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Lt => "<",
            Gt => ">",
            Eq => "==",
            Ne => "!=",
            Le => "<=",
            Ge => ">=",
            In => "in",
            NotIn => "not in",
            Is => "is",
            IsNot => "is not",
            Or => "|",
            Xor => "^",
            And => "&",
            LShift => "<<",
            RShift => ">>",
            Add => "+",
            Sub => "-",
            Mul => "*",
            FloorDiv => "//",
            TrueDiv => "/",
            Mod => "%",
            Pow => "**",
            MatMul => "@",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum UnaryOp {
    Pos,
    Neg,
    Invert,
    Not,
}

impl UnaryOp {
    pub fn from_u8(b: u8) -> Option<UnaryOp> {
        [UnaryOp::Pos, UnaryOp::Neg, UnaryOp::Invert, UnaryOp::Not].get(b as usize).copied()
    }
}

/// Reads a varuint at `at`; returns the value and the bytes it took.
#[inline]
pub fn read_uint(code: &[u8], at: usize) -> (usize, usize) {
    // Most operands (local slots, small constants, names) fit one byte.
    match code.get(at..at + 2) {
        Some(&[b, _]) if b < 0x80 => (b as usize, 1),
        Some(&[b, c]) if c < 0x80 => (((b & 0x7f) as usize) << 7 | c as usize, 2),
        _ => read_long_uint(code, at),
    }
}

fn read_long_uint(code: &[u8], at: usize) -> (usize, usize) {
    let mut v = 0usize;
    let mut n = 0;
    while let Some(&b) = code.get(at + n) {
        v = (v << 7) | (b & 0x7f) as usize;
        n += 1;
        if b & 0x80 == 0 {
            break;
        }
    }
    (v, n)
}

/// Appends a varuint, most significant group first (MicroPython's order).
pub fn write_uint(out: &mut alloc::vec::Vec<u8>, v: usize) -> Result<(), alloc::collections::TryReserveError> {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = (v & 0x7f) as u8 | if i == buf.len() - 1 { 0 } else { 0x80 };
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    out.try_reserve(buf.len() - i)?;
    out.extend_from_slice(&buf[i..]);
    Ok(())
}

#[inline]
pub fn zigzag(v: isize) -> usize {
    ((v << 1) ^ (v >> (isize::BITS - 1))) as usize
}

#[inline]
pub fn unzigzag(v: usize) -> isize {
    ((v >> 1) as isize) ^ -((v & 1) as isize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varuints_round_trip() {
        for v in [0usize, 1, 127, 128, 300, 16383, 16384, usize::MAX >> 1] {
            let mut out = alloc::vec::Vec::new();
            write_uint(&mut out, v).unwrap();
            assert_eq!(read_uint(&out, 0), (v, out.len()));
        }
        for v in [0isize, 1, -1, 63, -64, isize::MAX >> 2, isize::MIN >> 2] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }
}
