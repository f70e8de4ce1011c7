//! Walks the AST and emits a code object per module and function.

use super::ast::{Ast, CompKind, Expr, ExprId, Seq, Signature, Stmt, DOUBLE_STAR};
use super::emit::Emitter;
use super::parser::Parser;
use super::scope::{Owner, Slot, SymbolTable};
use super::{or_return, try_push, CResult, CompileError, KeepsError, Msg, OrFail};
use crate::bytecode::{self as bc, BinOp};
use crate::objects::function::{FnShape, NewCode};
use crate::qstr::{q, Qstr};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Bits of a small int (MicroPython's MP_SMALL_INT_BITS on the same word).
const SMALL_INT_BITS: usize = isize::BITS as usize - 1;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Mode {
    /// A module: a file or `-c` code.
    File,
    /// One REPL entry: the value of an expression statement is printed.
    Single,
    /// One expression whose value the code returns (`eval`).
    Eval,
}

/// Compiles `src` into the code object of a module.
pub fn compile(vm: &mut Vm, src: &[u8], file: Qstr, mode: Mode) -> CResult<Value> {
    // Universal newlines, as MicroPython's lexer reads them: `\r\n` and a
    // lone `\r` are `\n`, also inside string literals. Only source with a
    // `\r` pays for a copy.
    let normalized;
    let src = if src.contains(&b'\r') {
        let mut v = Vec::new();
        v.try_reserve(src.len()).map_err(|_| CompileError::no_memory(0))?;
        let mut i = 0;
        while i < src.len() {
            match src[i] {
                b'\r' if src.get(i + 1) == Some(&b'\n') => {}
                b'\r' => v.push(b'\n'),
                c => v.push(c),
            }
            i += 1;
        }
        normalized = v;
        &normalized[..]
    } else {
        src
    };
    compile_source(vm, src, file, mode)
}

/// Reads and compiles one top-level statement at a time: the tree and
/// scopes (some 12 bytes a source byte on a 32-bit part) then never hold
/// more than the largest statement, not the whole file, in the small Rust
/// heap. Module-level names are globals, so nothing in a statement's scopes
/// depends on later ones. (The parser's recursion is over before the code
/// generator's starts, so the two do not stack up either.)
fn compile_source(vm: &mut Vm, src: &[u8], file: Qstr, mode: Mode) -> CResult<Value> {
    let limit = vm.nesting_limit;
    // At opt_level 3, as MicroPython, no line numbers are kept.
    let no_lines = !crate::features::SOURCE_LINES || vm.opt_level >= 3;
    #[cfg(any(test, feature = "freeze"))]
    let wide_names = vm.wide_names;
    let mut parser = Parser::new(src, vm);
    parser.set_nesting_limit(limit);
    parser.start()?;
    let mut f = FnState::new(1, 0);
    f.em.no_lines = no_lines;
    #[cfg(any(test, feature = "freeze"))]
    {
        f.em.wide_names = wide_names;
    }
    let mut consts = Vec::new();
    let mut any = false;
    loop {
        let body = if mode == Mode::Eval {
            if any {
                None
            } else {
                Some(parser.eval_input()?)
            }
        } else {
            parser.next_statement()?
        };
        // A single (REPL) entry that is only a line continuation ends
        // before its statement: incomplete, as in MicroPython and CPython.
        if mode == Mode::Single && !any && body.is_none() && src.trim_ascii_end().ends_with(b"\\") {
            return Err(CompileError::syntax(Msg::InvalidSyntax, 1));
        }
        let (ast, table, vm) = parser.parts()?;
        let mut c = Compiler { vm, ast, table, file, mode, f, depth: 0, limit, line: 0, consts };
        let Some(body) = body else {
            if mode != Mode::Eval {
                c.f.em.op(bc::LOAD_CONST_NONE, 1);
            }
            c.f.em.op(bc::RETURN_VALUE, -1);
            let f = core::mem::replace(&mut c.f, FnState::new(1, 0));
            return c.finish(f, q::MODULE, FnShape::default(), &[]);
        };
        any = true;
        c.body(body);
        c.f.em.err.result(Ok(()))?;
        (f, consts) = (c.f, c.consts);
        parser.forget_statements();
    }
}

/// What a `break`, `continue` or `return` must leave on its way out.
enum Block {
    Loop {
        start: usize,
        breaks: Vec<usize>,
        /// Values the loop keeps on the stack, which `break` pops: a `for`
        /// loop's iterator, or a counted range loop's counter and bound.
        kept: u8,
    },
    /// A `try` body with except clauses: leaving pops the handler.
    Except,
    /// A `try` body with `finally`: leaving pops the handler and runs the
    /// finally body (compiled inline at the exit, as CPython does).
    Finally(Seq),
    /// An except clause: leaving ends the handling of its exception.
    Handler,
    /// Values a `break`/`continue` from inside must drop: the NULL or
    /// exception under a finally body reached from its `try` (dropping the
    /// exception, as Python does), or, in a finally body run on the way out
    /// of a `return`, the value and what the blocks left behind kept.
    Drop(usize),
    /// A `with` body: leaving pops the handler and calls `__exit__`, which
    /// sits at this stack depth.
    With(i32),
}

struct FnState {
    em: Emitter,
    /// Index in the symbol table; 0 is the module.
    scope: usize,
    blocks: Vec<Block>,
}

impl FnState {
    fn new(line: u32, scope: usize) -> FnState {
        FnState { em: Emitter::new(line), scope, blocks: Vec::new() }
    }
}

/// What a function's code is made from.
#[derive(Copy, Clone)]
enum FnBody {
    Stmts(Seq),
    /// A class body: returns its namespace.
    Class(Seq),
    /// A lambda's expression, returned.
    Expr(ExprId),
    Comp(CompKind, ExprId, ExprId, Seq),
}

#[derive(Copy, Clone)]
enum Access {
    Load,
    Store,
    Delete,
}

struct Compiler<'a> {
    vm: &'a mut Vm,
    ast: &'a Ast,
    table: &'a SymbolTable,
    file: Qstr,
    mode: Mode,
    f: FnState,
    depth: usize,
    limit: usize,
    /// The line of the statement being compiled, for errors found in it.
    line: u32,
    /// `NAME = const(value)` definitions so far: later loads of NAME are
    /// the value (MicroPython's compile-time constants).
    consts: Vec<(Qstr, Value)>,
}

impl KeepsError for Compiler<'_> {
    fn keep(&mut self, e: CompileError) {
        self.f.em.err.keep(e);
    }
}

