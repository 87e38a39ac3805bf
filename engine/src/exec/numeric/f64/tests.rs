//! Edge cases of the `f64` operators: NaN rules, signed zeros, rounding.
//! (The same suite as `f32/tests.rs`, for `f64`.)

use super::*;

/// The exponent field, all ones (infinity / NaN).
const EXP_BITS: u64 = 0x7ff0_0000_0000_0000;
/// The sign bit.
const SIGN: u64 = 1 << (u64::BITS - 1);
/// A signalling NaN with a distinctive payload.
const SNAN_BITS: u64 = EXP_BITS | 0x15;
/// A quiet NaN with a distinctive payload, negative.
const QNAN_NEG_BITS: u64 = SIGN | EXP_BITS | QUIET_BIT | 0x2a;

fn f(bits: u64) -> f64 {
    f64::from_bits(bits)
}

fn bits(x: f64) -> u64 {
    x.to_bits()
}

/// Asserts two floats are the same bits (so `-0 != +0` and NaNs compare by payload).
#[track_caller]
fn assert_bits(actual: f64, expected: f64) {
    assert_eq!(
        bits(actual),
        bits(expected),
        "{actual:e} vs {expected:e} ({:#x} vs {:#x})",
        bits(actual),
        bits(expected)
    );
}

type Binary = fn(f64, f64) -> f64;
type Unary = fn(f64) -> f64;

const ARITH_BINARY: [(&str, Binary); 6] = [
    ("add", add),
    ("sub", sub),
    ("mul", mul),
    ("div", div),
    ("min", min),
    ("max", max),
];
const ARITH_UNARY: [(&str, Unary); 5] = [
    ("sqrt", sqrt),
    ("ceil", ceil),
    ("floor", floor),
    ("trunc", trunc),
    ("nearest", nearest),
];

#[test]
fn nan_helpers_classify_payloads() {
    assert!(is_canonical_nan(canonical_nan()));
    assert!(is_canonical_nan(neg(canonical_nan())));
    assert!(is_arithmetic_nan(canonical_nan()));
    assert!(!is_arithmetic_nan(f(SNAN_BITS)));
    assert!(!is_canonical_nan(f(QNAN_NEG_BITS)));
    assert!(is_arithmetic_nan(f(QNAN_NEG_BITS)));
    assert!(!is_arithmetic_nan(f64::INFINITY));
    assert_eq!(bits(quieten(f(SNAN_BITS))), SNAN_BITS | QUIET_BIT);
}

#[test]
fn signalling_nan_operand_comes_out_quiet_with_its_payload() {
    for (name, op) in ARITH_BINARY {
        for other in [1.5, -0.0, f64::INFINITY, f64::MIN_POSITIVE] {
            assert_eq!(
                bits(op(f(SNAN_BITS), other)),
                SNAN_BITS | QUIET_BIT,
                "{name}(snan, {other})"
            );
            assert_eq!(
                bits(op(other, f(SNAN_BITS))),
                SNAN_BITS | QUIET_BIT,
                "{name}({other}, snan)"
            );
            assert_eq!(
                bits(op(other, f(QNAN_NEG_BITS))),
                QNAN_NEG_BITS,
                "{name}({other}, -qnan)"
            );
        }
    }
    for (name, op) in ARITH_UNARY {
        assert_eq!(
            bits(op(f(SNAN_BITS))),
            SNAN_BITS | QUIET_BIT,
            "{name}(snan)"
        );
        assert_eq!(bits(op(f(QNAN_NEG_BITS))), QNAN_NEG_BITS, "{name}(-qnan)");
        assert!(is_arithmetic_nan(op(f(SNAN_BITS))), "{name}");
    }
}

#[test]
fn first_nan_operand_wins_when_both_are_nan() {
    for (name, op) in ARITH_BINARY {
        assert_eq!(
            bits(op(f(SNAN_BITS), f(QNAN_NEG_BITS))),
            SNAN_BITS | QUIET_BIT,
            "{name}"
        );
        assert_eq!(
            bits(op(f(QNAN_NEG_BITS), f(SNAN_BITS))),
            QNAN_NEG_BITS,
            "{name}"
        );
    }
}

#[test]
fn nan_from_non_nan_operands_is_the_positive_canonical_nan() {
    let inf = f64::INFINITY;
    let cases = [
        sub(inf, inf),
        add(inf, -inf),
        add(-inf, inf),
        mul(0.0, inf),
        mul(-inf, -0.0),
        div(0.0, 0.0),
        div(-0.0, 0.0),
        div(inf, -inf),
        sqrt(-1.0),
        sqrt(-f64::from_bits(1)),
        sqrt(-inf),
    ];
    for (i, r) in cases.into_iter().enumerate() {
        assert_eq!(bits(r), CANONICAL_NAN_BITS, "case {i}");
    }
}

