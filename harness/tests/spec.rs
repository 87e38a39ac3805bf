//! `cargo test` over the spec scripts: one trial per script and engine,
//! discovered at run time, named `ENGINE::PATH` (e.g.
//! `wasmi::embedded/wasm-latest/i32.wast`), so `cargo test -- wasmi::` or
//! `-- --list` work as usual.
//!
//! Scripts: the official suite from `TOUCHSTONE_SUITE` (a folder) when set,
//! the suite embedded in the binary otherwise, plus the project's own
//! `testsuite/`. A trial passes when the file's outcomes match the engine's
//! baseline (`reports/baseline-ENGINE.json`) exactly; see
//! `docs/report-schema.md`. `TOUCHSTONE_ENGINES=wasmi` limits the engines,
//! `TOUCHSTONE_TIMEOUT=SECS` sets the per-file limit (default 60).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use touchstone_harness::engine::{registry, Engine};
use touchstone_harness::report::baseline::Baseline;
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::{self, embedded, Script};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scripts() -> Vec<Script> {
    let mut scripts = match std::env::var_os("TOUCHSTONE_SUITE") {
        Some(dir) => {
            suite::discover(&[PathBuf::from(dir)]).expect("TOUCHSTONE_SUITE holds .wast files")
        }
        None => {
            let sets: Vec<String> = embedded::DEFAULT_SETS
                .iter()
                .map(|s| s.to_string())
                .collect();
            embedded::scripts(&sets).expect("embedded suite")
        }
    };
    scripts.extend(
        suite::discover(&[repo().join("testsuite")]).expect("testsuite/ holds .wast files"),
    );
    scripts
}

fn engines() -> Vec<Arc<dyn Engine>> {
    let wanted = std::env::var("TOUCHSTONE_ENGINES").ok();
    registry::names()
        .into_iter()
        .filter(|n| {
            wanted
                .as_ref()
                .is_none_or(|w| w.split(',').any(|x| x.trim() == *n))
        })
        .filter_map(|n| registry::create(n).map(Arc::from))
        .collect()
}

fn baseline(engine: &str) -> Arc<Baseline> {
    let path = repo().join(format!("reports/baseline-{engine}.json"));
    Arc::new(if path.exists() {
        Baseline::load(&path).expect("a readable baseline")
    } else {
        Baseline::empty(engine)
    })
}

fn main() {
    let args = Arguments::from_args();
    let timeout = std::env::var("TOUCHSTONE_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(60.0);
    let options = Arc::new(RunOptions {
        timeout: Duration::from_secs_f64(timeout),
        ..RunOptions::default()
    });
    let scripts = scripts();
    let mut trials = Vec::new();
    for engine in engines() {
        let baseline = baseline(engine.name());
        for script in &scripts {
            let (engine, baseline, options, script) = (
                engine.clone(),
                baseline.clone(),
                options.clone(),
                script.clone(),
            );
            let name = format!("{}::{}", engine.name(), script.path);
            trials.push(Trial::test(name, move || {
                // The same native stack as `touchstone test`'s workers, so deep
                // scripts behave alike under both.
                let report = std::thread::scope(|scope| {
                    std::thread::Builder::new()
                        .stack_size(touchstone_harness::engine::WORKER_STACK)
                        .spawn_scoped(scope, || run_script(engine.as_ref(), &script, &options))
                        .expect("spawning a trial thread")
                        .join()
                        .expect("run_script does not panic")
                });
                let mismatches = baseline.check_file(&report);
                if mismatches.is_empty() {
                    return Ok(());
                }
                let lines: Vec<String> = mismatches.iter().map(|m| m.to_string()).collect();
                Err(Failed::from(format!(
                    "{} differences from reports/baseline-{}.json (re-bless with `touchstone test ... --baseline reports/baseline-{{engine}}.json --bless` if intended):\n{}",
                    lines.len(),
                    engine.name(),
                    lines.join("\n")
                )))
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
