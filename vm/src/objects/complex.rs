//! `complex`: two f64s (real, imaginary) in a 16-byte object, with
//! Python's arithmetic, `repr` and constructor.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{Kind, TypeId};
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

impl Vm {
    pub fn new_complex(&mut self, re: Float, im: Float) -> PyResult<Value> {
        let r = self.heap.alloc_bytes(Kind::Complex, 2 * fm::SIZE)?;
        let b = self.heap.bytes_mut(r);
        b[..fm::SIZE].copy_from_slice(&re.to_le_bytes());
        b[fm::SIZE..].copy_from_slice(&im.to_le_bytes());
        Ok(Value::obj(r))
    }

    #[inline]
    pub fn as_complex(&self, v: Value) -> Option<(Float, Float)> {
        if !crate::features::COMPLEX {
            return None; // folds every complex branch away
        }
        let r = self.native_value(v).as_obj().filter(|&r| self.heap.kind(r) == Kind::Complex)?;
        let b = self.heap.bytes(r);
        Some((fm::from_le(b), fm::from_le(&b[fm::SIZE..])))
    }

    /// Any number as a complex, for mixed arithmetic.
    pub fn as_complex_number(&self, v: Value) -> Option<(Float, Float)> {
        self.as_complex(v).or_else(|| self.as_number(v).map(|x| (x, 0.0)))
    }

    /// `a op b` where one side is complex; `None` if `op` does not apply.
    pub fn complex_binop(&mut self, op: BinOp, a: (Float, Float), b: (Float, Float)) -> PyResult<Option<Value>> {
        let (r, i) = match op {
            BinOp::Add => (a.0 + b.0, a.1 + b.1),
            BinOp::Sub => (a.0 - b.0, a.1 - b.1),
            BinOp::Mul => (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0),
            BinOp::TrueDiv => match complex_div(a, b) {
                Some(q) => q,
                None => return Err(self.raise(TypeId::ZeroDivisionError, "complex divide by zero")),
            },
            BinOp::Pow => match complex_pow(a, b) {
                Some(p) => p,
                None => return Err(self.raise(TypeId::ZeroDivisionError, "0.0 to a complex power")),
            },
            BinOp::Eq => return Ok(Some(Value::from_bool(a == b))),
            BinOp::Ne => return Ok(Some(Value::from_bool(a != b))),
            BinOp::FloorDiv | BinOp::Mod => return Err(self.raise(TypeId::TypeError, "can't truncate a complex number")),
            _ => return Ok(None),
        };
        self.new_complex(r, i).map(Some)
    }

    pub(crate) fn write_complex(&mut self, (re, im): (Float, Float), out: &mut Vec<u8>) -> PyResult<()> {
        // Each part as repr writes it, without a trailing ".0".
        let part = |x: Float, out: &mut Vec<u8>| -> PyResult<()> {
            let mut t = Vec::new();
            crate::objects::float::put_float(&mut t, x)?;
            if t.ends_with(b".0") {
                t.truncate(t.len() - 2);
            }
            put(out, &t)
        };
        if re == 0.0 && re.is_sign_positive() {
            part(im, out)?;
            return put(out, b"j");
        }
        put(out, b"(")?;
        part(re, out)?;
        if !(im < 0.0 || (im == 0.0 && im.is_sign_negative())) {
            put(out, b"+")?;
        }
        part(im, out)?;
        put(out, b"j)")
    }

