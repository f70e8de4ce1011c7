//! Exact decimal conversions of single-precision floats without big ints.
//!
//! An f32 is `m * 2^e` with `m < 2^24` and `-149 <= e <= 104`, so every
//! number these conversions meet fits a fixed array of 24 32-bit limbs:
//! digits come out one at a time from the integer part (divided by 10) and
//! the fraction (multiplied by 10), and reading a decimal compares it
//! exactly against candidate floats. With `float-single` and without
//! `longint`, no big-int code is linked at all.

use crate::objects::fmath::Float;
use alloc::vec::Vec;
use core::cmp::Ordering;

const N: usize = 24;
/// A number as little-endian 32-bit limbs.
type Limbs = [u32; N];

/// `l = l * k + c`; the carry out.
fn mul_small(l: &mut Limbs, k: u32, mut c: u32) -> u32 {
    for x in l.iter_mut() {
        let t = *x as u64 * k as u64 + c as u64;
        *x = t as u32;
        c = (t >> 32) as u32;
    }
    c
}

/// `l /= 10`; the remainder.
fn div10(l: &mut Limbs) -> u8 {
    let mut r = 0u64;
    for x in l.iter_mut().rev() {
        let t = r << 32 | *x as u64;
        *x = (t / 10) as u32;
        r = t % 10;
    }
    r as u8
}

/// `l <<= s` bits (callers keep the result in range).
fn shl(l: &mut Limbs, s: usize) {
    let (w, b) = (s / 32, s % 32);
    for i in (0..N).rev() {
        let at = |j: usize| if j < N && i >= j { l[i - j] } else { 0 };
        l[i] = if b == 0 { at(w) } else { at(w) << b | at(w + 1) >> (32 - b) };
    }
}

fn cmp(a: &Limbs, b: &Limbs) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

fn is_zero(l: &Limbs) -> bool {
    l.iter().all(|&x| x == 0)
}

/// The mantissa and power of two of a non-negative float's bit pattern.
fn parts(bits: u32) -> (u32, i32) {
    let (exp, frac) = ((bits >> 23) as i32, bits & 0x7f_ffff);
    if exp == 0 {
        (frac, -149)
    } else {
        (frac | 1 << 23, exp - 150)
    }
}

/// `|f|` as its integer part and its fraction, the fraction scaled by
/// `2^(32N)` so that multiplying it by 10 carries out the next digit.
fn split(f: Float) -> (Limbs, Limbs) {
    let (m, e) = parts(f.abs().to_bits());
    let (mut int, mut frac) = ([0; N], [0; N]);
    if e >= 0 {
        int[0] = m;
        shl(&mut int, e as usize);
    } else {
        let s = (-e) as usize;
        int[0] = if s < 32 { m >> s } else { 0 };
        frac[0] = if s < 32 { m & ((1 << s) - 1) } else { m };
        shl(&mut frac, 32 * N - s);
    }
    (int, frac)
}

/// The decimal digits (values 0..=9) of an integer; none for 0.
fn int_digits(mut int: Limbs) -> Option<Vec<u8>> {
    let mut d = Vec::new();
    while !is_zero(&int) {
        d.try_reserve(1).ok()?;
        d.push(div10(&mut int));
    }
    d.reverse();
    Some(d)
}

fn push_frac_digit(d: &mut Vec<u8>, frac: &mut Limbs) -> Option<()> {
    d.try_reserve(1).ok()?;
    d.push(mul_small(frac, 10, 0) as u8);
    Some(())
}

/// Rounds the digits half to even given the digit after them and whether
/// anything nonzero follows that; true if they carried out of the top
/// (all nines: they are now all zeros).
fn round(d: &mut [u8], next: u8, sticky: bool) -> bool {
    let odd = d.last().is_some_and(|&x| x & 1 == 1);
    if next < 5 || next == 5 && !sticky && !odd {
        return false;
    }
    for x in d.iter_mut().rev() {
        if *x < 9 {
            *x += 1;
            return false;
        }
        *x = 0;
    }
    true
}

