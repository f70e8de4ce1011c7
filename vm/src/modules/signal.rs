//! `machine.Signal`: a Pin seen as active or inactive, inverted for
//! active-low wiring (a LED to the supply, a button to ground). Instance
//! layout: `[type, pin, invert]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::device;
use crate::objects::{Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;

const PIN: usize = 1;
const INVERT: usize = 2;

pub static SIGNAL_ATTRS: crate::modules::Table = &[e!(q::value, f::SIGNAL_VALUE), e!(q::on, f::SIGNAL_ON), e!(q::off, f::SIGNAL_OFF)];

/// `Signal(pin, invert=False)`, or `Signal(pin arguments..., invert=False)`
/// to make the Pin too.
pub fn signal_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let invert = match args.kwarg(q::invert) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    // Pin() reads only the keywords it knows, so `invert` passes by.
    let pin = match args.pos {
        [p] if vm.type_of(*p) == TypeId::Pin => *p,
        _ => crate::modules::machine::pin_new(vm, args)?,
    };
    let r = vm.with_root(pin, |vm| Ok(vm.heap.alloc_values(Kind::Native, 3)?))?;
    vm.heap.set_slot(r, 0, TypeId::Signal.value());
    vm.heap.set_slot(r, PIN, pin);
    vm.heap.set_slot(r, INVERT, Value::from_bool(invert));
    Ok(Value::obj(r))
}

/// The Signal's Pin and whether it is inverted.
fn parts(vm: &mut Vm, args: &Args) -> PyResult<(Value, bool)> {
    let r: ObjRef = device::this(vm, args, TypeId::Signal)?;
    Ok((vm.heap.slot(r, PIN), vm.heap.slot(r, INVERT) == Value::TRUE))
}

/// Drives the Pin to `active` (through the inversion).
fn drive(vm: &mut Vm, pin: Value, invert: bool, active: bool) -> PyResult<()> {
    let level = Value::from_bool(active != invert);
    crate::modules::machine::pin_value(vm, Args { pos: &[pin, level], kw: &[] })?;
    Ok(())
}

/// `value()`: 1 when active; `value(x)` makes it active or not.
pub fn value(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (pin, invert) = parts(vm, &args)?;
    if let Some(&v) = args.pos.get(1) {
        let active = vm.truthy(v)?;
        drive(vm, pin, invert, active)?;
        return Ok(Value::NONE);
    }
    let level = crate::modules::machine::pin_value(vm, Args { pos: &[pin], kw: &[] })?;
    Ok(Value::small_int(((level == Value::small_int(1)) != invert) as isize))
}

pub fn on(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (pin, invert) = parts(vm, &args)?;
    drive(vm, pin, invert, true)?;
    Ok(Value::NONE)
}

pub fn off(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (pin, invert) = parts(vm, &args)?;
    drive(vm, pin, invert, false)?;
    Ok(Value::NONE)
}
