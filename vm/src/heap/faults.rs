//! Fault injection and a heap walk, for tests (feature `fault-injection`):
//! a plan that makes chosen allocations fail as a full heap would, and a
//! check that the heap is whole afterwards. Never in firmware.

use super::{Heap, AT_FREE, AT_HEAD, AT_TAIL, WORDS_PER_BLOCK};
use crate::objects::Kind;
use crate::value::{ObjRef, Value};
use alloc::format;
use alloc::string::String;

/// Which allocations fail: those numbered `fail_from .. fail_from + count`
/// (from 1, counting every allocation since the plan was set).
#[derive(Copy, Clone, Debug, Default)]
pub struct FaultPlan {
    pub allocs: u64,
    pub fail_from: u64,
    pub count: u64,
}

impl FaultPlan {
    /// Counts an allocation; whether it is to fail.
    pub(super) fn next_fails(&mut self) -> bool {
        self.allocs += 1;
        self.fail_from != 0 && self.allocs >= self.fail_from && self.allocs - self.fail_from < self.count
    }
}

impl Heap {
    /// The region this heap was made on, whole again, for another heap.
    pub fn into_region(self) -> &'static mut [u8] {
        let (addr, len) = self.region;
        // Ends the borrows of the region it holds before it is lent again.
        #[allow(clippy::drop_non_drop)]
        drop(self);
        // SAFETY: `Heap::new` took `len` bytes at `addr` as a `&'static mut`
        // and kept them only as `pool` and `atb`, borrows split from it that
        // `self` held alone; `self` is gone, so this is again the only
        // reference to those bytes, which live for the whole program.
        unsafe { core::slice::from_raw_parts_mut(addr as *mut u8, len) }
    }

    /// Walks every block: each object's header names a kind and its size
    /// fits its blocks, no tail stands without a head, the count of used
    /// blocks is right, and (outside a collection) every value slot that
    /// refers to an object refers to the first block of a live one.
    pub fn check(&self) -> Result<(), String> {
        let mut used = 1; // block 0, reserved
        let mut b = 1;
        while b < self.nblocks {
            match self.at(b) {
                AT_FREE => {
                    b += 1;
                    continue;
                }
                AT_TAIL => return Err(format!("block {b}: a tail without a head")),
                AT_HEAD => {}
                _ => return Err(format!("block {b}: still marked")),
            }
            let n = self.blocks_of(b);
            used += n;
            let r = ObjRef(b as u32);
            let kind = self.kind(r);
            if kind == Kind::Unknown {
                return Err(format!("block {b}: header {:#x} names no kind", self.header(r)));
            }
            let words = if kind.is_bytes() { 1 + self.len(r).div_ceil(super::WORD) } else { 1 + self.len(r) };
            if words > n * WORDS_PER_BLOCK {
                return Err(format!("block {b}: {kind:?} of {} words in {n} blocks", words));
            }
            if !kind.is_bytes() {
                for i in 0..self.len(r) {
                    let v: Value = self.slot(r, i);
                    let Some(c) = v.as_obj() else { continue };
                    if c.0 == 0 || c.0 as usize >= self.nblocks || self.at(c.0 as usize) != AT_HEAD {
                        return Err(format!("block {b}: {kind:?} slot {i} refers to block {}, not an object", c.0));
                    }
                }
            }
            b += n;
        }
        if used != self.used_blocks {
            return Err(format!("{used} blocks in use, the count says {}", self.used_blocks));
        }
        Ok(())
    }
}
