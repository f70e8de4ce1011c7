//! The symbol table: one scope per module, function, lambda and
//! comprehension, made in one pass over the AST before code is generated.
//! Afterwards every name a function uses that one of its enclosing functions
//! binds is resolved: the binder keeps it in a cell, and each scope on the
//! way down receives the cell in its closure (as CPython's symtable does).

use super::ast::{Ast, Expr, ExprId, Seq, Signature, Stmt, NO_EXPR};
use super::{try_push, CResult, CompileError, Msg};
use crate::qstr::{q, Qstr};
use alloc::vec::Vec;

/// The AST node a scope belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Module,
    Def(u32),
    Lambda(ExprId),
    Comp(ExprId),
    /// A class body: its names go to the class namespace, and the functions
    /// inside it do not see them.
    Class(u32),
}

pub struct Scope {
    pub owner: Owner,
    pub parent: Option<usize>,
    /// Parameters first, in frame order, then the other locals.
    pub locals: Vec<Qstr>,
    pub globals: Vec<Qstr>,
    pub nonlocals: Vec<Qstr>,
    /// Every name read, written or deleted here.
    pub used: Vec<Qstr>,
    /// Locals that inner scopes use: they live in cells.
    pub cells: Vec<Qstr>,
    /// Names from enclosing functions, in closure order; their frame slots
    /// follow the locals.
    pub frees: Vec<Qstr>,
    /// Contains `yield`: calling it makes a generator.
    pub generator: bool,
}

/// Where a name lives, for the code generator.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A frame slot holding the value.
    Fast(usize),
    /// A frame slot holding a cell that holds the value.
    Deref(usize),
    Global,
    /// Module level: the namespace dict.
    Name,
}

impl Scope {
    fn new(owner: Owner, parent: Option<usize>) -> Scope {
        Scope {
            owner,
            parent,
            locals: Vec::new(),
            globals: Vec::new(),
            nonlocals: Vec::new(),
            used: Vec::new(),
            cells: Vec::new(),
            frees: Vec::new(),
            generator: false,
        }
    }

    pub fn is_module(&self) -> bool {
        self.owner == Owner::Module
    }

    pub fn is_class(&self) -> bool {
        matches!(self.owner, Owner::Class(_))
    }

    pub fn resolve(&self, name: Qstr) -> Slot {
        if self.is_module() {
            return Slot::Name;
        }
        if self.is_class() {
            return match self.frees.iter().position(|&f| f == name) {
                Some(i) if !self.used_as_store(name) => Slot::Deref(i),
                _ => Slot::Name,
            };
        }
        if self.globals.contains(&name) {
            return Slot::Global;
        }
        if let Some(i) = self.frees.iter().position(|&f| f == name) {
            return Slot::Deref(self.locals.len() + i);
        }
        match self.locals.iter().position(|&l| l == name) {
            Some(i) if self.cells.contains(&name) => Slot::Deref(i),
            Some(i) => Slot::Fast(i),
            None => Slot::Global,
        }
    }

    /// A class body that assigns a name keeps it in its namespace.
    fn used_as_store(&self, name: Qstr) -> bool {
        self.locals.contains(&name)
    }

    /// Frame slots: the locals, then the closure's cells. A class body's
    /// bound names live in its namespace, so it has no local slots.
    pub fn n_slots(&self) -> usize {
        if self.is_class() {
            return self.frees.len();
        }
        self.locals.len() + self.frees.len()
    }

    /// Binds a name in a function scope (module names live in a dict).
    fn bind(&mut self, name: Qstr, line: u32) -> CResult<()> {
        if self.is_module() || self.globals.contains(&name) || self.nonlocals.contains(&name) || self.locals.contains(&name) {
            return Ok(());
        }
        try_push(&mut self.locals, name, line)
    }
}

fn add_unique(v: &mut Vec<Qstr>, name: Qstr, line: u32) -> CResult<()> {
    if !v.contains(&name) {
        try_push(v, name, line)?;
    }
    Ok(())
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    depth: usize,
    limit: usize,
}

