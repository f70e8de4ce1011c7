//! Modules compiled from source: `[name, globals]`. Builtin modules are
//! ROM tables instead (see `modules/mod.rs`); both answer attribute lookups.

use crate::error::{PyResult, TryToVec};
use crate::objects::{dict, Kind, TypeId};
use crate::qstr::{q, Qstr};
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

impl Vm {
    pub fn new_module(&mut self, name: Qstr, globals: Value) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::Module, 2)?;
        self.heap.set_slot(r, 0, Value::qstr(name));
        self.heap.set_slot(r, 1, globals);
        Ok(Value::obj(r))
    }

    pub(crate) fn module_globals(&self, r: ObjRef) -> ObjRef {
        self.heap.slot(r, 1).as_obj().expect("module globals")
    }

    pub(crate) fn module_name_of(&self, r: ObjRef) -> Qstr {
        self.heap.slot(r, 0).as_qstr().unwrap_or(q::EMPTY)
    }

    /// `import name` for a (possibly dotted) name: builtin modules, then
    /// `sys.modules`, then `name.py` or `name/__init__.py` on `sys.path`,
    /// read through the port. Returns the innermost module.
    pub fn import_source(&mut self, name: Qstr) -> PyResult<Option<Value>> {
        let text = self.qstr_bytes(name).try_to_vec()?;
        let mut parent = Value::NULL;
        let mut m = Value::NULL;
        for (i, _) in text.iter().enumerate().filter(|(_, &c)| c == b'.').map(|(i, c)| (i, *c)).chain(core::iter::once((text.len(), b'.')))
        {
            let prefix = self.intern(&text[..i])?;
            let mods = self.sys_modules.as_obj().expect("sys.modules");
            let loaded = self.dict_get(mods, Value::qstr(prefix))?.is_some();
            m = match self.import_one(prefix, &text[..i])? {
                Some(m) => m,
                None => return Ok(None),
            };
            if let Some(p) = parent.as_obj().filter(|&p| self.heap.kind(p) == Kind::Module) {
                // A submodule becomes an attribute of its package when it is
                // first loaded (as in MicroPython: a name the package gave
                // itself later stays), or if that failed for lack of memory.
                let leaf = self.intern(&text[text[..i].iter().rposition(|&c| c == b'.').map_or(0, |j| j + 1)..i])?;
                let g = self.module_globals(p);
                if !loaded || self.dict_get(g, Value::qstr(leaf))?.is_none() {
                    self.dict_set(g, Value::qstr(leaf), m)?;
                }
            }
            parent = m;
        }
        Ok(Some(m))
    }

    fn import_one(&mut self, name: Qstr, dotted: &[u8]) -> PyResult<Option<Value>> {
        if let Some(m) = crate::modules::find_module(name) {
            return Ok(Some(m));
        }
        let mods = self.sys_modules.as_obj().expect("sys.modules");
        if let Some(m) = self.dict_get(mods, Value::qstr(name))? {
            return Ok(Some(m));
        }
        // The port's native modules, like the builtin ones, before files.
        #[cfg(feature = "foreign")]
        if let Some(m) = self.import_foreign(name, dotted)? {
            return Ok(Some(m));
        }
        // Files need a file system: the `os` part (as MicroPython imports
        // files only with a VFS).
        let rel: Vec<u8> =
            if cfg!(feature = "os") { dotted.iter().map(|&c| if c == b'.' { b'/' } else { c }).collect() } else { Vec::new() };
        let n_paths = if cfg!(feature = "os") { self.seq_items(self.sys_path).map_or(0, |p| p.len()) } else { 0 };
        let mut frozen_on_path = false;
        for i in 0..n_paths {
            let Some(dir) = self.seq_items(self.sys_path).and_then(|p| p.get(i).copied()) else { break };
            let Some(dir) = self.str_bytes(dir).map(|d| d.to_vec()) else { continue };
            // MicroPython's `.frozen` entry: the frozen modules, there.
            if dir == b".frozen" {
                frozen_on_path = true;
                match self.import_frozen(name)? {
                    Some(m) => return Ok(Some(m)),
                    None => continue,
                }
            }
            let mut base = dir.clone();
            if !base.is_empty() && !base.ends_with(b"/") {
                base.push(b'/');
            }
            base.extend_from_slice(&rel);
            // A directory is a package (as MicroPython and CPython: before a
            // module file of the same name).
            #[cfg(feature = "os")]
            let package = self.vfs_is_dir(&base)?;
            #[cfg(not(feature = "os"))]
            let package = false;
            let suffix: &[u8] = if package { b"/__init__.py" } else { b".py" };
            let mut path = base;
            #[cfg(feature = "os")]
            let dir_len = path.len();
            path.extend_from_slice(suffix);
            // Relative to the current directory (`os.chdir`).
            #[cfg(feature = "os")]
            if let Some(src) = self.vfs_read_file(&path)? {
                return self.run_module_source(name, &path, src, package.then(|| &path[..dir_len])).map(Some);
            }
            // Then MicroPython's compiled form: `.mpy` beside where `.py` was.
            #[cfg(all(feature = "os", feature = "mpy"))]
            {
                // Then Pyrite's own (`pyrite-cross compile`): `.mpk`.
                path.insert(path.len() - 2, b'm');
                for last in [b'y', b'k'] {
                    *path.last_mut().expect("a suffix") = last;
                    if let Some(data) = self.vfs_read_file(&path)? {
                        return self.run_module_mpy(name, &path, data, package.then(|| &path[..dir_len])).map(Some);
                    }
                }
            }
            // A directory without `__init__` is a package all the same (as in
            // MicroPython; CPython's namespace packages): its `__path__` and
            // `__file__` name the directory.
            #[cfg(feature = "os")]
            if package {
                let dir = &path[..dir_len];
                let code = self.compile_named(b"", dir, crate::compile::Mode::File)?;
                return self.with_root(code, |vm| vm.run_module_code(name, dir, code, Some(dir))).map(Some);
            }
        }
        // Without `.frozen` on the path, frozen modules come after it, so a
        // file can stand in for one.
        if frozen_on_path {
            return Ok(None);
        }
        self.import_frozen(name)
    }

    /// A frozen module: the application's (`frozen::app`), then the VM's own.
    fn import_frozen(&mut self, name: Qstr) -> PyResult<Option<Value>> {
        if let Some((image, package)) = self.find_app_frozen(name) {
            let code = crate::frozen::load_image(self, image)?;
            let file = self.qstr_bytes(crate::objects::function::code_file(&self.heap, code)).to_vec();
            let mut dir = Vec::new();
            if package {
                dir.extend_from_slice(b".frozen/");
                dir.extend(self.qstr_bytes(name).iter().map(|&c| if c == b'.' { b'/' } else { c }));
            }
            return self.with_root(code, |vm| vm.run_module_code(name, &file, code, package.then_some(&dir[..]))).map(Some);
        }
        let Some((real, image)) = crate::frozen::find(name) else { return Ok(None) };
        let mods = self.sys_modules.as_obj().expect("sys.modules");
        if let Some(m) = self.dict_get(mods, Value::qstr(real))? {
            return Ok(Some(m));
        }
        let code = crate::frozen::load(self, image)?;
        let file = self.qstr_bytes(crate::objects::function::code_file(&self.heap, code)).to_vec();
        self.with_root(code, |vm| vm.run_module_code(real, &file, code, None)).map(Some)
    }

    /// Compiles and runs a module's source (a bytes object) in a fresh
    /// namespace.
    #[cfg(feature = "os")]
    fn run_module_source(&mut self, name: Qstr, path: &[u8], src: Value, package_dir: Option<&[u8]>) -> PyResult<Value> {
        // A file name that is not UTF-8 cannot be a str.
        let file: &[u8] = if crate::objects::str::utf8_valid(path) { path } else { b"<module>" };
        let code = self.compile_heap_source(src, file, crate::compile::Mode::File)?;
        self.with_root(code, |vm| vm.run_module_code(name, path, code, package_dir))
    }

    /// Loads a `.mpy` or `.mpk` file's contents (a bytes object, read in
    /// place) and runs it as a module.
    #[cfg(all(feature = "os", feature = "mpy"))]
    fn run_module_mpy(&mut self, name: Qstr, path: &[u8], data: Value, package_dir: Option<&[u8]>) -> PyResult<Value> {
        let Some(r) = data.as_obj() else { return Err(self.raise(TypeId::TypeError, "expected bytes")) };
        let view = self.heap.code_view(r);
        let bytes = view.bytes();
        let code = self.with_root(data, |vm| if path.ends_with(b".mpk") { vm.load_mpk(bytes) } else { vm.load_mpy(bytes) })?;
        self.with_root(code, |vm| vm.run_module_code(name, path, code, package_dir))
    }

    /// Runs a module's code in a fresh namespace, entered in `sys.modules`
    /// first so circular imports find it.
    fn run_module_code(&mut self, name: Qstr, path: &[u8], code: Value, package_dir: Option<&[u8]>) -> PyResult<Value> {
        // The module `pyrite -m` runs is `__main__`, as MicroPython's -m: it
        // runs in the main namespace, as a script does.
        let main = self.main_module == Some(name);
        let (g, name) = if main {
            self.main_module = None;
            (self.globals, q::__main__)
        } else {
            (self.new_dict(4)?, name)
        };
        self.with_root(g, |vm| {
            let gr = g.as_obj().expect("dict");
            vm.dict_set(gr, Value::qstr(q::__name__), Value::qstr(name))?;
            let f = vm.new_str(path)?;
            vm.dict_set(gr, Value::qstr(q::__file__), f)?;
            if let Some(dir) = package_dir {
                let p = vm.new_str(dir)?;
                let l = vm.with_root(p, |vm| vm.new_list(&[p]))?;
                vm.dict_set(gr, Value::qstr(q::__path__), l)?;
            }
            let m = vm.new_module(name, g)?;
            let mods = vm.sys_modules.as_obj().expect("sys.modules");
            vm.dict_set(mods, Value::qstr(name), m)?;
            match vm.run_code(code, g, g) {
                Ok(_) => Ok(m),
                Err(e) => {
                    let _ = vm.dict_remove(mods, Value::qstr(name));
                    Err(e)
                }
            }
        })
    }

    /// Imports module `name` (a `.py` or `.mpy` file on `sys.path`) as
    /// `__main__`: the host's `pyrite -m`.
    pub fn run_main_module(&mut self, name: &[u8]) -> PyResult<Value> {
        let q = self.intern(name)?;
        self.main_module = Some(q);
        let r = self.import(q);
        self.main_module = None;
        r
    }

    /// `from module import *`: the public names into the current namespace.
    pub(crate) fn import_star(&mut self, module: Value, into: ObjRef) -> PyResult<()> {
        if let Some(id) = module.as_module() {
            for &entry in crate::modules::module_table(id) {
                let (n, v) = (entry.name(), entry.value());
                self.dict_set(into, Value::qstr(n), v)?;
            }
            for &n in crate::modules::dynamic_module_names(id) {
                if let Some(v) = crate::modules::dynamic_module_attr(self, id, n)? {
                    self.with_root(v, |vm| vm.dict_set(into, Value::qstr(n), v))?;
                }
            }
            return Ok(());
        }
        // `__all__` names what to take; without it, the public names of the
        // object's namespace (a class or instance in sys.modules works too).
        match self.load_attr(module, q::__all__) {
            Ok(all) => {
                return self.with_root(all, |vm| {
                    vm.for_each(all, |vm, name| {
                        let Some(n) = vm.intern_value(name)? else {
                            return Err(vm.raise(TypeId::TypeError, "__all__ must hold strs"));
                        };
                        let v = vm.load_attr(module, n)?;
                        vm.dict_set(into, Value::qstr(n), v).map(|_| true)
                    })
                });
            }
            Err(e) if self.caught(e, TypeId::AttributeError) => {}
            Err(e) => return Err(e),
        }
        let g = match module.as_obj().filter(|&r| self.heap.kind(r) == Kind::Module) {
            Some(r) => self.module_globals(r),
            None => match self.load_attr(module, q::__dict__)?.as_obj() {
                Some(d) if self.heap.kind(d) == Kind::Dict => d,
                _ => return Err(self.raise(TypeId::ImportError, "import * needs a namespace")),
            },
        };
        let n = dict::raw_entries(&self.heap, g).len() / 2;
        for i in 0..n {
            let Some(&[k, v]) = dict::raw_entries(&self.heap, g).get(2 * i..2 * i + 2) else { break };
            let public = self.str_bytes(k).is_some_and(|s| !s.starts_with(b"_"));
            if !k.is_null() && public {
                self.dict_set(into, k, v)?;
            }
        }
        Ok(())
    }
}
