//! A Markdown summary sized for a pull-request comment: verdict, totals per
//! engine, the area table (an area × engine matrix with several engines),
//! the first failures with `file:line`, and the divergences.
//!
//! Everything that comes from a script or an engine is escaped: GitHub
//! renders raw HTML in comments, so a trap message like `<script>` must
//! stay text.

use std::fmt::Write as _;

use super::matrix::{self, area_label, outcome_word, Matrix};
use super::model::{locate, Outcome, Report, Totals};
use super::terminal::truncate;

/// How many failures and divergences the comment lists at most.
pub const MAX_LISTED: usize = 20;

/// Longest value or message shown in a table cell.
const MAX_CELL_CHARS: usize = 100;

/// Renders the pull-request summary.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let m = matrix::area_matrix(report);
    write_headline(&mut out, report, &m);
    write_path_errors(&mut out, report);
    write_engine_totals(&mut out, report, &m);
    if m.engines.len() > 1 {
        write_matrix(&mut out, &m);
    } else if !m.engines.is_empty() {
        write_area_table(&mut out, &m);
    }
    write_failures(&mut out, report);
    write_known(&mut out, report);
    write_skipped(&mut out, report);
    if report.runs.len() > 1 {
        write_divergences(&mut out, report);
    }
    out
}

/// Green when every directive passed or failed as the baseline expects, and
/// every path given could run: the same verdict as the exit status.
fn write_headline(out: &mut String, report: &Report, m: &Matrix) {
    let clean = report.path_errors.is_empty()
        && m.totals
            .iter()
            .zip(&m.known_totals)
            .all(|(t, &known)| matrix::clean(t, known));
    let per_engine: Vec<String> = report
        .runs
        .iter()
        .zip(&m.known_totals)
        .map(|(r, &known)| {
            let t = &r.totals;
            format!(
                "{} {} ({}/{}{})",
                escape(&r.engine),
                matrix::pass_rate_text(t),
                t.passed,
                t.directives(),
                known_note(known)
            )
        })
        .collect();
    let mark = if clean { "✅" } else { "❌" };
    let _ = writeln!(
        out,
        "## {mark} Touchstone: {}\n",
        if per_engine.is_empty() {
            "no engine ran".to_string()
        } else {
            per_engine.join(" · ")
        }
    );
    if !report.suite.is_empty() {
        let suite: Vec<String> = report.suite.iter().map(|s| code(s)).collect();
        let _ = writeln!(out, "Suite: {}  ", suite.join(", "));
    }
    if let Some(config) = &report.config {
        let _ = writeln!(out, "Config: {}  ", code(config));
    }
    if !report.touchstone_version.is_empty() {
        let _ = writeln!(out, "touchstone {}", escape(&report.touchstone_version));
    }
    out.push('\n');
}

const COUNT_COLUMNS: &str =
    "passed | failed | errors | unsupported | timeouts | crashes | files failed";

fn count_cells(t: &Totals) -> String {
    format!(
        "{} | {} | {} | {} | {} | {} | {}/{}",
        t.passed, t.failed, t.errors, t.unsupported, t.timeouts, t.crashes, t.files_failed, t.files
    )
}

/// `, 5 known` when some failures are known, nothing otherwise.
fn known_note(known: u64) -> String {
    if known == 0 {
        String::new()
    } else {
        format!(", {known} known")
    }
}

/// Paths given that could not run: first, as the run failed because of them.
fn write_path_errors(out: &mut String, report: &Report) {
    if report.path_errors.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Paths that could not run
"
    );
    for e in &report.path_errors {
        let _ = writeln!(out, "- {}: {}", code(&e.path), escape(&e.reason));
    }
    out.push('\n');
}

fn write_engine_totals(out: &mut String, report: &Report, m: &Matrix) {
    let _ = writeln!(out, "| engine | pass rate | {COUNT_COLUMNS} | time |");
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for run in &report.runs {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2} s |",
            escape(&run.engine),
            matrix::pass_rate_text(&run.totals),
            count_cells(&run.totals),
            run.wall_time_ms / 1000.0
        );
    }
    let infos: Vec<String> = report
        .runs
        .iter()
        .filter_map(|r| {
            Some(format!(
                "{} {}",
                escape(&r.engine),
                escape(&r.info.describe()?)
            ))
        })
        .collect();
    if !infos.is_empty() {
        let _ = writeln!(out, "\nEngines as run: {}.", infos.join("; "));
    }
    let mismatches: Vec<String> = report
        .runs
        .iter()
        .filter(|r| r.totals.message_mismatches > 0)
        .map(|r| format!("{} {}", escape(&r.engine), r.totals.message_mismatches))
        .collect();
    let known: Vec<String> = report
        .runs
        .iter()
        .zip(&m.known_totals)
        .filter(|(_, &k)| k > 0)
        .map(|(r, k)| format!("{} {k}", escape(&r.engine)))
        .collect();
    if !known.is_empty() {
        let _ = writeln!(
            out,
            "\nKnown failures (counted above, but expected by the baseline with a reason, \
             listed below; they do not fail the run): {}",
            known.join(" · ")
        );
    }
    if !mismatches.is_empty() {
        let _ = writeln!(
            out,
            "\nMessage mismatches (counted as passed: right failure kind, other wording; \
             `--strict-messages` fails them): {}",
            mismatches.join(" · ")
        );
    }
    out.push('\n');
}

