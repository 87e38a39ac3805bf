//! The bodies of the `cargo fuzz` targets in `fuzz/fuzz_targets/`. They
//! live here so the workspace builds and tests them on the stable
//! toolchain: a target is one call, and an API change that breaks a body
//! breaks this crate's build, not a nightly-only crate nothing builds.
//!
//! Each body panics on a finding (libFuzzer then saves the input) and
//! returns whether the input got as far as an engine, so tests can check
//! that their inputs exercise something.

use std::time::Duration;

use crate::engine::touchstone::TouchstoneEngine;
use crate::engine::{Engine, Limits};
use crate::fuzz::{generate, observe, plan};
use crate::report::{FileReport, Outcome};
use crate::script_runner::{run_script, RunOptions};
use crate::suite::Script;

/// A native stack overflow kills the process before libFuzzer can save the
/// input: with `TOUCHSTONE_FUZZ_LAST_INPUT=path` set, each input is
/// written there before it runs, so after a crash the file holds the culprit.
pub fn save_input_first(data: &[u8]) {
    if let Some(path) = std::env::var_os("TOUCHSTONE_FUZZ_LAST_INPUT") {
        let _ = std::fs::write(path, data);
    }
}

fn smith_limits() -> observe::ObserveLimits {
    observe::ObserveLimits {
        max_memory_bytes: 512 << 20,
        max_call_depth: 5_000,
        timeout: Duration::from_secs(5),
    }
}

/// `smith_run`: a wasm-smith module with every feature Touchstone supports,
/// instantiated and run (every export called) with limits. Traps and
/// exhaustion are fine, a panic is not. Unlike `touchstone fuzz`, huge
/// arrays in constant expressions are allowed: they must end in exhaustion.
pub fn smith_run(data: &[u8]) -> bool {
    let engine = TouchstoneEngine::new();
    let features = engine.features();
    let mut config = generate::smith_config(features);
    config.limit_arrays_in_const_exprs = false;
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else {
        return false;
    };
    if module.ensure_termination(generate::MODULE_FUEL).is_err() {
        return false;
    }
    let wasm = module.to_bytes();
    let Ok(plan) = plan::plan(&wasm, data.len() as u64) else {
        return false;
    };
    if let Err(panic) = observe::observe(&engine, &features, &wasm, &plan, &smith_limits()) {
        panic!("touchstone panicked: {}", panic.0);
    }
    true
}

/// `wast_runner`: `.wast` text through the harness's script runner on our
/// engine. Every problem must become an outcome of the report; the runner
/// catches panics and reports them as `crash`, so a `crash` outcome is the
/// finding here (a panic that escaped would be one too).
pub fn wast_runner(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let script = Script::from_text("fuzz.wast", text);
    let options = RunOptions {
        timeout: Duration::from_secs(5),
        limits: Limits {
            max_memory_bytes: 256 << 20,
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    let report = run_script(&TouchstoneEngine::new(), &script, &options);
    fail_on_crash(&report);
    !report.assertions.is_empty()
}

/// Panics when the report holds a `crash` outcome (a caught panic).
fn fail_on_crash(report: &FileReport) {
    if let Some(crash) = report
        .assertions
        .iter()
        .find(|a| a.outcome == Outcome::Crash)
    {
        panic!(
            "crash outcome at {}:{}: {:?}",
            crash.line, crash.column, crash.message
        );
    }
    if report.outcome == Outcome::Crash {
        panic!("crash outcome: {:?}", report.message);
    }
}

/// `differential`: a wasm-smith module on the features Touchstone and
/// wasmi share, run on both through the engine seam; a disagreement that
/// no known wasmi bug explains (see [`crate::fuzz::known_bugs`]) is a
/// finding. `touchstone fuzz` is the same comparison with reduction.
#[cfg(feature = "wasmi")]
pub fn differential(data: &[u8]) -> bool {
    use crate::engine::{wasmi::WasmiEngine, WasmFeatures};
    let (ours, theirs) = (TouchstoneEngine::new(), WasmiEngine::new());
    let features = (ours.features() & theirs.features()) - WasmFeatures::RELAXED_SIMD;
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut module) = wasm_smith::Module::new(generate::smith_config(features), &mut u) else {
        return false;
    };
    if module.ensure_termination(generate::MODULE_FUEL).is_err() {
        return false;
    }
    let wasm = module.to_bytes();
    let limits = observe::ObserveLimits {
        max_memory_bytes: 256 << 20,
        ..smith_limits()
    };
    let engines: [&dyn Engine; 2] = [&ours, &theirs];
    if let Err(why) =
        crate::fuzz::check_module(&engines, &features, &wasm, data.len() as u64, &limits)
    {
        panic!("{why}");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::AssertionReport;

    /// Inputs as libFuzzer makes them: random bytes of random lengths.
    fn random_inputs(seed: u64, count: usize) -> Vec<Vec<u8>> {
        let mut rng = generate::Rng(seed);
        (0..count)
            .map(|_| {
                let len = 64 + rng.below(4032) as usize;
                (0..len).map(|_| rng.next_u64() as u8).collect()
            })
            .collect()
    }

    #[test]
    fn smith_run_runs_random_inputs() {
        let ran = random_inputs(1, 12).iter().filter(|d| smith_run(d)).count();
        assert!(ran >= 6, "only {ran} of 12 inputs made a module that ran");
    }

    #[cfg(feature = "wasmi")]
    #[test]
    fn differential_runs_random_inputs() {
        let ran = random_inputs(2, 12)
            .iter()
            .filter(|d| differential(d))
            .count();
        assert!(ran >= 6, "only {ran} of 12 inputs made a module that ran");
    }

    #[test]
    fn wast_runner_runs_scripts_and_ignores_garbage() {
        let script = br#"
            (module (func (export "add") (param i32 i32) (result i32)
              local.get 0 local.get 1 i32.add))
            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
            (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
            (assert_malformed (module quote "(func") "unexpected end")
        "#;
        assert!(wast_runner(script));
        assert!(!wast_runner(b"\xff\xfe not text"));
        // Text that does not parse is an `error` outcome for the file, not a crash.
        wast_runner(b"(module (func (export \"f\") (result i32) i32.const");
    }

    #[test]
    #[should_panic(expected = "crash outcome at 3:1")]
    fn a_crash_outcome_is_a_finding() {
        let report = FileReport {
            assertions: vec![
                AssertionReport {
                    outcome: Outcome::Pass,
                    line: 1,
                    column: 1,
                    ..Default::default()
                },
                AssertionReport {
                    outcome: Outcome::Crash,
                    line: 3,
                    column: 1,
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        fail_on_crash(&report);
    }
}
