//! Native code the port links in: modules of functions and constants,
//! objects it makes (capsules, with its own methods and a finaliser), and
//! handles through which it calls Python and schedules calls. The VM knows
//! them only through the [`Foreign`] trait; the Zephyr port implements it
//! over the C modules registered at link time (`rust/src/cmodule.rs`).
//!
//! Tables (modules and capsule types) are numbered by the port, at most 256
//! of them with at most 255 members each, so that a function is an
//! immediate value (`Value::foreign_fn`) and costs no heap. Member number
//! 255 stands for a type's table itself: the class of its capsules, which
//! calling makes one (its `__new__` member) and whose attributes are the
//! table's members.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{list, Kind, TypeId};
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

/// What a member of a native table is.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Member {
    /// A function taking `min` to `max` positional arguments (`max` 255: no
    /// limit); a capsule type's function is a method and counts `self`.
    Function {
        min: u8,
        max: u8,
    },
    Int(i64),
    Float(f64),
    Str(&'static [u8]),
    /// A capsule type (its table), as a class.
    Type(u8),
}

/// The member number of a type's table itself (see the module's comment).
pub const TYPE_MEMBER: u8 = 255;

/// The port's native tables.
pub trait Foreign: Sync {
    /// The module `import` finds for `name` (dotted for a submodule).
    fn find(&self, name: &[u8]) -> Option<u8>;
    /// Each module's name (for `help('modules')`).
    fn names(&self, each: &mut dyn FnMut(&[u8]));
    /// Table `table`'s name (a module's, or a capsule type's).
    fn table_name(&self, table: u8) -> &'static [u8];
    /// Member `member` of table `table`: its name and what it is.
    fn member(&self, table: u8, member: u8) -> Option<(&'static [u8], Member)>;
    /// Calls function `member` of table `table` with `args` (their count
    /// already checked).
    fn call(&self, vm: &mut Vm, table: u8, member: u8, args: &[Value]) -> PyResult<Value>;
    /// The table of the capsule type at address `ty`.
    fn capsule_table(&self, ty: usize) -> Option<u8>;
    /// Releases the native object at `ptr` of a capsule of type `ty` that
    /// the collector found unreachable, or that a soft reset ends. It runs
    /// inside the collector: no Python, no allocation on the Python heap.
    fn finalise(&self, ptr: usize, ty: usize);
}

/// Handle 0 is never given out; slot 0 of the handle table keeps the result
/// of the port's last call into Python alive until its next one.
const RESULT_SLOT: usize = 0;

impl Vm {
    /// A native module, made from the port's table on first import and then
    /// found in `sys.modules`: its functions are immediates, its constants
    /// and names made here.
    pub(crate) fn import_foreign(&mut self, name: Qstr, dotted: &[u8]) -> PyResult<Option<Value>> {
        let Some(f) = self.foreign else { return Ok(None) };
        let Some(t) = f.find(dotted) else { return Ok(None) };
        let g = self.new_dict(4)?;
        let m = self.with_root(g, |vm| {
            let gr = g.as_obj().expect("dict");
            vm.dict_set(gr, Value::qstr(q::__name__), Value::qstr(name))?;
            for i in 0..TYPE_MEMBER {
                let Some((member, _)) = f.member(t, i) else { break };
                let key = vm.intern(member)?;
                let v = vm.member_value(f, t, i)?;
                vm.with_root(v, |vm| vm.dict_set(gr, Value::qstr(key), v))?;
            }
            vm.new_module(name, g)
        })?;
        let mods = self.sys_modules.as_obj().expect("sys.modules");
        self.with_root(m, |vm| vm.dict_set(mods, Value::qstr(name), m))?;
        Ok(Some(m))
    }

    /// Calls a native function: its argument count checked, and never
    /// retried after a `MemoryError` (native code may have acted already).
    pub(crate) fn call_foreign(&mut self, (t, i): (u8, u8), args: Args) -> PyResult<Value> {
        let Some(f) = self.foreign else { return Err(self.raise(TypeId::NotImplementedError, "not built in")) };
        if !args.kw.is_empty() {
            return Err(crate::modules::no_keywords(self));
        }
        // A type's table called: its constructor.
        let (t, i) = match i {
            TYPE_MEMBER => match find_member(f, t, b"__new__") {
                Some(n) => (t, n),
                None => return Err(self.raise(TypeId::TypeError, "cannot create instances")),
            },
            _ => (t, i),
        };
        let Some((_, Member::Function { min, max })) = f.member(t, i) else {
            return Err(self.raise(TypeId::NotImplementedError, "not built in"));
        };
        arity(self, &args, min as usize, if max == u8::MAX { usize::MAX } else { max as usize })?;
        let taken = self.taken;
        self.taken = self.taken.wrapping_add(1);
        let r = f.call(self, t, i, args.pos);
        self.not_retried(taken, r)
    }

