//! Typed views of untyped 64-bit slots, and the generic shapes of numeric
//! instructions (unary, binary, trapping) over the value stack.

use super::registers::Registers;
use crate::api::error::{RuntimeError, TrapKind};
use crate::exec::instr::{Bin, BinImm32, BinImm64, Un};
use crate::exec::numeric::NumericTrap;

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
    use crate::exec::numeric::{f64 as F64, i32 as I32};

    pub fn i32_sub(a: i32, b: i32) -> i32 {
        I32::sub(b, a)
    }
    pub fn f64_sub(a: f64, b: f64) -> f64 {
        F64::sub(b, a)
    }
    pub fn f64_div(a: f64, b: f64) -> f64 {
        F64::div(b, a)
    }
}

/// Fused multiply-adds on raw slots: the two operators one after the
/// other, exactly as unfused (for floats each result is rounded, and the
/// add's operand order is kept, since it decides which NaN propagates).
pub(super) mod fused {
    use crate::exec::numeric::{f64 as F64, i32 as I32, i64 as I64};

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

/// `d = f(a)` on frame slots.
#[inline(always)]
pub(super) fn un<A: Slot, R: Slot>(r: Registers, x: Un, f: impl FnOnce(A) -> R) {
    r.set(x.d, raw1(r.get(x.a), f));
}

/// Like [`un`], for an operator that can trap.
#[inline(always)]
pub(super) fn un_trap<A: Slot, R: Slot>(
    r: Registers,
    x: Un,
    f: impl FnOnce(A) -> Result<R, NumericTrap>,
) -> Result<(), NumericTrap> {
    r.set(x.d, raw1_trap(r.get(x.a), f)?);
    Ok(())
}

/// `d = f(a, b)` on frame slots.
#[inline(always)]
pub(super) fn bin<A: Slot, R: Slot>(r: Registers, x: Bin, f: impl FnOnce(A, A) -> R) {
    r.set(x.d, raw2(r.get(x.a), r.get(x.b), f));
}

/// Like [`bin`], for an operator that can trap.
#[inline(always)]
pub(super) fn bin_trap<A: Slot, R: Slot>(
    r: Registers,
    x: Bin,
    f: impl FnOnce(A, A) -> Result<R, NumericTrap>,
) -> Result<(), NumericTrap> {
    r.set(x.d, raw2_trap(r.get(x.a), r.get(x.b), f)?);
    Ok(())
}

/// `d = f(a, imm)` with a 32-bit immediate.
#[inline(always)]
pub(super) fn imm32<R: Slot>(r: Registers, x: BinImm32, f: impl FnOnce(i32, i32) -> R) {
    r.set(x.d, raw_imm32(r.get(x.a), x.imm, f));
}

/// `d = f(a, imm)` with a 64-bit immediate, seen as type `A`.
#[inline(always)]
pub(super) fn imm64<A: Slot, R: Slot>(r: Registers, x: BinImm64, f: impl FnOnce(A, A) -> R) {
    r.set(x.d, raw2(r.get(x.a), x.imm, f));
}

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
    fn register_ops_read_and_write_frame_slots() {
        // A frame at base 1: slots 0, 1, 2 are indices 1, 2, 3.
        let mut v = vec![99, 7, 5, 0];
        // SAFETY: the frame's 3 slots fit in `v`, untouched while `r` is used.
        let r = unsafe { Registers::new(&mut v, 1) };
        bin::<i32, i32>(r, Bin { d: 2, a: 0, b: 1 }, |a, b| a - b);
        assert_eq!(r.get(2), 2);
        imm32(
            r,
            BinImm32 {
                d: 0,
                a: 0,
                imm: u32::MAX,
            },
            |a, b| a.wrapping_add(b),
        );
        assert_eq!(r.get(0), 6);
        // A division by zero traps and writes nothing.
        r.set(2, 0);
        let div = Bin { d: 0, a: 0, b: 2 };
        let err = bin_trap::<i32, i32>(r, div, crate::exec::numeric::i32::div_s);
        assert!(err.is_err() && r.get(0) == 6);
        un::<i32, i32>(r, Un { d: 2, a: 1 }, |a| (a == 5) as i32);
        assert_eq!(v, vec![99, 6, 5, 1]);
        let mut v = vec![9, u64::MAX, 0, 1, 0];
        wide::<4>(&mut v, |[a, b, c, d]| {
            crate::exec::numeric::i64::add128(a, b, c, d)
        });
        assert_eq!(v, vec![9, 0, 1]);
    }
}
