//! Source to bytecode: `lexer` cuts tokens, `parser` builds an arena AST,
//! `scope` decides which names are local, `compiler` + `emit` make code
//! objects. No step allocates infallibly: running out of memory while
//! compiling is a `MemoryError`, and nesting depth is bounded so deep source
//! is a `SyntaxError`, not a native stack overflow.

pub mod ast;
pub mod compiler;
pub mod emit;
pub mod lexer;
pub mod parser;
pub mod scope;

pub use compiler::{compile, Mode};

/// Deepest nesting of brackets, expressions and blocks the compiler accepts.
/// Each level costs native stack in the recursive parser and compiler.
pub const MAX_NESTING: usize = 48;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    Indentation,
    NoMemory,
    /// The native stack reached its floor, a name is too long, or a jump
    /// is beyond a function's 64 KB of bytecode: RuntimeError, as
    /// MicroPython's parser stack check, qstr limit and bytecode overflow.
    StackFull,
}

macro_rules! messages {
    ($($name:ident = $text:expr,)*) => {
        /// The compiler's error messages (MicroPython's wording).
        #[derive(Copy, Clone, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Msg {
            $($name,)*
        }

        const MESSAGES: &[&str] = &[$($text,)*];
    };
}

messages! {
    MemoryAllocationFailed = "memory allocation failed",
    TooManyIndentationLevels = "too many indentation levels",
    UnindentDoesntMatchAnyOuterIndentLevel = "unindent doesn't match any outer indent level",
    UnterminatedString = "unterminated string",
    InvalidSyntax = "invalid syntax",
    InvalidSyntaxForNumber = "invalid syntax for number",
    DecimalNumbersNotSupported = "decimal numbers not supported",
    BytecodeOverflow = "bytecode overflow",
    TooManyArgs = "too many args",
    ReturnOutsideFunction = "'return' outside function",
    ImportStarOnlyAllowedAtModuleLevel = "import * only allowed at module level",
    DefaultExceptMustBeLast = "default 'except:' must be last",
    InvalidMicropythonDecorator = "invalid micropython decorator",
    BadClosure = "bad closure",
    IllegalExpressionForAugmentedAssignment = "illegal expression for augmented assignment",
    CantAssignToExpression = "can't assign to expression",
    CantDeleteExpression = "can't delete expression",
    TooDeeplyNested = "too deeply nested",
    CantUseStarredExpressionHere = "can't use starred expression here",
    ConstantMustBeAnInteger = "constant must be an integer",
    ConstantRedefined = "constant redefined",
    DuplicateArgumentInFunctionDefinition = "duplicate argument in function definition",
    NameIsParameterAndGlobal = "name is parameter and global",
    NameIsNonlocalAndGlobal = "name is nonlocal and global",
    NonlocalDeclarationNotAllowedAtModuleLevel = "nonlocal declaration not allowed at module level",
    NameIsParameterAndNonlocal = "name is parameter and nonlocal",
    CantRebindComprehensionIterationVariable = "can't rebind comprehension iteration variable",
    YieldOutsideFunction = "'yield' outside function",
    NoBindingForNonlocalFound = "no binding for nonlocal found",
    UnexpectedIndent = "unexpected indent",
    ExpectedAnIndentedBlock = "expected an indented block",
    MultipleStarXInAssignment = "multiple *x in assignment",
    CannotMixBytesAndNonbytesLiterals = "cannot mix bytes and nonbytes literals",
    FStringSingleBraceIsNotAllowed = "f-string: single '}' is not allowed",
    FStringExpectingBrace = "f-string: expecting '}'",
    FStringEmptyExpressionNotAllowed = "f-string: empty expression not allowed",
    BytesCanOnlyContainASCIILiteralCharacters = "bytes can only contain ASCII literal characters",
    InvalidEscapeSequence = "invalid escape sequence",
    UnexpectedEOF = "unexpected EOF",
    NonDefaultArgumentFollowsDefaultArgument = "non-default argument follows default argument",
    PositionalArgumentFollowsKeywordArgument = "positional argument follows keyword argument",
    BreakOutsideLoop = "'break' outside loop",
    ContinueOutsideLoop = "'continue' outside loop",
    MaximumRecursionDepthExceeded = "maximum recursion depth exceeded",
    NameTooLong = "name too long",
}

/// The parser and the code generator keep their first error and carry on
/// (with their input ended, or their output discarded) instead of
/// returning it from every step: the error checks at their hundreds of
/// calls were some 3 KB of a Cortex-M3's flash. Each reports the kept
/// error where a statement or function ends.
pub(crate) trait KeepsError {
    fn keep(&mut self, e: CompileError);

