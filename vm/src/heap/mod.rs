//! The GC heap: one region handed over by the port, cut into blocks of four
//! words with a 2-bit-per-block allocation table (free / head / tail / mark),
//! as MicroPython does: objects need no size header beyond their own, and the
//! table costs 1/64 of the region on a 32-bit target.
//!
//! Every object starts with a header word `kind | n << 8`. For value kinds the
//! `n` words after the header are [`Value`]s (so tracing needs no per-type
//! code); for byte kinds `n` is a byte length and the payload is raw bytes.
//!
//! # When the collector runs (the rooting rule)
//! Collection happens only at safepoints chosen by the VM: between bytecode
//! instructions, and when an instruction fails for lack of memory (it is then
//! retried once, its operands still on the value stack). At a safepoint every
//! live value is reachable from the VM's roots (frames, value stack, globals,
//! `Vm::roots`). Native code therefore never sees a collection in the middle of
//! its work, unless it calls back into Python: then the values it still needs
//! must be rooted, with `Vm::with_root` (or `Vm::for_each` for a loop over an
//! iterator, which roots the iterator and each item). Allocation itself never
//! collects.
//!
//! The region is viewed as words and bytes through `bytemuck`. Every access
//! is bounds-checked but the three that nearly every line of the VM inlines
//! (an object's header, reading and writing one slot): those rest on the
//! heap's invariant instead (see `Heap::word`), which debug builds and the
//! tests check. Their bounds checks were 3.4 KB of a Cortex-M3 build. The
//! other `unsafe` reads frozen bytecode in flash (`code_bytes`).

mod collect;
#[cfg(feature = "fault-injection")]
mod faults;

pub use collect::Marker;
#[cfg(feature = "fault-injection")]
pub use faults::FaultPlan;

use crate::objects::Kind;
use crate::value::{ObjRef, Value};

pub const WORD: usize = core::mem::size_of::<usize>();
pub const WORDS_PER_BLOCK: usize = 4;
pub const BYTES_PER_BLOCK: usize = WORDS_PER_BLOCK * WORD;

const AT_FREE: u8 = 0;
const AT_HEAD: u8 = 1;
const AT_TAIL: u8 = 2;
const AT_MARK: u8 = 3;

/// The run lengths (in blocks) that have their own search hint.
const RUN_CLASSES: [usize; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32, 64, 128, 256];

/// The class a request for `n` blocks searches from: the largest whose
/// length is at most `n`.
fn run_class(n: usize) -> usize {
    RUN_CLASSES.iter().rposition(|&l| l <= n).unwrap_or(0)
}

/// Whether none of the four blocks an allocation-table byte describes is
/// free (each 2-bit entry nonzero), so a search can step over all four.
#[inline]
fn all_taken(byte: u8) -> bool {
    (byte | byte >> 1) & 0x55 == 0x55
}

/// A frame's bytecode, seen from outside the heap's borrow (see
/// `Heap::code_view`). It stays valid while its code object is alive: the
/// frame that runs the code roots it, objects never move, and bytecode is
/// never written once made (only list and dict item arrays are ever
/// given back early, by `free`).
#[derive(Copy, Clone)]
pub struct CodeView {
    ptr: *const u8,
    len: usize,
}

