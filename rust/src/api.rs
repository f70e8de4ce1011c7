//! The C API: what the shell glue calls. Everything but `pyrite_interrupt`
//! and the `pyrite_event_*` functions must be called from the one Python
//! thread.

use crate::bindings as c;
use crate::zport::{write, ZephyrPort};
use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use pyrite_vm::compile::Mode;
use pyrite_vm::repl::{Console, Ended, Session};
use pyrite_vm::vm::Limits;
use pyrite_vm::Vm;

static INTERRUPT: AtomicBool = AtomicBool::new(false);
/// The console byte that interrupts running code (`micropython.kbd_intr`;
/// -1: none, so Ctrl-C passes as data, as mpremote's transfers need).
pub(crate) static INTERRUPT_CHAR: AtomicI32 = AtomicI32::new(0x03);
/// Python code is running (rather than the REPL waiting for input).
static RUNNING: AtomicBool = AtomicBool::new(false);

/// Marks Python code as running (a Ctrl-C then interrupts it, and one
/// from before does not) or not.
fn set_running(on: bool) {
    if on {
        INTERRUPT.store(false, Ordering::Relaxed);
    }
    RUNNING.store(on, Ordering::Relaxed);
}

/// Runs `f` marked as running Python code, so Ctrl-C interrupts it (a
/// call from C inside running code leaves the mark as it was).
pub(crate) fn running<T>(f: impl FnOnce() -> T) -> T {
    // Only C functions nest calls (with the C API).
    let was = cfg!(feature = "foreign") && RUNNING.load(Ordering::Relaxed);
    if !was {
        set_running(true);
    }
    let r = f();
    if !was {
        set_running(false);
    }
    r
}

/// The VM, owned by the Python thread, and whether it is there. Not an
/// `Option<Vm>`: its `None` is not all zeros, so the static would take
/// 448 bytes of flash for its initial value rather than sit in `.bss`.
struct VmCell(UnsafeCell<MaybeUninit<Vm>>, UnsafeCell<bool>);

// SAFETY: only the Python thread touches the VM (the contract of every
// function below that uses it); other threads only set `INTERRUPT`.
unsafe impl Sync for VmCell {}

static VM: VmCell = VmCell(UnsafeCell::new(MaybeUninit::uninit()), UnsafeCell::new(false));

impl VmCell {
    /// Drops the VM, if there is one.
    ///
    /// # Safety
    /// The Python thread, with no borrow of the VM live (see `VmCell`).
    unsafe fn clear(&self) {
        // SAFETY: the caller's contract; the flag says the VM is initialised.
        unsafe {
            if *self.1.get() {
                *self.1.get() = false;
                (*self.0.get()).assume_init_drop();
            }
        }
    }

    /// Puts `v` in, dropping the VM there was.
    ///
    /// # Safety
    /// As `clear`.
    unsafe fn set(&self, v: Vm) {
        // SAFETY: the caller's contract.
        unsafe {
            self.clear();
            (*self.0.get()).write(v);
            *self.1.get() = true;
        }
    }
}

/// What `pyrite_init` was given (heap, its length, limits), to start the VM
/// again for `machine.soft_reset()`.
struct InitCell(UnsafeCell<Option<(*mut u8, usize, Limits)>>);

// SAFETY: as `VmCell`: only the Python thread uses it.
unsafe impl Sync for InitCell {}

static INIT: InitCell = InitCell(UnsafeCell::new(None));

pub(crate) fn vm() -> Option<&'static mut Vm> {
    // SAFETY: see `VmCell`: one thread, and no caller holds a previous borrow
    // across these entry points (they do not nest).
    unsafe {
        if *VM.1.get() {
            Some((*VM.0.get()).assume_init_mut())
        } else {
            None
        }
    }
}

/// Starts the VM with `heap` (`len` bytes, used for the program's lifetime)
/// as its object heap. Returns 0, or -1 if the heap is too small.
///
/// # Safety
/// `heap` must point to `len` writable bytes that nothing else uses until
/// `pyrite_deinit` (or for good).
#[no_mangle]
pub unsafe extern "C" fn pyrite_init(
    heap: *mut u8,
    len: usize,
    max_call_depth: u32,
    max_nesting: u32,
    max_native_depth: u32,
    stack_reserve: u32,
) -> i32 {
    // SAFETY: the caller hands over `len` bytes at `heap` for good.
    let region: &'static mut [u8] = unsafe { core::slice::from_raw_parts_mut(heap, len) };
    let limits = Limits {
        max_call_depth: max_call_depth as usize,
        max_nesting: max_nesting as usize,
        max_native_depth: max_native_depth as usize,
        stack_reserve: stack_reserve as usize,
    };
    #[cfg(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"))]
    crate::events::clear();
    // The calling thread is Python's: the C API's entry points check it.
    #[cfg(feature = "foreign")]
    crate::embed::set_python_thread();
    // SAFETY: plain C call; the previous VM (if any) is gone.
    #[cfg(feature = "machine-timer")]
    unsafe {
        c::pyrite_timer_reset()
    };
    // A fresh VM starts with Ctrl-C interrupting, as after a soft reset.
    INTERRUPT_CHAR.store(0x03, Ordering::Relaxed);
    match Vm::new(region, Box::new(ZephyrPort::default()), &INTERRUPT, limits) {
        Ok(mut v) => {
            v.set_event_flag(&crate::events::PENDING);
            // '', the frozen modules and the file system's lib/, where mip
            // installs (MicroPython's order).
            #[cfg(feature = "os")]
            {
                let mut lib = crate::zport::fs_root().to_vec();
                lib.extend_from_slice(b"/lib");
                if v.set_path(&[b"", b".frozen", &lib]).is_err() {
                    return -1;
                }
            }
            // SAFETY: the Python thread, before any other entry point runs.
            unsafe {
                VM.set(v);
                *INIT.0.get() = Some((heap, len, limits));
            }
            0
        }
        Err(_) => -1,
    }
}

