//! `i32x4` edge cases: dot overflow, extmul/extadd halves, shift modulo, unsigned order.

use super::super::*;

fn v(lanes: [i32; 4]) -> V128 {
    V128::from_i32x4(lanes)
}

#[test]
fn dot_sums_pairs_and_wraps_the_one_overflow() {
    let a = V128::from_i16x8([1, 2, 3, 4, -32768, -32768, 32767, 32767]);
    let b = V128::from_i16x8([5, 6, -7, 8, -32768, -32768, 32767, -32768]);
    assert_eq!(
        i32x4_dot_i16x8_s(a, b).i32x4(),
        [5 + 12, -21 + 32, i32::MIN, 32767 * 32767 - 32767 * 32768]
    );
}

#[test]
fn arithmetic_wraps() {
    assert_eq!(
        i32x4_add(v([i32::MAX; 4]), v([1; 4])).i32x4(),
        [i32::MIN; 4]
    );
    assert_eq!(
        i32x4_sub(v([i32::MIN; 4]), v([1; 4])).i32x4(),
        [i32::MAX; 4]
    );
    assert_eq!(i32x4_mul(v([0x10000; 4]), v([0x10000; 4])).i32x4(), [0; 4]);
    assert_eq!(
        i32x4_mul(v([-7, 7, 123456, 0]), v([3, -3, 1000, 5])).i32x4(),
        [-21, -21, 123456000, 0]
    );
    assert_eq!(
        i32x4_abs(v([i32::MIN, -1, 0, 1])).i32x4(),
        [i32::MIN, 1, 0, 1]
    );
    assert_eq!(
        i32x4_neg(v([i32::MIN, -1, 0, 1])).i32x4(),
        [i32::MIN, 1, 0, -1]
    );
}

#[test]
fn comparisons_and_min_max_by_signedness() {
    let a = v([-1, 0, i32::MIN, 7]);
    let b = v([1, 0, i32::MAX, 7]);
    assert_eq!(i32x4_lt_s(a, b).i32x4(), [-1, 0, -1, 0]);
    assert_eq!(i32x4_lt_u(a, b).i32x4(), [0, 0, 0, 0]);
    assert_eq!(i32x4_gt_u(a, b).i32x4(), [-1, 0, -1, 0]);
    assert_eq!(i32x4_gt_s(a, b).i32x4(), [0; 4]);
    assert_eq!(i32x4_le_s(a, b).i32x4(), [-1; 4]);
    assert_eq!(i32x4_le_u(a, b).i32x4(), [0, -1, 0, -1]);
    assert_eq!(i32x4_ge_s(a, b).i32x4(), [0, -1, 0, -1]);
    assert_eq!(i32x4_ge_u(a, b).i32x4(), [-1; 4]);
    assert_eq!(i32x4_eq(a, b).i32x4(), [0, -1, 0, -1]);
    assert_eq!(i32x4_ne(a, b).i32x4(), [-1, 0, -1, 0]);
    assert_eq!(i32x4_min_s(a, b).i32x4(), [-1, 0, i32::MIN, 7]);
    assert_eq!(i32x4_min_u(a, b).i32x4(), [1, 0, i32::MAX, 7]);
    assert_eq!(i32x4_max_s(a, b).i32x4(), [1, 0, i32::MAX, 7]);
    assert_eq!(i32x4_max_u(a, b).i32x4(), [-1, 0, i32::MIN, 7]);
}

#[test]
fn shifts_take_count_modulo_32() {
    let a = v([i32::MIN, 1, -1, 0x1234_5678]);
    assert_eq!(i32x4_shl(a, 32).i32x4(), a.i32x4());
    assert_eq!(i32x4_shl(a, 33).i32x4(), [0, 2, -2, 0x2468_acf0]);
    assert_eq!(i32x4_shr_s(a, 31).i32x4(), [-1, 0, -1, 0]);
    assert_eq!(i32x4_shr_u(a, 63).i32x4(), [1, 0, 1, 0]);
    assert_eq!(
        i32x4_shr_u(a, -28).i32x4(),
        [0x0800_0000, 0, 0x0fff_ffff, 0x0123_4567]
    );
}

#[test]
fn all_true_and_bitmask() {
    assert_eq!(i32x4_all_true(v([1, -1, i32::MIN, 0x100])), 1);
    assert_eq!(i32x4_all_true(v([1, -1, 0, 0x100])), 0);
    assert_eq!(i32x4_bitmask(v([-1, 0, i32::MIN, i32::MAX])), 0b0101);
}

#[test]
fn extend_extmul_extadd_halves() {
    let a = V128::from_i16x8([-1, 2, -32768, 32767, 5, -6, 7, -8]);
    assert_eq!(i32x4_extend_low_i16x8_s(a).i32x4(), [-1, 2, -32768, 32767]);
    assert_eq!(i32x4_extend_high_i16x8_s(a).i32x4(), [5, -6, 7, -8]);
    assert_eq!(
        i32x4_extend_low_i16x8_u(a).i32x4(),
        [65535, 2, 32768, 32767]
    );
    assert_eq!(i32x4_extend_high_i16x8_u(a).i32x4(), [5, 65530, 7, 65528]);
    assert_eq!(
        i32x4_extmul_low_i16x8_s(a, a).i32x4(),
        [1, 4, 1 << 30, 32767 * 32767]
    );
    assert_eq!(i32x4_extmul_high_i16x8_s(a, a).i32x4(), [25, 36, 49, 64]);
    assert_eq!(
        i32x4_extmul_low_i16x8_u(a, a).u32x4(),
        [65535 * 65535, 4, 1 << 30, 32767 * 32767]
    );
    assert_eq!(
        i32x4_extmul_high_i16x8_u(a, a).u32x4(),
        [25, 65530 * 65530, 49, 65528 * 65528]
    );
    assert_eq!(i32x4_extadd_pairwise_i16x8_s(a).i32x4(), [1, -1, -1, -1]);
    assert_eq!(
        i32x4_extadd_pairwise_i16x8_u(a).i32x4(),
        [65537, 65535, 65535, 65535]
    );
    let ff = V128::from_u16x8([65535; 8]);
    assert_eq!(i32x4_extadd_pairwise_i16x8_u(ff).u32x4(), [131070; 4]);
}
