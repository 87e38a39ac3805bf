//! Edge cases of the float operators: NaN rules, signed zeros, rounding.
//!
//! Every test here is generic over the width; [`float_suite!`] runs the whole
//! suite as `#[test]`s in `f32/tests.rs` and `f64/tests.rs`, which add the
//! checks only one width allows. Bit patterns are handled as `u64` (an `f32`'s
//! zero-extended), so one set of bit tricks serves both widths.

use core::fmt::{Debug, LowerExp};
use core::ops::Neg;

use super::*;

/// What the tests need of a float type beyond [`Float`].
pub(crate) trait Sample:
    Float<Bits: Into<u64>> + Debug + LowerExp + Neg<Output = Self>
{
    const INFINITY: Self;
    const MAX: Self;
    const MIN: Self;
    const MIN_POSITIVE: Self;
    const EPSILON: Self;
    /// The value of this type nearest to `x` (exact for the literals used here).
    fn lit(x: f64) -> Self;
    /// The same value as an `f64` (exact).
    fn widen(self) -> f64;
    /// The value whose bits are the low bits of `bits`.
    fn from_u64(bits: u64) -> Self;
}

macro_rules! impl_sample {
    ($f:ident, $bits:ident) => {
        impl Sample for $f {
            const INFINITY: Self = $f::INFINITY;
            const MAX: Self = $f::MAX;
            const MIN: Self = $f::MIN;
            const MIN_POSITIVE: Self = $f::MIN_POSITIVE;
            const EPSILON: Self = $f::EPSILON;
            fn lit(x: f64) -> Self {
                x as $f
            }
            fn widen(self) -> f64 {
                self.into()
            }
            fn from_u64(bits: u64) -> Self {
                $f::from_bits(bits as $bits)
            }
        }
    };
}
impl_sample!(f32, u32);
impl_sample!(f64, u64);

/// Defines every generic test of this file as a `#[test]` on the float type `$f`.
macro_rules! float_suite {
    ($f:ident) => {
        $crate::exec::numeric::float::tests::float_suite! { @tests $f;
            nan_helpers_classify_payloads,
            signalling_nan_operand_comes_out_quiet_with_its_payload,
            first_nan_operand_wins_when_both_are_nan,
            nan_from_non_nan_operands_is_the_positive_canonical_nan,
            min_and_max_order_signed_zeros_and_propagate_nan,
            rounding_operators_keep_the_sign_of_zero_results,
            nearest_rounds_half_to_even,
            sign_operators_are_bit_operations_that_keep_nan_payloads,
            sqrt_of_signed_zero_and_infinity,
            arithmetic_rounds_to_nearest_even_and_keeps_subnormals,
            comparisons_treat_nan_as_unordered_and_zeros_as_equal,
            nan_rule_holds_on_random_arithmetic,
            rounding_min_max_follow_their_definitions_on_random_inputs,
        }
    };
    (@tests $f:ident; $($test:ident),* $(,)?) => {$(
        #[test]
        fn $test() {
            $crate::exec::numeric::float::tests::$test::<$f>();
        }
    )*};
}
pub(crate) use float_suite;

/// The float with the low bits of `bits`.
pub(crate) fn f<F: Sample>(bits: u64) -> F {
    F::from_u64(bits)
}

/// The bits of `x`, zero-extended.
pub(crate) fn bits<F: Sample>(x: F) -> u64 {
    x.to_bits().into()
}

/// The exponent field, all ones (infinity / NaN).
fn exp_bits<F: Sample>() -> u64 {
    bits(F::INFINITY)
}

/// The sign bit.
fn sign<F: Sample>() -> u64 {
    bits(F::lit(-0.0))
}

fn quiet<F: Sample>() -> u64 {
    F::QUIET_BIT.into()
}

fn canonical<F: Sample>() -> u64 {
    F::CANONICAL_NAN_BITS.into()
}

/// A signalling NaN with a distinctive payload.
fn snan<F: Sample>() -> u64 {
    exp_bits::<F>() | 0x15
}

/// A quiet NaN with a distinctive payload, negative.
fn qnan_neg<F: Sample>() -> u64 {
    sign::<F>() | exp_bits::<F>() | quiet::<F>() | 0x2a
}

