//! Computations shared by every human-facing format: the area × engine
//! matrix and the divergences between engines.
//!
//! Both are derived from a [`Report`] only, so the terminal summary, the
//! Markdown comment and the HTML dashboard always show the same numbers.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{AssertionReport, EngineRun, FileReport, Outcome, Report, Totals};

/// Directive counts per area (the folder a script sits in) and engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// Engine names, in the report's order; the column order of every row.
    pub engines: Vec<String>,
    /// One row per area, sorted by area name.
    pub rows: Vec<AreaRow>,
    /// Per-engine totals over every area (the report's own totals).
    pub totals: Vec<Totals>,
    /// Per engine: known failures over every area.
    pub known_totals: Vec<u64>,
}

/// One area's counts, one cell per engine.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaRow {
    /// The folder, `.` for the top level (see [`area_label`]).
    pub area: String,
    /// `None` when that engine ran no file of this area.
    pub cells: Vec<Option<Totals>>,
    /// Per engine: how many of the cell's non-passes are known failures.
    pub known: Vec<u64>,
}

/// Builds the area × engine matrix of a report.
///
/// Area counts are summed from the files' totals; the `files` and
/// `files_failed` fields of each cell count the area's files.
pub fn area_matrix(report: &Report) -> Matrix {
    let engines: Vec<String> = report.runs.iter().map(|r| r.engine.clone()).collect();
    type Cells = (Vec<Option<Totals>>, Vec<u64>);
    let mut by_area: BTreeMap<&str, Cells> = BTreeMap::new();
    for (e, run) in report.runs.iter().enumerate() {
        for file in &run.files {
            let (cells, known) = by_area
                .entry(file.area.as_str())
                .or_insert_with(|| (vec![None; engines.len()], vec![0; engines.len()]));
            let cell = cells[e].get_or_insert_with(Totals::default);
            add_file(cell, &file.totals, file.outcome);
            known[e] += known_in(&file.assertions);
        }
    }
    let rows = by_area
        .into_iter()
        .map(|(area, (cells, known))| AreaRow {
            area: area.to_string(),
            cells,
            known,
        })
        .collect();
    let totals = report.runs.iter().map(|r| r.totals).collect();
    let known_totals = report.runs.iter().map(known_in_run).collect();
    Matrix {
        engines,
        rows,
        totals,
        known_totals,
    }
}

/// How many of `assertions` did not pass but were expected not to (by the
/// baseline or the expectations built into the binary).
pub fn known_in(assertions: &[AssertionReport]) -> u64 {
    assertions
        .iter()
        .filter(|a| a.outcome != Outcome::Pass && a.known.is_some())
        .count() as u64
}

/// Known failures of one engine's whole run.
pub fn known_in_run(run: &EngineRun) -> u64 {
    run.files.iter().map(|f| known_in(&f.assertions)).sum()
}

/// True when a file failed in a way the baseline does not expect: it could
/// not run, or a directive failed that is not a known failure.
pub fn file_fails_unexpectedly(file: &FileReport) -> bool {
    let any_failure = file.assertions.iter().any(|a| a.outcome != Outcome::Pass);
    file.message.is_some()
        || file
            .assertions
            .iter()
            .any(|a| a.outcome != Outcome::Pass && a.known.is_none())
        || (file.outcome != Outcome::Pass && !any_failure)
}

/// True when the report holds something that fails the run: a path given
/// that could not run, or a file failing unexpectedly (known failures,
/// marked by the baseline, do not).
pub fn fails_unexpectedly(report: &Report) -> bool {
    !report.path_errors.is_empty()
        || report
            .runs
            .iter()
            .flat_map(|r| &r.files)
            .any(file_fails_unexpectedly)
}

/// True when every directive passed or failed as expected: what the
/// formats show as green (a known failure does not fail the run).
pub fn clean(t: &Totals, known: u64) -> bool {
    t.passed + known == t.directives()
}

fn add_file(cell: &mut Totals, file: &Totals, outcome: Outcome) {
    cell.add_directives(file);
    cell.files += 1;
    if outcome != Outcome::Pass {
        cell.files_failed += 1;
    }
}

