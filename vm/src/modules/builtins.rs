//! The builtin functions and the constructors of builtin types.

use crate::bytecode::BinOp;
use crate::error::{PyErr, PyResult};
use crate::features;
use crate::objects::bignum::Big;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{list, Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

/// Raises `TypeError` unless `min..=max` positional arguments were given.
/// A stream method's optional size argument at `at`: absent, None or
/// negative is "all".
pub(crate) fn size_arg(vm: &Vm, args: &Args, at: usize) -> usize {
    args.pos.get(at).and_then(|&v| vm.as_int(v)).filter(|&n| n >= 0).map_or(usize::MAX, |n| n as usize)
}

/// Checks a builtin's positional argument count, with MicroPython's
/// messages.
pub(crate) fn arity(vm: &mut Vm, args: &Args, min: usize, max: usize) -> PyResult<()> {
    let n = args.pos.len();
    if n >= min && n <= max {
        return Ok(());
    }
    Err(arity_error(vm, n, min, max))
}

#[inline(never)]
fn arity_error(vm: &mut Vm, n: usize, min: usize, max: usize) -> PyErr {
    if min == max {
        vm.arg_count_error(min, n)
    } else if n < min {
        vm.missing_args_error(min - n)
    } else {
        vm.raise_counted(TypeId::TypeError, &[b"function expected at most ", b" arguments, got "], &[max, n])
    }
}

/// Refuses keyword arguments other than `names`.
pub(crate) fn known_kwargs(vm: &mut Vm, args: &Args, names: &[crate::qstr::Qstr]) -> PyResult<()> {
    for pair in args.kw.chunks(2) {
        if !pair[0].as_qstr().is_some_and(|n| names.contains(&n)) {
            return Err(vm.raise(TypeId::TypeError, "unexpected keyword argument"));
        }
    }
    Ok(())
}

pub fn print(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let names: &[crate::qstr::Qstr] = if crate::features::STREAMS { &[q::sep, q::end, q::file] } else { &[q::sep, q::end] };
    known_kwargs(vm, &args, names)?;
    let sep = args.kwarg(q::sep).filter(|v| !v.is_none());
    let end = args.kwarg(q::end).filter(|v| !v.is_none());
    if let Some(f) = args.kwarg(q::file).filter(|f| crate::features::STREAMS && !f.is_none()) {
        // print(..., file=stream): each piece goes to the stream's write
        // method as it is made, as MicroPython's print does.
        let w = vm.load_attr(f, q::write)?;
        return vm.with_root(w, |vm| {
            let mut piece = Vec::new();
            for (i, &a) in args.pos.iter().enumerate() {
                if i > 0 {
                    print_piece(vm, w, &mut piece, sep, b" ")?;
                }
                print_piece(vm, w, &mut piece, Some(a), b"")?;
            }
            print_piece(vm, w, &mut piece, end, b"\n")?;
            Ok(Value::NONE)
        });
    }
    let mut out: Vec<u8> = Vec::new();
    for (i, &a) in args.pos.iter().enumerate() {
        if i > 0 {
            put_piece(vm, &mut out, sep, b" ")?;
        }
        vm.write_str(a, &mut out)?;
    }
    put_piece(vm, &mut out, end, b"\n")?;
    vm.port.stdout(&out);
    Ok(Value::NONE)
}

/// Makes one piece of print's output, `str(v)` or `default` when `v` is
/// None (no sep or end), and writes it to the stream. Once a piece is
/// written the call can't be retried (it would write it again): out of
/// memory, collect and make the piece once more here.
fn print_piece(vm: &mut Vm, w: Value, piece: &mut Vec<u8>, v: Option<Value>, default: &[u8]) -> PyResult<()> {
    vm.retry_after_collect(Value::NONE, |vm| {
        piece.clear();
        put_piece(vm, piece, v, default)?;
        write_piece(vm, w, piece)
    })
}

/// Appends `str(v)`, or `default` when `v` is None.
fn put_piece(vm: &mut Vm, out: &mut Vec<u8>, v: Option<Value>, default: &[u8]) -> PyResult<()> {
    match v {
        Some(v) => vm.write_str(v, out),
        None => put(out, default),
    }
}

pub(crate) fn write_piece(vm: &mut Vm, write: Value, piece: &[u8]) -> PyResult<()> {
    if piece.is_empty() {
        return Ok(());
    }
    let text = vm.new_str(piece)?;
    let n = vm.with_root(text, |vm| vm.call(write, &[text]))?;
    // A stream claiming to have written more than it was given is broken:
    // OSError(EIO), as MicroPython's stream layer says.
    if vm.as_int(n).is_some_and(|n| n > piece.len() as i64) {
        return Err(crate::modules::os::os_error(vm, 5));
    }
    Ok(())
}

pub fn len(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(r) = vm.call_dunder(args.pos[0], crate::qstr::q::__len__, &[])? {
        return Ok(r);
    }
    match vm.len_of(args.pos[0]) {
        Some(n) => vm.int_value(n as i64),
        None => Err(vm.raise_type_name(TypeId::TypeError, b"object of type '", args.pos[0], b"' has no len()")),
    }
}

pub fn abs(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some((re, im)) = vm.as_complex(args.pos[0]) {
        return vm.new_float(fm::hypot(re, im));
    }
    if let Some(f) = vm.as_float(args.pos[0]) {
        return vm.new_float(f.abs());
    }
    if let Some(i) = vm.as_int(args.pos[0]) {
        match i.checked_abs() {
            Some(a) => return vm.int_value(a),
            None if !crate::features::LONGINT => return Err(vm.long_overflow()),
            None => {}
        }
    }
    match vm.as_big(args.pos[0])? {
        Some(b) => vm.new_int_big(b.abs()),
        None => Err(vm.raise(TypeId::TypeError, "unsupported type for __abs__")),
    }
}

fn min_max(vm: &mut Vm, args: Args, op: BinOp) -> PyResult<Value> {
    known_kwargs(vm, &args, &[q::key, q::default])?;
    if args.pos.is_empty() {
        return Err(vm.raise(TypeId::TypeError, "expected at least 1 argument"));
    }
    let key = args.kwarg(q::key).filter(|k| !k.is_none());
    let default = args.kwarg(q::default);
    // Candidates one at a time, the best so far and its key in root slots
    // (key functions and comparisons may run Python): nothing allocated, so
    // `max(0, t)` and `min(seq)` work with the heap locked.
    let at = vm.roots.len();
    vm.roots.extend_from_slice(&[Value::NULL, Value::NULL]);
    let consider = |vm: &mut Vm, x: Value| -> PyResult<bool> {
        let kx = match key {
            Some(k) => vm.call(k, &[x])?,
            None => x,
        };
        let best_key = vm.roots[at + 1];
        let better = best_key.is_null() || {
            let t = vm.with_root(kx, |vm| vm.binary_op(op, kx, best_key))?;
            vm.truthy(t)?
        };
        if better {
            vm.roots[at] = x;
            vm.roots[at + 1] = kx;
        }
        Ok(true)
    };
    let r = match args.pos {
        [one] => vm.for_each(*one, consider),
        many => many.iter().try_for_each(|&x| consider(vm, x).map(|_| ())),
    };
    let best = vm.roots[at];
    vm.roots.truncate(at);
    r?;
    match (best.is_null(), default) {
        (false, _) => Ok(best),
        (true, Some(d)) => Ok(d),
        (true, None) => Err(vm.raise(TypeId::ValueError, "arg is an empty sequence")),
    }
}

pub fn min(vm: &mut Vm, args: Args) -> PyResult<Value> {
    min_max(vm, args, BinOp::Lt)
}

pub fn max(vm: &mut Vm, args: Args) -> PyResult<Value> {
    min_max(vm, args, BinOp::Gt)
}

pub fn repr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut out = Vec::new();
    vm.write_repr(args.pos[0], &mut out)?;
    vm.new_str(&out)
}

