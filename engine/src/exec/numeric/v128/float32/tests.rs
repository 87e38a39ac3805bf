//! `f32x4` edge cases: NaN lanes, signed zeros, pmin/pmax vs min/max, rounding ties.

use super::super::*;
use crate::exec::numeric::f32 as fp;

fn v(lanes: [f32; 4]) -> V128 {
    V128::from_f32x4(lanes)
}

fn bits(a: V128) -> [u32; 4] {
    a.u32x4()
}

const SNAN: u32 = 0x7fa0_0001; // signalling NaN with a payload
const NEG_QNAN: u32 = 0xffc0_1234;

fn nan(bits: u32) -> f32 {
    f32::from_bits(bits)
}

/// Interesting lane values: zeros, infinities, NaNs, subnormals, ordinary numbers.
type VectorBinary = fn(V128, V128) -> V128;
type ScalarBinary = fn(f32, f32) -> f32;
type VectorUnary = fn(V128) -> V128;
type ScalarUnary = fn(f32) -> f32;

fn samples() -> Vec<f32> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.5,
        2.5,
        f32::INFINITY,
        f32::NEG_INFINITY,
        nan(SNAN),
        nan(NEG_QNAN),
        f32::MIN_POSITIVE / 4.0,
        f32::MAX,
        -3.0e-20,
    ]
}

/// Every binary lane operator gives the scalar operator's bits, lane by lane.
#[test]
fn binary_lanes_match_scalar_operators() {
    let ops: [(VectorBinary, ScalarBinary); 6] = [
        (f32x4_add, fp::add),
        (f32x4_sub, fp::sub),
        (f32x4_mul, fp::mul),
        (f32x4_div, fp::div),
        (f32x4_min, fp::min),
        (f32x4_max, fp::max),
    ];
    let s = samples();
    for (vector, scalar) in ops {
        for chunk_a in s.chunks(4).filter(|c| c.len() == 4) {
            for &b in &s {
                let a: [f32; 4] = chunk_a.try_into().unwrap();
                let got = bits(vector(v(a), v([b; 4])));
                let want = a.map(|x| scalar(x, b).to_bits());
                assert_eq!(got, want, "{a:?} op {b}");
            }
        }
    }
}

#[test]
fn unary_lanes_match_scalar_operators() {
    let ops: [(VectorUnary, ScalarUnary); 7] = [
        (f32x4_abs, fp::abs),
        (f32x4_neg, fp::neg),
        (f32x4_sqrt, fp::sqrt),
        (f32x4_ceil, fp::ceil),
        (f32x4_floor, fp::floor),
        (f32x4_trunc, fp::trunc),
        (f32x4_nearest, fp::nearest),
    ];
    let s = samples();
    for (vector, scalar) in ops {
        for chunk in s.windows(4) {
            let a: [f32; 4] = chunk.try_into().unwrap();
            assert_eq!(bits(vector(v(a))), a.map(|x| scalar(x).to_bits()), "{a:?}");
        }
    }
}

#[test]
fn nan_lanes_follow_the_deterministic_rule() {
    // First NaN operand wins, quietened, payload and sign kept.
    let r = f32x4_add(
        v([nan(SNAN), 1.0, nan(NEG_QNAN), 0.0]),
        v([nan(NEG_QNAN), nan(SNAN), 1.0, 0.0]),
    );
    assert_eq!(
        bits(r),
        [SNAN | 0x0040_0000, SNAN | 0x0040_0000, NEG_QNAN, 0]
    );
    // No NaN operand: positive canonical NaN.
    let r = f32x4_sub(v([f32::INFINITY; 4]), v([f32::INFINITY; 4]));
    assert_eq!(bits(r), [0x7fc0_0000; 4]);
    assert_eq!(bits(f32x4_sqrt(v([-1.0; 4]))), [0x7fc0_0000; 4]);
    // abs/neg only touch the sign bit, even of a signalling NaN.
    assert_eq!(bits(f32x4_neg(v([nan(SNAN); 4]))), [SNAN | 0x8000_0000; 4]);
    assert_eq!(
        bits(f32x4_abs(v([nan(NEG_QNAN); 4]))),
        [NEG_QNAN & 0x7fff_ffff; 4]
    );
}

#[test]
fn pmin_pmax_return_an_operand_unchanged() {
    let a = v([nan(SNAN), 1.0, 0.0, -0.0]);
    let b = v([1.0, nan(NEG_QNAN), -0.0, 0.0]);
    // `b < a` is false for NaN and for equal zeros, so `a` is returned as is.
    assert_eq!(
        bits(f32x4_pmin(a, b)),
        [SNAN, 1.0f32.to_bits(), 0, 0x8000_0000]
    );
    assert_eq!(
        bits(f32x4_pmax(a, b)),
        [SNAN, 1.0f32.to_bits(), 0, 0x8000_0000]
    );
    assert_eq!(
        bits(f32x4_pmin(b, a)),
        [1.0f32.to_bits(), NEG_QNAN, 0x8000_0000, 0]
    );
    // min/max instead propagate NaN and order -0 < +0.
    assert_eq!(
        bits(f32x4_min(a, b)),
        [SNAN | 0x0040_0000, NEG_QNAN, 0x8000_0000, 0x8000_0000]
    );
    assert_eq!(bits(f32x4_max(a, b)), [SNAN | 0x0040_0000, NEG_QNAN, 0, 0]);
    let (x, y) = (
        v([1.0, -2.0, 3.0, f32::NEG_INFINITY]),
        v([2.0, -3.0, 3.0, 0.0]),
    );
    assert_eq!(
        f32x4_pmin(x, y).f32x4(),
        [1.0, -3.0, 3.0, f32::NEG_INFINITY]
    );
    assert_eq!(f32x4_pmax(x, y).f32x4(), [2.0, -2.0, 3.0, 0.0]);
}

#[test]
fn rounding_ties_and_signed_zeros() {
    let a = v([0.5, 1.5, 2.5, -0.5]);
    assert_eq!(
        bits(f32x4_nearest(a)),
        [0, 2.0f32.to_bits(), 2.0f32.to_bits(), 0x8000_0000]
    );
    assert_eq!(bits(f32x4_ceil(v([-0.5; 4]))), [0x8000_0000; 4]);
    assert_eq!(f32x4_floor(a).f32x4(), [0.0, 1.0, 2.0, -1.0]);
    assert_eq!(bits(f32x4_trunc(v([-0.9; 4]))), [0x8000_0000; 4]);
    // 2^23 + 0.5 is not representable: large values are already integers.
    let big = 8_388_609.0f32;
    assert_eq!(f32x4_nearest(v([big; 4])).f32x4(), [big; 4]);
}

#[test]
fn comparisons_with_nan_and_zeros() {
    let a = v([nan(SNAN), 0.0, 1.0, -1.0]);
    let b = v([nan(SNAN), -0.0, 2.0, -1.0]);
    assert_eq!(f32x4_eq(a, b).i32x4(), [0, -1, 0, -1]);
    assert_eq!(f32x4_ne(a, b).i32x4(), [-1, 0, -1, 0]);
    assert_eq!(f32x4_lt(a, b).i32x4(), [0, 0, -1, 0]);
    assert_eq!(f32x4_le(a, b).i32x4(), [0, -1, -1, -1]);
    assert_eq!(f32x4_gt(a, b).i32x4(), [0, 0, 0, 0]);
    assert_eq!(f32x4_ge(a, b).i32x4(), [0, -1, 0, -1]);
}