/// One directive on which the engines disagree.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The script, as in the report.
    pub path: String,
    /// Where the directive starts.
    pub line: u32,
    /// Its column on that line.
    pub column: u32,
    /// The subtest's name, for JS API tests (then line and column are 0).
    pub subtest: Option<String>,
    /// The directive's keyword, from the first engine that ran it.
    pub kind: String,
    /// What the script expects, from the first engine that ran it.
    pub expected: Option<String>,
    /// One entry per engine, in the report's order; `None` when that engine
    /// has no result for this directive (e.g. its file stopped earlier).
    pub results: Vec<Option<EngineResult>>,
}

/// What one engine did on a divergent directive.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineResult {
    /// The engine's outcome.
    pub outcome: Outcome,
    /// What the engine produced, in `.wast` syntax.
    pub actual: Option<String>,
    /// The engine's or the runner's message.
    pub message: Option<String>,
}

impl From<&AssertionReport> for EngineResult {
    fn from(a: &AssertionReport) -> Self {
        EngineResult {
            outcome: a.outcome,
            actual: a.actual.clone(),
            message: a.message.clone(),
        }
    }
}

impl Divergence {
    /// How telling the disagreement is, most telling lowest: 0 when every
    /// engine ran the directive (pass vs fail, crash or timeout: a real
    /// difference in behaviour), 1 when one could not run it (`error`,
    /// usually a cascade from an earlier module), 2 when one does not
    /// support it at all.
    pub fn weight(&self) -> u8 {
        let outcomes = || self.results.iter().flatten().map(|r| r.outcome);
        if outcomes().any(|o| o == Outcome::Unsupported) {
            2
        } else if outcomes().any(|o| o == Outcome::Error) {
            1
        } else {
            0
        }
    }
}

/// How many divergences every engine ran (weight 0).
pub fn decisive_count(divergences: &[Divergence]) -> usize {
    divergences.iter().filter(|d| d.weight() == 0).count()
}

/// Finds the directives (same path, line and column) whose outcome differs
/// between engines: the most telling first (see [`Divergence::weight`]),
/// then by path and position. On a real suite thousands differ only
/// because one engine lacks a proposal; the few where both ran the
/// directive and disagree must not be buried under them.
///
/// A directive counts only when at least two engines ran it: one missing on
/// an engine is already explained by that file's timeout, crash or error,
/// and listing every directive after it would bury the real disagreements.
pub fn divergences(report: &Report) -> Vec<Divergence> {
    let n = report.runs.len();
    if n < 2 {
        return Vec::new();
    }
    type Key<'a> = (&'a str, u32, u32, Option<String>);
    let mut seen: BTreeMap<Key, Vec<Option<&AssertionReport>>> = BTreeMap::new();
    for (e, run) in report.runs.iter().enumerate() {
        for file in &run.files {
            for a in &file.assertions {
                let slot = seen
                    .entry((file.path.as_str(), a.line, a.column, a.subtest.clone()))
                    .or_insert_with(|| vec![None; n]);
                // A second directive at the same position (never in real
                // scripts) keeps the first: positions are the identity here.
                slot[e].get_or_insert(a);
            }
        }
    }
    let mut found: Vec<Divergence> = seen
        .into_iter()
        .filter(|(_, results)| disagree(results))
        .map(|((path, line, column, subtest), results)| {
            let first = results
                .iter()
                .flatten()
                .next()
                .expect("at least two results");
            Divergence {
                path: path.to_string(),
                line,
                column,
                subtest,
                kind: first.kind.clone(),
                expected: first.expected.clone(),
                results: results.iter().map(|r| r.map(EngineResult::from)).collect(),
            }
        })
        .collect();
    // Stable: path order is kept within each weight.
    found.sort_by_key(Divergence::weight);
    found
}

fn disagree(results: &[Option<&AssertionReport>]) -> bool {
    let outcomes: BTreeSet<Outcome> = results.iter().flatten().map(|a| a.outcome).collect();
    results.iter().flatten().count() >= 2 && outcomes.len() > 1
}

/// True when `message` only repeats what `actual` already shows (engines
/// often quote their error text in both), so a format can show one.
pub fn repeats(message: &str, actual: Option<&str>) -> bool {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    actual.is_some_and(|a| words(a).contains(&words(message)))
}

/// Display name of an area: the top folder `.` reads as `(top level)`.
pub fn area_label(area: &str) -> &str {
    if area == "." || area.is_empty() {
        "(top level)"
    } else {
        area
    }
}

/// Lower-case word for an outcome, as used in every format.
pub fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Error => "error",
        Outcome::Unsupported => "unsupported",
        Outcome::Timeout => "timeout",
        Outcome::Crash => "crash",
    }
}