/// Asserts two floats are the same bits (so `-0 != +0` and NaNs compare by payload).
#[track_caller]
fn assert_bits<F: Sample>(actual: F, expected: F) {
    assert_eq!(
        bits(actual),
        bits(expected),
        "{actual:e} vs {expected:e} ({:#x} vs {:#x})",
        bits(actual),
        bits(expected)
    );
}

/// Shorthand for a literal of the type under test.
fn v<F: Sample>(x: f64) -> F {
    F::lit(x)
}

type Binary<F> = fn(F, F) -> F;
type Unary<F> = fn(F) -> F;

fn arith_binary<F: Float>() -> [(&'static str, Binary<F>); 6] {
    [
        ("add", add),
        ("sub", sub),
        ("mul", mul),
        ("div", div),
        ("min", min),
        ("max", max),
    ]
}

fn arith_unary<F: Float>() -> [(&'static str, Unary<F>); 5] {
    [
        ("sqrt", sqrt),
        ("ceil", ceil),
        ("floor", floor),
        ("trunc", trunc),
        ("nearest", nearest),
    ]
}

pub(crate) fn nan_helpers_classify_payloads<F: Sample>() {
    let (snan, qnan_neg) = (snan::<F>(), qnan_neg::<F>());
    assert!(is_canonical_nan::<F>(canonical_nan()));
    assert!(is_canonical_nan(neg::<F>(canonical_nan())));
    assert!(is_arithmetic_nan::<F>(canonical_nan()));
    assert!(!is_arithmetic_nan::<F>(f(snan)));
    assert!(!is_canonical_nan::<F>(f(qnan_neg)));
    assert!(is_arithmetic_nan::<F>(f(qnan_neg)));
    assert!(!is_arithmetic_nan(F::INFINITY));
    assert_eq!(bits(quieten::<F>(f(snan))), snan | quiet::<F>());
}

pub(crate) fn signalling_nan_operand_comes_out_quiet_with_its_payload<F: Sample>() {
    let (snan, qnan_neg, quiet) = (snan::<F>(), qnan_neg::<F>(), quiet::<F>());
    for (name, op) in arith_binary::<F>() {
        for other in [v(1.5), v(-0.0), F::INFINITY, F::MIN_POSITIVE] {
            assert_eq!(
                bits(op(f(snan), other)),
                snan | quiet,
                "{name}(snan, {other:?})"
            );
            assert_eq!(
                bits(op(other, f(snan))),
                snan | quiet,
                "{name}({other:?}, snan)"
            );
            assert_eq!(
                bits(op(other, f(qnan_neg))),
                qnan_neg,
                "{name}({other:?}, -qnan)"
            );
        }
    }
    for (name, op) in arith_unary::<F>() {
        assert_eq!(bits(op(f(snan))), snan | quiet, "{name}(snan)");
        assert_eq!(bits(op(f(qnan_neg))), qnan_neg, "{name}(-qnan)");
        assert!(is_arithmetic_nan(op(f(snan))), "{name}");
    }
}

pub(crate) fn first_nan_operand_wins_when_both_are_nan<F: Sample>() {
    let (snan, qnan_neg, quiet) = (snan::<F>(), qnan_neg::<F>(), quiet::<F>());
    for (name, op) in arith_binary::<F>() {
        assert_eq!(bits(op(f(snan), f(qnan_neg))), snan | quiet, "{name}");
        assert_eq!(bits(op(f(qnan_neg), f(snan))), qnan_neg, "{name}");
    }
}

pub(crate) fn nan_from_non_nan_operands_is_the_positive_canonical_nan<F: Sample>() {
    let inf = F::INFINITY;
    let cases = [
        sub(inf, inf),
        add(inf, -inf),
        add(-inf, inf),
        mul(v(0.0), inf),
        mul(-inf, v(-0.0)),
        div(v(0.0), v(0.0)),
        div(v(-0.0), v(0.0)),
        div(inf, -inf),
        sqrt(v(-1.0)),
        sqrt(-f::<F>(1)),
        sqrt(-inf),
    ];
    for (i, r) in cases.into_iter().enumerate() {
        assert_eq!(bits(r), canonical::<F>(), "case {i}");
    }
}

pub(crate) fn min_and_max_order_signed_zeros_and_propagate_nan<F: Sample>() {
    let (zero, neg_zero) = (v::<F>(0.0), v::<F>(-0.0));
    assert_bits(min(zero, neg_zero), neg_zero);
    assert_bits(min(neg_zero, zero), neg_zero);
    assert_bits(max(zero, neg_zero), zero);
    assert_bits(max(neg_zero, zero), zero);
    assert_bits(min(neg_zero, neg_zero), neg_zero);
    assert_bits(max(zero, zero), zero);
    assert_bits(min(-F::INFINITY, F::MIN), -F::INFINITY);
    assert_bits(max(F::INFINITY, F::MAX), F::INFINITY);
    assert_bits(min::<F>(v(1.0), v(2.0)), v(1.0));
    assert_bits(max::<F>(v(-1.0), v(-2.0)), v(-1.0));
    // Unlike IEEE minNum, a NaN operand never loses to a number.
    assert!(min(v(1.0), f::<F>(snan::<F>())).is_nan());
    assert!(max(f::<F>(qnan_neg::<F>()), -F::INFINITY).is_nan());
}

pub(crate) fn rounding_operators_keep_the_sign_of_zero_results<F: Sample>() {
    let cases: [(Unary<F>, f64, f64); 13] = [
        (ceil, -0.5, -0.0),
        (ceil, -0.0, -0.0),
        (ceil, 0.5, 1.0),
        (ceil, -1.5, -1.0),
        (floor, 0.5, 0.0),
        (floor, -0.5, -1.0),
        (floor, -0.0, -0.0),
        (trunc, -0.7, -0.0),
        (trunc, 1.9, 1.0),
        (trunc, -1.9, -1.0),
        (nearest, -0.5, -0.0),
        (nearest, 0.5, 0.0),
        (nearest, -0.0, -0.0),
    ];
    for (op, x, expected) in cases {
        assert_bits(op(v(x)), v(expected));
    }
    assert_bits(nearest(-f::<F>(1)), v(-0.0));
}

pub(crate) fn nearest_rounds_half_to_even<F: Sample>() {
    for (x, expected) in [
        (1.5, 2.0),
        (2.5, 2.0),
        (3.5, 4.0),
        (-2.5, -2.0),
        (-3.5, -4.0),
        (4.5, 4.0),
        (1.4, 1.0),
        (-1.6, -2.0),
    ] {
        assert_bits(nearest::<F>(v(x)), v(expected));
    }
    // The largest value below 0.5 must not round up (a naive floor(x + 0.5) does).
    let below_half = f::<F>(bits(v::<F>(0.5)) - 1);
    assert_bits(nearest(below_half), v(0.0));
    assert_bits(nearest(-below_half), v(-0.0));
    // Values with no fractional bits are returned unchanged.
    let big = v::<F>(1.0) / F::EPSILON + v(1.0); // 2^(m) + 1: odd integer at the edge of precision
    let ops: [Unary<F>; 4] = [nearest, ceil, floor, trunc];
    for op in ops {
        assert_bits(op(big), big);
        assert_bits(op(-big), -big);
        assert_bits(op(F::INFINITY), F::INFINITY);
        assert_bits(op(-F::INFINITY), -F::INFINITY);
        assert_bits(op(F::MAX), F::MAX);
    }
}

pub(crate) fn sign_operators_are_bit_operations_that_keep_nan_payloads<F: Sample>() {
    let (snan, qnan_neg, sign) = (snan::<F>(), qnan_neg::<F>(), sign::<F>());
    assert_eq!(bits(neg::<F>(f(snan))), snan | sign);
    assert_eq!(bits(abs::<F>(f(qnan_neg))), qnan_neg & !sign);
    assert_eq!(bits(abs::<F>(f(snan))), snan);
    assert_eq!(bits(copysign::<F>(f(snan), v(-1.0))), snan | sign);
    assert_eq!(bits(copysign::<F>(f(qnan_neg), v(0.0))), qnan_neg & !sign);
    assert_bits(copysign::<F>(v(2.0), f(qnan_neg)), v(-2.0));
    assert_bits(copysign::<F>(v(-2.0), f(snan)), v(2.0));
    assert_bits(copysign::<F>(v(0.0), v(-0.0)), v(-0.0));
    assert_bits(copysign::<F>(v(-0.0), v(0.0)), v(0.0));
    assert_bits(neg::<F>(v(0.0)), v(-0.0));
    assert_bits(abs::<F>(v(-0.0)), v(0.0));
    assert_bits(abs(-F::INFINITY), F::INFINITY);
}

pub(crate) fn sqrt_of_signed_zero_and_infinity<F: Sample>() {
    assert_bits(sqrt::<F>(v(-0.0)), v(-0.0));
    assert_bits(sqrt::<F>(v(0.0)), v(0.0));
    assert_bits(sqrt(F::INFINITY), F::INFINITY);
    assert_bits(sqrt::<F>(v(4.0)), v(2.0));
    // Correct rounding: sqrt(2)^2 is not exactly 2, but sqrt(x*x) == x for exact squares.
    let x = v::<F>(1.0) + F::EPSILON;
    assert_bits(sqrt(mul(x, x)), x);
}

pub(crate) fn arithmetic_rounds_to_nearest_even_and_keeps_subnormals<F: Sample>() {
    let (one, two, eps) = (v::<F>(1.0), v::<F>(2.0), F::EPSILON);
    let half_ulp = eps / two;
    // A tie goes to the even neighbour (1.0), a hair above it rounds up.
    assert_bits(add(one, half_ulp), one);
    assert_bits(add(one, f(bits(half_ulp) + 1)), one + eps);
    assert_bits(add(one + eps, half_ulp), one + two * eps);
    // Subnormals are neither flushed on input nor on output.
    let tiny = f::<F>(1);
    assert_bits(add(tiny, tiny), f(2));
    assert_bits(mul(tiny, one), tiny);
    assert_bits(div(F::MIN_POSITIVE, two), f(bits(F::MIN_POSITIVE) / 2));
    assert_bits(mul(tiny, v(0.5)), v(0.0));
    assert_bits(mul(-tiny, v(0.5)), v(-0.0));
    // Overflow goes to infinity, exact cancellation to +0.
    assert_bits(mul(F::MAX, two), F::INFINITY);
    assert_bits(sub(-F::MAX, F::MAX), -F::INFINITY);
    assert_bits(sub(one, one), v(0.0));
    assert_bits(add::<F>(v(-0.0), v(-0.0)), v(-0.0));
    assert_bits(add::<F>(v(-0.0), v(0.0)), v(0.0));
    assert_bits(div(one, v(-0.0)), -F::INFINITY);
}

pub(crate) fn comparisons_treat_nan_as_unordered_and_zeros_as_equal<F: Sample>() {
    let nan = f::<F>(snan::<F>());
    for x in [nan, v(0.0), F::INFINITY] {
        assert_eq!((eq(nan, x), ne(nan, x)), (0, 1));
        assert_eq!(
            (lt(nan, x), gt(nan, x), le(nan, x), ge(nan, x)),
            (0, 0, 0, 0)
        );
        assert_eq!(
            (lt(x, nan), gt(x, nan), le(x, nan), ge(x, nan)),
            (0, 0, 0, 0)
        );
    }
    let (zero, neg_zero) = (v::<F>(0.0), v::<F>(-0.0));
    assert_eq!(
        (
            eq(neg_zero, zero),
            ne(neg_zero, zero),
            lt(neg_zero, zero),
            le(neg_zero, zero),
            ge(zero, neg_zero)
        ),
        (1, 0, 0, 1, 1)
    );
    assert_eq!(
        (
            lt::<F>(v(1.0), v(2.0)),
            gt::<F>(v(1.0), v(2.0)),
            lt(-F::INFINITY, F::MIN)
        ),
        (1, 0, 1)
    );
}

/// A small deterministic xorshift generator, so property tests need no dependency and never flake.
pub(crate) struct Xorshift(pub(crate) u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Random float bit patterns, biased toward the interesting exponents (zero, subnormal, huge, NaN).
    pub(crate) fn next_float<F: Sample>(&mut self) -> F {
        let raw = self.next();
        let (sign, exp, quiet) = (sign::<F>(), exp_bits::<F>(), quiet::<F>());
        // The quiet bit is the top significand bit, so the exponent's lowest bit is just above it.
        let (significand, low_exp) = (2 * quiet - 1, 2 * quiet);
        f(match self.next() % 4 {
            0 => raw,
            1 => raw & (sign | significand), // ±0 or subnormal
            2 => raw | (exp - low_exp),      // huge, infinite or NaN
            _ => (raw & (sign | low_exp | significand)) | bits(v::<F>(0.5)), // near 1
        })
    }
}

/// Asserts `r` is the NaN our rule prescribes for `operands` (see the `f32` module docs).
#[track_caller]
fn check_nan_rule<F: Sample>(name: &str, operands: &[F], r: F) {
    if let Some(first) = operands.iter().find(|x| x.is_nan()) {
        assert_eq!(bits(r), bits(*first) | quiet::<F>(), "{name}{operands:?}");
    } else {
        assert_eq!(bits(r), canonical::<F>(), "{name}{operands:?}");
    }
}

pub(crate) fn nan_rule_holds_on_random_arithmetic<F: Sample>() {
    // Non-NaN results are the host's IEEE 754 operations (checked against an
    // exact reference where a wider type allows it); check the part we add: the NaN choice.
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..200_000 {
        let (a, b) = (rng.next_float::<F>(), rng.next_float::<F>());
        let cases: [(&str, F, &[F]); 5] = [
            ("add", add(a, b), &[a, b]),
            ("sub", sub(a, b), &[a, b]),
            ("mul", mul(a, b), &[a, b]),
            ("div", div(a, b), &[a, b]),
            ("sqrt", sqrt(a), &[a]),
        ];
        for (name, ours, operands) in cases {
            if ours.is_nan() {
                check_nan_rule(name, operands, ours);
            }
        }
    }
}

pub(crate) fn rounding_min_max_follow_their_definitions_on_random_inputs<F: Sample>() {
    let mut rng = Xorshift(0x0123_4567_89ab_cdef);
    for _ in 0..200_000 {
        let (a, b) = (rng.next_float::<F>(), rng.next_float::<F>());
        if a.is_nan() || b.is_nan() {
            check_nan_rule("min", &[a, b], min(a, b));
            check_nan_rule("max", &[a, b], max(a, b));
        } else {
            // Total order restricted to non-NaN values: -0 sorts below +0 as the spec wants.
            let (lo, hi) = if a.widen().total_cmp(&b.widen()).is_le() {
                (a, b)
            } else {
                (b, a)
            };
            assert_bits(min(a, b), lo);
            assert_bits(max(a, b), hi);
        }
        if a.is_nan() {
            for (name, op) in arith_unary::<F>() {
                check_nan_rule(name, &[a], op(a));
            }
            continue;
        }
        // Integral results: each is the nearest integer in its direction, sign of zero kept.
        let (c, fl, t, n) = (ceil(a), floor(a), trunc(a), nearest(a));
        for r in [c, fl, t, n] {
            assert_eq!(r, r.trunc(), "{a:e} -> {r:e} is not integral");
            assert_eq!(
                bits(r) & sign::<F>(),
                bits(a) & sign::<F>(),
                "{a:e} -> {r:e} changed sign"
            );
        }
        if abs(a) >= v::<F>(1.0) / F::EPSILON {
            // Every float this large is already an integer (and infinities stay put).
            assert!([c, fl, t, n].iter().all(|r| bits(*r) == bits(a)), "{a:e}");
            continue;
        }
        // Below 2^(significand bits) these sums and differences are exact in f64.
        let (x, c, fl, t, n) = (a.widen(), c.widen(), fl.widen(), t.widen(), n.widen());
        assert!(c >= x && c - 1.0 < x && fl <= x && fl + 1.0 > x, "{a:e}");
        assert!(t.abs() <= x.abs() && t.abs() + 1.0 > x.abs(), "{a:e}");
        let dist = (n - x).abs();
        assert!(dist <= 0.5, "{a:e}");
        if dist == 0.5 {
            assert_eq!(n % 2.0, 0.0, "tie {a:e} not rounded to even");
        }
    }
}
