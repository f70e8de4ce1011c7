//! UARTs as `embedded-io` serial ports over the glue's devicetree UART table
//! (zephyr/glue/uart.c), which buffers received bytes from the interrupt.

use crate::bindings as c;
use crate::zport::checked;
use embedded_io::{ErrorType, Read, ReadReady, Write};
use pyrite_vm::port::DeviceError;

/// An opened UART: the glue's handle.
#[derive(Default)]
pub struct ZephyrUart {
    pub(crate) handle: i32,
}

impl ZephyrUart {
    pub(crate) fn any(&self) -> usize {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_uart_any(self.handle) };
        rc.max(0) as usize
    }
}

impl ErrorType for ZephyrUart {
    type Error = DeviceError;
}

impl Read for ZephyrUart {
    /// What the buffer holds, waiting (in 1 ms sleeps) until it holds
    /// something, as `embedded-io` reads do.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, DeviceError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            // SAFETY: `buf` is valid for `buf.len()` bytes for the call.
            let rc = unsafe { c::pyrite_uart_read(self.handle, buf.as_mut_ptr(), buf.len()) };
            if rc != 0 {
                return checked(rc).map(|n| n as usize);
            }
            // SAFETY: plain C call.
            unsafe { c::pyrite_port_sleep_us(1000) };
        }
    }
}

impl ReadReady for ZephyrUart {
    fn read_ready(&mut self) -> Result<bool, DeviceError> {
        Ok(self.any() > 0)
    }
}

impl Write for ZephyrUart {
    fn write(&mut self, buf: &[u8]) -> Result<usize, DeviceError> {
        // SAFETY: `buf` is valid for the call.
        let rc = unsafe { c::pyrite_uart_write(self.handle, buf.as_ptr(), buf.len()) };
        checked(rc).map(|n| n as usize)
    }

    /// `uart_poll_out` returns once a byte is in the transmitter.
    fn flush(&mut self) -> Result<(), DeviceError> {
        Ok(())
    }
}
