//! C modules: Python modules of C functions and constants that any Zephyr
//! library registers at link time with the macros of `pyrite.h`
//! (`PYRITE_MODULE_DEFINE`, `PYRITE_TYPE_DEFINE`: entries of the
//! `pyrite_module` iterable section), offered to the VM as its `Foreign`
//! tables. Arguments reach C as `PyriteValue`s that point into the Python
//! heap (no copies); what C returns is made into Python objects here.

use crate::bindings as c;
use crate::embed::{self, with_nested};
use core::cell::UnsafeCell;
use core::ffi::{c_char, c_void, CStr};
use pyrite_vm::error::{PyErr, PyResult};
use pyrite_vm::foreign::{Foreign, Member};
use pyrite_vm::objects::{Kind, TypeId};
use pyrite_vm::value::Value;
use pyrite_vm::Vm;

/// `PyriteValue.kind`: what a value is.
pub const PYRITE_NONE: u32 = 0;
pub const PYRITE_BOOL: u32 = 1;
/// An int that fits `int64_t` (`i`); a bigger one is a `PYRITE_OBJECT`.
pub const PYRITE_INT: u32 = 2;
pub const PYRITE_FLOAT: u32 = 3;
/// A str: `data`/`len`, UTF-8, not NUL-terminated (`pyrite_cstr` copies).
pub const PYRITE_STR: u32 = 4;
/// A bytes object: `data`/`len`, read-only.
pub const PYRITE_BYTES: u32 = 5;
/// A writable buffer (bytearray, array, memoryview): `data`/`len`, the
/// object's own bytes, valid for the call.
pub const PYRITE_BUFFER: u32 = 6;
/// A tuple or list of `len` items (`pyrite_item`).
pub const PYRITE_TUPLE: u32 = 7;
pub const PYRITE_LIST: u32 = 8;
/// A C object made with `pyrite_make_capsule`: `data` is its pointer.
pub const PYRITE_CAPSULE: u32 = 9;
/// Any other object (a function to call back, an instance...): `obj`.
pub const PYRITE_OBJECT: u32 = 10;

/// A Python value as C sees it. Pointers into the Python heap are valid
/// until the C function returns (arguments) or until the next call into
/// Pyrite (a call's result); `pyrite_hold` keeps the object longer.
#[repr(C)]
#[derive(Copy, Clone)]
pub struct PyriteValue {
    /// One of `PYRITE_NONE` ... `PYRITE_OBJECT`.
    pub kind: u32,
    /// `PYRITE_BOOL` (0 or 1) and `PYRITE_INT`.
    pub i: i64,
    /// `PYRITE_FLOAT`.
    pub f: f64,
    /// `PYRITE_STR`, `PYRITE_BYTES`, `PYRITE_BUFFER`: the bytes;
    /// `PYRITE_CAPSULE`: the C object.
    pub data: *mut c_void,
    /// The byte count, or a tuple's or list's item count.
    pub len: usize,
    /// The Python object itself (0 for a value C made and Pyrite has not).
    pub obj: usize,
}

impl PyriteValue {
    const NONE: PyriteValue = PyriteValue { kind: PYRITE_NONE, i: 0, f: 0.0, data: core::ptr::null_mut(), len: 0, obj: 0 };
}

/// `PyriteMember.kind`.
pub const PYRITE_MEMBER_FUNCTION: u8 = 0;
pub const PYRITE_MEMBER_INT: u8 = 1;
pub const PYRITE_MEMBER_FLOAT: u8 = 2;
pub const PYRITE_MEMBER_STR: u8 = 3;
/// A type of the section (`PYRITE_TYPE_MEMBER`): its class.
pub const PYRITE_MEMBER_TYPE: u8 = 4;

/// A C function Python calls: `nargs` arguments (their count already
/// checked against the member's), the result to set in `*ret` (None if
/// left). Returns 0, or what `pyrite_raise` returned to raise an exception.
/// (The C header's name for the type of `PyriteMember.function`.)
pub type PyriteFunction = unsafe extern "C" fn(args: *const PyriteValue, nargs: usize, ret: *mut PyriteValue) -> i32;

