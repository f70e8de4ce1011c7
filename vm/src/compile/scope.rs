//! Which names a function binds locally: its parameters and every name it
//! assigns (minus those declared `global`). Nested function bodies are their
//! own scopes and are not looked into.

use super::ast::{Ast, Expr, ExprId, Seq, Stmt};
use super::{try_push, CResult};
use crate::qstr::Qstr;
use alloc::vec::Vec;

#[derive(Default)]
pub struct Scope {
    /// Parameters first, in order, then the other locals.
    pub locals: Vec<Qstr>,
    pub globals: Vec<Qstr>,
}

impl Scope {
    /// `params` in frame order (positional, `*args`, keyword-only, `**kwargs`).
    pub fn for_function(ast: &Ast, params: Seq, body: Seq) -> CResult<Scope> {
        let mut s = Scope::default();
        for &p in ast.seq(params) {
            s.add_local(Qstr(p), 0)?;
        }
        // Globals first, so a later assignment does not make the name local.
        s.find_globals(ast, body)?;
        s.find_assigned(ast, body)?;
        Ok(s)
    }

    pub fn local(&self, q: Qstr) -> Option<usize> {
        self.locals.iter().position(|&l| l == q)
    }

    fn add_local(&mut self, q: Qstr, line: u32) -> CResult<()> {
        if self.local(q).is_none() && !self.globals.contains(&q) {
            try_push(&mut self.locals, q, line)?;
        }
        Ok(())
    }

    fn find_globals(&mut self, ast: &Ast, body: Seq) -> CResult<()> {
        for &id in ast.seq(body) {
            let (stmt, line) = ast.stmt(id);
            match stmt {
                Stmt::Global(names) => {
                    for &n in ast.seq(names) {
                        try_push(&mut self.globals, Qstr(n), line)?;
                    }
                }
                Stmt::If { body, orelse, .. } | Stmt::While { body, orelse, .. } | Stmt::For { body, orelse, .. } => {
                    self.find_globals(ast, body)?;
                    self.find_globals(ast, orelse)?;
                }
                Stmt::Try { body, handlers, orelse, finalbody } => {
                    for s in [body, handlers, orelse, finalbody] {
                        self.find_globals(ast, s)?;
                    }
                }
                Stmt::ExceptHandler { body, .. } => self.find_globals(ast, body)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn find_assigned(&mut self, ast: &Ast, body: Seq) -> CResult<()> {
        for &id in ast.seq(body) {
            let (stmt, line) = ast.stmt(id);
            match stmt {
                Stmt::Assign(targets, _) => {
                    for &t in ast.seq(targets) {
                        self.target(ast, t, line)?;
                    }
                }
                Stmt::AugAssign(t, _, _) => self.target(ast, t, line)?,
                Stmt::For { target, body, orelse, .. } => {
                    self.target(ast, target, line)?;
                    self.find_assigned(ast, body)?;
                    self.find_assigned(ast, orelse)?;
                }
                Stmt::If { body, orelse, .. } | Stmt::While { body, orelse, .. } => {
                    self.find_assigned(ast, body)?;
                    self.find_assigned(ast, orelse)?;
                }
                Stmt::Def { name, .. } => self.add_local(name, line)?,
                Stmt::Try { body, handlers, orelse, finalbody } => {
                    for s in [body, handlers, orelse, finalbody] {
                        self.find_assigned(ast, s)?;
                    }
                }
                Stmt::ExceptHandler { name, body, .. } => {
                    if let Some(n) = name {
                        self.add_local(n, line)?;
                    }
                    self.find_assigned(ast, body)?;
                }
                Stmt::Import(pairs) | Stmt::ImportFrom(_, pairs) => {
                    for pair in ast.seq(pairs).chunks(2) {
                        self.add_local(Qstr(pair[1]), line)?;
                    }
                }
                Stmt::Del(targets) => {
                    for &t in ast.seq(targets) {
                        self.target(ast, t, line)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn target(&mut self, ast: &Ast, t: ExprId, line: u32) -> CResult<()> {
        match ast.expr(t) {
            Expr::Name(q) => self.add_local(q, line),
            Expr::Tuple(s) | Expr::List(s) => {
                for &e in ast.seq(s) {
                    self.target(ast, e, line)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
