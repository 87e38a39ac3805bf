//! Runs one testharness.js test file (`*.any.js` with its `// META:
//! script=` includes), on our host or in node, and returns its subtests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::{JsHost, Options, Output};

/// The results collector, loaded after testharness.js on every engine.
pub const REPORTER_JS: &str = include_str!("reporter.js");
/// The node driver (`touchstone js-api --engine v8`).
pub const NODE_DRIVER_JS: &str = include_str!("node.js");

/// A subtest's status, as testharness.js numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Timeout,
    NotRun,
    PreconditionFailed,
}

impl Status {
    fn from_code(code: u32) -> Status {
        match code {
            0 => Status::Pass,
            1 => Status::Fail,
            2 => Status::Timeout,
            4 => Status::PreconditionFailed,
            _ => Status::NotRun,
        }
    }
}

/// One subtest.
#[derive(Clone, Debug, PartialEq)]
pub struct Subtest {
    pub name: String,
    pub status: Status,
    pub message: Option<String>,
    /// Set when the subtest failed only because it called a testharness
    /// function that this testharness.js does not define.
    pub missing_harness_function: Option<String>,
}

/// A whole file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileOutcome {
    pub subtests: Vec<Subtest>,
    /// Why the file as a whole did not complete (harness error or
    /// timeout, a script that failed to load, node missing...).
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct RawResults {
    subtests: Vec<RawSubtest>,
    harness: Option<RawHarness>,
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct RawSubtest {
    name: String,
    status: u32,
    message: Option<String>,
}

#[derive(Deserialize)]
struct RawHarness {
    status: u32,
    message: Option<String>,
}

/// Where a test's files are.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The js-api root: `/wasm/jsapi/x.js` includes resolve here.
    pub root: PathBuf,
    /// testharness.js.
    pub testharness: PathBuf,
}

/// The `// META: script=` includes of a test, resolved to files, in order.
pub fn includes(test: &Path, source: &str, layout: &Layout) -> Vec<PathBuf> {
    let dir = test.parent().unwrap_or(Path::new("."));
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("// META:"))
        .filter_map(|l| l.trim().strip_prefix("script="))
        .map(|s| match s.trim().strip_prefix("/wasm/jsapi/") {
            Some(rest) => layout.root.join(rest),
            None => dir.join(s.trim()),
        })
        .collect()
}

/// How much longer than the default a `// META: timeout=long` test may
/// run (web-platform-tests give such tests 6 times the time).
pub const LONG_TIMEOUT_FACTOR: u32 = 6;

/// Whether a test is marked `// META: timeout=long`.
pub fn is_long(source: &str) -> bool {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("// META:"))
        .any(|l| l.trim() == "timeout=long")
}

/// `timeout`, or [`LONG_TIMEOUT_FACTOR`] times it for a test marked long.
pub fn timeout_for(source: &str, timeout: Duration) -> Duration {
    if is_long(source) {
        timeout * LONG_TIMEOUT_FACTOR
    } else {
        timeout
    }
}

/// Runs `test` on our host, giving up after `timeout` (longer for a test
/// marked long, see [`timeout_for`]).
pub fn run_ours(test: &Path, layout: &Layout, timeout: Duration) -> FileOutcome {
    let source = match std::fs::read_to_string(test) {
        Ok(s) => s,
        Err(e) => return failed(format!("{}: {e}", test.display())),
    };
    let timeout = timeout_for(&source, timeout);
    let options = Options {
        output: Output::Capture,
        base_dir: test.parent().unwrap_or(Path::new(".")).to_path_buf(),
        ..Options::default()
    };
    let host = match JsHost::new(options) {
        Ok(h) => h,
        Err(e) => return failed(e),
    };
    let expired = Arc::new(AtomicBool::new(false));
    let watchdog = host.interrupt_after(timeout, expired.clone());
    let mut errors = Vec::new();
    let mut load = |path: &Path, text: Option<&str>| {
        let text = match text {
            Some(t) => t.to_string(),
            None => match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(format!("{}: {e}", path.display()));
                    return;
                }
            },
        };
        if let Err(e) = host.eval(&text, &path.display().to_string()) {
            errors.push(e);
        }
    };
    load(&layout.testharness, None);
    load(Path::new("touchstone:reporter.js"), Some(REPORTER_JS));
    for inc in includes(test, &source, layout) {
        load(&inc, None);
    }
    load(test, Some(&source));
    host.run_event_loop(|e| errors.push(e));
    drop(watchdog);
    let json = host.eval_to_string("JSON.stringify(__touchstoneResults)");
    let mut outcome = match json {
        Ok(j) => parse(&j, errors, |name| host.defines(name)),
        Err(e) => failed(e),
    };
    if expired.load(Ordering::Relaxed) {
        outcome.error = Some(format!("timed out after {} s", timeout.as_secs()));
    }
    outcome
}

