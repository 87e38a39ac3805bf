//! `touchstone test`.
//!
//! Everything that can be wrong with the command line (engines, sets,
//! filter, limits, the baseline, output paths) is checked before the first
//! script runs, so a typo never costs a whole run and its results.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;

use super::progress::Progress;
use super::stdout::{out, outln};
use super::{Outputs, Status, TestArgs};
use crate::engine::{external, registry, Engine, Limits};
use crate::report::baseline::{Baseline, Mismatch};
use crate::report::{self, Report, SkippedFile};
use crate::scheduler::Event;
use crate::script_runner::RunOptions;
use crate::suite::{self, embedded, filter::Filter, Script};

/// What the run is checked against.
pub(super) enum Expectations {
    /// Nothing: any non-pass fails the run.
    None,
    /// `--baseline`: outcomes must match exactly (or are blessed).
    Given(Vec<(PathBuf, Baseline)>, Vec<Option<Baseline>>),
    /// The embedded suite with no `--baseline`: the expectations built into
    /// the binary. A new failure fails the run; a fixed one is a note.
    Builtin(Vec<Option<Baseline>>),
}

/// The files to run and what the choice left out.
struct Chosen {
    scripts: Vec<Script>,
    names: Vec<String>,
    skipped: Vec<SkippedFile>,
    path_errors: Vec<SkippedFile>,
}

