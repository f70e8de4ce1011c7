//! The dispatch loop: one `match` on the opcode, nothing else. Python calls
//! push a frame and continue here, so Python recursion never recurses in Rust.

use super::Vm;
use crate::bytecode::{self as bc, read_uint, unzigzag, BinOp, UnaryOp};
use crate::error::{PyErr, PyResult};
use crate::objects::function::line_for_offset;
use crate::objects::generator::Step;
use crate::objects::{list, tuple, Kind, TypeId};
use crate::qstr::Qstr;
use crate::runtime::call::Called;
use crate::value::Value;

/// How an inner run of the loop ended with an error.
struct Failure {
    err: PyErr,
    /// Offset of the failing instruction.
    op_ip: usize,
    /// It was the first instruction of this run (the retried one, if retrying).
    first: bool,
    /// An exception raised again (by an except clause that did not match, or
    /// a finally): this frame is already in its traceback.
    reraise: bool,
}

impl Vm {
    /// Runs until the frame pushed at depth `entry` returns.
    pub(crate) fn run(&mut self, entry: usize) -> PyResult<Value> {
        self.run_from(entry, None)
    }

    /// Runs until the frame pushed at depth `entry` returns; with `raise`,
    /// that exception is raised first where the frame stands (a generator's
    /// `throw`).
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub(crate) fn run_from(&mut self, entry: usize, raise: Option<PyErr>) -> PyResult<Value> {
        let handling_at_entry = self.handling.len();
        let mut retrying = false;
        let mut pending = raise.map(|err| {
            let ip = self.frames.last().map_or(0, |f| f.ip.saturating_sub(1));
            Failure { err, op_ip: ip, first: false, reraise: false }
        });
        loop {
            let f = match pending.take() {
                Some(f) => f,
                None => match self.run_loop(entry) {
                    Ok(v) => return Ok(v),
                    Err(f) => f,
                },
            };
            // Out of memory: the failing instruction left its operands on the
            // stack, so collect (everything live is rooted now) and retry it once.
            if f.err == PyErr::NoMemory && self.heap.auto_collect && !(retrying && f.first) {
                if let Some(top) = self.frames.last_mut() {
                    top.ip = f.op_ip;
                }
                self.collect();
                self.wanted_exception = None;
                retrying = true;
                continue;
            }
            // Even after collecting there was no room for the message of the
            // exception the instruction raised: raise it without.
            let wanted = self.wanted_exception.take().filter(|_| f.err == PyErr::NoMemory);
            let exc = match wanted.map(|ty| self.bare_exception(ty)) {
                Some(Ok(e)) => e,
                _ => self.exception_value(f.err),
            };
            let mut ip = f.op_ip;
            let mut in_traceback = f.reraise;
            loop {
                let Some(&frame) = self.frames.last() else {
                    self.handling.truncate(handling_at_entry);
                    return Err(PyErr::exc(exc));
                };
                if !in_traceback {
                    let line = line_for_offset(&self.heap, frame.code, ip);
                    let (file, name) = self.code_file_and_name(frame.code);
                    self.add_traceback_or_collect(exc, file, line, name, true);
                }
                in_traceback = false;
                if let Some(h) = self.handlers.last().copied().filter(|h| h.depth == self.frames.len()) {
                    // Caught here: the handler starts with the exception on its stack.
                    self.handlers.pop();
                    self.stack.truncate(h.sp);
                    self.handling.truncate(h.handling);
                    self.stack.push(exc);
                    if let Some(top) = self.frames.last_mut() {
                        top.ip = h.target;
                    }
                    break;
                }
                self.frames.pop();
                self.stack.truncate(frame.ret_sp);
                self.drop_handlers_above_frames();
                if self.frames.len() <= entry {
                    self.handling.truncate(handling_at_entry);
                    return Err(PyErr::exc(exc));
                }
                // The caller's ip is just past its call instruction.
                ip = self.frames.last().map_or(0, |f| f.ip.saturating_sub(1));
            }
        }
    }

