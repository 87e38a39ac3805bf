//! `touchstone js-api`: the WebAssembly JS API tests (the spec's
//! `test/js-api`, testharness.js `*.any.js` files) on our engine inside
//! QuickJS (`touchstone`) and in node (`v8`), one report assertion per
//! subtest, keyed by file and subtest name.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rayon::prelude::*;
use touchstone_js::testharness::{self, FileOutcome, Layout, Status as SubtestStatus};

use super::progress::Progress;
use super::test::{conclude, expectations, mark_known};
use super::{Outputs, Status};
use crate::report::{AssertionReport, FileReport, Outcome, Report, Totals, SCHEMA_VERSION};

/// The engines `js-api` knows: ours, and V8 through node.
pub const ENGINES: [&str; 2] = ["touchstone", "v8"];

/// Options of `touchstone js-api`.
#[derive(Debug, clap::Args)]
pub struct JsApiArgs {
    /// Test folders or `*.any.js` files. Default: `../shared/js-api`.
    pub paths: Vec<PathBuf>,

    /// Engines, comma-separated or repeated: `touchstone` (our engine in
    /// QuickJS, the default) and `v8` (node).
    #[arg(long = "engine", value_delimiter = ',')]
    pub engines: Vec<String>,

    /// testharness.js to use. Default: `harness/testharness.js` in the test
    /// folder, or in the folder above it.
    #[arg(long)]
    pub testharness: Option<PathBuf>,

    /// The node binary for `--engine v8`.
    #[arg(long, default_value = "node")]
    pub node: PathBuf,

    /// Files run in parallel (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Only files whose relative path contains this.
    #[arg(long)]
    pub filter: Option<String>,

    /// Leave out files whose relative path contains this (repeatable),
    /// e.g. `--skip limits.any.js`, which builds modules of up to a million
    /// entries in JS: minutes on QuickJS.
    #[arg(long)]
    pub skip: Vec<String>,

    /// Per-file time limit in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,

    #[command(flatten)]
    pub outputs: Outputs,
}

/// One test file to run.
#[derive(Clone, Debug)]
pub struct TestFile {
    pub file: PathBuf,
    /// Relative to the PATH it was found under, `/`-separated.
    pub path: String,
    pub layout: Layout,
    /// Marked `// META: timeout=long`: started first.
    pub long: bool,
}

pub fn run(args: JsApiArgs) -> anyhow::Result<Status> {
    let engines = engines(&args.engines)?;
    if args.timeout.is_nan() || args.timeout <= 0.0 {
        bail!("--timeout must be positive");
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("../shared/js-api")]
    } else {
        args.paths.clone()
    };
    let mut files = discover(&paths, args.testharness.as_deref())?;
    if let Some(f) = &args.filter {
        files.retain(|t| t.path.contains(f.as_str()));
        if files.is_empty() {
            bail!("--filter {f} selects no file");
        }
    }
    files.retain(|t| !args.skip.iter().any(|s| t.path.contains(s.as_str())));
    if files.is_empty() {
        bail!("no test file left to run");
    }
    let expectations = expectations(&args.outputs, &engines, false)?;
    args.outputs.files.check_writable()?;
    let timeout = Duration::from_secs_f64(args.timeout);
    let progress = Progress::start(files.len() * engines.len(), args.outputs.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .stack_size(crate::engine::WORKER_STACK)
        .build()?;
    // Every (engine, file) pair goes into one pool, so node's column runs
    // beside ours; tests marked `timeout=long` (limits.any.js: a minute and
    // more on QuickJS) start first, so the short ones fill the other cores.
    let mut jobs: Vec<(&'static str, &TestFile)> = engines
        .iter()
        .flat_map(|engine| files.iter().map(move |t| (*engine, t)))
        .collect();
    jobs.sort_by_key(|(_, t)| !t.long);
    let started = Instant::now();
    let done: Vec<(&str, FileReport, Duration)> = pool.install(|| {
        jobs.par_iter()
            .with_max_len(1)
            .map(|&(engine, t)| {
                let began = Instant::now();
                progress.event(crate::scheduler::Event::Started {
                    engine,
                    path: &t.path,
                });
                let outcome = match engine {
                    "v8" => testharness::run_node(&t.file, &t.layout, &args.node, timeout),
                    _ => testharness::run_ours(&t.file, &t.layout, timeout),
                };
                let r = file_report(&t.path, outcome, began.elapsed());
                progress.event(crate::scheduler::Event::Finished { engine, file: &r });
                (engine, r, started.elapsed())
            })
            .collect()
    });
    let runs = engines
        .iter()
        .map(|engine| {
            let mine = done.iter().filter(|(e, ..)| e == engine);
            // An engine's wall time: until its last file finished.
            let wall = mine.clone().map(|(.., at)| *at).max().unwrap_or_default();
            let mut reports: Vec<FileReport> = mine.map(|(_, r, _)| r.clone()).collect();
            reports.sort_by(|a, b| a.path.cmp(&b.path));
            crate::report::EngineRun::from_files(engine, reports, wall.as_secs_f64() * 1000.0)
        })
        .collect();
    progress.finish();
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        touchstone_version: env!("CARGO_PKG_VERSION").to_string(),
        suite: paths.iter().map(|p| p.display().to_string()).collect(),
        runs,
        ..Report::default()
    };
    mark_known(&mut report, &expectations);
    args.outputs.files.write(&report, &|_| None)?;
    conclude(&report, &expectations, args.outputs.bless)
}

