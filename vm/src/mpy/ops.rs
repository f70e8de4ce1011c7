//! The operations only code translated from MicroPython's needs (the MP_*
//! opcodes): what MicroPython's VM does for them, on Pyrite's stack.

use crate::error::PyResult;
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Called;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// STORE_COMP: a comprehension's item into the list, dict or set
    /// `n >> 2` below the top.
    pub(crate) fn mpy_store_comp(&mut self, n: usize) -> PyResult<()> {
        let len = self.stack.len();
        let want = match n & 3 {
            0 => Kind::List,
            1 => Kind::Dict,
            _ => Kind::Set,
        };
        let target = (n >> 2).checked_add(1).and_then(|k| len.checked_sub(k)).and_then(|i| self.stack[i].as_obj());
        let Some(target) = target.filter(|&r| self.heap.kind(r) == want) else {
            return Err(self.raise(TypeId::RuntimeError, "bad comprehension"));
        };
        let top = self.stack[len - 1];
        match n & 3 {
            0 => self.list_push(target, top)?,
            1 => {
                // [value, key]
                self.dict_set(target, top, self.stack[len - 2])?;
                self.stack.pop();
            }
            _ => self.set_add(target, top)?,
        }
        self.stack.pop();
        Ok(())
    }

    /// A call with `*` and `**` arguments among the others: `n_pos`
    /// arguments (those the bitmap on top marks are iterables to spread),
    /// then `n_kw` (name, value) pairs (a NULL name marks a mapping to
    /// spread). Gathers them into a list and a dict, as `f(*a, **k)` has
    /// them, and makes the call; returns it and the callee's slot.
    pub(crate) fn mpy_call_star(&mut self, n_pos: usize, n_kw: usize, method: bool) -> PyResult<(Called, usize)> {
        let bits = self.stack.last().and_then(|b| b.as_small_int()).unwrap_or(0) as usize;
        let args = self.stack.len() - 1 - n_pos - 2 * n_kw;
        let (callee, this) = if method { (args - 2, self.stack[args - 1]) } else { (args - 1, Value::NULL) };
        let l = self.new_list(&[])?;
        let lr = l.as_obj().expect("new list");
        let d = self.with_root(l, |vm| vm.new_dict(0))?;
        let dr = d.as_obj().expect("new dict");
        self.with_root(l, |vm| {
            vm.with_root(d, |vm| {
                if !this.is_null() {
                    vm.list_push(lr, this)?;
                }
                for i in 0..n_pos {
                    let a = vm.stack[args + i];
                    if i < usize::BITS as usize && bits >> i & 1 != 0 {
                        vm.for_each(a, |vm, v| vm.list_push(lr, v).map(|_| true))?;
                    } else {
                        vm.list_push(lr, a)?;
                    }
                }
                for k in 0..n_kw {
                    let (name, value) = (vm.stack[args + n_pos + 2 * k], vm.stack[args + n_pos + 2 * k + 1]);
                    if name.is_null() {
                        vm.dict_merge_kwargs(d, value)?;
                    } else {
                        vm.dict_set(dr, name, value)?;
                    }
                }
                Ok(())
            })
        })?;
        // Iterators may have run: from here on the instruction is not
        // retried after a collection.
        self.taken = self.taken.wrapping_add(1);
        let f = self.stack[callee];
        self.stack.truncate(callee);
        self.stack.push(f);
        self.stack.push(l);
        self.stack.push(d);
        self.call_ex(callee).map(|c| (c, callee))
    }

    /// WITH_CLEANUP: `[__exit__, obj, X]`. Calls `__exit__` with X's type,
    /// X and None when X is an exception, else (None, or an unwinding's
    /// place) with three Nones; leaves X, or None when `__exit__` swallowed
    /// the exception. `at`: where the stack ends (the translation's count);
    /// another depth (a damaged file) raises.
    pub(crate) fn mpy_with_cleanup(&mut self, at: usize) -> PyResult<()> {
        let n = self.stack.len();
        if n != at || n < 3 {
            return Err(self.raise(TypeId::RuntimeError, "bad unwinding"));
        }
        // An unwinding's place (a small int) stays, as None does.
        let unwinding = self.stack[n - 1].is_small_int();
        let (exit, this, x) = (self.stack[n - 3], self.stack[n - 2], self.stack[n - 1]);
        let exc = !unwinding && !x.is_none() && !x.is_null();
        let args = if exc { [this, self.class_of(x), x, Value::NONE] } else { [this, Value::NONE, Value::NONE, Value::NONE] };
        let r = if this.is_null() { self.call(exit, &args[1..]) } else { self.call(exit, &args) }?;
        let left = if exc && self.truthy(r)? { Value::NONE } else { x };
        self.stack.truncate(n - 3);
        self.stack.push(left);
        Ok(())
    }

    /// `__build_class__(body, name, *bases)`: runs the class body with a
    /// new namespace as its locals, makes the class, and fills the
    /// `__class__` cell the body returns (zero-argument `super()`).
    pub(crate) fn mpy_build_class(&mut self, n_pos: usize, n_kw: usize) -> PyResult<Value> {
        let start = self.stack.len() - n_pos - 2 * n_kw;
        if n_kw > 0 {
            return Err(self.raise(TypeId::TypeError, "metaclass not supported"));
        }
        let (body, name) = (self.stack[start], self.stack.get(start + 1).copied().unwrap_or(Value::NONE));
        let (Some(fun), Some(name)) = (body.as_obj().filter(|&f| self.heap.kind(f) == Kind::Function), name.as_qstr()) else {
            return Err(self.raise(TypeId::TypeError, "__build_class__ needs a function and a name"));
        };
        let mut bases = [Value::NULL; 8];
        let n_bases = n_pos.saturating_sub(2);
        if n_bases > bases.len() {
            return Err(self.raise(TypeId::TypeError, "too many base classes"));
        }
        bases[..n_bases].copy_from_slice(&self.stack[start + 2..start + n_pos]);
        if self.native_depth >= self.max_native_depth || self.stack_exhausted() {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        let ns = self.new_dict(0)?;
        self.with_root(ns, |vm| {
            vm.native_depth += 1;
            let sp = vm.stack.len();
            let entry = vm.frames.len();
            let r = vm.push_frame(fun, sp, sp, 0, 0).and_then(|_| {
                if let Some(f) = vm.frames.last_mut() {
                    f.locals = ns;
                }
                vm.taken = vm.taken.wrapping_add(1);
                vm.run(entry)
            });
            vm.stack.truncate(sp);
            vm.native_depth -= 1;
            let cell = r?;
            // MicroPython's class bodies store these two; Pyrite's classes
            // do not have them (a class from source would lack them).
            let nsr = ns.as_obj().expect("new dict");
            for text in [&b"__module__"[..], b"__qualname__"] {
                if let Some(q) = vm.find_qstr(text) {
                    vm.dict_remove(nsr, Value::qstr(q))?;
                }
            }
            let c = vm.new_class(name, &bases[..n_bases], ns)?;
            vm.with_root(c, |vm| {
                vm.class_set_names(c)?;
                if let Some(cr) = cell.as_obj().filter(|&r| vm.heap.kind(r) == Kind::Cell) {
                    vm.heap.set_slot(cr, 0, c);
                }
                Ok(c)
            })
        })
    }
}

impl Vm {
    /// MP_CANCEL_FINALLY: leaves a finally body from inside, the stack back
    /// to `at`, where the block began: its pending state goes (None, an
    /// exception or an unwinding's place) with whatever the body had pushed.
    /// A stack not above `at` (a damaged file) raises.
    pub(crate) fn mpy_cancel_finally(&mut self, at: usize) -> PyResult<()> {
        if self.stack.len() <= at {
            return Err(self.raise(TypeId::RuntimeError, "bad unwinding"));
        }
        self.stack.truncate(at);
        Ok(())
    }
}

/// Where END_FINALLY goes on to, in translated code: None (a finally body
/// reached normally) goes on; a small int is the place an unwinding
/// `break`, `continue` or `return` resumes at; an exception is raised again.
pub(crate) enum FinallyNext {
    Raise,
    Resume(usize),
    On,
}

pub(crate) fn finally_next(v: Value) -> FinallyNext {
    if v.is_null() || v.is_none() {
        FinallyNext::On
    } else if let Some(at) = v.as_small_int() {
        FinallyNext::Resume(at as usize)
    } else {
        FinallyNext::Raise
    }
}
