//! `i32x4` operators, including those that produce 32-bit lanes from 16-bit
//! ones (extend, extmul, extadd_pairwise, dot).

use super::{mask, V128};

lanewise! {
    /// `i32x4.eq`.
    binary i32x4_eq: i32x4 -> from_i32x4, |a, b| mask(a == b)
}
lanewise! {
    /// `i32x4.ne`.
    binary i32x4_ne: i32x4 -> from_i32x4, |a, b| mask(a != b)
}
lanewise! {
    /// `i32x4.lt_s`.
    binary i32x4_lt_s: i32x4 -> from_i32x4, |a, b| mask(a < b)
}
lanewise! {
    /// `i32x4.lt_u`.
    binary i32x4_lt_u: u32x4 -> from_i32x4, |a, b| mask(a < b)
}
lanewise! {
    /// `i32x4.gt_s`.
    binary i32x4_gt_s: i32x4 -> from_i32x4, |a, b| mask(a > b)
}
lanewise! {
    /// `i32x4.gt_u`.
    binary i32x4_gt_u: u32x4 -> from_i32x4, |a, b| mask(a > b)
}
lanewise! {
    /// `i32x4.le_s`.
    binary i32x4_le_s: i32x4 -> from_i32x4, |a, b| mask(a <= b)
}
lanewise! {
    /// `i32x4.le_u`.
    binary i32x4_le_u: u32x4 -> from_i32x4, |a, b| mask(a <= b)
}
lanewise! {
    /// `i32x4.ge_s`.
    binary i32x4_ge_s: i32x4 -> from_i32x4, |a, b| mask(a >= b)
}
lanewise! {
    /// `i32x4.ge_u`.
    binary i32x4_ge_u: u32x4 -> from_i32x4, |a, b| mask(a >= b)
}
lanewise! {
    /// `i32x4.abs`: wrapping (`abs(i32::MIN) = i32::MIN`).
    unary i32x4_abs: i32x4 -> from_i32x4, |a| a.wrapping_abs()
}
lanewise! {
    /// `i32x4.neg`: wrapping.
    unary i32x4_neg: i32x4 -> from_i32x4, |a| a.wrapping_neg()
}
lanewise! {
    /// `i32x4.all_true`: 1 if no lane is zero.
    all_true i32x4_all_true: i32x4
}
lanewise! {
    /// `i32x4.bitmask`: bit `i` is the sign bit of lane `i`.
    bitmask i32x4_bitmask: i32x4
}
lanewise! {
    /// `i32x4.extend_low_i16x8_s`: lanes 0..4, sign-extended.
    extend i32x4_extend_low_i16x8_s: i16x8 -> from_i32x4 as i32, half 0
}
lanewise! {
    /// `i32x4.extend_high_i16x8_s`: lanes 4..8, sign-extended.
    extend i32x4_extend_high_i16x8_s: i16x8 -> from_i32x4 as i32, half 4
}
lanewise! {
    /// `i32x4.extend_low_i16x8_u`: lanes 0..4, zero-extended.
    extend i32x4_extend_low_i16x8_u: u16x8 -> from_i32x4 as i32, half 0
}
lanewise! {
    /// `i32x4.extend_high_i16x8_u`: lanes 4..8, zero-extended.
    extend i32x4_extend_high_i16x8_u: u16x8 -> from_i32x4 as i32, half 4
}
lanewise! {
    /// `i32x4.shl`: shift count modulo 32.
    shift i32x4_shl: i32x4 -> from_i32x4, |a, s| a.wrapping_shl(s)
}
lanewise! {
    /// `i32x4.shr_s`: arithmetic shift, count modulo 32.
    shift i32x4_shr_s: i32x4 -> from_i32x4, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i32x4.shr_u`: logical shift, count modulo 32.
    shift i32x4_shr_u: u32x4 -> from_u32x4, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i32x4.add`: wrapping.
    binary i32x4_add: i32x4 -> from_i32x4, |a, b| a.wrapping_add(b)
}
lanewise! {
    /// `i32x4.sub`: wrapping.
    binary i32x4_sub: i32x4 -> from_i32x4, |a, b| a.wrapping_sub(b)
}
lanewise! {
    /// `i32x4.mul`: wrapping.
    binary i32x4_mul: i32x4 -> from_i32x4, |a, b| a.wrapping_mul(b)
}
lanewise! {
    /// `i32x4.min_s`.
    binary i32x4_min_s: i32x4 -> from_i32x4, |a, b| a.min(b)
}
lanewise! {
    /// `i32x4.min_u`.
    binary i32x4_min_u: u32x4 -> from_u32x4, |a, b| a.min(b)
}
lanewise! {
    /// `i32x4.max_s`.
    binary i32x4_max_s: i32x4 -> from_i32x4, |a, b| a.max(b)
}
lanewise! {
    /// `i32x4.max_u`.
    binary i32x4_max_u: u32x4 -> from_u32x4, |a, b| a.max(b)
}
lanewise! {
    /// `i32x4.extmul_low_i16x8_s`: products of lanes 0..4, signed.
    extmul i32x4_extmul_low_i16x8_s: i16x8 -> from_i32x4 as i32, half 0
}
lanewise! {
    /// `i32x4.extmul_high_i16x8_s`: products of lanes 4..8, signed.
    extmul i32x4_extmul_high_i16x8_s: i16x8 -> from_i32x4 as i32, half 4
}
lanewise! {
    /// `i32x4.extmul_low_i16x8_u`: products of lanes 0..4, unsigned.
    extmul i32x4_extmul_low_i16x8_u: u16x8 -> from_u32x4 as u32, half 0
}
lanewise! {
    /// `i32x4.extmul_high_i16x8_u`: products of lanes 4..8, unsigned.
    extmul i32x4_extmul_high_i16x8_u: u16x8 -> from_u32x4 as u32, half 4
}
lanewise! {
    /// `i32x4.extadd_pairwise_i16x8_s`: sums of adjacent signed lanes.
    extadd i32x4_extadd_pairwise_i16x8_s: i16x8 -> from_i32x4 as i32
}
lanewise! {
    /// `i32x4.extadd_pairwise_i16x8_u`: sums of adjacent unsigned lanes.
    extadd i32x4_extadd_pairwise_i16x8_u: u16x8 -> from_u32x4 as u32
}

/// `i32x4.dot_i16x8_s`: sums of the signed products of adjacent lane pairs,
/// wrapping (only `2 * (-32768)^2` overflows, to `i32::MIN`).
#[inline]
pub fn i32x4_dot_i16x8_s(a: V128, b: V128) -> V128 {
    let (x, y) = (a.i16x8(), b.i16x8());
    V128::from_i32x4(std::array::from_fn(|i| {
        let lo = i32::from(x[2 * i]) * i32::from(y[2 * i]);
        let hi = i32::from(x[2 * i + 1]) * i32::from(y[2 * i + 1]);
        lo.wrapping_add(hi)
    }))
}

#[cfg(test)]
mod tests;
