//! `touchstone merge A.json B.json ...`: the reports of partial runs as
//! one (see [`crate::report::merge`]), written and printed like a run's.

use std::path::PathBuf;

use super::stdout::out;
use crate::report::compare::read_report;
use crate::report::outputs::ReportFiles;

/// Options of `touchstone merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// JSON reports written by `touchstone test --json`.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,

    #[command(flatten)]
    pub files: ReportFiles,
}

/// Runs `touchstone merge`; true when the merged run fails: a failing file
/// (known failures, which the parts' baselines marked, do not count) or a
/// path error in any part.
pub fn run(args: &MergeArgs) -> anyhow::Result<bool> {
    args.files.check_writable()?;
    let parts = args
        .reports
        .iter()
        .map(|p| read_report(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let report = crate::report::merge::merge(&parts)?;
    args.files.write(&report, &|_| None)?;
    use std::io::IsTerminal;
    out!(
        "{}",
        crate::report::terminal::render(&report, std::io::stdout().is_terminal())
    );
    Ok(crate::report::matrix::fails_unexpectedly(&report))
}
