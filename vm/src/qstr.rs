//! Interned strings ("qstrs"). Names known at build time live in a ROM table and
//! cost no RAM; names first seen at run time are interned into a pool inside the
//! GC heap (see `Vm::intern`). Two qstrs are equal iff their indices are.

#[derive(Copy, Clone, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub struct Qstr(pub u32);

macro_rules! static_qstrs {
    ($($name:ident = $text:literal,)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u32)]
        enum StaticIdx { $($name,)* Count }

        /// The static qstrs, by Rust name.
        #[allow(non_upper_case_globals)]
        pub mod q {
            use super::{Qstr, StaticIdx};
            $(pub const $name: Qstr = Qstr(StaticIdx::$name as u32);)*
        }

        pub const STATIC_COUNT: u32 = StaticIdx::Count as u32;
        static STATIC_TEXT: [&str; StaticIdx::Count as usize] = [$($text,)*];
    };
}

static_qstrs! {
    EMPTY = "",
    MODULE = "<module>",
    STDIN = "<stdin>",
    STRING = "<string>",
    LAMBDA = "<lambda>",
    LISTCOMP = "<listcomp>",
    DICTCOMP = "<dictcomp>",
    GENEXPR = "<genexpr>",
    SETCOMP = "<setcomp>",
    generator = "generator",
    send = "send",
    throw = "throw",
    close = "close",
    GeneratorExit = "GeneratorExit",
    COMP_ITER = ".0",
    COMP_RESULT = ".r",
    __main__ = "__main__",
    __name__ = "__name__",
    __init__ = "__init__",
    __str__ = "__str__",
    __repr__ = "__repr__",
    __class__ = "__class__",
    __file__ = "__file__",
    // builtins
    abs = "abs",
    bool = "bool",
    dict = "dict",
    int = "int",
    float = "float",
    isinstance = "isinstance",
    set = "set",
    frozenset = "frozenset",
    add = "add",
    discard = "discard",
    union = "union",
    intersection = "intersection",
    difference = "difference",
    symmetric_difference = "symmetric_difference",
    issubset = "issubset",
    issuperset = "issuperset",
    isdisjoint = "isdisjoint",
    key = "key",
    reverse = "reverse",
    getattr = "getattr",
    hasattr = "hasattr",
    setattr = "setattr",
    callable = "callable",
    all = "all",
    any = "any",
    sum = "sum",
    chr = "chr",
    ord = "ord",
    divmod = "divmod",
    round = "round",
    pow = "pow",
    hex = "hex",
    oct = "oct",
    bin = "bin",
    hash = "hash",
    id = "id",
    sorted = "sorted",
    enumerate = "enumerate",
    zip = "zip",
    map = "map",
    filter = "filter",
    reversed = "reversed",
    split = "split",
    strip = "strip",
    lstrip = "lstrip",
    rstrip = "rstrip",
    upper = "upper",
    lower = "lower",
    find = "find",
    rfind = "rfind",
    index = "index",
    replace = "replace",
    count = "count",
    startswith = "startswith",
    endswith = "endswith",
    isdigit = "isdigit",
    isalpha = "isalpha",
    isspace = "isspace",
    encode = "encode",
    decode = "decode",
    extend = "extend",
    insert = "insert",
    remove = "remove",
    copy = "copy",
    clear = "clear",
    sort = "sort",
    update = "update",
    setdefault = "setdefault",
    iter = "iter",
    next = "next",
    len = "len",
    list = "list",
    max = "max",
    min = "min",
    object = "object",
    print = "print",
    range = "range",
    slice = "slice",
    repr = "repr",
    str = "str",
    bytes = "bytes",
    tuple = "tuple",
    r#type = "type",
    super_ = "super",
    staticmethod = "staticmethod",
    classmethod = "classmethod",
    property = "property",
    issubclass = "issubclass",
    setter = "setter",
    getter = "getter",
    __dict__ = "__dict__",
    __bases__ = "__bases__",
    __getattr__ = "__getattr__",
    __call__ = "__call__",
    __iter__ = "__iter__",
    __next__ = "__next__",
    __len__ = "__len__",
    __bool__ = "__bool__",
    __getitem__ = "__getitem__",
    __setitem__ = "__setitem__",
    __delitem__ = "__delitem__",
    __contains__ = "__contains__",
    __eq__ = "__eq__",
    __ne__ = "__ne__",
    __lt__ = "__lt__",
    __le__ = "__le__",
    __gt__ = "__gt__",
    __ge__ = "__ge__",
    __add__ = "__add__",
    __sub__ = "__sub__",
    __mul__ = "__mul__",
    __truediv__ = "__truediv__",
    __floordiv__ = "__floordiv__",
    __mod__ = "__mod__",
    __pow__ = "__pow__",
    __and__ = "__and__",
    __or__ = "__or__",
    __xor__ = "__xor__",
    __lshift__ = "__lshift__",
    __rshift__ = "__rshift__",
    __neg__ = "__neg__",
    __pos__ = "__pos__",
    __invert__ = "__invert__",
    __hash__ = "__hash__",
    __enter__ = "__enter__",
    __exit__ = "__exit__",
    __setattr__ = "__setattr__",
    NotImplemented = "NotImplemented",
    sep = "sep",
    end = "end",
    // methods
    append = "append",
    pop = "pop",
    join = "join",
    get = "get",
    keys = "keys",
    values = "values",
    items = "items",
    // types without a builtin name
    NoneType = "NoneType",
    function = "function",
    bound_method = "bound_method",
    iterator = "iterator",
    module = "module",
    code = "code",
    builtin_function = "function",
    // exceptions
    BaseException = "BaseException",
    Exception = "Exception",
    ArithmeticError = "ArithmeticError",
    AssertionError = "AssertionError",
    AttributeError = "AttributeError",
    ImportError = "ImportError",
    IndexError = "IndexError",
    KeyError = "KeyError",
    KeyboardInterrupt = "KeyboardInterrupt",
    LookupError = "LookupError",
    MemoryError = "MemoryError",
    NameError = "NameError",
    NotImplementedError = "NotImplementedError",
    OSError = "OSError",
    OverflowError = "OverflowError",
    RuntimeError = "RuntimeError",
    StopIteration = "StopIteration",
    SyntaxError = "SyntaxError",
    IndentationError = "IndentationError",
    SystemExit = "SystemExit",
    TypeError = "TypeError",
    ValueError = "ValueError",
    ZeroDivisionError = "ZeroDivisionError",
    args = "args",
    memory_allocation_failed = "memory allocation failed",
    // modules
    machine = "machine",
    gc = "gc",
    collect = "collect",
    mem_free = "mem_free",
    mem_alloc = "mem_alloc",
    Pin = "Pin",
    IN = "IN",
    OUT = "OUT",
    PULL_UP = "PULL_UP",
    PULL_DOWN = "PULL_DOWN",
    OPEN_DRAIN = "OPEN_DRAIN",
    value = "value",
    on = "on",
    off = "off",
    toggle = "toggle",
    init = "init",
    mode = "mode",
    pull = "pull",
    time = "time",
    sleep = "sleep",
    sleep_ms = "sleep_ms",
    sleep_us = "sleep_us",
    ticks_ms = "ticks_ms",
    ticks_us = "ticks_us",
    ticks_diff = "ticks_diff",
    ticks_add = "ticks_add",
    enable = "enable",
    disable = "disable",
    isenabled = "isenabled",
    threshold = "threshold",
}

/// The text of a static qstr.
pub fn static_text(q: Qstr) -> Option<&'static str> {
    STATIC_TEXT.get(q.0 as usize).copied()
}

/// The static qstr spelled `text`, if there is one.
pub fn find_static(text: &[u8]) -> Option<Qstr> {
    STATIC_TEXT.iter().position(|s| s.as_bytes() == text).map(|i| Qstr(i as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_table_matches_names() {
        assert_eq!(static_text(q::print), Some("print"));
        assert_eq!(find_static(b"len"), Some(q::len));
        assert_eq!(find_static(b"no_such_name"), None);
        assert!(static_text(Qstr(STATIC_COUNT)).is_none());
    }
}
