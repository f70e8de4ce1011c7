//! Builtin functions, builtin modules and the method tables of builtin
//! types: all `static`, so they live in flash and cost no RAM at boot.

pub mod adc;
pub mod binascii;
pub mod builtins;
pub mod cmath;
pub mod collections;
pub mod deflate;
pub mod deflate_encode;
pub mod device;
pub mod errno;
pub mod eval;
pub mod gc;
pub mod hashlib;
pub mod heapq;
pub mod help;
pub mod i2c;
pub mod inflate;
pub mod io;
pub mod json;
pub mod machine;
pub mod machine_fns;
pub mod math;
pub mod micropython;
pub mod os;
pub mod pwm;
pub mod random;
pub mod re;
pub mod ringio;
pub mod rtc;
pub mod select;
pub mod seq_methods;
pub mod signal;
#[cfg(feature = "machine-soft-i2c")]
pub mod soft_i2c;
#[cfg(feature = "machine-soft-spi")]
pub mod soft_spi;
pub mod spi;
pub mod sys;
pub mod time;
pub mod timer;
pub mod uart;
pub mod ustruct;
pub mod vfs;
#[cfg(feature = "vfs-lfs2")]
pub mod vfs_lfs;
pub mod wdt;

use crate::error::PyResult;
use crate::features;
#[cfg(feature = "set")]
use crate::objects::set;
use crate::objects::TypeId;
use crate::qstr::{q, Qstr};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

pub type NativeFn = fn(&mut Vm, Args) -> PyResult<Value>;