#[test]
fn min_and_max_order_signed_zeros_and_propagate_nan() {
    assert_bits(min(0.0, -0.0), -0.0);
    assert_bits(min(-0.0, 0.0), -0.0);
    assert_bits(max(0.0, -0.0), 0.0);
    assert_bits(max(-0.0, 0.0), 0.0);
    assert_bits(min(-0.0, -0.0), -0.0);
    assert_bits(max(0.0, 0.0), 0.0);
    assert_bits(min(-f64::INFINITY, f64::MIN), -f64::INFINITY);
    assert_bits(max(f64::INFINITY, f64::MAX), f64::INFINITY);
    assert_bits(min(1.0, 2.0), 1.0);
    assert_bits(max(-1.0, -2.0), -1.0);
    // Unlike IEEE minNum, a NaN operand never loses to a number.
    assert!(min(1.0, f(SNAN_BITS)).is_nan());
    assert!(max(f(QNAN_NEG_BITS), -f64::INFINITY).is_nan());
}

#[test]
fn rounding_operators_keep_the_sign_of_zero_results() {
    assert_bits(ceil(-0.5), -0.0);
    assert_bits(ceil(-0.0), -0.0);
    assert_bits(ceil(0.5), 1.0);
    assert_bits(ceil(-1.5), -1.0);
    assert_bits(floor(0.5), 0.0);
    assert_bits(floor(-0.5), -1.0);
    assert_bits(floor(-0.0), -0.0);
    assert_bits(trunc(-0.7), -0.0);
    assert_bits(trunc(1.9), 1.0);
    assert_bits(trunc(-1.9), -1.0);
    assert_bits(nearest(-0.5), -0.0);
    assert_bits(nearest(0.5), 0.0);
    assert_bits(nearest(-0.0), -0.0);
    assert_bits(nearest(-f64::from_bits(1)), -0.0);
}

#[test]
fn nearest_rounds_half_to_even() {
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
        assert_bits(nearest(x), expected);
    }
    // The largest value below 0.5 must not round up (a naive floor(x + 0.5) does).
    let below_half = f(bits(0.5) - 1);
    assert_bits(nearest(below_half), 0.0);
    assert_bits(nearest(-below_half), -0.0);
    // Values with no fractional bits are returned unchanged.
    let big = 1.0 / f64::EPSILON + 1.0; // 2^(m) + 1: odd integer at the edge of precision
    for op in [nearest, ceil, floor, trunc] {
        assert_bits(op(big), big);
        assert_bits(op(-big), -big);
        assert_bits(op(f64::INFINITY), f64::INFINITY);
        assert_bits(op(-f64::INFINITY), -f64::INFINITY);
        assert_bits(op(f64::MAX), f64::MAX);
    }
}

#[test]
fn sign_operators_are_bit_operations_that_keep_nan_payloads() {
    assert_eq!(bits(neg(f(SNAN_BITS))), SNAN_BITS | SIGN);
    assert_eq!(bits(abs(f(QNAN_NEG_BITS))), QNAN_NEG_BITS & !SIGN);
    assert_eq!(bits(abs(f(SNAN_BITS))), SNAN_BITS);
    assert_eq!(bits(copysign(f(SNAN_BITS), -1.0)), SNAN_BITS | SIGN);
    assert_eq!(bits(copysign(f(QNAN_NEG_BITS), 0.0)), QNAN_NEG_BITS & !SIGN);
    assert_bits(copysign(2.0, f(QNAN_NEG_BITS)), -2.0);
    assert_bits(copysign(-2.0, f(SNAN_BITS)), 2.0);
    assert_bits(copysign(0.0, -0.0), -0.0);
    assert_bits(copysign(-0.0, 0.0), 0.0);
    assert_bits(neg(0.0), -0.0);
    assert_bits(abs(-0.0), 0.0);
    assert_bits(abs(-f64::INFINITY), f64::INFINITY);
}

#[test]
fn sqrt_of_signed_zero_and_infinity() {
    assert_bits(sqrt(-0.0), -0.0);
    assert_bits(sqrt(0.0), 0.0);
    assert_bits(sqrt(f64::INFINITY), f64::INFINITY);
    assert_bits(sqrt(4.0), 2.0);
    // Correct rounding: sqrt(2)^2 is not exactly 2, but sqrt(x*x) == x for exact squares.
    let x = 1.0 + f64::EPSILON;
    assert_bits(sqrt(mul(x, x)), x);
}

#[test]
fn arithmetic_rounds_to_nearest_even_and_keeps_subnormals() {
    let half_ulp = f64::EPSILON / 2.0;
    // A tie goes to the even neighbour (1.0), a hair above it rounds up.
    assert_bits(add(1.0, half_ulp), 1.0);
    assert_bits(add(1.0, f(bits(half_ulp) + 1)), 1.0 + f64::EPSILON);
    assert_bits(add(1.0 + f64::EPSILON, half_ulp), 1.0 + 2.0 * f64::EPSILON);
    // Subnormals are neither flushed on input nor on output.
    let tiny = f(1);
    assert_bits(add(tiny, tiny), f(2));
    assert_bits(mul(tiny, 1.0), tiny);
    assert_bits(div(f64::MIN_POSITIVE, 2.0), f(bits(f64::MIN_POSITIVE) / 2));
    assert_bits(mul(tiny, 0.5), 0.0);
    assert_bits(mul(-tiny, 0.5), -0.0);
    // Overflow goes to infinity, exact cancellation to +0.
    assert_bits(mul(f64::MAX, 2.0), f64::INFINITY);
    assert_bits(sub(-f64::MAX, f64::MAX), -f64::INFINITY);
    assert_bits(sub(1.0, 1.0), 0.0);
    assert_bits(add(-0.0, -0.0), -0.0);
    assert_bits(add(-0.0, 0.0), 0.0);
    assert_bits(div(1.0, -0.0), -f64::INFINITY);
}

