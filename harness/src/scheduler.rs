//! The file scheduler: runs scripts on engines, files in parallel, into
//! one [`Report`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{Engine, WORKER_STACK};
use crate::report::{EngineInfo, EngineRun, FileReport, Report, SCHEMA_VERSION};
use crate::script_runner::{run_script, RunOptions};
use crate::suite::Script;

/// What the run reports while it goes, from worker threads.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// An engine starts a file.
    Started { engine: &'a str, path: &'a str },
    /// An engine finished a file.
    Finished {
        engine: &'a str,
        file: &'a FileReport,
    },
}

/// Called for every [`Event`], from worker threads.
pub type OnEvent<'a> = &'a (dyn Fn(Event<'_>) + Sync);

/// Runs every script on every engine: files in parallel on `jobs` threads
/// (0 = one per core), and the engines of one file in parallel with each
/// other (one thread each), so a file that loops costs its time limit once,
/// not once per engine. The report lists engines in the order given and
/// files sorted by path, whatever the scheduling. An engine's
/// `wall_time_ms` runs from the start until its last file finished.
pub fn run(
    engines: &[Box<dyn Engine>],
    scripts: &[Script],
    options: &RunOptions,
    jobs: usize,
    suite: Vec<String>,
    progress: OnEvent<'_>,
) -> anyhow::Result<Report> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("touchstone-worker-{i}"))
        .build()?;
    let started = Instant::now();
    let finished_us: Vec<AtomicU64> = engines.iter().map(|_| AtomicU64::new(0)).collect();
    let run_one = |e: usize, script: &Script| {
        let engine = engines[e].as_ref();
        progress(Event::Started {
            engine: engine.name(),
            path: &script.path,
        });
        let report = run_script(engine, script, options);
        progress(Event::Finished {
            engine: engine.name(),
            file: &report,
        });
        let us = started.elapsed().as_micros() as u64;
        finished_us[e].fetch_max(us, Ordering::Relaxed);
        report
    };
    // Per file, one report per engine.
    let per_file: Vec<Vec<FileReport>> = pool.install(|| {
        scripts
            .par_iter()
            .map(|script| {
                if engines.len() == 1 {
                    return vec![run_one(0, script)];
                }
                std::thread::scope(|scope| {
                    let handles: Vec<_> = (0..engines.len())
                        .map(|e| {
                            std::thread::Builder::new()
                                .name(format!("touchstone-{}", engines[e].name()))
                                .stack_size(WORKER_STACK)
                                .spawn_scoped(scope, move || run_one(e, script))
                                .expect("spawning an engine thread")
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().expect("run_script never panics"))
                        .collect()
                })
            })
            .collect()
    });
    let mut files_by_engine: Vec<Vec<FileReport>> = engines.iter().map(|_| Vec::new()).collect();
    for reports in per_file {
        for (e, report) in reports.into_iter().enumerate() {
            files_by_engine[e].push(report);
        }
    }
    let runs = engines
        .iter()
        .zip(files_by_engine)
        .zip(&finished_us)
        .map(|((engine, mut files), finished)| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            let ms = finished.load(Ordering::Relaxed) as f64 / 1000.0;
            let mut run = EngineRun::from_files(engine.name(), files, ms);
            run.info = EngineInfo {
                version: engine.version(),
                flags: engine.flags(),
            };
            run
        })
        .collect();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        touchstone_version: env!("CARGO_PKG_VERSION").to_string(),
        suite,
        runs,
        ..Report::default()
    })
}