/// One name of a C module or type (`PYRITE_FUNCTION`, `PYRITE_METHOD`,
/// `PYRITE_INT_CONST`, `PYRITE_FLOAT_CONST`, `PYRITE_STR_CONST`,
/// `PYRITE_TYPE_MEMBER`).
#[repr(C)]
pub struct PyriteMember {
    pub name: *const c_char,
    /// One of `PYRITE_MEMBER_*`.
    pub kind: u8,
    /// Positional arguments a function takes; 255 as `max_args`: no limit.
    /// A type's functions are methods: `self` is the first.
    pub min_args: u8,
    pub max_args: u8,
    /// A `PyriteFunction`.
    pub function: Option<unsafe extern "C" fn(args: *const PyriteValue, nargs: usize, ret: *mut PyriteValue) -> i32>,
    pub int_value: i64,
    pub float_value: f64,
    pub str_value: *const c_char,
    pub type_value: *const PyriteModule,
}

/// A C module (importable by `name`, dotted for a submodule) or a capsule
/// type (`is_type`: its members are the methods and constants of its
/// capsules, a `__new__` function makes one when the type is called, its
/// `finalise` releases a capsule's C object).
#[repr(C)]
pub struct PyriteModule {
    pub name: *const c_char,
    pub members: *const PyriteMember,
    pub n_members: usize,
    pub is_type: bool,
    pub finalise: Option<unsafe extern "C" fn(ptr: *mut c_void)>,
}

// SAFETY: the section's entries are constant data, shared read-only.
unsafe impl Sync for PyriteModule {}
unsafe impl Sync for PyriteMember {}

/// The section's entries (at most 256 are seen).
fn tables() -> &'static [PyriteModule] {
    let mut n = 0usize;
    // SAFETY: the glue returns the section's start and its entry count;
    // the section is constant for the program's life.
    unsafe {
        let p = c::pyrite_port_modules(&mut n) as *const PyriteModule;
        if p.is_null() || n == 0 {
            return &[];
        }
        core::slice::from_raw_parts(p, n.min(256))
    }
}

/// The bytes of a C string in a table (empty for NULL).
fn text(p: *const c_char) -> &'static [u8] {
    if p.is_null() {
        return b"";
    }
    // SAFETY: the macros store string literals: NUL-terminated, static.
    unsafe { CStr::from_ptr(p) }.to_bytes()
}

fn members(t: &PyriteModule) -> &'static [PyriteMember] {
    if t.members.is_null() {
        return &[];
    }
    // SAFETY: the macros store an array and its length, static.
    unsafe { core::slice::from_raw_parts(t.members, t.n_members.min(256)) }
}

/// The C modules, as the VM's `Foreign` tables.
pub(crate) struct CModules;

pub(crate) static C_MODULES: CModules = CModules;

impl Foreign for CModules {
    fn find(&self, name: &[u8]) -> Option<u8> {
        tables().iter().position(|t| !t.is_type && text(t.name) == name).map(|i| i as u8)
    }

    fn names(&self, each: &mut dyn FnMut(&[u8])) {
        tables().iter().filter(|t| !t.is_type).for_each(|t| each(text(t.name)));
    }

