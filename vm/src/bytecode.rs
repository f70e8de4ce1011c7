//! The bytecode: a `u8` opcode followed by its operands. Counts, indices and
//! qstrs are varuints (7 bits a byte, high bit = more follows, as in
//! MicroPython); jump targets are 2-byte little-endian absolute offsets, so a
//! forward jump can be patched once its target is known.

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
    LOAD_CONST_NONE = 0x10,
    LOAD_CONST_FALSE = 0x11,
    LOAD_CONST_TRUE = 0x12,
    LOAD_CONST_SMALL_INT = 0x13, // zigzag varint
    LOAD_CONST_STRING = 0x14,    // qstr
    LOAD_CONST_OBJ = 0x15,       // index into the code's consts
    LOAD_NULL = 0x16,
    LOAD_DEREF = 0x17,           // slot holding a cell: push its content
    STORE_DEREF = 0x18,
    DELETE_DEREF = 0x19,
    LOAD_CLOSURE = 0x1a,         // slot holding a cell: push the cell itself
    MAKE_CELL = 0x1b,            // slot: wrap its value (or nothing) in a new cell
    LOAD_FAST = 0x20,            // local slot
    STORE_FAST = 0x21,
    DELETE_FAST = 0x22,
    LOAD_NAME = 0x23,            // qstr; module level
    STORE_NAME = 0x24,
    DELETE_NAME = 0x25,
    LOAD_GLOBAL = 0x26,
    STORE_GLOBAL = 0x27,
    DELETE_GLOBAL = 0x28,
    LOAD_ATTR = 0x29,
    STORE_ATTR = 0x2a,
    LOAD_METHOD = 0x2b,          // pushes (callable, self or NULL)
    LOAD_SUBSCR = 0x2c,
    STORE_SUBSCR = 0x2d,
    DELETE_SUBSCR = 0x2e,
    POP_TOP = 0x30,
    DUP_TOP = 0x31,
    DUP_TOP_TWO = 0x32,
    ROT_TWO = 0x33,
    ROT_THREE = 0x34,
    JUMP = 0x40,                 // u16 target
    POP_JUMP_IF_FALSE = 0x41,
    POP_JUMP_IF_TRUE = 0x42,
    JUMP_IF_FALSE_OR_POP = 0x43,
    JUMP_IF_TRUE_OR_POP = 0x44,
    GET_ITER = 0x45,
    FOR_ITER = 0x46,             // u16 target when exhausted (iterator popped)
    FOR_RANGE = 0x47,            // zigzag step, then u16 target: [counter, bound] ->
                                 // [counter + step, bound, counter], or jump when done
    BINARY_OP = 0x50,            // BinOp byte
    UNARY_OP = 0x51,             // UnaryOp byte
    BUILD_TUPLE = 0x58,          // count
    BUILD_LIST = 0x59,
    BUILD_MAP = 0x5a,            // count of key/value pairs
    UNPACK_SEQUENCE = 0x5b,
    BUILD_SLICE = 0x5c,          // start, stop, step -> slice
    LIST_APPEND = 0x5d,          // [list, x] -> [list]
    LIST_EXTEND = 0x5e,          // [list, iterable] -> [list]
    MAP_ADD = 0x5f,              // [dict, key, value] -> [dict]
    BUILD_SET = 0x7d,            // count
    UNPACK_EX = 0x7f,            // before, after: `a, *b, c = seq`
    LIST_TO_TUPLE = 0x80,
    DELETE_ATTR = 0x81,          // qstr
    SET_ADD = 0x7e,              // [set, x] -> [set]
    MAKE_FUNCTION = 0x60,        // const index of the code object
    MAKE_FUNCTION_DEFARGS = 0x61, // pops defaults (tuple or None) and keyword-only defaults (dict or None)
    LOAD_LOCALS = 0x6c,          // push the frame's namespace dict (a class body's result)
    CALL_CLASS_BODY = 0x6d,      // call TOS (a class body) with a new namespace; leaves the namespace
    MAKE_CLASS = 0x6e,           // base count; [namespace, name, bases...] -> class
    MAKE_CLOSURE = 0x6b,         // const index, then a byte: 1 if defaults are under the cells tuple
    CALL_FUNCTION = 0x62,        // positional count, keyword count
    CALL_METHOD = 0x63,
    RETURN_VALUE = 0x64,
    RAISE = 0x65,                // 0: re-raise, 1: raise TOS, 2: raise TOS1 from TOS
    PRINT_EXPR = 0x66,
    DICT_MERGE = 0x67,           // [dict, mapping] -> [dict]; keys must be str
    IMPORT_NAME = 0x68,          // qstr
    IMPORT_FROM = 0x69,          // qstr; module stays on the stack
    CALL_FUNCTION_EX = 0x6a,     // [callable, list of args, dict of keyword args] -> result
    SETUP_EXCEPT = 0x70,         // u16 handler; an exception jumps there with itself on the stack
    SETUP_FINALLY = 0x71,        // u16 handler; likewise (NULL arrives instead when no exception)
    POP_BLOCK = 0x72,            // the protected block ended normally
    POP_EXCEPT = 0x73,           // leaving an except clause
    ENTER_EXCEPT = 0x74,         // TOS is the exception now being handled (for bare `raise`)
    EXC_MATCH = 0x75,            // pops a class or tuple; pushes whether the exception under it is an instance
    RERAISE = 0x76,              // pops an exception and raises it again
    END_FINALLY = 0x77,          // pops NULL (carry on) or an exception (raise it again)
    WITH_EXIT = 0x78,            // [exit, NULL or exception]: calls exit; re-raises unless it returned true
    YIELD_VALUE = 0x7a,          // suspends, yielding TOS; resumes with the sent value pushed
    YIELD_FROM = 0x7b,           // [iter, sent]: passes `sent` on; yields what iter yields, or
                                 // when it is done leaves its return value
    INPLACE_OP = 0x83,
    IMPORT_STAR = 0x84,          // module on the stack: its public names into the NAME namespace           // BinOp: `a op= b`, in place for mutable operands
    GET_AWAITABLE = 0x82,        // TOS.__await__() for objects that have it, else iter(TOS)
    GET_YIELD_FROM_ITER = 0x7c,  // iter(TOS), generators as they are
    CALL_EXIT = 0x79,            // n: calls the __exit__ n below the top with (None, None, None)
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
