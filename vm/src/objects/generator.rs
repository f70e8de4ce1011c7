//! Generators. A generator keeps its frame's stack slice in an array sized
//! at creation (locals plus the code's maximum stack), so suspending at a
//! `yield` copies it there without allocating; resuming pushes it back and
//! runs the frame in a nested interpreter run until the next yield or return.

use crate::error::{PyErr, PyResult};
use crate::objects::function::{frame_code, func};
use crate::objects::{Kind, TypeId};
use crate::value::{ObjRef, Value};
use crate::vm::{Frame, Vm};

pub mod gen {
    pub const FUNC: usize = 0;
    /// `ValArray` of the saved stack slice.
    pub const SAVED: usize = 1;
    pub const N_SAVED: usize = 2;
    pub const IP: usize = 3;
    pub const STATE: usize = 4;
    /// `ValArray` of (handler target, stack offset) pairs active at the yield.
    pub const HANDLERS: usize = 5;
    pub const N_HANDLERS: usize = 6;
    /// What the generator returned, once done.
    pub const RESULT: usize = 7;
    /// An exception `pend_throw` left for the next resumption, or None.
    pub const PENDING: usize = 8;
    pub const SLOTS: usize = 9;
}

/// One step of a `yield from` delegation.
pub(crate) enum Step {
    Yield(Value),
    Done(Value),
}

const NEW: isize = 0;
const RUNNING: isize = 1;
const SUSPENDED: isize = 2;
const DONE: isize = 3;
/// Try blocks that may be open across a yield.
const MAX_HANDLERS: usize = 8;

fn small(vm: &Vm, g: ObjRef, slot: usize) -> isize {
    vm.heap.slot(g, slot).as_small_int().unwrap_or(0)
}

impl Vm {
    /// Calling a generator function: bind the arguments as for a call, then
    /// keep the frame's slots in a new generator instead of running it.
    pub(crate) fn make_generator(&mut self, fun: ObjRef, ret_sp: usize, args_start: usize, n_pos: usize, n_kw: usize) -> PyResult<Value> {
        let code = self.heap.slot(fun, func::CODE).as_obj().expect("function has code");
        let info = frame_code(&self.heap, code);
        let saved = self.heap.alloc_values(Kind::ValArray, info.n_locals + info.stack)?;
        let handlers = self.heap.alloc_values(Kind::ValArray, 2 * MAX_HANDLERS)?;
        let g = self.heap.alloc_values(Kind::Generator, gen::SLOTS)?;
        self.heap.set_slot(g, gen::FUNC, Value::obj(fun));
        self.heap.set_slot(g, gen::SAVED, Value::obj(saved));
        self.heap.set_slot(g, gen::HANDLERS, Value::obj(handlers));
        for (slot, v) in [(gen::N_SAVED, 0), (gen::IP, 0), (gen::STATE, NEW), (gen::N_HANDLERS, 0)] {
            self.heap.set_slot(g, slot, Value::small_int(v));
        }
        self.heap.set_slot(g, gen::RESULT, Value::NONE);
        self.heap.set_slot(g, gen::PENDING, Value::NONE);
        // Bind like a call (this can fail before anything changes), then take
        // the bound locals off the stack into the generator.
        self.push_frame(fun, ret_sp, args_start, n_pos, n_kw)?;
        self.frames.pop();
        let n = info.n_locals;
        let src = args_start..args_start + n;
        self.heap.slots_mut(saved, 0, n).copy_from_slice(&self.stack[src]);
        self.heap.set_slot(g, gen::N_SAVED, Value::small_int(n as isize));
        self.stack.truncate(ret_sp);
        Ok(Value::obj(g))
    }

