//! `float`: an f64 in a byte object. Arithmetic follows Python (floor
//! division and modulo take the divisor's sign); `repr` gives the shortest
//! digits that round-trip, laid out as Python does.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::objects::{Kind, TypeId};
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

impl Vm {
    pub fn new_float(&mut self, f: f64) -> PyResult<Value> {
        let r = self.heap.alloc_bytes(Kind::Float, 8)?;
        self.heap.bytes_mut(r).copy_from_slice(&f.to_le_bytes());
        Ok(Value::obj(r))
    }

    /// The value of a float object.
    pub fn as_float(&self, v: Value) -> Option<f64> {
        let r = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Float)?;
        let mut b = [0u8; 8];
        b.copy_from_slice(self.heap.bytes(r));
        Some(f64::from_le_bytes(b))
    }

    /// An int, bool or float as f64 (for mixed arithmetic).
    pub fn as_number(&self, v: Value) -> Option<f64> {
        self.as_float(v).or_else(|| self.as_int(v).map(|i| i as f64)).or_else(|| self.as_big(v).ok().flatten().and_then(|b| b.to_f64()))
    }

    /// `a op b` where at least one side is a float; `None` if `op` does not apply.
    pub fn float_binop(&mut self, op: BinOp, a: f64, b: f64) -> PyResult<Option<Value>> {
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
                if a == 0.0 && b < 0.0 {
                    return Err(self.raise(TypeId::ZeroDivisionError, "0.0 to a negative power"));
                }
                libm::pow(a, b)
            }
            _ => return Ok(None),
        };
        self.new_float(r).map(Some)
    }
}

/// Python's `divmod` for floats: the remainder has the divisor's sign.
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = libm::fmod(a, b);
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = libm::copysign(0.0, b);
    }
    let floor = if div != 0.0 {
        let f = libm::floor(div);
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        libm::copysign(0.0, a / b)
    };
    (floor, m)
}

/// A fixed buffer for `core::fmt`, which gives the shortest round-trip digits.
struct Digits {
    buf: [u8; 40],
    len: usize,
}

impl core::fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// `repr(f)` as Python writes it: positional for 1e-4 <= |f| < 1e16,
/// exponent form otherwise, always with a `.` or an exponent.
pub fn put_float(out: &mut Vec<u8>, f: f64) -> PyResult<()> {
    if f.is_nan() {
        return put(out, b"nan");
    }
    if f.is_infinite() {
        return put(out, if f < 0.0 { b"-inf" } else { b"inf" });
    }
    if f == 0.0 {
        return put(out, if f.is_sign_negative() { b"-0.0" } else { b"0.0" });
    }
    let mut d = Digits { buf: [0; 40], len: 0 };
    let _ = core::fmt::write(&mut d, format_args!("{:e}", f.abs()));
    let text = &d.buf[..d.len];
    let e_at = text.iter().position(|&c| c == b'e').unwrap_or(text.len());
    let mut digit_buf = [0u8; 24];
    let mut n_digits = 0;
    for &c in text[..e_at].iter().filter(|c| c.is_ascii_digit()) {
        if n_digits < digit_buf.len() {
            digit_buf[n_digits] = c;
            n_digits += 1;
        }
    }
    let digits = &digit_buf[..n_digits];
    let exp: i32 = core::str::from_utf8(&text[(e_at + 1).min(text.len())..]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
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
        put(out, if exp < 0 { b"e-" } else { b"e+" })?;
        if exp.abs() < 10 {
            put(out, b"0")?;
        }
        crate::runtime::format::put_int(out, exp.abs() as i64)?;
    }
    Ok(())
}

/// Parses what `float()` accepts: blanks around, `_` between digits,
/// `inf`/`infinity`/`nan` in any case.
pub fn parse_float(text: &[u8]) -> Option<f64> {
    let t = text.trim_ascii();
    let mut buf = [0u8; 64];
    let mut n = 0;
    for (i, &c) in t.iter().enumerate() {
        if c == b'_' {
            let ok = i > 0 && t[i - 1].is_ascii_digit() && t.get(i + 1).is_some_and(|d| d.is_ascii_digit());
            if !ok {
                return None;
            }
            continue;
        }
        if n == buf.len() {
            return None;
        }
        buf[n] = c;
        n += 1;
    }
    let s = core::str::from_utf8(&buf[..n]).ok()?;
    let lower = s.trim_start_matches(['+', '-']);
    if lower.eq_ignore_ascii_case("inf") || lower.eq_ignore_ascii_case("infinity") || lower.eq_ignore_ascii_case("nan") {
        let v = if lower.eq_ignore_ascii_case("nan") { f64::NAN } else { f64::INFINITY };
        return Some(if s.starts_with('-') { -v } else { v });
    }
    // Rust accepts words Python does not ("infinity" handled above).
    if !s.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(f: f64) -> alloc::string::String {
        let mut out = Vec::new();
        put_float(&mut out, f).unwrap();
        alloc::string::String::from_utf8(out).unwrap()
    }

    #[test]
    fn repr_matches_python() {
        let cases: &[(f64, &str)] = &[
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
            (f64::INFINITY, "inf"),
        ];
        for &(f, want) in cases {
            assert_eq!(repr(f), want, "{f}");
        }
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
        assert_eq!(parse_float(b"-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_float(b"nan").is_some_and(f64::is_nan));
        assert_eq!(parse_float(b"1e3"), Some(1000.0));
        assert_eq!(parse_float(b"abc"), None);
        assert_eq!(parse_float(b"1__0"), None);
    }
}
