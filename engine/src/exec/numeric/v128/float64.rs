//! `f64x2` operators. Every arithmetic lane calls the scalar `f64` operator
//! (see [`crate::exec::numeric::f64`] for the NaN rule), so vector and scalar
//! results agree bit for bit. `pmin`/`pmax` are the spec's pseudo-min/max,
//! `b < a ? b : a`: they return an operand unchanged, NaN included.

use super::{mask, V128};
use crate::exec::numeric::f64 as fp;

lanewise! {
    /// `f64x2.eq`: false for NaN lanes; `-0 == +0`.
    binary f64x2_eq: f64x2 -> from_i64x2, |a, b| mask(a == b)
}
lanewise! {
    /// `f64x2.ne`: true for NaN lanes.
    binary f64x2_ne: f64x2 -> from_i64x2, |a, b| mask(a != b)
}
lanewise! {
    /// `f64x2.lt`.
    binary f64x2_lt: f64x2 -> from_i64x2, |a, b| mask(a < b)
}
lanewise! {
    /// `f64x2.gt`.
    binary f64x2_gt: f64x2 -> from_i64x2, |a, b| mask(a > b)
}
lanewise! {
    /// `f64x2.le`.
    binary f64x2_le: f64x2 -> from_i64x2, |a, b| mask(a <= b)
}
lanewise! {
    /// `f64x2.ge`.
    binary f64x2_ge: f64x2 -> from_i64x2, |a, b| mask(a >= b)
}
lanewise! {
    /// `f64x2.abs`: clears each sign bit (payloads untouched).
    unary f64x2_abs: f64x2 -> from_f64x2, |a| fp::abs(a)
}
lanewise! {
    /// `f64x2.neg`: flips each sign bit (payloads untouched).
    unary f64x2_neg: f64x2 -> from_f64x2, |a| fp::neg(a)
}
lanewise! {
    /// `f64x2.sqrt`.
    unary f64x2_sqrt: f64x2 -> from_f64x2, |a| fp::sqrt(a)
}
lanewise! {
    /// `f64x2.ceil`.
    unary f64x2_ceil: f64x2 -> from_f64x2, |a| fp::ceil(a)
}
lanewise! {
    /// `f64x2.floor`.
    unary f64x2_floor: f64x2 -> from_f64x2, |a| fp::floor(a)
}
lanewise! {
    /// `f64x2.trunc`.
    unary f64x2_trunc: f64x2 -> from_f64x2, |a| fp::trunc(a)
}
lanewise! {
    /// `f64x2.nearest`: ties to even.
    unary f64x2_nearest: f64x2 -> from_f64x2, |a| fp::nearest(a)
}
lanewise! {
    /// `f64x2.add`.
    binary f64x2_add: f64x2 -> from_f64x2, |a, b| fp::add(a, b)
}
lanewise! {
    /// `f64x2.sub`.
    binary f64x2_sub: f64x2 -> from_f64x2, |a, b| fp::sub(a, b)
}
lanewise! {
    /// `f64x2.mul`.
    binary f64x2_mul: f64x2 -> from_f64x2, |a, b| fp::mul(a, b)
}
lanewise! {
    /// `f64x2.div`.
    binary f64x2_div: f64x2 -> from_f64x2, |a, b| fp::div(a, b)
}
lanewise! {
    /// `f64x2.min`: NaN if either lane is NaN; `-0 < +0`.
    binary f64x2_min: f64x2 -> from_f64x2, |a, b| fp::min(a, b)
}
lanewise! {
    /// `f64x2.max`: NaN if either lane is NaN; `-0 < +0`.
    binary f64x2_max: f64x2 -> from_f64x2, |a, b| fp::max(a, b)
}
lanewise! {
    /// `f64x2.pmin`: `b < a ? b : a` (so `a` when either is NaN or both are zeros).
    binary f64x2_pmin: f64x2 -> from_f64x2, |a, b| if b < a { b } else { a }
}
lanewise! {
    /// `f64x2.pmax`: `a < b ? b : a` (so `a` when either is NaN or both are zeros).
    binary f64x2_pmax: f64x2 -> from_f64x2, |a, b| if a < b { b } else { a }
}

#[cfg(test)]
mod tests;