/// After `machine.soft_reset()`: the VM starts afresh on the same heap.
fn soft_reboot() {
    // SAFETY: the Python thread; the VM's borrow ends with `pyrite_deinit`.
    let Some((heap, len, l)) = (unsafe { *INIT.0.get() }) else { return };
    pyrite_deinit();
    write(b"MPY: soft reboot\n");
    // SAFETY: the heap `pyrite_init` was given, which the old VM no longer uses.
    let rc =
        unsafe { pyrite_init(heap, len, l.max_call_depth as u32, l.max_nesting as u32, l.max_native_depth as u32, l.stack_reserve as u32) };
    if rc != 0 {
        write(b"pyrite: the heap is too small to start\n");
        return;
    }
    pyrite_boot();
}

/// Runs what `sys.atexit` registered, then ends the VM started by
/// `pyrite_init` (a soft reset: every Python object goes), after which its
/// heap may be given to `pyrite_init` again.
#[no_mangle]
pub extern "C" fn pyrite_deinit() {
    // A soft reset ends the program: the function sys.atexit registered
    // runs first (Ctrl-C interrupts it; an exception from it is printed).
    #[cfg(feature = "core-features")]
    if let Some(vm) = vm() {
        if let Err(e) = running(|| vm.run_atexit()) {
            let exc = vm.exception_value(e);
            vm.print_exception(exc);
        }
    }
    // SAFETY: the Python thread (the contract of every entry point); no
    // borrow of the VM is live between entry points.
    unsafe { VM.clear() };
}

/// Runs one REPL-style entry (an expression's value is printed). Returns 0,
/// or 1 after printing an uncaught exception, or -1 if not started, called
/// from a thread other than Python's, or from a C function Python called
/// (which has `pyrite_call`).
///
/// # Safety
/// `src` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_exec(src: *const u8, len: usize) -> i32 {
    #[cfg(feature = "foreign")]
    if !crate::embed::top_level_python_thread() {
        return -1;
    }
    let Some(vm) = vm() else { return -1 };
    // SAFETY: the caller's buffer, valid for the call.
    let src = unsafe { core::slice::from_raw_parts(src, len) };
    match running(|| vm.exec(src, "<stdin>", Mode::Single)) {
        Ok(_) => 0,
        Err(_) if vm.take_soft_reset() => {
            soft_reboot();
            0
        }
        Err(e) => {
            // As at the REPL: a heap left locked by the failed line would
            // make every later `py` command fail to compile.
            vm.release_heap_lock();
            let exc = vm.exception_value(e);
            vm.print_exception(exc);
            1
        }
    }
}

/// At start-up and after each soft reset, as MicroPython: `boot.py`, then
/// `main.py` (not when the REPL comes back raw: mpremote is in control),
/// from CONFIG_PYRITE_FS_ROOT, or else the application's frozen `boot` and
/// `main` modules. A Ctrl-C typed while the board starts skips them (safe
/// boot); one typed while they run stops them.
#[no_mangle]
pub extern "C" fn pyrite_boot() {
    // Nothing to run without a file system or frozen modules.
    if !cfg!(any(feature = "os", feature = "frozen-modules")) {
        return;
    }
    let Some(vm) = vm() else { return };
    // SAFETY: plain C call.
    if unsafe { c::pyrite_port_take_safe_boot() } {
        write(b"safe boot: boot.py and main.py skipped\n");
        return;
    }
    for name in ["boot", "main"] {
        if name == "main" && RAW_MODE.load(Ordering::Relaxed) {
            continue;
        }
        let r = running(|| {
            #[cfg(feature = "os")]
            {
                let mut path = crate::zport::fs_root().to_vec();
                path.push(b'/');
                path.extend_from_slice(name.as_bytes());
                path.extend_from_slice(b".py");
                let file = if name == "boot" { "boot.py" } else { "main.py" };
                if vm.exec_file(&path, file)?.is_some() {
                    return Ok(());
                }
            }
            vm.run_frozen_main(name).map(|_| ())
        });
        if let Err(e) = r {
            vm.release_heap_lock();
            if vm.soft_reset_pending() {
                return;
            }
            let exc = vm.exception_value(e);
            // sys.exit() ends the file quietly, as MicroPython's.
            if !vm.exception_type(exc).is_subtype_of(pyrite_vm::objects::TypeId::SystemExit) {
                vm.print_exception(exc);
            }
        }
    }
}

