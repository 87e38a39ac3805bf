//! SIMD load/store byte handling: extends, splats, zero-fill, lane positions.

use super::super::*;

const EIGHT: [u8; 8] = [0x80, 0x01, 0xff, 0x7f, 0x00, 0x80, 0x34, 0x12];

#[test]
fn widening_loads_extend_each_element() {
    assert_eq!(
        v128_load8x8_s(EIGHT).i16x8(),
        [-128, 1, -1, 127, 0, -128, 0x34, 0x12]
    );
    assert_eq!(
        v128_load8x8_u(EIGHT).i16x8(),
        [128, 1, 255, 127, 0, 128, 0x34, 0x12]
    );
    assert_eq!(
        v128_load16x4_s(EIGHT).i32x4(),
        [0x0180, 0x7fff, -32768, 0x1234]
    );
    assert_eq!(
        v128_load16x4_u(EIGHT).i32x4(),
        [0x0180, 0x7fff, 0x8000, 0x1234]
    );
    assert_eq!(v128_load32x2_s(EIGHT).i64x2(), [0x7fff_0180, 0x1234_8000]);
    let neg = [0, 0, 0, 0x80, 1, 0, 0, 0];
    assert_eq!(v128_load32x2_s(neg).i64x2(), [-0x8000_0000, 1]);
    assert_eq!(v128_load32x2_u(neg).i64x2(), [0x8000_0000, 1]);
}

#[test]
fn splat_loads_fill_every_lane() {
    assert_eq!(v128_load8_splat([0xab]).u8x16(), [0xab; 16]);
    assert_eq!(v128_load16_splat([0x01, 0x80]).u16x8(), [0x8001; 8]);
    assert_eq!(v128_load32_splat([1, 2, 3, 4]).u32x4(), [0x0403_0201; 4]);
    assert_eq!(
        v128_load64_splat(EIGHT).u64x2(),
        [u64::from_le_bytes(EIGHT); 2]
    );
}

#[test]
fn zero_loads_clear_the_upper_lanes() {
    assert_eq!(
        v128_load32_zero([1, 2, 3, 4]).u32x4(),
        [0x0403_0201, 0, 0, 0]
    );
    assert_eq!(
        v128_load64_zero(EIGHT).u64x2(),
        [u64::from_le_bytes(EIGHT), 0]
    );
}

#[test]
fn lane_loads_replace_exactly_one_lane() {
    let base = V128::from_bytes(std::array::from_fn(|i| i as u8));
    let r = v128_load8_lane(base, 15, [0xee]).to_bytes();
    assert_eq!(r[15], 0xee);
    assert_eq!(r[..15], base.to_bytes()[..15]);
    let r = v128_load16_lane(base, 3, [0xaa, 0xbb]);
    let mut want = base.u16x8();
    want[3] = 0xbbaa;
    assert_eq!(r.u16x8(), want);
    let r = v128_load32_lane(base, 0, [9, 8, 7, 6]);
    let mut want = base.u32x4();
    want[0] = 0x0607_0809;
    assert_eq!(r.u32x4(), want);
    let r = v128_load64_lane(base, 1, EIGHT);
    assert_eq!(r.u64x2(), [base.u64x2()[0], u64::from_le_bytes(EIGHT)]);
}

#[test]
fn lane_stores_read_the_lane_in_memory_order() {
    let v = V128::from_u32x4([0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]);
    assert_eq!(v128_store8_lane(v, 9), [9]);
    assert_eq!(v128_store16_lane(v, 7), [14, 15]);
    assert_eq!(v128_store32_lane(v, 2), [8, 9, 10, 11]);
    assert_eq!(v128_store64_lane(v, 0), [0, 1, 2, 3, 4, 5, 6, 7]);
    // Store then load of the same lane is the identity.
    for lane in 0..4 {
        assert_eq!(v128_load32_lane(v, lane, v128_store32_lane(v, lane)), v);
    }
}
