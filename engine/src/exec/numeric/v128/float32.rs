//! `f32x4` operators. Every arithmetic lane calls the scalar `f32` operator
//! (see [`crate::exec::numeric::f32`] for the NaN rule), so vector and scalar
//! results agree bit for bit. `pmin`/`pmax` are the spec's pseudo-min/max,
//! `b < a ? b : a`: they return an operand unchanged, NaN included.

use super::{mask, V128};
use crate::exec::numeric::f32 as fp;

lanewise! {
    /// `f32x4.eq`: false for NaN lanes; `-0 == +0`.
    binary f32x4_eq: f32x4 -> from_i32x4, |a, b| mask(a == b)
}
lanewise! {
    /// `f32x4.ne`: true for NaN lanes.
    binary f32x4_ne: f32x4 -> from_i32x4, |a, b| mask(a != b)
}
lanewise! {
    /// `f32x4.lt`.
    binary f32x4_lt: f32x4 -> from_i32x4, |a, b| mask(a < b)
}
lanewise! {
    /// `f32x4.gt`.
    binary f32x4_gt: f32x4 -> from_i32x4, |a, b| mask(a > b)
}
lanewise! {
    /// `f32x4.le`.
    binary f32x4_le: f32x4 -> from_i32x4, |a, b| mask(a <= b)
}
lanewise! {
    /// `f32x4.ge`.
    binary f32x4_ge: f32x4 -> from_i32x4, |a, b| mask(a >= b)
}
lanewise! {
    /// `f32x4.abs`: clears each sign bit (payloads untouched).
    unary f32x4_abs: f32x4 -> from_f32x4, |a| fp::abs(a)
}
lanewise! {
    /// `f32x4.neg`: flips each sign bit (payloads untouched).
    unary f32x4_neg: f32x4 -> from_f32x4, |a| fp::neg(a)
}
lanewise! {
    /// `f32x4.sqrt`.
    unary f32x4_sqrt: f32x4 -> from_f32x4, |a| fp::sqrt(a)
}
lanewise! {
    /// `f32x4.ceil`.
    unary f32x4_ceil: f32x4 -> from_f32x4, |a| fp::ceil(a)
}
lanewise! {
    /// `f32x4.floor`.
    unary f32x4_floor: f32x4 -> from_f32x4, |a| fp::floor(a)
}
lanewise! {
    /// `f32x4.trunc`.
    unary f32x4_trunc: f32x4 -> from_f32x4, |a| fp::trunc(a)
}
lanewise! {
    /// `f32x4.nearest`: ties to even.
    unary f32x4_nearest: f32x4 -> from_f32x4, |a| fp::nearest(a)
}
lanewise! {
    /// `f32x4.add`.
    binary f32x4_add: f32x4 -> from_f32x4, |a, b| fp::add(a, b)
}
lanewise! {
    /// `f32x4.sub`.
    binary f32x4_sub: f32x4 -> from_f32x4, |a, b| fp::sub(a, b)
}
lanewise! {
    /// `f32x4.mul`.
    binary f32x4_mul: f32x4 -> from_f32x4, |a, b| fp::mul(a, b)
}
lanewise! {
    /// `f32x4.div`.
    binary f32x4_div: f32x4 -> from_f32x4, |a, b| fp::div(a, b)
}
lanewise! {
    /// `f32x4.min`: NaN if either lane is NaN; `-0 < +0`.
    binary f32x4_min: f32x4 -> from_f32x4, |a, b| fp::min(a, b)
}
lanewise! {
    /// `f32x4.max`: NaN if either lane is NaN; `-0 < +0`.
    binary f32x4_max: f32x4 -> from_f32x4, |a, b| fp::max(a, b)
}
lanewise! {
    /// `f32x4.pmin`: `b < a ? b : a` (so `a` when either is NaN or both are zeros).
    binary f32x4_pmin: f32x4 -> from_f32x4, |a, b| if b < a { b } else { a }
}
lanewise! {
    /// `f32x4.pmax`: `a < b ? b : a` (so `a` when either is NaN or both are zeros).
    binary f32x4_pmax: f32x4 -> from_f32x4, |a, b| if a < b { b } else { a }
}

#[cfg(test)]
mod tests;
