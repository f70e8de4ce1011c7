//! Interned strings ("qstrs"). Names known at build time live in a ROM table and
//! cost no RAM; names first seen at run time are interned into a pool inside the
//! GC heap (see `Vm::intern`). Two qstrs are equal iff their indices are.

#[derive(Copy, Clone, PartialEq, Eq, Debug, PartialOrd, Ord, Default)]
pub struct Qstr(pub u32);

/// The first number of the names an application's frozen modules bring
/// (in flash: see `frozen::app`); run-time names are numbered from the end
/// of the static table up to here.
pub const FROZEN_BASE: u32 = 1 << 20;

macro_rules! static_qstrs {
    (
        $($name:ident = $text:literal,)*
        // Names only some builds need, after the others so those keep their
        // numbers. Frozen bytecode may use this first block's names, so the
        // table's hash covers it.
        #[cfg($cfg:meta)] { $($fname:ident = $ftext:literal,)* }
        // Names only an optional part uses: left out with it (each then
        // stands for the empty qstr, in code that is not reached), and
        // outside the hash, since frozen code never uses them.
        $(#[cfg($gcfg:meta)] { $($gname:ident = $gtext:literal,)* })*
    ) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u32)]
        enum StaticIdx { $($name,)* $(#[cfg($cfg)] $fname,)* $($(#[cfg($gcfg)] $gname,)*)* Count }

        /// The static qstrs, by Rust name.
        #[allow(non_upper_case_globals)]
        pub mod q {
            use super::{Qstr, StaticIdx};
            $(pub const $name: Qstr = Qstr(StaticIdx::$name as u32);)*
            $(#[cfg($cfg)] pub const $fname: Qstr = Qstr(StaticIdx::$fname as u32);)*
            $($(
                #[cfg($gcfg)]
                pub const $gname: Qstr = Qstr(StaticIdx::$gname as u32);
                #[cfg(not($gcfg))]
                pub const $gname: Qstr = EMPTY;
            )*)*
        }

        pub const STATIC_COUNT: u32 = StaticIdx::Count as u32;
        // All the texts in one string, with where each one ends: 2 bytes of
        // flash a name instead of an 8-byte `&str`.
        const TEXTS: &[&str] = &[$($text,)* $(#[cfg($cfg)] $ftext,)* $($(#[cfg($gcfg)] $gtext,)*)*];
        const BLOB_BYTES: [u8; total_len(TEXTS)] = concat_texts(TEXTS);
        static STATIC_BLOB: &str = match core::str::from_utf8(&BLOB_BYTES) {
            Ok(s) => s,
            Err(_) => panic!("static qstrs are UTF-8"),
        };
        /// Identifies the table: frozen bytecode holds qstr numbers, valid
        /// only with the table it was made against.
        pub const STATIC_HASH: u32 = {
            const HASHED: &[&str] = &[$($text,)* $(#[cfg($cfg)] $ftext,)*];
            fnv1a(&concat_texts::<{ total_len(HASHED) }>(HASHED), HASHED.len() as u32)
        };
        /// Identifies the whole table this build has (every block): an
        /// application's frozen modules (`frozen::app`) use its numbers.
        pub const TABLE_HASH: u32 = fnv1a(&BLOB_BYTES, TEXTS.len() as u32);
        const LENS: [u8; StaticIdx::Count as usize] = lens(TEXTS);
        static STATIC_LENS: [u8; StaticIdx::Count as usize] = LENS;
        static STATIC_STARTS: [u16; (StaticIdx::Count as usize).div_ceil(STRIDE)] = starts(&LENS);
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
    __format__ = "__format__",
    file = "file",
    flush = "flush",
    tell = "tell",
    seek = "seek",
    readline = "readline",
    readinto = "readinto",
    read = "read",
    write = "write",
    IOBase = "IOBase",
    buffer = "buffer",
    FileIO = "FileIO",
    io = "io",
    imag = "imag",
    real = "real",
    __path__ = "__path__",
    memoryview = "memoryview",
    __reversed__ = "__reversed__",
    iterable = "iterable",
    start = "start",
    default = "default",
    __debug__ = "__debug__",
    __isub__ = "__isub__",
    __iadd__ = "__iadd__",
    __await__ = "__await__",
    __anext__ = "__anext__",
    __aiter__ = "__aiter__",
    __aenter__ = "__aenter__",
    __aexit__ = "__aexit__",
    errno = "errno",
    dict_view = "dict_view",
    fromkeys = "fromkeys",
    popitem = "popitem",
    locals = "locals",
    globals = "globals",
    compile = "compile",
    exec = "exec",
    eval = "eval",
    Ellipsis = "Ellipsis",
    StopAsyncIteration = "StopAsyncIteration",
    EOFError = "EOFError",
    UnicodeError = "UnicodeError",
    bytearray = "bytearray",
    rsplit = "rsplit",
    rindex = "rindex",
    isupper = "isupper",
    islower = "islower",
    encoding = "encoding",
    maxsplit = "maxsplit",
    format = "format",
    from_bytes = "from_bytes",
    to_bytes = "to_bytes",
    length = "length",
    big = "big",
    signed = "signed",
    // builtins
    abs = "abs",
    bool = "bool",
    dict = "dict",
    int = "int",
    float = "float",
    isinstance = "isinstance",
    name = "name",
    sys = "sys",
    argv = "argv",
    path = "path",
    modules = "modules",
    exit = "exit",
    byteorder = "byteorder",
    little = "little",
    platform = "platform",
    version = "version",
    version_info = "version_info",
    implementation = "implementation",
    print_exception = "print_exception",
    _machine = "_machine",
    set = "set",
    add = "add",
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
    zip = "zip",
    map = "map",
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
    __hash__ = "__hash__",
    __enter__ = "__enter__",
    __exit__ = "__exit__",
    __setattr__ = "__setattr__",
    __delattr__ = "__delattr__",
    __new__ = "__new__",
    __dir__ = "__dir__",
    __all__ = "__all__",
    sep = "sep",
    SLASH = "/",
    __traceback__ = "__traceback__",
    release = "release",
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
    idle = "idle",
    handler = "handler",
    timeout = "timeout",
    value = "value",
    off = "off",
    time = "time",
    sleep = "sleep",
    sleep_ms = "sleep_ms",
    ticks_ms = "ticks_ms",
    ticks_diff = "ticks_diff",
    ticks_add = "ticks_add",
    e = "e",
    __float__ = "__float__",
    stderr = "stderr",
    TextIOWrapper = "TextIOWrapper",
    micropython = "micropython",
    builtins = "builtins",
    native = "native",
    bytecode = "bytecode",
    r#const = "const",
    open = "open",
    select = "select",
    poll = "poll",
    register = "register",
    unregister = "unregister",
    modify = "modify",
    ipoll = "ipoll",
    ioctl = "ioctl",
    POLLIN = "POLLIN",
    POLLOUT = "POLLOUT",
    Hash = "Hash",
    stop = "stop",
    step = "step",
    __int__ = "__int__",
    __index__ = "__index__",
    __import__ = "__import__",
    // Frozen modules (vm/src/frozen/): their names and the names their code
    // uses, so their bytecode can be stored with the qstr numbers it has.
    // The frozen module's test lists what to add here.
    #[cfg(feature = "asyncio")] {
        asyncio = "asyncio",
        uasyncio = "uasyncio",
        ASYNCIO_PY = "asyncio.py",
        ticks = "ticks",
        sleep_ms_blocking = "sleep_ms_blocking",
        _POLL = "_POLL",
        CancelledError = "CancelledError",
        TimeoutError = "TimeoutError",
        TaskQueue = "TaskQueue",
        SELF = "self",
        head = "head",
        peek = "peek",
        push = "push",
        t = "t",
        data = "data",
        ph_key = "ph_key",
        prev = "prev",
        cur = "cur",
        ph_next = "ph_next",
        Task = "Task",
        coro = "coro",
        state = "state",
        _cur_task = "_cur_task",
        done = "done",
        cancel = "cancel",
        _task_queue = "_task_queue",
        _Sleep = "_Sleep",
        until = "until",
        _sleeper = "_sleeper",
        _IOQueue = "_IOQueue",
        poller = "poller",
        _enqueue = "_enqueue",
        s = "s",
        idx = "idx",
        entry = "entry",
        _dequeue = "_dequeue",
        queue_read = "queue_read",
        queue_write = "queue_write",
        task = "task",
        k = "k",
        wait_io_event = "wait_io_event",
        dt = "dt",
        ev = "ev",
        _promote_to_task = "_promote_to_task",
        aw = "aw",
        create_task = "create_task",
        current_task = "current_task",
        _ended = "_ended",
        er = "er",
        waiting = "waiting",
        q = "q",
        run_until_complete = "run_until_complete",
        main_task = "main_task",
        _io_queue = "_io_queue",
        _exc_context = "_exc_context",
        exception = "exception",
        future = "future",
        Loop = "Loop",
        call_exception_handler = "call_exception_handler",
        exc = "exc",
        run = "run",
        _stopper = "_stopper",
        _stop_task = "_stop_task",
        _exc_handler = "_exc_handler",
        run_forever = "run_forever",
        set_exception_handler = "set_exception_handler",
        get_exception_handler = "get_exception_handler",
        default_exception_handler = "default_exception_handler",
        r#loop = "loop",
        context = "context",
        message = "message",
        get_event_loop = "get_event_loop",
        runq_len = "runq_len",
        waitq_len = "waitq_len",
        new_event_loop = "new_event_loop",
        set_event_loop = "set_event_loop",
        _Remove = "_Remove",
        gather = "gather",
        aws = "aws",
        return_exceptions = "return_exceptions",
        gatherer = "gatherer",
        ts = "ts",
        cancel_all = "cancel_all",
        i = "i",
        _Woken = "_Woken",
        wait_for = "wait_for",
        runner = "runner",
        waiter = "waiter",
        status = "status",
        result = "result",
        runner_task = "runner_task",
        wait_for_ms = "wait_for_ms",
        Event = "Event",
        is_set = "is_set",
        wait = "wait",
        ThreadSafeFlag = "ThreadSafeFlag",
        req = "req",
        flags = "flags",
        Lock = "Lock",
        locked = "locked",
        acquire = "acquire",
        exc_type = "exc_type",
        tb = "tb",
        Stream = "Stream",
        out_buf = "out_buf",
        get_extra_info = "get_extra_info",
        v = "v",
        wait_closed = "wait_closed",
        aclose = "aclose",
        n = "n",
        r = "r",
        r2 = "r2",
        buf = "buf",
        readexactly = "readexactly",
        l = "l",
        l2 = "l2",
        ret = "ret",
        drain = "drain",
        mv = "mv",
        awrite = "awrite",
        sz = "sz",
        awritestr = "awritestr",
        StreamReader = "StreamReader",
        StreamWriter = "StreamWriter",
        open_connection = "open_connection",
        host = "host",
        port = "port",
        socket = "socket",
        ai = "ai",
        getaddrinfo = "getaddrinfo",
        SOCK_STREAM = "SOCK_STREAM",
        sock = "sock",
        setblocking = "setblocking",
        connect = "connect",
        ss = "ss",
        Server = "Server",
        _serve = "_serve",
        cb = "cb",
        conn = "conn",
        addr = "addr",
        accept = "accept",
        peername = "peername",
        start_server = "start_server",
        backlog = "backlog",
        setsockopt = "setsockopt",
        SOL_SOCKET = "SOL_SOCKET",
        SO_REUSEADDR = "SO_REUSEADDR",
        bind = "bind",
        listen = "listen",
        srv = "srv",
    }
    // Names of optional parts, left out with them (see the macro).
    #[cfg(any(feature = "machine-i2c", feature = "machine-spi", feature = "machine-uart", feature = "machine-pwm", feature = "machine-adc", feature = "machine-timer", feature = "machine-rtc", feature = "machine-wdt", feature = "machine-pin-extras"))] {
    DRIVE_0 = "DRIVE_0",
    DRIVE_1 = "DRIVE_1",
    drive = "drive",
    IRQ_FALLING = "IRQ_FALLING",
    IRQ_RISING = "IRQ_RISING",
    trigger = "trigger",
    hard = "hard",
        I2C = "I2C",
        ADC = "ADC",
        Timer = "Timer",
        Signal = "Signal",
        invert = "invert",
        RTC = "RTC",
        PWM = "PWM",
        duty_u16 = "duty_u16",
        duty_ns = "duty_ns",
        datetime = "datetime",
        baudrate = "baudrate",
        SPI = "SPI",
        polarity = "polarity",
        firstbit = "firstbit",
        MSB = "MSB",
        LSB = "LSB",
        sck = "sck",
        mosi = "mosi",
        miso = "miso",
        write_readinto = "write_readinto",
        WDT = "WDT",
        IRQ_RX = "IRQ_RX",
        SoftI2C = "SoftI2C",
        SoftSPI = "SoftSPI",
        feed = "feed",
        bits = "bits",
        parity = "parity",
        timeout_char = "timeout_char",
        txdone = "txdone",
        tx = "tx",
        rx = "rx",
        ONE_SHOT = "ONE_SHOT",
        PERIODIC = "PERIODIC",
        period = "period",
        read_u16 = "read_u16",
        read_uv = "read_uv",
        scan = "scan",
        readfrom = "readfrom",
        readfrom_into = "readfrom_into",
        writeto = "writeto",
        writevto = "writevto",
        readfrom_mem = "readfrom_mem",
        readfrom_mem_into = "readfrom_mem_into",
        writeto_mem = "writeto_mem",
        addrsize = "addrsize",
        scl = "scl",
        sda = "sda",
        time_pulse_us = "time_pulse_us",
    }
    #[cfg(any(feature = "math", feature = "cmath"))] {
        pi = "pi",
        sqrt = "sqrt",
        exp = "exp",
        expm1 = "expm1",
        log2 = "log2",
        log10 = "log10",
        cosh = "cosh",
        sinh = "sinh",
        tanh = "tanh",
        acosh = "acosh",
        asinh = "asinh",
        atanh = "atanh",
        cos = "cos",
        sin = "sin",
        tan = "tan",
        acos = "acos",
        asin = "asin",
        atan = "atan",
        fabs = "fabs",
        erf = "erf",
        erfc = "erfc",
        gamma = "gamma",
        lgamma = "lgamma",
        radians = "radians",
        degrees = "degrees",
        atan2 = "atan2",
        copysign = "copysign",
        fmod = "fmod",
        ceil = "ceil",
        floor = "floor",
        trunc = "trunc",
        isfinite = "isfinite",
        isinf = "isinf",
        isnan = "isnan",
        ldexp = "ldexp",
        log = "log",
        frexp = "frexp",
        modf = "modf",
        factorial = "factorial",
        isclose = "isclose",
        math = "math",
        rel_tol = "rel_tol",
        abs_tol = "abs_tol",
        tau = "tau",
        inf = "inf",
        nan = "nan",
        polar = "polar",
        rect = "rect",
        cmath = "cmath",
    }
    #[cfg(feature = "json")] {
        json = "json",
        dumps = "dumps",
        dump = "dump",
        loads = "loads",
        load = "load",
        separators = "separators",
    }
    #[cfg(feature = "heapq")] {
        heapq = "heapq",
        heappush = "heappush",
        heappop = "heappop",
        heapify = "heapify",
    }
    #[cfg(feature = "random")] {
        random = "random",
        getrandbits = "getrandbits",
        seed = "seed",
        randrange = "randrange",
        randint = "randint",
        choice = "choice",
        uniform = "uniform",
    }
    #[cfg(feature = "binascii")] {
        binascii = "binascii",
        hexlify = "hexlify",
        unhexlify = "unhexlify",
        a2b_base64 = "a2b_base64",
        b2a_base64 = "b2a_base64",
        crc32 = "crc32",
        newline = "newline",
    }
    #[cfg(feature = "re")] {
        r#match = "match",
        search = "search",
        sub = "sub",
        group = "group",
        groups = "groups",
        span = "span",
        re = "re",
        Regex = "Regex",
    }
    #[cfg(feature = "hashlib")] {
        hashlib = "hashlib",
        sha256 = "sha256",
        sha1 = "sha1",
        md5 = "md5",
        digest = "digest",
        hexdigest = "hexdigest",
    }
    #[cfg(feature = "os")] {
        uname_result = "uname_result",
        nodename = "nodename",
        sysname = "sysname",
        os = "os",
        listdir = "listdir",
        ilistdir = "ilistdir",
        mkdir = "mkdir",
        rmdir = "rmdir",
        rename = "rename",
        stat = "stat",
        statvfs = "statvfs",
        getcwd = "getcwd",
        chdir = "chdir",
        urandom = "urandom",
        uname = "uname",
        sync = "sync",
        vfs = "vfs",
        mount = "mount",
        umount = "umount",
        readonly = "readonly",
        mkfs = "mkfs",
        VfsNative = "VfsNative",
        VfsLfs2 = "VfsLfs2",
        readblocks = "readblocks",
        writeblocks = "writeblocks",
        readsize = "readsize",
        progsize = "progsize",
        lookahead = "lookahead",
        mtime = "mtime",
    }
    #[cfg(feature = "deflate")] {
        deflate = "deflate",
        DeflateIO = "DeflateIO",
        AUTO = "AUTO",
        RAW = "RAW",
        ZLIB = "ZLIB",
        GZIP = "GZIP",
    }
    #[cfg(feature = "mpy")] {
        _mpy = "_mpy",
    }
    #[cfg(feature = "set")] {
        frozenset = "frozenset",
        discard = "discard",
        union = "union",
        intersection = "intersection",
        difference = "difference",
        symmetric_difference = "symmetric_difference",
        issubset = "issubset",
        issuperset = "issuperset",
        isdisjoint = "isdisjoint",
        intersection_update = "intersection_update",
        difference_update = "difference_update",
        symmetric_difference_update = "symmetric_difference_update",
    }
    #[cfg(feature = "collections")] {
        _fields = "_fields",
        deque = "deque",
        namedtuple = "namedtuple",
        OrderedDict = "OrderedDict",
        popleft = "popleft",
        appendleft = "appendleft",
        maxlen = "maxlen",
        collections = "collections",
        defaultdict = "defaultdict",
    }
    #[cfg(feature = "complex")] {
        __complex__ = "__complex__",
        conjugate = "conjugate",
        complex = "complex",
    }
    #[cfg(any(feature = "array", feature = "struct"))] {
        itemsize = "itemsize",
        array = "array",
        r#struct = "struct",
        offset = "offset",
        unpack_from = "unpack_from",
        unpack = "unpack",
        pack_into = "pack_into",
        pack = "pack",
        calcsize = "calcsize",
    }
    #[cfg(feature = "str-extra")] {
        partition = "partition",
        rpartition = "rpartition",
        center = "center",
        ljust = "ljust",
        rjust = "rjust",
        zfill = "zfill",
        splitlines = "splitlines",
        capitalize = "capitalize",
        title = "title",
        swapcase = "swapcase",
        fromhex = "fromhex",
        keepends = "keepends",
        isalnum = "isalnum",
    }
    #[cfg(feature = "core-features")] {
        maxsize = "maxsize",
        NotImplemented = "NotImplemented",
        atexit = "atexit",
        opt_level = "opt_level",
        stack_use = "stack_use",
        heap_lock = "heap_lock",
        heap_unlock = "heap_unlock",
        heap_locked = "heap_locked",
        kbd_intr = "kbd_intr",
        schedule = "schedule",
        alloc_emergency_exception_buf = "alloc_emergency_exception_buf",
        gc = "gc",
        collect = "collect",
        mem_free = "mem_free",
        mem_alloc = "mem_alloc",
        enable = "enable",
        disable = "disable",
        isenabled = "isenabled",
        threshold = "threshold",
        __globals__ = "__globals__",
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
        __radd__ = "__radd__",
        __rsub__ = "__rsub__",
        __rmul__ = "__rmul__",
        __matmul__ = "__matmul__",
        __rmatmul__ = "__rmatmul__",
        __imatmul__ = "__imatmul__",
        __rtruediv__ = "__rtruediv__",
        __rfloordiv__ = "__rfloordiv__",
        __rmod__ = "__rmod__",
        __rpow__ = "__rpow__",
        __rand__ = "__rand__",
        __ror__ = "__ror__",
        __rxor__ = "__rxor__",
        __rlshift__ = "__rlshift__",
        __rrshift__ = "__rrshift__",
        __imul__ = "__imul__",
        __ior__ = "__ior__",
        __iand__ = "__iand__",
        getter = "getter",
        setter = "setter",
        deleter = "deleter",
        fget = "fget",
        fset = "fset",
        fdel = "fdel",
        pend_throw = "pend_throw",
        bit_length = "bit_length",
        exc_info = "exc_info",
        delattr = "delattr",
        decode = "decode",
        stdin = "stdin",
        stdout = "stdout",
    }
    #[cfg(feature = "builtins-extra")] {
        enumerate = "enumerate",
        filter = "filter",
        reversed = "reversed",
        min = "min",
        dir = "dir",
        input = "input",
    }
    #[cfg(feature = "errno")] {
        errorcode = "errorcode",
        EPERM = "EPERM",
        ENOENT = "ENOENT",
        EIO = "EIO",
        EBADF = "EBADF",
        EAGAIN = "EAGAIN",
        ENOMEM = "ENOMEM",
        EACCES = "EACCES",
        EEXIST = "EEXIST",
        ENODEV = "ENODEV",
        EISDIR = "EISDIR",
        EINVAL = "EINVAL",
        EOPNOTSUPP = "EOPNOTSUPP",
        EADDRINUSE = "EADDRINUSE",
        ECONNABORTED = "ECONNABORTED",
        ECONNRESET = "ECONNRESET",
        ENOBUFS = "ENOBUFS",
        ENOTCONN = "ENOTCONN",
        ETIMEDOUT = "ETIMEDOUT",
        ECONNREFUSED = "ECONNREFUSED",
        EHOSTUNREACH = "EHOSTUNREACH",
        EALREADY = "EALREADY",
        EINPROGRESS = "EINPROGRESS",
    }
    #[cfg(feature = "select")] {
        POLLERR = "POLLERR",
        POLLHUP = "POLLHUP",
    }
    #[cfg(feature = "time")] {
        sleep_us = "sleep_us",
        ticks_us = "ticks_us",
        ticks_cpu = "ticks_cpu",
        time_ns = "time_ns",
        gmtime = "gmtime",
        localtime = "localtime",
        mktime = "mktime",
    }
    #[cfg(feature = "foreign")] {
        capsule = "capsule",
    }
    #[cfg(feature = "machine")] {
        on = "on",
        Pin = "Pin",
        reset = "reset",
        reset_cause = "reset_cause",
        soft_reset = "soft_reset",
        lightsleep = "lightsleep",
        deepsleep = "deepsleep",
        unique_id = "unique_id",
        disable_irq = "disable_irq",
        enable_irq = "enable_irq",
        PWRON_RESET = "PWRON_RESET",
        HARD_RESET = "HARD_RESET",
        WDT_RESET = "WDT_RESET",
        DEEPSLEEP_RESET = "DEEPSLEEP_RESET",
        SOFT_RESET = "SOFT_RESET",
        UART = "UART",
        callback = "callback",
        deinit = "deinit",
        irq = "irq",
        freq = "freq",
        IN = "IN",
        OUT = "OUT",
        PULL_UP = "PULL_UP",
        PULL_DOWN = "PULL_DOWN",
        OPEN_DRAIN = "OPEN_DRAIN",
        toggle = "toggle",
        init = "init",
        pull = "pull",
    }
    #[cfg(feature = "mem-info")] {
        mem_info = "mem_info",
        qstr_info = "qstr_info",
        mem_total = "mem_total",
        mem_current = "mem_current",
        mem_peak = "mem_peak",
    }
    #[cfg(feature = "ringio")] {
        RingIO = "RingIO",
    }
    #[cfg(feature = "io")] {
        BytesIO = "BytesIO",
        StringIO = "StringIO",
        getvalue = "getvalue",
    }
    #[cfg(feature = "help")] {
        help = "help",
    }
    #[cfg(feature = "descriptors")] {
        __get__ = "__get__",
        __set__ = "__set__",
        __delete__ = "__delete__",
        __set_name__ = "__set_name__",
    }
    #[cfg(any(feature = "machine", feature = "os"))] {
        machine = "machine",
        mode = "mode",
    }
    #[cfg(any(feature = "machine-spi", feature = "cmath"))] {
        phase = "phase",
    }
    #[cfg(feature = "slice")] {
        indices = "indices",
    }
}