    fn table_name(&self, table: u8) -> &'static [u8] {
        tables().get(table as usize).map_or(b"?", |t| text(t.name))
    }

    fn member(&self, table: u8, member: u8) -> Option<(&'static [u8], Member)> {
        let m = members(tables().get(table as usize)?).get(member as usize)?;
        let what = match m.kind {
            PYRITE_MEMBER_FUNCTION => Member::Function { min: m.min_args, max: m.max_args },
            PYRITE_MEMBER_INT => Member::Int(m.int_value),
            PYRITE_MEMBER_FLOAT => Member::Float(m.float_value),
            PYRITE_MEMBER_STR => Member::Str(text(m.str_value)),
            PYRITE_MEMBER_TYPE => Member::Type(self.capsule_table(m.type_value as usize)?),
            _ => return None,
        };
        Some((text(m.name), what))
    }

    fn call(&self, vm: &mut Vm, table: u8, member: u8, args: &[Value]) -> PyResult<Value> {
        let Some(f) = tables().get(table as usize).and_then(|t| members(t).get(member as usize)).and_then(|m| m.function) else {
            return Err(vm.raise(TypeId::NotImplementedError, "not built in"));
        };
        let mut small = [PyriteValue::NONE; 6];
        let mut big = alloc::vec::Vec::new();
        let cargs: &mut [PyriteValue] = if args.len() <= small.len() {
            &mut small[..args.len()]
        } else {
            big.try_reserve_exact(args.len()).map_err(|_| PyErr::NoMemory)?;
            big.resize(args.len(), PyriteValue::NONE);
            &mut big
        };
        for (c, &v) in cargs.iter_mut().zip(args) {
            *c = to_c(vm, v);
        }
        let mut ret = PyriteValue::NONE;
        // What the C function makes (pyrite_make*) is rooted until it has
        // been returned.
        let roots = vm.roots.len();
        // SAFETY: a function of the section with its arguments and result;
        // the pointers in them are valid for the call (the arguments stay
        // on the VM's stack), and C reaches the VM only through the nested
        // pointer `with_nested` sets.
        let rc = with_nested(vm, || unsafe { f(cargs.as_ptr(), cargs.len(), &mut ret) });
        let raised = take_raised();
        let r = match STOPPING.take() {
            // Ctrl-C (or sys.exit) in Python that C called stops the caller
            // too, whatever C made of it.
            Some(e) => Err(e),
            None if rc != 0 => Err(raised.unwrap_or_else(|| vm.raise(TypeId::RuntimeError, "C function failed"))),
            None => from_c(vm, &ret),
        };
        vm.roots.truncate(roots);
        r
    }

    fn capsule_table(&self, ty: usize) -> Option<u8> {
        tables().iter().position(|t| t.is_type && t as *const PyriteModule as usize == ty).map(|i| i as u8)
    }

    fn finalise(&self, ptr: usize, ty: usize) {
        let Some(t) = tables().iter().find(|t| t.is_type && *t as *const PyriteModule as usize == ty) else { return };
        if let Some(f) = t.finalise {
            // SAFETY: the type's own finaliser, with the pointer it was made
            // with (pyrite_make_capsule); it runs once, as the capsule dies.
            unsafe { f(ptr as *mut c_void) };
        }
    }
}

/// A Python value for C. Bytes stay where they are: a str's or bytes'
/// payload, a buffer's storage.
pub(crate) fn to_c(vm: &mut Vm, v: Value) -> PyriteValue {
    let mut c = PyriteValue { obj: v.bits(), ..PyriteValue::NONE };
    if v == Value::TRUE || v == Value::FALSE {
        c.kind = PYRITE_BOOL;
        c.i = (v == Value::TRUE) as i64;
    } else if v.is_none() {
        c.kind = PYRITE_NONE;
    } else if let Some(i) = vm.as_int(v) {
        c.kind = PYRITE_INT;
        c.i = i;
    } else if let Some(s) = vm.str_bytes(v) {
        c.kind = PYRITE_STR;
        (c.data, c.len) = (s.as_ptr() as *mut c_void, s.len());
    } else if let Some((p, n)) = vm.writable_buffer(v) {
        c.kind = PYRITE_BUFFER;
        (c.data, c.len) = (p as *mut c_void, n);
    } else if let Some((p, _)) = vm.capsule_parts(v) {
        c.kind = PYRITE_CAPSULE;
        c.data = p as *mut c_void;
    } else {
        match vm.kind_of(v) {
            Some(Kind::Bytes) => {
                let b = vm.bytes_payload(v).unwrap_or(&[]);
                c.kind = PYRITE_BYTES;
                (c.data, c.len) = (b.as_ptr() as *mut c_void, b.len());
            }
            Some(k @ (Kind::Tuple | Kind::List)) => {
                c.kind = if k == Kind::Tuple { PYRITE_TUPLE } else { PYRITE_LIST };
                c.len = vm.seq_items(v).map_or(0, |s| s.len());
            }
            #[cfg(feature = "float")]
            Some(Kind::Float) => {
                c.kind = PYRITE_FLOAT;
                // From the build's float, single or double.
                #[allow(clippy::useless_conversion)]
                let f = f64::from(vm.as_float(v).unwrap_or(0.0));
                c.f = f;
            }
            _ => c.kind = PYRITE_OBJECT,
        }
    }
    c
}

