//! Lane access: `splat`, `extract_lane`, `replace_lane` (spec `shape.splat`,
//! `shape.extract_lane_sx?`, `shape.replace_lane`).
//!
//! Lane indices are validated immediates (< lane count); an index out of
//! range is reduced modulo the lane count rather than panicking, so every
//! function is total.

use super::V128;

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline]
pub fn i8x16_splat(x: i32) -> V128 {
    V128::from_i8x16([x as i8; 16])
}

/// `i16x8.splat`: the low 16 bits of `x` in every lane.
#[inline]
pub fn i16x8_splat(x: i32) -> V128 {
    V128::from_i16x8([x as i16; 8])
}

/// `i32x4.splat`.
#[inline]
pub fn i32x4_splat(x: i32) -> V128 {
    V128::from_i32x4([x; 4])
}

/// `i64x2.splat`.
#[inline]
pub fn i64x2_splat(x: i64) -> V128 {
    V128::from_i64x2([x; 2])
}

/// `f32x4.splat` (bits preserved, NaN payloads included).
#[inline]
pub fn f32x4_splat(x: f32) -> V128 {
    V128::from_f32x4([x; 4])
}

/// `f64x2.splat` (bits preserved, NaN payloads included).
#[inline]
pub fn f64x2_splat(x: f64) -> V128 {
    V128::from_f64x2([x; 2])
}

/// `i8x16.extract_lane_s`: the lane sign-extended to `i32`.
#[inline]
pub fn i8x16_extract_lane_s(v: V128, lane: u8) -> i32 {
    i32::from(v.i8x16()[usize::from(lane) % 16])
}

/// `i8x16.extract_lane_u`: the lane zero-extended to `i32`.
#[inline]
pub fn i8x16_extract_lane_u(v: V128, lane: u8) -> i32 {
    i32::from(v.u8x16()[usize::from(lane) % 16])
}

/// `i16x8.extract_lane_s`: the lane sign-extended to `i32`.
#[inline]
pub fn i16x8_extract_lane_s(v: V128, lane: u8) -> i32 {
    i32::from(v.i16x8()[usize::from(lane) % 8])
}

/// `i16x8.extract_lane_u`: the lane zero-extended to `i32`.
#[inline]
pub fn i16x8_extract_lane_u(v: V128, lane: u8) -> i32 {
    i32::from(v.u16x8()[usize::from(lane) % 8])
}

/// `i32x4.extract_lane`.
#[inline]
pub fn i32x4_extract_lane(v: V128, lane: u8) -> i32 {
    v.i32x4()[usize::from(lane) % 4]
}

/// `i64x2.extract_lane`.
#[inline]
pub fn i64x2_extract_lane(v: V128, lane: u8) -> i64 {
    v.i64x2()[usize::from(lane) % 2]
}

/// `f32x4.extract_lane` (bits preserved).
#[inline]
pub fn f32x4_extract_lane(v: V128, lane: u8) -> f32 {
    v.f32x4()[usize::from(lane) % 4]
}

/// `f64x2.extract_lane` (bits preserved).
#[inline]
pub fn f64x2_extract_lane(v: V128, lane: u8) -> f64 {
    v.f64x2()[usize::from(lane) % 2]
}

/// `i8x16.replace_lane`: the lane set to the low 8 bits of `x`.
#[inline]
pub fn i8x16_replace_lane(v: V128, lane: u8, x: i32) -> V128 {
    let mut lanes = v.i8x16();
    lanes[usize::from(lane) % 16] = x as i8;
    V128::from_i8x16(lanes)
}

/// `i16x8.replace_lane`: the lane set to the low 16 bits of `x`.
#[inline]
pub fn i16x8_replace_lane(v: V128, lane: u8, x: i32) -> V128 {
    let mut lanes = v.i16x8();
    lanes[usize::from(lane) % 8] = x as i16;
    V128::from_i16x8(lanes)
}

/// `i32x4.replace_lane`.
#[inline]
pub fn i32x4_replace_lane(v: V128, lane: u8, x: i32) -> V128 {
    let mut lanes = v.i32x4();
    lanes[usize::from(lane) % 4] = x;
    V128::from_i32x4(lanes)
}

