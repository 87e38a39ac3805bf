//! The shared float suite (`float/tests.rs`) on `f32`, plus the check only
//! `f32` allows: an exact reference computed in `f64`.

use super::*;
use crate::exec::numeric::float::tests::{float_suite, Xorshift};

float_suite!(f32);

#[test]
fn basic_arithmetic_matches_exact_f64_computation_rounded_once() {
    // For +, -, *, /, sqrt, computing in f64 and rounding to f32 is exact
    // (53 >= 2 * 24 + 2), giving an independent reference for non-NaN results
    // (NaN results: `nan_rule_holds_on_random_arithmetic`).
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..200_000 {
        let (a, b) = (rng.next_float::<f32>(), rng.next_float::<f32>());
        let (x, y) = (f64::from(a), f64::from(b));
        let cases: [(&str, f32, f64, &[f32]); 5] = [
            ("add", add(a, b), x + y, &[a, b]),
            ("sub", sub(a, b), x - y, &[a, b]),
            ("mul", mul(a, b), x * y, &[a, b]),
            ("div", div(a, b), x / y, &[a, b]),
            ("sqrt", sqrt(a), x.sqrt(), &[a]),
        ];
        for (name, ours, wide, operands) in cases {
            if !wide.is_nan() {
                assert_eq!(
                    ours.to_bits(),
                    (wide as f32).to_bits(),
                    "{name}{operands:?}"
                );
            }
        }
    }
}
