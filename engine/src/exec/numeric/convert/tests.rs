//! Conversion edge cases: every truncation boundary, rounding of int-to-float,
//! demotion/promotion of NaNs, subnormals and overflow.

use super::*;

/// The next float above / below, by bit arithmetic (finite, positive-magnitude steps).
fn up32(x: f32) -> f32 {
    if x == 0.0 {
        f32::from_bits(1)
    } else if x > 0.0 {
        f32::from_bits(x.to_bits() + 1)
    } else {
        f32::from_bits(x.to_bits() - 1)
    }
}
fn down32(x: f32) -> f32 {
    -up32(-x)
}
fn up64(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}
fn down64(x: f64) -> f64 {
    -up64(-x)
}

const OVERFLOW: NumericTrap = NumericTrap::IntegerOverflow;
const INVALID: NumericTrap = NumericTrap::InvalidConversionToInteger;

/// A signalling f32 NaN (payload 1, both signs tested by callers).
const SNAN32: u32 = 0x7f80_0001;
/// A signalling f64 NaN with payload bits both above and below the f32 cut.
const SNAN64: u64 = 0x7ff0_0000_2000_0001;

#[test]
fn wrap_and_extend() {
    assert_eq!(i32_wrap_i64(0x1_2345_6789), 0x2345_6789);
    assert_eq!(i32_wrap_i64(0xffff_ffff), -1);
    assert_eq!(i32_wrap_i64(i64::MIN), 0);
    assert_eq!(i64_extend_i32_s(-1), -1);
    assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
    assert_eq!(i64_extend_i32_s(i32::MIN), -(1 << 31));
    assert_eq!(i64_extend_i32_u(i32::MIN), 1 << 31);
}

// Each boundary test checks, for one conversion, the largest in-range and the
// smallest out-of-range float on both ends, plus NaN and infinities.

#[test]
fn i32_trunc_f32_s_boundaries() {
    let lo = -2_147_483_648.0_f32; // -2^31: valid; next below (-2^31 - 256) traps
    let hi = 2_147_483_648.0_f32; // 2^31: traps; next below is 2^31 - 128
    assert_eq!(i32_trunc_f32_s(lo), Ok(i32::MIN));
    assert_eq!(i32_trunc_f32_s(down32(lo)), Err(OVERFLOW));
    assert_eq!(i32_trunc_f32_s(down32(hi)), Ok(2_147_483_520));
    assert_eq!(i32_trunc_f32_s(hi), Err(OVERFLOW));
    assert_eq!(i32_trunc_f32_s(-0.9), Ok(0));
    assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
    assert_eq!(i32_trunc_f32_s(f32::NAN), Err(INVALID));
    assert_eq!(i32_trunc_f32_s(-f32::from_bits(SNAN32)), Err(INVALID));
    assert_eq!(i32_trunc_f32_s(f32::INFINITY), Err(OVERFLOW));
    assert_eq!(i32_trunc_f32_s(-f32::INFINITY), Err(OVERFLOW));
}

#[test]
fn i32_trunc_f32_u_boundaries() {
    let hi = 4_294_967_296.0_f32; // 2^32
    assert_eq!(i32_trunc_f32_u(down32(hi)), Ok(-256)); // 2^32 - 256
    assert_eq!(i32_trunc_f32_u(hi), Err(OVERFLOW));
    assert_eq!(i32_trunc_f32_u(up32(-1.0)), Ok(0)); // -0.99999994
    assert_eq!(i32_trunc_f32_u(-1.0), Err(OVERFLOW));
    assert_eq!(i32_trunc_f32_u(-0.0), Ok(0));
    assert_eq!(i32_trunc_f32_u(f32::NAN), Err(INVALID));
    assert_eq!(i32_trunc_f32_u(-f32::INFINITY), Err(OVERFLOW));
}

