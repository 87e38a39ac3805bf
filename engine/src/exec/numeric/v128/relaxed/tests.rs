//! Relaxed SIMD: each result is the deterministic-profile choice, checked to
//! be one of the spec's permitted results on the cases that make them differ.

use super::super::*;

#[test]
fn relaxed_swizzle_zeroes_every_out_of_range_index() {
    let a = V128::from_bytes(std::array::from_fn(|i| 0x10 + i as u8));
    let s = V128::from_bytes([0, 15, 16, 17, 31, 0x7f, 0x80, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]);
    let got = i8x16_relaxed_swizzle(a, s).to_bytes();
    // Permitted for 16..=127: 0 or a[j % 16]; for >= 128 only 0.
    assert_eq!(got[..8], [0x10, 0x1f, 0, 0, 0, 0, 0, 0]);
    assert_eq!(got, i8x16_swizzle(a, s).to_bytes());
}

#[test]
fn relaxed_trunc_saturates() {
    let a = V128::from_f32x4([f32::NAN, -2147483904.0, 2147483648.0, -1.5]);
    // Permitted: saturated value or INT_MIN; we give the saturated one.
    assert_eq!(
        i32x4_relaxed_trunc_f32x4_s(a).i32x4(),
        [0, i32::MIN, i32::MAX, -1]
    );
    assert_eq!(
        i32x4_relaxed_trunc_f32x4_u(a).u32x4(),
        [0, 0, 2147483648, 0]
    );
    let a = V128::from_f64x2([f64::NAN, 1e10]);
    assert_eq!(
        i32x4_relaxed_trunc_f64x2_s_zero(a).i32x4(),
        [0, i32::MAX, 0, 0]
    );
    assert_eq!(
        i32x4_relaxed_trunc_f64x2_u_zero(a).u32x4(),
        [0, u32::MAX, 0, 0]
    );
}

#[test]
fn relaxed_madd_is_unfused() {
    // (1 + 2^-23) * (1 - 2^-23) = 1 - 2^-46: rounds to 1.0 unfused, so
    // subtracting 1 gives 0; a fused result would be -2^-46.
    let x = 1.0 + f32::EPSILON;
    let y = 1.0 - f32::EPSILON;
    let r = f32x4_relaxed_madd(
        V128::from_f32x4([x; 4]),
        V128::from_f32x4([y; 4]),
        V128::from_f32x4([-1.0; 4]),
    );
    assert_eq!(r.f32x4(), [0.0; 4]);
    let fused = x.mul_add(y, -1.0);
    assert_ne!(fused, 0.0, "the case must distinguish fused from unfused");
    let r = f32x4_relaxed_nmadd(
        V128::from_f32x4([x; 4]),
        V128::from_f32x4([y; 4]),
        V128::from_f32x4([1.0; 4]),
    );
    assert_eq!(r.f32x4(), [0.0; 4]);
    let (dx, dy) = (1.0 + f64::EPSILON, 1.0 - f64::EPSILON);
    let r = f64x2_relaxed_madd(
        V128::from_f64x2([dx; 2]),
        V128::from_f64x2([dy; 2]),
        V128::from_f64x2([-1.0; 2]),
    );
    assert_eq!(r.f64x2(), [0.0; 2]);
    let r = f64x2_relaxed_nmadd(
        V128::from_f64x2([dx; 2]),
        V128::from_f64x2([dy; 2]),
        V128::from_f64x2([1.0; 2]),
    );
    assert_eq!(r.f64x2(), [0.0; 2]);
    // Overflow of the intermediate product is kept (a fused result would be finite).
    let r = f32x4_relaxed_madd(
        V128::from_f32x4([f32::MAX; 4]),
        V128::from_f32x4([2.0; 4]),
        V128::from_f32x4([-f32::MAX; 4]),
    );
    assert_eq!(r.f32x4(), [f32::INFINITY; 4]);
}

#[test]
fn relaxed_madd_nan_lanes_are_arithmetic_nans() {
    let nan = f32::from_bits(0x7f80_0001);
    let r = f32x4_relaxed_madd(
        V128::from_f32x4([nan, 0.0, f32::INFINITY, 1.0]),
        V128::from_f32x4([1.0, f32::INFINITY, 1.0, 1.0]),
        V128::from_f32x4([1.0, 1.0, f32::NEG_INFINITY, 1.0]),
    );
    let lanes = r.f32x4();
    for lane in &lanes[..3] {
        assert!(
            crate::exec::numeric::f32::is_arithmetic_nan(*lane),
            "{lane:?}"
        );
    }
    assert_eq!(lanes[3], 2.0);
}

