//! What each register instruction of the table (`ir/register_instrs.rs`)
//! does to raw 64-bit slots: one `#[inline(always)]` body per instruction,
//! generated from the table and run by both dispatch backends (the
//! portable `match` and the threaded handlers differ only in how they
//! reach the next instruction). Also the typed views of slots the bodies
//! go through, and the operator variants the table names that
//! `exec::numeric` does not have (swapped operands, non-trapping division,
//! fused multiply-add).

use super::memory0_cache::{wrapped, Memory0, OutOfBounds};
use crate::error::{RuntimeError, TrapKind};
use crate::exec::numeric::NumericTrap;
use crate::exec::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};
use crate::ir::widen as W;

/// A value type stored in one slot. Narrow values are zero-extended, so the
/// upper half of an `i32` or `f32` slot is always zero and a 32-bit address
/// can be used as a 64-bit one as is.
pub(super) trait Slot: Copy {
    fn from_slot(s: u64) -> Self;
    fn to_slot(self) -> u64;
}

impl Slot for i32 {
    #[inline(always)]
    fn from_slot(s: u64) -> Self {
        s as u32 as i32
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self as u32 as u64
    }
}

impl Slot for i64 {
    #[inline(always)]
    fn from_slot(s: u64) -> Self {
        s as i64
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self as u64
    }
}

impl Slot for f32 {
    #[inline(always)]
    fn from_slot(s: u64) -> Self {
        f32::from_bits(s as u32)
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self.to_bits() as u64
    }
}

impl Slot for f64 {
    #[inline(always)]
    fn from_slot(s: u64) -> Self {
        f64::from_bits(s)
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self.to_bits()
    }
}

/// Division and remainder by a constant the translator checked cannot trap
/// (not 0, nor -1 when signed), where the wrapping forms are exact.
pub(super) mod by_constant {
    pub fn i32_div_s(a: i32, b: i32) -> i32 {
        a.wrapping_div(b)
    }
    pub fn i32_div_u(a: i32, b: i32) -> i32 {
        ((a as u32) / (b as u32)) as i32
    }
    pub fn i32_rem_s(a: i32, b: i32) -> i32 {
        a.wrapping_rem(b)
    }
    pub fn i32_rem_u(a: i32, b: i32) -> i32 {
        ((a as u32) % (b as u32)) as i32
    }
    pub fn i64_div_s(a: i64, b: i64) -> i64 {
        a.wrapping_div(b)
    }
    pub fn i64_div_u(a: i64, b: i64) -> i64 {
        ((a as u64) / (b as u64)) as i64
    }
    pub fn i64_rem_s(a: i64, b: i64) -> i64 {
        a.wrapping_rem(b)
    }
    pub fn i64_rem_u(a: i64, b: i64) -> i64 {
        ((a as u64) % (b as u64)) as i64
    }
}

/// Operators with their operands swapped, for a constant left operand.
pub(super) mod swapped {
    use crate::exec::numeric::{f32 as F32, f64 as F64, i32 as I32};

    pub fn i32_sub(a: i32, b: i32) -> i32 {
        I32::sub(b, a)
    }
    pub fn f64_sub(a: f64, b: f64) -> f64 {
        F64::sub(b, a)
    }
    pub fn f64_div(a: f64, b: f64) -> f64 {
        F64::div(b, a)
    }
    pub fn f32_sub(a: f32, b: f32) -> f32 {
        F32::sub(b, a)
    }
    pub fn f32_div(a: f32, b: f32) -> f32 {
        F32::div(b, a)
    }
}

/// Fused multiply-adds and multiply-subtracts on raw slots: the two
/// operators one after the other, exactly as unfused (for floats each result
/// is rounded, and the operand order is kept, since it decides which NaN
/// propagates).
pub(super) mod fused {
    use crate::exec::numeric::{f32 as F32, f64 as F64, i32 as I32, i64 as I64};

