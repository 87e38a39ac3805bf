//! The file list: one row per script, one group of columns per engine,
//! filterable with the text box (and `#filter=` in the URL) and sortable
//! by clicking a header (see `templates/report.js`).

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::widgets::{badge, thousands};
use super::Page;
use crate::report::matrix::{area_label, file_fails_unexpectedly, pass_rate};
use crate::report::model::FileReport;

/// The id of the failure group of file `index` of engine `engine`; the
/// file list links to it.
pub(super) fn group_id(engine: usize, index: usize) -> String {
    format!("fg-{engine}-{index}")
}

/// True when a file gets a group in the failures section: it could not
/// run, or has a failure the baseline does not expect (known failures are
/// listed on their own).
pub(super) fn has_problems(file: &FileReport) -> bool {
    file_fails_unexpectedly(file)
}

impl Page<'_> {
    pub(super) fn files_section(&self) -> Markup {
        let runs = &self.report.runs;
        // path -> per engine (index in that run's files, file)
        let mut rows: BTreeMap<&str, Vec<Option<(usize, &FileReport)>>> = BTreeMap::new();
        for (e, run) in runs.iter().enumerate() {
            for (i, file) in run.files.iter().enumerate() {
                rows.entry(file.path.as_str())
                    .or_insert_with(|| vec![None; runs.len()])[e] = Some((i, file));
            }
        }
        let total = rows.len();
        html! {
            section #files .panel {
                div.panel-head {
                    h2 { "Files" }
                    div.controls {
                        input #filter type="search" placeholder="Filter files (space-separated words)" aria-label="Filter files";
                        label.check { input #only-failing type="checkbox"; " only files with problems" }
                        span #file-count .muted { "Showing " (total) " of " (total) " files" }
                    }
                }
                div.table-wrap {
                    table #file-table .files data-total=(total) {
                        thead {
                            tr {
                                th.sortable rowspan="2" data-col="0" data-type="text" { "file" }
                                th.sortable rowspan="2" data-col="1" data-type="text" { "area" }
                                @for run in runs { th.engine-col colspan="3" { (run.engine) } }
                            }
                            tr {
                                @for e in 0..runs.len() {
                                    th.sortable data-col=(2 + 3 * e) data-type="num" { "outcome" }
                                    th.sortable.num data-col=(3 + 3 * e) data-type="num" { "passed" }
                                    th.sortable.num data-col=(4 + 3 * e) data-type="num" { "time" }
                                }
                            }
                        }
                        tbody {
                            @for (path, cells) in &rows {
                                (file_row(path, cells))
                            }
                        }
                    }
                }
                p #no-match .muted hidden { "No file matches the filter." }
            }
        }
    }
}

fn file_row(path: &str, cells: &[Option<(usize, &FileReport)>]) -> Markup {
    let area = cells
        .iter()
        .flatten()
        .next()
        .map(|(_, f)| f.area.as_str())
        .unwrap_or(".");
    let failing = cells.iter().flatten().any(|(_, f)| has_problems(f));
    html! {
        tr data-path=(path) data-failing=(if failing { "1" } else { "0" }) {
            td.path { code { (path) } }
            td.area { (area_label(area)) }
            @for (e, cell) in cells.iter().enumerate() {
                @match cell {
                    Some((i, f)) => {
                        td data-sort=(f.outcome.severity()) title=[f.features.as_ref().map(|x| format!("features: {x}"))] {
                            @if has_problems(f) {
                                a href=(format!("#{}", group_id(e, *i))) { (badge(f.outcome)) }
                            } @else {
                                (badge(f.outcome))
                            }
                        }
                        td.num data-sort=(format!("{:.4}", pass_rate(&f.totals))) {
                            (thousands(f.totals.passed)) span.muted { " / " (thousands(f.totals.directives())) }
                        }
                        td.num data-sort=(format!("{:.3}", f.duration_ms)) { (format!("{:.0} ms", f.duration_ms)) }
                    }
                    None => {
                        td data-sort="-1" { span.muted { "—" } }
                        td.num data-sort="-1" {}
                        td.num data-sort="-1" {}
                    }
                }
            }
        }
    }
}