#[test]
fn i32_trunc_f64_s_boundaries() {
    let below = -2_147_483_649.0_f64; // -2^31 - 1: traps; anything above it is valid
    assert_eq!(i32_trunc_f64_s(up64(below)), Ok(i32::MIN));
    assert_eq!(i32_trunc_f64_s(below), Err(OVERFLOW));
    assert_eq!(i32_trunc_f64_s(-2_147_483_648.9), Ok(i32::MIN));
    assert_eq!(i32_trunc_f64_s(2_147_483_647.9), Ok(i32::MAX));
    assert_eq!(i32_trunc_f64_s(down64(2_147_483_648.0)), Ok(i32::MAX));
    assert_eq!(i32_trunc_f64_s(2_147_483_648.0), Err(OVERFLOW));
    assert_eq!(i32_trunc_f64_s(f64::NAN), Err(INVALID));
    assert_eq!(i32_trunc_f64_s(f64::INFINITY), Err(OVERFLOW));
}

#[test]
fn i32_trunc_f64_u_boundaries() {
    assert_eq!(i32_trunc_f64_u(4_294_967_295.9), Ok(-1));
    assert_eq!(i32_trunc_f64_u(down64(4_294_967_296.0)), Ok(-1));
    assert_eq!(i32_trunc_f64_u(4_294_967_296.0), Err(OVERFLOW));
    assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
    assert_eq!(i32_trunc_f64_u(up64(-1.0)), Ok(0));
    assert_eq!(i32_trunc_f64_u(-1.0), Err(OVERFLOW));
    assert_eq!(i32_trunc_f64_u(f64::NAN), Err(INVALID));
    assert_eq!(i32_trunc_f64_u(-f64::INFINITY), Err(OVERFLOW));
}

#[test]
fn i64_trunc_f32_s_boundaries() {
    let lo = -9_223_372_036_854_775_808.0_f32; // -2^63
    let hi = 9_223_372_036_854_775_808.0_f32; // 2^63
    assert_eq!(i64_trunc_f32_s(lo), Ok(i64::MIN));
    assert_eq!(i64_trunc_f32_s(down32(lo)), Err(OVERFLOW));
    assert_eq!(i64_trunc_f32_s(down32(hi)), Ok(9_223_371_487_098_961_920)); // 2^63 - 2^39
    assert_eq!(i64_trunc_f32_s(hi), Err(OVERFLOW));
    assert_eq!(i64_trunc_f32_s(f32::NAN), Err(INVALID));
    assert_eq!(i64_trunc_f32_s(-f32::INFINITY), Err(OVERFLOW));
}

#[test]
fn i64_trunc_f32_u_boundaries() {
    let hi = 18_446_744_073_709_551_616.0_f32; // 2^64
    assert_eq!(i64_trunc_f32_u(down32(hi)), Ok(-(1 << 40))); // 2^64 - 2^40
    assert_eq!(i64_trunc_f32_u(hi), Err(OVERFLOW));
    assert_eq!(i64_trunc_f32_u(up32(-1.0)), Ok(0));
    assert_eq!(i64_trunc_f32_u(-1.0), Err(OVERFLOW));
    assert_eq!(i64_trunc_f32_u(f32::NAN), Err(INVALID));
    assert_eq!(i64_trunc_f32_u(f32::INFINITY), Err(OVERFLOW));
}

#[test]
fn i64_trunc_f64_s_boundaries() {
    let lo = -9_223_372_036_854_775_808.0_f64; // -2^63
    let hi = 9_223_372_036_854_775_808.0_f64; // 2^63
    assert_eq!(i64_trunc_f64_s(lo), Ok(i64::MIN));
    assert_eq!(i64_trunc_f64_s(down64(lo)), Err(OVERFLOW)); // -2^63 - 2048
    assert_eq!(i64_trunc_f64_s(down64(hi)), Ok(i64::MAX - 1023)); // 2^63 - 1024
    assert_eq!(i64_trunc_f64_s(hi), Err(OVERFLOW));
    assert_eq!(i64_trunc_f64_s(f64::NAN), Err(INVALID));
    assert_eq!(i64_trunc_f64_s(-f64::INFINITY), Err(OVERFLOW));
}

#[test]
fn i64_trunc_f64_u_boundaries() {
    let hi = 18_446_744_073_709_551_616.0_f64; // 2^64
    assert_eq!(i64_trunc_f64_u(down64(hi)), Ok(-2048)); // 2^64 - 2048
    assert_eq!(i64_trunc_f64_u(hi), Err(OVERFLOW));
    assert_eq!(i64_trunc_f64_u(-0.9), Ok(0));
    assert_eq!(i64_trunc_f64_u(up64(-1.0)), Ok(0));
    assert_eq!(i64_trunc_f64_u(-1.0), Err(OVERFLOW));
    assert_eq!(i64_trunc_f64_u(f64::NAN), Err(INVALID));
    assert_eq!(i64_trunc_f64_u(f64::INFINITY), Err(OVERFLOW));
}

