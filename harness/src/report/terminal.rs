//! The summary printed after every run: an area × engine table of counts,
//! per-engine totals, and (with several engines) where they disagree.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::matrix::{self, Divergence, Matrix};
use super::model::{Outcome, Report, Totals};

/// How many divergences the summary lists before saying "and N more".
pub const MAX_DIVERGENCES_SHOWN: usize = 10;

/// How many failures the summary lists (wrong results first).
pub const MAX_FAILURES_SHOWN: usize = 10;

/// Longest `actual`/message text shown per engine in a divergence line.
const MAX_DETAIL_CHARS: usize = 60;

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

/// Renders the run summary; `color` adds ANSI styles (pass it when stdout
/// is a terminal).
pub fn render(report: &Report, color: bool) -> String {
    let paint = Painter { color };
    let m = matrix::area_matrix(report);
    let mut out = String::new();
    if m.engines.is_empty() {
        out.push_str("No engine ran.\n");
        return out;
    }
    write_table(&mut out, &m, &paint);
    out.push('\n');
    for run in &report.runs {
        write_engine_total(&mut out, &run.engine, &run.totals, run.wall_time_ms, &paint);
    }
    write_failures(&mut out, report, &paint);
    if report.runs.len() > 1 {
        write_divergences(&mut out, report, &matrix::divergences(report), &paint);
    }
    out
}

/// Adds styles only when colour is on, so the plain text is identical.
struct Painter {
    color: bool,
}

impl Painter {
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

fn write_engine_total(out: &mut String, engine: &str, t: &Totals, wall_ms: f64, paint: &Painter) {
    let rate = matrix::pass_rate_text(t, 2);
    let all_passed = t.passed == t.directives();
    let verdict = if all_passed {
        paint.paint(fg(AnsiColor::Green).bold(), "ok")
    } else {
        paint.paint(fg(AnsiColor::Red).bold(), "FAILED")
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
}

/// The first failures, wrong results before errors; unsupported
/// directives are only counted (they can number thousands).
fn write_failures(out: &mut String, report: &Report, paint: &Painter) {
    let mut failures: Vec<_> = matrix::failures(report)
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
        "{} {}{}:",
        paint.paint(fg(AnsiColor::Red).bold(), "Failures:"),
        failures.len(),
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
        let _ = write!(
            out,
            "  {}",
            paint.paint(style, &format!("{:<7}", matrix::outcome_word(a.outcome)))
        );
        if several {
            let _ = write!(out, " [{engine}]");
        }
        let _ = write!(out, " {path}:{}  {}", a.line, a.kind);
        match (&a.expected, &a.actual) {
            (Some(e), Some(x)) => {
                let _ = write!(
                    out,
                    ": expected {}, got {}",
                    truncate(e, MAX_DETAIL_CHARS / 2),
                    truncate(x, MAX_DETAIL_CHARS / 2)
                );
            }
            _ => {
                if let Some(m) = a.message.as_deref().or(a.actual.as_deref()) {
                    let _ = write!(out, ": {}", truncate(m, MAX_DETAIL_CHARS));
                }
            }
        }
        out.push('\n');
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
        let _ = write!(out, "  {}:{}  {}", d.path, at, d.kind);
        if let Some(e) = &d.expected {
            let _ = write!(out, "  expected {}", truncate(e, MAX_DETAIL_CHARS));
        }
        out.push('\n');
        for (run, result) in report.runs.iter().zip(&d.results) {
            let text = match result {
                None => "(not run)".to_string(),
                Some(r) => {
                    let detail = r.actual.as_deref().or(r.message.as_deref());
                    match detail {
                        Some(d) => format!(
                            "{}: {}",
                            matrix::outcome_word(r.outcome),
                            truncate(d, MAX_DETAIL_CHARS)
                        ),
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

/// Cuts `s` to at most `max` characters (on a char boundary), marking the
/// cut, and keeps it on one line (runs of whitespace become one space).
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
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
            text.contains("Failures: 1:\n  fail    d/f.wast:3  assert_return: i32:7\n"),
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
