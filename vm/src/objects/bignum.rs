//! Arbitrary-precision integer arithmetic on sign + magnitude, with 32-bit
//! limbs (least significant first) so one code path serves 32- and 64-bit
//! targets. This is the pure arithmetic; `int.rs` stores results in the GC
//! heap and keeps small values unboxed. Scratch vectors come from the Rust
//! allocator through `try_reserve`, so a number too big for it is an error
//! the caller turns into `MemoryError`, never an abort.

use crate::objects::fmath::{self as fm, Float};
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Out of scratch memory.
#[derive(Debug)]
pub struct NoMem;

pub type BResult<T> = Result<T, NoMem>;

/// A normalized integer: no high zero limbs; zero is `neg == false`, empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Big {
    pub neg: bool,
    pub mag: Vec<u32>,
}

fn limbs(n: usize) -> BResult<Vec<u32>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| NoMem)?;
    v.resize(n, 0);
    Ok(v)
}

fn trim(v: &mut Vec<u32>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
    if a.len() != b.len() {
        return a.len().cmp(&b.len());
    }
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i].cmp(&b[i]);
        }
    }
    Ordering::Equal
}

fn add_mag(a: &[u32], b: &[u32]) -> BResult<Vec<u32>> {
    let (a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut r = limbs(a.len() + 1)?;
    let mut carry = 0u64;
    for i in 0..a.len() {
        let s = a[i] as u64 + *b.get(i).unwrap_or(&0) as u64 + carry;
        r[i] = s as u32;
        carry = s >> 32;
    }
    r[a.len()] = carry as u32;
    trim(&mut r);
    Ok(r)
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u32], b: &[u32]) -> BResult<Vec<u32>> {
    let mut r = limbs(a.len())?;
    let mut borrow = 0i64;
    for i in 0..a.len() {
        let mut d = a[i] as i64 - *b.get(i).unwrap_or(&0) as i64 - borrow;
        borrow = (d < 0) as i64;
        if d < 0 {
            d += 1 << 32;
        }
        r[i] = d as u32;
    }
    trim(&mut r);
    Ok(r)
}

fn mul_mag(a: &[u32], b: &[u32]) -> BResult<Vec<u32>> {
    if a.is_empty() || b.is_empty() {
        return Ok(Vec::new());
    }
    let mut r = limbs(a.len() + b.len())?;
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            let t = x as u64 * y as u64 + r[i + j] as u64 + carry;
            r[i + j] = t as u32;
            carry = t >> 32;
        }
        r[i + b.len()] = carry as u32;
    }
    trim(&mut r);
    Ok(r)
}

/// Divides in place by a small divisor; returns the remainder.
fn divmod_small(a: &mut Vec<u32>, d: u32) -> u32 {
    let mut rem = 0u64;
    for i in (0..a.len()).rev() {
        let cur = (rem << 32) | a[i] as u64;
        a[i] = (cur / d as u64) as u32;
        rem = cur % d as u64;
    }
    trim(a);
    rem as u32
}

fn shl_mag(a: &[u32], n: usize) -> BResult<Vec<u32>> {
    if a.is_empty() {
        return Ok(Vec::new());
    }
    let (w, b) = (n / 32, n % 32);
    let mut r = limbs(a.len() + w + 1)?;
    for (i, &x) in a.iter().enumerate() {
        let v = (x as u64) << b;
        r[i + w] |= v as u32;
        r[i + w + 1] |= (v >> 32) as u32;
    }
    trim(&mut r);
    Ok(r)
}

fn shr_mag(a: &[u32], n: usize) -> BResult<Vec<u32>> {
    let (w, b) = (n / 32, n % 32);
    if w >= a.len() {
        return Ok(Vec::new());
    }
    let mut r = limbs(a.len() - w)?;
    for i in 0..r.len() {
        let lo = a[i + w] as u64;
        let hi = *a.get(i + w + 1).unwrap_or(&0) as u64;
        r[i] = (((hi << 32) | lo) >> b) as u32;
    }
    trim(&mut r);
    Ok(r)
}

