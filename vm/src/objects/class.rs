//! User classes and their instances. A class is `[name, bases, dict, mro,
//! native base]`: the MRO is a tuple starting with the class itself, made by
//! C3 linearisation; its entries are classes or builtin types (immediates),
//! and `object` is left implicit at the end. An instance is `[class, dict]`;
//! instances of classes derived from a builtin exception are exception
//! objects whose type slot holds the class.

use crate::error::{no_mem, PyResult};
use crate::objects::{tuple, Kind, TypeId};
use crate::qstr::{q, Qstr};
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

pub mod cls {
    pub const NAME: usize = 0;
    pub const BASES: usize = 1;
    pub const DICT: usize = 2;
    pub const MRO: usize = 3;
    /// The builtin type instances are made of (an exception type), or NULL.
    pub const NATIVE: usize = 4;
    /// True if the class's dict or a base's held a data descriptor (a
    /// property, or an object whose class has `__set__` or `__delete__`)
    /// when it was made, or one has been set on it since.
    pub const HAS_DATA_DESCRIPTOR: usize = 5;
    /// True if the class's dict or a base's held `__setattr__` or
    /// `__delattr__` when it was made, or one has been set on it since.
    pub const HAS_ATTR_HOOKS: usize = 6;
    pub const SLOTS: usize = 7;
}

impl Vm {
    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    pub fn is_class(&self, v: Value) -> bool {
        self.kind_of(v) == Some(Kind::Class)
    }

