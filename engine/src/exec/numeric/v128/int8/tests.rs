//! `i8x16` edge cases: saturation, signed vs unsigned order, shift modulo, narrowing.

use super::super::*;

fn v(lanes: [i8; 16]) -> V128 {
    V128::from_i8x16(lanes)
}

fn u(lanes: [u8; 16]) -> V128 {
    V128::from_u8x16(lanes)
}

/// Lanes `[x, x, ...]` except lane 0 = `first`, to catch lane mix-ups.
fn with_first(first: i8, rest: i8) -> V128 {
    let mut lanes = [rest; 16];
    lanes[0] = first;
    v(lanes)
}

#[test]
fn wrapping_add_sub_and_lane_independence() {
    let a = v(std::array::from_fn(|i| (i as i8).wrapping_mul(10)));
    let b = v(std::array::from_fn(|i| 127 - i as i8));
    let sum = i8x16_add(a, b).i8x16();
    let diff = i8x16_sub(a, b).i8x16();
    for i in 0..16 {
        assert_eq!(
            sum[i],
            ((i as i8).wrapping_mul(10)).wrapping_add(127 - i as i8),
            "lane {i}"
        );
        assert_eq!(
            diff[i],
            ((i as i8).wrapping_mul(10)).wrapping_sub(127 - i as i8),
            "lane {i}"
        );
    }
    assert_eq!(i8x16_add(v([127; 16]), v([1; 16])).i8x16(), [-128; 16]);
}

#[test]
fn saturating_arithmetic_boundaries() {
    assert_eq!(i8x16_add_sat_s(v([127; 16]), v([1; 16])).i8x16(), [127; 16]);
    assert_eq!(
        i8x16_add_sat_s(v([-128; 16]), v([-1; 16])).i8x16(),
        [-128; 16]
    );
    assert_eq!(
        i8x16_add_sat_s(v([100; 16]), v([-101; 16])).i8x16(),
        [-1; 16]
    );
    assert_eq!(i8x16_add_sat_u(u([255; 16]), u([1; 16])).u8x16(), [255; 16]);
    assert_eq!(i8x16_add_sat_u(u([254; 16]), u([1; 16])).u8x16(), [255; 16]);
    assert_eq!(
        i8x16_sub_sat_s(v([-128; 16]), v([1; 16])).i8x16(),
        [-128; 16]
    );
    assert_eq!(
        i8x16_sub_sat_s(v([127; 16]), v([-1; 16])).i8x16(),
        [127; 16]
    );
    assert_eq!(
        i8x16_sub_sat_s(v([0; 16]), v([-128; 16])).i8x16(),
        [127; 16]
    );
    assert_eq!(i8x16_sub_sat_u(u([0; 16]), u([1; 16])).u8x16(), [0; 16]);
    assert_eq!(
        i8x16_sub_sat_u(u([200; 16]), u([100; 16])).u8x16(),
        [100; 16]
    );
}

#[test]
fn comparisons_distinguish_signedness() {
    // 0x80 is -128 signed but 128 unsigned.
    let a = with_first(-128, 1);
    let b = v([1; 16]);
    let mut expect = [0i8; 16];
    expect[0] = -1;
    assert_eq!(i8x16_lt_s(a, b).i8x16(), expect);
    assert_eq!(i8x16_gt_u(a, b).i8x16(), expect);
    assert_eq!(i8x16_lt_u(a, b).i8x16(), [0; 16]);
    assert_eq!(i8x16_gt_s(a, b).i8x16(), [0; 16]);
    assert_eq!(i8x16_le_s(a, b).i8x16(), [-1; 16]);
    assert_eq!(i8x16_ge_u(a, b).i8x16(), [-1; 16]);
    assert_eq!(i8x16_ge_s(a, b).i8x16(), expect.map(|m| !m));
    assert_eq!(i8x16_le_u(a, b).i8x16(), expect.map(|m| !m));
    assert_eq!(i8x16_eq(a, b).i8x16(), expect.map(|m| !m));
    assert_eq!(i8x16_ne(a, b).i8x16(), expect);
}

