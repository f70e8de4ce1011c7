//! A board's Rust heap, on the host. On Zephyr the VM's native side
//! (compiler trees, frame stacks, copies of text) lives in a small fixed
//! heap (`CONFIG_PYRITE_RUST_HEAP_SIZE`, 8 KB on a 256 KB part) beside the
//! Python heap. `-X rustheap=N` caps what may be allocated beyond what was
//! held when the VM started, so code that would exhaust that heap on a
//! board (a copy of a large str into a `Vec`, say) fails here too, and must
//! fail with MemoryError, not an abort. Without the option: no cap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Capped;

static USED: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Allows `extra` more bytes from now on.
pub fn cap(extra: usize) {
    LIMIT.store(USED.load(Ordering::Relaxed).saturating_add(extra), Ordering::Relaxed);
}

/// Counts `n` bytes in, unless that passes the cap.
fn take(n: usize) -> bool {
    let limit = LIMIT.load(Ordering::Relaxed);
    USED.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| u.checked_add(n).filter(|&t| t <= limit)).is_ok()
}

fn give(n: usize) {
    USED.fetch_sub(n, Ordering::Relaxed);
}

/// `alloc`'s result, counted in (null, uncounted, past the cap or when the
/// system has no room).
fn counted(layout: Layout, alloc: impl FnOnce() -> *mut u8) -> *mut u8 {
    if !take(layout.size()) {
        return std::ptr::null_mut();
    }
    let p = alloc();
    if p.is_null() {
        give(layout.size());
    }
    p
}

// SAFETY (the impl): every call is passed on to `System` with the caller's
// own arguments, so `System`'s guarantees are this allocator's; refusing
// (a null pointer) is allowed by GlobalAlloc's contract.
unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        counted(layout, || unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as GlobalAlloc::alloc_zeroed requires.
        counted(layout, || unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator (so from `System`) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        give(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !take(new_size - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` came from this allocator with `layout`; the caller
        // vouches for `new_size`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        match (p.is_null(), new_size > old) {
            (true, true) => give(new_size - old),
            (false, false) => give(old - new_size),
            _ => {}
        }
        p
    }
}