fn engines(names: &[String]) -> anyhow::Result<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    let names: Vec<&str> = if names.is_empty() {
        vec!["touchstone"]
    } else {
        names.iter().map(|s| s.trim()).collect()
    };
    for name in names {
        let Some(known) = ENGINES.iter().find(|e| **e == name) else {
            bail!(
                "unknown js-api engine `{name}`; known: {}",
                ENGINES.join(", ")
            );
        };
        if !out.contains(known) {
            out.push(known);
        }
    }
    Ok(out)
}

/// The `*.any.js` files under `paths`, sorted, each with where its
/// includes and testharness.js are.
pub fn discover(paths: &[PathBuf], testharness: Option<&Path>) -> anyhow::Result<Vec<TestFile>> {
    let mut out = Vec::new();
    for root in paths {
        if !root.exists() {
            bail!("{} does not exist", root.display());
        }
        let (dir, files): (PathBuf, Vec<PathBuf>) = if root.is_file() {
            let dir = js_api_root(root).unwrap_or_else(|| parent(root));
            (dir, vec![root.clone()])
        } else {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.to_string_lossy().ends_with(".any.js"))
                .collect();
            files.sort();
            (root.clone(), files)
        };
        let harness = match testharness {
            Some(p) => p.to_path_buf(),
            None => [
                dir.join("harness/testharness.js"),
                dir.join("../harness/testharness.js"),
            ]
            .into_iter()
            .find(|p| p.exists())
            .with_context(|| {
                format!(
                    "no harness/testharness.js in or above {}; give --testharness",
                    dir.display()
                )
            })?,
        };
        let layout = Layout {
            root: dir.clone(),
            testharness: harness,
        };
        for file in files {
            let path = if root.is_file() {
                file.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                file.strip_prefix(root)
                    .unwrap_or(&file)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            };
            let long =
                std::fs::read_to_string(&file).is_ok_and(|source| testharness::is_long(&source));
            out.push(TestFile {
                file,
                path,
                layout: layout.clone(),
                long,
            });
        }
    }
    Ok(out)
}