    pub fn i32_mul_add(a: u64, b: u64, c: u64) -> u64 {
        I32::add(I32::mul(a as i32, b as i32), c as i32) as u32 as u64
    }
    pub fn i64_mul_add(a: u64, b: u64, c: u64) -> u64 {
        I64::add(I64::mul(a as i64, b as i64), c as i64) as u64
    }
    pub fn f64_mul_add(a: u64, b: u64, c: u64) -> u64 {
        let f = f64::from_bits;
        F64::add(F64::mul(f(a), f(b)), f(c)).to_bits()
    }
    pub fn f64_add_mul(a: u64, b: u64, c: u64) -> u64 {
        let f = f64::from_bits;
        F64::add(f(c), F64::mul(f(a), f(b))).to_bits()
    }
    pub fn f32_mul_add(a: u64, b: u64, c: u64) -> u64 {
        let f = |x: u64| f32::from_bits(x as u32);
        F32::add(F32::mul(f(a), f(b)), f(c)).to_bits() as u64
    }
    pub fn f32_add_mul(a: u64, b: u64, c: u64) -> u64 {
        let f = |x: u64| f32::from_bits(x as u32);
        F32::add(f(c), F32::mul(f(a), f(b))).to_bits() as u64
    }
    pub fn i32_sub_mul(a: u64, b: u64, c: u64) -> u64 {
        I32::sub(c as i32, I32::mul(a as i32, b as i32)) as u32 as u64
    }
    pub fn i64_sub_mul(a: u64, b: u64, c: u64) -> u64 {
        I64::sub(c as i64, I64::mul(a as i64, b as i64)) as u64
    }
    pub fn f32_sub_mul(a: u64, b: u64, c: u64) -> u64 {
        let f = |x: u64| f32::from_bits(x as u32);
        F32::sub(f(c), F32::mul(f(a), f(b))).to_bits() as u64
    }
    pub fn f32_mul_sub(a: u64, b: u64, c: u64) -> u64 {
        let f = |x: u64| f32::from_bits(x as u32);
        F32::sub(F32::mul(f(a), f(b)), f(c)).to_bits() as u64
    }
    pub fn f64_sub_mul(a: u64, b: u64, c: u64) -> u64 {
        let f = f64::from_bits;
        F64::sub(f(c), F64::mul(f(a), f(b))).to_bits()
    }
    pub fn f64_mul_sub(a: u64, b: u64, c: u64) -> u64 {
        let f = f64::from_bits;
        F64::sub(F64::mul(f(a), f(b)), f(c)).to_bits()
    }
    /// `i32.shl` by `shift` then `i32.add` of `imm`.
    pub fn i32_shl_add(a: u64, shift: u8, imm: u32) -> u64 {
        I32::add(I32::shl(a as i32, shift as i32), imm as i32) as u32 as u64
    }
}

/// Maps a numeric trap to the interpreter's trap.
pub(super) fn trap_kind(t: NumericTrap) -> TrapKind {
    match t {
        NumericTrap::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
        NumericTrap::IntegerOverflow => TrapKind::IntegerOverflow,
        NumericTrap::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
    }
}

impl From<NumericTrap> for RuntimeError {
    #[cold]
    fn from(t: NumericTrap) -> Self {
        RuntimeError::new(trap_kind(t))
    }
}

/// `f` of a slot, as a slot: the typed view every unary operator runs
/// through (both dispatch backends).
#[inline(always)]
pub(super) fn raw1<A: Slot, R: Slot>(a: u64, f: impl FnOnce(A) -> R) -> u64 {
    f(A::from_slot(a)).to_slot()
}

/// `f` of two slots of the same type, as a slot.
#[inline(always)]
pub(super) fn raw2<A: Slot, R: Slot>(a: u64, b: u64, f: impl FnOnce(A, A) -> R) -> u64 {
    f(A::from_slot(a), A::from_slot(b)).to_slot()
}

/// Like [`raw1`], for an operator that can trap.
#[inline(always)]
pub(super) fn raw1_trap<A: Slot, R: Slot>(
    a: u64,
    f: impl FnOnce(A) -> Result<R, NumericTrap>,
) -> Result<u64, NumericTrap> {
    Ok(f(A::from_slot(a))?.to_slot())
}

/// Like [`raw2`], for an operator that can trap.
#[inline(always)]
pub(super) fn raw2_trap<A: Slot, R: Slot>(
    a: u64,
    b: u64,
    f: impl FnOnce(A, A) -> Result<R, NumericTrap>,
) -> Result<u64, NumericTrap> {
    Ok(f(A::from_slot(a), A::from_slot(b))?.to_slot())
}

/// `f` of a slot and a 32-bit immediate (an `i32`).
#[inline(always)]
pub(super) fn raw_imm32<R: Slot>(a: u64, imm: u32, f: impl FnOnce(i32, i32) -> R) -> u64 {
    f(i32::from_slot(a), imm as i32).to_slot()
}

