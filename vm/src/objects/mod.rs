//! The object model: heap object kinds, builtin types, and `type_of`.
//! Each kind's layout and operations live in its own file.

pub mod array;
pub mod bignum;
pub mod bytearray;
pub mod class;
pub mod complex;
pub mod dict;
pub mod dictview;
pub mod exception;
pub mod float;
#[cfg(not(feature = "float-single"))]
pub mod float_double;
#[cfg(feature = "float-single")]
pub mod float_single;
pub mod fmath;
pub mod function;
pub mod generator;
pub mod int;
pub mod iter;
pub mod list;
pub mod module;
pub mod set;
pub mod slice;
pub mod str;
pub mod tuple;

use crate::qstr::{q, Qstr};
use crate::value::{ImmKind, Value};
use crate::vm::Vm;

/// What a heap object is; stored in the low byte of its header.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Kind {
    /// Byte kinds: the header's count is a byte length.
    Str = 1,
    Bytes = 2,
    /// An f64, little-endian.
    Float = 3,
    /// An int outside the small-int range; see `int.rs`.
    BigInt = 4,
    /// Two f64s: real and imaginary parts.
    Complex = 5,
    /// Where a byte string in flash is: frozen bytecode and line tables
    /// (see `Heap::code_bytes`).
    RomBytes = 6,
    /// A dict's hash table of pair numbers (see `dict.rs`).
    DictIndex = 7,
    /// A native object the port's code made (see `foreign`): its address and
    /// the address of its native type, two words the collector never traces.
    Capsule = 8,
    /// Value kinds: the header's count is a number of `Value` slots.
    Tuple = 16,
    /// `[len, items]`; items is a `ValArray` or NULL.
    List = 17,
    /// Private backing store of lists and dicts.
    ValArray = 18,
    /// `[len, used, entries]`; see `dict.rs`.
    Dict = 19,
    /// See `function.rs`.
    Function = 20,
    Code = 21,
    /// `[type, args, traceback]`.
    Exception = 22,
    /// `[start, stop, step]`.
    Range = 23,
    /// `[next, stop, step]`.
    RangeIter = 24,
    /// `[sequence, index]`.
    SeqIter = 25,
    /// `[self, function]`.
    BoundMethod = 26,
    /// A builtin type's instance with native state: `[type, state...]`.
    Native = 27,
    /// `[start, stop, step]`, each a value or None.
    Slice = 28,
    /// `[value]`: a variable shared between a function and its inner ones.
    Cell = 29,
    /// A user class; see `class.rs`.
    Class = 30,
    /// `[class, dict]`.
    Instance = 31,
    /// `[class, self]`: what `super()` returns.
    Super = 32,
    /// `[function]`.
    StaticMethod = 33,
    /// `[function]`.
    ClassMethod = 34,
    /// `[getter, setter]`.
    Property = 35,
    /// A suspended function; see `generator.rs`.
    Generator = 36,
    /// `set` and `frozenset`: laid out as a dict whose values are all None.
    Set = 37,
    FrozenSet = 38,
    /// A lazy builtin iterator (`enumerate`, `zip`, `map`, `filter`,
    /// `reversed`): `[tag, a, b]`.
    Adapter = 39,
    /// `[len, storage]`; see `bytearray.rs`.
    ByteArray = 40,
    /// `[dict, mode]`; see `dictview.rs`.
    DictView = 41,
    /// `[typecode, bytearray]`; see `array.rs`.
    Array = 42,
    /// `[object, start, count, typecode]`.
    MemoryView = 43,
    /// `[name, globals]`: a module compiled from source.
    Module = 44,
    Unknown = 255,
}

impl Kind {
    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    pub fn from_u8(b: u8) -> Kind {
        match b {
            1 => Kind::Str,
            2 => Kind::Bytes,
            3 => Kind::Float,
            4 => Kind::BigInt,
            5 => Kind::Complex,
            6 => Kind::RomBytes,
            7 => Kind::DictIndex,
            8 => Kind::Capsule,
            16 => Kind::Tuple,
            17 => Kind::List,
            18 => Kind::ValArray,
            19 => Kind::Dict,
            20 => Kind::Function,
            21 => Kind::Code,
            22 => Kind::Exception,
            23 => Kind::Range,
            24 => Kind::RangeIter,
            25 => Kind::SeqIter,
            26 => Kind::BoundMethod,
            27 => Kind::Native,
            28 => Kind::Slice,
            29 => Kind::Cell,
            30 => Kind::Class,
            31 => Kind::Instance,
            32 => Kind::Super,
            33 => Kind::StaticMethod,
            34 => Kind::ClassMethod,
            35 => Kind::Property,
            36 => Kind::Generator,
            37 => Kind::Set,
            38 => Kind::FrozenSet,
            39 => Kind::Adapter,
            40 => Kind::ByteArray,
            41 => Kind::DictView,
            42 => Kind::Array,
            43 => Kind::MemoryView,
            44 => Kind::Module,
            _ => Kind::Unknown,
        }
    }