/// Whether class `c` is one of `classes` (a class or a tuple of them) or
/// derives from one.
fn subclass_of_any(vm: &mut Vm, c: Value, classes: Value, what: &str) -> PyResult<Value> {
    let is_tuple = vm.kind_of(classes) == Some(Kind::Tuple);
    let n = if is_tuple { vm.seq_items(classes).map_or(0, |s| s.len()) } else { 1 };
    for i in 0..n {
        let k = if is_tuple { vm.seq_items(classes).map_or(Value::NONE, |s| s[i]) } else { classes };
        if !vm.is_class(k) && k.as_type().is_none() && !is_foreign_type(k) {
            return Err(vm.raise_parts(TypeId::TypeError, &[what.as_bytes(), b"() arg 2 must be a class or tuple of classes"]));
        }
        if vm.is_subclass(c, k) {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

/// A native type (a class of capsules; see `foreign`).
fn is_foreign_type(v: Value) -> bool {
    #[cfg(feature = "foreign")]
    return v.as_foreign_fn().is_some_and(|(_, i)| i == crate::foreign::TYPE_MEMBER);
    #[cfg(not(feature = "foreign"))]
    return {
        let _ = v;
        false
    };
}

pub fn isinstance(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let c = vm.class_of(args.pos[0]);
    subclass_of_any(vm, c, args.pos[1], "isinstance")
}

pub fn issubclass(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if !vm.is_class(args.pos[0]) && args.pos[0].as_type().is_none() {
        return Err(vm.raise(TypeId::TypeError, "issubclass() arg 1 must be a class"));
    }
    subclass_of_any(vm, args.pos[0], args.pos[1], "issubclass")
}

pub fn iter(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(&sentinel) = args.pos.get(1) {
        // `iter(f, sentinel)`: call f until it returns the sentinel.
        // (CPython's; MicroPython takes one argument, as a build without
        // core-features here.)
        if !crate::features::CORE_FEATURES {
            return Err(vm.arg_count_error(1, 2));
        }
        return vm.new_adapter(crate::objects::iter::adapter::CALL_UNTIL, args.pos[0], sentinel);
    }
    vm.get_iter(args.pos[0])
}

/// `next(it[, default])`: `StopIteration` when exhausted and no default.
pub fn next(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let it = args.pos[0];
    // A Python iterator's own StopIteration (with its value) goes out as is,
    // unless there is a default to give instead.
    let r = if args.pos.len() == 1 { vm.next_raw(it)? } else { vm.iter_next(it)? };
    match r {
        Some(v) => Ok(v),
        None if vm.is_generator(it) && args.pos.len() == 1 => gen_step(vm, it, None),
        None => match args.pos.get(1) {
            Some(&d) => Ok(d),
            None => {
                let e = vm.new_exception(TypeId::StopIteration, &[])?;
                Err(PyErr::exc(e))
            }
        },
    }
}

/// What a generator produced: a value, or `StopIteration(result)`.
fn gen_step(vm: &mut Vm, g: Value, r: Option<Value>) -> PyResult<Value> {
    match r {
        Some(v) => Ok(v),
        None => {
            let result = vm.take_generator_result(g);
            let args: &[Value] = if result.is_none() { &[] } else { core::slice::from_ref(&result) };
            // The generator has ended and its result is taken: the call
            // can't be retried, so a collection makes room here.
            let e = vm.retry_after_collect(result, |vm| vm.new_exception(TypeId::StopIteration, args))?;
            Err(PyErr::exc(e))
        }
    }
}

pub fn gen_send(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = vm.resume(args.pos[0], args.pos[1], None)?;
    gen_step(vm, args.pos[0], r)
}

/// `gen.throw(exc)` or `gen.throw(type, value)`. The thrown object reaches
/// a delegate's own `throw` method (in `yield from`) as given.
pub fn gen_throw(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut e = args.pos[1];
    if let Some(&v) = args.pos.get(2).filter(|v| !v.is_none()) {
        e = if vm.is_exception(v) { v } else { vm.call(e, &[v])? };
    }
    let r = vm.with_root(e, |vm| vm.resume(args.pos[0], Value::NONE, Some(e)))?;
    gen_step(vm, args.pos[0], r)
}

/// `gen.pend_throw(exc)` (MicroPython's): `exc` is thrown in at the next
/// resumption instead of a value being sent; None cancels. Returns what was
/// pending before.
pub fn gen_pend_throw(vm: &mut Vm, args: Args) -> PyResult<Value> {
    vm.pend_throw(args.pos[0], args.pos[1])
}

pub fn gen_close(vm: &mut Vm, args: Args) -> PyResult<Value> {
    vm.close_generator(args.pos[0])?;
    Ok(Value::NONE)
}

/// `object.__init__`: takes whatever it is given and does nothing.
pub fn object_init(_vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(Value::NONE)
}

/// `object.__setattr__(obj, name, value)`: the plain store, which a class's
/// own `__setattr__` calls to really set something.
pub fn object_setattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let name = name_arg(vm, args.pos[1])?;
    vm.generic_store_attr(args.pos[0], name, args.pos[2])?;
    Ok(Value::NONE)
}

/// `object.__new__(cls)`: a new, uninitialised instance of a Python class.
pub fn object_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(&cls) = args.pos.first() else {
        return Err(vm.raise(TypeId::TypeError, "object.__new__() takes a class"));
    };
    if !vm.is_class(cls) || vm.native_base(cls).is_some_and(|t| t != TypeId::Object) {
        return Err(vm.raise(TypeId::TypeError, "object.__new__(X): X must be a Python class"));
    }
    vm.new_instance(cls)
}

/// `object.__delattr__(obj, name)`: the plain deletion.
pub fn object_delattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let name = name_arg(vm, args.pos[1])?;
    vm.generic_delete_attr(args.pos[0], name)?;
    Ok(Value::NONE)
}

/// `BaseException.__init__(self, *args)`: the arguments become `args`.
pub fn exception_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(&this) = args.pos.first().filter(|&&v| vm.is_exception(v)) else {
        return Err(vm.raise(TypeId::TypeError, "expected an exception"));
    };
    let t = vm.new_tuple(&args.pos[1..])?;
    vm.heap.set_slot(this.as_obj().expect("exception"), 1, t);
    Ok(Value::NONE)
}

