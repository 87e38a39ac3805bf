//! External engines end to end, through the `touchstone` binary: every way
//! an engine process can misbehave (played by `touchstone serve --fault`)
//! costs only the rest of its file, with the reason and the engine's stderr
//! in the report, and the next file runs on a fresh process; `--isolate`
//! gives built-in engines the same containment; and the protocol loses
//! nothing: a suite through `serve` has the same outcome on every
//! directive as in-process. Last, the Python adapters (`adapters/`, run
//! inside the binary by `--engine wasm3` / `--engine wasmtime-py`); they
//! need `pip install pywasm3 wasmtime`: CI installs them and sets
//! `TOUCHSTONE_REQUIRE_ADAPTERS=1` so that a missing package fails the
//! test instead of skipping it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_touchstone");

/// The file the fault strikes in: a pass, the faulty call, one more call.
const FAULTY: &str = r#"(module
  (func (export "ok") (result i32) i32.const 1)
  (func (export "fault") (result i32) i32.const 2))
(assert_return (invoke "ok") (i32.const 1))
(assert_return (invoke "fault") (i32.const 2))
(assert_return (invoke "ok") (i32.const 1))
"#;

/// Runs after the faulty file (paths are sorted, `--jobs 1`): must pass.
const HEALTHY: &str = r#"(module (func (export "ok") (result i32) i32.const 1))
(assert_return (invoke "ok") (i32.const 1))
"#;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("external_engine")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("suite")).unwrap();
    std::fs::write(dir.join("suite/a_faulty.wast"), FAULTY).unwrap();
    std::fs::write(dir.join("suite/b_healthy.wast"), HEALTHY).unwrap();
    dir
}

/// Runs `touchstone test` on the two files; the exit code and the report.
fn run(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let json = dir.join("report.json");
    let output = Command::new(BIN)
        .arg("test")
        .arg(dir.join("suite"))
        .args(["--jobs", "1", "--quiet", "--timeout", "3", "--json"])
        .arg(&json)
        .args(extra)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let report = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "no report ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (
        output.status.code().unwrap_or(-1),
        serde_json::from_str(&report).unwrap(),
    )
}

