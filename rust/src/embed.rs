//! Python called from C: handles that keep objects alive, finding a
//! callable by dotted name, calls with converted arguments and result, and
//! calls scheduled from interrupt handlers or other threads. Every entry
//! point but `pyrite_schedule` belongs to the Python thread (the one that
//! called `pyrite_init`) and returns `PYRITE_ERR_THREAD` on any other.

use crate::cmodule::{from_c, to_c, PyriteValue};
use core::cell::UnsafeCell;
use core::ffi::{c_char, CStr};
use core::sync::atomic::{AtomicUsize, Ordering};
use pyrite_vm::error::{PyErr, PyResult};
use pyrite_vm::objects::{Kind, TypeId};
use pyrite_vm::value::Value;
use pyrite_vm::Vm;

/// Success.
pub const PYRITE_OK: i32 = 0;
/// Python raised an exception; its traceback has been printed (for
/// `pyrite_raise`: it will be raised when the C function returns).
pub const PYRITE_ERR_EXCEPTION: i32 = -1;
/// Called from a thread other than Python's.
pub const PYRITE_ERR_THREAD: i32 = -2;
/// `pyrite_init` has not run (or the VM is being reset).
pub const PYRITE_ERR_NOT_STARTED: i32 = -3;
/// The handle is 0, released, or from before a soft reset.
pub const PYRITE_ERR_HANDLE: i32 = -4;
/// `pyrite_schedule`'s queue is full: the call is dropped.
pub const PYRITE_ERR_QUEUE_FULL: i32 = -5;

/// `pyrite_callf`: an unknown format letter, or more than 8 arguments.
pub const PYRITE_ERR_FORMAT: i32 = -6;

/// A Python object held for C (`pyrite_hold`, `pyrite_find`); 0 is none.
pub type PyriteHandle = u32;

/// The thread that started the VM (`pyrite_init`): Python's.
static PYTHON_THREAD: AtomicUsize = AtomicUsize::new(0);
/// Which VM since power-on (each soft reset starts another): part of every
/// handle, so one from before a reset is refused, never taken for the
/// object that now has its slot.
static GENERATION: AtomicUsize = AtomicUsize::new(0);
/// A handle's slot in the VM's table is its low bits; the generation the
/// high ones.
const SLOT_BITS: u32 = 20;

