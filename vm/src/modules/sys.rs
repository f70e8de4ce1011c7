//! `sys`: the interpreter's own facts. `argv`, `path` and `modules` are
//! heap objects the VM keeps (the port fills `argv`); the rest is ROM.

use crate::error::{PyErr, PyResult};
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// The Python language version Pyrite follows, as MicroPython reports it.
const LANGUAGE_VERSION: (isize, isize, isize) = (3, 4, 0);

/// Pyrite's own version, from Cargo.
const PYRITE_VERSION: (isize, isize, isize) =
    (parse_u8(env!("CARGO_PKG_VERSION_MAJOR")), parse_u8(env!("CARGO_PKG_VERSION_MINOR")), parse_u8(env!("CARGO_PKG_VERSION_PATCH")));

const fn parse_u8(s: &str) -> isize {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        n = n * 10 + (b[i] - b'0') as isize;
        i += 1;
    }
    n
}

pub fn exit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let e = vm.new_exception(TypeId::SystemExit, args.pos)?;
    Err(PyErr::exc(e))
}

/// `sys.atexit(f)`: `f` runs when the program ends (the latest one given;
/// None for none). Returns the one given before, None at first, as
/// MicroPython's.
pub fn atexit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let old = core::mem::replace(&mut vm.atexit, args.pos[0]);
    Ok(if old.is_null() { Value::NONE } else { old })
}

/// `sys.exc_info()`: the exception being handled as (type, value, None),
/// or three Nones.
pub fn exc_info(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    match vm.handling.last().copied() {
        Some(e) => {
            let t = vm.class_of(e);
            vm.new_tuple(&[t, e, Value::NONE])
        }
        None => vm.new_tuple(&[Value::NONE, Value::NONE, Value::NONE]),
    }
}

pub fn print_exception(vm: &mut Vm, args: Args) -> PyResult<Value> {
    // As MicroPython, the stream is checked first.
    let write = match args.pos.get(1).filter(|_| crate::features::STREAMS) {
        Some(&file) => match vm.load_attr(file, q::write) {
            Ok(w) => Some(w),
            Err(e) if vm.caught(e, TypeId::AttributeError) => return Err(vm.raise(TypeId::OSError, "stream operation not supported")),
            Err(e) => return Err(e),
        },
        None => None,
    };
    if !vm.is_exception(args.pos[0]) {
        return Err(vm.raise(TypeId::TypeError, "expected an exception"));
    }
    // As MicroPython: to sys.stdout unless a stream is given.
    let Some(write) = write else {
        vm.emit_exception(args.pos[0], &mut |vm, b| vm.port.stdout(b));
        return Ok(Value::NONE);
    };
    // To a stream: gather the text, then one write() call (the method
    // rooted meanwhile: args' reprs may run Python).
    let exc = args.pos[0];
    vm.with_root(write, |vm| {
        let mut text = alloc::vec::Vec::new();
        let mut failed = false;
        vm.emit_exception(exc, &mut |_, b| failed |= crate::vm::put(&mut text, b).is_err());
        if failed {
            return Err(crate::error::PyErr::NoMemory);
        }
        crate::modules::builtins::write_piece(vm, write, &text)
    })?;
    Ok(Value::NONE)
}

/// The attributes of `sys` that are not constants.
pub(crate) fn dynamic_attr(vm: &mut Vm, name: Qstr) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        n if n == q::argv => vm.sys_argv,
        n if n == q::path => vm.sys_path,
        n if crate::features::CORE_FEATURES && n == q::stdin => crate::modules::io::console_stream(vm, 0, false)?,
        n if crate::features::CORE_FEATURES && n == q::stdout => crate::modules::io::console_stream(vm, 1, false)?,
        n if crate::features::CORE_FEATURES && n == q::stderr => crate::modules::io::console_stream(vm, 2, false)?,
        // The machine word's limit, as MicroPython: a big int where small ints are narrower.
        // (MicroPython's MICROPY_PY_SYS_MAXSIZE, which its minimal builds lack.)
        n if crate::features::CORE_FEATURES && n == q::maxsize => vm.int_value(isize::MAX as i64)?,
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
        n if n == q::implementation => implementation(vm)?,
        _ => return Ok(None),
    }))
}

/// `sys.implementation`: named `micropython`, because code written for
/// MicroPython tests that name to pick MicroPython's behaviour (generators
/// as awaitables, no `types` module...), and Pyrite behaves that way. The
/// version is Pyrite's own; `_machine` names Pyrite and the platform. A
/// named tuple, as MicroPython's attrtuple, when `collections` is built in.
fn implementation(vm: &mut Vm) -> PyResult<Value> {
    let (a, b, c) = PYRITE_VERSION;
    let empty = vm.new_str(b"")?;
    let version = vm.new_tuple(&[Value::small_int(a), Value::small_int(b), Value::small_int(c), empty])?;
    vm.with_root(version, |vm| {
        let mut text = alloc::vec::Vec::new();
        crate::vm::put(&mut text, vm.port.platform().as_bytes())?;
        crate::vm::put(&mut text, b" with Pyrite ")?;
        crate::vm::put(&mut text, env!("CARGO_PKG_VERSION").as_bytes())?;
        let machine = vm.new_str(&text)?;
        vm.with_root(machine, |vm| {
            // `_mpy`, with .mpy files importable: the version they must have
            // (MicroPython's encoding; no native architecture).
            #[cfg(feature = "mpy")]
            {
                let values = [Value::qstr(q::micropython), version, machine, Value::small_int(crate::mpy::SYS_MPY as isize)];
                attr_tuple(vm, q::implementation, &[q::name, q::version, q::_machine, q::_mpy], &values)
            }
            #[cfg(not(feature = "mpy"))]
            {
                let values = [Value::qstr(q::micropython), version, machine];
                attr_tuple(vm, q::implementation, &[q::name, q::version, q::_machine], &values)
            }
        })
    })
}

/// MicroPython's attrtuple: a tuple whose items are also attributes (a
/// named tuple class `name` when `collections` is built in, else a plain
/// object with the attributes). `values` must be rooted by the caller.
pub(crate) fn attr_tuple(vm: &mut Vm, name: Qstr, fields: &[Qstr], values: &[Value]) -> PyResult<Value> {
    let ns = vm.new_dict(fields.len())?;
    let d = ns.as_obj().expect("new dict");
    vm.with_root(ns, |vm| {
        if crate::features::COLLECTIONS {
            let names: alloc::vec::Vec<Value> = fields.iter().map(|&f| Value::qstr(f)).collect();
            let f = vm.new_tuple(&names)?;
            vm.dict_set(d, Value::qstr(q::_fields), f)?;
            let c = vm.new_class(name, &[TypeId::Tuple.value()], ns)?;
            return vm.with_root(c, |vm| vm.call(c, values));
        }
        for (&k, &v) in fields.iter().zip(values) {
            vm.dict_set(d, Value::qstr(k), v)?;
        }
        let c = vm.new_class(name, &[], ns)?;
        vm.new_instance(c)
    })
}