/// (line, outcome, message) of each directive of `file`.
fn directives(report: &Value, file: &str) -> Vec<(u64, String, String)> {
    let files = report["runs"][0]["files"].as_array().unwrap();
    let f = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(file))
        .unwrap();
    f["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["line"].as_u64().unwrap(),
                a["outcome"].as_str().unwrap().to_string(),
                a["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Checks the run of a fake engine misbehaving with `fault`: the faulty
/// call and the rest of its file get `outcome`, with `words` in the
/// message; everything else passes.
fn check_contained(fault: &str, outcome: &str, words: &[&str]) {
    let dir = scratch(fault);
    let engine = format!("fake={BIN} serve --fault {fault}");
    let (code, report) = run(&dir, &["--engine-cmd", &engine], &[]);
    assert_eq!(code, 1, "{fault}: a failing run exits 1");
    assert_eq!(report["runs"][0]["engine"], "fake");
    let faulty = directives(&report, "a_faulty.wast");
    let outcomes: Vec<&str> = faulty.iter().map(|(_, o, _)| o.as_str()).collect();
    assert_eq!(
        outcomes,
        ["pass", "pass", outcome, outcome],
        "{fault}: {faulty:?}"
    );
    let (line, _, message) = &faulty[2];
    assert_eq!(*line, 5);
    for w in words {
        assert!(message.contains(w), "{fault}: `{w}` not in {message:?}");
    }
    let healthy = directives(&report, "b_healthy.wast");
    assert!(
        healthy.iter().all(|(_, o, _)| o == "pass"),
        "{fault}: the next file must run on a fresh process: {healthy:?}"
    );
}

#[test]
fn a_crashing_engine_costs_the_rest_of_its_file() {
    check_contained(
        "crash",
        "crash",
        &["signal 6", "fake engine: misbehaving on purpose (Crash)"],
    );
}

#[test]
fn a_hanging_engine_is_killed_at_the_time_limit() {
    let started = Instant::now();
    check_contained("hang", "timeout", &["time limit", "invoke"]);
    assert!(
        started.elapsed().as_secs() < 30,
        "the hang was not cut short"
    );
}

#[test]
fn garbage_on_stdout_is_a_protocol_violation() {
    check_contained(
        "garbage",
        "crash",
        &["protocol violation", "this is not a response"],
    );
}

#[test]
fn an_engine_exiting_mid_file_is_a_crash() {
    check_contained(
        "exit",
        "crash",
        &["exited with status 0", "misbehaving on purpose (Exit)"],
    );
}

#[test]
fn stdout_noise_out_of_turn_is_a_protocol_violation() {
    check_contained(
        "noise",
        "crash",
        &["protocol violation", "debug: entering the function"],
    );
}

#[test]
fn an_answer_of_the_wrong_shape_is_a_protocol_violation() {
    check_contained("bad-answer", "crash", &["protocol violation", "i33"]);
}

#[test]
fn isolated_built_in_engines_are_contained_too() {
    let dir = scratch("isolate");
    // The workers of `--isolate` are `touchstone serve`: make them abort.
    let (code, report) = run(&dir, &["--isolate"], &[("TOUCHSTONE_SERVE_FAULT", "crash")]);
    assert_eq!(code, 1);
    assert_eq!(report["runs"][0]["engine"], "touchstone");
    let faulty = directives(&report, "a_faulty.wast");
    assert_eq!(faulty[2].1, "crash", "{faulty:?}");
    assert!(faulty[2].2.contains("signal 6"), "{faulty:?}");
    assert!(directives(&report, "b_healthy.wast")
        .iter()
        .all(|(_, o, _)| o == "pass"));
}

#[test]
fn an_engine_that_cannot_start_is_reported_per_directive() {
    let dir = scratch("missing");
    let (_, report) = run(&dir, &["--engine-cmd", "ghost=/nonexistent/engine"], &[]);
    let faulty = directives(&report, "a_faulty.wast");
    // The module directive crashes; the rest have no module to run on.
    assert_eq!(faulty[0].1, "crash", "{faulty:?}");
    assert!(faulty.iter().all(|(_, o, _)| o != "pass"), "{faulty:?}");
    assert!(
        faulty[0].2.contains("cannot start `/nonexistent/engine`"),
        "{faulty:?}"
    );
}

#[test]
fn bad_engine_specs_are_usage_errors() {
    let dir = scratch("usage");
    for spec in ["no-equals", "touchstone=x", "a b=c"] {
        let out = Command::new(BIN)
            .arg("test")
            .arg(dir.join("suite"))
            .args(["--engine", "touchstone", "--engine-cmd", spec])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{spec}");
    }
}

/// Every directive's outcome and details, by file, from a report.
fn outcomes(report: &Value) -> Vec<(String, Value)> {
    report["runs"][0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["assertions"].clone(),
            )
        })
        .collect()
}

/// The official snapshot beside the repository when present (CI), the
/// embedded suite otherwise: identical outcomes in-process and through
/// `serve` (`--isolate`).
#[test]
fn serve_loses_nothing() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("external_engine/serve");
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testsuite");
    let mut runs = Vec::new();
    for isolate in [false, true] {
        let json = dir.join(format!("isolate-{isolate}.json"));
        let mut cmd = Command::new(BIN);
        cmd.arg("test");
        if snapshot.is_dir() {
            cmd.arg(&snapshot);
        }
        cmd.args(["--quiet", "--json"]).arg(&json);
        if isolate {
            cmd.arg("--isolate");
        }
        let started = Instant::now();
        cmd.output().unwrap();
        let secs = started.elapsed().as_secs_f64();
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        runs.push((outcomes(&report), secs, report["runs"][0]["totals"].clone()));
    }
    let (direct, serve) = (&runs[0], &runs[1]);
    assert_eq!(direct.0.len(), serve.0.len());
    for ((path, a), (_, b)) in direct.0.iter().zip(&serve.0) {
        assert_eq!(a, b, "{path}: outcomes differ through serve");
    }
    assert_eq!(direct.2, serve.2);
    eprintln!(
        "serve vs in-process: {} files identical; {:.2} s vs {:.2} s ({:.2}x)",
        direct.0.len(),
        serve.1,
        direct.1,
        serve.1 / direct.1
    );
}

