//! Attribute and name lookup: globals, builtins, modules, and the ROM method
//! tables of builtin types.

use crate::error::{PyErr, PyResult};
use crate::modules;
use crate::objects::{Kind, TypeId};
use crate::qstr::{q, Qstr};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

impl Vm {
    /// A global, falling back to builtins; `NameError` if neither has it.
    pub fn load_global(&mut self, globals: Value, name: Qstr) -> PyResult<Value> {
        if let Some(g) = globals.as_obj() {
            if let Some(v) = self.dict_get(g, Value::qstr(name))? {
                return Ok(v);
            }
        }
        if let Some(v) = modules::builtin(name) {
            return Ok(v);
        }
        Err(self.name_error(name))
    }

    fn attribute_error(&mut self, obj: Value, name: Qstr) -> PyErr {
        if !self.attr_probe.is_null() {
            return PyErr::exc(self.attr_probe);
        }
        if crate::features::TERSE_ERRORS {
            return self.raise_bare(TypeId::AttributeError);
        }
        #[cfg(feature = "foreign")]
        if self.kind_of(obj) == Some(Kind::Capsule) {
            let (t, (a, an)) = (self.capsule_type_name(obj), self.qstr_copy(name).unwrap_or(([0; 64], 0)));
            return self.raise_parts(TypeId::AttributeError, &[b"'", t, b"' object has no attribute '", &a[..an], b"'"]);
        }
        let (t, tn) = match self.qstr_copy(self.class_name(self.class_of(obj))) {
            Ok(x) => x,
            Err(e) => return e,
        };
        let (a, an) = match self.qstr_copy(name) {
            Ok(x) => x,
            Err(e) => return e,
        };
        self.raise_parts(TypeId::AttributeError, &[b"'", &t[..tn], b"' object has no attribute '", &a[..an], b"'"])
    }