    /// Runs a generator to its next yield: `Some(value)` yielded, `None` when
    /// it returned (its value is in `gen::RESULT`). `throw` raises that
    /// exception at the yield instead of sending a value.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn resume(&mut self, g: Value, mut sent: Value, mut throw: Option<Value>) -> PyResult<Option<Value>> {
        let Some(gr) = g.as_obj().filter(|&r| self.heap.kind(r) == Kind::Generator) else {
            return Err(self.raise(TypeId::TypeError, "expected a generator"));
        };
        let pending = self.heap.slot(gr, gen::PENDING);
        if !pending.is_none() && small(self, gr, gen::STATE) != RUNNING {
            self.heap.set_slot(gr, gen::PENDING, Value::NONE);
            throw = Some(throw.unwrap_or(pending));
        }
        if let Some(exc) = throw.filter(|_| small(self, gr, gen::STATE) == SUSPENDED) {
            if let Some(it) = self.suspended_delegate(gr) {
                match self.throw_into_delegate(it, exc)? {
                    Ok(v) => return Ok(Some(v)),
                    // The delegate finished: the `yield from` takes its result.
                    Err(None) => (throw, sent) = (None, Value::NONE),
                    Err(Some(e)) => throw = Some(e),
                }
            }
        }
        // Anything thrown is an exception from here on (a delegate's own
        // throw method took it as it was).
        if let Some(t) = throw {
            throw = Some(self.make_exception(t)?);
        }
        match small(self, gr, gen::STATE) {
            RUNNING => return Err(self.raise(TypeId::ValueError, "generator already executing")),
            DONE => {
                if let Some(e) = throw {
                    return Err(PyErr::exc(e));
                }
                return Ok(None);
            }
            NEW if throw.is_none() && !sent.is_none() => {
                return Err(self.raise(TypeId::TypeError, "can't send non-None value to a just-started generator"));
            }
            _ => {}
        }
        if self.native_depth >= self.max_native_depth || self.frames.len() >= self.max_call_depth || self.stack_exhausted() {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        let fun = self.heap.slot(gr, gen::FUNC).as_obj().expect("generator function");
        let code = self.heap.slot(fun, func::CODE).as_obj().expect("function has code");
        let info = frame_code(&self.heap, code);
        let started = small(self, gr, gen::STATE) == SUSPENDED;
        self.stack.try_reserve(info.n_locals + info.stack + 1).map_err(|_| PyErr::NoMemory)?;
        self.handlers.try_reserve(MAX_HANDLERS).map_err(|_| PyErr::NoMemory)?;
        let base = self.stack.len();
        let saved = self.heap.slot(gr, gen::SAVED).as_obj().expect("saved slice");
        let n = small(self, gr, gen::N_SAVED) as usize;
        self.stack.extend_from_slice(self.heap.slots(saved, 0, n));
        let hs = self.heap.slot(gr, gen::HANDLERS).as_obj().expect("handler store");
        let depth = self.frames.len() + 1;
        for k in 0..small(self, gr, gen::N_HANDLERS) as usize {
            let (t, rel) = (self.heap.slot(hs, 2 * k), self.heap.slot(hs, 2 * k + 1));
            let h = crate::vm::Handler {
                depth,
                target: t.as_small_int().unwrap_or(0) as usize,
                sp: base + rel.as_small_int().unwrap_or(0) as usize,
                handling: self.handling.len(),
            };
            self.handlers.push(h);
        }
        if started && throw.is_none() {
            // The yield expression's value.
            self.stack.push(sent);
        }
        self.frames.push(Frame {
            code,
            bc: info.bytecode,
            consts: info.consts,
            globals: self.heap.slot(fun, func::GLOBALS),
            locals: Value::NULL,
            func: Value::obj(fun),
            ip: small(self, gr, gen::IP) as usize,
            base,
            ret_sp: base,
            construct: false,
            generator: g,
        });
        self.heap.set_slot(gr, gen::STATE, Value::small_int(RUNNING));
        let entry = self.frames.len() - 1;
        self.native_depth += 1;
        let r = self.run_from(entry, throw.map(PyErr::exc));
        self.native_depth -= 1;
        match r {
            Ok(v) if small(self, gr, gen::STATE) == SUSPENDED => Ok(Some(v)),
            Ok(v) => {
                self.heap.set_slot(gr, gen::STATE, Value::small_int(DONE));
                self.heap.set_slot(gr, gen::RESULT, v);
                Ok(None)
            }
            Err(PyErr::Exc(e)) if self.exception_type(e.value()).is_subtype_of(TypeId::StopIteration) => {
                // PEP 479: a StopIteration escaping the body is a bug, not the end.
                self.heap.set_slot(gr, gen::STATE, Value::small_int(DONE));
                Err(self.with_root(g, |vm| Ok(vm.raise_final(TypeId::RuntimeError, "generator raised StopIteration")))?)
            }
            Err(e) => {
                self.heap.set_slot(gr, gen::STATE, Value::small_int(DONE));
                Err(e)
            }
        }
    }

