//! Python exceptions as Rust values: returned with `?`, never panicked.

use crate::heap::NoMemory;
use crate::value::Value;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PyErr {
    /// A raised exception instance.
    Exc(Value),
    /// The heap had no room. The VM turns this into `MemoryError`, after a
    /// collection and one retry of the failing instruction.
    NoMemory,
}

pub type PyResult<T> = Result<T, PyErr>;

impl From<NoMemory> for PyErr {
    fn from(_: NoMemory) -> PyErr {
        PyErr::NoMemory
    }
}