    /// Calls `each` with every name `obj` has an attribute of, trying each
    /// interned name as MicroPython's `dir()` does. A missing attribute
    /// costs no allocation here, so this works in a small heap (dir(),
    /// the REPL's Tab).
    pub fn for_each_attr(&mut self, obj: Value, mut each: impl FnMut(&mut Vm, Qstr) -> PyResult<()>) -> PyResult<()> {
        let probe = self.new_exception(TypeId::AttributeError, &[])?;
        let outer = core::mem::replace(&mut self.attr_probe, probe);
        let mut i = 1;
        let r = loop {
            // The pool may grow meanwhile: names interned by `each` count.
            // Then the frozen modules' names.
            if i == crate::qstr::STATIC_COUNT as usize + crate::objects::list::len(&self.heap, self.qstr_pool()) {
                if !crate::frozen::HAS_FROZEN_NAMES {
                    break Ok(());
                }
                i = crate::qstr::FROZEN_BASE as usize;
            }
            if crate::frozen::HAS_FROZEN_NAMES && i >= self.frozen_names_end() as usize {
                break Ok(());
            }
            let name = Qstr(i as u32);
            i += 1;
            match self.load_method(obj, name) {
                Ok(_) => {
                    if let Err(e) = each(self, name) {
                        break Err(e);
                    }
                }
                Err(PyErr::Exc(e)) if self.exception_type(e.value()).is_subtype_of(TypeId::AttributeError) => {
                    // Raised through Python code (a `__getattr__`), it
                    // gathered a traceback; the next miss starts clean.
                    if e.value() == probe {
                        self.clear_traceback(probe);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        self.attr_probe = outer;
        r
    }

    /// `obj.name`.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn load_attr(&mut self, obj: Value, name: Qstr) -> PyResult<Value> {
        let (m, this) = self.load_method(obj, name)?;
        if this.is_null() {
            return Ok(m);
        }
        self.new_bound_method(this, m)
    }

    /// `obj.name` for a call: `(function, self)` when it is a method, so no
    /// bound method is allocated; `(value, NULL)` otherwise.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn load_method(&mut self, obj: Value, name: Qstr) -> PyResult<(Value, Value)> {
        // Instances of user classes first: the commonest case by far. (Of
        // the special names below, only these apply to them, through a
        // builtin base.)
        let kind = self.kind_of(obj);
        if kind == Some(Kind::Instance) && name != q::real && name != q::imag && name != q::buffer {
            return self.instance_attr(obj, name);
        }
        if let Some(m) = obj.as_module() {
            if name == q::__name__ {
                return Ok((Value::qstr(modules::module_name(m)), Value::NULL));
            }
            if let Some(v) = modules::dynamic_module_attr(self, m, name)? {
                return Ok((v, Value::NULL));
            }
            return match modules::module_attr(m, name) {
                Some(v) => Ok((v, Value::NULL)),
                // (A builtin module's or type's __dict__ and a type's
                // __bases__: MicroPython's MICROPY_CPYTHON_COMPAT.)
                None if crate::features::CORE_FEATURES && name == q::__dict__ => {
                    let d = self.table_dict(modules::module_table(m))?;
                    let r = d.as_obj().expect("new dict");
                    self.with_root(d, |vm| vm.dict_set(r, Value::qstr(q::__name__), Value::qstr(modules::module_name(m))))?;
                    Ok((d, Value::NULL))
                }
                None => Err(self.attribute_error(obj, name)),
            };
        }
        if let (Some(r), Some(Kind::Module)) = (obj.as_obj(), kind) {
            let g = self.module_globals(r);
            if let Some(v) = self.dict_get(g, Value::qstr(name))? {
                return Ok((v, Value::NULL));
            }
            if name == q::__dict__ {
                return Ok((Value::obj(g), Value::NULL));
            }
            // The module's own `__getattr__` answers for names it lacks
            // (PEP 562; MicroPython's MICROPY_MODULE_GETATTR, which its
            // minimal builds leave out).
            if cfg!(feature = "core-features") {
                if let Some(f) = self.dict_get(g, Value::qstr(q::__getattr__))? {
                    return Ok((self.call(f, &[Value::qstr(name)])?, Value::NULL));
                }
            }
            return Err(self.attribute_error(obj, name));
        }
        if let Some(t) = obj.as_type().and_then(TypeId::from_u16) {
            if name == q::__name__ {
                return Ok((Value::qstr(t.name()), Value::NULL));
            }
            if crate::features::CORE_FEATURES && name == q::__bases__ {
                let bases = match t.base() {
                    Some(b) => self.new_tuple(&[b.value()])?,
                    None => self.new_tuple(&[])?,
                };
                return Ok((bases, Value::NULL));
            }
            return match modules::type_attr(t, name) {
                Some(v) => Ok((v, Value::NULL)),
                // A builtin type's names live in ROM: its __dict__ is a copy.
                None if crate::features::CORE_FEATURES && name == q::__dict__ => {
                    Ok((self.table_dict(modules::type_attrs(t))?, Value::NULL))
                }
                None => Err(self.attribute_error(obj, name)),
            };
        }
        if kind == Some(Kind::Exception) && name == q::args {
            let args = obj.as_obj().map(|r| self.heap.slot(r, 1)).unwrap_or(Value::NONE);
            return Ok((args, Value::NULL));
        }
        if let Some((re, im)) = self.as_complex(obj).filter(|_| name == q::real || name == q::imag) {
            let f = self.new_float(if name == q::real { re } else { im })?;
            return Ok((f, Value::NULL));
        }
        // `sys.stdout.buffer` and friends: the same console, in bytes.
        if (crate::features::CORE_FEATURES || cfg!(feature = "os"))
            && name == q::buffer
            && self.class_of(obj) == TypeId::TextIOWrapper.value()
        {
            let fd = self.native_value(obj).as_small_int().unwrap_or(1);
            return Ok((crate::modules::io::console_stream(self, fd, true)?, Value::NULL));
        }
        // Ranges and slices both keep start, stop and step in slots 0-2.
        // (A range's: MicroPython's MICROPY_PY_BUILTINS_RANGE_ATTRS.)
        if ((crate::features::CORE_FEATURES && kind == Some(Kind::Range)) || (crate::features::SLICE && kind == Some(Kind::Slice)))
            && (name == q::start || name == q::stop || name == q::step)
        {
            let slot = [q::start, q::stop, q::step].iter().position(|&n| n == name).unwrap_or(0);
            return Ok((self.heap.slot(obj.as_obj().expect("range or slice"), slot), Value::NULL));
        }
        // Functions' names and globals (MicroPython's MICROPY_PY_FUNCTION_ATTRS).
        let fun_attrs = crate::features::CORE_FEATURES;
        if fun_attrs && kind == Some(Kind::Function) && (name == q::__name__ || name == q::__globals__) {
            let f = obj.as_obj().expect("function");
            if name == q::__globals__ {
                return Ok((self.heap.slot(f, crate::objects::function::func::GLOBALS), Value::NULL));
            }
            let code = self.heap.slot(f, crate::objects::function::func::CODE).as_obj().expect("code");
            return Ok((self.heap.slot(code, crate::objects::function::code::NAME), Value::NULL));
        }
        if fun_attrs && kind == Some(Kind::BoundMethod) && name == q::__name__ {
            let f = self.heap.slot(obj.as_obj().expect("bound method"), 1);
            return self.load_method(f, name);
        }
        if let Some(id) = obj.as_builtin_fn().filter(|_| fun_attrs && name == q::__name__) {
            return Ok((Value::qstr(modules::native_fn_name(id)), Value::NULL));
        }
        if crate::features::ARRAY && kind == Some(Kind::MemoryView) && name == q::itemsize {
            let tc = self.typecode(obj.as_obj().expect("memoryview"));
            return Ok((Value::small_int(crate::objects::array::itemsize(tc).unwrap_or(1) as isize), Value::NULL));
        }
        // `StopIteration.value` and `OSError.errno` are the first argument;
        // as in MicroPython, every exception has both (feature checks read
        // `TypeError(...).value`).
        if kind == Some(Kind::Exception) && (name == q::value || name == q::errno) {
            // An attribute set on a user subclass's instance wins.
            let found = match self.kind_of(self.class_of(obj)) {
                Some(Kind::Class) => self.instance_attr(obj, name).ok(),
                _ => None,
            };
            if let Some(f) = found {
                return Ok(f);
            }
            return Ok((self.exception_args(obj).first().copied().unwrap_or(Value::NONE), Value::NULL));
        }
        match kind {
            Some(Kind::Class) => return self.class_attr(obj, name),
            Some(Kind::Super) => return self.super_attr(obj, name),
            Some(Kind::Instance) => return self.instance_attr(obj, name),
            Some(Kind::Exception) if self.is_class(self.class_of(obj)) => return self.instance_attr(obj, name),
            _ => {}
        }
        let ty = self.type_of(obj);
        let mut t = Some(ty);
        while let Some(x) = t {
            if let Some(v) = modules::type_attr(x, name) {
                return Ok(if v.as_builtin_fn().is_some() { (v, obj) } else { (v, Value::NULL) });
            }
            t = x.base();
        }
        // The port's native objects: after the builtin types' (none of
        // which they are), so common lookups do not pay for them.
        #[cfg(feature = "foreign")]
        if let Some(found) = self.foreign_attr(obj, name)? {
            return Ok(found);
        }
        if name == q::__class__ {
            return Ok((ty.value(), Value::NULL));
        }
        Err(self.attribute_error(obj, name))
    }

    /// What a class attribute becomes when read through `this` (an instance,
    /// or NULL when read on the class `cls` itself).
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn bind_attr(&mut self, attr: Value, this: Value, cls: Value) -> PyResult<(Value, Value)> {
        let inner = |vm: &Vm| attr.as_obj().map_or(Value::NONE, |r| vm.heap.slot(r, 0));
        Ok(match self.kind_of(attr) {
            Some(Kind::Function) if !this.is_null() => (attr, this),
            // Builtin methods of a builtin base act on the instance's value.
            // (A deque's own methods need the deque: its maxlen; a stream's
            // `__enter__` returns the stream.)
            None if attr.as_builtin_fn().is_some()
                && !this.is_null()
                && matches!(
                    cls.as_type().and_then(TypeId::from_u16),
                    Some(
                        TypeId::Deque
                            | TypeId::StringIO
                            | TypeId::BytesIO
                            | TypeId::TextIOWrapper
                            | TypeId::FileIO
                            | TypeId::RingIO
                            | TypeId::DeflateIO
                            | TypeId::VfsNative
                            | TypeId::VfsLfs2
                    )
                ) =>
            {
                (attr, this)
            }
            // A builtin function stored in a class (`f = abs`) binds nothing.
            None if attr.as_builtin_fn().is_some() && !this.is_null() && self.is_native_method(cls, attr) => {
                (attr, self.native_value(this))
            }
            Some(Kind::StaticMethod) => (inner(self), Value::NULL),
            Some(Kind::ClassMethod) => (inner(self), cls),
            Some(Kind::Property) if crate::features::CORE_FEATURES && !this.is_null() => {
                let getter = inner(self);
                if getter.is_none() {
                    return Err(self.raise(TypeId::AttributeError, "unreadable attribute"));
                }
                (self.call(getter, &[this])?, Value::NULL)
            }
            Some(Kind::Instance) => match self.descriptor_method(attr, q::__get__)? {
                Some(get) => {
                    let obj = if this.is_null() { Value::NONE } else { this };
                    (self.call(get, &[attr, obj, cls])?, Value::NULL)
                }
                None => (attr, Value::NULL),
            },
            _ => (attr, Value::NULL),
        })
    }

    /// Whether builtin function `f` is a method of the builtin type `cls`
    /// derives from (not just a builtin stored as a class attribute).
    fn is_native_method(&self, cls: Value, f: Value) -> bool {
        let mut t = Some(self.native_base(cls).unwrap_or(TypeId::Object));
        while let Some(ty) = t {
            if modules::type_attrs(ty).iter().any(|e| e.value() == f) {
                return true;
            }
            t = ty.base();
        }
        false
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn instance_attr(&mut self, obj: Value, name: Qstr) -> PyResult<(Value, Value)> {
        let cls = self.class_of(obj);
        // A property or other data descriptor wins over the instance's own
        // attributes (a method, the usual find, is none); classes that
        // never held one let the instance's dict answer first.
        let descriptors = self.mro_has_data_descriptors(cls);
        let mut attr = None;
        if descriptors {
            attr = self.class_lookup(cls, name, None)?;
            if let Some(a) = attr.filter(|&a| self.kind_of(a) != Some(Kind::Function)) {
                if self.is_data_descriptor(a)? {
                    return self.bind_attr(a, obj, cls);
                }
            }
        }
        if let Some(d) = self.instance_dict(obj) {
            if let Some(v) = self.dict_get(d, Value::qstr(name))? {
                return Ok((v, Value::NULL));
            }
        }
        if !descriptors {
            attr = self.class_lookup(cls, name, None)?;
        }
        if let Some(a) = attr {
            return self.bind_attr(a, obj, cls);
        }
        if name == q::__class__ {
            return Ok((cls, Value::NULL));
        }
        if let Some(fields) = self.namedtuple_fields(cls)? {
            let names = crate::objects::tuple::items(&self.heap, fields.as_obj().expect("fields"));
            if let Some(i) = names.iter().position(|&n| n == Value::qstr(name)) {
                let v = self.seq_items(obj).and_then(|s| s.get(i).copied()).unwrap_or(Value::NONE);
                return Ok((v, Value::NULL));
            }
        }
        if name == q::__dict__ {
            return Ok((self.instance_dict(obj).map_or(Value::NONE, Value::obj), Value::NULL));
        }
        if let Some(getattr) = self.class_lookup(cls, q::__getattr__, None)? {
            let v = self.call(getattr, &[obj, Value::qstr(name)])?;
            return Ok((v, Value::NULL));
        }
        Err(self.attribute_error(obj, name))
    }

    fn class_attr(&mut self, cls: Value, name: Qstr) -> PyResult<(Value, Value)> {
        if name == q::__name__ {
            return Ok((Value::qstr(self.class_name(cls)), Value::NULL));
        }
        if name == q::__dict__ {
            return Ok((self.instance_dict(cls).map_or(Value::NONE, Value::obj), Value::NULL));
        }
        if name == q::__bases__ {
            let bases = cls.as_obj().map_or(Value::NONE, |r| self.heap.slot(r, crate::objects::class::cls::BASES));
            // A class stated with no bases derives from object.
            if self.seq_items(bases).is_some_and(|b| b.is_empty()) {
                return Ok((self.new_tuple(&[TypeId::Object.value()])?, Value::NULL));
            }
            return Ok((bases, Value::NULL));
        }
        match self.class_lookup(cls, name, None)? {
            Some(a) => self.bind_attr(a, Value::NULL, cls),
            None if crate::features::TERSE_ERRORS => Err(self.raise_bare(TypeId::AttributeError)),
            None => {
                let (buf, n) = self.qstr_copy(self.class_name(cls))?;
                let (a, an) = self.qstr_copy(name)?;
                Err(self.raise_parts(TypeId::AttributeError, &[b"type object '", &buf[..n], b"' has no attribute '", &a[..an], b"'"]))
            }
        }
    }

    /// `super().name`: the MRO of `self`'s class, after the defining class.
    fn super_attr(&mut self, sup: Value, name: Qstr) -> PyResult<(Value, Value)> {
        let r = sup.as_obj().expect("super object");
        let (defining, this) = (self.heap.slot(r, 0), self.heap.slot(r, 1));
        let cls = if self.is_class(this) { this } else { self.class_of(this) };
        let bound_to = if self.is_class(this) { Value::NULL } else { this };
        match self.class_lookup(cls, name, Some(defining))? {
            Some(a) => self.bind_attr(a, bound_to, cls),
            // object's methods, last in every MRO.
            None if name == q::__init__ => Ok((crate::modules::f::OBJECT_INIT, Value::NULL)),
            None if name == q::__new__ => Ok((modules::f::OBJECT_NEW, Value::NULL)),
            None if crate::features::CORE_FEATURES && (name == q::__setattr__ || name == q::__delattr__) => {
                let f = if name == q::__setattr__ { modules::f::OBJECT_SETATTR } else { modules::f::OBJECT_DELATTR };
                Ok((f, if bound_to.is_null() { Value::NULL } else { bound_to }))
            }
            None => Err(self.attribute_error(sup, name)),
        }
    }

    /// A new dict of a ROM name table (a builtin type's or module's).
    fn table_dict(&mut self, table: modules::Table) -> PyResult<Value> {
        let d = self.new_dict(table.len())?;
        let r = d.as_obj().expect("new dict");
        self.with_root(d, |vm| {
            for &entry in table {
                let (k, v) = (entry.name(), entry.value());
                vm.dict_set(r, Value::qstr(k), v)?;
            }
            Ok(d)
        })
    }

    /// A descriptor's method (`__get__`, `__set__`, `__delete__`,
    /// `__set_name__`), if `attr` is an instance of a Python class that has
    /// it. Looked up on the class only, never through `__getattr__`.
    pub(crate) fn descriptor_method(&mut self, attr: Value, name: Qstr) -> PyResult<Option<Value>> {
        if !crate::features::DESCRIPTORS || self.kind_of(attr) != Some(Kind::Instance) {
            return Ok(None);
        }
        let c = self.class_of(attr);
        if !self.is_class(c) {
            return Ok(None);
        }
        self.class_lookup(c, name, None)
    }

    pub(crate) fn is_data_descriptor(&mut self, attr: Value) -> PyResult<bool> {
        Ok(crate::features::CORE_FEATURES && self.kind_of(attr) == Some(Kind::Property)
            || self.descriptor_method(attr, q::__set__)?.is_some()
            || self.descriptor_method(attr, q::__delete__)?.is_some())
    }

    /// The class attribute `name` of an instance, when it is a property or
    /// descriptor that takes over setting and deleting it.
    fn data_descriptor(&mut self, obj: Value, name: Qstr) -> PyResult<Option<Value>> {
        if !matches!(self.kind_of(obj), Some(Kind::Instance | Kind::Exception)) {
            return Ok(None);
        }
        let cls = self.class_of(obj);
        if !self.mro_has_data_descriptors(cls) {
            return Ok(None);
        }
        match self.class_lookup(cls, name, None)? {
            Some(a) if self.is_data_descriptor(a)? => Ok(Some(a)),
            _ => Ok(None),
        }
    }

    /// Runs a property's setter or deleter, or a descriptor's `__set__` or
    /// `__delete__`; `value` is NULL for a deletion.
    fn descriptor_store(&mut self, d: Value, obj: Value, value: Value) -> PyResult<()> {
        let deleting = value.is_null();
        if let Some(r) = d.as_obj().filter(|&r| crate::features::CORE_FEATURES && self.heap.kind(r) == Kind::Property) {
            let f = self.heap.slot(r, if deleting { 2 } else { 1 });
            if f.is_none() || f.is_null() {
                let m = if deleting { "can't delete attribute" } else { "can't set attribute" };
                return Err(self.raise(TypeId::AttributeError, m));
            }
            return if deleting { self.call(f, &[obj]) } else { self.call(f, &[obj, value]) }.map(|_| ());
        }
        let name = if deleting { q::__delete__ } else { q::__set__ };
        match self.descriptor_method(d, name)? {
            Some(f) if deleting => self.call(f, &[d, obj]).map(|_| ()),
            Some(f) => self.call(f, &[d, obj, value]).map(|_| ()),
            None => Err(self.raise(TypeId::AttributeError, if deleting { "can't delete attribute" } else { "can't set attribute" })),
        }
    }

    /// Calls `__set_name__(cls, name)` on each attribute of a new class
    /// that has it; the attributes are snapshotted first, so the calls may
    /// change the class.
    pub(crate) fn class_set_names(&mut self, cls: Value) -> PyResult<()> {
        if !crate::features::DESCRIPTORS {
            return Ok(());
        }
        let Some(d) = self.instance_dict(cls) else { return Ok(()) };
        let mut pairs = Vec::new();
        let mut i = 0;
        while i < crate::objects::dict::entry_slots(&self.heap, d) {
            if let Some((k, v)) = crate::objects::dict::entry(&self.heap, d, i) {
                if self.kind_of(v) == Some(Kind::Instance) {
                    pairs.try_reserve(2).map_err(|_| PyErr::NoMemory)?;
                    pairs.extend_from_slice(&[k, v]);
                }
            }
            i += 1;
        }
        if pairs.is_empty() {
            return Ok(());
        }
        let snapshot = self.new_tuple(&pairs)?;
        self.with_root(snapshot, |vm| {
            for p in pairs.chunks(2) {
                if let Some(f) = vm.descriptor_method(p[1], q::__set_name__)? {
                    vm.call(f, &[p[1], cls, p[0]])?;
                }
            }
            Ok(())
        })
    }

    /// A Python class's own `__setattr__` or `__delattr__` for `obj`, if
    /// its class (or a base) defines one.
    fn attr_hook(&mut self, obj: Value, hook: Qstr) -> PyResult<Option<Value>> {
        // (MicroPython's MICROPY_PY_DELATTR_SETATTR, past its minimal builds.)
        if !crate::features::CORE_FEATURES || self.kind_of(obj) != Some(Kind::Instance) {
            return Ok(None);
        }
        let cls = self.class_of(obj);
        if !self.is_class(cls) || !self.mro_has_attr_hooks(cls) {
            return Ok(None);
        }
        // object's own (OBJECT_SETATTR) is not in any MRO: a hit is the class's.
        self.class_lookup(cls, hook, None)
    }

    /// `del obj.name`: the class's `__delattr__` if it has one.
    pub fn delete_attr(&mut self, obj: Value, name: Qstr) -> PyResult<()> {
        if let Some(f) = self.attr_hook(obj, q::__delattr__)? {
            return self.call(f, &[obj, Value::qstr(name)]).map(|_| ());
        }
        self.generic_delete_attr(obj, name)
    }

    /// `object.__delattr__`: deletion without the class's hook.
    pub(crate) fn generic_delete_attr(&mut self, obj: Value, name: Qstr) -> PyResult<()> {
        if let Some(d) = self.data_descriptor(obj, name)? {
            return self.descriptor_store(d, obj, Value::NULL);
        }
        let ns = match obj.as_obj().filter(|&r| self.heap.kind(r) == Kind::Module) {
            Some(r) => Some(self.module_globals(r)),
            None => self.instance_dict(obj),
        };
        let removed = match ns {
            Some(d) => self.dict_remove(d, Value::qstr(name))?.is_some(),
            None => false,
        };
        if removed {
            Ok(())
        } else {
            Err(self.attribute_error(obj, name))
        }
    }

    /// `obj.name = value`: the class's `__setattr__` if it has one; else
    /// instances and classes take new attributes, and a property's setter
    /// or descriptor's `__set__` runs instead when the class has one.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn store_attr(&mut self, obj: Value, name: Qstr, value: Value) -> PyResult<()> {
        if let Some(f) = self.attr_hook(obj, q::__setattr__)? {
            return self.call(f, &[obj, Value::qstr(name), value]).map(|_| ());
        }
        self.generic_store_attr(obj, name, value)
    }

    /// `object.__setattr__`: storing without the class's hook.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn generic_store_attr(&mut self, obj: Value, name: Qstr, value: Value) -> PyResult<()> {
        if let Some(r) = obj.as_obj().filter(|&r| self.heap.kind(r) == Kind::Module) {
            let g = self.module_globals(r);
            return self.dict_set(g, Value::qstr(name), value);
        }
        if let Some(d) = self.data_descriptor(obj, name)? {
            return self.descriptor_store(d, obj, value);
        }
        match self.instance_dict(obj) {
            Some(d) => {
                self.dict_set(d, Value::qstr(name), value)?;
                // A data descriptor put on a class later marks it too.
                if let Some(c) = obj.as_obj().filter(|_| self.is_class(obj)) {
                    if self.is_data_descriptor(value)? {
                        self.mark_data_descriptor(c);
                    }
                    if crate::features::CORE_FEATURES && (name == q::__setattr__ || name == q::__delattr__) {
                        self.mark_attr_hooks(c);
                    }
                }
                Ok(())
            }
            // `e.__traceback__ = None` forgets where an exception has been
            // (MicroPython code reraising a kept exception does this).
            None if name == q::__traceback__ && value.is_none() && self.is_exception(obj) => {
                self.clear_traceback(obj);
                Ok(())
            }
            None => Err(self.attribute_error(obj, name)),
        }
    }

    /// `import name`: builtin modules (files come with the file system).
    pub fn import(&mut self, name: Qstr) -> PyResult<Value> {
        if let Some(m) = modules::find_module(name) {
            return Ok(m);
        }
        // `from . import x`, `from ..a import b`: the compiler keeps the dots.
        let dots = self.qstr_bytes(name).iter().take_while(|&&c| c == b'.').count();
        let name = match dots {
            0 => name,
            _ => {
                let globals = self.frames.last().map_or(self.globals, |f| f.globals);
                match self.name_in_package(globals, dots - 1, false, name, dots)? {
                    Some(n) => n,
                    // A script (`__main__`) or a top-level module is in no package.
                    None => return Err(self.raise(TypeId::ImportError, "can't perform relative import")),
                }
            }
        };
        if let Some(m) = self.import_source(name)? {
            return Ok(m);
        }
        Err(self.raise_name(TypeId::ImportError, b"no module named '", name, b"'"))
    }

    /// The full name of `tail` (less its first `skip` bytes) in a package:
    /// that of the module whose namespace is `g` (`__name__`; less its last
    /// part if it is no package, which `only_package` refuses), `up` levels
    /// higher, then `.tail`. None where no package is left.
    pub(crate) fn name_in_package(&mut self, g: Value, up: usize, only_package: bool, tail: Qstr, skip: usize) -> PyResult<Option<Qstr>> {
        let Some(g) = g.as_obj().filter(|&g| self.heap.kind(g) == Kind::Dict) else { return Ok(None) };
        let package = self.dict_get(g, Value::qstr(q::__path__))?.is_some();
        let Some(n) = self.dict_get(g, Value::qstr(q::__name__))?.filter(|_| package || !only_package) else { return Ok(None) };
        let base = self.str_bytes(n).unwrap_or_default();
        let mut end = base.len();
        for _ in 0..up + usize::from(!package) {
            end = base[..end].iter().rposition(|&c| c == b'.').unwrap_or(0);
        }
        let tail = &self.qstr_bytes(tail)[skip..];
        if end == 0 {
            return Ok(None);
        }
        let full = crate::error::try_join(&[&base[..end], if tail.is_empty() { b"" } else { b"." }, tail])?;
        self.intern(&full).map(Some)
    }

    /// `from module import name`: an attribute, or else a submodule of a
    /// package (`from pkg import mod`, `from . import mod`), imported now.
    pub fn import_from(&mut self, module: Value, name: Qstr) -> PyResult<Value> {
        match self.load_attr(module, name) {
            Err(e) if self.caught(e, TypeId::AttributeError) => {
                if let Some(p) = module.as_obj().filter(|&p| self.heap.kind(p) == Kind::Module) {
                    let g = Value::obj(self.module_globals(p));
                    if let Some(full) = self.name_in_package(g, 0, true, name, 0)? {
                        if let Some(m) = self.import_source(full)? {
                            return Ok(m);
                        }
                    }
                }
                Err(self.raise_name(TypeId::ImportError, b"cannot import name ", name, b""))
            }
            other => other,
        }
    }

    /// What `raise x` raises: an instance as is, a class instantiated.
    pub fn make_exception(&mut self, v: Value) -> PyResult<Value> {
        if self.is_exception(v) {
            return Ok(v);
        }
        if self.is_class(v) && self.native_base(v).is_some_and(|t| t.is_exception()) {
            return self.call(v, &[]);
        }
        if let Some(t) = v.as_type().and_then(TypeId::from_u16) {
            if t.is_exception() {
                return self.new_exception(t, &[]);
            }
        }
        Err(self.raise(TypeId::TypeError, "exceptions must derive from BaseException"))
    }
}
