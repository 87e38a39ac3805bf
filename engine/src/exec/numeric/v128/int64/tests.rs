//! `i64x2` edge cases: signed-only comparisons, wrapping, shift modulo, extend/extmul halves.

use super::super::*;

fn v(lanes: [i64; 2]) -> V128 {
    V128::from_i64x2(lanes)
}

#[test]
fn signed_comparisons() {
    let a = v([i64::MIN, 3]);
    let b = v([-1, 3]);
    assert_eq!(i64x2_eq(a, b).i64x2(), [0, -1]);
    assert_eq!(i64x2_ne(a, b).i64x2(), [-1, 0]);
    assert_eq!(i64x2_lt_s(a, b).i64x2(), [-1, 0]);
    assert_eq!(i64x2_gt_s(a, b).i64x2(), [0, 0]);
    assert_eq!(i64x2_le_s(a, b).i64x2(), [-1, -1]);
    assert_eq!(i64x2_ge_s(a, b).i64x2(), [0, -1]);
}

#[test]
fn arithmetic_wraps() {
    assert_eq!(
        i64x2_add(v([i64::MAX, 1]), v([1, 2])).i64x2(),
        [i64::MIN, 3]
    );
    assert_eq!(
        i64x2_sub(v([i64::MIN, 1]), v([1, 2])).i64x2(),
        [i64::MAX, -1]
    );
    assert_eq!(
        i64x2_mul(v([1 << 32, -3]), v([1 << 32, 5])).i64x2(),
        [0, -15]
    );
    assert_eq!(i64x2_abs(v([i64::MIN, -9])).i64x2(), [i64::MIN, 9]);
    assert_eq!(i64x2_neg(v([i64::MIN, -9])).i64x2(), [i64::MIN, 9]);
}

#[test]
fn shifts_take_count_modulo_64() {
    let a = v([i64::MIN, 1]);
    assert_eq!(i64x2_shl(a, 64).i64x2(), [i64::MIN, 1]);
    assert_eq!(i64x2_shl(a, 65).i64x2(), [0, 2]);
    assert_eq!(i64x2_shr_s(a, 63).i64x2(), [-1, 0]);
    assert_eq!(i64x2_shr_u(a, 127).i64x2(), [1, 0]);
    assert_eq!(i64x2_shr_u(a, -1).i64x2(), [1, 0]);
}

#[test]
fn all_true_and_bitmask() {
    assert_eq!(i64x2_all_true(v([1 << 40, -1])), 1);
    assert_eq!(i64x2_all_true(v([0, -1])), 0);
    assert_eq!(i64x2_bitmask(v([0, -1])), 0b10);
    assert_eq!(i64x2_bitmask(v([i64::MIN, i64::MAX])), 0b01);
}

#[test]
fn extend_and_extmul_halves() {
    let a = V128::from_i32x4([-1, i32::MIN, 7, -8]);
    assert_eq!(
        i64x2_extend_low_i32x4_s(a).i64x2(),
        [-1, i64::from(i32::MIN)]
    );
    assert_eq!(i64x2_extend_high_i32x4_s(a).i64x2(), [7, -8]);
    assert_eq!(
        i64x2_extend_low_i32x4_u(a).i64x2(),
        [0xffff_ffff, 0x8000_0000]
    );
    assert_eq!(i64x2_extend_high_i32x4_u(a).i64x2(), [7, 0xffff_fff8]);
    assert_eq!(i64x2_extmul_low_i32x4_s(a, a).i64x2(), [1, 1 << 62]);
    assert_eq!(i64x2_extmul_high_i32x4_s(a, a).i64x2(), [49, 64]);
    assert_eq!(
        i64x2_extmul_low_i32x4_u(a, a).u64x2(),
        [0xffff_fffe_0000_0001, 1 << 62]
    );
    assert_eq!(
        i64x2_extmul_high_i32x4_u(a, a).u64x2(),
        [49, 0xffff_fff8u64 * 0xffff_fff8]
    );
}
