//! `int` with Python's semantics (floor division, modulo with the sign of
//! the divisor) and arbitrary precision. Values in the small-int range are
//! always unboxed; anything larger is a `BigInt` byte object holding a sign
//! byte and little-endian 32-bit limbs. Keeping that canonical form means
//! two equal ints always have the same representation.

use crate::bytecode::BinOp;
use crate::error::{PyErr, PyResult};
use crate::objects::bignum::{Big, NoMem};
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{Kind, TypeId};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

impl From<NoMem> for PyErr {
    fn from(_: NoMem) -> PyErr {
        PyErr::NoMemory
    }
}

impl Vm {
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn int_value(&mut self, i: i64) -> PyResult<Value> {
        if let Some(v) = Value::try_small_int(i) {
            return Ok(v);
        }
        // Written straight into a heap object: no `Big` in between.
        let m = i.unsigned_abs();
        let limbs = if m >> 32 == 0 { 1 } else { 2 };
        let r = self.heap.alloc_bytes(Kind::BigInt, 1 + 4 * limbs)?;
        let out = self.heap.bytes_mut(r);
        out[0] = (i < 0) as u8;
        out[1..].copy_from_slice(&m.to_le_bytes()[..4 * limbs]);
        Ok(Value::obj(r))
    }

    /// `int(f)` for a float: truncated, of any size.
    pub fn int_from_float(&mut self, f: Float) -> PyResult<Value> {
        if f.is_nan() {
            return Err(self.raise(TypeId::ValueError, "can't convert NaN to int"));
        }
        if f.is_infinite() {
            return Err(self.raise(TypeId::OverflowError, "can't convert inf to int"));
        }
        // Within i64 (2^63 itself is not), no big int is needed.
        if fm::fabs(f) < 9.2e18 {
            return self.int_value(f as i64);
        }
        if !crate::features::LONGINT {
            return Err(self.long_overflow());
        }
        self.new_int_big(Big::from_float(f)?)
    }

    /// Stores a big integer, unboxed if it is small.
    pub fn new_int_big(&mut self, b: Big) -> PyResult<Value> {
        if let Some(v) = b.to_i64().and_then(Value::try_small_int) {
            return Ok(v);
        }
        if !crate::features::LONGINT && b.to_i64().is_none() {
            return Err(self.long_overflow());
        }
        let r = self.heap.alloc_bytes(Kind::BigInt, 1 + 4 * b.mag.len())?;
        let out = self.heap.bytes_mut(r);
        out[0] = b.neg as u8;
        for (i, l) in b.mag.iter().enumerate() {
            out[1 + 4 * i..5 + 4 * i].copy_from_slice(&l.to_le_bytes());
        }
        Ok(Value::obj(r))
    }

    /// Whether `v` is an int (or bool) of any size.
    pub fn is_int(&self, v: Value) -> bool {
        let v = self.native_value(v);
        v.is_small_int() || v == Value::TRUE || v == Value::FALSE || self.kind_of(v) == Some(Kind::BigInt)
    }

    /// Any int or bool as a `Big`; `None` for other values.
    pub fn as_big(&self, v: Value) -> PyResult<Option<Big>> {
        // Without longint every int is an i64: callers take `as_int` first,
        // and no big-int code is linked.
        if !crate::features::LONGINT {
            return Ok(None);
        }
        let v = self.native_value(v);
        if let Some(i) = self.as_int(v).filter(|_| self.kind_of(v) != Some(Kind::BigInt)) {
            return Ok(Some(Big::from_i64(i)?));
        }
        let Some(r) = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::BigInt) else { return Ok(None) };
        let b = self.heap.bytes(r);
        let mut mag = Vec::new();
        mag.try_reserve_exact(b.len() / 4).map_err(|_| PyErr::NoMemory)?;
        // Reserved above: an exact-size extend copies without a check per limb.
        mag.extend(b[1..].chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        Ok(Some(Big { neg: b[0] != 0, mag }))
    }