fn write_area_table(out: &mut String, m: &Matrix) {
    let _ = writeln!(out, "### By area\n");
    let _ = writeln!(out, "| area | {COUNT_COLUMNS} |");
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|");
    for row in &m.rows {
        if let Some(t) = &row.cells[0] {
            let _ = writeln!(
                out,
                "| {} | {} |",
                escape(area_label(&row.area)),
                count_cells(t)
            );
        }
    }
    out.push('\n');
}

/// Area × engine: each cell is `passed/all` with a mark, so a reviewer sees
/// at a glance where one engine is behind the other.
fn write_matrix(out: &mut String, m: &Matrix) {
    let _ = writeln!(out, "### By area and engine\n");
    let engines: Vec<String> = m.engines.iter().map(|e| escape(e)).collect();
    let _ = writeln!(out, "| area | {} |", engines.join(" | "));
    let _ = writeln!(out, "|---|{}", "--:|".repeat(engines.len()));
    for row in &m.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .zip(&row.known)
            .map(|(c, &k)| matrix_cell(c, k))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} |",
            escape(area_label(&row.area)),
            cells.join(" | ")
        );
    }
    let totals: Vec<String> = m
        .totals
        .iter()
        .zip(&m.known_totals)
        .map(|(t, &k)| matrix_cell(&Some(*t), k))
        .collect();
    let _ = writeln!(out, "| **total** | {} |", totals.join(" | "));
    out.push('\n');
}

fn matrix_cell(cell: &Option<Totals>, known: u64) -> String {
    match cell {
        None => "—".to_string(),
        Some(t) => {
            let mark = if matrix::clean(t, known) {
                "✅"
            } else {
                "❌"
            };
            format!(
                "{mark} {}/{} ({}{})",
                t.passed,
                t.directives(),
                matrix::pass_rate_text(t),
                known_note(known)
            )
        }
    }
}

/// The failures the baseline does not expect; known ones have their own list.
fn write_failures(out: &mut String, report: &Report) {
    let total = matrix::unexpected_failures(report).count();
    let files_with_message: Vec<(&str, &str, &str)> = report
        .runs
        .iter()
        .flat_map(|r| {
            r.files.iter().filter_map(move |f| {
                f.message
                    .as_deref()
                    .map(|m| (r.engine.as_str(), f.path.as_str(), m))
            })
        })
        .collect();
    if total == 0 && files_with_message.is_empty() {
        return;
    }
    if !files_with_message.is_empty() {
        let _ = writeln!(out, "### Files that could not run\n");
        for (engine, path, message) in files_with_message.iter().take(MAX_LISTED) {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                escape(engine),
                code_text(path),
                escape(&truncate(message, MAX_CELL_CHARS))
            );
        }
        out.push('\n');
    }
    if total == 0 {
        return;
    }
    // Unsupported directives only carry a reason and can number thousands
    // (a whole proposal): they are counted, not listed, so real failures
    // are not pushed out of the list.
    // Wrong results first: a thousand cascaded errors must not hide them.
    let mut listed: Vec<_> = matrix::unexpected_failures(report)
        .filter(|(_, _, a)| a.outcome != Outcome::Unsupported)
        .collect();
    listed.sort_by_key(|(_, _, a)| matrix::attention(a.outcome));
    let count = listed.len();
    let unsupported = total - count;
    if count > 0 {
        let range = listed_range(count);
        let _ = writeln!(out, "### Failures ({range})\n");
        let _ = writeln!(
            out,
            "| engine | location | directive | outcome | expected | actual | message |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for (engine, path, a) in listed.iter().take(MAX_LISTED) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                escape(engine),
                code(&format!("{path}:{}", locate(a.line, a.subtest.as_deref()))),
                code(&a.kind),
                outcome_word(a.outcome),
                opt_code(a.expected.as_deref()),
                opt_code(a.actual.as_deref()),
                a.message
                    .as_deref()
                    .filter(|m| !matrix::repeats(m, a.actual.as_deref()))
                    .map(|m| escape(&truncate(m, MAX_CELL_CHARS)))
                    .unwrap_or_default(),
            );
        }
        out.push('\n');
    }
    if unsupported > 0 {
        let _ = writeln!(
            out,
            "{unsupported} unsupported directive{} not listed.\n",
            if unsupported == 1 { "" } else { "s" }
        );
    }
}

