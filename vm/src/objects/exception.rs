//! Exception instances: `[type, args, traceback]`. The traceback is a list of
//! `(file, line, function)` triples, innermost first, appended while the
//! exception unwinds.

use crate::error::{PyErr, PyResult};
use crate::features;
use crate::objects::{list, tuple, Kind, TypeId};
use crate::qstr::Qstr;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

const TYPE: usize = 0;
const ARGS: usize = 1;
const TRACEBACK: usize = 2;

/// Args an exception made with the heap locked can keep (MicroPython's
/// 256-byte emergency exception buffer holds about this many).
pub(crate) const EMERGENCY_ARGS: usize = 16;

impl Vm {
    pub fn new_exception(&mut self, ty: TypeId, args: &[Value]) -> PyResult<Value> {
        self.despite_heap_lock(|vm| {
            let args = vm.new_tuple(args)?;
            let r = vm.heap.alloc_values(Kind::Exception, 4)?;
            vm.heap.set_slot(r, TYPE, ty.value());
            vm.heap.set_slot(r, ARGS, args);
            Ok(Value::obj(r))
        })
    }

    /// Runs `f` with `micropython.heap_lock()` lifted: the exceptions the VM
    /// raises (a NameError in code run with the heap locked) are made even
    /// then, as MicroPython makes them in its emergency buffer. A full heap
    /// still fails.
    pub(crate) fn despite_heap_lock<R>(&mut self, f: impl FnOnce(&mut Vm) -> R) -> R {
        let depth = core::mem::replace(&mut self.heap.lock_depth, 0);
        let r = f(self);
        self.heap.lock_depth = depth;
        r
    }

    pub fn is_exception(&self, v: Value) -> bool {
        self.kind_of(v) == Some(Kind::Exception)
    }

