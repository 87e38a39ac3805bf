//! JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test
//! reporters) read: one `<testsuite>` per engine and file, one
//! `<testcase>` per directive.
//!
//! Written with `quick-junit` (nextest's serializer), which handles XML
//! escaping and strips characters XML cannot carry.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::matrix::outcome_word;
use super::model::{AssertionReport, FileReport, Outcome, Report};

/// Renders the report as a JUnit XML document.
///
/// Mapping: `fail` is a `<failure>`; `error`, `timeout` and `crash` are
/// `<error>`s (the `type` attribute says which); `unsupported` is
/// `<skipped>` with the reason. A file that could not run as a whole is
/// one test case: the runner's `script` directive carrying the file's
/// message, or a case named `file` when no directive carries it. Test cases are named `line L:C: KIND` and classed
/// `ENGINE.dotted.path`, so (classname, name) is unique across engines and
/// when several directives share a line.
pub fn render(report: &Report) -> anyhow::Result<String> {
    let mut junit = quick_junit::Report::new("touchstone");
    for run in &report.runs {
        for file in &run.files {
            junit.add_test_suite(file_suite(&run.engine, file));
        }
    }
    let total_ms: f64 = report.runs.iter().map(|r| r.wall_time_ms).sum();
    junit.set_time(duration(total_ms));
    Ok(junit.to_string()?)
}

fn file_suite(engine: &str, file: &FileReport) -> TestSuite {
    let mut suite = TestSuite::new(format!("{engine}/{}", file.path));
    suite.set_time(duration(file.duration_ms));
    suite.add_properties([
        Property::new("engine", engine),
        Property::new("area", file.area.as_str()),
    ]);
    if let Some(features) = &file.features {
        suite.add_property(Property::new("features", features.as_str()));
    }
    if file.totals.message_mismatches > 0 {
        let n = file.totals.message_mismatches.to_string();
        suite.add_property(Property::new("message-mismatches", n.as_str()));
    }
    let classname = format!("{engine}.{}", classname(&file.path));
    // The runner records a file-level problem as a `script` directive with
    // the same message too: one test case for it, not two.
    let already_a_case = |m: &str| {
        file.assertions
            .iter()
            .any(|a| a.message.as_deref() == Some(m))
    };
    if let Some(message) = file.message.as_deref().filter(|m| !already_a_case(m)) {
        let mut status = status_for(file.outcome, Some(message), None);
        if file.outcome == Outcome::Pass {
            // A file-level message on a passing file is only informative.
            status = TestCaseStatus::success();
        }
        let mut case = TestCase::new("file", status);
        case.set_classname(classname.as_str());
        suite.add_test_case(case);
    }
    for a in &file.assertions {
        suite.add_test_case(directive_case(&classname, a));
    }
    suite
}

fn directive_case(classname: &str, a: &AssertionReport) -> TestCase {
    let status = status_for(a.outcome, a.message.as_deref(), Some(a));
    let name = match &a.subtest {
        Some(subtest) => subtest.clone(),
        None => format!("line {}:{}: {}", a.line, a.column, a.kind),
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(classname);
    if a.outcome == Outcome::Pass && a.message_mismatch {
        // Passing, but the engine's wording differs from the script's: worth
        // seeing in the CI log, not worth failing the build.
        case.set_system_out(format!("message mismatch: {}", details(a)));
    }
    case
}

/// The JUnit status of an outcome, with the text CI shows for it.
fn status_for(
    outcome: Outcome,
    message: Option<&str>,
    a: Option<&AssertionReport>,
) -> TestCaseStatus {
    let description = a.map(details).filter(|d| !d.is_empty());
    let kind = match outcome {
        Outcome::Pass => return TestCaseStatus::success(),
        Outcome::Unsupported => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(message.unwrap_or("unsupported"));
            return status;
        }
        Outcome::Fail => NonSuccessKind::Failure,
        Outcome::Error | Outcome::Timeout | Outcome::Crash => NonSuccessKind::Error,
    };
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(outcome_word(outcome));
    let headline = match (message, a) {
        (Some(m), _) => m.to_string(),
        (None, Some(a)) => summary(a),
        (None, None) => outcome_word(outcome).to_string(),
    };
    status.set_message(headline);
    if let Some(d) = description {
        status.set_description(d);
    }
    status
}

/// One line saying what was expected and what happened instead.
fn summary(a: &AssertionReport) -> String {
    match (&a.expected, &a.actual) {
        (Some(e), Some(x)) => format!("expected {e}, got {x}"),
        (Some(e), None) => format!("expected {e}"),
        (None, Some(x)) => format!("got {x}"),
        (None, None) => outcome_word(a.outcome).to_string(),
    }
}

/// The body of a failure: every field the directive carries, one per line.
fn details(a: &AssertionReport) -> String {
    let mut lines = Vec::new();
    if let Some(e) = &a.expected {
        lines.push(format!("expected: {e}"));
    }
    if let Some(x) = &a.actual {
        lines.push(format!("actual:   {x}"));
    }
    if let Some(m) = &a.message {
        lines.push(format!("message:  {m}"));
    }
    lines.join("\n")
}

