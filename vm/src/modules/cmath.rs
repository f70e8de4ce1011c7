//! `cmath`: MicroPython's complex functions (`cos exp log log10 phase polar
//! rect sin sqrt`, `e`, `pi`) over `libm`.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

fn complex_arg(vm: &mut Vm, args: &Args) -> PyResult<(Float, Float)> {
    arity(vm, args, 1, 1)?;
    let v = args.pos[0];
    if let Some(z) = vm.as_complex_number(v) {
        return Ok(z);
    }
    // A user class converts with __complex__, else __float__.
    if let Some(c) = vm.call_dunder(v, q::__complex__, &[])? {
        if let Some(z) = vm.as_complex(c) {
            return Ok(z);
        }
        return Err(vm.raise(TypeId::TypeError, "__complex__ returned non-complex"));
    }
    match vm.to_float(v)? {
        Some(x) => Ok((x, 0.0)),
        None => Err(vm.raise(TypeId::TypeError, "can't convert to complex")),
    }
}

#[inline(never)]
fn unary(vm: &mut Vm, args: Args, f: fn(Float, Float) -> (Float, Float)) -> PyResult<Value> {
    let (re, im) = complex_arg(vm, &args)?;
    let (r, i) = f(re, im);
    vm.new_complex(r, i)
}

fn exp_of(re: Float, im: Float) -> (Float, Float) {
    let m = fm::exp(re);
    (m * fm::cos(im), m * fm::sin(im))
}

fn log_of(re: Float, im: Float) -> (Float, Float) {
    (fm::log(fm::hypot(re, im)), fm::atan2(im, re))
}

fn log10_of(re: Float, im: Float) -> (Float, Float) {
    let (r, i) = log_of(re, im);
    (r / fm::consts::LN_10, i / fm::consts::LN_10)
}

/// The principal square root, without cancellation for either sign of re.
fn sqrt_of(re: Float, im: Float) -> (Float, Float) {
    let r = fm::hypot(re, im);
    if r == 0.0 {
        return (0.0, im);
    }
    let t = fm::sqrt((fm::fabs(re) + r) / 2.0);
    if re >= 0.0 {
        (t, im / (2.0 * t))
    } else {
        (fm::fabs(im) / (2.0 * t), fm::copysign(t, im))
    }
}

fn cos_of(re: Float, im: Float) -> (Float, Float) {
    (fm::cos(re) * fm::cosh(im), -fm::sin(re) * fm::sinh(im))
}

fn sin_of(re: Float, im: Float) -> (Float, Float) {
    (fm::sin(re) * fm::cosh(im), fm::cos(re) * fm::sinh(im))
}

pub fn exp(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, exp_of)
}

pub fn log(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, log_of)
}

pub fn log10(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, log10_of)
}

pub fn sqrt(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, sqrt_of)
}

pub fn cos(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, cos_of)
}

pub fn sin(vm: &mut Vm, args: Args) -> PyResult<Value> {
    unary(vm, args, sin_of)
}

pub fn phase(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (re, im) = complex_arg(vm, &args)?;
    vm.new_float(fm::atan2(im, re))
}

pub fn polar(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (re, im) = complex_arg(vm, &args)?;
    let r = vm.new_float(fm::hypot(re, im))?;
    vm.with_root(r, |vm| {
        let p = vm.new_float(fm::atan2(im, re))?;
        vm.with_root(p, |vm| vm.new_tuple(&[r, p]))
    })
}

pub fn rect(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = crate::modules::math::float_arg(vm, args.pos[0])?;
    let phi = crate::modules::math::float_arg(vm, args.pos[1])?;
    vm.new_complex(r * fm::cos(phi), r * fm::sin(phi))
}

pub const CONSTANTS: &[Qstr] = &[q::e, q::pi];

pub(crate) fn constant(vm: &mut Vm, name: Qstr) -> PyResult<Option<Value>> {
    let x = match name {
        n if n == q::e => fm::consts::E,
        n if n == q::pi => fm::consts::PI,
        _ => return Ok(None),
    };
    vm.new_float(x).map(Some)
}