    /// Forgets handlers of frames that have ended.
    fn drop_handlers_above_frames(&mut self) {
        let depth = self.frames.len();
        while self.handlers.last().is_some_and(|h| h.depth > depth) {
            self.handlers.pop();
        }
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn run_loop(&mut self, entry: usize) -> Result<Value, Failure> {
        let mut fi = self.frames.len() - 1;
        let mut f = self.frames[fi];
        let mut ip = f.ip;
        // Where this run starts, to tell a failure of its first instruction
        // (the one being retried after a collection) from later ones: the
        // same frame and offset, with no back edge taken and no frame
        // switched since (the only ways back to an instruction). Tracking
        // those costs nothing per instruction.
        let entry_at = (fi, ip);
        let mut moved = false;
        // The running frame's bytecode; re-taken whenever `f` changes.
        let mut code = self.heap.code_view(f.bc);
        // Continues in the frame now on top (a call pushed it, or a return
        // uncovered it).
        macro_rules! switch_to_top_frame {
            () => {{
                moved = true;
                fi = self.frames.len() - 1;
                f = self.frames[fi];
                ip = f.ip;
                code = self.heap.code_view(f.bc);
            }};
        }

        macro_rules! fail {
            ($err:expr, $op_ip:expr) => {{
                let err = $err;
                self.frames[fi].ip = ip;
                let first = !moved && (fi, $op_ip) == entry_at;
                return Err(Failure { err, op_ip: $op_ip, first, reraise: false });
            }};
        }
        macro_rules! pop {
            () => {
                self.stack.pop().unwrap_or(Value::NULL)
            };
        }
        macro_rules! top {
            () => {
                *self.stack.last().unwrap_or(&Value::NULL)
            };
        }
        macro_rules! peek {
            ($n:expr) => {
                self.stack[self.stack.len() - 1 - $n]
            };
        }

        'run: loop {
            let op_ip = ip;
            // Every failing instruction leaves through one exit below (one
            // copy of that code, not one per place that can fail).
            let failed: PyErr = 'op: {
                macro_rules! tryv {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'op PyErr::from(e),
                        }
                    };
                }
                let op = code.bytes()[ip];
                ip += 1;
                macro_rules! uint {
                    () => {{
                        let (v, n) = read_uint(code.bytes(), ip);
                        ip += n;
                        v
                    }};
                }
                macro_rules! target {
                    () => {{
                        let b = code.bytes();
                        let t = u16::from_le_bytes([b[ip], b[ip + 1]]) as usize;
                        ip += 2;
                        t
                    }};
                }
                // Where a loop goes round or a call starts: Ctrl-C, scheduled
                // calls, and the collection `gc.threshold` asks for.
                macro_rules! safepoint {
                    () => {{
                        if self.heap.collect_requested {
                            self.frames[fi].ip = ip;
                            self.collect_if_requested();
                        }
                        tryv!(self.check_interrupt());
                    }};
                }
                macro_rules! byte {
                    () => {{
                        let b = code.bytes()[ip];
                        ip += 1;
                        b
                    }};
                }
                // A local slot, named by an operand or by the opcode itself.
                macro_rules! load_fast {
                    ($i:expr) => {{
                        let i = $i;
                        let v = self.stack[f.base + i];
                        if v.is_null() {
                            break 'op self.unbound_local();
                        }
                        self.stack.push(v);
                    }};
                }
                macro_rules! store_fast {
                    ($i:expr) => {{
                        let i = $i;
                        let v = pop!();
                        self.stack[f.base + i] = v;
                    }};
                }

