//! The HTML page must stay usable on a full-suite run: ~60,000 directives
//! per engine, thousands of them failing. Passing directives are never
//! listed, failures are capped, so the page size depends on the number of
//! files and the caps, not on the number of directives.

mod report_fixture;

use std::time::Instant;

use touchstone_harness::report::html;
use touchstone_harness::report::model::{AssertionReport, Outcome, Report};

const FILES: usize = 300;
const DIRECTIVES_PER_FILE: u32 = 200;

/// Two engines over `FILES` files; `fail_every`-th directive of the first
/// engine fails (with a long message), every other one passes.
fn big_report(fail_every: u32) -> Report {
    let runs = ["touchstone", "wasmi"]
        .iter()
        .enumerate()
        .map(|(e, engine)| {
            let files = (0..FILES)
                .map(|i| {
                    let assertions = (1..=DIRECTIVES_PER_FILE)
                        .map(|line| {
                            let failing = e == 0 && line % fail_every == 0;
                            AssertionReport {
                                line,
                                column: 1,
                                kind: "assert_return".into(),
                                outcome: if failing {
                                    Outcome::Fail
                                } else {
                                    Outcome::Pass
                                },
                                expected: Some(format!("(i64.const {line})")),
                                actual: Some(format!(
                                    "(i64.const {})",
                                    if failing { line + 1 } else { line }
                                )),
                                message: failing.then(|| "result mismatch ".repeat(8)),
                                ..Default::default()
                            }
                        })
                        .collect();
                    let area = format!("area{}", i % 12);
                    report_fixture::file(&format!("{area}/file{i:03}.wast"), &area, 3.0, assertions)
                })
                .collect();
            report_fixture::run(engine, 1000.0, files)
        })
        .collect();
    Report {
        runs,
        ..Default::default()
    }
}

#[test]
fn page_size_does_not_grow_with_passing_directives() {
    let all_pass = html::render(&big_report(u32::MAX)).unwrap();
    let directives = FILES as u64 * DIRECTIVES_PER_FILE as u64;
    // ~60,000 passing directives per engine: only per-file rows are listed.
    assert!(directives >= 60_000);
    assert!(
        all_pass.len() < 400_000,
        "{} bytes for an all-passing run: passing directives must not be listed",
        all_pass.len()
    );
}

#[test]
fn failures_are_capped_and_page_stays_small() {
    // Every 4th directive of one engine fails: 15,000 failures.
    let report = big_report(4);
    let failures = report.runs[0].totals.failed as usize;
    assert_eq!(failures, FILES * (DIRECTIVES_PER_FILE as usize / 4));
    let start = Instant::now();
    let page = html::render(&report).unwrap();
    let took = start.elapsed();
    let detailed = page.matches("<article class=\"failure\">").count();
    let listed = page.matches("<ul class=\"compact\">").count();
    assert_eq!(detailed, 1000, "failures in full are capped");
    assert!(
        listed > 0,
        "failures past the detail cap are listed compactly"
    );
    assert!(
        page.contains("more not listed here"),
        "failures past both caps are counted"
    );
    assert!(page.len() < 8_000_000, "page is {} bytes", page.len());
    eprintln!(
        "{failures} failures, {} directives: {} bytes in {took:?}",
        report.runs[0].totals.directives() * 2,
        page.len()
    );
    std::fs::write(report_fixture::out_dir().join("report-scale.html"), page).unwrap();
}

#[test]
fn wrong_results_are_shown_in_full_before_errors() {
    // Early files full of errors (a cascade from one module each) would use
    // up the detail budget if it were spent in file order.
    let mut report = big_report(u32::MAX);
    let run = &mut report.runs[0];
    for file in run.files.iter_mut().take(8) {
        for a in &mut file.assertions {
            a.outcome = Outcome::Error;
            a.message = Some("the module did not instantiate".into());
        }
    }
    let last = run.files.last_mut().unwrap();
    last.assertions[6].outcome = Outcome::Fail;
    last.assertions[6].actual = Some("(i64.const -1)".into());
    let late_fail = format!(
        "<code class=\"loc\">{}:{}</code>",
        last.path, last.assertions[6].line
    );
    let errors: usize = run
        .files
        .iter()
        .flat_map(|f| &f.assertions)
        .filter(|a| a.outcome == Outcome::Error)
        .count();
    assert!(errors > 1000, "more errors than the detail budget");

    let page = html::render(&report).unwrap();
    assert!(
        page.contains(&late_fail),
        "the one wrong result is shown in full"
    );
    assert_eq!(page.matches("<article class=\"failure\">").count(), 1000);
}
