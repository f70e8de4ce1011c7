//! The interpreter's state: heap, port, frames and value stack, and the
//! entry points a port calls (compile, run, print an exception, collect).

mod exec;
mod stack;

pub(crate) use stack::stack_address;

use crate::compile::{self, ErrorKind, Mode};
use crate::error::{PyErr, PyResult};
use crate::heap::{Heap, NoMemory};
use crate::objects::function::{code, code_info, line_for_offset};
use crate::objects::{Kind, TypeId};
use crate::port::{FileSystem, Machine, NoFileSystem, NoMachine, Port};
use crate::qstr::{q, Qstr};
use crate::value::{ObjRef, Value};
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};

/// One Python call in progress. Its locals are `stack[base..base + n_locals]`,
/// its operands sit above them.
#[derive(Copy, Clone, Debug)]
pub struct Frame {
    pub code: ObjRef,
    pub bc: ObjRef,
    pub consts: ObjRef,
    pub globals: Value,
    /// The namespace NAME instructions use: the globals at module level, a
    /// class's namespace in its body, NULL in functions.
    pub locals: Value,
    /// The function running (NULL at module level): `super()` needs it.
    pub func: Value,
    pub ip: usize,
    pub base: usize,
    /// Stack height to restore when the frame ends (its callee slot).
    pub ret_sp: usize,
    /// An `__init__` run by a class call: the call's result is the instance
    /// left in the callee slot, not what `__init__` returns.
    pub construct: bool,
    /// The generator this frame runs for, or NULL.
    pub generator: Value,
}

/// An active `try`: where to go, and what to restore, when an exception
/// reaches it.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Handler {
    /// `frames.len()` when it was set up: it belongs to that frame.
    pub depth: usize,
    pub target: usize,
    pub sp: usize,
    /// `handling.len()` when it was set up.
    pub handling: usize,
}

/// Limits a port picks for its stack and memory.
#[derive(Copy, Clone, Debug)]
pub struct Limits {
    /// Deepest Python call nesting; deeper raises
    /// `RuntimeError: maximum recursion depth exceeded`.
    pub max_call_depth: usize,
    /// Deepest nesting the parser accepts (each level costs native stack).
    pub max_nesting: usize,
    /// Deepest native recursion (printing nested containers, comparing them).
    pub max_native_depth: usize,
    /// Native stack kept free below the deepest point the VM reaches, when
    /// the port knows where the stack ends (`Port::stack_floor`): room for
    /// the deepest run between two checks, and for reporting the error.
    pub stack_reserve: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_call_depth: 200, max_nesting: compile::MAX_NESTING, max_native_depth: 64, stack_reserve: 4096 }
    }
}

