//! SPI controllers and devices as `embedded-hal` `SpiDevice`s over the
//! glue's devicetree tables (zephyr/glue/spi.c): a transaction is one
//! `spi_transceive`, its operations the buffers of the sets, so the chip
//! select a device node brings stays asserted across all of them.

use crate::bindings as c;
use crate::zport::checked;
use embedded_hal::spi::{ErrorType, Operation, SpiDevice};
use pyrite_vm::port::DeviceError;

/// Most segments one transfer takes (the glue copies them to its stack).
const MAX_SEGS: usize = c::pyrite_spi_limits_PYRITE_SPI_MAX_SEGS as usize;
const EINVAL: i32 = 22;

/// An opened bus or device: the glue's handle.
#[derive(Default)]
pub struct ZephyrSpi {
    pub(crate) handle: i32,
}

impl ErrorType for ZephyrSpi {
    type Error = DeviceError;
}

fn seg(tx: *const u8, rx: *mut u8, len: usize) -> c::pyrite_spi_seg {
    c::pyrite_spi_seg { tx, rx, len: len as u32 }
}

impl SpiDevice<u8> for ZephyrSpi {
    /// Each operation becomes one segment (a transfer with buffers of two
    /// lengths, two). A delay cannot sit inside one transceive: refused.
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), DeviceError> {
        let null = core::ptr::null_mut::<u8>();
        let mut segs = [seg(null, null, 0); MAX_SEGS];
        let mut n = 0;
        for op in operations.iter_mut() {
            let mut push = |s: c::pyrite_spi_seg| {
                if n == MAX_SEGS {
                    return Err(DeviceError::Errno(EINVAL));
                }
                segs[n] = s;
                n += 1;
                Ok(())
            };
            match op {
                Operation::Read(b) => push(seg(null, b.as_mut_ptr(), b.len()))?,
                Operation::Write(b) => push(seg(b.as_ptr(), null, b.len()))?,
                Operation::Transfer(r, w) => {
                    let common = r.len().min(w.len());
                    push(seg(w.as_ptr(), r.as_mut_ptr(), common))?;
                    if r.len() > common {
                        push(seg(null, r[common..].as_mut_ptr(), r.len() - common))?;
                    } else if w.len() > common {
                        push(seg(w[common..].as_ptr(), null, w.len() - common))?;
                    }
                }
                Operation::TransferInPlace(b) => push(seg(b.as_ptr(), b.as_mut_ptr(), b.len()))?,
                Operation::DelayNs(_) => return Err(DeviceError::Errno(EINVAL)),
            }
        }
        if n == 0 {
            return Ok(());
        }
        // SAFETY: every segment points into a buffer `operations` borrows for
        // this call, with its length (or is NULL); the glue reads `n` of them.
        let rc = unsafe { c::pyrite_spi_transfer(self.handle, segs.as_ptr(), n) };
        checked(rc).map(|_| ())
    }
}