#[test]
fn relaxed_laneselect_is_bitwise() {
    let a = V128::from_u128(u128::MAX);
    let b = V128::from_u128(0);
    // A mask whose lanes mix set and cleared bits: bitwise use keeps the mix.
    let mask = V128::from_u32x4([0x8000_0001, 0x7fff_ffff, 0xffff_ffff, 0]);
    for select in [
        i8x16_relaxed_laneselect,
        i16x8_relaxed_laneselect,
        i32x4_relaxed_laneselect,
        i64x2_relaxed_laneselect,
    ] {
        assert_eq!(select(a, b, mask), mask);
        assert_eq!(select(a, b, mask), v128_bitselect(a, b, mask));
    }
}

#[test]
fn relaxed_min_max_are_min_max() {
    let a = V128::from_f32x4([f32::NAN, 0.0, -0.0, 1.0]);
    let b = V128::from_f32x4([1.0, -0.0, 0.0, f32::NAN]);
    assert_eq!(f32x4_relaxed_min(a, b), f32x4_min(a, b));
    assert_eq!(f32x4_relaxed_max(a, b), f32x4_max(a, b));
    assert_eq!(
        f32x4_relaxed_min(a, b).u32x4()[1..3],
        [0x8000_0000, 0x8000_0000]
    );
    assert_eq!(f32x4_relaxed_max(a, b).u32x4()[1..3], [0, 0]);
    let a = V128::from_f64x2([-0.0, f64::NAN]);
    let b = V128::from_f64x2([0.0, 2.0]);
    assert_eq!(f64x2_relaxed_min(a, b).u64x2()[0], 0x8000_0000_0000_0000);
    assert_eq!(f64x2_relaxed_max(a, b).u64x2()[0], 0);
    assert!(f64x2_relaxed_max(a, b).f64x2()[1].is_nan());
}

#[test]
fn relaxed_q15mulr_saturates() {
    let a = V128::from_i16x8([-32768, 16384, 0, 0, 0, 0, 0, 0]);
    let b = V128::from_i16x8([-32768, 16384, 0, 0, 0, 0, 0, 0]);
    // Permitted for MIN * MIN: 32767 or -32768.
    assert_eq!(i16x8_relaxed_q15mulr_s(a, b).i16x8()[..2], [32767, 8192]);
}

#[test]
fn relaxed_dot_signed_with_saturating_pairs() {
    let a = V128::from_i8x16(std::array::from_fn(|i| i as i8));
    assert_eq!(
        i16x8_relaxed_dot_i8x16_i7x16_s(a, a).i16x8(),
        [1, 13, 41, 85, 145, 221, 313, 421]
    );
    // Second operand outside i7: permitted results are signed*signed (32512),
    // signed*unsigned saturated (-32768) or unsigned*unsigned (33024, wraps).
    let mut x = [0i8; 16];
    let mut y = [0i8; 16];
    (x[0], x[1], y[0], y[1]) = (-128, -128, -127, -127);
    let got = i16x8_relaxed_dot_i8x16_i7x16_s(V128::from_i8x16(x), V128::from_i8x16(y)).i16x8();
    assert_eq!(got[0], 32512);
    // Both pairs -128 * -128: 32768 saturates to 32767.
    let m = V128::from_i8x16([-128; 16]);
    assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(m, m).i16x8(), [32767; 8]);
}

#[test]
fn relaxed_dot_add_accumulates() {
    let a = V128::from_i8x16(std::array::from_fn(|i| i as i8));
    let c = V128::from_i32x4([0, 1, 2, 3]);
    assert_eq!(
        i32x4_relaxed_dot_i8x16_i7x16_add_s(a, a, c).i32x4(),
        [14, 127, 368, 737]
    );
    let x = V128::from_i8x16([
        -128, -128, -128, -128, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    let y = V128::from_i8x16([
        127, 127, 127, 127, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    let c = V128::from_i32x4([1, 2, 3, 4]);
    assert_eq!(
        i32x4_relaxed_dot_i8x16_i7x16_add_s(x, y, c).i32x4(),
        [-65023, 64518, 3, 4]
    );
    // Outside i7: signed*signed, 4 * 16256 + 1.
    let x = V128::from_i8x16([-128, -128, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let y = V128::from_i8x16([-127, -127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        i32x4_relaxed_dot_i8x16_i7x16_add_s(x, y, c).i32x4(),
        [65025, 2, 3, 4]
    );
    // The accumulation wraps.
    let c = V128::from_i32x4([i32::MAX, 0, 0, 0]);
    let one = V128::from_i8x16([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        i32x4_relaxed_dot_i8x16_i7x16_add_s(one, one, c).i32x4()[0],
        i32::MIN
    );
}