/// Runs `test` in node (`node` on the PATH unless `node` says otherwise).
pub fn run_node(test: &Path, layout: &Layout, node: &Path, timeout: Duration) -> FileOutcome {
    let source = match std::fs::read_to_string(test) {
        Ok(s) => s,
        Err(e) => return failed(format!("{}: {e}", test.display())),
    };
    let timeout = timeout_for(&source, timeout);
    let dir = match tempdir() {
        Ok(d) => d,
        Err(e) => return failed(e),
    };
    let (driver, reporter) = (dir.join("node.js"), dir.join("reporter.js"));
    if let Err(e) = std::fs::write(&driver, NODE_DRIVER_JS)
        .and_then(|()| std::fs::write(&reporter, REPORTER_JS))
    {
        return failed(e.to_string());
    }
    let mut cmd = Command::new(node);
    cmd.arg(&driver).arg(&layout.testharness).arg(&reporter);
    cmd.args(includes(test, &source, layout)).arg(test);
    let out = run_with_timeout(cmd, timeout);
    let _ = std::fs::remove_dir_all(&dir);
    let (stdout, status_note) = match out {
        Ok(o) => o,
        Err(e) => return failed(format!("node: {e}")),
    };
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or("");
    // Which functions node's testharness.js lacks is the same as ours: it is
    // the same file, so a subtest calling one fails the same way there.
    let mut outcome = parse(line, Vec::new(), |_| false);
    if let Some(note) = status_note {
        outcome.error.get_or_insert(note);
    }
    outcome
}

fn tempdir() -> Result<PathBuf, String> {
    use std::sync::atomic::AtomicU64;
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "touchstone-node-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
    Ok(d)
}

/// Runs a command, killing it after `timeout`; its stdout and a note when
/// it did not exit cleanly.
fn run_with_timeout(
    mut cmd: Command,
    timeout: Duration,
) -> Result<(String, Option<String>), String> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let start = std::time::Instant::now();
    let mut note = None;
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => {
                if !status.success() {
                    note = Some(format!("node exited with {status}"));
                }
                break;
            }
            None if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                note = Some(format!("timed out after {} s", timeout.as_secs()));
                break;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let stdout = reader.join().unwrap_or_default();
    Ok((stdout, note))
}

fn failed(error: String) -> FileOutcome {
    FileOutcome {
        subtests: Vec::new(),
        error: Some(error),
    }
}

/// The name of a function the message says is missing (`assert_x is not
/// defined` and the like), when `defined` says the harness lacks it.
pub fn missing_function(message: &str, defined: impl Fn(&str) -> bool) -> Option<String> {
    let word = |s: &str| {
        s.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
            .to_string()
    };
    for pattern in [" is not defined", " is not a function"] {
        if let Some(before) = message
            .split(pattern)
            .next()
            .filter(|_| message.contains(pattern))
        {
            let name = word(
                before
                    .rsplit(|c: char| c.is_whitespace() || c == ':')
                    .next()?,
            );
            let harness_like = ["assert_", "promise_", "async_", "test_", "step_", "fetch_"]
                .iter()
                .any(|p| name.starts_with(p));
            if harness_like && !defined(&name) {
                return Some(name);
            }
        }
    }
    None
}

fn parse(json: &str, mut errors: Vec<String>, defined: impl Fn(&str) -> bool) -> FileOutcome {
    let raw: RawResults = match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => {
            errors.push(format!("no results ({e})"));
            return failed(errors.join("\n"));
        }
    };
    errors.extend(raw.errors);
    let subtests = raw
        .subtests
        .into_iter()
        .map(|s| {
            let status = Status::from_code(s.status);
            let missing = match (&status, &s.message) {
                (Status::Fail, Some(m)) => missing_function(m, &defined),
                _ => None,
            };
            Subtest {
                name: s.name,
                status,
                message: s.message,
                missing_harness_function: missing,
            }
        })
        .collect();
    match raw.harness {
        Some(h) if h.status != 0 => errors.push(format!(
            "harness status {}: {}",
            match h.status {
                1 => "ERROR",
                2 => "TIMEOUT",
                3 => "PRECONDITION_FAILED",
                _ => "?",
            },
            h.message.unwrap_or_default()
        )),
        None => errors.push("the harness did not complete".into()),
        _ => {}
    }
    FileOutcome {
        subtests,
        error: (!errors.is_empty()).then(|| errors.join("\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_harness_functions_are_named() {
        let defined = |n: &str| n == "assert_equals";
        assert_eq!(
            missing_function(
                "ReferenceError: assert_throws_exactly is not defined",
                defined
            ),
            Some("assert_throws_exactly".into())
        );
        assert_eq!(
            missing_function("ReferenceError: assert_equals is not defined", defined),
            None
        );
        assert_eq!(
            missing_function("ReferenceError: foo is not defined", defined),
            None
        );
    }

    #[test]
    fn long_tests_get_more_time() {
        let t = Duration::from_secs(10);
        assert_eq!(
            timeout_for("// META: timeout=long\nx()", t),
            t * LONG_TIMEOUT_FACTOR
        );
        assert_eq!(timeout_for("x()", t), t);
    }

    #[test]
    fn meta_includes_resolve_against_the_root_or_the_test() {
        let layout = Layout {
            root: PathBuf::from("/r"),
            testharness: PathBuf::from("/r/harness/testharness.js"),
        };
        let src =
            "// META: global=jsshell\n// META: script=/wasm/jsapi/a.js\n// META: script=b.js\nx();";
        assert_eq!(
            includes(Path::new("/r/memory/t.any.js"), src, &layout),
            [PathBuf::from("/r/a.js"), PathBuf::from("/r/memory/b.js")]
        );
    }
}
