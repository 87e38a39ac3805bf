//! The script runner: runs one `.wast` script on one engine, directive by
//! directive, under guards (time limit, resource limits, panic isolation),
//! and reports every directive's outcome.

pub mod dialect;
pub mod directives;
pub mod feature_gate;
pub mod guard;
pub mod imports;
pub mod lines;
pub mod matching;
pub mod messages;
pub mod script_options;
pub mod settings;
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
pub use settings::{FileRule, HostModule, LimitOverrides};

/// How scripts are run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Per-file time limit; directives after it are not run (`timeout`).
    pub timeout: Duration,
    /// Memory, table and call-depth bounds. Its `interrupt` flag is
    /// replaced by a fresh one per file.
    pub limits: Limits,
    /// Per-file settings from the config, in order (see [`settings`]).
    pub rules: Vec<FileRule>,
    /// `--features`: applied to every file last.
    pub features: Option<String>,
    /// `--dialect`: overrides the config's.
    pub dialect: Option<dialect::Dialect>,
    /// `--strict-messages`: a pass whose message differs is a failure.
    pub strict_messages: bool,
    /// Registered in every store before the script runs.
    pub host_modules: Vec<HostModule>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(60),
            limits: Limits::default(),
            rules: Vec::new(),
            features: None,
            dialect: None,
            strict_messages: false,
            host_modules: Vec::new(),
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
            return file_report(script, None, vec![entry], Some(why), started.elapsed());
        }
    };
    let own = ScriptOptions::from_text(&text);
    let settings = settings::resolve(script, &own, options);
    if let Some(why) = settings.skip {
        let why = format!("skipped: {why}");
        let entry = file_problem(0, 0, Outcome::Unsupported, &why);
        let report = file_report(
            script,
            Some(settings.features),
            vec![entry],
            Some(why),
            started.elapsed(),
        );
        return report;
    }
    let interrupt = Arc::new(AtomicBool::new(false));
    let limits = Limits {
        interrupt: interrupt.clone(),
        ..settings.limits.clone()
    };
    let watchdog = guard::Watchdog::start(settings.timeout, interrupt.clone());

    let mut assertions = Vec::new();
    let mut message = None;
    let context = Context {
        script,
        text: &text,
        settings: &settings,
        limits: &limits,
        interrupt: &interrupt,
        host_modules: &options.host_modules,
    };
    let outcome = guard::catch(|| run_directives(&context, engine, &mut assertions));
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
    if options.strict_messages {
        for a in &mut assertions {
            strict(a);
        }
    }
    // Every file's records stay in memory until the run's reports are
    // written: without the growth slack, 288 files' records take about a
    // third less (measured with massif on the official snapshot).
    assertions.shrink_to_fit();
    file_report(
        script,
        Some(settings.features),
        assertions,
        message,
        started.elapsed(),
    )
}

/// Under `--strict-messages`, a pass with a different message fails.
fn strict(a: &mut AssertionReport) {
    if a.outcome == Outcome::Pass && a.message_mismatch {
        a.outcome = Outcome::Fail;
        let engine = a.message.take().unwrap_or_default();
        a.message = Some(format!(
            "the engine's message differs from the expected one (--strict-messages): {engine}"
        ));
    }
}

/// What [`run_directives`] needs besides the engine.
struct Context<'a> {
    script: &'a Script,
    text: &'a str,
    settings: &'a settings::FileSettings,
    limits: &'a Limits,
    interrupt: &'a AtomicBool,
    host_modules: &'a [HostModule],
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
    cx: &Context<'_>,
    engine: &dyn Engine,
    out: &mut Vec<AssertionReport>,
) -> Result<(), (u32, u32, String)> {
    let (script, text, interrupt) = (cx.script, cx.text, cx.interrupt);
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

    let mut store = engine.new_session(&cx.settings.features, cx.limits);
    for host in cx.host_modules {
        if let Err(why) = register_host_module(store.as_mut(), host) {
            out.push(file_problem(0, 0, Outcome::Error, &why));
            return Ok(());
        }
    }
    let mut run =
        ScriptRun::new(store, text).with_context(cx.settings.features, cx.settings.dialect);
    let file = threads::FileContext {
        engine,
        text,
        features: cx.settings.features,
        dialect: cx.settings.dialect,
        limits: cx.limits,
        interrupt,
    };
    std::thread::scope(|scope| threads::run_block(scope, &file, &mut run, wast.directives, out));
    Ok(())
}

/// Instantiates a config host module and registers it under its name.
fn register_host_module(
    store: &mut dyn crate::engine::Session,
    host: &HostModule,
) -> Result<(), String> {
    let why = |e: crate::engine::EngineError| format!("host module `{}`: {}", host.name, e.message);
    let module = store.compile(&host.wasm).map_err(why)?;
    let instance = store.instantiate(module).map_err(why)?;
    store.register(&host.name, instance).map_err(why)
}

fn file_report(
    script: &Script,
    features: Option<wasmparser::WasmFeatures>,
    assertions: Vec<AssertionReport>,
    message: Option<String>,
    elapsed: Duration,
) -> FileReport {
    let mut totals = Totals {
        files: 1,
        ..Totals::default()
    };
    for a in &assertions {
        totals.count_assertion(a);
    }
    let outcome = worst(assertions.iter().map(|a| a.outcome));
    totals.files_failed = u64::from(outcome != Outcome::Pass);
    FileReport {
        path: script.path.clone(),
        area: script.area(),
        outcome,
        totals,
        duration_ms: elapsed.as_secs_f64() * 1000.0,
        features: features.map(crate::suite::features::describe),
        message,
        assertions,
    }
}

/// The file's outcome: `pass` if everything passed, else the most severe
/// outcome seen (`crash` > `timeout` > `fail` > `error` > `unsupported`).
pub fn worst(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    outcomes
        .max_by_key(|o| o.severity())
        .unwrap_or(Outcome::Pass)
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
