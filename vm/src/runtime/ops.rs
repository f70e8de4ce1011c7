//! Operators: arithmetic, comparison, membership, truth, subscripts.

use crate::bytecode::{BinOp, UnaryOp};
use crate::error::{try_concat, try_filled, PyErr, PyResult, TryToVec};
use crate::objects::fmath::Float;
use crate::objects::{dict, list, tuple, Kind, TypeId};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// The dunder name MicroPython uses for an operator in error messages.
fn dunder(op: BinOp) -> &'static str {
    use BinOp::*;
    match op {
        Lt => "__lt__",
        Gt => "__gt__",
        Eq => "__eq__",
        Ne => "__ne__",
        Le => "__le__",
        Ge => "__ge__",
        In | NotIn => "__contains__",
        Is | IsNot => "__is__",
        Or => "__or__",
        Xor => "__xor__",
        And => "__and__",
        LShift => "__lshift__",
        RShift => "__rshift__",
        Add => "__add__",
        Sub => "__sub__",
        Mul => "__mul__",
        FloorDiv => "__floordiv__",
        TrueDiv => "__truediv__",
        Mod => "__mod__",
        Pow => "__pow__",
        MatMul => "__matmul__",
    }
}

/// `x op y` for the commonest operators when both are small ints and the
/// result is one too; `None` sends the operation the general way (other
/// operators, overflow, other types). Inlined in the dispatch loop, but for
/// a build all for size (CONFIG_PYRITE_OPTIMIZE_SIZE): one shared copy.
#[cfg_attr(not(pyrite_size), inline(always))]
#[cfg_attr(pyrite_size, inline(never))]
pub(crate) fn small_int_op(op: BinOp, x: Value, y: Value) -> Option<Value> {
    // On the tagged words themselves (2i+1): one test for both tags, and
    // isize overflow of the tagged result is exactly leaving the small range.
    let (a, b) = (x.bits() as isize, y.bits() as isize);
    if a & b & 1 == 0 {
        return None;
    }
    let tagged = |r: isize| Value::small_int_from_bits(r as usize);
    match op {
        BinOp::Add => (a - 1).checked_add(b).map(tagged),
        BinOp::Sub => a.checked_sub(b).map(|r| tagged(r | 1)),
        BinOp::Mul => (a - 1).checked_mul(b >> 1).map(|r| tagged(r | 1)),
        BinOp::And => Some(tagged(a & b)),
        BinOp::Or => Some(tagged(a | b)),
        BinOp::Xor => Some(tagged((a ^ b) | 1)),
        // Python's floor division and modulo: the remainder takes the
        // divisor's sign. Dividing by zero goes the general way (it raises).
        BinOp::FloorDiv | BinOp::Mod if b != 1 => {
            let (x, y) = (a >> 1, b >> 1);
            let (q, r) = (x / y, x % y);
            let adjust = r != 0 && (r < 0) != (y < 0);
            let v = match (op, adjust) {
                (BinOp::Mod, true) => r + y,
                (BinOp::Mod, false) => r,
                (_, true) => q - 1,
                (_, false) => q,
            };
            Value::try_small_int(v as i64)
        }
        BinOp::Lt => Some(Value::from_bool(a < b)),
        BinOp::Gt => Some(Value::from_bool(a > b)),
        BinOp::Le => Some(Value::from_bool(a <= b)),
        BinOp::Ge => Some(Value::from_bool(a >= b)),
        BinOp::Eq => Some(Value::from_bool(a == b)),
        BinOp::Ne => Some(Value::from_bool(a != b)),
        _ => None,
    }
}