    /// `complex(real=0, imag=0)` or `complex("1+2j")`.
    pub(crate) fn construct_complex(&mut self, args: &crate::runtime::call::Args) -> PyResult<Value> {
        crate::modules::builtins::arity(self, args, 0, 2)?;
        if let Some(s) = args.pos.first().and_then(|&v| self.str_bytes(v)) {
            let s = s.to_vec();
            return match parse_complex(&s) {
                Some((r, i)) if args.pos.len() == 1 => self.new_complex(r, i),
                _ => Err(self.raise(TypeId::ValueError, "complex() arg is a malformed string")),
            };
        }
        let mut parts = [(0.0, 0.0); 2];
        for (k, &v) in args.pos.iter().enumerate() {
            // A Python object converts through __complex__, else __float__.
            let mut v = v;
            if self.kind_of(v) == Some(crate::objects::Kind::Instance) {
                if let Some(r) = self.call_dunder(v, crate::qstr::q::__complex__, &[])? {
                    if self.as_complex(r).is_none() {
                        return Err(self.raise(TypeId::TypeError, "__complex__ should return a complex object"));
                    }
                    v = r;
                } else if let Some(r) = self.call_dunder(v, crate::qstr::q::__float__, &[])? {
                    if self.as_float(r).is_none() {
                        return Err(self.raise(TypeId::TypeError, "__float__ returned non-float"));
                    }
                    v = r;
                }
            }
            match self.as_complex_number(v) {
                Some(c) => parts[k] = c,
                None => return Err(self.raise(TypeId::TypeError, "can't convert to complex")),
            }
        }
        // real + imag * 1j, each possibly complex itself.
        let (a, b) = (parts[0], parts[1]);
        self.new_complex(a.0 - b.1, a.1 + b.0)
    }
}

fn complex_div(a: (Float, Float), b: (Float, Float)) -> Option<(Float, Float)> {
    // Smith's method: no overflow from squaring the divisor.
    if b.0.abs() >= b.1.abs() {
        if b.0 == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    }
}

fn complex_mul(a: (Float, Float), b: (Float, Float)) -> (Float, Float) {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

fn complex_pow(a: (Float, Float), b: (Float, Float)) -> Option<(Float, Float)> {
    if b == (0.0, 0.0) {
        return Some((1.0, 0.0));
    }
    if a == (0.0, 0.0) {
        return if b.1 != 0.0 || b.0 < 0.0 { None } else { Some((0.0, 0.0)) };
    }
    // Small integral exponents multiply exactly, as CPython does.
    if b.1 == 0.0 && b.0 == fm::trunc(b.0) && b.0.abs() <= 100.0 {
        let mut n = b.0.abs() as u32;
        let (mut acc, mut base) = ((1.0, 0.0), a);
        while n > 0 {
            if n & 1 == 1 {
                acc = complex_mul(acc, base);
            }
            base = complex_mul(base, base);
            n >>= 1;
        }
        return if b.0 < 0.0 { complex_div((1.0, 0.0), acc) } else { Some(acc) };
    }
    let (r, th) = (fm::hypot(a.0, a.1), fm::atan2(a.1, a.0));
    let (lr, li) = (fm::log(r), th);
    let (wr, wi) = (b.0 * lr - b.1 * li, b.0 * li + b.1 * lr);
    let m = fm::exp(wr);
    Some((m * fm::cos(wi), m * fm::sin(wi)))
}

/// `1+2j`, `-3.5j`, `(1-2j)`, `4`: what `complex()` accepts.
fn parse_complex(s: &[u8]) -> Option<(Float, Float)> {
    let mut t = s.trim_ascii();
    if t.first() == Some(&b'(') && t.last() == Some(&b')') {
        t = t[1..t.len() - 1].trim_ascii();
    }
    let Some(body) = t.strip_suffix(b"j").or_else(|| t.strip_suffix(b"J")) else {
        return crate::objects::float::parse_float(t).map(|x| (x, 0.0));
    };
    // Split at the last sign that is not an exponent's.
    let split = (1..body.len()).rev().find(|&i| matches!(body[i], b'+' | b'-') && !matches!(body[i - 1], b'e' | b'E'));
    let imag = |p: &[u8]| match p {
        b"" | b"+" => Some(1.0),
        b"-" => Some(-1.0),
        p => crate::objects::float::parse_float(p),
    };
    match split {
        Some(i) => Some((crate::objects::float::parse_float(&body[..i])?, imag(&body[i..])?)),
        None => Some((0.0, imag(body)?)),
    }
}

pub fn conjugate(vm: &mut Vm, args: crate::runtime::call::Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 1, 1)?;
    match vm.as_complex(args.pos[0]) {
        Some((re, im)) => vm.new_complex(re, -im),
        None => Err(vm.raise(TypeId::TypeError, "expected a complex")),
    }
}
