//! The directives on which the engines disagree, each engine's result side
//! by side.

use maud::{html, Markup};

use super::widgets::{badge, thousands, visible};
use super::Page;
use crate::report::matrix::{decisive_count, repeats};
use crate::report::model::locate;

/// Divergences listed on the page at most.
pub const MAX_SHOWN: usize = 500;

impl Page<'_> {
    pub(super) fn divergences_section(&self) -> Markup {
        let divs = &self.divergences;
        let runs = &self.report.runs;
        html! {
            section #divergences .panel {
                div.panel-head {
                    h2 { "Divergences" }
                    span.muted {
                        (thousands(divs.len() as u64)) " directive" @if divs.len() != 1 { "s" } " where the engines disagree, "
                        (thousands(decisive_count(divs) as u64)) " of them run by every engine (listed first)"
                        @if divs.len() > MAX_SHOWN { "; the first " (MAX_SHOWN) " are listed" }
                    }
                }
                @if divs.is_empty() {
                    p.all-good { "Every engine agrees on every directive." }
                } @else {
                    div.table-wrap {
                        table.divergences {
                            thead {
                                tr {
                                    th { "location" }
                                    th { "expected" }
                                    @for run in runs { th.engine-col { (run.engine) } }
                                }
                            }
                            tbody {
                                @for d in divs.iter().take(MAX_SHOWN) {
                                    tr data-path=(d.path) {
                                        td {
                                            code.loc { (d.path) ":" (locate(d.line, d.subtest.as_deref())) }
                                            div.kind { (d.kind) }
                                        }
                                        td { @if let Some(e) = &d.expected { code.val { (visible(e)) } } }
                                        @for result in &d.results {
                                            td {
                                                @match result {
                                                    None => { span.muted { "not run" } }
                                                    Some(r) => {
                                                        (badge(r.outcome))
                                                        @if let Some(x) = &r.actual { div.clamp title=(visible(x)) { code.val { (visible(x)) } } }
                                                        @if let Some(m) = r.message.as_ref().filter(|m| !repeats(m, r.actual.as_deref())) {
                                                            div.muted.small.clamp title=(visible(m)) { (visible(m)) }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