pub struct Vm {
    pub heap: Heap,
    pub port: Box<dyn Port>,
    interrupt: &'static AtomicBool,
    /// A list of the `str`s behind run-time qstrs.
    qstr_pool: Value,
    /// The `__main__` module's namespace.
    pub globals: Value,
    /// `sys.argv`, `sys.path`, `sys.modules`.
    pub sys_argv: Value,
    /// The function `sys.atexit` registered, or NULL.
    pub(crate) atexit: Value,
    pub sys_path: Value,
    pub sys_modules: Value,
    /// Raised when there is no room even for a `MemoryError` instance.
    emergency_memory_error: Value,
    /// Reused for any other exception the VM cannot make for want of heap
    /// (MicroPython's emergency exception buffer): the last one made wins.
    pub(crate) emergency_exception: Value,
    /// See `scratch_slice`.
    pub(crate) scratch_slice: Value,
    /// See `zero_arg_super`.
    pub(crate) scratch_super: Value,
    /// While `for_each_attr` tries names: the one AttributeError that a
    /// missing attribute raises, rather than a new one each time.
    pub(crate) attr_probe: Value,
    /// The exception an instruction failed to make for want of heap (see
    /// `raise_parts`).
    pub(crate) wanted_exception: Option<crate::objects::TypeId>,
    /// Spent for-loop iterators, kept to be reused: a `for` over a list,
    /// tuple, str, dict or set then allocates nothing (see `GET_ITER`).
    pub(crate) iter_pool: Vec<Value>,
    /// Counts what can't be done twice: items taken from iterators and
    /// Python code run from native code. An instruction out of memory is
    /// retried after a collection, which is wrong once a builtin it called
    /// has done either (items would be lost, effects repeated):
    /// `call_native_fn` compares.
    pub(crate) taken: u32,
    /// The module `-m` runs: imported as `__main__`.
    pub(crate) main_module: Option<crate::qstr::Qstr>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) stack: Vec<Value>,
    pub(crate) handlers: Vec<Handler>,
    /// Exceptions being handled by except clauses, innermost last (bare `raise`).
    pub(crate) handling: Vec<Value>,
    /// Values native code keeps alive across a call back into Python (see the
    /// rooting rule in `heap`).
    pub roots: Vec<Value>,
    pub(crate) max_call_depth: usize,
    pub(crate) nesting_limit: usize,
    pub(crate) max_native_depth: usize,
    pub(crate) native_depth: usize,
    /// Safe points left until the next `Port::poll`.
    poll_countdown: u32,
    /// The `random` module's generator state; all zero until first seeded.
    pub(crate) rng: [u32; 4],
    /// `micropython.schedule`d calls not yet run: a list of (function, arg).
    pub(crate) scheduled: Value,
    /// Set while a scheduled call runs: they do not nest.
    pub(crate) running_scheduled: bool,
    /// Set by the port when it queues an interrupt event (`Port::take_event`).
    pub(crate) events: &'static AtomicBool,
    /// `machine.soft_reset()` ran: the `SystemExit` it raised asks the port
    /// to start the VM afresh (`take_soft_reset`).
    pub(crate) soft_reset: bool,
    /// The callbacks for interrupt events: a dict from `event_key` to
    /// (callback, argument).
    pub(crate) irq_handlers: Value,
    /// Where qstr keys were last found in dicts (see `dict.rs`).
    pub(crate) dict_cache: crate::objects::dict::LookupCache,
    /// A data descriptor has been set on an existing class (see `class.rs`).
    pub(crate) descriptors_added_late: bool,
    /// `__setattr__` or `__delattr__` has been set on an existing class:
    /// classes made before then may have inherited it (see
    /// `mro_has_attr_hooks`).
    pub(crate) hooks_added_late: bool,
    /// `micropython.opt_level()`.
    pub(crate) opt_level: u8,
    /// The native stack's address when top-level code started, for
    /// `micropython.stack_use()`.
    pub(crate) stack_base: usize,
    /// `os.getcwd()`, absolute; empty until first asked (then the port's).
    pub(crate) cwd: Vec<u8>,
    /// The mount table (see `modules::vfs`): a list of `(fs, mount_point)`.
    pub(crate) vfs_mounts: Value,
    /// The entry of the current directory's file system; NULL at the root.
    pub(crate) vfs_cur: Value,
    /// Files open on mounted file systems (`VfsLfs2`): a list of
    /// `(fs, file state)`, None for a free slot; NULL until the first.
    pub(crate) vfs_files: Value,
    /// The last open-file generation given out (see `os::add_vfs_file`).
    #[cfg(feature = "vfs-lfs2")]
    pub(crate) vfs_generation: u16,
    /// The lowest native stack address the VM may use (0: unknown).
    pub(crate) stack_floor: usize,
    pub(crate) stack_reserve: usize,
    /// The port's native modules and types (see `foreign`).
    #[cfg(feature = "foreign")]
    pub(crate) foreign: Option<&'static dyn crate::foreign::Foreign>,
    /// The application's frozen modules, from the port (see `frozen::app`).
    pub(crate) app_frozen: Option<crate::frozen::app::AppFrozen>,
    /// Compiling for a frozen image (`pyrite-cross`): the image's own names
    /// so far, numbered from `FROZEN_BASE`; string literals become names.
    #[cfg(any(test, feature = "freeze"))]
    pub freezing: Option<Vec<Vec<u8>>>,
    /// The word size of the target compiled for (`pyrite-cross`): an int
    /// constant beyond its small ints goes in the constant table.
    #[cfg(any(test, feature = "freeze"))]
    pub target_word_bits: u32,
    /// Compiling for a precompiled file (`pyrite-cross compile`): name
    /// operands of a fixed width (see `bytecode::WIDE_NAME_LEN`).
    #[cfg(any(test, feature = "freeze"))]
    pub wide_names: bool,
    /// Objects native code holds by handle: a list, NULL for a free slot;
    /// NULL until the first (see `Vm::hold`).
    #[cfg(feature = "foreign")]
    pub(crate) c_handles: Value,
}

/// A VM that goes (a soft reset) releases what native code's capsules hold.
#[cfg(feature = "foreign")]
impl Drop for Vm {
    fn drop(&mut self) {
        self.heap.finalise_all();
    }
}

/// Safe points between two calls of `Port::poll`.
const POLL_INTERVAL: u32 = 256;

/// The event flag of a VM whose port queues no interrupt events.
static NO_EVENTS: AtomicBool = AtomicBool::new(false);
/// Spent for-loop iterators kept for reuse: enough for loops nested a few
/// deep (each costs 16 bytes on a 32-bit part).
const ITER_POOL: usize = 4;

impl Vm {
    /// The board's hardware (`machine`): the port's, or a board without any.
    pub(crate) fn machine(&mut self) -> &mut dyn Machine {
        match self.port.machine() {
            Some(m) => m,
            // A unit struct: its box allocates nothing.
            None => Box::leak(Box::new(NoMachine)),
        }
    }

