//! The syntax tree, kept in arenas: nodes refer to each other by index and
//! child lists are ranges of a shared index array. One fallible push per node,
//! no per-node allocation, nothing to free but three vectors.

use super::{try_push, CompileError, FirstError};
use crate::bytecode::{BinOp, UnaryOp};
use crate::qstr::Qstr;
use crate::value::Value;
use alloc::vec::Vec;

pub type ExprId = u32;
pub type StmtId = u32;

/// A list of child indices (expressions, statements, qstrs or operators,
/// depending on where it appears): `seqs[start..start + len]`.
#[derive(Copy, Clone, Debug, Default)]
pub struct Seq {
    pub start: u32,
    pub len: u32,
}

#[derive(Copy, Clone, Debug)]
pub enum Expr {
    /// None, booleans, ints, strings: made at parse time.
    Const(Value),
    Name(Qstr),
    Binary(BinOp, ExprId, ExprId),
    Unary(UnaryOp, ExprId),
    And(ExprId, ExprId),
    Or(ExprId, ExprId),
    /// First operand, then pairs of (operator as u32, operand).
    Compare(ExprId, Seq),
    IfElse {
        test: ExprId,
        body: ExprId,
        orelse: ExprId,
    },
    /// Positional args (`Starred` for `*x`); keyword args as pairs of
    /// (qstr or `DOUBLE_STAR`, value).
    Call(ExprId, Seq, Seq),
    /// `*x` among call arguments.
    Starred(ExprId),
    /// `lambda params: body`; the signature is `Ast::sigs[.0]`.
    Lambda(u32, ExprId),
    /// `[elt for ...]` (value NO_EXPR) or `{elt: value for ...}`; the
    /// generators are `CompFor` expressions.
    Comp(CompKind, ExprId, ExprId, Seq),
    /// `for target in iter if cond...` inside a comprehension.
    CompFor(ExprId, ExprId, Seq),
    /// `name := value`.
    NamedExpr(Qstr, ExprId),
    /// `yield value` (`NO_EXPR`: bare `yield`).
    Yield(ExprId),
    YieldFrom(ExprId),
    /// `await x`: a `yield from` over `x.__await__()`.
    Await(ExprId),
    Attr(ExprId, Qstr),
    Subscript(ExprId, ExprId),
    /// `lo:hi:step` inside a subscript.
    Slice(Option<ExprId>, Option<ExprId>, Option<ExprId>),
    Tuple(Seq),
    List(Seq),
    /// Pairs of (key, value).
    Dict(Seq),
    Set(Seq),
}

/// A `def`'s parameters. `params` are qstrs in the order the frame's locals
/// take them: positional ones, `*args`, keyword-only ones, `**kwargs`.
#[derive(Copy, Clone, Debug, Default)]
pub struct Signature {
    pub params: Seq,
    pub n_pos: u32,
    pub n_kwonly: u32,
    pub varargs: bool,
    pub varkw: bool,
    /// Default values of the last positional parameters.
    pub defaults: Seq,
    /// Pairs of (keyword-only parameter qstr, default value).
    pub kwdefaults: Seq,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Dict,
    /// A generator expression.
    Gen,
    Set,
}

/// An absent expression where a field needs an id.
pub const NO_EXPR: ExprId = u32::MAX;

/// `from m import *`: the only item of the name list.
pub const IMPORT_STAR: u32 = u32::MAX;

/// In a call's keyword list, a `**mapping` in place of a name.
pub const DOUBLE_STAR: u32 = u32::MAX;

#[derive(Copy, Clone, Debug, Default)]
pub enum Stmt {
    Expr(ExprId),
    /// Targets (`a = b = value` has two), value.
    Assign(Seq, ExprId),
    AugAssign(ExprId, BinOp, ExprId),
    If {
        test: ExprId,
        body: Seq,
        orelse: Seq,
    },
    While {
        test: ExprId,
        body: Seq,
        orelse: Seq,
    },
    For {
        target: ExprId,
        iter: ExprId,
        body: Seq,
        orelse: Seq,
    },
    /// A function definition; its signature is `Ast::sigs[sig]` (kept
    /// there, the statement node is 40 bytes rather than 64). Decorators
    /// apply last first.
    Def {
        name: Qstr,
        sig: u32,
        body: Seq,
        decorators: Seq,
        /// `async def`: calling it makes a coroutine (a generator) even
        /// without any `await` in the body.
        is_async: bool,
    },
    Class {
        name: Qstr,
        bases: Seq,
        body: Seq,
        decorators: Seq,
    },
    /// `with a as x, b: body`: items are pairs (context expression, target
    /// or `NO_EXPR`).
    With {
        items: Seq,
        body: Seq,
    },
    Return(Option<ExprId>),
    #[default]
    Pass,
    /// `name: annotation` with no value: binds nothing, yet makes `name`
    /// local to a function, as in CPython.
    Annotated(Qstr),
    Break,
    Continue,
    Global(Seq),
    Nonlocal(Seq),
    /// Pairs of (module qstr, bound name qstr).
    Import(Seq),
    /// Module, then pairs of (name, bound name).
    ImportFrom(Qstr, Seq),
    /// `raise exc from cause`.
    Raise(Option<ExprId>, Option<ExprId>),
    /// `handlers` are `ExceptHandler` statements.
    Try {
        body: Seq,
        handlers: Seq,
        orelse: Seq,
        finalbody: Seq,
    },
    /// `except [ty [as name]]: body`; only inside `Try`.
    ExceptHandler {
        ty: Option<ExprId>,
        name: Option<Qstr>,
        body: Seq,
    },
    Assert(ExprId, Option<ExprId>),
    Del(Seq),
}

