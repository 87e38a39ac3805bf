//! Golden-file tests: every report format rendered from the shared fixture
//! must match `tests/golden/` byte for byte. After an intended change,
//! review the diff and rerun with `BLESS=1` to rewrite the files.

mod report_fixture;

use report_fixture::{assert_golden, report, source};
use touchstone_harness::report::{html, junit, markdown, terminal};

#[test]
fn terminal_plain() {
    assert_golden("terminal.txt", &terminal::render(&report(), false));
}

#[test]
fn terminal_colour() {
    assert_golden("terminal_color.txt", &terminal::render(&report(), true));
}

#[test]
fn markdown_summary() {
    assert_golden("summary.md", &markdown::render(&report()));
}

#[test]
fn junit_xml() {
    assert_golden("junit.xml", &junit::render(&report()).unwrap());
}

#[test]
fn html_page() {
    assert_golden(
        "report.html",
        &html::render_with_sources(&report(), &source).unwrap(),
    );
}