    /// The file system (`open()`, `os`): the port's, or none.
    pub(crate) fn fs(&mut self) -> &mut dyn FileSystem {
        match self.port.fs() {
            Some(f) => f,
            None => Box::leak(Box::new(NoFileSystem)),
        }
    }

    /// A VM whose objects all live in `region`. `interrupt` is set by the port
    /// (from another thread or an interrupt handler) to raise
    /// `KeyboardInterrupt` at the next safe point.
    pub fn new(region: &'static mut [u8], port: Box<dyn Port>, interrupt: &'static AtomicBool, limits: Limits) -> Result<Vm, NoMemory> {
        let heap = Heap::new(region);
        let mut vm = Vm {
            heap,
            port,
            interrupt,
            qstr_pool: Value::NULL,
            globals: Value::NULL,
            emergency_memory_error: Value::NULL,
            emergency_exception: Value::NULL,
            scratch_slice: Value::NULL,
            scratch_super: Value::NULL,
            attr_probe: Value::NULL,
            wanted_exception: None,
            iter_pool: Vec::new(),
            taken: 0,
            main_module: None,
            sys_argv: Value::NULL,
            atexit: Value::NULL,
            sys_path: Value::NULL,
            sys_modules: Value::NULL,
            frames: Vec::new(),
            stack: Vec::new(),
            handlers: Vec::new(),
            handling: Vec::new(),
            roots: Vec::new(),
            max_call_depth: limits.max_call_depth,
            nesting_limit: limits.max_nesting,
            max_native_depth: limits.max_native_depth,
            native_depth: 0,
            poll_countdown: POLL_INTERVAL,
            rng: [0; 4],
            scheduled: Value::NULL,
            running_scheduled: false,
            events: &NO_EVENTS,
            soft_reset: false,
            irq_handlers: Value::NULL,
            dict_cache: Default::default(),
            descriptors_added_late: false,
            hooks_added_late: false,
            opt_level: 0,
            stack_base: 0,
            cwd: Vec::new(),
            vfs_mounts: Value::NULL,
            vfs_cur: Value::NULL,
            vfs_files: Value::NULL,
            #[cfg(feature = "vfs-lfs2")]
            vfs_generation: 0,
            stack_floor: 0,
            stack_reserve: limits.stack_reserve,
            #[cfg(feature = "foreign")]
            foreign: None,
            #[cfg(feature = "foreign")]
            c_handles: Value::NULL,
            app_frozen: None,
            #[cfg(any(test, feature = "freeze"))]
            freezing: None,
            #[cfg(any(test, feature = "freeze"))]
            target_word_bits: usize::BITS,
            #[cfg(any(test, feature = "freeze"))]
            wide_names: false,
        };
        if cfg!(feature = "frozen-modules") {
            vm.app_frozen = crate::frozen::app::AppFrozen::new(vm.port.frozen_modules());
        }
        #[cfg(feature = "foreign")]
        {
            vm.foreign = vm.port.foreign();
            vm.heap.foreign = vm.foreign;
        }
        let err = |_| NoMemory;
        // Frames for the whole call-depth limit, once: recursion then ends in
        // RuntimeError at the limit, never in a reallocation spike before it.
        vm.frames.try_reserve_exact(limits.max_call_depth + 1).map_err(|_| NoMemory)?;
        vm.qstr_pool = vm.new_list(&[]).map_err(err)?;
        vm.globals = vm.new_dict(8).map_err(err)?;
        vm.sys_argv = vm.new_list(&[]).map_err(err)?;
        let here = Value::qstr(q::EMPTY);
        vm.sys_path = vm.new_list(&[here]).map_err(err)?;
        vm.sys_modules = vm.new_dict(0).map_err(err)?;
        if crate::features::SCHEDULER {
            vm.scheduled = vm.new_list(&[]).map_err(err)?;
        }
        if crate::features::EVENTS {
            vm.irq_handlers = vm.new_dict(0).map_err(err)?;
        }
        if cfg!(feature = "os") {
            vm.vfs_init().map_err(err)?;
        }
        vm.emergency_memory_error = vm.new_emergency_memory_error(8).map_err(err)?;
        vm.emergency_exception = vm.new_exception(crate::objects::TypeId::Exception, &[]).map_err(err)?;
        if crate::features::SLICE {
            vm.scratch_slice = vm.new_slice(Value::NONE, Value::NONE, Value::NONE).map_err(err)?;
        }
        vm.scratch_super = vm.new_wrapper(crate::objects::Kind::Super, &[Value::NONE, Value::NONE]).map_err(err)?;
        // (None where there is no pool: see `LOOP_POOL`.)
        let pool = if crate::objects::iter::LOOP_POOL { ITER_POOL } else { 0 };
        vm.iter_pool.try_reserve_exact(pool).map_err(|_| NoMemory)?;
        for _ in 0..pool {
            let it = vm.heap.alloc_values(crate::objects::Kind::SeqIter, 3).map_err(|_| NoMemory)?;
            vm.iter_pool.push(Value::obj(it));
        }
        let g = vm.globals.as_obj().ok_or(NoMemory)?;
        vm.dict_set(g, Value::qstr(q::__name__), Value::qstr(q::__main__)).map_err(err)?;
        // `import __main__` finds the program's own namespace.
        let main = vm.new_module(q::__main__, vm.globals).map_err(err)?;
        let mods = vm.sys_modules.as_obj().ok_or(NoMemory)?;
        vm.dict_set(mods, Value::qstr(q::__main__), main).map_err(err)?;
        Ok(vm)
    }