/// A value C made: scalars and C bytes become new objects; an object C was
/// given (or made with `pyrite_make*`) is itself.
pub(crate) fn from_c(vm: &mut Vm, c: &PyriteValue) -> PyResult<Value> {
    if c.obj != 0 {
        return match vm.value_from_bits(c.obj) {
            Some(v) => Ok(v),
            None => Err(vm.raise(TypeId::ValueError, "not a Python object")),
        };
    }
    let bytes = |c: &PyriteValue| -> &[u8] {
        if c.data.is_null() {
            return &[];
        }
        // SAFETY: C's bytes, `len` of them, valid while it returns them.
        unsafe { core::slice::from_raw_parts(c.data as *const u8, c.len) }
    };
    match c.kind {
        PYRITE_NONE => Ok(Value::NONE),
        PYRITE_BOOL => Ok(Value::from_bool(c.i != 0)),
        PYRITE_INT => vm.int_value(c.i),
        #[cfg(feature = "float")]
        // To the build's float, single or double.
        #[allow(clippy::unnecessary_cast)]
        PYRITE_FLOAT => vm.new_float(c.f as pyrite_vm::objects::fmath::Float),
        PYRITE_STR if pyrite_vm::objects::str::utf8_valid(bytes(c)) => vm.new_str(bytes(c)),
        PYRITE_STR => Err(vm.raise(TypeId::UnicodeError, "C string isn't UTF-8")),
        PYRITE_BYTES => vm.new_bytes(bytes(c)),
        PYRITE_BUFFER => {
            let b = vm.new_bytes(bytes(c))?;
            vm.with_root(b, |vm| vm.call(TypeId::ByteArray.value(), &[b]))
        }
        _ => Err(vm.raise(TypeId::TypeError, "C value of unknown kind")),
    }
}

/// The exception a C function raised (`pyrite_raise`), for the Python
/// thread alone.
struct Raised(UnsafeCell<Option<PyErr>>);

// SAFETY: only the Python thread reaches it (every entry point that does
// checks the thread).
unsafe impl Sync for Raised {}

impl Raised {
    fn take(&self) -> Option<PyErr> {
        // SAFETY: see `Raised`; no reference to the cell outlives this line.
        unsafe { (*self.0.get()).take() }
    }

    fn set(&self, e: PyErr) {
        // SAFETY: as `take`.
        unsafe { *self.0.get() = Some(e) };
    }
}

static RAISED: Raised = Raised(UnsafeCell::new(None));

fn take_raised() -> Option<PyErr> {
    RAISED.take()
}

fn set_raised(e: PyErr) {
    RAISED.set(e)
}

/// A `KeyboardInterrupt` or `SystemExit` that Python code a C function
/// called ended with: raised again when the C function returns.
static STOPPING: Raised = Raised(UnsafeCell::new(None));

pub(crate) fn set_stopping(e: PyErr) {
    STOPPING.set(e)
}

/// `PyriteExc`: which built-in exception `pyrite_raise` raises.
pub const PYRITE_EXC_EXCEPTION: u32 = 0;
pub const PYRITE_EXC_TYPE_ERROR: u32 = 1;
pub const PYRITE_EXC_VALUE_ERROR: u32 = 2;
pub const PYRITE_EXC_OS_ERROR: u32 = 3;
pub const PYRITE_EXC_RUNTIME_ERROR: u32 = 4;
pub const PYRITE_EXC_INDEX_ERROR: u32 = 5;
pub const PYRITE_EXC_KEY_ERROR: u32 = 6;
pub const PYRITE_EXC_MEMORY_ERROR: u32 = 7;
pub const PYRITE_EXC_OVERFLOW_ERROR: u32 = 8;
pub const PYRITE_EXC_NOT_IMPLEMENTED_ERROR: u32 = 9;
pub const PYRITE_EXC_ATTRIBUTE_ERROR: u32 = 10;
pub const PYRITE_EXC_ZERO_DIVISION_ERROR: u32 = 11;
pub const PYRITE_EXC_STOP_ITERATION: u32 = 12;

