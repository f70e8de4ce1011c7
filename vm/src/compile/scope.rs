//! The symbol table: one scope per module, function, lambda, class and
//! comprehension, filled by the parser as it reads the source. Afterwards
//! every name a function uses that one of its enclosing functions binds is
//! resolved: the binder keeps it in a cell, and each scope on the way down
//! receives the cell in its closure (as CPython's symtable does).

use super::ast::ExprId;
use super::{try_push, CResult, CompileError, Msg};
use crate::qstr::Qstr;
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
    /// How many of the locals are parameters.
    pub n_params: usize,
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
            n_params: 0,
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
    /// (A comprehension's declarations come only from `:=` inside it,
    /// which may not rebind its own variables: those are kept, for
    /// `check_comprehension` to find.)
    fn bind(&mut self, name: Qstr, line: u32) -> CResult<()> {
        let declared = self.globals.contains(&name) || self.nonlocals.contains(&name);
        if self.is_module() || declared && !matches!(self.owner, Owner::Comp(_)) || self.locals.contains(&name) {
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

#[derive(Default)]
pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    /// Names bound by `:=` directly in a comprehension, with its scope.
    walrus: Vec<(usize, Qstr)>,
}

/// The parser fills the table as it reads (see `Parser::scope`): a scope
/// opens at each `def`, `lambda`, `class` and comprehension, names used and
/// bound are noted in the scope being read, and `finish` settles the rest.
/// One pass over the source, and no walk of the tree afterwards.
impl SymbolTable {
    /// The module's scope, the first.
    pub fn open_module(&mut self) -> CResult<()> {
        self.push(Scope::new(Owner::Module, None), 0)
    }

    /// One scope at a time: a scope is some 100 bytes (twice that on a
    /// 64-bit host), in the small heap where the tree and the parser's own
    /// buffers are growing meanwhile.
    fn push(&mut self, s: Scope, line: u32) -> CResult<()> {
        self.scopes.try_reserve_exact(1).map_err(|_| CompileError::no_memory(line))?;
        self.scopes.push(s);
        Ok(())
    }

    /// Forgets every scope but the module's, and what the module's noted
    /// (nothing resolves through it: its names are globals). For compiling
    /// a file a top-level statement at a time.
    pub fn forget_statements(&mut self) {
        self.scopes.truncate(1);
        if let Some(m) = self.scopes.first_mut() {
            *m = Scope::new(Owner::Module, None);
        }
        self.walrus.clear();
    }

    pub fn find(&self, owner: Owner) -> usize {
        self.scopes.iter().position(|s| s.owner == owner).unwrap_or(0)
    }

    /// A scope inside `parent` whose frame starts with `params`. The
    /// parser gives the owner's kind now and its node once made.
    pub fn new_scope(&mut self, owner: Owner, parent: usize, params: &[u32], line: u32) -> CResult<usize> {
        let mut s = Scope::new(owner, Some(parent));
        for &p in params {
            if s.locals.contains(&Qstr(p)) {
                return Err(CompileError::syntax(Msg::DuplicateArgumentInFunctionDefinition, line));
            }
            try_push(&mut s.locals, Qstr(p), line)?;
        }
        s.n_params = params.len();
        self.push(s, line)?;
        Ok(self.scopes.len() - 1)
    }

    pub fn use_name(&mut self, s: usize, name: Qstr, line: u32) -> CResult<()> {
        add_unique(&mut self.scopes[s].used, name, line)
    }

    /// `name` is assigned (or deleted, imported, defined) in scope `s`.
    pub fn bind(&mut self, s: usize, name: Qstr, line: u32) -> CResult<()> {
        self.scopes[s].bind(name, line)?;
        self.use_name(s, name, line)
    }

    /// `global` or `nonlocal` names: they govern the whole body, wherever
    /// they stand (`finish` drops them from the locals).
    pub fn declare(&mut self, s: usize, names: &[u32], global: bool, line: u32) -> CResult<()> {
        if !global && self.scopes[s].is_module() {
            return Err(CompileError::syntax(Msg::NonlocalDeclarationNotAllowedAtModuleLevel, line));
        }
        for &n in names {
            let sc = &mut self.scopes[s];
            let n = Qstr(n);
            if sc.locals[..sc.n_params].contains(&n) {
                return Err(CompileError::syntax(
                    if global { Msg::NameIsParameterAndGlobal } else { Msg::NameIsParameterAndNonlocal },
                    line,
                ));
            }
            if (if global { &sc.nonlocals } else { &sc.globals }).contains(&n) {
                return Err(CompileError::syntax(Msg::NameIsNonlocalAndGlobal, line));
            }
            add_unique(if global { &mut sc.globals } else { &mut sc.nonlocals }, n, line)?;
        }
        Ok(())
    }

    /// `yield` or `await` here makes a generator; outside a function it is
    /// an error.
    pub fn mark_generator(&mut self, s: usize, line: u32) -> CResult<()> {
        let sc = &mut self.scopes[s];
        if sc.is_module() || sc.is_class() {
            return Err(CompileError::syntax(Msg::YieldOutsideFunction, line));
        }
        sc.generator = true;
        Ok(())
    }

    /// `name := value` in scope `s`. In a comprehension it binds in the
    /// enclosing function or module; the comprehensions in between reach it
    /// as nonlocal (or global).
    pub fn walrus(&mut self, s: usize, n: Qstr, line: u32) -> CResult<()> {
        let mut t = s;
        while let (Owner::Comp(_), Some(p)) = (self.scopes[t].owner, self.scopes[t].parent) {
            t = p;
        }
        self.bind(t, n, line)?;
        if t != s {
            try_push(&mut self.walrus, (s, n), line)?;
            let module = self.scopes[t].is_module() || self.scopes[t].globals.contains(&n);
            let mut c = s;
            while c != t {
                let sc = &mut self.scopes[c];
                add_unique(if module { &mut sc.globals } else { &mut sc.nonlocals }, n, line)?;
                c = sc.parent.unwrap_or(t);
            }
        }
        self.use_name(s, n, line)
    }

    /// A comprehension's names are all read: `:=` directly inside it may
    /// not rebind its iteration variables (in one nested in it, it may, as
    /// in MicroPython).
    pub fn check_comprehension(&self, s: usize, line: u32) -> CResult<()> {
        if self.walrus.iter().any(|&(w, n)| w == s && self.scopes[s].locals.contains(&n)) {
            return Err(CompileError::syntax(Msg::CantRebindComprehensionIterationVariable, line));
        }
        Ok(())
    }

    /// After the whole source: names declared global or nonlocal leave the
    /// locals, then free names are resolved.
    pub fn finish(&mut self) -> CResult<()> {
        for sc in self.scopes.iter_mut() {
            let (globals, nonlocals) = (&sc.globals, &sc.nonlocals);
            sc.locals.retain(|n| !globals.contains(n) && !nonlocals.contains(n));
        }
        self.resolve()
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