                match op {
                    bc::LOAD_CONST_NONE => self.stack.push(Value::NONE),
                    bc::LOAD_CONST_FALSE => self.stack.push(Value::FALSE),
                    bc::LOAD_CONST_TRUE => self.stack.push(Value::TRUE),
                    bc::LOAD_CONST_SMALL_INT => {
                        let v = unzigzag(uint!());
                        self.stack.push(Value::small_int(v));
                    }
                    bc::LOAD_CONST_STRING => {
                        let q = uint!();
                        self.stack.push(Value::qstr(Qstr(q as u32)));
                    }
                    bc::LOAD_CONST_OBJ => {
                        let i = uint!();
                        let v = self.heap.slot(f.consts, i);
                        self.stack.push(v);
                    }
                    bc::LOAD_NULL => self.stack.push(Value::NULL),
                    bc::LOAD_FAST => load_fast!(uint!()),
                    bc::STORE_FAST => store_fast!(uint!()),
                    bc::LOAD_FAST_0..=bc::LOAD_FAST_LAST => load_fast!((op - bc::LOAD_FAST_0) as usize),
                    bc::STORE_FAST_0..=bc::STORE_FAST_LAST => store_fast!((op - bc::STORE_FAST_0) as usize),
                    bc::DELETE_FAST => {
                        let i = uint!();
                        if self.stack[f.base + i].is_null() {
                            let e = self.unbound_local();
                            break 'op e;
                        }
                        self.stack[f.base + i] = Value::NULL;
                    }
                    bc::MAKE_CELL => {
                        let i = uint!();
                        let cell = tryv!(self.new_cell(self.stack[f.base + i]));
                        self.stack[f.base + i] = cell;
                    }
                    bc::LOAD_DEREF => {
                        let i = uint!();
                        let cell = tryv!(self.cell_in(self.stack[f.base + i]));
                        let v = self.heap.slot(cell, 0);
                        if v.is_null() {
                            let e = self.unbound_local();
                            break 'op e;
                        }
                        self.stack.push(v);
                    }
                    bc::STORE_DEREF | bc::DELETE_DEREF => {
                        let i = uint!();
                        let cell = tryv!(self.cell_in(self.stack[f.base + i]));
                        let v = if op == bc::STORE_DEREF { pop!() } else { Value::NULL };
                        if op == bc::DELETE_DEREF && self.heap.slot(cell, 0).is_null() {
                            let e = self.unbound_local();
                            break 'op e;
                        }
                        self.heap.set_slot(cell, 0, v);
                    }
                    bc::LOAD_CLOSURE => {
                        let i = uint!();
                        self.stack.push(self.stack[f.base + i]);
                    }
                    bc::LOAD_NAME | bc::LOAD_GLOBAL => {
                        let q = Qstr(uint!() as u32);
                        let mut found = None;
                        if op == bc::LOAD_NAME && f.locals != f.globals {
                            if let Some(ns) = f.locals.as_obj() {
                                found = tryv!(self.dict_get(ns, Value::qstr(q)));
                            }
                        }
                        let v = match found {
                            Some(v) => v,
                            None => tryv!(self.load_global(f.globals, q)),
                        };
                        self.stack.push(v);
                    }
                    bc::STORE_NAME | bc::STORE_GLOBAL => {
                        let q = Qstr(uint!() as u32);
                        // A function's frame has no namespace of its own: its
                        // globals (only code from a .mpy file does this).
                        let ns = if op == bc::STORE_NAME && !(cfg!(feature = "mpy") && f.locals.is_null()) { f.locals } else { f.globals };
                        let g = ns.as_obj().expect("namespace dict");
                        tryv!(self.dict_set(g, Value::qstr(q), top!()));
                        pop!();
                    }
                    bc::DELETE_NAME | bc::DELETE_GLOBAL => {
                        let q = Qstr(uint!() as u32);
                        // A function's frame has no namespace of its own: its
                        // globals (only code from a .mpy file does this).
                        let ns = if op == bc::DELETE_NAME && !(cfg!(feature = "mpy") && f.locals.is_null()) { f.locals } else { f.globals };
                        let g = ns.as_obj().expect("namespace dict");
                        if tryv!(self.dict_remove(g, Value::qstr(q))).is_none() {
                            let e = self.name_error(q);
                            break 'op e;
                        }
                    }
                    bc::LOAD_ATTR => {
                        let q = Qstr(uint!() as u32);
                        let v = tryv!(self.load_attr(top!(), q));
                        *self.stack.last_mut().expect("operand") = v;
                    }
                    bc::STORE_ATTR => {
                        let q = Qstr(uint!() as u32);
                        tryv!(self.store_attr(peek!(0), q, peek!(1)));
                        pop!();
                        pop!();
                    }
                    bc::LOAD_METHOD => {
                        let q = Qstr(uint!() as u32);
                        let (m, this) = tryv!(self.load_method(top!(), q));
                        *self.stack.last_mut().expect("operand") = m;
                        self.stack.push(this);
                    }
                    bc::LOAD_SUBSCR => {
                        let v = tryv!(self.subscr(peek!(1), peek!(0)));
                        pop!();
                        *self.stack.last_mut().expect("operand") = v;
                    }
                    bc::STORE_SUBSCR => {
                        tryv!(self.store_subscr(peek!(1), peek!(0), peek!(2)));
                        self.stack.truncate(self.stack.len() - 3);
                    }
                    bc::DELETE_SUBSCR => {
                        tryv!(self.delete_subscr(peek!(1), peek!(0)));
                        self.stack.truncate(self.stack.len() - 2);
                    }
                    bc::POP_TOP => {
                        pop!();
                    }
                    bc::DUP_TOP => self.stack.push(top!()),
                    bc::DUP_TOP_TWO => {
                        let (a, b) = (peek!(1), peek!(0));
                        self.stack.push(a);
                        self.stack.push(b);
                    }
                    bc::ROT_TWO => {
                        let n = self.stack.len();
                        self.stack.swap(n - 1, n - 2);
                    }
                    bc::ROT_THREE => {
                        let n = self.stack.len();
                        self.stack[n - 3..].rotate_right(1);
                    }
                    bc::JUMP => {
                        let t = target!();
                        if t <= op_ip {
                            // A loop's back edge.
                            moved = true;
                            safepoint!();
                        }
                        ip = t;
                    }
                    bc::POP_JUMP_IF_FALSE | bc::POP_JUMP_IF_TRUE => {
                        let t = target!();
                        let truth = tryv!(self.truthy(top!()));
                        pop!();
                        if truth == (op == bc::POP_JUMP_IF_TRUE) {
                            ip = t;
                        }
                    }
                    bc::JUMP_IF_FALSE_OR_POP | bc::JUMP_IF_TRUE_OR_POP => {
                        let t = target!();
                        let truth = tryv!(self.truthy(top!()));
                        if truth == (op == bc::JUMP_IF_TRUE_OR_POP) {
                            ip = t;
                        } else {
                            pop!();
                        }
                    }
                    bc::GET_ITER => {
                        let it = tryv!(self.for_loop_iter(top!()));
                        *self.stack.last_mut().expect("operand") = it;
                    }
                    bc::FOR_ITER => {
                        let t = target!();
                        match tryv!(self.iter_next(top!())) {
                            Some(v) => self.stack.push(v),
                            None => {
                                let it = pop!();
                                self.for_loop_done(it);
                                ip = t;
                            }
                        }
                    }
                    bc::FOR_RANGE => {
                        let step = unzigzag(uint!());
                        let t = target!();
                        let n = self.stack.len();
                        let (cur, stop) = (self.stack[n - 2], self.stack[n - 1]);
                        // Small ints compare as their tagged words do; stepping
                        // adds 2*step to the word (the compiler only takes a
                        // small-int step).
                        let (a, b) = (cur.bits() as isize, stop.bits() as isize);
                        let small_next = step.checked_mul(2).and_then(|d| a.checked_add(d));
                        let (more, next) = match small_next {
                            Some(nx) if a & b & 1 == 1 => (if step > 0 { a < b } else { a > b }, Value::small_int_from_bits(nx as usize)),
                            _ => {
                                let r = tryv!(self.binary_op(if step > 0 { BinOp::Lt } else { BinOp::Gt }, cur, stop));
                                if tryv!(self.truthy(r)) {
                                    (true, tryv!(self.binary_op(BinOp::Add, cur, Value::small_int(step))))
                                } else {
                                    (false, cur)
                                }
                            }
                        };
                        if !more {
                            ip = t;
                        } else {
                            // The emitter counted this push in the frame's stack.
                            self.stack[n - 2] = next;
                            self.stack.push(cur);
                        }
                    }
                    bc::BINARY_OP | bc::INPLACE_OP => {
                        let binop = BinOp::from_u8(byte!()).unwrap_or(BinOp::Add);
                        // Small ints (counters, indices, masks) skip the general
                        // dispatch; the in-place forms of ints are the plain ones.
                        let (x, y) = (peek!(1), peek!(0));
                        let v = match crate::runtime::ops::small_int_op(binop, x, y) {
                            Some(v) => v,
                            None if op == bc::INPLACE_OP => tryv!(self.inplace_op(binop, x, y)),
                            None => tryv!(self.binary_op(binop, x, y)),
                        };
                        pop!();
                        *self.stack.last_mut().expect("operand") = v;
                    }
                    bc::UNARY_OP => {
                        let b = byte!();
                        let op = UnaryOp::from_u8(b).unwrap_or(UnaryOp::Pos);
                        let v = tryv!(self.unary_op(op, top!()));
                        *self.stack.last_mut().expect("operand") = v;
                    }
                    bc::BUILD_TUPLE | bc::BUILD_LIST => {
                        let n = uint!();
                        let start = self.stack.len() - n;
                        let v = if op == bc::BUILD_TUPLE {
                            tryv!(tuple::new(&mut self.heap, &self.stack[start..]))
                        } else {
                            tryv!(list::new(&mut self.heap, &self.stack[start..]))
                        };
                        self.stack.truncate(start);
                        self.stack.push(v);
                    }
                    bc::BUILD_SET if crate::features::SET => {
                        let n = uint!();
                        let start = self.stack.len() - n;
                        let s = tryv!(self.new_dict_like(Kind::Set, n));
                        let sr = s.as_obj().expect("new set");
                        for i in 0..n {
                            let v = self.stack[start + i];
                            tryv!(self.set_add(sr, v));
                        }
                        self.stack.truncate(start);
                        self.stack.push(s);
                    }
                    bc::SET_ADD if crate::features::SET => {
                        let s = peek!(1).as_obj().expect("compiler's set");
                        tryv!(self.set_add(s, top!()));
                        pop!();
                    }
                    bc::BUILD_MAP => {
                        let n = uint!();
                        let start = self.stack.len() - 2 * n;
                        let d = tryv!(self.new_dict(n));
                        let dr = d.as_obj().expect("new dict");
                        for i in 0..n {
                            let (k, v) = (self.stack[start + 2 * i], self.stack[start + 2 * i + 1]);
                            tryv!(self.dict_set(dr, k, v));
                        }
                        self.stack.truncate(start);
                        self.stack.push(d);
                    }
                    bc::BUILD_SLICE if crate::features::SLICE => {
                        let value = match code.bytes().get(ip) {
                            Some(&bc::LOAD_SUBSCR) => Some(None),
                            Some(&bc::STORE_SUBSCR) => Some(Some(peek!(4))),
                            _ => None,
                        };
                        let bounds = [peek!(2), peek!(1), peek!(0)];
                        let v = match value.and_then(|value| self.scratch_slice(peek!(3), value, bounds)) {
                            Some(s) => s,
                            None => tryv!(self.new_slice(bounds[0], bounds[1], bounds[2])),
                        };
                        self.stack.truncate(self.stack.len() - 3);
                        self.stack.push(v);
                    }
                    bc::UNPACK_EX => {
                        let before = uint!();
                        let after = uint!();
                        // Items taken from an iterator cannot be taken again.
                        let taken = self.taken;
                        let r = self.unpack_ex(before, after);
                        tryv!(self.not_retried(taken, r));
                    }
                    bc::LIST_TO_TUPLE => {
                        let l = top!().as_obj().expect("compiler's list");
                        let n = list::len(&self.heap, l);
                        let t = tryv!(self.heap.alloc_values(Kind::Tuple, n).map_err(PyErr::from));
                        for i in 0..n {
                            let v = list::items(&self.heap, l)[i];
                            self.heap.set_slot(t, i, v);
                        }
                        *self.stack.last_mut().expect("operand") = Value::obj(t);
                    }
                    bc::DELETE_ATTR => {
                        let q = Qstr(uint!() as u32);
                        tryv!(self.delete_attr(top!(), q));
                        pop!();
                    }
                    bc::UNPACK_SEQUENCE => {
                        let n = uint!();
                        let taken = self.taken;
                        let r = self.unpack_sequence(n);
                        tryv!(self.not_retried(taken, r));
                    }
                    bc::MAKE_FUNCTION | bc::MAKE_FUNCTION_DEFARGS => {
                        let i = uint!();
                        let code = self.heap.slot(f.consts, i);
                        let (defaults, kwdefaults) =
                            if op == bc::MAKE_FUNCTION_DEFARGS { (peek!(1), peek!(0)) } else { (Value::NULL, Value::NULL) };
                        let null_if_none = |v: Value| if v.is_none() { Value::NULL } else { v };
                        let fun = tryv!(self.new_function(code, f.globals, null_if_none(defaults), null_if_none(kwdefaults)));
                        if op == bc::MAKE_FUNCTION_DEFARGS {
                            self.stack.truncate(self.stack.len() - 2);
                        }
                        self.stack.push(fun);
                    }
                    bc::MAKE_CLOSURE => {
                        let i = uint!();
                        let with_defaults = byte!() != 0;
                        let code = self.heap.slot(f.consts, i);
                        let closure = top!();
                        let (defaults, kwdefaults) = if with_defaults { (peek!(2), peek!(1)) } else { (Value::NULL, Value::NULL) };
                        let null_if_none = |v: Value| if v.is_none() { Value::NULL } else { v };
                        let fun = tryv!(self.new_function(code, f.globals, null_if_none(defaults), null_if_none(kwdefaults)));
                        self.heap.set_slot(fun.as_obj().expect("new function"), crate::objects::function::func::CLOSURE, closure);
                        self.stack.truncate(self.stack.len() - if with_defaults { 3 } else { 1 });
                        self.stack.push(fun);
                    }
                    bc::LOAD_LOCALS => self.stack.push(f.locals),
                    bc::CALL_CLASS_BODY => {
                        let body = top!();
                        let ns = tryv!(self.new_dict(0));
                        let sp = self.stack.len();
                        self.frames[fi].ip = ip;
                        let r = body.as_obj().ok_or(PyErr::NoMemory).and_then(|b| self.push_frame(b, sp - 1, sp, 0, 0));
                        tryv!(r);
                        let top = self.frames.len() - 1;
                        self.frames[top].locals = ns;
                        switch_to_top_frame!();
                    }
                    bc::MAKE_CLASS => {
                        let n = uint!();
                        let start = self.stack.len() - n - 2;
                        let (ns, name) = (self.stack[start], self.stack[start + 1].as_qstr().unwrap_or(Qstr(0)));
                        let mut bases = [Value::NULL; 8];
                        if n > bases.len() {
                            let e = self.raise(TypeId::TypeError, "too many base classes");
                            break 'op e;
                        }
                        bases[..n].copy_from_slice(&self.stack[start + 2..]);
                        let c = tryv!(self.new_class(name, &bases[..n], ns));
                        self.stack.truncate(start);
                        self.stack.push(c);
                        // The operands are gone: this can't be retried.
                        tryv!(self.retry_after_collect(c, |vm| vm.class_set_names(c)));
                    }
                    bc::LIST_APPEND => {
                        let l = peek!(1).as_obj().expect("compiler's list");
                        tryv!(self.list_push(l, top!()));
                        pop!();
                    }
                    bc::LIST_EXTEND => {
                        let l = peek!(1).as_obj().expect("compiler's list");
                        tryv!(self.for_each(top!(), |vm, v| vm.list_push(l, v).map(|_| true)));
                        pop!();
                    }
                    bc::MAP_ADD => {
                        let d = peek!(2).as_obj().expect("compiler's dict");
                        tryv!(self.dict_set(d, peek!(1), peek!(0)));
                        self.stack.truncate(self.stack.len() - 2);
                    }
                    bc::DICT_MERGE => {
                        tryv!(self.dict_merge_kwargs(peek!(1), peek!(0)));
                        pop!();
                    }
                    bc::CALL_FUNCTION_EX => {
                        safepoint!();
                        self.frames[fi].ip = ip;
                        let s = self.stack.len() - 3;
                        match tryv!(self.call_ex(s)) {
                            Called::Value(v) => {
                                self.stack.truncate(s);
                                self.stack.push(v);
                            }
                            Called::Frame => {
                                switch_to_top_frame!();
                            }
                        }
                    }
                    bc::CALL_FUNCTION | bc::CALL_METHOD => {
                        let n_pos = uint!();
                        let n_kw = uint!();
                        safepoint!();
                        let n_args = n_pos + 2 * n_kw;
                        let (callee_slot, args_start, n_pos) = if op == bc::CALL_FUNCTION {
                            let s = self.stack.len() - n_args - 1;
                            (s, s + 1, n_pos)
                        } else {
                            let s = self.stack.len() - n_args - 2;
                            if self.stack[s + 1].is_null() {
                                (s, s + 2, n_pos)
                            } else {
                                (s, s + 1, n_pos + 1)
                            }
                        };
                        let callee = self.stack[callee_slot];
                        self.frames[fi].ip = ip;
                        match tryv!(self.call_setup(callee, callee_slot, args_start, n_pos, n_kw)) {
                            Called::Value(v) => {
                                self.stack.truncate(callee_slot);
                                self.stack.push(v);
                            }
                            Called::Frame => {
                                switch_to_top_frame!();
                            }
                        }
                    }
                    bc::RETURN_VALUE => {
                        let mut v = pop!();
                        if f.construct && !v.is_none() {
                            let e = self.raise(TypeId::TypeError, "__init__() should return None");
                            break 'op e;
                        }
                        let done = self.frames.pop().expect("a frame is running");
                        if done.construct {
                            v = self.stack[done.ret_sp];
                        }
                        self.stack.truncate(done.ret_sp);
                        self.drop_handlers_above_frames();
                        if self.frames.len() <= entry {
                            return Ok(v);
                        }
                        self.stack.push(v);
                        switch_to_top_frame!();
                    }
                    bc::RAISE => {
                        let b = byte!();
                        if b == 2 && !top!().is_none() {
                            self.port.stderr(b"Warning: exception chaining not supported\n");
                        }
                        let e = match b {
                            0 => match self.handling.last() {
                                Some(&exc) => PyErr::exc(exc),
                                None => self.raise(TypeId::RuntimeError, "no active exception to reraise"),
                            },
                            // `raise x from y`: the cause is evaluated, not kept;
                            // as MicroPython, say so (on stderr) unless it is None.
                            _ => match self.make_exception(if b == 2 { peek!(1) } else { top!() }) {
                                Ok(exc) => PyErr::exc(exc),
                                Err(e) => e,
                            },
                        };
                        break 'op e;
                    }
                    bc::SETUP_EXCEPT | bc::SETUP_FINALLY => {
                        let t = target!();
                        tryv!(self.handlers.try_reserve(1).map_err(|_| PyErr::NoMemory));
                        let h = super::Handler { depth: self.frames.len(), target: t, sp: self.stack.len(), handling: self.handling.len() };
                        self.handlers.push(h);
                    }
                    bc::POP_BLOCK => {
                        self.handlers.pop();
                    }
                    bc::ENTER_EXCEPT => {
                        tryv!(self.handling.try_reserve(1).map_err(|_| PyErr::NoMemory));
                        self.handling.push(top!());
                    }
                    bc::POP_EXCEPT => {
                        self.handling.pop();
                    }
                    bc::EXC_MATCH => {
                        let m = tryv!(self.exception_matches(peek!(1), top!()));
                        *self.stack.last_mut().expect("operand") = Value::from_bool(m);
                    }
                    bc::YIELD_VALUE => {
                        let v = pop!();
                        self.frames[fi].ip = ip;
                        tryv!(self.suspend(ip));
                        return Ok(v);
                    }
                    bc::GET_AWAITABLE if crate::features::ASYNC => {
                        self.frames[fi].ip = ip;
                        let v = top!();
                        if !self.is_generator(v) {
                            let it = match self.call_dunder(v, crate::qstr::q::__await__, &[]) {
                                Ok(Some(a)) if self.is_generator(a) => Ok(a),
                                Ok(Some(a)) => self.get_iter(a),
                                Ok(None) => self.get_iter(v),
                                Err(e) => Err(e),
                            };
                            let it = tryv!(it);
                            *self.stack.last_mut().expect("operand") = it;
                        }
                    }
                    bc::GET_YIELD_FROM_ITER => {
                        if !self.is_generator(top!()) {
                            let it = tryv!(self.get_iter(top!()));
                            *self.stack.last_mut().expect("operand") = it;
                        }
                    }
                    bc::YIELD_FROM => {
                        let (it, sent) = (peek!(1), peek!(0));
                        self.frames[fi].ip = ip;
                        match tryv!(self.delegate_step(it, sent)) {
                            Step::Yield(v) => {
                                // Yield it; on resumption this instruction runs again
                                // with the sent value on top.
                                pop!();
                                tryv!(self.suspend(op_ip));
                                return Ok(v);
                            }
                            Step::Done(result) => {
                                self.stack.truncate(self.stack.len() - 2);
                                self.stack.push(result);
                            }
                        }
                    }
                    bc::WITH_EXIT => {
                        let (exit, exc) = (peek!(1), top!());
                        self.frames[fi].ip = ip;
                        let r = if exc.is_null() {
                            self.call(exit, &[Value::NONE, Value::NONE, Value::NONE])
                        } else {
                            let t = self.class_of(exc);
                            self.call(exit, &[t, exc, Value::NONE])
                        };
                        let r = tryv!(r);
                        let swallow = exc.is_null() || tryv!(self.truthy(r));
                        self.stack.truncate(self.stack.len() - 2);
                        if !swallow {
                            return Err(Failure { err: PyErr::exc(exc), op_ip, first: false, reraise: true });
                        }
                    }
                    bc::CALL_EXIT => {
                        let n = uint!();
                        let exit = peek!(n);
                        self.frames[fi].ip = ip;
                        tryv!(self.call(exit, &[Value::NONE, Value::NONE, Value::NONE]));
                    }
                    bc::RERAISE | bc::END_FINALLY => {
                        let v = pop!();
                        #[cfg(feature = "mpy")]
                        if op == bc::END_FINALLY {
                            match crate::mpy::finally_next(v) {
                                crate::mpy::FinallyNext::On => continue 'run,
                                // Only to a place the translation made for
                                // it (a damaged file's code could push any
                                // int).
                                crate::mpy::FinallyNext::Resume(at) if code.bytes().get(at) == Some(&bc::MP_RESUME) => {
                                    // The place says how deep the stack is
                                    // there (a damaged file must not get
                                    // there with another depth), and
                                    // whether a None came with it.
                                    let (depth, n) = read_uint(code.bytes(), at + 1);
                                    if depth & 1 != 0 {
                                        pop!();
                                    }
                                    if self.stack.len() != f.base + (depth >> 1) {
                                        break 'op self.raise(TypeId::RuntimeError, "bad unwinding");
                                    }
                                    moved = true;
                                    ip = at + 1 + n;
                                    continue 'run;
                                }
                                crate::mpy::FinallyNext::Resume(_) => {
                                    break 'op self.raise(TypeId::RuntimeError, "bad unwinding");
                                }
                                crate::mpy::FinallyNext::Raise => {}
                            }
                        }
                        if !v.is_null() {
                            self.frames[fi].ip = ip;
                            return Err(Failure { err: PyErr::exc(v), op_ip, first: false, reraise: true });
                        }
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_STORE_COMP => {
                        let n = uint!();
                        tryv!(self.mpy_store_comp(n));
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_RESUME => {
                        uint!();
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_CANCEL_FINALLY => {
                        let depth = uint!();
                        tryv!(self.mpy_cancel_finally(f.base + depth));
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_WITH_CLEANUP => {
                        let depth = uint!();
                        self.frames[fi].ip = ip;
                        tryv!(self.mpy_with_cleanup(f.base + depth));
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_BUILD_CLASS => {
                        let n_pos = uint!();
                        let n_kw = uint!();
                        self.frames[fi].ip = ip;
                        let taken = self.taken;
                        let r = self.mpy_build_class(n_pos, n_kw);
                        let c = tryv!(self.not_retried(taken, r));
                        // [NULL, body, name, bases...] -> class
                        self.stack.truncate(self.stack.len() - n_pos - 2 * n_kw - 1);
                        self.stack.push(c);
                    }
                    #[cfg(feature = "mpy")]
                    bc::MP_CALL_STAR => {
                        let n_pos = uint!();
                        let n_kw = uint!();
                        let method = byte!() != 0;
                        safepoint!();
                        self.frames[fi].ip = ip;
                        let taken = self.taken;
                        let r = self.mpy_call_star(n_pos, n_kw, method);
                        match tryv!(self.not_retried(taken, r)) {
                            (Called::Value(v), s) => {
                                self.stack.truncate(s);
                                self.stack.push(v);
                            }
                            (Called::Frame, _) => {
                                switch_to_top_frame!();
                            }
                        }
                    }
                    bc::PRINT_EXPR => {
                        let v = top!();
                        if !v.is_none() {
                            let mut out = alloc::vec::Vec::new();
                            tryv!(self.write_repr(v, &mut out));
                            tryv!(super::put(&mut out, b"\n"));
                            self.port.stdout(&out);
                        }
                        pop!();
                    }
                    bc::IMPORT_NAME => {
                        let q = Qstr(uint!() as u32);
                        // A module body or a file system's Python methods
                        // that ran are not run again after a collection.
                        let taken = self.taken;
                        let r = self.import(q);
                        let m = tryv!(self.not_retried(taken, r));
                        self.stack.push(m);
                    }
                    bc::IMPORT_STAR => {
                        self.frames[fi].ip = ip;
                        let m = top!();
                        let ns = self.frames[fi].locals.as_obj().filter(|&r| self.heap.kind(r) == Kind::Dict);
                        let r = match ns {
                            Some(ns) => self.import_star(m, ns),
                            None => Err(self.raise(TypeId::SyntaxError, "import * only allowed at module level")),
                        };
                        tryv!(r);
                        pop!();
                    }
                    bc::IMPORT_FROM => {
                        let q = Qstr(uint!() as u32);
                        let v = tryv!(self.import_from(top!(), q));
                        self.stack.push(v);
                    }
                    _ => break 'op self.raise(TypeId::RuntimeError, "bad opcode"),
                }
                continue 'run;
            };
            fail!(failed, op_ip);
        }
    }

    /// Whether `exc` is an instance of the exception class `classes`, or of
    /// one in a tuple of them.
    fn exception_matches(&mut self, exc: Value, classes: Value) -> PyResult<bool> {
        let c = self.class_of(exc);
        let is_tuple = self.kind_of(classes) == Some(Kind::Tuple);
        let n = if is_tuple { self.seq_items(classes).map_or(0, |s| s.len()) } else { 1 };
        for i in 0..n {
            let k = if is_tuple { self.seq_items(classes).map_or(Value::NONE, |s| s[i]) } else { classes };
            if !self.native_base(k).is_some_and(|t| t.is_exception()) {
                return Err(self.raise(TypeId::TypeError, "catching classes that do not inherit from BaseException is not allowed"));
            }
            if self.is_subclass(c, k) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `a, *b, c = seq`: pushes the `after` last items, a list of the middle
    /// and the `before` first items, so the first ends on top.
    fn unpack_ex(&mut self, before: usize, after: usize) -> PyResult<()> {
        let seq = *self.stack.last().expect("operand");
        let all = self.list_from_iter(seq)?;
        let ar = all.as_obj().expect("new list");
        let n = list::len(&self.heap, ar);
        if n < before + after {
            return Err(self.raise_counted(TypeId::ValueError, &[b"need more than ", b" values to unpack"], &[n]));
        }
        // `all` is only in this local while the middle list is made (the
        // items are taken: out of memory, collect and make it again).
        let middle = self.retry_after_collect(all, |vm| {
            let middle = vm.new_list(&[])?;
            let mr = middle.as_obj().expect("new list");
            vm.list_reserve(mr, n - before - after)?;
            for i in before..n - after {
                let v = list::items(&vm.heap, ar)[i];
                vm.list_push(mr, v)?;
            }
            Ok(middle)
        })?;
        self.stack.try_reserve(before + after + 1).map_err(|_| PyErr::NoMemory)?;
        self.stack.pop();
        for i in (n - after..n).rev() {
            let v = list::items(&self.heap, ar)[i];
            self.stack.push(v);
        }
        self.stack.push(middle);
        for i in (0..before).rev() {
            let v = list::items(&self.heap, ar)[i];
            self.stack.push(v);
        }
        Ok(())
    }

    /// `a, b = seq`: pushes the items so the first ends on top.
    fn unpack_sequence(&mut self, n: usize) -> PyResult<()> {
        let seq = *self.stack.last().expect("operand");
        let items = match self.kind_of(seq) {
            Some(Kind::Tuple) | Some(Kind::List) => seq,
            // Any other iterable: collect it into a list first.
            _ => self.list_from_iter(seq)?,
        };
        let r = items.as_obj().expect("sequence");
        let got = if self.heap.kind(r) == Kind::Tuple { tuple::items(&self.heap, r).len() } else { list::len(&self.heap, r) };
        if got != n {
            return Err(if got > n {
                self.raise_counted(TypeId::ValueError, &[b"too many values to unpack (expected ", b")"], &[n])
            } else {
                self.raise_counted(TypeId::ValueError, &[b"need more than ", b" values to unpack"], &[got])
            });
        }
        self.stack.pop();
        let src = if self.heap.kind(r) == Kind::Tuple { tuple::items(&self.heap, r) } else { list::items(&self.heap, r) };
        for &v in src.iter().rev() {
            self.stack.push(v);
        }
        Ok(())
    }

    /// The cell a closure's slot holds. Pyrite's compiler makes sure it is
    /// one; code from a .mpy file is checked, as a damaged file could pass
    /// anything in a closure.
    #[inline(always)]
    fn cell_in(&mut self, v: Value) -> PyResult<crate::value::ObjRef> {
        #[cfg(feature = "mpy")]
        if !v.as_obj().is_some_and(|r| self.heap.kind(r) == Kind::Cell) {
            return Err(self.raise(TypeId::RuntimeError, "bad closure"));
        }
        Ok(v.as_obj().expect("compiler's cell"))
    }

    fn unbound_local(&mut self) -> PyErr {
        self.raise(TypeId::NameError, "local variable referenced before assignment")
    }

    pub(crate) fn name_error(&mut self, q: Qstr) -> PyErr {
        self.raise_name(TypeId::NameError, b"name '", q, b"' isn't defined")
    }

    /// Copies a qstr's text out of the heap (names are short; longer ones
    /// are cut), for an error message. With `terse-errors` there are no
    /// messages: nothing is copied, and inlined, the copy leaves every
    /// caller.
    #[cfg_attr(feature = "terse-errors", inline(always))]
    pub(crate) fn qstr_copy(&self, q: Qstr) -> PyResult<([u8; 64], usize)> {
        if crate::features::TERSE_ERRORS {
            return Ok(([0; 64], 0));
        }
        Ok(self.name_copy(q))
    }

    /// A qstr's text copied out of the heap, cut at 64 bytes, whatever the
    /// build: for a traceback's file and function names.
    pub(crate) fn name_copy(&self, q: Qstr) -> ([u8; 64], usize) {
        let s = self.qstr_bytes(q);
        let n = s.len().min(64);
        let mut buf = [0u8; 64];
        buf[..n].copy_from_slice(&s[..n]);
        (buf, n)
    }
}
