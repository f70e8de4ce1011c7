//! Attribute and name lookup: globals, builtins, modules, and the ROM method
//! tables of builtin types.

use crate::error::{PyErr, PyResult};
use crate::modules;
use crate::objects::{Kind, TypeId};
use crate::qstr::{q, Qstr};
use crate::value::Value;
use crate::vm::Vm;

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

    /// The attribute of a builtin type's instance, from its ROM table.
    fn type_attr(&self, ty: TypeId, name: Qstr) -> Option<Value> {
        modules::type_attrs(ty).iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    fn attribute_error(&mut self, obj: Value, name: Qstr) -> PyErr {
        let (t, tn) = match self.qstr_copy(self.type_of(obj).name()) {
            Ok(x) => x,
            Err(e) => return e,
        };
        let (a, an) = match self.qstr_copy(name) {
            Ok(x) => x,
            Err(e) => return e,
        };
        self.raise_parts(TypeId::AttributeError, &[b"'", &t[..tn], b"' object has no attribute '", &a[..an], b"'"])
    }

    /// `obj.name`.
    pub fn load_attr(&mut self, obj: Value, name: Qstr) -> PyResult<Value> {
        let (m, this) = self.load_method(obj, name)?;
        if this.is_null() {
            return Ok(m);
        }
        self.new_bound_method(this, m)
    }

    /// `obj.name` for a call: `(function, self)` when it is a method, so no
    /// bound method is allocated; `(value, NULL)` otherwise.
    pub fn load_method(&mut self, obj: Value, name: Qstr) -> PyResult<(Value, Value)> {
        if let Some(m) = obj.as_module() {
            if name == q::__name__ {
                return Ok((Value::qstr(modules::module_name(m)), Value::NULL));
            }
            return match modules::module_attr(m, name) {
                Some(v) => Ok((v, Value::NULL)),
                None => Err(self.attribute_error(obj, name)),
            };
        }
        if let Some(t) = obj.as_type().and_then(TypeId::from_u16) {
            if name == q::__name__ {
                return Ok((Value::qstr(t.name()), Value::NULL));
            }
            return match self.type_attr(t, name) {
                Some(v) => Ok((v, Value::NULL)),
                None => Err(self.attribute_error(obj, name)),
            };
        }
        if self.kind_of(obj) == Some(Kind::Exception) && name == q::args {
            let args = obj.as_obj().map(|r| self.heap.slot(r, 1)).unwrap_or(Value::NONE);
            return Ok((args, Value::NULL));
        }
        let ty = self.type_of(obj);
        let mut t = Some(ty);
        while let Some(x) = t {
            if let Some(v) = self.type_attr(x, name) {
                return Ok(if v.as_builtin_fn().is_some() { (v, obj) } else { (v, Value::NULL) });
            }
            t = x.base();
        }
        if name == q::__class__ {
            return Ok((ty.value(), Value::NULL));
        }
        Err(self.attribute_error(obj, name))
    }

    /// `obj.name = value`. Builtin objects have no writable attributes yet.
    pub fn store_attr(&mut self, obj: Value, name: Qstr, _value: Value) -> PyResult<()> {
        Err(self.attribute_error(obj, name))
    }

    /// `import name`: builtin modules (files come with the file system).
    pub fn import(&mut self, name: Qstr) -> PyResult<Value> {
        if let Some(m) = modules::find_module(name) {
            return Ok(m);
        }
        let (buf, n) = self.qstr_copy(name)?;
        Err(self.raise_parts(TypeId::ImportError, &[b"no module named '", &buf[..n], b"'"]))
    }

    /// `from module import name`.
    pub fn import_from(&mut self, module: Value, name: Qstr) -> PyResult<Value> {
        match self.load_attr(module, name) {
            Err(PyErr::Exc(e)) if self.exception_type(e) == TypeId::AttributeError => {
                let (buf, n) = self.qstr_copy(name)?;
                Err(self.raise_parts(TypeId::ImportError, &[b"cannot import name ", &buf[..n]]))
            }
            other => other,
        }
    }

    /// What `raise x` raises: an instance as is, a class instantiated.
    pub fn make_exception(&mut self, v: Value) -> PyResult<Value> {
        if self.is_exception(v) {
            return Ok(v);
        }
        if let Some(t) = v.as_type().and_then(TypeId::from_u16) {
            if t.is_exception() {
                return self.new_exception(t, &[]);
            }
        }
        Err(self.raise(TypeId::TypeError, "exceptions must derive from BaseException"))
    }
}