/// A copy of a property (`[fget, fset, fdel]`) with accessor `i` replaced.
fn property_with(vm: &mut Vm, args: &Args, i: usize) -> PyResult<Value> {
    arity(vm, args, 2, 2)?;
    let Some(r) = args.pos[0].as_obj().filter(|&r| vm.heap.kind(r) == Kind::Property) else {
        return Err(vm.raise(TypeId::TypeError, "expected a property"));
    };
    let mut fns = [vm.heap.slot(r, 0), vm.heap.slot(r, 1), vm.heap.slot(r, 2)];
    fns[i] = args.pos[1];
    vm.new_wrapper(Kind::Property, &fns)
}

/// `prop.getter(f)`: a copy of the property with `f` as its getter.
pub fn property_getter(vm: &mut Vm, args: Args) -> PyResult<Value> {
    property_with(vm, &args, 0)
}

/// `prop.setter(f)`: a copy of the property with `f` as its setter.
pub fn property_setter(vm: &mut Vm, args: Args) -> PyResult<Value> {
    property_with(vm, &args, 1)
}

/// `prop.deleter(f)`: a copy of the property with `f` as its deleter.
pub fn property_deleter(vm: &mut Vm, args: Args) -> PyResult<Value> {
    property_with(vm, &args, 2)
}

/// `super()` in a method: the class that defines the running function, and
/// the method's first argument.
fn zero_arg_super(vm: &mut Vm) -> PyResult<Value> {
    let Some(frame) = vm.frames.last().copied() else {
        return Err(vm.raise(TypeId::RuntimeError, "super(): no arguments"));
    };
    let mut this = vm.stack.get(frame.base).copied().unwrap_or(Value::NULL);
    // A first argument closed over by an inner function lives in a cell.
    if let Some(r) = this.as_obj().filter(|&r| vm.heap.kind(r) == Kind::Cell) {
        this = vm.heap.slot(r, 0);
    }
    if frame.func.is_null() || this.is_null() {
        return Err(vm.raise(TypeId::RuntimeError, "super(): no arguments"));
    }
    let cls = if vm.is_class(this) { this } else { vm.class_of(this) };
    // The defining class is the one in the MRO whose dict holds the function.
    let mro = cls.as_obj().map(|r| vm.heap.slot(r, crate::objects::class::cls::MRO));
    let n = mro.and_then(|m| vm.seq_items(m)).map_or(0, |s| s.len());
    for i in 0..n {
        let c = mro.and_then(|m| vm.seq_items(m)).map_or(Value::NONE, |s| s[i]);
        let Some(d) = c.as_obj().filter(|_| vm.is_class(c)).and_then(|r| vm.heap.slot(r, crate::objects::class::cls::DICT).as_obj()) else {
            continue;
        };
        let defines = crate::objects::dict::raw_entries(&vm.heap, d).chunks(2).any(|kv| {
            let v = kv[1];
            v == frame.func
                || v.as_obj()
                    .is_some_and(|r| matches!(vm.heap.kind(r), Kind::StaticMethod | Kind::ClassMethod) && vm.heap.slot(r, 0) == frame.func)
        });
        if defines {
            // `super().name(...)`: the object is only looked into by the
            // next instruction, so the VM's scratch one serves and nothing
            // is allocated (MicroPython compiles this to LOAD_SUPER_METHOD).
            // It keeps `this` alive until the next such call.
            return super_object(vm, c, this);
        }
    }
    Err(vm.raise(TypeId::RuntimeError, "super(): __class__ cell not found"))
}

/// `super(c, this)`. When the running code's next instruction is
/// LOAD_METHOD (`super().name(...)`), the object is only looked into by it,
/// so the VM's scratch one serves and nothing is allocated (MicroPython
/// compiles this to LOAD_SUPER_METHOD). It keeps `this` alive until the
/// next such call.
fn super_object(vm: &mut Vm, c: Value, this: Value) -> PyResult<Value> {
    let next = vm.frames.last().and_then(|f| vm.heap.code_bytes(f.bc).get(f.ip).copied());
    if let Some(r) = vm.scratch_super.as_obj().filter(|_| next == Some(crate::bytecode::LOAD_METHOD)) {
        vm.heap.set_slot(r, 0, c);
        vm.heap.set_slot(r, 1, this);
        return Ok(vm.scratch_super);
    }
    vm.new_wrapper(Kind::Super, &[c, this])
}

fn self_list(vm: &mut Vm, args: &Args) -> PyResult<crate::value::ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.kind_of(v) == Some(Kind::List)) {
        Some(v) => Ok(v.as_obj().expect("list")),
        None => Err(vm.raise(TypeId::TypeError, "expected a list")),
    }
}

pub fn list_append(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = self_list(vm, &args)?;
    vm.list_push(l, args.pos[1])?;
    Ok(Value::NONE)
}

pub fn list_pop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = self_list(vm, &args)?;
    let n = list::len(&vm.heap, l);
    if n == 0 {
        return Err(vm.raise(TypeId::IndexError, "pop from empty list"));
    }
    let i = match args.pos.get(1) {
        Some(&v) => match vm.as_int(v) {
            Some(i) if i < 0 => i + n as i64,
            Some(i) => i,
            None => return Err(vm.raise(TypeId::TypeError, "list indices must be integers")),
        },
        None => n as i64 - 1,
    };
    if i < 0 || i >= n as i64 {
        return Err(vm.raise(TypeId::IndexError, "list index out of range"));
    }
    Ok(vm.list_pop(l, i as usize).unwrap_or(Value::NONE))
}

pub fn str_join(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let sep = args.pos[0];
    let Some(fl) = crate::modules::seq_methods::flavor_of(vm, sep) else { return Err(vm.raise(TypeId::TypeError, "expected a str")) };
    let text = |vm: &Vm, v: Value| {
        if fl == crate::modules::seq_methods::Flavor::Str { vm.str_bytes(v) } else { vm.bytes_payload(v) }.map(|b| b.to_vec())
    };
    let sep_text = text(vm, sep).unwrap_or_default();
    let mut out: Vec<u8> = Vec::new();
    let mut first = true;
    vm.for_each(args.pos[1], |vm, x| {
        if !first {
            put(&mut out, &sep_text)?;
        }
        first = false;
        let Some(t) = text(vm, x) else {
            return Err(vm.raise(TypeId::TypeError, "join expects a list of str/bytes objects consistent with self object"));
        };
        put(&mut out, &t)?;
        Ok(true)
    })?;
    fl.make(vm, &out)
}

pub fn dict_get(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(d) = args.pos[0].as_obj().filter(|&r| vm.heap.kind(r) == Kind::Dict) else {
        return Err(vm.raise(TypeId::TypeError, "expected a dict"));
    };
    Ok(vm.dict_get(d, args.pos[1])?.unwrap_or(args.pos.get(2).copied().unwrap_or(Value::NONE)))
}

