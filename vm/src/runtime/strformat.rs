//! String formatting: format specs (`format()`, `str.format`, f-strings)
//! and printf-style `%` for str and bytes. One spec engine serves all of
//! them, so padding, signs and float layouts agree everywhere.

use crate::error::{PyErr, PyResult, TryToVec};
use crate::objects::fmath::Float;
use crate::objects::{Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

/// A parsed format spec: `[[fill]align][sign][#][0][width][,|_][.prec][type]`.
#[derive(Clone, Copy)]
pub struct Spec {
    fill: [u8; 4],
    fill_len: usize,
    align: u8,
    sign: u8,
    alt: bool,
    width: usize,
    grouping: u8,
    precision: Option<usize>,
    ty: u8,
    /// The `0` flag without an alignment: zero fill, after the sign for
    /// numbers (`=`), on the right for strings (Python 3.10+).
    zero: bool,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            fill: [b' ', 0, 0, 0],
            fill_len: 1,
            align: 0,
            sign: b'-',
            alt: false,
            width: 0,
            grouping: 0,
            precision: None,
            ty: 0,
            zero: false,
        }
    }
}

pub(crate) fn char_count(s: &[u8]) -> usize {
    if !crate::features::STR_UNICODE {
        return s.len();
    }
    s.iter().filter(|&&c| c & 0xc0 != 0x80).count()
}

fn number(s: &[u8], i: &mut usize) -> Option<usize> {
    let start = *i;
    let mut n = 0usize;
    while let Some(c) = s.get(*i).filter(|c| c.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add((c - b'0') as usize);
        *i += 1;
    }
    (*i > start).then_some(n)
}

fn parse_spec(s: &[u8]) -> Option<Spec> {
    let mut sp = Spec::default();
    let mut i = 0;
    let mut fill_given = false;
    let is_align = |c: Option<&u8>| matches!(c, Some(b'<' | b'>' | b'^' | b'='));
    if !s.is_empty() {
        let l = crate::objects::str::char_len(s[0]).min(s.len());
        if is_align(s.get(l)) {
            sp.fill[..l].copy_from_slice(&s[..l]);
            sp.fill_len = l;
            sp.align = s[l];
            fill_given = true;
            i = l + 1;
        } else if is_align(s.first()) {
            sp.align = s[0];
            i = 1;
        }
    }
    if let Some(&c @ (b'+' | b'-' | b' ')) = s.get(i) {
        sp.sign = c;
        i += 1;
    }
    if s.get(i) == Some(&b'#') {
        sp.alt = true;
        i += 1;
    }
    if s.get(i) == Some(&b'0') {
        // `0` fills with zeros unless a fill was given; without an
        // alignment it is also the `zero` flag.
        if !fill_given {
            sp.fill = [b'0', 0, 0, 0];
            sp.fill_len = 1;
        }
        sp.zero = sp.align == 0;
        i += 1;
    }
    sp.width = number(s, &mut i).unwrap_or(0);
    if let Some(&c @ (b',' | b'_')) = s.get(i) {
        sp.grouping = c;
        i += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        sp.precision = Some(number(s, &mut i)?);
    }
    if let Some(&c) = s.get(i) {
        sp.ty = c;
        i += 1;
    }
    (i == s.len()).then_some(sp)
}

/// What goes before a number's digits: `-`, or what the spec's sign
/// option (`+`, space) asks for a positive one.
fn sign_text(neg: bool, sign: u8) -> &'static [u8] {
    match (neg, sign) {
        (true, _) => b"-",
        (_, b'+') => b"+",
        (_, b' ') => b" ",
        _ => b"",
    }
}

