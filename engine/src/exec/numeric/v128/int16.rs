//! `i16x8` operators, including those that produce 16-bit lanes from 8-bit
//! ones (extend, extmul, extadd_pairwise) or from 32-bit ones (narrow).

use super::{mask, V128};

lanewise! {
    /// `i16x8.eq`.
    binary i16x8_eq: i16x8 -> from_i16x8, |a, b| mask(a == b)
}
lanewise! {
    /// `i16x8.ne`.
    binary i16x8_ne: i16x8 -> from_i16x8, |a, b| mask(a != b)
}
lanewise! {
    /// `i16x8.lt_s`.
    binary i16x8_lt_s: i16x8 -> from_i16x8, |a, b| mask(a < b)
}
lanewise! {
    /// `i16x8.lt_u`.
    binary i16x8_lt_u: u16x8 -> from_i16x8, |a, b| mask(a < b)
}
lanewise! {
    /// `i16x8.gt_s`.
    binary i16x8_gt_s: i16x8 -> from_i16x8, |a, b| mask(a > b)
}
lanewise! {
    /// `i16x8.gt_u`.
    binary i16x8_gt_u: u16x8 -> from_i16x8, |a, b| mask(a > b)
}
lanewise! {
    /// `i16x8.le_s`.
    binary i16x8_le_s: i16x8 -> from_i16x8, |a, b| mask(a <= b)
}
lanewise! {
    /// `i16x8.le_u`.
    binary i16x8_le_u: u16x8 -> from_i16x8, |a, b| mask(a <= b)
}
lanewise! {
    /// `i16x8.ge_s`.
    binary i16x8_ge_s: i16x8 -> from_i16x8, |a, b| mask(a >= b)
}
lanewise! {
    /// `i16x8.ge_u`.
    binary i16x8_ge_u: u16x8 -> from_i16x8, |a, b| mask(a >= b)
}
lanewise! {
    /// `i16x8.abs`: wrapping (`abs(-32768) = -32768`).
    unary i16x8_abs: i16x8 -> from_i16x8, |a| a.wrapping_abs()
}
lanewise! {
    /// `i16x8.neg`: wrapping.
    unary i16x8_neg: i16x8 -> from_i16x8, |a| a.wrapping_neg()
}
lanewise! {
    /// `i16x8.all_true`: 1 if no lane is zero.
    all_true i16x8_all_true: i16x8
}
lanewise! {
    /// `i16x8.bitmask`: bit `i` is the sign bit of lane `i`.
    bitmask i16x8_bitmask: i16x8
}
lanewise! {
    /// `i16x8.narrow_i32x4_s`: lanes of `a` then `b`, saturated to `i16`.
    narrow i16x8_narrow_i32x4_s: i32x4 -> from_i16x8 as i16, i32::from(i16::MIN), i32::from(i16::MAX)
}
lanewise! {
    /// `i16x8.narrow_i32x4_u`: signed lanes of `a` then `b`, saturated to `u16`.
    narrow i16x8_narrow_i32x4_u: i32x4 -> from_u16x8 as u16, 0, i32::from(u16::MAX)
}
lanewise! {
    /// `i16x8.extend_low_i8x16_s`: lanes 0..8, sign-extended.
    extend i16x8_extend_low_i8x16_s: i8x16 -> from_i16x8 as i16, half 0
}
lanewise! {
    /// `i16x8.extend_high_i8x16_s`: lanes 8..16, sign-extended.
    extend i16x8_extend_high_i8x16_s: i8x16 -> from_i16x8 as i16, half 8
}
lanewise! {
    /// `i16x8.extend_low_i8x16_u`: lanes 0..8, zero-extended.
    extend i16x8_extend_low_i8x16_u: u8x16 -> from_i16x8 as i16, half 0
}
lanewise! {
    /// `i16x8.extend_high_i8x16_u`: lanes 8..16, zero-extended.
    extend i16x8_extend_high_i8x16_u: u8x16 -> from_i16x8 as i16, half 8
}
lanewise! {
    /// `i16x8.shl`: shift count modulo 16.
    shift i16x8_shl: i16x8 -> from_i16x8, |a, s| a.wrapping_shl(s)
}
lanewise! {
    /// `i16x8.shr_s`: arithmetic shift, count modulo 16.
    shift i16x8_shr_s: i16x8 -> from_i16x8, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i16x8.shr_u`: logical shift, count modulo 16.
    shift i16x8_shr_u: u16x8 -> from_u16x8, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i16x8.add`: wrapping.
    binary i16x8_add: i16x8 -> from_i16x8, |a, b| a.wrapping_add(b)
}
lanewise! {
    /// `i16x8.add_sat_s`.
    binary i16x8_add_sat_s: i16x8 -> from_i16x8, |a, b| a.saturating_add(b)
}
lanewise! {
    /// `i16x8.add_sat_u`.
    binary i16x8_add_sat_u: u16x8 -> from_u16x8, |a, b| a.saturating_add(b)
}
lanewise! {
    /// `i16x8.sub`: wrapping.
    binary i16x8_sub: i16x8 -> from_i16x8, |a, b| a.wrapping_sub(b)
}
lanewise! {
    /// `i16x8.sub_sat_s`.
    binary i16x8_sub_sat_s: i16x8 -> from_i16x8, |a, b| a.saturating_sub(b)
}
lanewise! {
    /// `i16x8.sub_sat_u`.
    binary i16x8_sub_sat_u: u16x8 -> from_u16x8, |a, b| a.saturating_sub(b)
}
lanewise! {
    /// `i16x8.mul`: wrapping.
    binary i16x8_mul: i16x8 -> from_i16x8, |a, b| a.wrapping_mul(b)
}
lanewise! {
    /// `i16x8.min_s`.
    binary i16x8_min_s: i16x8 -> from_i16x8, |a, b| a.min(b)
}
lanewise! {
    /// `i16x8.min_u`.
    binary i16x8_min_u: u16x8 -> from_u16x8, |a, b| a.min(b)
}
lanewise! {
    /// `i16x8.max_s`.
    binary i16x8_max_s: i16x8 -> from_i16x8, |a, b| a.max(b)
}
lanewise! {
    /// `i16x8.max_u`.
    binary i16x8_max_u: u16x8 -> from_u16x8, |a, b| a.max(b)
}
lanewise! {
    /// `i16x8.avgr_u`: `(a + b + 1) / 2` without overflow.
    binary i16x8_avgr_u: u16x8 -> from_u16x8, |a, b| ((u32::from(a) + u32::from(b) + 1) >> 1) as u16
}
lanewise! {
    /// `i16x8.q15mulr_sat_s`: Q15 fixed-point multiply, rounded, saturated
    /// (only `-32768 * -32768` saturates, to 32767).
    binary i16x8_q15mulr_sat_s: i16x8 -> from_i16x8, |a, b| q15mulr_sat(a, b)
}
lanewise! {
    /// `i16x8.extmul_low_i8x16_s`: products of lanes 0..8, signed.
    extmul i16x8_extmul_low_i8x16_s: i8x16 -> from_i16x8 as i16, half 0
}
lanewise! {
    /// `i16x8.extmul_high_i8x16_s`: products of lanes 8..16, signed.
    extmul i16x8_extmul_high_i8x16_s: i8x16 -> from_i16x8 as i16, half 8
}
lanewise! {
    /// `i16x8.extmul_low_i8x16_u`: products of lanes 0..8, unsigned.
    extmul i16x8_extmul_low_i8x16_u: u8x16 -> from_u16x8 as u16, half 0
}
lanewise! {
    /// `i16x8.extmul_high_i8x16_u`: products of lanes 8..16, unsigned.
    extmul i16x8_extmul_high_i8x16_u: u8x16 -> from_u16x8 as u16, half 8
}
lanewise! {
    /// `i16x8.extadd_pairwise_i8x16_s`: sums of adjacent signed lanes.
    extadd i16x8_extadd_pairwise_i8x16_s: i8x16 -> from_i16x8 as i16
}
lanewise! {
    /// `i16x8.extadd_pairwise_i8x16_u`: sums of adjacent unsigned lanes.
    extadd i16x8_extadd_pairwise_i8x16_u: u8x16 -> from_u16x8 as u16
}

/// The Q15 product `(a * b + 2^14) >> 15`, saturated to `i16`.
#[inline]
pub(crate) fn q15mulr_sat(a: i16, b: i16) -> i16 {
    let product = (i32::from(a) * i32::from(b) + 0x4000) >> 15;
    product.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

#[cfg(test)]
mod tests;
