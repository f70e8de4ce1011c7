//! `math`: MicroPython's math module over `libm`, so every target computes
//! the same results. Errors follow MicroPython: a NaN or infinity produced
//! from ordinary inputs is `ValueError: math domain error`.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use core::f64::consts::{E, PI, TAU};

/// The float value of a number argument.
#[inline(never)]
pub(crate) fn float_arg(vm: &mut Vm, v: Value) -> PyResult<f64> {
    match vm.to_float(v)? {
        Some(x) => Ok(x),
        None => {
            let (buf, n) = vm.qstr_copy(vm.type_of(v).name())?;
            Err(vm.raise_parts(TypeId::TypeError, &[b"can't convert ", &buf[..n], b" to float"]))
        }
    }
}

fn domain_error(vm: &mut Vm) -> crate::error::PyErr {
    vm.raise(TypeId::ValueError, "math domain error")
}

/// `ans` as a float, unless it is NaN or infinite where no input was.
fn checked(vm: &mut Vm, ans: f64, inputs: &[f64]) -> PyResult<Value> {
    if (ans.is_nan() && !inputs.iter().any(|x| x.is_nan())) || (ans.is_infinite() && !inputs.iter().any(|x| x.is_infinite())) {
        return Err(domain_error(vm));
    }
    vm.new_float(ans)
}

/// The shared bodies: kept out of line so each Python-visible function is a
/// few bytes of flash rather than a copy of the argument handling.
#[inline(never)]
fn unary(vm: &mut Vm, args: Args, f: fn(f64) -> f64) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let x = float_arg(vm, args.pos[0])?;
    checked(vm, f(x), &[x])
}

#[inline(never)]
fn binary(vm: &mut Vm, args: Args, f: fn(f64, f64) -> f64) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let (x, y) = (float_arg(vm, args.pos[0])?, float_arg(vm, args.pos[1])?);
    checked(vm, f(x, y), &[x, y])
}

macro_rules! unary {
    ($($name:ident => $f:expr,)*) => {$(
        pub fn $name(vm: &mut Vm, args: Args) -> PyResult<Value> {
            unary(vm, args, $f)
        }
    )*};
}

macro_rules! binary {
    ($($name:ident => $f:expr,)*) => {$(
        pub fn $name(vm: &mut Vm, args: Args) -> PyResult<Value> {
            binary(vm, args, $f)
        }
    )*};
}

fn gamma_of(x: f64) -> f64 {
    // tgamma(-inf) is NaN, which the rule above would let through.
    if x == f64::NEG_INFINITY {
        f64::NAN
    } else {
        libm::tgamma(x)
    }
}

fn pow_of(x: f64, y: f64) -> f64 {
    if x == 1.0 || y == 0.0 {
        1.0
    } else {
        libm::pow(x, y)
    }
}

unary! {
    sqrt => libm::sqrt,
    exp => libm::exp,
    expm1 => libm::expm1,
    log2 => libm::log2,
    log10 => libm::log10,
    cosh => libm::cosh,
    sinh => libm::sinh,
    tanh => libm::tanh,
    acosh => libm::acosh,
    asinh => libm::asinh,
    atanh => libm::atanh,
    cos => libm::cos,
    sin => libm::sin,
    tan => libm::tan,
    acos => libm::acos,
    asin => libm::asin,
    atan => libm::atan,
    fabs => libm::fabs,
    erf => libm::erf,
    erfc => libm::erfc,
    gamma => gamma_of,
    lgamma => libm::lgamma,
    radians => |x: f64| x * (PI / 180.0),
    degrees => |x: f64| x * (180.0 / PI),
}

binary! {
    pow => pow_of,
    atan2 => libm::atan2,
    copysign => libm::copysign,
    fmod => |x: f64, y: f64| if !x.is_infinite() && y.is_infinite() { x } else { libm::fmod(x, y) },
}