pub fn run(args: TestArgs) -> anyhow::Result<Status> {
    let engines = engines(&args)?;
    let mut chosen = scripts(&args)?;
    if let Some(pattern) = &args.filter {
        let filter = Filter::new(pattern)?;
        chosen.scripts.retain(|s| filter.matches(&s.path));
        chosen.skipped.retain(|s| filter.matches(&s.path));
        if chosen.scripts.is_empty() {
            bail!("--filter {pattern} selects no script");
        }
    }
    if let Some(partition) = &args.partition {
        partition.select(&mut chosen.scripts);
    }
    if chosen.scripts.is_empty() {
        // Every path given was bad: nothing to run.
        let why: Vec<String> = chosen
            .path_errors
            .iter()
            .map(|e| format!("{}: {}", e.path, e.reason))
            .collect();
        bail!("nothing to run: {}", why.join("; "));
    }
    if args.timeout.is_some_and(|t| !t.is_finite() || t <= 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    let expectations = expectations(&args.outputs, &names, args.paths.is_empty())?;
    args.outputs.files.check_writable()?;
    let (options, config) = run_options(&args)?;

    let progress = Progress::start(chosen.scripts.len() * engines.len(), args.outputs.quiet);
    let on_event = |event: Event<'_>| progress.event(event);
    let mut report = crate::scheduler::run(
        &engines,
        &chosen.scripts,
        &options,
        args.jobs.unwrap_or(0),
        chosen.names,
        &on_event,
    )?;
    progress.finish();
    report.skipped = chosen.skipped;
    report.path_errors = chosen.path_errors;
    report.config = config;
    mark_known(&mut report, &expectations);

    write_outputs(&args, &report, &chosen.scripts)?;
    conclude(&report, &expectations, args.outputs.bless)
}

/// Prints the summary and decides the exit status: against the
/// expectations, and failed whenever a PATH could not run.
pub(super) fn conclude(
    report: &Report,
    expectations: &Expectations,
    bless: bool,
) -> anyhow::Result<Status> {
    out!(
        "{}",
        report::terminal::render_with(report, report::terminal::Layout::for_stdout())
    );
    let status = match expectations {
        Expectations::None => {
            let failed = report.runs.iter().any(|r| r.totals.files_failed > 0);
            if failed {
                Status::Failed
            } else {
                Status::Ok
            }
        }
        Expectations::Given(baselines, earlier) => {
            check_baselines(report, baselines, earlier, bless)?
        }
        Expectations::Builtin(baselines) => check_builtin(report, baselines),
    };
    Ok(if report.path_errors.is_empty() {
        status
    } else {
        Status::Failed
    })
}

/// The run's options: the command line over the config file; and that
/// file's path, for the report (a personal config applies to every run,
/// so a run must say it used one).
fn run_options(args: &TestArgs) -> anyhow::Result<(RunOptions, Option<String>)> {
    if let Some(list) = &args.features {
        suite::features::apply_list(wasmparser::WasmFeatures::empty(), list)
            .map_err(|e| anyhow::anyhow!("--features: {e}"))?;
    }
    let mut options = RunOptions {
        timeout: Duration::from_secs_f64(args.timeout.unwrap_or(super::DEFAULT_TIMEOUT_SECS)),
        limits: Limits::default(),
        features: args.features.clone(),
        dialect: args.dialect,
        strict_messages: args.strict_messages,
        ..RunOptions::default()
    };
    let config = crate::config::Config::find(
        args.config.as_deref(),
        args.paths.first().map(PathBuf::as_path),
    )?;
    let config_path = config.as_ref().map(|c| c.path.display().to_string());
    if let Some(config) = config {
        if !args.outputs.quiet {
            eprintln!("touchstone: config {}", config.path.display());
        }
        options.rules = config.file_rules()?;
        options.host_modules = config.host_modules()?;
        options.strict_messages |= config.config.suite.strict_messages.unwrap_or(false);
    }
    // What the user gave on the command line is the last word: a rule after
    // the config's (a script's own comment may still lower limits).
    options.rules.push(crate::script_runner::FileRule {
        timeout: args.timeout.map(Duration::from_secs_f64),
        limits: crate::script_runner::settings::LimitOverrides {
            max_memory_bytes: args.max_memory,
            max_table_elements: args.max_table_elements,
            max_call_depth: args.max_call_depth,
        },
        ..Default::default()
    });
    Ok((options, config_path))
}

/// The run's engines: `--engine` names (built in, adapters, or external
/// engines the config file names under `[engines.external]`), then every
/// `--engine-cmd`. `--isolate` or the config's `isolate = true` runs the
/// built-in engines in `touchstone serve` worker processes.
fn engines(args: &TestArgs) -> anyhow::Result<Vec<Box<dyn Engine>>> {
    let config = crate::config::Config::find(
        args.config.as_deref(),
        args.paths.first().map(PathBuf::as_path),
    )?;
    let configured = config.as_ref().map(|c| &c.config.engines);
    let given: Vec<String> = args
        .engines
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut names = Vec::new();
    let mut commands = Vec::new();
    for name in given {
        match configured.and_then(|c| c.external.get(&name)) {
            Some(command) => commands.push(
                external::parse_spec(&format!("{name}={command}"))
                    .map_err(|e| anyhow::anyhow!("config engines.external.{e}"))?,
            ),
            None => names.push(name),
        }
    }
    for spec in &args.engine_cmds {
        commands.push(external::parse_spec(spec).map_err(|e| anyhow::anyhow!("--engine-cmd {e}"))?);
    }
    if names.is_empty() && commands.is_empty() {
        names.push("touchstone".to_string());
    }
    let isolate = args.isolate || configured.is_some_and(|c| c.isolate);
    let node = configured.map(|c| c.node.settings()).unwrap_or_default();
    registry::create_engines(&names, &commands, isolate, &node).map_err(|e| anyhow::anyhow!(e))
}

fn scripts(args: &TestArgs) -> anyhow::Result<Chosen> {
    if args.paths.is_empty() {
        let sets: Vec<String> = if args.sets.is_empty() {
            embedded::DEFAULT_SETS
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            args.sets.clone()
        };
        let selection = embedded::select(&sets)?;
        Ok(Chosen {
            scripts: selection.scripts,
            names: sets.iter().map(|s| format!("embedded:{s}")).collect(),
            skipped: selection.skipped,
            path_errors: Vec::new(),
        })
    } else {
        if !args.sets.is_empty() {
            bail!("--set chooses embedded sets; it cannot be combined with PATHs");
        }
        let found = suite::discover_each(&args.paths);
        Ok(Chosen {
            scripts: found.scripts,
            names: args.paths.iter().map(|p| p.display().to_string()).collect(),
            skipped: Vec::new(),
            path_errors: found.path_errors,
        })
    }
}

/// Reads the baselines now, so a missing or broken one is reported before
/// the suite runs.
/// What the run is checked against: `--baseline`, else (for the embedded
/// suite, `builtin`) the expectations built into the binary, else nothing.
pub(super) fn expectations(
    args: &Outputs,
    engines: &[&str],
    builtin: bool,
) -> anyhow::Result<Expectations> {
    let Some(pattern) = &args.baseline else {
        if builtin {
            let builtin = engines.iter().map(|e| Baseline::builtin(e)).collect();
            return Ok(Expectations::Builtin(builtin));
        }
        return Ok(Expectations::None);
    };
    if engines.len() > 1 && !pattern.contains("{engine}") {
        bail!("with several engines, --baseline needs `{{engine}}` in its path");
    }
    let mut baselines = Vec::new();
    let mut earlier = Vec::new();
    for &engine in engines {
        earlier.push(match &args.reasons_from {
            Some(pattern) => {
                let path = PathBuf::from(pattern.replace("{engine}", engine));
                Some(Baseline::load(&path)?)
            }
            None => None,
        });
        let path = PathBuf::from(pattern.replace("{engine}", engine));
        let baseline = if path.exists() {
            Baseline::load(&path)?
        } else if args.bless {
            Baseline::empty(engine)
        } else {
            bail!(
                "baseline {} does not exist (create it with --bless)",
                path.display()
            );
        };
        if args.bless {
            report::outputs::check_writable(&path, "--baseline")?;
        }
        baselines.push((path, baseline));
    }
    Ok(Expectations::Given(baselines, earlier))
}

pub(super) fn mark_known(report: &mut Report, expectations: &Expectations) {
    let baselines: Vec<Option<&Baseline>> = match expectations {
        Expectations::None => return,
        Expectations::Given(b, _) => b.iter().map(|(_, b)| Some(b)).collect(),
        Expectations::Builtin(b) => b.iter().map(Option::as_ref).collect(),
    };
    for (run, baseline) in report.runs.iter_mut().zip(baselines) {
        if let Some(baseline) = baseline {
            baseline.mark_known(run);
        }
    }
}

fn check_baselines(
    report: &Report,
    baselines: &[(PathBuf, Baseline)],
    earlier: &[Option<Baseline>],
    bless: bool,
) -> anyhow::Result<Status> {
    let mut status = Status::Ok;
    for ((run, (path, baseline)), earlier) in report.runs.iter().zip(baselines).zip(earlier) {
        if bless {
            let mut baseline = baseline.clone();
            baseline.engine = run.engine.clone();
            baseline.bless(run);
            if let Some(earlier) = earlier {
                baseline.adopt_reasons(earlier);
            }
            baseline.save(path)?;
            outln!(
                "{}: baseline {} blessed ({} expected non-passes)",
                run.engine,
                path.display(),
                baseline.expected_non_passes().count()
            );
            continue;
        }
        let mismatches = baseline.check(run);
        if mismatches.is_empty() {
            outln!("{}: matches baseline {}", run.engine, path.display());
        } else {
            status = Status::Failed;
            print_mismatches(
                &format!(
                    "{}: {} differences from baseline {}",
                    run.engine,
                    mismatches.len(),
                    path.display()
                ),
                &mismatches,
            );
        }
    }
    Ok(status)
}

/// The embedded suite against the expectations built into the binary: a
/// new or changed failure fails the run; a directive that now passes (or
/// that the suite no longer has) only means the expectations are behind.
fn check_builtin(report: &Report, baselines: &[Option<Baseline>]) -> Status {
    let mut status = Status::Ok;
    for (run, baseline) in report.runs.iter().zip(baselines) {
        let Some(baseline) = baseline else {
            if run.totals.files_failed > 0 {
                status = Status::Failed;
            }
            continue;
        };
        let (notes, failures): (Vec<Mismatch>, Vec<Mismatch>) = baseline
            .check(run)
            .into_iter()
            .partition(|m| matches!(m.label(), "unexpected pass" | "stale"));
        if !failures.is_empty() {
            status = Status::Failed;
            print_mismatches(
                &format!(
                    "{}: {} new failures (not in the built-in expectations)",
                    run.engine,
                    failures.len()
                ),
                &failures,
            );
        }
        if !notes.is_empty() {
            print_mismatches(
                &format!(
                    "{}: {} known failures no longer happen (the built-in expectations are behind; \
                     run reports/bless.sh)",
                    run.engine,
                    notes.len()
                ),
                &notes,
            );
        }
    }
    status
}

fn print_mismatches(heading: &str, mismatches: &[Mismatch]) {
    outln!("{heading}:");
    for m in mismatches.iter().take(50) {
        outln!("  {m}");
    }
    if mismatches.len() > 50 {
        outln!("  ... and {} more", mismatches.len() - 50);
    }
}

fn write_outputs(args: &TestArgs, report: &Report, scripts: &[Script]) -> anyhow::Result<()> {
    let sources = |p: &str| {
        let script = scripts.iter().find(|s| s.path == p)?;
        script.text().ok().map(|t| t.into_owned())
    };
    args.outputs.files.write(report, &sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A limit flag the user gave beats the config's `[suite.limits]` and
    /// `[[suite.files]]` limits; one not given leaves the config's (or the
    /// default); a script's comment still lowers it.
    #[test]
    fn given_limit_flags_override_the_config() {
        use crate::script_runner::script_options::ScriptOptions;
        use crate::script_runner::settings::resolve;
        let dir = std::env::temp_dir().join(format!("touchstone-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("touchstone.toml"),
            "[suite]\ntimeout = 30\n[suite.limits]\nmax-call-depth = 500\nmax-memory = \"1 GiB\"\n\
             [[suite.files]]\nglob = \"*.wast\"\nlimits = { max-table-elements = 77 }\n",
        )
        .unwrap();
        let options = |flags: &[&str]| {
            let mut argv = vec!["touchstone", "test", "--quiet", dir.to_str().unwrap()];
            argv.extend_from_slice(flags);
            let cli = <super::super::Cli as clap::Parser>::parse_from(argv);
            let super::super::Command::Test(args) = cli.command else {
                unreachable!()
            };
            run_options(&args).unwrap().0
        };
        let script = crate::suite::Script::from_text("a.wast", "");
        let plain = ScriptOptions::default();

        let s = resolve(&script, &plain, &options(&[]));
        assert_eq!(s.limits.max_call_depth, 500);
        assert_eq!(s.limits.max_table_elements, 77);
        assert_eq!(s.limits.max_memory_bytes, 1 << 30);
        assert_eq!(s.timeout, Duration::from_secs(30));

        let given = options(&[
            "--max-call-depth=123",
            "--max-table-elements=9",
            "--max-memory=2GiB",
            "--timeout=3",
        ]);
        let s = resolve(&script, &plain, &given);
        assert_eq!(s.limits.max_call_depth, 123);
        assert_eq!(s.limits.max_table_elements, 9);
        assert_eq!(s.limits.max_memory_bytes, 2 << 30);
        assert_eq!(s.timeout, Duration::from_secs(3));

        let lowering = ScriptOptions::from_text(";; touchstone: max-memory-mib=64\n");
        let s = resolve(&script, &lowering, &given);
        assert_eq!(s.limits.max_memory_bytes, 64 << 20);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn builtin_expectations_fail_new_failures_only() {
        use crate::report::{AssertionReport, FileReport, Outcome};
        let run = |outcome| {
            let assertions = vec![AssertionReport {
                line: 1,
                column: 1,
                kind: "module".into(),
                outcome,
                ..Default::default()
            }];
            let file = FileReport {
                path: "a.wast".into(),
                assertions,
                ..Default::default()
            };
            Report {
                runs: vec![crate::report::EngineRun::from_files("e", vec![file], 0.0)],
                ..Default::default()
            }
        };
        let expecting_fail = Baseline::from_report(&run(Outcome::Fail).runs[0]);
        let builtin = |b: &Baseline| vec![Some(b.clone())];
        assert_eq!(
            check_builtin(&run(Outcome::Fail), &builtin(&expecting_fail)),
            Status::Ok
        );
        // Fixed: good news, the expectations are behind; not a failure.
        assert_eq!(
            check_builtin(&run(Outcome::Pass), &builtin(&expecting_fail)),
            Status::Ok
        );
        // New, or changed: fails.
        let empty = Baseline::empty("e");
        assert_eq!(
            check_builtin(&run(Outcome::Fail), &builtin(&empty)),
            Status::Failed
        );
        assert_eq!(
            check_builtin(&run(Outcome::Crash), &builtin(&expecting_fail)),
            Status::Failed
        );
        // An engine with no built-in expectations: any failure fails.
        let mut failing = run(Outcome::Fail);
        failing.runs[0].totals.files_failed = 1;
        assert_eq!(check_builtin(&failing, &[None]), Status::Failed);
    }
}
