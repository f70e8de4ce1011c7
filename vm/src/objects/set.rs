//! `set` and `frozenset`: a dict's layout with every value None, so lookup,
//! insertion order and deletion are the dict's own.

use crate::bytecode::BinOp;
use crate::error::{PyErr, PyResult};
use crate::modules::builtins::arity;
use crate::objects::{dict, Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

pub fn is_set_kind(k: Option<Kind>) -> bool {
    crate::features::SET && matches!(k, Some(Kind::Set | Kind::FrozenSet))
}

impl Vm {
    pub fn is_set(&self, v: Value) -> bool {
        is_set_kind(self.kind_of(v))
    }

    /// The keys of a dict or set, one at a time (`i` counts raw entries).
    pub fn set_item(&self, s: ObjRef, i: usize) -> Option<Value> {
        dict::raw_entries(&self.heap, s).get(2 * i).copied().filter(|k| !k.is_null())
    }

    fn n_raw(&self, s: ObjRef) -> usize {
        dict::raw_entries(&self.heap, s).len() / 2
    }

    pub fn set_add(&mut self, s: ObjRef, v: Value) -> PyResult<()> {
        self.dict_set(s, v, Value::NONE)
    }

    /// A new set (or frozenset) of the items of `iterable` (or empty).
    pub fn new_set_from(&mut self, kind: Kind, iterable: Option<Value>) -> PyResult<Value> {
        let s = self.new_dict_like(kind, 0)?;
        if let Some(it) = iterable {
            let r = s.as_obj().expect("new set");
            self.with_root(s, |vm| vm.for_each(it, |vm, v| vm.set_add(r, v).map(|_| true)))?;
        }
        Ok(s)
    }

    fn set_contains(&mut self, s: ObjRef, v: Value) -> PyResult<bool> {
        Ok(self.dict_get(s, v)?.is_some())
    }

    /// Whether every item of `a` is in `b`.
    fn set_is_subset(&mut self, a: ObjRef, b: ObjRef) -> PyResult<bool> {
        for i in 0..self.n_raw(a) {
            if let Some(k) = self.set_item(a, i) {
                if !self.set_contains(b, k)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    pub fn sets_equal(&mut self, a: ObjRef, b: ObjRef) -> PyResult<bool> {
        Ok(dict::len(&self.heap, a) == dict::len(&self.heap, b) && self.set_is_subset(a, b)?)
    }

    /// `a op b` for two sets; `None` if `op` is not a set operator.
    pub fn set_binop(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Option<Value>> {
        let (ar, br) = (a.as_obj().expect("set"), b.as_obj().expect("set"));
        let (la, lb) = (dict::len(&self.heap, ar), dict::len(&self.heap, br));
        let cmp = match op {
            BinOp::Le => Some(self.set_is_subset(ar, br)?),
            BinOp::Lt => Some(la < lb && self.set_is_subset(ar, br)?),
            BinOp::Ge => Some(self.set_is_subset(br, ar)?),
            BinOp::Gt => Some(la > lb && self.set_is_subset(br, ar)?),
            _ => None,
        };
        if let Some(c) = cmp {
            return Ok(Some(Value::from_bool(c)));
        }
        let kind = self.heap.kind(ar);
        let out = self.new_dict_like(kind, 0)?;
        let o = out.as_obj().expect("new set");
        match op {
            BinOp::Or => {
                for src in [ar, br] {
                    for i in 0..self.n_raw(src) {
                        if let Some(k) = self.set_item(src, i) {
                            self.set_add(o, k)?;
                        }
                    }
                }
            }
            BinOp::And | BinOp::Sub => {
                for i in 0..self.n_raw(ar) {
                    if let Some(k) = self.set_item(ar, i) {
                        if self.set_contains(br, k)? == (op == BinOp::And) {
                            self.set_add(o, k)?;
                        }
                    }
                }
            }
            BinOp::Xor => {
                for (x, y) in [(ar, br), (br, ar)] {
                    for i in 0..self.n_raw(x) {
                        if let Some(k) = self.set_item(x, i) {
                            if !self.set_contains(y, k)? {
                                self.set_add(o, k)?;
                            }
                        }
                    }
                }
            }
            _ => return Ok(None),
        }
        Ok(Some(out))
    }
}

fn this_set(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.is_set(v)) {
        Some(v) => Ok(v.as_obj().expect("set")),
        None => Err(vm.raise(TypeId::TypeError, "expected a set")),
    }
}

fn mutable_set(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    let s = this_set(vm, args)?;
    if vm.heap.kind(s) != Kind::Set {
        return Err(vm.raise(TypeId::AttributeError, "'frozenset' object has no attribute for changing it"));
    }
    Ok(s)
}

pub fn add(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = mutable_set(vm, &args)?;
    vm.set_add(s, args.pos[1])?;
    Ok(Value::NONE)
}

fn remove_impl(vm: &mut Vm, args: Args, must_exist: bool) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let s = mutable_set(vm, &args)?;
    if vm.dict_remove(s, args.pos[1])?.is_none() && must_exist {
        let e = vm.new_exception(TypeId::KeyError, &[args.pos[1]])?;
        return Err(PyErr::exc(e));
    }
    Ok(Value::NONE)
}

pub fn remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    remove_impl(vm, args, true)
}

pub fn discard(vm: &mut Vm, args: Args) -> PyResult<Value> {
    remove_impl(vm, args, false)
}

pub fn pop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = mutable_set(vm, &args)?;
    let first = (0..vm.n_raw(s)).find_map(|i| vm.set_item(s, i));
    match first {
        Some(k) => {
            vm.dict_remove(s, k)?;
            Ok(k)
        }
        None => {
            let e = vm.raise(TypeId::KeyError, "pop from an empty set");
            Err(e)
        }
    }
}

pub fn clear(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let s = mutable_set(vm, &args)?;
    vm.dict_empty(s);
    Ok(Value::NONE)
}

pub fn copy(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = this_set(vm, &args)?;
    let kind = vm.heap.kind(s);
    vm.new_set_from(kind, Some(Value::obj(s)))
}

pub fn update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = mutable_set(vm, &args)?;
    for &other in &args.pos[1..] {
        vm.for_each(other, |vm, v| vm.set_add(s, v).map(|_| true))?;
    }
    Ok(Value::NONE)
}