#[test]
fn saturating_truncations_clamp_at_every_boundary_and_map_nan_to_zero() {
    let (p31_32, p32_32, p63_32, p64_32) = (
        2_147_483_648.0_f32,
        4_294_967_296.0_f32,
        9_223_372_036_854_775_808.0_f32,
        18_446_744_073_709_551_616.0_f32,
    );
    let (p31, p32, p63, p64) = (
        f64::from(p31_32),
        f64::from(p32_32),
        f64::from(p63_32),
        f64::from(p64_32),
    );

    assert_eq!(i32_trunc_sat_f32_s(down32(p31_32)), 2_147_483_520);
    assert_eq!(i32_trunc_sat_f32_s(p31_32), i32::MAX);
    assert_eq!(i32_trunc_sat_f32_s(-p31_32), i32::MIN);
    assert_eq!(i32_trunc_sat_f32_s(down32(-p31_32)), i32::MIN);
    assert_eq!(i32_trunc_sat_f32_u(down32(p32_32)), -256);
    assert_eq!(i32_trunc_sat_f32_u(p32_32), -1);
    assert_eq!(i32_trunc_sat_f32_u(up32(-1.0)), 0);
    assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);

    assert_eq!(i32_trunc_sat_f64_s(down64(p31)), i32::MAX);
    assert_eq!(i32_trunc_sat_f64_s(p31), i32::MAX);
    assert_eq!(i32_trunc_sat_f64_s(up64(-p31 - 1.0)), i32::MIN);
    assert_eq!(i32_trunc_sat_f64_s(-p31 - 1.0), i32::MIN);
    assert_eq!(i32_trunc_sat_f64_u(down64(p32)), -1);
    assert_eq!(i32_trunc_sat_f64_u(p32), -1);
    assert_eq!(i32_trunc_sat_f64_u(up64(-1.0)), 0);
    assert_eq!(i32_trunc_sat_f64_u(-1.0), 0);

    assert_eq!(
        i64_trunc_sat_f32_s(down32(p63_32)),
        9_223_371_487_098_961_920
    );
    assert_eq!(i64_trunc_sat_f32_s(p63_32), i64::MAX);
    assert_eq!(i64_trunc_sat_f32_s(-p63_32), i64::MIN);
    assert_eq!(i64_trunc_sat_f32_s(down32(-p63_32)), i64::MIN);
    assert_eq!(i64_trunc_sat_f32_u(down32(p64_32)), -(1 << 40));
    assert_eq!(i64_trunc_sat_f32_u(p64_32), -1);
    assert_eq!(i64_trunc_sat_f32_u(up32(-1.0)), 0);
    assert_eq!(i64_trunc_sat_f32_u(-1.0), 0);

    assert_eq!(i64_trunc_sat_f64_s(down64(p63)), i64::MAX - 1023);
    assert_eq!(i64_trunc_sat_f64_s(p63), i64::MAX);
    assert_eq!(i64_trunc_sat_f64_s(-p63), i64::MIN);
    assert_eq!(i64_trunc_sat_f64_s(down64(-p63)), i64::MIN);
    assert_eq!(i64_trunc_sat_f64_u(down64(p64)), -2048);
    assert_eq!(i64_trunc_sat_f64_u(p64), -1);
    assert_eq!(i64_trunc_sat_f64_u(up64(-1.0)), 0);
    assert_eq!(i64_trunc_sat_f64_u(-1.0), 0);

    for nan32 in [f32::NAN, -f32::NAN, f32::from_bits(SNAN32)] {
        assert_eq!(i32_trunc_sat_f32_s(nan32), 0);
        assert_eq!(i32_trunc_sat_f32_u(nan32), 0);
        assert_eq!(i64_trunc_sat_f32_s(nan32), 0);
        assert_eq!(i64_trunc_sat_f32_u(nan32), 0);
    }
    for nan64 in [f64::NAN, -f64::NAN, f64::from_bits(SNAN64)] {
        assert_eq!(i32_trunc_sat_f64_s(nan64), 0);
        assert_eq!(i32_trunc_sat_f64_u(nan64), 0);
        assert_eq!(i64_trunc_sat_f64_s(nan64), 0);
        assert_eq!(i64_trunc_sat_f64_u(nan64), 0);
    }
    assert_eq!(i32_trunc_sat_f32_s(f32::INFINITY), i32::MAX);
    assert_eq!(i64_trunc_sat_f64_u(-f64::INFINITY), 0);
}

