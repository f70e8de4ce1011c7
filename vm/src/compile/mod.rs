//! Source to bytecode: `lexer` cuts tokens, `parser` builds an arena AST,
//! `scope` decides which names are local, `compiler` + `emit` make code
//! objects. No step allocates infallibly: running out of memory while
//! compiling is a `MemoryError`, and nesting depth is bounded so deep source
//! is a `SyntaxError`, not a native stack overflow.

pub mod ast;
pub mod compiler;
pub mod emit;
pub mod lexer;
pub mod parser;
pub mod scope;

pub use compiler::{compile, Mode};

/// Deepest nesting of brackets, expressions and blocks the compiler accepts.
/// Each level costs native stack in the recursive parser and compiler.
pub const MAX_NESTING: usize = 48;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    Indentation,
    NoMemory,
    /// The native stack reached its floor: RuntimeError, as MicroPython's
    /// parser stack check.
    StackFull,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub kind: ErrorKind,
    pub msg: &'static str,
    pub line: u32,
}

impl CompileError {
    pub fn syntax(msg: &'static str, line: u32) -> CompileError {
        CompileError { kind: ErrorKind::Syntax, msg, line }
    }
}

pub type CResult<T> = Result<T, CompileError>;

/// Pushes onto a `Vec` without the abort that `Vec::push` does on a failed
/// allocation.
/// The compiler came too close to the native stack's end.
pub(crate) fn stack_full(line: u32) -> CompileError {
    CompileError { kind: ErrorKind::StackFull, msg: "maximum recursion depth exceeded", line }
}

pub(crate) fn try_push<T>(v: &mut alloc::vec::Vec<T>, x: T, line: u32) -> CResult<()> {
    v.try_reserve(1).map_err(|_| CompileError { kind: ErrorKind::NoMemory, msg: "memory allocation failed", line })?;
    v.push(x);
    Ok(())
}
