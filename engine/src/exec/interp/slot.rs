//! Typed views of untyped 64-bit slots, and the generic shapes of numeric
//! instructions (unary, binary, trapping) over the value stack.

use crate::api::error::{RuntimeError, TrapKind};
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

/// Maps a numeric trap to the interpreter's trap.
#[inline]
pub(super) fn trap(t: NumericTrap) -> RuntimeError {
    RuntimeError::new(match t {
        NumericTrap::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
        NumericTrap::IntegerOverflow => TrapKind::IntegerOverflow,
        NumericTrap::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
    })
}

/// Replaces the top slot with `f(top)`.
#[inline(always)]
pub(super) fn un<A: Slot, R: Slot>(v: &mut [u64], f: impl FnOnce(A) -> R) {
    let top = v.last_mut().expect("validated: operand present");
    *top = f(A::from_slot(*top)).to_slot();
}

/// Like [`un`], for an operator that can trap.
#[inline(always)]
pub(super) fn un_trap<A: Slot, R: Slot>(
    v: &mut [u64],
    f: impl FnOnce(A) -> Result<R, NumericTrap>,
) -> Result<(), RuntimeError> {
    let top = v.last_mut().expect("validated: operand present");
    *top = f(A::from_slot(*top)).map_err(trap)?.to_slot();
    Ok(())
}

/// Pops `b`, replaces `a` (now on top) with `f(a, b)`.
#[inline(always)]
pub(super) fn bin<A: Slot, R: Slot>(v: &mut Vec<u64>, f: impl FnOnce(A, A) -> R) {
    let b = A::from_slot(v.pop().expect("validated: operand present"));
    let top = v.last_mut().expect("validated: operand present");
    *top = f(A::from_slot(*top), b).to_slot();
}

/// Like [`bin`], for an operator that can trap.
#[inline(always)]
pub(super) fn bin_trap<A: Slot, R: Slot>(
    v: &mut Vec<u64>,
    f: impl FnOnce(A, A) -> Result<R, NumericTrap>,
) -> Result<(), RuntimeError> {
    let b = A::from_slot(v.pop().expect("validated: operand present"));
    let top = v.last_mut().expect("validated: operand present");
    *top = f(A::from_slot(*top), b).map_err(trap)?.to_slot();
    Ok(())
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
    fn binary_ops_pop_one_and_replace_one() {
        let mut v = vec![7, 5];
        bin::<i32, i32>(&mut v, |a, b| a - b);
        assert_eq!(v, vec![2]);
        let mut v = vec![1, 0];
        assert!(bin_trap::<i32, i32>(&mut v, crate::exec::numeric::i32::div_s).is_err());
        let mut v = vec![9, u64::MAX, 0, 1, 0];
        wide::<4>(&mut v, |[a, b, c, d]| {
            crate::exec::numeric::i64::add128(a, b, c, d)
        });
        assert_eq!(v, vec![9, 0, 1]);
    }
}
