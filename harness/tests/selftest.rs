//! The harness checked on its own scripts (`testsuite/harness/`): each
//! outcome kind, each guard, and panic isolation with an engine that panics.

#![cfg(feature = "wasmi")]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use touchstone_harness::engine::wasmi::WasmiEngine;
use touchstone_harness::engine::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, Value, WasmFeatures,
};
use touchstone_harness::report::{FileReport, Outcome};
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::{self, Script};

fn script(name: &str) -> Script {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testsuite/harness")
        .join(name);
    suite::discover(&[path]).unwrap().remove(0)
}

fn run(name: &str) -> FileReport {
    run_script(&WasmiEngine::new(), &script(name), &RunOptions::default())
}

/// (line, kind, outcome) of every directive.
fn outcomes(report: &FileReport) -> Vec<(u32, &str, Outcome)> {
    report
        .assertions
        .iter()
        .map(|a| (a.line, a.kind.as_str(), a.outcome))
        .collect()
}

#[test]
fn pass_script_passes_every_directive() {
    let report = run("pass.wast");
    let bad: Vec<_> = report
        .assertions
        .iter()
        .filter(|a| a.outcome != Outcome::Pass)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(report.outcome, Outcome::Pass);
    // Every directive of pass.wast starts a line at column 1.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite/harness/pass.wast"),
    )
    .unwrap();
    let directives = text.lines().filter(|l| l.starts_with('(')).count();
    assert_eq!(report.totals.passed as usize, directives);
    assert_eq!(report.totals.directives() as usize, report.assertions.len());
}

#[test]
fn each_non_passing_outcome_is_reported_where_it_happens() {
    let report = run("outcomes.wast");
    use Outcome::*;
    assert_eq!(
        outcomes(&report),
        [
            (4, "module", Pass),
            (7, "assert_return", Fail),
            (10, "assert_trap", Fail),
            (13, "module", Fail),
            (14, "assert_return", Error),
            (18, "thread", Unsupported),
            (18, "invoke", Unsupported),
            (19, "wait", Unsupported),
        ]
    );
    let wrong_value = &report.assertions[1];
    assert_eq!(wrong_value.expected.as_deref(), Some("(i32.const 2)"));
    assert_eq!(wrong_value.actual.as_deref(), Some("(i32.const 1)"));
    assert!(report.assertions[4]
        .message
        .as_deref()
        .unwrap()
        .contains("line 13"));
    assert_eq!(report.outcome, Fail);
}

#[test]
fn endless_loop_times_out_and_later_directives_are_marked() {
    let started = Instant::now();
    let report = run("loop-forever.wast");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    use Outcome::*;
    assert_eq!(
        outcomes(&report),
        [
            (5, "module", Pass),
            (6, "invoke", Timeout),
            (7, "assert_return", Timeout)
        ]
    );
    assert!(report.assertions[2]
        .message
        .as_deref()
        .unwrap()
        .contains("not run"));
    assert_eq!(report.outcome, Timeout);
}

#[test]
fn unbounded_recursion_is_exhaustion() {
    let report = run("recurse.wast");
    assert!(
        report.assertions.iter().all(|a| a.outcome == Outcome::Pass),
        "{:#?}",
        report.assertions
    );
    assert_eq!(
        report
            .assertions
            .iter()
            .filter(|a| a.kind == "assert_exhaustion")
            .count(),
        2
    );
}

#[test]
fn memory_growth_stops_at_the_bound() {
    let report = run("grow-memory.wast");
    assert!(
        report.assertions.iter().all(|a| a.outcome == Outcome::Pass),
        "{:#?}",
        report.assertions
    );
}

#[test]
fn malformed_script_is_one_error_with_its_position() {
    let report = run("malformed-script.wast");
    assert_eq!(report.assertions.len(), 1);
    let a = &report.assertions[0];
    assert_eq!(
        (a.kind.as_str(), a.outcome, a.line),
        ("script", Outcome::Error, 6)
    );
    let message = report.message.as_deref().unwrap();
    assert!(message.contains("malformed-script.wast:6:"), "{message}");
}

/// An engine whose every call panics, to check panic isolation.
struct Panicky;
struct PanickySession;

impl Engine for Panicky {
    fn name(&self) -> &'static str {
        "panicky"
    }
    fn new_session(&self, _: &WasmFeatures, _: &Limits) -> Box<dyn Session> {
        Box::new(PanickySession)
    }
}

impl Session for PanickySession {
    fn compile(&mut self, _: &[u8]) -> Result<ModuleId, EngineError> {
        Ok(ModuleId(0))
    }
    fn instantiate(&mut self, _: ModuleId) -> Result<InstanceId, EngineError> {
        Ok(InstanceId(0))
    }
    fn register(&mut self, _: &str, _: InstanceId) -> Result<(), EngineError> {
        Ok(())
    }
    fn invoke(
        &mut self,
        _: InstanceId,
        export: &str,
        _: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        if export == "ok" {
            return Ok(vec![Value::I32(1)]);
        }
        panic!("engine bug in {export}")
    }
    fn get_global(&mut self, _: InstanceId, _: &str) -> Result<Value, EngineError> {
        Err(EngineError::new(ErrorKind::Other, "no globals"))
    }
}

#[test]
fn a_panicking_engine_crashes_only_that_directive() {
    let text =
        "(module (func (export \"boom\")) (func (export \"ok\") (result i32) (i32.const 1)))\n\
                (invoke \"boom\")\n\
                (assert_return (invoke \"ok\") (i32.const 1))\n";
    let report = run_script(
        &Panicky,
        &Script::from_text("crash.wast", text),
        &RunOptions::default(),
    );
    use Outcome::*;
    assert_eq!(
        outcomes(&report),
        [
            (1, "module", Pass),
            (2, "invoke", Crash),
            (3, "assert_return", Pass)
        ]
    );
    assert!(report.assertions[1]
        .message
        .as_deref()
        .unwrap()
        .contains("engine bug in boom"));
    assert_eq!(report.outcome, Crash);
}

#[test]
fn parallel_runs_report_in_the_same_order_as_serial_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
    let mut scripts = suite::discover(&[root]).unwrap();
    scripts.retain(|s| !s.path.contains("loop-forever"));
    let engines: Vec<Box<dyn Engine>> = vec![Box::new(WasmiEngine::new())];
    let summary = |jobs| {
        let report = touchstone_harness::scheduler::run(
            &engines,
            &scripts,
            &RunOptions::default(),
            jobs,
            vec![],
            &|_| {},
        )
        .unwrap();
        let files = &report.runs[0].files;
        files
            .iter()
            .map(|f| {
                (
                    f.path.clone(),
                    outcomes(f).iter().map(|o| (o.0, o.2)).collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    let serial = summary(1);
    assert_eq!(serial.len(), scripts.len());
    assert!(serial.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(summary(4), serial);
}