fn exception_type(exc: u32) -> TypeId {
    match exc {
        PYRITE_EXC_TYPE_ERROR => TypeId::TypeError,
        PYRITE_EXC_VALUE_ERROR => TypeId::ValueError,
        PYRITE_EXC_OS_ERROR => TypeId::OSError,
        PYRITE_EXC_RUNTIME_ERROR => TypeId::RuntimeError,
        PYRITE_EXC_INDEX_ERROR => TypeId::IndexError,
        PYRITE_EXC_KEY_ERROR => TypeId::KeyError,
        PYRITE_EXC_MEMORY_ERROR => TypeId::MemoryError,
        PYRITE_EXC_OVERFLOW_ERROR => TypeId::OverflowError,
        PYRITE_EXC_NOT_IMPLEMENTED_ERROR => TypeId::NotImplementedError,
        PYRITE_EXC_ATTRIBUTE_ERROR => TypeId::AttributeError,
        PYRITE_EXC_ZERO_DIVISION_ERROR => TypeId::ZeroDivisionError,
        PYRITE_EXC_STOP_ITERATION => TypeId::StopIteration,
        _ => TypeId::Exception,
    }
}

/// From a C function: raises exception `exc` (a `PYRITE_EXC_*`) with
/// message `msg` (NULL: none) when the function returns what this returns.
/// Returns -1 (or -2 outside the Python thread, where nothing is raised).
///
/// # Safety
/// `msg` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pyrite_raise(exc: u32, msg: *const c_char) -> i32 {
    let ty = exception_type(exc);
    let msg = text(msg);
    match embed::with_vm(|vm| if msg.is_empty() { vm.raise_parts(ty, &[]) } else { vm.raise_parts(ty, &[msg]) }) {
        Ok(e) => {
            set_raised(e);
            -1
        }
        Err(code) => code,
    }
}

/// From a C function: raises `OSError(err)` (an errno value, positive) when
/// the function returns what this returns (-1).
#[no_mangle]
pub extern "C" fn pyrite_raise_errno(err: i32) -> i32 {
    match embed::with_vm(|vm| match vm.new_exception(TypeId::OSError, &[Value::small_int(err.unsigned_abs() as isize)]) {
        Ok(e) => PyErr::exc(e),
        Err(e) => e,
    }) {
        Ok(e) => {
            set_raised(e);
            -1
        }
        Err(code) => code,
    }
}

/// Item `index` of a `PYRITE_TUPLE` or `PYRITE_LIST` into `*out`. Returns 0,
/// or -1 (IndexError or TypeError raised).
///
/// # Safety
/// `seq` and `out` point to valid values.
#[no_mangle]
pub unsafe extern "C" fn pyrite_item(seq: *const PyriteValue, index: usize, out: *mut PyriteValue) -> i32 {
    // SAFETY: the caller's pointers.
    let (seq, out) = unsafe { (&*seq, &mut *out) };
    let r = embed::with_vm(|vm| {
        let Some(v) = vm.value_from_bits(seq.obj) else { return Err(vm.raise(TypeId::TypeError, "not a tuple or list")) };
        let item = match vm.seq_items(v) {
            Some(items) => items.get(index).copied(),
            None => return Err(vm.raise(TypeId::TypeError, "not a tuple or list")),
        };
        match item {
            Some(x) => Ok(to_c(vm, x)),
            None => Err(vm.raise(TypeId::IndexError, "index out of range")),
        }
    });
    finish(r, |v| *out = v)
}

