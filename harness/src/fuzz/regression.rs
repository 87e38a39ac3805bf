//! A divergence written as a `.wast` regression: the (reduced) module and
//! the assertions the reference engine's observation makes, which
//! `touchstone test` then runs on any engine.

use std::fmt::Write as _;

use super::observe::{Observation, Step, StepName};
use super::plan::Plan;
use crate::engine::{ErrorKind, Ref, Value, WasmFeatures};
use crate::script_runner::matching::{f32_nan_class, f64_nan_class, NanClass};
use crate::script_runner::values::render_value;

/// The script text. `header` lines become comments at the top; every
/// feature of `features` that `touchstone test` does not turn on by default
/// becomes a `;;! name = true` header, so the script runs as it was
/// generated (a module using wide arithmetic would otherwise be invalid).
pub fn script(
    header: &[String],
    features: WasmFeatures,
    wasm: &[u8],
    plan: &Plan,
    reference: &Observation,
) -> String {
    let mut out = String::new();
    for line in header {
        for l in line.lines() {
            let _ = writeln!(out, ";; {l}");
        }
    }
    let default = crate::suite::features::DEFAULT();
    for (name, flag) in crate::suite::features::named_features() {
        if features.contains(flag) && !default.contains(flag) {
            let _ = writeln!(out, ";;! {} = true", name.replace('-', "_"));
        }
    }
    let module = format!("(module binary {})", bytes_text(wasm));
    let mut module_written = false;
    for (name, step) in &reference.steps {
        let text = match (name, step) {
            (StepName::Compile, Step::Failed(kind, message)) => {
                module_written = true;
                let directive = match kind {
                    ErrorKind::Malformed => "assert_malformed",
                    _ => "assert_invalid",
                };
                format!("({directive}\n  {module}\n  {})", quoted(message))
            }
            (StepName::Instantiate, Step::Failed(_, message)) => {
                module_written = true;
                format!("(assert_trap\n  {module}\n  {})", quoted(message))
            }
            (StepName::Invoke(i), step) => {
                let call = &plan.calls[*i];
                let args: Vec<String> = call.args.iter().map(|a| render_value(a, None)).collect();
                let action = format!("(invoke {} {})", quoted(&call.export), args.join(" "));
                expect(&action, step)
            }
            (StepName::Global(i), step) => {
                expect(&format!("(get {})", quoted(&plan.globals[*i])), step)
            }
            (StepName::Memory(i), Step::Memory { len, digest }) => {
                // A script cannot read a memory directly; its digest stays
                // as a comment for whoever investigates.
                format!(
                    ";; memory {}: {len} bytes, FNV-1a {digest:08x}",
                    quoted(&plan.memories[*i]),
                )
            }
            _ => continue,
        };
        if !module_written {
            let _ = writeln!(out, "{module}");
            module_written = true;
        }
        let _ = writeln!(out, "{text}");
    }
    if !module_written {
        let _ = writeln!(out, "{module}");
    }
    out
}

/// The assertion `action` gives `step`.
fn expect(action: &str, step: &Step) -> String {
    match step {
        Step::Values(values) => {
            let expected: Vec<String> = values.iter().map(pattern).collect();
            format!("(assert_return {action} {})", expected.join(" "))
        }
        Step::Failed(ErrorKind::Exception, _) => format!("(assert_exception {action})"),
        Step::Failed(ErrorKind::Exhaustion, message) => {
            format!("(assert_exhaustion {action} {})", quoted(message))
        }
        Step::Failed(_, message) => format!("(assert_trap {action} {})", quoted(message)),
        Step::Memory { .. } => String::new(),
    }
}

/// The expected-result pattern of a value: NaNs as `nan:arithmetic` /
/// `nan:canonical` (payloads may differ between engines, as the comparison
/// allowed), references by kind.
fn pattern(v: &Value) -> String {
    match *v {
        Value::F32(bits) => match nan_pattern(f32_nan_class(bits)) {
            Some(p) => format!("(f32.const {p})"),
            None => render_value(v, None),
        },
        Value::F64(bits) => match nan_pattern(f64_nan_class(bits)) {
            Some(p) => format!("(f64.const {p})"),
            None => render_value(v, None),
        },
        Value::Ref(Ref::I31(_)) => "(ref.i31)".into(),
        Value::Ref(Ref::Host(_)) | Value::Ref(Ref::Opaque) => "(ref.any)".into(),
        Value::Ref(Ref::Exn) => "(ref.exn)".into(),
        _ => render_value(v, None),
    }
}