impl SymbolTable {
    /// The table for a module whose statements are `body`.
    pub fn build(ast: &Ast, body: Seq, limit: usize) -> CResult<SymbolTable> {
        let mut t = SymbolTable { scopes: Vec::new(), depth: 0, limit };
        try_push(&mut t.scopes, Scope::new(Owner::Module, None), 0)?;
        t.visit_body(ast, body, 0)?;
        t.resolve()?;
        Ok(t)
    }

    pub fn find(&self, owner: Owner) -> usize {
        self.scopes.iter().position(|s| s.owner == owner).unwrap_or(0)
    }

    fn new_scope(&mut self, owner: Owner, parent: usize, params: &[u32], line: u32) -> CResult<usize> {
        let mut s = Scope::new(owner, Some(parent));
        for &p in params {
            if s.locals.contains(&Qstr(p)) {
                return Err(CompileError::syntax(Msg::DuplicateArgumentInFunctionDefinition, line));
            }
            try_push(&mut s.locals, Qstr(p), line)?;
        }
        try_push(&mut self.scopes, s, line)?;
        Ok(self.scopes.len() - 1)
    }

    fn use_name(&mut self, s: usize, name: Qstr, line: u32) -> CResult<()> {
        add_unique(&mut self.scopes[s].used, name, line)
    }

    /// A body's statements, after its `global`/`nonlocal` declarations
    /// (which govern the whole body, wherever they stand).
    fn visit_body(&mut self, ast: &Ast, body: Seq, s: usize) -> CResult<()> {
        self.declarations(ast, body, s)?;
        self.visit_stmts(ast, body, s)
    }

