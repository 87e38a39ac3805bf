//! Golden-file tests: every report format rendered from the shared fixture
//! must match `tests/golden/` byte for byte. After an intended change,
//! review the diff and rerun with `BLESS=1` to rewrite the files.

mod report_fixture;

use report_fixture::{assert_golden, known_only, report, report_with_known, source};
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

/// Known failures, skipped files and path errors: listed in Markdown the
/// way the terminal summary lists them.
#[test]
fn markdown_known_skipped_and_path_errors() {
    assert_golden("summary_known.md", &markdown::render(&report_with_known()));
}

#[test]
fn terminal_known_skipped_and_path_errors() {
    assert_golden(
        "terminal_known.txt",
        &terminal::render(&report_with_known(), false),
    );
}

/// A run whose only non-passes are known is green in every format.
#[test]
fn known_only_run_is_green_everywhere() {
    let r = known_only();
    let md = markdown::render(&r);
    assert!(
        md.starts_with("## ✅ Touchstone: touchstone 66.66% (2/3, 1 known)"),
        "{md}"
    );
    assert!(md.contains("| (top level) | 2 | 1 |"), "{md}");
    assert!(!md.contains("### Failures"), "{md}");
    assert!(
        md.contains("| touchstone | `i32.wast:6` | `assert_return` | fail | the copy predates the rule change |"),
        "{md}"
    );
    let page = html::render(&r).unwrap();
    assert!(page.contains("card ok"), "engine card is green");
    assert!(page.contains("passing, 1 known"));
    assert!(page.contains("id=\"known\""));
    assert!(page.contains("the copy predates the rule change"));
    assert!(page.contains("No unexpected failure"));
    let text = terminal::render(&r, false);
    assert!(
        text.contains("touchstone: ok (1 known failure, as expected)."),
        "{text}"
    );
}

/// The HTML page shows the path errors first, known failures apart from the
/// failures with their reason, and the skipped files with theirs.
#[test]
fn html_known_skipped_and_path_errors() {
    let page = html::render(&report_with_known()).unwrap();
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at("id=\"path-errors\"") < at("id=\"totals\""));
    assert!(page.contains("missing/dir") && page.contains("no such file or directory"));
    assert!(at("id=\"failures\"") < at("id=\"known\""));
    assert!(page.contains("upstream &lt;spec&gt; changed the rule &amp; the copy predates it"));
    assert!(page.contains("id=\"skipped\"") && page.contains("old/i32.wast"));
    assert!(page.contains("older copy of i32.wast, which runs from `new`"));
    // The known failure is not listed again among the failures.
    let failures = &page[at("id=\"failures\"")..at("id=\"known\"")];
    assert!(!failures.contains("i32.wast:6"), "{failures}");
}
