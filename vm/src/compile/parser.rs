//! Recursive descent from tokens to the arena AST. Literals become values
//! here (strings are interned or put on the heap), names become qstrs.
//! Nesting is bounded by `MAX_NESTING`.

use super::ast::{Ast, Expr, ExprId, Seq, Stmt};
use super::lexer::{Lexer, Tok, Token};
use super::scope::{Owner, SymbolTable};
use super::{or_return, try_push, CResult, CompileError, ErrorKind, KeepsError, Msg, OrFail, MAX_NESTING};
use crate::bytecode::{BinOp, UnaryOp};
use crate::error::PyErr;
use crate::qstr::{q, Qstr};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

pub struct Parser<'s, 'v> {
    lex: Lexer<'s>,
    tok: Token,
    peeked: Option<Token>,
    pub ast: Ast,
    vm: &'v mut Vm,
    depth: usize,
    limit: usize,
    /// The `def` being parsed was preceded by `async`.
    next_def_async: bool,
    /// Numbers the hidden variables of desugared `async with`/`async for`.
    hidden: u32,
    /// The scopes, filled as the source is read, and the one being read.
    pub sym: SymbolTable,
    cur: usize,
    /// The scope of the `def` or `class` just read, until its statement
    /// has an id.
    pending: usize,
    /// The lexer or the parser has failed: the tokens end there (an `Eof`
    /// stands for the rest, so every loop and descent winds up at once),
    /// and the parse then fails with the first error, kept in the tree's
    /// (`Ast::err`), whatever the parser made of the `Eof` (`lexed`).
    /// Reading a token, expecting one, or going a level deeper thus cannot
    /// fail, which spares an error check at each of the hundreds of places
    /// that do.
    stopped: bool,
}

impl<'s, 'v> Parser<'s, 'v> {
    /// A parser at the start of `src`; `start` reads its first token.
    /// (Made in place, not returned in a `Result`: a parser is some 300
    /// bytes, and each copy of it would sit on the stack under the whole
    /// parse.)
    pub fn new(src: &'s [u8], vm: &'v mut Vm) -> Parser<'s, 'v> {
        Parser {
            lex: Lexer::new(src),
            tok: Token { tok: Tok::Eof, start: 0, end: 0, line: 1 },
            peeked: None,
            ast: Ast::default(),
            vm,
            depth: 0,
            limit: MAX_NESTING,
            next_def_async: false,
            hidden: 0,
            sym: SymbolTable::default(),
            cur: 0,
            pending: 0,
            stopped: false,
        }
    }

    pub fn start(&mut self) -> CResult<()> {
        self.sym.open_module()?;
        self.tok = self.next_tok();
        self.lexed(Ok(()))
    }

    /// `r`, unless the lexer or the tree failed first: then that error,
    /// which comes earlier in the source than anything the parser found
    /// after it.
    fn lexed<T>(&self, r: CResult<T>) -> CResult<T> {
        self.ast.err.result(r)
    }

    /// The next token from the lexer; `Eof` once it has failed.
    fn next_tok(&mut self) -> Token {
        let eof = Token { tok: Tok::Eof, start: 0, end: 0, line: self.tok.line };
        if self.stopped {
            return eof;
        }
        match self.lex.next_token() {
            Ok(t) => t,
            Err(e) => {
                self.ast.err.keep(e);
                self.stopped = true;
                eof
            }
        }
    }

    pub fn set_nesting_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    // ---- scopes (see scope.rs) ----

    /// A name read here.
    fn name_expr(&mut self, n: Qstr, line: u32) -> ExprId {
        self.sym.use_name(self.cur, n, line).or_fail(self);
        self.ast.add_expr(Expr::Name(n), line)
    }

    fn bind(&mut self, n: Qstr, line: u32) {
        self.sym.bind(self.cur, n, line).or_fail(self)
    }

    /// Opens a scope inside the one being read; returns that one, to go
    /// back to.
    fn open_scope(&mut self, owner: Owner, params: Seq, line: u32) -> usize {
        let outer = self.cur;
        let params = self.ast.seq(params);
        self.cur = self.sym.new_scope(owner, outer, params, line).or_fail(self);
        outer
    }

    /// Whether the bracket just opened (or the call argument starting here)
    /// is a comprehension: a `for` at its own level before a comma or its
    /// close. Its scope must be open before the element is read.
    fn comprehension_ahead(&mut self) -> bool {
        let (mut t, mut peeked, saved, mut depth) = (self.tok.tok, self.peeked, self.lex.save(), 0u32);
        let found = loop {
            match t {
                Tok::For if depth == 0 => break true,
                Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace if depth == 0 => break false,
                Tok::RParen | Tok::RBracket | Tok::RBrace => depth -= 1,
                Tok::Comma if depth == 0 => break false,
                Tok::Eof => break false,
                _ => {}
            }
            t = match peeked.take() {
                Some(p) => p.tok,
                None => match self.lex.next_token() {
                    Ok(p) => p.tok,
                    Err(_) => break false,
                },
            };
        };
        self.lex.restore(saved);
        found
    }

    /// Opens a comprehension's scope (its frame starts with the first
    /// iterable, passed in as `.0`); returns the scope to go back to.
    fn open_comprehension(&mut self, generator: bool, line: u32) -> usize {
        let params = self.seq_of(&[q::COMP_ITER.0], line);
        let outer = self.open_scope(Owner::Comp(u32::MAX), params, line);
        self.bind(q::COMP_RESULT, line);
        self.sym.scopes[self.cur].generator = generator;
        outer
    }

    fn line(&self) -> u32 {
        self.tok.line
    }

    fn err(&self, msg: Msg) -> CompileError {
        CompileError::syntax(msg, self.tok.line)
    }

    /// Keeps `e` (unless an error came first) and ends the tokens.
    #[inline(never)]
    fn fail(&mut self, e: CompileError) {
        self.ast.err.keep(e);
        self.stopped = true;
        self.peeked = None;
        self.tok = Token { tok: Tok::Eof, start: 0, end: 0, line: self.tok.line };
    }

    /// `fail` with a syntax error at the current line.
    fn fail_msg(&mut self, msg: Msg) {
        self.fail(self.err(msg));
    }

    fn advance(&mut self) {
        self.tok = match self.peeked.take() {
            Some(t) => t,
            None => self.next_tok(),
        };
    }

    fn peek(&mut self) -> Tok {
        if self.peeked.is_none() {
            self.peeked = Some(self.next_tok());
        }
        self.peeked.map_or(Tok::Eof, |t| t.tok)
    }

    fn at(&self, t: Tok) -> bool {
        self.tok.tok == t
    }

    fn eat(&mut self, t: Tok) -> bool {
        let found = self.at(t);
        if found {
            self.advance();
        }
        found
    }

    fn expect(&mut self, t: Tok) {
        self.expect_tok(t);
    }

    /// `expect`, giving the token (an `Eof` when it was not there).
    fn expect_tok(&mut self, t: Tok) -> Token {
        let tok = self.tok;
        if !self.eat(t) {
            self.fail_msg(Msg::InvalidSyntax);
            return self.tok;
        }
        tok
    }

