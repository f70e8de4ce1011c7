//! `float`: an Float in a byte object. Arithmetic follows Python (floor
//! division and modulo take the divisor's sign); `repr` gives the shortest
//! digits that round-trip, laid out as Python does.

use crate::bytecode::BinOp;
use crate::error::PyResult;
#[cfg(not(feature = "float-single"))]
pub use crate::objects::float_double::{decimal_value, fixed_digits, sig_digits};
#[cfg(feature = "float-single")]
pub use crate::objects::float_single::{decimal_value, fixed_digits, sig_digits};
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{Kind, TypeId};
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

impl Vm {
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn new_float(&mut self, f: Float) -> PyResult<Value> {
        if !crate::features::FLOAT {
            return Err(self.raise(TypeId::TypeError, "float not supported"));
        }
        let r = self.heap.alloc_bytes(Kind::Float, fm::SIZE)?;
        self.heap.bytes_mut(r).copy_from_slice(&f.to_le_bytes());
        Ok(Value::obj(r))
    }

    /// The value of a float object.
    /// A float object's value (not a subclass instance's).
    #[inline]
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn plain_float(&self, v: Value) -> Option<Float> {
        if !crate::features::FLOAT {
            return None;
        }
        let r = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Float)?;
        Some(fm::from_le(self.heap.bytes(r)))
    }

    pub fn as_float(&self, v: Value) -> Option<Float> {
        if !crate::features::FLOAT {
            return None;
        }
        let r = self.native_value(v).as_obj().filter(|&r| self.heap.kind(r) == Kind::Float)?;
        Some(fm::from_le(self.heap.bytes(r)))
    }

    /// An int, bool or float as Float (for mixed arithmetic).
    pub fn as_number(&self, v: Value) -> Option<Float> {
        self.as_float(v).or_else(|| self.as_int(v).map(|i| i as Float)).or_else(|| self.as_big(v).ok().flatten().and_then(|b| b.to_float()))
    }

    /// A number as Float, or what an instance's `__float__` returns (which
    /// must be a float); `None` for anything else.
    pub fn to_float(&mut self, v: Value) -> PyResult<Option<Float>> {
        if let Some(x) = self.as_number(v) {
            return Ok(Some(x));
        }
        if self.kind_of(v) != Some(Kind::Instance) {
            return Ok(None);
        }
        match self.call_dunder(v, crate::qstr::q::__float__, &[])? {
            Some(f) => match self.as_float(f) {
                Some(x) => Ok(Some(x)),
                None => Err(self.raise(TypeId::TypeError, "__float__ returned non-float")),
            },
            None => Ok(None),
        }
    }

    /// `a op b` where at least one side is a float; `None` if `op` does not apply.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn float_binop(&mut self, op: BinOp, a: Float, b: Float) -> PyResult<Option<Value>> {
        // Without floats, int / int and negative powers are unsupported.
        if !crate::features::FLOAT {
            return Ok(None);
        }
        let zero_div = |vm: &mut Vm| vm.raise(TypeId::ZeroDivisionError, "divide by zero");
        let r = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::TrueDiv => {
                if b == 0.0 {
                    return Err(zero_div(self));
                }
                a / b
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if b == 0.0 {
                    return Err(zero_div(self));
                }
                let (q, m) = float_divmod(a, b);
                if op == BinOp::Mod {
                    m
                } else {
                    q
                }
            }
            BinOp::Pow => {
                if a == 0.0 && b < 0.0 && b.is_finite() {
                    return Err(self.raise(TypeId::ZeroDivisionError, "0.0 to a negative power"));
                }
                // A negative number to a fractional power is complex.
                if crate::features::COMPLEX && a < 0.0 && b != fm::floor(b) && !b.is_nan() {
                    return self.complex_binop(op, (a, 0.0), (b, 0.0));
                }
                fm::pow(a, b)
            }
            _ => return Ok(None),
        };
        self.new_float(r).map(Some)
    }
}

