//! Interrupt events (pin edges) on their way from Zephyr's interrupt
//! handlers to the VM: a fixed queue filled in the handler, under a
//! critical section, and emptied by the Python thread between instructions
//! (`Port::take_event`). No Python runs in an interrupt handler.

use crate::bindings as c;
use core::cell::RefCell;
use core::sync::atomic::{AtomicBool, Ordering};
use critical_section::Mutex;
use heapless::Deque;
use pyrite_vm::port::{Event, EventSource};

/// Events not yet taken: the VM takes them as its schedule queue (4 calls,
/// as MicroPython's) has room, so 16 more ride out a burst while callbacks
/// or a collection run. One that finds this full is dropped, as MicroPython
/// drops a soft interrupt its schedule queue has no room for.
static QUEUE: Mutex<RefCell<Deque<Event, 16>>> = Mutex::new(RefCell::new(Deque::new()));
/// The VM's event flag (`Vm::set_event_flag`): set with every event.
pub(crate) static PENDING: AtomicBool = AtomicBool::new(false);

/// Queues an event (from an interrupt handler or any thread).
pub(crate) fn post(source: EventSource, id: u32) {
    // A full queue drops the event (see QUEUE).
    post_event(Event::Irq { source, id });
}

/// Queues an event; false if the queue was full (it is dropped).
pub(crate) fn post_event(e: Event) -> bool {
    let queued = critical_section::with(|cs| QUEUE.borrow_ref_mut(cs).push_back(e)).is_ok();
    PENDING.store(true, Ordering::Relaxed);
    // SAFETY: plain C call (k_sem_give), allowed in an interrupt handler.
    unsafe { c::pyrite_port_wake() };
    queued
}

/// The next event, oldest first.
#[cfg(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"))]
pub(crate) fn take() -> Option<Event> {
    critical_section::with(|cs| QUEUE.borrow_ref_mut(cs).pop_front())
}

/// Drops what is queued (the VM that would run it is gone).
#[cfg(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"))]
pub(crate) fn clear() {
    critical_section::with(|cs| QUEUE.borrow_ref_mut(cs).clear());
    PENDING.store(false, Ordering::Relaxed);
}

/// The critical section: Zephyr's irq_lock, which also excludes interrupt
/// handlers (and, on SMP, other CPUs' use of the lock).
struct ZephyrCriticalSection;
critical_section::set_impl!(ZephyrCriticalSection);

// SAFETY: `irq_lock` masks interrupts until the matching `irq_unlock` with
// its key; nesting is allowed, restoring each level in order.
unsafe impl critical_section::Impl for ZephyrCriticalSection {
    unsafe fn acquire() -> u32 {
        // SAFETY: plain C call; the key goes back to `release`.
        unsafe { c::pyrite_irq_lock() }
    }

    unsafe fn release(key: u32) {
        // SAFETY: `key` comes from the matching `acquire`.
        unsafe { c::pyrite_irq_unlock(key) }
    }
}