/// Truncating division of magnitudes (Knuth's algorithm D).
fn divmod_mag(a: &[u32], b: &[u32]) -> BResult<(Vec<u32>, Vec<u32>)> {
    if cmp_mag(a, b) == Ordering::Less {
        let mut r = limbs(0)?;
        r.try_reserve(a.len()).map_err(|_| NoMem)?;
        r.extend_from_slice(a);
        return Ok((Vec::new(), r));
    }
    if b.len() == 1 {
        let mut q = limbs(0)?;
        q.try_reserve(a.len()).map_err(|_| NoMem)?;
        q.extend_from_slice(a);
        let r = divmod_small(&mut q, b[0]);
        return Ok((q, if r == 0 { Vec::new() } else { alloc::vec![r] }));
    }
    // Normalize so the divisor's top limb has its high bit set.
    let s = b[b.len() - 1].leading_zeros() as usize;
    let v = shl_mag(b, s)?;
    let mut u = shl_mag(a, s)?;
    u.resize(a.len() + 1, 0);
    let (n, m) = (v.len(), a.len() - b.len());
    let mut q = limbs(m + 1)?;
    let base = 1u64 << 32;
    let (vt, vs) = (v[n - 1] as u64, v[n - 2] as u64);
    for j in (0..=m).rev() {
        let num = ((u[j + n] as u64) << 32) | u[j + n - 1] as u64;
        let mut qhat = num / vt;
        let mut rhat = num % vt;
        while qhat >= base || qhat * vs > ((rhat << 32) | u[j + n - 2] as u64) {
            qhat -= 1;
            rhat += vt;
            if rhat >= base {
                break;
            }
        }
        // u[j..j+n+1] -= qhat * v
        let mut borrow = 0i64;
        let mut carry = 0u64;
        for i in 0..n {
            let p = qhat * v[i] as u64 + carry;
            carry = p >> 32;
            let t = u[i + j] as i64 - borrow - (p & 0xffff_ffff) as i64;
            u[i + j] = t as u32;
            borrow = (t < 0) as i64;
        }
        let t = u[j + n] as i64 - borrow - carry as i64;
        u[j + n] = t as u32;
        if t < 0 {
            // qhat was one too large: add v back.
            qhat -= 1;
            let mut c = 0u64;
            for i in 0..n {
                let s2 = u[i + j] as u64 + v[i] as u64 + c;
                u[i + j] = s2 as u32;
                c = s2 >> 32;
            }
            u[j + n] = u[j + n].wrapping_add(c as u32);
        }
        q[j] = qhat as u32;
    }
    trim(&mut q);
    u.truncate(n);
    trim(&mut u);
    let r = shr_mag(&u, s)?;
    Ok((q, r))
}