/// The semantic body of one table instruction, by its kind.
macro_rules! body_fn {
    (un $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64) -> u64 {
            raw1(a, $f)
        }
    };
    (un_trap $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64) -> Result<u64, NumericTrap> {
            raw1_trap(a, $f)
        }
    };
    (bin $name:ident [$f:path $(=> $form:expr)?]) => {
        #[inline(always)]
        pub fn $name(a: u64, b: u64) -> u64 {
            raw2(a, b, $f)
        }
    };
    (bin_trap $name:ident [$f:path $(=> $form:expr)?]) => {
        #[inline(always)]
        pub fn $name(a: u64, b: u64) -> Result<u64, NumericTrap> {
            raw2_trap(a, b, $f)
        }
    };
    (imm32 $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64, imm: u32) -> u64 {
            raw_imm32(a, imm, $f)
        }
    };
    (imm64 $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64, imm: u64) -> u64 {
            raw2(a, imm, $f)
        }
    };
    (mul_add $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64, b: u64, c: u64) -> u64 {
            $f(a, b, c)
        }
    };
    (shl_add $name:ident [$f:path]) => {
        #[inline(always)]
        pub fn $name(a: u64, shift: u8, imm: u32) -> u64 {
            $f(a, shift, imm)
        }
    };
    (load $name:ident [$kind:ident]) => {
        /// Loads at address `a` plus `offset`.
        #[inline(always)]
        pub fn $name(m: Memory0, a: u64, offset: u32) -> Result<u64, OutOfBounds> {
            m.load(a, offset).map(W::$kind)
        }
    };
    (load_add $name:ident [$kind:ident]) => {
        /// Loads at `(a + imm) mod 2^32` plus `offset`.
        #[inline(always)]
        pub fn $name(m: Memory0, a: u64, imm: u32, offset: u32) -> Result<u64, OutOfBounds> {
            m.load(wrapped(a, imm), offset).map(W::$kind)
        }
    };
    (load_scaled $name:ident [$kind:ident]) => {
        /// Loads at `((a << shift) + imm) mod 2^32` plus `offset`.
        #[inline(always)]
        pub fn $name(
            m: Memory0,
            a: u64,
            shift: u8,
            imm: u32,
            offset: u32,
        ) -> Result<u64, OutOfBounds> {
            m.load(fused::i32_shl_add(a, shift, imm), offset)
                .map(W::$kind)
        }
    };
    (load_at $name:ident [$kind:ident]) => {
        /// Loads at constant address `addr`.
        #[inline(always)]
        pub fn $name(m: Memory0, addr: u64) -> Result<u64, OutOfBounds> {
            m.load(addr, 0).map(W::$kind)
        }
    };
    (store_at $name:ident [$bytes:literal]) => {
        /// Stores the low bytes of `v` at constant address `addr`.
        #[inline(always)]
        pub fn $name(m: Memory0, addr: u64, v: u64) -> Result<(), OutOfBounds> {
            m.store::<$bytes>(addr, 0, v)
        }
    };
    (store $name:ident [$bytes:literal]) => {
        /// Stores the low bytes of `v` at address `a` plus `offset`.
        #[inline(always)]
        pub fn $name(m: Memory0, a: u64, offset: u32, v: u64) -> Result<(), OutOfBounds> {
            m.store::<$bytes>(a, offset, v)
        }
    };
    (store_add $name:ident [$bytes:literal]) => {
        /// Stores at `(a + imm) mod 2^32` plus `offset`.
        #[inline(always)]
        pub fn $name(m: Memory0, a: u64, imm: u32, offset: u32, v: u64) -> Result<(), OutOfBounds> {
            m.store::<$bytes>(wrapped(a, imm), offset, v)
        }
    };
    (store_imm $name:ident [$bytes:literal]) => {
        /// Stores constant `v` at address `a` plus `offset`.
        #[inline(always)]
        pub fn $name(m: Memory0, a: u64, offset: u32, v: u64) -> Result<(), OutOfBounds> {
            m.store::<$bytes>(a, offset, v)
        }
    };
}

/// The semantic bodies, one per table instruction and named after it.
macro_rules! bodies {
    (
        instrs { $( $(#[$d:meta])* $name:ident($shape:ident) $kind:ident [$($args:tt)*] )* }
        $($operators:tt)*
    ) => {
        /// One function per table instruction: its operands' values in,
        /// the value it writes (or a trap) out.
        #[allow(non_snake_case)]
        pub(super) mod body {
            use super::*;

            $( body_fn!($kind $name [$($args)*]); )*
        }
    };
}

crate::for_each_register_instr!(bodies! {});

/// Replaces the top `N` `i64` slots with the two results of `f` (wide arithmetic).
#[inline(always)]
pub(super) fn wide<const N: usize>(v: &mut Vec<u64>, f: impl FnOnce([i64; N]) -> (i64, i64)) {
    let start = v.len() - N;
    let args: [i64; N] = std::array::from_fn(|i| v[start + i] as i64);
    let (lo, hi) = f(args);
    v.truncate(start);
    v.push(lo as u64);
    v.push(hi as u64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_values_are_zero_extended() {
        assert_eq!((-1i32).to_slot(), 0xffff_ffff);
        assert_eq!(f32::from_bits(0xffc0_0001).to_slot(), 0xffc0_0001);
        assert_eq!(i32::from_slot(0xffff_ffff), -1);
    }

    #[test]
    fn bodies_work_on_raw_slots() {
        assert_eq!(body::I32Sub(7, 5), 2);
        assert_eq!(body::I32AddImm(7, u32::MAX), 6);
        assert_eq!(body::I32RSubImm(1, 5), 4);
        // A division by zero traps.
        assert!(body::I32DivS(6, 0).is_err());
        assert_eq!(body::I64DivSImm(u64::MAX - 5, 2), (-3i64) as u64);
        assert_eq!(body::I32Eqz(0), 1);
        // `i32` results are zero-extended.
        assert_eq!(body::I32Sub(0, 1), 0xffff_ffff);
        assert_eq!(body::I32MulAdd(3, 4, 5), 17);
        let mut v = vec![9, u64::MAX, 0, 1, 0];
        wide::<4>(&mut v, |[a, b, c, d]| {
            crate::exec::numeric::i64::add128(a, b, c, d)
        });
        assert_eq!(v, vec![9, 0, 1]);
    }
}
