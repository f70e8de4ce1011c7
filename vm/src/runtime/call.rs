//! Calling: Python functions get a frame in the running loop; builtin
//! functions, methods and types run natively.

use crate::error::{PyErr, PyResult};
use crate::modules;
use crate::objects::{Kind, TypeId};
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// What a call set up.
pub(crate) enum Called {
    /// A native call finished with this result.
    Value(Value),
    /// A Python frame was pushed; the loop continues in it.
    Frame,
}

/// Arguments as a native function sees them.
pub struct Args<'a> {
    pub pos: &'a [Value],
    /// Pairs of (name qstr, value).
    pub kw: &'a [Value],
}

impl Args<'_> {
    pub fn kwarg(&self, name: crate::qstr::Qstr) -> Option<Value> {
        self.kw.chunks(2).find(|p| p[0] == Value::qstr(name)).map(|p| p[1])
    }
}

impl Vm {
    /// Calls `callee` with the `n_pos` positional and `n_kw` keyword pairs
    /// that start at `stack[args_start]`; its result replaces `stack[ret_sp..]`.
    pub(crate) fn call_setup(&mut self, callee: Value, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Called> {
        if let Some(r) = callee.as_obj() {
            match self.heap.kind(r) {
                Kind::Function => {
                    if n_kw > 0 {
                        return Err(self.raise(TypeId::TypeError, "keyword arguments aren't supported yet"));
                    }
                    self.push_frame(r, ret_sp, args_start, n_pos)?;
                    return Ok(Called::Frame);
                }
                Kind::BoundMethod => {
                    // Put self in front of the arguments: the callee slot is free for it.
                    let (this, f) = (self.heap.slot(r, 0), self.heap.slot(r, 1));
                    if args_start == ret_sp + 1 {
                        self.stack[ret_sp] = f;
                        self.stack.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
                        self.stack.insert(args_start, this);
                        return self.call_setup(f, ret_sp, args_start, n_pos + 1, n_kw);
                    }
                    self.stack[args_start - 1] = this;
                    return self.call_setup(f, ret_sp, args_start - 1, n_pos + 1, n_kw);
                }
                _ => {}
            }
        }
        // Native: copy the arguments out so the callee may use the VM freely.
        let n = n_pos + 2 * n_kw;
        let mut small = [Value::NULL; 12];
        let mut big: Vec<Value> = Vec::new();
        let args: &[Value] = if n <= small.len() {
            small[..n].copy_from_slice(&self.stack[args_start..args_start + n]);
            &small[..n]
        } else {
            big.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
            big.extend_from_slice(&self.stack[args_start..args_start + n]);
            &big
        };
        let v = self.call_native(callee, Args { pos: &args[..n_pos], kw: &args[n_pos..] })?;
        Ok(Called::Value(v))
    }

    /// Calls a builtin function or type.
    pub fn call_native(&mut self, callee: Value, args: Args) -> PyResult<Value> {
        if let Some(id) = callee.as_builtin_fn() {
            return modules::call_native_fn(self, id, args);
        }
        if let Some(t) = callee.as_type().and_then(TypeId::from_u16) {
            return modules::construct(self, t, args);
        }
        match self.qstr_copy(self.type_of(callee).name()) {
            Ok((buf, n)) => Err(self.raise_parts(TypeId::TypeError, &[b"'", &buf[..n], b"' object isn't callable"])),
            Err(e) => Err(e),
        }
    }

    /// Calls any callable from native code. The caller's own values must be
    /// in `roots` if it needs them afterwards (a collection may run).
    pub fn call(&mut self, callee: Value, args: &[Value]) -> PyResult<Value> {
        let base = self.stack.len();
        self.stack.try_reserve(args.len() + 1).map_err(|_| PyErr::NoMemory)?;
        self.stack.push(callee);
        self.stack.extend_from_slice(args);
        let entry = self.frames.len();
        let r = match self.call_setup(callee, base, base + 1, args.len(), 0) {
            Ok(Called::Value(v)) => Ok(v),
            Ok(Called::Frame) => self.run(entry),
            Err(e) => Err(e),
        };
        self.stack.truncate(base);
        r
    }
}
