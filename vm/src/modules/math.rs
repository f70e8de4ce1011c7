//! `math`: MicroPython's math module over `libm`, so every target computes
//! the same results. Errors follow MicroPython: a NaN or infinity produced
//! from ordinary inputs is `ValueError: math domain error`.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use fm::consts::{E, PI, TAU};

/// The float value of a number argument.
#[inline(never)]
pub(crate) fn float_arg(vm: &mut Vm, v: Value) -> PyResult<Float> {
    match vm.to_float(v)? {
        Some(x) => Ok(x),
        None => Err(vm.raise_type_name(TypeId::TypeError, b"can't convert ", v, b" to float")),
    }
}

fn domain_error(vm: &mut Vm) -> crate::error::PyErr {
    vm.raise(TypeId::ValueError, "math domain error")
}

/// `ans` as a float, unless it is NaN or infinite where no input was.
fn checked(vm: &mut Vm, ans: Float, inputs: &[Float]) -> PyResult<Value> {
    if (ans.is_nan() && !inputs.iter().any(|x| x.is_nan())) || (ans.is_infinite() && !inputs.iter().any(|x| x.is_infinite())) {
        return Err(domain_error(vm));
    }
    vm.new_float(ans)
}

/// The shared bodies: kept out of line so each Python-visible function is a
/// few bytes of flash rather than a copy of the argument handling.
#[inline(never)]
fn unary(vm: &mut Vm, args: Args, f: fn(Float) -> Float) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let x = float_arg(vm, args.pos[0])?;
    checked(vm, f(x), &[x])
}

#[inline(never)]
fn binary(vm: &mut Vm, args: Args, f: fn(Float, Float) -> Float) -> PyResult<Value> {
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

fn gamma_of(x: Float) -> Float {
    // tgamma(-inf) is NaN, which the rule above would let through.
    if x == Float::NEG_INFINITY {
        Float::NAN
    } else {
        fm::tgamma(x)
    }
}

fn pow_of(x: Float, y: Float) -> Float {
    if x == 1.0 || y == 0.0 {
        1.0
    } else {
        fm::pow(x, y)
    }
}

unary! {
    sqrt => fm::sqrt,
    exp => fm::exp,
    expm1 => fm::expm1,
    log2 => fm::log2,
    log10 => fm::log10,
    cosh => fm::cosh,
    sinh => fm::sinh,
    tanh => fm::tanh,
    acosh => fm::acosh,
    asinh => fm::asinh,
    atanh => fm::atanh,
    cos => fm::cos,
    sin => fm::sin,
    tan => fm::tan,
    acos => fm::acos,
    asin => fm::asin,
    atan => fm::atan,
    fabs => fm::fabs,
    erf => fm::erf,
    erfc => fm::erfc,
    gamma => gamma_of,
    lgamma => fm::lgamma,
    radians => |x: Float| x * (PI / 180.0),
    degrees => |x: Float| x * (180.0 / PI),
}

binary! {
    pow => pow_of,
    atan2 => fm::atan2,
    copysign => fm::copysign,
    fmod => |x: Float, y: Float| if !x.is_infinite() && y.is_infinite() { x } else { fm::fmod(x, y) },
}

#[inline(never)]
fn to_int(vm: &mut Vm, args: Args, f: fn(Float) -> Float) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    if vm.is_int(args.pos[0]) {
        return vm.binary_op(BinOp::Add, args.pos[0], Value::small_int(0));
    }
    let x = float_arg(vm, args.pos[0])?;
    vm.int_from_float(f(x))
}

pub fn ceil(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, fm::ceil)
}

pub fn floor(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, fm::floor)
}

pub fn trunc(vm: &mut Vm, args: Args) -> PyResult<Value> {
    to_int(vm, args, fm::trunc)
}

#[inline(never)]
fn test(vm: &mut Vm, args: Args, f: fn(Float) -> bool) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let x = float_arg(vm, args.pos[0])?;
    Ok(Value::from_bool(f(x)))
}

pub fn isfinite(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, Float::is_finite)
}

pub fn isinf(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, Float::is_infinite)
}

pub fn isnan(vm: &mut Vm, args: Args) -> PyResult<Value> {
    test(vm, args, Float::is_nan)
}

pub fn ldexp(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let e = vm.machine_int(args.pos[1])?;
    vm.new_float(fm::ldexp(x, e.clamp(i32::MIN as i64, i32::MAX as i64) as i32))
}

pub fn log(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    if x <= 0.0 {
        return Err(domain_error(vm));
    }
    let l = fm::log(x);
    let Some(&b) = args.pos.get(1) else { return vm.new_float(l) };
    let base = float_arg(vm, b)?;
    if base <= 0.0 {
        return Err(domain_error(vm));
    }
    if base == 1.0 {
        return Err(vm.raise(TypeId::ZeroDivisionError, "divide by zero"));
    }
    vm.new_float(l / fm::log(base))
}

pub fn frexp(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let (m, e) = fm::frexp(x);
    let m = vm.new_float(m)?;
    vm.with_root(m, |vm| vm.new_tuple(&[m, Value::small_int(e as isize)]))
}

pub fn modf(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let x = float_arg(vm, args.pos[0])?;
    let (frac, int) = fm::modf(x);
    let frac = if frac == 0.0 { fm::copysign(0.0, x) } else { frac };
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
        n if n == q::inf => Float::INFINITY,
        n if n == q::nan => Float::NAN,
        _ => return Ok(None),
    };
    vm.new_float(x).map(Some)
}
