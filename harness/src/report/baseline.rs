//! Expected failures: a baseline per engine, recording which directives
//! (path + line + column, or path + subtest name) are known not to pass,
//! and how.
//!
//! A run *matches* its baseline when, for every file it ran, exactly the
//! directives the baseline lists did not pass, each with the listed outcome.
//! A new non-pass is a regression; a listed directive that now passes is an
//! unexpected pass (so the baseline stays exact); a listed directive that is
//! no longer in the file is stale. Files the run did not include are not
//! looked at, so one baseline can cover several suites (the official
//! snapshot, the embedded suite, `testsuite/`) keyed by their paths.
//!
//! On disk (see `docs/report-schema.md`): JSON, entries sorted, one per line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::model::{AssertionKey, EngineRun, FileReport, Outcome};

/// Identifies the file format. 2 added named subtests (`subtest`); files
/// of format 1 (positions only) are read as they are.
pub const FORMAT: &str = "touchstone-baseline/2";
const FORMAT_1: &str = "touchstone-baseline/1";

/// One directive known not to pass.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub kind: String,
    pub outcome: Outcome,
    /// Why the directive does not pass (an upstream bug, a rule the suite
    /// copy predates...), shown next to the known failure. `--bless` keeps
    /// it while the directive keeps its kind and outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The subtest's name, for JS API tests (then `line` and `column` are 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtest: Option<String>,
}

impl Entry {
    fn key(&self) -> AssertionKey {
        (self.line, self.column, self.subtest.clone())
    }
}

/// The reason shown for a known failure whose entry gives none.
pub const NO_REASON: &str = "listed in the baseline";

/// The expected non-passes of one engine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    pub engine: String,
    /// By path, then by position or subtest name.
    files: BTreeMap<String, BTreeMap<AssertionKey, Entry>>,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: String,
    engine: String,
    entries: Vec<Entry>,
}

/// How a run differs from its baseline at one directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub subtest: Option<String>,
    pub kind: String,
    /// What the baseline expects (`pass` when it lists nothing there).
    pub expected: Outcome,
    /// What happened (`None`: the directive is no longer in the file).
    pub actual: Option<Outcome>,
}

impl Mismatch {
    /// `regression`, `unexpected pass`, `changed` or `stale`.
    pub fn label(&self) -> &'static str {
        match (self.expected, self.actual) {
            (_, None) => "stale",
            (Outcome::Pass, Some(_)) => "regression",
            (_, Some(Outcome::Pass)) => "unexpected pass",
            _ => "changed",
        }
    }
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let actual = self
            .actual
            .map_or("missing".to_string(), |o| format!("{o:?}").to_lowercase());
        let at = match &self.subtest {
            Some(name) => format!("{name:?}"),
            None => format!("{}:{}", self.line, self.column),
        };
        write!(
            f,
            "{}:{}: {} {}: expected {}, got {}",
            self.path,
            at,
            self.kind,
            self.label(),
            format!("{:?}", self.expected).to_lowercase(),
            actual
        )
    }
}

