//! `touchstone compare OLD NEW`: what changed between two runs, per engine.
//!
//! A *regression* is a directive that passed before and does not now
//! (including one that no longer runs at all in a file both runs have); a
//! *fix* is the reverse. Files added or removed, outcome changes between
//! two non-passing kinds, and changed failure messages are listed too but
//! do not count as regressions.
//!
//! OLD may also be a baseline (`report/baseline.rs`): see
//! [`compare_to_baseline`] for what a baseline can and cannot tell.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use anyhow::Context as _;

use super::baseline::Baseline;
use super::matrix::outcome_word;
use super::model::{AssertionReport, EngineRun, Outcome, Report};

/// How many entries of each list [`Comparison`]'s `Display` prints; the
/// alternate form (`{:#}`) prints them all.
pub const MAX_SHOWN_PER_LIST: usize = 50;

/// Everything that changed between two reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// One entry per engine present in either report, old order first.
    pub engines: Vec<EngineComparison>,
}

/// The changes of one engine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineComparison {
    /// The engine's name, as in the reports.
    pub engine: String,
    /// Whether the engine ran in the old report.
    pub in_old: bool,
    /// Whether the engine ran in the new report.
    pub in_new: bool,
    /// Passed before, not now.
    pub regressions: Vec<Change>,
    /// Did not pass before, passes now.
    pub fixes: Vec<Change>,
    /// Did not pass in either run, but the outcome kind changed (e.g. fail -> crash).
    pub outcome_changes: Vec<Change>,
    /// Same non-passing outcome, different message or actual value.
    pub message_changes: Vec<Change>,
    /// Passed with a matching message before, passes with a different
    /// message now (a message mismatch, `Totals::message_mismatches`).
    pub mismatches_added: Vec<Change>,
    /// Passed with a different message before, with a matching one now.
    pub mismatches_removed: Vec<Change>,
    /// Paths only the new report has.
    pub files_added: Vec<String>,
    /// Paths only the old report has.
    pub files_removed: Vec<String>,
    /// OLD was a baseline: file lists and messages were not known, so the
    /// lists of files and message changes are empty by necessity.
    pub against_baseline: bool,
}

/// One directive whose result changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The script, as in the reports.
    pub path: String,
    /// The directive's line (0 for a subtest).
    pub line: u32,
    /// The subtest's name, for JS API tests.
    pub subtest: Option<String>,
    /// The directive's keyword.
    pub kind: String,
    /// The outcome before; `None` when the directive was not reported then.
    pub old: Option<Outcome>,
    /// The outcome now; `None` when the directive is no longer reported.
    pub new: Option<Outcome>,
    /// The message (or actual value) before, when there is one.
    pub old_detail: Option<String>,
    /// The message (or actual value) now, when there is one.
    pub new_detail: Option<String>,
}

impl Comparison {
    /// True when any engine has a regression: the CLI then exits non-zero.
    pub fn has_regressions(&self) -> bool {
        self.engines.iter().any(|e| !e.regressions.is_empty())
    }

    /// Total regressions over every engine.
    pub fn regression_count(&self) -> usize {
        self.engines.iter().map(|e| e.regressions.len()).sum()
    }
}

/// Compares two reports engine by engine (engines are matched by name,
/// files by path, directives by line and column).
pub fn compare(old: &Report, new: &Report) -> Comparison {
    let mut names: Vec<&str> = old.runs.iter().map(|r| r.engine.as_str()).collect();
    for run in &new.runs {
        if !names.contains(&run.engine.as_str()) {
            names.push(&run.engine);
        }
    }
    let find =
        |report: &'_ Report, name: &str| report.runs.iter().find(|r| r.engine == name).cloned();
    let engines = names
        .into_iter()
        .map(|name| compare_engine(name, find(old, name).as_ref(), find(new, name).as_ref()))
        .collect();
    Comparison { engines }
}

fn compare_engine(
    name: &str,
    old: Option<&EngineRun>,
    new: Option<&EngineRun>,
) -> EngineComparison {
    let mut cmp = EngineComparison {
        engine: name.to_string(),
        in_old: old.is_some(),
        in_new: new.is_some(),
        ..Default::default()
    };
    let (Some(old), Some(new)) = (old, new) else {
        return cmp;
    };
    let old_files: BTreeMap<&str, _> = old.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let new_files: BTreeMap<&str, _> = new.files.iter().map(|f| (f.path.as_str(), f)).collect();
    cmp.files_removed = old_files
        .keys()
        .filter(|p| !new_files.contains_key(*p))
        .map(|p| p.to_string())
        .collect();
    cmp.files_added = new_files
        .keys()
        .filter(|p| !old_files.contains_key(*p))
        .map(|p| p.to_string())
        .collect();

    for (path, old_file) in &old_files {
        let Some(new_file) = new_files.get(path) else {
            continue;
        };
        let key = |a: &AssertionReport| a.key();
        let olds: BTreeMap<_, &AssertionReport> =
            old_file.assertions.iter().map(|a| (key(a), a)).collect();
        let news: BTreeMap<_, &AssertionReport> =
            new_file.assertions.iter().map(|a| (key(a), a)).collect();
        for (pos, o) in &olds {
            let n = news.get(pos).copied();
            classify(&mut cmp, path, o, n);
        }
        for (pos, n) in &news {
            if !olds.contains_key(pos) && n.outcome == Outcome::Pass {
                // A directive that only the new run reached and passed:
                // e.g. a file that used to stop early now runs through.
                cmp.fixes.push(change(path, None, Some(n)));
            }
        }
    }
    cmp
}

