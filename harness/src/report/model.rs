//! The in-memory report: what one `touchstone test` run found, per engine,
//! per file, per directive. Every output format (terminal, JSON, JUnit,
//! Markdown, HTML) is rendered from this one structure, so they never
//! disagree. Its JSON form is the documented, versioned schema
//! (see `docs/report-schema.md`).

use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears (adding optional
/// fields does not bump it). 2: assertions may be named subtests
/// (`subtest`, with `line`/`column` 0), keyed by name instead of position.
pub const SCHEMA_VERSION: u32 = 2;

/// A whole run: one or more engines over the same scripts.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub schema_version: u32,
    /// Version of the touchstone binary that wrote the report.
    pub touchstone_version: String,
    /// What was run: the paths given, or `embedded:<set>` for the built-in suite.
    pub suite: Vec<String>,
    /// One entry per engine, in the order given on the command line.
    pub runs: Vec<EngineRun>,
    /// Files of the chosen suite that did not run, each with the reason
    /// (e.g. an older copy of a file that runs from a newer set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// Paths given that could not be run (missing, or holding no `.wast`
    /// file), each with the reason. The run fails when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_errors: Vec<SkippedFile>,
    /// The configuration file whose settings the run applied (`--config`,
    /// the suite root's `touchstone.toml`, or the user's own, which applies
    /// to every run): shown in every format, so no setting is invisible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// A script file (or a path given) that did not run, and why.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// The results of one engine.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EngineRun {
    pub engine: String,
    /// The engine's version and settings, when the engine says.
    #[serde(default, skip_serializing_if = "EngineInfo::is_empty")]
    pub info: EngineInfo,
    pub totals: Totals,
    /// Wall time for this engine's whole run, in milliseconds.
    pub wall_time_ms: f64,
    /// Sorted by `path`, whatever order the files ran in.
    pub files: Vec<FileReport>,
}

impl EngineRun {
    /// An engine's run from its file reports, with totals summed.
    pub fn from_files(engine: &str, files: Vec<FileReport>, wall_time_ms: f64) -> EngineRun {
        let mut totals = Totals::default();
        for f in &files {
            totals += &f.totals;
        }
        EngineRun {
            engine: engine.to_string(),
            totals,
            wall_time_ms,
            files,
            ..EngineRun::default()
        }
    }
}

/// What ran as an engine: its version and the flags it ran with (V8: node's
/// flags, which switch proposals on), so results can be reproduced.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EngineInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

impl EngineInfo {
    pub fn is_empty(&self) -> bool {
        self.version.is_none() && self.flags.is_empty()
    }

    /// One line for the reports: `11.3.244.8 (node v20.20.2); flags: --a --b`,
    /// or `None` when nothing is known.
    pub fn describe(&self) -> Option<String> {
        let flags = (!self.flags.is_empty()).then(|| format!("flags: {}", self.flags.join(" ")));
        let parts: Vec<String> = self.version.iter().cloned().chain(flags).collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Directive counts by outcome.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Totals {
    pub passed: u64,
    pub failed: u64,
    pub errors: u64,
    pub unsupported: u64,
    pub timeouts: u64,
    pub crashes: u64,
    /// Of `passed`: directives that failed the right way but whose engine
    /// message differs from the script's expected text (with
    /// `--strict-messages` they count as `failed` instead).
    #[serde(default)]
    pub message_mismatches: u64,
    /// Files whose outcome was not `pass`.
    pub files_failed: u64,
    pub files: u64,
}

impl Totals {
    /// Every directive counted, whatever its outcome.
    pub fn directives(&self) -> u64 {
        self.passed + self.failed + self.errors + self.unsupported + self.timeouts + self.crashes
    }

    /// Adds another set's directive counts (not its file counts).
    pub fn add_directives(&mut self, other: &Totals) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.errors += other.errors;
        self.unsupported += other.unsupported;
        self.timeouts += other.timeouts;
        self.crashes += other.crashes;
        self.message_mismatches += other.message_mismatches;
    }

    /// Adds one directive's result.
    pub fn count_assertion(&mut self, a: &AssertionReport) {
        self.count(a.outcome);
        if a.outcome == Outcome::Pass && a.message_mismatch {
            self.message_mismatches += 1;
        }
    }

    /// Passes whose message matched too.
    pub fn exact_passes(&self) -> u64 {
        self.passed - self.message_mismatches
    }

    /// Adds one directive outcome.
    pub fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail => self.failed += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Unsupported => self.unsupported += 1,
            Outcome::Timeout => self.timeouts += 1,
            Outcome::Crash => self.crashes += 1,
        }
    }
}