/// The console, as the REPL reads it.
struct ZephyrConsole;

impl Console for ZephyrConsole {
    fn read_byte(&mut self) -> Option<u8> {
        // SAFETY: plain C call; blocks the Python thread only.
        let ch = unsafe { c::pyrite_port_getc() };
        u8::try_from(ch).ok()
    }

    fn running(&mut self, on: bool) {
        set_running(on);
    }
}

/// The REPL was in raw mode when a soft reset ended it: it comes back
/// there (mpremote soft-resets in the raw REPL and waits for its banner).
static RAW_MODE: AtomicBool = AtomicBool::new(false);

/// Who owns the console the REPL runs on, which decides what Ctrl-D does.
#[repr(C)]
#[derive(Copy, Clone, PartialEq, Eq)]
pub enum PyriteReplMode {
    /// Python's alone (CONFIG_PYRITE_CONSOLE_REPL): Ctrl-D at the prompt
    /// returns, for the caller to start the VM afresh (a soft reset) and
    /// call `pyrite_repl` again.
    Console,
    /// The shell's `py`: Ctrl-D leaves, back to the shell.
    Shell,
    /// Python's from boot, with the shell behind it
    /// (CONFIG_PYRITE_BOOT_REPL): Ctrl-D soft-resets, Ctrl-X leaves for the
    /// shell (whose `py` comes back).
    ShellBoot,
}

/// MicroPython's REPL on the console's input: the friendly REPL (line
/// editing, history, auto-indent, Tab, Ctrl-E paste mode) and the raw REPL
/// mpremote uses. Soft resets the raw REPL, `machine.soft_reset()` or (but
/// in `py`) Ctrl-D ask for happen here, except on Python's own console.
#[no_mangle]
pub extern "C" fn pyrite_repl(mode: PyriteReplMode) {
    // Without the shell only the console's REPL is called for.
    let mode = if cfg!(feature = "shell") { mode } else { PyriteReplMode::Console };
    let mut session = Session::new(mode == PyriteReplMode::Shell);
    if mode == PyriteReplMode::ShellBoot {
        session.leave_on_ctrl_x();
    }
    if RAW_MODE.swap(false, Ordering::Relaxed) {
        session.enter_raw();
    }
    let banner: &[u8] = match mode {
        PyriteReplMode::Console => concat!("Pyrite ", env!("CARGO_PKG_VERSION"), " on zephyr; Ctrl-D for a soft reset\n").as_bytes(),
        PyriteReplMode::Shell => concat!("Pyrite ", env!("CARGO_PKG_VERSION"), " on zephyr; Ctrl-D to leave\n").as_bytes(),
        PyriteReplMode::ShellBoot => {
            concat!("Pyrite ", env!("CARGO_PKG_VERSION"), " on zephyr; Ctrl-D for a soft reset, Ctrl-X for the shell\n").as_bytes()
        }
    };
    loop {
        let Some(vm) = vm() else { return };
        // main.py may have asked for one (machine.soft_reset()).
        let ended = match vm.take_soft_reset() {
            true => Ended::SoftReset,
            false => session.run(vm, &mut ZephyrConsole, banner),
        };
        match ended {
            Ended::Leave => return,
            Ended::SoftReset if mode == PyriteReplMode::Console => {
                RAW_MODE.store(session.is_raw(), Ordering::Relaxed);
                return;
            }
            Ended::SoftReset => {
                // main.py waits while mpremote is in control.
                RAW_MODE.store(session.is_raw(), Ordering::Relaxed);
                soft_reboot();
                RAW_MODE.store(false, Ordering::Relaxed);
            }
        }
    }
}

/// Ctrl-C. If Python code is running it raises `KeyboardInterrupt` there and
/// the key is used up (returns true); otherwise the REPL should get the key to
/// drop its line (returns false). Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_interrupt() -> bool {
    if RUNNING.load(Ordering::Relaxed) {
        INTERRUPT.store(true, Ordering::Relaxed);
        return true;
    }
    false
}

/// The byte that interrupts running code (Ctrl-C unless
/// `micropython.kbd_intr` changed it), or -1 for none. Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_interrupt_char() -> i32 {
    INTERRUPT_CHAR.load(Ordering::Relaxed)
}

/// From a GPIO interrupt handler: the edge pin `handle`'s `Pin.irq` waits
/// for. Queues the event for the Python thread. Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_event_pin(handle: u32) {
    crate::events::post(pyrite_vm::port::EventSource::Pin, handle);
}

/// From a `k_timer` expiry: timer `handle` of `machine.Timer` fired. Queues
/// the event for the Python thread. Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_event_timer(handle: u32) {
    crate::events::post(pyrite_vm::port::EventSource::Timer, handle);
}

/// From a UART's interrupt: bytes arrived on UART `handle` of `machine.UART`
/// with `irq` on. Queues the event for the Python thread. Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_event_uart(handle: u32) {
    crate::events::post(pyrite_vm::port::EventSource::Uart, handle);
}
