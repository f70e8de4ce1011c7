//! I2C controllers as `embedded-hal` buses over the glue's devicetree bus
//! table (zephyr/glue/i2c.c).

use crate::bindings as c;
use crate::zport::checked;
use embedded_hal::i2c::{ErrorType, I2c, Operation};
use pyrite_vm::port::DeviceError;

/// Most messages one transfer takes (the glue copies them to its stack).
const MAX_MSGS: usize = c::pyrite_i2c_limits_PYRITE_I2C_MAX_MSGS as usize;

/// An opened controller: the glue's handle.
#[derive(Default)]
pub struct ZephyrI2c {
    pub(crate) handle: i32,
}

impl ErrorType for ZephyrI2c {
    type Error = DeviceError;
}

impl I2c for ZephyrI2c {
    /// One `i2c_transfer`: a repeated START where the direction changes
    /// (`embedded-hal`'s contract), a STOP after the last operation.
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), DeviceError> {
        if operations.is_empty() || operations.len() > MAX_MSGS {
            return Err(DeviceError::Errno(22));
        }
        let mut msgs = [c::pyrite_i2c_msg { buf: core::ptr::null_mut(), len: 0, read: false, restart: false }; MAX_MSGS];
        let mut last_read = None;
        for (m, op) in msgs.iter_mut().zip(operations.iter_mut()) {
            let (buf, len, read) = match op {
                Operation::Read(b) => (b.as_mut_ptr(), b.len(), true),
                // The glue never writes through a write message's buffer.
                Operation::Write(b) => (b.as_ptr().cast_mut(), b.len(), false),
            };
            *m = c::pyrite_i2c_msg { buf, len: len as u32, read, restart: last_read.is_some_and(|r| r != read) };
            last_read = Some(read);
        }
        // SAFETY: each message points into a buffer `operations` borrows for
        // this call, with its length; the glue reads only `n` messages.
        let rc = unsafe { c::pyrite_i2c_transfer(self.handle, address as u16, msgs.as_mut_ptr(), operations.len()) };
        checked(rc).map(|_| ())
    }
}