#[test]
fn saturating_and_trapping_truncations_agree_wherever_the_trapping_one_succeeds() {
    let samples32 = [
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.9,
        -1.9,
        1e9,
        -1e9,
        3e9,
        1e18,
        -1e18,
        1.5e19,
        f32::MIN_POSITIVE,
    ];
    for x in samples32 {
        if let Ok(v) = i32_trunc_f32_s(x) {
            assert_eq!(i32_trunc_sat_f32_s(x), v, "{x}")
        }
        if let Ok(v) = i32_trunc_f32_u(x) {
            assert_eq!(i32_trunc_sat_f32_u(x), v, "{x}")
        }
        if let Ok(v) = i64_trunc_f32_s(x) {
            assert_eq!(i64_trunc_sat_f32_s(x), v, "{x}")
        }
        if let Ok(v) = i64_trunc_f32_u(x) {
            assert_eq!(i64_trunc_sat_f32_u(x), v, "{x}")
        }
    }
    for x in samples32
        .map(f64::from)
        .into_iter()
        .chain([4_294_967_295.5, -2_147_483_648.5, 1.8e19])
    {
        if let Ok(v) = i32_trunc_f64_s(x) {
            assert_eq!(i32_trunc_sat_f64_s(x), v, "{x}")
        }
        if let Ok(v) = i32_trunc_f64_u(x) {
            assert_eq!(i32_trunc_sat_f64_u(x), v, "{x}")
        }
        if let Ok(v) = i64_trunc_f64_s(x) {
            assert_eq!(i64_trunc_sat_f64_s(x), v, "{x}")
        }
        if let Ok(v) = i64_trunc_f64_u(x) {
            assert_eq!(i64_trunc_sat_f64_u(x), v, "{x}")
        }
    }
}

/// Reference rounding of a u64 to f32 by hand: keep 24 significant bits, round half to even.
fn u64_to_f32_reference(x: u64) -> f32 {
    if x == 0 {
        return 0.0;
    }
    let shift = (64 - x.leading_zeros()).saturating_sub(24);
    let mut mantissa = x >> shift;
    let rest = x & ((1u64 << shift) - 1);
    let half = if shift == 0 { 0 } else { 1u64 << (shift - 1) };
    if shift > 0 && (rest > half || (rest == half && mantissa & 1 == 1)) {
        mantissa += 1;
    }
    // mantissa < 2^25 and shift <= 40: the product is exact in f32 (a power-of-two scaling).
    mantissa as f32 * 2f32.powi(shift as i32)
}

#[test]
fn u64_and_i64_to_f32_round_once_to_nearest_even() {
    // The classic double-rounding traps: rounding first to f64 then to f32 would be wrong.
    let cases: [u64; 10] = [
        0x8000_0080_0000_0001, // just above a tie: rounds up
        0x8000_0080_0000_0000, // exact tie, even below: rounds down
        0x8000_0180_0000_0000, // exact tie, odd below: rounds up
        0x8000_017f_ffff_ffff, // just below a tie: rounds down
        0x0020_0000_2000_0001, // 2^53 + 2^29 + 1: f64 would round it to a tie first
        0xffff_ff80_0000_0000, // tie at the top: rounds to 2^64
        0xffff_ff7f_ffff_ffff,
        u64::MAX,
        1 << 24 | 1,
        (1 << 24) + 3,
    ];
    for x in cases {
        assert_eq!(
            f32_convert_i64_u(x as i64).to_bits(),
            u64_to_f32_reference(x).to_bits(),
            "{x:#x}"
        );
    }
    assert_eq!(
        f32_convert_i64_u(0x8000_0080_0000_0001_u64 as i64).to_bits(),
        0x5f00_0001
    );
    assert_eq!(
        f32_convert_i64_u(0x8000_0080_0000_0000_u64 as i64).to_bits(),
        0x5f00_0000
    );
    assert_eq!(f32_convert_i64_u(-1), 18_446_744_073_709_551_616.0);
    // Signed: the magnitude rounds the same way, with the sign applied.
    for x in [
        0x0020_0000_2000_0001_i64,
        0x7fff_ff80_0000_0000,
        i64::MAX,
        (1 << 24) + 1,
    ] {
        assert_eq!(
            f32_convert_i64_s(-x).to_bits(),
            (-u64_to_f32_reference(x as u64)).to_bits(),
            "{x:#x}"
        );
        assert_eq!(
            f32_convert_i64_s(x).to_bits(),
            u64_to_f32_reference(x as u64).to_bits(),
            "{x:#x}"
        );
    }
    assert_eq!(f32_convert_i64_s(i64::MIN), -9_223_372_036_854_775_808.0);
}