#[test]
fn comparisons_treat_nan_as_unordered_and_zeros_as_equal() {
    let nan = f(SNAN_BITS);
    for x in [nan, 0.0, f64::INFINITY] {
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
    assert_eq!(
        (
            eq(-0.0, 0.0),
            ne(-0.0, 0.0),
            lt(-0.0, 0.0),
            le(-0.0, 0.0),
            ge(0.0, -0.0)
        ),
        (1, 0, 0, 1, 1)
    );
    assert_eq!(
        (lt(1.0, 2.0), gt(1.0, 2.0), lt(-f64::INFINITY, f64::MIN)),
        (1, 0, 1)
    );
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

    /// Random f64 bit patterns, biased toward the interesting exponents (zero, subnormal, huge, NaN).
    fn next_f64(&mut self) -> f64 {
        let r = self.next();
        match self.next() % 4 {
            0 => f(r),
            1 => f(r & 0x800f_ffff_ffff_ffff), // ±0 or subnormal
            2 => f(r | 0x7fe0_0000_0000_0000), // huge, infinite or NaN
            _ => f((r & 0x801f_ffff_ffff_ffff) | 0x3fe0_0000_0000_0000), // near 1
        }
    }
}

/// Asserts `r` is the NaN our rule prescribes for `operands` (see the module docs).
#[track_caller]
fn check_nan_rule(name: &str, operands: &[f64], r: f64) {
    if let Some(first) = operands.iter().find(|x| x.is_nan()) {
        assert_eq!(bits(r), bits(*first) | QUIET_BIT, "{name}{operands:?}");
    } else {
        assert_eq!(bits(r), CANONICAL_NAN_BITS, "{name}{operands:?}");
    }
}

#[test]
fn nan_rule_holds_on_random_arithmetic() {
    // No wider type gives an exact reference here; non-NaN results are the host's
    // IEEE 754 operations, so check the part we add: the NaN choice.
    let mut rng = Bits(0x9e37_79b9_7f4a_7c15);
    for _ in 0..200_000 {
        let (a, b) = (rng.next_f64(), rng.next_f64());
        let cases: [(&str, f64, &[f64]); 5] = [
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

#[test]
fn rounding_min_max_follow_their_definitions_on_random_inputs() {
    let mut rng = Bits(0x0123_4567_89ab_cdef);
    for _ in 0..200_000 {
        let (a, b) = (rng.next_f64(), rng.next_f64());
        if a.is_nan() || b.is_nan() {
            check_nan_rule("min", &[a, b], min(a, b));
            check_nan_rule("max", &[a, b], max(a, b));
        } else {
            // Total order restricted to non-NaN values: -0 sorts below +0 as the spec wants.
            let (lo, hi) = if a.total_cmp(&b).is_le() {
                (a, b)
            } else {
                (b, a)
            };
            assert_bits(min(a, b), lo);
            assert_bits(max(a, b), hi);
        }
        if a.is_nan() {
            for (name, op) in ARITH_UNARY {
                check_nan_rule(name, &[a], op(a));
            }
            continue;
        }
        // Integral results: each is the nearest integer in its direction, sign of zero kept.
        let (c, fl, t, n) = (ceil(a), floor(a), trunc(a), nearest(a));
        for r in [c, fl, t, n] {
            assert_eq!(r, r.trunc(), "{a:e} -> {r:e} is not integral");
            assert_eq!(
                r.is_sign_negative(),
                a.is_sign_negative(),
                "{a:e} -> {r:e} changed sign"
            );
        }
        if a.abs() >= 1.0 / f64::EPSILON {
            // Every float this large is already an integer (and infinities stay put).
            assert!([c, fl, t, n].iter().all(|r| bits(*r) == bits(a)), "{a:e}");
            continue;
        }
        // Below 2^52 these sums and differences are exact.
        let x = a;
        assert!(c >= x && c - 1.0 < x && fl <= x && fl + 1.0 > x, "{a:e}");
        assert!(t.abs() <= x.abs() && t.abs() + 1.0 > x.abs(), "{a:e}");
        let dist = (n - x).abs();
        assert!(dist <= 0.5, "{a:e}");
        if dist == 0.5 {
            assert_eq!(n % 2.0, 0.0, "tie {a:e} not rounded to even");
        }
    }
}
