//! `touchstone test`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Status, TestArgs};
use crate::engine::{external, registry, Engine};
use crate::report::baseline::Baseline;
use crate::report::{self, Report};
use crate::runner::RunOptions;
use crate::suite::{self, embedded, filter::Filter, Script};

pub fn run(args: TestArgs) -> anyhow::Result<Status> {
    let engines = engines(&args)?;
    let (mut scripts, suite_names) = scripts(&args)?;
    if let Some(pattern) = &args.filter {
        let filter = Filter::new(pattern)?;
        scripts.retain(|s| filter.matches(&s.path));
        if scripts.is_empty() {
            bail!("--filter {pattern} selects no script");
        }
    }
    let baselines = baseline_paths(&args, &engines)?;
    if args.timeout.is_nan() || args.timeout <= 0.0 {
        bail!("--timeout must be positive");
    }
    let options = RunOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        ..RunOptions::default()
    };

    let bar = progress_bar(scripts.len() * engines.len(), args.quiet);
    let progress = |engine: &str, file: &report::FileReport| {
        bar.set_message(format!("{engine} {}", file.path));
        bar.inc(1);
    };
    let report = crate::run::run(
        &engines,
        &scripts,
        &options,
        args.jobs.unwrap_or(0),
        suite_names,
        &progress,
    )?;
    bar.finish_and_clear();

    write_outputs(&args, &report, &scripts)?;
    print!(
        "{}",
        report::terminal::render(&report, std::io::stdout().is_terminal())
    );

    match baselines {
        None => {
            let failed = report.runs.iter().any(|r| r.totals.files_failed > 0);
            Ok(if failed { Status::Failed } else { Status::Ok })
        }
        Some(paths) => check_baselines(&report, &paths, args.bless),
    }
}

fn engines(args: &TestArgs) -> anyhow::Result<Vec<Box<dyn Engine>>> {
    let names: Vec<String> = if args.engines.is_empty() && args.engine_cmds.is_empty() {
        vec!["touchstone".to_string()]
    } else {
        args.engines.iter().map(|s| s.trim().to_string()).collect()
    };
    let commands = args
        .engine_cmds
        .iter()
        .map(|spec| external::parse_spec(spec).map_err(|e| anyhow::anyhow!("--engine-cmd {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    registry::create_engines(&names, &commands, args.isolate).map_err(|e| anyhow::anyhow!(e))
}

fn scripts(args: &TestArgs) -> anyhow::Result<(Vec<Script>, Vec<String>)> {
    if args.paths.is_empty() {
        let sets: Vec<String> = if args.sets.is_empty() {
            embedded::DEFAULT_SETS
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            args.sets.clone()
        };
        let names = sets.iter().map(|s| format!("embedded:{s}")).collect();
        Ok((embedded::scripts(&sets)?, names))
    } else {
        if !args.sets.is_empty() {
            bail!("--set chooses embedded sets; it cannot be combined with PATHs");
        }
        let names = args.paths.iter().map(|p| p.display().to_string()).collect();
        Ok((suite::discover(&args.paths)?, names))
    }
}

/// The baseline file of each engine, if `--baseline` was given.
fn baseline_paths(
    args: &TestArgs,
    engines: &[Box<dyn Engine>],
) -> anyhow::Result<Option<Vec<PathBuf>>> {
    let Some(pattern) = &args.baseline else {
        return Ok(None);
    };
    if engines.len() > 1 && !pattern.contains("{engine}") {
        bail!("with several engines, --baseline needs `{{engine}}` in its path");
    }
    let paths: Vec<PathBuf> = engines
        .iter()
        .map(|e| PathBuf::from(pattern.replace("{engine}", e.name())))
        .collect();
    if !args.bless {
        for p in &paths {
            if !p.exists() {
                bail!(
                    "baseline {} does not exist (create it with --bless)",
                    p.display()
                );
            }
        }
    }
    Ok(Some(paths))
}

fn check_baselines(report: &Report, paths: &[PathBuf], bless: bool) -> anyhow::Result<Status> {
    let mut status = Status::Ok;
    for (run, path) in report.runs.iter().zip(paths) {
        let mut baseline = if path.exists() {
            Baseline::load(path)?
        } else {
            Baseline::empty(&run.engine)
        };
        if bless {
            baseline.engine = run.engine.clone();
            baseline.bless(run);
            baseline.save(path)?;
            println!(
                "{}: baseline {} blessed ({} expected non-passes)",
                run.engine,
                path.display(),
                baseline.expected_non_passes().count()
            );
            continue;
        }
        let mismatches = baseline.check(run);
        if mismatches.is_empty() {
            println!("{}: matches baseline {}", run.engine, path.display());
        } else {
            status = Status::Failed;
            println!(
                "{}: {} differences from baseline {}:",
                run.engine,
                mismatches.len(),
                path.display()
            );
            for m in mismatches.iter().take(50) {
                println!("  {m}");
            }
            if mismatches.len() > 50 {
                println!("  ... and {} more", mismatches.len() - 50);
            }
        }
    }
    Ok(status)
}

fn write_outputs(args: &TestArgs, report: &Report, scripts: &[Script]) -> anyhow::Result<()> {
    if let Some(path) = &args.json {
        write(path, &serde_json::to_string_pretty(report)?)?;
    }
    if let Some(path) = &args.junit {
        write(path, &report::junit::render(report)?)?;
    }
    if let Some(path) = &args.markdown {
        write(path, &report::markdown::render(report))?;
    }
    if let Some(path) = &args.html {
        let sources = |p: &str| {
            let script = scripts.iter().find(|s| s.path == p)?;
            script.text().ok().map(|t| t.into_owned())
        };
        write(path, &report::html::render_with_sources(report, &sources)?)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
            .expect("valid template"),
    );
    bar
}
