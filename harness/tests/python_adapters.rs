//! The Python adapters (`adapters/`, run inside the binary by `--engine
//! wasm3` / `--engine wasmtime-py`) on a script that crosses the protocol
//! with every kind of value and outcome they support. Needs `pip install
//! pywasm3 wasmtime`; CI installs them and sets `TOUCHSTONE_REQUIRE_ADAPTERS=1`
//! so that a missing package fails instead of skipping.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_touchstone");

const SCRIPT: &str = r#"(module $M
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "wide") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
  (func (export "f32-id") (param f32) (result f32) local.get 0)
  (func (export "f64-neg") (param f64) (result f64) local.get 0 f64.neg)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func $deep (export "deep") (result i32) call $deep)
  (global (export "g") i64 (i64.const -5)))
(register "M" $M)
(assert_return (invoke "add" (i32.const -1) (i32.const 3)) (i32.const 2))
(assert_return (invoke "wide" (i64.const 9223372036854775806)) (i64.const 9223372036854775807))
(assert_return (invoke "f32-id" (f32.const nan:0x200000)) (f32.const nan:0x200000))
(assert_return (invoke "f64-neg" (f64.const 0)) (f64.const -0))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "deep") "call stack exhausted")
(assert_return (get "g") (i64.const -5))
(module
  (import "M" "add" (func $add (param i32 i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (func (export "add-via-import") (result i32) i32.const 40 i32.const 2 call $add)
  (func (export "print") i32.const 1 call $print))
(assert_return (invoke "add-via-import") (i32.const 42))
(assert_return (invoke "print"))
(assert_unlinkable (module (import "M" "nonesuch" (func))) "unknown import")
(assert_malformed (module binary "\00asm\01\00\00") "unexpected end")
"#;

/// Runs the script on `engine`: each directive's (line, outcome), or
/// `None` when the engine's Python package is missing (and not required).
fn run(engine: &str) -> Option<Vec<(u64, String)>> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("python_adapters/{engine}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("values.wast"), SCRIPT).unwrap();
    let json = dir.join("report.json");
    let out = Command::new(BIN)
        .arg("test")
        .arg(dir.join("values.wast"))
        .args(["--engine", engine, "--quiet", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    if out.status.code() == Some(2) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("pip install"), "no install hint: {err}");
        if std::env::var_os("TOUCHSTONE_REQUIRE_ADAPTERS").is_some() {
            panic!("{engine} is required here: {err}");
        }
        eprintln!("NOT RUN: {err}");
        return None;
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let file = &report["runs"][0]["files"][0];
    Some(
        file["assertions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["line"].as_u64().unwrap(),
                    a["outcome"].as_str().unwrap().to_string(),
                )
            })
            .collect(),
    )
}

fn failing(outcomes: &[(u64, String)]) -> Vec<(u64, &str)> {
    outcomes
        .iter()
        .filter(|(_, o)| o != "pass")
        .map(|(l, o)| (*l, o.as_str()))
        .collect()
}

// Both Python APIs pass floats as Python floats (doubles): widening an f32
// signalling NaN quiets it, so line 12 fails through either binding.

#[test]
fn wasmtime_py_passes_all_but_the_signalling_nan() {
    let Some(outcomes) = run("wasmtime-py") else {
        return;
    };
    assert_eq!(outcomes.len(), 14);
    assert_eq!(failing(&outcomes), [(12, "fail")]);
}

#[test]
fn wasm3_passes_all_but_the_signalling_nan() {
    let Some(outcomes) = run("wasm3") else { return };
    assert_eq!(outcomes.len(), 14);
    assert_eq!(failing(&outcomes), [(12, "fail")]);
}