    #[inline]
    pub fn is_bytes(self) -> bool {
        (self as u8) < 16
    }
}

macro_rules! builtin_types {
    ($($id:ident: $name:ident, base $base:ident;)*) => {
        /// Builtin types; `Value::ty(TypeId::X as u16)` is the type object.
        #[derive(Copy, Clone, PartialEq, Eq, Debug)]
        #[repr(u16)]
        pub enum TypeId { $($id,)* }

        // Names and bases in two tables: (Qstr, TypeId) pairs would take
        // eight bytes each on a 32-bit part rather than three.
        static TYPE_NAMES: &[u16] = &[$(q::$name.0 as u16,)*];
        static TYPE_BASES: &[u8] = &[$(TypeId::$base as u8,)*];
        const ALL_TYPES: &[TypeId] = &[$(TypeId::$id,)*];
        const _: () = assert!(ALL_TYPES.len() <= 256, "a base is one byte");
    };
}

// `base` of `object` is itself: the root of the hierarchy.
builtin_types! {
    Object: object, base Object;
    NoneType: NoneType, base Object;
    Bool: bool, base Int;
    Int: int, base Object;
    Float: float, base Object;
    Complex: complex, base Object;
    Str: str, base Object;
    Bytes: bytes, base Object;
    ByteArray: bytearray, base Object;
    Array: array, base Object;
    MemoryView: memoryview, base Object;
    Tuple: tuple, base Object;
    List: list, base Object;
    Dict: dict, base Object;
    DictView: dict_view, base Object;
    OrderedDict: OrderedDict, base Dict;
    DefaultDict: defaultdict, base Dict;
    Deque: deque, base Object;
    IOBase: IOBase, base Object;
    StringIO: StringIO, base IOBase;
    BytesIO: BytesIO, base IOBase;
    TextIOWrapper: TextIOWrapper, base IOBase;
    FileIO: FileIO, base IOBase;
    Regex: re, base Object;
    Match: r#match, base Object;
    Hash: Hash, base Object;
    Poll: poll, base Object;
    RingIO: RingIO, base Object;
    DeflateIO: DeflateIO, base Object;
    Set: set, base Object;
    FrozenSet: frozenset, base Object;
    Range: range, base Object;
    Slice: slice, base Object;
    Function: function, base Object;
    BuiltinFunction: builtin_function, base Object;
    BoundMethod: bound_method, base Object;
    Iterator: iterator, base Object;
    Module: module, base Object;
    Type: r#type, base Object;
    Code: code, base Object;
    Pin: Pin, base Object;
    I2C: I2C, base Object;
    ADC: ADC, base Object;
    Timer: Timer, base Object;
    Signal: Signal, base Object;
    RTC: RTC, base Object;
    PWM: PWM, base Object;
    UART: UART, base Object;
    SPI: SPI, base Object;
    WDT: WDT, base Object;
    SoftI2C: SoftI2C, base Object;
    SoftSPI: SoftSPI, base Object;
    VfsNative: VfsNative, base Object;
    VfsLfs2: VfsLfs2, base Object;
    Capsule: capsule, base Object;
    Super: super_, base Object;
    StaticMethod: staticmethod, base Object;
    ClassMethod: classmethod, base Object;
    Property: property, base Object;
    Generator: generator, base Object;
    BaseException: BaseException, base Object;
    SystemExit: SystemExit, base BaseException;
    KeyboardInterrupt: KeyboardInterrupt, base BaseException;
    GeneratorExit: GeneratorExit, base BaseException;
    Exception: Exception, base BaseException;
    ArithmeticError: ArithmeticError, base Exception;
    ZeroDivisionError: ZeroDivisionError, base ArithmeticError;
    OverflowError: OverflowError, base ArithmeticError;
    AssertionError: AssertionError, base Exception;
    AttributeError: AttributeError, base Exception;
    ImportError: ImportError, base Exception;
    LookupError: LookupError, base Exception;
    IndexError: IndexError, base LookupError;
    KeyError: KeyError, base LookupError;
    MemoryError: MemoryError, base Exception;
    NameError: NameError, base Exception;
    OSError: OSError, base Exception;
    RuntimeError: RuntimeError, base Exception;
    NotImplementedError: NotImplementedError, base RuntimeError;
    StopIteration: StopIteration, base Exception;
    SyntaxError: SyntaxError, base Exception;
    IndentationError: IndentationError, base SyntaxError;
    TypeError: TypeError, base Exception;
    ValueError: ValueError, base Exception;
    UnicodeError: UnicodeError, base ValueError;
    EOFError: EOFError, base Exception;
    StopAsyncIteration: StopAsyncIteration, base Exception;
}

