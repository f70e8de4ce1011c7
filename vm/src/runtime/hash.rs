//! `hash()`, and the hash dicts and sets file keys under: values that compare
//! equal hash equally (`1 == 1.0 == True`, a qstr and a heap str of the same
//! text, equal tuples), so a hashed lookup finds what a search by `==` would.

use crate::error::PyResult;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{Kind, TypeId};
use crate::qstr::q;
use crate::value::Value;
use crate::vm::Vm;

/// FNV-1a over a str's or bytes' text, kept within a small int.
pub fn text_hash(s: &[u8]) -> isize {
    (s.iter().fold(0x811c9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x01000193)) >> 2) as isize
}

impl Vm {
    /// `hash(v)`: ints hash to themselves, strs and bytes by their text,
    /// tuples by their items, instances by `__hash__`, other objects by
    /// identity; the mutable builtins are unhashable (TypeError).
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn hash_value(&mut self, v: Value) -> PyResult<isize> {
        if let Some(i) = v.as_small_int() {
            return Ok(i);
        }
        if let Some(qs) = v.as_qstr() {
            return Ok(text_hash(self.qstr_bytes(qs)));
        }
        if v == Value::TRUE || v == Value::FALSE {
            return Ok((v == Value::TRUE) as isize);
        }
        let Some(r) = v.as_obj() else { return Ok(identity(v.bits())) };
        let b = self.heap.bytes_or_empty(r);
        match self.heap.kind(r) {
            Kind::Str | Kind::Bytes => Ok(text_hash(b)),
            // Ints are canonical: equal ints have equal limbs.
            Kind::BigInt => Ok(limbs_hash(b[0] != 0, b[1..].chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])))),
            Kind::Float | Kind::Complex if crate::features::FLOAT => {
                let part = |i: usize| b.get(i..).map_or(0.0, fm::from_le);
                Ok(float_hash(part(0) + part(fm::SIZE) * 1_000_003.0))
            }
            Kind::Tuple => self.tuple_hash(v),
            Kind::Instance => self.instance_hash(v),
            _ => self.object_hash(v),
        }
    }

    /// `__hash__`, or the hash of the builtin value a subclass wraps, or
    /// identity; `__hash__ = None`, or `__eq__` without `__hash__`, makes a
    /// class unhashable.
    fn instance_hash(&mut self, v: Value) -> PyResult<isize> {
        let cls = self.class_of(v);
        let own_hash = self.class_lookup(cls, q::__hash__, None)?;
        if own_hash == Some(Value::NONE) || (own_hash.is_none() && self.class_lookup(cls, q::__eq__, None)?.is_some()) {
            return Err(self.raise_class_name(TypeId::TypeError, b"unhashable type: '", cls, b"'"));
        }
        if let Some(h) = self.call_dunder(v, q::__hash__, &[])? {
            return match self.is_int(h) {
                true => self.hash_value(h),
                false => Err(self.raise(TypeId::TypeError, "__hash__ must return an int")),
            };
        }
        let native = self.native_value(v);
        if native != v {
            return self.hash_value(native);
        }
        self.object_hash(v)
    }

    /// Tuples hash by their items, so equal tuples are one key.
    fn tuple_hash(&mut self, v: Value) -> PyResult<isize> {
        self.enter_native()?;
        let mut h: isize = 0x345678;
        let mut i = 0;
        let r = loop {
            let Some(item) = self.seq_items(v).and_then(|s| s.get(i).copied()) else { break Ok(h) };
            match self.hash_value(item) {
                Ok(x) => h = (h ^ x).wrapping_mul(1_000_003),
                Err(e) => break Err(e),
            }
            i += 1;
        };
        self.native_depth -= 1;
        r.map(|h| h >> 2)
    }

    /// Objects equal only to themselves hash by identity; the unhashable
    /// builtins raise TypeError.
    fn object_hash(&mut self, v: Value) -> PyResult<isize> {
        let unhashable_view = self.kind_of(v) == Some(Kind::DictView)
            && self.dict_view_parts(v.as_obj().expect("view")).1 != crate::objects::dictview::VALUES;
        if unhashable_view || self.is_slice(v) {
            return Err(self.raise_type_name(TypeId::TypeError, b"unhashable type: '", v, b"'"));
        }
        self.check_hashable(v)?;
        // Bound methods are equal when their object and function are the same.
        let bits = match v.as_obj().filter(|&r| self.heap.kind(r) == Kind::BoundMethod) {
            Some(r) => self.heap.slot(r, 0).bits() ^ self.heap.slot(r, 1).bits().rotate_left(7),
            None => v.bits(),
        };
        Ok(identity(bits))
    }
}

fn identity(bits: usize) -> isize {
    (bits >> 2) as isize & 0x3fff_ffff
}

/// A big int's hash: its limbs folded into the small-int range (ints are
/// canonical, so equal ints have equal limbs).
fn limbs_hash(neg: bool, mag: impl Iterator<Item = u32>) -> isize {
    let h = (mag.fold(0usize, |h, l| h.rotate_left(5) ^ l as usize) >> 2) as isize;
    if neg {
        -h
    } else {
        h
    }
}

/// Equal numbers hash equally: an integral float hashes as the int (a
/// huge one through the int's limbs, as `Big` makes them).
fn float_hash(f: Float) -> isize {
    if f != fm::trunc(f) || f.is_infinite() {
        return (f.to_bits() >> 2) as isize & 0x3fff_ffff;
    }
    if fm::fabs(f) < 9.2e18 {
        // As an int of this value is stored: one or two limbs.
        let i = f as i64;
        if let Some(v) = Value::try_small_int(i) {
            return v.as_small_int().unwrap_or(0);
        }
        let m = i.unsigned_abs();
        return limbs_hash(i < 0, [m as u32, (m >> 32) as u32].into_iter().take(1 + (m >> 32 != 0) as usize));
    }
    if !crate::features::LONGINT {
        // No int is this large.
        return (f.to_bits() >> 2) as isize & 0x3fff_ffff;
    }
    crate::objects::bignum::Big::from_float(f).map_or(0, |b| limbs_hash(b.neg, b.mag.iter().copied()))
}