fn classify(
    cmp: &mut EngineComparison,
    path: &str,
    old: &AssertionReport,
    new: Option<&AssertionReport>,
) {
    let was_pass = old.outcome == Outcome::Pass;
    match new {
        None if was_pass => cmp.regressions.push(change(path, Some(old), None)),
        None => {}
        Some(n) => match (was_pass, n.outcome == Outcome::Pass) {
            (true, false) => cmp.regressions.push(change(path, Some(old), Some(n))),
            (false, true) => cmp.fixes.push(change(path, Some(old), Some(n))),
            (true, true) => match (old.message_mismatch, n.message_mismatch) {
                (false, true) => cmp.mismatches_added.push(change(path, Some(old), Some(n))),
                (true, false) => cmp
                    .mismatches_removed
                    .push(change(path, Some(old), Some(n))),
                _ => {}
            },
            (false, false) if old.outcome != n.outcome => {
                cmp.outcome_changes.push(change(path, Some(old), Some(n)))
            }
            (false, false) => {
                if old.message != n.message || old.actual != n.actual {
                    cmp.message_changes.push(change(path, Some(old), Some(n)));
                }
            }
        },
    }
}

fn change(path: &str, old: Option<&AssertionReport>, new: Option<&AssertionReport>) -> Change {
    let any = old.or(new).expect("a change has at least one side");
    let detail = |a: &AssertionReport| a.message.clone().or_else(|| a.actual.clone());
    Change {
        path: path.to_string(),
        line: any.line,
        subtest: any.subtest.clone(),
        kind: any.kind.clone(),
        old: old.map(|a| a.outcome),
        new: new.map(|a| a.outcome),
        old_detail: old.and_then(detail),
        new_detail: new.and_then(detail),
    }
}

/// Compares a run with an engine's baseline (expected non-passes).
///
/// A baseline lists no passing directives, no messages and no file list,
/// so: a directive it does not list counts as passing before; message
/// changes and added or removed files cannot be told and are not reported;
/// a listed directive missing from the run shows as an outcome change to
/// "not run". Engines of `new` other than the baseline's are named as new.
pub fn compare_to_baseline(old: &Baseline, new: &Report) -> Comparison {
    let mut engines = Vec::new();
    let run = new.runs.iter().find(|r| r.engine == old.engine);
    let mut cmp = EngineComparison {
        engine: old.engine.clone(),
        in_old: true,
        in_new: run.is_some(),
        against_baseline: true,
        ..Default::default()
    };
    for file in run.iter().flat_map(|r| &r.files) {
        for m in old.check_file(file) {
            let change = Change {
                path: m.path,
                line: m.line,
                subtest: m.subtest.clone(),
                kind: m.kind,
                old: Some(m.expected),
                new: m.actual,
                old_detail: None,
                new_detail: file
                    .assertions
                    .iter()
                    .find(|a| a.key() == (m.line, m.column, m.subtest.clone()))
                    .and_then(|a| a.message.clone().or_else(|| a.actual.clone())),
            };
            match (m.expected, m.actual) {
                (Outcome::Pass, Some(_)) => cmp.regressions.push(change),
                (_, Some(Outcome::Pass)) => cmp.fixes.push(change),
                _ => cmp.outcome_changes.push(change),
            }
        }
    }
    engines.push(cmp);
    for run in new.runs.iter().filter(|r| r.engine != old.engine) {
        engines.push(EngineComparison {
            engine: run.engine.clone(),
            in_old: false,
            in_new: true,
            ..Default::default()
        });
    }
    Comparison { engines }
}

/// What `compare` accepts as OLD.
#[derive(Clone, Debug)]
pub enum Old {
    /// A JSON report of an earlier run.
    Report(Report),
    /// One engine's baseline of expected non-passes.
    Baseline(Baseline),
}

/// Reads two reports, or a baseline as OLD and a report as NEW, and
/// compares them (`touchstone compare`).
pub fn run(old: &Path, new: &Path) -> anyhow::Result<Comparison> {
    let new_report = read_report(new)?;
    let cmp = match read_old(old)? {
        Old::Report(old_report) => compare(&old_report, &new_report),
        Old::Baseline(baseline) => compare_to_baseline(&baseline, &new_report),
    };
    Ok(cmp)
}

/// Reads a JSON report written by `touchstone test --json`.
pub fn read_report(path: &Path) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a touchstone JSON report", path.display()))
}