    /// At a `yield`: moves the frame's stack slice and open handlers into
    /// its generator and ends the frame. Allocation-free by construction.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn suspend(&mut self, ip: usize) -> PyResult<()> {
        let frame = *self.frames.last().expect("a frame is running");
        let Some(gr) = frame.generator.as_obj() else {
            return Err(self.raise(TypeId::RuntimeError, "yield outside a generator"));
        };
        let saved = self.heap.slot(gr, gen::SAVED).as_obj().expect("saved slice");
        let n = self.stack.len() - frame.base;
        if n > self.heap.len(saved) {
            return Err(self.raise(TypeId::RuntimeError, "generator stack overflow"));
        }
        self.heap.slots_mut(saved, 0, n).copy_from_slice(&self.stack[frame.base..]);
        let hs = self.heap.slot(gr, gen::HANDLERS).as_obj().expect("handler store");
        let depth = self.frames.len();
        // This frame's handlers are the last ones.
        let first = self.handlers.iter().rposition(|h| h.depth != depth).map_or(0, |i| i + 1);
        let open = self.handlers.len() - first;
        if open > MAX_HANDLERS {
            return Err(self.raise(TypeId::RuntimeError, "too many try blocks open at a yield"));
        }
        for (k, h) in self.handlers[first..].iter().enumerate() {
            self.heap.set_slot(hs, 2 * k, Value::small_int(h.target as isize));
            self.heap.set_slot(hs, 2 * k + 1, Value::small_int((h.sp - frame.base) as isize));
        }
        self.handlers.truncate(first);
        for (slot, v) in [(gen::N_SAVED, n), (gen::IP, ip), (gen::N_HANDLERS, open)] {
            self.heap.set_slot(gr, slot, Value::small_int(v as isize));
        }
        self.heap.set_slot(gr, gen::STATE, Value::small_int(SUSPENDED));
        self.frames.pop();
        self.stack.truncate(frame.ret_sp);
        Ok(())
    }

    /// `pend_throw`: see `builtins::gen_pend_throw`.
    pub(crate) fn pend_throw(&mut self, g: Value, exc: Value) -> PyResult<Value> {
        let Some(gr) = g.as_obj().filter(|&r| self.heap.kind(r) == Kind::Generator) else {
            return Err(self.raise(TypeId::TypeError, "expected a generator"));
        };
        if small(self, gr, gen::STATE) == RUNNING {
            return Err(self.raise(TypeId::ValueError, "generator already executing"));
        }
        let before = self.heap.slot(gr, gen::PENDING);
        self.heap.set_slot(gr, gen::PENDING, exc);
        Ok(before)
    }

    /// What a finished generator returned, taken: it is reported once, and
    /// after that the generator stops with no value, as in CPython.
    pub fn take_generator_result(&mut self, g: Value) -> Value {
        let Some(r) = g.as_obj() else { return Value::NONE };
        let v = self.heap.slot(r, gen::RESULT);
        self.heap.set_slot(r, gen::RESULT, Value::NONE);
        v
    }

    /// One step of `yield from it` with `sent` passed on: what `it` yields,
    /// or what it finished with. Any iterator works; one with a `send`
    /// method takes non-None values, and a `StopIteration` it raises ends
    /// the delegation with that exception's value.
    pub(crate) fn delegate_step(&mut self, it: Value, sent: Value) -> PyResult<Step> {
        if self.is_generator(it) {
            return Ok(match self.resume(it, sent, None)? {
                Some(v) => Step::Yield(v),
                None => Step::Done(self.take_generator_result(it)),
            });
        }
        let r = if sent.is_none() {
            self.next_raw(it)
        } else {
            match self.load_attr(it, crate::qstr::q::send) {
                Ok(send) => self.call(send, &[sent]).map(Some),
                Err(e) if self.caught(e, TypeId::AttributeError) => {
                    Err(self.raise(TypeId::TypeError, "can't send to a non-generator iterator"))
                }
                Err(e) => Err(e),
            }
        };
        match r {
            Ok(Some(v)) => Ok(Step::Yield(v)),
            Ok(None) => Ok(Step::Done(Value::NONE)),
            Err(PyErr::Exc(e)) if self.exception_type(e.value()).is_subtype_of(TypeId::StopIteration) => {
                Ok(Step::Done(self.exception_args(e.value()).first().copied().unwrap_or(Value::NONE)))
            }
            Err(e) => Err(e),
        }
    }

    /// `throw(exc)` into a generator suspended in `yield from it`: passed on
    /// to `it` first. `GeneratorExit` closes `it` and is then raised here;
    /// other exceptions go to `it`'s own throw, and only what `it` lets out
    /// is raised here. Returns what to do at the `yield from`: a value `it`
    /// yielded, or the exception to raise (None: `it` finished, so resume).
    fn throw_into_delegate(&mut self, it: Value, exc: Value) -> PyResult<Result<Value, Option<Value>>> {
        // `exc` is as thrown: an exception, or an exception class.
        let ty = if self.is_exception(exc) { Some(self.exception_type(exc)) } else { self.native_base(exc) };
        let is_exit = ty.is_some_and(|t| t.is_subtype_of(TypeId::GeneratorExit));
        let r = if self.is_generator(it) {
            if is_exit {
                self.close_generator(it).map(|_| None)
            } else {
                self.resume(it, Value::NONE, Some(exc))
            }
        } else {
            let name = if is_exit { crate::qstr::q::close } else { crate::qstr::q::throw };
            match self.load_attr(it, name) {
                Ok(m) if is_exit => self.call(m, &[]).map(|_| None),
                Ok(m) => self.call(m, &[exc]).map(Some),
                Err(e) if self.caught(e, TypeId::AttributeError) => return Ok(Err(Some(exc))),
                Err(e) => return Err(e),
            }
        };
        match r {
            Ok(Some(v)) => Ok(Ok(v)),
            Ok(None) if is_exit => Ok(Err(Some(exc))),
            Ok(None) => Ok(Err(None)),
            Err(PyErr::Exc(e)) => Ok(Err(Some(e.value()))),
            Err(e) => Err(e),
        }
    }

    /// The iterator a suspended generator is delegating to, when it is
    /// paused in a `yield from` (which leaves the iterator on its stack).
    fn suspended_delegate(&self, gr: ObjRef) -> Option<Value> {
        let fun = self.heap.slot(gr, gen::FUNC).as_obj()?;
        let code = self.heap.slot(fun, func::CODE).as_obj()?;
        let bc = frame_code(&self.heap, code).bytecode;
        let ip = small(self, gr, gen::IP) as usize;
        if self.heap.code_bytes(bc).get(ip) != Some(&crate::bytecode::YIELD_FROM) {
            return None;
        }
        let n = small(self, gr, gen::N_SAVED) as usize;
        let saved = self.heap.slot(gr, gen::SAVED).as_obj()?;
        n.checked_sub(1).map(|i| self.heap.slot(saved, i))
    }

    pub fn is_generator(&self, v: Value) -> bool {
        self.kind_of(v) == Some(Kind::Generator)
    }

    /// `gen.close()`: GeneratorExit at the yield; it must not yield again.
    pub fn close_generator(&mut self, g: Value) -> PyResult<()> {
        let Some(gr) = g.as_obj() else { return Ok(()) };
        if small(self, gr, gen::STATE) != SUSPENDED {
            self.heap.set_slot(gr, gen::STATE, Value::small_int(DONE));
            return Ok(());
        }
        let exit = self.new_exception(TypeId::GeneratorExit, &[])?;
        match self.resume(g, Value::NONE, Some(exit)) {
            Ok(Some(_)) => Err(self.raise(TypeId::RuntimeError, "generator ignored GeneratorExit")),
            Ok(None) => Ok(()),
            Err(PyErr::Exc(e)) if matches!(self.exception_type(e.value()), TypeId::GeneratorExit | TypeId::StopIteration) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