    /// The class of any value: a user class, or a builtin type immediate.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    pub fn class_of(&self, v: Value) -> Value {
        match self.kind_of(v) {
            Some(Kind::Instance) => self.heap.slot(v.as_obj().expect("instance"), 0),
            Some(Kind::Exception) => {
                let t = self.heap.slot(v.as_obj().expect("exception"), 0);
                if self.is_class(t) {
                    t
                } else {
                    self.type_of(v).value()
                }
            }
            _ => {
                let t = self.type_of(v);
                // A native object's class is its native type.
                #[cfg(feature = "foreign")]
                if t == TypeId::Capsule {
                    return self.capsule_class(v);
                }
                t.value()
            }
        }
    }

    /// An instance of builtin type `t` holding `value` (its native state)
    /// and `extra` in the attribute-dict slot, which builtin types without
    /// attributes use for state of their own.
    pub(crate) fn native_instance(&mut self, t: TypeId, value: Value, extra: Value) -> PyResult<Value> {
        self.with_root(value, |vm| {
            let r = vm.heap.alloc_values(Kind::Instance, 3)?;
            vm.heap.set_slot(r, 0, t.value());
            vm.heap.set_slot(r, 1, extra);
            vm.heap.set_slot(r, 2, value);
            Ok(Value::obj(r))
        })
    }

    pub fn class_name(&self, c: Value) -> Qstr {
        match c.as_obj().filter(|_| self.is_class(c)) {
            Some(r) => self.heap.slot(r, cls::NAME).as_qstr().unwrap_or(q::EMPTY),
            None => c.as_type().and_then(TypeId::from_u16).map_or(q::object, |t| t.name()),
        }
    }

    /// The builtin type a class's instances are made of, if not plain objects.
    /// The builtin value inside an instance of a subclass of a builtin
    /// type (`class L(list)`), which builtin operations act on; else `v`.
    #[inline]
    pub fn native_value(&self, v: Value) -> Value {
        match v.as_obj() {
            Some(r) if self.heap.kind(r) == Kind::Instance && self.heap.len(r) > 2 => self.heap.slot(r, 2),
            _ => v,
        }
    }

    pub fn native_base(&self, c: Value) -> Option<TypeId> {
        match c.as_obj().filter(|_| self.is_class(c)) {
            Some(r) => self.heap.slot(r, cls::NATIVE).as_type().and_then(TypeId::from_u16),
            None => c.as_type().and_then(TypeId::from_u16),
        }
    }

    /// The MRO of a class or builtin type, `object` left out.
    fn mro_into(&self, c: Value, out: &mut Vec<Value>) -> PyResult<()> {
        if let Some(r) = c.as_obj().filter(|_| self.is_class(c)) {
            let m = self.heap.slot(r, cls::MRO).as_obj().expect("class has an MRO");
            let items = tuple::items(&self.heap, m);
            out.try_reserve(items.len()).map_err(no_mem)?;
            out.extend_from_slice(items);
            return Ok(());
        }
        let mut t = c.as_type().and_then(TypeId::from_u16);
        while let Some(x) = t.filter(|&x| x != TypeId::Object) {
            out.try_reserve(1).map_err(no_mem)?;
            out.push(x.value());
            t = x.base();
        }
        Ok(())
    }

    /// Whether class `c` is `of` or derives from it.
    pub fn is_subclass(&self, c: Value, of: Value) -> bool {
        if c == of || of == TypeId::Object.value() {
            return true;
        }
        if let Some(r) = c.as_obj().filter(|_| self.is_class(c)) {
            let m = self.heap.slot(r, cls::MRO).as_obj().expect("class has an MRO");
            return tuple::items(&self.heap, m).iter().any(|&x| x == of || self.is_subclass_builtin(x, of));
        }
        self.is_subclass_builtin(c, of)
    }

    fn is_subclass_builtin(&self, c: Value, of: Value) -> bool {
        match (c.as_type().and_then(TypeId::from_u16), of.as_type().and_then(TypeId::from_u16)) {
            (Some(a), Some(b)) => a.is_subtype_of(b),
            _ => false,
        }
    }

    /// `class name(*bases)` with namespace `ns`.
    pub fn new_class(&mut self, name: Qstr, bases: &[Value], ns: Value) -> PyResult<Value> {
        // The compiler's class bodies return their namespace; code from a
        // precompiled file that was changed by hand might not.
        if cfg!(feature = "mpy") && !ns.as_obj().is_some_and(|r| self.heap.kind(r) == Kind::Dict) {
            return Err(self.raise(TypeId::TypeError, "class namespace must be a dict"));
        }
        for &b in bases {
            // io.IOBase is a plain base: its subclasses are ordinary classes
            // that define the stream methods themselves.
            let ok = self.is_class(b)
                || b.as_type()
                    .and_then(TypeId::from_u16)
                    .is_some_and(|t| t == TypeId::Object || t == TypeId::IOBase || t.is_exception() || subclassable(t));
            if !ok {
                return Err(self.raise_class_name(TypeId::TypeError, b"type '", b, b"' isn't an acceptable base type"));
            }
        }
        let mro = self.linearize(bases)?;
        let native = mro.iter().find(|v| v.as_type().is_some()).copied().unwrap_or(Value::NULL);
        let bases_t = self.new_tuple(bases)?;
        let r = self.heap.alloc_values(Kind::Class, cls::SLOTS)?;
        let mut full: Vec<Value> = Vec::new();
        full.try_reserve(mro.len() + 1).map_err(no_mem)?;
        full.push(Value::obj(r));
        full.extend_from_slice(&mro);
        // Fill the class before the tuple allocation so a collection there is moot.
        self.heap.set_slot(r, cls::NAME, Value::qstr(name));
        self.heap.set_slot(r, cls::BASES, bases_t);
        self.heap.set_slot(r, cls::DICT, ns);
        self.heap.set_slot(r, cls::NATIVE, native);
        self.heap.set_slot(r, cls::HAS_DATA_DESCRIPTOR, Value::FALSE);
        self.heap.set_slot(r, cls::HAS_ATTR_HOOKS, Value::FALSE);
        let mro_t = self.new_tuple(&full)?;
        self.heap.set_slot(r, cls::MRO, mro_t);
        // `__new__` is a static method without saying so.
        if let Some(d) = ns.as_obj().filter(|_| self.kind_of(ns) == Some(Kind::Dict)) {
            if let Some(f) = self.dict_get(d, Value::qstr(crate::qstr::q::__new__))?.filter(|&f| self.kind_of(f) == Some(Kind::Function)) {
                let c = Value::obj(r);
                let s = self.with_root(c, |vm| vm.new_wrapper(Kind::StaticMethod, &[f]))?;
                self.with_root(c, |vm| vm.dict_set(d, Value::qstr(crate::qstr::q::__new__), s))?;
            }
        }
        let c = Value::obj(r);
        self.with_root(c, |vm| vm.note_data_descriptors(r))?;
        Ok(c)
    }

    /// Sets the class's data-descriptor mark if its dict, or a base, has
    /// one, and its attribute-hook mark likewise.
    fn note_data_descriptors(&mut self, r: ObjRef) -> PyResult<()> {
        let own_hook = match self.heap.slot(r, cls::DICT).as_obj().filter(|_| crate::features::CORE_FEATURES) {
            Some(d) => self.dict_get(d, Value::qstr(q::__setattr__))?.is_some() || self.dict_get(d, Value::qstr(q::__delattr__))?.is_some(),
            None => false,
        };
        if own_hook || self.mro_marked(Value::obj(r), cls::HAS_ATTR_HOOKS) {
            self.heap.set_slot(r, cls::HAS_ATTR_HOOKS, Value::TRUE);
        }
        if !crate::features::DATA_DESCRIPTORS {
            return Ok(());
        }
        if self.mro_marked(Value::obj(r), cls::HAS_DATA_DESCRIPTOR) {
            self.heap.set_slot(r, cls::HAS_DATA_DESCRIPTOR, Value::TRUE);
            return Ok(());
        }
        let Some(d) = self.heap.slot(r, cls::DICT).as_obj() else { return Ok(()) };
        let mut i = 0;
        while i < crate::objects::dict::entry_slots(&self.heap, d) {
            if let Some((_, v)) = crate::objects::dict::entry(&self.heap, d, i) {
                if self.is_data_descriptor(v)? {
                    self.heap.set_slot(r, cls::HAS_DATA_DESCRIPTOR, Value::TRUE);
                    return Ok(());
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// Marks a class that a data descriptor was just set on; its existing
    /// subclasses learn of it by walking their MROs from now on.
    pub(crate) fn mark_data_descriptor(&mut self, r: ObjRef) {
        self.heap.set_slot(r, cls::HAS_DATA_DESCRIPTOR, Value::TRUE);
        self.descriptors_added_late = true;
    }

    /// Marks a class that `__setattr__` or `__delattr__` was just set on;
    /// its existing subclasses learn of it by walking their MROs from now on.
    pub(crate) fn mark_attr_hooks(&mut self, r: ObjRef) {
        self.heap.set_slot(r, cls::HAS_ATTR_HOOKS, Value::TRUE);
        self.hooks_added_late = true;
    }

    /// Whether any class in `c`'s MRO has its `mark` slot set.
    fn mro_marked(&self, c: Value, mark: usize) -> bool {
        let Some(r) = c.as_obj().filter(|_| self.is_class(c)) else { return false };
        let m = self.heap.slot(r, cls::MRO).as_obj().expect("class has an MRO");
        tuple::items(&self.heap, m)
            .iter()
            .any(|&k| k.as_obj().filter(|_| self.is_class(k)).is_some_and(|k| self.heap.slot(k, mark) == Value::TRUE))
    }

    /// Whether a class or any class in its MRO may hold a data descriptor:
    /// if not, an instance's own attributes need no look at the class first.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn mro_has_data_descriptors(&self, c: Value) -> bool {
        let Some(r) = c.as_obj().filter(|_| crate::features::DATA_DESCRIPTORS && self.is_class(c)) else { return false };
        self.heap.slot(r, cls::HAS_DATA_DESCRIPTOR) == Value::TRUE
            || (self.descriptors_added_late && self.mro_marked(c, cls::HAS_DATA_DESCRIPTOR))
    }

    /// Whether a class or any class in its MRO may define `__setattr__` or
    /// `__delattr__`: if not, storing and deleting need not look for them.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn mro_has_attr_hooks(&self, c: Value) -> bool {
        let Some(r) = c.as_obj().filter(|_| self.is_class(c)) else { return false };
        self.heap.slot(r, cls::HAS_ATTR_HOOKS) == Value::TRUE || (self.hooks_added_late && self.mro_marked(c, cls::HAS_ATTR_HOOKS))
    }

    /// C3: merge the bases' MROs and the bases, keeping every class before
    /// its bases and the bases in their order.
    fn linearize(&mut self, bases: &[Value]) -> PyResult<Vec<Value>> {
        let mut seqs: Vec<Vec<Value>> = Vec::new();
        seqs.try_reserve(bases.len() + 1).map_err(no_mem)?;
        for &b in bases.iter().filter(|&&b| b != TypeId::Object.value()) {
            let mut m = Vec::new();
            self.mro_into(b, &mut m)?;
            seqs.push(m);
        }
        let mut own: Vec<Value> = Vec::new();
        own.try_reserve(bases.len()).map_err(no_mem)?;
        own.extend(bases.iter().copied().filter(|&b| b != TypeId::Object.value()));
        seqs.push(own);
        let mut out: Vec<Value> = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let head = seqs.iter().map(|s| s[0]).find(|&h| !seqs.iter().any(|s| s[1..].contains(&h)));
            let Some(h) = head else {
                return Err(self.raise(TypeId::TypeError, "cannot create a consistent method resolution order"));
            };
            out.try_reserve(1).map_err(no_mem)?;
            out.push(h);
            for s in seqs.iter_mut() {
                if s[0] == h {
                    s.remove(0);
                }
            }
        }
    }

    /// `name` looked up along a class's MRO (classes' dicts, builtin types'
    /// ROM tables), starting after `after` when given (for `super`).
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn class_lookup(&mut self, c: Value, name: Qstr, after: Option<Value>) -> PyResult<Option<Value>> {
        // Walked in place, not copied: this runs on every attribute store
        // and method lookup. The MRO tuple is rooted by its class.
        if let Some(r) = c.as_obj().filter(|_| self.is_class(c)) {
            let m = self.heap.slot(r, cls::MRO).as_obj().expect("class has an MRO");
            let n = tuple::items(&self.heap, m).len();
            let mut i = match after {
                Some(a) => tuple::items(&self.heap, m).iter().position(|&x| x == a).map_or(n, |i| i + 1),
                None => 0,
            };
            while i < n {
                let entry = tuple::items(&self.heap, m)[i];
                if let Some(d) = entry.as_obj().filter(|_| self.is_class(entry)) {
                    let d = self.heap.slot(d, cls::DICT).as_obj().expect("class dict");
                    if let Some(v) = self.dict_get(d, Value::qstr(name))? {
                        return Ok(Some(v));
                    }
                } else if let Some(v) = entry.as_type().and_then(TypeId::from_u16).and_then(|t| crate::modules::type_attr(t, name)) {
                    return Ok(Some(v));
                }
                i += 1;
            }
            return Ok(None);
        }
        // A builtin type: its chain of bases, `object` left out.
        let mut t = c.as_type().and_then(TypeId::from_u16);
        let mut searching = after.is_none();
        while let Some(x) = t.filter(|&x| x != TypeId::Object) {
            if searching {
                if let Some(v) = crate::modules::type_attr(x, name) {
                    return Ok(Some(v));
                }
            }
            searching |= after == Some(x.value());
            t = x.base();
        }
        Ok(None)
    }

    /// A new plain instance of user class `c`.
    pub fn new_instance(&mut self, c: Value) -> PyResult<Value> {
        let d = self.new_dict(0)?;
        let r = self.heap.alloc_values(Kind::Instance, 2)?;
        self.heap.set_slot(r, 0, c);
        self.heap.set_slot(r, 1, d);
        Ok(Value::obj(r))
    }

    /// The attribute dict of an instance (or of a user exception), if any.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn instance_dict(&self, v: Value) -> Option<ObjRef> {
        let r = v.as_obj()?;
        let slot = match self.heap.kind(r) {
            Kind::Instance => 1,
            Kind::Exception => 3,
            Kind::Class => cls::DICT,
            _ => return None,
        };
        // Builtin-based instances may keep other state in that slot.
        self.heap.slot(r, slot).as_obj().filter(|&d| self.heap.kind(d) == Kind::Dict)
    }

    /// A one-slot wrapper: staticmethod, classmethod, super's pair, property.
    pub fn new_wrapper(&mut self, kind: Kind, items: &[Value]) -> PyResult<Value> {
        let r = self.heap.alloc_values(kind, items.len())?;
        self.heap.slots_mut(r, 0, items.len()).copy_from_slice(items);
        Ok(Value::obj(r))
    }
}

/// Builtin types a class may derive from; their instances carry a value of
/// the type (see `Vm::native_value`).
pub fn subclassable(t: TypeId) -> bool {
    matches!(
        t,
        TypeId::List
            | TypeId::Dict
            | TypeId::Set
            | TypeId::ByteArray
            | TypeId::Tuple
            | TypeId::Str
            | TypeId::Bytes
            | TypeId::Int
            | TypeId::Float
            | TypeId::FrozenSet
            | TypeId::Array
            | TypeId::StringIO
            | TypeId::BytesIO
    )
}

/// Builtin types whose value is filled by `__init__` rather than made
/// from the constructor's arguments.
pub fn mutable_native(t: TypeId) -> bool {
    matches!(t, TypeId::List | TypeId::Dict | TypeId::Set | TypeId::ByteArray)
}
