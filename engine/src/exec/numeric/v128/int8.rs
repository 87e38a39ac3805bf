//! `i8x16` operators, including `i8x16.narrow_i16x8_*` which produce 8-bit lanes.

use super::{mask, V128};

lanewise! {
    /// `i8x16.eq`.
    binary i8x16_eq: i8x16 -> from_i8x16, |a, b| mask(a == b)
}
lanewise! {
    /// `i8x16.ne`.
    binary i8x16_ne: i8x16 -> from_i8x16, |a, b| mask(a != b)
}
lanewise! {
    /// `i8x16.lt_s`.
    binary i8x16_lt_s: i8x16 -> from_i8x16, |a, b| mask(a < b)
}
lanewise! {
    /// `i8x16.lt_u`.
    binary i8x16_lt_u: u8x16 -> from_i8x16, |a, b| mask(a < b)
}
lanewise! {
    /// `i8x16.gt_s`.
    binary i8x16_gt_s: i8x16 -> from_i8x16, |a, b| mask(a > b)
}
lanewise! {
    /// `i8x16.gt_u`.
    binary i8x16_gt_u: u8x16 -> from_i8x16, |a, b| mask(a > b)
}
lanewise! {
    /// `i8x16.le_s`.
    binary i8x16_le_s: i8x16 -> from_i8x16, |a, b| mask(a <= b)
}
lanewise! {
    /// `i8x16.le_u`.
    binary i8x16_le_u: u8x16 -> from_i8x16, |a, b| mask(a <= b)
}
lanewise! {
    /// `i8x16.ge_s`.
    binary i8x16_ge_s: i8x16 -> from_i8x16, |a, b| mask(a >= b)
}
lanewise! {
    /// `i8x16.ge_u`.
    binary i8x16_ge_u: u8x16 -> from_i8x16, |a, b| mask(a >= b)
}
lanewise! {
    /// `i8x16.abs`: wrapping (`abs(-128) = -128`).
    unary i8x16_abs: i8x16 -> from_i8x16, |a| a.wrapping_abs()
}
lanewise! {
    /// `i8x16.neg`: wrapping.
    unary i8x16_neg: i8x16 -> from_i8x16, |a| a.wrapping_neg()
}
lanewise! {
    /// `i8x16.popcnt`: set bits per lane.
    unary i8x16_popcnt: u8x16 -> from_u8x16, |a| a.count_ones() as u8
}
lanewise! {
    /// `i8x16.all_true`: 1 if no lane is zero.
    all_true i8x16_all_true: i8x16
}
lanewise! {
    /// `i8x16.bitmask`: bit `i` is the sign bit of lane `i`.
    bitmask i8x16_bitmask: i8x16
}
lanewise! {
    /// `i8x16.narrow_i16x8_s`: lanes of `a` then `b`, saturated to `i8`.
    narrow i8x16_narrow_i16x8_s: i16x8 -> from_i8x16 as i8, i16::from(i8::MIN), i16::from(i8::MAX)
}
lanewise! {
    /// `i8x16.narrow_i16x8_u`: signed lanes of `a` then `b`, saturated to `u8`.
    narrow i8x16_narrow_i16x8_u: i16x8 -> from_u8x16 as u8, 0, i16::from(u8::MAX)
}
lanewise! {
    /// `i8x16.shl`: shift count modulo 8.
    shift i8x16_shl: i8x16 -> from_i8x16, |a, s| a.wrapping_shl(s)
}
lanewise! {
    /// `i8x16.shr_s`: arithmetic shift, count modulo 8.
    shift i8x16_shr_s: i8x16 -> from_i8x16, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i8x16.shr_u`: logical shift, count modulo 8.
    shift i8x16_shr_u: u8x16 -> from_u8x16, |a, s| a.wrapping_shr(s)
}
lanewise! {
    /// `i8x16.add`: wrapping.
    binary i8x16_add: i8x16 -> from_i8x16, |a, b| a.wrapping_add(b)
}
lanewise! {
    /// `i8x16.add_sat_s`.
    binary i8x16_add_sat_s: i8x16 -> from_i8x16, |a, b| a.saturating_add(b)
}
lanewise! {
    /// `i8x16.add_sat_u`.
    binary i8x16_add_sat_u: u8x16 -> from_u8x16, |a, b| a.saturating_add(b)
}
lanewise! {
    /// `i8x16.sub`: wrapping.
    binary i8x16_sub: i8x16 -> from_i8x16, |a, b| a.wrapping_sub(b)
}
lanewise! {
    /// `i8x16.sub_sat_s`.
    binary i8x16_sub_sat_s: i8x16 -> from_i8x16, |a, b| a.saturating_sub(b)
}
lanewise! {
    /// `i8x16.sub_sat_u`.
    binary i8x16_sub_sat_u: u8x16 -> from_u8x16, |a, b| a.saturating_sub(b)
}
lanewise! {
    /// `i8x16.min_s`.
    binary i8x16_min_s: i8x16 -> from_i8x16, |a, b| a.min(b)
}
lanewise! {
    /// `i8x16.min_u`.
    binary i8x16_min_u: u8x16 -> from_u8x16, |a, b| a.min(b)
}
lanewise! {
    /// `i8x16.max_s`.
    binary i8x16_max_s: i8x16 -> from_i8x16, |a, b| a.max(b)
}
lanewise! {
    /// `i8x16.max_u`.
    binary i8x16_max_u: u8x16 -> from_u8x16, |a, b| a.max(b)
}
lanewise! {
    /// `i8x16.avgr_u`: `(a + b + 1) / 2` without overflow.
    binary i8x16_avgr_u: u8x16 -> from_u8x16, |a, b| ((u16::from(a) + u16::from(b) + 1) >> 1) as u8
}

#[cfg(test)]
mod tests;