impl TypeId {
    pub fn from_u16(id: u16) -> Option<TypeId> {
        ALL_TYPES.get(id as usize).copied()
    }

    pub fn name(self) -> Qstr {
        Qstr(TYPE_NAMES[self as usize] as u32)
    }

    pub fn base(self) -> Option<TypeId> {
        let b = TypeId::from_u16(TYPE_BASES[self as usize] as u16)?;
        (b != self).then_some(b)
    }

    pub const fn value(self) -> Value {
        Value::ty(self as u16)
    }

    pub fn is_subtype_of(self, other: TypeId) -> bool {
        let mut t = Some(self);
        while let Some(x) = t {
            if x == other {
                return true;
            }
            t = x.base();
        }
        false
    }

    pub fn is_exception(self) -> bool {
        self.is_subtype_of(TypeId::BaseException)
    }
}

impl Vm {
    /// The builtin type of any value.
    pub fn type_of(&self, v: Value) -> TypeId {
        if v.is_small_int() {
            return TypeId::Int;
        }
        if v.as_qstr().is_some() {
            return TypeId::Str;
        }
        if let Some(r) = v.as_obj() {
            return match self.heap.kind(r) {
                Kind::Str => TypeId::Str,
                Kind::Bytes => TypeId::Bytes,
                Kind::ByteArray => TypeId::ByteArray,
                Kind::Array => TypeId::Array,
                Kind::MemoryView => TypeId::MemoryView,
                Kind::Module => TypeId::Module,
                Kind::Float => TypeId::Float,
                Kind::BigInt => TypeId::Int,
                Kind::Complex => TypeId::Complex,
                Kind::RomBytes | Kind::DictIndex => TypeId::Bytes,
                Kind::Capsule => TypeId::Capsule,
                Kind::Tuple => TypeId::Tuple,
                Kind::List => TypeId::List,
                Kind::Dict => TypeId::Dict,
                Kind::DictView => TypeId::DictView,
                Kind::Function => TypeId::Function,
                Kind::Code => TypeId::Code,
                Kind::Exception => self.exception_type(v),
                Kind::Range => TypeId::Range,
                Kind::RangeIter | Kind::SeqIter => TypeId::Iterator,
                Kind::BoundMethod => TypeId::BoundMethod,
                Kind::Slice => TypeId::Slice,
                Kind::Native => self.heap.slot(r, 0).as_type().and_then(TypeId::from_u16).unwrap_or(TypeId::Object),
                Kind::Class => TypeId::Type,
                Kind::Instance => TypeId::Object,
                Kind::Super => TypeId::Super,
                Kind::StaticMethod => TypeId::StaticMethod,
                Kind::ClassMethod => TypeId::ClassMethod,
                Kind::Property => TypeId::Property,
                Kind::Generator => TypeId::Generator,
                Kind::Adapter => TypeId::Iterator,
                Kind::Set => TypeId::Set,
                Kind::FrozenSet => TypeId::FrozenSet,
                Kind::ValArray | Kind::Cell | Kind::Unknown => TypeId::Object,
            };
        }
        match v.as_imm() {
            Some((ImmKind::Const, _)) if v == Value::TRUE || v == Value::FALSE => TypeId::Bool,
            Some((ImmKind::Const, _)) => TypeId::NoneType,
            Some((ImmKind::BuiltinFn, _)) => TypeId::BuiltinFunction,
            #[cfg(feature = "foreign")]
            Some((ImmKind::ForeignFn, _)) => TypeId::BuiltinFunction,
            Some((ImmKind::Type, _)) => TypeId::Type,
            Some((ImmKind::Module, _)) => TypeId::Module,
            None => TypeId::Object,
        }
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    pub fn kind_of(&self, v: Value) -> Option<Kind> {
        v.as_obj().map(|r| self.heap.kind(r))
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn every_kind_survives_its_header_byte() {
        for b in 0..=255u8 {
            let k = Kind::from_u8(b);
            if k != Kind::Unknown {
                assert_eq!(k as u8, b);
            }
        }
        assert_eq!(Kind::from_u8(Kind::Adapter as u8), Kind::Adapter);
        assert_eq!(Kind::from_u8(Kind::Set as u8), Kind::Set);
    }
}
