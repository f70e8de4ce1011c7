//! `sys`: the interpreter's own facts. `argv`, `path` and `modules` are
//! heap objects the VM keeps (the port fills `argv`); the rest is ROM.

use crate::error::{PyErr, PyResult};
use crate::modules::builtins::arity;
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// The Python language version Pyrite follows, as MicroPython reports it.
const LANGUAGE_VERSION: (isize, isize, isize) = (3, 4, 0);

pub fn exit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 1)?;
    let e = vm.new_exception(TypeId::SystemExit, args.pos)?;
    Err(PyErr::Exc(e))
}

pub fn print_exception(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 2)?;
    if !vm.is_exception(args.pos[0]) {
        return Err(vm.raise(TypeId::TypeError, "expected an exception"));
    }
    vm.print_exception(args.pos[0]);
    Ok(Value::NONE)
}

/// The attributes of `sys` that are not constants.
pub(crate) fn dynamic_attr(vm: &mut Vm, name: Qstr) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        n if n == q::argv => vm.sys_argv,
        n if n == q::path => vm.sys_path,
        n if n == q::stdin => crate::modules::io::console_stream(vm, 0)?,
        n if n == q::stdout => crate::modules::io::console_stream(vm, 1)?,
        n if n == q::stderr => crate::modules::io::console_stream(vm, 2)?,
        // The machine word's limit, as MicroPython: a big int where small ints are narrower.
        n if n == q::maxsize => vm.int_value(isize::MAX as i64)?,
        n if n == q::modules => vm.sys_modules,
        n if n == q::platform => {
            let p = vm.port.platform();
            Value::qstr(vm.intern(p.as_bytes())?)
        }
        n if n == q::version => {
            let mut text = alloc::vec::Vec::new();
            crate::vm::put(&mut text, b"3.4.0; Pyrite ")?;
            crate::vm::put(&mut text, env!("CARGO_PKG_VERSION").as_bytes())?;
            vm.new_str(&text)?
        }
        n if n == q::version_info => {
            let (a, b, c) = LANGUAGE_VERSION;
            vm.new_tuple(&[Value::small_int(a), Value::small_int(b), Value::small_int(c)])?
        }
        n if n == q::implementation => {
            // A namespace with `name` and `version`, as MicroPython's.
            let ns = vm.new_dict(2)?;
            let d = ns.as_obj().expect("new dict");
            let version = vm.new_tuple(&[Value::small_int(0), Value::small_int(1), Value::small_int(0)])?;
            vm.dict_set(d, Value::qstr(q::name), Value::qstr(q::pyrite))?;
            vm.dict_set(d, Value::qstr(q::version), version)?;
            let c = vm.new_class(q::implementation, &[], ns)?;
            vm.new_instance(c)?
        }
        _ => return Ok(None),
    }))
}
