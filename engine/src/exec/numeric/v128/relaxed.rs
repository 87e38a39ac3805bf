//! Relaxed SIMD (Wasm 3.0), fixed to the spec's **deterministic profile**:
//! every `relaxed(R)[A_0, ...]` choice is `A_0`, so results never depend on
//! the host and never change between runs. Concretely:
//!
//! | operator | behaviour chosen |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle`: index >= 16 gives 0 |
//! | `i32x4.relaxed_trunc_*` | the `trunc_sat` operator: NaN -> 0, out of range saturates |
//! | `f32x4/f64x2.relaxed_madd` | unfused: `add(mul(a, b), c)`, two roundings |
//! | `f32x4/f64x2.relaxed_nmadd` | unfused: `add(mul(neg(a), b), c)` |
//! | `*.relaxed_laneselect` | `v128.bitselect` (mask used bit by bit) |
//! | `f32x4/f64x2.relaxed_min/max` | `min`/`max` (NaN propagates, `-0 < +0`) |
//! | `i16x8.relaxed_q15mulr_s` | `q15mulr_sat_s`: `-32768 * -32768` gives 32767 |
//! | `*.relaxed_dot_i8x16_i7x16*` | both operands signed; pair sums saturate to `i16` |
//!
//! Float lanes use the scalar NaN rule of [`crate::exec::numeric::f32`].

use super::{
    f32x4_max, f32x4_min, f64x2_max, f64x2_min, i16x8_q15mulr_sat_s, i32x4_trunc_sat_f32x4_s,
    i32x4_trunc_sat_f32x4_u, i32x4_trunc_sat_f64x2_s_zero, i32x4_trunc_sat_f64x2_u_zero,
    i8x16_swizzle, v128_bitselect, V128,
};
use crate::exec::numeric::{f32 as fp32, f64 as fp64};

/// `i8x16.relaxed_swizzle`: as `i8x16.swizzle`.
#[inline]
pub fn i8x16_relaxed_swizzle(a: V128, s: V128) -> V128 {
    i8x16_swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_s(a: V128) -> V128 {
    i32x4_trunc_sat_f32x4_s(a)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_u(a: V128) -> V128 {
    i32x4_trunc_sat_f32x4_u(a)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_s_zero(a: V128) -> V128 {
    i32x4_trunc_sat_f64x2_s_zero(a)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_u_zero(a: V128) -> V128 {
    i32x4_trunc_sat_f64x2_u_zero(a)
}

/// `f32x4.relaxed_madd`: `a * b + c`, unfused.
#[inline]
pub fn f32x4_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    let (a, b, c) = (a.f32x4(), b.f32x4(), c.f32x4());
    V128::from_f32x4(std::array::from_fn(|i| {
        fp32::add(fp32::mul(a[i], b[i]), c[i])
    }))
}

/// `f32x4.relaxed_nmadd`: `-a * b + c`, unfused.
#[inline]
pub fn f32x4_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    let (a, b, c) = (a.f32x4(), b.f32x4(), c.f32x4());
    V128::from_f32x4(std::array::from_fn(|i| {
        fp32::add(fp32::mul(fp32::neg(a[i]), b[i]), c[i])
    }))
}

/// `f64x2.relaxed_madd`: `a * b + c`, unfused.
#[inline]
pub fn f64x2_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    let (a, b, c) = (a.f64x2(), b.f64x2(), c.f64x2());
    V128::from_f64x2(std::array::from_fn(|i| {
        fp64::add(fp64::mul(a[i], b[i]), c[i])
    }))
}

/// `f64x2.relaxed_nmadd`: `-a * b + c`, unfused.
#[inline]
pub fn f64x2_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    let (a, b, c) = (a.f64x2(), b.f64x2(), c.f64x2());
    V128::from_f64x2(std::array::from_fn(|i| {
        fp64::add(fp64::mul(fp64::neg(a[i]), b[i]), c[i])
    }))
}

/// `i8x16.relaxed_laneselect`: as `v128.bitselect(a, b, mask)`.
#[inline]
pub fn i8x16_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i16x8.relaxed_laneselect`: as `v128.bitselect(a, b, mask)`.
#[inline]
pub fn i16x8_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i32x4.relaxed_laneselect`: as `v128.bitselect(a, b, mask)`.
#[inline]
pub fn i32x4_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `i64x2.relaxed_laneselect`: as `v128.bitselect(a, b, mask)`.
#[inline]
pub fn i64x2_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// `f32x4.relaxed_min`: as `f32x4.min`.
#[inline]
pub fn f32x4_relaxed_min(a: V128, b: V128) -> V128 {
    f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as `f32x4.max`.
#[inline]
pub fn f32x4_relaxed_max(a: V128, b: V128) -> V128 {
    f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as `f64x2.min`.
#[inline]
pub fn f64x2_relaxed_min(a: V128, b: V128) -> V128 {
    f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as `f64x2.max`.
#[inline]
pub fn f64x2_relaxed_max(a: V128, b: V128) -> V128 {
    f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s`.
#[inline]
pub fn i16x8_relaxed_q15mulr_s(a: V128, b: V128) -> V128 {
    i16x8_q15mulr_sat_s(a, b)
}

/// Signed products of adjacent byte pairs, each pair summed with `i16` saturation.
#[inline]
fn dot_i8_pairs(a: V128, b: V128) -> [i16; 8] {
    let (x, y) = (a.i8x16(), b.i8x16());
    std::array::from_fn(|i| {
        let lo = i16::from(x[2 * i]) * i16::from(y[2 * i]);
        let hi = i16::from(x[2 * i + 1]) * i16::from(y[2 * i + 1]);
        lo.saturating_add(hi)
    })
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: sums of signed products of adjacent
/// lanes, saturated to `i16` (only `2 * (-128)^2` saturates).
#[inline]
pub fn i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128) -> V128 {
    V128::from_i16x8(dot_i8_pairs(a, b))
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the `i16` pair sums of
/// [`i16x8_relaxed_dot_i8x16_i7x16_s`] added pairwise into `i32` lanes, plus
/// `c`, wrapping.
#[inline]
pub fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128) -> V128 {
    let pairs = dot_i8_pairs(a, b);
    let acc = c.i32x4();
    V128::from_i32x4(std::array::from_fn(|i| {
        let sum = i32::from(pairs[2 * i]) + i32::from(pairs[2 * i + 1]);
        sum.wrapping_add(acc[i])
    }))
}

#[cfg(test)]
mod tests;