/// `i64x2.replace_lane`.
#[inline]
pub fn i64x2_replace_lane(v: V128, lane: u8, x: i64) -> V128 {
    let mut lanes = v.i64x2();
    lanes[usize::from(lane) % 2] = x;
    V128::from_i64x2(lanes)
}

/// `f32x4.replace_lane` (bits preserved).
#[inline]
pub fn f32x4_replace_lane(v: V128, lane: u8, x: f32) -> V128 {
    let mut lanes = v.f32x4();
    lanes[usize::from(lane) % 4] = x;
    V128::from_f32x4(lanes)
}

/// `f64x2.replace_lane` (bits preserved).
#[inline]
pub fn f64x2_replace_lane(v: V128, lane: u8, x: f64) -> V128 {
    let mut lanes = v.f64x2();
    lanes[usize::from(lane) % 2] = x;
    V128::from_f64x2(lanes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes 0x00, 0x81, 0x02, 0x83, ...: odd bytes have the top bit set.
    fn ramp() -> V128 {
        V128::from_bytes(std::array::from_fn(|i| {
            if i % 2 == 1 {
                0x80 | i as u8
            } else {
                i as u8
            }
        }))
    }

    #[test]
    fn splat_truncates_to_lane_width() {
        assert_eq!(i8x16_splat(0x1ff).to_u128(), u128::MAX);
        assert_eq!(i8x16_splat(0x180).u8x16(), [0x80; 16]);
        assert_eq!(i16x8_splat(0x1_8001).u16x8(), [0x8001; 8]);
        assert_eq!(i32x4_splat(-2).i32x4(), [-2; 4]);
        assert_eq!(i64x2_splat(i64::MIN).i64x2(), [i64::MIN; 2]);
    }

    #[test]
    fn float_splat_and_extract_keep_nan_payloads() {
        let snan = f32::from_bits(0xff80_0001);
        let v = f32x4_splat(snan);
        assert_eq!(v.u32x4(), [0xff80_0001; 4]);
        assert_eq!(f32x4_extract_lane(v, 3).to_bits(), 0xff80_0001);
        let d = f64::from_bits(0x7ff0_0000_0000_0001);
        assert_eq!(f64x2_extract_lane(f64x2_splat(d), 1).to_bits(), d.to_bits());
    }

    #[test]
    fn extract_lane_signedness_and_lane_order() {
        let v = ramp();
        assert_eq!(i8x16_extract_lane_s(v, 0), 0);
        assert_eq!(i8x16_extract_lane_s(v, 1), -127);
        assert_eq!(i8x16_extract_lane_u(v, 1), 0x81);
        assert_eq!(i8x16_extract_lane_u(v, 15), 0x8f);
        // Lane 1 of i16x8 is bytes 2 (low) and 3 (high).
        assert_eq!(i16x8_extract_lane_u(v, 1), 0x8302);
        assert_eq!(i16x8_extract_lane_s(v, 1), 0x8302 - 0x1_0000);
        assert_eq!(i32x4_extract_lane(v, 0), 0x8302_8100_u32 as i32);
        assert_eq!(i64x2_extract_lane(v, 1), 0x8f0e_8d0c_8b0a_8908_u64 as i64);
    }

    #[test]
    fn replace_lane_changes_only_that_lane() {
        let v = ramp();
        let r = i8x16_replace_lane(v, 5, 0x1ab);
        let (before, after) = (v.u8x16(), r.u8x16());
        for i in 0..16 {
            assert_eq!(after[i], if i == 5 { 0xab } else { before[i] });
        }
        assert_eq!(i16x8_replace_lane(v, 7, -1).u16x8()[7], 0xffff);
        assert_eq!(i16x8_replace_lane(v, 7, -1).u16x8()[6], v.u16x8()[6]);
        assert_eq!(i32x4_replace_lane(v, 2, 7).i32x4(), {
            let mut l = v.i32x4();
            l[2] = 7;
            l
        });
        assert_eq!(
            i64x2_replace_lane(v, 0, -1).u64x2(),
            [u64::MAX, v.u64x2()[1]]
        );
        let r = f32x4_replace_lane(v, 1, -0.0);
        assert_eq!(r.u32x4()[1], 0x8000_0000);
        let r = f64x2_replace_lane(v, 1, f64::INFINITY);
        assert_eq!(r.f64x2(), [v.f64x2()[0], f64::INFINITY]);
    }
}
