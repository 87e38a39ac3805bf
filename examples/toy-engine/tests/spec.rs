//! `cargo test` trials for the toy engine, from the harness library: one
//! trial per script of the embedded official suite that the toy aims at,
//! each checked against `baseline-toy.json` (the directives known not to
//! pass). Re-bless with
//! `cargo run -p toy-engine -- test --set wasm-v1 --filter 'wasm-v1/i32.wast' --engine toy --baseline examples/toy-engine/baseline-toy.json --bless`.

use std::path::Path;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use touchstone_harness::report::baseline::Baseline;
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::embedded;

fn main() {
    let args = Arguments::from_args();
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline-toy.json");
    let baseline = Arc::new(Baseline::load(&baseline).expect("baseline-toy.json"));
    let scripts = embedded::scripts(&["wasm-v1".to_string()]).expect("embedded suite");
    let trials = scripts
        .into_iter()
        .filter(|s| s.path.ends_with("/i32.wast"))
        .map(|script| {
            let baseline = baseline.clone();
            Trial::test(format!("toy::{}", script.path), move || {
                let report = run_script(&toy_engine::ToyEngine, &script, &RunOptions::default());
                assert!(report.totals.passed > 0, "the toy passes nothing");
                let mismatches = baseline.check_file(&report);
                if mismatches.is_empty() {
                    return Ok(());
                }
                let lines: Vec<String> = mismatches.iter().map(|m| m.to_string()).collect();
                Err(Failed::from(lines.join("\n")))
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