    pub(crate) fn qstr_pool(&self) -> ObjRef {
        self.qstr_pool.as_obj().expect("pool made at start")
    }

    pub(crate) fn emergency_memory_error(&self) -> Value {
        self.emergency_memory_error
    }

    /// Runs (once) the function `sys.atexit` registered; a port calls this
    /// when the program ends.
    pub fn run_atexit(&mut self) -> PyResult<()> {
        let f = core::mem::replace(&mut self.atexit, Value::NULL);
        if f.is_null() || f.is_none() {
            return Ok(());
        }
        self.call(f, &[]).map(|_| ())
    }

    /// A full collection; every live value must be reachable from the roots
    /// below (see `heap`'s rooting rule). Returns the bytes freed.
    pub fn collect(&mut self) -> usize {
        let Vm {
            heap,
            qstr_pool,
            globals,
            emergency_memory_error,
            emergency_exception,
            scratch_slice,
            scratch_super,
            attr_probe,
            iter_pool,
            sys_argv,
            atexit,
            sys_path,
            sys_modules,
            scheduled,
            irq_handlers,
            vfs_mounts,
            vfs_cur,
            vfs_files,
            #[cfg(feature = "foreign")]
            c_handles,
            frames,
            stack,
            handling,
            roots,
            ..
        } = self;
        heap.collect(|m| {
            m.mark(*qstr_pool);
            m.mark(*globals);
            m.mark(*emergency_memory_error);
            m.mark(*emergency_exception);
            m.mark(*scratch_slice);
            m.mark(*scratch_super);
            m.mark(*attr_probe);
            m.mark(*sys_argv);
            m.mark(*atexit);
            m.mark(*sys_path);
            m.mark(*sys_modules);
            m.mark(*scheduled);
            m.mark(*irq_handlers);
            #[cfg(feature = "foreign")]
            m.mark(*c_handles);
            if cfg!(feature = "os") {
                m.mark(*vfs_mounts);
                m.mark(*vfs_cur);
                m.mark(*vfs_files);
            }
            m.mark_all(stack);
            m.mark_all(handling);
            m.mark_all(roots);
            m.mark_all(iter_pool);
            for f in frames.iter() {
                m.mark(Value::obj(f.code));
                m.mark(f.globals);
                m.mark(f.locals);
                m.mark(f.func);
                m.mark(f.generator);
            }
        })
    }

    /// Collects now if enough has been allocated since the last collection
    /// (`gc.threshold`). Only call where every live value is rooted.
    pub fn collect_if_requested(&mut self) {
        if self.heap.collect_requested {
            if self.heap.auto_collect {
                self.collect();
            }
            self.heap.collect_requested = false;
        }
    }

    /// Sets `sys.argv` (the port passes its command line).
    pub fn set_argv(&mut self, args: &[&[u8]]) -> PyResult<()> {
        let l = self.sys_argv.as_obj().expect("argv list");
        for a in args {
            let s = self.new_str(a)?;
            self.list_push(l, s)?;
        }
        Ok(())
    }

    /// Sets `__file__` of the main program (a port running a script file).
    pub fn set_main_file(&mut self, path: &[u8]) -> PyResult<()> {
        let s = self.new_str(path)?;
        let g = self.globals.as_obj().expect("globals dict");
        self.with_root(s, |vm| vm.dict_set(g, Value::qstr(q::__file__), s))
    }

    /// Replaces `sys.path` (where `import` looks for `.py` files).
    pub fn set_path(&mut self, dirs: &[&[u8]]) -> PyResult<()> {
        let l = self.sys_path.as_obj().expect("path list");
        while self.list_pop(l, 0).is_some() {}
        for d in dirs {
            let s = self.new_str(d)?;
            self.list_push(l, s)?;
        }
        Ok(())
    }

    /// Runs `f` with `v` kept alive across any collection inside it: the way
    /// native code holds a value over a call that may run Python (the rooting
    /// rule in `heap`).
    pub fn with_root<T>(&mut self, v: Value, f: impl FnOnce(&mut Vm) -> PyResult<T>) -> PyResult<T> {
        self.push_root(v)?;
        let r = f(self);
        self.pop_root();
        r
    }