#[inline(never)]
fn to_int(vm: &mut Vm, args: Args, f: fn(f64) -> f64) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    if vm.is_int(args.pos[0]) {
        return vm.binary_op(BinOp::Add, args.pos[0], Value::small_int(0));
    }
    let x = float_arg(vm, args.pos[0])?;
    vm.int_from_float(f(x))
}

pub fn ceil(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, libm::ceil)
}

pub fn floor(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, libm::floor)
}

pub fn trunc(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, libm::trunc)
}

#[inline(never)]
fn test(vm: &mut Vm, args: Args, f: fn(f64) -> bool) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let x = float_arg(vm, args.pos[0])?;
    Ok(Value::from_bool(f(x)))
}

pub fn isfinite(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, f64::is_finite)
}

pub fn isinf(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, f64::is_infinite)
}

pub fn isnan(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, f64::is_nan)
}

pub fn ldexp(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let e = vm.machine_int(args.pos[1])?;
    vm.new_float(libm::ldexp(x, e.clamp(i32::MIN as i64, i32::MAX as i64) as i32))
}

pub fn log(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    if x <= 0.0 {
        return Err(domain_error(vm));
    }
    let l = libm::log(x);
    let Some(&b) = args.pos.get(1) else { return vm.new_float(l) };
    let base = float_arg(vm, b)?;
    if base <= 0.0 {
        return Err(domain_error(vm));
    }
    if base == 1.0 {
        return Err(vm.raise(TypeId::ZeroDivisionError, "divide by zero"));
    }
    vm.new_float(l / libm::log(base))
}

pub fn frexp(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let (m, e) = libm::frexp(x);
    let m = vm.new_float(m)?;
    vm.with_root(m, |vm| vm.new_tuple(&[m, Value::small_int(e as isize)]))
}

pub fn modf(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let (frac, int) = libm::modf(x);
    let frac = if frac == 0.0 { libm::copysign(0.0, x) } else { frac };
    let a = vm.new_float(frac)?;
    vm.with_root(a, |vm| {
        let b = vm.new_float(int)?;
        vm.with_root(b, |vm| vm.new_tuple(&[a, b]))
    })
}

pub fn factorial(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = vm.machine_int(args.pos[0])?;
    if n < 0 {
        return Err(vm.raise(TypeId::ValueError, "negative factorial"));
    }
    let mut prod = Value::small_int(1);
    for i in 2..=n {
        vm.check_interrupt()?;
        prod = vm.with_root(prod, |vm| vm.binary_op(BinOp::Mul, prod, Value::small_int(i as isize)))?;
    }
    Ok(prod)
}

pub fn isclose(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (a, b) = (float_arg(vm, args.pos[0])?, float_arg(vm, args.pos[1])?);
    let rel_tol = match args.kwarg(q::rel_tol) {
        Some(v) => float_arg(vm, v)?,
        None => 1e-9,
    };
    let abs_tol = match args.kwarg(q::abs_tol) {
        Some(v) => float_arg(vm, v)?,
        None => 0.0,
    };
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(domain_error(vm));
    }
    if a == b {
        return Ok(Value::TRUE);
    }
    let diff = (a - b).abs();
    Ok(Value::from_bool(!diff.is_infinite() && (diff <= abs_tol || diff <= (rel_tol * a).abs() || diff <= (rel_tol * b).abs())))
}

/// The float constants: made on access, as floats live in the heap.
pub const CONSTANTS: &[Qstr] = &[q::e, q::pi, q::tau, q::inf, q::nan];

pub(crate) fn constant(vm: &mut Vm, name: Qstr) -> PyResult<Option<Value>> {
    let x = match name {
        n if n == q::e => E,
        n if n == q::pi => PI,
        n if n == q::tau => TAU,
        n if n == q::inf => f64::INFINITY,
        n if n == q::nan => f64::NAN,
        _ => return Ok(None),
    };
    vm.new_float(x).map(Some)
}