/// Share of directives that passed, in percent (100 when nothing ran).
pub fn pass_rate(t: &Totals) -> f64 {
    let all = t.directives();
    if all == 0 {
        100.0
    } else {
        t.passed as f64 * 100.0 / all as f64
    }
}

/// Digits after the point in every pass rate shown, in every format.
pub const RATE_DECIMALS: usize = 2;

/// The pass rate as text, rounded down to [`RATE_DECIMALS`] digits (the one
/// rule every format uses), so a run with a single non-pass never reads
/// "100.00%" and a header and a table never disagree.
pub fn pass_rate_text(t: &Totals) -> String {
    // Integer arithmetic: floating point would turn 99.99 into 99.98.
    let all = t.directives();
    if all == 0 {
        return format!("{:.RATE_DECIMALS$}%", 100.0);
    }
    let scale = 10u128.pow(RATE_DECIMALS as u32);
    let hundredths = u128::from(t.passed) * 100 * scale / u128::from(all);
    let whole = hundredths / scale;
    let frac = hundredths % scale;
    format!("{whole}.{frac:0RATE_DECIMALS$}%")
}

/// How urgently a non-pass needs a person, lowest first: wrong behaviour
/// (fail, crash, timeout) 0, could not run (error, often a cascade from
/// one module) 1, unsupported 2; pass 3.
pub fn attention(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Fail | Outcome::Crash | Outcome::Timeout => 0,
        Outcome::Error => 1,
        Outcome::Unsupported => 2,
        Outcome::Pass => 3,
    }
}

/// Non-passing directives the baseline does not expect: the real failures,
/// in report order.
pub fn unexpected_failures(
    report: &Report,
) -> impl Iterator<Item = (&str, &str, &AssertionReport)> {
    failures(report).filter(|(_, _, a)| a.known.is_none())
}

/// Non-passing directives the baseline expects, with its reason, in report
/// order: `(engine, path, assertion, reason)`.
pub fn known_failures(
    report: &Report,
) -> impl Iterator<Item = (&str, &str, &AssertionReport, &str)> {
    failures(report).filter_map(|(e, p, a)| a.known.as_deref().map(|why| (e, p, a, why)))
}

