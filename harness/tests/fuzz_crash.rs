//! `touchstone fuzz` survives engines that take their process down: an
//! engine that aborts on one module (played by `touchstone serve --fault
//! crash@module=DIGEST`, which aborts when that module is compiled) costs
//! a crash finding with the module's seed, written so that it reproduces,
//! and the run goes on to its summary. A harness killed mid-run leaves the
//! seed of the module it was running behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use touchstone_harness::engine::WasmFeatures;
use touchstone_harness::fuzz::generate::{case_seed, module, smith_config};
use touchstone_harness::fuzz::observe::fnv1a32;

const BIN: &str = env!("CARGO_BIN_EXE_touchstone");

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz_crash")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `n`-th module (counting only seeds wasm-smith made a module from) of
/// a run with `seed` and `--features simd`: its seed and FNV-1a digest.
fn nth_module(seed: u64, n: usize) -> (u64, u32) {
    let config = smith_config(WasmFeatures::WASM1 | WasmFeatures::SIMD);
    let (s, wasm) = (0..)
        .map(|i| case_seed(seed, i))
        .filter_map(|s| module(s, &config).map(|m| (s, m)))
        .nth(n)
        .unwrap();
    (s, fnv1a32(&wasm))
}

fn fuzz(out: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let output = Command::new(BIN)
        .arg("fuzz")
        .args([
            "--features",
            "simd",
            "--no-v8",
            "--reduce-seconds",
            "2",
            "--seconds",
            "300",
        ])
        .arg("--out")
        .arg(out)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    text(output)
}

fn text(output: Output) -> (i32, String) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), all)
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// An external engine aborts on the third module: the run finishes all
/// six, reports the crash with the module's seed, writes it as a `.wast`
/// with our engine's assertions (which `touchstone test` then shows
/// crashing the same engine again) and `--module-seed` runs it again.
#[test]
fn an_engine_that_aborts_costs_one_finding_not_the_run() {
    let out = scratch("external");
    let (seed, digest) = nth_module(7, 2);
    let faulty = format!("faulty='{BIN}' serve --fault crash@module={digest:08x}");
    let (code, log) = fuzz(
        &out,
        &[
            "--engine",
            "touchstone",
            "--engine-cmd",
            &faulty,
            "--seed",
            "7",
            "--max-modules",
            "6",
        ],
        &[],
    );
    assert_eq!(code, 1, "an unexplained crash fails the run:\n{log}");
    assert!(
        log.contains(&format!("seed {seed}: faulty crashed")),
        "{log}"
    );
    assert!(log.contains("killed by signal 6"), "{log}");
    let summary = log
        .lines()
        .find(|l| l.starts_with("fuzz: 6 modules"))
        .unwrap_or_else(|| panic!("no summary of six modules:\n{log}"));
    assert!(
        summary.contains("5 agreed") && summary.contains("1 findings (1 crashes), 1 unexplained"),
        "{summary}"
    );
    let name = format!("fuzz-{seed:016x}.wast");
    assert_eq!(files(&out), [name.clone()], "only the finding is left");
    let regression = out.join(&name);
    let script = std::fs::read_to_string(&regression).unwrap();
    assert!(script.contains(&format!("module seed {seed}")), "{script}");
    assert!(
        script.contains("Assertions are what touchstone produced"),
        "{script}"
    );
    // The module that crashed is the one written (a smaller one has another
    // digest, so it does not crash).
    assert!(script.contains("not reduced"), "{script}");

    // The regression passes on our engine and crashes the faulty one.
    let ours = Command::new(BIN)
        .args(["test", "--quiet", "--engine", "touchstone"])
        .arg(&regression)
        .output()
        .unwrap();
    assert!(ours.status.success(), "{:?}", text(ours));
    let json = out.join("replay.json");
    let replay = Command::new(BIN)
        .args(["test", "--quiet", "--engine-cmd", &faulty, "--json"])
        .arg(&json)
        .arg(&regression)
        .output()
        .unwrap();
    assert_eq!(replay.status.code(), Some(1), "{:?}", text(replay));
    let report = std::fs::read_to_string(&json).unwrap();
    assert!(report.contains("\"crash\""), "{report}");

    // The seed alone runs it again.
    let again = scratch("external-again");
    let (code, log) = fuzz(
        &again,
        &[
            "--engine",
            "touchstone",
            "--engine-cmd",
            &faulty,
            "--module-seed",
            &seed.to_string(),
        ],
        &[],
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("fuzz: 1 modules") && log.contains("1 findings (1 crashes)"),
        "{log}"
    );
}

/// Built-in engines run in worker processes by default: wasmi and ours,
/// both made to abort on one module (the fault reaches every worker
/// through the environment), cost that module, written as the bare
/// module and a note with its seed; the other modules still run.
#[test]
fn built_in_engines_that_abort_are_contained_by_default() {
    let out = scratch("built-in");
    let (seed, digest) = nth_module(9, 1);
    let fault = format!("crash@module={digest:08x}");
    let (code, log) = fuzz(
        &out,
        &[
            "--engine",
            "touchstone,wasmi",
            "--seed",
            "9",
            "--max-modules",
            "4",
        ],
        &[("TOUCHSTONE_SERVE_FAULT", &fault)],
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!("seed {seed}: touchstone+wasmi crashed")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("fuzz: 4 modules") && l.contains("3 agreed")),
        "{log}"
    );
    let stem = format!("fuzz-{seed:016x}");
    assert_eq!(
        files(&out),
        [format!("{stem}.txt"), format!("{stem}.wasm")],
        "{log}"
    );
    let wasm = std::fs::read(out.join(format!("{stem}.wasm"))).unwrap();
    assert_eq!(fnv1a32(&wasm), digest, "the module that crashed is kept");
    let note = std::fs::read_to_string(out.join(format!("{stem}.txt"))).unwrap();
    assert!(note.contains(&format!("module seed {seed}")), "{note}");
}

/// A harness that dies mid-run (here: killed, in process) leaves the seed
/// of the module it was running in `--out`; the next run over that folder
/// reports it and keeps it beside the findings.
#[test]
fn a_killed_run_leaves_the_seed_of_its_module_behind() {
    let out = scratch("killed");
    let mut run = Command::new(BIN)
        .args([
            "fuzz",
            "--in-process",
            "--engine",
            "touchstone,touchstone",
            "--seconds",
            "60",
            "--seed",
            "3",
            "--no-v8",
        ])
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let marker = out.join(format!("in-flight-{}.txt", run.id()));
    let mut waited = Duration::ZERO;
    while !marker.exists() && waited < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
    std::thread::sleep(Duration::from_millis(500));
    run.kill().unwrap();
    run.wait().unwrap();
    let text = std::fs::read_to_string(&marker).expect("the marker outlives the run");
    let seed: u64 = text
        .rsplit_once("module seed ")
        .and_then(|(_, s)| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("no seed in the marker: {text:?}"));
    assert!(
        (0..1_000_000).any(|i| case_seed(3, i) == seed),
        "{seed} is not a module of the run"
    );
    assert!(text.contains("--module-seed"), "{text}");

    let (code, log) = fuzz(
        &out,
        &["--engine", "touchstone,touchstone", "--max-modules", "1"],
        &[],
    );
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("an earlier run over this folder ended"),
        "{log}"
    );
    assert!(log.contains(&format!("module seed {seed}")), "{log}");
    assert_eq!(files(&out), [format!("fuzz-{seed:016x}.stopped.txt")]);
}
