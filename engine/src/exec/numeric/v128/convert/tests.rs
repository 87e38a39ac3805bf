//! Lane conversion boundaries: trunc_sat per lane, `_zero` upper lanes,
//! rounding of unsigned int-to-float, promote/demote NaNs.

use super::super::*;

#[test]
fn trunc_sat_f32x4_boundaries_per_lane() {
    let a = V128::from_f32x4([f32::NAN, 2147483520.0, 2147483648.0, -2147483904.0]);
    assert_eq!(
        i32x4_trunc_sat_f32x4_s(a).i32x4(),
        [0, 2147483520, i32::MAX, i32::MIN]
    );
    let a = V128::from_f32x4([-0.99, -1.0, 4294967040.0, 4294967296.0]);
    assert_eq!(
        i32x4_trunc_sat_f32x4_u(a).u32x4(),
        [0, 0, 4294967040, u32::MAX]
    );
    let a = V128::from_f32x4([-1.5, 1.5, f32::NEG_INFINITY, f32::INFINITY]);
    assert_eq!(
        i32x4_trunc_sat_f32x4_s(a).i32x4(),
        [-1, 1, i32::MIN, i32::MAX]
    );
    assert_eq!(i32x4_trunc_sat_f32x4_u(a).u32x4(), [0, 1, 0, u32::MAX]);
}

#[test]
fn trunc_sat_f64x2_zero_fills_upper_lanes() {
    let a = V128::from_f64x2([2147483647.9, -2147483648.9]);
    assert_eq!(
        i32x4_trunc_sat_f64x2_s_zero(a).i32x4(),
        [i32::MAX, i32::MIN, 0, 0]
    );
    let a = V128::from_f64x2([-2147483649.0, 2147483648.0]);
    assert_eq!(
        i32x4_trunc_sat_f64x2_s_zero(a).i32x4(),
        [i32::MIN, i32::MAX, 0, 0]
    );
    let a = V128::from_f64x2([4294967295.9, f64::NAN]);
    assert_eq!(i32x4_trunc_sat_f64x2_u_zero(a).u32x4(), [u32::MAX, 0, 0, 0]);
    let a = V128::from_f64x2([-0.9, 4294967296.0]);
    assert_eq!(i32x4_trunc_sat_f64x2_u_zero(a).u32x4(), [0, u32::MAX, 0, 0]);
}

#[test]
fn convert_i32x4_rounds_to_nearest_even() {
    let a = V128::from_i32x4([16777217, -16777219, i32::MIN, -1]);
    assert_eq!(
        f32x4_convert_i32x4_s(a).f32x4(),
        [16777216.0, -16777220.0, -2147483648.0, -1.0]
    );
    // Unsigned: -1 is 2^32 - 1, which rounds up to 2^32.
    assert_eq!(
        f32x4_convert_i32x4_u(a).f32x4(),
        [16777216.0, 4278190080.0, 2147483648.0, 4294967296.0]
    );
}

#[test]
fn convert_low_uses_lanes_zero_and_one() {
    let a = V128::from_i32x4([-1, i32::MIN, 5, 6]);
    assert_eq!(f64x2_convert_low_i32x4_s(a).f64x2(), [-1.0, -2147483648.0]);
    assert_eq!(
        f64x2_convert_low_i32x4_u(a).f64x2(),
        [4294967295.0, 2147483648.0]
    );
}

#[test]
fn demote_and_promote_lanes() {
    let a = V128::from_f64x2([f64::MAX, 1.0 + f64::EPSILON]);
    let r = f32x4_demote_f64x2_zero(a);
    assert_eq!(r.f32x4(), [f32::INFINITY, 1.0, 0.0, 0.0]);
    assert_eq!(r.u32x4()[2..], [0, 0]); // +0.0, not -0.0
                                        // A NaN keeps its sign and top payload bits, quietened.
    let a = V128::from_f64x2([f64::from_bits(0xfff4_0000_2000_0000), -0.0]);
    assert_eq!(
        f32x4_demote_f64x2_zero(a).u32x4(),
        [0xffe0_0001, 0x8000_0000, 0, 0]
    );
    let a = V128::from_f32x4([f32::from_bits(0x7fa0_0001), -0.0, 9.0, 9.0]);
    assert_eq!(
        f64x2_promote_low_f32x4(a).u64x2(),
        [0x7ffc_0000_2000_0000, 0x8000_0000_0000_0000]
    );
    let a = V128::from_f32x4([f32::MIN_POSITIVE / 2.0, 3.5, 0.0, 0.0]);
    assert_eq!(
        f64x2_promote_low_f32x4(a).f64x2(),
        [f64::from(f32::MIN_POSITIVE) / 2.0, 3.5]
    );
}
