//! `i64x2` operators, including those that produce 64-bit lanes from 32-bit
//! ones (extend, extmul).

use super::{mask, V128};

lanewise! {
    /// `i64x2.eq`.
    binary i64x2_eq: i64x2 -> from_i64x2, |a, b| mask(a == b)
}
lanewise! {
    /// `i64x2.ne`.
    binary i64x2_ne: i64x2 -> from_i64x2, |a, b| mask(a != b)
}
lanewise! {
    /// `i64x2.lt_s`.
    binary i64x2_lt_s: i64x2 -> from_i64x2, |a, b| mask(a < b)
}
lanewise! {
    /// `i64x2.gt_s`.
    binary i64x2_gt_s: i64x2 -> from_i64x2, |a, b| mask(a > b)
}
lanewise! {
    /// `i64x2.le_s`.
    binary i64x2_le_s: i64x2 -> from_i64x2, |a, b| mask(a <= b)
}
lanewise! {
    /// `i64x2.ge_s`.
    binary i64x2_ge_s: i64x2 -> from_i64x2, |a, b| mask(a >= b)
}
lanewise! {
    /// `i64x2.abs`: wrapping (`abs(i64::MIN) = i64::MIN`).
    unary i64x2_abs: i64x2 -> from_i64x2, |a| a.wrapping_abs()
}
lanewise! {
    /// `i64x2.neg`: wrapping.
    unary i64x2_neg: i64x2 -> from_i64x2, |a| a.wrapping_neg()
}
lanewise! {
    /// `i64x2.all_true`: 1 if no lane is zero.
    all_true i64x2_all_true: i64x2
}
lanewise! {
    /// `i64x2.bitmask`: bit `i` is the sign bit of lane `i`.
    bitmask i64x2_bitmask: i64x2
}
lanewise! {
    /// `i64x2.extend_low_i32x4_s`: lanes 0..2, sign-extended.
    extend i64x2_extend_low_i32x4_s: i32x4 -> from_i64x2 as i64, half 0
}
lanewise! {
    /// `i64x2.extend_high_i32x4_s`: lanes 2..4, sign-extended.
    extend i64x2_extend_high_i32x4_s: i32x4 -> from_i64x2 as i64, half 2
}
lanewise! {
    /// `i64x2.extend_low_i32x4_u`: lanes 0..2, zero-extended.
    extend i64x2_extend_low_i32x4_u: u32x4 -> from_i64x2 as i64, half 0
}
lanewise! {
    /// `i64x2.extend_high_i32x4_u`: lanes 2..4, zero-extended.
    extend i64x2_extend_high_i32x4_u: u32x4 -> from_i64x2 as i64, half 2
}
lanewise! {
    /// `i64x2.shl`: shift count modulo 64.
    shift i64x2_shl: i64x2 -> from_i64x2, |a, s| a.wrapping_shl(s)
}
lanewise! {
    /// `i64x2.shr_s`: arithmetic shift, count modulo 64.
    shift i64x2_shr_s: i64x2 -> from_i64x2, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i64x2.shr_u`: logical shift, count modulo 64.
    shift i64x2_shr_u: u64x2 -> from_u64x2, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i64x2.add`: wrapping.
    binary i64x2_add: i64x2 -> from_i64x2, |a, b| a.wrapping_add(b)
}
lanewise! {
    /// `i64x2.sub`: wrapping.
    binary i64x2_sub: i64x2 -> from_i64x2, |a, b| a.wrapping_sub(b)
}
lanewise! {
    /// `i64x2.mul`: wrapping.
    binary i64x2_mul: i64x2 -> from_i64x2, |a, b| a.wrapping_mul(b)
}
lanewise! {
    /// `i64x2.extmul_low_i32x4_s`: products of lanes 0..2, signed.
    extmul i64x2_extmul_low_i32x4_s: i32x4 -> from_i64x2 as i64, half 0
}
lanewise! {
    /// `i64x2.extmul_high_i32x4_s`: products of lanes 2..4, signed.
    extmul i64x2_extmul_high_i32x4_s: i32x4 -> from_i64x2 as i64, half 2
}
lanewise! {
    /// `i64x2.extmul_low_i32x4_u`: products of lanes 0..2, unsigned.
    extmul i64x2_extmul_low_i32x4_u: u32x4 -> from_u64x2 as u64, half 0
}
lanewise! {
    /// `i64x2.extmul_high_i32x4_u`: products of lanes 2..4, unsigned.
    extmul i64x2_extmul_high_i32x4_u: u32x4 -> from_u64x2 as u64, half 2
}

#[cfg(test)]
mod tests;