impl Vm {
    /// An int (or bool) as i64.
    pub fn as_int(&self, v: Value) -> Option<i64> {
        if let Some(i) = v.as_small_int() {
            return Some(i as i64);
        }
        if v == Value::TRUE {
            return Some(1);
        }
        if v == Value::FALSE {
            return Some(0);
        }
        if self.kind_of(v) == Some(Kind::Instance) {
            let n = self.native_value(v);
            return if n == v { None } else { self.as_int(n) };
        }
        self.bigint_i64(v)
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn truthy(&mut self, v: Value) -> PyResult<bool> {
        if v == Value::TRUE {
            return Ok(true);
        }
        if v == Value::FALSE || v == Value::NONE {
            return Ok(false);
        }
        if let Some(i) = v.as_small_int() {
            return Ok(i != 0);
        }
        if let Some(s) = v.as_qstr() {
            return Ok(!self.qstr_bytes(s).is_empty());
        }
        let Some(r) = v.as_obj() else { return Ok(true) };
        if self.heap.kind(r) == Kind::Instance {
            if let Some(b) = self.call_dunder(v, crate::qstr::q::__bool__, &[])? {
                return self.truthy(b);
            }
            if let Some(n) = self.call_dunder(v, crate::qstr::q::__len__, &[])? {
                return self.truthy(n);
            }
            let n = self.native_value(v);
            return if n == v { Ok(true) } else { self.truthy(n) };
        }
        Ok(match self.heap.kind(r) {
            Kind::Float => self.as_float(v) != Some(0.0),
            Kind::Complex => self.as_complex(v) != Some((0.0, 0.0)),
            // Not counting a str's characters: any byte is one.
            Kind::Str => self.heap.len(r) > 0,
            // Containers: not empty; the rest: true.
            _ => self.len_of(v) != Some(0),
        })
    }

    pub(crate) fn enter_native(&mut self) -> PyResult<()> {
        if self.native_depth >= self.max_native_depth || self.stack_exhausted() {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        self.native_depth += 1;
        Ok(())
    }

    /// The items of a tuple or list.
    pub fn seq_items(&self, v: Value) -> Option<&[Value]> {
        let r = self.native_value(v).as_obj()?;
        match self.heap.kind(r) {
            Kind::Tuple => Some(tuple::items(&self.heap, r)),
            Kind::List => Some(list::items(&self.heap, r)),
            _ => None,
        }
    }

    /// `a == b`.
    /// A deque, list-backed, still takes no slices (as CPython's).
    fn refuse_deque_slice(&mut self, obj: Value, idx: Value) -> PyResult<()> {
        if crate::features::COLLECTIONS && self.is_slice(idx) && self.type_of_class(obj) == Some(TypeId::Deque) {
            return Err(self.raise(TypeId::TypeError, "deque indices must be integers"));
        }
        Ok(())
    }

    /// The builtin type an instance's class derives from, if any.
    fn type_of_class(&self, v: Value) -> Option<TypeId> {
        if self.kind_of(v) != Some(Kind::Instance) {
            return None;
        }
        self.native_base(self.class_of(v))
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn values_eq(&mut self, a: Value, b: Value) -> PyResult<bool> {
        // Identity implies equality, except for a NaN (a float, a complex,
        // or an instance of a subclass of either).
        if a == b {
            let maybe_nan = matches!(self.kind_of(a), Some(Kind::Float | Kind::Complex | Kind::Instance));
            if !maybe_nan
                || (self.as_float(a).is_none_or(|f| !f.is_nan()) && self.as_complex(a).is_none_or(|(r, i)| !r.is_nan() && !i.is_nan()))
            {
                return Ok(true);
            }
        }
        // Two plain strings (dict keys, mostly): their text, without asking
        // what else either might be. (The general path below answers the
        // same: a build all for size goes only that.)
        if !cfg!(pyrite_size) {
            if let (Some(x), Some(y)) = (self.plain_str_bytes(a), self.plain_str_bytes(b)) {
                return Ok(x == y);
            }
        }
        if let (Some(x), Some(y)) = (self.as_int(a), self.as_int(b)) {
            return Ok(x == y);
        }
        if self.is_int(a) && self.is_int(b) {
            // Ints are canonical: equal big ints have equal bytes.
            return Ok(matches!((a.as_obj(), b.as_obj()), (Some(x), Some(y)) if self.heap.bytes(x) == self.heap.bytes(y)));
        }
        if self.as_complex(a).is_some() || self.as_complex(b).is_some() {
            return Ok(matches!((self.as_complex_number(a), self.as_complex_number(b)), (Some(x), Some(y)) if x == y));
        }
        if self.as_float(a).is_some() || self.as_float(b).is_some() {
            return Ok(matches!((self.as_number(a), self.as_number(b)), (Some(x), Some(y)) if x == y));
        }
        if let (Some(x), Some(y)) = (self.str_bytes(a), self.str_bytes(b)) {
            return Ok(x == y);
        }
        let (ka, kb) = (self.kind_of(a), self.kind_of(b));
        if crate::features::ARRAY && (ka == Some(Kind::Array) || kb == Some(Kind::Array)) {
            return self.arrays_equal(a, b);
        }
        if let (Some(x), Some(y)) = (self.bytes_payload(a), self.bytes_payload(b)) {
            return Ok(x == y);
        }
        if crate::objects::set::is_set_kind(ka) && crate::objects::set::is_set_kind(kb) {
            return self.sets_equal(a.as_obj().expect("set"), b.as_obj().expect("set"));
        }
        // Ranges are equal when they give the same numbers (MicroPython's
        // MICROPY_PY_BUILTINS_RANGE_BINOP; in its minimal builds, only the
        // same range is).
        if crate::features::CORE_FEATURES && ka == Some(Kind::Range) && kb == Some(Kind::Range) {
            let (x, y) = (a.as_obj().expect("range"), b.as_obj().expect("range"));
            let (n, m) = (self.range_len(x), self.range_len(y));
            let ((s1, _, t1), (s2, _, t2)) = (self.range_parts(x), self.range_parts(y));
            return Ok(n == m && (n == 0 || (s1 == s2 && (n == 1 || t1 == t2))));
        }
        if ka == Some(Kind::BoundMethod) && kb == Some(Kind::BoundMethod) {
            let (x, y) = (a.as_obj().expect("method"), b.as_obj().expect("method"));
            return Ok(self.heap.slot(x, 0) == self.heap.slot(y, 0) && self.heap.slot(x, 1) == self.heap.slot(y, 1));
        }
        if ka == Some(Kind::Dict) && kb == Some(Kind::Dict) {
            self.enter_native()?;
            let r = self.dicts_equal(a.as_obj().expect("dict"), b.as_obj().expect("dict"));
            self.native_depth -= 1;
            return r;
        }
        if crate::features::COLLECTIONS
            && self.type_of_class(a) == Some(TypeId::OrderedDict)
            && self.type_of_class(b) == Some(TypeId::OrderedDict)
        {
            // Two OrderedDicts are equal only in the same order.
            let (x, y) = (self.native_value(a).as_obj().expect("dict"), self.native_value(b).as_obj().expect("dict"));
            if dict::len(&self.heap, x) != dict::len(&self.heap, y) {
                return Ok(false);
            }
            let (mut i, mut j) = (0, 0);
            loop {
                while i < dict::entry_slots(&self.heap, x) && dict::entry(&self.heap, x, i).is_none() {
                    i += 1;
                }
                while j < dict::entry_slots(&self.heap, y) && dict::entry(&self.heap, y, j).is_none() {
                    j += 1;
                }
                let (Some((k1, v1)), Some((k2, v2))) = (dict::entry(&self.heap, x, i), dict::entry(&self.heap, y, j)) else {
                    return Ok(true);
                };
                if !self.values_eq(k1, k2)? || !self.values_eq(v1, v2)? {
                    return Ok(false);
                }
                (i, j) = (i + 1, j + 1);
            }
        }
        if ka == Some(Kind::Instance) || kb == Some(Kind::Instance) {
            return match self.instance_binop(BinOp::Eq, a, b)? {
                Some(r) => self.truthy(r),
                None => {
                    let (na, nb) = (self.native_value(a), self.native_value(b));
                    if (na, nb) != (a, b) {
                        self.values_eq(na, nb)
                    } else {
                        Ok(false)
                    }
                }
            };
        }
        if ka != kb || !matches!(ka, Some(Kind::Tuple | Kind::List)) {
            return Ok(false);
        }
        let n = self.seq_items(a).map_or(0, |s| s.len());
        if n != self.seq_items(b).map_or(0, |s| s.len()) {
            return Ok(false);
        }
        self.enter_native()?;
        let mut result = Ok(true);
        for i in 0..n {
            // Re-read each time: nothing moves, but the slices borrow the heap.
            let (x, y) = (self.seq_items(a).map(|s| s[i]), self.seq_items(b).map(|s| s[i]));
            let (Some(x), Some(y)) = (x, y) else { break };
            match self.values_eq(x, y) {
                Ok(true) => {}
                other => {
                    result = other;
                    break;
                }
            }
        }
        self.native_depth -= 1;
        result
    }

    /// Same keys, and equal values under each (order does not matter).
    fn dicts_equal(&mut self, a: crate::value::ObjRef, b: crate::value::ObjRef) -> PyResult<bool> {
        if dict::len(&self.heap, a) != dict::len(&self.heap, b) {
            return Ok(false);
        }
        for i in 0..dict::entry_slots(&self.heap, a) {
            // Read entry by entry: a key's __eq__ may run Python code.
            let Some((k, v)) = dict::entry(&self.heap, a, i) else { continue };
            let other = match self.dict_get(b, k)? {
                Some(o) => o,
                None => return Ok(false),
            };
            if !self.values_eq(v, other)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Orders two values for `<` and friends; `None` if they do not compare.
    fn compare(&mut self, a: Value, b: Value) -> PyResult<Option<core::cmp::Ordering>> {
        let (a, b) = (self.native_value(a), self.native_value(b));
        if let (Some(x), Some(y)) = (self.as_int(a), self.as_int(b)) {
            return Ok(Some(x.cmp(&y)));
        }
        if let (Some(x), Some(y)) = (self.as_big(a)?, self.as_big(b)?) {
            return Ok(Some(x.cmp(&y)));
        }
        if let (Some(x), Some(y)) = (self.str_bytes(a), self.str_bytes(b)) {
            return Ok(Some(x.cmp(y)));
        }
        if let (Some(x), Some(y)) = (self.bytes_payload(a), self.bytes_payload(b)) {
            return Ok(Some(x.cmp(y)));
        }
        let (ka, kb) = (self.kind_of(a), self.kind_of(b));
        if ka != kb || !matches!(ka, Some(Kind::Tuple | Kind::List)) {
            return Ok(None);
        }
        self.enter_native()?;
        let r = self.compare_seqs(a, b);
        self.native_depth -= 1;
        r
    }

    fn compare_seqs(&mut self, a: Value, b: Value) -> PyResult<Option<core::cmp::Ordering>> {
        let (na, nb) = (self.seq_items(a).map_or(0, |s| s.len()), self.seq_items(b).map_or(0, |s| s.len()));
        for i in 0..na.min(nb) {
            let x = self.seq_items(a).map(|s| s[i]).unwrap_or(Value::NONE);
            let y = self.seq_items(b).map(|s| s[i]).unwrap_or(Value::NONE);
            if !self.values_eq(x, y)? {
                return self.compare(x, y);
            }
        }
        Ok(Some(na.cmp(&nb)))
    }

    fn unsupported(&mut self, op: BinOp, a: Value, b: Value) -> PyErr {
        if crate::features::TERSE_ERRORS {
            return self.raise_bare(TypeId::TypeError);
        }
        let (ta, tb) = (self.type_of(a).name(), self.type_of(b).name());
        let (ta, tb) = match (self.qstr_copy(ta), self.qstr_copy(tb)) {
            (Ok(x), Ok(y)) => (x, y),
            _ => return PyErr::NoMemory,
        };
        self.raise_parts(
            TypeId::TypeError,
            &[b"unsupported types for ", dunder(op).as_bytes(), b": '", &ta.0[..ta.1], b"', '", &tb.0[..tb.1], b"'"],
        )
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn binary_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Value> {
        use core::cmp::Ordering::*;
        if let Some(v) = small_int_op(op, a, b) {
            return Ok(v);
        }
        // Float arithmetic with a float or small int on the other side. (The
        // general paths below give the same results: a build all for size
        // goes only those.)
        if !cfg!(pyrite_size) && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv) {
            let (fa, fb) = (self.plain_float(a), self.plain_float(b));
            if fa.is_some() || fb.is_some() {
                let small = |v: Value| v.as_small_int().map(|i| i as Float);
                if let (Some(x), Some(y)) = (fa.or_else(|| small(a)), fb.or_else(|| small(b))) {
                    if let Some(v) = self.float_binop(op, x, y)? {
                        return Ok(v);
                    }
                }
            }
        }
        // Ints within 64 bits (small ints, and big ones on a 32-bit part)
        // in arithmetic: straight to the i64 path.
        if !cfg!(pyrite_size)
            && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::FloorDiv | BinOp::Mod | BinOp::And | BinOp::Or | BinOp::Xor)
        {
            let int = |v: Value| v.as_small_int().map(|i| i as i64).or_else(|| self.bigint_i64(v));
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                if let Some(v) = self.int_binop(op, x, y)? {
                    return Ok(v);
                }
            }
        }
        if self.kind_of(a) == Some(Kind::Instance) || self.kind_of(b) == Some(Kind::Instance) {
            if crate::features::COLLECTIONS && matches!(op, BinOp::Eq | BinOp::Ne) && self.type_of_class(a) == Some(TypeId::OrderedDict) {
                return Ok(Value::from_bool(self.values_eq(a, b)? == (op == BinOp::Eq)));
            }
            if let Some(r) = self.instance_binop(op, a, b)? {
                return Ok(r);
            }
            let (na, nb) = (self.native_value(a), self.native_value(b));
            if (na, nb) != (a, b) && !matches!(op, BinOp::Is | BinOp::IsNot) {
                return self.binary_op(op, na, nb);
            }
        }
        match op {
            BinOp::Is => return Ok(Value::from_bool(a == b)),
            BinOp::IsNot => return Ok(Value::from_bool(a != b)),
            BinOp::Eq => return Ok(Value::from_bool(self.values_eq(a, b)?)),
            BinOp::Ne => return Ok(Value::from_bool(!self.values_eq(a, b)?)),
            BinOp::In => return Ok(Value::from_bool(self.contains(b, a)?)),
            BinOp::NotIn => return Ok(Value::from_bool(!self.contains(b, a)?)),
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge if self.is_set(a) && self.is_set(b) => {
                return Ok(self.set_binop(op, a, b)?.unwrap_or(Value::FALSE));
            }
            // `a | b` of dicts: a new dict, b's values winning. (CPython's;
            // MicroPython has neither this nor `|=`.)
            BinOp::Or if crate::features::CORE_FEATURES && self.kind_of(a) == Some(Kind::Dict) && self.kind_of(b) == Some(Kind::Dict) => {
                let d = self.new_dict(0)?;
                let r = d.as_obj().expect("dict");
                self.with_root(d, |vm| {
                    crate::modules::seq_methods::dict_merge(vm, r, Some(a), &[])?;
                    crate::modules::seq_methods::dict_merge(vm, r, Some(b), &[])
                })?;
                return Ok(d);
            }
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge if self.as_float(a).is_some() || self.as_float(b).is_some() => {
                let (Some(x), Some(y)) = (self.as_number(a), self.as_number(b)) else { return Err(self.unsupported(op, a, b)) };
                let r = match op {
                    BinOp::Lt => x < y,
                    BinOp::Gt => x > y,
                    BinOp::Le => x <= y,
                    _ => x >= y,
                };
                return Ok(Value::from_bool(r));
            }
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                let Some(ord) = self.compare(a, b)? else { return Err(self.unsupported(op, a, b)) };
                let r = match op {
                    BinOp::Lt => ord == Less,
                    BinOp::Gt => ord == Greater,
                    BinOp::Le => ord != Greater,
                    _ => ord != Less,
                };
                return Ok(Value::from_bool(r));
            }
            _ => {}
        }
        if self.as_complex(a).is_some() || self.as_complex(b).is_some() {
            if let (Some(x), Some(y)) = (self.as_complex_number(a), self.as_complex_number(b)) {
                if let Some(v) = self.complex_binop(op, x, y)? {
                    return Ok(v);
                }
            }
        }
        if self.is_set(a) && self.is_set(b) {
            if let Some(v) = self.set_binop(op, a, b)? {
                return Ok(v);
            }
        }
        if let (Some(x), Some(y)) = (self.as_int(a), self.as_int(b)) {
            // True division, and negative powers, of ints give floats.
            if crate::features::FLOAT && (op == BinOp::TrueDiv || (op == BinOp::Pow && y < 0)) {
                if let Some(v) = self.float_binop(op, x as Float, y as Float)? {
                    return Ok(v);
                }
            }
            if let Some(v) = self.int_binop(op, x, y)? {
                return Ok(v);
            }
        } else if crate::features::LONGINT && self.is_int(a) && self.is_int(b) {
            let (x, y) = (self.as_big(a)?.expect("int"), self.as_big(b)?.expect("int"));
            if crate::features::FLOAT && (op == BinOp::TrueDiv || (op == BinOp::Pow && y.neg)) {
                let (Some(x), Some(y)) = (self.int_to_float(a)?, self.int_to_float(b)?) else { unreachable!() };
                if let Some(v) = self.float_binop(op, x, y)? {
                    return Ok(v);
                }
            }
            if let Some(v) = self.big_binop(op, x, y)? {
                return Ok(v);
            }
        }
        if self.as_float(a).is_some() || self.as_float(b).is_some() {
            if let (Some(x), Some(y)) = (self.as_number(a), self.as_number(b)) {
                if let Some(v) = self.float_binop(op, x, y)? {
                    return Ok(v);
                }
            }
        }
        match op {
            BinOp::Add => {
                if let (Some(x), Some(y)) = (self.str_bytes(a), self.str_bytes(b)) {
                    let (lx, ly) = (x.len(), y.len());
                    // As MicroPython: adding nothing gives the other operand
                    // back, without allocating (strs are immutable).
                    if lx == 0 || ly == 0 {
                        return Ok(if lx == 0 { b } else { a });
                    }
                    let r = self.heap.alloc_bytes(Kind::Str, lx + ly)?;
                    self.concat_into(r, a, b, lx);
                    return Ok(Value::obj(r));
                }
                if crate::features::ARRAY && self.kind_of(a) == Some(Kind::Array) && self.kind_of(b) == Some(Kind::Array) {
                    let tc = self.typecode(a.as_obj().expect("array"));
                    let v = try_concat(self.bytes_payload(a).unwrap_or(&[]), self.bytes_payload(b).unwrap_or(&[]))?;
                    return self.new_array(tc, &v);
                }
                if self.kind_of(a) == Some(Kind::ByteArray) && self.bytes_payload(b).is_some() {
                    let v = try_concat(self.bytes_payload(a).unwrap_or(&[]), self.bytes_payload(b).unwrap_or(&[]))?;
                    return self.new_bytearray(&v);
                }
                // bytes + any buffer; a memoryview (or array) on the left has no `+`.
                if let (Some(x), Some(y)) = (self.bytes_payload(a).filter(|_| self.kind_of(a) == Some(Kind::Bytes)), self.bytes_payload(b))
                {
                    let (lx, ly) = (x.len(), y.len());
                    let b_is_bytes = self.kind_of(b) == Some(Kind::Bytes);
                    if b_is_bytes && (lx == 0 || ly == 0) {
                        return Ok(if lx == 0 { b } else { a });
                    }
                    let r = self.heap.alloc_bytes(Kind::Bytes, lx + ly)?;
                    self.concat_into(r, a, b, lx);
                    return Ok(Value::obj(r));
                }
                if self.kind_of(a) == self.kind_of(b) && matches!(self.kind_of(a), Some(Kind::List | Kind::Tuple)) {
                    let mut items: Vec<Value> = Vec::new();
                    let n = self.seq_items(a).map_or(0, |s| s.len()) + self.seq_items(b).map_or(0, |s| s.len());
                    items.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
                    items.extend_from_slice(self.seq_items(a).unwrap_or(&[]));
                    items.extend_from_slice(self.seq_items(b).unwrap_or(&[]));
                    return if self.kind_of(a) == Some(Kind::List) { self.new_list(&items) } else { self.new_tuple(&items) };
                }
            }
            BinOp::Mod if self.str_bytes(a).is_some() || self.bytes_payload(a).is_some() => {
                let is_bytes = self.str_bytes(a).is_none();
                let fmt = self.str_bytes(a).or_else(|| self.bytes_payload(a)).unwrap_or(&[]).try_to_vec()?;
                let out = self.percent_format(&fmt, b, is_bytes)?;
                return if is_bytes { self.new_bytes(&out) } else { self.new_str(&out) };
            }
            BinOp::Mul => {
                let (seq, n) = match (self.as_int(a), self.as_int(b)) {
                    (None, Some(n)) => (a, n),
                    (Some(n), None) => (b, n),
                    _ => return Err(self.unsupported(op, a, b)),
                };
                return self.repeat(seq, n.max(0) as usize).and_then(|r| r.ok_or_else(|| self.unsupported(op, a, b)));
            }
            _ => {}
        }
        Err(self.unsupported(op, a, b))
    }

    /// `a op= b`: lists, bytearrays and sets change in place, instances
    /// may define `__iadd__` and friends; otherwise it is `a op b`.
    pub fn inplace_op(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Value> {
        use crate::qstr::q;
        use crate::runtime::call::Args;
        if self.kind_of(a) == Some(Kind::Instance) {
            let name = match op {
                BinOp::Add => Some(q::__iadd__),
                BinOp::Sub => Some(q::__isub__),
                // (MicroPython's MICROPY_PY_ALL_INPLACE_SPECIAL_METHODS.)
                _ if !crate::features::CORE_FEATURES => None,
                BinOp::Mul => Some(q::__imul__),
                BinOp::MatMul => Some(q::__imatmul__),
                BinOp::Or => Some(q::__ior__),
                BinOp::And => Some(q::__iand__),
                _ => None,
            };
            if let Some(name) = name {
                if let Some(r) = self.call_dunder(a, name, &[b])?.filter(|&r| r != Value::NOT_IMPLEMENTED) {
                    return Ok(r);
                }
            }
        }
        match (self.kind_of(a), op) {
            // `d |= other`: update in place.
            (Some(Kind::Dict), BinOp::Or) if crate::features::CORE_FEATURES && self.kind_of(self.native_value(b)) == Some(Kind::Dict) => {
                crate::modules::seq_methods::dict_merge(self, a.as_obj().expect("dict"), Some(b), &[])?;
                Ok(a)
            }
            (Some(Kind::List), BinOp::Add) => {
                let l = a.as_obj().expect("list");
                // `lst += x` extends by any iterable, itself included: take
                // the items first.
                let items = self.list_from_iter(b)?;
                let r = items.as_obj().expect("list");
                // Once one is pushed the instruction can't be retried (it
                // would push it again): out of memory, collect here.
                for i in 0..list::len(&self.heap, r) {
                    let v = list::items(&self.heap, r)[i];
                    self.retry_after_collect(items, |vm| vm.list_push(l, v))?;
                }
                Ok(a)
            }
            (Some(Kind::Array), BinOp::Add) if crate::features::ARRAY => {
                crate::objects::array::extend(self, Args { pos: &[a, b], kw: &[] })?;
                Ok(a)
            }
            (Some(Kind::ByteArray), BinOp::Add) if self.bytes_payload(b).is_some() => {
                let r = a.as_obj().expect("bytearray");
                let add = self.bytes_payload(b).unwrap_or(&[]).try_to_vec()?;
                let n = self.bytearray_data(r).len();
                self.bytearray_splice(r, n, n, &add)?;
                Ok(a)
            }
            (Some(Kind::Set), BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor) if self.is_set(b) => {
                let Some(r) = self.set_binop(op, a, b)? else { return Err(self.unsupported(op, a, b)) };
                self.with_root(r, |vm| {
                    crate::objects::set::clear(vm, Args { pos: &[a], kw: &[] })?;
                    crate::objects::set::update(vm, Args { pos: &[a, r], kw: &[] })
                })?;
                Ok(a)
            }
            _ => self.binary_op(op, a, b),
        }
    }

    /// An operator on instances of user classes, through their dunder
    /// methods (comparisons also reflected); `None` if neither side has one.
    fn instance_binop(&mut self, op: BinOp, a: Value, b: Value) -> PyResult<Option<Value>> {
        use crate::qstr::q;
        let (name, mut reflected) = match op {
            BinOp::Add => (q::__add__, Some(q::__radd__)),
            BinOp::Sub => (q::__sub__, Some(q::__rsub__)),
            BinOp::Mul => (q::__mul__, Some(q::__rmul__)),
            BinOp::TrueDiv => (q::__truediv__, Some(q::__rtruediv__)),
            BinOp::FloorDiv => (q::__floordiv__, Some(q::__rfloordiv__)),
            BinOp::Mod => (q::__mod__, Some(q::__rmod__)),
            BinOp::Pow => (q::__pow__, Some(q::__rpow__)),
            BinOp::MatMul => (q::__matmul__, Some(q::__rmatmul__)),
            BinOp::And => (q::__and__, Some(q::__rand__)),
            BinOp::Or => (q::__or__, Some(q::__ror__)),
            BinOp::Xor => (q::__xor__, Some(q::__rxor__)),
            BinOp::LShift => (q::__lshift__, Some(q::__rlshift__)),
            BinOp::RShift => (q::__rshift__, Some(q::__rrshift__)),
            BinOp::Lt => (q::__lt__, Some(q::__gt__)),
            BinOp::Gt => (q::__gt__, Some(q::__lt__)),
            BinOp::Le => (q::__le__, Some(q::__ge__)),
            BinOp::Ge => (q::__ge__, Some(q::__le__)),
            BinOp::Eq => (q::__eq__, Some(q::__eq__)),
            BinOp::Ne => (q::__ne__, Some(q::__ne__)),
            _ => return Ok(None),
        };
        // MicroPython's minimal builds call only comparisons, + and - on
        // instances, and no reflected arithmetic
        // (MICROPY_PY_ALL_SPECIAL_METHODS, _REVERSE_SPECIAL_METHODS).
        if !crate::features::CORE_FEATURES {
            match op {
                BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge | BinOp::Eq | BinOp::Ne => {}
                BinOp::Add | BinOp::Sub => reflected = None,
                _ => return Ok(None),
            }
        }
        if let Some(r) = self.call_dunder(a, name, &[b])?.filter(|&r| r != Value::NOT_IMPLEMENTED) {
            return Ok(Some(r));
        }
        // `a != b` with only `__eq__` on a: object's `__ne__` inverts it,
        // before b is asked.
        if op == BinOp::Ne {
            if let Some(r) = self.call_dunder(a, q::__eq__, &[b])?.filter(|&r| r != Value::NOT_IMPLEMENTED) {
                return Ok(Some(Value::from_bool(!self.truthy(r)?)));
            }
        }
        if let Some(rn) = reflected {
            if let Some(r) = self.call_dunder(b, rn, &[a])?.filter(|&r| r != Value::NOT_IMPLEMENTED) {
                return Ok(Some(r));
            }
        }
        // Then b's `__eq__`, inverted.
        if op == BinOp::Ne {
            if let Some(r) = self.call_dunder(b, q::__eq__, &[a])?.filter(|&r| r != Value::NOT_IMPLEMENTED) {
                return Ok(Some(Value::from_bool(!self.truthy(r)?)));
            }
        }
        Ok(None)
    }

    /// Writes `a` then `b` (both strs or both bytes) into the new object `r`.
    fn concat_into(&mut self, r: crate::value::ObjRef, a: Value, b: Value, split: usize) {
        let total = self.heap.len(r);
        self.concat_piece(r, a, 0, split);
        self.concat_piece(r, b, split, total - split);
    }

    /// `seq * n` for str, bytes, list and tuple; `None` for other types.
    fn repeat(&mut self, seq: Value, n: usize) -> PyResult<Option<Value>> {
        if let Some(s) = self.str_bytes(seq).or_else(|| self.bytes_payload(seq)) {
            let len = s.len().checked_mul(n).ok_or(PyErr::NoMemory)?;
            let kind = if self.str_bytes(seq).is_some() { Kind::Str } else { Kind::Bytes };
            let r = self.heap.alloc_bytes(kind, len)?;
            let unit = self.heap.len(r) / n.max(1);
            for i in 0..n {
                self.concat_piece(r, seq, i * unit, unit);
            }
            return Ok(Some(Value::obj(r)));
        }
        let Some(items) = self.seq_items(seq) else { return Ok(None) };
        let unit = items.len();
        let mut out: Vec<Value> = Vec::new();
        out.try_reserve(unit.checked_mul(n).ok_or(PyErr::NoMemory)?).map_err(|_| PyErr::NoMemory)?;
        for _ in 0..n {
            out.extend_from_slice(self.seq_items(seq).unwrap_or(&[]));
        }
        let v = if self.kind_of(seq) == Some(Kind::List) { self.new_list(&out)? } else { self.new_tuple(&out)? };
        Ok(Some(v))
    }

    /// Copies the first `len` bytes of `src` to `at` in `r`, through a small
    /// buffer since both live in the heap.
    fn concat_piece(&mut self, r: crate::value::ObjRef, src: Value, at: usize, len: usize) {
        let mut done = 0;
        while done < len {
            let mut buf = [0u8; 64];
            let n = (len - done).min(64);
            let s = self.str_bytes(src).or_else(|| self.bytes_payload(src)).unwrap_or(&[]);
            buf[..n].copy_from_slice(&s[done..done + n]);
            self.heap.bytes_mut(r)[at + done..at + done + n].copy_from_slice(&buf[..n]);
            done += n;
        }
    }

    pub fn unary_op(&mut self, op: UnaryOp, v: Value) -> PyResult<Value> {
        if op == UnaryOp::Not {
            return Ok(Value::from_bool(!self.truthy(v)?));
        }
        if let Some(i) = self.as_int(v) {
            return match op {
                UnaryOp::Pos => self.int_value(i),
                UnaryOp::Neg if i == i64::MIN && !crate::features::LONGINT => Err(self.long_overflow()),
                UnaryOp::Neg if i == i64::MIN => self.new_int_big(crate::objects::bignum::Big::from_i64(i)?.negate()),
                UnaryOp::Neg => self.int_value(-i),
                _ => self.int_value(!i),
            };
        }
        if let Some(b) = self.as_big(v)? {
            let r = match op {
                UnaryOp::Pos => b,
                UnaryOp::Neg => b.negate(),
                _ => b.add(&crate::objects::bignum::Big::from_i64(1)?)?.negate(),
            };
            return self.new_int_big(r);
        }
        let dunder = match op {
            UnaryOp::Pos => crate::qstr::q::__pos__,
            UnaryOp::Neg => crate::qstr::q::__neg__,
            _ => crate::qstr::q::__invert__,
        };
        // (MicroPython's minimal builds call none: MICROPY_PY_ALL_SPECIAL_METHODS.)
        if crate::features::CORE_FEATURES {
            if let Some(r) = self.call_dunder(v, dunder, &[])? {
                return Ok(r);
            }
        }
        if let Some((re, im)) = self.as_complex(v).filter(|_| op != UnaryOp::Invert) {
            return if op == UnaryOp::Neg { self.new_complex(-re, -im) } else { Ok(v) };
        }
        if let Some(f) = self.as_float(v).filter(|_| op != UnaryOp::Invert) {
            return if op == UnaryOp::Neg { self.new_float(-f) } else { Ok(v) };
        }
        if crate::features::TERSE_ERRORS {
            return Err(self.raise_bare(TypeId::TypeError));
        }
        let name = self.type_of(v).name();
        let (buf, n) = self.qstr_copy(name)?;
        let d: &[u8] = match op {
            UnaryOp::Pos => b"__pos__",
            UnaryOp::Neg => b"__neg__",
            _ => b"__invert__",
        };
        Err(self.raise_parts(TypeId::TypeError, &[b"unsupported type for ", d, b": '", &buf[..n], b"'"]))
    }

    /// `needle in haystack`.
    pub fn contains(&mut self, haystack: Value, needle: Value) -> PyResult<bool> {
        if let Some(r) = self.call_dunder(haystack, crate::qstr::q::__contains__, &[needle])? {
            return self.truthy(r);
        }
        let haystack = self.native_value(haystack);
        if let Some(h) = self.bytes_payload(haystack).filter(|_| matches!(self.kind_of(haystack), Some(Kind::Bytes | Kind::ByteArray))) {
            if let Some(b) = self.as_int(needle) {
                return Ok((0..256).contains(&b) && h.contains(&(b as u8)));
            }
            let Some(n) = self.bytes_payload(needle) else {
                return Err(self.raise(TypeId::TypeError, "a bytes-like object is required"));
            };
            return Ok(crate::modules::seq_methods::find_in(h, n, false).is_some());
        }
        if let Some(h) = self.str_bytes(haystack) {
            let Some(n) = self.str_bytes(needle) else {
                return Err(self.raise(TypeId::TypeError, "can't convert to str implicitly"));
            };
            return Ok(crate::modules::seq_methods::find_in(h, n, false).is_some());
        }
        match self.kind_of(haystack) {
            Some(Kind::Dict | Kind::Set | Kind::FrozenSet) => {
                let d = haystack.as_obj().expect("dict");
                Ok(self.dict_get(d, needle)?.is_some())
            }
            Some(Kind::DictView) if self.dict_view_parts(haystack.as_obj().expect("view")).1 == crate::objects::dictview::KEYS => {
                let d = self.dict_view_parts(haystack.as_obj().expect("view")).0;
                Ok(self.dict_get(d, needle)?.is_some())
            }
            // (The general way below gives the same: a build all for size
            // goes only that.)
            Some(Kind::Tuple | Kind::List) if !cfg!(pyrite_size) => {
                let n = self.seq_items(haystack).map_or(0, |s| s.len());
                for i in 0..n {
                    let Some(x) = self.seq_items(haystack).and_then(|s| s.get(i).copied()) else { break };
                    if self.values_eq(x, needle)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            // An int in a range: by arithmetic, not by walking it. (Anything
            // else, 1.0 say, is compared with each number; a build all for
            // size walks the range for ints too.)
            Some(Kind::Range) if !cfg!(pyrite_size) && self.as_int(needle).is_some() => {
                let r = haystack.as_obj().expect("range");
                let (start, stop, step) = self.range_parts(r);
                let i = self.as_int(needle).unwrap_or(0);
                let inside = if step > 0 { i >= start && i < stop } else { i <= start && i > stop };
                // Inside, the distance from start fits a u64.
                Ok(inside && i.abs_diff(start) % step.unsigned_abs() == 0)
            }
            _ => {
                let mut found = false;
                self.for_each(haystack, |vm, x| {
                    found = vm.values_eq(x, needle)?;
                    Ok(!found)
                })?;
                Ok(found)
            }
        }
    }

    /// Resolves a sequence index, negative from the end, or raises IndexError.
    pub(crate) fn index(&mut self, len: usize, idx: Value, what: &str) -> PyResult<usize> {
        let Some(i) = self.as_int(idx) else {
            let m: &[u8] = b" indices must be integers";
            return Err(self.raise_parts(TypeId::TypeError, &[what.as_bytes(), m]));
        };
        let i = if i < 0 { i + len as i64 } else { i };
        if i < 0 || i >= len as i64 {
            return Err(self.raise_parts(TypeId::IndexError, &[what.as_bytes(), b" index out of range"]));
        }
        Ok(i as usize)
    }

    /// `obj[idx]`.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn subscr(&mut self, obj: Value, idx: Value) -> PyResult<Value> {
        if let Some(r) = obj.as_obj().filter(|&r| crate::features::ARRAY && matches!(self.heap.kind(r), Kind::Array | Kind::MemoryView)) {
            return self.typed_subscr(r, idx);
        }
        if let Some(s) = idx.as_obj().filter(|_| self.is_slice(idx)) {
            if self.str_bytes(obj).is_some()
                || matches!(self.kind_of(obj), Some(Kind::Bytes | Kind::ByteArray | Kind::List | Kind::Tuple | Kind::Range))
            {
                return self.get_slice(obj, s);
            }
        }
        if let Some(s) = self.str_bytes(obj) {
            // Index by character, not byte.
            let n = crate::runtime::strformat::char_count(s);
            let i = self.index(n, idx, "string")?;
            let s = self.str_bytes(obj).unwrap_or(&[]);
            let start = s.iter().enumerate().filter(|(_, &b)| crate::objects::str::starts_char(b)).nth(i).map_or(0, |(p, _)| p);
            let end = start + crate::objects::str::char_len(s[start]);
            let mut ch = [0u8; 4];
            let len = end.min(s.len()) - start;
            ch[..len].copy_from_slice(&s[start..start + len]);
            return self.new_str(&ch[..len]);
        }
        let Some(r) = obj.as_obj() else { return Err(self.not_subscriptable(obj)) };
        // Only instances reach here with a class of their own: lists, dicts
        // and tuples go straight to the match below.
        if crate::features::COLLECTIONS && self.heap.kind(r) == Kind::Instance && self.class_of(obj) == TypeId::DefaultDict.value() {
            return self.defaultdict_subscr(r, idx);
        }
        if let Some(v) = self.call_dunder(obj, crate::qstr::q::__getitem__, &[idx])? {
            return Ok(v);
        }
        if self.native_value(obj) != obj {
            self.refuse_deque_slice(obj, idx)?;
            return self.subscr(self.native_value(obj), idx);
        }
        match self.heap.kind(r) {
            Kind::List | Kind::Tuple => {
                let what = if self.heap.kind(r) == Kind::List { "list" } else { "tuple" };
                let n = self.seq_items(obj).map_or(0, |s| s.len());
                let i = self.index(n, idx, what)?;
                Ok(self.seq_items(obj).map_or(Value::NONE, |s| s[i]))
            }
            Kind::Bytes | Kind::ByteArray => {
                let what = if self.heap.kind(r) == Kind::Bytes { "bytes" } else { "bytearray" };
                let n = self.bytes_payload(obj).map_or(0, <[u8]>::len);
                let i = self.index(n, idx, what)?;
                Ok(Value::small_int(self.bytes_payload(obj).and_then(|b| b.get(i).copied()).unwrap_or(0) as isize))
            }
            Kind::Dict => match self.dict_get(r, idx)? {
                Some(v) => Ok(v),
                None => {
                    let e = self.new_exception(TypeId::KeyError, &[idx])?;
                    Err(PyErr::exc(e))
                }
            },
            Kind::Range => {
                let n = self.range_len(r);
                let i = self.index(n, idx, "range")?;
                let (start, _, step) = self.range_parts(r);
                // An item of the range: the true value fits, so wrapping is exact.
                self.int_value(start.wrapping_add(step.wrapping_mul(i as i64)))
            }
            _ => Err(self.not_subscriptable(obj)),
        }
    }

    fn not_subscriptable(&mut self, obj: Value) -> PyErr {
        self.raise_type_name(TypeId::TypeError, b"'", obj, b"' object isn't subscriptable")
    }

    /// `obj[idx] = value`.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn store_subscr(&mut self, obj: Value, idx: Value, value: Value) -> PyResult<()> {
        if self.call_dunder(obj, crate::qstr::q::__setitem__, &[idx, value])?.is_some() {
            return Ok(());
        }
        if self.native_value(obj) != obj {
            self.refuse_deque_slice(obj, idx)?;
            return self.store_subscr(self.native_value(obj), idx, value);
        }
        match self.kind_of(obj) {
            Some(Kind::Array | Kind::MemoryView) if crate::features::ARRAY => self.typed_store(obj.as_obj().expect("array"), idx, value),
            Some(Kind::List) if self.is_slice(idx) => {
                let (l, s) = (obj.as_obj().expect("list"), idx.as_obj().expect("slice"));
                self.set_list_slice(l, s, value)
            }
            Some(Kind::List) => {
                let r = obj.as_obj().expect("list");
                let n = list::len(&self.heap, r);
                let i = self.index(n, idx, "list")?;
                list::items_mut(&mut self.heap, r)[i] = value;
                Ok(())
            }
            // A slice has no hash; only an OrderedDict (searched, not hashed,
            // in MicroPython) takes one as a key.
            Some(Kind::Dict) if self.is_slice(idx) => Err(self.raise(TypeId::TypeError, "unhashable type: 'slice'")),
            Some(Kind::Dict) => self.dict_set(obj.as_obj().expect("dict"), idx, value),
            Some(Kind::ByteArray) => {
                let r = obj.as_obj().expect("bytearray");
                let n = self.bytearray_data(r).len();
                if let Some(s) = idx.as_obj().filter(|_| self.is_slice(idx)) {
                    let new = self.bytes_from(&crate::runtime::call::Args { pos: &[value], kw: &[] })?;
                    let span = self.slice_span(s, n)?;
                    if span.step == 1 {
                        return self.bytearray_splice(r, span.start as usize, span.start as usize + span.count, &new);
                    }
                    if new.len() != span.count {
                        return Err(self.raise(TypeId::ValueError, "attempt to assign sequence of wrong size to extended slice"));
                    }
                    let mut data = self.bytearray_data(r).try_to_vec()?;
                    for (p, b) in span.positions().zip(new) {
                        data[p] = b;
                    }
                    return self.bytearray_splice(r, 0, n, &data);
                }
                let i = self.index(n, idx, "bytearray")?;
                let b = self.byte_value(value)?;
                self.bytearray_splice(r, i, i + 1, &[b])
            }
            _ => Err(self.raise_type_name(TypeId::TypeError, b"'", obj, b"' object doesn't support item assignment")),
        }
    }

    /// `del obj[idx]`.
    pub fn delete_subscr(&mut self, obj: Value, idx: Value) -> PyResult<()> {
        if self.call_dunder(obj, crate::qstr::q::__delitem__, &[idx])?.is_some() {
            return Ok(());
        }
        if self.native_value(obj) != obj {
            self.refuse_deque_slice(obj, idx)?;
            return self.delete_subscr(self.native_value(obj), idx);
        }
        match self.kind_of(obj) {
            Some(Kind::List) if self.is_slice(idx) => {
                let (l, s) = (obj.as_obj().expect("list"), idx.as_obj().expect("slice"));
                self.delete_list_slice(l, s)
            }
            Some(Kind::List) => {
                let r = obj.as_obj().expect("list");
                let n = list::len(&self.heap, r);
                let i = self.index(n, idx, "list")?;
                self.list_pop(r, i);
                Ok(())
            }
            Some(Kind::ByteArray) => {
                let r = obj.as_obj().expect("bytearray");
                let n = self.bytearray_data(r).len();
                if let Some(s) = idx.as_obj().filter(|_| self.is_slice(idx)) {
                    let span = self.slice_span(s, n)?;
                    let mut data = self.bytearray_data(r).try_to_vec()?;
                    let mut keep = try_filled(true, n)?;
                    span.positions().for_each(|p| keep[p] = false);
                    let mut k = keep.iter();
                    data.retain(|_| *k.next().unwrap_or(&true));
                    return self.bytearray_splice(r, 0, n, &data);
                }
                let i = self.index(n, idx, "bytearray")?;
                self.bytearray_splice(r, i, i + 1, &[])
            }
            Some(Kind::Dict) => match self.dict_remove(obj.as_obj().expect("dict"), idx)? {
                Some(_) => Ok(()),
                None => {
                    let e = self.new_exception(TypeId::KeyError, &[idx])?;
                    Err(PyErr::exc(e))
                }
            },
            _ => Err(self.raise(TypeId::TypeError, "object doesn't support item deletion")),
        }
    }

    /// `len(v)`, or `None` if it has no length.
    pub fn len_of(&self, v: Value) -> Option<usize> {
        let v = self.native_value(v);
        if let Some(s) = self.str_bytes(v) {
            return Some(crate::runtime::strformat::char_count(s));
        }
        let r = v.as_obj()?;
        Some(match self.heap.kind(r) {
            Kind::Bytes | Kind::Tuple => self.heap.len(r),
            Kind::ByteArray => self.bytearray_data(r).len(),
            Kind::Array | Kind::MemoryView if crate::features::ARRAY => self.typed_len(r),
            Kind::DictView => dict::len(&self.heap, self.dict_view_parts(r).0),
            Kind::List => list::len(&self.heap, r),
            Kind::Dict | Kind::Set | Kind::FrozenSet => dict::len(&self.heap, r),
            Kind::Range => self.range_len(r),
            _ => return None,
        })
    }
}
