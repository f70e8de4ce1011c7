//! Writes bytecode for one code object, tracking the value stack's depth so
//! the interpreter can reserve a frame's stack once, at call time.

use super::{try_push, CResult, CompileError, ErrorKind, Msg};
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

    /// Records that code from here on belongs to `line`.
    pub fn set_line(&mut self, line: u32) -> CResult<()> {
        if line == self.line || self.no_lines {
            return Ok(());
        }
        let pc = self.pc();
        write_uint(&mut self.lines, pc - self.line_pc).map_err(|_| CompileError::no_memory(line))?;
        write_uint(&mut self.lines, zigzag(line as isize - self.line as isize)).map_err(|_| CompileError::no_memory(line))?;
        self.line = line;
        self.line_pc = pc;
        Ok(())
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

    pub fn op(&mut self, op: u8, effect: i32) -> CResult<()> {
        try_push(&mut self.code, op, self.line)?;
        self.adjust(effect);
        Ok(())
    }

    pub fn op_uint(&mut self, op: u8, n: usize, effect: i32) -> CResult<()> {
        self.op(op, effect)?;
        #[cfg(any(test, feature = "freeze"))]
        if self.wide_names && bc::args(op) == Some(&[bc::Arg::Name]) {
            let at = self.code.len();
            self.code.resize(at + bc::WIDE_NAME_LEN, 0);
            return bc::put_wide_name(&mut self.code[at..], n).ok_or_else(|| CompileError::no_memory(self.line));
        }
        write_uint(&mut self.code, n).map_err(|_| CompileError::no_memory(self.line))
    }

    pub fn op_byte(&mut self, op: u8, b: u8, effect: i32) -> CResult<()> {
        self.op(op, effect)?;
        try_push(&mut self.code, b, self.line)
    }

    /// A raw operand byte after an opcode.
    pub fn byte(&mut self, b: u8) -> CResult<()> {
        try_push(&mut self.code, b, self.line)
    }

    pub fn load_int(&mut self, i: isize) -> CResult<()> {
        self.op_uint(bc::LOAD_CONST_SMALL_INT, zigzag(i), 1)
    }

    /// A jump to a target not known yet; returns where to `patch` it.
    pub fn jump(&mut self, op: u8, effect: i32) -> CResult<usize> {
        self.op(op, effect)?;
        let at = self.pc();
        try_push(&mut self.code, 0, self.line)?;
        try_push(&mut self.code, 0, self.line)?;
        Ok(at)
    }

    /// A jump with a varuint operand before its target.
    pub fn jump_uint(&mut self, op: u8, n: usize, effect: i32) -> CResult<usize> {
        self.op_uint(op, n, effect)?;
        let at = self.pc();
        try_push(&mut self.code, 0, self.line)?;
        try_push(&mut self.code, 0, self.line)?;
        Ok(at)
    }

    pub fn jump_to(&mut self, op: u8, target: usize, effect: i32) -> CResult<()> {
        let at = self.jump(op, effect)?;
        self.patch_to(at, target)
    }

    /// Points the jump at `at` to the current position.
    pub fn patch(&mut self, at: usize) -> CResult<()> {
        self.patch_to(at, self.pc())
    }

    fn patch_to(&mut self, at: usize, target: usize) -> CResult<()> {
        let t = u16::try_from(target).map_err(|_| CompileError::new(ErrorKind::StackFull, Msg::BytecodeOverflow, self.line))?;
        self.code[at..at + 2].copy_from_slice(&t.to_le_bytes());
        Ok(())
    }

    pub fn add_const(&mut self, v: Value) -> CResult<usize> {
        if let Some(i) = self.consts.iter().position(|&c| c == v) {
            return Ok(i);
        }
        try_push(&mut self.consts, v, self.line)?;
        Ok(self.consts.len() - 1)
    }
}
