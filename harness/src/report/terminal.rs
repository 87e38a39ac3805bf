//! The summary printed after every run: an area × engine table of counts,
//! per-engine totals, and (with several engines) where they disagree.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::matrix::{self, Divergence, Matrix};
use super::model::{AssertionReport, Outcome, Report, Totals};

/// How many divergences the summary lists before saying "and N more".
pub const MAX_DIVERGENCES_SHOWN: usize = 10;

/// How many failures the summary lists (wrong results first).
pub const MAX_FAILURES_SHOWN: usize = 10;

/// How many known failures (expected by the baseline) the summary lists.
pub const MAX_KNOWN_SHOWN: usize = 10;

/// How many skipped files and path errors the summary lists.
pub const MAX_SKIPPED_SHOWN: usize = 5;

/// How the summary is laid out.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// ANSI styles (a terminal, and `NO_COLOR` not set).
    pub color: bool,
    /// The terminal's width: detail text is cut to fit it. `None` (output
    /// piped to a file or a CI log) prints every message in full.
    pub width: Option<usize>,
}

impl Layout {
    /// The layout for standard output: colour and cutting only on a
    /// terminal; colour never when `NO_COLOR` is set (no-color.org).
    pub fn for_stdout() -> Layout {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        Layout {
            color: color_enabled(tty, std::env::var_os("NO_COLOR").as_deref()),
            width: if tty {
                console::Term::stdout()
                    .size_checked()
                    .map(|(_rows, cols)| usize::from(cols))
            } else {
                None
            },
        }
    }
}

/// Column headers of the count table, in [`counts`] order.
const COUNT_HEADERS: [&str; 7] = [
    "passed",
    "failed",
    "errors",
    "unsupp.",
    "timeouts",
    "crashes",
    "files failed",
];

/// Colour when writing to a terminal, unless `NO_COLOR` is set to a
/// non-empty value.
pub fn color_enabled(tty: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    tty && no_color.is_none_or(|v| v.is_empty())
}

/// Renders the run summary with every message in full; `color` adds ANSI
/// styles.
pub fn render(report: &Report, color: bool) -> String {
    render_with(report, Layout { color, width: None })
}

/// Renders the run summary for `layout`.
pub fn render_with(report: &Report, layout: Layout) -> String {
    let paint = Painter {
        color: layout.color,
        width: layout.width,
    };
    let m = matrix::area_matrix(report);
    let mut out = String::new();
    write_path_errors(&mut out, report, &paint);
    if !report.suite.is_empty() {
        let files = report.runs.first().map_or(0, |r| r.files.len());
        let skipped = match report.skipped.len() {
            0 => String::new(),
            n => format!("; {n} skipped, listed below"),
        };
        let _ = writeln!(
            out,
            "Ran: {} ({files} files{skipped})",
            report.suite.join(", ")
        );
        if let Some(config) = &report.config {
            let _ = writeln!(out, "Config: {config}");
        }
        out.push('\n');
    }
    if m.engines.is_empty() {
        out.push_str("No engine ran.\n");
        return out;
    }
    write_table(&mut out, &m, &paint);
    out.push('\n');
    for run in &report.runs {
        let known = matrix::known_in_run(run) as usize;
        write_engine_total(
            &mut out,
            &run.engine,
            &run.totals,
            known,
            run.wall_time_ms,
            &paint,
        );
        if let Some(info) = run.info.describe() {
            let _ = writeln!(out, "  {} ran as: {info}", run.engine);
        }
    }
    write_skipped(&mut out, report, &paint);
    write_failures(&mut out, report, &paint);
    write_known(&mut out, report, &paint);
    if report.runs.len() > 1 {
        write_divergences(&mut out, report, &matrix::divergences(report), &paint);
    }
    out
}

/// Adds styles only when colour is on, so the plain text is identical; cuts
/// details to the terminal's width when there is one.
struct Painter {
    color: bool,
    width: Option<usize>,
}

