//! The top of the page: one card of totals per engine, then the areas with
//! a bar per engine (the area × engine matrix).

use maud::{html, Markup};

use super::widgets::{count_of, legend, stacked_bar, thousands, OUTCOMES};
use super::Page;
use crate::report::matrix::{area_label, outcome_word, pass_rate_text};
use crate::report::model::EngineRun;

impl Page<'_> {
    pub(super) fn totals_section(&self) -> Markup {
        html! {
            section #totals .cards {
                @for run in &self.report.runs { (engine_card(run)) }
            }
        }
    }

    pub(super) fn areas_section(&self) -> Markup {
        let m = &self.matrix;
        html! {
            section #areas .panel {
                div.panel-head {
                    h2 { "Areas" }
                    (legend())
                }
                table.areas {
                    thead {
                        tr {
                            th { "area" }
                            @for engine in &m.engines { th.engine-col { (engine) } }
                        }
                    }
                    tbody {
                        @for row in &m.rows {
                            tr {
                                th scope="row" { (area_label(&row.area)) }
                                @for cell in &row.cells {
                                    td {
                                        @match cell {
                                            Some(t) => {
                                                div.area-cell {
                                                    (stacked_bar(t))
                                                    span.area-num {
                                                        (thousands(t.passed)) " / " (thousands(t.directives()))
                                                        span.pct { (pass_rate_text(t)) }
                                                    }
                                                }
                                            }
                                            None => { span.muted { "not run" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th scope="row" { "total" }
                            @for t in &m.totals {
                                td {
                                    div.area-cell {
                                        (stacked_bar(t))
                                        span.area-num {
                                            (thousands(t.passed)) " / " (thousands(t.directives()))
                                            span.pct { (pass_rate_text(t)) }
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

fn engine_card(run: &EngineRun) -> Markup {
    let t = &run.totals;
    let clean = t.passed == t.directives();
    let mismatches = t.message_mismatches;
    html! {
        article.card.ok[clean].bad[!clean] {
            div.card-head {
                h2 { (run.engine) }
                span.verdict { @if clean { "all passed" } @else { "not passing" } }
            }
            div.rate {
                span.rate-num { (pass_rate_text(t).trim_end_matches('%')) span.rate-unit { "%" } }
                span.rate-of { (thousands(t.passed)) " of " (thousands(t.directives())) " directives passed" }
            }
            (stacked_bar(t))
            dl.counts {
                @for outcome in OUTCOMES {
                    div class=(format!("count o-{}", outcome_word(outcome))) {
                        dt { (outcome_word(outcome)) }
                        dd { (thousands(count_of(t, outcome))) }
                    }
                }
            }
            p.card-foot {
                (thousands(t.files - t.files_failed.min(t.files))) " of " (thousands(t.files)) " files clean · "
                (format!("{:.2} s", run.wall_time_ms / 1000.0))
                @if mismatches > 0 {
                    " · " span title="passed with the right failure kind, but the engine's message differs from the script's" {
                        (thousands(mismatches)) " message mismatch" @if mismatches != 1 { "es" }
                    }
                }
            }
        }
    }
}
