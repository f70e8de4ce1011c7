//! Rust's allocator and panic handler, wired to Zephyr: allocations come
//! from the glue's k_heap (`CONFIG_PYRITE_RUST_HEAP_SIZE`), a panic prints
//! its message and calls `k_panic()`. There is no unwinding.

use crate::bindings;
use core::alloc::{GlobalAlloc, Layout};
use core::fmt::Write;

struct ZephyrHeap;

// SAFETY: `pyrite_port_alloc` returns memory of at least `size` bytes aligned
// to `align` (k_heap_aligned_alloc) or null, and `pyrite_port_free` takes
// exactly the pointers it returned; the k_heap is thread-safe.
unsafe impl GlobalAlloc for ZephyrHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: a plain C call with sizes from a valid `Layout`.
        unsafe { bindings::pyrite_port_alloc(layout.size(), layout.align()) as *mut u8 }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above (GlobalAlloc's contract).
        unsafe { bindings::pyrite_port_free(ptr as *mut core::ffi::c_void) }
    }
}

#[global_allocator]
static HEAP: ZephyrHeap = ZephyrHeap;

/// Formats the panic message into a fixed buffer: no allocation while panicking.
struct MessageBuf {
    buf: [u8; 160],
    len: usize,
}

impl Write for MessageBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut m = MessageBuf { buf: [0; 160], len: 0 };
    let _ = write!(m, "{}", info);
    // SAFETY: the buffer outlives the call; the C side does not return.
    unsafe { bindings::pyrite_port_panic(m.buf.as_ptr(), m.len) };
    #[allow(clippy::empty_loop)]
    loop {}
}

/// On hosted targets (native_sim) the precompiled `core`/`alloc` are built
/// for unwinding and some of their routines carry unwind tables naming this
/// symbol. Nothing here unwinds (the panic handler stops the system), so it
/// is never called; it only has to exist for the link.
#[cfg(target_os = "linux")]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}
