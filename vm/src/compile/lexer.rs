//! Cuts source into tokens, producing INDENT/DEDENT/NEWLINE from layout as
//! Python does. Tokens are spans into the source: no allocation here.

use super::{CResult, CompileError, ErrorKind, Msg};

const MAX_INDENT_LEVELS: usize = 32;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Newline,
    Indent,
    Dedent,
    Eof,
    Name,
    Int,
    Float,
    Str,
    // keywords
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
    // delimiters and operators
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Semicolon,
    Dot,
    Ellipsis,
    Arrow,
    At,
    Assign,
    Walrus,
    Plus,
    Minus,
    Star,
    DoubleStar,
    Slash,
    DoubleSlash,
    Percent,
    Tilde,
    Amp,
    Pipe,
    Caret,
    LShift,
    RShift,
    Lt,
    Gt,
    Le,
    Ge,
    EqEq,
    NotEq,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    DoubleSlashEq,
    PercentEq,
    AmpEq,
    PipeEq,
    CaretEq,
    LShiftEq,
    RShiftEq,
    DoubleStarEq,
    AtEq,
}

// The keywords and operators as one string each, words separated by a
// space, and their tokens in the same order: a (&[u8], Tok) table would
// take 12 bytes an entry on a 32-bit part besides the text.
const KEYWORD_TEXT: &[u8] = b"False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";
const KEYWORD_TOKS: [Tok; 35] = [
    Tok::False,
    Tok::None,
    Tok::True,
    Tok::And,
    Tok::As,
    Tok::Assert,
    Tok::Async,
    Tok::Await,
    Tok::Break,
    Tok::Class,
    Tok::Continue,
    Tok::Def,
    Tok::Del,
    Tok::Elif,
    Tok::Else,
    Tok::Except,
    Tok::Finally,
    Tok::For,
    Tok::From,
    Tok::Global,
    Tok::If,
    Tok::Import,
    Tok::In,
    Tok::Is,
    Tok::Lambda,
    Tok::Nonlocal,
    Tok::Not,
    Tok::Or,
    Tok::Pass,
    Tok::Raise,
    Tok::Return,
    Tok::Try,
    Tok::While,
    Tok::With,
    Tok::Yield,
];

// Longest first, so a prefix never wins over a longer operator.
const OPERATOR_TEXT: &[u8] =
    b"**= //= >>= <<= ... ** // << >> <= >= == != -> := += -= *= /= %= &= |= ^= @= ( ) [ ] { } , : ; . @ = + - * / % ~ & | ^ < >";
const OPERATOR_TOKS: [Tok; 47] = [
    Tok::DoubleStarEq,
    Tok::DoubleSlashEq,
    Tok::RShiftEq,
    Tok::LShiftEq,
    Tok::Ellipsis,
    Tok::DoubleStar,
    Tok::DoubleSlash,
    Tok::LShift,
    Tok::RShift,
    Tok::Le,
    Tok::Ge,
    Tok::EqEq,
    Tok::NotEq,
    Tok::Arrow,
    Tok::Walrus,
    Tok::PlusEq,
    Tok::MinusEq,
    Tok::StarEq,
    Tok::SlashEq,
    Tok::PercentEq,
    Tok::AmpEq,
    Tok::PipeEq,
    Tok::CaretEq,
    Tok::AtEq,
    Tok::LParen,
    Tok::RParen,
    Tok::LBracket,
    Tok::RBracket,
    Tok::LBrace,
    Tok::RBrace,
    Tok::Comma,
    Tok::Colon,
    Tok::Semicolon,
    Tok::Dot,
    Tok::At,
    Tok::Assign,
    Tok::Plus,
    Tok::Minus,
    Tok::Star,
    Tok::Slash,
    Tok::Percent,
    Tok::Tilde,
    Tok::Amp,
    Tok::Pipe,
    Tok::Caret,
    Tok::Lt,
    Tok::Gt,
];

/// The words of a table's text with their tokens.
fn table(text: &'static [u8], toks: &'static [Tok]) -> impl Iterator<Item = (&'static [u8], Tok)> {
    text.split(|&c| c == b' ').zip(toks.iter().copied())
}

#[derive(Copy, Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub start: u32,
    pub end: u32,
    pub line: u32,
}

