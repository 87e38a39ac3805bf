//! The `.wast` regressions `touchstone fuzz` wrote for the disagreements it
//! found (`fuzz/regressions/`, see `docs/fuzzing-findings.md`) pass on our
//! engine: each asserts what Touchstone (and, where it could run them, V8)
//! produced.

use std::path::Path;

use touchstone_harness::engine::touchstone::TouchstoneEngine;
use touchstone_harness::report::Outcome;
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite;

#[test]
fn fuzz_regressions_pass_on_touchstone() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let scripts = suite::discover(&[dir]).expect("fuzz/regressions holds .wast files");
    assert!(!scripts.is_empty(), "no regressions found");
    for script in &scripts {
        let report = run_script(&TouchstoneEngine::new(), script, &RunOptions::default());
        assert_eq!(report.outcome, Outcome::Pass, "{}: {report:?}", script.path);
        assert!(
            report.totals.passed >= 2,
            "{}: asserts too little",
            script.path
        );
    }
}