macro_rules! native_fns {
    // Each function's argument count, in one byte: at least `min` (0-7, the
    // low 3 bits), at most `max` (0-30; 31 is no limit). The call checks it
    // (`call_native_fn`), so the functions need no check of their own: one
    // table byte instead of a call at each of two hundred functions.
    (@arity) => { 31 << 3 };
    (@arity $min:literal, $max:literal) => {{
        const _: () = assert!($min <= 7 && $max <= 30 && $min <= $max);
        $min | $max << 3
    }};
    ($($id:ident = $name:ident $(($min:literal, $max:literal))? => $f:path $([$($feat:literal),+])?,)*) => {
        // A function of a part left out (all the parts it is listed with)
        // has no index and no table entries
        // (seven bytes each, for some 260 functions when all are out).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum FnIdx { $(#[cfg(all($(any($(feature = $feat),+))?))] $id,)* }

        /// Builtin function objects, by Rust name.
        pub mod f {
            use crate::value::Value;
            $(#[cfg(all($(any($(feature = $feat),+))?))] pub const $id: Value = Value::builtin_fn(super::FnIdx::$id as u16);)*
            // Left out: tables of the part may still name it; calling it
            // finds no function ("not built in").
            $(#[cfg(not(all($(any($(feature = $feat),+))?)))] pub const $id: Value = Value::builtin_fn(u16::MAX);)*
        }

        // Names and functions in two tables: a (u16, fn) pair would pad to
        // eight bytes on 32-bit parts.
        static NATIVE_FNS: &[NativeFn] = &[$(#[cfg(all($(any($(feature = $feat),+))?))] ($f as NativeFn),)*];
        static NATIVE_FN_NAMES: &[u16] = &[$(#[cfg(all($(any($(feature = $feat),+))?))] (q::$name.0 as u16),)*];
        static NATIVE_FN_ARITY: &[u8] = &[$(#[cfg(all($(any($(feature = $feat),+))?))] native_fns!(@arity $($min, $max)?),)*];
    };
}

native_fns! {
    PRINT = print => builtins::print,
    LEN = len(1, 1) => builtins::len,
    ABS = abs(1, 1) => builtins::abs,
    MIN = min => builtins::min ["builtins-extra"],
    MAX = max => builtins::max ["builtins-extra"],
    REPR = repr(1, 1) => builtins::repr,
    ISINSTANCE = isinstance(2, 2) => builtins::isinstance,
    ISSUBCLASS = issubclass(2, 2) => builtins::issubclass,
    ITER = iter(1, 2) => builtins::iter,
    GEN_SEND = send(2, 2) => builtins::gen_send,
    GEN_THROW = throw(2, 4) => builtins::gen_throw,
    GEN_CLOSE = close(1, 1) => builtins::gen_close,
    GEN_PEND_THROW = pend_throw(2, 2) => builtins::gen_pend_throw ["core-features"],
    NEXT = next(1, 2) => builtins::next,
    OBJECT_INIT = __init__ => builtins::object_init,
    OBJECT_SETATTR = __setattr__(3, 3) => builtins::object_setattr ["core-features"],
    OBJECT_NEW = __new__ => builtins::object_new,
    OBJECT_DELATTR = __delattr__(2, 2) => builtins::object_delattr ["core-features"],
    EXCEPTION_INIT = __init__ => builtins::exception_init,
    PROPERTY_GETTER = getter => builtins::property_getter ["core-features"],
    PROPERTY_SETTER = setter => builtins::property_setter ["core-features"],
    PROPERTY_DELETER = deleter => builtins::property_deleter ["core-features"],
    LIST_APPEND = append(2, 2) => builtins::list_append,
    LIST_POP = pop(1, 2) => builtins::list_pop,
    STR_JOIN = join(2, 2) => builtins::str_join,
    DICT_GET = get(2, 3) => builtins::dict_get,
    SET_ADD = add(2, 2) => set::add ["set"],
    SET_REMOVE = remove => set::remove ["set"],
    SET_DISCARD = discard => set::discard ["set"],
    SET_POP = pop(1, 1) => set::pop ["set"],
    SET_CLEAR = clear => set::clear ["set"],
    SET_COPY = copy(1, 1) => set::copy ["set"],
    SET_UPDATE = update => set::update ["set"],
    SET_UNION = union => set::union ["set"],
    SET_INTERSECTION = intersection => set::intersection ["set"],
    SET_DIFFERENCE = difference => set::difference ["set"],
    SET_SYMDIFF = symmetric_difference(2, 2) => set::symmetric_difference ["set"],
    SET_ISSUBSET = issubset => set::issubset ["set"],
    SET_ISSUPERSET = issuperset => set::issuperset ["set"],
    SET_ISDISJOINT = isdisjoint => set::isdisjoint ["set"],
    GETATTR = getattr(2, 3) => builtins::getattr,
    HASATTR = hasattr(2, 2) => builtins::hasattr,
    DIR = dir(0, 1) => builtins::dir ["builtins-extra"],
    HELP = help => help::help ["help"],
    SETATTR = setattr(3, 3) => builtins::setattr,
    CALLABLE = callable(1, 1) => builtins::callable,
    ALL = all(1, 1) => builtins::all,
    ANY = any(1, 1) => builtins::any,
    SUM = sum(1, 2) => builtins::sum,
    CHR = chr(1, 1) => builtins::chr,
    ORD = ord(1, 1) => builtins::ord,
    DIVMOD = divmod(2, 2) => builtins::divmod,
    ROUND = round(1, 2) => builtins::round,
    POW = pow(2, 3) => builtins::pow,
    HEX = hex(1, 1) => builtins::hex,
    OCT = oct(1, 1) => builtins::oct,
    BIN = bin(1, 1) => builtins::bin,
    HASH = hash(1, 1) => builtins::hash,
    ID = id(1, 1) => builtins::id,
    SORTED = sorted(1, 1) => builtins::sorted,
    ENUMERATE = enumerate => builtins::enumerate ["builtins-extra"],
    ZIP = zip => builtins::zip,
    MAP = map(2, 9) => builtins::map,
    FILTER = filter(2, 2) => builtins::filter ["builtins-extra"],
    REVERSED = reversed(1, 1) => builtins::reversed ["builtins-extra"],
    BA_APPEND = append(2, 2) => crate::objects::bytearray::append,
    BA_EXTEND = extend(2, 2) => crate::objects::bytearray::extend,
    BA_POP = pop(1, 2) => crate::objects::bytearray::pop ["core-features"],
    BA_INSERT = insert(3, 3) => crate::objects::bytearray::insert ["core-features"],
    BA_REMOVE = remove(2, 2) => crate::objects::bytearray::remove ["core-features"],
    BA_CLEAR = clear(1, 1) => crate::objects::bytearray::clear ["core-features"],
    BA_COPY = copy(1, 1) => crate::objects::bytearray::copy ["core-features"],
    BA_REVERSE = reverse(1, 1) => crate::objects::bytearray::reverse ["core-features"],
    STR_RSPLIT = rsplit(1, 3) => seq_methods::str_rsplit,
    STR_RINDEX = rindex(2, 4) => seq_methods::str_rindex,
    STR_PARTITION = partition => seq_methods::str_partition ["str-extra"],
    STR_RPARTITION = rpartition => seq_methods::str_rpartition ["str-extra"],
    STR_CENTER = center => seq_methods::str_center ["str-extra"],
    STR_LJUST = ljust => seq_methods::str_ljust ["str-extra"],
    STR_RJUST = rjust => seq_methods::str_rjust ["str-extra"],
    STR_ZFILL = zfill(2, 2) => seq_methods::str_zfill ["str-extra"],
    STR_ISUPPER = isupper(1, 1) => seq_methods::str_isupper,
    STR_ISLOWER = islower(1, 1) => seq_methods::str_islower,
    STR_ISALNUM = isalnum(1, 1) => seq_methods::str_isalnum ["str-extra"],
    STR_SPLITLINES = splitlines(1, 2) => seq_methods::str_splitlines ["str-extra"],
    STR_CAPITALIZE = capitalize => seq_methods::str_capitalize ["str-extra"],
    STR_TITLE = title => seq_methods::str_title ["str-extra"],
    STR_SWAPCASE = swapcase => seq_methods::str_swapcase ["str-extra"],
    BYTES_HEX = hex(1, 2) => seq_methods::bytes_hex ["str-extra"],
    BYTES_FROMHEX = fromhex => seq_methods::bytes_fromhex ["str-extra"],
    IMPORT = __import__(1, 5) => builtins::dunder_import,
    EVAL = eval(1, 3) => eval::eval,
    EXEC = exec(1, 3) => eval::exec,
    COMPILE = compile(3, 6) => eval::compile ["builtins-extra"],
    GLOBALS = globals(0, 0) => eval::globals,
    LOCALS = locals(0, 0) => eval::locals,
    DICT_KEYS = keys(1, 1) => crate::objects::dictview::keys,
    DICT_VALUES = values(1, 1) => crate::objects::dictview::values,
    DICT_ITEMS = items(1, 1) => crate::objects::dictview::items,
    DICT_POPITEM = popitem(1, 1) => seq_methods::dict_popitem,
    DICT_FROMKEYS = fromkeys => seq_methods::dict_fromkeys,
    TUPLE_COUNT = count(2, 2) => seq_methods::tuple_count,
    TUPLE_INDEX = index(2, 4) => seq_methods::tuple_index,
    SET_DIFF_UPDATE = difference_update => set::difference_update ["set"],
    SET_INTER_UPDATE = intersection_update => set::intersection_update ["set"],
    SET_SYMDIFF_UPDATE = symmetric_difference_update(2, 2) => set::symmetric_difference_update ["set"],
    LIST_INIT = __init__(1, 2) => seq_methods::list_init,
    DICT_INIT = __init__(1, 2) => seq_methods::dict_init,
    STRUCT_CALCSIZE = calcsize => ustruct::calcsize ["struct"],
    STRUCT_PACK = pack => ustruct::pack ["struct"],
    STRUCT_PACK_INTO = pack_into => ustruct::pack_into ["struct"],
    STRUCT_UNPACK = unpack => ustruct::unpack ["struct"],
    STRUCT_UNPACK_FROM = unpack_from => ustruct::unpack_from ["struct"],
    ARRAY_APPEND = append(2, 2) => crate::objects::array::append ["array"],
    ARRAY_EXTEND = extend => crate::objects::array::extend ["array"],
    COMPLEX_CONJUGATE = conjugate => crate::objects::complex::conjugate ["complex"],
    DEQUE_APPEND = append(2, 2) => collections::append ["collections"],
    DEQUE_APPENDLEFT = appendleft(2, 2) => collections::appendleft ["collections"],
    DEQUE_POP = pop => collections::pop ["collections"],
    DEQUE_POPLEFT = popleft => collections::popleft ["collections"],
    DEQUE_EXTEND = extend(2, 2) => collections::extend ["collections"],
    DEQUE_CLEAR = clear(1, 1) => collections::clear ["collections"],
    MATH_SQRT = sqrt => math::sqrt ["math"],
    MATH_EXP = exp => math::exp ["math"],
    MATH_EXPM1 = expm1 => math::expm1 ["math-special"],
    MATH_LOG2 = log2 => math::log2 ["math-special"],
    MATH_LOG10 = log10 => math::log10 ["math-special"],
    MATH_COSH = cosh => math::cosh ["math-special"],
    MATH_SINH = sinh => math::sinh ["math-special"],
    MATH_TANH = tanh => math::tanh ["math-special"],
    MATH_ACOSH = acosh => math::acosh ["math-special"],
    MATH_ASINH = asinh => math::asinh ["math-special"],
    MATH_ATANH = atanh => math::atanh ["math-special"],
    MATH_COS = cos => math::cos ["math"],
    MATH_SIN = sin => math::sin ["math"],
    MATH_TAN = tan => math::tan ["math"],
    MATH_ACOS = acos => math::acos ["math"],
    MATH_ASIN = asin => math::asin ["math"],
    MATH_ATAN = atan => math::atan ["math"],
    MATH_FABS = fabs => math::fabs ["math"],
    MATH_ERF = erf => math::erf ["math-special"],
    MATH_ERFC = erfc => math::erfc ["math-special"],
    MATH_GAMMA = gamma => math::gamma ["math-special"],
    MATH_LGAMMA = lgamma => math::lgamma ["math-special"],
    MATH_RADIANS = radians => math::radians ["math"],
    MATH_DEGREES = degrees => math::degrees ["math"],
    MATH_POW = pow => math::pow ["math"],
    MATH_ATAN2 = atan2 => math::atan2 ["math"],
    MATH_COPYSIGN = copysign => math::copysign ["math"],
    MATH_FMOD = fmod => math::fmod ["math"],
    MATH_CEIL = ceil => math::ceil ["math"],
    MATH_FLOOR = floor => math::floor ["math"],
    MATH_TRUNC = trunc => math::trunc ["math"],
    MATH_ISFINITE = isfinite => math::isfinite ["math"],
    MATH_ISINF = isinf => math::isinf ["math"],
    MATH_ISNAN = isnan => math::isnan ["math"],
    MATH_LDEXP = ldexp(2, 2) => math::ldexp ["math"],
    MATH_LOG = log(1, 2) => math::log ["math"],
    MATH_FREXP = frexp(1, 1) => math::frexp ["math"],
    MATH_MODF = modf(1, 1) => math::modf ["math"],
    MATH_FACTORIAL = factorial(1, 1) => math::factorial ["math"],
    MATH_ISCLOSE = isclose(2, 2) => math::isclose ["math"],
    JSON_DUMPS = dumps(1, 1) => json::dumps ["json"],
    JSON_DUMP = dump(2, 2) => json::dump ["json"],
    JSON_LOADS = loads => json::loads ["json"],
    JSON_LOAD = load(1, 1) => json::load ["json"],
    HEAPQ_HEAPPUSH = heappush(2, 2) => heapq::heappush ["heapq"],
    HEAPQ_HEAPPOP = heappop(1, 1) => heapq::heappop ["heapq"],
    HEAPQ_HEAPIFY = heapify(1, 1) => heapq::heapify ["heapq"],
    RANDOM_GETRANDBITS = getrandbits(1, 1) => random::getrandbits ["random"],
    RANDOM_SEED = seed(0, 1) => random::seed ["random"],
    RANDOM_RANDRANGE = randrange(1, 3) => random::randrange ["random"],
    RANDOM_RANDINT = randint(2, 2) => random::randint ["random"],
    RANDOM_CHOICE = choice(1, 1) => random::choice ["random"],
    RANDOM_RANDOM = random(0, 0) => random::random ["random"],
    RANDOM_UNIFORM = uniform(2, 2) => random::uniform ["random"],
    BINASCII_HEXLIFY = hexlify(1, 2) => binascii::hexlify ["binascii"],
    BINASCII_UNHEXLIFY = unhexlify(1, 1) => binascii::unhexlify ["binascii"],
    BINASCII_A2B_BASE64 = a2b_base64(1, 1) => binascii::a2b_base64 ["binascii"],
    BINASCII_B2A_BASE64 = b2a_base64(1, 1) => binascii::b2a_base64 ["binascii"],
    BINASCII_CRC32 = crc32(1, 2) => binascii::crc32 ["binascii"],
    INPUT = input(0, 1) => io::input ["builtins-extra"],
    CONSOLE_WRITE = write(2, 4) => io::console_write ["core-features", "os"],
    CONSOLE_READ = read(1, 2) => io::console_read ["core-features", "os"],
    CONSOLE_READLINE = readline(1, 2) => io::console_readline ["core-features", "os"],
    CONSOLE_FLUSH = flush(1, 1) => io::console_flush ["core-features", "os"],
    RE_COMPILE = compile(1, 2) => re::re_compile ["re"],
    RE_MATCH = r#match => re::re_match ["re"],
    RE_SEARCH = search(2, 4) => re::re_search ["re"],
    RE_SUB = sub(3, 5) => re::re_sub ["re"],
    RE_SPLIT = split(2, 3) => re::re_split ["re"],
    REGEX_MATCH = r#match => re::regex_match ["re"],
    REGEX_SEARCH = search(2, 4) => re::regex_search ["re"],
    REGEX_SUB = sub(3, 5) => re::regex_sub ["re"],
    REGEX_SPLIT = split(2, 3) => re::regex_split ["re"],
    MATCH_GROUP = group(1, 8) => re::match_group ["re"],
    MATCH_GROUPS = groups(1, 2) => re::match_groups ["re"],
    MATCH_START = start(1, 2) => re::match_start ["re"],
    MATCH_END = end(1, 2) => re::match_end ["re"],
    MATCH_SPAN = span(1, 2) => re::match_span ["re"],
    MICROPYTHON_CONST = r#const => micropython::constant ["core-features"],
    MICROPYTHON_OPT_LEVEL = opt_level(0, 1) => micropython::opt_level ["core-features"],
    MICROPYTHON_MEM_INFO = mem_info(0, 1) => micropython::mem_info ["mem-info"],
    MICROPYTHON_QSTR_INFO = qstr_info(0, 1) => micropython::qstr_info ["mem-info"],
    MICROPYTHON_STACK_USE = stack_use(0, 0) => micropython::stack_use ["core-features"],
    MICROPYTHON_HEAP_LOCK = heap_lock(0, 0) => micropython::heap_lock ["core-features"],
    MICROPYTHON_HEAP_UNLOCK = heap_unlock(0, 0) => micropython::heap_unlock ["core-features"],
    MICROPYTHON_HEAP_LOCKED = heap_locked(0, 0) => micropython::heap_locked ["core-features"],
    MICROPYTHON_KBD_INTR = kbd_intr(1, 1) => micropython::kbd_intr ["core-features"],
    MICROPYTHON_SCHEDULE = schedule(2, 2) => micropython::schedule ["core-features"],
    MICROPYTHON_ALLOC_EMERGENCY_EXCEPTION_BUF = alloc_emergency_exception_buf(1, 1) => micropython::alloc_emergency_exception_buf ["core-features"],
    MICROPYTHON_MEM_TOTAL = mem_total(0, 0) => micropython::mem_total ["mem-info"],
    MICROPYTHON_MEM_CURRENT = mem_current(0, 0) => micropython::mem_current ["mem-info"],
    MICROPYTHON_MEM_PEAK = mem_peak(0, 0) => micropython::mem_peak ["mem-info"],
    RINGIO_ANY = any(1, 1) => ringio::any ["ringio"],
    RINGIO_READ = read(1, 2) => ringio::read ["ringio"],
    RINGIO_READLINE = readline(1, 2) => ringio::readline ["ringio"],
    RINGIO_READINTO = readinto(2, 3) => ringio::readinto ["ringio"],
    RINGIO_WRITE = write(2, 2) => ringio::write ["ringio"],
    RINGIO_IOCTL = ioctl(2, 3) => ringio::ioctl ["ringio"],
    RINGIO_CLOSE = close(1, 1) => ringio::close ["ringio"],
    DEFLATEIO_READ = read(1, 2) => deflate::read ["deflate"],
    DEFLATEIO_READLINE = readline(1, 2) => deflate::readline ["deflate"],
    DEFLATEIO_READINTO = readinto(2, 3) => deflate::readinto ["deflate"],
    DEFLATEIO_CLOSE = close(1, 4) => deflate::close ["deflate"],
    DEFLATEIO_WRITE = write(2, 2) => deflate::write ["deflate-compress"],
    DEFLATEIO_ENTER = __enter__(1, 1) => io::enter ["deflate"],
    DEFLATEIO_EXIT = __exit__(1, 4) => deflate::close ["deflate"],
    HASHLIB_SHA256 = sha256 => hashlib::sha256 ["hashlib"],
    HASHLIB_SHA1 = sha1 => hashlib::sha1 ["hashlib"],
    HASHLIB_MD5 = md5 => hashlib::md5 ["hashlib"],
    HASH_UPDATE = update(2, 2) => hashlib::update ["hashlib"],
    HASH_DIGEST = digest(1, 1) => hashlib::digest ["hashlib"],
    HASH_HEXDIGEST = hexdigest(1, 1) => hashlib::hexdigest ["hashlib"],
    OPEN = open(1, 4) => os::open ["os"],
    OS_LISTDIR = listdir => os::listdir ["os"],
    OS_ILISTDIR = ilistdir => os::ilistdir ["os"],
    OS_MKDIR = mkdir(1, 2) => os::mkdir ["os"],
    OS_RMDIR = rmdir(1, 1) => os::rmdir ["os"],
    OS_REMOVE = remove(1, 1) => os::remove ["os"],
    OS_RENAME = rename(2, 2) => os::rename ["os"],
    OS_STAT = stat(1, 1) => os::stat ["os"],
    OS_STATVFS = statvfs(1, 1) => os::statvfs ["os"],
    OS_GETCWD = getcwd(0, 0) => os::getcwd ["os"],
    OS_CHDIR = chdir(1, 1) => os::chdir ["os"],
    OS_URANDOM = urandom(1, 1) => os::urandom ["os"],
    OS_SYNC = sync(0, 0) => os::sync ["os"],
    OS_UNAME = uname(0, 0) => os::uname ["os"],
    FILE_SEEK = seek(2, 3) => os::seek ["os"],
    FILE_TELL = tell(1, 1) => os::tell ["os"],
    FILE_CLOSE = close(1, 4) => os::close ["os"],
    FILE_ENTER = __enter__(1, 1) => os::enter ["os"],
    FILE_EXIT = __exit__(1, 4) => os::close ["os"],
    FILE_READINTO = readinto(2, 3) => os::readinto ["os"],
    VFS_MOUNT = mount(0, 2) => vfs::mount ["os"],
    VFS_UMOUNT = umount(1, 1) => vfs::umount ["os"],
    VFSNATIVE_MOUNT = mount(1, 3) => vfs::native_nothing ["os"],
    VFSNATIVE_UMOUNT = umount(1, 1) => vfs::native_nothing ["os"],
    VFSNATIVE_OPEN = open(2, 3) => os::native_open ["os"],
    VFSNATIVE_ILISTDIR = ilistdir(2, 2) => os::native_ilistdir_method ["os"],
    VFSNATIVE_MKDIR = mkdir(2, 2) => os::native_mkdir_method ["os"],
    VFSNATIVE_RMDIR = rmdir(2, 2) => os::native_rmdir_method ["os"],
    VFSNATIVE_REMOVE = remove(2, 2) => os::native_remove_method ["os"],
    VFSNATIVE_RENAME = rename(3, 3) => os::native_rename ["os"],
    VFSNATIVE_STAT = stat(2, 2) => os::native_stat_method ["os"],
    VFSNATIVE_STATVFS = statvfs(2, 2) => os::native_statvfs_method ["os"],
    VFSNATIVE_CHDIR = chdir(2, 2) => os::native_chdir_method ["os"],
    VFSNATIVE_GETCWD = getcwd(1, 1) => os::native_getcwd ["os"],
    VFSLFS2_MKFS = mkfs(1, 4) => vfs_lfs::mkfs ["vfs-lfs2"],
    VFSLFS2_MOUNT = mount(3, 3) => vfs_lfs::mount ["vfs-lfs2"],
    VFSLFS2_UMOUNT = umount(1, 1) => vfs_lfs::umount ["vfs-lfs2"],
    VFSLFS2_OPEN = open(3, 3) => vfs_lfs::open ["vfs-lfs2"],
    VFSLFS2_ILISTDIR = ilistdir(1, 2) => vfs_lfs::ilistdir ["vfs-lfs2"],
    VFSLFS2_MKDIR = mkdir(2, 2) => vfs_lfs::mkdir ["vfs-lfs2"],
    VFSLFS2_RMDIR = rmdir(2, 2) => vfs_lfs::remove ["vfs-lfs2"],
    VFSLFS2_REMOVE = remove(2, 2) => vfs_lfs::remove ["vfs-lfs2"],
    VFSLFS2_RENAME = rename(3, 3) => vfs_lfs::rename ["vfs-lfs2"],
    VFSLFS2_STAT = stat(2, 2) => vfs_lfs::stat ["vfs-lfs2"],
    VFSLFS2_STATVFS = statvfs(2, 2) => vfs_lfs::statvfs ["vfs-lfs2"],
    VFSLFS2_CHDIR = chdir(2, 2) => vfs_lfs::chdir ["vfs-lfs2"],
    VFSLFS2_GETCWD = getcwd(1, 1) => vfs_lfs::getcwd ["vfs-lfs2"],
    SELECT_POLL = poll(0, 0) => select::poll ["select"],
    POLL_REGISTER = register(2, 3) => select::register ["select"],
    POLL_UNREGISTER = unregister(2, 2) => select::unregister ["select"],
    POLL_MODIFY = modify(3, 3) => select::modify ["select"],
    POLL_POLL = poll => select::poll_poll ["select"],
    POLL_IPOLL = ipoll => select::ipoll ["select"],
    SLICE_INDICES = indices => crate::objects::slice::indices ["slice"],
    ITER_NEXT = __next__(1, 2) => builtins::next,
    CMATH_COS = cos => cmath::cos ["cmath"],
    CMATH_EXP = exp => cmath::exp ["cmath"],
    CMATH_LOG = log => cmath::log ["cmath"],
    CMATH_LOG10 = log10 => cmath::log10 ["cmath"],
    CMATH_PHASE = phase => cmath::phase ["cmath"],
    CMATH_POLAR = polar => cmath::polar ["cmath"],
    CMATH_RECT = rect(2, 2) => cmath::rect ["cmath"],
    CMATH_SIN = sin => cmath::sin ["cmath"],
    CMATH_SQRT = sqrt => cmath::sqrt ["cmath"],
    DELATTR = delattr(2, 2) => builtins::delattr ["core-features"],
    DUNDER_GETITEM = __getitem__(2, 2) => builtins::dunder_getitem,
    DUNDER_SETITEM = __setitem__(3, 3) => builtins::dunder_setitem,
    DUNDER_DELITEM = __delitem__(2, 2) => builtins::dunder_delitem,
    DUNDER_CONTAINS = __contains__(2, 2) => builtins::dunder_contains,
    DUNDER_LEN = __len__(1, 1) => builtins::dunder_len,
    NAMEDTUPLE = namedtuple(2, 2) => collections::namedtuple ["collections"],
    IO_WRITE = write => io::write ["io"],
    IO_READ = read(1, 2) => io::read ["io"],
    IO_READLINE = readline(1, 2) => io::readline ["io"],
    IO_READINTO = readinto(2, 3) => io::readinto ["io"],
    IO_GETVALUE = getvalue(1, 1) => io::getvalue ["io"],
    IO_SEEK = seek(2, 3) => io::seek ["io"],
    IO_TELL = tell(1, 1) => io::tell ["io"],
    IO_FLUSH = flush(1, 1) => io::flush ["io"],
    IO_CLOSE = close(1, 4) => io::close ["io"],
    IO_ENTER = __enter__(1, 1) => io::enter ["io"],
    IO_EXIT = __exit__(1, 4) => io::close ["io"],
    FORMAT = format(1, 2) => crate::runtime::strformat::format_builtin,
    STR_FORMAT = format => crate::runtime::strformat::str_format_method,
    INT_FROM_BYTES = from_bytes => builtins::int_from_bytes,
    INT_TO_BYTES = to_bytes => builtins::int_to_bytes,
    INT_BIT_LENGTH = bit_length(1, 1) => builtins::int_bit_length ["core-features"],
    STR_SPLIT = split(1, 3) => seq_methods::str_split,
    STR_STRIP = strip(1, 2) => seq_methods::str_strip,
    STR_LSTRIP = lstrip(1, 2) => seq_methods::str_lstrip,
    STR_RSTRIP = rstrip(1, 2) => seq_methods::str_rstrip,
    STR_UPPER = upper(1, 1) => seq_methods::str_upper,
    STR_LOWER = lower(1, 1) => seq_methods::str_lower,
    STR_FIND = find(2, 4) => seq_methods::str_find,
    STR_RFIND = rfind(2, 4) => seq_methods::str_rfind,
    STR_INDEX = index(2, 4) => seq_methods::str_index,
    STR_REPLACE = replace(3, 4) => seq_methods::str_replace,
    STR_COUNT = count(2, 4) => seq_methods::str_count ["str-extra"],
    STR_STARTSWITH = startswith(2, 4) => seq_methods::str_startswith,
    STR_ENDSWITH = endswith(2, 4) => seq_methods::str_endswith,
    STR_ISDIGIT = isdigit(1, 1) => seq_methods::str_isdigit,
    STR_ISALPHA = isalpha(1, 1) => seq_methods::str_isalpha,
    STR_ISSPACE = isspace(1, 1) => seq_methods::str_isspace,
    STR_ENCODE = encode(1, 3) => seq_methods::str_encode ["core-features"],
    BYTES_DECODE = decode(1, 3) => seq_methods::bytes_decode ["core-features"],
    LIST_EXTEND = extend(2, 2) => seq_methods::list_extend,
    LIST_INSERT = insert(3, 3) => seq_methods::list_insert,
    LIST_REMOVE = remove(2, 2) => seq_methods::list_remove,
    LIST_INDEX = index(2, 4) => seq_methods::list_index,
    LIST_COUNT = count(2, 2) => seq_methods::list_count,
    LIST_REVERSE = reverse(1, 1) => seq_methods::list_reverse,
    LIST_COPY = copy(1, 1) => seq_methods::list_copy,
    LIST_CLEAR = clear(1, 1) => seq_methods::list_clear,
    LIST_SORT = sort(1, 1) => seq_methods::list_sort,
    DICT_POP = pop(2, 3) => seq_methods::dict_pop,
    DICT_SETDEFAULT = setdefault(2, 3) => seq_methods::dict_setdefault,
    DICT_UPDATE = update(1, 2) => seq_methods::dict_update,
    DICT_CLEAR = clear(1, 1) => seq_methods::dict_clear,
    DICT_COPY = copy(1, 1) => seq_methods::dict_copy,
    SYS_EXIT = exit(0, 1) => sys::exit,
    SYS_PRINT_EXCEPTION = print_exception(1, 2) => sys::print_exception,
    SYS_ATEXIT = atexit(1, 1) => sys::atexit ["core-features"],
    SYS_EXC_INFO = exc_info(0, 0) => sys::exc_info ["core-features"],
    GC_COLLECT = collect(0, 0) => gc::collect ["core-features"],
    GC_MEM_FREE = mem_free => gc::mem_free ["core-features"],
    GC_MEM_ALLOC = mem_alloc => gc::mem_alloc ["core-features"],
    GC_ENABLE = enable => gc::enable ["core-features"],
    GC_DISABLE = disable => gc::disable ["core-features"],
    GC_ISENABLED = isenabled => gc::isenabled ["core-features"],
    GC_THRESHOLD = threshold(0, 1) => gc::threshold ["core-features"],
    TIME_SLEEP = sleep(1, 1) => time::sleep ["time"],
    TIME_SLEEP_MS = sleep_ms(1, 1) => time::sleep_ms ["time"],
    TIME_SLEEP_US = sleep_us(1, 1) => time::sleep_us ["time"],
    TIME_TICKS_MS = ticks_ms => time::ticks_ms ["time"],
    TIME_TICKS_US = ticks_us => time::ticks_us ["time"],
    TIME_TICKS_DIFF = ticks_diff(2, 2) => time::ticks_diff ["time"],
    TIME_TICKS_ADD = ticks_add(2, 2) => time::ticks_add ["time"],
    TIME_TICKS_CPU = ticks_cpu => time::ticks_us ["time"],
    TIME_TIME = time(0, 0) => time::time ["time"],
    TIME_TIME_NS = time_ns(0, 0) => time::time_ns ["time"],
    TIME_GMTIME = gmtime(0, 1) => time::gmtime ["time"],
    TIME_MKTIME = mktime(1, 1) => time::mktime ["time"],
    PIN_VALUE = value(1, 2) => machine::pin_value ["machine"],
    PIN_ON = on(1, 1) => machine::pin_on ["machine"],
    PIN_OFF = off(1, 1) => machine::pin_off ["machine"],
    PIN_TOGGLE = toggle(1, 1) => machine::pin_toggle ["machine"],
    PIN_INIT = init(1, 3) => machine::pin_init ["machine"],
    PIN_IRQ = irq(1, 4) => machine::pin_irq ["machine-pin-extras"],
    SIGNAL_VALUE = value(1, 2) => signal::value ["machine-pin-extras"],
    SIGNAL_ON = on(1, 1) => signal::on ["machine-pin-extras"],
    SIGNAL_OFF = off(1, 1) => signal::off ["machine-pin-extras"],
    MACHINE_RESET = reset(0, 0) => machine_fns::reset ["machine"],
    MACHINE_SOFT_RESET = soft_reset(0, 0) => machine_fns::soft_reset ["machine"],
    MACHINE_LIGHTSLEEP = lightsleep(0, 1) => machine_fns::lightsleep ["machine"],
    MACHINE_DEEPSLEEP = deepsleep(0, 1) => machine_fns::deepsleep ["machine"],
    MACHINE_TIME_PULSE_US = time_pulse_us(2, 3) => machine_fns::time_pulse_us ["machine-pin-extras"],
    MACHINE_RESET_CAUSE = reset_cause(0, 0) => machine_fns::reset_cause ["machine"],
    MACHINE_UNIQUE_ID = unique_id(0, 0) => machine_fns::unique_id ["machine"],
    MACHINE_FREQ = freq(0, 1) => machine_fns::freq ["machine"],
    MACHINE_IDLE = idle(0, 0) => machine_fns::idle ["machine"],
    MACHINE_DISABLE_IRQ = disable_irq(0, 0) => machine_fns::disable_irq ["machine"],
    MACHINE_ENABLE_IRQ = enable_irq(1, 1) => machine_fns::enable_irq ["machine"],
    TIMER_INIT = init(1, 1) => timer::timer_init ["machine-timer"],
    RTC_DATETIME = datetime(1, 2) => rtc::datetime ["machine-rtc"],
    PWM_INIT = init(1, 1) => pwm::init ["machine-pwm"],
    PWM_FREQ = freq(1, 2) => pwm::freq ["machine-pwm"],
    PWM_DUTY_U16 = duty_u16(1, 2) => pwm::duty_u16 ["machine-pwm"],
    PWM_DUTY_NS = duty_ns(1, 2) => pwm::duty_ns ["machine-pwm"],
    PWM_DEINIT = deinit(1, 1) => pwm::deinit ["machine-pwm"],
    UART_INIT = init(1, 2) => uart::init ["machine-uart"],
    UART_READ = read(1, 2) => uart::read ["machine-uart"],
    UART_READINTO = readinto(2, 3) => uart::readinto ["machine-uart"],
    UART_READLINE = readline(1, 1) => uart::readline ["machine-uart"],
    UART_WRITE = write(2, 2) => uart::write ["machine-uart"],
    UART_ANY = any(1, 1) => uart::any ["machine-uart"],
    UART_FLUSH = flush(1, 1) => uart::flush ["machine-uart"],
    UART_TXDONE = txdone(1, 1) => uart::txdone ["machine-uart"],
    UART_IRQ = irq(1, 3) => uart::irq ["machine-uart"],
    TIMER_DEINIT = deinit(1, 1) => timer::timer_deinit ["machine-timer"],
    ADC_READ_U16 = read_u16(1, 1) => adc::read_u16 ["machine-adc"],
    ADC_READ_UV = read_uv(1, 1) => adc::read_uv ["machine-adc"],
    I2C_INIT = init(1, 1) => i2c::i2c_init ["machine-i2c"],
    I2C_SCAN = scan(1, 1) => i2c::scan ["machine-i2c"],
    I2C_READFROM = readfrom(3, 4) => i2c::readfrom ["machine-i2c"],
    I2C_READFROM_INTO = readfrom_into(3, 4) => i2c::readfrom_into ["machine-i2c"],
    I2C_WRITETO = writeto(3, 4) => i2c::writeto ["machine-i2c"],
    I2C_WRITEVTO = writevto(3, 4) => i2c::writevto ["machine-i2c"],
    I2C_READFROM_MEM = readfrom_mem(4, 4) => i2c::readfrom_mem ["machine-i2c"],
    I2C_READFROM_MEM_INTO = readfrom_mem_into(4, 4) => i2c::readfrom_mem_into ["machine-i2c"],
    I2C_WRITETO_MEM = writeto_mem(4, 4) => i2c::writeto_mem ["machine-i2c"],
    SPI_INIT = init(1, 2) => spi::init ["machine-spi"],
    SPI_DEINIT = deinit(1, 1) => spi::deinit ["machine-spi"],
    SPI_READ = read(2, 3) => spi::read ["machine-spi"],
    SPI_READINTO = readinto(2, 3) => spi::readinto ["machine-spi"],
    SPI_WRITE = write(2, 2) => spi::write ["machine-spi"],
    SPI_WRITE_READINTO = write_readinto(3, 3) => spi::write_readinto ["machine-spi"],
    WDT_FEED = feed(1, 1) => wdt::feed ["machine-wdt"],
}

pub fn native_fn_name(id: u16) -> Qstr {
    NATIVE_FN_NAMES.get(id as usize).map_or(q::EMPTY, |&n| Qstr(n as u32))
}

/// The builtin functions that take keyword arguments; the others refuse
/// them rather than ignore them.
static TAKES_KEYWORDS: &[Value] = &[
    f::PRINT,
    f::MIN,
    f::MAX,
    f::SORTED,
    f::ENUMERATE,
    f::STR_SPLIT,
    f::STR_RSPLIT,
    f::STR_SPLITLINES,
    f::STR_FORMAT,
    f::INT_FROM_BYTES,
    f::INT_TO_BYTES,
    f::LIST_SORT,
    f::VFS_MOUNT,
    f::VFSLFS2_MKFS,
    f::DICT_INIT,
    f::DICT_UPDATE,
    f::STRUCT_UNPACK_FROM,
    f::MATH_ISCLOSE,
    f::JSON_DUMPS,
    f::JSON_DUMP,
    f::BINASCII_B2A_BASE64,
    f::RE_SUB,
    f::REGEX_SUB,
    f::PIN_INIT,
    f::PIN_IRQ,
    f::TIMER_INIT,
    f::PWM_INIT,
    f::UART_INIT,
    f::UART_IRQ,
    f::I2C_INIT,
    f::I2C_READFROM,
    f::I2C_READFROM_INTO,
    f::I2C_WRITETO,
    f::I2C_WRITEVTO,
    f::I2C_READFROM_MEM,
    f::I2C_READFROM_MEM_INTO,
    f::I2C_WRITETO_MEM,
    f::SPI_INIT,
    f::SPI_READ,
    f::SPI_READINTO,
];

/// Builtin types whose constructors take keyword arguments.
fn type_takes_keywords(t: TypeId) -> bool {
    matches!(
        t,
        TypeId::Dict
            | TypeId::Str
            | TypeId::Bytes
            | TypeId::ByteArray
            | TypeId::Property
            | TypeId::Deque
            | TypeId::VfsLfs2
            | TypeId::DefaultDict
            | TypeId::OrderedDict
            | TypeId::Pin
            | TypeId::Signal
            | TypeId::I2C
            | TypeId::Timer
            | TypeId::UART
            | TypeId::PWM
            | TypeId::SPI
            | TypeId::WDT
            | TypeId::SoftI2C
            | TypeId::SoftSPI
    )
}

pub(crate) fn no_keywords(vm: &mut Vm) -> crate::error::PyErr {
    vm.raise(TypeId::TypeError, "function doesn't take keyword arguments")
}

pub(crate) fn call_native_fn(vm: &mut Vm, id: u16, args: Args) -> PyResult<Value> {
    if !args.kw.is_empty() && !TAKES_KEYWORDS.contains(&Value::builtin_fn(id)) {
        return Err(no_keywords(vm));
    }
    match (NATIVE_FNS.get(id as usize), NATIVE_FN_ARITY.get(id as usize)) {
        (Some(&f), Some(&n)) => {
            let (min, max) = ((n & 7) as usize, (n >> 3) as usize);
            builtins::arity(vm, &args, min, if max == 31 { usize::MAX } else { max })?;
            let taken = vm.taken;
            let r = f(vm, args);
            vm.not_retried(taken, r)
        }
        // A function of a part built without (see `native_fns!`).
        _ => Err(vm.raise(TypeId::NotImplementedError, "not built in")),
    }
}

const fn ty(t: TypeId) -> Value {
    t.value()
}

static BUILTINS: Table = &[
    e!(q::print, f::PRINT),
    e!(q::__import__, f::IMPORT),
    #[cfg(feature = "os")]
    e!(q::open, f::OPEN),
    #[cfg(feature = "core-features")]
    e!(q::delattr, f::DELATTR),
    #[cfg(feature = "builtins-extra")]
    e!(q::input, f::INPUT),
    e!(q::len, f::LEN),
    e!(q::abs, f::ABS),
    #[cfg(feature = "builtins-extra")]
    e!(q::min, f::MIN),
    #[cfg(feature = "builtins-extra")]
    e!(q::max, f::MAX),
    e!(q::repr, f::REPR),
    e!(q::isinstance, f::ISINSTANCE),
    e!(q::getattr, f::GETATTR),
    e!(q::hasattr, f::HASATTR),
    #[cfg(feature = "builtins-extra")]
    e!(q::dir, f::DIR),
    #[cfg(feature = "help")]
    e!(q::help, f::HELP),
    e!(q::setattr, f::SETATTR),
    e!(q::callable, f::CALLABLE),
    e!(q::all, f::ALL),
    e!(q::any, f::ANY),
    e!(q::sum, f::SUM),
    e!(q::chr, f::CHR),
    e!(q::ord, f::ORD),
    e!(q::divmod, f::DIVMOD),
    e!(q::round, f::ROUND),
    e!(q::pow, f::POW),
    e!(q::hex, f::HEX),
    e!(q::oct, f::OCT),
    e!(q::bin, f::BIN),
    e!(q::hash, f::HASH),
    e!(q::id, f::ID),
    e!(q::sorted, f::SORTED),
    #[cfg(feature = "builtins-extra")]
    e!(q::enumerate, f::ENUMERATE),
    e!(q::zip, f::ZIP),
    e!(q::map, f::MAP),
    #[cfg(feature = "builtins-extra")]
    e!(q::filter, f::FILTER),
    #[cfg(feature = "builtins-extra")]
    e!(q::reversed, f::REVERSED),
    e!(q::format, f::FORMAT),
    e!(q::eval, f::EVAL),
    e!(q::exec, f::EXEC),
    #[cfg(feature = "builtins-extra")]
    e!(q::compile, f::COMPILE),
    e!(q::globals, f::GLOBALS),
    e!(q::locals, f::LOCALS),
    e!(q::issubclass, f::ISSUBCLASS),
    e!(q::iter, f::ITER),
    e!(q::next, f::NEXT),
    // (MicroPython's MICROPY_PY_BUILTINS_NOTIMPLEMENTED, which its minimal
    // builds lack.)
    #[cfg(feature = "core-features")]
    e!(q::NotImplemented, Value::NOT_IMPLEMENTED),
    e!(q::super_, ty(TypeId::Super)),
    e!(q::staticmethod, ty(TypeId::StaticMethod)),
    e!(q::classmethod, ty(TypeId::ClassMethod)),
    #[cfg(feature = "core-features")]
    e!(q::property, ty(TypeId::Property)),
    e!(q::range, ty(TypeId::Range)),
    #[cfg(feature = "slice")]
    e!(q::slice, ty(TypeId::Slice)),
    e!(q::str, ty(TypeId::Str)),
    e!(q::bytes, ty(TypeId::Bytes)),
    e!(q::bytearray, ty(TypeId::ByteArray)),
    #[cfg(feature = "array")]
    e!(q::memoryview, ty(TypeId::MemoryView)),
    e!(q::int, ty(TypeId::Int)),
    #[cfg(feature = "float")]
    e!(q::float, ty(TypeId::Float)),
    #[cfg(feature = "complex")]
    e!(q::complex, ty(TypeId::Complex)),
    e!(q::bool, ty(TypeId::Bool)),
    e!(q::list, ty(TypeId::List)),
    e!(q::tuple, ty(TypeId::Tuple)),
    e!(q::dict, ty(TypeId::Dict)),
    #[cfg(feature = "set")]
    e!(q::set, ty(TypeId::Set)),
    #[cfg(feature = "set")]
    e!(q::frozenset, ty(TypeId::FrozenSet)),
    e!(q::r#type, ty(TypeId::Type)),
    e!(q::object, ty(TypeId::Object)),
    e!(q::BaseException, ty(TypeId::BaseException)),
    e!(q::Exception, ty(TypeId::Exception)),
    e!(q::ArithmeticError, ty(TypeId::ArithmeticError)),
    e!(q::AssertionError, ty(TypeId::AssertionError)),
    e!(q::AttributeError, ty(TypeId::AttributeError)),
    e!(q::ImportError, ty(TypeId::ImportError)),
    e!(q::IndexError, ty(TypeId::IndexError)),
    e!(q::KeyError, ty(TypeId::KeyError)),
    e!(q::KeyboardInterrupt, ty(TypeId::KeyboardInterrupt)),
    e!(q::GeneratorExit, ty(TypeId::GeneratorExit)),
    e!(q::LookupError, ty(TypeId::LookupError)),
    e!(q::MemoryError, ty(TypeId::MemoryError)),
    e!(q::NameError, ty(TypeId::NameError)),
    e!(q::NotImplementedError, ty(TypeId::NotImplementedError)),
    e!(q::OSError, ty(TypeId::OSError)),
    e!(q::OverflowError, ty(TypeId::OverflowError)),
    e!(q::RuntimeError, ty(TypeId::RuntimeError)),
    e!(q::StopIteration, ty(TypeId::StopIteration)),
    e!(q::SyntaxError, ty(TypeId::SyntaxError)),
    e!(q::IndentationError, ty(TypeId::IndentationError)),
    e!(q::SystemExit, ty(TypeId::SystemExit)),
    e!(q::TypeError, ty(TypeId::TypeError)),
    e!(q::ValueError, ty(TypeId::ValueError)),
    e!(q::ZeroDivisionError, ty(TypeId::ZeroDivisionError)),
    e!(q::UnicodeError, ty(TypeId::UnicodeError)),
    e!(q::EOFError, ty(TypeId::EOFError)),
    e!(q::StopAsyncIteration, ty(TypeId::StopAsyncIteration)),
    e!(q::Ellipsis, Value::ELLIPSIS),
    e!(q::__debug__, Value::TRUE),
];

pub fn builtin(name: Qstr) -> Option<Value> {
    lookup(BUILTINS, name)
}

/// The names of the builtins, for the REPL's Tab.
pub fn builtin_names() -> impl Iterator<Item = Qstr> {
    BUILTINS.iter().map(|e| e.name())
}

/// A name and its value in a ROM table. Packed to 2-byte alignment: 6
/// bytes on a 32-bit part rather than 8, over some 450 entries.
#[derive(Copy, Clone)]
#[repr(C, packed(2))]
pub struct Entry {
    pub(crate) name: u16,
    pub(crate) value: Value,
}

impl Entry {
    pub fn name(self) -> Qstr {
        Qstr(self.name as u32)
    }

    pub fn value(self) -> Value {
        self.value
    }
}

/// A table entry (static qstrs all fit in 16 bits). A macro rather than a
/// const fn so that `&[...]` of entries is promoted to a static.
macro_rules! e {
    ($name:expr, $value:expr) => {
        $crate::modules::Entry { name: $name.0 as u16, value: $value }
    };
}
pub(crate) use e;

pub type Table = &'static [Entry];

/// The value of `name` in `table`.
pub fn lookup(table: Table, name: Qstr) -> Option<Value> {
    table.iter().find(|e| e.name() == name).map(|e| e.value())
}

static MODULES: &[(Qstr, Table)] = &[
    #[cfg(feature = "machine")]
    (
        q::machine,
        &[
            e!(q::Pin, ty(TypeId::Pin)),
            #[cfg(feature = "machine-pin-extras")]
            e!(q::Signal, ty(TypeId::Signal)),
            e!(q::reset, f::MACHINE_RESET),
            e!(q::soft_reset, f::MACHINE_SOFT_RESET),
            e!(q::lightsleep, f::MACHINE_LIGHTSLEEP),
            e!(q::deepsleep, f::MACHINE_DEEPSLEEP),
            #[cfg(feature = "machine-pin-extras")]
            e!(q::time_pulse_us, f::MACHINE_TIME_PULSE_US),
            e!(q::reset_cause, f::MACHINE_RESET_CAUSE),
            e!(q::unique_id, f::MACHINE_UNIQUE_ID),
            e!(q::freq, f::MACHINE_FREQ),
            e!(q::idle, f::MACHINE_IDLE),
            e!(q::disable_irq, f::MACHINE_DISABLE_IRQ),
            e!(q::enable_irq, f::MACHINE_ENABLE_IRQ),
            e!(q::PWRON_RESET, Value::small_int(machine_fns::PWRON_RESET)),
            e!(q::HARD_RESET, Value::small_int(machine_fns::HARD_RESET)),
            e!(q::WDT_RESET, Value::small_int(machine_fns::WDT_RESET)),
            e!(q::DEEPSLEEP_RESET, Value::small_int(machine_fns::DEEPSLEEP_RESET)),
            e!(q::SOFT_RESET, Value::small_int(machine_fns::SOFT_RESET)),
            #[cfg(feature = "machine-timer")]
            e!(q::Timer, ty(TypeId::Timer)),
            #[cfg(feature = "machine-i2c")]
            e!(q::I2C, ty(TypeId::I2C)),
            #[cfg(feature = "machine-adc")]
            e!(q::ADC, ty(TypeId::ADC)),
            #[cfg(feature = "machine-uart")]
            e!(q::UART, ty(TypeId::UART)),
            #[cfg(feature = "machine-rtc")]
            e!(q::RTC, ty(TypeId::RTC)),
            #[cfg(feature = "machine-pwm")]
            e!(q::PWM, ty(TypeId::PWM)),
            #[cfg(feature = "machine-spi")]
            e!(q::SPI, ty(TypeId::SPI)),
            #[cfg(feature = "machine-wdt")]
            e!(q::WDT, ty(TypeId::WDT)),
            #[cfg(feature = "machine-soft-i2c")]
            e!(q::SoftI2C, ty(TypeId::SoftI2C)),
            #[cfg(feature = "machine-soft-spi")]
            e!(q::SoftSPI, ty(TypeId::SoftSPI)),
        ],
    ),
    (
        q::sys,
        &[
            e!(q::exit, f::SYS_EXIT),
            e!(q::print_exception, f::SYS_PRINT_EXCEPTION),
            // (MicroPython's MICROPY_PY_SYS_ATEXIT, which its minimal builds lack.)
            #[cfg(feature = "core-features")]
            e!(q::atexit, f::SYS_ATEXIT),
            #[cfg(feature = "core-features")]
            e!(q::exc_info, f::SYS_EXC_INFO),
            e!(q::byteorder, Value::qstr(q::little)),
        ],
    ),
    #[cfg(feature = "struct")]
    (
        q::r#struct,
        &[
            e!(q::calcsize, f::STRUCT_CALCSIZE),
            e!(q::pack, f::STRUCT_PACK),
            e!(q::pack_into, f::STRUCT_PACK_INTO),
            e!(q::unpack, f::STRUCT_UNPACK),
            e!(q::unpack_from, f::STRUCT_UNPACK_FROM),
        ],
    ),
    #[cfg(feature = "math")]
    (
        q::math,
        &[
            e!(q::sqrt, f::MATH_SQRT),
            e!(q::exp, f::MATH_EXP),
            #[cfg(feature = "math-special")]
            e!(q::expm1, f::MATH_EXPM1),
            #[cfg(feature = "math-special")]
            e!(q::log2, f::MATH_LOG2),
            #[cfg(feature = "math-special")]
            e!(q::log10, f::MATH_LOG10),
            #[cfg(feature = "math-special")]
            e!(q::cosh, f::MATH_COSH),
            #[cfg(feature = "math-special")]
            e!(q::sinh, f::MATH_SINH),
            #[cfg(feature = "math-special")]
            e!(q::tanh, f::MATH_TANH),
            #[cfg(feature = "math-special")]
            e!(q::acosh, f::MATH_ACOSH),
            #[cfg(feature = "math-special")]
            e!(q::asinh, f::MATH_ASINH),
            #[cfg(feature = "math-special")]
            e!(q::atanh, f::MATH_ATANH),
            e!(q::cos, f::MATH_COS),
            e!(q::sin, f::MATH_SIN),
            e!(q::tan, f::MATH_TAN),
            e!(q::acos, f::MATH_ACOS),
            e!(q::asin, f::MATH_ASIN),
            e!(q::atan, f::MATH_ATAN),
            e!(q::fabs, f::MATH_FABS),
            #[cfg(feature = "math-special")]
            e!(q::erf, f::MATH_ERF),
            #[cfg(feature = "math-special")]
            e!(q::erfc, f::MATH_ERFC),
            #[cfg(feature = "math-special")]
            e!(q::gamma, f::MATH_GAMMA),
            #[cfg(feature = "math-special")]
            e!(q::lgamma, f::MATH_LGAMMA),
            e!(q::radians, f::MATH_RADIANS),
            e!(q::degrees, f::MATH_DEGREES),
            e!(q::pow, f::MATH_POW),
            e!(q::atan2, f::MATH_ATAN2),
            e!(q::copysign, f::MATH_COPYSIGN),
            e!(q::fmod, f::MATH_FMOD),
            e!(q::ceil, f::MATH_CEIL),
            e!(q::floor, f::MATH_FLOOR),
            e!(q::trunc, f::MATH_TRUNC),
            e!(q::isfinite, f::MATH_ISFINITE),
            e!(q::isinf, f::MATH_ISINF),
            e!(q::isnan, f::MATH_ISNAN),
            e!(q::ldexp, f::MATH_LDEXP),
            e!(q::log, f::MATH_LOG),
            e!(q::frexp, f::MATH_FREXP),
            e!(q::modf, f::MATH_MODF),
            e!(q::factorial, f::MATH_FACTORIAL),
            e!(q::isclose, f::MATH_ISCLOSE),
        ],
    ),
    #[cfg(feature = "json")]
    (q::json, &[e!(q::dumps, f::JSON_DUMPS), e!(q::dump, f::JSON_DUMP), e!(q::loads, f::JSON_LOADS), e!(q::load, f::JSON_LOAD)]),
    #[cfg(feature = "heapq")]
    (q::heapq, &[e!(q::heappush, f::HEAPQ_HEAPPUSH), e!(q::heappop, f::HEAPQ_HEAPPOP), e!(q::heapify, f::HEAPQ_HEAPIFY)]),
    #[cfg(feature = "random")]
    (
        q::random,
        &[
            e!(q::getrandbits, f::RANDOM_GETRANDBITS),
            e!(q::seed, f::RANDOM_SEED),
            e!(q::randrange, f::RANDOM_RANDRANGE),
            e!(q::randint, f::RANDOM_RANDINT),
            e!(q::choice, f::RANDOM_CHOICE),
            e!(q::random, f::RANDOM_RANDOM),
            e!(q::uniform, f::RANDOM_UNIFORM),
        ],
    ),
    #[cfg(feature = "binascii")]
    (
        q::binascii,
        &[
            e!(q::hexlify, f::BINASCII_HEXLIFY),
            e!(q::unhexlify, f::BINASCII_UNHEXLIFY),
            e!(q::a2b_base64, f::BINASCII_A2B_BASE64),
            e!(q::b2a_base64, f::BINASCII_B2A_BASE64),
            e!(q::crc32, f::BINASCII_CRC32),
        ],
    ),
    #[cfg(feature = "errno")]
    (
        q::errno,
        &[
            e!(q::EPERM, Value::small_int(1)),
            e!(q::ENOENT, Value::small_int(2)),
            e!(q::EIO, Value::small_int(5)),
            e!(q::EBADF, Value::small_int(9)),
            e!(q::EAGAIN, Value::small_int(11)),
            e!(q::ENOMEM, Value::small_int(12)),
            e!(q::EACCES, Value::small_int(13)),
            e!(q::EEXIST, Value::small_int(17)),
            e!(q::ENODEV, Value::small_int(19)),
            e!(q::EISDIR, Value::small_int(21)),
            e!(q::EINVAL, Value::small_int(22)),
            e!(q::EOPNOTSUPP, Value::small_int(95)),
            e!(q::EADDRINUSE, Value::small_int(98)),
            e!(q::ECONNABORTED, Value::small_int(103)),
            e!(q::ECONNRESET, Value::small_int(104)),
            e!(q::ENOBUFS, Value::small_int(105)),
            e!(q::ENOTCONN, Value::small_int(107)),
            e!(q::ETIMEDOUT, Value::small_int(110)),
            e!(q::ECONNREFUSED, Value::small_int(111)),
            e!(q::EHOSTUNREACH, Value::small_int(113)),
            e!(q::EALREADY, Value::small_int(114)),
            e!(q::EINPROGRESS, Value::small_int(115)),
        ],
    ),
    #[cfg(feature = "re")]
    (
        q::re,
        &[
            e!(q::compile, f::RE_COMPILE),
            e!(q::r#match, f::RE_MATCH),
            e!(q::search, f::RE_SEARCH),
            e!(q::sub, f::RE_SUB),
            e!(q::split, f::RE_SPLIT),
        ],
    ),
    // The builtins as a module (read only: MicroPython's builds without
    // MICROPY_CAN_OVERRIDE_BUILTINS).
    (q::builtins, BUILTINS),
    // micropython and gc: MicroPython's MICROPY_PY_MICROPYTHON and
    // MICROPY_PY_GC, which its minimal ROM level leaves out.
    #[cfg(feature = "core-features")]
    (
        q::micropython,
        &[
            e!(q::r#const, f::MICROPYTHON_CONST),
            e!(q::opt_level, f::MICROPYTHON_OPT_LEVEL),
            #[cfg(feature = "mem-info")]
            e!(q::mem_info, f::MICROPYTHON_MEM_INFO),
            #[cfg(feature = "mem-info")]
            e!(q::qstr_info, f::MICROPYTHON_QSTR_INFO),
            e!(q::stack_use, f::MICROPYTHON_STACK_USE),
            e!(q::heap_lock, f::MICROPYTHON_HEAP_LOCK),
            e!(q::heap_unlock, f::MICROPYTHON_HEAP_UNLOCK),
            e!(q::heap_locked, f::MICROPYTHON_HEAP_LOCKED),
            e!(q::kbd_intr, f::MICROPYTHON_KBD_INTR),
            e!(q::schedule, f::MICROPYTHON_SCHEDULE),
            e!(q::alloc_emergency_exception_buf, f::MICROPYTHON_ALLOC_EMERGENCY_EXCEPTION_BUF),
            #[cfg(feature = "ringio")]
            e!(q::RingIO, ty(TypeId::RingIO)),
            #[cfg(feature = "mem-info")]
            e!(q::mem_total, f::MICROPYTHON_MEM_TOTAL),
            #[cfg(feature = "mem-info")]
            e!(q::mem_current, f::MICROPYTHON_MEM_CURRENT),
            #[cfg(feature = "mem-info")]
            e!(q::mem_peak, f::MICROPYTHON_MEM_PEAK),
        ],
    ),
    #[cfg(feature = "hashlib")]
    (q::hashlib, &[e!(q::sha256, f::HASHLIB_SHA256), e!(q::sha1, f::HASHLIB_SHA1), e!(q::md5, f::HASHLIB_MD5)]),
    #[cfg(feature = "os")]
    (
        q::os,
        &[
            e!(q::listdir, f::OS_LISTDIR),
            e!(q::ilistdir, f::OS_ILISTDIR),
            e!(q::mkdir, f::OS_MKDIR),
            e!(q::rmdir, f::OS_RMDIR),
            e!(q::remove, f::OS_REMOVE),
            e!(q::rename, f::OS_RENAME),
            e!(q::stat, f::OS_STAT),
            e!(q::statvfs, f::OS_STATVFS),
            e!(q::getcwd, f::OS_GETCWD),
            e!(q::chdir, f::OS_CHDIR),
            e!(q::urandom, f::OS_URANDOM),
            e!(q::sync, f::OS_SYNC),
            e!(q::uname, f::OS_UNAME),
            e!(q::sep, Value::qstr(q::SLASH)),
            e!(q::mount, f::VFS_MOUNT),
            e!(q::umount, f::VFS_UMOUNT),
            #[cfg(feature = "vfs-lfs2")]
            e!(q::VfsLfs2, ty(TypeId::VfsLfs2)),
        ],
    ),
    #[cfg(feature = "os")]
    (
        q::vfs,
        &[
            e!(q::mount, f::VFS_MOUNT),
            e!(q::umount, f::VFS_UMOUNT),
            #[cfg(feature = "vfs-lfs2")]
            e!(q::VfsLfs2, ty(TypeId::VfsLfs2)),
        ],
    ),
    #[cfg(feature = "deflate")]
    (
        q::deflate,
        &[
            e!(q::DeflateIO, ty(TypeId::DeflateIO)),
            e!(q::AUTO, Value::small_int(0)),
            e!(q::RAW, Value::small_int(1)),
            e!(q::ZLIB, Value::small_int(2)),
            e!(q::GZIP, Value::small_int(3)),
        ],
    ),
    #[cfg(feature = "select")]
    (
        q::select,
        &[
            e!(q::poll, f::SELECT_POLL),
            e!(q::POLLIN, Value::small_int(select::POLLIN)),
            e!(q::POLLOUT, Value::small_int(select::POLLOUT)),
            e!(q::POLLERR, Value::small_int(select::POLLERR)),
            e!(q::POLLHUP, Value::small_int(select::POLLHUP)),
        ],
    ),
    #[cfg(feature = "cmath")]
    (
        q::cmath,
        &[
            e!(q::cos, f::CMATH_COS),
            e!(q::exp, f::CMATH_EXP),
            e!(q::log, f::CMATH_LOG),
            e!(q::log10, f::CMATH_LOG10),
            e!(q::phase, f::CMATH_PHASE),
            e!(q::polar, f::CMATH_POLAR),
            e!(q::rect, f::CMATH_RECT),
            e!(q::sin, f::CMATH_SIN),
            e!(q::sqrt, f::CMATH_SQRT),
        ],
    ),
    #[cfg(feature = "array")]
    (q::array, &[e!(q::array, ty(TypeId::Array))]),
    #[cfg(feature = "io")]
    (q::io, &[e!(q::StringIO, ty(TypeId::StringIO)), e!(q::BytesIO, ty(TypeId::BytesIO)), e!(q::IOBase, ty(TypeId::IOBase))]),
    #[cfg(feature = "collections")]
    (
        q::collections,
        &[
            e!(q::deque, ty(TypeId::Deque)),
            e!(q::OrderedDict, ty(TypeId::OrderedDict)),
            e!(q::defaultdict, ty(TypeId::DefaultDict)),
            e!(q::namedtuple, f::NAMEDTUPLE),
        ],
    ),
    #[cfg(feature = "core-features")]
    (
        q::gc,
        &[
            e!(q::collect, f::GC_COLLECT),
            e!(q::mem_free, f::GC_MEM_FREE),
            e!(q::mem_alloc, f::GC_MEM_ALLOC),
            e!(q::enable, f::GC_ENABLE),
            e!(q::disable, f::GC_DISABLE),
            e!(q::isenabled, f::GC_ISENABLED),
            e!(q::threshold, f::GC_THRESHOLD),
        ],
    ),
    #[cfg(feature = "time")]
    (
        q::time,
        &[
            e!(q::sleep, f::TIME_SLEEP),
            e!(q::sleep_ms, f::TIME_SLEEP_MS),
            e!(q::sleep_us, f::TIME_SLEEP_US),
            e!(q::ticks_ms, f::TIME_TICKS_MS),
            e!(q::ticks_us, f::TIME_TICKS_US),
            e!(q::ticks_diff, f::TIME_TICKS_DIFF),
            e!(q::ticks_add, f::TIME_TICKS_ADD),
            e!(q::ticks_cpu, f::TIME_TICKS_CPU),
            e!(q::time, f::TIME_TIME),
            e!(q::time_ns, f::TIME_TIME_NS),
            e!(q::gmtime, f::TIME_GMTIME),
            e!(q::localtime, f::TIME_GMTIME),
            e!(q::mktime, f::TIME_MKTIME),
        ],
    ),
];

pub fn find_module(name: Qstr) -> Option<Value> {
    MODULES.iter().position(|(n, _)| *n == name).map(|i| Value::module(i as u16))
}

pub fn module_name(id: u16) -> Qstr {
    MODULES.get(id as usize).map_or(q::EMPTY, |m| m.0)
}

/// The attributes of module `id` that live in the VM rather than in ROM.
pub(crate) fn dynamic_module_attr(vm: &mut Vm, id: u16, name: Qstr) -> PyResult<Option<Value>> {
    if module_name(id) == q::sys {
        return sys::dynamic_attr(vm, name);
    }
    if cfg!(feature = "math") && module_name(id) == q::math {
        return math::constant(vm, name);
    }
    if cfg!(feature = "cmath") && module_name(id) == q::cmath {
        return cmath::constant(vm, name);
    }
    if cfg!(feature = "errno") && module_name(id) == q::errno && name == q::errorcode {
        return errno::errorcode(vm).map(Some);
    }
    Ok(None)
}

/// The names `dynamic_module_attr` answers for, for `from m import *`.
pub(crate) fn dynamic_module_names(id: u16) -> &'static [Qstr] {
    if cfg!(feature = "math") && module_name(id) == q::math {
        return math::CONSTANTS;
    }
    if cfg!(feature = "cmath") && module_name(id) == q::cmath {
        return cmath::CONSTANTS;
    }
    if cfg!(feature = "errno") && module_name(id) == q::errno {
        return &[q::errorcode];
    }
    &[]
}

/// A builtin module's ROM table.
/// The names of the built-in modules.
pub fn module_names() -> impl Iterator<Item = Qstr> {
    MODULES.iter().map(|m| m.0)
}

pub fn module_table(id: u16) -> Table {
    MODULES.get(id as usize).map_or(&[], |m| m.1)
}

pub fn module_attr(id: u16, name: Qstr) -> Option<Value> {
    lookup(MODULES.get(id as usize)?.1, name)
}

/// set's methods; those from `FROZENSET_METHODS_START` on leave it unchanged.
static SET_METHODS: Table = &[
    e!(q::add, f::SET_ADD),
    e!(q::remove, f::SET_REMOVE),
    e!(q::discard, f::SET_DISCARD),
    e!(q::pop, f::SET_POP),
    e!(q::clear, f::SET_CLEAR),
    e!(q::update, f::SET_UPDATE),
    e!(q::difference_update, f::SET_DIFF_UPDATE),
    e!(q::intersection_update, f::SET_INTER_UPDATE),
    e!(q::symmetric_difference_update, f::SET_SYMDIFF_UPDATE),
    e!(q::copy, f::SET_COPY),
    e!(q::union, f::SET_UNION),
    e!(q::intersection, f::SET_INTERSECTION),
    e!(q::difference, f::SET_DIFFERENCE),
    e!(q::symmetric_difference, f::SET_SYMDIFF),
    e!(q::issubset, f::SET_ISSUBSET),
    e!(q::issuperset, f::SET_ISSUPERSET),
    e!(q::isdisjoint, f::SET_ISDISJOINT),
    e!(q::__contains__, f::DUNDER_CONTAINS),
    e!(q::__len__, f::DUNDER_LEN),
];
const FROZENSET_METHODS_START: usize = 9;

/// str's methods; `BYTEARRAY_METHODS` ends with the first of them again
/// (a ROM table cannot be two slices joined).
static STR_METHODS: Table = &[
    e!(q::join, f::STR_JOIN),
    e!(q::split, f::STR_SPLIT),
    e!(q::rsplit, f::STR_RSPLIT),
    e!(q::strip, f::STR_STRIP),
    e!(q::lstrip, f::STR_LSTRIP),
    e!(q::rstrip, f::STR_RSTRIP),
    e!(q::upper, f::STR_UPPER),
    e!(q::lower, f::STR_LOWER),
    e!(q::find, f::STR_FIND),
    e!(q::rfind, f::STR_RFIND),
    e!(q::index, f::STR_INDEX),
    e!(q::rindex, f::STR_RINDEX),
    e!(q::replace, f::STR_REPLACE),
    #[cfg(feature = "str-extra")]
    e!(q::count, f::STR_COUNT),
    e!(q::startswith, f::STR_STARTSWITH),
    e!(q::endswith, f::STR_ENDSWITH),
    e!(q::isdigit, f::STR_ISDIGIT),
    e!(q::isalpha, f::STR_ISALPHA),
    e!(q::isspace, f::STR_ISSPACE),
    e!(q::isupper, f::STR_ISUPPER),
    e!(q::islower, f::STR_ISLOWER),
    #[cfg(feature = "str-extra")]
    e!(q::isalnum, f::STR_ISALNUM),
    #[cfg(feature = "str-extra")]
    e!(q::partition, f::STR_PARTITION),
    #[cfg(feature = "str-extra")]
    e!(q::rpartition, f::STR_RPARTITION),
    #[cfg(feature = "str-extra")]
    e!(q::center, f::STR_CENTER),
    #[cfg(feature = "str-extra")]
    e!(q::ljust, f::STR_LJUST),
    #[cfg(feature = "str-extra")]
    e!(q::rjust, f::STR_RJUST),
    #[cfg(feature = "str-extra")]
    e!(q::zfill, f::STR_ZFILL),
    #[cfg(feature = "str-extra")]
    e!(q::splitlines, f::STR_SPLITLINES),
    #[cfg(feature = "str-extra")]
    e!(q::capitalize, f::STR_CAPITALIZE),
    #[cfg(feature = "str-extra")]
    e!(q::title, f::STR_TITLE),
    #[cfg(feature = "str-extra")]
    e!(q::swapcase, f::STR_SWAPCASE),
    #[cfg(feature = "core-features")]
    e!(q::encode, f::STR_ENCODE),
    e!(q::format, f::STR_FORMAT),
];

/// bytearray's own methods, then bytes' own, then those shared with str.
static BYTEARRAY_METHODS: Table = &[
    e!(q::append, f::BA_APPEND),
    e!(q::extend, f::BA_EXTEND),
    #[cfg(feature = "core-features")]
    e!(q::pop, f::BA_POP),
    #[cfg(feature = "core-features")]
    e!(q::insert, f::BA_INSERT),
    #[cfg(feature = "core-features")]
    e!(q::remove, f::BA_REMOVE),
    #[cfg(feature = "core-features")]
    e!(q::clear, f::BA_CLEAR),
    #[cfg(feature = "core-features")]
    e!(q::copy, f::BA_COPY),
    #[cfg(feature = "core-features")]
    e!(q::reverse, f::BA_REVERSE),
    #[cfg(feature = "core-features")]
    e!(q::decode, f::BYTES_DECODE),
    #[cfg(feature = "str-extra")]
    e!(q::hex, f::BYTES_HEX),
    #[cfg(feature = "str-extra")]
    e!(q::fromhex, f::BYTES_FROMHEX),
    e!(q::join, f::STR_JOIN),
    e!(q::split, f::STR_SPLIT),
    e!(q::rsplit, f::STR_RSPLIT),
    e!(q::strip, f::STR_STRIP),
    e!(q::lstrip, f::STR_LSTRIP),
    e!(q::rstrip, f::STR_RSTRIP),
    e!(q::upper, f::STR_UPPER),
    e!(q::lower, f::STR_LOWER),
    e!(q::find, f::STR_FIND),
    e!(q::rfind, f::STR_RFIND),
    e!(q::index, f::STR_INDEX),
    e!(q::rindex, f::STR_RINDEX),
    e!(q::replace, f::STR_REPLACE),
    #[cfg(feature = "str-extra")]
    e!(q::count, f::STR_COUNT),
    e!(q::startswith, f::STR_STARTSWITH),
    e!(q::endswith, f::STR_ENDSWITH),
    e!(q::isdigit, f::STR_ISDIGIT),
    e!(q::isalpha, f::STR_ISALPHA),
    e!(q::isspace, f::STR_ISSPACE),
    e!(q::isupper, f::STR_ISUPPER),
    e!(q::islower, f::STR_ISLOWER),
    #[cfg(feature = "str-extra")]
    e!(q::isalnum, f::STR_ISALNUM),
    #[cfg(feature = "str-extra")]
    e!(q::partition, f::STR_PARTITION),
    #[cfg(feature = "str-extra")]
    e!(q::rpartition, f::STR_RPARTITION),
    #[cfg(feature = "str-extra")]
    e!(q::center, f::STR_CENTER),
    #[cfg(feature = "str-extra")]
    e!(q::ljust, f::STR_LJUST),
    #[cfg(feature = "str-extra")]
    e!(q::rjust, f::STR_RJUST),
    #[cfg(feature = "str-extra")]
    e!(q::zfill, f::STR_ZFILL),
    #[cfg(feature = "str-extra")]
    e!(q::splitlines, f::STR_SPLITLINES),
    #[cfg(feature = "str-extra")]
    e!(q::capitalize, f::STR_CAPITALIZE),
    #[cfg(feature = "str-extra")]
    e!(q::title, f::STR_TITLE),
    #[cfg(feature = "str-extra")]
    e!(q::swapcase, f::STR_SWAPCASE),
];
/// Where bytes' methods start in `BYTEARRAY_METHODS`: after the
/// bytearray-only ones (those that change it), however many are built in.
const BYTES_METHODS_START: usize = {
    let only = [q::append, q::extend, q::pop, q::insert, q::remove, q::clear, q::copy, q::reverse];
    let mut i = 0;
    'entries: while i < BYTEARRAY_METHODS.len() {
        let mut j = 0;
        while j < only.len() {
            if BYTEARRAY_METHODS[i].name as u32 == only[j].0 {
                i += 1;
                continue 'entries;
            }
            j += 1;
        }
        break;
    }
    i
};

/// Methods and class attributes of builtin types.
/// `name` in a builtin type's ROM table.
pub fn type_attr(t: TypeId, name: Qstr) -> Option<Value> {
    lookup(type_attrs(t), name)
}

pub fn type_attrs(t: TypeId) -> Table {
    match t {
        TypeId::List => &[
            e!(q::append, f::LIST_APPEND),
            e!(q::pop, f::LIST_POP),
            e!(q::extend, f::LIST_EXTEND),
            e!(q::insert, f::LIST_INSERT),
            e!(q::remove, f::LIST_REMOVE),
            e!(q::index, f::LIST_INDEX),
            e!(q::count, f::LIST_COUNT),
            e!(q::reverse, f::LIST_REVERSE),
            e!(q::copy, f::LIST_COPY),
            e!(q::clear, f::LIST_CLEAR),
            e!(q::sort, f::LIST_SORT),
            e!(q::__init__, f::LIST_INIT),
            e!(q::__getitem__, f::DUNDER_GETITEM),
            e!(q::__setitem__, f::DUNDER_SETITEM),
            e!(q::__delitem__, f::DUNDER_DELITEM),
            e!(q::__contains__, f::DUNDER_CONTAINS),
            e!(q::__len__, f::DUNDER_LEN),
        ],
        TypeId::Str => STR_METHODS,
        TypeId::Bytes => &BYTEARRAY_METHODS[BYTES_METHODS_START..],
        TypeId::ByteArray => BYTEARRAY_METHODS,
        TypeId::Complex if cfg!(feature = "complex") => &[e!(q::conjugate, f::COMPLEX_CONJUGATE)],
        TypeId::Array if cfg!(feature = "array") => &[e!(q::append, f::ARRAY_APPEND), e!(q::extend, f::ARRAY_EXTEND)],
        #[cfg(feature = "str-extra")]
        TypeId::MemoryView => &[e!(q::hex, f::BYTES_HEX)],
        TypeId::Int | TypeId::Bool => &[
            e!(q::from_bytes, f::INT_FROM_BYTES),
            e!(q::to_bytes, f::INT_TO_BYTES),
            #[cfg(feature = "core-features")]
            e!(q::bit_length, f::INT_BIT_LENGTH),
        ],
        TypeId::Set if features::SET => SET_METHODS,
        // frozenset has the methods that do not change the set: the tail.
        TypeId::FrozenSet if features::SET => &SET_METHODS[FROZENSET_METHODS_START..],
        TypeId::StringIO | TypeId::BytesIO if cfg!(feature = "io") => &[
            e!(q::write, f::IO_WRITE),
            e!(q::read, f::IO_READ),
            e!(q::readinto, f::IO_READINTO),
            e!(q::readline, f::IO_READLINE),
            e!(q::getvalue, f::IO_GETVALUE),
            e!(q::seek, f::IO_SEEK),
            e!(q::tell, f::IO_TELL),
            e!(q::flush, f::IO_FLUSH),
            e!(q::close, f::IO_CLOSE),
            e!(q::__enter__, f::IO_ENTER),
            e!(q::__exit__, f::IO_EXIT),
        ],
        TypeId::TextIOWrapper | TypeId::FileIO if cfg!(feature = "os") => &[
            e!(q::write, f::CONSOLE_WRITE),
            e!(q::read, f::CONSOLE_READ),
            e!(q::readline, f::CONSOLE_READLINE),
            e!(q::readinto, f::FILE_READINTO),
            e!(q::flush, f::CONSOLE_FLUSH),
            e!(q::seek, f::FILE_SEEK),
            e!(q::tell, f::FILE_TELL),
            e!(q::close, f::FILE_CLOSE),
            e!(q::__enter__, f::FILE_ENTER),
            e!(q::__exit__, f::FILE_EXIT),
        ],
        TypeId::VfsNative if cfg!(feature = "os") => &[
            e!(q::mount, f::VFSNATIVE_MOUNT),
            e!(q::umount, f::VFSNATIVE_UMOUNT),
            e!(q::open, f::VFSNATIVE_OPEN),
            e!(q::ilistdir, f::VFSNATIVE_ILISTDIR),
            e!(q::mkdir, f::VFSNATIVE_MKDIR),
            e!(q::rmdir, f::VFSNATIVE_RMDIR),
            e!(q::remove, f::VFSNATIVE_REMOVE),
            e!(q::rename, f::VFSNATIVE_RENAME),
            e!(q::stat, f::VFSNATIVE_STAT),
            e!(q::statvfs, f::VFSNATIVE_STATVFS),
            e!(q::chdir, f::VFSNATIVE_CHDIR),
            e!(q::getcwd, f::VFSNATIVE_GETCWD),
        ],
        #[cfg(feature = "vfs-lfs2")]
        TypeId::VfsLfs2 => &[
            e!(q::mkfs, f::VFSLFS2_MKFS),
            e!(q::mount, f::VFSLFS2_MOUNT),
            e!(q::umount, f::VFSLFS2_UMOUNT),
            e!(q::open, f::VFSLFS2_OPEN),
            e!(q::ilistdir, f::VFSLFS2_ILISTDIR),
            e!(q::mkdir, f::VFSLFS2_MKDIR),
            e!(q::rmdir, f::VFSLFS2_RMDIR),
            e!(q::remove, f::VFSLFS2_REMOVE),
            e!(q::rename, f::VFSLFS2_RENAME),
            e!(q::stat, f::VFSLFS2_STAT),
            e!(q::statvfs, f::VFSLFS2_STATVFS),
            e!(q::chdir, f::VFSLFS2_CHDIR),
            e!(q::getcwd, f::VFSLFS2_GETCWD),
        ],
        TypeId::TextIOWrapper | TypeId::FileIO if features::CORE_FEATURES => &[
            e!(q::write, f::CONSOLE_WRITE),
            e!(q::read, f::CONSOLE_READ),
            e!(q::readline, f::CONSOLE_READLINE),
            e!(q::flush, f::CONSOLE_FLUSH),
        ],
        TypeId::Regex if cfg!(feature = "re") => {
            &[e!(q::r#match, f::REGEX_MATCH), e!(q::search, f::REGEX_SEARCH), e!(q::sub, f::REGEX_SUB), e!(q::split, f::REGEX_SPLIT)]
        }
        TypeId::Match if cfg!(feature = "re") => &[
            e!(q::group, f::MATCH_GROUP),
            e!(q::groups, f::MATCH_GROUPS),
            e!(q::start, f::MATCH_START),
            e!(q::end, f::MATCH_END),
            e!(q::span, f::MATCH_SPAN),
        ],
        TypeId::Hash if cfg!(feature = "hashlib") => {
            &[e!(q::update, f::HASH_UPDATE), e!(q::digest, f::HASH_DIGEST), e!(q::hexdigest, f::HASH_HEXDIGEST)]
        }
        #[cfg(feature = "deflate")]
        TypeId::DeflateIO => &[
            e!(q::read, f::DEFLATEIO_READ),
            e!(q::readline, f::DEFLATEIO_READLINE),
            e!(q::readinto, f::DEFLATEIO_READINTO),
            e!(q::close, f::DEFLATEIO_CLOSE),
            #[cfg(feature = "deflate-compress")]
            e!(q::write, f::DEFLATEIO_WRITE),
            e!(q::__enter__, f::DEFLATEIO_ENTER),
            e!(q::__exit__, f::DEFLATEIO_EXIT),
        ],
        TypeId::RingIO if cfg!(feature = "ringio") => &[
            e!(q::any, f::RINGIO_ANY),
            e!(q::read, f::RINGIO_READ),
            e!(q::readline, f::RINGIO_READLINE),
            e!(q::readinto, f::RINGIO_READINTO),
            e!(q::write, f::RINGIO_WRITE),
            e!(q::ioctl, f::RINGIO_IOCTL),
            e!(q::close, f::RINGIO_CLOSE),
        ],
        TypeId::Poll if cfg!(feature = "select") => &[
            e!(q::register, f::POLL_REGISTER),
            e!(q::unregister, f::POLL_UNREGISTER),
            e!(q::modify, f::POLL_MODIFY),
            e!(q::poll, f::POLL_POLL),
            e!(q::ipoll, f::POLL_IPOLL),
        ],
        TypeId::Deque if cfg!(feature = "collections") => &[
            e!(q::append, f::DEQUE_APPEND),
            e!(q::appendleft, f::DEQUE_APPENDLEFT),
            e!(q::pop, f::DEQUE_POP),
            e!(q::popleft, f::DEQUE_POPLEFT),
            e!(q::extend, f::DEQUE_EXTEND),
            e!(q::clear, f::DEQUE_CLEAR),
        ],
        TypeId::Dict | TypeId::OrderedDict | TypeId::DefaultDict => &[
            e!(q::get, f::DICT_GET),
            e!(q::pop, f::DICT_POP),
            e!(q::setdefault, f::DICT_SETDEFAULT),
            e!(q::update, f::DICT_UPDATE),
            e!(q::clear, f::DICT_CLEAR),
            e!(q::copy, f::DICT_COPY),
            e!(q::keys, f::DICT_KEYS),
            e!(q::values, f::DICT_VALUES),
            e!(q::items, f::DICT_ITEMS),
            e!(q::popitem, f::DICT_POPITEM),
            e!(q::fromkeys, f::DICT_FROMKEYS),
            e!(q::__init__, f::DICT_INIT),
            e!(q::__getitem__, f::DUNDER_GETITEM),
            e!(q::__setitem__, f::DUNDER_SETITEM),
            e!(q::__delitem__, f::DUNDER_DELITEM),
            e!(q::__contains__, f::DUNDER_CONTAINS),
            e!(q::__len__, f::DUNDER_LEN),
        ],
        TypeId::Tuple => &[
            e!(q::count, f::TUPLE_COUNT),
            e!(q::index, f::TUPLE_INDEX),
            e!(q::__getitem__, f::DUNDER_GETITEM),
            e!(q::__contains__, f::DUNDER_CONTAINS),
            e!(q::__len__, f::DUNDER_LEN),
        ],
        TypeId::Pin if cfg!(feature = "machine") => machine::PIN_ATTRS,
        TypeId::Signal if cfg!(feature = "machine-pin-extras") => signal::SIGNAL_ATTRS,
        TypeId::Timer if cfg!(feature = "machine-timer") => timer::TIMER_ATTRS,
        TypeId::UART if cfg!(feature = "machine-uart") => uart::UART_ATTRS,
        TypeId::RTC if cfg!(feature = "machine-rtc") => rtc::RTC_ATTRS,
        TypeId::PWM if cfg!(feature = "machine-pwm") => pwm::PWM_ATTRS,
        TypeId::I2C if cfg!(feature = "machine-i2c") => i2c::I2C_ATTRS,
        TypeId::SoftI2C if cfg!(feature = "machine-soft-i2c") => i2c::I2C_ATTRS,
        TypeId::ADC if cfg!(feature = "machine-adc") => adc::ADC_ATTRS,
        TypeId::SPI if cfg!(feature = "machine-spi") => spi::SPI_ATTRS,
        TypeId::SoftSPI if cfg!(feature = "machine-soft-spi") => spi::SPI_ATTRS,
        TypeId::WDT if cfg!(feature = "machine-wdt") => wdt::WDT_ATTRS,
        TypeId::Property if features::CORE_FEATURES => {
            &[e!(q::getter, f::PROPERTY_GETTER), e!(q::setter, f::PROPERTY_SETTER), e!(q::deleter, f::PROPERTY_DELETER)]
        }
        TypeId::Object => &[
            e!(q::__init__, f::OBJECT_INIT),
            e!(q::__new__, f::OBJECT_NEW),
            #[cfg(feature = "core-features")]
            e!(q::__setattr__, f::OBJECT_SETATTR),
            #[cfg(feature = "core-features")]
            e!(q::__delattr__, f::OBJECT_DELATTR),
        ],
        TypeId::BaseException => &[e!(q::__init__, f::EXCEPTION_INIT)],
        TypeId::Generator => &[
            e!(q::send, f::GEN_SEND),
            e!(q::throw, f::GEN_THROW),
            e!(q::close, f::GEN_CLOSE),
            #[cfg(feature = "core-features")]
            e!(q::pend_throw, f::GEN_PEND_THROW),
            e!(q::__next__, f::ITER_NEXT),
        ],
        TypeId::Iterator => &[e!(q::__next__, f::ITER_NEXT)],
        TypeId::Slice if crate::features::SLICE => &[e!(q::indices, f::SLICE_INDICES)],
        _ => &[],
    }
}

/// Calling a `Pin` or `Signal` object: its `value` method (`args` start
/// with the object).
pub(crate) fn call_value_method(vm: &mut Vm, obj: Value, args: Args) -> PyResult<Value> {
    let f = match vm.type_of(obj) {
        TypeId::Signal if cfg!(feature = "machine-pin-extras") => f::SIGNAL_VALUE,
        _ => f::PIN_VALUE,
    };
    call_native_fn(vm, f.as_builtin_fn().unwrap_or(0), args)
}

/// Calling a builtin type: `int(x)`, `Pin(...)`, `ValueError(...)`.
pub(crate) fn construct(vm: &mut Vm, t: TypeId, args: Args) -> PyResult<Value> {
    if !args.kw.is_empty() && !type_takes_keywords(t) {
        return Err(no_keywords(vm));
    }
    match t {
        TypeId::Pin if cfg!(feature = "machine") => machine::pin_new(vm, args),
        TypeId::Signal if cfg!(feature = "machine-pin-extras") => signal::signal_new(vm, args),
        TypeId::Timer if cfg!(feature = "machine-timer") => timer::timer_new(vm, args),
        TypeId::UART if cfg!(feature = "machine-uart") => uart::uart_new(vm, args),
        TypeId::RTC if cfg!(feature = "machine-rtc") => rtc::rtc_new(vm, args),
        TypeId::PWM if cfg!(feature = "machine-pwm") => pwm::pwm_new(vm, args),
        TypeId::I2C if cfg!(feature = "machine-i2c") => i2c::i2c_new(vm, args),
        #[cfg(feature = "machine-soft-i2c")]
        TypeId::SoftI2C => soft_i2c::soft_i2c_new(vm, args),
        #[cfg(feature = "machine-soft-spi")]
        TypeId::SoftSPI => soft_spi::soft_spi_new(vm, args),
        TypeId::SPI if cfg!(feature = "machine-spi") => spi::spi_new(vm, args),
        TypeId::WDT if cfg!(feature = "machine-wdt") => wdt::wdt_new(vm, args),
        TypeId::ADC if cfg!(feature = "machine-adc") => {
            builtins::arity(vm, &args, 1, 1)?;
            adc::adc_new(vm, args)
        }
        t if t.is_exception() => {
            // With the heap locked MicroPython makes the exception in its
            // small emergency buffer, which holds a few args; more than
            // that and the exception gets none.
            let fits = vm.heap.lock_depth == 0 || args.pos.len() <= crate::objects::exception::EMERGENCY_ARGS;
            vm.new_exception(t, if fits { args.pos } else { &[] })
        }
        _ => builtins::construct(vm, t, args),
    }
}
