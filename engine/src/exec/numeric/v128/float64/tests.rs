//! `f64x2` edge cases: NaN lanes, signed zeros, pmin/pmax vs min/max, rounding ties.

use super::super::*;
use crate::exec::numeric::f64 as fp;

fn v(lanes: [f64; 2]) -> V128 {
    V128::from_f64x2(lanes)
}

fn bits(a: V128) -> [u64; 2] {
    a.u64x2()
}

const SNAN: u64 = 0x7ff4_0000_0000_0001;
const NEG_QNAN: u64 = 0xfff8_0000_0000_abcd;
const QUIET: u64 = 0x0008_0000_0000_0000;
const CANONICAL: u64 = 0x7ff8_0000_0000_0000;
const NEG_ZERO: u64 = 0x8000_0000_0000_0000;

fn nan(bits: u64) -> f64 {
    f64::from_bits(bits)
}

type VectorBinary = fn(V128, V128) -> V128;
type ScalarBinary = fn(f64, f64) -> f64;
type VectorUnary = fn(V128) -> V128;
type ScalarUnary = fn(f64) -> f64;

fn samples() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.5,
        2.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        nan(SNAN),
        nan(NEG_QNAN),
        f64::MIN_POSITIVE / 8.0,
        f64::MAX,
        -7.0e-300,
    ]
}

#[test]
fn binary_lanes_match_scalar_operators() {
    let ops: [(VectorBinary, ScalarBinary); 6] = [
        (f64x2_add, fp::add),
        (f64x2_sub, fp::sub),
        (f64x2_mul, fp::mul),
        (f64x2_div, fp::div),
        (f64x2_min, fp::min),
        (f64x2_max, fp::max),
    ];
    let s = samples();
    for (vector, scalar) in ops {
        for pair in s.windows(2) {
            for &b in &s {
                let a = [pair[0], pair[1]];
                let want = a.map(|x| scalar(x, b).to_bits());
                assert_eq!(bits(vector(v(a), v([b; 2]))), want, "{a:?} op {b}");
            }
        }
    }
}

#[test]
fn unary_lanes_match_scalar_operators() {
    let ops: [(VectorUnary, ScalarUnary); 7] = [
        (f64x2_abs, fp::abs),
        (f64x2_neg, fp::neg),
        (f64x2_sqrt, fp::sqrt),
        (f64x2_ceil, fp::ceil),
        (f64x2_floor, fp::floor),
        (f64x2_trunc, fp::trunc),
        (f64x2_nearest, fp::nearest),
    ];
    for (vector, scalar) in ops {
        for pair in samples().windows(2) {
            let a = [pair[0], pair[1]];
            assert_eq!(bits(vector(v(a))), a.map(|x| scalar(x).to_bits()), "{a:?}");
        }
    }
}

#[test]
fn nan_lanes_follow_the_deterministic_rule() {
    let r = f64x2_mul(v([nan(SNAN), 2.0]), v([nan(NEG_QNAN), nan(SNAN)]));
    assert_eq!(bits(r), [SNAN | QUIET, SNAN | QUIET]);
    let r = f64x2_div(v([0.0, f64::INFINITY]), v([-0.0, f64::NEG_INFINITY]));
    assert_eq!(bits(r), [CANONICAL, CANONICAL]);
    assert_eq!(
        bits(f64x2_neg(v([nan(SNAN), 0.0]))),
        [SNAN | NEG_ZERO, NEG_ZERO]
    );
}

#[test]
fn pmin_pmax_return_an_operand_unchanged() {
    let (a, b) = (v([nan(SNAN), -0.0]), v([1.0, 0.0]));
    assert_eq!(bits(f64x2_pmin(a, b)), [SNAN, NEG_ZERO]);
    assert_eq!(bits(f64x2_pmax(a, b)), [SNAN, NEG_ZERO]);
    assert_eq!(bits(f64x2_pmin(b, a)), [1.0f64.to_bits(), 0]);
    assert_eq!(bits(f64x2_pmax(b, a)), [1.0f64.to_bits(), 0]);
    assert_eq!(bits(f64x2_min(a, b)), [SNAN | QUIET, NEG_ZERO]);
    assert_eq!(bits(f64x2_max(a, b)), [SNAN | QUIET, 0]);
    let (x, y) = (v([1.0, -2.0]), v([2.0, -3.0]));
    assert_eq!(f64x2_pmin(x, y).f64x2(), [1.0, -3.0]);
    assert_eq!(f64x2_pmax(x, y).f64x2(), [2.0, -2.0]);
}

#[test]
fn rounding_ties_and_signed_zeros() {
    assert_eq!(f64x2_nearest(v([2.5, -3.5])).f64x2(), [2.0, -4.0]);
    assert_eq!(bits(f64x2_nearest(v([-0.5, 0.5]))), [NEG_ZERO, 0]);
    assert_eq!(
        bits(f64x2_ceil(v([-0.25, 0.25]))),
        [NEG_ZERO, 1.0f64.to_bits()]
    );
    assert_eq!(f64x2_floor(v([-0.25, 0.25])).f64x2(), [-1.0, 0.0]);
    let big = 4_503_599_627_370_497.0f64; // 2^52 + 1: already an integer
    assert_eq!(f64x2_nearest(v([big, -big])).f64x2(), [big, -big]);
    assert_eq!(f64x2_trunc(v([-1.9, 1.9])).f64x2(), [-1.0, 1.0]);
}

#[test]
fn comparisons_with_nan_and_zeros() {
    let (a, b) = (v([nan(CANONICAL), 0.0]), v([1.0, -0.0]));
    assert_eq!(f64x2_eq(a, b).i64x2(), [0, -1]);
    assert_eq!(f64x2_ne(a, b).i64x2(), [-1, 0]);
    assert_eq!(f64x2_lt(a, b).i64x2(), [0, 0]);
    assert_eq!(f64x2_le(a, b).i64x2(), [0, -1]);
    assert_eq!(f64x2_gt(a, b).i64x2(), [0, 0]);
    assert_eq!(f64x2_ge(a, b).i64x2(), [0, -1]);
    let (a, b) = (v([-1.0, f64::INFINITY]), v([1.0, f64::MAX]));
    assert_eq!(f64x2_lt(a, b).i64x2(), [-1, 0]);
    assert_eq!(f64x2_gt(a, b).i64x2(), [0, -1]);
}
