//! Exact decimal conversions of double-precision floats, on big ints: core's
//! formatting and parsing cost 8 KB and 10 KB of flash, and the big ints
//! are there anyway for ints of any size.

use crate::objects::bignum::Big;
use crate::objects::fmath::{self as fm, Float};
use alloc::vec::Vec;

/// A stored exponent minus this is the power of two of the lowest mantissa
/// bit (1075 for f64: the smallest subnormal is 2^-1074).
const SUBNORMAL_SHIFT: i32 = fm::BIAS + fm::MANT_BITS as i32;

/// The exact value of finite `f > 0` as `num / den`.
fn exact_ratio(f: Float) -> Option<(Big, Big)> {
    let bits = fm::to_bits(f);
    let exp = (bits >> fm::MANT_BITS) as i32 & (2 * fm::BIAS + 1);
    let frac = bits & ((1 << fm::MANT_BITS) - 1);
    let (m, e) = if exp == 0 { (frac, 1 - SUBNORMAL_SHIFT) } else { (frac | (1 << fm::MANT_BITS), exp - SUBNORMAL_SHIFT) };
    let m = Big::from_u64(m).ok()?;
    let one = Big::from_i64(1).ok()?;
    if e >= 0 {
        Some((m.shl(e as usize).ok()?, one))
    } else {
        Some((m, one.shl((-e) as usize).ok()?))
    }
}

/// `num * 10^k / den` rounded half to even.
fn scaled_round(num: &Big, den: &Big, k: i32) -> Option<Big> {
    let p = Big::from_i64(10).ok()?.pow(k.unsigned_abs() as u64).ok()?;
    let (n, d) = if k >= 0 { (num.mul(&p).ok()?, den.clone()) } else { (num.clone(), den.mul(&p).ok()?) };
    let (q, r) = n.divmod(&d).ok()?;
    let up = match r.shl(1).ok()?.cmp(&d) {
        core::cmp::Ordering::Greater => true,
        core::cmp::Ordering::Equal => q.mag.first().is_some_and(|&l| l & 1 == 1),
        core::cmp::Ordering::Less => false,
    };
    if up {
        q.add(&Big::from_i64(1).ok()?).ok()
    } else {
        Some(q)
    }
}

/// `|f|` (finite, nonzero) correctly rounded to `n` significant digits:
/// the digits and the decimal exponent of the first one. Exact big-int
/// arithmetic replaces core's float formatting, which costs 8 KB of flash.
pub fn sig_digits(f: Float, n: usize) -> Option<(Vec<u8>, i32)> {
    let (num, den) = exact_ratio(f.abs())?;
    let mut e = fm::floor(fm::log10(f.abs())) as i32;
    // The estimate can be one off; the digit count shows which way.
    for _ in 0..3 {
        let d = scaled_round(&num, &den, n as i32 - 1 - e)?.to_radix(10, false).ok()?;
        match d.len().cmp(&n) {
            core::cmp::Ordering::Greater => e += 1,
            core::cmp::Ordering::Less => e -= 1,
            core::cmp::Ordering::Equal => return Some((d, e)),
        }
    }
    None
}

/// `|f|` rounded to `prec` digits after the point, as plain digits with
/// the point implied `prec` places from the right (at least `prec + 1`).
pub fn fixed_digits(f: Float, prec: usize) -> Option<Vec<u8>> {
    let mut d = if f == 0.0 {
        Vec::new()
    } else {
        let (num, den) = exact_ratio(f.abs())?;
        let d = scaled_round(&num, &den, prec as i32)?;
        if d.is_zero() {
            Vec::new()
        } else {
            d.to_radix(10, false).ok()?
        }
    };
    while d.len() < prec + 1 {
        d.insert(0, b'0');
    }
    Some(d)
}

/// The float nearest `digits * 10^exp10` (ASCII digits, the first nonzero;
/// the caller has sent values far out of range to infinity or zero),
/// ties to even.
pub fn decimal_value(digits: &[u8], exp10: i64) -> Option<Float> {
    let m = Big::parse(digits, 10).ok()??;
    let ten = Big::from_i64(10).ok()?;
    if exp10 >= 0 {
        return Some(m.mul(&ten.pow(exp10 as u64).ok()?).ok()?.to_float().unwrap_or(Float::INFINITY));
    }
    // m / 10^k: scale so the quotient has more than 64 bits, and fold the
    // remainder into its lowest bit so rounding sees it.
    let d = ten.pow((-exp10) as u64).ok()?;
    let shift = (d.bit_length() + 66).saturating_sub(m.bit_length());
    let (mut q, r) = m.shl(shift).ok()?.divmod(&d).ok()?;
    if !r.is_zero() {
        q = q.bitop(&Big::from_i64(1).ok()?, b'|').ok()?;
    }
    // A subnormal result keeps fewer bits: round q so its last bit is
    // worth the smallest subnormal here, once, rather than to full
    // precision and again later.
    let (least, top) = ((SUBNORMAL_SHIFT - 1) as usize, q.bit_length() as i64 - shift as i64);
    if top <= 1 - fm::BIAS as i64 && shift > least {
        let drop = shift - least;
        let bit = |q: &Big, i: usize| q.mag.get(i / 32).is_some_and(|&l| l >> (i % 32) & 1 == 1);
        let half = bit(&q, drop - 1);
        let lower = (0..drop - 1).any(|i| bit(&q, i));
        let mut kept = q.shr(drop).ok()?;
        if half && (lower || bit(&kept, 0)) {
            kept = kept.add(&Big::from_i64(1).ok()?).ok()?;
        }
        return Some(fm::scalbn(kept.to_float()?, -(least as i32)));
    }
    Some(fm::scalbn(q.to_float()?, -(shift as i32)))
}
