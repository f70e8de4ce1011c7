//! What the fuzz targets share: a port with no devices, files or console
//! (output is dropped), a fake clock, and a budget of interpreter polls
//! after which the program is stopped with KeyboardInterrupt, as Ctrl-C
//! would stop it on a board. Each run gets a fresh VM on one reused heap
//! region, so nothing leaks from one input to the next.

use pyrite_vm::compile::Mode;
use pyrite_vm::heap::Heap;
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPT: AtomicBool = AtomicBool::new(false);

/// Polls (one per `POLL_INTERVAL` loop back edges and calls) a program
/// may use before it is interrupted.
const POLL_BUDGET: u32 = 64;

thread_local! {
    static POLLS: Cell<u32> = const { Cell::new(0) };
    static REGION: RefCell<Option<&'static mut [u8]>> = const { RefCell::new(None) };
}

struct FuzzPort {
    clock_us: u64,
}

impl Port for FuzzPort {
    fn stdout(&mut self, _bytes: &[u8]) {}

    fn ticks_us(&mut self) -> u64 {
        // Moves on at every reading, so loops waiting on the clock end.
        self.clock_us += 1000;
        self.clock_us
    }

    fn sleep_us(&mut self, us: u64) {
        self.clock_us = self.clock_us.saturating_add(us);
        self.poll();
    }

    fn poll(&mut self) {
        let n = POLLS.with(|p| {
            p.set(p.get().saturating_add(1));
            p.get()
        });
        // Past the budget, every poll interrupts again: a program that
        // catches KeyboardInterrupt gets it once more at its next check.
        if n > POLL_BUDGET {
            INTERRUPT.store(true, Ordering::Relaxed);
        }
    }

    fn platform(&self) -> &'static str {
        "fuzz"
    }
}

/// Whether source text can catch the budget's KeyboardInterrupt and so
/// run for ever (`except`, a context manager's `__exit__`): such inputs
/// are compiled but not run.
pub fn can_swallow_interrupt(src: &[u8]) -> bool {
    src.windows(6).any(|w| w == b"except" || w == b"__exit")
}

/// The Python heap of every run: small, as on a board, so that inputs
/// reach MemoryError paths too.
pub const HEAP_SIZE: usize = 64 * 1024;

/// Runs `f` on a fresh VM with a `HEAP_SIZE` heap, then checks the heap.
pub fn with_vm(f: impl FnOnce(&mut Vm)) {
    let region = REGION.with(|r| r.borrow_mut().take()).unwrap_or_else(|| Box::leak(vec![0u8; HEAP_SIZE].into_boxed_slice()));
    INTERRUPT.store(false, Ordering::Relaxed);
    POLLS.with(|p| p.set(0));
    let port = FuzzPort { clock_us: 0 };
    // Fails only if the heap can't hold the VM's own tables.
    let mut vm = Vm::new(region, Box::new(port), &INTERRUPT, Limits::default()).expect("a VM in HEAP_SIZE");
    f(&mut vm);
    // A heap walk after a collection: any damage is a crash.
    vm.heap.lock_depth = 0;
    vm.collect();
    if let Err(e) = vm.heap.check() {
        panic!("heap damaged: {e}");
    }
    // The region goes back for the next input.
    let empty: &'static mut [u8] = &mut [];
    let heap = std::mem::replace(&mut vm.heap, Heap::new(empty));
    drop(vm);
    REGION.with(|r| *r.borrow_mut() = Some(heap.into_region()));
}

/// Runs a program; any Python exception is a fine outcome.
pub fn run_source(vm: &mut Vm, src: &[u8]) {
    let _ = vm.exec(src, "<fuzz>", Mode::File);
}

/// `b'...'` with every byte escaped: fuzz data handed to Python code.
pub fn bytes_literal(data: &[u8]) -> Vec<u8> {
    let mut s = Vec::with_capacity(data.len() * 4 + 3);
    s.extend_from_slice(b"b'");
    for &b in data {
        s.extend_from_slice(format!("\\x{b:02x}").as_bytes());
    }
    s.push(b'\'');
    s
}

/// Splits an input in two at its first 0xFF byte (pattern and subject,
/// format and data); without one, all of it is the first part.
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