    /// A level deeper; past the limit (or the native stack's floor) the
    /// parse fails, and with its tokens ended goes no deeper.
    fn enter(&mut self) {
        self.depth += 1;
        if self.depth > self.limit {
            self.fail_msg(Msg::TooDeeplyNested);
        } else if self.vm.stack_exhausted() {
            self.fail(super::stack_full(self.line()));
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn intern(&mut self, text: &[u8]) -> Qstr {
        let line = self.line();
        self.vm.intern(text).map_err(|e| CompileError::no_name(e, line)).or_fail(self)
    }

    fn name(&mut self) -> Qstr {
        let t = self.expect_tok(Tok::Name);
        let text = self.lex.text(&t);
        self.intern(text)
    }

    fn expr(&mut self, e: Expr) -> ExprId {
        let line = self.line();
        self.ast.add_expr(e, line)
    }

    // ---- statements ----

    /// The next top-level statement line of a file (several for `a; b`), or
    /// None at its end. The caller compiles it and then calls
    /// `forget_statements`, so the tree never holds more than one.
    pub fn next_statement(&mut self) -> CResult<Option<Seq>> {
        let r = self.statement_line();
        self.lexed(r)
    }

    fn statement_line(&mut self) -> CResult<Option<Seq>> {
        while self.eat(Tok::Newline) {}
        if self.at(Tok::Eof) {
            return Ok(None);
        }
        if self.at(Tok::Indent) {
            return Err(CompileError::new(ErrorKind::Indentation, Msg::UnexpectedIndent, self.line()));
        }
        let mark = self.ast.mark();
        self.statement();
        let line = self.line();
        Ok(Some(self.ast.finish(mark, line)))
    }

    /// The statements read so far, scopes settled, with the VM: for the
    /// code generator, between two `next_statement`s.
    pub fn parts(&mut self) -> CResult<(&Ast, &SymbolTable, &mut Vm)> {
        self.sym.finish()?;
        Ok((&self.ast, &self.sym, &mut *self.vm))
    }

    /// Drops the tree and scopes of the statements compiled (their room is
    /// kept for the next).
    pub fn forget_statements(&mut self) {
        self.ast.clear();
        self.sym.forget_statements();
        self.cur = 0;
    }

    /// `eval` input: one expression list, as an expression statement.
    pub fn eval_input(&mut self) -> CResult<Seq> {
        let r = self.expression_input();
        self.lexed(r)
    }

    fn expression_input(&mut self) -> CResult<Seq> {
        let mark = self.ast.mark();
        while self.eat(Tok::Newline) {}
        let line = self.line();
        if self.at(Tok::Eof) {
            return Err(self.err(Msg::UnexpectedEOF));
        }
        self.refuse_bare_walrus();
        let e = self.testlist();
        while self.eat(Tok::Newline) {}
        if !self.at(Tok::Eof) {
            return Err(self.err(Msg::InvalidSyntax));
        }
        self.push_stmt(Stmt::Expr(e), line);
        Ok(self.ast.finish(mark, line))
    }

    /// A fresh name no Python code can spell, for desugared statements.
    fn hidden_name(&mut self, line: u32) -> Qstr {
        self.hidden += 1;
        let mut buf = [b'.', b'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut n = self.hidden;
        let mut len = 2;
        while n > 0 && len < buf.len() {
            buf[len] = b'0' + (n % 10) as u8;
            n /= 10;
            len += 1;
        }
        // Always assigned: local to the scope being read.
        let q = self.vm.intern(&buf[..len]).map_err(|_| CompileError::no_memory(line)).or_fail(self);
        self.bind(q, line);
        q
    }

    fn e(&mut self, e: Expr, line: u32) -> ExprId {
        self.ast.add_expr(e, line)
    }

    fn st(&mut self, s: Stmt, line: u32) -> u32 {
        self.ast.add_stmt(s, line)
    }

    /// `f(args...)` with positional arguments only.
    fn call_of(&mut self, f: ExprId, args: &[ExprId], line: u32) -> ExprId {
        let a = self.seq_of(args, line);
        let kw = self.seq_of(&[], line);
        self.e(Expr::Call(f, a, kw), line)
    }

    /// `obj.name()`.
    fn method_call(&mut self, obj: ExprId, name: Qstr, line: u32) -> ExprId {
        let f = self.e(Expr::Attr(obj, name), line);
        self.call_of(f, &[], line)
    }

    fn assign(&mut self, target: ExprId, value: ExprId, line: u32) -> u32 {
        let t = self.seq_of(&[target], line);
        self.st(Stmt::Assign(t, value), line)
    }

    /// `async with a as x, b: body`, as MicroPython runs it:
    ///
    /// ```text
    /// m = a; x_exit = m.__aexit__; x = await m.__aenter__(); handled = False
    /// try:
    ///     try: body
    ///     except BaseException as e:
    ///         handled = True
    ///         if not await x_exit(type(e), e, None): raise
    /// finally:
    ///     if not handled: await x_exit(None, None, None)
    /// ```
    fn async_with(&mut self, line: u32) -> Stmt {
        self.sym.mark_generator(self.cur, line).or_fail(self);
        let ctx = self.test();
        let target = if self.eat(Tok::As) { Some(self.expr_no_cond()) } else { None };
        if let Some(t) = target {
            self.check_target(t, true);
        }
        let body = if self.eat(Tok::Comma) {
            // Further items nest inside this one.
            let inner = self.async_with(line);
            let id = self.st(inner, line);
            self.seq_of(&[id], line)
        } else {
            self.block()
        };
        let (m, x, h, e) = (self.hidden_name(line), self.hidden_name(line), self.hidden_name(line), self.hidden_name(line));
        let name = |p: &mut Self, q: Qstr| p.name_expr(q, line);
        let mut pre = [0u32; 4];
        let mt = name(self, m);
        pre[0] = self.assign(mt, ctx, line);
        let mv = name(self, m);
        let exit = self.e(Expr::Attr(mv, q::__aexit__), line);
        let xt = name(self, x);
        pre[1] = self.assign(xt, exit, line);
        let mv = name(self, m);
        let enter = self.method_call(mv, q::__aenter__, line);
        let entered = self.e(Expr::Await(enter), line);
        pre[2] = match target {
            Some(t) => self.assign(t, entered, line),
            None => self.st(Stmt::Expr(entered), line),
        };
        let ht = name(self, h);
        let f = self.e(Expr::Const(Value::FALSE), line);
        pre[3] = self.assign(ht, f, line);
        // except BaseException as e: handled = True; if not await exit(type(e), e, None): raise
        let ht = name(self, h);
        let t = self.e(Expr::Const(Value::TRUE), line);
        let set_handled = self.assign(ht, t, line);
        let xv = name(self, x);
        let ty = name(self, q::r#type);
        let ev = name(self, e);
        let type_of_e = self.call_of(ty, &[ev], line);
        let ev = name(self, e);
        let none = self.e(Expr::Const(Value::NONE), line);
        let called = self.call_of(xv, &[type_of_e, ev, none], line);
        let awaited = self.e(Expr::Await(called), line);
        let not = self.e(Expr::Unary(crate::bytecode::UnaryOp::Not, awaited), line);
        let reraise = self.st(Stmt::Raise(None, None), line);
        let reraise = self.seq_of(&[reraise], line);
        let empty = self.seq_of(&[], line);
        let check = self.st(Stmt::If { test: not, body: reraise, orelse: empty }, line);
        let hbody = self.seq_of(&[set_handled, check], line);
        let base = name(self, q::BaseException);
        let handler = self.st(Stmt::ExceptHandler { ty: Some(base), name: Some(e), body: hbody }, line);
        let handlers = self.seq_of(&[handler], line);
        let inner = self.st(Stmt::Try { body, handlers, orelse: empty, finalbody: empty }, line);
        let inner = self.seq_of(&[inner], line);
        // finally: if not handled: await exit(None, None, None)
        let hv = name(self, h);
        let not_h = self.e(Expr::Unary(crate::bytecode::UnaryOp::Not, hv), line);
        let xv = name(self, x);
        let nones =
            [self.e(Expr::Const(Value::NONE), line), self.e(Expr::Const(Value::NONE), line), self.e(Expr::Const(Value::NONE), line)];
        let called = self.call_of(xv, &nones, line);
        let awaited = self.e(Expr::Await(called), line);
        let exit_stmt = self.st(Stmt::Expr(awaited), line);
        let exit_body = self.seq_of(&[exit_stmt], line);
        let fin = self.st(Stmt::If { test: not_h, body: exit_body, orelse: empty }, line);
        let finalbody = self.seq_of(&[fin], line);
        let outer = self.st(Stmt::Try { body: inner, handlers: empty, orelse: empty, finalbody }, line);
        // The whole thing as `if True:` around the statements, to be one statement.
        let all = self.seq_of(&[pre[0], pre[1], pre[2], pre[3], outer], line);
        let t = self.e(Expr::Const(Value::TRUE), line);
        Stmt::If { test: t, body: all, orelse: empty }
    }

    /// `async for t in a: body else: orelse`:
    ///
    /// ```text
    /// it = a.__aiter__()
    /// while True:
    ///     try: t = await it.__anext__()
    ///     except StopAsyncIteration: orelse; break
    ///     body
    /// ```
    fn async_for(&mut self, target: ExprId, iter: ExprId, body: Seq, orelse: Seq, line: u32) -> Stmt {
        self.sym.mark_generator(self.cur, line).or_fail(self);
        let it = self.hidden_name(line);
        let itt = self.name_expr(it, line);
        let aiter = self.method_call(iter, q::__aiter__, line);
        let init = self.assign(itt, aiter, line);
        let itv = self.name_expr(it, line);
        let next = self.method_call(itv, q::__anext__, line);
        let awaited = self.e(Expr::Await(next), line);
        let step = self.assign(target, awaited, line);
        let step = self.seq_of(&[step], line);
        let brk = self.st(Stmt::Break, line);
        let mut hbody: Vec<u32> = Vec::new();
        hbody.extend_from_slice(self.ast.seq(orelse));
        try_push(&mut hbody, brk, line).or_fail(self);
        let hbody = self.seq_of(&hbody, line);
        let stop = self.name_expr(q::StopAsyncIteration, line);
        let handler = self.st(Stmt::ExceptHandler { ty: Some(stop), name: None, body: hbody }, line);
        let handlers = self.seq_of(&[handler], line);
        let empty = self.seq_of(&[], line);
        let get = self.st(Stmt::Try { body: step, handlers, orelse: empty, finalbody: empty }, line);
        let mut loop_body: Vec<u32> = Vec::new();
        try_push(&mut loop_body, get, line).or_fail(self);
        loop_body.extend_from_slice(self.ast.seq(body));
        let loop_body = self.seq_of(&loop_body, line);
        let t = self.e(Expr::Const(Value::TRUE), line);
        let w = self.st(Stmt::While { test: t, body: loop_body, orelse: empty }, line);
        let all = self.seq_of(&[init, w], line);
        let t = self.e(Expr::Const(Value::TRUE), line);
        Stmt::If { test: t, body: all, orelse: empty }
    }

    fn push_stmt(&mut self, s: Stmt, line: u32) {
        let id = self.ast.add_stmt(s, line);
        match s {
            Stmt::Def { .. } => self.sym.scopes[self.pending].owner = Owner::Def(id),
            Stmt::Class { .. } => self.sym.scopes[self.pending].owner = Owner::Class(id),
            _ => {}
        }
        self.ast.push_item(id, line)
    }

    /// One statement line (or compound statement), pushed onto the scratch list.
    fn statement(&mut self) {
        let line = self.line();
        match self.tok.tok {
            Tok::If => {
                self.advance();
                let s = self.if_rest();
                self.push_stmt(s, line);
            }
            Tok::While => {
                self.advance();
                let test = self.test();
                let body = self.block();
                let orelse = self.else_block();
                self.push_stmt(Stmt::While { test, body, orelse }, line);
            }
            Tok::For => {
                self.advance();
                let (target, iter, body, orelse) = self.for_rest();
                self.push_stmt(Stmt::For { target, iter, body, orelse }, line);
            }
            Tok::Def | Tok::Class | Tok::At => {
                let s = self.decorated(Seq::default());
                self.push_stmt(s, line);
            }
            Tok::Try => {
                self.advance();
                let s = self.try_rest();
                self.push_stmt(s, line);
            }
            Tok::With => {
                self.advance();
                let mark = self.ast.mark();
                loop {
                    let ctx = self.test();
                    let target = if self.eat(Tok::As) { self.expr_no_cond() } else { crate::compile::ast::NO_EXPR };
                    if target != crate::compile::ast::NO_EXPR {
                        self.check_target(target, true);
                    }
                    self.ast.push_item(ctx, line);
                    self.ast.push_item(target, line);
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                let items = self.ast.finish(mark, line);
                let body = self.block();
                self.push_stmt(Stmt::With { items, body }, line);
            }
            Tok::Async if crate::features::ASYNC => {
                self.advance();
                match self.tok.tok {
                    Tok::Def => {
                        self.next_def_async = true;
                        let s = self.decorated(Seq::default());
                        self.push_stmt(s, line);
                    }
                    Tok::With => {
                        self.advance();
                        let s = self.async_with(line);
                        self.push_stmt(s, line);
                    }
                    Tok::For => {
                        self.advance();
                        let (target, iter, body, orelse) = self.for_rest();
                        let s = self.async_for(target, iter, body, orelse, line);
                        self.push_stmt(s, line);
                    }
                    _ => self.failed(self.err(Msg::InvalidSyntax)),
                }
            }
            Tok::Indent => self.failed(CompileError::new(ErrorKind::Indentation, Msg::UnexpectedIndent, line)),
            _ => {
                loop {
                    let line = self.line();
                    let s = self.simple_statement();
                    self.push_stmt(s, line);
                    if !self.eat(Tok::Semicolon) || self.at(Tok::Newline) {
                        break;
                    }
                }
                if !self.eat(Tok::Newline) && !self.at(Tok::Eof) {
                    self.failed(self.err(Msg::InvalidSyntax))
                }
            }
        }
    }

    /// After `for`: the target, the iterable, the body and the `else` block.
    fn for_rest(&mut self) -> (ExprId, ExprId, Seq, Seq) {
        let target = self.target_list();
        self.expect(Tok::In);
        let iter = self.testlist();
        let body = self.block();
        let orelse = self.else_block();
        (target, iter, body, orelse)
    }

    fn if_rest(&mut self) -> Stmt {
        let test = self.test();
        let body = self.block();
        let orelse = if self.at(Tok::Elif) {
            let line = self.line();
            self.advance();
            self.enter();
            let s = self.if_rest();
            self.leave();
            let mark = self.ast.mark();
            self.push_stmt(s, line);
            self.ast.finish(mark, line)
        } else {
            self.else_block()
        };
        Stmt::If { test, body, orelse }
    }

    /// After `try`: the body, `except` clauses, `else`, `finally`.
    fn try_rest(&mut self) -> Stmt {
        let body = self.block();
        let mark = self.ast.mark();
        while self.at(Tok::Except) {
            let line = self.line();
            self.advance();
            let (ty, name) = if self.at(Tok::Colon) {
                (None, None)
            } else {
                let ty = self.test();
                let name = if self.eat(Tok::As) { Some(self.name()) } else { None };
                if let Some(n) = name {
                    self.bind(n, line);
                }
                (Some(ty), name)
            };
            let hbody = self.block();
            let id = self.ast.add_stmt(Stmt::ExceptHandler { ty, name, body: hbody }, line);
            self.ast.push_item(id, line);
        }
        let line = self.line();
        let handlers = self.ast.finish(mark, line);
        let orelse = if handlers.len > 0 { self.else_block() } else { Seq::default() };
        let finalbody = if self.eat(Tok::Finally) { self.block() } else { Seq::default() };
        if handlers.len == 0 && finalbody.len == 0 {
            return self.failed(self.err(Msg::InvalidSyntax));
        }
        Stmt::Try { body, handlers, orelse, finalbody }
    }

    fn else_block(&mut self) -> Seq {
        if self.eat(Tok::Else) {
            return self.block();
        }
        Seq::default()
    }

    /// `: NEWLINE INDENT stmts DEDENT` or `: simple; statements NEWLINE`.
    fn block(&mut self) -> Seq {
        self.expect(Tok::Colon);
        self.enter();
        let mark = self.ast.mark();
        if self.eat(Tok::Newline) {
            if !self.eat(Tok::Indent) {
                return self.failed(CompileError::new(ErrorKind::Indentation, Msg::ExpectedAnIndentedBlock, self.line()));
            }
            while !self.eat(Tok::Dedent) {
                if self.at(Tok::Eof) {
                    break;
                }
                self.statement();
            }
        } else {
            self.statement();
        }
        self.leave();
        let line = self.line();
        self.ast.finish(mark, line)
    }

    /// `@decorator` lines, then the `def` or `class` they apply to.
    fn decorated(&mut self, _: Seq) -> Stmt {
        let line = self.line();
        let mark = self.ast.mark();
        while self.eat(Tok::At) {
            let d = self.test();
            self.ast.push_item(d, line);
            self.expect(Tok::Newline);
        }
        let decorators = self.ast.finish(mark, line);
        if crate::features::ASYNC && self.at(Tok::Async) && self.peek() == Tok::Def {
            self.advance();
            self.next_def_async = true;
        }
        if self.eat(Tok::Def) {
            return self.def(decorators);
        }
        if self.eat(Tok::Class) {
            let name = self.name();
            let bases = if self.eat(Tok::LParen) {
                let m = self.ast.mark();
                while !self.at(Tok::RParen) {
                    let b = self.test();
                    self.ast.push_item(b, line);
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                self.expect(Tok::RParen);
                self.ast.finish(m, line)
            } else {
                Seq::default()
            };
            self.bind(name, line);
            let outer = self.open_scope(Owner::Class(u32::MAX), Seq::default(), line);
            let body = self.block();
            (self.pending, self.cur) = (self.cur, outer);
            return Stmt::Class { name, bases, body, decorators };
        }
        self.failed(self.err(Msg::InvalidSyntax))
    }

    fn def(&mut self, decorators: Seq) -> Stmt {
        let name = self.name();
        self.expect(Tok::LParen);
        let sig = self.parameters(Tok::RParen);
        self.expect(Tok::RParen);
        if self.eat(Tok::Arrow) {
            self.test();
        }
        let line = self.line();
        let is_async = core::mem::take(&mut self.next_def_async);
        self.bind(name, line);
        let outer = self.open_scope(Owner::Def(u32::MAX), sig.params, line);
        self.sym.scopes[self.cur].generator |= is_async;
        let body = self.block();
        (self.pending, self.cur) = (self.cur, outer);
        let id = self.ast.sigs.len() as u32;
        try_push(&mut self.ast.sigs, sig, line).or_fail(self);
        Stmt::Def { name, sig: id, body, decorators, is_async }
    }

    /// A parameter list up to (not including) `close`: `)` for `def`, `:`
    /// for `lambda` (whose parameters take no annotations).
    fn parameters(&mut self, close: Tok) -> crate::compile::ast::Signature {
        let line = self.line();
        let annotated = close == Tok::RParen;
        // Names go to the scratch list in frame order; defaults aside.
        let (mut pos, mut kwonly): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        let (mut defaults, mut kwdefaults): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        let (mut varargs, mut varkw, mut after_star) = (None, None, false);
        while !self.at(close) {
            if varkw.is_some() {
                return self.failed(self.err(Msg::InvalidSyntax));
            }
            if self.eat(Tok::DoubleStar) {
                varkw = Some(self.param_name(annotated));
            } else if self.eat(Tok::Star) {
                if after_star {
                    return self.failed(self.err(Msg::InvalidSyntax));
                }
                after_star = true;
                if self.at(Tok::Name) {
                    varargs = Some(self.param_name(annotated));
                }
            } else {
                let p = self.param_name(annotated);
                let default = if self.eat(Tok::Assign) { Some(self.test()) } else { None };
                if after_star {
                    try_push(&mut kwonly, p.0, line).or_fail(self);
                    if let Some(d) = default {
                        try_push(&mut kwdefaults, p.0, line).or_fail(self);
                        try_push(&mut kwdefaults, d, line).or_fail(self);
                    }
                } else {
                    try_push(&mut pos, p.0, line).or_fail(self);
                    match default {
                        Some(d) => try_push(&mut defaults, d, line).or_fail(self),
                        None if !defaults.is_empty() => return self.failed(self.err(Msg::NonDefaultArgumentFollowsDefaultArgument)),
                        None => {}
                    }
                }
            }
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        let mark = self.ast.mark();
        for &q in pos.iter().chain(varargs.iter().map(|q: &Qstr| &q.0)).chain(kwonly.iter()).chain(varkw.iter().map(|q: &Qstr| &q.0)) {
            self.ast.push_item(q, line);
        }
        let params = self.ast.finish(mark, line);
        let defaults = self.seq_of(&defaults, line);
        let kwdefaults = self.seq_of(&kwdefaults, line);
        crate::compile::ast::Signature {
            params,
            n_pos: pos.len() as u32,
            n_kwonly: kwonly.len() as u32,
            varargs: varargs.is_some(),
            varkw: varkw.is_some(),
            defaults,
            kwdefaults,
        }
    }

    /// A parameter's name, its annotation (if allowed) parsed and ignored.
    fn param_name(&mut self, annotated: bool) -> Qstr {
        let p = self.name();
        if annotated && self.eat(Tok::Colon) {
            self.test();
        }
        p
    }

    fn seq_of(&mut self, items: &[u32], line: u32) -> Seq {
        let mark = self.ast.mark();
        for &i in items {
            self.ast.push_item(i, line);
        }
        self.ast.finish(mark, line)
    }

    fn names_list(&mut self) -> Seq {
        let mark = self.ast.mark();
        loop {
            let line = self.line();
            let n = self.name();
            self.ast.push_item(n.0, line);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        let line = self.line();
        self.ast.finish(mark, line)
    }

    /// A dotted module name as one qstr.
    fn dotted_name(&mut self) -> Qstr {
        let first = self.expect_tok(Tok::Name);
        let mut last = first;
        while self.at(Tok::Dot) {
            self.advance();
            last = self.expect_tok(Tok::Name);
        }
        let text = self.lex_span(first.start, last.end);
        self.intern(text)
    }

    /// The module of `from ... import`: a dotted name, or a relative one
    /// (leading dots, each a level up from the running module's package,
    /// then maybe a name), kept with its dots for the import to resolve.
    fn relative_or_dotted_name(&mut self) -> Qstr {
        let mut dots = 0;
        loop {
            match self.tok.tok {
                Tok::Dot => dots += 1,
                Tok::Ellipsis => dots += 3,
                _ => break,
            }
            self.advance();
        }
        if dots == 0 {
            return self.dotted_name();
        }
        let line = self.line();
        let mut text: Vec<u8> = Vec::new();
        text.try_reserve(dots).map_err(|_| CompileError::no_memory(line)).or_fail(self);
        text.resize(dots, b'.');
        if !self.at(Tok::Import) {
            let m = self.dotted_name();
            let name = self.vm.qstr_bytes(m);
            if text.try_reserve(name.len()).is_err() {
                return self.failed(CompileError::no_memory(line));
            }
            text.extend_from_slice(name);
        }
        self.intern(&text)
    }

    fn lex_span(&self, start: u32, end: u32) -> &'s [u8] {
        let t = Token { tok: Tok::Name, start, end, line: 0 };
        self.lex.text(&t)
    }

    fn simple_statement(&mut self) -> Stmt {
        let line = self.line();
        match self.tok.tok {
            Tok::Pass => {
                self.advance();
                Stmt::Pass
            }
            Tok::Break => {
                self.advance();
                Stmt::Break
            }
            Tok::Continue => {
                self.advance();
                Stmt::Continue
            }
            Tok::Return => {
                self.advance();
                let v = if self.at_end_of_statement() { None } else { Some(self.testlist()) };
                Stmt::Return(v)
            }
            Tok::Raise => {
                self.advance();
                let v = if self.at_end_of_statement() { None } else { Some(self.test()) };
                let cause = if v.is_some() && self.eat(Tok::From) { Some(self.test()) } else { None };
                Stmt::Raise(v, cause)
            }
            Tok::Global | Tok::Nonlocal => {
                let global = self.at(Tok::Global);
                self.advance();
                let names = self.names_list();
                self.sym.declare(self.cur, self.ast.seq(names), global, line).or_fail(self);
                if global {
                    Stmt::Global(names)
                } else {
                    Stmt::Nonlocal(names)
                }
            }
            Tok::Assert => {
                self.advance();
                let test = self.test();
                let msg = if self.eat(Tok::Comma) { Some(self.test()) } else { None };
                Stmt::Assert(test, msg)
            }
            Tok::Del => {
                self.advance();
                let mark = self.ast.mark();
                loop {
                    let t = self.expr_no_cond();
                    // `del (a, b)` and `del [a, b]` delete each (a starred
                    // item is refused when compiled).
                    self.check_target(t, true);
                    self.ast.push_item(t, line);
                    if !self.eat(Tok::Comma) || self.at_end_of_statement() {
                        break;
                    }
                }
                Stmt::Del(self.ast.finish(mark, line))
            }
            Tok::Import => {
                self.advance();
                let mark = self.ast.mark();
                loop {
                    let m = self.dotted_name();
                    let bound = if self.eat(Tok::As) { self.name() } else { m };
                    self.bind(bound, line);
                    self.ast.push_item(m.0, line);
                    self.ast.push_item(bound.0, line);
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                Stmt::Import(self.ast.finish(mark, line))
            }
            Tok::From => {
                self.advance();
                let m = self.relative_or_dotted_name();
                self.expect(Tok::Import);
                if self.eat(Tok::Star) {
                    let star = self.seq_of(&[crate::compile::ast::IMPORT_STAR, crate::compile::ast::IMPORT_STAR], line);
                    return Stmt::ImportFrom(m, star);
                }
                let paren = self.eat(Tok::LParen);
                let mark = self.ast.mark();
                loop {
                    let n = self.name();
                    let bound = if self.eat(Tok::As) { self.name() } else { n };
                    self.bind(bound, line);
                    self.ast.push_item(n.0, line);
                    self.ast.push_item(bound.0, line);
                    if !self.eat(Tok::Comma) || (paren && self.at(Tok::RParen)) {
                        break;
                    }
                }
                if paren {
                    self.expect(Tok::RParen);
                }
                Stmt::ImportFrom(m, self.ast.finish(mark, line))
            }
            _ => self.expr_statement(),
        }
    }

    fn at_end_of_statement(&self) -> bool {
        matches!(self.tok.tok, Tok::Newline | Tok::Semicolon | Tok::Eof)
    }

    /// `yield`, `yield value(s)` or `yield from iterable`.
    fn yield_expr(&mut self) -> ExprId {
        let line = self.line();
        self.expect(Tok::Yield);
        self.sym.mark_generator(self.cur, line).or_fail(self);
        if self.eat(Tok::From) {
            let e = self.test();
            return self.ast.add_expr(Expr::YieldFrom(e), line);
        }
        let v = if self.at_end_of_statement() || matches!(self.tok.tok, Tok::RParen | Tok::Assign) {
            crate::compile::ast::NO_EXPR
        } else {
            self.testlist()
        };
        self.ast.add_expr(Expr::Yield(v), line)
    }

    /// The right-hand side of an assignment: a yield or a testlist.
    fn value_list(&mut self) -> ExprId {
        if self.at(Tok::Yield) {
            return self.yield_expr();
        }
        self.testlist()
    }

    /// `x := 1` needs parentheses at the top of a statement or of `eval`.
    fn refuse_bare_walrus(&mut self) {
        if self.at(Tok::Name) && self.peek() == Tok::Walrus {
            self.failed(self.err(Msg::InvalidSyntax))
        }
    }

    fn expr_statement(&mut self) -> Stmt {
        let line = self.line();
        self.refuse_bare_walrus();
        let first = self.value_list();
        if self.at(Tok::Colon) && matches!(self.ast.expr(first), Expr::Name(_) | Expr::Attr(..) | Expr::Subscript(..)) {
            // `target: annotation [= value]`: the annotation is parsed, not kept.
            self.advance();
            self.test();
            if let Expr::Name(n) = self.ast.expr(first) {
                self.bind(n, line);
            }
            if !self.eat(Tok::Assign) {
                return match self.ast.expr(first) {
                    Expr::Name(n) => Stmt::Annotated(n),
                    _ => Stmt::Pass,
                };
            }
            let value = self.value_list();
            let mark = self.ast.mark();
            self.ast.push_item(first, line);
            let targets = self.ast.finish(mark, line);
            return Stmt::Assign(targets, value);
        }
        if let Some(op) = aug_op(self.tok.tok) {
            self.check_target(first, false);
            if matches!(self.ast.expr(first), Expr::Tuple(_) | Expr::List(_)) {
                return self.failed(self.err(Msg::IllegalExpressionForAugmentedAssignment));
            }
            self.advance();
            let value = self.value_list();
            return Stmt::AugAssign(first, op, value);
        }
        if !self.at(Tok::Assign) {
            return Stmt::Expr(first);
        }
        let mark = self.ast.mark();
        let mut last = first;
        while self.eat(Tok::Assign) {
            self.check_target(last, true);
            self.ast.push_item(last, line);
            last = self.value_list();
        }
        let targets = self.ast.finish(mark, line);
        Stmt::Assign(targets, last)
    }

    /// Can `e` be assigned to (or deleted)? Its names are bound here.
    fn check_target(&mut self, e: ExprId, allow_unpack: bool) {
        match self.ast.expr(e) {
            Expr::Name(n) => self.bind(n, self.tok.line),
            Expr::Attr(..) | Expr::Subscript(..) => (),
            Expr::Tuple(s) | Expr::List(s) if allow_unpack => {
                let mut starred = 0;
                for i in s.start..s.start + s.len {
                    let Some(&t) = self.ast.seqs.get(i as usize) else { break };
                    match self.ast.expr(t) {
                        Expr::Starred(inner) => {
                            starred += 1;
                            self.check_target(inner, true);
                        }
                        _ => self.check_target(t, true),
                    }
                }
                if starred > 1 {
                    self.failed(CompileError::syntax(Msg::MultipleStarXInAssignment, self.tok.line))
                }
            }
            _ => self.failed(CompileError::syntax(Msg::CantAssignToExpression, self.tok.line)),
        }
    }

    fn target_list(&mut self) -> ExprId {
        let line = self.line();
        let first = if self.at(Tok::Star) { self.star_or_test() } else { self.expr_no_cond() };
        if !self.at(Tok::Comma) {
            self.check_target(first, true);
            return first;
        }
        let mark = self.ast.mark();
        self.ast.push_item(first, line);
        while self.eat(Tok::Comma) {
            if self.at(Tok::In) {
                break;
            }
            let t = if self.at(Tok::Star) { self.star_or_test() } else { self.expr_no_cond() };
            self.ast.push_item(t, line);
        }
        let s = self.ast.finish(mark, line);
        let t = self.ast.add_expr(Expr::Tuple(s), line);
        self.check_target(t, true);
        t
    }

    // ---- expressions ----

    /// `a, b, c` (a tuple when there is a comma) or a single test.
    /// A test, or `*expr` where unpacking is allowed (tuples, lists, targets).
    fn star_or_test(&mut self) -> ExprId {
        if self.at(Tok::Star) {
            let line = self.line();
            self.advance();
            let e = self.expr_no_cond();
            return self.ast.add_expr(Expr::Starred(e), line);
        }
        self.test()
    }

    fn testlist(&mut self) -> ExprId {
        let line = self.line();
        let first = self.star_or_test();
        if !self.at(Tok::Comma) {
            return first;
        }
        let mark = self.ast.mark();
        self.ast.push_item(first, line);
        while self.eat(Tok::Comma) {
            if self.at_end_of_statement()
                || matches!(self.tok.tok, Tok::Assign | Tok::RParen | Tok::Colon)
                || aug_op(self.tok.tok).is_some()
            {
                break;
            }
            let e = self.star_or_test();
            self.ast.push_item(e, line);
        }
        let s = self.ast.finish(mark, line);
        self.ast.add_expr(Expr::Tuple(s), line)
    }

    pub fn test(&mut self) -> ExprId {
        self.enter();
        let r = self.test_inner();
        self.leave();
        r
    }

    fn test_inner(&mut self) -> ExprId {
        if self.at(Tok::Name) && self.peek() == Tok::Walrus {
            let line = self.line();
            let name = self.name();
            self.advance();
            let value = self.test();
            self.sym.walrus(self.cur, name, line).or_fail(self);
            return self.ast.add_expr(Expr::NamedExpr(name, value), line);
        }
        if self.at(Tok::Lambda) {
            let line = self.line();
            self.advance();
            let sig = self.parameters(Tok::Colon);
            self.expect(Tok::Colon);
            let outer = self.open_scope(Owner::Lambda(u32::MAX), sig.params, line);
            let body = self.test();
            let scope = core::mem::replace(&mut self.cur, outer);
            let id = self.ast.sigs.len() as u32;
            try_push(&mut self.ast.sigs, sig, line).or_fail(self);
            let e = self.ast.add_expr(Expr::Lambda(id, body), line);
            self.sym.scopes[scope].owner = Owner::Lambda(e);
            return e;
        }
        let body = self.or_test();
        if self.at(Tok::If) {
            let line = self.line();
            self.advance();
            let test = self.or_test();
            self.expect(Tok::Else);
            let orelse = self.test();
            return self.ast.add_expr(Expr::IfElse { test, body, orelse }, line);
        }
        body
    }

    fn or_test(&mut self) -> ExprId {
        let mut l = self.and_test();
        while self.at(Tok::Or) {
            self.advance();
            let r = self.and_test();
            l = self.expr(Expr::Or(l, r));
        }
        l
    }

    fn and_test(&mut self) -> ExprId {
        let mut l = self.not_test();
        while self.at(Tok::And) {
            self.advance();
            let r = self.not_test();
            l = self.expr(Expr::And(l, r));
        }
        l
    }

    fn not_test(&mut self) -> ExprId {
        if self.at(Tok::Not) {
            self.advance();
            self.enter();
            let e = self.not_test();
            self.leave();
            return self.expr(Expr::Unary(UnaryOp::Not, e));
        }
        self.comparison()
    }

    fn comp_op(&mut self) -> Option<BinOp> {
        let next_is_in = self.tok.tok == Tok::Not && self.peek() == Tok::In;
        let op = match self.tok.tok {
            Tok::Lt => BinOp::Lt,
            Tok::Gt => BinOp::Gt,
            Tok::EqEq => BinOp::Eq,
            Tok::NotEq => BinOp::Ne,
            Tok::Le => BinOp::Le,
            Tok::Ge => BinOp::Ge,
            Tok::In => BinOp::In,
            Tok::Not if next_is_in => {
                self.advance();
                BinOp::NotIn
            }
            Tok::Is => {
                if self.peek() == Tok::Not {
                    self.advance();
                    BinOp::IsNot
                } else {
                    BinOp::Is
                }
            }
            _ => return None,
        };
        self.advance();
        Some(op)
    }

    fn comparison(&mut self) -> ExprId {
        let line = self.line();
        let first = self.expr_no_cond();
        let Some(op) = self.comp_op() else { return first };
        let mark = self.ast.mark();
        let mut op = Some(op);
        while let Some(o) = op {
            let e = self.expr_no_cond();
            self.ast.push_item(o as u32, line);
            self.ast.push_item(e, line);
            op = self.comp_op();
        }
        let s = self.ast.finish(mark, line);
        self.ast.add_expr(Expr::Compare(first, s), line)
    }

    /// Binary operators by precedence climbing: `|` lowest, `* / // %` highest.
    fn expr_no_cond(&mut self) -> ExprId {
        self.binary(1)
    }

    fn binary(&mut self, min_prec: u8) -> ExprId {
        let mut l = self.factor();
        loop {
            let (op, prec) = match self.tok.tok {
                Tok::Pipe => (BinOp::Or, 1),
                Tok::Caret => (BinOp::Xor, 2),
                Tok::Amp => (BinOp::And, 3),
                Tok::LShift => (BinOp::LShift, 4),
                Tok::RShift => (BinOp::RShift, 4),
                Tok::Plus => (BinOp::Add, 5),
                Tok::Minus => (BinOp::Sub, 5),
                Tok::Star => (BinOp::Mul, 6),
                Tok::Slash => (BinOp::TrueDiv, 6),
                Tok::DoubleSlash => (BinOp::FloorDiv, 6),
                Tok::Percent => (BinOp::Mod, 6),
                Tok::At => (BinOp::MatMul, 6),
                _ => return l,
            };
            if prec < min_prec {
                return l;
            }
            self.advance();
            let r = self.binary(prec + 1);
            l = self.expr(Expr::Binary(op, l, r));
        }
    }

    fn factor(&mut self) -> ExprId {
        let op = match self.tok.tok {
            Tok::Plus => UnaryOp::Pos,
            Tok::Minus => UnaryOp::Neg,
            Tok::Tilde => UnaryOp::Invert,
            _ => return self.power(),
        };
        self.advance();
        self.enter();
        let e = self.factor();
        self.leave();
        // Fold `-<int literal>` so the most negative small int is expressible.
        if let (UnaryOp::Neg, Expr::Const(v)) = (op, self.ast.expr(e)) {
            if let Some(i) = v.as_small_int() {
                if let Some(n) = Value::try_small_int(-(i as i64)) {
                    return self.expr(Expr::Const(n));
                }
            }
        }
        self.expr(Expr::Unary(op, e))
    }

    fn power(&mut self) -> ExprId {
        let base = if crate::features::ASYNC && self.at(Tok::Await) {
            self.sym.mark_generator(self.cur, self.line()).or_fail(self);
            self.advance();
            let e = self.atom_expr();
            self.expr(Expr::Await(e))
        } else {
            self.atom_expr()
        };
        if self.at(Tok::DoubleStar) {
            self.advance();
            self.enter();
            let e = self.factor();
            self.leave();
            return self.expr(Expr::Binary(BinOp::Pow, base, e));
        }
        base
    }

    fn atom_expr(&mut self) -> ExprId {
        let mut e = self.atom();
        loop {
            let line = self.line();
            match self.tok.tok {
                Tok::LParen => {
                    self.advance();
                    e = self.call(e, line);
                }
                Tok::LBracket => {
                    self.advance();
                    let idx = self.subscript();
                    self.expect(Tok::RBracket);
                    e = self.ast.add_expr(Expr::Subscript(e, idx), line);
                }
                Tok::Dot => {
                    self.advance();
                    let n = self.name();
                    e = self.ast.add_expr(Expr::Attr(e, n), line);
                }
                _ => return e,
            }
        }
    }

    /// What goes between `[` and `]`: an index, a slice `lo:hi:step` with
    /// any part left out, or a tuple of those (`a[1:2, 3]`).
    fn subscript(&mut self) -> ExprId {
        let line = self.line();
        let first = self.subscript_item();
        if !self.at(Tok::Comma) {
            return first;
        }
        let mark = self.ast.mark();
        self.ast.push_item(first, line);
        while self.eat(Tok::Comma) {
            if self.at(Tok::RBracket) {
                break;
            }
            let e = self.subscript_item();
            self.ast.push_item(e, line);
        }
        let s = self.ast.finish(mark, line);
        self.ast.add_expr(Expr::Tuple(s), line)
    }

    fn subscript_item(&mut self) -> ExprId {
        let line = self.line();
        let lo = if self.at(Tok::Colon) { None } else { Some(self.star_or_test()) };
        // Without slices a colon here is a syntax error, as in MicroPython
        // built without them.
        if !crate::features::SLICE || !self.eat(Tok::Colon) {
            return lo.ok_or_else(|| self.err(Msg::InvalidSyntax)).or_fail(self);
        }
        let part = |p: &mut Self| -> Option<ExprId> {
            if matches!(p.tok.tok, Tok::Colon | Tok::RBracket | Tok::Comma) {
                None
            } else {
                Some(p.test())
            }
        };
        let hi = part(self);
        let step = if self.eat(Tok::Colon) { part(self) } else { None };
        self.ast.add_expr(Expr::Slice(lo, hi, step), line)
    }

    fn call(&mut self, func: ExprId, line: u32) -> ExprId {
        let mark = self.ast.mark();
        let mut kw: Vec<u32> = Vec::new();
        while !self.at(Tok::RParen) {
            if self.at(Tok::Name) && self.peek() == Tok::Assign {
                let n = self.name();
                self.advance();
                let v = self.test();
                try_push(&mut kw, n.0, line).or_fail(self);
                try_push(&mut kw, v, line).or_fail(self);
            } else if self.eat(Tok::DoubleStar) {
                let v = self.test();
                try_push(&mut kw, crate::compile::ast::DOUBLE_STAR, line).or_fail(self);
                try_push(&mut kw, v, line).or_fail(self);
            } else {
                let a = if self.eat(Tok::Star) {
                    // As MicroPython: `*args` may not follow keyword arguments.
                    if !kw.is_empty() {
                        return self.failed(self.err(Msg::InvalidSyntax));
                    }
                    let x = self.test();
                    self.ast.add_expr(Expr::Starred(x), line)
                } else {
                    if !kw.is_empty() {
                        return self.failed(self.err(Msg::PositionalArgumentFollowsKeywordArgument));
                    }
                    let comp = if self.comprehension_ahead() { Some(self.open_comprehension(true, line)) } else { None };
                    let a = self.test();
                    // f(x for x in y): a generator expression as the sole argument.
                    if self.at(Tok::For) {
                        let g = self.comprehension(
                            crate::compile::ast::CompKind::Gen,
                            a,
                            crate::compile::ast::NO_EXPR,
                            Tok::RParen,
                            line,
                            comp,
                        );
                        self.ast.push_item(g, line);
                        let args = self.ast.finish(mark, line);
                        let kwargs = self.seq_of(&kw, line);
                        return self.ast.add_expr(Expr::Call(func, args, kwargs), line);
                    }
                    a
                };
                self.ast.push_item(a, line);
            }
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.expect(Tok::RParen);
        let args = self.ast.finish(mark, line);
        let kwargs = self.seq_of(&kw, line);
        self.ast.add_expr(Expr::Call(func, args, kwargs), line)
    }

    fn atom(&mut self) -> ExprId {
        let line = self.line();
        let t = self.tok;
        match t.tok {
            Tok::Name => {
                let n = self.name();
                self.name_expr(n, line)
            }
            Tok::None => self.constant(Value::NONE),
            Tok::True => self.constant(Value::TRUE),
            Tok::False => self.constant(Value::FALSE),
            Tok::Ellipsis => self.constant(Value::ELLIPSIS),
            Tok::Int => {
                self.advance();
                let (radix, digits) = int_radix(self.lex.text(&t));
                let v = match crate::objects::int::parse_u64(digits, radix) {
                    Some(Some(u)) if u <= i64::MAX as u64 => {
                        or_return!(self, self.vm.int_value(u as i64).map_err(|_| CompileError::no_memory(line)))
                    }
                    // With 64-bit ints, a literal beyond them is not a number here.
                    _ if !crate::features::LONGINT => return self.failed(CompileError::syntax(Msg::InvalidSyntaxForNumber, line)),
                    _ => {
                        let big =
                            crate::objects::bignum::Big::parse(digits, radix).map_err(|_| CompileError::no_memory(line)).or_fail(self);
                        let big = or_return!(self, big.ok_or_else(|| CompileError::syntax(Msg::InvalidSyntaxForNumber, line)));
                        or_return!(self, self.vm.new_int_big(big).map_err(|_| CompileError::no_memory(line)))
                    }
                };
                self.ast.add_expr(Expr::Const(v), line)
            }
            Tok::Float if !crate::features::FLOAT => self.failed(self.err(Msg::DecimalNumbersNotSupported)),
            Tok::Float => {
                self.advance();
                let text = self.lex.text(&t);
                if crate::features::COMPLEX && text.last().is_some_and(|c| c | 0x20 == b'j') {
                    let im = crate::objects::float::parse_float(&text[..text.len() - 1])
                        .ok_or_else(|| CompileError::syntax(Msg::InvalidSyntaxForNumber, line))
                        .or_fail(self);
                    let v = or_return!(self, self.vm.new_complex(0.0, im).map_err(|_| CompileError::no_memory(line)));
                    return self.ast.add_expr(Expr::Const(v), line);
                }
                let f = crate::objects::float::parse_float(text)
                    .ok_or_else(|| CompileError::syntax(Msg::InvalidSyntaxForNumber, line))
                    .or_fail(self);
                let v = or_return!(self, self.vm.new_float(f).map_err(|_| CompileError::no_memory(line)));
                self.ast.add_expr(Expr::Const(v), line)
            }
            Tok::Str => self.strings(),
            Tok::LParen | Tok::LBracket | Tok::LBrace => {
                // The items are `test`s, which count the nesting.
                self.advance();
                self.bracketed(t.tok, line)
            }
            _ => self.failed(self.err(Msg::InvalidSyntax)),
        }
    }

    fn constant(&mut self, v: Value) -> ExprId {
        let line = self.line();
        self.advance();
        self.ast.add_expr(Expr::Const(v), line)
    }

    fn bracketed(&mut self, open: Tok, line: u32) -> ExprId {
        let close = match open {
            Tok::LParen => Tok::RParen,
            Tok::LBracket => Tok::RBracket,
            _ => Tok::RBrace,
        };
        let mark = self.ast.mark();
        let mut trailing_comma = false;
        let mut n = 0;
        let mut is_set = false;
        if open == Tok::LParen && self.at(Tok::Yield) {
            let y = self.yield_expr();
            self.expect(close);
            return y;
        }
        // A comprehension's element is read in its own scope.
        let comp =
            if !self.at(close) && self.comprehension_ahead() { Some(self.open_comprehension(open == Tok::LParen, line)) } else { None };
        while !self.at(close) {
            let e = if open == Tok::LBrace { self.test() } else { self.star_or_test() };
            // Without sets, `{x}` and `{x for ...}` fail at the missing `:`.
            if n == 0 && self.at(Tok::For) && (open != Tok::LBrace || crate::features::SET) {
                let kind = match open {
                    Tok::LBracket => crate::compile::ast::CompKind::List,
                    Tok::LParen => crate::compile::ast::CompKind::Gen,
                    _ => crate::compile::ast::CompKind::Set,
                };
                return self.comprehension(kind, e, crate::compile::ast::NO_EXPR, close, line, comp);
            }
            self.ast.push_item(e, line);
            if open == Tok::LBrace && crate::features::SET && (n == 0 && !self.at(Tok::Colon) || is_set) {
                is_set = true;
            } else if open == Tok::LBrace {
                self.expect(Tok::Colon);
                let v = self.test();
                if n == 0 && self.at(Tok::For) {
                    self.ast.finish(mark, line);
                    return self.comprehension(crate::compile::ast::CompKind::Dict, e, v, close, line, comp);
                }
                self.ast.push_item(v, line);
            }
            n += 1;
            trailing_comma = self.eat(Tok::Comma);
            if !trailing_comma {
                break;
            }
        }
        self.expect(close);
        if open == Tok::LParen && n == 1 && !trailing_comma {
            // (None pushed only when the tree has failed.)
            let inner = self.ast.items_since(mark).first().copied().unwrap_or(crate::compile::ast::NO_EXPR);
            self.ast.finish(mark, line);
            return inner;
        }
        let s = self.ast.finish(mark, line);
        let e = match open {
            Tok::LParen => Expr::Tuple(s),
            Tok::LBracket => Expr::List(s),
            _ if is_set => Expr::Set(s),
            _ => Expr::Dict(s),
        };
        self.ast.add_expr(e, line)
    }

    /// The `for ... in ... if ...` clauses after a comprehension's element;
    /// `outer` is the scope around the comprehension's (opened before the
    /// element was read).
    fn comprehension(
        &mut self,
        kind: crate::compile::ast::CompKind,
        elt: ExprId,
        value: ExprId,
        close: Tok,
        line: u32,
        outer: Option<usize>,
    ) -> ExprId {
        let outer = match outer {
            Some(o) => o,
            None => self.open_comprehension(kind == crate::compile::ast::CompKind::Gen, line),
        };
        let scope = self.cur;
        let gens = self.ast.mark();
        while self.eat(Tok::For) {
            let target = self.target_list();
            self.expect(Tok::In);
            // The first iterable is evaluated outside, and passed in as `.0`.
            if self.ast.items_since(gens).is_empty() {
                self.cur = outer;
            }
            let iter = self.or_test();
            self.cur = scope;
            let conds = self.ast.mark();
            while self.eat(Tok::If) {
                let c = self.or_test();
                self.ast.push_item(c, line);
            }
            let conds = self.ast.finish(conds, line);
            let g = self.ast.add_expr(Expr::CompFor(target, iter, conds), line);
            self.ast.push_item(g, line);
        }
        self.expect(close);
        let gens = self.ast.finish(gens, line);
        self.cur = outer;
        self.sym.check_comprehension(scope, line).or_fail(self);
        let e = self.ast.add_expr(Expr::Comp(kind, elt, value, gens), line);
        self.sym.scopes[scope].owner = Owner::Comp(e);
        e
    }

    /// Adjacent string literals, concatenated.
    fn strings(&mut self) -> ExprId {
        let line = self.line();
        let mut buf: Vec<u8> = Vec::new();
        let mut is_bytes = None;
        // f-strings become `"...{}...".format(e1, e2, ...)`, as MicroPython does.
        let mut fargs: Option<usize> = None;
        while self.at(Tok::Str) {
            let t = self.tok;
            self.advance();
            let text = self.lex.text(&t);
            let (prefix, body) = split_literal(text);
            let b = prefix.iter().any(|c| c | 0x20 == b'b');
            if is_bytes.is_some_and(|x| x != b) {
                return self.failed(CompileError::syntax(Msg::CannotMixBytesAndNonbytesLiterals, t.line));
            }
            is_bytes = Some(b);
            let is_f = crate::features::FSTRINGS && prefix.iter().any(|c| c | 0x20 == b'f');
            if is_f && fargs.is_none() {
                // Braces taken literally so far must survive `format`.
                let mut escaped = Vec::new();
                for &c in &buf {
                    try_push(&mut escaped, c, line).or_fail(self);
                    if c == b'{' || c == b'}' {
                        try_push(&mut escaped, c, line).or_fail(self);
                    }
                }
                buf = escaped;
                fargs = Some(self.ast.mark());
            }
            let raw = prefix.iter().any(|c| c | 0x20 == b'r');
            if is_f {
                self.fstring_body(body, raw, &mut buf, t.line);
            } else if fargs.is_some() {
                let mut tmp = Vec::new();
                decode_body(body, raw, b, &mut tmp, t.line).or_fail(self);
                for c in tmp {
                    try_push(&mut buf, c, line).or_fail(self);
                    if c == b'{' || c == b'}' {
                        try_push(&mut buf, c, line).or_fail(self);
                    }
                }
            } else {
                decode_body(body, raw, b, &mut buf, t.line).or_fail(self);
            }
        }
        let v = if is_bytes == Some(true) {
            self.vm.new_bytes(&buf)
        } else if (buf.len() <= 32 && buf.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_'))
            || (self.vm.names_for_all_strings() && buf.len() <= crate::objects::str::MAX_NAME)
        {
            self.vm.intern(&buf).map(Value::qstr)
        } else {
            self.vm.new_str(&buf)
        };
        let v = or_return!(self, v.map_err(|_: PyErr| CompileError::no_memory(line)));
        let c = self.ast.add_expr(Expr::Const(v), line);
        let Some(mark) = fargs else { return c };
        let args = self.ast.finish(mark, line);
        let f = self.ast.add_expr(Expr::Attr(c, crate::qstr::q::format), line);
        let kw = self.seq_of(&[], line);
        self.ast.add_expr(Expr::Call(f, args, kw), line)
    }

    /// Appends an f-string body to the format string in `buf`, pushing each
    /// replacement field's expression (and those nested in its spec) as
    /// call arguments.
    fn fstring_body(&mut self, body: &'s [u8], raw: bool, buf: &mut Vec<u8>, line: u32) {
        let mut i = 0;
        while i < body.len() {
            let c = body[i];
            if (c == b'{' || c == b'}') && body.get(i + 1) == Some(&c) {
                try_push(buf, c, line).or_fail(self);
                try_push(buf, c, line).or_fail(self);
                i += 2;
                continue;
            }
            if c == b'}' {
                return self.failed(CompileError::syntax(Msg::FStringSingleBraceIsNotAllowed, line));
            }
            if c != b'{' {
                let end = body[i..].iter().position(|&c| c == b'{' || c == b'}').map_or(body.len(), |n| i + n);
                let mut tmp = Vec::new();
                decode_body(&body[i..end], raw, false, &mut tmp, line).or_fail(self);
                for c in tmp {
                    try_push(buf, c, line).or_fail(self);
                    if c == b'{' || c == b'}' {
                        try_push(buf, c, line).or_fail(self);
                    }
                }
                i = end;
                continue;
            }
            let end = fstring_expr_end(body, i + 1);
            let mut src = &body[i + 1..end];
            // `{expr=}` also prints the expression's text, and repr by default.
            let t = src.trim_ascii_end();
            let self_doc = t.ends_with(b"=") && !t.ends_with(b"==") && !matches!(t.get(t.len().wrapping_sub(2)), Some(b'!' | b'<' | b'>'));
            if self_doc {
                for &c in src {
                    try_push(buf, c, line).or_fail(self);
                }
                src = &t[..t.len() - 1];
            }
            let e = self.fstring_expr(src, line);
            self.ast.push_item(e, line);
            try_push(buf, b'{', line).or_fail(self);
            i = end;
            if self_doc && !matches!(body.get(i), Some(b'!' | b':')) {
                try_push(buf, b'!', line).or_fail(self);
                try_push(buf, b'r', line).or_fail(self);
            }
            if body.get(i) == Some(&b'!') {
                try_push(buf, b'!', line).or_fail(self);
                if let Some(&conv) = body.get(i + 1) {
                    try_push(buf, conv, line).or_fail(self);
                }
                i += 2;
            }
            if body.get(i) == Some(&b':') {
                try_push(buf, b':', line).or_fail(self);
                i += 1;
                // The spec, with nested `{expr}` fields of its own.
                while i < body.len() && body[i] != b'}' {
                    if body[i] == b'{' {
                        let end = fstring_expr_end(body, i + 1);
                        let e = self.fstring_expr(&body[i + 1..end], line);
                        self.ast.push_item(e, line);
                        try_push(buf, b'{', line).or_fail(self);
                        try_push(buf, b'}', line).or_fail(self);
                        i = end + 1;
                    } else {
                        try_push(buf, body[i], line).or_fail(self);
                        i += 1;
                    }
                }
            }
            if body.get(i) != Some(&b'}') {
                return self.failed(CompileError::syntax(Msg::FStringExpectingBrace, line));
            }
            try_push(buf, b'}', line).or_fail(self);
            i += 1;
        }
    }

    /// Parses one f-string field's expression with a lexer of its own.
    fn fstring_expr(&mut self, src: &'s [u8], line: u32) -> ExprId {
        let src = src.trim_ascii();
        if src.is_empty() {
            return self.failed(CompileError::syntax(Msg::FStringEmptyExpressionNotAllowed, line));
        }
        let saved_lex = core::mem::replace(&mut self.lex, Lexer::new_expr(src, line));
        let saved_peek = self.peeked.take();
        let first = self.next_tok();
        let saved_tok = core::mem::replace(&mut self.tok, first);
        let e = self.testlist();
        if !matches!(self.tok.tok, Tok::Newline | Tok::Eof) {
            return self.failed(CompileError::syntax(Msg::InvalidSyntax, line));
        }
        self.lex = saved_lex;
        self.tok = saved_tok;
        self.peeked = saved_peek;
        e
    }
}

impl KeepsError for Parser<'_, '_> {
    fn keep(&mut self, e: CompileError) {
        self.fail(e);
    }
}

fn aug_op(t: Tok) -> Option<BinOp> {
    Some(match t {
        Tok::PlusEq => BinOp::Add,
        Tok::MinusEq => BinOp::Sub,
        Tok::StarEq => BinOp::Mul,
        Tok::SlashEq => BinOp::TrueDiv,
        Tok::DoubleSlashEq => BinOp::FloorDiv,
        Tok::PercentEq => BinOp::Mod,
        Tok::AtEq => BinOp::MatMul,
        Tok::AmpEq => BinOp::And,
        Tok::PipeEq => BinOp::Or,
        Tok::CaretEq => BinOp::Xor,
        Tok::LShiftEq => BinOp::LShift,
        Tok::RShiftEq => BinOp::RShift,
        Tok::DoubleStarEq => BinOp::Pow,
        _ => return None,
    })
}

/// An int literal in any base, `_` separators allowed; `None` if it does not
/// fit a small int.
fn int_radix(text: &[u8]) -> (u32, &[u8]) {
    match text {
        [b'0', b'x' | b'X', rest @ ..] => (16, rest),
        [b'0', b'o' | b'O', rest @ ..] => (8, rest),
        [b'0', b'b' | b'B', rest @ ..] => (2, rest),
        _ => (10, text),
    }
}

/// A string token's prefix letters and the text between its quotes.
fn split_literal(text: &[u8]) -> (&[u8], &[u8]) {
    let quote_at = text.iter().position(|&c| c == b'\'' || c == b'"').unwrap_or(0);
    let q = text[quote_at];
    let qlen = if text.len() >= quote_at + 6 && text[quote_at + 1] == q && text[quote_at + 2] == q { 3 } else { 1 };
    (&text[..quote_at], &text[quote_at + qlen..text.len() - qlen])
}

/// Where an f-string replacement field's expression ends: the first `!`,
/// `:` or `}` outside brackets and string quotes.
fn fstring_expr_end(body: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    let mut quote = 0u8;
    while i < body.len() {
        let c = body[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else {
            match c {
                b'\'' | b'"' => quote = c,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' => depth -= 1,
                b'}' if depth > 0 => depth -= 1,
                b'!' if depth == 0 && body.get(i + 1) != Some(&b'=') => return i,
                b':' | b'}' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    i
}

fn decode_body(body: &[u8], raw: bool, bytes: bool, out: &mut Vec<u8>, line: u32) -> CResult<()> {
    let push = |out: &mut Vec<u8>, b: &[u8]| -> CResult<()> {
        out.try_reserve(b.len()).map_err(|_| CompileError::no_memory(line))?;
        out.extend_from_slice(b);
        Ok(())
    };
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c != b'\\' || raw {
            if bytes && c >= 0x80 {
                return Err(CompileError::syntax(Msg::BytesCanOnlyContainASCIILiteralCharacters, line));
            }
            push(out, &[c])?;
            i += 1;
            continue;
        }
        let e = body.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let simple = match e {
            b'\n' => Some(None),
            b'\\' => Some(Some(b'\\')),
            b'\'' => Some(Some(b'\'')),
            b'"' => Some(Some(b'"')),
            b'a' => Some(Some(7)),
            b'b' => Some(Some(8)),
            b'f' => Some(Some(12)),
            b'n' => Some(Some(b'\n')),
            b'r' => Some(Some(b'\r')),
            b't' => Some(Some(b'\t')),
            b'v' => Some(Some(11)),
            _ => None,
        };
        if let Some(ch) = simple {
            if let Some(ch) = ch {
                push(out, &[ch])?;
            }
            continue;
        }
        let (radix, max_digits) = match e {
            b'x' => (16, 2),
            b'0'..=b'7' => {
                i -= 1;
                (8, 3)
            }
            b'u' if !bytes => (16, 4),
            b'U' if !bytes => (16, 8),
            _ => {
                // Unknown escapes stay as written.
                push(out, &[b'\\', e])?;
                continue;
            }
        };
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max_digits {
            match body.get(i).and_then(|&c| (c as char).to_digit(radix)) {
                Some(d) => {
                    v = v * radix + d;
                    i += 1;
                    n += 1;
                }
                None => break,
            }
        }
        if n == 0 || (radix == 16 && n != max_digits) {
            return Err(CompileError::syntax(Msg::InvalidEscapeSequence, line));
        }
        if bytes || v < 0x80 {
            push(out, &[v as u8])?;
        } else {
            let ch = char::from_u32(v).ok_or_else(|| CompileError::syntax(Msg::InvalidEscapeSequence, line))?;
            let mut tmp = [0u8; 4];
            push(out, ch.encode_utf8(&mut tmp).as_bytes())?;
        }
    }
    Ok(())
}