/// `proposals/threads/atomic.wast` becomes `proposals.threads.atomic`, the
/// dotted form JUnit tools use to build a package tree.
pub fn classname(path: &str) -> String {
    let stem = path.strip_suffix(".wast").unwrap_or(path);
    stem.replace(['/', '\\'], ".")
}

fn duration(ms: f64) -> Duration {
    Duration::from_secs_f64((ms / 1000.0).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{EngineRun, Totals};

    #[test]
    fn classname_uses_dots_and_drops_extension() {
        assert_eq!(
            classname("proposals/threads/atomic.wast"),
            "proposals.threads.atomic"
        );
        assert_eq!(classname("i32.wast"), "i32");
    }

    #[test]
    fn outcomes_map_to_junit_elements_and_parse_back() {
        let mk = |line, outcome, message: Option<&str>| AssertionReport {
            line,
            column: 1,
            kind: "assert_return".into(),
            outcome,
            expected: Some("(i32.const 1)".into()),
            actual: Some("(i32.const 2)".into()),
            message: message.map(Into::into),
            ..Default::default()
        };
        let file = FileReport {
            path: "a/b.wast".into(),
            area: "a".into(),
            outcome: Outcome::Crash,
            totals: Totals::default(),
            assertions: vec![
                mk(1, Outcome::Pass, None),
                mk(2, Outcome::Fail, None),
                mk(3, Outcome::Error, Some("no module")),
                mk(4, Outcome::Unsupported, Some("needs threads")),
                mk(5, Outcome::Timeout, None),
                mk(6, Outcome::Crash, Some("panicked")),
            ],
            ..Default::default()
        };
        let report = Report {
            runs: vec![EngineRun {
                engine: "e".into(),
                files: vec![file],
                ..Default::default()
            }],
            ..Default::default()
        };
        let xml = render(&report).unwrap();
        let parsed = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit");
        let suite = &parsed.test_suites[0];
        assert_eq!(suite.name.as_str(), "e/a/b.wast");
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (6, 1, 3, 1)
        );
        let fail = &suite.test_cases[1];
        assert_eq!(fail.name.as_str(), "line 2:1: assert_return");
        assert_eq!(fail.classname.as_ref().unwrap().as_str(), "e.a.b");
        match &fail.status {
            TestCaseStatus::NonSuccess {
                kind: NonSuccessKind::Failure,
                message,
                ..
            } => {
                assert_eq!(
                    message.as_ref().unwrap().as_str(),
                    "expected (i32.const 1), got (i32.const 2)"
                )
            }
            other => panic!("line 2 should be a failure: {other:?}"),
        }
        match &suite.test_cases[3].status {
            TestCaseStatus::Skipped { message, .. } => {
                assert_eq!(message.as_ref().unwrap().as_str(), "needs threads")
            }
            other => panic!("line 4 should be skipped: {other:?}"),
        }
    }

    #[test]
    fn a_file_that_does_not_parse_appears_once() {
        let parse_error = AssertionReport {
            line: 3,
            column: 5,
            kind: "script".into(),
            outcome: Outcome::Error,
            message: Some("bad.wast:3:5: unexpected token".into()),
            ..Default::default()
        };
        let file = FileReport {
            path: "bad.wast".into(),
            outcome: Outcome::Error,
            message: parse_error.message.clone(),
            assertions: vec![parse_error],
            ..Default::default()
        };
        let report = Report {
            runs: vec![EngineRun {
                engine: "e".into(),
                files: vec![file],
                ..Default::default()
            }],
            ..Default::default()
        };
        let xml = render(&report).unwrap();
        assert_eq!(xml.matches("<testcase").count(), 1, "{xml}");
        let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        assert_eq!(parsed.test_suites[0].tests, 1);
    }

    #[test]
    fn case_ids_are_unique_across_engines_and_on_shared_lines() {
        // `(thread $T (invoke ...))`-style: two directives on line 17.
        let mk = |column| AssertionReport {
            line: 17,
            column,
            kind: "invoke".into(),
            ..Default::default()
        };
        let file = FileReport {
            path: "a.wast".into(),
            assertions: vec![mk(2), mk(13)],
            ..Default::default()
        };
        let runs = ["touchstone", "wasmi"]
            .map(|engine| EngineRun {
                engine: engine.into(),
                files: vec![file.clone()],
                ..Default::default()
            })
            .to_vec();
        let xml = render(&Report {
            runs,
            ..Default::default()
        })
        .unwrap();
        let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for suite in &parsed.test_suites {
            for case in &suite.test_cases {
                let id = (
                    case.classname.as_ref().unwrap().to_string(),
                    case.name.to_string(),
                );
                assert!(ids.insert(id.clone()), "duplicate {id:?}");
            }
        }
        assert_eq!(ids.len(), 4);
    }
}