/// Crosses the protocol with every kind of value and outcome the Python
/// adapters support.
const ADAPTER_SCRIPT: &str = r#"(module $M
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
fn run_adapter(engine: &str) -> Option<Vec<(u64, String)>> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("python_adapters/{engine}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("values.wast"), ADAPTER_SCRIPT).unwrap();
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
    let outcomes = directives(&report, "values.wast");
    Some(
        outcomes
            .into_iter()
            .map(|(line, outcome, _)| (line, outcome))
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
    let Some(outcomes) = run_adapter("wasmtime-py") else {
        return;
    };
    assert_eq!(outcomes.len(), 14);
    assert_eq!(failing(&outcomes), [(12, "fail")]);
}

#[test]
fn wasm3_passes_all_but_the_signalling_nan() {
    let Some(outcomes) = run_adapter("wasm3") else {
        return;
    };
    assert_eq!(outcomes.len(), 14);
    assert_eq!(failing(&outcomes), [(12, "fail")]);
}

/// A V8 run's report records V8's version and the node flags it ran with.
#[test]
fn v8_reports_its_version_and_node_flags() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node not found");
        return;
    }
    let dir = scratch("v8_info");
    let json = dir.join("v8.json");
    let output = Command::new(BIN)
        .arg("test")
        .arg(dir.join("suite/b_healthy.wast"))
        .args(["--engine", "v8", "--json"])
        .arg(&json)
        .env(
            "TOUCHSTONE_NODE_FLAGS",
            "--experimental-wasm-extended-const",
        )
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("flags: --experimental-wasm-extended-const"),
        "{stdout}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let info = &report["runs"][0]["info"];
    assert_eq!(
        info["flags"],
        serde_json::json!(["--experimental-wasm-extended-const"])
    );
    assert!(
        info["version"].as_str().unwrap().contains("node v"),
        "{info}"
    );
}

#[test]
fn list_and_engine_say_why_an_adapter_cannot_run() {
    let list = Command::new(BIN)
        .arg("list")
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    for name in ["wasm3", "wasmtime-py"] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap();
        assert!(line.contains("unavailable: `python3` not found"), "{line}");
    }
    let dir = scratch("no-python");
    let out = Command::new(BIN)
        .arg("test")
        .arg(dir.join("suite"))
        .args(["--engine", "wasm3"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("engine `wasm3` (adapters/wasm3.py) cannot run"),
        "{err}"
    );
}