impl Ord for Big {
    fn cmp(&self, o: &Big) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => cmp_mag(&self.mag, &o.mag),
            (true, true) => cmp_mag(&o.mag, &self.mag),
        }
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, o: &Big) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Big {
    pub fn zero() -> Big {
        Big { neg: false, mag: Vec::new() }
    }

    fn new(neg: bool, mut mag: Vec<u32>) -> Big {
        trim(&mut mag);
        let neg = neg && !mag.is_empty();
        Big { neg, mag }
    }

    pub fn from_i64(i: i64) -> BResult<Big> {
        let u = i.unsigned_abs();
        let mut mag = limbs(2)?;
        mag[0] = u as u32;
        mag[1] = (u >> 32) as u32;
        Ok(Big::new(i < 0, mag))
    }

    pub fn from_u64(u: u64) -> BResult<Big> {
        let mut b = Big::from_i64(0)?;
        b.mag = limbs(2)?;
        b.mag[0] = u as u32;
        b.mag[1] = (u >> 32) as u32;
        trim(&mut b.mag);
        Ok(b)
    }

    pub fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    /// The value modulo 2**32, two's complement, as C's truncating
    /// conversion gives it (MicroPython's `mp_obj_get_int_truncated`).
    pub fn low_u32(&self) -> u32 {
        let l = self.mag.first().copied().unwrap_or(0);
        if self.neg {
            l.wrapping_neg()
        } else {
            l
        }
    }

    pub fn to_i64(&self) -> Option<i64> {
        if self.mag.len() > 2 {
            return None;
        }
        let u = self.mag.first().copied().unwrap_or(0) as u64 | (self.mag.get(1).copied().unwrap_or(0) as u64) << 32;
        if self.neg {
            if u <= 1 << 63 {
                Some((u as i64).wrapping_neg())
            } else {
                None
            }
        } else {
            i64::try_from(u).ok()
        }
    }

    pub fn bit_length(&self) -> usize {
        match self.mag.last() {
            Some(&top) => self.mag.len() * 32 - top.leading_zeros() as usize,
            None => 0,
        }
    }

    /// The nearest Float (ties to even), or `None` if it overflows.
    pub fn to_float(&self) -> Option<Float> {
        let bits = self.bit_length();
        let f = if bits <= 64 {
            (self.mag.first().copied().unwrap_or(0) as u64 | (self.mag.get(1).copied().unwrap_or(0) as u64) << 32) as Float
        } else {
            // The top 64 bits, with a sticky bit for anything below, round
            // exactly as the whole number would.
            let shift = bits - 64;
            let top = shr_mag(&self.mag, shift).ok()?;
            let mut t = top[0] as u64 | (top[1] as u64) << 32;
            let (w, b) = (shift / 32, shift % 32);
            let sticky = self.mag[..w].iter().any(|&x| x != 0) || (b > 0 && self.mag[w] & ((1u32 << b) - 1) != 0);
            t |= sticky as u64;
            fm::scalbn(t as Float, shift as i32)
        };
        if f.is_infinite() {
            return None;
        }
        Some(if self.neg { -f } else { f })
    }

    /// The integer part of a finite float.
    pub fn from_float(f: Float) -> BResult<Big> {
        let t = fm::trunc(f);
        let bits = fm::to_bits(t.abs());
        let exp = (bits >> fm::MANT_BITS) as i32;
        if exp == 0 {
            return Ok(Big::zero());
        }
        let mant = (bits & ((1 << fm::MANT_BITS) - 1)) | (1 << fm::MANT_BITS);
        let shift = exp - fm::BIAS - fm::MANT_BITS as i32;
        let m = Big::from_u64(mant)?;
        let mag = if shift >= 0 { shl_mag(&m.mag, shift as usize)? } else { shr_mag(&m.mag, (-shift) as usize)? };
        Ok(Big::new(t < 0.0, mag))
    }

    pub fn negate(mut self) -> Big {
        self.neg = !self.neg && !self.mag.is_empty();
        self
    }

    pub fn abs(mut self) -> Big {
        self.neg = false;
        self
    }

    pub fn add(&self, o: &Big) -> BResult<Big> {
        if self.neg == o.neg {
            return Ok(Big::new(self.neg, add_mag(&self.mag, &o.mag)?));
        }
        match cmp_mag(&self.mag, &o.mag) {
            Ordering::Less => Ok(Big::new(o.neg, sub_mag(&o.mag, &self.mag)?)),
            _ => Ok(Big::new(self.neg, sub_mag(&self.mag, &o.mag)?)),
        }
    }

    pub fn sub(&self, o: &Big) -> BResult<Big> {
        let mut n = o.clone();
        n.neg = !n.neg && !n.mag.is_empty();
        self.add(&n)
    }

    pub fn mul(&self, o: &Big) -> BResult<Big> {
        Ok(Big::new(self.neg != o.neg, mul_mag(&self.mag, &o.mag)?))
    }

    /// Floor division and modulo (the remainder takes the divisor's sign);
    /// the divisor must not be zero.
    pub fn divmod(&self, o: &Big) -> BResult<(Big, Big)> {
        let (q, r) = divmod_mag(&self.mag, &o.mag)?;
        let mut q = Big::new(self.neg != o.neg, q);
        let mut r = Big::new(self.neg, r);
        if !r.is_zero() && r.neg != o.neg {
            q = q.sub(&Big::from_i64(1)?)?;
            r = r.add(o)?;
        }
        Ok((q, r))
    }

    pub fn pow(&self, mut e: u64) -> BResult<Big> {
        let mut base = self.clone();
        let mut acc = Big::from_i64(1)?;
        while e > 0 {
            if e & 1 == 1 {
                acc = acc.mul(&base)?;
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base)?;
            }
        }
        Ok(acc)
    }

    /// `self ** e % m` for `e >= 0`, `m != 0`.
    pub fn pow_mod(&self, e: &Big, m: &Big) -> BResult<Big> {
        let mut acc = Big::from_i64(1)?.divmod(m)?.1;
        let mut base = self.divmod(m)?.1;
        for i in 0..e.bit_length() {
            if e.mag[i / 32] >> (i % 32) & 1 == 1 {
                acc = acc.mul(&base)?.divmod(m)?.1;
            }
            base = base.mul(&base)?.divmod(m)?.1;
        }
        Ok(acc)
    }

    pub fn shl(&self, n: usize) -> BResult<Big> {
        Ok(Big::new(self.neg, shl_mag(&self.mag, n)?))
    }

    /// Arithmetic (flooring) right shift.
    pub fn shr(&self, n: usize) -> BResult<Big> {
        if !self.neg {
            return Ok(Big::new(false, shr_mag(&self.mag, n)?));
        }
        // -((|a| - 1) >> n) - 1
        let one = Big::from_i64(1)?;
        let m = Big::new(false, sub_mag(&self.mag, &one.mag)?);
        Ok(Big::new(false, shr_mag(&m.mag, n)?).add(&one)?.negate())
    }

    /// Two's complement in `n` limbs.
    fn twos(&self, n: usize) -> BResult<Vec<u32>> {
        let mut r = limbs(n)?;
        r[..self.mag.len()].copy_from_slice(&self.mag);
        if self.neg {
            let mut carry = 1u64;
            for x in r.iter_mut() {
                let s = (!*x) as u64 + carry;
                *x = s as u32;
                carry = s >> 32;
            }
        }
        Ok(r)
    }

    fn from_twos(mut r: Vec<u32>) -> Big {
        let neg = r.last().is_some_and(|&t| t >> 31 == 1);
        if neg {
            let mut carry = 1u64;
            for x in r.iter_mut() {
                let s = (!*x) as u64 + carry;
                *x = s as u32;
                carry = s >> 32;
            }
        }
        Big::new(neg, r)
    }

    /// `&`, `|` or `^` with Python's infinite two's-complement semantics.
    pub fn bitop(&self, o: &Big, op: u8) -> BResult<Big> {
        let n = self.mag.len().max(o.mag.len()) + 1;
        let (a, b) = (self.twos(n)?, o.twos(n)?);
        let mut r = limbs(n)?;
        for i in 0..n {
            r[i] = match op {
                b'&' => a[i] & b[i],
                b'|' => a[i] | b[i],
                _ => a[i] ^ b[i],
            };
        }
        Ok(Big::from_twos(r))
    }

    /// Parses digits (underscores allowed between them) in `radix`.
    pub fn parse(digits: &[u8], radix: u32) -> BResult<Option<Big>> {
        let mut mag = Vec::new();
        let mut any = false;
        for &c in digits {
            if c == b'_' {
                continue;
            }
            let Some(d) = (c as char).to_digit(radix) else { return Ok(None) };
            any = true;
            let mut carry = d as u64;
            for x in mag.iter_mut() {
                let t = *x as u64 * radix as u64 + carry;
                *x = t as u32;
                carry = t >> 32;
            }
            if carry != 0 {
                mag.try_reserve(1).map_err(|_| NoMem)?;
                mag.push(carry as u32);
            }
        }
        Ok(any.then(|| Big::new(false, mag)))
    }

    /// The digits in `radix` (2..=36), lower case, with a leading `-`.
    pub fn to_radix(&self, radix: u32, upper: bool) -> BResult<Vec<u8>> {
        let mut chunk = radix;
        let mut per = 1;
        while (chunk as u64) * (radix as u64) <= u32::MAX as u64 {
            chunk *= radix;
            per += 1;
        }
        let mut m = limbs(0)?;
        m.try_reserve(self.mag.len()).map_err(|_| NoMem)?;
        m.extend_from_slice(&self.mag);
        let mut out = Vec::new();
        out.try_reserve(self.bit_length() + 2).map_err(|_| NoMem)?;
        let digit = |d: u32| -> u8 {
            let c = core::char::from_digit(d, radix).unwrap_or('?') as u8;
            if upper {
                c.to_ascii_uppercase()
            } else {
                c
            }
        };
        while !m.is_empty() {
            let mut r = divmod_small(&mut m, chunk);
            for _ in 0..per {
                if m.is_empty() && r == 0 {
                    break;
                }
                out.push(digit(r % radix));
                r /= radix;
            }
        }
        if out.is_empty() {
            out.push(b'0');
        }
        if self.neg {
            out.push(b'-');
        }
        out.reverse();
        Ok(out)
    }

    /// Little-endian two's complement (or unsigned) bytes, `len` of them;
    /// `None` if the value does not fit.
    pub fn to_bytes_le(&self, len: usize, signed: bool) -> BResult<Option<Vec<u8>>> {
        if self.neg && !signed {
            return Ok(None);
        }
        let n = len.div_ceil(4) + 1;
        let t = self.twos(n.max(self.mag.len() + 1))?;
        let mut out = Vec::new();
        out.try_reserve(len).map_err(|_| NoMem)?;
        for i in 0..len {
            out.push((t[i / 4] >> (8 * (i % 4))) as u8);
        }
        // It fits when the dropped bits are all sign bits.
        let back = if signed { Big::from_bytes_le(&out, true)? } else { Big::from_bytes_le(&out, false)? };
        Ok((back == *self).then_some(out))
    }

    pub fn from_bytes_le(b: &[u8], signed: bool) -> BResult<Big> {
        let mut r = limbs(b.len().div_ceil(4) + 1)?;
        for (i, &x) in b.iter().enumerate() {
            r[i / 4] |= (x as u32) << (8 * (i % 4));
        }
        if signed && b.last().is_some_and(|&t| t & 0x80 != 0) {
            let top = b.len();
            for i in top..r.len() * 4 {
                r[i / 4] |= 0xff << (8 * (i % 4));
            }
            return Ok(Big::from_twos(r));
        }
        Ok(Big::new(false, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};

    fn big(s: &str) -> Big {
        let (neg, d) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
        let b = Big::parse(d.as_bytes(), 10).unwrap().unwrap();
        if neg {
            b.negate()
        } else {
            b
        }
    }

    fn dec(b: &Big) -> String {
        String::from_utf8(b.to_radix(10, false).unwrap()).unwrap()
    }

    // A deterministic xorshift so every run checks the same cases.
    fn rng(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn agrees_with_i128_on_random_operands() {
        let mut s = 0x1234_5678_9abc_def1u64;
        for _ in 0..20000 {
            let shift_a = rng(&mut s) % 64;
            let shift_b = rng(&mut s) % 64;
            let a = (rng(&mut s) as i64 >> shift_a) as i128;
            let b = (rng(&mut s) as i64 >> shift_b) as i128;
            let (ba, bb) = (big(&a.to_string()), big(&b.to_string()));
            assert_eq!(dec(&ba.add(&bb).unwrap()), (a + b).to_string());
            assert_eq!(dec(&ba.sub(&bb).unwrap()), (a - b).to_string());
            assert_eq!(dec(&ba.mul(&bb).unwrap()), (a * b).to_string());
            if b != 0 {
                let (q, r) = ba.divmod(&bb).unwrap();
                let fq = if (a % b != 0) && ((a < 0) != (b < 0)) { a / b - 1 } else { a / b };
                assert_eq!(dec(&q), fq.to_string());
                let m = a - b * fq;
                assert_eq!(dec(&r), m.to_string());
            }
            assert_eq!(dec(&ba.bitop(&bb, b'&').unwrap()), (a & b).to_string());
            assert_eq!(dec(&ba.bitop(&bb, b'|').unwrap()), (a | b).to_string());
            assert_eq!(dec(&ba.bitop(&bb, b'^').unwrap()), (a ^ b).to_string());
            let sh = (rng(&mut s) % 40) as usize;
            assert_eq!(dec(&ba.shr(sh).unwrap()), (a >> sh).to_string());
            assert_eq!(dec(&ba.shl(sh).unwrap()), (a << sh).to_string());
            assert_eq!(ba.cmp(&bb), a.cmp(&b));
            assert_eq!(ba.to_float().unwrap(), a as Float);
        }
    }

    #[test]
    fn long_division_matches_multiplication() {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300 {
            let mut digits = |n: u64| {
                let len = 1 + (rng(&mut s) % n) as usize;
                let mut t = String::new();
                for _ in 0..len {
                    t.push((b'0' + (rng(&mut s) % 10) as u8) as char);
                }
                big(&t)
            };
            let a = digits(120);
            let b = digits(60);
            if b.is_zero() {
                continue;
            }
            let (q, r) = a.divmod(&b).unwrap();
            assert_eq!(q.mul(&b).unwrap().add(&r).unwrap(), a);
            assert_eq!(r.cmp(&b), Ordering::Less);
            assert!(!r.neg);
        }
    }

    #[test]
    fn radix_and_bytes_round_trip() {
        let x = big("-123456789012345678901234567890");
        assert_eq!(String::from_utf8(x.to_radix(16, false).unwrap()).unwrap(), "-18ee90ff6c373e0ee4e3f0ad2");
        let y = Big::parse(b"18ee90ff6c373e0ee4e3f0ad2", 16).unwrap().unwrap().negate();
        assert_eq!(x, y);
        let b = x.to_bytes_le(16, true).unwrap().unwrap();
        assert_eq!(Big::from_bytes_le(&b, true).unwrap(), x);
        assert!(x.to_bytes_le(4, true).unwrap().is_none());
        assert_eq!(dec(&big("2").pow(100).unwrap()), "1267650600228229401496703205376");
        assert_eq!(Big::from_float(1e30).unwrap().to_float(), Some(1e30));
        assert_eq!(dec(&big("3").pow_mod(&big("200"), &big("1000000007")).unwrap()), "136318165");
    }
}
