//! Conversions between value types (spec 4.3.4 conversions).
//!
//! Each function carries the full operator name with the result type first,
//! as in the spec: `i32_trunc_f32_s` is `i32.trunc_f32_s`.
//!
//! Range checks of the trapping truncations compare the *untruncated* operand
//! with exactly representable bounds: the operand is in range iff
//! `MIN - 1 < x < MAX + 1`. Where `MIN - 1` is not representable in the
//! operand's format (any 64-bit target, and `i32` from `f32`), the next
//! representable value below `MIN` is already below `MIN - 1`, so `x >= MIN`
//! is the same test.
//!
//! NaN choices for `demote`/`promote` follow the rule of [`super::f32`]: a NaN
//! operand keeps its sign and the high bits of its payload (what fits), with
//! the quiet bit set.

use super::{f32 as fp32, f64 as fp64, NumericTrap};

/// 2^31 as a float (exact in both formats).
const TWO_31: f64 = 2_147_483_648.0;
/// 2^32 as a float.
const TWO_32: f64 = 4_294_967_296.0;
/// 2^63 as a float.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;
/// 2^64 as a float.
const TWO_64: f64 = 18_446_744_073_709_551_616.0;

/// Bits by which an f64 significand exceeds an f32 one.
const SIGNIFICAND_SHIFT: u32 = 52 - 23;

/// Checks a trapping truncation's operand (widened to `f64`, which is exact)
/// against the open range `(lower_exclusive, upper_exclusive)`.
#[inline]
fn check_range(x: f64, lower_exclusive: f64, upper_exclusive: f64) -> Result<(), NumericTrap> {
    if x.is_nan() {
        Err(NumericTrap::InvalidConversionToInteger)
    } else if x > lower_exclusive && x < upper_exclusive {
        Ok(())
    } else {
        Err(NumericTrap::IntegerOverflow)
    }
}

/// Like [`check_range`] but with an inclusive lower bound (used where `MIN - 1`
/// is not representable; see the module docs).
#[inline]
fn check_range_incl(x: f64, lower_inclusive: f64, upper_exclusive: f64) -> Result<(), NumericTrap> {
    if x.is_nan() {
        Err(NumericTrap::InvalidConversionToInteger)
    } else if x >= lower_inclusive && x < upper_exclusive {
        Ok(())
    } else {
        Err(NumericTrap::IntegerOverflow)
    }
}

/// `i32.wrap_i64`: the low 32 bits.
#[inline]
pub fn i32_wrap_i64(x: i64) -> i32 {
    x as i32
}

/// `i64.extend_i32_s`: sign extension.
#[inline]
pub fn i64_extend_i32_s(x: i32) -> i64 {
    i64::from(x)
}

/// `i64.extend_i32_u`: zero extension.
#[inline]
pub fn i64_extend_i32_u(x: i32) -> i64 {
    i64::from(x as u32)
}

// Trapping truncations. Once the range check passes, Rust's `as` truncates
// toward zero exactly.

/// `i32.trunc_f32_s`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i32_trunc_f32_s(x: f32) -> Result<i32, NumericTrap> {
    // -2^31 - 1 is not an f32; the f32 below -2^31 is -2^31 - 256.
    check_range_incl(f64::from(x), -TWO_31, TWO_31).map(|()| x as i32)
}

/// `i32.trunc_f32_u`: truncation toward zero; traps on NaN or out of range (`(-1, 2^32)` is valid).
#[inline]
pub fn i32_trunc_f32_u(x: f32) -> Result<i32, NumericTrap> {
    check_range(f64::from(x), -1.0, TWO_32).map(|()| x as u32 as i32)
}

/// `i32.trunc_f64_s`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i32_trunc_f64_s(x: f64) -> Result<i32, NumericTrap> {
    check_range(x, -TWO_31 - 1.0, TWO_31).map(|()| x as i32)
}

/// `i32.trunc_f64_u`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i32_trunc_f64_u(x: f64) -> Result<i32, NumericTrap> {
    check_range(x, -1.0, TWO_32).map(|()| x as u32 as i32)
}

/// `i64.trunc_f32_s`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i64_trunc_f32_s(x: f32) -> Result<i64, NumericTrap> {
    check_range_incl(f64::from(x), -TWO_63, TWO_63).map(|()| x as i64)
}

/// `i64.trunc_f32_u`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i64_trunc_f32_u(x: f32) -> Result<i64, NumericTrap> {
    check_range(f64::from(x), -1.0, TWO_64).map(|()| x as u64 as i64)
}

/// `i64.trunc_f64_s`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i64_trunc_f64_s(x: f64) -> Result<i64, NumericTrap> {
    check_range_incl(x, -TWO_63, TWO_63).map(|()| x as i64)
}