/// Python's `divmod` for floats: the remainder has the divisor's sign.
pub fn float_divmod(a: Float, b: Float) -> (Float, Float) {
    let mut m = fm::fmod(a, b);
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = fm::copysign(0.0, b);
    }
    let floor = if div != 0.0 {
        let f = fm::floor(div);
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        fm::copysign(0.0, a / b)
    };
    (floor, m)
}

/// The fewest significant digits that read back as `f`, and the exponent.
fn shortest_digits(f: Float) -> Option<(Vec<u8>, i32)> {
    // Round-tripping is monotone in the digit count: binary search it.
    let (mut lo, mut hi) = (1usize, fm::ROUND_TRIP_DIGITS);
    let mut best = sig_digits(f, hi)?;
    while lo < hi {
        let mid = (lo + hi) / 2;
        let (d, e) = sig_digits(f, mid)?;
        // The digits are ASCII, the first nonzero: decimal_value reads them.
        if decimal_value(&d, (e - mid as i32 + 1) as i64) == Some(f.abs()) {
            best = (d, e);
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    if best.0.len() != lo {
        best = sig_digits(f, lo)?;
    }
    // Trailing zeros add nothing.
    while best.0.len() > 1 && best.0.last() == Some(&b'0') {
        best.0.pop();
    }
    Some(best)
}

/// `repr(f)` as Python writes it: positional for 1e-4 <= |f| < 1e16,
/// exponent form otherwise, always with a `.` or an exponent.
pub fn put_float(out: &mut Vec<u8>, f: Float) -> PyResult<()> {
    if f.is_nan() {
        return put(out, b"nan");
    }
    if f.is_infinite() {
        return put(out, if f < 0.0 { b"-inf" } else { b"inf" });
    }
    if f == 0.0 {
        return put(out, if f.is_sign_negative() { b"-0.0" } else { b"0.0" });
    }
    let Some((digits, exp)) = shortest_digits(f) else { return Err(crate::error::PyErr::NoMemory) };
    let digits = &digits[..];
    if f < 0.0 {
        put(out, b"-")?;
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            for i in 0..int_len {
                put(out, &[*digits.get(i).unwrap_or(&b'0')])?;
            }
            put(out, b".")?;
            if digits.len() > int_len {
                put(out, &digits[int_len..])?;
            } else {
                put(out, b"0")?;
            }
        } else {
            put(out, b"0.")?;
            for _ in 0..(-exp - 1) {
                put(out, b"0")?;
            }
            put(out, digits)?;
        }
    } else {
        put(out, &digits[..1])?;
        if digits.len() > 1 {
            put(out, b".")?;
            put(out, &digits[1..])?;
        }
        put_exponent(out, exp)?;
    }
    Ok(())
}

/// A decimal exponent as Python writes it: `e`, its sign, two digits at least.
pub fn put_exponent(out: &mut Vec<u8>, e: i32) -> PyResult<()> {
    put(out, if e < 0 { b"e-" } else { b"e+" })?;
    if e.abs() < 10 {
        put(out, b"0")?;
    }
    crate::runtime::format::put_int(out, e.abs() as i64)
}

/// Parses what `float()` accepts: blanks around, `_` between digits,
/// `inf`/`infinity`/`nan` in any case.
pub fn parse_float(text: &[u8]) -> Option<Float> {
    let t = text.trim_ascii();
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let special = |w: &[u8]| t.eq_ignore_ascii_case(w);
    let v = if special(b"inf") || special(b"infinity") {
        Float::INFINITY
    } else if special(b"nan") {
        Float::NAN
    } else {
        parse_decimal(t)?
    };
    Some(if neg { -v } else { v })
}

/// `digits[.digits][e[+-]digits]`, `_` allowed between digits, rounded
/// to the nearest float. Exact arithmetic replaces core's parser, whose
/// 10 KB table does not fit small flash.
fn parse_decimal(t: &[u8]) -> Option<Float> {
    let mut digits: Vec<u8> = Vec::new();
    let (mut exp10, mut seen_dot, mut any) = (0i64, false, false);
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        match c {
            b'0'..=b'9' => {
                any = true;
                // Leading zeros carry no value.
                if !(digits.is_empty() && c == b'0') {
                    digits.try_reserve(1).ok()?;
                    digits.push(c);
                }
                if seen_dot {
                    exp10 -= 1;
                }
            }
            b'_' if i > 0 && t[i - 1].is_ascii_digit() && t.get(i + 1).is_some_and(u8::is_ascii_digit) => {}
            b'.' if !seen_dot => seen_dot = true,
            b'e' | b'E' if any => break,
            _ => return None,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if i < t.len() {
        let e = &t[i + 1..];
        let (eneg, e) = match e.first() {
            Some(b'-') => (true, &e[1..]),
            Some(b'+') => (false, &e[1..]),
            _ => (false, e),
        };
        if !e.first().is_some_and(u8::is_ascii_digit)
            || !e.last().is_some_and(u8::is_ascii_digit)
            || !e.iter().all(|c| c.is_ascii_digit() || *c == b'_')
        {
            return None;
        }
        let n = e.iter().filter(|c| c.is_ascii_digit()).fold(0i64, |n, &d| (n * 10 + (d - b'0') as i64).min(100_000));
        exp10 += if eneg { -n } else { n };
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    // Out of range either way: skip the big arithmetic.
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > fm::DEC_MAX {
        return Some(Float::INFINITY);
    }
    if magnitude < fm::DEC_MIN {
        return Some(0.0);
    }
    decimal_value(&digits, exp10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(f: Float) -> alloc::string::String {
        let mut out = Vec::new();
        put_float(&mut out, f).unwrap();
        alloc::string::String::from_utf8(out).unwrap()
    }

    /// `n` pseudo-random finite nonzero floats (xorshift from `seed`), one
    /// in four subnormal, with their index.
    fn random_floats(seed: u64, n: usize) -> impl Iterator<Item = (usize, Float)> {
        let mut state = seed;
        (0..n).filter_map(move |i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let f = Float::from_bits(if i % 4 == 0 { state & ((1 << fm::MANT_BITS) - 1) } else { state } as _);
            (f.is_finite() && f != 0.0).then_some((i, f))
        })
    }

    /// core's parser and shortest formatter are correct; ours must agree
    /// with them on random bit patterns, subnormals included.
    #[test]
    fn parse_and_repr_agree_with_core_on_random_doubles() {
        use alloc::format;
        for (_, f) in random_floats(0x2545_f491_4f6c_dd1d, 20000) {
            let core_digits = format!("{:e}", f.abs());
            let (mant, exp) = core_digits.split_once('e').unwrap();
            let want: alloc::string::String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
            let (got, e) = shortest_digits(f).unwrap();
            let got = core::str::from_utf8(&got).unwrap();
            // As short as core's, and reads back as f. On an exact tie core
            // may round up where Python (and we) round to even.
            assert_eq!(got.len(), want.len(), "{f:e}");
            let back = format!("{}.{}e{}", &got[..1], &got[1..], e);
            assert_eq!(back.parse::<Float>(), Ok(f.abs()), "{f:e} -> {back}");
            if got != want {
                assert_eq!(e, exp.parse::<i32>().unwrap());
            }
            let text = format!("{:e}", f);
            assert_eq!(parse_float(text.as_bytes()), Some(f), "{text}");
            let long = format!("{:.25e}", f);
            assert_eq!(parse_float(long.as_bytes()), long.parse::<Float>().ok(), "{long}");
        }
    }

    /// Fixed and significant-digit rounding agree with core's exact
    /// formatting; long literals near a halfway point read as core reads them.
    #[test]
    fn rounding_agrees_with_core() {
        use alloc::format;
        for (i, f) in random_floats(0x9e37_79b9_7f4a_7c15, 3000) {
            let n = 1 + i % 12;
            let want = format!("{:.*e}", n - 1, f.abs());
            let (mant, exp) = want.split_once('e').unwrap();
            let (d, e) = sig_digits(f, n).unwrap();
            assert_eq!(core::str::from_utf8(&d).unwrap(), mant.replace('.', ""), "{f:e} {n}");
            assert_eq!(e, exp.parse::<i32>().unwrap(), "{f:e} {n}");
            if f.abs() < 1e12 {
                let p = i % 30;
                let want = format!("{:.*}", p, f.abs()).replace('.', "");
                let got = alloc::string::String::from_utf8(fixed_digits(f, p).unwrap()).unwrap();
                assert_eq!(got.trim_start_matches('0'), want.trim_start_matches('0'), "{f:e} {p}");
            }
            // The exact halfway point between f and the next float, then
            // a hair either side of it, in 160 or more digits.
            // (In f64 arithmetic, exact for f32 only.)
            let next = Float::from_bits(f.abs().to_bits() + 1);
            if cfg!(feature = "float-single") && next.is_finite() {
                #[allow(clippy::unnecessary_cast)]
                let half = format!("{:.200e}", (f.abs() as f64 + next as f64) / 2.0);
                let (m, x) = half.split_once('e').unwrap();
                for tweak in ["", "1"] {
                    let text = format!("{}{}{}e{}", m.trim_end_matches('0'), "0".repeat(60), tweak, x);
                    assert_eq!(parse_float(text.as_bytes()), text.parse::<Float>().ok(), "{text}");
                }
            }
        }
    }

    #[test]
    #[cfg(not(feature = "float-single"))]
    fn repr_matches_python() {
        let cases: &[(Float, &str)] = &[
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e22, "1e+22"),
            (100.0, "100.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (-0.0, "-0.0"),
            (Float::INFINITY, "inf"),
        ];
        for &(f, want) in cases {
            assert_eq!(repr(f), want, "{f}");
        }
    }

    /// As MicroPython's single-precision ports print them, except where its
    /// approximate conversions are off (it gives 1.1754943e-38, also short
    /// but not the nearest, and misreads 1e-45).
    #[test]
    #[cfg(feature = "float-single")]
    fn single_repr_matches_micropython() {
        let cases: &[(Float, &str)] = &[
            (1.0 / 3.0, "0.33333334"),
            (2.0 / 3.0, "0.6666667"),
            (0.1, "0.1"),
            (1.1 * 3.0, "3.3000002"),
            (3.4e38, "3.4e+38"),
            (123456789.0, "123456790.0"),
            (16777217.0, "16777216.0"),
            (Float::MIN_POSITIVE, "1.1754944e-38"),
            (1e-45, "1e-45"),
            (1e16, "1e+16"),
            (1e10, "10000000000.0"),
            (1.5e-5, "1.5e-05"),
        ];
        for &(f, want) in cases {
            assert_eq!(repr(f), want, "{f}");
        }
        assert_eq!(parse_float(b"3.5e38"), Some(Float::INFINITY));
        assert_eq!(parse_float(b"1e-46"), Some(0.0));
        assert_eq!(parse_float(b"7.1e-46"), Some(1e-45));
    }

    #[test]
    fn divmod_takes_the_divisors_sign() {
        assert_eq!(float_divmod(7.0, 2.0), (3.0, 1.0));
        assert_eq!(float_divmod(-7.0, 2.0), (-4.0, 1.0));
        assert_eq!(float_divmod(7.0, -2.0), (-4.0, -1.0));
        assert_eq!(float_divmod(7.5, 2.0), (3.0, 1.5));
    }

    #[test]
    fn parse_accepts_what_float_does() {
        assert_eq!(parse_float(b" 1.5 "), Some(1.5));
        assert_eq!(parse_float(b"1_000.25"), Some(1000.25));
        assert_eq!(parse_float(b"-inf"), Some(Float::NEG_INFINITY));
        assert!(parse_float(b"nan").is_some_and(Float::is_nan));
        assert_eq!(parse_float(b"1e3"), Some(1000.0));
        assert_eq!(parse_float(b"abc"), None);
        assert_eq!(parse_float(b"1__0"), None);
    }
}
