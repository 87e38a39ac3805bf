//! The protocol's `threads` capability: a script's threads run through
//! `touchstone serve` exactly as in process (stores of one engine process
//! sharing instances, their requests answered concurrently), and an engine
//! without the capability reports such threads as `unsupported`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use touchstone_harness::engine::external::ExternalEngine;
use touchstone_harness::engine::touchstone::TouchstoneEngine;
use touchstone_harness::engine::Engine;
use touchstone_harness::report::{FileReport, Outcome};
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::Script;

const BIN: &str = env!("CARGO_BIN_EXE_touchstone");

/// Two threads over one shared memory: `$T1` spins until `$T2` raises a
/// flag (so both run at once), and `$T3` sleeps in `memory.atomic.wait32`
/// until the script's own store wakes it (so the file's store calls the
/// engine while a thread's call is blocked in it).
const SCRIPT: &str = r#"(module $Mem
  (memory (export "shared") 1 1 shared)
  (func (export "get") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "wake")
    (loop $again (br_if $again (i32.eqz (memory.atomic.notify (i32.const 8) (i32.const 1)))))))
(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (loop $spin (br_if $spin (i32.eqz (i32.atomic.load (i32.const 0)))))
      (i32.atomic.store (i32.const 4) (i32.const 1))))
  (invoke "run"))
(thread $T2 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (i32.atomic.store (i32.const 0) (i32.const 1))))
  (invoke "run"))
(thread $T3 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "sleep") (result i32)
      (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1))))
  (assert_return (invoke "sleep") (i32.const 0)))
(invoke $Mem "wake")
(wait $T1)
(wait $T2)
(wait $T3)
(assert_return (invoke $Mem "get" (i32.const 4)) (i32.const 1))
"#;

fn run_on(engine: &dyn Engine, text: &str) -> FileReport {
    let options = RunOptions {
        timeout: Duration::from_secs(60),
        ..RunOptions::default()
    };
    run_script(engine, &Script::from_text("threads.wast", text), &options)
}

/// (line, kind, outcome), sorted.
fn outcomes(report: &FileReport) -> Vec<(u32, String, Outcome)> {
    let mut v: Vec<_> = report
        .assertions
        .iter()
        .map(|a| (a.line, a.kind.clone(), a.outcome))
        .collect();
    v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    v
}

fn served(engine: &str) -> ExternalEngine {
    let command = [BIN, "serve", "--engine", engine]
        .map(String::from)
        .to_vec();
    ExternalEngine::new(&format!("served-{engine}"), command)
}

#[test]
fn threads_run_through_serve_as_in_process() {
    let direct = run_on(&TouchstoneEngine::new(), SCRIPT);
    let served = served("touchstone");
    // Repeated: a lost answer or a deadlock between the stores shows up
    // only in some interleavings.
    for _ in 0..10 {
        let report = run_on(&served, SCRIPT);
        let failing: Vec<_> = report
            .assertions
            .iter()
            .filter(|a| a.outcome != Outcome::Pass)
            .collect();
        assert!(failing.is_empty(), "{failing:#?}");
        assert_eq!(outcomes(&report), outcomes(&direct));
    }
}

#[test]
fn an_engine_without_the_capability_reports_threads_unsupported() {
    let script = r#"(module $M (func (export "f")))
(thread $T (shared (module $M)) (invoke $M "f"))
(wait $T)
"#;
    let report = run_on(&served("wasmi"), script);
    let thread = report
        .assertions
        .iter()
        .find(|a| a.kind == "thread")
        .expect("a thread directive");
    assert_eq!(thread.outcome, Outcome::Unsupported, "{thread:?}");
    let why = thread.message.as_deref().unwrap_or_default();
    assert!(why.contains("capability `threads`"), "{why}");
}

/// The threads proposal's own scripts (`../shared/suites/threads`, when
/// present beside the repository) through `--isolate`: every directive
/// passes, as in process.
#[test]
fn the_threads_suite_passes_through_serve() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/suites/threads");
    if !suite.is_dir() {
        eprintln!("skipped: {} not found", suite.display());
        return;
    }
    let json = Path::new(env!("CARGO_TARGET_TMPDIR")).join("threads-through-serve.json");
    let output = Command::new(BIN)
        .arg("test")
        .arg(&suite)
        .args(["--engine", "touchstone", "--isolate", "--quiet", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let totals = &report["runs"][0]["totals"];
    assert!(output.status.success(), "{totals}");
    assert!(totals["passed"].as_u64().unwrap() > 500, "{totals}");
    assert_eq!(totals["files_failed"], 0, "{totals}");
}

/// A thread that never wakes ends as the file's timeout through `serve`
/// too: the process is killed, and every store waiting on it stops.
#[test]
fn a_deadlocked_thread_through_serve_ends_at_the_time_limit() {
    let script = r#"(module $Mem (memory (export "shared") 1 1 shared))
(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "sleep") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (assert_return (invoke "sleep") (i32.const 0)))
(wait $T)
"#;
    let options = RunOptions {
        timeout: Duration::from_secs(2),
        ..RunOptions::default()
    };
    let started = std::time::Instant::now();
    let report = run_script(
        &served("touchstone"),
        &Script::from_text("deadlock.wast", script),
        &options,
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    let sleep = report
        .assertions
        .iter()
        .find(|a| a.kind == "assert_return")
        .expect("the thread's call");
    assert_eq!(sleep.outcome, Outcome::Timeout, "{sleep:?}");
}

/// V8 through node's `worker_threads` (a worker per store, shared memories
/// crossing between them): the script above (a thread blocked in
/// `memory.atomic.wait32` while the file's store spins until it can wake
/// it, which needs the file's store never to hold up another store's
/// requests) passes as in process, and a thread using an export that
/// cannot cross (a function) is `unsupported`, saying why.
#[test]
fn v8_runs_threads_in_workers() {
    use touchstone_harness::engine::v8;
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node not found");
        return;
    }
    let v8 = v8::engine(&v8::NodeSettings::default()).expect("the V8 adapter starts");
    let direct = run_on(&TouchstoneEngine::new(), SCRIPT);
    for _ in 0..5 {
        let report = run_on(&v8, SCRIPT);
        assert_eq!(
            outcomes(&report),
            outcomes(&direct),
            "{:#?}",
            report.assertions
        );
    }
    let script = r#"(module $M (memory (export "mem") 1 1 shared) (func (export "f")))
(thread $T (shared (module $M))
  (register "m" $M)
  (module (import "m" "mem" (memory 1 1 shared)))
  (invoke $M "f")
  (module (import "m" "f" (func))))
(wait $T)
"#;
    let report = run_on(&v8, script);
    let got: Vec<(u32, Outcome)> = outcomes(&report)
        .into_iter()
        .map(|(l, _, o)| (l, o))
        .collect();
    assert_eq!(
        got,
        [
            (1, Outcome::Pass),
            (2, Outcome::Pass),
            (3, Outcome::Pass),
            (4, Outcome::Pass),
            (5, Outcome::Unsupported),
            (6, Outcome::Unsupported),
            (7, Outcome::Pass),
        ],
        "{:#?}",
        report.assertions
    );
    for a in report
        .assertions
        .iter()
        .filter(|a| a.outcome == Outcome::Unsupported)
    {
        let why = a.message.as_deref().unwrap_or_default();
        assert!(why.contains("only shared memories cross threads"), "{why}");
    }
}