#[test]
fn min_max_signed_and_unsigned() {
    let a = with_first(-1, 5);
    let b = v([3; 16]);
    assert_eq!(i8x16_min_s(a, b).i8x16()[0], -1);
    assert_eq!(i8x16_min_u(a, b).i8x16()[0], 3);
    assert_eq!(i8x16_max_s(a, b).i8x16()[0], 3);
    assert_eq!(i8x16_max_u(a, b).i8x16()[0], -1);
    assert_eq!(i8x16_min_s(a, b).i8x16()[1], 3);
    assert_eq!(i8x16_max_u(a, b).i8x16()[1], 5);
}

#[test]
fn avgr_rounds_up_without_overflow() {
    assert_eq!(i8x16_avgr_u(u([255; 16]), u([255; 16])).u8x16(), [255; 16]);
    assert_eq!(i8x16_avgr_u(u([0; 16]), u([1; 16])).u8x16(), [1; 16]);
    assert_eq!(i8x16_avgr_u(u([2; 16]), u([5; 16])).u8x16(), [4; 16]);
    assert_eq!(i8x16_avgr_u(u([0; 16]), u([255; 16])).u8x16(), [128; 16]);
}

#[test]
fn abs_and_neg_wrap_at_min() {
    assert_eq!(i8x16_abs(with_first(-128, -5)).i8x16()[0], -128);
    assert_eq!(i8x16_abs(with_first(-128, -5)).i8x16()[1], 5);
    assert_eq!(i8x16_neg(with_first(-128, 127)).i8x16()[0], -128);
    assert_eq!(i8x16_neg(with_first(-128, 127)).i8x16()[1], -127);
}

#[test]
fn popcnt_counts_each_byte() {
    let a = u(std::array::from_fn(|i| (i as u8).wrapping_mul(37)));
    let got = i8x16_popcnt(a).u8x16();
    for (i, lane) in a.u8x16().iter().enumerate() {
        assert_eq!(u32::from(got[i]), lane.count_ones(), "lane {i}");
    }
    assert_eq!(i8x16_popcnt(u([0xff; 16])).u8x16(), [8; 16]);
}

#[test]
fn shifts_take_count_modulo_8() {
    let a = v([-128; 16]);
    for (count, shl, shr_s, shr_u) in [
        (0, -128, -128, 0x80u8),
        (1, 0, -64, 0x40),
        (7, 0, -1, 0x01),
        (8, -128, -128, 0x80), // 8 mod 8 = 0
        (9, 0, -64, 0x40),
        (-1, 0, -1, 0x01), // -1 mod 8 = 7
        (i32::MIN, -128, -128, 0x80),
    ] {
        assert_eq!(i8x16_shl(a, count).i8x16(), [shl; 16], "shl {count}");
        assert_eq!(i8x16_shr_s(a, count).i8x16(), [shr_s; 16], "shr_s {count}");
        assert_eq!(i8x16_shr_u(a, count).u8x16(), [shr_u; 16], "shr_u {count}");
    }
    assert_eq!(i8x16_shl(v([1; 16]), 3).i8x16(), [8; 16]);
}

#[test]
fn all_true_and_bitmask() {
    assert_eq!(i8x16_all_true(v([1; 16])), 1);
    assert_eq!(i8x16_all_true(with_first(0, 1)), 0);
    assert_eq!(i8x16_all_true(with_first(1, 0)), 0);
    assert_eq!(i8x16_bitmask(v([-1; 16])), 0xffff);
    assert_eq!(i8x16_bitmask(v([127; 16])), 0);
    assert_eq!(i8x16_bitmask(with_first(-128, 0)), 1);
    let mut lanes = [0i8; 16];
    lanes[15] = -1;
    lanes[3] = -100;
    assert_eq!(i8x16_bitmask(v(lanes)), 0x8008);
}

#[test]
fn narrow_saturates_and_orders_a_then_b() {
    let a = V128::from_i16x8([0, 127, 128, -128, -129, 32767, -32768, 255]);
    let b = V128::from_i16x8([1, 2, 3, 4, 5, 6, 7, 256]);
    assert_eq!(
        i8x16_narrow_i16x8_s(a, b).i8x16(),
        [0, 127, 127, -128, -128, 127, -128, 127, 1, 2, 3, 4, 5, 6, 7, 127]
    );
    assert_eq!(
        i8x16_narrow_i16x8_u(a, b).u8x16(),
        [0, 127, 128, 0, 0, 255, 0, 255, 1, 2, 3, 4, 5, 6, 7, 255]
    );
}