impl Painter {
    /// `text` cut so that a line already `used` columns wide fits the
    /// terminal (at least `MIN_DETAIL` characters are kept); in full when
    /// there is no terminal.
    fn fit(&self, text: &str, used: usize) -> String {
        const MIN_DETAIL: usize = 20;
        match self.width {
            Some(w) => truncate(text, w.saturating_sub(used).max(MIN_DETAIL)),
            None => one_line(text),
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color && style != Style::new() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

fn bold() -> Style {
    Style::new().bold()
}

fn fg(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into()))
}

/// The counts shown in a row, with the style each takes when non-zero.
fn counts(t: &Totals) -> [(String, Style); 7] {
    let bad = |n: u64, style: Style| {
        (
            n.to_string(),
            if n == 0 { Style::new().dimmed() } else { style },
        )
    };
    [
        (t.passed.to_string(), fg(AnsiColor::Green)),
        bad(t.failed, fg(AnsiColor::Red).bold()),
        bad(t.errors, fg(AnsiColor::Red)),
        bad(t.unsupported, fg(AnsiColor::Yellow)),
        bad(t.timeouts, fg(AnsiColor::Magenta)),
        bad(t.crashes, fg(AnsiColor::Magenta).bold()),
        (format!("{}/{}", t.files_failed, t.files), Style::new()),
    ]
}

fn write_table(out: &mut String, m: &Matrix, paint: &Painter) {
    let area_w = m
        .rows
        .iter()
        .map(|r| matrix::area_label(&r.area).len())
        .chain([5])
        .max()
        .unwrap_or(5);
    let engine_w = m
        .engines
        .iter()
        .map(String::len)
        .chain([6])
        .max()
        .unwrap_or(6);
    // Numeric columns fit both their header and their widest value.
    let mut widths = COUNT_HEADERS.map(str::len);
    let all_cells = m
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .chain(&m.totals);
    for cell in all_cells {
        for (w, (text, _)) in widths.iter_mut().zip(counts(cell)) {
            *w = (*w).max(text.len());
        }
    }

    let mut header = format!("{:<area_w$}  {:<engine_w$}", "area", "engine");
    for (h, w) in COUNT_HEADERS.iter().zip(widths) {
        let _ = write!(header, "  {h:>w$}");
    }
    let rule = "-".repeat(header.len());
    let _ = writeln!(out, "{}", paint.paint(bold(), &header));
    let _ = writeln!(out, "{rule}");

    let write_row = |out: &mut String, area: &str, engine: &str, t: Option<&Totals>| {
        let mut line = format!("{area:<area_w$}  {engine:<engine_w$}");
        match t {
            Some(t) => {
                for ((text, style), w) in counts(t).iter().zip(widths) {
                    let _ = write!(line, "  {}", paint.paint(*style, &format!("{text:>w$}")));
                }
            }
            None => line.push_str(&format!(
                "  {}",
                paint.paint(Style::new().dimmed(), "(not run)")
            )),
        }
        let _ = writeln!(out, "{}", line.trim_end());
    };

    for row in &m.rows {
        for (e, (engine, cell)) in m.engines.iter().zip(&row.cells).enumerate() {
            let area = if e == 0 {
                matrix::area_label(&row.area)
            } else {
                ""
            };
            write_row(out, area, engine, cell.as_ref());
        }
    }
    let _ = writeln!(out, "{rule}");
    for (e, (engine, t)) in m.engines.iter().zip(&m.totals).enumerate() {
        write_row(out, if e == 0 { "total" } else { "" }, engine, Some(t));
    }
}

fn write_engine_total(
    out: &mut String,
    engine: &str,
    t: &Totals,
    known: usize,
    wall_ms: f64,
    paint: &Painter,
) {
    let rate = matrix::pass_rate_text(t);
    let all_passed = t.passed + known as u64 == t.directives();
    let verdict = match (all_passed, known) {
        (true, 0) => paint.paint(fg(AnsiColor::Green).bold(), "ok"),
        (true, _) => format!(
            "{} ({known} known failure{}, as expected)",
            paint.paint(fg(AnsiColor::Green).bold(), "ok"),
            if known == 1 { "" } else { "s" }
        ),
        (false, _) => paint.paint(fg(AnsiColor::Red).bold(), "FAILED"),
    };
    let _ = writeln!(
        out,
        "{}: {verdict}. {rate} passed ({} of {} directives, {} of {} files clean) in {:.2} s",
        paint.paint(bold(), engine),
        t.passed,
        t.directives(),
        t.files - t.files_failed.min(t.files),
        t.files,
        wall_ms / 1000.0,
    );
    if t.message_mismatches > 0 {
        let _ = writeln!(
            out,
            "  {} of these passes had another message than the script expects (message mismatches; --strict-messages fails them)",
            t.message_mismatches
        );
    }
}

/// The first failures, wrong results before errors; unsupported
/// directives are only counted (they can number thousands).
fn write_failures(out: &mut String, report: &Report, paint: &Painter) {
    let mut failures: Vec<_> = matrix::unexpected_failures(report)
        .filter(|(_, _, a)| a.outcome != Outcome::Unsupported)
        .collect();
    if failures.is_empty() {
        return;
    }
    failures.sort_by_key(|(_, _, a)| matrix::attention(a.outcome));
    let shown = failures.len().min(MAX_FAILURES_SHOWN);
    let several = report.runs.len() > 1;
    out.push('\n');
    let _ = writeln!(
        out,
        "{}{}:",
        paint.paint(
            fg(AnsiColor::Red).bold(),
            &count_of(failures.len(), "failure")
        ),
        if shown < failures.len() {
            format!(" (first {shown}, wrong results first)")
        } else {
            String::new()
        },
    );
    for (engine, path, a) in &failures[..shown] {
        let style = match a.outcome {
            Outcome::Error => fg(AnsiColor::Red),
            Outcome::Timeout | Outcome::Crash => fg(AnsiColor::Magenta).bold(),
            _ => fg(AnsiColor::Red).bold(),
        };
        let head = failure_head(a, several.then_some(*engine), path);
        let detail = match (&a.expected, &a.actual) {
            (Some(e), Some(x)) => Some(format!("expected {e}, got {x}")),
            _ => a
                .message
                .as_deref()
                .or(a.actual.as_deref())
                .map(str::to_string),
        };
        let detail = detail.map_or(String::new(), |d| {
            format!(": {}", paint.fit(&d, head.chars().count() + 2))
        });
        let (word, rest) = head.split_at(9);
        let _ = writeln!(out, "{}{rest}{detail}", paint.paint(style, word));
    }
    if failures.len() > shown {
        let _ = writeln!(
            out,
            "  ... and {} more (see the JSON or HTML report)",
            failures.len() - shown
        );
    }
}

fn write_divergences(out: &mut String, report: &Report, divs: &[Divergence], paint: &Painter) {
    out.push('\n');
    if divs.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.paint(
                fg(AnsiColor::Green),
                "No divergences: every engine agrees on every directive."
            )
        );
        return;
    }
    let shown = divs.len().min(MAX_DIVERGENCES_SHOWN);
    let decisive = matrix::decisive_count(divs);
    let _ =
        writeln!(
        out,
        "{} {} directive{} where the engines disagree, {decisive} of them run by every engine{}:",
        paint.paint(fg(AnsiColor::Yellow).bold(), "Divergences:"),
        divs.len(),
        if divs.len() == 1 { "" } else { "s" },
        if shown < divs.len() { format!(" (first {shown}, those first)") } else { String::new() },
    );
    let name_w = report
        .runs
        .iter()
        .map(|r| r.engine.len())
        .max()
        .unwrap_or(0)
        + 1;
    for d in &divs[..shown] {
        let at = crate::report::model::locate(d.line, d.subtest.as_deref());
        let head = format!("  {}:{}  {}", d.path, at, d.kind);
        out.push_str(&head);
        if let Some(e) = &d.expected {
            let used = head.chars().count() + 11;
            let _ = write!(out, "  expected {}", paint.fit(e, used));
        }
        out.push('\n');
        for (run, result) in report.runs.iter().zip(&d.results) {
            let text = match result {
                None => "(not run)".to_string(),
                Some(r) => {
                    let detail = r.actual.as_deref().or(r.message.as_deref());
                    match detail {
                        Some(d) => {
                            let word = matrix::outcome_word(r.outcome);
                            let used = 6 + name_w + 1 + word.len() + 2;
                            format!("{word}: {}", paint.fit(d, used))
                        }
                        None => matrix::outcome_word(r.outcome).to_string(),
                    }
                }
            };
            let _ = writeln!(
                out,
                "      {:<name_w$} {}",
                format!("{}:", run.engine),
                text
            );
        }
    }
    if divs.len() > shown {
        let _ = writeln!(out, "  ... and {} more", divs.len() - shown);
    }
}

