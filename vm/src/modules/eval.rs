//! `eval`, `exec`, `compile`, `globals` and `locals`: running source made
//! at run time in namespaces the caller picks.

use crate::compile::Mode;
use crate::error::{PyResult, TryToVec};
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// The namespaces of the calling frame: its globals, and its NAME
/// namespace (module or class body); a function's locals are stack slots
/// that no dict holds, so there it is the globals, as in MicroPython.
fn caller_namespaces(vm: &Vm) -> (Value, Value) {
    match vm.frames.last() {
        Some(f) if !f.locals.is_null() => (f.globals, f.locals),
        Some(f) => (f.globals, f.globals),
        None => (vm.globals, vm.globals),
    }
}

/// A code object from source text (str or bytes) or an existing one.
fn code_of(vm: &mut Vm, src: Value, mode: Mode) -> PyResult<Value> {
    if vm.kind_of(src) == Some(Kind::Code) {
        return Ok(src);
    }
    let Some(text) = vm.str_bytes(src).or_else(|| vm.bytes_payload(src)) else {
        return Err(vm.raise(TypeId::TypeError, "expected str, bytes or code object"));
    };
    let text = text.try_to_vec()?;
    vm.compile(&text, "<string>", mode)
}

fn run_with(vm: &mut Vm, args: &Args, mode: Mode) -> PyResult<Value> {
    let (mut globals, mut locals) = caller_namespaces(vm);
    if let Some(&g) = args.pos.get(1).filter(|v| !v.is_none()) {
        if vm.kind_of(g) != Some(Kind::Dict) {
            return Err(vm.raise(TypeId::TypeError, "globals must be a dict"));
        }
        globals = g;
        locals = g;
    }
    if let Some(&l) = args.pos.get(2).filter(|v| !v.is_none()) {
        if vm.kind_of(l) != Some(Kind::Dict) {
            return Err(vm.raise(TypeId::TypeError, "locals must be a dict"));
        }
        locals = l;
    }
    let code = code_of(vm, args.pos[0], mode)?;
    vm.run_code(code, globals, locals)
}

pub fn eval(vm: &mut Vm, args: Args) -> PyResult<Value> {
    run_with(vm, &args, Mode::Eval)
}

pub fn exec(vm: &mut Vm, args: Args) -> PyResult<Value> {
    run_with(vm, &args, Mode::File)?;
    Ok(Value::NONE)
}

/// `compile(source, filename, mode)`.
pub fn compile(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let mode = match vm.str_bytes(args.pos[2]) {
        Some(b"exec") => Mode::File,
        Some(b"eval") => Mode::Eval,
        Some(b"single") => Mode::Single,
        _ => return Err(vm.raise(TypeId::ValueError, "bad compile mode")),
    };
    let Some(text) = vm.str_bytes(args.pos[0]).or_else(|| vm.bytes_payload(args.pos[0])) else {
        return Err(vm.raise(TypeId::TypeError, "expected str or bytes"));
    };
    let text = text.try_to_vec()?;
    let file = vm.str_bytes(args.pos[1]).unwrap_or(&[]).try_to_vec()?;
    vm.compile_named(&text, &file, mode)
}

pub fn globals(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(caller_namespaces(vm).0)
}

pub fn locals(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    Ok(caller_namespaces(vm).1)
}
