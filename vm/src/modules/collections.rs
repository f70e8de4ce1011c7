//! `collections`: `deque`, `OrderedDict` and `namedtuple`.
//!
//! A deque or OrderedDict is an instance whose class is the builtin type
//! itself, holding its value (a list, a dict) the way instances of
//! subclasses of builtin types do (`Vm::native_value`), so len, iteration,
//! indexing and comparison come from the list or dict. A deque keeps its
//! `maxlen` where other instances keep their attribute dict. A namedtuple
//! is a real class deriving from tuple with a `_fields` attribute.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{list, tuple, Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

impl Vm {
    /// An instance of builtin type `t` holding `value`, with `extra` in the
    /// attribute-dict slot.
    /// `deque(iterable, maxlen)`.
    pub(crate) fn construct_deque(&mut self, args: &Args) -> PyResult<Value> {
        arity(self, args, 0, 2)?;
        let maxlen = match args.pos.get(1).copied().or_else(|| args.kwarg(q::maxlen)) {
            None => Value::NONE,
            Some(v) if v.is_none() => Value::NONE,
            Some(v) => match self.as_int(v) {
                Some(n) if n >= 0 => Value::small_int(n as isize),
                Some(_) => return Err(self.raise(TypeId::ValueError, "maxlen must be non-negative")),
                None => return Err(self.raise(TypeId::TypeError, "an integer is required")),
            },
        };
        let l = match args.pos.first() {
            Some(&src) => self.list_from_iter(src)?,
            None => self.new_list(&[])?,
        };
        let d = self.native_instance(TypeId::Deque, l, maxlen)?;
        trim(self, d.as_obj().expect("deque"), false);
        Ok(d)
    }

    /// `defaultdict(factory, ...)`: the factory waits in the instance's
    /// second slot; the rest of the arguments are dict()'s.
    pub(crate) fn construct_defaultdict(&mut self, args: &Args) -> PyResult<Value> {
        let factory = args.pos.first().copied().unwrap_or(Value::NONE);
        let callable = crate::modules::builtins::callable(self, Args { pos: &[factory], kw: &[] })?;
        if !factory.is_none() && callable != Value::TRUE {
            return Err(self.raise(TypeId::TypeError, "first argument must be callable or None"));
        }
        let rest = args.pos.get(1..).unwrap_or(&[]);
        let d = crate::modules::builtins::construct(self, TypeId::Dict, Args { pos: rest, kw: args.kw })?;
        self.with_root(d, |vm| vm.native_instance(TypeId::DefaultDict, d, factory))
    }

    /// `d[key]` on a defaultdict: a missing key gets `factory()`, stored.
    pub(crate) fn defaultdict_subscr(&mut self, r: ObjRef, key: Value) -> PyResult<Value> {
        let d = self.heap.slot(r, 2).as_obj().expect("defaultdict's dict");
        if let Some(v) = self.dict_get(d, key)? {
            return Ok(v);
        }
        let factory = self.heap.slot(r, 1);
        if factory.is_none() || factory.is_null() {
            let e = self.new_exception(TypeId::KeyError, &[key])?;
            return Err(crate::error::PyErr::exc(e));
        }
        let v = self.call(factory, &[])?;
        self.with_root(v, |vm| vm.dict_set(d, key, v))?;
        Ok(v)
    }

    pub(crate) fn construct_ordereddict(&mut self, args: &Args) -> PyResult<Value> {
        let d = crate::modules::builtins::construct(self, TypeId::Dict, Args { pos: args.pos, kw: args.kw })?;
        self.native_instance(TypeId::OrderedDict, d, Value::NULL)
    }
}

/// Drops items from the other end while the deque is over its maxlen.
fn trim(vm: &mut Vm, d: ObjRef, from_right: bool) {
    let Some(max) = vm.heap.slot(d, 1).as_small_int() else { return };
    let l = vm.heap.slot(d, 2).as_obj().expect("deque list");
    while list::len(&vm.heap, l) > max as usize {
        let at = if from_right { list::len(&vm.heap, l) - 1 } else { 0 };
        vm.list_pop(l, at);
    }
}

fn this_deque(vm: &mut Vm, args: &Args) -> PyResult<(ObjRef, ObjRef)> {
    let d = args
        .pos
        .first()
        .and_then(|v| v.as_obj())
        .filter(|&r| vm.heap.kind(r) == Kind::Instance && vm.heap.len(r) > 2 && vm.heap.slot(r, 0) == TypeId::Deque.value());
    match d {
        Some(d) => Ok((d, vm.heap.slot(d, 2).as_obj().expect("deque list"))),
        None => Err(vm.raise(TypeId::TypeError, "expected a deque")),
    }
}

pub fn append(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (d, l) = this_deque(vm, &args)?;
    vm.list_push(l, args.pos[1])?;
    trim(vm, d, false);
    Ok(Value::NONE)
}

pub fn appendleft(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (d, l) = this_deque(vm, &args)?;
    vm.list_push(l, Value::NONE)?;
    let items = list::items_mut(&mut vm.heap, l);
    items.copy_within(0..items.len() - 1, 1);
    items[0] = args.pos[1];
    trim(vm, d, true);
    Ok(Value::NONE)
}

