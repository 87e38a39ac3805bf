//! Lane conversions between float and integer shapes (spec `vcvtop`):
//! saturating truncations, int-to-float conversions, promote and demote.
//! Each lane calls the scalar conversion in [`crate::exec::numeric::convert`],
//! so NaN and rounding choices match the scalar operators. `_zero` variants
//! fill the upper two result lanes with zeros.

use super::V128;
use crate::exec::numeric::convert as cv;

/// `i32x4.trunc_sat_f32x4_s`: NaN gives 0, out of range saturates.
#[inline]
pub fn i32x4_trunc_sat_f32x4_s(a: V128) -> V128 {
    V128::from_i32x4(a.f32x4().map(cv::i32_trunc_sat_f32_s))
}

/// `i32x4.trunc_sat_f32x4_u`: NaN and negatives give 0, too large gives `u32::MAX`.
#[inline]
pub fn i32x4_trunc_sat_f32x4_u(a: V128) -> V128 {
    V128::from_i32x4(a.f32x4().map(cv::i32_trunc_sat_f32_u))
}

/// `f32x4.convert_i32x4_s`: round to nearest even.
#[inline]
pub fn f32x4_convert_i32x4_s(a: V128) -> V128 {
    V128::from_f32x4(a.i32x4().map(cv::f32_convert_i32_s))
}

/// `f32x4.convert_i32x4_u`: lanes read as unsigned, round to nearest even.
#[inline]
pub fn f32x4_convert_i32x4_u(a: V128) -> V128 {
    V128::from_f32x4(a.i32x4().map(cv::f32_convert_i32_u))
}

/// `i32x4.trunc_sat_f64x2_s_zero`: the two `f64` lanes truncated and saturated, then two zeros.
#[inline]
pub fn i32x4_trunc_sat_f64x2_s_zero(a: V128) -> V128 {
    let [x, y] = a.f64x2();
    V128::from_i32x4([cv::i32_trunc_sat_f64_s(x), cv::i32_trunc_sat_f64_s(y), 0, 0])
}

/// `i32x4.trunc_sat_f64x2_u_zero`: as unsigned, then two zeros.
#[inline]
pub fn i32x4_trunc_sat_f64x2_u_zero(a: V128) -> V128 {
    let [x, y] = a.f64x2();
    V128::from_i32x4([cv::i32_trunc_sat_f64_u(x), cv::i32_trunc_sat_f64_u(y), 0, 0])
}

/// `f64x2.convert_low_i32x4_s`: lanes 0 and 1, exact.
#[inline]
pub fn f64x2_convert_low_i32x4_s(a: V128) -> V128 {
    let [x, y, _, _] = a.i32x4();
    V128::from_f64x2([cv::f64_convert_i32_s(x), cv::f64_convert_i32_s(y)])
}

/// `f64x2.convert_low_i32x4_u`: lanes 0 and 1 read as unsigned, exact.
#[inline]
pub fn f64x2_convert_low_i32x4_u(a: V128) -> V128 {
    let [x, y, _, _] = a.i32x4();
    V128::from_f64x2([cv::f64_convert_i32_u(x), cv::f64_convert_i32_u(y)])
}

/// `f32x4.demote_f64x2_zero`: both lanes rounded to `f32`, then two `+0.0` lanes.
#[inline]
pub fn f32x4_demote_f64x2_zero(a: V128) -> V128 {
    let [x, y] = a.f64x2();
    V128::from_f32x4([cv::f32_demote_f64(x), cv::f32_demote_f64(y), 0.0, 0.0])
}

/// `f64x2.promote_low_f32x4`: lanes 0 and 1 widened exactly.
#[inline]
pub fn f64x2_promote_low_f32x4(a: V128) -> V128 {
    let [x, y, _, _] = a.f32x4();
    V128::from_f64x2([cv::f64_promote_f32(x), cv::f64_promote_f32(y)])
}

#[cfg(test)]
mod tests;
