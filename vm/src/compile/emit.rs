//! Writes bytecode for one code object, tracking the value stack's depth so
//! the interpreter can reserve a frame's stack once, at call time.

use super::{try_push, CompileError, ErrorKind, FirstError, Msg};
use crate::bytecode::{self as bc, write_uint, zigzag};
use crate::value::Value;
use alloc::vec::Vec;

#[derive(Default)]
pub struct Emitter {
    pub code: Vec<u8>,
    pub consts: Vec<Value>,
    pub lines: Vec<u8>,
    pub first_line: u32,
    line: u32,
    line_pc: usize,
    depth: i32,
    pub max_depth: i32,
    /// Keep no line table (MicroPython's opt_level 3).
    pub no_lines: bool,
    /// The first error met while emitting (out of memory, or code too
    /// long for a jump): the methods then carry on without it, so that
    /// their two hundred callers need no error check of their own, and the
    /// compiler reports it (`result`) when the code object is finished.
    pub err: FirstError,
    /// Name operands take `WIDE_NAME_LEN` bytes each, so a precompiled
    /// file's loader can renumber them in place (`pyrite-cross compile`).
    #[cfg(any(test, feature = "freeze"))]
    pub wide_names: bool,
}

impl Emitter {
    pub fn new(first_line: u32) -> Emitter {
        Emitter { first_line, line: first_line, ..Emitter::default() }
    }

    pub fn pc(&self) -> usize {
        self.code.len()
    }

    /// Appends a byte of code.
    fn put(&mut self, b: u8) {
        if let Err(e) = try_push(&mut self.code, b, self.line) {
            self.err.keep(e);
        }
    }

    /// A varuint operand.
    pub fn put_uint(&mut self, n: usize) {
        if write_uint(&mut self.code, n).is_err() {
            self.err.keep(CompileError::no_memory(self.line));
        }
    }

    /// Records that code from here on belongs to `line`.
    pub fn set_line(&mut self, line: u32) {
        if !crate::features::SOURCE_LINES || line == self.line || self.no_lines {
            return;
        }
        let pc = self.pc();
        if write_uint(&mut self.lines, pc - self.line_pc).is_err()
            || write_uint(&mut self.lines, zigzag(line as isize - self.line as isize)).is_err()
        {
            self.err.keep(CompileError::no_memory(line));
        }
        self.line = line;
        self.line_pc = pc;
    }

    pub fn depth(&self) -> i32 {
        self.depth
    }

    /// The stack depth at a jump target reached from elsewhere.
    pub fn set_depth(&mut self, depth: i32) {
        self.depth = depth;
        self.max_depth = self.max_depth.max(depth);
    }

    pub fn adjust(&mut self, effect: i32) {
        self.depth += effect;
        self.max_depth = self.max_depth.max(self.depth);
    }

    pub fn op(&mut self, op: u8, effect: i32) {
        self.put(op);
        self.adjust(effect);
    }

    pub fn op_uint(&mut self, op: u8, n: usize, effect: i32) {
        self.op(op, effect);
        #[cfg(any(test, feature = "freeze"))]
        if self.wide_names && bc::args(op) == Some(&[bc::Arg::Name]) {
            let at = self.code.len();
            self.code.resize(at + bc::WIDE_NAME_LEN, 0);
            if bc::put_wide_name(&mut self.code[at..], n).is_none() {
                self.err.keep(CompileError::no_memory(self.line));
            }
            return;
        }
        self.put_uint(n);
    }

    pub fn op_byte(&mut self, op: u8, b: u8, effect: i32) {
        self.op(op, effect);
        self.put(b);
    }

    /// A raw operand byte after an opcode.
    pub fn byte(&mut self, b: u8) {
        self.put(b);
    }

    pub fn load_int(&mut self, i: isize) {
        self.op_uint(bc::LOAD_CONST_SMALL_INT, zigzag(i), 1)
    }

    /// A jump to a target not known yet; returns where to `patch` it.
    pub fn jump(&mut self, op: u8, effect: i32) -> usize {
        self.op(op, effect);
        self.target_slot()
    }

    /// A jump with a varuint operand before its target.
    pub fn jump_uint(&mut self, op: u8, n: usize, effect: i32) -> usize {
        self.op_uint(op, n, effect);
        self.target_slot()
    }

    /// Two bytes for a jump's target, filled in by `patch`.
    fn target_slot(&mut self) -> usize {
        let at = self.pc();
        self.put(0);
        self.put(0);
        at
    }

    pub fn jump_to(&mut self, op: u8, target: usize, effect: i32) {
        let at = self.jump(op, effect);
        self.patch_to(at, target)
    }

    /// Points the jump at `at` to the current position.
    pub fn patch(&mut self, at: usize) {
        self.patch_to(at, self.pc())
    }

    fn patch_to(&mut self, at: usize, target: usize) {
        let Ok(t) = u16::try_from(target) else {
            return self.err.keep(CompileError::new(ErrorKind::StackFull, Msg::BytecodeOverflow, self.line));
        };
        // (No slot when there was no memory for it: that error stands.)
        if let Some(slot) = self.code.get_mut(at..at + 2) {
            slot.copy_from_slice(&t.to_le_bytes());
        }
    }

    pub fn add_const(&mut self, v: Value) -> usize {
        if let Some(i) = self.consts.iter().position(|&c| c == v) {
            return i;
        }
        if let Err(e) = try_push(&mut self.consts, v, self.line) {
            self.err.keep(e);
        }
        self.consts.len().saturating_sub(1)
    }
}
