//! Lane order and the free conversions of [`V128`].

use super::*;

const BITS: u128 = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100;

#[test]
fn lane_zero_is_the_lowest_byte() {
    let v = V128::from_u128(BITS);
    assert_eq!(v.to_bytes(), std::array::from_fn(|i| i as u8));
    assert_eq!(V128::from_bytes(v.to_bytes()), v);
    assert_eq!(v.u8x16()[0], 0x00);
    assert_eq!(v.u8x16()[15], 0x0f);
    assert_eq!(v.u16x8()[0], 0x0100);
    assert_eq!(v.u16x8()[7], 0x0f0e);
    assert_eq!(
        v.u32x4(),
        [0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]
    );
    assert_eq!(v.u64x2(), [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);
    assert_eq!(
        v.to_u64x2_words(),
        (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)
    );
    assert_eq!(
        V128::from_u64x2_words(0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908),
        v
    );
}

#[test]
fn every_view_round_trips() {
    let v = V128::from_u128(0x8000_7fff_ffff_0001_dead_beef_7fc0_0001);
    assert_eq!(V128::from_i8x16(v.i8x16()), v);
    assert_eq!(V128::from_u8x16(v.u8x16()), v);
    assert_eq!(V128::from_i16x8(v.i16x8()), v);
    assert_eq!(V128::from_u16x8(v.u16x8()), v);
    assert_eq!(V128::from_i32x4(v.i32x4()), v);
    assert_eq!(V128::from_u32x4(v.u32x4()), v);
    assert_eq!(V128::from_i64x2(v.i64x2()), v);
    assert_eq!(V128::from_u64x2(v.u64x2()), v);
    assert_eq!(V128::from_f32x4(v.f32x4()), v);
    assert_eq!(V128::from_f64x2(v.f64x2()), v);
    assert_eq!(u128::from(V128::from(BITS)), BITS);
}

#[test]
fn signed_views_reinterpret_the_same_bits() {
    let v = V128::from_u128(u128::MAX);
    assert_eq!(v.i8x16(), [-1; 16]);
    assert_eq!(v.i64x2(), [-1; 2]);
    let v = V128::from_u32x4([0x8000_0000, 0x7fc0_0000, 0xff80_0001, 0]);
    assert_eq!(v.i32x4()[0], i32::MIN);
    // Float views keep NaN payloads bit for bit, signalling ones included.
    assert_eq!(
        v.f32x4().map(f32::to_bits),
        [0x8000_0000, 0x7fc0_0000, 0xff80_0001, 0]
    );
}

#[test]
fn mask_is_all_ones_or_zero() {
    assert_eq!(mask::<i8>(true), -1);
    assert_eq!(mask::<i64>(true), -1);
    assert_eq!(mask::<i32>(false), 0);
}

#[test]
fn debug_shows_the_bits() {
    assert_eq!(
        format!("{:?}", V128::from_u128(0xab)),
        "V128(0x000000000000000000000000000000ab)"
    );
}
