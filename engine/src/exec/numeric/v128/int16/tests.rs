//! `i16x8` edge cases: q15mulr overflow, extend/extmul/extadd lane halves, narrowing.

use super::super::*;

fn v(lanes: [i16; 8]) -> V128 {
    V128::from_i16x8(lanes)
}

fn u(lanes: [u16; 8]) -> V128 {
    V128::from_u16x8(lanes)
}

#[test]
fn q15mulr_rounds_and_saturates_only_min_times_min() {
    let a = v([-32768, -32768, 16384, 16384, 1, -1, 32767, 0x4000]);
    let b = v([-32768, 32767, 16384, -16384, 16384, 16384, 32767, 1]);
    assert_eq!(
        i16x8_q15mulr_sat_s(a, b).i16x8(),
        // (a*b + 0x4000) >> 15, arithmetic shift; the first saturates.
        [32767, -32767, 8192, -8192, 1, 0, 32766, 1]
    );
    for (x, y) in [(-32768i16, -32767i16), (12345, -23456), (-1, -1), (3, 5)] {
        let exact = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
        assert_eq!(i32::from(super::q15mulr_sat(x, y)), exact, "{x} * {y}");
    }
}

#[test]
fn saturating_arithmetic_boundaries() {
    assert_eq!(
        i16x8_add_sat_s(v([32767; 8]), v([1; 8])).i16x8(),
        [32767; 8]
    );
    assert_eq!(
        i16x8_add_sat_s(v([-32768; 8]), v([-1; 8])).i16x8(),
        [-32768; 8]
    );
    assert_eq!(
        i16x8_add_sat_u(u([65535; 8]), u([1; 8])).u16x8(),
        [65535; 8]
    );
    assert_eq!(
        i16x8_sub_sat_s(v([-32768; 8]), v([1; 8])).i16x8(),
        [-32768; 8]
    );
    assert_eq!(i16x8_sub_sat_u(u([1; 8]), u([2; 8])).u16x8(), [0; 8]);
    assert_eq!(i16x8_add(v([32767; 8]), v([1; 8])).i16x8(), [-32768; 8]);
    assert_eq!(i16x8_mul(v([256; 8]), v([256; 8])).i16x8(), [0; 8]);
    assert_eq!(i16x8_mul(v([-3; 8]), v([7; 8])).i16x8(), [-21; 8]);
}