/// Makes `*v` (a C value: scalar, or C bytes that may not outlive the call)
/// a Python object now: its bytes are copied, and `v->obj` is set. For a
/// result built in a C buffer on the stack. Returns 0 or -1 (raised).
///
/// # Safety
/// `v` points to a valid value whose `data` holds `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn pyrite_make(v: *mut PyriteValue) -> i32 {
    // SAFETY: the caller's pointer.
    let v = unsafe { &mut *v };
    let r = embed::with_vm(|vm| {
        let o = from_c(vm, v)?;
        keep(vm, o)?;
        Ok(to_c(vm, o))
    });
    finish(r, |x| *v = x)
}

/// Makes a tuple (`list` false) or list of `n` C values in `*out`. Returns
/// 0 or -1 (raised).
///
/// # Safety
/// `items` points to `n` valid values, `out` to one.
#[no_mangle]
pub unsafe extern "C" fn pyrite_make_sequence(out: *mut PyriteValue, items: *const PyriteValue, n: usize, list: bool) -> i32 {
    // SAFETY: the caller's pointers.
    let (out, items) = unsafe { (&mut *out, core::slice::from_raw_parts(items, n)) };
    let r = embed::with_vm(|vm| {
        let base = vm.roots.len();
        for c in items {
            let v = from_c(vm, c)?;
            vm.roots.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
            vm.roots.push(v);
        }
        // Allocation never collects: the items need no rooting from here.
        let made = {
            let mut got = alloc::vec::Vec::new();
            got.try_reserve_exact(n).map_err(|_| PyErr::NoMemory)?;
            got.extend_from_slice(&vm.roots[base..]);
            vm.roots.truncate(base);
            if list {
                vm.new_list(&got)
            } else {
                vm.new_tuple(&got)
            }
        };
        let o = made?;
        keep(vm, o)?;
        Ok(to_c(vm, o))
    });
    finish(r, |x| *out = x)
}

/// Makes a capsule of type `ty` (a `PYRITE_TYPE(name)`) holding C object
/// `ptr` in `*out`; the type's finaliser gets `ptr` when the capsule dies.
/// Returns 0 or -1 (raised).
///
/// # Safety
/// `out` points to a value; `ty` to a type of the section.
#[no_mangle]
pub unsafe extern "C" fn pyrite_make_capsule(out: *mut PyriteValue, ptr: *mut c_void, ty: *const PyriteModule) -> i32 {
    // SAFETY: the caller's pointer.
    let out = unsafe { &mut *out };
    let r = embed::with_vm(|vm| {
        if C_MODULES.capsule_table(ty as usize).is_none() {
            return Err(vm.raise(TypeId::TypeError, "not a registered C type"));
        }
        let o = vm.new_capsule(ptr as usize, ty as usize)?;
        keep(vm, o)?;
        Ok(to_c(vm, o))
    });
    finish(r, |x| *out = x)
}

/// The C object of capsule `v` if it is of type `ty`, else NULL.
///
/// # Safety
/// `v` points to a valid value.
#[no_mangle]
pub unsafe extern "C" fn pyrite_capsule_get(v: *const PyriteValue, ty: *const PyriteModule) -> *mut c_void {
    // SAFETY: the caller's pointer.
    let v = unsafe { &*v };
    embed::with_vm(|vm| match vm.value_from_bits(v.obj).and_then(|o| vm.capsule_parts(o)) {
        Some((p, t)) if t == ty as usize => p as *mut c_void,
        _ => core::ptr::null_mut(),
    })
    .unwrap_or(core::ptr::null_mut())
}

/// Roots what a C function made until it returns (the call truncates).
fn keep(vm: &mut Vm, o: Value) -> PyResult<()> {
    vm.roots.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
    vm.roots.push(o);
    Ok(())
}

/// 0 after storing a result, or -1 with the exception kept for the C
/// function's return (or the thread error code).
fn finish<T>(r: Result<PyResult<T>, i32>, store: impl FnOnce(T)) -> i32 {
    match r {
        Ok(Ok(v)) => {
            store(v);
            0
        }
        Ok(Err(e)) => {
            set_raised(e);
            -1
        }
        Err(code) => code,
    }
}
