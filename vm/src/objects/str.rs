//! `str` and `bytes`: UTF-8 (or raw) payload in a byte object, or a qstr.

use crate::error::PyResult;
use crate::objects::{list, Kind, TypeId};
use crate::qstr::{self, Qstr};
use crate::value::Value;
use crate::vm::Vm;

/// The longest name (interned string), in bytes, as MicroPython's.
pub const MAX_NAME: usize = 255;

/// Whether `b` starts a character of a str: any byte but a UTF-8
/// continuation byte; any byte at all where strs are bytes (without
/// str-unicode: MicroPython's MICROPY_PY_BUILTINS_STR_UNICODE off, as in its
/// minimal builds), so lengths, indices and slices count bytes.
pub fn starts_char(b: u8) -> bool {
    !crate::features::STR_UNICODE || b & 0xc0 != 0x80
}

/// The bytes of the str character that starts with byte `b`.
pub fn char_len(b: u8) -> usize {
    if crate::features::STR_UNICODE {
        crate::objects::iter::utf8_len(b)
    } else {
        1
    }
}

/// Whether `b` is well-formed UTF-8 (no overlong forms, surrogates or code
/// points past U+10FFFF), as `bytes.decode()` requires. Pyrite's own check:
/// core's `str::from_utf8` brings a 256-byte table and 0.4 KB of code.
pub fn utf8_valid(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let n = crate::objects::iter::utf8_len(c);
        if (c >= 0x80 && !(0xc2..=0xf4).contains(&c)) || i + n > b.len() {
            return false;
        }
        if b[i + 1..i + n].iter().any(|&x| x & 0xc0 != 0x80) {
            return false;
        }
        // The second byte's range rules out the overlong, surrogate and
        // too-large forms the first byte alone allows.
        let c1 = b.get(i + 1).copied().unwrap_or(0x80);
        let ok = match c {
            0xe0 => c1 >= 0xa0,
            0xed => c1 < 0xa0,
            0xf0 => c1 >= 0x90,
            0xf4 => c1 < 0x90,
            _ => true,
        };
        if !ok {
            return false;
        }
        i += n;
    }
    true
}

/// The code point of `s` when it is exactly one character (one byte
/// without str-unicode).
pub fn single_char(s: &[u8]) -> Option<u32> {
    if !crate::features::STR_UNICODE {
        return (s.len() == 1).then(|| s[0] as u32);
    }
    let n = crate::objects::iter::utf8_len(*s.first()?);
    if n != s.len() {
        return None;
    }
    let lead = s[0] as u32 & (0x7f >> if n == 1 { 0 } else { n });
    Some(s[1..].iter().fold(lead, |c, &b| c << 6 | (b & 0x3f) as u32))
}

impl Vm {
    pub fn new_str(&mut self, s: &[u8]) -> PyResult<Value> {
        let r = self.heap.alloc_bytes(Kind::Str, s.len())?;
        self.heap.bytes_mut(r).copy_from_slice(s);
        Ok(Value::obj(r))
    }

    /// A `str` made of the concatenation of `parts`.
    pub fn new_str_from_parts(&mut self, parts: &[&[u8]]) -> PyResult<Value> {
        let len = parts.iter().map(|p| p.len()).sum();
        let r = self.heap.alloc_bytes(Kind::Str, len)?;
        let out = self.heap.bytes_mut(r);
        let mut at = 0;
        for p in parts {
            out[at..at + p.len()].copy_from_slice(p);
            at += p.len();
        }
        Ok(Value::obj(r))
    }

    pub fn new_bytes(&mut self, s: &[u8]) -> PyResult<Value> {
        let r = self.heap.alloc_bytes(Kind::Bytes, s.len())?;
        self.heap.bytes_mut(r).copy_from_slice(s);
        Ok(Value::obj(r))
    }

    /// The text of a `str` (qstr or heap), else `None`.
    pub fn str_bytes(&self, v: Value) -> Option<&[u8]> {
        if let Some(qs) = v.as_qstr() {
            return Some(self.qstr_bytes(qs));
        }
        let r = v.as_obj()?;
        match self.heap.kind(r) {
            Kind::Str => Some(self.heap.bytes(r)),
            Kind::Instance if self.heap.len(r) > 2 => self.str_bytes(self.heap.slot(r, 2)),
            _ => None,
        }
    }