fn parent(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The js-api folder a single file sits in: the nearest ancestor with a
/// `harness/` folder.
fn js_api_root(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .find(|d| d.join("harness/testharness.js").exists())
        .map(Path::to_path_buf)
}

/// A file's subtests as report assertions.
pub fn file_report(path: &str, outcome: FileOutcome, took: Duration) -> FileReport {
    let mut assertions: Vec<AssertionReport> = Vec::new();
    for s in outcome.subtests {
        let mut name = s.name.clone();
        let mut n = 1;
        while assertions
            .iter()
            .any(|a| a.subtest.as_deref() == Some(name.as_str()))
        {
            n += 1;
            name = format!("{} ({n})", s.name);
        }
        let (outcome, message) = match (&s.status, &s.missing_harness_function) {
            (SubtestStatus::Pass, _) => (Outcome::Pass, s.message),
            (SubtestStatus::Fail, Some(f)) => (
                Outcome::Error,
                Some(format!(
                    "calls {f}, which this testharness.js does not define"
                )),
            ),
            (SubtestStatus::Fail, None) => (Outcome::Fail, s.message),
            (SubtestStatus::Timeout, _) => (Outcome::Timeout, s.message),
            (SubtestStatus::NotRun, _) => (
                Outcome::Error,
                Some(s.message.unwrap_or_else(|| "not run".into())),
            ),
            (SubtestStatus::PreconditionFailed, _) => (Outcome::Unsupported, s.message),
        };
        assertions.push(AssertionReport {
            kind: "subtest".into(),
            subtest: Some(name),
            outcome,
            message,
            missing_harness_function: s.missing_harness_function,
            ..AssertionReport::default()
        });
    }
    if let Some(e) = &outcome.error {
        let timed_out = e.starts_with("timed out");
        assertions.push(AssertionReport {
            kind: "script".into(),
            subtest: Some("(file)".into()),
            outcome: if timed_out {
                Outcome::Timeout
            } else {
                Outcome::Error
            },
            message: Some(e.clone()),
            ..AssertionReport::default()
        });
    }
    let mut totals = Totals::default();
    for a in &assertions {
        totals.count(a.outcome);
    }
    let worst = [
        Outcome::Crash,
        Outcome::Timeout,
        Outcome::Fail,
        Outcome::Error,
        Outcome::Unsupported,
    ]
    .into_iter()
    .find(|o| assertions.iter().any(|a| a.outcome == *o))
    .unwrap_or(Outcome::Pass);
    totals.files = 1;
    totals.files_failed = u64::from(worst != Outcome::Pass);
    let area = path.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
    FileReport {
        path: path.to_string(),
        area,
        outcome: worst,
        totals,
        duration_ms: took.as_secs_f64() * 1000.0,
        message: outcome.error,
        assertions,
        ..FileReport::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchstone_js::testharness::Subtest;

    fn subtest(name: &str, status: SubtestStatus, missing: Option<&str>) -> Subtest {
        Subtest {
            name: name.into(),
            status,
            message: Some("why".into()),
            missing_harness_function: missing.map(String::from),
        }
    }

    #[test]
    fn subtests_become_named_assertions() {
        let outcome = FileOutcome {
            subtests: vec![
                subtest("a", SubtestStatus::Pass, None),
                subtest("a", SubtestStatus::Fail, None),
                subtest("b", SubtestStatus::Fail, Some("assert_throws")),
            ],
            error: None,
        };
        let r = file_report("memory/grow.any.js", outcome, Duration::ZERO);
        let names: Vec<_> = r
            .assertions
            .iter()
            .map(|a| a.subtest.clone().unwrap())
            .collect();
        assert_eq!(names, ["a", "a (2)", "b"]);
        assert_eq!(r.assertions[2].outcome, Outcome::Error);
        assert!(r.assertions[2]
            .message
            .as_deref()
            .unwrap()
            .contains("assert_throws"));
        assert_eq!(
            (r.totals.passed, r.totals.failed, r.totals.errors),
            (1, 1, 1)
        );
        assert_eq!((r.outcome, r.area.as_str()), (Outcome::Fail, "memory"));
    }

    #[test]
    fn a_file_error_is_reported_as_an_assertion() {
        let outcome = FileOutcome {
            subtests: vec![],
            error: Some("timed out after 1 s".into()),
        };
        let r = file_report("t.any.js", outcome, Duration::ZERO);
        assert_eq!(r.outcome, Outcome::Timeout);
        assert_eq!(r.assertions[0].kind, "script");
    }
}