fn pop_end(vm: &mut Vm, args: Args, left: bool) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let (_, l) = this_deque(vm, &args)?;
    let n = list::len(&vm.heap, l);
    if n == 0 {
        return Err(vm.raise(TypeId::IndexError, "empty"));
    }
    Ok(vm.list_pop(l, if left { 0 } else { n - 1 }).unwrap_or(Value::NONE))
}

pub fn pop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    pop_end(vm, args, false)
}

pub fn popleft(vm: &mut Vm, args: Args) -> PyResult<Value> {
    pop_end(vm, args, true)
}

pub fn extend(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (d, l) = this_deque(vm, &args)?;
    let items = vm.list_from_iter(args.pos[1])?;
    let r = items.as_obj().expect("list");
    for i in 0..list::len(&vm.heap, r) {
        let v = list::items(&vm.heap, r)[i];
        vm.list_push(l, v)?;
    }
    trim(vm, d, false);
    Ok(Value::NONE)
}

pub fn clear(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (_, l) = this_deque(vm, &args)?;
    while vm.list_pop(l, 0).is_some() {}
    Ok(Value::NONE)
}

/// `namedtuple(name, fields)`: a class deriving from tuple, with the field
/// names in `_fields`.
pub fn namedtuple(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(name) = vm.str_bytes(args.pos[0]).map(|s| s.to_vec()) else {
        return Err(vm.raise(TypeId::TypeError, "namedtuple name must be a str"));
    };
    let name = vm.intern(&name)?;
    let fields = match vm.str_bytes(args.pos[1]) {
        Some(s) => {
            // "a b" or "a, b".
            let text: Vec<u8> = s.iter().map(|&c| if c == b',' { b' ' } else { c }).collect();
            let mut names = Vec::new();
            for part in text.split(|c| c.is_ascii_whitespace()).filter(|p| !p.is_empty()) {
                names.push(Value::qstr(vm.intern(part)?));
            }
            vm.new_tuple(&names)?
        }
        None if vm.seq_items(args.pos[1]).is_some() => {
            let items = vm.seq_items(args.pos[1]).unwrap_or(&[]).to_vec();
            let mut names = Vec::new();
            for v in items {
                let Some(s) = vm.str_bytes(v).map(|s| s.to_vec()) else {
                    return Err(vm.raise(TypeId::TypeError, "field names must be strs"));
                };
                names.push(Value::qstr(vm.intern(&s)?));
            }
            vm.new_tuple(&names)?
        }
        None => return Err(vm.raise(TypeId::TypeError, "namedtuple fields must be a str or a sequence")),
    };
    vm.with_root(fields, |vm| {
        let ns = vm.new_dict(2)?;
        vm.with_root(ns, |vm| {
            vm.dict_set(ns.as_obj().expect("dict"), Value::qstr(q::_fields), fields)?;
            vm.new_class(name, &[TypeId::Tuple.value()], ns)
        })
    })
}

impl Vm {
    /// A namedtuple class's field names, if `cls` is one.
    pub(crate) fn namedtuple_fields(&mut self, cls: Value) -> PyResult<Option<Value>> {
        if !crate::features::COLLECTIONS || !self.is_class(cls) || self.native_base(cls) != Some(TypeId::Tuple) {
            return Ok(None);
        }
        Ok(self.class_lookup(cls, q::_fields, None)?.filter(|&f| self.kind_of(f) == Some(Kind::Tuple)))
    }

    /// The tuple a namedtuple call builds from positional and keyword
    /// arguments, each field given exactly once.
    pub(crate) fn namedtuple_values(&mut self, fields: Value, pos: &[Value], kw: &[Value]) -> PyResult<Value> {
        let names = tuple::items(&self.heap, fields.as_obj().expect("fields")).to_vec();
        if pos.len() > names.len() {
            return Err(self.raise(TypeId::TypeError, "too many arguments"));
        }
        let mut vals: Vec<Value> = names.iter().map(|_| Value::NULL).collect();
        vals[..pos.len()].copy_from_slice(pos);
        for pair in kw.chunks(2) {
            match names.iter().position(|&n| n == pair[0]) {
                Some(i) if vals[i].is_null() => vals[i] = pair[1],
                _ => return Err(self.raise(TypeId::TypeError, "unexpected keyword argument")),
            }
        }
        if vals.iter().any(|v| v.is_null()) {
            return Err(self.raise(TypeId::TypeError, "missing required argument"));
        }
        self.new_tuple(&vals)
    }

    /// `repr` of a namedtuple: `Name(a=1, b=2)`.
    pub(crate) fn write_namedtuple(&mut self, v: Value, fields: Value, out: &mut Vec<u8>) -> PyResult<()> {
        let name = self.class_name(self.class_of(v));
        crate::vm::put(out, self.qstr_bytes(name))?;
        crate::vm::put(out, b"(")?;
        let names = tuple::items(&self.heap, fields.as_obj().expect("fields")).to_vec();
        for (i, &n) in names.iter().enumerate() {
            if i > 0 {
                crate::vm::put(out, b", ")?;
            }
            let t = n.as_qstr().unwrap_or(q::EMPTY);
            crate::vm::put(out, self.qstr_bytes(t))?;
            crate::vm::put(out, b"=")?;
            let x = self.seq_items(v).and_then(|s| s.get(i).copied()).unwrap_or(Value::NONE);
            self.write_repr(x, out)?;
        }
        crate::vm::put(out, b")")
    }
}