    /// The name of a native function or type (`__name__`, its repr).
    pub(crate) fn foreign_fn_name(&self, (t, i): (u8, u8)) -> &'static [u8] {
        match (self.foreign, i) {
            (Some(f), TYPE_MEMBER) => f.table_name(t),
            (Some(f), _) => f.member(t, i).map_or(b"?", |(n, _)| n),
            (None, _) => b"?",
        }
    }

    /// An attribute of a native type: its table's constants and (unbound)
    /// functions.
    pub(crate) fn foreign_type_attr(&mut self, t: u8, name: Qstr) -> PyResult<Option<Value>> {
        let Some(f) = self.foreign else { return Ok(None) };
        let Some(i) = find_member(f, t, self.qstr_bytes(name)) else { return Ok(None) };
        self.member_value(f, t, i).map(Some)
    }

    /// The value a table's member stands for.
    fn member_value(&mut self, f: &'static dyn Foreign, t: u8, i: u8) -> PyResult<Value> {
        Ok(match f.member(t, i).map(|(_, m)| m) {
            Some(Member::Function { .. }) => Value::foreign_fn(t, i),
            Some(Member::Int(n)) => self.int_value(n)?,
            #[cfg(feature = "float")]
            Some(Member::Float(x)) => self.new_float(x as crate::objects::fmath::Float)?,
            Some(Member::Str(s)) => self.new_str(s)?,
            Some(Member::Type(t)) => Value::foreign_fn(t, TYPE_MEMBER),
            _ => Value::NONE,
        })
    }

    /// The class of a capsule: its native type's table. (Cold and apart:
    /// `class_of`, on every attribute lookup, stays small enough to inline.)
    #[cold]
    #[inline(never)]
    pub(crate) fn capsule_class(&self, obj: Value) -> Value {
        self.capsule_table(obj).map_or(TypeId::Capsule.value(), |t| Value::foreign_fn(t, TYPE_MEMBER))
    }

    /// The native table of a capsule's type.
    fn capsule_table(&self, obj: Value) -> Option<u8> {
        let (_, ty) = self.capsule_parts(obj)?;
        self.foreign?.capsule_table(ty)
    }

    /// An attribute of a native function, type or capsule, if `obj` is one.
    #[cold]
    #[inline(never)]
    pub(crate) fn foreign_attr(&mut self, obj: Value, name: Qstr) -> PyResult<Option<(Value, Value)>> {
        if let Some(found) = self.capsule_attr(obj, name)? {
            return Ok(Some(found));
        }
        match obj.as_foreign_fn() {
            Some(id) if name == q::__name__ => {
                let n = self.intern(self.foreign_fn_name(id))?;
                Ok(Some((Value::qstr(n), Value::NULL)))
            }
            Some((t, TYPE_MEMBER)) => Ok(self.foreign_type_attr(t, name)?.map(|v| (v, Value::NULL))),
            _ => Ok(None),
        }
    }

    /// A capsule's method: looked up in its native type's table, and bound
    /// to it the way builtin methods are (no bound-method object).
    pub(crate) fn capsule_attr(&mut self, obj: Value, name: Qstr) -> PyResult<Option<(Value, Value)>> {
        let (Some(f), Some(t)) = (self.foreign, self.capsule_table(obj)) else { return Ok(None) };
        if name == q::__class__ {
            return Ok(Some((Value::foreign_fn(t, TYPE_MEMBER), Value::NULL)));
        }
        let Some(i) = find_member(f, t, self.qstr_bytes(name)) else { return Ok(None) };
        let v = self.member_value(f, t, i)?;
        Ok(Some((v, if v.as_foreign_fn().is_some() { obj } else { Value::NULL })))
    }