impl std::ops::AddAssign<&Totals> for Totals {
    /// Sums everything: directive counts and file counts.
    fn add_assign(&mut self, other: &Totals) {
        self.add_directives(other);
        self.files_failed += other.files_failed;
        self.files += other.files;
    }
}

/// The outcome of one directive, or of a whole file.
#[derive(
    Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Behaved as the script expects.
    #[default]
    Pass,
    /// Ran, and behaved otherwise than the script expects.
    Fail,
    /// Could not be run, e.g. the module it acts on failed to instantiate,
    /// or the script itself could not be parsed.
    Error,
    /// The runner or the engine cannot do this yet; the reason says why.
    Unsupported,
    /// The file's time limit ran out during this directive.
    Timeout,
    /// The engine or the runner panicked during this directive.
    Crash,
}

impl Outcome {
    /// How bad the outcome is, worst highest (`crash` > `timeout` > `fail` >
    /// `error` > `unsupported` > `pass`): a file's outcome is its worst
    /// directive's, and report columns sort by it.
    pub fn severity(self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Unsupported => 1,
            Outcome::Error => 2,
            Outcome::Fail => 3,
            Outcome::Timeout => 4,
            Outcome::Crash => 5,
        }
    }
}

/// One script file's results on one engine.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FileReport {
    /// Relative to the PATH given on the command line (or to the embedded
    /// suite's root), with `/` separators.
    pub path: String,
    /// The folder the file sits in (`.` at the top), used to group results.
    pub area: String,
    /// `pass` when every directive passed; otherwise the worst outcome seen
    /// (`crash` > `timeout` > `fail` > `error` > `unsupported`).
    pub outcome: Outcome,
    pub totals: Totals,
    pub duration_ms: f64,
    /// The WebAssembly features the file ran with, as a feature list
    /// (`wasm3,+custom-descriptors`; see `--features`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<String>,
    /// Why the file as a whole could not run (e.g. a parse error with
    /// file:line:col), if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub assertions: Vec<AssertionReport>,
}

/// One directive's result, or one named subtest's (JS API tests).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct AssertionReport {
    /// 1-based line and column of the directive in the script; 0 for a
    /// subtest, which has a name instead.
    pub line: u32,
    pub column: u32,
    /// The subtest's name (testharness.js files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtest: Option<String>,
    /// Set when the subtest could not run only because it calls a
    /// testharness function that the testharness.js in use does not define.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_harness_function: Option<String>,
    /// The directive's keyword: `assert_return`, `assert_trap`, `module`, `invoke`, ...
    pub kind: String,
    pub outcome: Outcome,
    /// What the script expects, in `.wast` syntax (values, or the expected
    /// error text for assertions on failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the engine did, in the same syntax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// The engine's or the runner's message (the trap text, the reason a
    /// directive was unsupported or errored, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// True when the failure kind was right but the engine's wording did not
    /// match the script's expected message. Not a failure on its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub message_mismatch: bool,
    /// Set when the directive did not pass exactly as the baseline (or the
    /// expectations built into the binary) says it will: the baseline's
    /// reason, or `"listed in the baseline"` when it gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
}

/// What identifies an assertion within its file: the directive's position,
/// or the subtest's name.
pub type AssertionKey = (u32, u32, Option<String>);

impl AssertionReport {
    /// Its identity within the file (baselines, comparisons, the matrix).
    pub fn key(&self) -> AssertionKey {
        (self.line, self.column, self.subtest.clone())
    }
}

/// How people are shown where an assertion is: its line, or its subtest
/// name in quotes.
///
/// ```
/// use touchstone_harness::report::model::locate;
/// assert_eq!(locate(12, None), "12");
/// assert_eq!(locate(0, Some("grow")), "\"grow\"");
/// ```
pub fn locate(line: u32, subtest: Option<&str>) -> String {
    match subtest {
        Some(name) => format!("{name:?}"),
        None => line.to_string(),
    }
}
