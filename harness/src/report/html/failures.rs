//! Every directive that did not pass, grouped by engine and file: the
//! message, a coloured expected-vs-actual diff and the script lines it came
//! from. Capped so a badly failing run still gives a page that opens.

use maud::{html, Markup};

use crate::report::model::locate;

use super::excerpt::{excerpt, Excerpt};
use super::files::{group_id, has_problems};
use super::widgets::{badge, count_of, thousands, visible, OUTCOMES};
use super::{diff, Page};
use crate::report::matrix::{self, attention, outcome_word, repeats};
use crate::report::model::{AssertionReport, FileReport, Outcome};

/// Failures shown in full (message, diff, excerpt), over the whole page.
pub const MAX_DETAILED: usize = 1000;

/// Further failures listed as one line each; past this they are counted only.
pub const MAX_LISTED: usize = 5000;

/// Groups start folded when the page lists more failures than this.
const OPEN_GROUPS_UP_TO: usize = 100;

/// Past that, this many of the first files (those with wrong results) start open.
const OPEN_WRONG_GROUPS: usize = 10;

/// Which failures get the detail budget first.
#[derive(Clone, Copy, PartialEq)]
enum DetailTier {
    /// The engine ran the directive and did the wrong thing.
    Behaviour,
    /// The directive could not run.
    Error,
}

/// `None` for outcomes never shown in full: an unsupported directive has
/// only its reason, which one line shows.
fn detail_tier(outcome: Outcome) -> Option<DetailTier> {
    match outcome {
        Outcome::Fail | Outcome::Crash | Outcome::Timeout => Some(DetailTier::Behaviour),
        Outcome::Error => Some(DetailTier::Error),
        Outcome::Pass | Outcome::Unsupported => None,
    }
}

/// How one file's failures are shown.
struct Group<'a> {
    engine: usize,
    index: usize,
    file: &'a FileReport,
    detailed: Vec<&'a AssertionReport>,
    listed: Vec<&'a AssertionReport>,
    hidden: usize,
}