    pub fn exception_type(&self, v: Value) -> TypeId {
        // A Python subclass's instance holds its class: report the builtin
        // exception it derives from.
        let t = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Exception).map_or(Value::NULL, |r| self.heap.slot(r, TYPE));
        self.native_base(t).unwrap_or(TypeId::Exception)
    }

    pub fn exception_args(&self, v: Value) -> &[Value] {
        match v.as_obj().and_then(|r| self.heap.slot(r, ARGS).as_obj()) {
            Some(t) => tuple::items(&self.heap, t),
            None => &[],
        }
    }

    /// An exception of type `ty` whose message is the concatenation of
    /// `parts`, as the error to propagate. Without room for the message it
    /// is MemoryError, which the VM's loop answers by collecting and running
    /// the instruction again; if that fails too, the loop makes the
    /// exception without its message (`bare_exception`; MicroPython
    /// truncates the message).
    ///
    /// Built with `terse-errors` (MicroPython's MICROPY_ERROR_REPORTING_NONE)
    /// the exception has no message: inlined, this drops the message's text
    /// and the work that formats it from every caller.
    #[inline(always)]
    pub fn raise_parts(&mut self, ty: TypeId, parts: &[&[u8]]) -> PyErr {
        if features::TERSE_ERRORS {
            self.raise_bare(ty)
        } else {
            self.raise_with(ty, parts)
        }
    }

    /// An exception whose message is `prefix`, the text of name `q`, then
    /// `suffix` (the name copied out of the heap first). One copy of the
    /// work for the many messages that name a type or an attribute (with
    /// `terse-errors` only the type: inlined, the name is never looked up).
    #[cfg_attr(not(feature = "terse-errors"), inline(never))]
    #[cfg_attr(feature = "terse-errors", inline(always))]
    pub(crate) fn raise_name(&mut self, ty: TypeId, prefix: &[u8], q: crate::qstr::Qstr, suffix: &[u8]) -> PyErr {
        if features::TERSE_ERRORS {
            return self.raise_bare(ty);
        }
        let (buf, n) = self.name_copy(q);
        self.raise_with(ty, &[prefix, &buf[..n], suffix])
    }

    /// `raise_name` with the name of `v`'s type; with `terse-errors` the
    /// type is not even looked up.
    #[cfg_attr(not(feature = "terse-errors"), inline(never))]
    #[cfg_attr(feature = "terse-errors", inline(always))]
    pub(crate) fn raise_type_name(&mut self, ty: TypeId, prefix: &[u8], v: Value, suffix: &[u8]) -> PyErr {
        if features::TERSE_ERRORS {
            return self.raise_bare(ty);
        }
        let name = self.type_of(v).name();
        self.raise_name(ty, prefix, name, suffix)
    }

    /// `raise_name` with the name of class `cls` (nothing looked up with
    /// `terse-errors`).
    #[cfg_attr(not(feature = "terse-errors"), inline(never))]
    #[cfg_attr(feature = "terse-errors", inline(always))]
    pub(crate) fn raise_class_name(&mut self, ty: TypeId, prefix: &[u8], cls: Value, suffix: &[u8]) -> PyErr {
        if features::TERSE_ERRORS {
            return self.raise_bare(ty);
        }
        let name = self.class_name(cls);
        self.raise_name(ty, prefix, name, suffix)
    }

    /// An exception whose message has counts in it (`parts` and `nums` as
    /// `put_counted` takes them). With `terse-errors` nothing is formatted.
    pub(crate) fn raise_counted(&mut self, ty: TypeId, parts: &[&[u8]], nums: &[usize]) -> PyErr {
        if features::TERSE_ERRORS {
            return self.raise_bare(ty);
        }
        let mut msg = alloc::vec::Vec::new();
        match crate::runtime::format::put_counted(&mut msg, parts, nums) {
            Ok(()) => self.raise_with(ty, &[&msg]),
            Err(e) => e,
        }
    }

    /// An exception of type `ty` without a message, as the error to
    /// propagate (the preallocated one if the heap is full).
    #[inline(never)]
    pub(crate) fn raise_bare(&mut self, ty: TypeId) -> PyErr {
        match self.bare_exception(ty) {
            Ok(e) => PyErr::exc(e),
            Err(e) => e,
        }
    }

    /// Whether native code that called something got an exception of type
    /// `ty` (or a subclass) from it, to catch: raised, or raised but out of
    /// memory for its message (`wanted_exception`), which catching settles
    /// (else the retried instruction would raise it, bare, past the catch).
    pub(crate) fn caught(&mut self, e: PyErr, ty: TypeId) -> bool {
        match e {
            PyErr::Exc(x) => self.exception_type(x.value()).is_subtype_of(ty),
            PyErr::NoMemory => match self.wanted_exception {
                Some(w) if w.is_subtype_of(ty) => {
                    self.wanted_exception = None;
                    true
                }
                _ => false,
            },
        }
    }

    /// `raise` where what raises it has already changed something (a
    /// generator has ended), so that the instruction can't be retried: out
    /// of memory for the message, collect and try again here, and failing
    /// that raise the exception without it.
    pub(crate) fn raise_final(&mut self, ty: TypeId, msg: &str) -> PyErr {
        let e = self.raise(ty, msg);
        if e != PyErr::NoMemory {
            return e;
        }
        self.wanted_exception = None;
        if self.heap.auto_collect {
            self.collect();
            let e = self.raise(ty, msg);
            self.wanted_exception = None;
            if e != PyErr::NoMemory {
                return e;
            }
        }
        self.raise_bare(ty)
    }

    /// `raise`'s body, out of line: one call per raise site.
    #[inline(never)]
    fn raise_msg(&mut self, ty: TypeId, msg: &str) -> PyErr {
        self.raise_with(ty, &[msg.as_bytes()])
    }

    /// `raise_parts`'s body.
    fn raise_with(&mut self, ty: TypeId, parts: &[&[u8]]) -> PyErr {
        let made = self.despite_heap_lock(|vm| match vm.new_str_from_parts(parts) {
            Ok(msg) => vm.new_exception(ty, &[msg]),
            Err(e) if vm.heap.auto_collect => {
                vm.wanted_exception = Some(ty);
                Err(e)
            }
            Err(_) => vm.bare_exception(ty),
        });
        match made {
            Ok(e) => PyErr::exc(e),
            Err(e) => e,
        }
    }

    /// An exception of type `ty` without args: made if there is room, else
    /// the preallocated one, reused.
    pub(crate) fn bare_exception(&mut self, ty: TypeId) -> PyResult<Value> {
        if let Ok(e) = self.despite_heap_lock(|vm| vm.new_exception(ty, &[])) {
            return Ok(e);
        }
        let Some(r) = self.emergency_exception.as_obj() else { return Err(PyErr::NoMemory) };
        // Its args stay the empty tuple it was made with.
        self.heap.set_slot(r, TYPE, ty.value());
        self.heap.set_slot(r, TRACEBACK, Value::NONE);
        Ok(self.emergency_exception)
    }

    /// An exception of type `ty` with message `msg` (none with
    /// `terse-errors`), as the error to propagate.
    #[inline(always)]
    pub fn raise(&mut self, ty: TypeId, msg: &str) -> PyErr {
        if features::TERSE_ERRORS {
            self.raise_bare(ty)
        } else {
            self.raise_msg(ty, msg)
        }
    }

    /// The exception instance for an error. Out of memory becomes the
    /// preallocated `MemoryError`, whose traceback list has room reserved at
    /// start-up: the heap is full just when it is needed.
    pub fn exception_value(&mut self, e: PyErr) -> Value {
        match e {
            PyErr::Exc(v) => v.value(),
            PyErr::NoMemory => {
                let v = self.emergency_memory_error();
                if let Some(tb) = v.as_obj().and_then(|r| self.heap.slot(r, TRACEBACK).as_obj()) {
                    while self.list_pop(tb, 0).is_some() {}
                }
                v
            }
        }
    }

    /// A `MemoryError` with room for `entries` traceback entries, made while
    /// there is memory to spare.
    pub(crate) fn new_emergency_memory_error(&mut self, entries: usize) -> PyResult<Value> {
        let e = self.new_exception(TypeId::MemoryError, &[Value::qstr(crate::qstr::q::memory_allocation_failed)])?;
        let tb = self.new_list(&[])?;
        let tbr = tb.as_obj().expect("new list");
        self.list_reserve(tbr, entries * 3)?;
        self.heap.set_slot(e.as_obj().expect("new exception"), TRACEBACK, tb);
        Ok(e)
    }

    /// Records that `exc` passed through `name` at `file:line`. Best effort:
    /// with no room left the entry is dropped, the exception still propagates.
    pub fn add_traceback(&mut self, exc: Value, file: Qstr, line: usize, name: Qstr) {
        self.add_traceback_or_collect(exc, file, line, name, false);
    }

    /// `add_traceback`; with `collect` (while the interpreter unwinds, the
    /// frames holding everything live), out of memory collects and tries
    /// once more, but not while the program holds the heap locked. Failing
    /// that the entry is left out, as MicroPython leaves it out.
    pub(crate) fn add_traceback_or_collect(&mut self, exc: Value, file: Qstr, line: usize, name: Qstr, collect: bool) {
        let Some(r) = exc.as_obj().filter(|&r| self.heap.kind(r) == Kind::Exception) else {
            return;
        };
        // One loop rather than a second call: a single copy of the entry code.
        let mut retry = collect;
        loop {
            let depth = core::mem::replace(&mut self.heap.lock_depth, 0);
            let added = self.add_traceback_entry(r, file, line, name);
            self.heap.lock_depth = depth;
            if added || !core::mem::take(&mut retry) || depth != 0 || self.with_root(exc, |vm| Ok(vm.collect_to_retry())) != Ok(true) {
                return;
            }
        }
    }

    /// Whether the entry could be added.
    fn add_traceback_entry(&mut self, r: ObjRef, file: Qstr, line: usize, name: Qstr) -> bool {
        let tb = match self.heap.slot(r, TRACEBACK).as_obj() {
            Some(tb) => tb,
            None => match self.new_list(&[]) {
                Ok(l) => {
                    self.heap.set_slot(r, TRACEBACK, l);
                    l.as_obj().expect("new list")
                }
                Err(_) => return false,
            },
        };
        if self.list_reserve(tb, 3).is_err() {
            return false;
        }
        for v in [Value::qstr(file), Value::small_int(line as isize), Value::qstr(name)] {
            let _ = self.list_push(tb, v);
        }
        true
    }

    /// Empties an exception's traceback, keeping its list for reuse.
    pub(crate) fn clear_traceback(&mut self, exc: Value) {
        if let Some(tb) = exc.as_obj().filter(|&r| self.heap.kind(r) == Kind::Exception).and_then(|r| self.heap.slot(r, TRACEBACK).as_obj())
        {
            while self.list_pop(tb, list::len(&self.heap, tb).saturating_sub(1)).is_some() {}
        }
    }

    /// The `(file, line, function)` triples, innermost first.
    pub fn traceback_entries(&self, exc: Value) -> &[Value] {
        match exc.as_obj().and_then(|r| self.heap.slot(r, TRACEBACK).as_obj()) {
            Some(tb) => list::items(&self.heap, tb),
            None => &[],
        }
    }
}