/// Reads OLD: a baseline when its `format` says so, else a report.
pub fn read_old(path: &Path) -> anyhow::Result<Old> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let is_baseline = value
        .get("format")
        .and_then(|f| f.as_str())
        .is_some_and(|f| f.starts_with("touchstone-baseline/"));
    if is_baseline {
        let baseline = Baseline::parse(&text)
            .with_context(|| format!("reading baseline {}", path.display()))?;
        Ok(Old::Baseline(baseline))
    } else {
        let report = serde_json::from_value(value)
            .with_context(|| format!("{} is not a touchstone JSON report", path.display()))?;
        Ok(Old::Report(report))
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cap = if f.alternate() {
            usize::MAX
        } else {
            MAX_SHOWN_PER_LIST
        };
        for e in &self.engines {
            write_engine(f, e, cap)?;
        }
        let regressions = self.regression_count();
        if regressions == 0 {
            writeln!(f, "No regressions.")
        } else {
            let verb = if regressions == 1 { "passes" } else { "pass" };
            writeln!(
                f,
                "REGRESSED: {regressions} directive{} no longer {verb}.",
                plural(regressions)
            )
        }
    }
}

fn write_engine(f: &mut fmt::Formatter<'_>, e: &EngineComparison, cap: usize) -> fmt::Result {
    match (e.in_old, e.in_new) {
        (true, false) => return writeln!(f, "{}: engine only in the old report\n", e.engine),
        (false, true) => return writeln!(f, "{}: engine only in the new report\n", e.engine),
        _ => {}
    }
    if e.against_baseline {
        writeln!(
            f,
            "{}: {} regression{}, {} fix{}, {} outcome change{} (against a baseline, which records no messages or file list)",
            e.engine,
            e.regressions.len(),
            plural(e.regressions.len()),
            e.fixes.len(),
            if e.fixes.len() == 1 { "" } else { "es" },
            e.outcome_changes.len(),
            plural(e.outcome_changes.len()),
        )?;
    } else {
        write_counts(f, e)?;
    }
    write_changes(f, "regressions", &e.regressions, cap, Detail::New)?;
    write_changes(f, "fixes", &e.fixes, cap, Detail::None)?;
    write_changes(f, "outcome changes", &e.outcome_changes, cap, Detail::Both)?;
    write_changes(f, "message changes", &e.message_changes, cap, Detail::Both)?;
    write_changes(
        f,
        "new message mismatches (pass, other wording)",
        &e.mismatches_added,
        cap,
        Detail::New,
    )?;
    write_changes(
        f,
        "message mismatches gone",
        &e.mismatches_removed,
        cap,
        Detail::None,
    )?;
    write_paths(f, "files added", &e.files_added, cap)?;
    write_paths(f, "files removed", &e.files_removed, cap)?;
    writeln!(f)
}

/// Which messages a list shows: what went wrong now (regressions), how the
/// wording moved (changes), or nothing (fixes: passing needs no message).
#[derive(Clone, Copy, PartialEq)]
enum Detail {
    None,
    New,
    Both,
}

fn write_counts(f: &mut fmt::Formatter<'_>, e: &EngineComparison) -> fmt::Result {
    writeln!(
        f,
        "{}: {} regression{}, {} fix{}, {} file{} added, {} removed, {} outcome change{}, {} message change{}",
        e.engine,
        e.regressions.len(),
        plural(e.regressions.len()),
        e.fixes.len(),
        if e.fixes.len() == 1 { "" } else { "es" },
        e.files_added.len(),
        plural(e.files_added.len()),
        e.files_removed.len(),
        e.outcome_changes.len(),
        plural(e.outcome_changes.len()),
        e.message_changes.len(),
        plural(e.message_changes.len()),
    )
}

fn write_changes(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    changes: &[Change],
    cap: usize,
    detail: Detail,
) -> fmt::Result {
    if changes.is_empty() {
        return Ok(());
    }
    writeln!(f, "  {title}:")?;
    for c in changes.iter().take(cap) {
        let side = |o: Option<Outcome>| o.map_or("not run", outcome_word);
        write!(
            f,
            "    {}:{} {}: {} -> {}",
            c.path,
            super::model::locate(c.line, c.subtest.as_deref()),
            c.kind,
            side(c.old),
            side(c.new)
        )?;
        match (detail, &c.old_detail, &c.new_detail) {
            (Detail::Both, Some(o), Some(n)) if o != n => write!(f, " ({o:?} -> {n:?})")?,
            (Detail::Both, None, Some(n)) | (Detail::New, _, Some(n)) => write!(f, " ({n:?})")?,
            (Detail::Both, Some(o), None) => write!(f, " (was {o:?})")?,
            _ => {}
        }
        writeln!(f)?;
    }
    more(f, changes.len(), cap)
}

fn write_paths(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    paths: &[String],
    cap: usize,
) -> fmt::Result {
    if paths.is_empty() {
        return Ok(());
    }
    writeln!(f, "  {title}:")?;
    for p in paths.iter().take(cap) {
        writeln!(f, "    {p}")?;
    }
    more(f, paths.len(), cap)
}

fn more(f: &mut fmt::Formatter<'_>, len: usize, cap: usize) -> fmt::Result {
    if len > cap {
        writeln!(f, "    ... and {} more", len - cap)?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