impl Page<'_> {
    pub(super) fn failures_section(&self) -> Markup {
        let groups = self.plan_groups();
        let total: usize = groups
            .iter()
            .map(|g| g.detailed.len() + g.listed.len() + g.hidden)
            .sum();
        let shown_in_full: usize = groups.iter().map(|g| g.detailed.len()).sum();
        let unsupported: usize = groups
            .iter()
            .map(|g| {
                g.file
                    .assertions
                    .iter()
                    .filter(|a| a.outcome == Outcome::Unsupported)
                    .count()
            })
            .sum();
        let where_ = if self.several_engines() {
            "file runs"
        } else {
            "files"
        };
        // Small runs: everything open. Large runs: the first files with wrong
        // results (they sort first); the rest unfold on click or by link.
        let wrong = |g: &Group| g.file.assertions.iter().any(|a| attention(a.outcome) == 0);
        let open: Vec<bool> = groups
            .iter()
            .enumerate()
            .map(|(k, g)| total <= OPEN_GROUPS_UP_TO || (k < OPEN_WRONG_GROUPS && wrong(g)))
            .collect();
        html! {
            section #failures .panel {
                div.panel-head {
                    h2 { "Failures" }
                    @if !groups.is_empty() {
                        span.muted {
                            (thousands(total as u64)) " directive" @if total != 1 { "s" } " did not pass, in "
                            (groups.len()) " " (where_)
                            @if shown_in_full + unsupported < total {
                                "; the first " (thousands(shown_in_full as u64)) " are shown in full"
                            }
                        }
                    }
                }
                @if groups.is_empty() {
                    @if matrix::known_failures(self.report).next().is_some() {
                        p.all-good { "No unexpected failure: every directive passed or failed as the baseline expects (see Known failures)." }
                    } @else {
                        p.all-good { "Every directive passed." }
                    }
                }
                @for (g, open) in groups.iter().zip(open) {
                    (self.group(g, open))
                }
            }
        }
    }

    /// Spends the detail budget on wrong behaviour first (fail, crash,
    /// timeout: what needs a person), then on errors (often a cascade from
    /// one module), in report order within each; the rest is listed one
    /// line each while the list budget lasts, and counted after that.
    fn plan_groups(&self) -> Vec<Group<'_>> {
        let mut files = Vec::new();
        for (e, run) in self.report.runs.iter().enumerate() {
            for (i, file) in run.files.iter().enumerate() {
                if has_problems(file) {
                    let failing: Vec<&AssertionReport> = file
                        .assertions
                        .iter()
                        .filter(|a| a.outcome != Outcome::Pass && a.known.is_none())
                        .collect();
                    files.push((e, i, file, failing));
                }
            }
        }
        let mut in_full: Vec<Vec<bool>> = files.iter().map(|f| vec![false; f.3.len()]).collect();
        let mut detailed_left = MAX_DETAILED;
        for tier in [DetailTier::Behaviour, DetailTier::Error] {
            for (f, marks) in files.iter().zip(&mut in_full) {
                for (a, mark) in f.3.iter().zip(marks.iter_mut()) {
                    if detailed_left > 0 && detail_tier(a.outcome) == Some(tier) {
                        *mark = true;
                        detailed_left -= 1;
                    }
                }
            }
        }
        // Files with wrong results first, then path order (the sort is stable).
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by_key(|&k| {
            let (_, _, file, failing) = &files[k];
            failing
                .iter()
                .map(|a| attention(a.outcome))
                .min()
                .unwrap_or(attention(file.outcome))
        });
        let mut slots: Vec<_> = files.into_iter().zip(in_full).map(Some).collect();
        let files: Vec<_> = order
            .into_iter()
            .map(|k| slots[k].take().expect("each file once"))
            .collect();
        let mut listed_left = MAX_LISTED;
        files
            .into_iter()
            .map(|((engine, index, file, failing), marks)| {
                let mut g = Group {
                    engine,
                    index,
                    file,
                    detailed: Vec::new(),
                    listed: Vec::new(),
                    hidden: 0,
                };
                for (a, full) in failing.into_iter().zip(marks) {
                    if full {
                        g.detailed.push(a);
                    } else if listed_left > 0 {
                        listed_left -= 1;
                        g.listed.push(a);
                    } else {
                        g.hidden += 1;
                    }
                }
                g
            })
            .collect()
    }

    fn group(&self, g: &Group, open: bool) -> Markup {
        let engine = &self.report.runs[g.engine].engine;
        let source = if g.detailed.is_empty() {
            None
        } else {
            (self.sources)(&g.file.path)
        };
        html! {
            details.fgroup id=(group_id(g.engine, g.index)) data-path=(g.file.path) open[open] {
                summary {
                    (badge(g.file.outcome))
                    code.fpath { (g.file.path) }
                    @if self.several_engines() { span.engine-tag { (engine) } }
                    span.fcounts {
                        @for outcome in OUTCOMES.into_iter().skip(1) {
                            @let n = count_of(&g.file.totals, outcome);
                            @if n > 0 { span class=(format!("fc o-{}", outcome_word(outcome))) { (thousands(n)) " " (outcome_word(outcome)) } }
                        }
                    }
                }
                @if let Some(message) = &g.file.message {
                    div.file-message { strong { "file: " } (visible(message)) }
                }
                @for a in &g.detailed {
                    (failure(&g.file.path, a, source.as_deref()))
                }
                @if !g.listed.is_empty() {
                    ul.compact {
                        @for run in runs_of_same_cause(&g.listed) {
                            li {
                                (badge(run[0].outcome)) " "
                                @if run.len() == 1 {
                                    code { (g.file.path) ":" (locate(run[0].line, run[0].subtest.as_deref())) } " " (run[0].kind)
                                } @else {
                                    strong { (run.len()) " directives" } " at lines "
                                    code { (line_list(run)) }
                                }
                                @if let Some(m) = &run[0].message { span.muted { " — " (visible(m)) } }
                            }
                        }
                    }
                }
                @if g.hidden > 0 {
                    p.muted { (thousands(g.hidden as u64)) " more not listed here; the JSON report has them all." }
                }
            }
        }
    }
}

