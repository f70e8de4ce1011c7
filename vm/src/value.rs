//! A Python value in one machine word, tagged so the common cases need no heap.
//!
//! ```text
//! ...xxxx1  small int (signed, one bit narrower than a word: 31 bits on Cortex-M)
//! ...xx010  qstr (interned string), index in the upper bits
//! ...xx110  immediate: 4-bit kind in bits 3..7, payload above (None/True/False,
//!           builtin functions, types and modules: they live in ROM tables;
//!           functions of the port's native modules)
//! ...xxx00  heap object, block index in the upper bits (block 0 is never an object)
//! ```

use crate::qstr::Qstr;

#[derive(Copy, Clone, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(transparent)]
pub struct Value(usize);

/// Index of an object's first block in the GC heap.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct ObjRef(pub(crate) u32);

const IMM_TAG: usize = 0b110;
const QSTR_TAG: usize = 0b010;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(usize)]
pub enum ImmKind {
    Const = 0,
    BuiltinFn = 1,
    Type = 2,
    Module = 3,
    /// A function of a native module the port links in (see `foreign`):
    /// its table in the high byte of the payload, its member in the low.
    #[cfg(feature = "foreign")]
    ForeignFn = 4,
}

const CONST_NONE: usize = 0;
const CONST_FALSE: usize = 1;
const CONST_TRUE: usize = 2;
const CONST_ELLIPSIS: usize = 3;
const CONST_NULL: usize = 4;
const CONST_NOT_IMPLEMENTED: usize = 5;

const fn imm(kind: ImmKind, payload: usize) -> Value {
    Value((payload << 7) | ((kind as usize) << 3) | IMM_TAG)
}

pub const SMALL_INT_MAX: i64 = (isize::MAX >> 1) as i64;
pub const SMALL_INT_MIN: i64 = (isize::MIN >> 1) as i64;

impl Value {
    pub const NONE: Value = imm(ImmKind::Const, CONST_NONE);
    pub const FALSE: Value = imm(ImmKind::Const, CONST_FALSE);
    pub const TRUE: Value = imm(ImmKind::Const, CONST_TRUE);
    pub const ELLIPSIS: Value = imm(ImmKind::Const, CONST_ELLIPSIS);
    /// "No value": an empty slot, an unbound local, a missing optional argument.
    pub const NULL: Value = imm(ImmKind::Const, CONST_NULL);
    pub const NOT_IMPLEMENTED: Value = imm(ImmKind::Const, CONST_NOT_IMPLEMENTED);

    #[inline]
    pub const fn bits(self) -> usize {
        self.0
    }

    #[inline]
    pub const fn from_bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    /// A small int; the caller guarantees `SMALL_INT_MIN <= i <= SMALL_INT_MAX`.
    #[inline]
    pub const fn small_int(i: isize) -> Value {
        Value(((i << 1) as usize) | 1)
    }

    /// A small int from its tagged word (2i+1), as arithmetic on tagged
    /// words makes it; the low bit must be set.
    #[inline]
    pub(crate) const fn small_int_from_bits(bits: usize) -> Value {
        debug_assert!(bits & 1 == 1);
        Value(bits | 1)
    }