    fn declarations(&mut self, ast: &Ast, body: Seq, s: usize) -> CResult<()> {
        for &id in ast.seq(body) {
            let (stmt, line) = ast.stmt(id);
            match stmt {
                // Declarations come before the body's bindings are seen, so
                // the locals so far are the parameters.
                Stmt::Global(names) => {
                    for &n in ast.seq(names) {
                        let sc = &self.scopes[s];
                        if sc.locals.contains(&Qstr(n)) {
                            return Err(CompileError::syntax(Msg::NameIsParameterAndGlobal, line));
                        }
                        if sc.nonlocals.contains(&Qstr(n)) {
                            return Err(CompileError::syntax(Msg::NameIsNonlocalAndGlobal, line));
                        }
                        add_unique(&mut self.scopes[s].globals, Qstr(n), line)?;
                    }
                }
                Stmt::Nonlocal(names) => {
                    if self.scopes[s].is_module() {
                        return Err(CompileError::syntax(Msg::NonlocalDeclarationNotAllowedAtModuleLevel, line));
                    }
                    for &n in ast.seq(names) {
                        let sc = &self.scopes[s];
                        if sc.locals.contains(&Qstr(n)) {
                            return Err(CompileError::syntax(Msg::NameIsParameterAndNonlocal, line));
                        }
                        if sc.globals.contains(&Qstr(n)) {
                            return Err(CompileError::syntax(Msg::NameIsNonlocalAndGlobal, line));
                        }
                        add_unique(&mut self.scopes[s].nonlocals, Qstr(n), line)?;
                    }
                }
                Stmt::If { body, orelse, .. } | Stmt::While { body, orelse, .. } | Stmt::For { body, orelse, .. } => {
                    self.declarations(ast, body, s)?;
                    self.declarations(ast, orelse, s)?;
                }
                Stmt::Try { body, handlers, orelse, finalbody } => {
                    for part in [body, handlers, orelse, finalbody] {
                        self.declarations(ast, part, s)?;
                    }
                }
                Stmt::ExceptHandler { body, .. } | Stmt::With { body, .. } => self.declarations(ast, body, s)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn visit_stmts(&mut self, ast: &Ast, body: Seq, s: usize) -> CResult<()> {
        for &id in ast.seq(body) {
            self.visit_stmt(ast, id, s)?;
        }
        Ok(())
    }

    fn visit_stmt(&mut self, ast: &Ast, id: u32, s: usize) -> CResult<()> {
        let (stmt, line) = ast.stmt(id);
        match stmt {
            Stmt::Expr(e) | Stmt::Return(Some(e)) => self.visit_expr(ast, e, s, line)?,
            Stmt::Assign(targets, value) => {
                self.visit_expr(ast, value, s, line)?;
                for &t in ast.seq(targets) {
                    self.visit_target(ast, t, s, line)?;
                }
            }
            Stmt::AugAssign(target, _, value) => {
                self.visit_expr(ast, value, s, line)?;
                self.visit_target(ast, target, s, line)?;
            }
            Stmt::If { test, body, orelse } | Stmt::While { test, body, orelse } => {
                self.visit_expr(ast, test, s, line)?;
                self.visit_stmts(ast, body, s)?;
                self.visit_stmts(ast, orelse, s)?;
            }
            Stmt::For { target, iter, body, orelse } => {
                self.visit_expr(ast, iter, s, line)?;
                self.visit_target(ast, target, s, line)?;
                self.visit_stmts(ast, body, s)?;
                self.visit_stmts(ast, orelse, s)?;
            }
            Stmt::Class { name, bases, body, decorators } => {
                for &x in ast.seq(decorators).iter().chain(ast.seq(bases)) {
                    self.visit_expr(ast, x, s, line)?;
                }
                self.scopes[s].bind(name, line)?;
                self.use_name(s, name, line)?;
                let child = self.new_scope(Owner::Class(id), s, &[], line)?;
                self.visit_body(ast, body, child)?;
            }
            Stmt::Def { name, sig, body, decorators, is_async } => {
                for &x in ast.seq(decorators) {
                    self.visit_expr(ast, x, s, line)?;
                }
                self.visit_defaults(ast, &sig, s, line)?;
                self.scopes[s].bind(name, line)?;
                self.use_name(s, name, line)?;
                let child = self.new_scope(Owner::Def(id), s, ast.seq(sig.params), line)?;
                self.scopes[child].generator |= is_async;
                self.visit_body(ast, body, child)?;
            }
            Stmt::Import(pairs) | Stmt::ImportFrom(_, pairs) => {
                for pair in ast.seq(pairs).chunks(2) {
                    self.scopes[s].bind(Qstr(pair[1]), line)?;
                    self.use_name(s, Qstr(pair[1]), line)?;
                }
            }
            Stmt::Raise(e, cause) => {
                for x in [e, cause].into_iter().flatten() {
                    self.visit_expr(ast, x, s, line)?;
                }
            }
            Stmt::Assert(test, msg) => {
                self.visit_expr(ast, test, s, line)?;
                if let Some(m) = msg {
                    self.visit_expr(ast, m, s, line)?;
                }
            }
            Stmt::Del(targets) => {
                for &t in ast.seq(targets) {
                    self.visit_target(ast, t, s, line)?;
                }
            }
            Stmt::Try { body, handlers, orelse, finalbody } => {
                for part in [body, handlers, orelse, finalbody] {
                    self.visit_stmts(ast, part, s)?;
                }
            }
            Stmt::With { items, body } => {
                for pair in ast.seq(items).chunks(2) {
                    self.visit_expr(ast, pair[0], s, line)?;
                    if pair[1] != NO_EXPR {
                        self.visit_target(ast, pair[1], s, line)?;
                    }
                }
                self.visit_stmts(ast, body, s)?;
            }
            Stmt::ExceptHandler { ty, name, body } => {
                if let Some(t) = ty {
                    self.visit_expr(ast, t, s, line)?;
                }
                if let Some(n) = name {
                    self.scopes[s].bind(n, line)?;
                    self.use_name(s, n, line)?;
                }
                self.visit_stmts(ast, body, s)?;
            }
            Stmt::Annotated(n) => self.scopes[s].bind(n, line)?,
            Stmt::Return(None) | Stmt::Pass | Stmt::Break | Stmt::Continue | Stmt::Global(_) | Stmt::Nonlocal(_) => {}
        }
        Ok(())
    }

    fn visit_defaults(&mut self, ast: &Ast, sig: &Signature, s: usize, line: u32) -> CResult<()> {
        for &d in ast.seq(sig.defaults) {
            self.visit_expr(ast, d, s, line)?;
        }
        for pair in ast.seq(sig.kwdefaults).chunks(2) {
            self.visit_expr(ast, pair[1], s, line)?;
        }
        Ok(())
    }

    fn visit_target(&mut self, ast: &Ast, t: ExprId, s: usize, line: u32) -> CResult<()> {
        match ast.expr(t) {
            Expr::Starred(inner) => self.visit_target(ast, inner, s, line),
            Expr::Name(n) => {
                self.scopes[s].bind(n, line)?;
                self.use_name(s, n, line)
            }
            Expr::Tuple(items) | Expr::List(items) => {
                for &i in ast.seq(items) {
                    self.visit_target(ast, i, s, line)?;
                }
                Ok(())
            }
            _ => self.visit_expr(ast, t, s, line),
        }
    }

    fn visit_expr(&mut self, ast: &Ast, e: ExprId, s: usize, line: u32) -> CResult<()> {
        if e == NO_EXPR {
            return Ok(());
        }
        self.depth += 1;
        if self.depth > self.limit * 2 {
            return Err(CompileError::syntax(Msg::TooDeeplyNested, line));
        }
        let r = self.visit_expr_inner(ast, e, s, line);
        self.depth -= 1;
        r
    }

    fn visit_expr_inner(&mut self, ast: &Ast, e: ExprId, s: usize, line: u32) -> CResult<()> {
        match ast.expr(e) {
            Expr::Const(_) => Ok(()),
            Expr::Name(n) => self.use_name(s, n, line),
            Expr::Binary(..) => {
                // Long operator chains are left-deep: walk the spine, not recursion.
                let mut cur = e;
                while let Expr::Binary(_, l, r) = ast.expr(cur) {
                    self.visit_expr(ast, r, s, line)?;
                    cur = l;
                }
                self.visit_expr(ast, cur, s, line)
            }
            Expr::Unary(_, x) | Expr::Attr(x, _) | Expr::Starred(x) => self.visit_expr(ast, x, s, line),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Subscript(a, b) => {
                self.visit_expr(ast, a, s, line)?;
                self.visit_expr(ast, b, s, line)
            }
            Expr::Compare(first, pairs) => {
                self.visit_expr(ast, first, s, line)?;
                for pair in ast.seq(pairs).chunks(2) {
                    self.visit_expr(ast, pair[1], s, line)?;
                }
                Ok(())
            }
            Expr::IfElse { test, body, orelse } => {
                for x in [test, body, orelse] {
                    self.visit_expr(ast, x, s, line)?;
                }
                Ok(())
            }
            Expr::Call(f, args, kw) => {
                self.visit_expr(ast, f, s, line)?;
                for &a in ast.seq(args) {
                    self.visit_expr(ast, a, s, line)?;
                }
                for pair in ast.seq(kw).chunks(2) {
                    self.visit_expr(ast, pair[1], s, line)?;
                }
                Ok(())
            }
            Expr::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.visit_expr(ast, x, s, line)?;
                }
                Ok(())
            }
            Expr::Tuple(items) | Expr::List(items) | Expr::Dict(items) | Expr::Set(items) => {
                for &i in ast.seq(items) {
                    self.visit_expr(ast, i, s, line)?;
                }
                Ok(())
            }
            Expr::Lambda(sig, body) => {
                let sig = ast.sigs[sig as usize];
                self.visit_defaults(ast, &sig, s, line)?;
                let child = self.new_scope(Owner::Lambda(e), s, ast.seq(sig.params), line)?;
                self.visit_expr(ast, body, child, line)
            }
            Expr::Comp(_, elt, value, gens) => {
                // The first iterable is evaluated outside, and passed in as `.0`.
                let gens = ast.seq(gens);
                if let Some(Expr::CompFor(_, iter, _)) = gens.first().map(|&g| ast.expr(g)) {
                    self.visit_expr(ast, iter, s, line)?;
                }
                let child = self.new_scope(Owner::Comp(e), s, &[q::COMP_ITER.0], line)?;
                self.scopes[child].bind(q::COMP_RESULT, line)?;
                if matches!(ast.expr(e), Expr::Comp(super::ast::CompKind::Gen, ..)) {
                    self.scopes[child].generator = true;
                }
                for (k, &g) in gens.iter().enumerate() {
                    let Expr::CompFor(target, iter, conds) = ast.expr(g) else { continue };
                    if k > 0 {
                        self.visit_expr(ast, iter, child, line)?;
                    }
                    self.visit_target(ast, target, child, line)?;
                    for &c in ast.seq(conds) {
                        self.visit_expr(ast, c, child, line)?;
                    }
                }
                self.visit_expr(ast, elt, child, line)?;
                self.visit_expr(ast, value, child, line)
            }
            Expr::CompFor(..) => Ok(()),
            Expr::NamedExpr(n, v) => {
                self.visit_expr(ast, v, s, line)?;
                // In a comprehension, `:=` binds in the enclosing function or
                // module; the comprehensions in between reach it as nonlocal.
                let mut t = s;
                while let (Owner::Comp(_), Some(p)) = (self.scopes[t].owner, self.scopes[t].parent) {
                    t = p;
                }
                if t != s {
                    if self.scopes[s].locals.contains(&n) {
                        return Err(CompileError::syntax(Msg::CantRebindComprehensionIterationVariable, line));
                    }
                    self.scopes[t].bind(n, line)?;
                    self.use_name(t, n, line)?;
                    let module = self.scopes[t].is_module() || self.scopes[t].globals.contains(&n);
                    let mut c = s;
                    while c != t {
                        let sc = &mut self.scopes[c];
                        let list = if module { &mut sc.globals } else { &mut sc.nonlocals };
                        if !list.contains(&n) {
                            try_push(list, n, line)?;
                        }
                        c = sc.parent.unwrap_or(t);
                    }
                } else {
                    self.scopes[s].bind(n, line)?;
                }
                self.use_name(s, n, line)
            }
            Expr::Yield(v) | Expr::YieldFrom(v) | Expr::Await(v) => {
                let sc = &mut self.scopes[s];
                if sc.is_module() || sc.is_class() {
                    return Err(CompileError::syntax(Msg::YieldOutsideFunction, line));
                }
                sc.generator = true;
                self.visit_expr(ast, v, s, line)
            }
        }
    }

    /// Finds, for each name a function uses but does not bind, the
    /// enclosing function that binds it.
    fn resolve(&mut self) -> CResult<()> {
        for s in 1..self.scopes.len() {
            let mut i = 0;
            while i < self.scopes[s].used.len() + self.scopes[s].nonlocals.len() {
                let n_used = self.scopes[s].used.len();
                let name = if i < n_used { self.scopes[s].used[i] } else { self.scopes[s].nonlocals[i - n_used] };
                i += 1;
                let here = &self.scopes[s];
                if here.globals.contains(&name) || (here.locals.contains(&name) && !here.nonlocals.contains(&name) && !here.is_class()) {
                    continue;
                }
                let mut path = [0usize; 32];
                let mut n_path = 0;
                let mut cur = Some(s);
                let mut binder = None;
                while let Some(c) = cur {
                    let sc = &self.scopes[c];
                    if sc.is_module() {
                        break;
                    }
                    if c != s && !sc.is_class() && sc.locals.contains(&name) && !sc.nonlocals.contains(&name) && !sc.globals.contains(&name)
                    {
                        binder = Some(c);
                        break;
                    }
                    if n_path == path.len() {
                        return Err(CompileError::syntax(Msg::TooDeeplyNested, 0));
                    }
                    path[n_path] = c;
                    n_path += 1;
                    cur = sc.parent;
                }
                match binder {
                    Some(b) => {
                        add_unique(&mut self.scopes[b].cells, name, 0)?;
                        for &p in &path[..n_path] {
                            add_unique(&mut self.scopes[p].frees, name, 0)?;
                        }
                    }
                    None if self.scopes[s].nonlocals.contains(&name) => {
                        return Err(CompileError::syntax(Msg::NoBindingForNonlocalFound, 0));
                    }
                    None => {}
                }
            }
        }
        Ok(())
    }
}
