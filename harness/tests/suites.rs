//! Third-party suites end to end through the `touchstone` binary: a small
//! wasmtime-style corpus (`corpus/wasmtime-style/`, with its own
//! `touchstone.toml`), feature selection, the wasmtime dialect, host
//! modules, honest message matching, `--partition` and `touchstone merge`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/wasmtime-style")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("suites")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `touchstone` with `args`; its exit code and stdout + stderr.
fn touchstone(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// Runs `touchstone test` on the corpus with `extra` options; the JSON
/// report's single engine run.
fn run_corpus(name: &str, extra: &[&str]) -> Value {
    let json = out_dir(name).join("report.json");
    let root = corpus();
    let mut args = vec![
        "test",
        root.to_str().unwrap(),
        "--quiet",
        "--json",
        json.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, text) = touchstone(&args);
    assert!(code == 0 || code == 1, "exit {code}: {text}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    report["runs"][0].clone()
}

fn file<'r>(run: &'r Value, path: &str) -> &'r Value {
    run["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

fn outcome(run: &Value, path: &str) -> String {
    file(run, path)["outcome"].as_str().unwrap().to_string()
}

/// The messages of a file's directives that did not pass.
fn problems(run: &Value, path: &str) -> String {
    file(run, path)["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["outcome"] != "pass")
        .map(|a| a["message"].as_str().unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_corpus_runs_with_its_own_config() {
    let run = run_corpus("own-config", &[]);
    // wasmtime dialect: named modules registered, exhaustion as a trap.
    assert_eq!(outcome(&run, "named.wast"), "pass");
    assert_eq!(outcome(&run, "stack.wast"), "pass");
    // `;;!` headers: a feature turned on, engine settings ignored.
    assert_eq!(outcome(&run, "headers.wast"), "pass");
    assert_eq!(
        file(&run, "headers.wast")["features"],
        "wasm3,+wide-arithmetic"
    );
    assert_eq!(file(&run, "named.wast")["features"], "wasm3");
    // A header that skips, and a config skip, each with its reason.
    assert_eq!(outcome(&run, "component.wast"), "unsupported");
    assert!(problems(&run, "component.wast").contains("component model is not supported"));
    assert!(problems(&run, "skipped/api.wast").contains("skipped: exercises a wasmtime-only API"));
    // The config's host module (a `gc` trigger, as wasmtime's GC tests
    // import) and per-file call-depth limit.
    assert_eq!(outcome(&run, "host.wast"), "pass");
    assert_eq!(outcome(&run, "gc.wast"), "pass");
    assert_eq!(outcome(&run, "limits.wast"), "pass");
    // Rejected only because a feature is off: never a pass.
    assert_eq!(outcome(&run, "gated.wast"), "fail");
    assert!(
        problems(&run, "gated.wast")
            .contains("rejected only because feature wide-arithmetic is off"),
        "{}",
        problems(&run, "gated.wast")
    );
    // A different message passes, and is counted apart.
    assert_eq!(outcome(&run, "mismatch.wast"), "pass");
    assert_eq!(
        file(&run, "mismatch.wast")["totals"]["message_mismatches"],
        1
    );
    // A trap where wasmtime's script says assert_exhaustion: its kind
    // differs, so it is a mismatch too.
    assert_eq!(file(&run, "stack.wast")["totals"]["message_mismatches"], 1);
    assert_eq!(run["totals"]["message_mismatches"], 2);
}

#[test]
fn strict_messages_fail_mismatches() {
    let run = run_corpus(
        "strict",
        &["--strict-messages", "--filter", "mismatch.wast"],
    );
    assert_eq!(outcome(&run, "mismatch.wast"), "fail");
    assert!(problems(&run, "mismatch.wast").contains("--strict-messages"));
    assert_eq!(run["totals"]["message_mismatches"], 0);
}

#[test]
fn the_command_line_overrides_headers_and_config() {
    // --features applies after the file's header.
    let run = run_corpus(
        "features",
        &["--features", "-wide-arithmetic", "--filter", "headers.wast"],
    );
    assert_eq!(outcome(&run, "headers.wast"), "fail");
    assert_eq!(file(&run, "headers.wast")["features"], "wasm3");
    // --dialect spec: no implicit registration, exhaustion is not a trap.
    let run = run_corpus("dialect", &["--dialect", "spec"]);
    assert_ne!(outcome(&run, "named.wast"), "pass");
    assert_eq!(outcome(&run, "stack.wast"), "fail");
}

#[test]
fn an_explicit_config_replaces_the_suite_roots() {
    let dir = out_dir("explicit-config");
    let config = dir.join("empty.toml");
    std::fs::write(&config, "[suite]\nfeatures = \"wasm3,+wide-arithmetic\"\n").unwrap();
    let run = run_corpus(
        "explicit-config-run",
        &["--config", config.to_str().unwrap()],
    );
    // No host module now, and the spec dialect.
    assert_ne!(outcome(&run, "host.wast"), "pass");
    assert_ne!(outcome(&run, "named.wast"), "pass");
    // The config's features reach every file: gated.wast's module is valid.
    assert_eq!(
        file(&run, "gated.wast")["features"],
        "wasm3,+wide-arithmetic"
    );
}

#[test]
fn bad_configs_and_feature_lists_are_usage_errors() {
    let dir = out_dir("bad-config");
    let config = dir.join("bad.toml");
    std::fs::write(&config, "[suite]\nfeatures = \"wasm3,+no-such-feature\"\n").unwrap();
    let (code, text) = touchstone(&[
        "test",
        corpus().to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("unknown feature `no-such-feature`"), "{text}");
    std::fs::write(&config, "[suite]\ntimeot = 3\n").unwrap();
    let (code, text) = touchstone(&[
        "test",
        corpus().to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("timeot"), "{text}");
    let (code, text) = touchstone(&["test", corpus().to_str().unwrap(), "--features", "+nope"]);
    assert_eq!(code, 2, "{text}");
    let (code, text) = touchstone(&["test", corpus().to_str().unwrap(), "--partition", "3/2"]);
    assert_eq!(code, 2, "{text}");
}

/// Timings differ between runs; everything else must not.
fn without_timings(mut report: Value) -> Value {
    for run in report["runs"].as_array_mut().unwrap() {
        run["wall_time_ms"] = Value::from(0);
        for f in run["files"].as_array_mut().unwrap() {
            f["duration_ms"] = Value::from(0);
        }
    }
    report
}

#[test]
fn partitions_merge_into_the_single_runs_report() {
    let dir = out_dir("partition");
    let suite = corpus();
    let suite = suite.to_str().unwrap();
    let whole = dir.join("whole.json");
    let engines = "--engine=touchstone,wasmi";
    touchstone(&[
        "test",
        suite,
        engines,
        "--quiet",
        "--json",
        whole.to_str().unwrap(),
    ]);
    let mut parts = Vec::new();
    let mut seen = 0;
    for k in 1..=3 {
        let part = dir.join(format!("part{k}.json"));
        let partition = format!("{k}/3");
        touchstone(&[
            "test",
            suite,
            engines,
            "--quiet",
            "--partition",
            &partition,
            "--json",
            part.to_str().unwrap(),
        ]);
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&part).unwrap()).unwrap();
        seen += report["runs"][0]["files"].as_array().unwrap().len();
        parts.push(part);
    }
    assert_eq!(seen, 10, "the parts cover every file once");
    let merged = dir.join("merged.json");
    let junit = dir.join("merged.xml");
    let markdown = dir.join("merged.md");
    let html = dir.join("merged.html");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend([
        "--json",
        merged.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ]);
    args.extend([
        "--markdown",
        markdown.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    let (code, text) = touchstone(&args);
    assert_eq!(code, 1, "the corpus has failing files: {text}");
    let read =
        |p: &Path| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    assert_eq!(
        without_timings(read(&merged)),
        without_timings(read(&whole))
    );
    assert!(std::fs::read_to_string(&markdown)
        .unwrap()
        .contains("Message mismatches"));
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .contains("message-mismatches"));
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("message mismatch"));
    // Overlapping parts are refused.
    let (code, text) = touchstone(&[
        "merge",
        parts[0].to_str().unwrap(),
        parts[0].to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("overlap"), "{text}");
}

/// A personal config applies to every run, so every run names it, even
/// with `--quiet`: on the summary's `Config:` line and in the reports.
#[test]
fn a_personal_config_is_named_in_the_summary_and_the_reports() {
    let dir = out_dir("personal-config");
    let home = dir.join("xdg");
    let config = home.join("touchstone").join("touchstone.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "[suite]\nfeatures = \"wasm3,+wide-arithmetic\"\n").unwrap();
    let scripts = dir.join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::write(scripts.join("a.wast"), "(module)\n").unwrap();
    let (json, markdown) = (dir.join("r.json"), dir.join("r.md"));
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["test", scripts.to_str().unwrap(), "--quiet"])
        .arg("--json")
        .arg(&json)
        .arg("--markdown")
        .arg(&markdown)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    let shown = config.display().to_string();
    assert!(stdout.contains(&format!("Config: {shown}\n")), "{stdout}");
    assert!(!stderr.contains("config"), "--quiet: {stderr}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["config"], shown.as_str());
    assert_eq!(
        report["runs"][0]["files"][0]["features"],
        "wasm3,+wide-arithmetic"
    );
    let md = std::fs::read_to_string(&markdown).unwrap();
    assert!(md.contains(&format!("Config: `{shown}`")), "{md}");
}
