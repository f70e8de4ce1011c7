//! The native stack: how deep the VM has gone on it, and a measured floor
//! below which it raises `RuntimeError` instead of overflowing. Counting
//! levels (`Limits`) bounds recursion on a known stack; the floor also
//! holds on whatever thread the port runs Python on, however small its
//! stack, because it measures addresses.

use super::Vm;

/// The current native stack address (read, never dereferenced; the stack
/// grows down on every target Pyrite supports).
#[inline(never)]
pub(crate) fn stack_address() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

impl Vm {
    /// At the start of top-level code: where the stack is, and how low it may go.
    pub(crate) fn mark_stack_start(&mut self) {
        self.stack_base = stack_address();
        self.stack_floor = match self.port.stack_floor() {
            Some(f) => f.saturating_add(self.stack_reserve),
            None => 0,
        };
    }

    /// Whether the native stack has reached its floor.
    pub(crate) fn stack_exhausted(&self) -> bool {
        self.stack_floor != 0 && stack_address() < self.stack_floor
    }
}
