//! What did not fail the run but must not go unseen: paths given that could
//! not run (these do fail it), known failures with the baseline's reason,
//! and files of the suite skipped with theirs. The terminal summary shows
//! the same lists.

use maud::{html, Markup};

use super::failures::MAX_LISTED;
use super::widgets::{badge, thousands, visible};
use super::Page;
use crate::report::matrix;

impl Page<'_> {
    /// Paths given that could not run, shown above everything else.
    pub(super) fn path_errors_section(&self) -> Markup {
        let errors = &self.report.path_errors;
        html! {
            @if !errors.is_empty() {
                section #path-errors .panel {
                    div.panel-head { h2 { "Paths that could not run" } }
                    ul.compact {
                        @for e in errors {
                            li { code { (e.path) } " — " (visible(&e.reason)) }
                        }
                    }
                }
            }
        }
    }

    /// Non-passes the baseline expects, each with its reason.
    pub(super) fn known_section(&self) -> Markup {
        let known: Vec<_> = matrix::known_failures(self.report).collect();
        html! {
            @if !known.is_empty() {
                section #known .panel {
                    div.panel-head {
                        h2 { "Known failures" }
                        span.muted {
                            (thousands(known.len() as u64)) " expected by the baseline, each with its reason; they do not fail the run"
                        }
                    }
                    ul.compact {
                        @for (engine, path, a, why) in known.iter().take(MAX_LISTED) {
                            li {
                                (badge(a.outcome)) " "
                                code { (path) ":" (a.line) } " " (a.kind)
                                @if self.several_engines() { " " span.engine-tag { (engine) } }
                                span.muted { " — known: " (visible(why)) }
                            }
                        }
                    }
                    @if known.len() > MAX_LISTED {
                        p.muted { (thousands((known.len() - MAX_LISTED) as u64)) " more not listed here; the JSON report has them all." }
                    }
                }
            }
        }
    }

    /// Files of the suite that did not run, each with its reason.
    pub(super) fn skipped_section(&self) -> Markup {
        let skipped = &self.report.skipped;
        html! {
            @if !skipped.is_empty() {
                section #skipped .panel {
                    div.panel-head {
                        h2 { "Skipped files" }
                        span.muted { (thousands(skipped.len() as u64)) " not run, each with its reason" }
                    }
                    ul.compact {
                        @for s in skipped {
                            li { code { (s.path) } span.muted { " — " (visible(&s.reason)) } }
                        }
                    }
                }
            }
        }
    }
}
