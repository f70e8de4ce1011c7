//! `str` and `bytes`: UTF-8 (or raw) payload in a byte object, or a qstr.

use crate::error::PyResult;
use crate::objects::{list, Kind};
use crate::qstr::{self, Qstr};
use crate::value::Value;
use crate::vm::Vm;

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
        let i = (qs.0 - qstr::STATIC_COUNT) as usize;
        let pool = self.qstr_pool();
        let s = list::items(&self.heap, pool)[i];
        s.as_obj().map(|r| self.heap.bytes(r)).unwrap_or(b"")
    }

    /// The qstr spelled `s`, interning it if it is new.
    pub fn intern(&mut self, s: &[u8]) -> PyResult<Qstr> {
        if let Some(qs) = qstr::find_static(s) {
            return Ok(qs);
        }
        let pool = self.qstr_pool();
        let found = list::items(&self.heap, pool).iter().position(|v| v.as_obj().is_some_and(|r| self.heap.bytes(r) == s));
        if let Some(i) = found {
            return Ok(Qstr(qstr::STATIC_COUNT + i as u32));
        }
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