#[test]
fn comparisons_min_max_avgr() {
    let a = v([-1, 0, 1, -32768, 32767, 5, 5, 5]);
    let b = v([0; 8]);
    assert_eq!(i16x8_lt_s(a, b).i16x8(), [-1, 0, 0, -1, 0, 0, 0, 0]);
    assert_eq!(i16x8_lt_u(a, b).i16x8(), [0; 8]);
    assert_eq!(i16x8_gt_u(a, b).i16x8(), [-1, 0, -1, -1, -1, -1, -1, -1]);
    assert_eq!(i16x8_ge_s(a, b).i16x8(), [0, -1, -1, 0, -1, -1, -1, -1]);
    assert_eq!(i16x8_le_u(a, b).i16x8(), [0, -1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(i16x8_eq(a, b).i16x8(), [0, -1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(i16x8_min_u(a, b).i16x8(), [0; 8]);
    assert_eq!(i16x8_max_s(a, b).i16x8(), [0, 0, 1, 0, 32767, 5, 5, 5]);
    assert_eq!(
        i16x8_avgr_u(u([65535; 8]), u([65534; 8])).u16x8(),
        [65535; 8]
    );
}

#[test]
fn shifts_take_count_modulo_16() {
    let a = v([-32768; 8]);
    assert_eq!(i16x8_shr_s(a, 15).i16x8(), [-1; 8]);
    assert_eq!(i16x8_shr_s(a, 16).i16x8(), [-32768; 8]);
    assert_eq!(i16x8_shr_u(a, 17).u16x8(), [0x4000; 8]);
    assert_eq!(i16x8_shl(v([1; 8]), 31).i16x8(), [-32768; 8]);
    assert_eq!(i16x8_shl(v([1; 8]), 32).i16x8(), [1; 8]);
}

#[test]
fn abs_neg_bitmask_all_true() {
    assert_eq!(
        i16x8_abs(v([-32768, -1, 1, 0, 0, 0, 0, 0])).i16x8(),
        [-32768, 1, 1, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        i16x8_neg(v([-32768, -1, 1, 0, 0, 0, 0, 0])).i16x8(),
        [-32768, 1, -1, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        i16x8_bitmask(v([-1, 0, -1, 0, 0, 0, 0, -32768])),
        0b1000_0101
    );
    assert_eq!(i16x8_all_true(v([1, 2, 3, 4, 5, 6, 7, -1])), 1);
    assert_eq!(i16x8_all_true(v([1, 2, 3, 4, 5, 6, 7, 0])), 0);
    // A lane with only its high byte set is still true.
    assert_eq!(i16x8_all_true(u([0x100; 8])), 1);
}

#[test]
fn narrow_from_i32_saturates() {
    let a = V128::from_i32x4([65536, -65536, 32768, -32769]);
    let b = V128::from_i32x4([65535, 0, -1, 32767]);
    assert_eq!(
        i16x8_narrow_i32x4_s(a, b).i16x8(),
        [32767, -32768, 32767, -32768, 32767, 0, -1, 32767]
    );
    assert_eq!(
        i16x8_narrow_i32x4_u(a, b).u16x8(),
        [65535, 0, 32768, 0, 65535, 0, 0, 32767]
    );
}

#[test]
fn extend_takes_the_right_half() {
    let a = V128::from_i8x16([-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, -2, 3, -4, 5]);
    assert_eq!(
        i16x8_extend_low_i8x16_s(a).i16x8(),
        [-1, 2, -3, 4, -5, 6, -7, 8]
    );
    assert_eq!(
        i16x8_extend_high_i8x16_s(a).i16x8(),
        [-128, 127, 0, 1, -2, 3, -4, 5]
    );
    assert_eq!(
        i16x8_extend_low_i8x16_u(a).i16x8(),
        [255, 2, 253, 4, 251, 6, 249, 8]
    );
    assert_eq!(
        i16x8_extend_high_i8x16_u(a).i16x8(),
        [128, 127, 0, 1, 254, 3, 252, 5]
    );
}

#[test]
fn extmul_and_extadd_boundaries() {
    let a = V128::from_i8x16([-128, 127, -128, 0, 0, 0, 0, 0, -128, 2, 0, 0, 0, 0, 0, 0]);
    let b = V128::from_i8x16([-128, 127, 127, 0, 0, 0, 0, 0, -1, -3, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        i16x8_extmul_low_i8x16_s(a, b).i16x8(),
        [16384, 16129, -16256, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        i16x8_extmul_high_i8x16_s(a, b).i16x8(),
        [128, -6, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        i16x8_extmul_low_i8x16_u(a, b).u16x8(),
        [16384, 16129, 16256, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        i16x8_extmul_high_i8x16_u(a, b).u16x8(),
        [32640, 506, 0, 0, 0, 0, 0, 0]
    );
    let ff = V128::from_u8x16([255; 16]);
    assert_eq!(i16x8_extmul_low_i8x16_u(ff, ff).u16x8(), [65025; 8]);
    assert_eq!(i16x8_extadd_pairwise_i8x16_u(ff).u16x8(), [510; 8]);
    assert_eq!(i16x8_extadd_pairwise_i8x16_s(ff).i16x8(), [-2; 8]);
    let m = V128::from_i8x16([-128; 16]);
    assert_eq!(i16x8_extadd_pairwise_i8x16_s(m).i16x8(), [-256; 8]);
    assert_eq!(i16x8_extadd_pairwise_i8x16_u(m).u16x8(), [256; 8]);
}
