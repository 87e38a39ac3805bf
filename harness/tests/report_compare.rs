//! `compare` must find a regression planted in a copy of a report, a fix,
//! file and message changes, and nothing at all between identical reports.

mod report_fixture;

use touchstone_harness::report::baseline::Baseline;
use touchstone_harness::report::compare::{self, Comparison};
use touchstone_harness::report::model::{AssertionReport, Outcome, Report};

fn assertion_mut<'a>(
    report: &'a mut Report,
    engine: &str,
    path: &str,
    line: u32,
) -> &'a mut AssertionReport {
    let run = report
        .runs
        .iter_mut()
        .find(|r| r.engine == engine)
        .expect("engine");
    let file = run.files.iter_mut().find(|f| f.path == path).expect("file");
    file.assertions
        .iter_mut()
        .find(|a| a.line == line)
        .expect("assertion")
}

fn engine<'a>(cmp: &'a Comparison, name: &str) -> &'a compare::EngineComparison {
    cmp.engines
        .iter()
        .find(|e| e.engine == name)
        .expect("engine in comparison")
}

#[test]
fn identical_reports_show_no_change() {
    let report = report_fixture::report();
    let cmp = compare::compare(&report, &report.clone());
    assert!(!cmp.has_regressions());
    for e in &cmp.engines {
        assert!(
            e.regressions.is_empty() && e.fixes.is_empty() && e.outcome_changes.is_empty(),
            "{e:?}"
        );
        assert!(
            e.message_changes.is_empty() && e.files_added.is_empty() && e.files_removed.is_empty(),
            "{e:?}"
        );
    }
    assert!(cmp.to_string().ends_with("No regressions.\n"), "{cmp}");
}

#[test]
fn planted_regression_is_found_and_nothing_else() {
    let old = report_fixture::report();
    let mut new = old.clone();
    let a = assertion_mut(&mut new, "wasmi", "i32.wast", 5);
    assert_eq!(a.outcome, Outcome::Pass, "the fixture's line 5 passes");
    a.outcome = Outcome::Fail;
    a.actual = Some("(i32.const 0)".into());

    let cmp = compare::compare(&old, &new);
    assert!(cmp.has_regressions());
    assert_eq!(cmp.regression_count(), 1);
    let wasmi = engine(&cmp, "wasmi");
    let r = &wasmi.regressions[0];
    assert_eq!(
        (r.path.as_str(), r.line, r.old, r.new),
        ("i32.wast", 5, Some(Outcome::Pass), Some(Outcome::Fail))
    );
    assert!(
        engine(&cmp, "touchstone").regressions.is_empty(),
        "other engine untouched"
    );
    let text = cmp.to_string();
    assert!(
        text.contains("i32.wast:5 assert_return: pass -> fail"),
        "{text}"
    );
    assert!(
        text.ends_with("REGRESSED: 1 directive no longer passes.\n"),
        "{text}"
    );
}

#[test]
fn directive_that_stops_running_is_a_regression() {
    let old = report_fixture::report();
    let mut new = old.clone();
    let file = new.runs[0]
        .files
        .iter_mut()
        .find(|f| f.path == "i32.wast")
        .unwrap();
    file.assertions.retain(|a| a.line != 5);
    let cmp = compare::compare(&old, &new);
    let r = &engine(&cmp, "touchstone").regressions;
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!((r[0].line, r[0].new), (5, None));
}

#[test]
fn fixes_outcome_and_message_changes_are_listed_without_failing() {
    let old = report_fixture::report();
    let mut new = old.clone();
    // touchstone's failing i32 line 6 now passes.
    let fixed = assertion_mut(&mut new, "touchstone", "i32.wast", 6);
    assert_ne!(fixed.outcome, Outcome::Pass);
    fixed.outcome = Outcome::Pass;
    fixed.actual = fixed.expected.clone();
    // Same failure, new wording.
    let reworded = assertion_mut(&mut new, "touchstone", "f32.wast", 2);
    reworded.message = Some("NaN payload differs".into());
    // wasmi's crash becomes a timeout.
    assertion_mut(&mut new, "wasmi", "legacy/exceptions/try_catch.wast", 3).outcome =
        Outcome::Timeout;
    // A file leaves the suite and another arrives.
    new.runs[0].files.retain(|f| f.path != "bad.wast");
    new.runs[0]
        .files
        .push(report_fixture::file("new.wast", ".", 1.0, Vec::new()));

    let cmp = compare::compare(&old, &new);
    assert!(!cmp.has_regressions(), "{cmp}");
    let ts = engine(&cmp, "touchstone");
    assert_eq!(ts.fixes.len(), 1);
    assert_eq!(
        (ts.fixes[0].line, ts.fixes[0].new),
        (6, Some(Outcome::Pass))
    );
    assert_eq!(ts.message_changes.len(), 1);
    assert_eq!(
        ts.message_changes[0].new_detail.as_deref(),
        Some("NaN payload differs")
    );
    assert_eq!(ts.files_removed, ["bad.wast"]);
    assert_eq!(ts.files_added, ["new.wast"]);
    let wasmi = engine(&cmp, "wasmi");
    assert_eq!(wasmi.outcome_changes.len(), 1);
    assert_eq!(
        (wasmi.outcome_changes[0].old, wasmi.outcome_changes[0].new),
        (Some(Outcome::Crash), Some(Outcome::Timeout))
    );
}