fn to_ascii(mut d: Vec<u8>) -> Vec<u8> {
    for x in d.iter_mut() {
        *x += b'0';
    }
    d
}

/// `|f|` (finite, nonzero) correctly rounded to `n` significant digits:
/// the digits and the decimal exponent of the first one.
pub fn sig_digits(f: Float, n: usize) -> Option<(Vec<u8>, i32)> {
    let (int, mut frac) = split(f);
    let mut d = int_digits(int)?;
    let mut e = d.len() as i32 - 1;
    while d.is_empty() {
        push_frac_digit(&mut d, &mut frac)?;
        if d[0] == 0 {
            d.clear();
            e -= 1;
        }
    }
    while d.len() <= n {
        push_frac_digit(&mut d, &mut frac)?;
    }
    let sticky = !is_zero(&frac) || d[n + 1..].iter().any(|&x| x != 0);
    let next = d[n];
    d.truncate(n);
    if round(&mut d, next, sticky) {
        d[0] = 1;
        e += 1;
    }
    Some((to_ascii(d), e))
}

/// `|f|` rounded to `prec` digits after the point, as plain digits with
/// the point implied `prec` places from the right (at least `prec + 1`).
pub fn fixed_digits(f: Float, prec: usize) -> Option<Vec<u8>> {
    let (int, mut frac) = split(f);
    let mut d = int_digits(int)?;
    for _ in 0..=prec {
        push_frac_digit(&mut d, &mut frac)?;
    }
    let next = d.pop().unwrap_or(0);
    if round(&mut d, next, !is_zero(&frac)) {
        d.insert(0, 1);
    }
    while d.len() < prec + 1 {
        d.try_reserve(1).ok()?;
        d.insert(0, 0);
    }
    Some(to_ascii(d))
}

/// The float nearest `digits * 10^exp10` (ASCII digits, the first nonzero;
/// the caller has sent values far out of range to infinity or zero),
/// ties to even.
pub fn decimal_value(digits: &[u8], mut exp10: i64) -> Option<Float> {
    // No float's halfway point, (2m + 1) * 2^(e - 1), has more than 114
    // significant digits: past 120, only whether any is nonzero can matter.
    const KEEP: usize = 120;
    let (mut a, mut p) = ([0; N], [0; N]);
    let mut sticky = false;
    for (i, &c) in digits.iter().enumerate() {
        if i < KEEP {
            mul_small(&mut a, 10, (c - b'0') as u32);
        } else {
            exp10 += 1;
            sticky |= c != b'0';
        }
    }
    if sticky {
        mul_small(&mut a, 10, 1);
        exp10 -= 1;
    }
    // The value is a / p.
    p[0] = 1;
    for _ in 0..exp10.unsigned_abs() {
        mul_small(if exp10 > 0 { &mut a } else { &mut p }, 10, 0);
    }
    // How m * 2^e compares with a / p.
    let versus = |m: u32, e: i32| {
        let (mut l, mut r) = (p, a);
        mul_small(&mut l, m, 0);
        if e >= 0 {
            shl(&mut l, e as usize);
        } else {
            shl(&mut r, (-e) as usize);
        }
        cmp(&l, &r)
    };
    // Positive floats are ordered as their bit patterns: find the last at
    // or below the value, then round against the halfway point above it.
    let (mut lo, mut hi) = (0u32, 0x7f80_0000u32);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let (m, e) = parts(mid);
        if versus(m, e) == Ordering::Greater {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let (m, e) = parts(lo);
    let up = match versus(2 * m + 1, e - 1) {
        Ordering::Less => true,
        Ordering::Equal => lo & 1 == 1,
        Ordering::Greater => false,
    };
    Some(Float::from_bits(lo + up as u32))
}