/// A new VM starts on this thread.
pub(crate) fn set_python_thread() {
    // SAFETY: plain C call.
    PYTHON_THREAD.store(unsafe { crate::bindings::pyrite_port_current_thread() }, Ordering::Relaxed);
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// The current VM's generation as handles carry it (never 0).
fn generation() -> u32 {
    (GENERATION.load(Ordering::Relaxed) as u32 & ((1 << (32 - SLOT_BITS)) - 1)).max(1)
}

/// The handle C gets for the VM's slot `slot`.
fn handle_of(slot: u32) -> PyriteHandle {
    if slot == 0 || slot >= 1 << SLOT_BITS {
        return 0;
    }
    generation() << SLOT_BITS | slot
}

/// The VM's slot of a handle of this VM's.
pub(crate) fn slot_of(h: PyriteHandle) -> Option<u32> {
    (h >> SLOT_BITS == generation()).then_some(h & ((1 << SLOT_BITS) - 1))
}

pub(crate) fn on_python_thread() -> bool {
    // SAFETY: plain C call.
    let me = unsafe { crate::bindings::pyrite_port_current_thread() };
    PYTHON_THREAD.load(Ordering::Relaxed) == me
}

/// The VM while a C function runs: Python called C, which may call back.
struct Nested(UnsafeCell<*mut Vm>);

// SAFETY: only the Python thread touches it (`with_vm` checks).
unsafe impl Sync for Nested {}

static NESTED: Nested = Nested(UnsafeCell::new(core::ptr::null_mut()));

/// Runs `f` (a C function's call) with `vm` reachable by the entry points C
/// may call back: they use this pointer, derived from the VM's borrow, and
/// never a second borrow of their own.
pub(crate) fn with_nested<R>(vm: &mut Vm, f: impl FnOnce() -> R) -> R {
    // SAFETY: the Python thread (Python is calling C); the previous value is
    // put back, so calls nest.
    let prev = unsafe { core::mem::replace(&mut *NESTED.0.get(), vm as *mut Vm) };
    let r = f();
    // SAFETY: as above.
    unsafe { *NESTED.0.get() = prev };
    r
}

/// Runs `f` on the VM, from the Python thread: the VM a C function was
/// called from, else the one `pyrite_init` made. Err: an error code.
pub(crate) fn with_vm<R>(f: impl FnOnce(&mut Vm) -> R) -> Result<R, i32> {
    if PYTHON_THREAD.load(Ordering::Relaxed) == 0 {
        return Err(PYRITE_ERR_NOT_STARTED);
    }
    if !on_python_thread() {
        return Err(PYRITE_ERR_THREAD);
    }
    // SAFETY: the Python thread; see `with_nested`.
    let nested = unsafe { *NESTED.0.get() };
    if !nested.is_null() {
        // SAFETY: set by `with_nested` from the live borrow of the VM, which
        // does not use it until the C function returns.
        return Ok(f(unsafe { &mut *nested }));
    }
    match crate::api::vm() {
        Some(vm) => Ok(f(vm)),
        None => Err(PYRITE_ERR_NOT_STARTED),
    }
}

/// On the Python thread, and not inside a call from Python (where the VM
/// is borrowed): the REPL's entry points may take the VM.
pub(crate) fn top_level_python_thread() -> bool {
    PYTHON_THREAD.load(Ordering::Relaxed) == 0 || (on_python_thread() && !nested())
}

/// Whether C was called from Python (rather than from the application).
fn nested() -> bool {
    // SAFETY: the Python thread (callers are inside `with_vm`).
    unsafe { !(*NESTED.0.get()).is_null() }
}

/// Prints an exception raised in a call C made, as the REPL would; but
/// Ctrl-C or `sys.exit()` inside a C function's call goes on to stop the
/// Python code that called the C function.
fn report(vm: &mut Vm, e: PyErr) {
    let exc = vm.exception_value(e);
    if nested() {
        let ty = vm.exception_type(exc);
        if ty.is_subtype_of(TypeId::KeyboardInterrupt) || ty.is_subtype_of(TypeId::SystemExit) {
            crate::cmodule::set_stopping(PyErr::exc(exc));
            return;
        }
    } else {
        vm.release_heap_lock();
    }
    vm.print_exception(exc);
}

/// `a.b.c`: module `a` (importing it), then attributes, importing
/// submodules on the way when an attribute is not there yet.
fn find(vm: &mut Vm, name: &[u8]) -> PyResult<Value> {
    let mut parts = name.split(|&c| c == b'.');
    let first = parts.next().unwrap_or(b"");
    let q = vm.intern(first)?;
    let mut obj = vm.import(q)?;
    let mut end = first.len();
    for part in parts {
        end += 1 + part.len();
        let attr = vm.intern(part)?;
        obj = match vm.load_attr(obj, attr) {
            Ok(v) => v,
            Err(_) if vm.kind_of(obj) == Some(Kind::Module) => {
                let sub = vm.intern(&name[..end])?;
                vm.with_root(obj, |vm| vm.import(sub))?;
                vm.load_attr(obj, attr)?
            }
            Err(e) => return Err(e),
        };
    }
    Ok(obj)
}

/// Finds a callable (or any object) by dotted name, `"module.function"`,
/// importing as needed, and holds it. Returns its handle, or 0 after
/// printing the exception. Python thread only.
///
/// # Safety
/// `name` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pyrite_find(name: *const c_char) -> PyriteHandle {
    if name.is_null() {
        return 0;
    }
    // SAFETY: the caller's string.
    let name = unsafe { CStr::from_ptr(name) }.to_bytes();
    with_vm(|vm| {
        let r = crate::api::running(|| find(vm, name).and_then(|o| vm.hold(o)));
        r.map(handle_of).unwrap_or_else(|e| {
            report(vm, e);
            0
        })
    })
    .unwrap_or(0)
}

/// Holds the object `*v` stands for (a C scalar or bytes become a new
/// object) until `pyrite_release`: across collections and calls. Returns
/// its handle, or 0 (no memory, wrong thread). Python thread only.
///
/// # Safety
/// `v` points to a valid value.
#[no_mangle]
pub unsafe extern "C" fn pyrite_hold(v: *const PyriteValue) -> PyriteHandle {
    // SAFETY: the caller's pointer.
    let v = unsafe { &*v };
    with_vm(|vm| from_c(vm, v).and_then(|o| vm.hold(o)).map_or(0, handle_of)).unwrap_or(0)
}