    /// A small int if `i` fits, else `None` (the caller boxes or raises).
    #[inline]
    pub fn try_small_int(i: i64) -> Option<Value> {
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i) {
            Some(Value::small_int(i as isize))
        } else {
            None
        }
    }

    #[inline]
    pub const fn is_small_int(self) -> bool {
        self.0 & 1 == 1
    }

    #[inline]
    pub const fn as_small_int(self) -> Option<isize> {
        if self.is_small_int() {
            Some((self.0 as isize) >> 1)
        } else {
            None
        }
    }

    #[inline]
    pub const fn qstr(q: Qstr) -> Value {
        Value(((q.0 as usize) << 3) | QSTR_TAG)
    }

    #[inline]
    pub const fn as_qstr(self) -> Option<Qstr> {
        if self.0 & 0b111 == QSTR_TAG {
            Some(Qstr((self.0 >> 3) as u32))
        } else {
            None
        }
    }

    #[inline]
    pub const fn builtin_fn(id: u16) -> Value {
        imm(ImmKind::BuiltinFn, id as usize)
    }

    #[inline]
    pub const fn ty(id: u16) -> Value {
        imm(ImmKind::Type, id as usize)
    }

    #[inline]
    pub const fn module(id: u16) -> Value {
        imm(ImmKind::Module, id as usize)
    }

    /// The kind and payload of an immediate.
    #[inline]
    pub fn as_imm(self) -> Option<(ImmKind, u16)> {
        if self.0 & 0b111 != IMM_TAG {
            return None;
        }
        let kind = match (self.0 >> 3) & 0xf {
            0 => ImmKind::Const,
            1 => ImmKind::BuiltinFn,
            2 => ImmKind::Type,
            3 => ImmKind::Module,
            #[cfg(feature = "foreign")]
            4 => ImmKind::ForeignFn,
            _ => return None,
        };
        Some((kind, (self.0 >> 7) as u16))
    }

    #[inline]
    pub fn as_builtin_fn(self) -> Option<u16> {
        match self.as_imm() {
            Some((ImmKind::BuiltinFn, id)) => Some(id),
            _ => None,
        }
    }

    /// Function `member` of the port's native table `table` (see `foreign`).
    #[cfg(feature = "foreign")]
    #[inline]
    pub const fn foreign_fn(table: u8, member: u8) -> Value {
        imm(ImmKind::ForeignFn, (table as usize) << 8 | member as usize)
    }

    #[cfg(feature = "foreign")]
    #[inline]
    pub fn as_foreign_fn(self) -> Option<(u8, u8)> {
        match self.as_imm() {
            Some((ImmKind::ForeignFn, id)) => Some(((id >> 8) as u8, id as u8)),
            _ => None,
        }
    }

    #[inline]
    pub fn as_type(self) -> Option<u16> {
        match self.as_imm() {
            Some((ImmKind::Type, id)) => Some(id),
            _ => None,
        }
    }

    #[inline]
    pub fn as_module(self) -> Option<u16> {
        match self.as_imm() {
            Some((ImmKind::Module, id)) => Some(id),
            _ => None,
        }
    }

    #[inline]
    pub const fn obj(r: ObjRef) -> Value {
        Value((r.0 as usize) << 2)
    }

    #[cfg_attr(pyrite_optimize_attr, inline(always))]
    #[cfg_attr(not(pyrite_optimize_attr), inline)]
    pub const fn as_obj(self) -> Option<ObjRef> {
        if self.0 & 0b11 == 0 && self.0 != 0 {
            Some(ObjRef((self.0 >> 2) as u32))
        } else {
            None
        }
    }

    #[inline]
    pub fn is_none(self) -> bool {
        self == Value::NONE
    }

    #[inline]
    pub fn is_null(self) -> bool {
        self == Value::NULL
    }
}

impl core::fmt::Debug for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(i) = self.as_small_int() {
            write!(f, "Int({i})")
        } else if let Some(q) = self.as_qstr() {
            write!(f, "Qstr({})", q.0)
        } else if let Some(r) = self.as_obj() {
            write!(f, "Obj({})", r.0)
        } else {
            write!(f, "Imm({:#x})", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ints_round_trip_at_the_edges() {
        for i in [0i64, 1, -1, 42, SMALL_INT_MAX, SMALL_INT_MIN] {
            let v = Value::try_small_int(i).unwrap();
            assert_eq!(v.as_small_int(), Some(i as isize));
            assert!(v.as_obj().is_none() && v.as_qstr().is_none());
        }
        assert!(Value::try_small_int(SMALL_INT_MAX + 1).is_none());
        assert!(Value::try_small_int(SMALL_INT_MIN - 1).is_none());
    }

    #[test]
    fn tags_do_not_collide() {
        let q = Value::qstr(Qstr(7));
        assert_eq!(q.as_qstr(), Some(Qstr(7)));
        assert!(q.as_obj().is_none() && q.as_imm().is_none() && !q.is_small_int());
        let o = Value::obj(ObjRef(5));
        assert_eq!(o.as_obj(), Some(ObjRef(5)));
        assert!(o.as_imm().is_none());
        assert_eq!(Value::ty(3).as_type(), Some(3));
        assert_eq!(Value::builtin_fn(3).as_type(), None);
        assert_ne!(Value::NONE, Value::NULL);
        assert!(Value::NONE.as_obj().is_none());
    }
}