    /// A big int object's value if it fits an i64.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn bigint_i64(&self, v: Value) -> Option<i64> {
        let r = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::BigInt)?;
        let b = self.heap.bytes(r);
        // A sign byte, then one or two 32-bit limbs (more never fit).
        let limb = |i: usize| b.get(1 + 4 * i..5 + 4 * i).map_or(0, |c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64);
        if b.len() > 9 {
            return None;
        }
        let u = limb(0) | limb(1) << 32;
        if b[0] != 0 {
            (u <= 1 << 63).then(|| (u as i64).wrapping_neg())
        } else {
            i64::try_from(u).ok()
        }
    }

    /// An int argument as a machine word, with MicroPython's errors: an int
    /// too big is an OverflowError, anything else a TypeError naming its type.
    pub(crate) fn machine_int(&mut self, v: Value) -> PyResult<i64> {
        if let Some(i) = self.as_int(v) {
            return Ok(i);
        }
        if self.is_int(v) {
            return Err(self.raise(TypeId::OverflowError, "overflow converting long int to machine word"));
        }
        Err(self.not_an_int(v))
    }

    /// MicroPython's TypeError for a value that should have been an int.
    pub(crate) fn not_an_int(&mut self, v: Value) -> PyErr {
        self.raise_type_name(TypeId::TypeError, b"can't convert ", v, b" to int")
    }

    /// An int of any size as Float, for mixed arithmetic.
    pub fn int_to_float(&mut self, v: Value) -> PyResult<Option<Float>> {
        if let Some(i) = self.as_int(v) {
            return Ok(Some(i as Float));
        }
        // Without longint every int is an i64.
        if !crate::features::LONGINT {
            return Ok(None);
        }
        match self.as_big(v)? {
            Some(b) => match b.to_float() {
                Some(f) => Ok(Some(f)),
                None => Err(self.raise(TypeId::OverflowError, "overflow converting long int to machine word")),
            },
            None => Ok(None),
        }
    }

    /// `a op b` for ints that fit an i64, or `None` if `op` is not an
    /// arithmetic operator. Overflow continues in arbitrary precision.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn int_binop(&mut self, op: BinOp, a: i64, b: i64) -> PyResult<Option<Value>> {
        let r = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::FloorDiv | BinOp::Mod => {
                if b == 0 {
                    return Err(self.raise(TypeId::ZeroDivisionError, "divide by zero"));
                }
                let (q, m) = (a.checked_div(b), a.checked_rem(b));
                match (q, m) {
                    (Some(q), Some(m)) => {
                        let (q, m) = if m != 0 && ((m < 0) != (b < 0)) { (q - 1, m + b) } else { (q, m) };
                        Some(if op == BinOp::Mod { m } else { q })
                    }
                    _ => None,
                }
            }
            // A negative power is a float's (or unsupported without floats).
            BinOp::Pow if b < 0 => return Ok(None),
            BinOp::Pow => u32::try_from(b).ok().and_then(|e| a.checked_pow(e)),
            BinOp::LShift | BinOp::RShift => {
                if b < 0 {
                    return Err(self.raise(TypeId::ValueError, "negative shift count"));
                }
                if op == BinOp::RShift {
                    Some(a >> b.min(63))
                } else if b >= 63 {
                    (a == 0).then_some(0)
                } else {
                    let r = a << b;
                    ((r >> b) == a).then_some(r)
                }
            }
            BinOp::And => Some(a & b),
            BinOp::Or => Some(a | b),
            BinOp::Xor => Some(a ^ b),
            _ => return Ok(None),
        };
        match r {
            Some(v) => self.int_value(v).map(Some),
            None if !crate::features::LONGINT => Err(self.long_overflow()),
            None => self.big_binop(op, Big::from_i64(a)?, Big::from_i64(b)?),
        }
    }

    /// A result beyond 64 bits, in a build with 64-bit ints.
    #[cold]
    #[inline(never)]
    pub(crate) fn long_overflow(&mut self) -> PyErr {
        self.raise(TypeId::OverflowError, "result overflows long long storage")
    }

    /// `a op b` in arbitrary precision; `None` if `op` does not apply.
    pub fn big_binop(&mut self, op: BinOp, a: Big, b: Big) -> PyResult<Option<Value>> {
        let r = match op {
            BinOp::Add => a.add(&b)?,
            BinOp::Sub => a.sub(&b)?,
            BinOp::Mul => a.mul(&b)?,
            BinOp::FloorDiv | BinOp::Mod => {
                if b.is_zero() {
                    return Err(self.raise(TypeId::ZeroDivisionError, "divide by zero"));
                }
                let (q, m) = a.divmod(&b)?;
                if op == BinOp::Mod {
                    m
                } else {
                    q
                }
            }
            BinOp::Pow => {
                if b.neg {
                    return Ok(None);
                }
                let e = match b.to_i64() {
                    Some(e) => e as u64,
                    None if a.is_zero() || a.mag == [1] => 2 - (b.mag[0] & 1) as u64,
                    None => return Err(PyErr::NoMemory),
                };
                // Refuse results that could not fit the heap before trying.
                if (a.bit_length() as u64).saturating_mul(e) > 8 * self.heap.total_bytes() as u64 {
                    return Err(PyErr::NoMemory);
                }
                a.pow(e)?
            }
            BinOp::LShift | BinOp::RShift => {
                if b.neg {
                    return Err(self.raise(TypeId::ValueError, "negative shift count"));
                }
                let n = b.to_i64().unwrap_or(i64::MAX) as u64;
                if op == BinOp::RShift {
                    a.shr(n.min(a.bit_length() as u64 + 1) as usize)?
                } else if a.is_zero() {
                    a
                } else if n > 8 * self.heap.total_bytes() as u64 {
                    return Err(PyErr::NoMemory);
                } else {
                    a.shl(n as usize)?
                }
            }
            BinOp::And => a.bitop(&b, b'&')?,
            BinOp::Or => a.bitop(&b, b'|')?,
            BinOp::Xor => a.bitop(&b, b'^')?,
            _ => return Ok(None),
        };
        self.new_int_big(r).map(Some)
    }

    /// The decimal (or other radix) digits of any int.
    pub fn int_digits(&mut self, v: Value, radix: u32, upper: bool) -> PyResult<Vec<u8>> {
        if let Some(i) = self.as_int(v) {
            let mut out = Vec::new();
            crate::runtime::format::put_radix(&mut out, i, radix, upper)?;
            return Ok(out);
        }
        match self.as_big(v)? {
            Some(b) => Ok(b.to_radix(radix, upper)?),
            None => Err(self.raise(TypeId::TypeError, "can't convert to int")),
        }
    }
}

/// Digits (`_` allowed between them) in `radix` as a u64: `None` if one is
/// not a digit or there are none, `Some(None)` past u64.
pub fn parse_u64(digits: &[u8], radix: u32) -> Option<Option<u64>> {
    let mut n = Some(0u64);
    let mut any = false;
    for &c in digits {
        if c == b'_' {
            continue;
        }
        let d = (c as char).to_digit(radix)?;
        any = true;
        n = n.and_then(|n| n.checked_mul(radix as u64)?.checked_add(d as u64));
    }
    any.then_some(n)
}