/// Lays out `sign`+`prefix`+`body` in the spec's width.
fn pad(out: &mut Vec<u8>, sp: &Spec, sign: &[u8], prefix: &[u8], body: &[u8], default_align: u8) -> PyResult<()> {
    let len = char_count(sign) + prefix.len() + char_count(body);
    let fill = &sp.fill[..sp.fill_len];
    let gap = sp.width.saturating_sub(len);
    let align = if sp.align == 0 { default_align } else { sp.align };
    let (before, after) = match align {
        b'<' => (0, gap),
        b'^' => (gap / 2, gap - gap / 2),
        _ => (gap, 0),
    };
    out.try_reserve(len + gap * fill.len()).map_err(|_| PyErr::NoMemory)?;
    if align == b'=' {
        put(out, sign)?;
        put(out, prefix)?;
        for _ in 0..gap {
            put(out, fill)?;
        }
    } else {
        for _ in 0..before {
            put(out, fill)?;
        }
        put(out, sign)?;
        put(out, prefix)?;
    }
    put(out, body)?;
    for _ in 0..after {
        put(out, fill)?;
    }
    Ok(())
}

/// Inserts `sep` every `every` digits from the right of `digits`.
fn group(digits: &[u8], sep: u8, every: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(digits.len() + digits.len() / every);
    for (i, &c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `|f|` in fixed (`f`) or exponent (`e`) form with `prec` digits after
/// the point; exponents as Python writes them (`e+05`).
fn float_body(f: Float, kind: u8, prec: usize, out: &mut Vec<u8>) -> PyResult<()> {
    use crate::objects::float::{fixed_digits, sig_digits};
    if kind == b'f' {
        let d = fixed_digits(f, prec).ok_or(PyErr::NoMemory)?;
        let int_len = d.len() - prec;
        put(out, &d[..int_len])?;
        if prec > 0 {
            put(out, b".")?;
            put(out, &d[int_len..])?;
        }
        return Ok(());
    }
    let (d, e) = if f == 0.0 { (alloc::vec![b'0'; prec + 1], 0) } else { sig_digits(f, prec + 1).ok_or(PyErr::NoMemory)? };
    put(out, &d[..1])?;
    if prec > 0 {
        put(out, b".")?;
        put(out, &d[1..])?;
    }
    crate::objects::float::put_exponent(out, e)
}

/// The decimal exponent `f` has when written with `prec` significant digits.
fn exponent_at(f: Float, prec: usize) -> i32 {
    if f == 0.0 {
        return 0;
    }
    crate::objects::float::sig_digits(f, prec.max(1)).map_or(0, |(_, e)| e)
}

fn strip_zeros(body: &mut Vec<u8>) {
    let exp_at = body.iter().position(|&c| c == b'e').unwrap_or(body.len());
    if !body[..exp_at].contains(&b'.') {
        return;
    }
    let mut end = exp_at;
    while end > 0 && body[end - 1] == b'0' {
        end -= 1;
    }
    if end > 0 && body[end - 1] == b'.' {
        end -= 1;
    }
    body.drain(end..exp_at);
}

/// Formats a float by spec type (`e f g %` or none) without sign.
fn float_text(f: Float, sp: &Spec, ty: u8, out: &mut Vec<u8>) -> PyResult<()> {
    let start = out.len();
    match ty.to_ascii_lowercase() {
        _ if !f.is_finite() => {
            put(out, if f.is_nan() { b"nan" } else { b"inf" })?;
            if ty == b'%' {
                put(out, b"%")?;
            }
        }
        b'f' => float_body(f, b'f', sp.precision.unwrap_or(6), out)?,
        b'e' => float_body(f, b'e', sp.precision.unwrap_or(6), out)?,
        b'%' => {
            float_body(f * 100.0, b'f', sp.precision.unwrap_or(6), out)?;
            put(out, b"%")?;
        }
        0 if sp.precision.is_none() => crate::objects::float::put_float(out, f.abs())?,
        _ => {
            // `g`, and no type with a precision: significant digits.
            let p = sp.precision.unwrap_or(6).max(1);
            let x = exponent_at(f, p);
            let mut body = Vec::new();
            if x >= -4 && x < p as i32 {
                float_body(f, b'f', (p as i32 - 1 - x) as usize, &mut body)?;
            } else {
                float_body(f, b'e', p - 1, &mut body)?;
            }
            if !sp.alt {
                strip_zeros(&mut body);
            }
            if ty == 0 && !body.contains(&b'.') && !body.contains(&b'e') {
                put(&mut body, b".0")?;
            }
            put(out, &body)?;
        }
    }
    if ty.is_ascii_uppercase() {
        out[start..].make_ascii_uppercase();
    }
    Ok(())
}

impl Vm {
    fn bad_code(&mut self, ty: u8, v: Value) -> PyErr {
        if crate::features::TERSE_ERRORS {
            return self.raise_bare(TypeId::ValueError);
        }
        let (buf, n) = match self.qstr_copy(self.type_of(v).name()) {
            Ok(x) => x,
            Err(e) => return e,
        };
        self.raise_parts(TypeId::ValueError, &[b"unknown format code '", &[ty], b"' for object of type '", &buf[..n], b"'"])
    }

    /// Formats `v` by a parsed spec onto `out`.
    fn format_with(&mut self, v: Value, sp: &Spec, out: &mut Vec<u8>) -> PyResult<()> {
        let is_int = self.is_int(v);
        // A number's sign, alternate-form prefix and digits, padded alike.
        let (neg, prefix, body): (bool, &[u8], Vec<u8>) = if is_int && !matches!(sp.ty, b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'%') {
            let (radix, prefix): (u32, &[u8]) = match sp.ty {
                b'b' => (2, b"0b"),
                b'o' => (8, b"0o"),
                b'x' => (16, b"0x"),
                b'X' => (16, b"0X"),
                b'd' | b'n' | 0 => (10, b""),
                b'c' => {
                    if sp.sign != b'-' {
                        return Err(self.raise(TypeId::ValueError, "sign not allowed with integer format specifier 'c'"));
                    }
                    let c = self.as_int(v).and_then(|i| u32::try_from(i).ok()).and_then(char::from_u32);
                    let Some(c) = c else { return Err(self.raise(TypeId::OverflowError, "%c arg not in range(0x110000)")) };
                    let mut b = [0u8; 4];
                    return pad(out, sp, b"", b"", c.encode_utf8(&mut b).as_bytes(), b'>');
                }
                t => return Err(self.bad_code(t, v)),
            };
            let digits = self.int_digits(v, radix, sp.ty == b'X')?;
            let (neg, digits) = if digits[0] == b'-' { (true, &digits[1..]) } else { (false, &digits[..]) };
            let every = if radix == 10 { 3 } else { 4 };
            let mut body = if sp.grouping != 0 { group(digits, sp.grouping, every) } else { digits.to_vec() };
            if sp.grouping != 0 && sp.zero {
                // Zero padding is grouped too: `{:06,}` of 0 is `00,000`.
                let room = sp.width.saturating_sub(usize::from(neg || sp.sign != b'-') + if sp.alt { prefix.len() } else { 0 });
                let mut padded = digits.to_vec();
                while body.len() < room {
                    padded.insert(0, b'0');
                    body = group(&padded, sp.grouping, every);
                }
            }
            (neg, if sp.alt { prefix } else { b"" }, body)
        } else if crate::features::FLOAT && (is_int || self.as_float(v).is_some()) {
            let f = match self.as_float(v) {
                Some(f) => f,
                None => self.int_to_float(v)?.unwrap_or(0.0),
            };
            // `n` is `g` (no locale here).
            if !matches!(sp.ty, 0 | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'%' | b'n') {
                return Err(self.bad_code(sp.ty, v));
            }
            let mut body = Vec::new();
            float_text(f, sp, sp.ty, &mut body)?;
            // Grouped floats are CPython's: MicroPython groups ints only.
            if crate::features::CORE_FEATURES && sp.grouping != 0 {
                let end = body.iter().position(|&c| !c.is_ascii_digit()).unwrap_or(body.len());
                let mut g = group(&body[..end], sp.grouping, 3);
                g.extend_from_slice(&body[end..]);
                body = g;
            }
            (f.is_sign_negative() && !f.is_nan(), b"", body)
        } else {
            return self.format_text(v, sp, out);
        };
        pad(out, sp, sign_text(neg, sp.sign), prefix, &body, if sp.zero { b'=' } else { b'>' })
    }

    /// `format_with` of what is not a number: its `str()`.
    fn format_text(&mut self, v: Value, sp: &Spec, out: &mut Vec<u8>) -> PyResult<()> {
        if !matches!(sp.ty, 0 | b's') {
            return Err(self.bad_code(sp.ty, v));
        }
        let mut s = Vec::new();
        self.write_str(v, &mut s)?;
        if sp.sign != b'-' {
            return Err(self.raise(TypeId::ValueError, "sign not allowed in string format specifier"));
        }
        if sp.align == b'=' {
            return Err(self.raise(TypeId::ValueError, "'=' alignment not allowed in string format specifier"));
        }
        if sp.grouping != 0 {
            return Err(self.raise(TypeId::ValueError, "cannot specify ',' with 's'"));
        }
        if let Some(p) = sp.precision {
            // Keep `p` characters, not bytes.
            let mut n = 0;
            let cut = s.iter().position(|&c| {
                if crate::objects::str::starts_char(c) {
                    n += 1;
                }
                n > p
            });
            if let Some(cut) = cut {
                s.truncate(cut);
            }
        }
        pad(out, sp, b"", b"", &s, b'<')
    }

    /// `format(v, spec)` onto `out`, through `__format__` for instances.
    pub fn format_value(&mut self, v: Value, spec: &[u8], out: &mut Vec<u8>) -> PyResult<()> {
        if self.kind_of(v) == Some(Kind::Instance) {
            let s = self.new_str(spec)?;
            if let Some(r) = self.call_dunder(v, q::__format__, &[s])? {
                let Some(b) = self.str_bytes(r) else { return Err(self.raise(TypeId::TypeError, "__format__ must return a str")) };
                return put(out, b);
            }
        }
        if spec.is_empty() {
            return self.write_str(v, out);
        }
        let Some(sp) = parse_spec(spec) else { return Err(self.raise(TypeId::ValueError, "invalid format specifier")) };
        self.format_with(v, &sp, out)
    }

    /// `fmt.format(*args, **kwargs)`.
    pub fn str_format(&mut self, fmt: &[u8], args: &Args) -> PyResult<Vec<u8>> {
        let (mut auto, mut manual) = (0, false);
        self.str_format_at(fmt, args, &mut auto, &mut manual)
    }

    fn str_format_at(&mut self, fmt: &[u8], args: &Args, auto: &mut usize, manual: &mut bool) -> PyResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == b'}' {
                if fmt.get(i + 1) == Some(&b'}') {
                    put(&mut out, b"}")?;
                    i += 2;
                    continue;
                }
                return Err(self.raise(TypeId::ValueError, "single '}' encountered in format string"));
            }
            if c != b'{' {
                let end = fmt[i..].iter().position(|&c| c == b'{' || c == b'}').map_or(fmt.len(), |n| i + n);
                put(&mut out, &fmt[i..end])?;
                i = end;
                continue;
            }
            if fmt.get(i + 1) == Some(&b'{') {
                put(&mut out, b"{")?;
                i += 2;
                continue;
            }
            // Find the matching `}`, allowing one level of nested fields in the spec.
            let mut depth = 0;
            let mut j = i + 1;
            loop {
                match fmt.get(j) {
                    None => return Err(self.raise(TypeId::ValueError, "expected '}' before end of string")),
                    Some(b'{') => depth += 1,
                    Some(b'}') if depth == 0 => break,
                    Some(b'}') => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            let field = &fmt[i + 1..j];
            i = j + 1;
            let colon = field.iter().position(|&c| c == b':');
            let (head, spec) = match colon {
                Some(k) => (&field[..k], &field[k + 1..]),
                None => (field, &b""[..]),
            };
            let (name, conv) = match head.iter().position(|&c| c == b'!') {
                Some(k) if head.len() != k + 2 => return Err(self.raise(TypeId::ValueError, "expected ':' after format specifier")),
                Some(k) => (&head[..k], Some(head[k + 1])),
                None => (head, None),
            };
            let v = self.format_field(name, args, auto, manual)?;
            let v = match conv {
                None => v,
                Some(b'r') | Some(b'a') => {
                    let mut b = Vec::new();
                    self.write_repr(v, &mut b)?;
                    self.new_str(&b)?
                }
                Some(b's') => self.to_str(v)?,
                Some(_) => return Err(self.raise(TypeId::ValueError, "invalid conversion specifier")),
            };
            // A nested `{}` inside the spec is itself formatted first.
            let spec =
                if spec.contains(&b'{') { self.with_root(v, |vm| vm.str_format_at(spec, args, auto, manual))? } else { spec.to_vec() };
            self.with_root(v, |vm| vm.format_value(v, &spec, &mut out))?;
        }
        Ok(out)
    }

    fn format_field(&mut self, name: &[u8], args: &Args, auto: &mut usize, manual: &mut bool) -> PyResult<Value> {
        let end = name.iter().position(|&c| c == b'.' || c == b'[').unwrap_or(name.len());
        let (first, mut rest) = name.split_at(end);
        let mut v = if first.iter().all(u8::is_ascii_digit) {
            // `{}` numbers itself; `{2}` is numbered; the two do not mix.
            let n = if first.is_empty() {
                if *manual {
                    return Err(self.raise(TypeId::ValueError, "can't switch from manual field specification to automatic field numbering"));
                }
                *auto += 1;
                *auto - 1
            } else {
                if *auto > 0 {
                    return Err(self.raise(TypeId::ValueError, "can't switch from automatic field numbering to manual field specification"));
                }
                *manual = true;
                first.iter().fold(0usize, |n, &d| n.saturating_mul(10).saturating_add((d - b'0') as usize))
            };
            match args.pos.get(n) {
                Some(&v) => v,
                None => return Err(self.raise(TypeId::IndexError, "tuple index out of range")),
            }
        } else {
            let key = self.intern(first)?;
            match args.kwarg(key) {
                Some(v) => v,
                None => {
                    let k = self.new_str(first)?;
                    return Err(PyErr::exc(self.new_exception(TypeId::KeyError, &[k])?));
                }
            }
        };
        // `{0.attr}` and `{0[key]}`: as CPython; MicroPython has neither
        // (nor do its minimal builds here).
        if !crate::features::CORE_FEATURES && !rest.is_empty() {
            return Err(self.raise(TypeId::NotImplementedError, "attributes not supported"));
        }
        while !rest.is_empty() {
            if rest[0] == b'.' {
                let end = rest[1..].iter().position(|&c| c == b'.' || c == b'[').map_or(rest.len(), |n| n + 1);
                let attr = self.intern(&rest[1..end])?;
                v = self.load_attr(v, attr)?;
                rest = &rest[end..];
            } else {
                let Some(close) = rest.iter().position(|&c| c == b']') else {
                    return Err(self.raise(TypeId::ValueError, "expected '}' before end of string"));
                };
                let key = &rest[1..close];
                let k = if !key.is_empty() && key.iter().all(u8::is_ascii_digit) {
                    self.int_value(key.iter().fold(0i64, |n, &d| n.saturating_mul(10).saturating_add((d - b'0') as i64)))?
                } else {
                    self.new_str(key)?
                };
                v = self.subscr(v, k)?;
                rest = &rest[close + 1..];
            }
        }
        Ok(v)
    }

    /// `fmt % args` for str (`bytes == false`) or bytes.
    pub fn percent_format(&mut self, fmt: &[u8], args: Value, bytes: bool) -> PyResult<Vec<u8>> {
        let items: Vec<Value> = match self.kind_of(args) {
            Some(Kind::Tuple) => self.seq_items(args).unwrap_or(&[]).to_vec(),
            _ => alloc::vec![args],
        };
        let is_map = self.kind_of(args) == Some(Kind::Dict) || self.kind_of(args) == Some(Kind::Instance);
        let mut next = 0usize;
        let mut out = Vec::new();
        let mut i = 0;
        let mut used_map = false;
        while i < fmt.len() {
            let c = fmt[i];
            if c != b'%' {
                let end = fmt[i..].iter().position(|&c| c == b'%').map_or(fmt.len(), |n| i + n);
                put(&mut out, &fmt[i..end])?;
                i = end;
                continue;
            }
            i += 1;
            let incomplete = |vm: &mut Vm| vm.raise(TypeId::ValueError, "incomplete format");
            let mut key_val = None;
            if fmt.get(i) == Some(&b'(') {
                let Some(close) = fmt[i..].iter().position(|&c| c == b')') else { return Err(incomplete(self)) };
                if !is_map {
                    return Err(self.raise(TypeId::TypeError, "format requires a dict"));
                }
                // The key as a name, as MicroPython makes it (so a key
                // longer than a name may be is a RuntimeError there too).
                let k = Value::qstr(self.intern(&fmt[i + 1..i + close])?);
                key_val = Some(self.subscr(args, k)?);
                used_map = true;
                i += close + 1;
            }
            let mut sp = Spec::default();
            let mut left = false;
            let mut zero = false;
            while let Some(&f @ (b'-' | b'+' | b' ' | b'#' | b'0')) = fmt.get(i) {
                match f {
                    b'-' => left = true,
                    b'+' => sp.sign = b'+',
                    b' ' if sp.sign != b'+' => sp.sign = b' ',
                    b'#' => sp.alt = true,
                    b'0' => zero = true,
                    _ => {}
                }
                i += 1;
            }
            let mut take = |vm: &mut Vm| -> PyResult<Value> {
                if let Some(v) = key_val.take() {
                    return Ok(v);
                }
                if is_map && items.len() == 1 && used_map {
                    return Err(vm.raise(TypeId::TypeError, "not enough arguments for format string"));
                }
                next += 1;
                items.get(next - 1).copied().ok_or_else(|| vm.raise(TypeId::TypeError, "not enough arguments for format string"))
            };
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let w = take(self)?;
                let w = self.as_int(w).ok_or_else(|| self.raise(TypeId::TypeError, "* wants int"))?;
                if w < 0 {
                    left = true;
                }
                sp.width = w.unsigned_abs() as usize;
            } else {
                sp.width = number(fmt, &mut i).unwrap_or(0);
            }
            if fmt.get(i) == Some(&b'.') {
                i += 1;
                if fmt.get(i) == Some(&b'*') {
                    i += 1;
                    let p = take(self)?;
                    sp.precision = Some(self.as_int(p).ok_or_else(|| self.raise(TypeId::TypeError, "* wants int"))?.max(0) as usize);
                } else {
                    sp.precision = Some(number(fmt, &mut i).unwrap_or(0));
                }
            }
            let Some(&ty) = fmt.get(i) else { return Err(incomplete(self)) };
            i += 1;
            if ty == b'%' {
                put(&mut out, b"%")?;
                continue;
            }
            if left {
                sp.align = b'<';
            } else if zero && !matches!(ty, b's' | b'r' | b'a' | b'c') {
                sp.align = b'=';
                sp.fill = [b'0', 0, 0, 0];
            }
            let v = take(self)?;
            match ty {
                b's' | b'r' | b'a' => {
                    let mut s = Vec::new();
                    if ty == b's' {
                        match self.bytes_payload(v) {
                            Some(b) if bytes => put(&mut s, b)?,
                            _ => self.write_str(v, &mut s)?,
                        }
                    } else {
                        self.write_repr(v, &mut s)?;
                    }
                    if let Some(p) = sp.precision {
                        s.truncate(p);
                    }
                    pad(&mut out, &sp, b"", b"", &s, b'>')?;
                }
                b'c' => {
                    let one: Option<Vec<u8>> = match self.str_bytes(v).or_else(|| self.bytes_payload(v)) {
                        Some(t) if char_count(t) == 1 => Some(t.to_vec()),
                        Some(_) => None,
                        // bytes % n: the byte n.
                        None => self.as_int(v).filter(|_| bytes).map(|n| alloc::vec![n as u8]),
                    };
                    if let Some(s) = one {
                        pad(&mut out, &sp, b"", b"", &s, b'>')?;
                    } else if self.is_int(v) {
                        // The character an int stands for: as `{:c}`.
                        (sp.ty, sp.sign) = (b'c', b'-');
                        self.format_with(v, &sp, &mut out)?;
                    } else {
                        return Err(self.raise(TypeId::TypeError, "%c requires int or char"));
                    }
                }
                b'd' | b'i' | b'u' | b'x' | b'X' | b'o' => {
                    let iv = if self.is_int(v) {
                        v
                    } else if let Some(f) = self.as_float(v).filter(|_| matches!(ty, b'd' | b'i' | b'u')) {
                        self.int_from_float(f)?
                    } else if let Some(i) = self.call_dunder(v, crate::qstr::q::__int__, &[])?.filter(|&i| self.is_int(i)) {
                        i
                    } else {
                        return Err(self.raise(TypeId::TypeError, "%d format: a number is required"));
                    };
                    sp.ty = match ty {
                        b'x' | b'X' | b'o' => ty,
                        _ => b'd',
                    };
                    if let Some(p) = sp.precision.take() {
                        // `%.3d`: at least that many digits.
                        let mut d = self.int_digits(iv, 10, false)?;
                        let neg = d[0] == b'-';
                        if neg {
                            d.remove(0);
                        }
                        while d.len() < p {
                            d.insert(0, b'0');
                        }
                        pad(&mut out, &sp, sign_text(neg, sp.sign), b"", &d, b'>')?;
                        continue;
                    }
                    self.with_root(iv, |vm| vm.format_with(iv, &sp, &mut out))?;
                }
                b'e' | b'E' | b'f' | b'F' | b'g' | b'G' if crate::features::FLOAT => {
                    let Some(x) = self.to_float(v)? else {
                        return Err(self.raise(TypeId::TypeError, "can't convert to float"));
                    };
                    sp.ty = ty;
                    let v = if self.as_number(v).is_some() { v } else { self.new_float(x)? };
                    self.with_root(v, |vm| vm.format_with(v, &sp, &mut out))?;
                }
                _ => {
                    return Err(self.raise_parts(TypeId::ValueError, &[b"unsupported format character '", &[ty], b"'"]));
                }
            }
        }
        if !used_map && next < items.len() && !is_map {
            return Err(self.raise(TypeId::TypeError, "format string needs more arguments"));
        }
        Ok(out)
    }
}

/// `str.format(...)`.
pub fn str_format_method(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(fmt) = args.pos.first().and_then(|&s| vm.str_bytes(s)) else {
        return Err(vm.raise(TypeId::TypeError, "descriptor 'format' requires a 'str' object"));
    };
    let fmt = fmt.try_to_vec()?;
    let rest = Args { pos: &args.pos[1..], kw: args.kw };
    let out = vm.str_format(&fmt, &rest)?;
    vm.new_str(&out)
}

/// `format(value[, spec])`.
pub fn format_builtin(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let spec = match args.pos.get(1) {
        Some(&s) => match vm.str_bytes(s) {
            Some(b) => b.to_vec(),
            None => return Err(vm.raise(TypeId::TypeError, "format spec must be a str")),
        },
        None => Vec::new(),
    };
    let mut out = Vec::new();
    vm.format_value(args.pos[0], &spec, &mut out)?;
    vm.new_str(&out)
}
