//! The optional parts of the VM, as constants. Their hooks in shared code
//! (operators, iteration, repr) test these, so a part left out is folded away
//! by the compiler and its code never reaches flash.

pub const COMPLEX: bool = cfg!(feature = "complex");
/// float (MicroPython's MICROPY_FLOAT_IMPL; without it, _NONE).
pub const FLOAT: bool = cfg!(feature = "float");
/// Ints of any size (MicroPython's MICROPY_LONGINT_IMPL_MPZ); without it,
/// 64-bit ints (_LONGLONG).
pub const LONGINT: bool = cfg!(feature = "longint");
/// `X = const(expr)` and constant tuples made by the compiler (MicroPython's
/// MICROPY_COMP_CONST and _CONST_TUPLE).
pub const COMPILE_CONSTANTS: bool = cfg!(feature = "compile-constants");
pub const ARRAY: bool = cfg!(feature = "array");
pub const STRUCT: bool = cfg!(feature = "struct");
pub const COLLECTIONS: bool = cfg!(feature = "collections");
pub const IO: bool = cfg!(feature = "io");
pub const ASYNC: bool = cfg!(feature = "async");
/// set and frozenset (MicroPython's MICROPY_PY_BUILTINS_SET).
pub const SET: bool = cfg!(feature = "set");
/// Slices: `a[i:j:k]` and the slice type (MicroPython's
/// MICROPY_PY_BUILTINS_SLICE).
pub const SLICE: bool = cfg!(feature = "slice");
/// f-strings (MicroPython's MICROPY_PY_FSTRINGS).
pub const FSTRINGS: bool = cfg!(feature = "fstrings");
/// Source line numbers: the compiler's line tables and tracebacks'
/// `line N` (MicroPython's MICROPY_ENABLE_SOURCE_LINE, which its minimal
/// builds leave out: a traceback then names files and functions only).
pub const SOURCE_LINES: bool = cfg!(feature = "source-lines");
/// strs of Unicode characters stored as UTF-8: len, indices, slices,
/// iteration, ord/chr and format widths count characters (MicroPython's
/// MICROPY_PY_BUILTINS_STR_UNICODE). Without it, as in MicroPython's
/// minimal builds, a str is its bytes and chr() takes 0-255.
pub const STR_UNICODE: bool = cfg!(feature = "str-unicode");
/// What MicroPython's minimal ROM level leaves out of the core: property,
/// 3-argument pow, delattr and classes' `__setattr__`/`__delattr__`, round() of an int to digits, int.bit_length, str.encode, bytes.decode,
/// bytearray's list methods past append and extend, generators'
/// pend_throw, sys.stdin/stdout/stderr and exc_info, instances' special
/// methods past comparisons, `+` and `-` (and reflected ones), functions'
/// and ranges' attributes, equal ranges, and builtin modules' and types'
/// `__dict__` and types' `__bases__`, str.format's `{0.attr}`/`{0[key]}` and grouped floats (`{:,.2f}`), dicts'
/// `|` and `|=`, and `iter(f, sentinel)`; sys.atexit and sys.maxsize,
/// the builtin name NotImplemented, and the REPL's Emacs keys.
pub const CORE_FEATURES: bool = cfg!(feature = "core-features");
/// Interrupt events (pin edges, timer expiries, UART receptions, calls
/// native code schedules) whose callbacks the VM runs.
pub const EVENTS: bool =
    cfg!(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"));
/// Calls queued to run between instructions (MicroPython's
/// MICROPY_ENABLE_SCHEDULER): `micropython.schedule` and interrupt events
/// queue them; a build with neither has no queue to look at.
pub const SCHEDULER: bool = EVENTS || CORE_FEATURES;
/// Streams exist: the io module's, sys.stdin/stdout/stderr or files. With
/// them come `print(..., file=stream)` and `sys.print_exception(exc,
/// stream)` (MicroPython's MICROPY_PY_IO && MICROPY_PY_SYS_STDFILES);
/// without, print takes no `file` and exceptions print to the console, as
/// in MicroPython's minimal builds.
pub const STREAMS: bool = IO || CORE_FEATURES || cfg!(feature = "os");
pub const DESCRIPTORS: bool = cfg!(feature = "descriptors");
/// Data descriptors come from `property` (core-features) or classes with
/// `__set__`/`__delete__` (descriptors): without both, none exist.
pub const DATA_DESCRIPTORS: bool = CORE_FEATURES || DESCRIPTORS;
/// Exceptions the VM raises carry no message (MicroPython's
/// MICROPY_ERROR_REPORTING_NONE): their texts stay out of flash.
pub const TERSE_ERRORS: bool = cfg!(feature = "terse-errors");