/// The object held by `handle`, as a value for C (to pass it on in a
/// call). Returns `PYRITE_OK` or `PYRITE_ERR_HANDLE` (or the thread's).
///
/// # Safety
/// `out` points to a value.
#[no_mangle]
pub unsafe extern "C" fn pyrite_handle_value(handle: PyriteHandle, out: *mut PyriteValue) -> i32 {
    with_vm(|vm| match slot_of(handle).and_then(|h| vm.held(h)) {
        Some(o) => {
            // SAFETY: the caller's pointer.
            unsafe { *out = to_c(vm, o) };
            PYRITE_OK
        }
        None => PYRITE_ERR_HANDLE,
    })
    .unwrap_or_else(|code| code)
}

/// Whether the caller is the Python thread (the one that may call every
/// other entry point). Any thread or ISR.
#[no_mangle]
pub extern "C" fn pyrite_on_python_thread() -> bool {
    PYTHON_THREAD.load(Ordering::Relaxed) != 0 && on_python_thread()
}

/// Lets a held object go. Releasing 0 or a released handle does nothing.
/// Python thread only (elsewhere it does nothing).
#[no_mangle]
pub extern "C" fn pyrite_release(handle: PyriteHandle) {
    let _ = with_vm(|vm| slot_of(handle).map(|h| vm.release(h)));
}

/// Calls the object held by `handle` with `n` arguments converted from C.
/// The result, converted, goes to `*result` (if not NULL): what it points
/// into stays valid until the next call into Pyrite. Returns `PYRITE_OK`,
/// `PYRITE_ERR_EXCEPTION` after printing the traceback, or another
/// `PYRITE_ERR_*`. Python thread only; C functions that Python called may
/// call it too.
///
/// # Safety
/// `args` points to `n` valid values (or is NULL with `n` 0); `result` is
/// NULL or points to a value.
#[no_mangle]
pub unsafe extern "C" fn pyrite_call(handle: PyriteHandle, args: *const PyriteValue, n: usize, result: *mut PyriteValue) -> i32 {
    let args: &[PyriteValue] = if n == 0 || args.is_null() {
        &[]
    } else {
        // SAFETY: the caller's array.
        unsafe { core::slice::from_raw_parts(args, n) }
    };
    with_vm(|vm| {
        let Some(f) = slot_of(handle).and_then(|h| vm.held(h)) else { return PYRITE_ERR_HANDLE };
        let base = vm.roots.len();
        let r = call(vm, f, args, base);
        vm.roots.truncate(base);
        match r {
            Ok(v) => {
                if !result.is_null() {
                    // SAFETY: the caller's pointer.
                    unsafe { *result = to_c(vm, v) };
                }
                PYRITE_OK
            }
            Err(e) => {
                report(vm, e);
                PYRITE_ERR_EXCEPTION
            }
        }
    })
    .unwrap_or_else(|code| code)
}

/// The call itself: arguments made and rooted above `base` in `vm.roots`.
fn call(vm: &mut Vm, f: Value, args: &[PyriteValue], base: usize) -> PyResult<Value> {
    vm.roots.try_reserve(args.len() + 1).map_err(|_| PyErr::NoMemory)?;
    vm.roots.push(f);
    for a in args {
        let v = from_c(vm, a)?;
        vm.roots.push(v);
    }
    let mut argv = alloc::vec::Vec::new();
    argv.try_reserve_exact(args.len()).map_err(|_| PyErr::NoMemory)?;
    argv.extend_from_slice(&vm.roots[base + 1..]);
    let v = crate::api::running(|| vm.call(f, &argv))?;
    vm.keep_result(v)?;
    Ok(v)
}

/// Queues a call of the object held by `handle` with the int `arg`, to run
/// on the Python thread at its next safe point, as `micropython.schedule`
/// (and machine's callbacks, which share the queue). Any thread or ISR.
/// Returns `PYRITE_OK` or `PYRITE_ERR_QUEUE_FULL`; a handle released by
/// then is skipped.
#[no_mangle]
pub extern "C" fn pyrite_schedule(handle: PyriteHandle, arg: i32) -> i32 {
    if handle == 0 {
        return PYRITE_ERR_HANDLE;
    }
    match crate::events::post_event(pyrite_vm::port::Event::Call { handle, arg }) {
        true => PYRITE_OK,
        false => PYRITE_ERR_QUEUE_FULL,
    }
}