/// Every non-passing directive of every engine, in report order:
/// `(engine, path, assertion)`. Formats cap how many they show.
pub fn failures(report: &Report) -> impl Iterator<Item = (&str, &str, &AssertionReport)> {
    report.runs.iter().flat_map(|run| {
        run.files.iter().flat_map(move |file| {
            file.assertions
                .iter()
                .filter(|a| a.outcome != Outcome::Pass)
                .map(move |a| (run.engine.as_str(), file.path.as_str(), a))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_text_never_rounds_up_to_a_full_pass() {
        let t = Totals {
            passed: 67113,
            failed: 6,
            ..Totals::default()
        };
        assert_eq!(pass_rate_text(&t), "99.99%");
        let one_in_a_million = Totals {
            passed: 999_999,
            failed: 1,
            ..Totals::default()
        };
        assert_eq!(pass_rate_text(&one_in_a_million), "99.99%");
        let all = Totals {
            passed: 3,
            ..Totals::default()
        };
        assert_eq!(pass_rate_text(&all), "100.00%");
        assert_eq!(pass_rate_text(&Totals::default()), "100.00%");
        let third = Totals {
            passed: 2,
            failed: 1,
            ..Totals::default()
        };
        assert_eq!(pass_rate_text(&third), "66.66%");
    }
    use crate::report::model::{EngineRun, FileReport};

    fn assertion(line: u32, outcome: Outcome) -> AssertionReport {
        AssertionReport {
            line,
            column: 1,
            kind: "assert_return".into(),
            outcome,
            ..Default::default()
        }
    }

    fn file(path: &str, area: &str, assertions: Vec<AssertionReport>) -> FileReport {
        let mut totals = Totals {
            files: 1,
            ..Default::default()
        };
        let mut outcome = Outcome::Pass;
        for a in &assertions {
            totals.count(a.outcome);
            outcome = outcome.max(a.outcome);
        }
        FileReport {
            path: path.into(),
            area: area.into(),
            outcome,
            totals,
            assertions,
            ..Default::default()
        }
    }

    fn run(engine: &str, files: Vec<FileReport>) -> EngineRun {
        let mut totals = Totals::default();
        for f in &files {
            totals.passed += f.totals.passed;
            totals.failed += f.totals.failed;
            totals.files += 1;
        }
        EngineRun {
            engine: engine.into(),
            totals,
            files,
            ..Default::default()
        }
    }

    #[test]
    fn matrix_groups_files_by_area_and_engine() {
        let report = Report {
            runs: vec![
                run(
                    "a",
                    vec![
                        file(
                            "x/1.wast",
                            "x",
                            vec![assertion(1, Outcome::Pass), assertion(2, Outcome::Fail)],
                        ),
                        file("x/2.wast", "x", vec![assertion(1, Outcome::Pass)]),
                        file("y.wast", ".", vec![assertion(1, Outcome::Pass)]),
                    ],
                ),
                run(
                    "b",
                    vec![file("x/1.wast", "x", vec![assertion(1, Outcome::Pass)])],
                ),
            ],
            ..Default::default()
        };
        let m = area_matrix(&report);
        assert_eq!(m.engines, ["a", "b"]);
        let areas: Vec<&str> = m.rows.iter().map(|r| r.area.as_str()).collect();
        assert_eq!(areas, [".", "x"]);
        let x_a = m.rows[1].cells[0].unwrap();
        assert_eq!(
            (x_a.passed, x_a.failed, x_a.files, x_a.files_failed),
            (2, 1, 2, 1)
        );
        assert_eq!(m.rows[1].cells[1].unwrap().passed, 1);
        assert_eq!(
            m.rows[0].cells[1], None,
            "engine b ran nothing at top level"
        );
    }

    #[test]
    fn divergences_need_two_results_that_differ() {
        let report = Report {
            runs: vec![
                run(
                    "a",
                    vec![file(
                        "f.wast",
                        ".",
                        vec![
                            assertion(1, Outcome::Pass),
                            assertion(2, Outcome::Fail),
                            assertion(3, Outcome::Pass),
                        ],
                    )],
                ),
                run(
                    "b",
                    vec![file(
                        "f.wast",
                        ".",
                        vec![assertion(1, Outcome::Pass), assertion(2, Outcome::Pass)],
                    )],
                ),
            ],
            ..Default::default()
        };
        let d = divergences(&report);
        assert_eq!(
            d.len(),
            1,
            "line 1 agrees, line 3 ran on one engine only: {d:?}"
        );
        assert_eq!(d[0].line, 2);
        let outcomes: Vec<Outcome> = d[0]
            .results
            .iter()
            .map(|r| r.as_ref().unwrap().outcome)
            .collect();
        assert_eq!(outcomes, [Outcome::Fail, Outcome::Pass]);
    }

    #[test]
    fn telling_divergences_come_first() {
        let report = Report {
            runs: vec![
                run(
                    "a",
                    vec![file(
                        "f.wast",
                        ".",
                        vec![
                            assertion(1, Outcome::Unsupported),
                            assertion(2, Outcome::Error),
                            assertion(3, Outcome::Fail),
                        ],
                    )],
                ),
                run(
                    "b",
                    vec![file(
                        "f.wast",
                        ".",
                        vec![
                            assertion(1, Outcome::Pass),
                            assertion(2, Outcome::Pass),
                            assertion(3, Outcome::Pass),
                        ],
                    )],
                ),
            ],
            ..Default::default()
        };
        let d = divergences(&report);
        let lines: Vec<u32> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, [3, 2, 1]);
        assert_eq!(decisive_count(&d), 1);
    }

    #[test]
    fn message_quoted_in_actual_is_not_repeated() {
        assert!(repeats(
            "unexpected  end",
            Some("error \"unexpected\nend\"")
        ));
        assert!(!repeats("out of bounds", Some("(i32.const 1)")));
        assert!(!repeats("out of bounds", None));
    }

    #[test]
    fn one_engine_has_no_divergences() {
        let report = Report {
            runs: vec![run(
                "a",
                vec![file("f.wast", ".", vec![assertion(1, Outcome::Fail)])],
            )],
            ..Default::default()
        };
        assert!(divergences(&report).is_empty());
    }

    #[test]
    fn failures_skip_passes() {
        let report = Report {
            runs: vec![run(
                "a",
                vec![file(
                    "f.wast",
                    ".",
                    vec![assertion(1, Outcome::Pass), assertion(2, Outcome::Error)],
                )],
            )],
            ..Default::default()
        };
        let lines: Vec<u32> = failures(&report).map(|(_, _, a)| a.line).collect();
        assert_eq!(lines, [2]);
    }
}