/// Known failures with the baseline's reason: expected, so apart from the
/// real failures.
fn write_known(out: &mut String, report: &Report) {
    let known: Vec<_> = matrix::known_failures(report).collect();
    if known.is_empty() {
        return;
    }
    let range = listed_range(known.len());
    let _ = writeln!(
        out,
        "### Known failures ({range}; expected by the baseline, not counted as failures)\n"
    );
    let _ = writeln!(out, "| engine | location | directive | outcome | reason |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (engine, path, a, why) in known.iter().take(MAX_LISTED) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(engine),
            code(&format!("{path}:{}", a.line)),
            code(&a.kind),
            outcome_word(a.outcome),
            escape(&truncate(why, MAX_CELL_CHARS))
        );
    }
    out.push('\n');
}

/// Files of the suite that did not run, each with its reason.
fn write_skipped(out: &mut String, report: &Report) {
    if report.skipped.is_empty() {
        return;
    }
    let range = listed_range(report.skipped.len());
    let _ = writeln!(out, "### Skipped files ({range}; not run)\n");
    for s in report.skipped.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "- {}: {}", code(&s.path), escape(&s.reason));
    }
    if report.skipped.len() > MAX_LISTED {
        let _ = writeln!(
            out,
            "- ... and {} more (listed under `skipped` in the JSON report)",
            report.skipped.len() - MAX_LISTED
        );
    }
    out.push('\n');
}

fn write_divergences(out: &mut String, report: &Report) {
    let divs = matrix::divergences(report);
    if divs.is_empty() {
        let _ = writeln!(
            out,
            "### Divergences\n\nNone: every engine agrees on every directive.\n"
        );
        return;
    }
    let range = listed_range(divs.len());
    let _ = writeln!(out, "### Divergences ({range})\n");
    let _ = writeln!(
        out,
        "{} of {} run by every engine (listed first); the rest involve an error or an unsupported feature.\n",
        matrix::decisive_count(&divs),
        divs.len()
    );
    let engines: Vec<String> = report.runs.iter().map(|r| escape(&r.engine)).collect();
    let _ = writeln!(
        out,
        "| location | directive | expected | {} |",
        engines.join(" | ")
    );
    let _ = writeln!(out, "|---|---|---|{}", "---|".repeat(engines.len()));
    for d in divs.iter().take(MAX_LISTED) {
        let results: Vec<String> = d
            .results
            .iter()
            .map(|r| match r {
                None => "—".to_string(),
                Some(r) => match r.actual.as_deref().or(r.message.as_deref()) {
                    Some(detail) => format!(
                        "{} {}",
                        outcome_word(r.outcome),
                        code(&truncate(detail, MAX_CELL_CHARS))
                    ),
                    None => outcome_word(r.outcome).to_string(),
                },
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&format!(
                "{}:{}",
                d.path,
                locate(d.line, d.subtest.as_deref())
            )),
            code(&d.kind),
            opt_code(d.expected.as_deref()),
            results.join(" | ")
        );
    }
    out.push('\n');
}

/// `7`, or `first 20 of 31` when a list of `count` is cut at [`MAX_LISTED`].
fn listed_range(count: usize) -> String {
    if count > MAX_LISTED {
        format!("first {MAX_LISTED} of {count}")
    } else {
        count.to_string()
    }
}

/// Escapes text for a Markdown table cell or list item: HTML entities for
/// what GitHub would take as markup, backslashes for Markdown punctuation.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The text of a code span: only `|` needs escaping inside a table cell,
/// newlines would end the row, and other control characters (which
/// malformed-module tests are full of) are written as `\u{..}`.
fn code_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A code span that survives backticks in its content (CommonMark: the
/// fence is one backtick longer than the longest run inside).
fn code(s: &str) -> String {
    let text = code_text(s);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn opt_code(s: Option<&str>) -> String {
    s.map(|s| code(&truncate(s, MAX_CELL_CHARS)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_html_and_table_syntax() {
        assert_eq!(escape("a<b>&\"c|d"), "a&lt;b&gt;&amp;\"c\\|d");
        assert_eq!(escape("x\ny"), "x y");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("a\u{1}b"), "`a\\u{1}b`");
    }

    #[test]
    fn empty_report_still_renders_a_headline() {
        let text = render(&Report::default());
        assert!(
            text.starts_with("## ✅ Touchstone: no engine ran"),
            "{text}"
        );
    }
}