/// The pattern a NaN of `class` is written as (`None`: its exact bits).
fn nan_pattern(class: NanClass) -> Option<&'static str> {
    match class {
        NanClass::Canonical => Some("nan:canonical"),
        NanClass::Arithmetic => Some("nan:arithmetic"),
        NanClass::NotNan | NanClass::Signalling => None,
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "\\{b:02x}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// The module as `.wast` string literals, 32 bytes a line.
fn bytes_text(wasm: &[u8]) -> String {
    wasm.chunks(32)
        .map(|chunk| {
            let mut s = String::from("\"");
            for b in chunk {
                let _ = write!(s, "\\{b:02x}");
            }
            s + "\""
        })
        .collect::<Vec<_>>()
        .join("\n    ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::plan::Call;

    #[test]
    fn writes_a_script_the_wast_parser_reads() {
        let wasm = wat::parse_str(
            r#"(module (global (export "g") i32 (i32.const 4))
                 (func (export "f") (param i32) (result f32 i32) (f32.const nan) (local.get 0))
                 (func (export "t") unreachable))"#,
        )
        .unwrap();
        let plan = Plan {
            calls: vec![
                Call {
                    export: "f".into(),
                    args: vec![Value::I32(-3)],
                },
                Call {
                    export: "t".into(),
                    args: vec![],
                },
            ],
            globals: vec!["g".into()],
            memories: vec![],
        };
        let seen = Observation {
            steps: vec![
                (
                    StepName::Invoke(0),
                    Step::Values(vec![Value::F32(0x7fc0_0000), Value::I32(-3)]),
                ),
                (
                    StepName::Invoke(1),
                    Step::Failed(ErrorKind::Trap, "unreachable \"x\"".into()),
                ),
                (StepName::Global(0), Step::Values(vec![Value::I32(4)])),
            ],
        };
        let text = script(
            &["found by a test".into()],
            WasmFeatures::WASM3,
            &wasm,
            &plan,
            &seen,
        );
        assert!(
            text.starts_with(";; found by a test\n(module binary"),
            "{text}"
        );
        assert!(text.contains(r#"(assert_return (invoke "f" (i32.const -3)) (f32.const nan:canonical) (i32.const -3))"#), "{text}");
        assert!(
            text.contains(r#"(assert_trap (invoke "t" ) "unreachable \"x\"")"#),
            "{text}"
        );
        assert!(
            text.contains(r#"(assert_return (get "g") (i32.const 4))"#),
            "{text}"
        );
        let buf = wast::parser::ParseBuffer::new(&text).unwrap();
        wast::parser::parse::<wast::Wast>(&buf).expect("the script parses");
    }

    #[test]
    fn a_script_turns_on_the_features_its_module_was_generated_with() {
        use crate::engine::touchstone::TouchstoneEngine;
        use crate::report::Outcome;
        use crate::script_runner::{run_script, RunOptions};
        use crate::suite::Script;

        let wasm = wat::parse_str(
            r#"(module (func (export "f") (result i64 i64)
                 (i64.add128 (i64.const -1) (i64.const 0) (i64.const 1) (i64.const 0))))"#,
        )
        .unwrap();
        let plan = Plan {
            calls: vec![Call {
                export: "f".into(),
                args: vec![],
            }],
            globals: vec![],
            memories: vec![],
        };
        let seen = Observation {
            steps: vec![(
                StepName::Invoke(0),
                Step::Values(vec![Value::I64(0), Value::I64(1)]),
            )],
        };
        let features = WasmFeatures::WASM3 | WasmFeatures::WIDE_ARITHMETIC;
        let text = script(&[], features, &wasm, &plan, &seen);
        assert!(text.starts_with(";;! wide_arithmetic = true\n"), "{text}");
        let report = run_script(
            &TouchstoneEngine::new(),
            &Script::from_text("fuzz-findings/fuzz-1.wast", text),
            &RunOptions::default(),
        );
        assert_eq!(report.outcome, Outcome::Pass, "{report:?}");
        assert_eq!(report.totals.passed, 2, "{report:?}");
    }
}