    /// The name of a capsule's native type.
    pub(crate) fn capsule_type_name(&self, obj: Value) -> &'static [u8] {
        match (self.foreign, self.capsule_table(obj)) {
            (Some(f), Some(t)) => f.table_name(t),
            _ => b"capsule",
        }
    }

    /// A capsule holding native object `ptr` of native type `ty`; the port's
    /// `Foreign::finalise` releases it when the capsule dies.
    pub fn new_capsule(&mut self, ptr: usize, ty: usize) -> PyResult<Value> {
        let r = self.heap.alloc_bytes(Kind::Capsule, 2 * core::mem::size_of::<usize>())?;
        self.heap.capsules_made = true;
        let b = self.heap.bytes_mut(r);
        let (p, t) = b.split_at_mut(core::mem::size_of::<usize>());
        p.copy_from_slice(&ptr.to_ne_bytes());
        t.copy_from_slice(&ty.to_ne_bytes());
        Ok(Value::obj(r))
    }

    /// A capsule's native object and native type.
    pub fn capsule_parts(&self, v: Value) -> Option<(usize, usize)> {
        let r = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Capsule)?;
        Some(capsule_words(self.heap.bytes(r)))
    }

    /// The bytes of a writable buffer (bytearray, array, memoryview of
    /// either) where they are in the heap: for native code to fill in place.
    /// They stay there until Python code resizes the object.
    pub fn writable_buffer(&mut self, v: Value) -> Option<(*mut u8, usize)> {
        let (store, at, len) = self.writable_span(v)?;
        let b = self.heap.bytes_mut(store);
        Some((b[at..at + len].as_mut_ptr(), len))
    }

    /// Keeps `v` alive for native code until `release`: a handle, never 0.
    pub fn hold(&mut self, v: Value) -> PyResult<u32> {
        let l = self.handles()?;
        let items = list::items_mut(&mut self.heap, l);
        if let Some(slot) = items.iter_mut().skip(1).position(|x| x.is_null()) {
            items[slot + 1] = v;
            return Ok(slot as u32 + 1);
        }
        let n = items.len();
        self.with_root(v, |vm| vm.list_push(l, v))?;
        Ok(n as u32)
    }

    /// The object behind a handle, if it is held.
    pub fn held(&self, h: u32) -> Option<Value> {
        let l = self.c_handles.as_obj()?;
        list::items(&self.heap, l).get(h as usize).copied().filter(|v| h != 0 && !v.is_null())
    }

    /// Lets a held object go; its handle may be given out again.
    pub fn release(&mut self, h: u32) {
        if self.held(h).is_some() {
            let l = self.c_handles.as_obj().expect("handles");
            list::items_mut(&mut self.heap, l)[h as usize] = Value::NULL;
        }
    }

    /// Keeps the result of a call native code made until its next one.
    pub fn keep_result(&mut self, v: Value) -> PyResult<()> {
        let l = self.handles()?;
        list::items_mut(&mut self.heap, l)[RESULT_SLOT] = v;
        Ok(())
    }

    /// The handle table (made on first use, with its result slot).
    fn handles(&mut self) -> PyResult<ObjRef> {
        if let Some(l) = self.c_handles.as_obj() {
            return Ok(l);
        }
        self.c_handles = self.new_list(&[Value::NULL])?;
        Ok(self.c_handles.as_obj().expect("list"))
    }

    /// Queues `f(arg)` for held `handle`, as `micropython.schedule` does
    /// (an event the port queued from native code); a released handle's
    /// call is dropped.
    pub(crate) fn schedule_held(&mut self, handle: u32, arg: i32) -> PyResult<()> {
        match self.held(handle) {
            Some(f) => crate::modules::micropython::schedule_call(self, f, Value::small_int(arg as isize)),
            None => Ok(()),
        }
    }

    /// The value whose word is `bits`, if it is one: native code hands back
    /// words it was given, and a wrong one must not reach the heap.
    pub fn value_from_bits(&self, bits: usize) -> Option<Value> {
        let v: Value = bytemuck::cast(bits);
        let ok = v.is_small_int()
            || v.as_imm().is_some()
            || v.as_qstr().is_some_and(|q| {
                q.0 < crate::qstr::STATIC_COUNT
                    || (q.0 >= crate::qstr::FROZEN_BASE && q.0 < self.frozen_names_end())
                    || (q.0 < crate::qstr::FROZEN_BASE
                        && ((q.0 - crate::qstr::STATIC_COUNT) as usize) < list::len(&self.heap, self.qstr_pool()))
            })
            || v.as_obj().is_some_and(|r| self.heap.is_object(r));
        (ok && !v.is_null()).then_some(v)
    }
}

/// The number of table `t`'s member called `name`.
fn find_member(f: &dyn Foreign, t: u8, name: &[u8]) -> Option<u8> {
    (0..TYPE_MEMBER).map_while(|i| f.member(t, i).map(|(n, _)| (i, n))).find(|&(_, n)| n == name).map(|(i, _)| i)
}

/// The two words of a capsule's payload.
pub(crate) fn capsule_words(b: &[u8]) -> (usize, usize) {
    const W: usize = core::mem::size_of::<usize>();
    let word = |i: usize| usize::from_ne_bytes(b[i * W..(i + 1) * W].try_into().unwrap_or([0; W]));
    (word(0), word(1))
}
