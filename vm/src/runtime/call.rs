//! Calling: Python functions get a frame in the running loop; builtin
//! functions, methods and types run natively.

use crate::error::{PyErr, PyResult};
use crate::modules;
use crate::objects::function::{code_info, func, makes_generator, CodeInfo};
use crate::objects::{dict, list, tuple, Kind, TypeId};
use crate::qstr::Qstr;
use crate::value::{ObjRef, Value};
use crate::vm::{Frame, Vm};
use alloc::vec::Vec;

/// What a call set up.
pub(crate) enum Called {
    /// A native call finished with this result.
    Value(Value),
    /// A Python frame was pushed; the loop continues in it.
    Frame,
}

/// Arguments as a native function sees them.
pub struct Args<'a> {
    pub pos: &'a [Value],
    /// Pairs of (name qstr, value).
    pub kw: &'a [Value],
}

impl Args<'_> {
    pub fn kwarg(&self, name: crate::qstr::Qstr) -> Option<Value> {
        self.kw.chunks(2).find(|p| p[0] == Value::qstr(name)).map(|p| p[1])
    }
}

impl Vm {
    /// Calls `callee` with the `n_pos` positional and `n_kw` keyword pairs
    /// that start at `stack[args_start]`; its result replaces `stack[ret_sp..]`.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn call_setup(&mut self, callee: Value, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Called> {
        if let Some(r) = callee.as_obj() {
            match self.heap.kind(r) {
                Kind::Function => {
                    let code = self.heap.slot(r, func::CODE).as_obj().expect("function has code");
                    if makes_generator(&self.heap, code) {
                        return self.make_generator(r, ret_sp, args_start, n_pos, n_kw).map(Called::Value);
                    }
                    self.push_frame(r, ret_sp, args_start, n_pos, n_kw)?;
                    return Ok(Called::Frame);
                }
                Kind::Class => return self.construct(callee, ret_sp, args_start, n_pos, n_kw),
                Kind::Instance => {
                    // An instance with __call__ is called like a bound method.
                    let cls = self.class_of(callee);
                    let Some(f) = self.class_lookup(cls, crate::qstr::q::__call__, None)? else {
                        return Err(self.raise_class_name(TypeId::TypeError, b"'", cls, b"' object isn't callable"));
                    };
                    return self.call_with_self(f, callee, ret_sp, args_start, n_pos, n_kw);
                }
                Kind::BoundMethod => {
                    let (this, f) = (self.heap.slot(r, 0), self.heap.slot(r, 1));
                    return self.call_with_self(f, this, ret_sp, args_start, n_pos, n_kw);
                }
                _ => {}
            }
        }
        // Native: copy the arguments out so the callee may use the VM freely.
        let n = n_pos + 2 * n_kw;
        let mut small = [Value::NULL; 12];
        let mut big: Vec<Value> = Vec::new();
        let args: &[Value] = if n <= small.len() {
            small[..n].copy_from_slice(&self.stack[args_start..args_start + n]);
            &small[..n]
        } else {
            big.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
            big.extend_from_slice(&self.stack[args_start..args_start + n]);
            &big
        };
        let v = self.call_native(callee, Args { pos: &args[..n_pos], kw: &args[n_pos..] })?;
        Ok(Called::Value(v))
    }

    /// Calls `f` with `this` in front of the arguments at `args_start`:
    /// in the callee's slot and a new one (a plain call), or in the free
    /// slot a method call left before them. Failing, the stack is put back
    /// as it was, for the instruction to be retried.
    fn call_with_self(&mut self, f: Value, this: Value, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Called> {
        let callee = self.stack[ret_sp];
        if args_start == ret_sp + 1 {
            self.stack.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
            self.stack[ret_sp] = f;
            self.stack.insert(args_start, this);
            let r = self.call_setup(f, ret_sp, args_start, n_pos + 1, n_kw);
            if r.is_err() && self.stack.len() > args_start {
                self.stack.remove(args_start);
                self.stack[ret_sp] = callee;
            }
            return r;
        }
        let free = self.stack[args_start - 1];
        self.stack[args_start - 1] = this;
        let r = self.call_setup(f, ret_sp, args_start - 1, n_pos + 1, n_kw);
        if r.is_err() && self.stack.len() >= args_start {
            self.stack[args_start - 1] = free;
            self.stack[ret_sp] = callee;
        }
        r
    }

    /// Calling a class: a new instance, then its `__init__` as a frame whose
    /// result is the instance.
    fn construct(&mut self, cls: Value, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Called> {
        if let Some(new) = self.class_new_fn(cls)? {
            return self.construct_with_new(cls, new, args_start, n_pos, n_kw).map(Called::Value);
        }
        let init = self.class_lookup(cls, crate::qstr::q::__init__, None)?;
        let inst = match self.native_base(cls) {
            Some(t) if t.is_exception() => {
                let args = tuple::new(&mut self.heap, &self.stack[args_start..args_start + n_pos])?;
                let e = self.new_exception(t, &[])?;
                let d = self.new_dict(0)?;
                let r = e.as_obj().expect("new exception");
                self.heap.set_slot(r, 0, cls);
                self.heap.set_slot(r, 1, args);
                self.heap.set_slot(r, 3, d);
                e
            }
            Some(t) if crate::objects::class::subclassable(t) => {
                // The builtin value: empty when a Python __init__ will fill
                // it, else made from the arguments as the type would.
                let user_init = init.is_some_and(|f| self.kind_of(f) == Some(Kind::Function));
                let fields = self.namedtuple_fields(cls)?;
                let base = if let Some(fields) = fields {
                    let pos: Vec<Value> = self.stack[args_start..args_start + n_pos].to_vec();
                    let kw: Vec<Value> = self.stack[args_start + n_pos..args_start + n_pos + 2 * n_kw].to_vec();
                    self.namedtuple_values(fields, &pos, &kw)?
                } else if user_init && crate::objects::class::mutable_native(t) {
                    crate::modules::construct(self, t, Args { pos: &[], kw: &[] })?
                } else {
                    let kw: Vec<Value> = self.stack[args_start + n_pos..args_start + n_pos + 2 * n_kw].to_vec();
                    let pos: Vec<Value> = self.stack[args_start..args_start + n_pos].to_vec();
                    if user_init && !kw.is_empty() {
                        crate::modules::construct(self, t, Args { pos: &pos, kw: &[] })?
                    } else if user_init {
                        // Immutable values take the arguments the type takes.
                        match crate::modules::construct(self, t, Args { pos: &pos, kw: &[] }) {
                            Ok(v) => v,
                            Err(_) => crate::modules::construct(self, t, Args { pos: &[], kw: &[] })?,
                        }
                    } else {
                        crate::modules::construct(self, t, Args { pos: &pos, kw: &kw })?
                    }
                };
                self.with_root(base, |vm| {
                    // A namedtuple takes no attributes of its own.
                    let d = if fields.is_some() { Value::NULL } else { vm.new_dict(0)? };
                    vm.with_root(d, |vm| {
                        let r = vm.heap.alloc_values(Kind::Instance, 3)?;
                        vm.heap.set_slot(r, 0, cls);
                        vm.heap.set_slot(r, 1, d);
                        vm.heap.set_slot(r, 2, base);
                        Ok(Value::obj(r))
                    })
                })?
            }
            _ => self.new_instance(cls)?,
        };
        match init.filter(|&f| self.kind_of(f) == Some(Kind::Function)) {
            Some(f) => {
                self.stack.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
                let saved = self.stack[ret_sp];
                let r = match self.call_with_self(f, inst, ret_sp, args_start, n_pos, n_kw) {
                    Ok(Called::Frame) => {
                        // The instance waits in the callee slot for the frame to end.
                        self.stack[ret_sp] = inst;
                        if let Some(top) = self.frames.last_mut() {
                            top.construct = true;
                        }
                        Ok(Called::Frame)
                    }
                    other => other,
                };
                if r.is_err() {
                    self.stack[ret_sp] = saved;
                }
                r
            }
            None if n_pos + n_kw > 0 && self.native_base(cls).is_none() => {
                Err(self.raise_class_name(TypeId::TypeError, b"", cls, b"() takes no arguments"))
            }
            _ => Ok(Called::Value(inst)),
        }
    }

    /// A Python `__new__` of class `cls` (or a base), if it has one.
    fn class_new_fn(&mut self, cls: Value) -> PyResult<Option<Value>> {
        let Some(m) = self.class_lookup(cls, crate::qstr::q::__new__, None)? else { return Ok(None) };
        let f = match m.as_obj() {
            Some(r) if self.heap.kind(r) == Kind::StaticMethod => self.heap.slot(r, 0),
            _ => m,
        };
        Ok((self.kind_of(f) == Some(Kind::Function)).then_some(f))
    }

    /// `cls(...)` for a class with its own `__new__`: `__new__(cls, ...)`
    /// makes the object, and `__init__(obj, ...)` runs only when the object
    /// is an instance of `cls`. The arguments stay on the stack meanwhile.
    fn construct_with_new(&mut self, cls: Value, new: Value, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Value> {
        let mut all: Vec<Value> = Vec::new();
        all.try_reserve(1 + n_pos + 2 * n_kw).map_err(|_| PyErr::NoMemory)?;
        all.push(cls);
        all.extend_from_slice(&self.stack[args_start..args_start + n_pos + 2 * n_kw]);
        let obj = self.call_kw(new, &all[..1 + n_pos], &all[1 + n_pos..])?;
        if !self.is_subclass(self.class_of(obj), cls) {
            return Ok(obj);
        }
        let init = self.class_lookup(cls, crate::qstr::q::__init__, None)?;
        if let Some(init) = init.filter(|&f| self.kind_of(f) == Some(Kind::Function)) {
            all[0] = obj;
            let r = self.call_kw(init, &all[..1 + n_pos], &all[1 + n_pos..])?;
            if !r.is_none() {
                return Err(self.raise(TypeId::TypeError, "__init__() should return None"));
            }
        }
        Ok(obj)
    }

    /// `callee(*pos, **kw)` from native code; `kw` holds name/value pairs.
    pub fn call_kw(&mut self, callee: Value, pos: &[Value], kw: &[Value]) -> PyResult<Value> {
        // Each call from native code nests a Rust-level interpreter run.
        if self.native_depth >= self.max_native_depth || self.stack_exhausted() {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        self.native_depth += 1;
        let base = self.stack.len();
        let r = self.stack.try_reserve(1 + pos.len() + kw.len()).map_err(|_| PyErr::NoMemory).and_then(|_| {
            self.stack.push(callee);
            self.stack.extend_from_slice(pos);
            self.stack.extend_from_slice(kw);
            let entry = self.frames.len();
            match self.call_setup(callee, base, base + 1, pos.len(), kw.len() / 2) {
                Ok(Called::Value(v)) => Ok(v),
                Ok(Called::Frame) => {
                    // Python code ran: what it did can't be undone, so the
                    // native caller must not be retried after a collection.
                    self.taken = self.taken.wrapping_add(1);
                    self.run(entry)
                }
                Err(e) => Err(e),
            }
        });
        self.stack.truncate(base);
        self.native_depth -= 1;
        r
    }

    /// Calls a builtin function or type.
    pub fn call_native(&mut self, callee: Value, args: Args) -> PyResult<Value> {
        if let Some(id) = callee.as_builtin_fn() {
            return modules::call_native_fn(self, id, args);
        }
        if let Some(t) = callee.as_type().and_then(TypeId::from_u16) {
            let taken = self.taken;
            let r = modules::construct(self, t, args);
            return self.not_retried(taken, r);
        }
        // `pin()` and `pin(v)` are `pin.value()` and `pin.value(v)`, as in
        // MicroPython; a Signal likewise.
        if cfg!(feature = "machine-pin-extras") && matches!(self.type_of(callee), TypeId::Pin | TypeId::Signal) {
            let mut pos = alloc::vec::Vec::new();
            pos.try_reserve(1 + args.pos.len()).map_err(|_| PyErr::NoMemory)?;
            pos.push(callee);
            pos.extend_from_slice(args.pos);
            return modules::call_value_method(self, callee, Args { pos: &pos, kw: args.kw });
        }
        #[cfg(feature = "foreign")]
        if let Some(id) = callee.as_foreign_fn() {
            return self.call_foreign(id, args);
        }
        Err(self.raise_type_name(TypeId::TypeError, b"'", callee, b"' object isn't callable"))
    }

    /// Calls any callable from native code. The caller's own values must be
    /// in `roots` if it needs them afterwards (a collection may run).
    pub fn call(&mut self, callee: Value, args: &[Value]) -> PyResult<Value> {
        self.call_kw(callee, args, &[])
    }

    /// `obj.name(*args)` if `obj` is an instance of a user class that
    /// defines `name`; `None` otherwise.
    pub fn call_dunder(&mut self, obj: Value, name: Qstr, args: &[Value]) -> PyResult<Option<Value>> {
        if !matches!(self.kind_of(obj), Some(Kind::Instance)) {
            return Ok(None);
        }
        let cls = self.class_of(obj);
        let Some(m) = self.class_lookup(cls, name, None)? else { return Ok(None) };
        // Special methods may be static or class methods too.
        match self.kind_of(m) {
            Some(Kind::StaticMethod) => {
                let f = m.as_obj().map_or(Value::NONE, |r| self.heap.slot(r, 0));
                return self.call(f, args).map(Some);
            }
            Some(Kind::ClassMethod) => {
                let f = m.as_obj().map_or(Value::NONE, |r| self.heap.slot(r, 0));
                let mut all = [Value::NULL; 4];
                let n = args.len().min(3);
                all[0] = cls;
                all[1..=n].copy_from_slice(&args[..n]);
                return self.call(f, &all[..=n]).map(Some);
            }
            _ => {}
        }
        let mut all = [Value::NULL; 4];
        let n = args.len().min(3);
        all[0] = obj;
        all[1..=n].copy_from_slice(&args[..n]);
        self.call(m, &all[..=n]).map(Some)
    }

    /// `f(*args, **kwargs)`: `stack[s..s + 3]` holds the callable, a list of
    /// positional arguments and a dict of keyword arguments. They stay there
    /// (so a retry after a failed allocation finds them) while a flat copy
    /// above them is what the callee sees.
    pub(crate) fn call_ex(&mut self, s: usize) -> PyResult<Called> {
        let (callee, args, kwargs) = (self.stack[s], self.stack[s + 1], self.stack[s + 2]);
        let (l, d) = (args.as_obj().expect("compiler's list"), kwargs.as_obj().expect("compiler's dict"));
        let n_pos = list::len(&self.heap, l);
        let n_kw = dict::len(&self.heap, d);
        self.stack.try_reserve(1 + n_pos + 2 * n_kw).map_err(|_| PyErr::NoMemory)?;
        self.stack.push(callee);
        self.stack.extend_from_slice(list::items(&self.heap, l));
        for pair in dict::raw_entries(&self.heap, d).chunks(2) {
            if !pair[0].is_null() {
                self.stack.extend_from_slice(pair);
            }
        }
        let r = self.call_setup(callee, s, s + 4, n_pos, n_kw);
        if r.is_err() {
            self.stack.truncate(s + 3);
        }
        r
    }

    /// `**mapping` in a call: adds its items to the call's keyword dict.
    pub(crate) fn dict_merge_kwargs(&mut self, into: Value, mapping: Value) -> PyResult<()> {
        let native = self.native_value(mapping);
        if self.kind_of(native) == Some(Kind::Dict) {
            return self.merge_kwargs_dict(into, native);
        }
        // Any other mapping: its keys() and its items by subscript.
        let keys = match self.load_attr(mapping, crate::qstr::q::keys) {
            Ok(k) => k,
            Err(e) if self.caught(e, TypeId::AttributeError) => {
                return Err(self.raise(TypeId::TypeError, "argument after ** must be a mapping"));
            }
            Err(e) => return Err(e),
        };
        let keys = self.call(keys, &[])?;
        let tmp = self.new_dict(0)?;
        let t = tmp.as_obj().expect("new dict");
        self.with_root(tmp, |vm| {
            vm.with_root(keys, |vm| {
                vm.for_each(keys, |vm, k| {
                    let v = vm.subscr(mapping, k)?;
                    vm.dict_set(t, k, v).map(|_| true)
                })
            })?;
            vm.merge_kwargs_dict(into, tmp)
        })
    }

    fn merge_kwargs_dict(&mut self, into: Value, src: Value) -> PyResult<()> {
        let src = src.as_obj().expect("dict");
        let dst = into.as_obj().expect("compiler's dict");
        for i in 0..dict::entry_slots(&self.heap, src) {
            let Some((k, v)) = dict::entry(&self.heap, src, i) else { continue };
            let Some(name) = self.intern_value(k)? else {
                return Err(self.raise(TypeId::TypeError, "keywords must be strings"));
            };
            if self.dict_get(dst, Value::qstr(name))?.is_some() {
                return Err(self.raise_name(TypeId::TypeError, b"function got multiple values for argument '", name, b"'"));
            }
            self.dict_set(dst, Value::qstr(name), v)?;
        }
        Ok(())
    }

    /// Lays out a call's arguments as the frame's parameter slots: keyword
    /// arguments, defaults, `*args` and `**kwargs`. Everything that can
    /// fail happens before the stack changes, so a failed call leaves the
    /// instruction retryable.
    fn bind_args(&mut self, fun: ObjRef, info: &CodeInfo, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<()> {
        let shape = info.shape;
        let defaults = self.heap.slot(fun, func::DEFAULTS);
        let n_defaults = defaults.as_obj().map_or(0, |d| self.heap.len(d));
        if n_pos > shape.n_args && !shape.varargs {
            return Err(self.arg_count_error(shape.n_args, n_pos));
        }
        // Where each keyword argument goes: a parameter slot, or **kwargs.
        let n_params = shape.n_args + shape.n_kwonly;
        let mut given = [false; 64];
        if n_params > given.len() {
            return Err(self.raise(TypeId::TypeError, "too many parameters"));
        }
        given[..n_pos.min(shape.n_args)].fill(true);
        // Where each keyword argument goes, kept here for up to 8 of them
        // (a call allocates nothing on the Rust heap), in a Vec beyond.
        let mut few = [(0usize, Value::NULL); 8];
        let mut n_few = 0;
        let mut many: Vec<(usize, Value)> = Vec::new();
        if n_kw > few.len() {
            many.try_reserve(n_kw).map_err(|_| PyErr::NoMemory)?;
        }
        let mut extra_kw = 0;
        for k in 0..n_kw {
            let (name, value) = (self.stack[args_start + n_pos + 2 * k], self.stack[args_start + n_pos + 2 * k + 1]);
            let params = info.params.as_obj().map(|t| tuple::items(&self.heap, t)).unwrap_or(&[]);
            match params.iter().position(|&p| p == name) {
                Some(i) if given[i] => return Err(self.named_error("function got multiple values for argument '", name)),
                Some(i) => {
                    given[i] = true;
                    if n_kw > few.len() {
                        many.push((i, value));
                    } else {
                        few[n_few] = (i, value);
                        n_few += 1;
                    }
                }
                None if shape.varkw => extra_kw += 1,
                None => return Err(self.named_error("unexpected keyword argument '", name)),
            }
        }
        for i in n_pos.min(shape.n_args)..shape.n_args {
            if !given[i] && i < shape.n_args - n_defaults.min(shape.n_args) {
                let missing = (i..shape.n_args - n_defaults).filter(|&j| !given[j]).count();
                return Err(self.missing_args_error(missing));
            }
        }
        let kwdefaults = self.heap.slot(fun, func::KWDEFAULTS);
        let unset_kwonly = given.iter().enumerate().take(n_params).skip(shape.n_args).filter(|(_, &g)| !g).map(|(i, _)| i);
        for i in unset_kwonly {
            let name = info.params.as_obj().map_or(Value::NONE, |t| tuple::items(&self.heap, t)[i]);
            let has_default = match kwdefaults.as_obj() {
                Some(d) => self.dict_get(d, name)?.is_some(),
                None => false,
            };
            if !has_default {
                return Err(self.named_error("function missing required keyword argument '", name));
            }
        }
        // Allocations: *args tuple, **kwargs dict, stack room, frame.
        let star = if shape.varargs {
            let extra = if n_pos > shape.n_args { &self.stack[args_start + shape.n_args..args_start + n_pos] } else { &[][..] };
            tuple::new(&mut self.heap, extra)?
        } else {
            Value::NULL
        };
        let star_star = if shape.varkw {
            let d = self.new_dict(extra_kw)?;
            let dr = d.as_obj().expect("new dict");
            for k in 0..n_kw {
                let (name, value) = (self.stack[args_start + n_pos + 2 * k], self.stack[args_start + n_pos + 2 * k + 1]);
                let params = info.params.as_obj().map(|t| tuple::items(&self.heap, t)).unwrap_or(&[]);
                if !params.contains(&name) {
                    self.dict_set(dr, name, value)?;
                }
            }
            d
        } else {
            Value::NULL
        };
        self.stack.try_reserve(info.n_locals + info.stack).map_err(|_| PyErr::NoMemory)?;
        self.frames.try_reserve(1).map_err(|_| PyErr::NoMemory)?;

        // Nothing below can fail: the instruction is never half done.
        self.stack.truncate(args_start + n_pos.min(shape.n_args));
        self.stack.resize(args_start + shape.n_args, Value::NULL);
        if shape.varargs {
            self.stack.push(star);
        }
        let kw_base = args_start + shape.n_args + shape.varargs as usize;
        self.stack.resize(kw_base + shape.n_kwonly, Value::NULL);
        if shape.varkw {
            self.stack.push(star_star);
        }
        self.stack.resize(args_start + info.n_locals, Value::NULL);
        let targets = if n_kw > few.len() { &many[..] } else { &few[..n_few] };
        for &(i, v) in targets {
            let slot = if i < shape.n_args { args_start + i } else { kw_base + (i - shape.n_args) };
            self.stack[slot] = v;
        }
        if let Some(d) = defaults.as_obj() {
            let first = shape.n_args - n_defaults.min(shape.n_args);
            for i in first..shape.n_args {
                if self.stack[args_start + i].is_null() {
                    self.stack[args_start + i] = tuple::items(&self.heap, d)[i - first];
                }
            }
        }
        if let Some(d) = kwdefaults.as_obj() {
            for i in 0..shape.n_kwonly {
                if self.stack[kw_base + i].is_null() {
                    let name = info.params.as_obj().map_or(Value::NONE, |t| tuple::items(&self.heap, t)[shape.n_args + i]);
                    // Present: checked above. A lookup by qstr neither allocates nor fails.
                    if let Ok(Some(v)) = self.dict_get(d, name) {
                        self.stack[kw_base + i] = v;
                    }
                }
            }
        }
        Ok(())
    }

    /// Pushes a frame for a Python function. The caller left `n_pos`
    /// arguments, then `n_kw` (name, value) pairs, at `args_start`; they
    /// become the frame's locals. Everything that can fail happens before
    /// the stack changes, so a failed call leaves the instruction retryable.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn push_frame(&mut self, fun: ObjRef, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<()> {
        let code = self.heap.slot(fun, func::CODE).as_obj().expect("function has code");
        let info = code_info(&self.heap, code);
        let shape = info.shape;
        if self.frames.len() >= self.max_call_depth {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        let plain = n_kw == 0 && n_pos == shape.n_args && !shape.varargs && !shape.varkw && shape.n_kwonly == 0;
        if plain {
            // The common call: as many positional arguments as parameters.
            self.stack.try_reserve(info.n_locals + info.stack).map_err(|_| PyErr::NoMemory)?;
            self.frames.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
            self.stack.truncate(args_start + n_pos);
            self.stack.resize(args_start + info.n_locals, Value::NULL);
        } else {
            self.bind_args(fun, &info, args_start, n_pos, n_kw)?;
        }
        // The closure's cells take the last slots.
        if let Some(cells) = self.heap.slot(fun, func::CLOSURE).as_obj() {
            let n = self.heap.len(cells);
            let at = args_start + info.n_locals - n;
            self.stack[at..at + n].copy_from_slice(tuple::items(&self.heap, cells));
        }
        let globals = self.heap.slot(fun, func::GLOBALS);
        self.frames.push(Frame {
            code,
            bc: info.bytecode,
            consts: info.consts,
            globals,
            locals: Value::NULL,
            func: Value::obj(fun),
            ip: 0,
            base: args_start,
            ret_sp,
            construct: false,
            generator: Value::NULL,
        });
        Ok(())
    }

    /// MicroPython's TypeError for a call with the wrong number of
    /// positional arguments (builtins' counts too).
    pub(crate) fn arg_count_error(&mut self, expected: usize, given: usize) -> PyErr {
        self.raise_counted(TypeId::TypeError, &[b"function takes ", b" positional arguments but ", b" were given"], &[expected, given])
    }

    pub(crate) fn missing_args_error(&mut self, missing: usize) -> PyErr {
        self.raise_counted(TypeId::TypeError, &[b"function missing ", b" required positional arguments"], &[missing])
    }

    /// `TypeError` whose message is `prefix` + the qstr name + `'`.
    fn named_error(&mut self, prefix: &str, name: Value) -> PyErr {
        self.raise_name(TypeId::TypeError, prefix.as_bytes(), name.as_qstr().unwrap_or(Qstr(0)), b"'")
    }
}