/// Parses an int literal as `int()` accepts it: optional sign and blanks,
/// `_` between digits, base 2..36 (0 means "from the prefix").
pub(crate) fn parse_int(vm: &mut Vm, text: &[u8], base: u32) -> PyResult<Option<Value>> {
    let t = text.trim_ascii();
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = |i: usize| t.get(i).map(|c| c.to_ascii_lowercase());
    let (base, digits) = match (base, lower(0), lower(1)) {
        (0 | 16, Some(b'0'), Some(b'x')) => (16, &t[2..]),
        (0 | 8, Some(b'0'), Some(b'o')) => (8, &t[2..]),
        (0 | 2, Some(b'0'), Some(b'b')) => (2, &t[2..]),
        // Base 0 reads a literal: no leading zeros on a nonzero decimal.
        (0, Some(b'0'), _) if t.iter().any(|&c| c != b'0' && c != b'_') => return Ok(None),
        (0, _, _) => (10, t),
        (b, _, _) => (b, t),
    };
    if digits.is_empty() || digits[0] == b'_' || digits[digits.len() - 1] == b'_' || digits.windows(2).any(|w| w == b"__") {
        return Ok(None);
    }
    match crate::objects::int::parse_u64(digits, base) {
        None => Ok(None),
        // -2^63 is an i64 too.
        Some(Some(u)) if u <= i64::MAX as u64 || neg && u == 1 << 63 => {
            vm.int_value(if neg { (u as i64).wrapping_neg() } else { u as i64 }).map(Some)
        }
        Some(_) if !crate::features::LONGINT => Err(vm.long_overflow()),
        Some(_) => match Big::parse(digits, base)? {
            Some(b) => vm.new_int_big(if neg { b.negate() } else { b }).map(Some),
            None => Ok(None),
        },
    }
}