    /// Ends `with_root`'s rooting; out of line in a build all for size.
    #[cfg_attr(pyrite_size, inline(never))]
    fn pop_root(&mut self) {
        self.roots.pop();
    }

    /// Roots `v` until the matching `roots.pop()`. Out of line: `with_root`
    /// is instantiated at a hundred places.
    #[inline(never)]
    fn push_root(&mut self, v: Value) -> PyResult<()> {
        self.roots.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
        self.roots.push(v);
        Ok(())
    }

    /// `n` values made by `f(vm, i)`, each rooted while the later ones are
    /// made (making one may run Python).
    pub(crate) fn make_rooted(&mut self, n: usize, mut f: impl FnMut(&mut Vm, usize) -> PyResult<Value>) -> PyResult<Vec<Value>> {
        let base = self.roots.len();
        self.roots.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
        let mut made = Ok(());
        for i in 0..n {
            match f(self, i) {
                Ok(v) => self.roots.push(v),
                Err(e) => {
                    made = Err(e);
                    break;
                }
            }
        }
        let items = self.roots[base..].to_vec();
        self.roots.truncate(base);
        made.map(|_| items)
    }

    /// Calls `f` on each item of `iterable` until it returns `false`, the
    /// iterator and the current item rooted throughout (either may be
    /// reachable from nowhere else while `f` or the iterator runs Python).
    pub fn for_each(&mut self, iterable: Value, mut f: impl FnMut(&mut Vm, Value) -> PyResult<bool>) -> PyResult<()> {
        self.for_each_dyn(iterable, &mut f)
    }

    /// `for_each`'s one body (two dozen callers would otherwise each get a
    /// copy of the loop).
    fn for_each_dyn(&mut self, iterable: Value, f: &mut dyn FnMut(&mut Vm, Value) -> PyResult<bool>) -> PyResult<()> {
        // The iterator is ours alone: a pooled one, given back after.
        let it = self.for_loop_iter(iterable)?;
        let r = self.with_root(it, |vm| {
            while let Some(v) = vm.next_after_collect(it, false)? {
                // Out of memory once the item is taken: collect here and try
                // again, as the caller's state is rooted (it must be: the
                // iterator may run Python code, which collects). Failing, the
                // calling instruction would be retried with the item lost.
                let go = vm.retry_after_collect(v, |vm| f(vm, v))?;
                if !go {
                    break;
                }
            }
            Ok(())
        });
        self.for_loop_done(it);
        r
    }

    /// Runs `f` (which allocates) with `keep` rooted; out of memory, collects
    /// and runs it once more. For native code that has already taken an
    /// iterator's items: failing, its instruction would be retried with the
    /// items gone. Everything `f` needs must be reachable from `keep`.
    /// Failing again, it is a `MemoryError` now: the calling instruction
    /// must not be retried either.
    pub(crate) fn retry_after_collect<T>(&mut self, keep: Value, mut f: impl FnMut(&mut Vm) -> PyResult<T>) -> PyResult<T> {
        // The generic part is kept small: it is inlined at every use.
        let r = self.with_root(keep, |vm| match f(vm) {
            Err(PyErr::NoMemory) if vm.collect_to_retry() => f(vm),
            r => r,
        });
        r.map_err(|e| self.final_error(e))
    }

    /// Collects if collections may run now; whether it did.
    #[inline(never)]
    pub(crate) fn collect_to_retry(&mut self) -> bool {
        if self.heap.auto_collect {
            self.collect();
        }
        self.heap.auto_collect
    }

    /// An error after the last try: out of memory is a `MemoryError` now,
    /// or the exception that had no room for its message, bare.
    #[inline(never)]
    fn final_error(&mut self, e: PyErr) -> PyErr {
        if e != PyErr::NoMemory {
            return e;
        }
        match self.wanted_exception.take() {
            Some(ty) => self.raise_bare(ty),
            None => PyErr::exc(self.exception_value(PyErr::NoMemory)),
        }
    }

    /// A builtin's result, made final: out of memory after it took items
    /// from an iterator (the count moved since `taken`), the calling
    /// instruction must not be retried (they would be lost), so it is a
    /// `MemoryError` now. Builtins collect and try again themselves where
    /// they can (`for_each`, `retry_after_collect`).
    pub(crate) fn not_retried<T>(&mut self, taken: u32, r: PyResult<T>) -> PyResult<T> {
        // Generic in name only: one copy of the work.
        r.map_err(|e| self.not_retried_error(taken, e))
    }

    #[inline(never)]
    fn not_retried_error(&mut self, taken: u32, e: PyErr) -> PyErr {
        if e == PyErr::NoMemory && self.taken != taken {
            self.collect();
            return PyErr::exc(self.exception_value(PyErr::NoMemory));
        }
        e
    }