#[test]
fn engine_present_in_one_report_only_is_named() {
    let old = report_fixture::report();
    let mut new = old.clone();
    new.runs.truncate(1);
    let cmp = compare::compare(&old, &new);
    let wasmi = engine(&cmp, "wasmi");
    assert!(wasmi.in_old && !wasmi.in_new);
    assert!(cmp
        .to_string()
        .contains("wasmi: engine only in the old report"));
}

#[test]
fn run_reads_json_files_and_returns_whether_it_regressed() {
    let old = report_fixture::report();
    let mut new = old.clone();
    assertion_mut(&mut new, "touchstone", "i32.wast", 1).outcome = Outcome::Crash;
    let dir = report_fixture::out_dir();
    let (old_path, new_path) = (dir.join("compare-old.json"), dir.join("compare-new.json"));
    std::fs::write(&old_path, serde_json::to_string(&old).unwrap()).unwrap();
    std::fs::write(&new_path, serde_json::to_string(&new).unwrap()).unwrap();
    assert!(
        compare::run(&old_path, &new_path)
            .unwrap()
            .has_regressions(),
        "planted crash is a regression"
    );
    assert!(
        !compare::run(&old_path, &old_path)
            .unwrap()
            .has_regressions(),
        "a report against itself"
    );
    let err = compare::run(&dir.join("no-such.json"), &new_path).unwrap_err();
    assert!(format!("{err:#}").contains("no-such.json"), "{err:#}");
}

#[test]
fn comparison_text_matches_golden() {
    let old = report_fixture::report();
    let mut new = old.clone();
    assertion_mut(&mut new, "wasmi", "i32.wast", 5).outcome = Outcome::Fail;
    assertion_mut(&mut new, "touchstone", "i32.wast", 6).outcome = Outcome::Pass;
    assertion_mut(&mut new, "touchstone", "f32.wast", 2).message =
        Some("NaN payload <differs> & \"more\"".into());
    new.runs[1].files.retain(|f| f.path != "bad.wast");
    report_fixture::assert_golden("compare.txt", &compare::compare(&old, &new).to_string());
}

#[test]
fn baseline_as_old_finds_regressions_and_fixes() {
    let report = report_fixture::report();
    let baseline = Baseline::from_report(&report.runs[0]);
    let same = compare::compare_to_baseline(&baseline, &report);
    assert!(
        !same.has_regressions(),
        "a run matches its own baseline: {same}"
    );
    assert!(
        engine(&same, "wasmi").in_new && !engine(&same, "wasmi").in_old,
        "other engines are named, not compared"
    );

    let mut new = report.clone();
    assertion_mut(&mut new, "touchstone", "i32.wast", 5).outcome = Outcome::Fail;
    assertion_mut(&mut new, "touchstone", "i32.wast", 6).outcome = Outcome::Pass;
    let cmp = compare::compare_to_baseline(&baseline, &new);
    let ts = engine(&cmp, "touchstone");
    assert_eq!(
        ts.regressions.iter().map(|c| c.line).collect::<Vec<_>>(),
        [5]
    );
    assert_eq!(ts.fixes.iter().map(|c| c.line).collect::<Vec<_>>(), [6]);

    // Through the files, as `touchstone compare BASELINE NEW` runs it.
    let dir = report_fixture::out_dir();
    let (base_path, new_path) = (
        dir.join("compare-baseline.json"),
        dir.join("compare-new-vs-baseline.json"),
    );
    baseline.save(&base_path).unwrap();
    std::fs::write(&new_path, serde_json::to_string(&new).unwrap()).unwrap();
    assert!(matches!(
        compare::read_old(&base_path).unwrap(),
        compare::Old::Baseline(_)
    ));
    assert!(
        compare::run(&base_path, &new_path)
            .unwrap()
            .has_regressions(),
        "regression against the baseline"
    );
    assert!(
        ts.against_baseline && cmp.to_string().contains("against a baseline"),
        "{cmp}"
    );
}

#[test]
fn message_mismatches_that_come_and_go_are_listed_without_failing() {
    let old = report_fixture::report();
    let mut new = old.clone();
    let a = assertion_mut(&mut new, "wasmi", "i32.wast", 5);
    assert_eq!(a.outcome, Outcome::Pass);
    assert!(
        !a.message_mismatch,
        "the fixture's line 5 matched its message"
    );
    a.message_mismatch = true;
    a.message = Some("another wording".into());
    let cmp = compare::compare(&old, &new);
    assert!(!cmp.has_regressions());
    let e = engine(&cmp, "wasmi");
    assert_eq!(e.mismatches_added.len(), 1);
    assert_eq!(e.mismatches_added[0].line, 5);
    assert!(cmp.to_string().contains("new message mismatches"), "{cmp}");
    let back = compare::compare(&new, &old);
    assert_eq!(engine(&back, "wasmi").mismatches_removed.len(), 1);
    assert!(
        back.to_string().contains("message mismatches gone"),
        "{back}"
    );
}