/// The set operation `op` folded over the arguments (any iterables).
fn fold(vm: &mut Vm, args: Args, op: BinOp) -> PyResult<Value> {
    let s = this_set(vm, &args)?;
    let mut acc = Value::obj(s);
    for &other in &args.pos[1..] {
        let kind = vm.heap.kind(s);
        let o = vm.with_root(acc, |vm| if vm.is_set(other) { Ok(other) } else { vm.new_set_from(kind, Some(other)) })?;
        let prev = acc;
        acc = vm.with_root(prev, |vm| vm.with_root(o, |vm| vm.set_binop(op, prev, o)))?.unwrap_or(prev);
    }
    if acc == Value::obj(s) {
        let kind = vm.heap.kind(s);
        return vm.new_set_from(kind, Some(acc));
    }
    Ok(acc)
}

pub fn union(vm: &mut Vm, args: Args) -> PyResult<Value> {
    fold(vm, args, BinOp::Or)
}

pub fn intersection(vm: &mut Vm, args: Args) -> PyResult<Value> {
    fold(vm, args, BinOp::And)
}

pub fn difference(vm: &mut Vm, args: Args) -> PyResult<Value> {
    fold(vm, args, BinOp::Sub)
}

pub fn symmetric_difference(vm: &mut Vm, args: Args) -> PyResult<Value> {
    fold(vm, args, BinOp::Xor)
}

fn relation(vm: &mut Vm, args: Args, op: BinOp) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let s = this_set(vm, &args)?;
    let kind = vm.heap.kind(s);
    let o = if vm.is_set(args.pos[1]) { args.pos[1] } else { vm.new_set_from(kind, Some(args.pos[1]))? };
    if op == BinOp::And {
        let r = vm.set_binop(BinOp::And, Value::obj(s), o)?.expect("set operator");
        let empty = dict::len(&vm.heap, r.as_obj().expect("set")) == 0;
        return Ok(Value::from_bool(empty));
    }
    Ok(vm.set_binop(op, Value::obj(s), o)?.unwrap_or(Value::FALSE))
}

pub fn issubset(vm: &mut Vm, args: Args) -> PyResult<Value> {
    relation(vm, args, BinOp::Le)
}

pub fn issuperset(vm: &mut Vm, args: Args) -> PyResult<Value> {
    relation(vm, args, BinOp::Ge)
}

pub fn isdisjoint(vm: &mut Vm, args: Args) -> PyResult<Value> {
    relation(vm, args, BinOp::And)
}

/// `difference_update` and friends: the operator's result replaces the set.
fn update_with(vm: &mut Vm, args: Args, op: BinOp) -> PyResult<Value> {
    let s = this_set(vm, &args)?;
    let mut acc = Value::obj(s);
    for &o in &args.pos[1..] {
        let o = if vm.is_set(o) { o } else { vm.new_set_from(Kind::Set, Some(o))? };
        acc = vm.with_root(acc, |vm| Ok(vm.set_binop(op, acc, o)?.expect("set operator")))?;
    }
    if acc == Value::obj(s) {
        // Nothing to update with.
        return Ok(Value::NONE);
    }
    vm.with_root(acc, |vm| {
        clear(vm, Args { pos: &[Value::obj(s)], kw: &[] })?;
        update(vm, Args { pos: &[Value::obj(s), acc], kw: &[] })
    })
}

pub fn difference_update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    update_with(vm, args, BinOp::Sub)
}

pub fn intersection_update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    update_with(vm, args, BinOp::And)
}

pub fn symmetric_difference_update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    update_with(vm, args, BinOp::Xor)
}
