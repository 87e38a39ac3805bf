//! Merging the reports of partial runs (`touchstone merge`; one
//! per `--partition K/N`, or any runs over disjoint files) as one report,
//! equal to what a single run over all the files would have written, but
//! for timings: each engine's wall time is the longest part's, as the
//! parts ran side by side.

use anyhow::bail;

use super::model::{EngineRun, Report};

/// Merges `parts`. Engines appear in the order they are first met; a file
/// reported by two parts for the same engine is an error (the parts
/// overlap).
pub fn merge(parts: &[Report]) -> anyhow::Result<Report> {
    let Some(first) = parts.first() else {
        bail!("nothing to merge");
    };
    let mut merged = Report {
        schema_version: first.schema_version,
        touchstone_version: first.touchstone_version.clone(),
        suite: Vec::new(),
        runs: Vec::new(),
        skipped: Vec::new(),
        path_errors: Vec::new(),
        config: first.config.clone(),
    };
    for part in parts {
        if part.schema_version != merged.schema_version {
            bail!(
                "reports of schema versions {} and {} cannot be merged",
                merged.schema_version,
                part.schema_version
            );
        }
        for s in &part.suite {
            if !merged.suite.contains(s) {
                merged.suite.push(s.clone());
            }
        }
        // Every part of a partitioned run lists the same skips and bad
        // paths: keep each once.
        for skip in &part.skipped {
            if !merged.skipped.iter().any(|s| s.path == skip.path) {
                merged.skipped.push(skip.clone());
            }
        }
        for error in &part.path_errors {
            if !merged.path_errors.iter().any(|e| e.path == error.path) {
                merged.path_errors.push(error.clone());
            }
        }
        for run in &part.runs {
            let at = match merged.runs.iter().position(|r| r.engine == run.engine) {
                Some(at) => at,
                None => {
                    merged.runs.push(EngineRun {
                        engine: run.engine.clone(),
                        info: run.info.clone(),
                        ..EngineRun::default()
                    });
                    merged.runs.len() - 1
                }
            };
            let into = &mut merged.runs[at];
            into.wall_time_ms = into.wall_time_ms.max(run.wall_time_ms);
            into.files.extend(run.files.iter().cloned());
        }
    }
    for run in &mut merged.runs {
        run.files.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(w) = run.files.windows(2).find(|w| w[0].path == w[1].path) {
            bail!(
                "{} ran {} in two of the reports: they overlap",
                run.engine,
                w[0].path
            );
        }
        let files = std::mem::take(&mut run.files);
        let info = std::mem::take(&mut run.info);
        *run = crate::report::EngineRun::from_files(&run.engine, files, run.wall_time_ms);
        run.info = info;
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{FileReport, Outcome, Totals};

    fn file(path: &str, outcome: Outcome) -> FileReport {
        let mut totals = Totals {
            files: 1,
            ..Totals::default()
        };
        totals.count(outcome);
        totals.files_failed = u64::from(outcome != Outcome::Pass);
        FileReport {
            path: path.into(),
            area: ".".into(),
            outcome,
            totals,
            ..FileReport::default()
        }
    }

    fn report(engine: &str, files: Vec<FileReport>, ms: f64) -> Report {
        Report {
            schema_version: 1,
            touchstone_version: "0".into(),
            suite: vec!["s".into()],
            runs: vec![crate::report::EngineRun::from_files(engine, files, ms)],
            ..Report::default()
        }
    }

    #[test]
    fn parts_merge_into_the_whole() {
        let a = report("x", vec![file("b.wast", Outcome::Fail)], 5.0);
        let b = report(
            "x",
            vec![file("a.wast", Outcome::Pass), file("c.wast", Outcome::Pass)],
            7.0,
        );
        let whole = report(
            "x",
            vec![
                file("a.wast", Outcome::Pass),
                file("b.wast", Outcome::Fail),
                file("c.wast", Outcome::Pass),
            ],
            7.0,
        );
        assert_eq!(merge(&[a, b]).unwrap(), whole);
    }

    #[test]
    fn known_failures_skips_and_path_errors_survive_the_merge() {
        let mut known = file("k.wast", Outcome::Fail);
        known
            .assertions
            .push(crate::report::model::AssertionReport {
                outcome: Outcome::Fail,
                known: Some("why".into()),
                ..Default::default()
            });
        let mut a = report("x", vec![known], 1.0);
        let skip = crate::report::SkippedFile {
            path: "old.wast".into(),
            reason: "older copy".into(),
        };
        a.skipped.push(skip.clone());
        let mut b = report("x", vec![file("p.wast", Outcome::Pass)], 1.0);
        b.skipped.push(skip.clone());
        let merged = merge(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(
            merged.skipped,
            std::slice::from_ref(&skip),
            "each skip once"
        );
        assert_eq!(
            merged.runs[0].files[0].assertions[0].known.as_deref(),
            Some("why")
        );
        assert!(
            !crate::report::matrix::fails_unexpectedly(&merged),
            "known only: green"
        );
        let bad_path = crate::report::SkippedFile {
            path: "nope".into(),
            reason: "missing".into(),
        };
        b.path_errors.push(bad_path.clone());
        let merged = merge(&[a, b]).unwrap();
        assert_eq!(merged.path_errors, [bad_path]);
        assert!(
            crate::report::matrix::fails_unexpectedly(&merged),
            "a path error fails"
        );
    }

    #[test]
    fn overlapping_parts_are_refused() {
        let a = report("x", vec![file("a.wast", Outcome::Pass)], 1.0);
        let err = merge(&[a.clone(), a]).unwrap_err().to_string();
        assert!(err.contains("overlap"), "{err}");
        assert!(merge(&[]).is_err());
    }
}
