//! Runs scripts on engines, files in parallel, into one [`Report`].

use std::time::Instant;

use rayon::prelude::*;

use crate::engine::Engine;
use crate::report::{EngineRun, FileReport, Report, Totals, SCHEMA_VERSION};
use crate::runner::{run_script, RunOptions};
use crate::suite::Script;

/// Native stack for worker threads: engines and the text parser recurse,
/// and deep-but-legal scripts must not overflow it.
pub const WORKER_STACK: usize = 256 << 20;

/// Called after each file, from worker threads.
pub type Progress<'a> = &'a (dyn Fn(&str, &FileReport) + Sync);

/// Runs every script on every engine (engines one after another, files in
/// parallel on `jobs` threads, 0 = one per core). The report lists engines
/// in the order given and files sorted by path, whatever the scheduling.
pub fn run(
    engines: &[Box<dyn Engine>],
    scripts: &[Script],
    options: &RunOptions,
    jobs: usize,
    suite: Vec<String>,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("touchstone-worker-{i}"))
        .build()?;
    let runs = engines
        .iter()
        .map(|engine| {
            let started = Instant::now();
            let mut files: Vec<FileReport> = pool.install(|| {
                scripts
                    .par_iter()
                    .map(|script| {
                        let report = run_script(engine.as_ref(), script, options);
                        progress(engine.name(), &report);
                        report
                    })
                    .collect()
            });
            files.sort_by(|a, b| a.path.cmp(&b.path));
            engine_run(
                engine.name(),
                files,
                started.elapsed().as_secs_f64() * 1000.0,
            )
        })
        .collect();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        touchstone_version: env!("CARGO_PKG_VERSION").to_string(),
        suite,
        runs,
    })
}

/// An engine's run from its file reports, with totals summed.
pub fn engine_run(engine: &str, files: Vec<FileReport>, wall_time_ms: f64) -> EngineRun {
    let mut totals = Totals::default();
    for f in &files {
        totals += &f.totals;
    }
    EngineRun {
        engine: engine.to_string(),
        totals,
        wall_time_ms,
        files,
    }
}
