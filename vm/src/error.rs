//! Python exceptions as Rust values: returned with `?`, never panicked.

use crate::heap::NoMemory;
use crate::value::{ObjRef, Value};
use core::num::NonZeroU32;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PyErr {
    /// A raised exception instance.
    Exc(Exc),
    /// The heap had no room. The VM turns this into `MemoryError`, after a
    /// collection and one retry of the failing instruction.
    NoMemory,
}

/// A raised exception: always a heap object, kept as its (never zero)
/// object number, so a `PyErr` is one word and a `PyResult<Option<Value>>`
/// is returned in two registers rather than through memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Exc(NonZeroU32);

impl Exc {
    pub fn value(self) -> Value {
        Value::obj(ObjRef(self.0.get()))
    }
}

impl PyErr {
    /// The error raising exception object `v`. Every raised value is a heap
    /// object (`raise` of anything else raises a TypeError instead); a
    /// non-object, which nothing makes, would be reported as MemoryError.
    pub fn exc(v: Value) -> PyErr {
        match v.as_obj().and_then(|r| NonZeroU32::new(r.0)) {
            Some(n) => PyErr::Exc(Exc(n)),
            None => PyErr::NoMemory,
        }
    }
}

pub type PyResult<T> = Result<T, PyErr>;

/// For `map_err` on a failed reservation (`try_reserve`): out of memory.
pub(crate) fn no_mem<T>(_: T) -> PyErr {
    PyErr::NoMemory
}

impl From<NoMemory> for PyErr {
    fn from(_: NoMemory) -> PyErr {
        PyErr::NoMemory
    }
}

/// Copies into the Rust heap that fail with MemoryError rather than abort
/// as `to_vec` does: on a board that heap is a few KB beside the Python
/// heap, and a str or bytes from Python may be larger.
pub(crate) trait TryToVec {
    fn try_to_vec(&self) -> PyResult<alloc::vec::Vec<u8>>;
}

impl TryToVec for [u8] {
    fn try_to_vec(&self) -> PyResult<alloc::vec::Vec<u8>> {
        try_concat(self, &[])
    }
}

/// `a` then `b`, in a new `Vec`, failing as `try_to_vec` does.
pub(crate) fn try_concat(a: &[u8], b: &[u8]) -> PyResult<alloc::vec::Vec<u8>> {
    try_join(&[a, b])
}

/// The `parts` one after another, in a new `Vec`, failing as `try_to_vec`
/// does.
#[inline(never)]
pub(crate) fn try_join(parts: &[&[u8]]) -> PyResult<alloc::vec::Vec<u8>> {
    let mut v = alloc::vec::Vec::new();
    v.try_reserve_exact(parts.iter().fold(0usize, |n, p| n.saturating_add(p.len()))).map_err(|_| PyErr::NoMemory)?;
    for p in parts {
        v.extend_from_slice(p);
    }
    Ok(v)
}

/// `n` copies of `x`, failing as `try_to_vec` does.
pub(crate) fn try_filled<T: Copy>(x: T, n: usize) -> PyResult<alloc::vec::Vec<T>> {
    let mut v = alloc::vec::Vec::new();
    v.try_reserve_exact(n).map_err(|_| PyErr::NoMemory)?;
    v.resize(n, x);
    Ok(v)
}
