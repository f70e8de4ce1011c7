//! Mark and sweep. Marking uses a small fixed stack; when it overflows, the
//! heap is rescanned for marked objects whose children may be unmarked (as
//! MicroPython does), so deep structures never recurse on the native stack.

use super::{Heap, AT_FREE, AT_HEAD, AT_MARK, AT_TAIL, WORDS_PER_BLOCK};
use crate::value::Value;

const MARK_STACK: usize = 32;

/// Handed to the root-enumerating closure of [`Heap::collect`].
pub struct Marker<'h> {
    heap: &'h mut Heap,
    stack: [u32; MARK_STACK],
    depth: usize,
    overflowed: bool,
}

impl Marker<'_> {
    #[inline]
    pub fn mark(&mut self, v: Value) {
        let Some(r) = v.as_obj() else { return };
        let b = r.0 as usize;
        if b == 0 || b >= self.heap.nblocks || self.heap.at(b) != AT_HEAD {
            return;
        }
        self.heap.set_at(b, AT_MARK);
        if self.heap.kind(r).is_bytes() {
            return;
        }
        if self.depth < MARK_STACK {
            self.stack[self.depth] = r.0;
            self.depth += 1;
        } else {
            self.overflowed = true;
        }
    }

    pub fn mark_all(&mut self, vs: &[Value]) {
        for &v in vs {
            self.mark(v);
        }
    }

    fn trace_children(&mut self, b: usize) {
        let w = b * WORDS_PER_BLOCK;
        let n = self.heap.pool[w] >> 8;
        for i in 0..n {
            let v = bytemuck::cast::<usize, Value>(self.heap.pool[w + 1 + i]);
            self.mark(v);
        }
    }

    fn drain(&mut self) {
        while self.depth > 0 {
            self.depth -= 1;
            let b = self.stack[self.depth] as usize;
            self.trace_children(b);
        }
        while self.overflowed {
            self.overflowed = false;
            for b in 1..self.heap.nblocks {
                if self.heap.at(b) == AT_MARK && !self.heap.kind(crate::value::ObjRef(b as u32)).is_bytes() {
                    self.trace_children(b);
                    while self.depth > 0 {
                        self.depth -= 1;
                        let c = self.stack[self.depth] as usize;
                        self.trace_children(c);
                    }
                }
            }
        }
    }
}

impl Heap {
    /// Frees every object not reachable from the roots that `roots` marks.
    /// Returns the number of bytes freed.
    pub fn collect(&mut self, roots: impl FnOnce(&mut Marker)) -> usize {
        let mut m = Marker { heap: self, stack: [0; MARK_STACK], depth: 0, overflowed: false };
        roots(&mut m);
        m.drain();
        self.sweep()
    }

    fn sweep(&mut self) -> usize {
        let before = self.used_blocks;
        let mut freeing = false;
        let mut first_free = None;
        for b in 1..self.nblocks {
            match self.at(b) {
                AT_MARK => {
                    self.set_at(b, AT_HEAD);
                    freeing = false;
                }
                AT_HEAD => {
                    #[cfg(feature = "foreign")]
                    if self.capsules_made {
                        self.finalise(b);
                    }
                    self.set_at(b, AT_FREE);
                    self.used_blocks -= 1;
                    freeing = true;
                }
                AT_TAIL if freeing => {
                    self.set_at(b, AT_FREE);
                    self.used_blocks -= 1;
                }
                AT_TAIL => {}
                _ => freeing = false,
            }
            if first_free.is_none() && self.at(b) == AT_FREE {
                first_free = Some(b);
            }
        }
        self.hints = [first_free.unwrap_or(self.nblocks); super::RUN_CLASSES.len()];
        self.since_collect = 0;
        self.collect_requested = false;
        (before - self.used_blocks) * super::BYTES_PER_BLOCK
    }
}

#[cfg(feature = "foreign")]
impl Heap {
    /// Releases the native object of the capsule at block `b`, if it is one.
    fn finalise(&mut self, b: usize) {
        let r = crate::value::ObjRef(b as u32);
        if let (Some(f), crate::objects::Kind::Capsule) = (self.foreign, self.kind(r)) {
            let (ptr, ty) = crate::foreign::capsule_words(self.bytes(r));
            f.finalise(ptr, ty);
        }
    }

    /// Releases every capsule's native object: the VM is going (a soft
    /// reset), and the heap with it.
    pub(crate) fn finalise_all(&mut self) {
        if !self.capsules_made {
            return;
        }
        for b in 1..self.nblocks {
            if self.at(b) == AT_HEAD || self.at(b) == AT_MARK {
                self.finalise(b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::heap;
    use crate::objects::Kind;
    use crate::value::Value;

    #[test]
    fn unreachable_objects_and_cycles_are_freed_reachable_kept() {
        let mut h = heap(4096);
        let base = h.used_bytes();
        let kept = h.alloc_values(Kind::Tuple, 1).unwrap();
        let child = h.alloc_bytes(Kind::Str, 3).unwrap();
        h.set_slot(kept, 0, Value::obj(child));
        // a two-object cycle nobody points to
        let a = h.alloc_values(Kind::Tuple, 1).unwrap();
        let b = h.alloc_values(Kind::Tuple, 1).unwrap();
        h.set_slot(a, 0, Value::obj(b));
        h.set_slot(b, 0, Value::obj(a));
        let freed = h.collect(|m| m.mark(Value::obj(kept)));
        assert_eq!(freed, 2 * super::super::BYTES_PER_BLOCK);
        assert_eq!(h.used_bytes(), base + 2 * super::super::BYTES_PER_BLOCK);
        assert_eq!(h.kind(child), Kind::Str);
    }

    #[test]
    fn a_long_chain_survives_mark_stack_overflow() {
        let mut h = heap(64 * 1024);
        let mut head = Value::NONE;
        let mut n = 0;
        while let Ok(t) = h.alloc_values(Kind::Tuple, 1) {
            h.set_slot(t, 0, head);
            head = Value::obj(t);
            n += 1;
            if n == 500 {
                break;
            }
        }
        let used = h.used_bytes();
        assert_eq!(h.collect(|m| m.mark(head)), 0);
        assert_eq!(h.used_bytes(), used);
        h.collect(|_| {});
        assert_eq!(h.used_bytes(), super::super::BYTES_PER_BLOCK);
    }
}