    /// The text of a qstr or heap `str` (not of an instance of a subclass).
    #[inline]
    pub fn plain_str_bytes(&self, v: Value) -> Option<&[u8]> {
        match v.as_qstr() {
            Some(qs) => Some(self.qstr_bytes(qs)),
            None => v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Str).map(|r| self.heap.bytes(r)),
        }
    }

    /// The payload of a `bytes` object.
    pub fn bytes_payload(&self, v: Value) -> Option<&[u8]> {
        let r = v.as_obj()?;
        match self.heap.kind(r) {
            Kind::Bytes => Some(self.heap.bytes(r)),
            Kind::ByteArray => Some(self.bytearray_data(r)),
            Kind::Array if crate::features::ARRAY => Some(self.bytearray_data(self.array_storage(r))),
            Kind::MemoryView if crate::features::ARRAY => Some(self.memoryview_data(r)),
            Kind::Instance if self.heap.len(r) > 2 => self.bytes_payload(self.heap.slot(r, 2)),
            _ => None,
        }
    }

    pub fn qstr_bytes(&self, qs: Qstr) -> &[u8] {
        if let Some(t) = qstr::static_text(qs) {
            return t.as_bytes();
        }
        if crate::frozen::HAS_FROZEN_NAMES && qs.0 >= qstr::FROZEN_BASE {
            return self.frozen_name(qs).unwrap_or(b"");
        }
        let i = (qs.0 - qstr::STATIC_COUNT) as usize;
        let pool = self.qstr_pool();
        let s = list::items(&self.heap, pool)[i];
        s.as_obj().map(|r| self.heap.bytes(r)).unwrap_or(b"")
    }

    /// The qstr spelled `s`, if there is one (nothing is interned).
    pub fn find_qstr(&self, s: &[u8]) -> Option<Qstr> {
        if let Some(qs) = qstr::find_static(s) {
            return Some(qs);
        }
        if let Some(qs) = self.find_frozen_name(s).filter(|_| crate::frozen::HAS_FROZEN_NAMES) {
            return Some(qs);
        }
        let pool = self.qstr_pool();
        let found = list::items(&self.heap, pool).iter().position(|v| v.as_obj().is_some_and(|r| self.heap.bytes(r) == s));
        found.map(|i| Qstr(qstr::STATIC_COUNT + i as u32))
    }

    /// The qstr spelled `s`, interning it if it is new.
    pub fn intern(&mut self, s: &[u8]) -> PyResult<Qstr> {
        if let Some(qs) = self.find_qstr(s) {
            return Ok(qs);
        }
        // MicroPython's limit (a qstr's length is a byte), so that a program
        // that runs here runs there.
        if s.len() > MAX_NAME {
            return Err(self.raise(TypeId::RuntimeError, crate::compile::Msg::NameTooLong.text()));
        }
        #[cfg(any(test, feature = "freeze"))]
        if let Some(names) = &mut self.freezing {
            // Compiling for an image: every new name is one of the image's.
            names.push(s.to_vec());
            return Ok(Qstr(qstr::FROZEN_BASE + names.len() as u32 - 1));
        }
        let pool = self.qstr_pool();
        let n = list::len(&self.heap, pool);
        let text = self.new_str(s)?;
        self.list_push(pool, text)?;
        Ok(Qstr(qstr::STATIC_COUNT + n as u32))
    }

    /// The qstr for a `str` value, interning a heap string if needed.
    pub fn intern_value(&mut self, v: Value) -> PyResult<Option<Qstr>> {
        if let Some(qs) = v.as_qstr() {
            return Ok(Some(qs));
        }
        let Some(r) = v.as_obj().filter(|&r| self.heap.kind(r) == Kind::Str) else {
            return Ok(None);
        };
        // Copy out: interning may allocate.
        let mut buf = alloc::vec::Vec::new();
        buf.try_reserve_exact(self.heap.len(r)).map_err(|_| crate::PyErr::NoMemory)?;
        buf.extend_from_slice(self.heap.bytes(r));
        self.intern(&buf).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::{single_char, utf8_valid};

    /// The same verdict as core's `from_utf8` on every 1- and 2-byte input,
    /// every 3-byte one with a lead of 0xe0..0xf4, and 4-byte ones around
    /// each boundary; `single_char` agrees with `chars()`.
    #[test]
    fn utf8_checks_agree_with_core() {
        let check = |b: &[u8]| {
            let core = core::str::from_utf8(b);
            assert_eq!(utf8_valid(b), core.is_ok(), "{b:x?}");
            if let Ok(s) = core {
                let mut cs = s.chars();
                let one = cs.next().filter(|_| cs.next().is_none()).map(|c| c as u32);
                assert_eq!(single_char(b), one, "{b:x?}");
            }
        };
        for a in 0..=255u8 {
            check(&[a]);
            for b in 0..=255u8 {
                check(&[a, b]);
            }
        }
        for a in 0xe0..=0xf4u8 {
            for b in 0..=255u8 {
                for c in [0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff] {
                    check(&[a, b, c]);
                    for d in [0x41, 0x80, 0xbf, 0xc0] {
                        check(&[a, b, c, d]);
                    }
                }
            }
        }
        check("aé€😀".as_bytes());
        check(b"abc\xff");
    }
}
