//! `help()`: a welcome text, `help('modules')`, and for any object its type
//! and the names its module, class or builtin type holds, one a line, in
//! the layout MicroPython prints.

use crate::error::PyResult;
use crate::modules::builtins::arity;
use crate::objects::{dict, Kind};
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const WELCOME: &[u8] = b"Welcome to Pyrite, a MicroPython-compatible Python!

Control keys at the prompt:
  CTRL-C        -- interrupt a running program
  CTRL-D        -- on a blank line, leave the REPL

help('modules') lists the built-in modules;
help(obj) lists what an object, its class or its module holds.
";

/// `help('modules')` prints this many names a row, each in a column this wide.
const COLUMNS: usize = 4;
const COLUMN_WIDTH: usize = 18;

pub fn help(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 0, 1)?;
    let Some(&obj) = args.pos.first() else {
        vm.port.stdout(WELCOME);
        return Ok(Value::NONE);
    };
    if vm.str_bytes(obj) == Some(b"modules") {
        return modules(vm);
    }
    let mut out = Vec::new();
    put(&mut out, b"object ")?;
    vm.write_str(obj, &mut out)?;
    put(&mut out, b" is of type ")?;
    let t = vm.class_name(vm.class_of(obj));
    put(&mut out, vm.qstr_bytes(t))?;
    put(&mut out, b"\n")?;
    if let Some(id) = obj.as_module() {
        line(vm, Value::qstr(q::__name__), Value::qstr(crate::modules::module_name(id)), &mut out)?;
        for &entry in crate::modules::module_table(id) {
            let (name, value) = (entry.name(), entry.value());
            line(vm, Value::qstr(name), value, &mut out)?;
        }
    } else {
        let cls = if vm.is_class(obj) || obj.as_type().is_some() { obj } else { vm.class_of(obj) };
        let ns = match (obj.as_obj(), cls.as_obj()) {
            (Some(r), _) if vm.heap.kind(r) == Kind::Module => Some(vm.module_globals(r)),
            (_, Some(c)) if vm.is_class(cls) => vm.heap.slot(c, crate::objects::class::cls::DICT).as_obj(),
            _ => None,
        };
        match ns {
            Some(d) => {
                let mut i = 0;
                while i < dict::entry_slots(&vm.heap, d) {
                    if let Some((k, v)) = dict::entry(&vm.heap, d, i) {
                        line(vm, k, v, &mut out)?;
                    }
                    i += 1;
                }
            }
            None => {
                let ty = vm.native_base(cls).unwrap_or(crate::objects::TypeId::Object);
                for &entry in crate::modules::type_attrs(ty) {
                    let (name, value) = (entry.name(), entry.value());
                    line(vm, Value::qstr(name), value, &mut out)?;
                }
            }
        }
    }
    vm.port.stdout(&out);
    Ok(Value::NONE)
}

/// `  name -- value`; builtin functions print bare, as `<function>`.
fn line(vm: &mut Vm, name: Value, value: Value, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"  ")?;
    vm.write_str(name, out)?;
    put(out, b" -- ")?;
    if value.as_builtin_fn().is_some() {
        // `int.from_bytes` and `dict.fromkeys` act as classmethods.
        let class_method = matches!(name.as_qstr(), Some(n) if n == q::from_bytes || n == q::fromkeys);
        put(out, if class_method { b"<classmethod>" } else { b"<function>" })?;
    } else {
        vm.write_str(value, out)?;
    }
    put(out, b"\n")
}

/// The built-in, native and frozen modules, sorted, in columns filled top
/// to bottom.
fn modules(vm: &mut Vm) -> PyResult<Value> {
    let mut names: Vec<Qstr> = crate::modules::module_names().chain(crate::frozen::names()).collect();
    #[cfg(feature = "foreign")]
    if let Some(f) = vm.foreign {
        let mut native: Vec<u8> = Vec::new();
        f.names(&mut |n| {
            native.extend_from_slice(n);
            native.push(0);
        });
        for n in native.split(|&c| c == 0).filter(|n| !n.is_empty()) {
            names.push(vm.intern(n)?);
        }
    }
    names.sort_by(|&a, &b| vm.qstr_bytes(a).cmp(vm.qstr_bytes(b)));
    let rows = names.len().div_ceil(COLUMNS);
    let mut out = Vec::new();
    for r in 0..rows {
        let mut j = r;
        loop {
            let text = vm.qstr_bytes(names[j]);
            put(&mut out, text)?;
            let width = text.len();
            j += rows;
            if j >= names.len() {
                break;
            }
            let gap = if width < COLUMN_WIDTH { COLUMN_WIDTH - width } else { COLUMN_WIDTH - width % COLUMN_WIDTH };
            for _ in 0..gap.max(1) {
                put(&mut out, b" ")?;
            }
        }
        put(&mut out, b"\n")?;
    }
    put(&mut out, b"Plus any modules on the filesystem\n")?;
    vm.port.stdout(&out);
    Ok(Value::NONE)
}