    /// `keep`, giving a stand-in for the value the step would have made
    /// (never used: the statement fails).
    fn failed<T: Default>(&mut self, e: CompileError) -> T {
        self.keep(e);
        T::default()
    }
}

/// The first error of the syntax tree or of an emitter (see `KeepsError`).
#[derive(Default)]
pub struct FirstError(Option<CompileError>);

impl FirstError {
    /// Keeps `e` unless an error came first.
    #[inline(never)]
    pub fn keep(&mut self, e: CompileError) {
        self.0.get_or_insert(e);
    }

    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// `r`, unless an error was kept first: then that error.
    pub fn result<T>(&self, r: CResult<T>) -> CResult<T> {
        match self.0 {
            Some(e) => Err(e),
            None => r,
        }
    }
}

/// A step that can fail (the scopes, interning, memory) inside one that
/// cannot: its value, or, the error kept, a stand-in (never used: the
/// statement fails).
pub(crate) trait OrFail<T> {
    fn or_fail(self, k: &mut impl KeepsError) -> T;
}

impl<T: Default> OrFail<T> for CResult<T> {
    fn or_fail(self, k: &mut impl KeepsError) -> T {
        self.unwrap_or_else(|e| k.failed(e))
    }
}

/// `or_fail` for values with no stand-in (objects made for literals): the
/// step returns at once, with its own stand-in.
macro_rules! or_return {
    ($p:expr, $r:expr) => {
        match $r {
            Ok(v) => v,
            Err(e) => return $p.failed(e),
        }
    };
}
pub(crate) use or_return;

/// A compile error in one word: its line (24 bits), message (6) and kind
/// (2). One word makes every `CResult` a register pair, which the
/// recursive-descent parser returns at each level: a larger error was
/// returned through memory, costing code and stack at every call.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct CompileError(u32);

impl Msg {
    pub fn text(self) -> &'static str {
        MESSAGES[self as usize]
    }
}

const LINE_SHIFT: u32 = 8;

impl CompileError {
    /// Out of line: the parser and compiler make errors at hundreds of
    /// places (0.6 KB of flash on a Cortex-M3 when inlined).
    #[inline(never)]
    pub fn new(kind: ErrorKind, msg: Msg, line: u32) -> CompileError {
        const _: () = assert!(MESSAGES.len() <= 64);
        CompileError(line.min(u32::MAX >> LINE_SHIFT) << LINE_SHIFT | (msg as u32) << 2 | kind as u32)
    }

    pub fn syntax(msg: Msg, line: u32) -> CompileError {
        CompileError::new(ErrorKind::Syntax, msg, line)
    }

    /// MemoryError: the compiler's memory (its tree, tables and buffers) ran out.
    pub fn no_memory(line: u32) -> CompileError {
        CompileError::new(ErrorKind::NoMemory, Msg::MemoryAllocationFailed, line)
    }

    /// Interning a name failed with `e`: no memory, or (RuntimeError, as
    /// MicroPython's) a name longer than a name may be.
    pub fn no_name(e: crate::error::PyErr, line: u32) -> CompileError {
        match e {
            crate::error::PyErr::NoMemory => CompileError::no_memory(line),
            _ => CompileError::new(ErrorKind::StackFull, Msg::NameTooLong, line),
        }
    }

    pub fn kind(self) -> ErrorKind {
        [ErrorKind::Syntax, ErrorKind::Indentation, ErrorKind::NoMemory, ErrorKind::StackFull][(self.0 & 3) as usize]
    }

    pub fn msg(self) -> &'static str {
        MESSAGES[(self.0 >> 2 & 63) as usize]
    }

    pub fn line(self) -> u32 {
        self.0 >> LINE_SHIFT
    }
}

impl core::fmt::Debug for CompileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?} at line {}: {}", self.kind(), self.line(), self.msg())
    }
}

pub type CResult<T> = Result<T, CompileError>;

/// The compiler came too close to the native stack's end.
pub(crate) fn stack_full(line: u32) -> CompileError {
    CompileError::new(ErrorKind::StackFull, Msg::MaximumRecursionDepthExceeded, line)
}

/// Pushes onto a `Vec` without the abort that `Vec::push` does on a failed
/// allocation.
pub(crate) fn try_push<T>(v: &mut alloc::vec::Vec<T>, x: T, line: u32) -> CResult<()> {
    v.try_reserve(1).map_err(|_| CompileError::no_memory(line))?;
    v.push(x);
    Ok(())
}