/// A lexer's position, without its indentation stack (`Lexer::save`).
#[derive(Copy, Clone)]
pub struct LexMark {
    pos: usize,
    line: u32,
    pending_dedents: usize,
    brackets: u32,
    at_line_start: bool,
    line_has_tokens: bool,
}

pub struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    line: u32,
    indents: [u32; MAX_INDENT_LEVELS],
    n_indents: usize,
    pending_dedents: usize,
    brackets: u32,
    at_line_start: bool,
    /// A token other than NEWLINE/INDENT/DEDENT was produced on this line.
    line_has_tokens: bool,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit()
}

impl<'s> Lexer<'s> {
    pub fn new(src: &'s [u8]) -> Lexer<'s> {
        Lexer {
            src,
            pos: 0,
            line: 1,
            indents: [0; MAX_INDENT_LEVELS],
            n_indents: 1,
            pending_dedents: 0,
            brackets: 0,
            at_line_start: true,
            line_has_tokens: false,
        }
    }

    /// A lexer for an expression embedded in a line (an f-string field):
    /// inside brackets, so it yields no indentation tokens.
    pub fn new_expr(src: &'s [u8], line: u32) -> Lexer<'s> {
        let mut l = Lexer::new(src);
        l.line = line;
        l.brackets = 1;
        l.at_line_start = false;
        l
    }

    /// Where the lexer is, to come back to after reading ahead inside
    /// brackets (where the indentation stack never changes): a few words
    /// on the stack rather than a copy of the lexer with that stack.
    pub fn save(&self) -> LexMark {
        LexMark {
            pos: self.pos,
            line: self.line,
            pending_dedents: self.pending_dedents,
            brackets: self.brackets,
            at_line_start: self.at_line_start,
            line_has_tokens: self.line_has_tokens,
        }
    }

    pub fn restore(&mut self, m: LexMark) {
        LexMark {
            pos: self.pos,
            line: self.line,
            pending_dedents: self.pending_dedents,
            brackets: self.brackets,
            at_line_start: self.at_line_start,
            line_has_tokens: self.line_has_tokens,
        } = m;
    }

    /// Whether all of the source has been read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// Whether a bracket opened is not closed yet.
    pub fn in_brackets(&self) -> bool {
        self.brackets > 0
    }

    /// A token's text; empty for the `Eof` that stands for the rest after
    /// an error (whose span, joined to an earlier token's, may be reversed).
    pub fn text(&self, t: &Token) -> &'s [u8] {
        self.src.get(t.start as usize..t.end as usize).unwrap_or(&[])
    }

    fn peek(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    fn tok(&self, tok: Tok, start: usize, line: u32) -> Token {
        Token { tok, start: start as u32, end: self.pos as u32, line }
    }

    fn err(&self, msg: Msg) -> CompileError {
        CompileError::syntax(msg, self.line)
    }

    pub fn next_token(&mut self) -> CResult<Token> {
        loop {
            if self.pending_dedents > 0 {
                self.pending_dedents -= 1;
                return Ok(self.tok(Tok::Dedent, self.pos, self.line));
            }
            if self.at_line_start && self.brackets == 0 {
                if let Some(t) = self.line_start()? {
                    return Ok(t);
                }
                continue;
            }
            // Skip blanks, comments and backslash continuations.
            match self.peek(0) {
                b' ' | b'\t' | b'\x0c' | b'\r' => {
                    self.pos += 1;
                    continue;
                }
                b'#' => {
                    while !matches!(self.peek(0), b'\n' | 0) {
                        self.pos += 1;
                    }
                    continue;
                }
                b'\\' if matches!(self.peek(1), b'\n') || (self.peek(1) == b'\r' && self.peek(2) == b'\n') => {
                    self.pos += if self.peek(1) == b'\r' { 3 } else { 2 };
                    self.line += 1;
                    continue;
                }
                b'\n' => {
                    let start = self.pos;
                    self.pos += 1;
                    let line = self.line;
                    self.line += 1;
                    if self.brackets > 0 {
                        continue;
                    }
                    self.at_line_start = true;
                    if self.line_has_tokens {
                        self.line_has_tokens = false;
                        return Ok(Token { tok: Tok::Newline, start: start as u32, end: start as u32 + 1, line });
                    }
                    continue;
                }
                0 if self.pos >= self.src.len() => return Ok(self.end_of_input()),
                _ => {}
            }
            self.line_has_tokens = true;
            return self.scan();
        }
    }

    fn end_of_input(&mut self) -> Token {
        if self.line_has_tokens {
            self.line_has_tokens = false;
            return self.tok(Tok::Newline, self.pos, self.line);
        }
        if self.n_indents > 1 {
            self.n_indents -= 1;
            return self.tok(Tok::Dedent, self.pos, self.line);
        }
        self.tok(Tok::Eof, self.pos, self.line)
    }

    /// Measures a new line's indentation; emits INDENT or DEDENTs. Blank and
    /// comment-only lines produce nothing.
    fn line_start(&mut self) -> CResult<Option<Token>> {
        let mut col = 0u32;
        let mut p = self.pos;
        loop {
            match self.src.get(p) {
                Some(b' ') => col += 1,
                Some(b'\t') => col = (col / 8 + 1) * 8,
                Some(b'\x0c') => col = 0,
                _ => break,
            }
            p += 1;
        }
        match self.src.get(p) {
            None | Some(b'\n') | Some(b'#') | Some(b'\r') => {
                // Blank line: leave it to the main loop, indentation unchanged.
                self.pos = p;
                if p >= self.src.len() {
                    self.at_line_start = false;
                }
                if matches!(self.src.get(p), Some(b'\n')) {
                    self.pos += 1;
                    self.line += 1;
                }
                if matches!(self.src.get(p), Some(b'#') | Some(b'\r')) {
                    while !matches!(self.peek(0), b'\n' | 0) {
                        self.pos += 1;
                    }
                }
                return Ok(None);
            }
            _ => {}
        }
        self.pos = p;
        self.at_line_start = false;
        let top = self.indents[self.n_indents - 1];
        if col > top {
            if self.n_indents == MAX_INDENT_LEVELS {
                return Err(CompileError::new(ErrorKind::Indentation, Msg::TooManyIndentationLevels, self.line));
            }
            self.indents[self.n_indents] = col;
            self.n_indents += 1;
            return Ok(Some(self.tok(Tok::Indent, p, self.line)));
        }
        while col < self.indents[self.n_indents - 1] {
            self.n_indents -= 1;
            self.pending_dedents += 1;
        }
        if col != self.indents[self.n_indents - 1] {
            return Err(CompileError::new(ErrorKind::Indentation, Msg::UnindentDoesntMatchAnyOuterIndentLevel, self.line));
        }
        Ok(None)
    }

    fn scan(&mut self) -> CResult<Token> {
        let start = self.pos;
        let line = self.line;
        let c = self.peek(0);
        if is_name_start(c) {
            // String prefixes: r b u f and their two-letter mixes.
            let mut n = 0;
            // Without f-strings `f'...'` is a name and a string: a SyntaxError.
            while n < 2
                && matches!(self.peek(n).to_ascii_lowercase(), b @ (b'r' | b'b' | b'u' | b'f') if b != b'f' || crate::features::FSTRINGS)
            {
                n += 1;
            }
            if n > 0 && matches!(self.peek(n), b'\'' | b'"') {
                self.pos += n;
                return self.string(start, line);
            }
            while is_name_char(self.peek(0)) {
                self.pos += 1;
            }
            let text = &self.src[start..self.pos];
            let tok = table(KEYWORD_TEXT, &KEYWORD_TOKS).find(|&(k, _)| k == text).map_or(Tok::Name, |(_, t)| t);
            return Ok(self.tok(tok, start, line));
        }
        if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) {
            return self.number(start, line);
        }
        if c == b'\'' || c == b'"' {
            return self.string(start, line);
        }
        for (text, tok) in table(OPERATOR_TEXT, &OPERATOR_TOKS) {
            if self.src[self.pos..].starts_with(text) {
                self.pos += text.len();
                match tok {
                    Tok::LParen | Tok::LBracket | Tok::LBrace => self.brackets += 1,
                    Tok::RParen | Tok::RBracket | Tok::RBrace => self.brackets = self.brackets.saturating_sub(1),
                    _ => {}
                }
                return Ok(self.tok(tok, start, line));
            }
        }
        Err(self.err(Msg::InvalidSyntax))
    }

    fn number(&mut self, start: usize, line: u32) -> CResult<Token> {
        let mut tok = Tok::Int;
        if self.peek(0) == b'0' && matches!(self.peek(1) | 0x20, b'x' | b'o' | b'b') {
            self.pos += 2;
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            return Ok(self.tok(tok, start, line));
        }
        let digits = |l: &mut Self| {
            while l.peek(0).is_ascii_digit() || l.peek(0) == b'_' {
                l.pos += 1;
            }
        };
        digits(self);
        if self.peek(0) == b'.' {
            tok = Tok::Float;
            self.pos += 1;
            digits(self);
        }
        if self.peek(0) | 0x20 == b'e'
            && (self.peek(1).is_ascii_digit() || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
        {
            tok = Tok::Float;
            self.pos += 2;
            digits(self);
        }
        if self.peek(0) | 0x20 == b'j' {
            tok = Tok::Float;
            self.pos += 1;
        }
        if is_name_char(self.peek(0)) {
            return Err(self.err(Msg::InvalidSyntaxForNumber));
        }
        // `01` is not an int (`00` is, and `01.5` is a float).
        let text = &self.src[start..self.pos];
        if tok == Tok::Int && text.len() > 1 && text[0] == b'0' && text.iter().any(|&c| c != b'0' && c != b'_') {
            return Err(self.err(Msg::InvalidSyntaxForNumber));
        }
        Ok(self.tok(tok, start, line))
    }

    /// A string literal (prefix already consumed); the token spans prefix,
    /// quotes and body, decoded later by the parser.
    fn string(&mut self, start: usize, line: u32) -> CResult<Token> {
        let q = self.peek(0);
        let triple = self.peek(1) == q && self.peek(2) == q;
        self.pos += if triple { 3 } else { 1 };
        loop {
            match self.peek(0) {
                0 if self.pos >= self.src.len() => {
                    return Err(CompileError::syntax(Msg::UnterminatedString, line));
                }
                b'\\' => {
                    if self.peek(1) == b'\n' {
                        self.line += 1;
                    }
                    self.pos += 2;
                }
                b'\n' if !triple => return Err(CompileError::syntax(Msg::UnterminatedString, line)),
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                c if c == q => {
                    if !triple {
                        self.pos += 1;
                        break;
                    }
                    if self.peek(1) == q && self.peek(2) == q {
                        self.pos += 3;
                        break;
                    }
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.src.len());
        Ok(self.tok(Tok::Str, start, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn toks(src: &str) -> Vec<Tok> {
        let mut l = Lexer::new(src.as_bytes());
        let mut out = Vec::new();
        loop {
            let t = l.next_token().unwrap();
            out.push(t.tok);
            if t.tok == Tok::Eof {
                return out;
            }
        }
    }

    #[test]
    fn layout_produces_indent_dedent_and_newlines() {
        use Tok::*;
        assert_eq!(
            toks("if x:\n    y = 1\n\n    # c\nz\n"),
            [If, Name, Colon, Newline, Indent, Name, Assign, Int, Newline, Dedent, Name, Newline, Eof]
        );
        assert_eq!(toks("f(1,\n  2)"), [Name, LParen, Int, Comma, Int, RParen, Newline, Eof]);
        assert_eq!(toks("while 1:\n  pass"), [While, Int, Colon, Newline, Indent, Pass, Newline, Dedent, Eof]);
    }

    #[test]
    fn operators_numbers_and_strings() {
        use Tok::*;
        assert_eq!(toks("a **= 2 // 3"), [Name, DoubleStarEq, Int, DoubleSlash, Int, Newline, Eof]);
        assert_eq!(toks("x = 'a\\'b' + b\"c\" + r'''d\n'''"), [Name, Assign, Str, Plus, Str, Plus, Str, Newline, Eof]);
        assert_eq!(toks("1.5 0x1F 1e3 .5"), [Float, Int, Float, Float, Newline, Eof]);
    }

    #[test]
    fn bad_layout_and_strings_are_errors_with_lines() {
        let mut l = Lexer::new(b"if x:\n    a\n  b\n");
        let e = loop {
            match l.next_token() {
                Err(e) => break e,
                Ok(t) if t.tok == Tok::Eof => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert_eq!((e.kind(), e.line()), (ErrorKind::Indentation, 3));
        let mut l = Lexer::new(b"\n'abc\n");
        assert_eq!(l.next_token().unwrap_err().line(), 2);
    }
}
