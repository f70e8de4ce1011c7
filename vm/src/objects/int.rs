//! `int` arithmetic on small ints with Python's semantics (floor division,
//! modulo with the sign of the divisor). Results that leave the small-int
//! range raise `OverflowError` until arbitrary precision lands.

use crate::bytecode::BinOp;
use crate::error::PyResult;
use crate::objects::TypeId;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    pub fn int_value(&mut self, i: i64) -> PyResult<Value> {
        Value::try_small_int(i).ok_or_else(|| self.raise(TypeId::OverflowError, "small int overflow"))
    }

    /// `a op b` for ints, or `None` if `op` is not an arithmetic operator.
    pub fn int_binop(&mut self, op: BinOp, a: i64, b: i64) -> PyResult<Option<Value>> {
        let r = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::FloorDiv | BinOp::Mod => {
                if b == 0 {
                    return Err(self.raise(TypeId::ZeroDivisionError, "divide by zero"));
                }
                let (q, m) = (a.wrapping_div(b), a.wrapping_rem(b));
                let (q, m) = if m != 0 && ((m < 0) != (b < 0)) { (q - 1, m + b) } else { (q, m) };
                Some(if op == BinOp::Mod { m } else { q })
            }
            BinOp::Pow => u32::try_from(b).ok().and_then(|e| a.checked_pow(e)),
            BinOp::LShift | BinOp::RShift => {
                if b < 0 {
                    return Err(self.raise(TypeId::ValueError, "negative shift count"));
                }
                if op == BinOp::RShift {
                    Some(a >> b.min(63))
                } else if b >= 63 {
                    (a == 0).then_some(0)
                } else {
                    let r = a << b;
                    ((r >> b) == a).then_some(r)
                }
            }
            BinOp::And => Some(a & b),
            BinOp::Or => Some(a | b),
            BinOp::Xor => Some(a ^ b),
            _ => return Ok(None),
        };
        match r.and_then(Value::try_small_int) {
            Some(v) => Ok(Some(v)),
            None => Err(self.raise(TypeId::OverflowError, "small int overflow")),
        }
    }
}
