//! An application's frozen modules: `.py` files compiled at build time by
//! `pyrite-cross freeze` (CMake's `pyrite_freeze()`) into one blob the port
//! links into flash and hands over (`Port::frozen_modules`). Importing one
//! makes its code objects in the heap; their bytecode, line tables and
//! names stay in flash, and its string constants are names too, so they
//! cost no RAM.
//!
//! The blob names things with this build's static qstrs, and with its own
//! names numbered from `FROZEN_BASE`: it is only valid for a VM with the
//! same static table (`TABLE_HASH`: the same Pyrite and the same optional
//! parts) and word size, which `AppFrozen::new` checks.
//!
//! Format (numbers are varuints unless said): `PYFZ`, a version byte, the
//! word size in bits (a byte), `TABLE_HASH` (4 bytes, little-endian); the
//! names: their count, then each one's offset in the blob (4 bytes,
//! little-endian), then each one (length, bytes); the modules: their count,
//! then each one's name (a qstr), a flag byte (1: a package), its image's
//! length and the image (a code object as `frozen::load_code` reads it).

use crate::bytecode::read_uint;
use crate::qstr::{Qstr, FROZEN_BASE, TABLE_HASH};

pub const MAGIC: &[u8; 4] = b"PYFZ";
pub const VERSION: u8 = 1;

/// A checked blob, with where its parts start.
#[derive(Copy, Clone)]
pub struct AppFrozen {
    blob: &'static [u8],
    n_names: usize,
    /// The offset table's start.
    offsets: usize,
    n_modules: usize,
    modules: usize,
}

/// A frozen module: its name, whether it is a package, its image.
pub struct FrozenModule {
    pub name: Qstr,
    pub package: bool,
    pub image: &'static [u8],
}

impl AppFrozen {
    /// The blob's contents, if it was made for this build (else None: a
    /// stale blob must not run with the wrong names).
    pub fn new(blob: &'static [u8]) -> Option<AppFrozen> {
        if blob.get(..4)? != MAGIC || *blob.get(4)? != VERSION || *blob.get(5)? as u32 != usize::BITS {
            return None;
        }
        if blob.get(6..10)? != TABLE_HASH.to_le_bytes() {
            return None;
        }
        let (n_names, k) = read_uint(blob, 10);
        let offsets = 10 + k;
        let mut at = offsets + 4 * n_names;
        let mut f = AppFrozen { blob, n_names, offsets, n_modules: 0, modules: 0 };
        // Past the names to the modules.
        for _ in 0..n_names {
            let (len, k) = read_uint(blob, at);
            at += k + len;
        }
        let (n_modules, k) = read_uint(blob, at);
        (f.n_modules, f.modules) = (n_modules, at + k);
        (at <= blob.len()).then_some(f)
    }

    /// Frozen name `q`'s text.
    pub fn name(&self, q: Qstr) -> Option<&'static [u8]> {
        let k = q.0.checked_sub(FROZEN_BASE)? as usize;
        if k >= self.n_names {
            return None;
        }
        let o = self.offsets + 4 * k;
        let at = u32::from_le_bytes(self.blob.get(o..o + 4)?.try_into().ok()?) as usize;
        let (len, n) = read_uint(self.blob, at);
        self.blob.get(at + n..at + n + len)
    }

    /// The frozen name spelled `s`.
    pub fn find_name(&self, s: &[u8]) -> Option<Qstr> {
        (0..self.n_names as u32).map(|k| Qstr(FROZEN_BASE + k)).find(|&q| self.name(q) == Some(s))
    }

    /// How many names there are (numbered from `FROZEN_BASE`).
    pub fn name_count(&self) -> usize {
        self.n_names
    }

    /// Each module, in the blob's order.
    pub fn modules(&self) -> impl Iterator<Item = FrozenModule> + '_ {
        let mut at = self.modules;
        (0..self.n_modules).map_while(move |_| {
            let (name, k) = read_uint(self.blob, at);
            let flags = *self.blob.get(at + k)?;
            let (len, n) = read_uint(self.blob, at + k + 1);
            let start = at + k + 1 + n;
            let image = self.blob.get(start..start + len)?;
            at = start + len;
            Some(FrozenModule { name: Qstr(name as u32), package: flags & 1 != 0, image })
        })
    }
}
