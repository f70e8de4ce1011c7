//! `errno`: MicroPython's set of error numbers (Linux's values, which
//! MicroPython uses on every port) and `errorcode`.

use crate::error::PyResult;
use crate::qstr::{q, Qstr};
use crate::value::Value;
use crate::vm::Vm;

pub const CODES: &[(Qstr, isize)] = &[
    (q::EPERM, 1),
    (q::ENOENT, 2),
    (q::EIO, 5),
    (q::EBADF, 9),
    (q::EAGAIN, 11),
    (q::ENOMEM, 12),
    (q::EACCES, 13),
    (q::EEXIST, 17),
    (q::ENODEV, 19),
    (q::EISDIR, 21),
    (q::EINVAL, 22),
    (q::EOPNOTSUPP, 95),
    (q::EADDRINUSE, 98),
    (q::ECONNABORTED, 103),
    (q::ECONNRESET, 104),
    (q::ENOBUFS, 105),
    (q::ENOTCONN, 107),
    (q::ETIMEDOUT, 110),
    (q::ECONNREFUSED, 111),
    (q::EHOSTUNREACH, 113),
    (q::EALREADY, 114),
    (q::EINPROGRESS, 115),
];

/// The name of error number `n`, for `errorcode` and `OSError` messages.
pub fn name_of(n: i64) -> Option<Qstr> {
    CODES.iter().find(|&&(_, v)| v as i64 == n).map(|&(name, _)| name)
}

/// `errno.errorcode`: a fresh dict from number to name (dicts live in the heap).
pub(crate) fn errorcode(vm: &mut Vm) -> PyResult<Value> {
    let d = vm.new_dict(CODES.len())?;
    vm.with_root(d, |vm| {
        for &(name, n) in CODES {
            vm.dict_set(d.as_obj().expect("dict"), Value::small_int(n), Value::qstr(name))?;
        }
        Ok(d)
    })
}