    /// A new list of the items `iterable` yields.
    pub fn list_from_iter(&mut self, iterable: Value) -> PyResult<Value> {
        let l = self.new_list(&[])?;
        let lr = l.as_obj().expect("new list");
        self.with_root(l, |vm| vm.for_each(iterable, |vm, v| vm.list_push(lr, v).map(|_| true)))?;
        Ok(l)
    }

    /// Asks the running code to stop with `KeyboardInterrupt`.
    pub fn interrupt_flag(&self) -> &'static AtomicBool {
        self.interrupt
    }

    /// The flag the port sets (from an interrupt handler) when it queues an
    /// interrupt event.
    pub fn set_event_flag(&mut self, flag: &'static AtomicBool) {
        self.events = flag;
    }

    /// Makes the next check run the callbacks of queued interrupt events
    /// (a blocking call, such as a sleep, woken by one).
    pub(crate) fn wake_for_events(&mut self) {
        if crate::features::EVENTS && self.events.load(Ordering::Relaxed) {
            self.service_soon();
        }
    }

    /// Sleeps `us` microseconds, or with None until an interrupt event
    /// (`machine.lightsleep()`), which `until_event` also stops it at; in
    /// slices of at most 50 ms, so that Ctrl-C and scheduled calls are not
    /// held up.
    pub(crate) fn sleep_for(&mut self, us: Option<u64>, until_event: bool) -> PyResult<Value> {
        let mut left = us;
        while left != Some(0) && !(until_event && self.events.load(Ordering::Relaxed)) {
            self.wake_for_events();
            self.check_interrupt()?;
            let step = left.unwrap_or(u64::MAX).min(50_000);
            let t0 = self.port.ticks_us();
            self.port.sleep_us(step);
            // A port may wake early for an interrupt event: its callback
            // runs at the next check, then the rest is slept; one that
            // sleeps whole ticks wakes late, and the next slice is shorter.
            // (A port whose clock does not move counts the whole step.)
            let slept = self.port.ticks_us().wrapping_sub(t0);
            if let Some(l) = left.as_mut() {
                *l = l.saturating_sub(if slept == 0 { step } else { slept });
            }
        }
        self.wake_for_events();
        self.check_interrupt()?;
        Ok(Value::NONE)
    }

    /// Raises `KeyboardInterrupt` if one was requested; now and then lets the
    /// port run other work (`Port::poll`).
    #[inline]
    pub fn check_interrupt(&mut self) -> PyResult<()> {
        // One countdown and one flag on the hot path: `schedule()` sets the
        // countdown to 1, so queued calls run at the next check. Interrupt
        // events wait for the countdown (at most `POLL_INTERVAL` checks) or
        // a sleep (`wake_for_events`).
        self.poll_countdown -= 1;
        if self.poll_countdown == 0 || self.interrupt.load(Ordering::Relaxed) {
            return self.service_pending();
        }
        Ok(())
    }

    /// Calls are queued (a build without a scheduler has no queue).
    fn queued(&self) -> bool {
        crate::features::SCHEDULER && self.scheduled.as_obj().is_some_and(|l| crate::objects::list::len(&self.heap, l) > 0)
    }

    fn has_scheduled(&self) -> bool {
        !self.running_scheduled && self.queued()
    }

    /// Whether `machine.soft_reset()` asked for a soft reset (once).
    pub fn take_soft_reset(&mut self) -> bool {
        core::mem::take(&mut self.soft_reset)
    }

    /// Whether a soft reset is asked for, without taking the request.
    pub fn soft_reset_pending(&self) -> bool {
        self.soft_reset
    }

    /// Makes the next `check_interrupt` look at the pending work.
    pub(crate) fn service_soon(&mut self) {
        self.poll_countdown = 1;
    }

    /// The port's poll, Ctrl-C and scheduled calls: what `check_interrupt`
    /// found to do.
    #[inline(never)]
    fn service_pending(&mut self) -> PyResult<()> {
        if self.poll_countdown == 0 {
            self.poll_countdown = POLL_INTERVAL;
            self.port.poll();
        }
        if self.interrupt.load(Ordering::Relaxed) {
            // Never out of memory: with the heap full (or locked) it is the
            // emergency instance, as MicroPython raises its preallocated one.
            // Failing here would lose the key (or retry the jump forever).
            let e = self.bare_exception(TypeId::KeyboardInterrupt)?;
            self.interrupt.store(false, Ordering::Relaxed);
            return Err(PyErr::exc(e));
        }
        // Only `machine` classes register interrupt callbacks.
        if crate::features::EVENTS && self.events.swap(false, Ordering::Relaxed) {
            // Calls still queued are due: run them before queueing more.
            if self.has_scheduled() {
                self.run_scheduled()?;
            }
            self.queue_events()?;
        }
        if self.has_scheduled() {
            self.run_scheduled()?;
        }
        // Calls queued while others ran (or by a callback for itself) wait
        // for the next check, after the program has moved on.
        if self.queued() {
            self.service_soon();
        }
        Ok(())
    }

    /// Compiles source into a module code object; a syntax error becomes a
    /// `SyntaxError` whose traceback names the file and line.
    pub fn compile(&mut self, src: &[u8], file: &str, mode: Mode) -> PyResult<Value> {
        self.compile_named(src, file.as_bytes(), mode)
    }

    /// `compile` with the file name as bytes (a module's path, a name
    /// given to `compile()`), as Python code hands them over.
    pub fn compile_named(&mut self, src: &[u8], file: &[u8], mode: Mode) -> PyResult<Value> {
        if self.frames.is_empty() {
            self.mark_stack_start();
        }
        self.collect_if_requested();
        // Nothing is made yet: out of memory, collect and try once more
        // (top-level code has no instruction to retry).
        let file_q = match self.intern(file) {
            Err(PyErr::NoMemory) if self.collect_to_retry() => self.intern(file)?,
            r => r?,
        };
        let mut result = compile::compile(self, src, file_q, mode);
        if matches!(result, Err(e) if e.kind() == ErrorKind::NoMemory) && self.heap.auto_collect {
            // Nothing the failed attempt made is referenced: collect and retry.
            self.collect();
            result = compile::compile(self, src, file_q, mode);
        }
        result.map_err(|e| {
            let ty = match e.kind() {
                ErrorKind::Syntax => TypeId::SyntaxError,
                ErrorKind::Indentation => TypeId::IndentationError,
                ErrorKind::NoMemory => return PyErr::NoMemory,
                ErrorKind::StackFull => TypeId::RuntimeError,
            };
            let err = self.raise(ty, e.msg());
            if let PyErr::Exc(exc) = err {
                self.add_traceback(exc.value(), file_q, e.line() as usize, q::EMPTY);
            }
            err
        })
    }

    /// Runs a module code object in `__main__`'s namespace.
    pub fn run_module(&mut self, code_obj: Value) -> PyResult<Value> {
        self.run_code(code_obj, self.globals, self.globals)
    }

    /// Runs a module-level code object with the given namespaces.
    pub fn run_code(&mut self, code_obj: Value, globals: Value, locals: Value) -> PyResult<Value> {
        let c = code_obj.as_obj().filter(|&r| self.heap.kind(r) == Kind::Code);
        let Some(c) = c else { return Err(self.raise(TypeId::TypeError, "expected a code object")) };
        if self.frames.is_empty() {
            self.mark_stack_start();
        }
        let info = code_info(&self.heap, c);
        self.stack.try_reserve(info.n_locals + info.stack + 1).map_err(|_| PyErr::NoMemory)?;
        self.frames.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
        let entry = self.frames.len();
        let sp = self.stack.len();
        // Module code from the compiler has no local slots; code translated
        // from a .mpy file may (scratch slots).
        #[cfg(feature = "mpy")]
        self.stack.resize(sp + info.n_locals, Value::NULL);
        self.frames.push(Frame {
            code: c,
            bc: info.bytecode,
            consts: info.consts,
            globals,
            locals,
            func: Value::NULL,
            ip: 0,
            base: sp,
            ret_sp: sp,
            construct: false,
            generator: Value::NULL,
        });
        // The code object is rooted by its frame from here on.
        self.run(entry)
    }

    /// Compiles and runs `src` as `__main__`.
    /// Compiles source held in a bytes object on the Python heap, without a
    /// copy: the object stays rooted, and objects never move or change while
    /// the compiler reads it (the heap's `CodeView`).
    #[cfg(feature = "os")]
    pub(crate) fn compile_heap_source(&mut self, src: Value, file: &[u8], mode: Mode) -> PyResult<Value> {
        let Some(r) = src.as_obj() else { return Err(self.raise(TypeId::TypeError, "source must be bytes")) };
        let view = self.heap.code_view(r);
        self.with_root(src, |vm| vm.compile_named(view.bytes(), file, mode))
    }

    /// Runs a file of the port's file system (`boot.py`, `main.py`) as a
    /// module named `__main__`'s code; `Ok(None)` when there is no such file.
    /// Its source is read onto the Python heap, not the small Rust heap.
    #[cfg(feature = "os")]
    pub fn exec_file(&mut self, path: &[u8], name: &str) -> PyResult<Option<Value>> {
        let Some(src) = self.read_to_heap(path)? else { return Ok(None) };
        let code_obj = self.compile_heap_source(src, name.as_bytes(), Mode::File)?;
        self.run_top(code_obj).map(Some)
    }

    pub fn exec(&mut self, src: &[u8], file: &str, mode: Mode) -> PyResult<Value> {
        let code_obj = self.compile(src, file, mode)?;
        self.run_top(code_obj)
    }

    /// Whether small int `i` is a small int of the target the compiler
    /// compiles for too (this machine, but when freezing for another).
    /// (Callers hold ints that are small ints here.)
    #[inline]
    pub(crate) fn small_int_for_target(&self, _i: i64) -> bool {
        #[cfg(any(test, feature = "freeze"))]
        return self.target_word_bits >= usize::BITS || matches!(_i >> (self.target_word_bits - 2), -1 | 0);
        #[cfg(not(any(test, feature = "freeze")))]
        true
    }

    /// Whether the compiler makes every string literal a name (for a frozen
    /// image, whose names stay in flash).
    pub(crate) fn names_for_all_strings(&self) -> bool {
        #[cfg(any(test, feature = "freeze"))]
        if self.freezing.is_some() {
            return true;
        }
        false
    }

    /// Runs top-level code just compiled.
    pub(crate) fn run_top(&mut self, code_obj: Value) -> PyResult<Value> {
        // Callbacks for events that came while no Python ran go first.
        if crate::features::EVENTS && self.events.load(Ordering::Relaxed) {
            self.service_soon();
            self.with_root(code_obj, |vm| vm.check_interrupt())?;
        }
        self.run_module(code_obj)
    }

    /// Prints an exception and its traceback to stderr, MicroPython style.
    /// Line by line, so a long traceback needs no big buffer: this runs when
    /// memory may be exhausted.
    pub fn print_exception(&mut self, exc: Value) {
        self.emit_exception(exc, &mut |vm, b| vm.port.stderr(b));
    }

    /// The traceback and last line of `exc`, piece by piece, to `out`
    /// (the console, or a stream for `sys.print_exception(e, file)`).
    pub(crate) fn emit_exception(&mut self, exc: Value, out: &mut dyn FnMut(&mut Vm, &[u8])) {
        let n = self.traceback_entries(exc).len() / 3;
        if n > 0 {
            out(self, b"Traceback (most recent call last):\n");
        }
        // Stored innermost first; printed outermost first.
        for i in (0..n).rev() {
            let e = &self.traceback_entries(exc)[i * 3..i * 3 + 3];
            let (file, line, name) =
                (e[0].as_qstr().unwrap_or(q::EMPTY), e[1].as_small_int().unwrap_or(0), e[2].as_qstr().unwrap_or(q::EMPTY));
            let (f, nm) = (self.name_copy(file), self.name_copy(name));
            out(self, b"  File \"");
            out(self, &f.0[..f.1]);
            out(self, b"\"");
            if crate::features::SOURCE_LINES {
                let mut num: Vec<u8> = Vec::new();
                let _ = crate::runtime::format::put_int(&mut num, line as i64);
                out(self, b", line ");
                out(self, &num);
            }
            if name != q::EMPTY {
                out(self, b", in ");
                out(self, &nm.0[..nm.1]);
            }
            out(self, b"\n");
        }
        let mut last: Vec<u8> = Vec::new();
        if self.write_exception_line(exc, &mut last).is_err() {
            // No memory even for the message: the type name still tells.
            last.clear();
            let ty = self.class_name(self.class_of(exc));
            let (buf, len) = self.name_copy(ty);
            let _ = put(&mut last, &buf[..len]);
        }
        let _ = put(&mut last, b"\n");
        out(self, &last);
    }

    /// `Type: message` (or `Type` alone) as the last line of a traceback.
    pub fn write_exception_line(&mut self, exc: Value, out: &mut Vec<u8>) -> PyResult<()> {
        // As MicroPython: the type, ": ", then str() of the exception.
        let name = self.class_name(self.class_of(exc));
        put(out, self.qstr_bytes(name))?;
        put(out, b": ")?;
        self.write_str(exc, out)
    }

    /// The source position of the innermost frame, for diagnostics.
    pub fn current_line(&self) -> Option<usize> {
        let f = self.frames.last()?;
        Some(line_for_offset(&self.heap, f.code, f.ip.saturating_sub(1)))
    }

    pub(crate) fn code_file_and_name(&self, c: ObjRef) -> (Qstr, Qstr) {
        let file = self.heap.slot(c, code::FILE).as_qstr().unwrap_or(q::EMPTY);
        let name = self.heap.slot(c, code::NAME).as_qstr().unwrap_or(q::EMPTY);
        (file, name)
    }
}

/// Appends to an output buffer without aborting on a failed allocation.
pub fn put(out: &mut Vec<u8>, b: &[u8]) -> PyResult<()> {
    out.try_reserve(b.len()).map_err(|_| PyErr::NoMemory)?;
    out.extend_from_slice(b);
    Ok(())
}