impl Compiler<'_> {
    fn line(&self) -> u32 {
        self.line
    }

    fn finish(&mut self, f: FnState, name: Qstr, shape: FnShape, params: &[Value]) -> CResult<Value> {
        f.em.err.result(Ok(()))?;
        let n_locals = self.table.scopes[f.scope].n_slots();
        let code = NewCode {
            bytecode: &f.em.code,
            consts: &f.em.consts,
            lines: &f.em.lines,
            name,
            file: self.file,
            shape,
            params,
            n_locals,
            stack: f.em.max_depth.max(0) as usize,
            first_line: f.em.first_line as usize,
        };
        self.vm.new_code(&code).map_err(|_| CompileError::no_memory(f.em.first_line))
    }

    fn body(&mut self, s: Seq) {
        for &id in self.ast.seq(s) {
            self.stmt(id);
        }
    }

    fn stmt(&mut self, id: u32) {
        let (stmt, line) = self.ast.stmt(id);
        self.line = line;
        self.f.em.set_line(line);
        fn em<'c>(c: &'c mut Compiler<'_>) -> &'c mut Emitter {
            &mut c.f.em
        }
        match stmt {
            Stmt::Expr(e) => {
                self.expr(e);
                if self.mode == Mode::Eval && self.at_module() {
                    // The value stays for the RETURN_VALUE that ends the code.
                } else if self.mode == Mode::Single && self.at_module() {
                    em(self).op(bc::PRINT_EXPR, -1);
                } else {
                    em(self).op(bc::POP_TOP, -1);
                }
            }
            Stmt::Assign(targets, value) if self.const_definition(targets, value) => {}
            Stmt::Assign(targets, value) => {
                self.expr(value);
                let ts = self.ast.seq(targets);
                for (i, &t) in ts.iter().enumerate() {
                    if i + 1 < ts.len() {
                        em(self).op(bc::DUP_TOP, 1);
                    }
                    self.store(t);
                }
            }
            Stmt::AugAssign(target, op, value) => self.aug_assign(target, op, value),
            Stmt::If { test, body, orelse } => {
                self.expr(test);
                let to_else = em(self).jump(bc::POP_JUMP_IF_FALSE, -1);
                self.body(body);
                if orelse.len > 0 {
                    let to_end = em(self).jump(bc::JUMP, 0);
                    em(self).patch(to_else);
                    self.body(orelse);
                    em(self).patch(to_end);
                } else {
                    em(self).patch(to_else);
                }
            }
            Stmt::While { test, body, orelse } => {
                let start = em(self).pc();
                self.expr(test);
                let to_else = em(self).jump(bc::POP_JUMP_IF_FALSE, -1);
                self.loop_body(start, 0, body, line);
                em(self).jump_to(bc::JUMP, start, 0);
                em(self).patch(to_else);
                let breaks = self.end_loop();
                self.body(orelse);
                for b in breaks {
                    em(self).patch(b);
                }
            }
            Stmt::For { target, iter, body, orelse } if self.range_loop(target, iter, body, orelse, line) => {}
            Stmt::For { target, iter, body, orelse } => {
                self.expr(iter);
                em(self).op(bc::GET_ITER, 0);
                let start = em(self).pc();
                let to_else = em(self).jump(bc::FOR_ITER, 1);
                self.store(target);
                self.loop_body(start, 1, body, line);
                em(self).jump_to(bc::JUMP, start, 0);
                em(self).patch(to_else);
                em(self).adjust(-1); // the exhausted iterator is gone
                let breaks = self.end_loop();
                self.body(orelse);
                for b in breaks {
                    em(self).patch(b);
                }
            }
            Stmt::Def { name, sig, body, decorators, .. } => {
                let sig = self.ast.sigs[sig as usize];
                let mut n = 0;
                for &d in self.ast.seq(decorators) {
                    if !self.emitter_decorator(d) {
                        self.expr(d);
                        n += 1;
                    }
                }
                self.make_function(Owner::Def(id), name, &sig, FnBody::Stmts(body), line);
                for _ in 0..n {
                    self.call_op(bc::CALL_FUNCTION, 1, 0, 1);
                }
                self.name(name, Access::Store);
            }
            Stmt::Class { name, bases, body, decorators } => {
                for &d in self.ast.seq(decorators) {
                    self.expr(d);
                }
                let sig = Signature {
                    params: Seq::default(),
                    n_pos: 0,
                    n_kwonly: 0,
                    varargs: false,
                    varkw: false,
                    defaults: Seq::default(),
                    kwdefaults: Seq::default(),
                };
                self.make_function(Owner::Class(id), name, &sig, FnBody::Class(body), line);
                em(self).op(bc::CALL_CLASS_BODY, 0);
                em(self).op_uint(bc::LOAD_CONST_STRING, name.0 as usize, 1);
                for &b in self.ast.seq(bases) {
                    self.expr(b);
                }
                em(self).op_uint(bc::MAKE_CLASS, bases.len as usize, -(bases.len as i32 + 1));
                self.decorate(decorators);
                self.name(name, Access::Store);
            }
            Stmt::Return(v) => {
                let sc = &self.table.scopes[self.f.scope];
                if sc.is_module() || sc.is_class() {
                    return self.failed(CompileError::syntax(Msg::ReturnOutsideFunction, line));
                }
                match v {
                    Some(e) => self.expr(e),
                    None => em(self).op(bc::LOAD_CONST_NONE, 1),
                }
                // The frame's stack goes with it: iterators need no popping.
                self.unwind_to(0, true, line);
                em(self).op(bc::RETURN_VALUE, -1);
            }
            Stmt::Pass | Stmt::Annotated(_) | Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::ExceptHandler { .. } => {}
            Stmt::Break | Stmt::Continue => {
                let is_break = matches!(stmt, Stmt::Break);
                let Some(i) = self.f.blocks.iter().rposition(|b| matches!(b, Block::Loop { .. })) else {
                    let msg = if is_break { Msg::BreakOutsideLoop } else { Msg::ContinueOutsideLoop };
                    return self.failed(CompileError::syntax(msg, line));
                };
                self.unwind_to(i + 1, false, line);
                let Block::Loop { start, kept, .. } = self.f.blocks[i] else { unreachable!("found a loop") };
                if !is_break {
                    em(self).jump_to(bc::JUMP, start, 0);
                } else {
                    for _ in 0..kept {
                        em(self).op(bc::POP_TOP, -1);
                    }
                    em(self).adjust(kept as i32);
                    let at = em(self).jump(bc::JUMP, 0);
                    if let Block::Loop { breaks, .. } = &mut self.f.blocks[i] {
                        try_push(breaks, at, line).or_fail(self);
                    }
                }
            }
            Stmt::Try { body, handlers, orelse, finalbody } => self.try_stmt(body, handlers, orelse, finalbody, line),
            Stmt::With { items, body } => self.with_stmt(items, 0, body, line),
            Stmt::Import(pairs) => {
                for pair in self.ast.seq(pairs).chunks(2) {
                    em(self).op_uint(bc::IMPORT_NAME, pair[0] as usize, 1);
                    let text = self.vm.qstr_bytes(Qstr(pair[0]));
                    if pair[0] == pair[1] && text.contains(&b'.') {
                        // `import a.b` binds `a`, now holding `b`.
                        let top = text[..text.iter().position(|&c| c == b'.').unwrap_or(text.len())].to_vec();
                        let top = self.vm.intern(&top).map_err(|_| CompileError::no_memory(line)).or_fail(self);
                        em(self).op(bc::POP_TOP, -1);
                        em(self).op_uint(bc::IMPORT_NAME, top.0 as usize, 1);
                        self.name(top, Access::Store);
                    } else {
                        self.name(Qstr(pair[1]), Access::Store);
                    }
                }
            }
            Stmt::ImportFrom(module, pairs) if self.ast.seq(pairs).first() == Some(&crate::compile::ast::IMPORT_STAR) => {
                if !self.at_module() {
                    return self.failed(CompileError::syntax(Msg::ImportStarOnlyAllowedAtModuleLevel, line));
                }
                em(self).op_uint(bc::IMPORT_NAME, module.0 as usize, 1);
                em(self).op(bc::IMPORT_STAR, -1);
            }
            Stmt::ImportFrom(module, pairs) => {
                em(self).op_uint(bc::IMPORT_NAME, module.0 as usize, 1);
                for pair in self.ast.seq(pairs).chunks(2) {
                    em(self).op_uint(bc::IMPORT_FROM, pair[0] as usize, 1);
                    self.name(Qstr(pair[1]), Access::Store);
                }
                em(self).op(bc::POP_TOP, -1);
            }
            Stmt::Raise(e, cause) => match (e, cause) {
                (Some(e), Some(c)) => {
                    self.expr(e);
                    self.expr(c);
                    em(self).op_byte(bc::RAISE, 2, -2);
                }
                (Some(e), None) => {
                    self.expr(e);
                    em(self).op_byte(bc::RAISE, 1, -1);
                }
                _ => em(self).op_byte(bc::RAISE, 0, 0),
            },
            // Optimisation level 1 and up compiles asserts away.
            Stmt::Assert(..) if self.vm.opt_level > 0 => {}
            Stmt::Assert(test, msg) => {
                self.expr(test);
                let ok = em(self).jump(bc::POP_JUMP_IF_TRUE, -1);
                self.name(q::AssertionError, Access::Load);
                if let Some(m) = msg {
                    self.expr(m);
                    self.call_op(bc::CALL_FUNCTION, 1, 0, 1);
                }
                em(self).op_byte(bc::RAISE, 1, -1);
                em(self).patch(ok);
            }
            Stmt::Del(targets) => {
                for &t in self.ast.seq(targets) {
                    self.delete(t);
                }
            }
        }
    }

    /// `for x in range(...)` with a constant step (or none), compiled as
    /// MicroPython does: a counter and its bound on the stack instead of a
    /// range and an iterator, so the loop allocates nothing (it runs with
    /// the heap locked) and each turn is one FOR_RANGE. As in
    /// MicroPython, `range` is taken to be the builtin. Returns whether the
    /// loop was one of these.
    fn range_loop(&mut self, target: ExprId, iter: ExprId, body: Seq, orelse: Seq, line: u32) -> bool {
        let Expr::Call(f, args, kw) = self.ast.expr(iter) else { return false };
        let args = self.ast.seq(args);
        if !matches!(self.ast.expr(f), Expr::Name(q::range)) || !self.ast.seq(kw).is_empty() || args.is_empty() || args.len() > 3 {
            return false;
        }
        if args.iter().any(|&a| matches!(self.ast.expr(a), Expr::Starred(_))) {
            return false;
        }
        let step = match args.get(2) {
            None => 1,
            Some(&s) => match self.fold_int(s, 0) {
                Some(Ok(s)) if s != 0 && Value::try_small_int(s).is_some() && self.vm.small_int_for_target(s) => s,
                _ => return false,
            },
        };
        fn em<'c>(c: &'c mut Compiler<'_>) -> &'c mut Emitter {
            &mut c.f.em
        }
        // [counter, bound]
        if args.len() == 1 {
            em(self).load_int(0);
            self.expr(args[0]);
        } else {
            self.expr(args[0]);
            self.expr(args[1]);
        }
        // Each turn, FOR_RANGE leaves the counter for the target and steps
        // it; `continue` comes back to it.
        let start = em(self).pc();
        let to_else = em(self).jump_uint(bc::FOR_RANGE, crate::bytecode::zigzag(step as isize), 1);
        self.store(target);
        self.loop_body(start, 2, body, line);
        em(self).jump_to(bc::JUMP, start, 0);
        // Done: FOR_RANGE jumped here leaving counter and bound.
        em(self).patch(to_else);
        em(self).op(bc::POP_TOP, -1);
        em(self).op(bc::POP_TOP, -1);
        let breaks = self.end_loop();
        self.body(orelse);
        for b in breaks {
            em(self).patch(b);
        }
        true
    }

    fn loop_body(&mut self, start: usize, kept: u8, body: Seq, line: u32) {
        try_push(&mut self.f.blocks, Block::Loop { start, breaks: Vec::new(), kept }, line).or_fail(self);
        self.body(body)
    }

    fn end_loop(&mut self) -> Vec<usize> {
        match self.f.blocks.pop() {
            Some(Block::Loop { breaks, .. }) => breaks,
            _ => Vec::new(),
        }
    }

    /// Emits what leaving every block above `keep` needs, innermost first.
    /// `returning`: the value to return is on top and the frame's stack goes
    /// with it; otherwise (break, continue) what the blocks keep is popped.
    fn unwind_to(&mut self, keep: usize, returning: bool, line: u32) {
        // The stack depth as the exit code runs (break pops exit functions).
        let mut depth_now = self.f.em.depth();
        for i in (keep..self.f.blocks.len()).rev() {
            match &self.f.blocks[i] {
                Block::Loop { .. } => {}
                Block::Except => self.f.em.op(bc::POP_BLOCK, 0),
                Block::Handler => self.f.em.op(bc::POP_EXCEPT, 0),
                &Block::Drop(n) => {
                    if !returning {
                        // As for `with`: the code after the jump is not reached.
                        for _ in 0..n {
                            self.f.em.op(bc::POP_TOP, 0);
                        }
                        depth_now -= n as i32;
                    }
                }
                &Block::With(depth) => {
                    self.f.em.op(bc::POP_BLOCK, 0);
                    self.f.em.op_uint(bc::CALL_EXIT, (depth_now - 1 - depth) as usize, 0);
                    if !returning {
                        // The exit function is on top: drop it (the code after the jump
                        // is not reached, so the tracked depth stays).
                        self.f.em.op(bc::POP_TOP, 0);
                        depth_now -= 1;
                    }
                }
                &Block::Finally(fin) => {
                    self.f.em.op(bc::POP_BLOCK, 0);
                    // The finally body runs as if the blocks above it were gone.
                    let mut hidden: Vec<Block> = Vec::new();
                    if hidden.try_reserve(self.f.blocks.len() - i).is_err() {
                        return self.failed(CompileError::no_memory(line));
                    }
                    hidden.extend(self.f.blocks.drain(i..));
                    // On the way out of a `return`, its value waits on the
                    // stack: a `break`/`continue` in the finally body drops it.
                    let mut pushed = false;
                    if returning {
                        // Returning pops nothing: the blocks left behind keep
                        // their iterators, exit functions and markers.
                        let kept: usize = hidden
                            .iter()
                            .map(|b| match b {
                                Block::Loop { kept, .. } => *kept as usize,
                                Block::With(_) => 1,
                                Block::Drop(n) => *n,
                                _ => 0,
                            })
                            .sum();
                        pushed = self.push_block(Block::Drop(1 + kept), line);
                    }
                    self.body(fin);
                    self.pop_block(pushed);
                    if self.f.blocks.try_reserve(hidden.len()).is_err() {
                        return self.failed(CompileError::no_memory(line));
                    }
                    self.f.blocks.extend(hidden);
                }
            }
        }
    }

    /// Whether `b` was pushed (not, out of memory: the error is kept, and
    /// `pop_block` must not take another block's place).
    fn push_block(&mut self, b: Block, line: u32) -> bool {
        let r = try_push(&mut self.f.blocks, b, line);
        let pushed = r.is_ok();
        r.or_fail(self);
        pushed
    }

    fn pop_block(&mut self, pushed: bool) {
        if pushed {
            self.f.blocks.pop();
        }
    }

    /// `with` item `k` and the rest nested inside it, then the body.
    fn with_stmt(&mut self, items: Seq, k: usize, body: Seq, line: u32) {
        let pairs = self.ast.seq(items);
        if k * 2 >= pairs.len() {
            return self.body(body);
        }
        let (ctx, target) = (pairs[k * 2], pairs[k * 2 + 1]);
        // [mgr] -> [exit, value]: __exit__ is fetched before __enter__ runs.
        self.expr(ctx);
        self.f.em.op(bc::DUP_TOP, 1);
        self.f.em.op_uint(bc::LOAD_ATTR, q::__exit__.0 as usize, 0);
        self.f.em.op(bc::ROT_TWO, 0);
        self.f.em.op_uint(bc::LOAD_METHOD, q::__enter__.0 as usize, 1);
        self.call_op(bc::CALL_METHOD, 0, 0, 2);
        if target == crate::compile::ast::NO_EXPR {
            self.f.em.op(bc::POP_TOP, -1);
        } else {
            self.store(target);
        }
        let exit_depth = self.f.em.depth() - 1;
        let to_exit = self.f.em.jump(bc::SETUP_FINALLY, 0);
        let pushed = self.push_block(Block::With(exit_depth), line);
        self.with_stmt(items, k + 1, body, line);
        self.pop_block(pushed);
        self.f.em.op(bc::POP_BLOCK, 0);
        self.f.em.op(bc::LOAD_NULL, 1);
        self.f.em.patch(to_exit);
        self.f.em.set_depth(exit_depth + 2);
        self.f.em.op(bc::WITH_EXIT, -2);
    }

    fn try_stmt(&mut self, body: Seq, handlers: Seq, orelse: Seq, finalbody: Seq, line: u32) {
        if finalbody.len == 0 {
            return self.try_except(body, handlers, orelse, line);
        }
        let d = self.f.em.depth();
        let to_finally = self.f.em.jump(bc::SETUP_FINALLY, 0);
        let pushed = self.push_block(Block::Finally(finalbody), line);
        if handlers.len > 0 {
            self.try_except(body, handlers, orelse, line)
        } else {
            self.body(body)
        };
        self.pop_block(pushed);
        self.f.em.op(bc::POP_BLOCK, 0);
        self.f.em.op(bc::LOAD_NULL, 1);
        // Here with NULL (normal exit) or the exception in flight.
        self.f.em.patch(to_finally);
        self.f.em.set_depth(d + 1);
        let pushed = self.push_block(Block::Drop(1), line);
        self.body(finalbody);
        self.pop_block(pushed);
        self.f.em.op(bc::END_FINALLY, -1);
    }

    fn try_except(&mut self, body: Seq, handlers: Seq, orelse: Seq, line: u32) {
        let d = self.f.em.depth();
        let to_handlers = self.f.em.jump(bc::SETUP_EXCEPT, 0);
        let pushed = self.push_block(Block::Except, line);
        self.body(body);
        self.pop_block(pushed);
        self.f.em.op(bc::POP_BLOCK, 0);
        let to_else = self.f.em.jump(bc::JUMP, 0);
        // Here with the exception on the stack.
        self.f.em.patch(to_handlers);
        self.f.em.set_depth(d + 1);
        self.f.em.op(bc::ENTER_EXCEPT, 0);
        let mut ends: Vec<usize> = Vec::new();
        let clauses = self.ast.seq(handlers);
        let mut caught_all = false;
        for (k, &id) in clauses.iter().enumerate() {
            let (Stmt::ExceptHandler { ty, name, body: hbody }, hline) = self.ast.stmt(id) else { continue };
            self.f.em.set_line(hline);
            let next = match ty {
                Some(t) => {
                    self.expr(t);
                    self.f.em.op(bc::EXC_MATCH, -1);
                    self.f.em.adjust(1);
                    Some(self.f.em.jump(bc::POP_JUMP_IF_FALSE, -1))
                }
                None if k + 1 < clauses.len() => return self.failed(CompileError::syntax(Msg::DefaultExceptMustBeLast, hline)),
                None => {
                    caught_all = true;
                    None
                }
            };
            match name {
                Some(n) => self.name(n, Access::Store),
                None => self.f.em.op(bc::POP_TOP, -1),
            }
            let pushed = self.push_block(Block::Handler, hline);
            self.body(hbody);
            self.pop_block(pushed);
            self.f.em.op(bc::POP_EXCEPT, 0);
            if let Some(n) = name {
                // As in Python 3: the name does not outlive its clause.
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
                self.name(n, Access::Store);
                self.name(n, Access::Delete);
            }
            try_push(&mut ends, self.f.em.jump(bc::JUMP, 0), hline).or_fail(self);
            if let Some(nx) = next {
                self.f.em.patch(nx);
                self.f.em.set_depth(d + 1);
            }
        }
        if !caught_all {
            self.f.em.op(bc::POP_EXCEPT, 0);
            self.f.em.op(bc::RERAISE, -1);
        }
        self.f.em.patch(to_else);
        self.f.em.set_depth(d);
        self.body(orelse);
        for e in ends {
            self.f.em.patch(e);
        }
        self.f.em.set_depth(d);
    }

    /// Applies decorators (already on the stack, under the new object), the
    /// last listed first.
    fn decorate(&mut self, decorators: Seq) {
        for _ in 0..decorators.len {
            self.call_op(bc::CALL_FUNCTION, 1, 0, 1);
        }
    }

    /// MicroPython's `@micropython.bytecode` and `@micropython.native`
    /// choose a code emitter; Pyrite has one, bytecode, which runs both (a
    /// native function is just slower here). Other `@micropython.*`
    /// decorators (viper, asm_thumb) are a SyntaxError, as on a MicroPython
    /// built without them. Returns whether `d` was one of these.
    fn emitter_decorator(&mut self, d: ExprId) -> bool {
        let mut root = d;
        while let Expr::Attr(obj, _) = self.ast.expr(root) {
            root = obj;
        }
        if root == d || !matches!(self.ast.expr(root), Expr::Name(q::micropython)) {
            return false;
        }
        match self.ast.expr(d) {
            Expr::Attr(obj, n) if obj == root && (n == q::bytecode || n == q::native) => true,
            _ => self.failed(CompileError::syntax(Msg::InvalidMicropythonDecorator, self.line)),
        }
    }

    fn at_module(&self) -> bool {
        self.table.scopes[self.f.scope].is_module()
    }

    /// Pushes a new function object: defaults, then the closure's cells,
    /// then MAKE_FUNCTION / MAKE_FUNCTION_DEFARGS / MAKE_CLOSURE.
    fn make_function(&mut self, owner: Owner, name: Qstr, sig: &Signature, body: FnBody, line: u32) {
        let (nd, nkd) = (sig.defaults.len as usize, sig.kwdefaults.len as usize / 2);
        let with_defaults = nd + nkd > 0;
        if with_defaults {
            for &d in self.ast.seq(sig.defaults) {
                self.expr(d);
            }
            if nd > 0 {
                self.f.em.op_uint(bc::BUILD_TUPLE, nd, 1 - nd as i32);
            } else {
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
            }
            for pair in self.ast.seq(sig.kwdefaults).chunks(2) {
                self.f.em.op_uint(bc::LOAD_CONST_STRING, pair[0] as usize, 1);
                self.expr(pair[1]);
            }
            if nkd > 0 {
                self.f.em.op_uint(bc::BUILD_MAP, nkd, 1 - 2 * nkd as i32);
            } else {
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
            }
        }
        let child = self.table.find(owner);
        let code = or_return!(self, self.function(child, name, sig, body, line));
        let idx = self.f.em.add_const(code);
        let frees = &self.table.scopes[child].frees;
        if !frees.is_empty() {
            for &free in frees {
                // Resolution guarantees the enclosing scope holds it in a cell
                // (a class body only passes its closure on).
                let here = &self.table.scopes[self.f.scope];
                let slot =
                    if here.is_class() { here.frees.iter().position(|&f| f == free).map(Slot::Deref) } else { Some(here.resolve(free)) };
                let Some(Slot::Deref(slot)) = slot else {
                    return self.failed(CompileError::syntax(Msg::BadClosure, line));
                };
                self.f.em.op_uint(bc::LOAD_CLOSURE, slot, 1);
            }
            self.f.em.op_uint(bc::BUILD_TUPLE, frees.len(), 1 - frees.len() as i32);
            self.f.em.op_uint(bc::MAKE_CLOSURE, idx, if with_defaults { -2 } else { 0 });
            self.f.em.byte(with_defaults as u8);
            return;
        }
        if with_defaults {
            self.f.em.op_uint(bc::MAKE_FUNCTION_DEFARGS, idx, -1);
        } else {
            self.f.em.op_uint(bc::MAKE_FUNCTION, idx, 1);
        }
    }

    fn function(&mut self, scope: usize, name: Qstr, sig: &Signature, body: FnBody, line: u32) -> CResult<Value> {
        // Without line numbers (opt_level 3) every line reports as line 1.
        let no_lines = self.f.em.no_lines;
        let outer = core::mem::replace(&mut self.f, FnState::new(if no_lines { 1 } else { line }, scope));
        self.f.em.no_lines = no_lines;
        #[cfg(any(test, feature = "freeze"))]
        {
            self.f.em.wide_names = outer.em.wide_names;
        }
        // An error emitting comes before any the body found after it.
        self.function_body(body);
        let r = self.f.em.err.result(Ok(()));
        let inner = core::mem::replace(&mut self.f, outer);
        r?;
        // Names a caller may pass by keyword: positional and keyword-only ones.
        let names = self.ast.seq(sig.params);
        let mut params: Vec<Value> = Vec::new();
        params.try_reserve(names.len()).map_err(|_| CompileError::no_memory(line))?;
        params.extend(names.iter().take(sig.n_pos as usize).map(|&q| Value::qstr(Qstr(q))));
        let kw_start = sig.n_pos as usize + sig.varargs as usize;
        params.extend(names.iter().skip(kw_start).take(sig.n_kwonly as usize).map(|&q| Value::qstr(Qstr(q))));
        let generator = self.table.scopes[scope].generator;
        let shape =
            FnShape { n_args: sig.n_pos as usize, n_kwonly: sig.n_kwonly as usize, varargs: sig.varargs, varkw: sig.varkw, generator };
        self.finish(inner, name, shape, &params)
    }

    fn function_body(&mut self, body: FnBody) {
        // Locals that inner functions share move into cells first.
        let scope = &self.table.scopes[self.f.scope];
        let cells = if scope.is_class() { &[][..] } else { &scope.cells[..] };
        for &cell in cells {
            if let Some(slot) = scope.locals.iter().position(|&l| l == cell) {
                self.f.em.op_uint(bc::MAKE_CELL, slot, 0);
            }
        }
        match body {
            FnBody::Stmts(stmts) => {
                self.body(stmts);
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
            }
            FnBody::Class(stmts) => {
                self.body(stmts);
                self.f.em.op(bc::LOAD_LOCALS, 1);
            }
            FnBody::Expr(e) => self.expr(e),
            FnBody::Comp(kind, elt, value, gens) => self.comprehension_body(kind, elt, value, gens),
        }
        self.f.em.op(bc::RETURN_VALUE, -1);
    }

    /// The code of a comprehension's own function: its argument `.0` is the
    /// first iterator; the result is built in `.r`.
    fn comprehension_body(&mut self, kind: CompKind, elt: ExprId, value: ExprId, gens: Seq) {
        let result = q::COMP_RESULT;
        match kind {
            CompKind::List => self.f.em.op_uint(bc::BUILD_LIST, 0, 1),
            CompKind::Dict => self.f.em.op_uint(bc::BUILD_MAP, 0, 1),
            CompKind::Gen => self.f.em.op(bc::LOAD_CONST_NONE, 1),
            CompKind::Set => self.f.em.op_uint(bc::BUILD_SET, 0, 1),
        }
        self.name(result, Access::Store);
        let mut loops: Vec<(usize, usize)> = Vec::new();
        for (k, &g) in self.ast.seq(gens).iter().enumerate() {
            let Expr::CompFor(target, iter, conds) = self.ast.expr(g) else { continue };
            if k == 0 {
                self.name(q::COMP_ITER, Access::Load);
            } else {
                self.expr(iter);
                self.f.em.op(bc::GET_ITER, 0);
            }
            let top = self.f.em.pc();
            let exit = self.f.em.jump(bc::FOR_ITER, 1);
            self.store(target);
            for &c in self.ast.seq(conds) {
                self.expr(c);
                self.f.em.jump_to(bc::POP_JUMP_IF_FALSE, top, -1);
            }
            try_push(&mut loops, (top, exit), 0).or_fail(self);
        }
        if kind == CompKind::Gen {
            self.expr(elt);
            self.f.em.op(bc::YIELD_VALUE, 0);
        } else {
            self.name(result, Access::Load);
            self.expr(elt);
            if kind == CompKind::Dict {
                self.expr(value);
                self.f.em.op(bc::MAP_ADD, -2);
            } else if kind == CompKind::Set {
                self.f.em.op(bc::SET_ADD, -1);
            } else {
                self.f.em.op(bc::LIST_APPEND, -1);
            }
        }
        self.f.em.op(bc::POP_TOP, -1);
        for &(top, exit) in loops.iter().rev() {
            self.f.em.jump_to(bc::JUMP, top, 0);
            self.f.em.patch(exit);
            self.f.em.adjust(-1);
        }
        self.name(result, Access::Load);
    }

    fn aug_assign(&mut self, target: ExprId, op: BinOp, value: ExprId) {
        match self.ast.expr(target) {
            Expr::Name(n) => {
                self.name(n, Access::Load);
                self.expr(value);
                self.f.em.op_byte(bc::INPLACE_OP, op as u8, -1);
                self.name(n, Access::Store);
            }
            Expr::Attr(obj, n) => {
                self.expr(obj);
                self.f.em.op(bc::DUP_TOP, 1);
                self.f.em.op_uint(bc::LOAD_ATTR, n.0 as usize, 0);
                self.expr(value);
                self.f.em.op_byte(bc::INPLACE_OP, op as u8, -1);
                self.f.em.op(bc::ROT_TWO, 0);
                self.f.em.op_uint(bc::STORE_ATTR, n.0 as usize, -2);
            }
            Expr::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
                self.f.em.op(bc::DUP_TOP_TWO, 2);
                self.f.em.op(bc::LOAD_SUBSCR, -1);
                self.expr(value);
                self.f.em.op_byte(bc::INPLACE_OP, op as u8, -1);
                self.f.em.op(bc::ROT_THREE, 0);
                self.f.em.op(bc::STORE_SUBSCR, -3);
            }
            _ => self.failed(CompileError::syntax(Msg::IllegalExpressionForAugmentedAssignment, self.line())),
        }
    }

    fn name(&mut self, n: Qstr, access: Access) {
        let slot = self.table.scopes[self.f.scope].resolve(n);
        match (slot, access) {
            (Slot::Fast(i), Access::Load) if i < bc::FAST_SLOTS => {
                self.f.em.op(bc::LOAD_FAST_0 + i as u8, 1);
                return;
            }
            (Slot::Fast(i), Access::Store) if i < bc::FAST_SLOTS => {
                self.f.em.op(bc::STORE_FAST_0 + i as u8, -1);
                return;
            }
            _ => {}
        }
        let (op, effect, arg) = match (slot, access) {
            (Slot::Fast(i), Access::Load) => (bc::LOAD_FAST, 1, i),
            (Slot::Fast(i), Access::Store) => (bc::STORE_FAST, -1, i),
            (Slot::Fast(i), Access::Delete) => (bc::DELETE_FAST, 0, i),
            (Slot::Deref(i), Access::Load) => (bc::LOAD_DEREF, 1, i),
            (Slot::Deref(i), Access::Store) => (bc::STORE_DEREF, -1, i),
            (Slot::Deref(i), Access::Delete) => (bc::DELETE_DEREF, 0, i),
            (Slot::Global, Access::Load) => (bc::LOAD_GLOBAL, 1, n.0 as usize),
            (Slot::Global, Access::Store) => (bc::STORE_GLOBAL, -1, n.0 as usize),
            (Slot::Global, Access::Delete) => (bc::DELETE_GLOBAL, 0, n.0 as usize),
            (Slot::Name, Access::Load) => (bc::LOAD_NAME, 1, n.0 as usize),
            (Slot::Name, Access::Store) => (bc::STORE_NAME, -1, n.0 as usize),
            (Slot::Name, Access::Delete) => (bc::DELETE_NAME, 0, n.0 as usize),
        };
        self.f.em.op_uint(op, arg, effect);
    }

    fn store(&mut self, t: ExprId) {
        match self.ast.expr(t) {
            Expr::Name(n) => {
                self.name(n, Access::Store);
            }
            Expr::Attr(obj, n) => {
                self.expr(obj);
                self.f.em.op_uint(bc::STORE_ATTR, n.0 as usize, -2);
            }
            Expr::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
                self.f.em.op(bc::STORE_SUBSCR, -3);
            }
            Expr::Tuple(s) | Expr::List(s) => {
                let items = self.ast.seq(s);
                let n = items.len();
                match items.iter().position(|&t| matches!(self.ast.expr(t), Expr::Starred(_))) {
                    Some(k) => {
                        self.f.em.op_uint(bc::UNPACK_EX, k, n as i32 - 1);
                        self.f.em.put_uint(n - k - 1);
                    }
                    None => self.f.em.op_uint(bc::UNPACK_SEQUENCE, n, n as i32 - 1),
                }
                for &e in self.ast.seq(s) {
                    match self.ast.expr(e) {
                        Expr::Starred(inner) => self.store(inner),
                        _ => self.store(e),
                    }
                }
            }
            _ => self.failed(CompileError::syntax(Msg::CantAssignToExpression, self.line())),
        }
    }

    fn delete(&mut self, t: ExprId) {
        match self.ast.expr(t) {
            Expr::Name(n) => {
                self.name(n, Access::Delete);
            }
            Expr::Attr(obj, n) => {
                self.expr(obj);
                self.f.em.op_uint(bc::DELETE_ATTR, n.0 as usize, -1);
            }
            Expr::Tuple(s) | Expr::List(s) => {
                for &x in self.ast.seq(s) {
                    self.delete(x);
                }
            }
            Expr::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
                self.f.em.op(bc::DELETE_SUBSCR, -2);
            }
            _ => self.failed(CompileError::syntax(Msg::CantDeleteExpression, self.line())),
        }
    }

    fn call_op(&mut self, op: u8, n_pos: usize, n_kw: usize, callee_slots: i32) {
        let effect = 1 - callee_slots - n_pos as i32 - 2 * n_kw as i32;
        self.f.em.op_uint(op, n_pos, effect);
        self.f.em.put_uint(n_kw);
    }

    /// Compiles expression `e`. An error is kept as the emitter's (see
    /// `Emitter::err`) rather than returned: its seventy callers go on
    /// without a check, and it is reported before any later one when the
    /// function or statement ends.
    fn expr(&mut self, e: ExprId) {
        if self.depth >= self.limit * 2 {
            return self.failed(CompileError::syntax(Msg::TooDeeplyNested, self.line()));
        }
        if self.vm.stack_exhausted() {
            return self.failed(super::stack_full(self.line()));
        }
        self.depth += 1;
        self.expr_inner(e);
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: ExprId) {
        // A tuple of constants is made once, here, and loaded as a constant
        // (MicroPython does the same): no allocation when the code runs.
        if matches!(self.ast.expr(e), Expr::Tuple(_)) {
            if let Some(t) = self.const_tuple(e, 0) {
                self.constant(t);
                return;
            }
        }
        match self.ast.expr(e) {
            Expr::Const(v) => {
                self.constant(v);
            }
            // A constant, as in MicroPython: False from optimisation level 1.
            Expr::Name(n) if n == q::__debug__ => {
                self.f.em.op(if self.vm.opt_level > 0 { bc::LOAD_CONST_FALSE } else { bc::LOAD_CONST_TRUE }, 1);
            }
            Expr::Name(n) => match self.consts.iter().rev().find(|c| c.0 == n) {
                Some(&(_, v)) => {
                    self.constant(v);
                }
                None => {
                    self.name(n, Access::Load);
                }
            },
            Expr::Binary(..) => self.binary_chain(e),
            Expr::Unary(op, x) => {
                self.expr(x);
                self.f.em.op_byte(bc::UNARY_OP, op as u8, 0);
            }
            Expr::And(l, r) | Expr::Or(l, r) => {
                self.expr(l);
                let op = if matches!(self.ast.expr(e), Expr::And(..)) { bc::JUMP_IF_FALSE_OR_POP } else { bc::JUMP_IF_TRUE_OR_POP };
                let end = self.f.em.jump(op, -1);
                self.expr(r);
                self.f.em.patch(end);
            }
            Expr::Compare(first, pairs) => self.compare(first, pairs),
            Expr::IfElse { test, body, orelse } => {
                self.expr(test);
                let to_else = self.f.em.jump(bc::POP_JUMP_IF_FALSE, -1);
                self.expr(body);
                let to_end = self.f.em.jump(bc::JUMP, 0);
                self.f.em.adjust(-1);
                self.f.em.patch(to_else);
                self.expr(orelse);
                self.f.em.patch(to_end);
            }
            Expr::Call(func, args, kw) => {
                let starred = self.ast.seq(args).iter().any(|&a| matches!(self.ast.expr(a), Expr::Starred(_)))
                    || self.ast.seq(kw).chunks(2).any(|p| p[0] == DOUBLE_STAR);
                if starred {
                    return self.call_ex(func, args, kw);
                }
                let (op, slots) = if let Expr::Attr(obj, name) = self.ast.expr(func) {
                    self.expr(obj);
                    self.f.em.op_uint(bc::LOAD_METHOD, name.0 as usize, 1);
                    (bc::CALL_METHOD, 2)
                } else {
                    self.expr(func);
                    (bc::CALL_FUNCTION, 1)
                };
                for &a in self.ast.seq(args) {
                    self.expr(a);
                }
                for pair in self.ast.seq(kw).chunks(2) {
                    self.f.em.op_uint(bc::LOAD_CONST_STRING, pair[0] as usize, 1);
                    self.expr(pair[1]);
                }
                self.call_op(op, args.len as usize, kw.len as usize / 2, slots);
            }
            Expr::Starred(_) | Expr::CompFor(..) => self.failed(CompileError::syntax(Msg::CantUseStarredExpressionHere, self.line())),
            Expr::Yield(v) => {
                if v == crate::compile::ast::NO_EXPR {
                    self.f.em.op(bc::LOAD_CONST_NONE, 1);
                } else {
                    self.expr(v);
                }
                self.f.em.op(bc::YIELD_VALUE, 0);
            }
            Expr::Await(v) => {
                self.expr(v);
                self.f.em.op(bc::GET_AWAITABLE, 0);
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
                self.f.em.op(bc::YIELD_FROM, -1);
            }
            Expr::YieldFrom(v) => {
                self.expr(v);
                self.f.em.op(bc::GET_YIELD_FROM_ITER, 0);
                self.f.em.op(bc::LOAD_CONST_NONE, 1);
                self.f.em.op(bc::YIELD_FROM, -1);
            }
            Expr::Lambda(sig, body) => {
                let sig = self.ast.sigs[sig as usize];
                self.make_function(Owner::Lambda(e), q::LAMBDA, &sig, FnBody::Expr(body), 0)
            }
            Expr::Comp(kind, elt, value, gens) => {
                let name = match kind {
                    CompKind::List => q::LISTCOMP,
                    CompKind::Dict => q::DICTCOMP,
                    CompKind::Gen => q::GENEXPR,
                    CompKind::Set => q::SETCOMP,
                };
                // One positional parameter, `.0`, never passed by name.
                let sig = Signature {
                    params: Seq::default(),
                    n_pos: 1,
                    n_kwonly: 0,
                    varargs: false,
                    varkw: false,
                    defaults: Seq::default(),
                    kwdefaults: Seq::default(),
                };
                self.make_function(Owner::Comp(e), name, &sig, FnBody::Comp(kind, elt, value, gens), 0);
                let Some(Expr::CompFor(_, iter, _)) = self.ast.seq(gens).first().map(|&g| self.ast.expr(g)) else {
                    return self.failed(CompileError::syntax(Msg::InvalidSyntax, self.line()));
                };
                self.expr(iter);
                self.f.em.op(bc::GET_ITER, 0);
                self.call_op(bc::CALL_FUNCTION, 1, 0, 1);
            }
            Expr::Attr(obj, n) => {
                self.expr(obj);
                self.f.em.op_uint(bc::LOAD_ATTR, n.0 as usize, 0);
            }
            Expr::Subscript(obj, idx) => {
                self.expr(obj);
                self.expr(idx);
                self.f.em.op(bc::LOAD_SUBSCR, -1);
            }
            Expr::Slice(lo, hi, step) => {
                for part in [lo, hi, step] {
                    match part {
                        Some(x) => self.expr(x),
                        None => self.f.em.op(bc::LOAD_CONST_NONE, 1),
                    }
                }
                self.f.em.op(bc::BUILD_SLICE, -2);
            }
            Expr::Set(s) => {
                for &x in self.ast.seq(s) {
                    self.expr(x);
                }
                self.f.em.op_uint(bc::BUILD_SET, s.len as usize, 1 - s.len as i32);
            }
            Expr::NamedExpr(n, v) => {
                self.expr(v);
                self.f.em.op(bc::DUP_TOP, 1);
                self.name(n, Access::Store);
            }
            Expr::Tuple(s) | Expr::List(s) if self.ast.seq(s).iter().any(|&x| matches!(self.ast.expr(x), Expr::Starred(_))) => {
                // `[*a, b]`: gathered in a list (then a tuple for `(*a, b)`).
                self.f.em.op_uint(bc::BUILD_LIST, 0, 1);
                for &x in self.ast.seq(s) {
                    match self.ast.expr(x) {
                        Expr::Starred(inner) => {
                            self.expr(inner);
                            self.f.em.op(bc::LIST_EXTEND, -1);
                        }
                        _ => {
                            self.expr(x);
                            self.f.em.op(bc::LIST_APPEND, -1);
                        }
                    }
                }
                if matches!(self.ast.expr(e), Expr::Tuple(_)) {
                    self.f.em.op(bc::LIST_TO_TUPLE, 0);
                }
            }
            Expr::Tuple(s) | Expr::List(s) | Expr::Dict(s) => {
                for &x in self.ast.seq(s) {
                    self.expr(x);
                }
                let n = s.len as usize;
                match self.ast.expr(e) {
                    Expr::Tuple(_) => self.f.em.op_uint(bc::BUILD_TUPLE, n, 1 - n as i32),
                    Expr::List(_) => self.f.em.op_uint(bc::BUILD_LIST, n, 1 - n as i32),
                    _ => self.f.em.op_uint(bc::BUILD_MAP, n / 2, 1 - n as i32),
                }
            }
        }
    }

    /// `a + b - c ...` parses left-deep; walking its left spine with a heap
    /// stack instead of recursion keeps long chains off the native stack.
    fn binary_chain(&mut self, e: ExprId) {
        let mut spine: Vec<(BinOp, ExprId)> = Vec::new();
        let mut cur = e;
        while let Expr::Binary(op, l, r) = self.ast.expr(cur) {
            try_push(&mut spine, (op, r), 0).or_fail(self);
            cur = l;
        }
        self.expr(cur);
        for &(op, r) in spine.iter().rev() {
            self.expr(r);
            self.f.em.op_byte(bc::BINARY_OP, op as u8, -1);
        }
    }

    /// A call with `*args` or `**kwargs`: the arguments are gathered into a
    /// list and a dict first.
    fn call_ex(&mut self, func: ExprId, args: Seq, kw: Seq) {
        self.expr(func);
        self.f.em.op_uint(bc::BUILD_LIST, 0, 1);
        for (i, &a) in self.ast.seq(args).iter().enumerate() {
            match self.ast.expr(a) {
                // MicroPython marks each `*` argument in a small int's bits:
                // one past them is a SyntaxError there, and here too.
                Expr::Starred(_) if i >= SMALL_INT_BITS - 1 => {
                    return self.failed(CompileError::syntax(Msg::TooManyArgs, self.line()));
                }
                Expr::Starred(x) => {
                    self.expr(x);
                    self.f.em.op(bc::LIST_EXTEND, -1);
                }
                _ => {
                    self.expr(a);
                    self.f.em.op(bc::LIST_APPEND, -1);
                }
            }
        }
        self.f.em.op_uint(bc::BUILD_MAP, 0, 1);
        for pair in self.ast.seq(kw).chunks(2) {
            if pair[0] == DOUBLE_STAR {
                self.expr(pair[1]);
                self.f.em.op(bc::DICT_MERGE, -1);
            } else {
                self.f.em.op_uint(bc::LOAD_CONST_STRING, pair[0] as usize, 1);
                self.expr(pair[1]);
                self.f.em.op(bc::MAP_ADD, -2);
            }
        }
        self.f.em.op(bc::CALL_FUNCTION_EX, -2);
    }

    /// The value of a tuple display whose items are all constants (literals,
    /// `const()` names, constant tuples), or None. An equal constant tuple
    /// already made is reused, so equal constants are one object.
    fn const_tuple(&mut self, e: ExprId, depth: usize) -> Option<Value> {
        let Expr::Tuple(s) = self.ast.expr(e) else { return None };
        if !crate::features::COMPILE_CONSTANTS || depth > 8 {
            return None;
        }
        let mut items: Vec<Value> = Vec::new();
        for &x in self.ast.seq(s) {
            let v = match self.ast.expr(x) {
                Expr::Const(v) => v,
                Expr::Name(n) if n != q::__debug__ => match self.consts.iter().rev().find(|c| c.0 == n) {
                    Some(&(_, v)) => v,
                    None => return None,
                },
                Expr::Tuple(_) => self.const_tuple(x, depth + 1)?,
                _ => return None,
            };
            if let Err(e) = try_push(&mut items, v, self.line) {
                return self.failed(e);
            }
        }
        let same = |vm: &Vm, c: Value| vm.kind_of(c) == Some(crate::objects::Kind::Tuple) && vm.seq_items(c) == Some(&items[..]);
        if let Some(&(_, c)) = self.consts.iter().find(|&&(_, c)| same(self.vm, c)) {
            return Some(c);
        }
        if let Some(&c) = self.f.em.consts.iter().find(|&&c| same(self.vm, c)) {
            return Some(c);
        }
        self.vm.new_tuple(&items).map(Some).map_err(|_| CompileError::no_memory(self.line)).or_fail(self)
    }

    /// `NAME = const(value)` at module or class level (MicroPython's
    /// `micropython.const`): the value, an int expression of literals and
    /// earlier constants (or a str or bytes literal, or a constant tuple), is computed now and
    /// replaces every later load of NAME; a NAME starting with `_` is not
    /// even stored. Returns whether `targets = value` was one.
    fn const_definition(&mut self, targets: Seq, value: ExprId) -> bool {
        if !crate::features::COMPILE_CONSTANTS {
            return false;
        }
        let ts = self.ast.seq(targets);
        let (&[t], Expr::Call(f, args, kw)) = (ts, self.ast.expr(value)) else { return false };
        let (Expr::Name(name), Expr::Name(q::r#const), &[arg]) = (self.ast.expr(t), self.ast.expr(f), self.ast.seq(args)) else {
            return false;
        };
        let sc = &self.table.scopes[self.f.scope];
        if !(sc.is_module() || sc.is_class()) || !self.ast.seq(kw).is_empty() {
            return false;
        }
        // Anything else (floats, big ints) is computed at run time.
        let v = match self.ast.expr(arg) {
            Expr::Const(v) => v,
            Expr::Tuple(_) => match self.const_tuple(arg, 0) {
                Some(v) => v,
                None => return false,
            },
            _ => match self.fold_int(arg, 0) {
                Some(Ok(i)) => match Value::try_small_int(i) {
                    Some(v) => v,
                    None => return false,
                },
                Some(Err(())) => return self.failed(CompileError::syntax(Msg::ConstantMustBeAnInteger, self.line)),
                None => return false,
            },
        };
        if self.consts.iter().any(|c| c.0 == name) {
            return self.failed(CompileError::syntax(Msg::ConstantRedefined, self.line));
        }
        try_push(&mut self.consts, (name, v), self.line).or_fail(self);
        if !self.vm.qstr_bytes(name).starts_with(b"_") {
            self.constant(v);
            self.name(name, Access::Store);
        }
        true
    }

    /// An int expression of literals and constants, computed: `Some(Ok)`;
    /// `Some(Err)` if it cannot be (an unknown name, division by zero, a
    /// negative shift, `@`); None if it is not such an expression or leaves
    /// the range, so it is left to run time.
    fn fold_int(&self, e: ExprId, depth: usize) -> Option<Result<i64, ()>> {
        use crate::bytecode::UnaryOp;
        if depth > 32 {
            return None;
        }
        Some(match self.ast.expr(e) {
            Expr::Const(v) => Ok(v.as_small_int()? as i64),
            // Without constants computed here, only a literal is one.
            _ if !crate::features::COMPILE_CONSTANTS => return None,
            Expr::Name(n) => match self.consts.iter().rev().find(|c| c.0 == n) {
                Some(c) => Ok(c.1.as_small_int()? as i64),
                None => Err(()),
            },
            Expr::Unary(op, x) => {
                let x = self.fold_int(x, depth + 1)?;
                x.and_then(|x| match op {
                    UnaryOp::Pos => Ok(x),
                    UnaryOp::Neg => x.checked_neg().ok_or(()),
                    UnaryOp::Invert => Ok(!x),
                    UnaryOp::Not => Err(()),
                })
            }
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.fold_int(a, depth + 1)?, self.fold_int(b, depth + 1)?);
                let (a, b) = match (a, b) {
                    (Ok(a), Ok(b)) => (a, b),
                    _ => return Some(Err(())),
                };
                // Python's floor division and modulo: rounded down.
                match op {
                    BinOp::Add => Ok(a.checked_add(b)?),
                    BinOp::Sub => Ok(a.checked_sub(b)?),
                    BinOp::Mul => Ok(a.checked_mul(b)?),
                    BinOp::FloorDiv | BinOp::Mod if b == 0 => Err(()),
                    BinOp::FloorDiv => {
                        let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
                        Ok(if r != 0 && (r < 0) != (b < 0) { q - 1 } else { q })
                    }
                    BinOp::Mod => {
                        let r = a.checked_rem(b)?;
                        Ok(if r != 0 && (r < 0) != (b < 0) { r + b } else { r })
                    }
                    BinOp::LShift | BinOp::RShift if b < 0 => Err(()),
                    BinOp::LShift if b < 63 => Ok(a.checked_mul(1i64 << b)?),
                    BinOp::LShift => return None,
                    BinOp::RShift => Ok(a >> b.min(63)),
                    BinOp::And => Ok(a & b),
                    BinOp::Or => Ok(a | b),
                    BinOp::Xor => Ok(a ^ b),
                    // Float results are computed at run time.
                    BinOp::Pow if b < 0 => return None,
                    BinOp::TrueDiv => return None,
                    BinOp::Pow => Ok(a.checked_pow(u32::try_from(b).ok()?)?),
                    _ => Err(()),
                }
            }
            _ => return None,
        })
    }

    fn constant(&mut self, v: Value) {
        let em = &mut self.f.em;
        if v == Value::NONE {
            em.op(bc::LOAD_CONST_NONE, 1);
        } else if v == Value::TRUE {
            em.op(bc::LOAD_CONST_TRUE, 1);
        } else if v == Value::FALSE {
            em.op(bc::LOAD_CONST_FALSE, 1);
        } else if let Some(i) = v.as_small_int().filter(|&i| self.vm.small_int_for_target(i as i64)) {
            em.load_int(i);
        } else if let Some(s) = v.as_qstr() {
            em.op_uint(bc::LOAD_CONST_STRING, s.0 as usize, 1);
        } else {
            let idx = em.add_const(v);
            em.op_uint(bc::LOAD_CONST_OBJ, idx, 1);
        }
    }

    /// `a < b < c` evaluates `b` once and stops at the first false link.
    fn compare(&mut self, first: ExprId, pairs: Seq) {
        self.expr(first);
        let items = self.ast.seq(pairs);
        let n = items.len() / 2;
        let mut cleanups: Vec<usize> = Vec::new();
        for (i, pair) in items.chunks(2).enumerate() {
            let op = BinOp::from_u8(pair[0] as u8).unwrap_or(BinOp::Eq);
            self.expr(pair[1]);
            if i + 1 < n {
                self.f.em.op(bc::DUP_TOP, 1);
                self.f.em.op(bc::ROT_THREE, 0);
                self.f.em.op_byte(bc::BINARY_OP, op as u8, -1);
                let at = self.f.em.jump(bc::JUMP_IF_FALSE_OR_POP, -1);
                try_push(&mut cleanups, at, 0).or_fail(self);
            } else {
                self.f.em.op_byte(bc::BINARY_OP, op as u8, -1);
            }
        }
        if cleanups.is_empty() {
            return;
        }
        let end = self.f.em.jump(bc::JUMP, 0);
        for c in cleanups {
            self.f.em.patch(c);
        }
        self.f.em.adjust(1);
        self.f.em.op(bc::ROT_TWO, 0);
        self.f.em.op(bc::POP_TOP, -1);
        self.f.em.patch(end);
    }
}
