//! The precision of `float`, and the libm functions at that precision.
//!
//! A float is an f64 (MicroPython's `MICROPY_FLOAT_IMPL_DOUBLE`) or, with
//! the `float-single` feature, an f32 (`_FLOAT`, what MicroPython's
//! microcontroller ports use): half the heap per float, hardware arithmetic
//! on a single-precision FPU, and no soft-double code in flash. Every float
//! path names `Float` and calls libm through here, so one switch picks the
//! precision everywhere.

#[cfg(not(feature = "float-single"))]
mod imp {
    pub type Float = f64;
    pub use core::f64::consts;
    pub use libm::{
        acos, acosh, asin, asinh, atan, atan2, atanh, ceil, copysign, cos, cosh, erf, erfc, exp, expm1, fabs, floor, fmod, frexp, hypot,
        ldexp, lgamma, log, log10, log2, modf, pow, rint, scalbn, sin, sinh, sqrt, tan, tanh, tgamma, trunc,
    };
    /// Stored fraction bits, and the exponent bias.
    pub const MANT_BITS: u32 = 52;
    pub const BIAS: i32 = 1023;
    /// Significant digits that always read back as the same float.
    pub const ROUND_TRIP_DIGITS: usize = 17;
    /// Decimal magnitudes beyond which a literal is infinite or zero.
    pub const DEC_MAX: i64 = 310;
    pub const DEC_MIN: i64 = -330;
    #[inline]
    pub fn to_bits(f: Float) -> u64 {
        f.to_bits()
    }
}

#[cfg(feature = "float-single")]
mod imp {
    pub type Float = f32;
    pub use core::f32::consts;
    pub use libm::{
        acosf as acos, acoshf as acosh, asinf as asin, asinhf as asinh, atan2f as atan2, atanf as atan, atanhf as atanh, ceilf as ceil,
        copysignf as copysign, cosf as cos, coshf as cosh, erfcf as erfc, erff as erf, expf as exp, expm1f as expm1, fabsf as fabs,
        floorf as floor, fmodf as fmod, frexpf as frexp, hypotf as hypot, ldexpf as ldexp, lgammaf as lgamma, log10f as log10,
        log2f as log2, logf as log, modff as modf, powf as pow, rintf as rint, scalbnf as scalbn, sinf as sin, sinhf as sinh,
        sqrtf as sqrt, tanf as tan, tanhf as tanh, tgammaf as tgamma, truncf as trunc,
    };
    pub const MANT_BITS: u32 = 23;
    pub const BIAS: i32 = 127;
    pub const ROUND_TRIP_DIGITS: usize = 9;
    pub const DEC_MAX: i64 = 40;
    pub const DEC_MIN: i64 = -50;
    #[inline]
    pub fn to_bits(f: Float) -> u64 {
        f.to_bits() as u64
    }
}

pub use imp::*;

/// Bytes in a stored float.
pub const SIZE: usize = core::mem::size_of::<Float>();

/// A float from its stored little-endian bytes (at least [`SIZE`]; fewer
/// read as 0.0). One load where the object has them, as the float paths
/// are hot.
#[inline]
pub fn from_le(b: &[u8]) -> Float {
    match b.get(..SIZE) {
        Some(s) => Float::from_le_bytes(s.try_into().unwrap_or([0; SIZE])),
        None => 0.0,
    }
}