#[derive(Default)]
pub struct Ast {
    pub exprs: Vec<Expr>,
    pub stmts: Vec<(Stmt, u32)>,
    pub seqs: Vec<u32>,
    pub sigs: Vec<Signature>,
    /// Children of lists still being parsed; nested lists stack up here.
    scratch: Vec<u32>,
    /// The first error met while building the tree (out of memory, or the
    /// lexer's, which the parser keeps here too): nothing more is added
    /// after it, ids made since are `NO_EXPR` (read back as `None`), and
    /// the parser reports it (`result`) when the statement ends. The
    /// parser's two hundred additions need no error check of their own.
    pub err: FirstError,
}

// The accessors stay out of line: inlined, their bounds checks and copies
// at every use in the parser, scope pass and compiler took 0.8 KB more
// flash on a Cortex-M3, and compiling is not the hot path.
impl Ast {
    // (Ids past the end come only after an error, when the tree is
    // read no more than the parser's own checks do.)
    #[inline(never)]
    pub fn expr(&self, id: ExprId) -> Expr {
        self.exprs.get(id as usize).copied().unwrap_or(Expr::Const(Value::NONE))
    }

    #[inline(never)]
    pub fn stmt(&self, id: StmtId) -> (Stmt, u32) {
        self.stmts.get(id as usize).copied().unwrap_or((Stmt::Pass, 0))
    }

    #[inline(never)]
    pub fn seq(&self, s: Seq) -> &[u32] {
        self.seqs.get(s.start as usize..(s.start + s.len) as usize).unwrap_or(&[])
    }

    /// Appends to one of the arenas; its id, or `NO_EXPR` once anything
    /// has failed.
    fn add<T>(&mut self, v: T, line: u32, arena: fn(&mut Ast) -> &mut Vec<T>) -> u32 {
        if self.err.is_set() {
            return NO_EXPR;
        }
        let a = arena(self);
        match try_push(a, v, line) {
            Ok(()) => a.len() as u32 - 1,
            Err(e) => {
                self.err.keep(e);
                NO_EXPR
            }
        }
    }

    pub fn add_expr(&mut self, e: Expr, line: u32) -> ExprId {
        self.add(e, line, |a| &mut a.exprs)
    }

    pub fn add_stmt(&mut self, s: Stmt, line: u32) -> StmtId {
        self.add((s, line), line, |a| &mut a.stmts)
    }

    /// Where a new list starts in the scratch stack.
    pub fn mark(&self) -> usize {
        self.scratch.len()
    }

    pub fn push_item(&mut self, x: u32, line: u32) {
        self.add(x, line, |a| &mut a.scratch);
    }

    /// The items pushed since `mark`, moved into a `Seq` (empty once
    /// anything has failed).
    pub fn finish(&mut self, mark: usize, line: u32) -> Seq {
        let start = self.seqs.len() as u32;
        let n = self.scratch.len().saturating_sub(mark);
        if !self.err.is_set() && self.seqs.try_reserve(n).is_err() {
            self.err.keep(CompileError::no_memory(line));
        }
        let mut seq = Seq::default();
        if !self.err.is_set() {
            self.seqs.extend_from_slice(&self.scratch[mark..]);
            seq = Seq { start, len: n as u32 };
        }
        self.scratch.truncate(mark);
        seq
    }

    /// Empties the tree, keeping its room: a file is compiled a top-level
    /// statement at a time, and each needs nothing of the ones before.
    pub fn clear(&mut self) {
        self.exprs.clear();
        self.stmts.clear();
        self.seqs.clear();
        self.sigs.clear();
        self.scratch.clear();
    }

    pub fn items_since(&self, mark: usize) -> &[u32] {
        self.scratch.get(mark..).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree of the largest top-level statement sits in the small Rust
    /// heap while it compiles: nodes stay small.
    #[test]
    fn nodes_stay_small() {
        assert!(core::mem::size_of::<(Stmt, u32)>() <= 40, "{}", core::mem::size_of::<(Stmt, u32)>());
        assert!(core::mem::size_of::<Expr>() <= 3 * core::mem::size_of::<usize>(), "{}", core::mem::size_of::<Expr>());
    }
}