impl Baseline {
    /// An empty baseline for `engine` (everything expected to pass).
    pub fn empty(engine: &str) -> Baseline {
        Baseline {
            engine: engine.to_string(),
            files: BTreeMap::new(),
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> anyhow::Result<Baseline> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Baseline::parse(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Parses a baseline from its JSON text.
    pub fn parse(text: &str) -> anyhow::Result<Baseline> {
        let disk: OnDisk = serde_json::from_str(text)?;
        anyhow::ensure!(
            disk.format == FORMAT || disk.format == FORMAT_1,
            "unknown baseline format `{}`",
            disk.format
        );
        let mut baseline = Baseline::empty(&disk.engine);
        for e in disk.entries {
            baseline.insert(e);
        }
        Ok(baseline)
    }

    /// The baseline that a run matches exactly: its non-passes.
    pub fn from_report(run: &EngineRun) -> Baseline {
        let mut baseline = Baseline::empty(&run.engine);
        for file in &run.files {
            baseline.replace_file(file);
        }
        baseline
    }

    fn insert(&mut self, e: Entry) {
        self.files
            .entry(e.path.clone())
            .or_default()
            .insert(e.key(), e);
    }

    /// Replaces what the baseline says about `file` with its outcomes,
    /// keeping the reason of every entry that stays as it was.
    fn replace_file(&mut self, file: &FileReport) {
        let old = self.files.remove(&file.path).unwrap_or_default();
        for a in file
            .assertions
            .iter()
            .filter(|a| a.outcome != Outcome::Pass)
        {
            let reason = old
                .get(&a.key())
                .filter(|e| e.kind == a.kind && e.outcome == a.outcome)
                .and_then(|e| e.reason.clone());
            self.insert(Entry {
                path: file.path.clone(),
                line: a.line,
                column: a.column,
                kind: a.kind.clone(),
                outcome: a.outcome,
                reason,
                subtest: a.subtest.clone(),
            });
        }
    }

    /// Gives entries without a reason the reason `earlier` has for the same
    /// directive with the same kind and outcome.
    pub fn adopt_reasons(&mut self, earlier: &Baseline) {
        for (path, entries) in &mut self.files {
            let Some(old) = earlier.files.get(path) else {
                continue;
            };
            for (pos, e) in entries.iter_mut().filter(|(_, e)| e.reason.is_none()) {
                if let Some(o) = old.get(pos) {
                    if o.kind == e.kind && o.outcome == e.outcome {
                        e.reason = o.reason.clone();
                    }
                }
            }
        }
    }

    /// Marks every directive of `run` that did not pass exactly as this
    /// baseline expects as `known`, with the entry's reason.
    pub fn mark_known(&self, run: &mut EngineRun) {
        for file in &mut run.files {
            let Some(expected) = self.files.get(&file.path) else {
                continue;
            };
            for a in &mut file.assertions {
                if let Some(e) = expected.get(&a.key()) {
                    if e.outcome == a.outcome && a.outcome != Outcome::Pass {
                        a.known = Some(e.reason.clone().unwrap_or_else(|| NO_REASON.into()));
                    }
                }
            }
        }
    }

    /// The expectations built into the binary for `engine`: the project's
    /// committed baseline (`reports/baseline-ENGINE.json`), which covers
    /// the embedded suite. `None` for engines it has none for.
    pub fn builtin(engine: &str) -> Option<Baseline> {
        let text = match engine {
            "touchstone" => include_str!("../../../reports/baseline-touchstone.json"),
            "wasmi" => include_str!("../../../reports/baseline-wasmi.json"),
            _ => return None,
        };
        Some(Baseline::parse(text).expect("the built-in baselines parse (a unit test checks)"))
    }

    /// `--bless`: takes the run's outcomes for every file it ran, keeping
    /// entries of files it did not run.
    pub fn bless(&mut self, run: &EngineRun) {
        for file in &run.files {
            self.replace_file(file);
        }
    }

    /// Every expected non-pass, sorted by path, line, column.
    pub fn expected_non_passes(&self) -> impl Iterator<Item = &Entry> {
        self.files.values().flat_map(|f| f.values())
    }

    /// The expected non-passes of one file.
    pub fn for_file(&self, path: &str) -> impl Iterator<Item = &Entry> {
        self.files.get(path).into_iter().flat_map(|f| f.values())
    }

    /// How one file's outcomes differ from the baseline (empty: they match).
    pub fn check_file(&self, file: &FileReport) -> Vec<Mismatch> {
        let empty = BTreeMap::new();
        let expected = self.files.get(&file.path).unwrap_or(&empty);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for a in &file.assertions {
            seen.insert(a.key());
            let want = expected.get(&a.key()).map_or(Outcome::Pass, |e| e.outcome);
            if want != a.outcome {
                out.push(Mismatch {
                    path: file.path.clone(),
                    line: a.line,
                    column: a.column,
                    subtest: a.subtest.clone(),
                    kind: a.kind.clone(),
                    expected: want,
                    actual: Some(a.outcome),
                });
            }
        }
        for (pos, e) in expected {
            if !seen.contains(pos) {
                out.push(Mismatch {
                    path: e.path.clone(),
                    line: e.line,
                    column: e.column,
                    subtest: e.subtest.clone(),
                    kind: e.kind.clone(),
                    expected: e.outcome,
                    actual: None,
                });
            }
        }
        out
    }

    /// How a whole run differs from the baseline.
    pub fn check(&self, run: &EngineRun) -> Vec<Mismatch> {
        run.files.iter().flat_map(|f| self.check_file(f)).collect()
    }

    /// The JSON text: sorted, one entry per line, so diffs stay readable.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{{");
        let _ = writeln!(
            out,
            "  \"format\": {},",
            serde_json::to_string(FORMAT).unwrap()
        );
        let _ = writeln!(
            out,
            "  \"engine\": {},",
            serde_json::to_string(&self.engine).unwrap()
        );
        let entries: Vec<String> = self
            .expected_non_passes()
            .map(|e| {
                format!(
                    "    {}",
                    serde_json::to_string(e).expect("entries serialize")
                )
            })
            .collect();
        if entries.is_empty() {
            let _ = writeln!(out, "  \"entries\": []");
        } else {
            let _ = writeln!(out, "  \"entries\": [\n{}\n  ]", entries.join(",\n"));
        }
        out.push_str("}\n");
        out
    }

    /// Writes the baseline to `path`, creating its folder.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.to_json()).with_context(|| format!("writing {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{AssertionReport, Totals};

    fn file(path: &str, outcomes: &[(u32, Outcome)]) -> FileReport {
        FileReport {
            path: path.into(),
            area: ".".into(),
            outcome: Outcome::Pass,
            totals: Totals::default(),
            duration_ms: 0.0,
            features: None,
            message: None,
            assertions: outcomes
                .iter()
                .map(|(line, o)| AssertionReport {
                    line: *line,
                    column: 1,
                    kind: "assert_return".into(),
                    outcome: *o,
                    ..AssertionReport::default()
                })
                .collect(),
        }
    }

    fn run(files: Vec<FileReport>) -> EngineRun {
        EngineRun {
            engine: "e".into(),
            files,
            ..EngineRun::default()
        }
    }

    #[test]
    fn a_run_matches_its_own_baseline_and_round_trips() {
        let r = run(vec![
            file("a.wast", &[(1, Outcome::Pass), (2, Outcome::Fail)]),
            file("b.wast", &[(3, Outcome::Timeout)]),
        ]);
        let b = Baseline::from_report(&r);
        assert_eq!(b.expected_non_passes().count(), 2);
        assert!(b.check(&r).is_empty());
        let text = b.to_json();
        assert_eq!(text.lines().filter(|l| l.contains("\"path\"")).count(), 2);
        assert_eq!(Baseline::parse(&text).unwrap(), b);
    }

    #[test]
    fn regressions_unexpected_passes_changes_and_stale_entries() {
        let old = run(vec![file(
            "a.wast",
            &[
                (1, Outcome::Pass),
                (2, Outcome::Fail),
                (3, Outcome::Error),
                (4, Outcome::Fail),
            ],
        )]);
        let b = Baseline::from_report(&old);
        let new = run(vec![file(
            "a.wast",
            &[(1, Outcome::Fail), (2, Outcome::Pass), (3, Outcome::Crash)],
        )]);
        let labels: Vec<&str> = b.check(&new).iter().map(|m| m.label()).collect();
        assert_eq!(
            labels,
            ["regression", "unexpected pass", "changed", "stale"]
        );
    }

    #[test]
    fn files_not_run_are_ignored_and_bless_keeps_them() {
        let mut b = Baseline::from_report(&run(vec![
            file("a.wast", &[(1, Outcome::Fail)]),
            file("b.wast", &[(1, Outcome::Fail)]),
        ]));
        let only_b = run(vec![file("b.wast", &[(1, Outcome::Pass)])]);
        assert_eq!(b.check(&only_b).len(), 1);
        b.bless(&only_b);
        assert!(b.check(&only_b).is_empty());
        assert_eq!(b.for_file("a.wast").count(), 1);
        assert_eq!(b.for_file("b.wast").count(), 0);
    }

    #[test]
    fn bless_keeps_reasons_of_entries_that_stay() {
        let r = run(vec![file(
            "a.wast",
            &[(1, Outcome::Fail), (2, Outcome::Fail)],
        )]);
        let mut b = Baseline::from_report(&r);
        let text = b.to_json().replacen(
            r#""outcome":"fail"}"#,
            r#""outcome":"fail","reason":"upstream rule changed"}"#,
            1,
        );
        b = Baseline::parse(&text).unwrap();
        assert_eq!(
            b.for_file("a.wast").next().unwrap().reason.as_deref(),
            Some("upstream rule changed")
        );
        // Same outcome at line 1: reason kept. Line 2 now times out: the
        // old reason no longer describes it.
        b.bless(&run(vec![file(
            "a.wast",
            &[(1, Outcome::Fail), (2, Outcome::Timeout)],
        )]));
        let reasons: Vec<Option<&str>> =
            b.for_file("a.wast").map(|e| e.reason.as_deref()).collect();
        assert_eq!(reasons, [Some("upstream rule changed"), None]);
        assert!(b.to_json().contains(r#""reason":"upstream rule changed""#));
        // A directive that now passes leaves the baseline with its reason.
        b.bless(&run(vec![file(
            "a.wast",
            &[(1, Outcome::Pass), (2, Outcome::Timeout)],
        )]));
        assert_eq!(b.for_file("a.wast").count(), 1);
    }

    #[test]
    fn reasons_are_adopted_from_an_earlier_baseline() {
        let text = r#"{"format":"touchstone-baseline/1","engine":"e","entries":[
            {"path":"a.wast","line":1,"column":1,"kind":"assert_return","outcome":"fail","reason":"why"},
            {"path":"a.wast","line":2,"column":1,"kind":"assert_return","outcome":"fail","reason":"old"}]}"#;
        let earlier = Baseline::parse(text).unwrap();
        let mut fresh = Baseline::from_report(&run(vec![file(
            "a.wast",
            &[(1, Outcome::Fail), (2, Outcome::Crash)],
        )]));
        fresh.adopt_reasons(&earlier);
        let reasons: Vec<Option<&str>> = fresh
            .for_file("a.wast")
            .map(|e| e.reason.as_deref())
            .collect();
        assert_eq!(reasons, [Some("why"), None]);
    }

    #[test]
    fn mark_known_sets_the_reason_only_on_matching_outcomes() {
        let text = r#"{"format":"touchstone-baseline/1","engine":"e","entries":[
            {"path":"a.wast","line":1,"column":1,"kind":"assert_return","outcome":"fail","reason":"why"},
            {"path":"a.wast","line":2,"column":1,"kind":"assert_return","outcome":"fail"}]}"#;
        let b = Baseline::parse(text).unwrap();
        let mut r = run(vec![file(
            "a.wast",
            &[(1, Outcome::Fail), (2, Outcome::Fail), (3, Outcome::Fail)],
        )]);
        r.files[0].assertions[1].outcome = Outcome::Crash;
        b.mark_known(&mut r);
        let known: Vec<Option<&str>> = r.files[0]
            .assertions
            .iter()
            .map(|a| a.known.as_deref())
            .collect();
        assert_eq!(known, [Some("why"), None, None]);
    }

    #[test]
    fn builtin_baselines_parse_and_give_reasons_for_the_embedded_suite() {
        let b = Baseline::builtin("touchstone").unwrap();
        let embedded: Vec<&Entry> = b
            .expected_non_passes()
            .filter(|e| e.path.starts_with("embedded/"))
            .collect();
        assert!(!embedded.is_empty());
        assert!(embedded.iter().all(|e| e.reason.is_some()), "{embedded:?}");
        assert!(Baseline::builtin("wasmi").is_some());
        assert!(Baseline::builtin("no-such-engine").is_none());
    }

    #[test]
    fn unknown_format_is_rejected() {
        assert!(Baseline::parse(r#"{"format":"other","engine":"e","entries":[]}"#).is_err());
    }
}
