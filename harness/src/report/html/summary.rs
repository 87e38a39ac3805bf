//! The top of the page: one card of totals per engine, then the areas with
//! a bar per engine (the area × engine matrix).

use maud::{html, Markup};

use super::widgets::{count_of, legend, stacked_bar, thousands, OUTCOMES};
use super::Page;
use crate::report::matrix::{
    area_label, clean as matrix_clean, known_in_run, outcome_word, pass_rate_text,
};
use crate::report::model::{EngineRun, Totals};

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
                                @for (cell, known) in row.cells.iter().zip(&row.known) {
                                    td {
                                        @match cell {
                                            Some(t) => { (area_cell(t, *known)) }
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
                            @for (t, known) in m.totals.iter().zip(&m.known_totals) {
                                td { (area_cell(t, *known)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn area_cell(t: &Totals, known: u64) -> Markup {
    html! {
        div.area-cell {
            (stacked_bar(t))
            span.area-num {
                (thousands(t.passed)) " / " (thousands(t.directives()))
                span.pct { (pass_rate_text(t)) }
                @if known > 0 { span.pct.known { (thousands(known)) " known" } }
            }
        }
    }
}

/// Green when every directive passed or failed as the baseline expects.
fn engine_card(run: &EngineRun) -> Markup {
    let t = &run.totals;
    let known = known_in_run(run);
    let clean = matrix_clean(t, known);
    let mismatches = t.message_mismatches;
    html! {
        article.card.ok[clean].bad[!clean] {
            div.card-head {
                h2 { (run.engine) }
                span.verdict {
                    @if !clean { "not passing" }
                    @else if known > 0 { "passing, " (thousands(known)) " known" }
                    @else { "all passed" }
                }
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
                @if let Some(info) = run.info.describe() {
                    " · " span title="the engine's version and flags" { (info) }
                }
                @if known > 0 {
                    " · " a href="#known" title="did not pass, as the baseline expects (see Known failures for the reasons)" {
                        (thousands(known)) " known failure" @if known != 1 { "s" }
                    }
                }
                @if mismatches > 0 {
                    " · " span title="passed with the right failure kind, but the engine's message differs from the script's" {
                        (thousands(mismatches)) " message mismatch" @if mismatches != 1 { "es" }
                    }
                }
            }
        }
    }
}