fn failure(path: &str, a: &AssertionReport, source: Option<&str>) -> Markup {
    html! {
        article.failure {
            div.failure-head {
                (badge(a.outcome))
                code.loc { (path) ":" (locate(a.line, a.subtest.as_deref())) }
                span.kind { (a.kind) }
                @if a.message_mismatch { span.note { "message differs" } }
            }
            @if let Some(m) = a.message.as_ref().filter(|m| !repeats(m, a.actual.as_deref())) {
                p.message { (visible(m)) }
            }
            @match (&a.expected, &a.actual) {
                (Some(e), Some(x)) => { (diff::markup(e, x)) }
                (Some(e), None) => { div.diff { div.diff-row { span.diff-label { "expected" } code.diff-text { (visible(e)) } } } }
                (None, Some(x)) => { div.diff { div.diff-row { span.diff-label { "actual" } code.diff-text { (visible(x)) } } } }
                (None, None) => {}
            }
            @if let Some(ex) = source.and_then(|s| excerpt(s, a.line, a.column)) {
                (excerpt_markup(&ex))
            }
        }
    }
}

fn excerpt_markup(ex: &Excerpt) -> Markup {
    html! {
        pre.excerpt {
            @for (n, text, is_directive) in &ex.lines {
                // Block-level lines: no "\n" between them, or `pre` would
                // show each line twice as tall.
                span.ln.dir[*is_directive] { span.lno { (n) } span.src { (text) } }
            }
            @if ex.cut { span.ln.dir { span.lno { "…" } span.src.muted { "(directive continues)" } } }
        }
    }
}

/// Splits failures into runs of neighbours with the same outcome and
/// message: a module that fails to instantiate takes every directive after
/// it down with the same error, and one line says that better than ninety.
fn runs_of_same_cause<'a>(
    failures: &'a [&'a AssertionReport],
) -> impl Iterator<Item = &'a [&'a AssertionReport]> {
    failures.chunk_by(|a, b| a.outcome == b.outcome && a.message == b.message)
}

/// `12, 13, 15, … 90` : the first few lines and the last.
fn line_list(run: &[&AssertionReport]) -> String {
    const SHOWN: usize = 6;
    let lines: Vec<String> = run
        .iter()
        .take(SHOWN)
        .map(|a| locate(a.line, a.subtest.as_deref()))
        .collect();
    match run.len() {
        n if n <= SHOWN => lines.join(", "),
        n if n == SHOWN + 1 => format!("{}, {}", lines.join(", "), run[n - 1].line),
        n => format!("{}, … {}", lines.join(", "), run[n - 1].line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(line: u32, outcome: Outcome, message: &str) -> AssertionReport {
        AssertionReport {
            line,
            outcome,
            message: Some(message.into()),
            ..Default::default()
        }
    }

    #[test]
    fn cascades_collapse_into_one_entry() {
        let all = [
            a(3, Outcome::Unsupported, "GC types"),
            a(10, Outcome::Error, "module at line 5 did not instantiate"),
            a(11, Outcome::Error, "module at line 5 did not instantiate"),
            a(12, Outcome::Error, "module at line 9 did not instantiate"),
        ];
        let refs: Vec<&AssertionReport> = all.iter().collect();
        let sizes: Vec<usize> = runs_of_same_cause(&refs).map(<[_]>::len).collect();
        assert_eq!(sizes, [1, 2, 1]);
    }

    #[test]
    fn line_lists_stay_short() {
        let all: Vec<AssertionReport> = (1..=20).map(|l| a(l, Outcome::Error, "m")).collect();
        let refs: Vec<&AssertionReport> = all.iter().collect();
        assert_eq!(line_list(&refs[..3]), "1, 2, 3");
        assert_eq!(line_list(&refs), "1, 2, 3, 4, 5, 6, … 20");
    }
}
