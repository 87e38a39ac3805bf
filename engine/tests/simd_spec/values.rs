//! Script values and their layout on the interpreter's slot stack: one
//! 64-bit slot per scalar (32-bit ones zero-extended), two per `v128`, low
//! half first.

use touchstone_engine::exec::numeric::v128::V128;
use wasmparser::ValType;

pub use crate::spec_support::Val;

impl Val {
    /// Appends the value's slots.
    pub fn push_slots(self, slots: &mut Vec<u64>) {
        match self {
            Val::I32(x) => slots.push(u64::from(x as u32)),
            Val::I64(x) => slots.push(x as u64),
            Val::F32(x) => slots.push(u64::from(x)),
            Val::F64(x) => slots.push(x),
            Val::V128(v) => {
                let (lo, hi) = v.to_u64x2_words();
                slots.extend([lo, hi]);
            }
        }
    }

    /// Reads a value of type `ty` from the front of `slots`; `None` for
    /// types these scripts do not use.
    pub fn from_slots(ty: ValType, slots: &[u64]) -> Option<Val> {
        Some(match ty {
            ValType::I32 => Val::I32(slots[0] as u32 as i32),
            ValType::I64 => Val::I64(slots[0] as i64),
            ValType::F32 => Val::F32(slots[0] as u32),
            ValType::F64 => Val::F64(slots[0]),
            ValType::V128 => Val::V128(V128::from_u64x2_words(slots[0], slots[1])),
            ValType::Ref(_) => return None,
        })
    }
}

/// Slots a value of type `ty` takes.
pub fn width(ty: ValType) -> usize {
    if ty == ValType::V128 {
        2
    } else {
        1
    }
}