const fn fnv1a(bytes: &[u8], count: u32) -> u32 {
    let mut h = 0x811c_9dc5u32 ^ count;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

// Where each static text is in the blob: its length (a byte), and the
// offset of every STRIDE-th one (so a lookup adds at most STRIDE - 1
// lengths): 1.1 bytes of flash a name rather than 2.
const STRIDE: usize = 16;

const fn lens<const N: usize>(texts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        assert!(texts[i].len() <= u8::MAX as usize, "static qstr too long");
        out[i] = texts[i].len() as u8;
        i += 1;
    }
    out
}

const fn total_len(texts: &[&str]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < texts.len() {
        n += texts[i].len();
        i += 1;
    }
    n
}

const fn concat_texts<const M: usize>(texts: &[&str]) -> [u8; M] {
    let mut out = [0u8; M];
    let (mut i, mut k) = (0, 0);
    while i < texts.len() {
        let b = texts[i].as_bytes();
        let mut j = 0;
        while j < b.len() {
            out[k] = b[j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

const fn starts<const N: usize, const M: usize>(lens: &[u8; N]) -> [u16; M] {
    let mut out = [0u16; M];
    let (mut i, mut at) = (0, 0usize);
    while i < N {
        if i % STRIDE == 0 {
            assert!(at <= u16::MAX as usize, "static qstr blob too long");
            out[i / STRIDE] = at as u16;
        }
        at += lens[i] as usize;
        i += 1;
    }
    out
}

/// The text of a static qstr.
pub fn static_text(q: Qstr) -> Option<&'static str> {
    let i = q.0 as usize;
    let len = *STATIC_LENS.get(i)? as usize;
    let first = i - i % STRIDE;
    let start = STATIC_STARTS[i / STRIDE] as usize + STATIC_LENS[first..i].iter().map(|&l| l as usize).sum::<usize>();
    STATIC_BLOB.get(start..start + len)
}

/// The static qstr spelled `text`, if there is one.
pub fn find_static(text: &[u8]) -> Option<Qstr> {
    let blob = STATIC_BLOB.as_bytes();
    let mut start = 0;
    for (i, &len) in STATIC_LENS.iter().enumerate() {
        let end = start + len as usize;
        if len as usize == text.len() && blob.get(start..end) == Some(text) {
            return Some(Qstr(i as u32));
        }
        start = end;
    }
    None
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