impl CodeView {
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr..ptr + len` is a code object's payload (in the
        // heap's region, which lives for the whole program, or in flash),
        // and the caller holds the view only while a frame roots that
        // object (see the type's note): nothing frees, moves or writes
        // those bytes meanwhile.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// The heap has no room for a request (even after the caller collected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoMemory;

pub struct Heap {
    pool: &'static mut [usize],
    atb: &'static mut [u8],
    nblocks: usize,
    /// Where a search for a run of at least `RUN_CLASSES[c]` free blocks
    /// starts: every free block below `hints[c]` is in a free run shorter
    /// than that. Searches move them up, so allocation costs amortised O(1)
    /// whatever the heap's size; freeing and sweeping move them down.
    hints: [usize; RUN_CLASSES.len()],
    used_blocks: usize,
    /// Bytes allocated since the last collection, for `gc.threshold`.
    since_collect: usize,
    /// Collect at the next safepoint once `since_collect` passes this.
    pub threshold: Option<usize>,
    /// `gc.disable()` stops automatic collections (explicit ones still run).
    pub auto_collect: bool,
    /// Set by an allocation that crossed the threshold; read at safepoints.
    pub collect_requested: bool,
    /// `micropython.heap_lock()` nesting: every allocation fails while > 0.
    pub lock_depth: u32,
    /// Bytes ever allocated, and the most blocks in use at once
    /// (`micropython.mem_total`, `mem_peak`).
    pub total_allocated: usize,
    pub peak_blocks: usize,
    /// Releases the native objects of capsules the sweep frees.
    #[cfg(feature = "foreign")]
    pub(crate) foreign: Option<&'static dyn crate::foreign::Foreign>,
    /// A capsule has been made: only then does the sweep look for them.
    #[cfg(feature = "foreign")]
    pub(crate) capsules_made: bool,
    /// Allocations a test makes fail (see `faults.rs`).
    #[cfg(feature = "fault-injection")]
    pub faults: FaultPlan,
    /// The region handed over (address, length), given back by
    /// `into_region` so a test can run VM after VM on one region.
    #[cfg(feature = "fault-injection")]
    region: (usize, usize),
}

impl Heap {
    /// Takes over `region` for the life of the program. Block 0 is reserved so
    /// that no object has index 0.
    pub fn new(region: &'static mut [u8]) -> Heap {
        #[cfg(feature = "fault-injection")]
        let whole = (region.as_mut_ptr() as usize, region.len());
        let (_, words, _) = bytemuck::pod_align_to_mut::<u8, usize>(region);
        // n blocks need n*WPB words of pool plus n/4 bytes of table.
        let total_bytes = words.len() * WORD;
        let mut nblocks = (total_bytes * 4) / (BYTES_PER_BLOCK * 4 + 1);
        loop {
            let atb_words = nblocks.div_ceil(4).div_ceil(WORD);
            if nblocks * WORDS_PER_BLOCK + atb_words <= words.len() {
                break;
            }
            nblocks -= 1;
        }
        let atb_words = nblocks.div_ceil(4).div_ceil(WORD);
        let (pool, rest) = words.split_at_mut(nblocks * WORDS_PER_BLOCK);
        let atb: &'static mut [u8] = bytemuck::cast_slice_mut(&mut rest[..atb_words]);
        atb.fill(0);
        let mut heap = Heap {
            pool,
            atb,
            nblocks,
            hints: [1; RUN_CLASSES.len()],
            used_blocks: 0,
            since_collect: 0,
            threshold: None,
            auto_collect: true,
            collect_requested: false,
            lock_depth: 0,
            total_allocated: 0,
            peak_blocks: 0,
            #[cfg(feature = "foreign")]
            foreign: None,
            #[cfg(feature = "foreign")]
            capsules_made: false,
            #[cfg(feature = "fault-injection")]
            faults: FaultPlan::default(),
            #[cfg(feature = "fault-injection")]
            region: whole,
        };
        if nblocks > 0 {
            heap.set_at(0, AT_HEAD);
            heap.used_blocks = 1;
        }
        heap
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    fn at(&self, b: usize) -> u8 {
        (self.atb[b / 4] >> ((b % 4) * 2)) & 3
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    fn set_at(&mut self, b: usize, v: u8) {
        let shift = (b % 4) * 2;
        let byte = &mut self.atb[b / 4];
        *byte = (*byte & !(3 << shift)) | (v << shift);
    }

    pub fn total_bytes(&self) -> usize {
        self.nblocks * BYTES_PER_BLOCK
    }

    pub fn used_bytes(&self) -> usize {
        self.used_blocks * BYTES_PER_BLOCK
    }

    pub fn free_bytes(&self) -> usize {
        self.total_bytes() - self.used_bytes()
    }

    /// The most bytes in use at once (`micropython.mem_peak`).
    pub fn peak_bytes(&self) -> usize {
        self.peak_blocks * BYTES_PER_BLOCK
    }

    /// For `micropython.mem_info`: objects of one block, of two blocks, the
    /// largest object and the largest free run, all in blocks.
    pub fn block_stats(&self) -> (usize, usize, usize, usize) {
        let (mut ones, mut twos, mut max_obj, mut max_free) = (0, 0, 0, 0);
        let mut b = 1;
        while b < self.nblocks {
            let start = b;
            let kind = self.at(b);
            b += 1;
            if kind == AT_HEAD {
                while b < self.nblocks && self.at(b) == AT_TAIL {
                    b += 1;
                }
                let n = b - start;
                ones += (n == 1) as usize;
                twos += (n == 2) as usize;
                max_obj = max_obj.max(n);
            } else if kind == AT_FREE {
                while b < self.nblocks && self.at(b) == AT_FREE {
                    b += 1;
                }
                max_free = max_free.max(b - start);
            }
        }
        (ones, twos, max_obj, max_free)
    }

    /// One character a block, for `micropython.mem_info(1)`: `h` an
    /// object's first block, `=` the rest of it, `.` free.
    pub fn block_map(&self, mut each: impl FnMut(u8)) {
        for b in 0..self.nblocks {
            each(match self.at(b) {
                AT_HEAD => b'h',
                AT_TAIL => b'=',
                _ => b'.',
            });
        }
    }

    /// Finds and claims `n` contiguous free blocks.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn alloc_blocks(&mut self, n: usize) -> Result<usize, NoMemory> {
        // One block has a quicker search of its own, but for a build all
        // for size (the general search finds the same block).
        if !cfg!(pyrite_size) && n == 1 {
            return self.alloc_block();
        }
        #[cfg(feature = "fault-injection")]
        if self.faults.next_fails() {
            return Err(NoMemory);
        }
        if self.lock_depth > 0 || n == 0 {
            return Err(NoMemory);
        }
        let class = run_class(n);
        let (mut run, mut longest) = (0, 0);
        // A run long enough for a longer class is long enough for a
        // shorter one, so every shorter class's hint holds for this one too:
        // start from the highest (shorter classes move theirs most often).
        let mut b = self.hints[..=class].iter().copied().max().unwrap_or(1);
        while b < self.nblocks {
            // A table byte at a time where it is all free or all taken (four
            // blocks), one block at a time where a run starts or ends.
            if b & 3 == 0 && b + 4 <= self.nblocks {
                let byte = self.atb[b / 4];
                if byte == 0 && run + 4 < n {
                    run += 4;
                    b += 4;
                    continue;
                }
                if all_taken(byte) {
                    longest = longest.max(run);
                    run = 0;
                    b += 4;
                    continue;
                }
            }
            if self.at(b) != AT_FREE {
                longest = longest.max(run);
                run = 0;
                b += 1;
                continue;
            }
            run += 1;
            if run < n {
                b += 1;
                continue;
            }
            // Free runs passed on the way are at most `longest` long, so
            // searches of this class may start after this one. Only this
            // class's hint moves (raising is optional, lowering is not):
            // the others catch up when they next search, and an allocation
            // stays a handful of steps instead of one per class.
            if RUN_CLASSES[class] > longest {
                self.hints[class] = b + 1;
            }
            return Ok(self.claim(b + 1 - n, n));
        }
        self.raise_hints(class, longest.max(run), self.nblocks);
        Err(NoMemory)
    }

    /// The one-block case of `alloc_blocks` (floats, small tuples, cells):
    /// the first free block at or after the hint, skipping taken table
    /// bytes four blocks at a time.
    #[inline]
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn alloc_block(&mut self) -> Result<usize, NoMemory> {
        #[cfg(feature = "fault-injection")]
        if self.faults.next_fails() {
            return Err(NoMemory);
        }
        if self.lock_depth > 0 {
            return Err(NoMemory);
        }
        let mut b = self.hints[0];
        while b < self.nblocks {
            if b & 3 == 0 && all_taken(self.atb[b / 4]) {
                b += 4;
                continue;
            }
            if self.at(b) == AT_FREE {
                self.hints[0] = b + 1;
                return Ok(self.claim(b, 1));
            }
            b += 1;
        }
        self.hints[0] = self.nblocks;
        Err(NoMemory)
    }

    /// Marks the `n` free blocks from `start` as one object, zeroed.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    fn claim(&mut self, start: usize, n: usize) -> usize {
        self.set_at(start, AT_HEAD);
        for t in start + 1..start + n {
            self.set_at(t, AT_TAIL);
        }
        self.used_blocks += n;
        self.peak_blocks = self.peak_blocks.max(self.used_blocks);
        self.total_allocated = self.total_allocated.wrapping_add(n * BYTES_PER_BLOCK);
        self.since_collect += n * BYTES_PER_BLOCK;
        if let Some(t) = self.threshold {
            if self.since_collect > t {
                self.collect_requested = true;
            }
        }
        self.pool[start * WORDS_PER_BLOCK..(start + n) * WORDS_PER_BLOCK].fill(0);
        start
    }

    /// A search of class `class` saw only free runs of at most `longest`
    /// blocks below `to`: classes at least as long as `class` and longer
    /// than `longest` need not look there again.
    fn raise_hints(&mut self, class: usize, longest: usize, to: usize) {
        for (c, hint) in self.hints.iter_mut().enumerate().skip(class) {
            if RUN_CLASSES[c] > longest {
                *hint = (*hint).max(to);
            }
        }
    }

    /// Blocks from `b` on became free: runs through them start at or after
    /// the first free block of the run they joined.
    fn lower_hints(&mut self, mut b: usize) {
        while b > 1 && self.at(b - 1) == AT_FREE {
            b -= 1;
        }
        for hint in &mut self.hints {
            *hint = (*hint).min(b);
        }
    }

    /// Number of blocks in the object whose head is `b`.
    fn blocks_of(&self, b: usize) -> usize {
        let mut end = b + 1;
        while end < self.nblocks && self.at(end) == AT_TAIL {
            end += 1;
        }
        end - b
    }

    /// An object with `n` value slots, all `Value::NULL`.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn alloc_values(&mut self, kind: Kind, n: usize) -> Result<ObjRef, NoMemory> {
        debug_assert!(!kind.is_bytes());
        let b = self.alloc_blocks((1 + n).div_ceil(WORDS_PER_BLOCK))?;
        let w = b * WORDS_PER_BLOCK;
        self.pool[w] = kind as usize | (n << 8);
        self.pool[w + 1..w + 1 + n].fill(Value::NULL.bits());
        Ok(ObjRef(b as u32))
    }

    /// An object with `len` zeroed payload bytes.
    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn alloc_bytes(&mut self, kind: Kind, len: usize) -> Result<ObjRef, NoMemory> {
        debug_assert!(kind.is_bytes());
        let words = 1 + len.div_ceil(WORD);
        let b = self.alloc_blocks(words.div_ceil(WORDS_PER_BLOCK))?;
        self.pool[b * WORDS_PER_BLOCK] = kind as usize | (len << 8);
        Ok(ObjRef(b as u32))
    }

    /// An object standing for bytes kept in flash (frozen bytecode), which
    /// holds only their address and length: the bytes cost no heap.
    pub fn alloc_rom_bytes(&mut self, data: &'static [u8]) -> Result<ObjRef, NoMemory> {
        let r = self.alloc_bytes(Kind::RomBytes, 2 * WORD)?;
        let w = r.0 as usize * WORDS_PER_BLOCK + 1;
        self.pool[w] = data.as_ptr() as usize;
        self.pool[w + 1] = data.len();
        Ok(r)
    }

    /// A code object's bytecode or line table: in the heap, or in flash.
    #[inline]
    pub fn code_bytes(&self, r: ObjRef) -> &[u8] {
        if self.kind(r) != Kind::RomBytes {
            return self.bytes(r);
        }
        let w = r.0 as usize * WORDS_PER_BLOCK + 1;
        let (ptr, len) = (self.pool[w], self.pool[w + 1]);
        // SAFETY: only `alloc_rom_bytes` makes RomBytes objects, and it
        // stores the address and length of a `&'static [u8]`: memory that
        // lives for the whole program and that nothing writes.
        unsafe { core::slice::from_raw_parts(ptr as *const u8, len) }
    }

    /// Where a running frame's bytecode is, for the dispatch loop to read
    /// without going through the heap for every instruction.
    #[inline]
    pub fn code_view(&self, r: ObjRef) -> CodeView {
        let b = self.code_bytes(r);
        CodeView { ptr: b.as_ptr(), len: b.len() }
    }

    /// Gives an object back before the collector would find it (used for the
    /// private item arrays of growing lists and dicts).
    pub fn free(&mut self, r: ObjRef) {
        let b = r.0 as usize;
        if b == 0 || b >= self.nblocks || self.at(b) != AT_HEAD {
            return;
        }
        let n = self.blocks_of(b);
        for i in b..b + n {
            self.set_at(i, AT_FREE);
        }
        self.used_blocks -= n;
        self.lower_hints(b);
    }

    /// Resizes a value object to `n` slots, in place when the blocks after it
    /// are free. New slots are `Value::NULL`. The old reference is invalid
    /// afterwards when the returned one differs.
    pub fn realloc_values(&mut self, r: ObjRef, n: usize) -> Result<ObjRef, NoMemory> {
        let b = r.0 as usize;
        let old_n = self.len(r);
        let have = self.blocks_of(b);
        let need = (1 + n).div_ceil(WORDS_PER_BLOCK);
        let kind = self.kind(r);
        #[cfg(feature = "fault-injection")]
        if need > have && self.faults.next_fails() {
            return Err(NoMemory);
        }
        if need <= have || (b + need <= self.nblocks && (b + have..b + need).all(|i| self.at(i) == AT_FREE)) {
            for i in b + have..b + need {
                self.set_at(i, AT_TAIL);
            }
            if need > have {
                self.used_blocks += need - have;
                self.since_collect += (need - have) * BYTES_PER_BLOCK;
            }
            let w = b * WORDS_PER_BLOCK;
            self.pool[w] = kind as usize | (n << 8);
            if n > old_n {
                self.pool[w + 1 + old_n..w + 1 + n].fill(Value::NULL.bits());
            }
            return Ok(r);
        }
        let new = self.alloc_values(kind, n)?;
        let keep = old_n.min(n);
        let (src, dst) = (b * WORDS_PER_BLOCK + 1, new.0 as usize * WORDS_PER_BLOCK + 1);
        self.pool.copy_within(src..src + keep, dst);
        self.free(r);
        Ok(new)
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    fn header(&self, r: ObjRef) -> usize {
        self.word(r, 0)
    }

    /// Word `i` of object `r` (0 is the header, slots follow).
    ///
    /// The heap's invariant: an `ObjRef` names the first block of an object
    /// this heap allocated (only the allocator makes them; every `Value`
    /// stored in the pool was made from one), and that object's header and
    /// its `len` slots lie inside the pool. So the header word is in
    /// bounds, and so is slot `i < len`, which the callers' layouts
    /// guarantee and debug builds assert.
    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    fn word(&self, r: ObjRef, i: usize) -> usize {
        let w = r.0 as usize * WORDS_PER_BLOCK + i;
        debug_assert!(w < self.pool.len());
        // SAFETY: `w` is inside the pool by the invariant above.
        unsafe { *self.pool.get_unchecked(w) }
    }

    /// Whether `r` is the first block of a live object (for a reference
    /// that came from outside the VM: native code's).
    pub fn is_object(&self, r: ObjRef) -> bool {
        let b = r.0 as usize;
        b != 0 && b < self.nblocks && matches!(self.at(b), AT_HEAD | AT_MARK)
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    pub fn kind(&self, r: ObjRef) -> Kind {
        Kind::from_u8(self.header(r) as u8)
    }

    /// Slot count (value kinds) or byte length (byte kinds).
    #[inline]
    pub fn len(&self, r: ObjRef) -> usize {
        self.header(r) >> 8
    }

    #[inline]
    pub fn slot(&self, r: ObjRef, i: usize) -> Value {
        debug_assert!(i < self.len(r));
        value_from_bits(self.word(r, 1 + i))
    }

    #[inline]
    pub fn set_slot(&mut self, r: ObjRef, i: usize, v: Value) {
        debug_assert!(i < self.len(r));
        let w = r.0 as usize * WORDS_PER_BLOCK + 1 + i;
        debug_assert!(w < self.pool.len());
        // SAFETY: slot `i < len` of an object of this heap is inside the
        // pool (the invariant on `Heap::word`).
        unsafe { *self.pool.get_unchecked_mut(w) = v.bits() };
    }

    /// The slots `start..start + n` of a value object.
    pub fn slots(&self, r: ObjRef, start: usize, n: usize) -> &[Value] {
        let w = r.0 as usize * WORDS_PER_BLOCK + 1 + start;
        bytemuck::cast_slice(&self.pool[w..w + n])
    }

    pub fn slots_mut(&mut self, r: ObjRef, start: usize, n: usize) -> &mut [Value] {
        let w = r.0 as usize * WORDS_PER_BLOCK + 1 + start;
        bytemuck::cast_slice_mut(&mut self.pool[w..w + n])
    }

    #[cfg_attr(pyrite_optimize_attr, optimize(speed))]
    pub fn bytes(&self, r: ObjRef) -> &[u8] {
        let len = self.len(r);
        let w = r.0 as usize * WORDS_PER_BLOCK + 1;
        let words = &self.pool[w..w + len.div_ceil(WORD)];
        &bytemuck::cast_slice::<usize, u8>(words)[..len]
    }

    /// A byte object's payload; empty for a value object.
    pub fn bytes_or_empty(&self, r: ObjRef) -> &[u8] {
        if self.kind(r).is_bytes() {
            self.bytes(r)
        } else {
            &[]
        }
    }

    pub fn bytes_mut(&mut self, r: ObjRef) -> &mut [u8] {
        let len = self.len(r);
        let w = r.0 as usize * WORDS_PER_BLOCK + 1;
        let words = &mut self.pool[w..w + len.div_ceil(WORD)];
        &mut bytemuck::cast_slice_mut::<usize, u8>(words)[..len]
    }

    /// Copies the first `n` payload bytes of byte object `from` to the
    /// start of byte object `to`, inside the region: a growing bytearray
    /// needs no copy of its contents outside the heap.
    pub fn copy_bytes(&mut self, from: ObjRef, to: ObjRef, n: usize) {
        let n = n.min(self.len(from)).min(self.len(to));
        let (src, dst) = ((from.0 as usize * WORDS_PER_BLOCK + 1) * WORD, (to.0 as usize * WORDS_PER_BLOCK + 1) * WORD);
        bytemuck::cast_slice_mut::<usize, u8>(&mut self.pool[..]).copy_within(src..src + n, dst);
    }
}

// Every bit pattern is a valid `Value` (an unknown one matches no tag).
#[inline]
fn value_from_bits(bits: usize) -> Value {
    bytemuck::cast(bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use alloc::vec;

    pub(crate) fn heap(bytes: usize) -> Heap {
        Heap::new(Box::leak(vec![0u8; bytes].into_boxed_slice()))
    }

    #[test]
    fn copy_bytes_moves_a_payload_within_the_region() {
        let mut h = heap(4096);
        let a = h.alloc_bytes(Kind::Bytes, 40).unwrap();
        let b = h.alloc_bytes(Kind::Bytes, 100).unwrap();
        for (i, x) in h.bytes_mut(a).iter_mut().enumerate() {
            *x = i as u8 + 1;
        }
        h.bytes_mut(b).fill(0xee);
        h.copy_bytes(a, b, 30);
        assert_eq!(&h.bytes(b)[..30], &h.bytes(a)[..30].to_vec()[..]);
        assert_eq!(h.bytes(b)[30], 0xee, "nothing past n");
        // n is cut to the shorter payload.
        h.copy_bytes(b, a, 100);
        assert_eq!(h.bytes(a)[39], 0xee);
    }

    #[test]
    fn region_is_split_into_pool_and_table() {
        let h = heap(4096);
        assert!(h.total_bytes() <= 4096);
        assert!(h.total_bytes() >= 4096 - 4096 / 32 - 2 * BYTES_PER_BLOCK);
        assert_eq!(h.used_bytes(), BYTES_PER_BLOCK); // the reserved block 0
    }

    #[test]
    fn allocation_fails_cleanly_when_full_and_free_makes_room() {
        let mut h = heap(1024);
        let mut objs = alloc::vec::Vec::new();
        while let Ok(r) = h.alloc_values(Kind::Tuple, 3) {
            objs.push(r);
        }
        assert!(h.alloc_values(Kind::Tuple, 3).is_err());
        h.free(objs[3]);
        assert_eq!(h.alloc_values(Kind::Tuple, 3), Ok(objs[3]));
    }

    /// The lowest start of `n` free blocks, found the slow way.
    fn first_fit(h: &Heap, n: usize) -> Option<usize> {
        (1..h.nblocks).find(|&s| s + n <= h.nblocks && (s..s + n).all(|b| h.at(b) == AT_FREE))
    }

    #[test]
    fn hinted_search_finds_what_first_fit_finds() {
        let mut h = heap(16 * 1024);
        let mut live: alloc::vec::Vec<ObjRef> = alloc::vec::Vec::new();
        let mut seed = 12345u32;
        let mut rand = |m: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 8) % m
        };
        for step in 0..20_000 {
            if rand(3) == 0 && !live.is_empty() {
                let i = rand(live.len() as u32) as usize;
                h.free(live.swap_remove(i));
            } else {
                let slots: usize = [1, 3, 7, 11, 20, 40, 90, 300][rand(8) as usize];
                let n = (1 + slots).div_ceil(WORDS_PER_BLOCK);
                let want = first_fit(&h, n);
                match h.alloc_values(Kind::Tuple, slots) {
                    Ok(r) => {
                        assert_eq!(Some(r.0 as usize), want, "step {step}");
                        live.push(r);
                    }
                    Err(_) => assert_eq!(want, None, "step {step}"),
                }
            }
            if step % 5000 == 4999 {
                let keep = live.clone();
                h.collect(|m| keep.iter().for_each(|&r| m.mark(Value::obj(r))));
            }
        }
    }

    #[test]
    fn bytes_and_slots_round_trip() {
        let mut h = heap(1024);
        let s = h.alloc_bytes(Kind::Str, 11).unwrap();
        h.bytes_mut(s).copy_from_slice(b"hello world");
        let t = h.alloc_values(Kind::Tuple, 2).unwrap();
        h.set_slot(t, 1, Value::obj(s));
        assert_eq!(h.slot(t, 0), Value::NULL);
        assert_eq!(h.bytes(h.slot(t, 1).as_obj().unwrap()), b"hello world");
    }

    #[test]
    fn realloc_grows_in_place_or_moves_keeping_contents() {
        let mut h = heap(2048);
        let a = h.alloc_values(Kind::ValArray, 2).unwrap();
        h.set_slot(a, 0, Value::small_int(7));
        let a2 = h.realloc_values(a, 20).unwrap();
        assert_eq!(a2, a, "blocks after it were free");
        let _blocker = h.alloc_values(Kind::Tuple, 1).unwrap();
        let a3 = h.realloc_values(a2, 40).unwrap();
        assert_ne!(a3, a2);
        assert_eq!(h.slot(a3, 0), Value::small_int(7));
        assert_eq!(h.slot(a3, 39), Value::NULL);
    }
}
