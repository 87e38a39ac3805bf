//! `touchstone test` end to end, as a user meets it: the default run over
//! the embedded suite, bad paths next to good ones, options checked before
//! the run, engines of one file in parallel, progress in a CI log.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn touchstone() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_touchstone"));
    cmd.current_dir(repo()).env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("test_command")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().expect("running touchstone");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    (out, stdout, stderr)
}

#[test]
fn default_run_is_the_whole_embedded_suite_and_ends_green() {
    let (out, stdout, stderr) = run(touchstone().args(["test", "--quiet"]));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    // It says what ran: Wasm 3.0 and the proposal sets.
    let ran = stdout.lines().next().unwrap();
    for set in [
        "embedded:wasm-latest",
        "embedded:simd",
        "embedded:gc",
        "embedded:memory64",
        "embedded:exceptions",
        "embedded:multi-memory",
        "embedded:relaxed-simd",
        "embedded:threads",
    ] {
        assert!(ran.contains(set), "{ran}");
    }
    for area in [
        "embedded/proposals/simd ",
        "embedded/proposals/gc ",
        "embedded/proposals/memory64 ",
    ] {
        assert!(stdout.contains(area), "{area} did not run:\n{stdout}");
    }
    // Known failures are shown with their reason, not as FAILED.
    assert!(!stdout.contains("FAILED"), "{stdout}");
    assert!(
        stdout.contains("touchstone: ok (5 known failures, as expected)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("known: upstream custom-descriptors PR #111"),
        "{stdout}"
    );
    // Skips are listed with their reasons, never silent.
    assert!(
        stdout.contains("skipped files (not run, each with its reason):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("superseded by the newer copy embedded/"),
        "{stdout}"
    );
}

#[test]
fn a_new_failure_against_a_baseline_still_fails() {
    let dir = scratch("baseline");
    let baseline = dir.join("empty.json");
    std::fs::write(
        &baseline,
        r#"{"format":"touchstone-baseline/1","engine":"touchstone","entries":[]}"#,
    )
    .unwrap();
    let (out, stdout, _) = run(touchstone().args([
        "test",
        "--set",
        "custom-descriptors",
        "--quiet",
        "--baseline",
        baseline.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("5 differences from baseline"), "{stdout}");
    assert!(stdout.contains("5 failures:"), "{stdout}");
}

#[test]
fn json_lists_skips_and_known_reasons() {
    let dir = scratch("json");
    let json = dir.join("out/report.json");
    let (out, stdout, _) = run(touchstone().args([
        "test",
        "--set",
        "wasm-latest,memory64,custom-descriptors",
        "--quiet",
        "--json",
        json.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let skipped = report["skipped"].as_array().unwrap();
    assert!(skipped
        .iter()
        .any(|s| s["path"] == "embedded/proposals/memory64/binary.wast"
            && s["reason"]
                .as_str()
                .unwrap()
                .contains("embedded/wasm-latest/binary.wast")));
    let known = report["runs"][0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["assertions"].as_array().unwrap())
        .filter(|a| a.get("known").is_some())
        .count();
    assert_eq!(known, 5);
}

#[test]
fn a_missing_path_is_reported_next_to_the_results_of_the_others() {
    let empty = scratch("empty-folder");
    let (out, stdout, stderr) = run(touchstone().args([
        "test",
        "--quiet",
        "testsuite/harness/pass.wast",
        "no/such/path",
        empty.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("error: no/such/path: No such file or directory"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "error: {}: no .wast files in this folder",
            empty.display()
        )),
        "{stdout}"
    );
    // The good file ran.
    assert!(stdout.contains("touchstone: ok."), "{stdout}");
    assert!(stdout.contains("1 of 1 files clean"), "{stdout}");
}

#[test]
fn only_bad_paths_is_a_usage_error() {
    let (out, _, stderr) = run(touchstone().args(["test", "no/such/path"]));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing to run: no/such/path"), "{stderr}");
}

#[test]
fn unwritable_outputs_and_broken_baselines_stop_before_the_run() {
    // A path under a regular file can never be created.
    for option in ["--json", "--junit", "--markdown", "--html"] {
        let started = Instant::now();
        let (out, stdout, stderr) = run(touchstone().args([
            "test",
            "testsuite/harness/loop-forever.wast",
            option,
            "Cargo.toml/report.out",
        ]));
        assert_eq!(out.status.code(), Some(2), "{option}: {stdout}\n{stderr}");
        assert!(stderr.contains(option), "{stderr}");
        assert!(stdout.is_empty(), "the suite must not have run: {stdout}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "ran before checking {option}"
        );
    }
    let dir = scratch("broken-baseline");
    let broken = dir.join("b.json");
    std::fs::write(&broken, "{ not json").unwrap();
    let (out, stdout, stderr) = run(touchstone().args([
        "test",
        "testsuite/harness/loop-forever.wast",
        "--baseline",
        broken.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("parsing"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn engines_of_a_looping_file_run_in_parallel_and_the_log_shows_progress() {
    let dir = scratch("loop");
    // No `timeout=` header: the command line's limit applies.
    std::fs::write(
        dir.join("spin.wast"),
        "(module (func (export \"spin\") (loop $l (br $l))))\n(invoke \"spin\")\n",
    )
    .unwrap();
    let started = Instant::now();
    let (out, stdout, stderr) = run(touchstone().args([
        "test",
        dir.to_str().unwrap(),
        "--engine",
        "touchstone,wasmi",
        "--timeout",
        "6",
    ]));
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("timeout"), "{stdout}");
    // One after another would take 12 s.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    // stderr is a pipe here: a progress line naming what still runs.
    let line = stderr
        .lines()
        .find(|l| l.starts_with("[touchstone] 0/2 files done"))
        .unwrap_or_else(|| panic!("no progress line in: {stderr}"));
    assert!(line.contains("running: "), "{line}");
    assert!(line.contains("spin.wast"), "{line}");
}

#[test]
fn quiet_prints_no_progress_lines() {
    let (_, _, stderr) =
        run(touchstone().args(["test", "testsuite/harness/loop-forever.wast", "--quiet"]));
    assert!(!stderr.contains("[touchstone]"), "{stderr}");
}

#[test]
fn piped_summary_keeps_messages_whole_and_has_no_colour() {
    let (_, stdout, _) =
        run(touchstone().args(["test", "testsuite/harness/outcomes.wast", "--quiet"]));
    assert!(!stdout.contains('\x1b'), "{stdout}");
    assert!(!stdout.contains('…'), "nothing is cut when piped: {stdout}");
}

#[test]
fn limits_options_reach_both_engines() {
    // The budget counts declared sizes, as `memory.grow` grants them. (The
    // default, 10 GiB, holds two 4 GiB memories: a unit test in cli checks
    // it; growing them here would touch 8 GiB of RAM on an engine that
    // commits memory.)
    let dir = scratch("limits");
    std::fs::write(
        dir.join("two.wast"),
        r#"(module
  (memory $a 0)
  (memory $b 0)
  (func (export "grow") (result i32 i32)
    (memory.grow $a (i32.const 3))
    (memory.grow $b (i32.const 3))))
(assert_return (invoke "grow") (i32.const 0) (i32.const 0))
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("deep.wast"),
        r#"(module (func $f (export "f") (param i32) (result i32)
  (if (result i32) (local.get 0)
    (then (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1)))))
    (else (i32.const 0)))))
(assert_return (invoke "f" (i32.const 500)) (i32.const 500))
"#,
    )
    .unwrap();
    let dir = dir.to_str().unwrap();
    let both = ["--engine", "touchstone,wasmi", "--quiet"];
    let (out, stdout, _) = run(touchstone().args(["test", dir]).args(both));
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let (out, stdout, _) = run(touchstone()
        .args([
            "test",
            dir,
            "--max-memory",
            "256KiB",
            "--max-call-depth",
            "100",
        ])
        .args(both));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for engine in ["touchstone", "wasmi"] {
        // Four pages allowed: the second grow of three fails.
        assert!(
            stdout.contains(&format!("[{engine}] two.wast:7  assert_return: expected (i32.const 0) (i32.const 0), got (i32.const 0) (i32.const -1)")),
            "{engine}: {stdout}"
        );
        assert!(
            stdout.contains(&format!("[{engine}] deep.wast:5  assert_return")),
            "{stdout}"
        );
    }
    let (out, _, stderr) = run(touchstone().args(["test", dir, "--max-memory", "lots"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("not a size"), "{stderr}");
}