pub(crate) fn construct(vm: &mut Vm, t: TypeId, args: Args) -> PyResult<Value> {
    let a0 = args.pos.first().copied();
    match t {
        TypeId::Int => {
            arity(vm, &args, 0, 2)?;
            let Some(x) = a0 else { return Ok(Value::small_int(0)) };
            if vm.is_int(x) {
                return Ok(if x.is_small_int() || vm.kind_of(x).is_some() { x } else { Value::small_int((x == Value::TRUE) as isize) });
            }
            if let Some(f) = vm.as_float(x) {
                return vm.int_from_float(f);
            }
            let base = match args.pos.get(1) {
                Some(&b) => vm.as_int(b).unwrap_or(10) as u32,
                None => 10,
            };
            if base != 0 && !(2..=36).contains(&base) {
                return Err(vm.raise(TypeId::ValueError, "int() arg 2 must be >= 2 and <= 36"));
            }
            if args.pos.len() == 1 && vm.kind_of(x) == Some(Kind::Instance) && vm.str_bytes(x).is_none() {
                // A user class converts itself.
                for dunder in [q::__int__, q::__index__] {
                    if let Some(i) = vm.call_dunder(x, dunder, &[])? {
                        if !vm.is_int(i) {
                            return Err(vm.raise(TypeId::TypeError, "__int__ returned non-int"));
                        }
                        return Ok(i);
                    }
                }
            }
            let Some(s) = vm.str_bytes(x).or_else(|| vm.bytes_payload(x)) else {
                return Err(vm.raise(TypeId::TypeError, "can't convert to int"));
            };
            let s = s.to_vec();
            match parse_int(vm, &s, base)? {
                Some(i) => Ok(i),
                None => Err(vm.raise_counted(TypeId::ValueError, &[b"invalid syntax for integer with base "], &[base as usize])),
            }
        }
        TypeId::Float if crate::features::FLOAT => {
            arity(vm, &args, 0, 1)?;
            let Some(x) = a0 else { return vm.new_float(0.0) };
            if let Some(f) = vm.to_float(x)? {
                return vm.new_float(f);
            }
            let parsed = vm.str_bytes(x).or_else(|| vm.bytes_payload(x)).map(crate::objects::float::parse_float);
            match parsed {
                Some(Some(f)) => vm.new_float(f),
                Some(None) => Err(vm.raise(TypeId::ValueError, "invalid syntax for number")),
                None => Err(vm.raise(TypeId::TypeError, "can't convert to float")),
            }
        }
        TypeId::Bytes => {
            arity(vm, &args, 0, 3)?;
            if let Some(x) = a0.filter(|&x| args.pos.len() == 1 && vm.kind_of(x) == Some(Kind::Bytes)) {
                return Ok(x);
            }
            let data = vm.bytes_from(&args)?;
            vm.new_bytes(&data)
        }
        TypeId::Array if features::ARRAY => vm.construct_array(&args),
        TypeId::Complex if features::COMPLEX => vm.construct_complex(&args),
        TypeId::Deque if features::COLLECTIONS => vm.construct_deque(&args),
        TypeId::RingIO if cfg!(feature = "ringio") => vm.construct_ringio(&args),
        TypeId::DeflateIO if cfg!(feature = "deflate") => vm.construct_deflateio(&args),
        #[cfg(feature = "vfs-lfs2")]
        TypeId::VfsLfs2 => crate::modules::vfs_lfs::construct(vm, &args),
        TypeId::StringIO | TypeId::BytesIO if features::IO => vm.construct_stream(t, &args),
        TypeId::OrderedDict if features::COLLECTIONS => vm.construct_ordereddict(&args),
        TypeId::DefaultDict if features::COLLECTIONS => vm.construct_defaultdict(&args),
        TypeId::MemoryView if features::ARRAY => vm.construct_memoryview(&args),
        TypeId::ByteArray => {
            arity(vm, &args, 0, 3)?;
            // bytearray(n) in place, not via n zeros in the Rust heap: a RAM
            // disk or file buffer may be larger than that heap. (With the
            // file system only: 68 bytes of flash the smallest builds keep.)
            if let (true, Some(n), 1) = (cfg!(feature = "os"), a0.and_then(|x| x.as_small_int()).filter(|&n| n >= 0), args.pos.len()) {
                return vm.new_bytearray_zeroed(n as usize);
            }
            let data = vm.bytes_from(&args)?;
            vm.new_bytearray(&data)
        }
        TypeId::Bool => {
            arity(vm, &args, 0, 1)?;
            match a0 {
                Some(x) => Ok(Value::from_bool(vm.truthy(x)?)),
                None => Ok(Value::FALSE),
            }
        }
        TypeId::Str => {
            arity(vm, &args, 0, 3)?;
            if let (Some(x), true) = (a0, args.pos.len() > 1 || args.kwarg(q::encoding).is_some()) {
                // `str(b, encoding)` decodes.
                let Some(b) = vm.bytes_payload(x) else { return Err(vm.raise(TypeId::TypeError, "decoding str is not supported")) };
                if !crate::objects::str::utf8_valid(b) {
                    return Err(vm.raise(TypeId::UnicodeError, "invalid UTF-8"));
                }
                let b = b.to_vec();
                return vm.new_str(&b);
            }
            match a0 {
                Some(x) => vm.to_str(x),
                None => Ok(Value::qstr(q::EMPTY)),
            }
        }
        TypeId::List | TypeId::Tuple => {
            arity(vm, &args, 0, 1)?;
            let l = match a0 {
                Some(x) => vm.list_from_iter(x)?,
                None => vm.new_list(&[])?,
            };
            if t == TypeId::List {
                return Ok(l);
            }
            let lr = l.as_obj().expect("new list");
            let mut items: Vec<Value> = Vec::new();
            let src = list::items(&vm.heap, lr);
            items.try_reserve(src.len()).map_err(|_| PyErr::NoMemory)?;
            items.extend_from_slice(src);
            vm.retry_after_collect(l, |vm| vm.new_tuple(&items))
        }
        TypeId::Dict => {
            arity(vm, &args, 0, 1)?;
            let d = vm.new_dict(0)?;
            let r = d.as_obj().expect("dict");
            vm.with_root(d, |vm| crate::modules::seq_methods::dict_merge(vm, r, a0, args.kw))?;
            Ok(d)
        }
        TypeId::Set | TypeId::FrozenSet if crate::features::SET => {
            arity(vm, &args, 0, 1)?;
            let kind = if t == TypeId::Set { Kind::Set } else { Kind::FrozenSet };
            vm.new_set_from(kind, a0)
        }
        TypeId::Range => {
            arity(vm, &args, 1, 3)?;
            let mut n = [0i64; 3];
            for (i, &a) in args.pos.iter().enumerate() {
                n[i] = vm.machine_int(a)?;
                // Machine words, as MicroPython's ranges: on a 32-bit part
                // range(1 << 32) is an OverflowError, not a wrong len().
                if isize::try_from(n[i]).is_err() {
                    return Err(vm.raise(TypeId::OverflowError, "overflow converting long int to machine word"));
                }
            }
            match args.pos.len() {
                1 => vm.new_range(0, n[0], 1),
                2 => vm.new_range(n[0], n[1], 1),
                _ => vm.new_range(n[0], n[1], n[2]),
            }
        }
        TypeId::Slice if crate::features::SLICE => {
            arity(vm, &args, 1, 3)?;
            let p = args.pos;
            match p.len() {
                1 => vm.new_slice(Value::NONE, p[0], Value::NONE),
                2 => vm.new_slice(p[0], p[1], Value::NONE),
                _ => vm.new_slice(p[0], p[1], p[2]),
            }
        }
        TypeId::Type if args.pos.len() == 3 => {
            // type(name, bases, namespace): a class made at run time.
            let Some(name) = vm.intern_value(args.pos[0])? else {
                return Err(vm.raise(TypeId::TypeError, "type() argument 1 must be str"));
            };
            let Some(bases) = vm.seq_items(args.pos[1]).filter(|_| vm.kind_of(args.pos[1]) == Some(Kind::Tuple)).map(|b| b.to_vec()) else {
                return Err(vm.raise(TypeId::TypeError, "type() argument 2 must be tuple"));
            };
            let ns = vm.native_value(args.pos[2]);
            if vm.kind_of(ns) != Some(Kind::Dict) {
                return Err(vm.raise(TypeId::TypeError, "type() argument 3 must be dict"));
            }
            let copy = vm.new_dict(0)?;
            let cr = copy.as_obj().expect("new dict");
            vm.with_root(copy, |vm| {
                crate::modules::seq_methods::dict_merge(vm, cr, Some(ns), &[])?;
                let c = vm.new_class(name, &bases, copy)?;
                vm.with_root(c, |vm| vm.class_set_names(c))?;
                Ok(c)
            })
        }
        TypeId::Type => {
            arity(vm, &args, 1, 1)?;
            Ok(vm.class_of(args.pos[0]))
        }
        TypeId::StaticMethod | TypeId::ClassMethod => {
            arity(vm, &args, 1, 1)?;
            let kind = if t == TypeId::StaticMethod { Kind::StaticMethod } else { Kind::ClassMethod };
            vm.new_wrapper(kind, &[args.pos[0]])
        }
        TypeId::Property if crate::features::CORE_FEATURES => {
            // property(fget=None, fset=None, fdel=None, doc=None); the doc is dropped.
            arity(vm, &args, 0, 4)?;
            let getter = args.pos.first().copied().or_else(|| args.kwarg(q::fget)).unwrap_or(Value::NONE);
            let setter = args.pos.get(1).copied().or_else(|| args.kwarg(q::fset)).unwrap_or(Value::NONE);
            let deleter = args.pos.get(2).copied().or_else(|| args.kwarg(q::fdel)).unwrap_or(Value::NONE);
            vm.new_wrapper(Kind::Property, &[getter, setter, deleter])
        }
        TypeId::Object => {
            arity(vm, &args, 0, 0)?;
            // A bare object has no attribute dict, so it takes no attributes.
            let r = vm.heap.alloc_values(Kind::Instance, 2)?;
            vm.heap.set_slot(r, 0, TypeId::Object.value());
            vm.heap.set_slot(r, 1, Value::NULL);
            Ok(Value::obj(r))
        }
        TypeId::Super => match args.pos.len() {
            0 => zero_arg_super(vm),
            2 => {
                // super(type, obj): obj an instance of type, or a subclass of it.
                let (t, obj) = (args.pos[0], args.pos[1]);
                let is_type = |vm: &Vm, v: Value| vm.is_class(v) || v.as_type().is_some();
                let c = if is_type(vm, obj) { obj } else { vm.class_of(obj) };
                if !is_type(vm, t) || !vm.is_subclass(c, t) {
                    return Err(vm.raise(TypeId::TypeError, "super(type, obj): obj must be an instance or subtype of type"));
                }
                super_object(vm, t, obj)
            }
            _ => Err(vm.raise(TypeId::TypeError, "super() takes 0 or 2 arguments")),
        },
        _ => Err(vm.raise_name(TypeId::TypeError, b"cannot create '", t.name(), b"' instances")),
    }
}

fn name_arg(vm: &mut Vm, v: Value) -> PyResult<crate::qstr::Qstr> {
    match vm.intern_value(v)? {
        Some(q) => Ok(q),
        None => Err(vm.raise(TypeId::TypeError, "attribute name must be a string")),
    }
}

pub fn getattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let name = name_arg(vm, args.pos[1])?;
    match vm.load_attr(args.pos[0], name) {
        Err(e) if args.pos.len() == 3 && vm.caught(e, TypeId::AttributeError) => Ok(args.pos[2]),
        other => other,
    }
}

pub fn hasattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let name = name_arg(vm, args.pos[1])?;
    has_attr(vm, args.pos[0], name).map(Value::from_bool)
}