/// `  fail    [engine] path:line  kind`: the start of a failure's line (the
/// outcome word padded to 9 columns); the engine only when several ran.
fn failure_head(a: &AssertionReport, engine: Option<&str>, path: &str) -> String {
    let mut head = format!("  {:<7}", matrix::outcome_word(a.outcome));
    if let Some(engine) = engine {
        let _ = write!(head, " [{engine}]");
    }
    let _ = write!(head, " {path}:{}  {}", a.line, a.kind);
    head
}

/// `1 failure`, `5 failures`.
fn count_of(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Known failures: non-passes the baseline (or the expectations built into
/// the binary) lists, with its reason. They do not fail the run.
fn write_known(out: &mut String, report: &Report, paint: &Painter) {
    let known: Vec<_> = matrix::known_failures(report).collect();
    if known.is_empty() {
        return;
    }
    let shown = known.len().min(MAX_KNOWN_SHOWN);
    let several = report.runs.len() > 1;
    out.push('\n');
    let _ = writeln!(
        out,
        "{} (expected by the baseline; not counted as failures){}:",
        paint.paint(
            fg(AnsiColor::Yellow).bold(),
            &count_of(known.len(), "known failure")
        ),
        if shown < known.len() {
            format!(", first {shown}")
        } else {
            String::new()
        },
    );
    for (engine, path, a, why) in &known[..shown] {
        let head = failure_head(a, several.then_some(*engine), path) + ": known: ";
        let used = head.chars().count();
        let _ = writeln!(out, "{head}{}", paint.fit(why, used));
    }
    if known.len() > shown {
        let _ = writeln!(
            out,
            "  ... and {} more (see the JSON report)",
            known.len() - shown
        );
    }
}

/// Files of the chosen suite that did not run, with the reason.
fn write_skipped(out: &mut String, report: &Report, paint: &Painter) {
    if report.skipped.is_empty() {
        return;
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{} (not run, each with its reason):",
        paint.paint(bold(), &count_of(report.skipped.len(), "skipped file")),
    );
    for s in report.skipped.iter().take(MAX_SKIPPED_SHOWN) {
        let head = format!("  {}: ", s.path);
        let _ = writeln!(out, "{head}{}", paint.fit(&s.reason, head.chars().count()));
    }
    if report.skipped.len() > MAX_SKIPPED_SHOWN {
        let _ = writeln!(
            out,
            "  ... and {} more (listed under `skipped` in the JSON report)",
            report.skipped.len() - MAX_SKIPPED_SHOWN
        );
    }
}

/// Paths given that could not run: reported first, so they are not missed.
fn write_path_errors(out: &mut String, report: &Report, paint: &Painter) {
    if report.path_errors.is_empty() {
        return;
    }
    for e in &report.path_errors {
        let _ = writeln!(
            out,
            "{} {}: {}",
            paint.paint(fg(AnsiColor::Red).bold(), "error:"),
            e.path,
            e.reason
        );
    }
    out.push('\n');
}

/// `s` on one line: runs of whitespace become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to at most `max` characters (on a char boundary), marking the
/// cut, and keeps it on one line (runs of whitespace become one space).
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let one_line = one_line(s);
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{AssertionReport, EngineRun, FileReport};

    fn report(engines: &[(&str, Outcome)]) -> Report {
        let runs = engines
            .iter()
            .map(|&(engine, outcome)| {
                let mut totals = Totals {
                    files: 1,
                    ..Default::default()
                };
                totals.count(outcome);
                if outcome != Outcome::Pass {
                    totals.files_failed = 1;
                }
                let a = AssertionReport {
                    line: 3,
                    column: 1,
                    kind: "assert_return".into(),
                    outcome,
                    actual: Some("i32:7".into()),
                    ..Default::default()
                };
                let file = FileReport {
                    path: "d/f.wast".into(),
                    area: "d".into(),
                    outcome,
                    totals,
                    assertions: vec![a],
                    ..Default::default()
                };
                EngineRun {
                    engine: engine.into(),
                    totals,
                    wall_time_ms: 1500.0,
                    files: vec![file],
                    ..EngineRun::default()
                }
            })
            .collect();
        Report {
            runs,
            ..Default::default()
        }
    }

    #[test]
    fn plain_text_has_no_escape_codes_and_colour_does() {
        let r = report(&[("touchstone", Outcome::Fail)]);
        assert!(!render(&r, false).contains('\x1b'));
        assert!(render(&r, true).contains('\x1b'));
    }

    #[test]
    fn colour_changes_only_styles() {
        let r = report(&[("touchstone", Outcome::Fail), ("wasmi", Outcome::Pass)]);
        let colored = render(&r, true);
        let stripped = strip_ansi(&colored);
        assert_eq!(stripped, render(&r, false));
    }

    #[test]
    fn lists_divergence_with_each_engine() {
        let text = render(
            &report(&[("touchstone", Outcome::Fail), ("wasmi", Outcome::Pass)]),
            false,
        );
        assert!(
            text.contains("1 directive where the engines disagree, 1 of them run by every engine:"),
            "{text}"
        );
        assert!(text.contains("d/f.wast:3  assert_return"), "{text}");
        assert!(text.contains("touchstone: fail: i32:7"), "{text}");
    }

    #[test]
    fn lists_failures_with_location() {
        let text = render(&report(&[("touchstone", Outcome::Fail)]), false);
        assert!(
            text.contains("1 failure:\n  fail    d/f.wast:3  assert_return: i32:7\n"),
            "{text}"
        );
    }

    #[test]
    fn single_engine_prints_no_divergence_section() {
        let text = render(&report(&[("touchstone", Outcome::Pass)]), false);
        assert!(!text.contains("Divergences"), "{text}");
        assert!(
            text.contains(
                "touchstone: ok. 100.00% passed (1 of 1 directives, 1 of 1 files clean) in 1.50 s"
            ),
            "{text}"
        );
    }

    #[test]
    fn messages_are_whole_when_piped_and_fit_the_terminal_width() {
        let mut r = report(&[("touchstone", Outcome::Fail)]);
        let long = "x".repeat(200);
        r.runs[0].files[0].assertions[0].actual = Some(long.clone());
        let piped = render(&r, false);
        assert!(piped.contains(&long), "{piped}");
        let wide = render_with(
            &r,
            Layout {
                color: false,
                width: Some(250),
            },
        );
        let line = wide.lines().find(|l| l.contains("d/f.wast:3")).unwrap();
        assert!(
            line.contains(&long),
            "a 250-column terminal fits it: {line}"
        );
        let narrow = render_with(
            &r,
            Layout {
                color: false,
                width: Some(80),
            },
        );
        let line = narrow.lines().find(|l| l.contains("d/f.wast:3")).unwrap();
        assert_eq!(line.chars().count(), 80, "{line}");
        assert!(line.ends_with('…'));
    }

    #[test]
    fn known_failures_are_listed_with_their_reason_and_the_engine_is_ok() {
        let mut r = report(&[("touchstone", Outcome::Fail)]);
        r.runs[0].files[0].assertions[0].known = Some("upstream changed the rule".into());
        let text = render(&r, false);
        assert!(!text.contains("FAILED"), "{text}");
        assert!(
            text.contains("touchstone: ok (1 known failure, as expected)."),
            "{text}"
        );
        assert!(
            text.contains("1 known failure (expected by the baseline; not counted as failures):\n  fail    d/f.wast:3  assert_return: known: upstream changed the rule\n"),
            "{text}"
        );
        assert!(!text.contains("\n1 failure:"), "{text}");
    }

    #[test]
    fn skipped_files_and_path_errors_are_reported() {
        let mut r = report(&[("touchstone", Outcome::Pass)]);
        r.skipped.push(crate::report::SkippedFile {
            path: "old/a.wast".into(),
            reason: "superseded by new/a.wast".into(),
        });
        r.path_errors.push(crate::report::SkippedFile {
            path: "nope".into(),
            reason: "no such file or directory".into(),
        });
        let text = render(&r, false);
        assert!(
            text.starts_with("error: nope: no such file or directory\n"),
            "{text}"
        );
        assert!(text.contains("1 skipped file (not run, each with its reason):\n  old/a.wast: superseded by new/a.wast\n"), "{text}");
    }

    #[test]
    fn no_color_turns_colour_off() {
        use std::ffi::OsStr;
        assert!(color_enabled(true, None));
        assert!(!color_enabled(true, Some(OsStr::new("1"))));
        assert!(color_enabled(true, Some(OsStr::new(""))));
        assert!(!color_enabled(false, None));
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("a\n   b", 10), "a b");
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                // Skip to the final byte of the CSI sequence.
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