/// `i64.trunc_f64_u`: truncation toward zero; traps on NaN or out of range.
#[inline]
pub fn i64_trunc_f64_u(x: f64) -> Result<i64, NumericTrap> {
    check_range(x, -1.0, TWO_64).map(|()| x as u64 as i64)
}

// Saturating truncations: Rust's float-to-int `as` is specified to do exactly
// what the spec asks (truncate toward zero, clamp to the range, NaN -> 0).

/// `i32.trunc_sat_f32_s`: truncation clamped to the `i32` range; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f32_s(x: f32) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f32_u`: truncation clamped to the `u32` range; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f32_u(x: f32) -> i32 {
    x as u32 as i32
}

/// `i32.trunc_sat_f64_s`: truncation clamped to the `i32` range; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f64_s(x: f64) -> i32 {
    x as i32
}

/// `i32.trunc_sat_f64_u`: truncation clamped to the `u32` range; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f64_u(x: f64) -> i32 {
    x as u32 as i32
}

/// `i64.trunc_sat_f32_s`: truncation clamped to the `i64` range; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f32_s(x: f32) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f32_u`: truncation clamped to the `u64` range; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f32_u(x: f32) -> i64 {
    x as u64 as i64
}

/// `i64.trunc_sat_f64_s`: truncation clamped to the `i64` range; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f64_s(x: f64) -> i64 {
    x as i64
}

/// `i64.trunc_sat_f64_u`: truncation clamped to the `u64` range; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f64_u(x: f64) -> i64 {
    x as u64 as i64
}

// Integer-to-float conversions: Rust's int-to-float `as` rounds once, to
// nearest even, straight from the integer (no double rounding via f64).

/// `f32.convert_i32_s`: round to nearest even.
#[inline]
pub fn f32_convert_i32_s(x: i32) -> f32 {
    x as f32
}

/// `f32.convert_i32_u`: round to nearest even.
#[inline]
pub fn f32_convert_i32_u(x: i32) -> f32 {
    x as u32 as f32
}

/// `f32.convert_i64_s`: round to nearest even.
#[inline]
pub fn f32_convert_i64_s(x: i64) -> f32 {
    x as f32
}

/// `f32.convert_i64_u`: round to nearest even.
#[inline]
pub fn f32_convert_i64_u(x: i64) -> f32 {
    x as u64 as f32
}

/// `f64.convert_i32_s`: exact.
#[inline]
pub fn f64_convert_i32_s(x: i32) -> f64 {
    f64::from(x)
}

/// `f64.convert_i32_u`: exact.
#[inline]
pub fn f64_convert_i32_u(x: i32) -> f64 {
    f64::from(x as u32)
}

/// `f64.convert_i64_s`: round to nearest even.
#[inline]
pub fn f64_convert_i64_s(x: i64) -> f64 {
    x as f64
}

/// `f64.convert_i64_u`: round to nearest even.
#[inline]
pub fn f64_convert_i64_u(x: i64) -> f64 {
    x as u64 as f64
}

/// `f32.demote_f64`: round to nearest even (overflow gives infinity, tiny values
/// subnormals or zero). A NaN keeps its sign and the top 23 payload bits, quietened.
#[inline]
pub fn f32_demote_f64(x: f64) -> f32 {
    if x.is_nan() {
        let bits = x.to_bits();
        let sign = ((bits >> 63) as u32) << 31;
        let payload = ((bits & 0x000f_ffff_ffff_ffff) >> SIGNIFICAND_SHIFT) as u32;
        fp32::quieten(f32::from_bits(sign | 0x7f80_0000 | payload))
    } else {
        x as f32
    }
}

/// `f64.promote_f32`: exact. A NaN keeps its sign and payload (shifted to the
/// top of the wider significand), quietened.
#[inline]
pub fn f64_promote_f32(x: f32) -> f64 {
    if x.is_nan() {
        let bits = x.to_bits();
        let sign = u64::from(bits >> 31) << 63;
        let payload = u64::from(bits & 0x007f_ffff) << SIGNIFICAND_SHIFT;
        fp64::quieten(f64::from_bits(sign | 0x7ff0_0000_0000_0000 | payload))
    } else {
        f64::from(x)
    }
}

/// `i32.reinterpret_f32`: the float's bits.
#[inline]
pub fn i32_reinterpret_f32(x: f32) -> i32 {
    x.to_bits() as i32
}

/// `i64.reinterpret_f64`: the float's bits.
#[inline]
pub fn i64_reinterpret_f64(x: f64) -> i64 {
    x.to_bits() as i64
}

/// `f32.reinterpret_i32`: the float with these bits.
#[inline]
pub fn f32_reinterpret_i32(x: i32) -> f32 {
    f32::from_bits(x as u32)
}

/// `f64.reinterpret_i64`: the float with these bits.
#[inline]
pub fn f64_reinterpret_i64(x: i64) -> f64 {
    f64::from_bits(x as u64)
}

#[cfg(test)]
mod tests;