/// Whether `obj.name` can be read (an `AttributeError` says no; any other
/// exception is raised).
pub(crate) fn has_attr(vm: &mut Vm, obj: Value, name: crate::qstr::Qstr) -> PyResult<bool> {
    match vm.load_attr(obj, name) {
        Ok(_) => Ok(true),
        Err(e) if vm.caught(e, TypeId::AttributeError) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `dir()`: the caller's names. `dir(obj)`: every name `obj` has an
/// attribute for, found as MicroPython does, by trying each interned name;
/// so builtin types, modules and instances need no name lists of their own.
pub fn dir(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(&obj) = args.pos.first() else {
        let ns = crate::modules::eval::locals(vm, Args { pos: &[], kw: &[] })?;
        return vm.list_from_iter(ns);
    };
    // An instance whose class defines __dir__ lists itself (sorted, as
    // CPython does).
    if let Some(names) = vm.call_dunder(obj, q::__dir__, &[])? {
        let l = vm.list_from_iter(names)?;
        let r = l.as_obj().expect("new list");
        vm.with_root(l, |vm| crate::modules::seq_methods::sort_list(vm, r, Value::NONE, false))?;
        return Ok(l);
    }
    let out = vm.new_list(&[])?;
    let l = out.as_obj().expect("new list");
    vm.with_root(out, |vm| {
        vm.for_each_attr(obj, |vm, name| vm.list_push(l, Value::qstr(name)))?;
        Ok(out)
    })
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`:
/// what `import name` does, returning the top package of a dotted name
/// unless `fromlist` asks for names from the module itself.
pub fn dunder_import(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mut name = name_arg(vm, args.pos[0])?;
    // `level` > 0: relative to the package of the module whose globals
    // are given, as `from . import x` in it.
    let level = match args.pos.get(4) {
        Some(&l) => vm.machine_int(l)?,
        None => 0,
    };
    if level < 0 || (level == 0 && name == crate::qstr::q::EMPTY) {
        // Without a message, as MicroPython's.
        return Err(vm.raise_bare(TypeId::ValueError));
    }
    if level > 0 {
        let g = args.pos[1];
        if vm.kind_of(g) != Some(Kind::Dict) {
            return Err(vm.raise_bare(TypeId::TypeError));
        }
        name = match vm.name_in_package(g, level as usize - 1, false, name, 0)? {
            Some(n) => n,
            None => return Err(vm.raise(TypeId::ImportError, "can't perform relative import")),
        };
    }
    let m = vm.import(name)?;
    let from = args.pos.get(3).copied().unwrap_or(Value::NONE);
    if !from.is_none() && vm.truthy(from)? {
        return Ok(m);
    }
    // The package a dotted name starts with, imported with it.
    let text = vm.qstr_bytes(name);
    let top = text.split(|&c| c == b'.').next().and_then(|t| vm.find_qstr(t));
    match top {
        Some(top) if top != name => vm.import(top),
        _ => Ok(m),
    }
}

pub fn setattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let name = name_arg(vm, args.pos[1])?;
    vm.store_attr(args.pos[0], name, args.pos[2])?;
    Ok(Value::NONE)
}

pub fn callable(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let v = args.pos[0];
    let yes = v.as_builtin_fn().is_some()
        || v.as_type().is_some()
        || matches!(vm.kind_of(v), Some(Kind::Function | Kind::BoundMethod | Kind::Class))
        || (vm.kind_of(v) == Some(Kind::Instance) && vm.class_lookup(vm.class_of(v), crate::qstr::q::__call__, None)?.is_some());
    Ok(Value::from_bool(yes))
}

fn all_any(vm: &mut Vm, args: Args, want: bool) -> PyResult<Value> {
    let mut found = false;
    vm.for_each(args.pos[0], |vm, v| {
        found = vm.truthy(v)? == want;
        Ok(!found)
    })?;
    Ok(Value::from_bool(if found { want } else { !want }))
}

pub fn all(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_any(vm, args, false)
}

pub fn any(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_any(vm, args, true)
}

pub fn sum(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let start = args.pos.get(1).copied().unwrap_or(Value::small_int(0));
    // The running total changes each step: it lives in a root slot.
    let at = vm.roots.len();
    vm.roots.push(start);
    let r = vm.for_each(args.pos[0], |vm, v| {
        let next = vm.binary_op(BinOp::Add, vm.roots[at], v)?;
        vm.roots[at] = next;
        Ok(true)
    });
    let total = vm.roots[at];
    vm.roots.truncate(at);
    r.map(|_| total)
}

pub fn chr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    // Where strs are bytes, a character is one byte (MicroPython's message).
    if !crate::features::STR_UNICODE {
        let Some(b) = vm.as_int(args.pos[0]).and_then(|i| u8::try_from(i).ok()) else {
            return Err(vm.raise(TypeId::ValueError, "chr() arg not in range(256)"));
        };
        return vm.new_str(&[b]);
    }
    let c = vm.as_int(args.pos[0]).and_then(|i| u32::try_from(i).ok()).and_then(char::from_u32);
    let Some(c) = c else { return Err(vm.raise(TypeId::ValueError, "chr() arg not in range(0x110000)")) };
    let mut buf = [0u8; 4];
    vm.new_str(c.encode_utf8(&mut buf).as_bytes())
}

pub fn ord(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(b) = vm.bytes_payload(args.pos[0]).filter(|b| b.len() == 1) {
        return Ok(Value::small_int(b[0] as isize));
    }
    let c = vm.str_bytes(args.pos[0]).and_then(crate::objects::str::single_char);
    match c {
        Some(c) => Ok(Value::small_int(c as isize)),
        None => Err(vm.raise(TypeId::TypeError, "ord() expected a character")),
    }
}

pub fn divmod(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let q = vm.binary_op(BinOp::FloorDiv, args.pos[0], args.pos[1])?;
    vm.with_root(q, |vm| {
        let m = vm.binary_op(BinOp::Mod, args.pos[0], args.pos[1])?;
        vm.with_root(m, |vm| vm.new_tuple(&[q, m]))
    })
}

/// `round(x[, n])`: halves to even, as Python.
/// An int rounded to a multiple of 10**k, halves to even, exactly.
fn round_int(vm: &mut Vm, x: Value, k: i64) -> PyResult<Value> {
    let base = vm.roots.len();
    let r = (|| {
        let p = vm.binary_op(BinOp::Pow, Value::small_int(10), Value::small_int(k.min(10_000) as isize))?;
        vm.roots.push(p);
        let q = vm.binary_op(BinOp::FloorDiv, x, p)?;
        vm.roots.push(q);
        let rem = vm.binary_op(BinOp::Mod, x, p)?;
        vm.roots.push(rem);
        let twice = vm.binary_op(BinOp::Add, rem, rem)?;
        vm.roots.push(twice);
        let up = match vm.binary_op(BinOp::Gt, twice, p)? {
            Value::TRUE => true,
            _ if vm.values_eq(twice, p)? => {
                let odd = vm.binary_op(BinOp::And, q, Value::small_int(1))?;
                odd == Value::small_int(1)
            }
            _ => false,
        };
        let q = if up { vm.binary_op(BinOp::Add, q, Value::small_int(1))? } else { q };
        vm.roots.push(q);
        vm.binary_op(BinOp::Mul, q, p)
    })();
    vm.roots.truncate(base);
    r
}

pub fn round(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = args.pos[0];
    let digits = args.pos.get(1).filter(|v| !v.is_none()).and_then(|&v| vm.as_int(v));
    if vm.is_int(x) {
        return match digits {
            // MicroPython's minimal builds leave rounding ints out
            // (MICROPY_PY_BUILTINS_ROUND_INT).
            Some(_) if !crate::features::CORE_FEATURES => Err(vm.raise(TypeId::NotImplementedError, "round() of an int to digits")),
            Some(d) if d < 0 => round_int(vm, x, -d),
            _ => vm.binary_op(BinOp::Add, x, Value::small_int(0)),
        };
    }
    let Some(f) = vm.as_float(x).filter(|_| crate::features::FLOAT) else { return Err(vm.raise(TypeId::TypeError, "can't round that")) };
    match digits {
        None => vm.int_from_float(fm::rint(f)),
        Some(d) => {
            let p = fm::pow(10.0, d as Float);
            vm.new_float(fm::rint(f * p) / p)
        }
    }
}

pub fn pow(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(&m) = args.pos.get(2).filter(|m| !m.is_none()) {
        if !crate::features::CORE_FEATURES {
            return Err(vm.raise(TypeId::NotImplementedError, "3-arg pow() not supported"));
        }
        if !crate::features::LONGINT {
            return pow_mod_i64(vm, args.pos[0], args.pos[1], m);
        }
        let (Some(b), Some(e), Some(m)) = (vm.as_big(args.pos[0])?, vm.as_big(args.pos[1])?, vm.as_big(m)?) else {
            return Err(vm.raise(TypeId::TypeError, "pow() with 3 arguments requires integers"));
        };
        if m.is_zero() {
            return Err(vm.raise(TypeId::ValueError, "pow() 3rd argument cannot be 0"));
        }
        if e.neg {
            return Err(vm.raise(TypeId::ValueError, "pow() 2nd argument cannot be negative when 3rd argument specified"));
        }
        let r = b.pow_mod(&e, &m)?;
        return vm.new_int_big(r);
    }
    vm.binary_op(BinOp::Pow, args.pos[0], args.pos[1])
}

/// `pow(b, e, m)` with 64-bit ints: square and multiply, each product by
/// doubling, so no sum passes 2**64 (m is at most 2**63).
fn pow_mod_i64(vm: &mut Vm, b: Value, e: Value, m: Value) -> PyResult<Value> {
    let (Some(b), Some(e), Some(m)) = (vm.as_int(b), vm.as_int(e), vm.as_int(m)) else {
        return Err(vm.raise(TypeId::TypeError, "pow() with 3 arguments requires integers"));
    };
    if m == 0 {
        return Err(vm.raise(TypeId::ValueError, "pow() 3rd argument cannot be 0"));
    }
    if e < 0 {
        return Err(vm.raise(TypeId::ValueError, "pow() 2nd argument cannot be negative when 3rd argument specified"));
    }
    let n = m.unsigned_abs();
    let mul = |mut a: u64, mut k: u64| {
        let mut r = 0;
        while k > 0 {
            if k & 1 == 1 {
                r = (r + a) % n;
            }
            a = (a + a) % n;
            k >>= 1;
        }
        r
    };
    let r = b.unsigned_abs() % n;
    let (mut acc, mut base, mut e) = (1 % n, if b < 0 && r != 0 { n - r } else { r }, e as u64);
    while e > 0 {
        if e & 1 == 1 {
            acc = mul(acc, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    // The result takes the modulus's sign, as `%` does.
    let r = if m < 0 && acc != 0 { -((n - acc) as i64) } else { acc as i64 };
    vm.int_value(r)
}

fn radix(vm: &mut Vm, args: Args, base: u32, prefix: &[u8]) -> PyResult<Value> {
    if !vm.is_int(args.pos[0]) {
        return Err(vm.raise(TypeId::TypeError, "can't convert to int"));
    }
    let d = vm.int_digits(args.pos[0], base, false)?;
    let (sign, digits) = if d[0] == b'-' { (&b"-"[..], &d[1..]) } else { (&b""[..], &d[..]) };
    vm.new_str_from_parts(&[sign, prefix, digits])
}

pub fn hex(vm: &mut Vm, args: Args) -> PyResult<Value> {
    radix(vm, args, 16, b"0x")
}

pub fn oct(vm: &mut Vm, args: Args) -> PyResult<Value> {
    radix(vm, args, 8, b"0o")
}

pub fn bin(vm: &mut Vm, args: Args) -> PyResult<Value> {
    radix(vm, args, 2, b"0b")
}

/// `hash(x)`: see `runtime/hash.rs`.
pub fn hash(vm: &mut Vm, args: Args) -> PyResult<Value> {
    vm.hash_value(args.pos[0]).map(Value::small_int)
}

pub fn id(_vm: &mut Vm, args: Args) -> PyResult<Value> {
    Ok(Value::small_int((args.pos[0].bits() >> 1) as isize & 0x3fff_ffff))
}

pub fn sorted(vm: &mut Vm, args: Args) -> PyResult<Value> {
    known_kwargs(vm, &args, &[q::key, q::reverse])?;
    let l = vm.list_from_iter(args.pos[0])?;
    let lr = l.as_obj().expect("new list");
    // The new list is reachable only from here while the sort calls Python
    // (and the items are taken: a sort out of memory collects and sorts again).
    vm.retry_after_collect(l, |vm| {
        let key = args.kwarg(crate::qstr::q::key).unwrap_or(Value::NONE);
        let reverse = match args.kwarg(crate::qstr::q::reverse) {
            Some(v) => vm.truthy(v)?,
            None => false,
        };
        crate::modules::seq_methods::sort_list(vm, lr, key, reverse)
    })?;
    Ok(l)
}

pub fn enumerate(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 2)?;
    let Some(src) = args.pos.first().copied().or_else(|| args.kwarg(q::iterable)) else {
        return Err(vm.raise(TypeId::TypeError, "enumerate() missing required argument 'iterable'"));
    };
    let it = vm.get_iter(src)?;
    let start = args.pos.get(1).copied().or_else(|| args.kwarg(q::start)).unwrap_or(Value::small_int(0));
    vm.new_adapter(crate::objects::iter::adapter::ENUMERATE, it, start)
}

fn iters_tuple(vm: &mut Vm, items: &[Value]) -> PyResult<Value> {
    if items.len() > 8 {
        return Err(vm.raise(TypeId::TypeError, "too many iterables"));
    }
    let mut its = [Value::NONE; 8];
    for (i, &x) in items.iter().enumerate() {
        its[i] = vm.get_iter(x)?;
    }
    vm.new_tuple(&its[..items.len()])
}

pub fn zip(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let t = iters_tuple(vm, args.pos)?;
    vm.new_adapter(crate::objects::iter::adapter::ZIP, t, Value::NONE)
}

pub fn map(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let t = iters_tuple(vm, &args.pos[1..])?;
    vm.new_adapter(crate::objects::iter::adapter::MAP, args.pos[0], t)
}

pub fn filter(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let it = vm.get_iter(args.pos[1])?;
    vm.new_adapter(crate::objects::iter::adapter::FILTER, args.pos[0], it)
}

pub fn reversed(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(r) = vm.call_dunder(args.pos[0], q::__reversed__, &[])? {
        return Ok(r);
    }
    let n = match vm.call_dunder(args.pos[0], q::__len__, &[])? {
        Some(n) => vm.as_int(n).map(|n| n.max(0) as usize),
        None => vm.len_of(args.pos[0]),
    };
    let Some(n) = n else { return Err(vm.raise(TypeId::TypeError, "object isn't reversible")) };
    vm.new_adapter(crate::objects::iter::adapter::REVERSED, args.pos[0], Value::small_int(n as isize - 1))
}

/// `int.from_bytes(bytes, byteorder="big", *, signed=False)`.
pub fn int_from_bytes(vm: &mut Vm, args: Args) -> PyResult<Value> {
    // Called on the type (`int.from_bytes`) or through an instance.
    let pos = if args.pos.first().is_some_and(|&v| vm.is_int(v) || v == TypeId::Int.value())
        && args.pos.len() > 1
        && vm.bytes_payload(args.pos[1]).is_some()
    {
        &args.pos[1..]
    } else {
        args.pos
    };
    let Some(b) = pos.first().and_then(|&v| vm.bytes_payload(v)) else {
        return Err(vm.raise(TypeId::TypeError, "object with buffer protocol required"));
    };
    let mut b = b.to_vec();
    if byteorder(vm, pos.get(1).copied(), &args)? {
        b.reverse();
    }
    let signed = match args.kwarg(q::signed) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    if !crate::features::LONGINT {
        // Bytes past the eighth must only extend the sign.
        let fill = if signed && b.last().is_some_and(|&c| c & 0x80 != 0) { 0xff } else { 0 };
        let mut v = [fill; 8];
        for (i, &c) in b.iter().enumerate() {
            match v.get_mut(i) {
                Some(d) => *d = c,
                None if c != fill => return Err(vm.long_overflow()),
                None => {}
            }
        }
        if !signed && v[7] & 0x80 != 0 || signed && b.len() > 8 && (v[7] ^ fill) & 0x80 != 0 {
            return Err(vm.long_overflow());
        }
        return vm.int_value(i64::from_le_bytes(v));
    }
    let big = Big::from_bytes_le(&b, signed)?;
    vm.new_int_big(big)
}

/// Whether the byte order argument (positional or `byteorder=`) is "big".
fn byteorder(vm: &mut Vm, pos: Option<Value>, args: &Args) -> PyResult<bool> {
    let v = pos.or_else(|| args.kwarg(q::byteorder)).unwrap_or(Value::qstr(q::big));
    match vm.str_bytes(v) {
        Some(b"big") => Ok(true),
        Some(b"little") => Ok(false),
        _ => Err(vm.raise(TypeId::ValueError, "byteorder must be either 'little' or 'big'")),
    }
}

/// `int.to_bytes(length=1, byteorder="big", *, signed=False)`.
pub fn int_to_bytes(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let small = vm.as_int(args.pos[0]).filter(|_| !crate::features::LONGINT);
    let b = match small {
        Some(_) => None,
        None => match vm.as_big(args.pos[0])? {
            Some(b) => Some(b),
            None => return Err(vm.raise(TypeId::TypeError, "expected an int")),
        },
    };
    let len = match args.pos.get(1).copied().or_else(|| args.kwarg(q::length)) {
        Some(v) => match vm.as_int(v) {
            Some(n) if n >= 0 => n as usize,
            Some(_) => return Err(vm.raise(TypeId::ValueError, "length argument must be non-negative")),
            None => return Err(vm.raise(TypeId::TypeError, "length must be an int")),
        },
        None => 1,
    };
    let big_endian = byteorder(vm, args.pos.get(2).copied(), &args)?;
    let signed = match args.kwarg(q::signed) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    if small.map_or_else(|| b.as_ref().is_some_and(|b| b.neg), |i| i < 0) && !signed {
        return Err(vm.raise(TypeId::OverflowError, "can't convert negative int to unsigned"));
    }
    let out = match (small, b) {
        (Some(i), _) => {
            // Two's complement, sign-extended; it fits if what is cut off
            // only extends the sign of what stays.
            let fill = if i < 0 { 0xff } else { 0 };
            let mut out = alloc::vec![fill; len];
            let raw = i.to_le_bytes();
            let n = len.min(8);
            out[..n].copy_from_slice(&raw[..n]);
            let top = out.last().map_or(fill, |&c| {
                if signed {
                    if c & 0x80 != 0 {
                        0xff
                    } else {
                        0
                    }
                } else {
                    0
                }
            });
            (raw[n..].iter().all(|&c| c == fill) && top == fill && (len > 0 || i == 0)).then_some(out)
        }
        (None, Some(b)) => b.to_bytes_le(len, signed)?,
        (None, None) => None,
    };
    match out {
        Some(mut out) => {
            if big_endian {
                out.reverse();
            }
            vm.new_bytes(&out)
        }
        None => Err(vm.raise(TypeId::OverflowError, "buffer too small")),
    }
}

pub fn int_bit_length(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if let Some(i) = vm.as_int(args.pos[0]) {
        return Ok(Value::small_int(64 - i.unsigned_abs().leading_zeros() as isize));
    }
    let Some(b) = vm.as_big(args.pos[0])? else { return Err(vm.raise(TypeId::TypeError, "expected an int")) };
    Ok(Value::small_int(b.bit_length() as isize))
}

pub fn delattr(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(name) = vm.str_bytes(args.pos[1]).map(|s| s.to_vec()) else {
        return Err(vm.raise(TypeId::TypeError, "attribute name must be a str"));
    };
    let q = vm.intern(&name)?;
    vm.delete_attr(args.pos[0], q)?;
    Ok(Value::NONE)
}

/// `x.__getitem__(k)` and friends on builtin containers: the operators.
pub fn dunder_getitem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    // On an instance of a subclass, act on its builtin value (calling the
    // operator on the instance would find this method again).
    let this = vm.native_value(args.pos[0]);
    vm.subscr(this, args.pos[1])
}

pub fn dunder_setitem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let this = vm.native_value(args.pos[0]);
    // A dict-based instance (an OrderedDict) stores any key it can search
    // for, slices too, as MicroPython's does.
    match this.as_obj().filter(|&r| this != args.pos[0] && vm.heap.kind(r) == Kind::Dict) {
        Some(d) => vm.dict_set(d, args.pos[1], args.pos[2])?,
        None => vm.store_subscr(this, args.pos[1], args.pos[2])?,
    }
    Ok(Value::NONE)
}

pub fn dunder_delitem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let this = vm.native_value(args.pos[0]);
    vm.delete_subscr(this, args.pos[1])?;
    Ok(Value::NONE)
}

pub fn dunder_contains(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let this = vm.native_value(args.pos[0]);
    vm.binary_op(BinOp::In, args.pos[1], this)
}

pub fn dunder_len(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let this = vm.native_value(args.pos[0]);
    len(vm, Args { pos: &[this], kw: &[] })
}