#[test]
fn int_to_float_conversions_round_to_nearest_even() {
    assert_eq!(f32_convert_i32_s(16_777_217), 16_777_216.0); // 2^24 + 1: tie to even
    assert_eq!(f32_convert_i32_s(16_777_219), 16_777_220.0); // 2^24 + 3: tie, odd below
    assert_eq!(f32_convert_i32_s(i32::MIN), -2_147_483_648.0);
    assert_eq!(f32_convert_i32_s(i32::MAX), 2_147_483_648.0);
    assert_eq!(f32_convert_i32_u(-1), 4_294_967_296.0);
    assert_eq!(f32_convert_i32_u(i32::MIN), 2_147_483_648.0);
    assert_eq!(f64_convert_i32_s(i32::MIN), -2_147_483_648.0);
    assert_eq!(f64_convert_i32_u(-1), 4_294_967_295.0);
    assert_eq!(
        f64_convert_i64_s(9_007_199_254_740_993),
        9_007_199_254_740_992.0
    ); // 2^53 + 1
    assert_eq!(
        f64_convert_i64_s(9_007_199_254_740_995),
        9_007_199_254_740_996.0
    ); // 2^53 + 3
    assert_eq!(f64_convert_i64_s(i64::MIN), -9_223_372_036_854_775_808.0);
    assert_eq!(f64_convert_i64_u(-1), 18_446_744_073_709_551_616.0);
    assert_eq!(
        f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64).to_bits(),
        0x43e0_0000_0000_0001
    );
    assert_eq!(
        f64_convert_i64_u(0x8000_0000_0000_0400_u64 as i64).to_bits(),
        0x43e0_0000_0000_0000
    );
    assert_eq!(f32_convert_i32_s(0).to_bits(), 0); // +0, never -0
    assert_eq!(f64_convert_i64_s(0).to_bits(), 0);
}

