//! The script runner: runs one `.wast` script on one engine, directive by
//! directive, under guards (time limit, resource limits, panic isolation),
//! and reports every directive's outcome.

pub mod directives;
pub mod guard;
pub mod imports;
pub mod lines;
pub mod matching;
pub mod messages;
pub mod script_options;
pub mod threads;
pub mod values;
pub mod verdict;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::{Engine, Limits};
use crate::report::{AssertionReport, FileReport, Outcome, Totals};
use crate::suite::{legacy, Script};
use directives::ScriptRun;
use script_options::ScriptOptions;

/// How scripts are run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Per-file time limit; directives after it are not run (`timeout`).
    pub timeout: Duration,
    /// Memory, table and call-depth bounds. Its `interrupt` flag is
    /// replaced by a fresh one per file.
    pub limits: Limits,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(60),
            limits: Limits::default(),
        }
    }
}

/// Runs `script` on `engine`. Never panics and never hangs past the time
/// limit for engines that honour the interrupt flag: every problem becomes
/// an outcome in the report.
pub fn run_script(engine: &dyn Engine, script: &Script, options: &RunOptions) -> FileReport {
    let started = Instant::now();
    let text = match script.text() {
        Ok(text) => text,
        Err(e) => {
            let why = format!("{e:#}");
            let entry = file_problem(0, 0, Outcome::Error, &why);
            return file_report(script, vec![entry], Some(why), started.elapsed());
        }
    };
    let own = ScriptOptions::from_text(&text);
    let interrupt = Arc::new(AtomicBool::new(false));
    let mut limits = Limits {
        interrupt: interrupt.clone(),
        ..options.limits.clone()
    };
    if let Some(max) = own.max_memory_bytes {
        limits.max_memory_bytes = limits.max_memory_bytes.min(max);
    }
    let timeout = own
        .timeout
        .map_or(options.timeout, |t| t.min(options.timeout));
    let watchdog = guard::Watchdog::start(timeout, interrupt.clone());

    let mut assertions = Vec::new();
    let mut message = None;
    let outcome = guard::catch(|| {
        run_directives(engine, script, &text, &limits, &interrupt, &mut assertions)
    });
    drop(watchdog);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err((line, col, why))) => {
            // The script could not be parsed: one `error` entry where it
            // went wrong, so the failure is counted.
            assertions.push(file_problem(line, col, Outcome::Error, &why));
            message = Some(why);
        }
        Err(panic) => {
            let line = assertions.last().map_or(0, |a| a.line);
            assertions.push(file_problem(line, 0, Outcome::Crash, &panic));
            message = Some(panic);
        }
    }
    file_report(script, assertions, message, started.elapsed())
}

fn file_problem(line: u32, column: u32, outcome: Outcome, why: &str) -> AssertionReport {
    AssertionReport {
        line,
        column,
        kind: "script".into(),
        outcome,
        message: Some(why.to_string()),
        ..AssertionReport::default()
    }
}

/// Parses and runs the script, appending to `out`. `Err` is a parse error
/// with its 1-based line and column.
fn run_directives(
    engine: &dyn Engine,
    script: &Script,
    text: &str,
    limits: &Limits,
    interrupt: &AtomicBool,
    out: &mut Vec<AssertionReport>,
) -> Result<(), (u32, u32, String)> {
    let rewritten = legacy::rewrite_folded_try(text);
    let text = rewritten.as_deref().unwrap_or(text);
    let parse_error = |mut e: wast::Error| {
        let (line, col) = e.span().linecol_in(text);
        e.set_path(std::path::Path::new(&script.origin()));
        e.set_text(text);
        (line as u32 + 1, col as u32 + 1, e.to_string())
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    // `names.wast` tests confusable Unicode names on purpose.
    lexer.allow_confusing_unicode(true);
    let buffer = wast::parser::ParseBuffer::new_with_lexer(lexer).map_err(parse_error)?;
    let wast = wast::parser::parse::<wast::Wast>(&buffer).map_err(parse_error)?;

    let store = engine.new_store(&script.features, limits);
    let mut run = ScriptRun::new(store, text);
    let file = threads::FileContext {
        engine,
        text,
        features: script.features,
        limits,
        interrupt,
    };
    std::thread::scope(|scope| threads::run_block(scope, &file, &mut run, wast.directives, out));
    Ok(())
}

fn file_report(
    script: &Script,
    assertions: Vec<AssertionReport>,
    message: Option<String>,
    elapsed: Duration,
) -> FileReport {
    let mut totals = Totals {
        files: 1,
        ..Totals::default()
    };
    for a in &assertions {
        totals.count(a.outcome);
    }
    let outcome = worst(assertions.iter().map(|a| a.outcome));
    totals.files_failed = u64::from(outcome != Outcome::Pass);
    FileReport {
        path: script.path.clone(),
        area: script.area(),
        outcome,
        totals,
        duration_ms: elapsed.as_secs_f64() * 1000.0,
        message,
        assertions,
    }
}

/// The file's outcome: `pass` if everything passed, else the most severe
/// outcome seen (`crash` > `timeout` > `fail` > `error` > `unsupported`).
pub fn worst(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    outcomes
        .max_by_key(|o| severity(*o))
        .unwrap_or(Outcome::Pass)
}

fn severity(o: Outcome) -> u8 {
    match o {
        Outcome::Pass => 0,
        Outcome::Unsupported => 1,
        Outcome::Error => 2,
        Outcome::Fail => 3,
        Outcome::Timeout => 4,
        Outcome::Crash => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_outcome_order() {
        use Outcome::*;
        assert_eq!(worst([Pass, Unsupported, Error].into_iter()), Error);
        assert_eq!(worst([Fail, Timeout, Pass].into_iter()), Timeout);
        assert_eq!(worst([Crash, Timeout].into_iter()), Crash);
        assert_eq!(worst(std::iter::empty()), Pass);
    }
}
