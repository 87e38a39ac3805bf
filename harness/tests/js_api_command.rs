//! `touchstone js-api` and `touchstone js` end to end, on a small fixture
//! (`js_api_fixture/`: a minimal stand-in for testharness.js and one test
//! file): subtests in the JSON report, baselines keyed by subtest name,
//! JUnit case names, and the shell.

use std::path::{Path, PathBuf};
use std::process::Command;

fn touchstone() -> Command {
    Command::new(env!("CARGO_BIN_EXE_touchstone"))
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js_api_fixture")
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("touchstone-js-api-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn subtests_are_reported_by_name_and_baselined() {
    let out = out_dir("report");
    let (json, junit, baseline) = (out.join("r.json"), out.join("r.xml"), out.join("b.json"));
    let status = touchstone()
        .args(["js-api", "--quiet", "--json"])
        .arg(&json)
        .arg("--junit")
        .arg(&junit)
        .arg(fixture())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "a subtest fails");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 2);
    let file = &report["runs"][0]["files"][0];
    assert_eq!(file["path"], "memory/grow.any.js");
    let outcome = |name: &str| {
        let a = file["assertions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["subtest"] == name)
            .unwrap_or_else(|| panic!("no subtest {name}: {file}"));
        a["outcome"].as_str().unwrap().to_string()
    };
    assert_eq!(outcome("validates an empty module"), "pass");
    assert_eq!(outcome("grows"), "pass");
    assert_eq!(outcome("compiles asynchronously"), "pass");
    assert_eq!(outcome("fails on purpose"), "fail");
    assert_eq!(
        outcome("calls a function the fixture harness lacks"),
        "error"
    );
    let missing = file["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| a["missing_harness_function"].as_str());
    assert_eq!(missing, Some("assert_throws_exactly"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("name=\"fails on purpose\""), "{xml}");

    // Bless, then check: the run matches its baseline, keyed by subtest name.
    let run = |extra: &[&str]| {
        touchstone()
            .args(["js-api", "--quiet", "--baseline"])
            .arg(&baseline)
            .args(extra)
            .arg(fixture())
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(run(&["--bless"]), Some(0));
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(text.contains("\"subtest\":\"fails on purpose\""), "{text}");
    assert_eq!(run(&[]), Some(0));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_shell_runs_a_script() {
    let out = out_dir("shell");
    let script = out.join("s.js");
    std::fs::write(
        &script,
        "setTimeout(() => print('later'), 10); print(typeof WebAssembly.Memory);",
    )
    .unwrap();
    let o = touchstone().arg("js").arg(&script).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "function\nlater\n");
    std::fs::write(&script, "throw new TypeError('boom')").unwrap();
    let o = touchstone().arg("js").arg(&script).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("boom"));
    std::fs::remove_dir_all(&out).unwrap();
}