#[test]
fn demote_rounds_to_nearest_even_with_overflow_and_subnormals() {
    let max32 = f64::from(f32::MAX);
    // f32::MAX plus just under half an ulp stays; half an ulp (a tie, odd below) overflows.
    let half_ulp = 2f64.powi(127 - 24);
    assert_eq!(f32_demote_f64(max32 + half_ulp / 2.0), f32::MAX);
    assert_eq!(f32_demote_f64(down64(max32 + half_ulp)), f32::MAX);
    assert_eq!(f32_demote_f64(max32 + half_ulp), f32::INFINITY);
    assert_eq!(f32_demote_f64(-(max32 + half_ulp)), -f32::INFINITY);
    assert_eq!(f32_demote_f64(f64::MAX), f32::INFINITY);
    assert_eq!(f32_demote_f64(f64::INFINITY), f32::INFINITY);
    // Subnormal results: the smallest f32 subnormal is 2^-149.
    let tiny = 2f64.powi(-149);
    assert_eq!(f32_demote_f64(tiny).to_bits(), 1);
    assert_eq!(f32_demote_f64(tiny / 2.0).to_bits(), 0); // tie, rounds to even zero
    assert_eq!(f32_demote_f64(up64(tiny / 2.0)).to_bits(), 1);
    assert_eq!(f32_demote_f64(-tiny / 2.0).to_bits(), 0x8000_0000); // -0
    assert_eq!(f32_demote_f64(tiny * 1.5).to_bits(), 2); // tie, odd below: up
    assert_eq!(f32_demote_f64(f64::MIN_POSITIVE).to_bits(), 0);
    assert_eq!(f32_demote_f64(-0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_demote_f64(1.0 + 2f64.powi(-24)), 1.0); // tie to even
    assert_eq!(
        f32_demote_f64(1.0 + 3.0 * 2f64.powi(-24)),
        1.0 + 2.0 * f32::EPSILON
    );
}

#[test]
fn promote_is_exact_and_demote_inverts_it() {
    for bits in [
        0,
        1,
        0x007f_ffff,
        0x0080_0000,
        0x3f80_0001,
        0x7f7f_ffff,
        0x7f80_0000,
        0x8000_0001,
        0xff7f_ffff,
    ] {
        let x = f32::from_bits(bits);
        let wide = f64_promote_f32(x);
        assert_eq!(wide, f64::from(x));
        assert_eq!(f32_demote_f64(wide).to_bits(), bits, "{bits:#x}");
    }
    assert_eq!(f64_promote_f32(f32::from_bits(1)), 2f64.powi(-149));
    assert_eq!(f64_promote_f32(-0.0).to_bits(), 1 << 63);
}

#[test]
fn demote_and_promote_keep_nan_sign_and_high_payload_and_set_the_quiet_bit() {
    // Promotion: payload shifted to the top of the f64 significand.
    assert_eq!(
        f64_promote_f32(f32::from_bits(SNAN32)).to_bits(),
        0x7ff8_0000_2000_0000
    );
    assert_eq!(
        f64_promote_f32(f32::from_bits(SNAN32 | 1 << 31)).to_bits(),
        0xfff8_0000_2000_0000
    );
    assert_eq!(
        f64_promote_f32(f32::from_bits(0x7fc0_0000)).to_bits(),
        0x7ff8_0000_0000_0000
    );
    assert_eq!(
        f64_promote_f32(f32::from_bits(0xffff_ffff)).to_bits(),
        0xffff_ffff_e000_0000
    );
    // Demotion: the low 29 payload bits are dropped, the high ones kept.
    assert_eq!(
        f32_demote_f64(f64::from_bits(SNAN64)).to_bits(),
        0x7fc0_0001
    );
    assert_eq!(
        f32_demote_f64(f64::from_bits(SNAN64 | 1 << 63)).to_bits(),
        0xffc0_0001
    );
    // A signalling NaN whose payload lives only in the dropped bits still comes out a NaN.
    assert_eq!(
        f32_demote_f64(f64::from_bits(0x7ff0_0000_0000_0001)).to_bits(),
        0x7fc0_0000
    );
    assert_eq!(
        f32_demote_f64(f64::from_bits(0x7ff8_0000_0000_0000)).to_bits(),
        0x7fc0_0000
    );
    assert_eq!(
        f32_demote_f64(f64::from_bits(0x7fff_ffff_ffff_ffff)).to_bits(),
        0x7fff_ffff
    );
    // Round trip of a quiet f32 NaN is the identity.
    let q = f32::from_bits(0xffd2_3456);
    assert_eq!(f32_demote_f64(f64_promote_f32(q)).to_bits(), q.to_bits());
}

#[test]
fn reinterpret_is_a_bit_cast_both_ways() {
    for bits in [0_u32, 0x8000_0000, 0x7f80_0001, 0xffc0_1234, 0x3f80_0000] {
        let x = f32_reinterpret_i32(bits as i32);
        assert_eq!(x.to_bits(), bits);
        assert_eq!(i32_reinterpret_f32(x), bits as i32);
    }
    for bits in [
        0_u64,
        1 << 63,
        0x7ff0_0000_0000_0001,
        0xfff8_0000_0000_1234,
        0x3ff0_0000_0000_0000,
    ] {
        let x = f64_reinterpret_i64(bits as i64);
        assert_eq!(x.to_bits(), bits);
        assert_eq!(i64_reinterpret_f64(x), bits as i64);
    }
    assert_eq!(i32_reinterpret_f32(-0.0), i32::MIN);
    assert_eq!(i64_reinterpret_f64(1.0), 0x3ff0_0000_0000_0000);
}

/// A small deterministic xorshift generator, so property tests need no dependency and never flake.
struct Bits(u64);

impl Bits {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The spec's truncation, computed in `i128` (which holds every in-range result and then some).
fn reference_trunc(x: f64, min: i128, max: i128) -> Result<i128, NumericTrap> {
    if x.is_nan() {
        return Err(INVALID);
    }
    // `as i128` saturates, far outside every target range, so out-of-range stays out of range.
    let t = x.trunc() as i128;
    if (min..=max).contains(&t) {
        Ok(t)
    } else {
        Err(OVERFLOW)
    }
}

#[test]
fn trapping_truncations_match_an_i128_reference_on_random_floats() {
    let (i32r, u32r) = ((i32::MIN.into(), i32::MAX.into()), (0, u32::MAX.into()));
    let (i64r, u64r) = ((i64::MIN.into(), i64::MAX.into()), (0, u64::MAX.into()));
    let mut rng = Bits(0x2545_f491_4f6c_dd1d);
    for _ in 0..200_000 {
        let r = rng.next();
        // Exponents near the 2^31..2^64 boundaries are the interesting ones.
        let exponent = 1023 + 28 + (r >> 52) % 40; // 2^28 ..= 2^67
        let x64 = f64::from_bits((r & 0x800f_ffff_ffff_ffff) | exponent << 52);
        let x64 = if r.is_multiple_of(3) {
            f64::from_bits(r)
        } else {
            x64
        };
        let x32 = f32::from_bits((r >> 32) as u32);
        let x32 = if r.is_multiple_of(5) { x32 } else { x64 as f32 };
        let w = f64::from(x32);
        let wide = |v: Result<i32, NumericTrap>, signed: bool| {
            v.map(|v| {
                if signed {
                    i128::from(v)
                } else {
                    i128::from(v as u32)
                }
            })
        };
        let wide64 = |v: Result<i64, NumericTrap>, signed: bool| {
            v.map(|v| {
                if signed {
                    i128::from(v)
                } else {
                    i128::from(v as u64)
                }
            })
        };
        assert_eq!(
            wide(i32_trunc_f32_s(x32), true),
            reference_trunc(w, i32r.0, i32r.1),
            "{x32:e}"
        );
        assert_eq!(
            wide(i32_trunc_f32_u(x32), false),
            reference_trunc(w, u32r.0, u32r.1),
            "{x32:e}"
        );
        assert_eq!(
            wide64(i64_trunc_f32_s(x32), true),
            reference_trunc(w, i64r.0, i64r.1),
            "{x32:e}"
        );
        assert_eq!(
            wide64(i64_trunc_f32_u(x32), false),
            reference_trunc(w, u64r.0, u64r.1),
            "{x32:e}"
        );
        assert_eq!(
            wide(i32_trunc_f64_s(x64), true),
            reference_trunc(x64, i32r.0, i32r.1),
            "{x64:e}"
        );
        assert_eq!(
            wide(i32_trunc_f64_u(x64), false),
            reference_trunc(x64, u32r.0, u32r.1),
            "{x64:e}"
        );
        assert_eq!(
            wide64(i64_trunc_f64_s(x64), true),
            reference_trunc(x64, i64r.0, i64r.1),
            "{x64:e}"
        );
        assert_eq!(
            wide64(i64_trunc_f64_u(x64), false),
            reference_trunc(x64, u64r.0, u64r.1),
            "{x64:e}"
        );
    }
}

#[test]
fn u64_to_f32_matches_the_reference_rounding_on_random_values() {
    let mut rng = Bits(0x0dde_fa11_cafe_f00d);
    for _ in 0..200_000 {
        let r = rng.next();
        // Vary the magnitude so every rounding position is exercised.
        let x = r >> (rng.next() % 64);
        assert_eq!(
            f32_convert_i64_u(x as i64).to_bits(),
            u64_to_f32_reference(x).to_bits(),
            "{x:#x}"
        );
        let s = x as i64;
        let expected = if s < 0 {
            -u64_to_f32_reference(s.unsigned_abs())
        } else {
            u64_to_f32_reference(s as u64)
        };
        assert_eq!(f32_convert_i64_s(s).to_bits(), expected.to_bits(), "{s:#x}");
    }
}