#[test]
fn an_engine_of_another_protocol_version_is_refused() {
    let dir = scratch("protocol-2");
    let hello = r#"{\"id\":0,\"ok\":{\"name\":\"future\",\"version\":\"9\",\"protocol\":2}}"#;
    let engine = format!(r#"future=sh -c 'read request; echo "{hello}"; sleep 30'"#);
    let (_, report) = run(&dir, &["--engine-cmd", &engine], &[]);
    let faulty = directives(&report, "a_faulty.wast");
    assert_eq!(faulty[0].1, "crash", "{faulty:?}");
    assert!(
        faulty[0]
            .2
            .contains("speaks protocol 2, this harness speaks 1"),
        "{faulty:?}"
    );
}

/// The `memory` capability, from the library: our engine and wasmi through
/// `serve` read an exported memory as in-process (`touchstone fuzz`
/// compares memories through worker processes).
#[test]
fn memories_read_through_the_protocol() {
    use touchstone_harness::engine::external::ExternalEngine;
    use touchstone_harness::engine::{Engine, Limits, Value, WasmFeatures};

    let wasm = wat::parse_str(
        r#"(module (memory (export "m") 1)
             (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    let served = ExternalEngine::new("served", vec![BIN.into(), "serve".into()]);
    let mut store = served.new_session(&WasmFeatures::default(), &Limits::default());
    let m = store.compile(&wasm).unwrap();
    let i = store.instantiate(m).unwrap();
    store
        .invoke(i, "poke", &[Value::I32(65535), Value::I32(7)])
        .unwrap();
    let (bytes, size) = store.read_memory(i, "m", 65534, 10).unwrap();
    assert_eq!((bytes, size), (vec![0, 7], 65536));

    let wasmi = ExternalEngine::new(
        "served-wasmi",
        vec![
            BIN.into(),
            "serve".into(),
            "--engine".into(),
            "wasmi".into(),
        ],
    );
    let mut store = wasmi.new_session(&WasmFeatures::default(), &Limits::default());
    let m = store.compile(&wasm).unwrap();
    let i = store.instantiate(m).unwrap();
    store
        .invoke(i, "poke", &[Value::I32(3), Value::I32(9)])
        .unwrap();
    let (bytes, size) = store.read_memory(i, "m", 2, 3).unwrap();
    assert_eq!((bytes, size), (vec![0, 9, 0], 65536));
}

/// An engine named in the config file's `[engines.external]` is run by
/// `--engine NAME`, exactly as `--engine-cmd NAME=COMMAND` would.
#[test]
fn config_file_names_external_engines() {
    let dir = scratch("config_engines");
    let config = dir.join("touchstone.toml");
    std::fs::write(
        &config,
        format!("[engines.external]\nserved = \"'{BIN}' serve\"\n"),
    )
    .unwrap();
    let config = config.display().to_string();
    let (code, report) = run(&dir, &["--engine", "served", "--config", &config], &[]);
    assert_eq!(report["runs"][0]["engine"], "served");
    let outcomes: Vec<String> = directives(&report, "b_healthy.wast")
        .into_iter()
        .map(|(_, outcome, _)| outcome)
        .collect();
    assert_eq!(outcomes, ["pass", "pass"]);
    assert_eq!(code, 0, "{report}");
}

/// An external engine's features are what its handshake names (so
/// `touchstone fuzz` generates only modules it claims to run); an engine
/// that does not start claims none.
#[test]
fn external_engine_features_come_from_the_handshake() {
    use touchstone_harness::engine::{external::ExternalEngine, Engine, WasmFeatures};
    let served = ExternalEngine::new("served", vec![BIN.to_string(), "serve".to_string()]);
    let features = served.features();
    assert!(
        features.contains(WasmFeatures::GC | WasmFeatures::SIMD | WasmFeatures::THREADS),
        "{features:?}"
    );
    let missing = ExternalEngine::new("missing", vec!["/nonexistent/engine".to_string()]);
    assert_eq!(missing.features(), WasmFeatures::empty());
}

/// A served built-in engine claims what that engine implements, not every
/// feature wasmparser knows: wasmi through `serve` claims no GC, exactly as
/// in process (it used to claim wasmparser's defaults, GC included).
#[test]
fn a_served_engine_claims_its_own_features() {
    use touchstone_harness::engine::{external::ExternalEngine, registry, Engine, WasmFeatures};
    for name in ["touchstone", "wasmi"] {
        let served = ExternalEngine::new(
            "served",
            vec![BIN.into(), "serve".into(), "--engine".into(), name.into()],
        );
        let in_process = registry::create(name).expect("a built-in engine");
        assert_eq!(served.features(), in_process.features(), "{name}");
    }
    let wasmi = registry::create("wasmi").unwrap().features();
    assert!(!wasmi.contains(WasmFeatures::GC), "{wasmi:?}");
}

/// `touchstone list` runs node as the config file's `[engines.node]` says
/// (its command and flags), as `touchstone test` does.
#[test]
fn list_honours_the_configs_node_section() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("list_node_config");
    let node = dir.join("fake-node");
    std::fs::write(
        &node,
        "#!/bin/sh\necho \"V8 0.0-fake (node v0-fake, first argument $1)\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&node, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.join("touchstone.toml");
    std::fs::write(
        &config,
        format!(
            "[engines.node]\ncommand = \"{}\"\nflags = [\"--fake-flag\"]\n\n[engines.external]\nmine = \"my-engine --protocol\"\n",
            node.display()
        ),
    )
    .unwrap();
    let list = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("list")
            .args(args)
            .current_dir(&dir)
            .env_remove("TOUCHSTONE_NODE")
            .env_remove("TOUCHSTONE_NODE_FLAGS")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let config_arg = config.display().to_string();
    // Named with --config, and found in the current folder.
    for text in [list(&["--config", &config_arg]), list(&[])] {
        let v8 = text
            .lines()
            .find(|l| l.trim_start().starts_with("v8 "))
            .unwrap();
        assert!(
            v8.contains(
                "V8 0.0-fake (node v0-fake, first argument --fake-flag), node flags --fake-flag"
            ),
            "{v8}"
        );
        assert!(text.contains("config: "), "{text}");
        let mine = text
            .lines()
            .find(|l| l.trim_start().starts_with("mine "))
            .unwrap();
        assert!(mine.contains("my-engine --protocol"), "{mine}");
    }
}
