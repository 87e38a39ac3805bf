//! Standard output closed early (`touchstone list | head`): the command
//! stops printing quietly, as Unix tools do, instead of panicking, and
//! still does its work (report files) and exits with its usual status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn touchstone() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_touchstone"));
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    cmd
}

/// Runs `cmd` with its standard output a pipe whose reading end is
/// already closed, so its first write fails with a broken pipe.
fn into_closed_pipe(cmd: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    cmd.stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("running touchstone")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("closed_stdout")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn list_into_a_closed_pipe_exits_quietly() {
    let out = into_closed_pipe(touchstone().arg("list"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert_eq!(stderr, "", "nothing on stderr for a closed pipe");
}

/// A run whose summary cannot be printed still writes its reports and
/// exits as it would have.
#[test]
fn a_run_into_a_closed_pipe_still_writes_its_reports() {
    let dir = scratch("test");
    let json = dir.join("report.json");
    let args = [
        "test",
        "testsuite/harness/recurse.wast",
        "--quiet",
        "--json",
    ];
    let printed = touchstone()
        .args(args)
        .arg(dir.join("printed.json"))
        .output()
        .unwrap();
    assert!(!printed.stdout.is_empty(), "the summary is printed");
    let out = into_closed_pipe(touchstone().args(args).arg(&json));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), printed.status.code(), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["runs"][0]["files"][0]["path"], "recurse.wast");
}

#[test]
fn compare_into_a_closed_pipe_keeps_its_exit_status() {
    let dir = scratch("compare");
    let json = dir.join("r.json");
    let run = touchstone()
        .args([
            "test",
            "testsuite/harness/recurse.wast",
            "--quiet",
            "--json",
        ])
        .arg(&json)
        .output()
        .unwrap();
    assert!(json.exists(), "{run:?}");
    let out = into_closed_pipe(touchstone().arg("compare").arg(&json).arg(&json));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert_eq!(stderr, "");
}
