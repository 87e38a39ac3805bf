//! A small, fixed report shared by the report tests: two engines, three
//! areas, every outcome, a divergence, a message mismatch, a NaN, a file
//! that could not be parsed, and text that needs escaping (`<`, `&`, `"`).
//! Also the golden-file helper (`BLESS=1` rewrites the files).

#![allow(dead_code)] // each test binary uses part of this module

use std::path::PathBuf;

use touchstone_harness::report::model::{
    AssertionReport, EngineRun, FileReport, Outcome, Report, Totals,
};

/// The script texts the fixture's paths point at, for HTML excerpts.
pub fn source(path: &str) -> Option<String> {
    let text = match path {
        "i32.wast" => concat!(
            "(module\n",
            "  (func (export \"add\") (param i32 i32) (result i32)\n",
            "    (i32.add (local.get 0) (local.get 1))))\n",
            "\n",
            "(assert_return (invoke \"add\" (i32.const 1) (i32.const 0)) (i32.const 1))\n",
            "(assert_return (invoke \"add\" (i32.const 1) (i32.const 1))\n",
            "  (i32.const 2))\n",
            "(assert_trap (invoke \"div\" (i32.const 1) (i32.const 0)) \"integer divide by zero\")\n",
        ),
        "f32.wast" => concat!(
            "(module (func (export \"nan\") (result f32) (f32.div (f32.const 0) (f32.const 0))))\n",
            "(assert_return (invoke \"nan\") (f32.const nan:canonical))\n",
        ),
        "legacy/exceptions/try_catch.wast" => concat!(
            ";; legacy exception handling\n",
            "(module (tag $e) (func (export \"loop\") (loop (br 0))))\n",
            "(assert_return (invoke \"loop\"))\n",
        ),
        _ => return None,
    };
    Some(text.to_string())
}

fn a(line: u32, kind: &str, outcome: Outcome) -> AssertionReport {
    AssertionReport {
        line,
        column: 1,
        kind: kind.into(),
        outcome,
        ..Default::default()
    }
}

fn with(
    mut a: AssertionReport,
    expected: Option<&str>,
    actual: Option<&str>,
    message: Option<&str>,
) -> AssertionReport {
    a.expected = expected.map(Into::into);
    a.actual = actual.map(Into::into);
    a.message = message.map(Into::into);
    a
}

/// A file whose totals and outcome are computed from its directives, as
/// the runner does.
pub fn file(
    path: &str,
    area: &str,
    duration_ms: f64,
    assertions: Vec<AssertionReport>,
) -> FileReport {
    let mut totals = Totals {
        files: 1,
        ..Default::default()
    };
    let mut outcome = Outcome::Pass;
    for x in &assertions {
        totals.count_assertion(x);
        outcome = worst(outcome, x.outcome);
    }
    if outcome != Outcome::Pass {
        totals.files_failed = 1;
    }
    FileReport {
        path: path.into(),
        area: area.into(),
        outcome,
        totals,
        duration_ms,
        features: None,
        message: None,
        assertions,
    }
}

fn worst(a: Outcome, b: Outcome) -> Outcome {
    if b.severity() > a.severity() {
        b
    } else {
        a
    }
}

/// An engine's run with totals summed from its files.
pub fn run(engine: &str, wall_time_ms: f64, mut files: Vec<FileReport>) -> EngineRun {
    files.sort_by(|x, y| x.path.cmp(&y.path));
    let mut totals = Totals::default();
    for f in &files {
        let t = &f.totals;
        totals.add_directives(t);
        totals.files += 1;
        totals.files_failed += t.files_failed;
    }
    EngineRun {
        engine: engine.into(),
        totals,
        wall_time_ms,
        files,
        ..EngineRun::default()
    }
}

fn unparsable() -> FileReport {
    let mut f = file("bad.wast", ".", 0.4, Vec::new());
    f.outcome = Outcome::Error;
    f.totals.files_failed = 1;
    f.message = Some("bad.wast:3:7: expected `)` but found \"<eof>\" & gave up".into());
    f
}

/// The shared report.
pub fn report() -> Report {
    use Outcome::*;
    let i32_common = |third: AssertionReport| {
        vec![
            a(1, "module", Pass),
            a(5, "assert_return", Pass),
            third,
            with(
                a(8, "assert_trap", Pass),
                Some("integer divide by zero"),
                None,
                Some("division by zero"),
            ),
        ]
    };
    let mismatch = |mut x: AssertionReport| {
        x.message_mismatch = true;
        x
    };
    let touchstone = run(
        "touchstone",
        1234.5,
        vec![
            file(
                "i32.wast",
                ".",
                12.25,
                i32_common(with(
                    a(6, "assert_return", Fail),
                    Some("(i32.const 2)"),
                    Some("(i32.const 3)"),
                    None,
                ))
                .into_iter()
                .map(|x| if x.line == 8 { mismatch(x) } else { x })
                .collect(),
            ),
            file(
                "f32.wast",
                ".",
                3.5,
                vec![
                    a(1, "module", Pass),
                    with(
                        a(2, "assert_return", Fail),
                        Some("(f32.const nan:canonical)"),
                        Some("(f32.const nan:0x200000)"),
                        Some("NaN payload is not canonical"),
                    ),
                ],
            ),
            unparsable(),
            file(
                "proposals/threads/atomic.wast",
                "proposals/threads",
                0.8,
                vec![
                    with(
                        a(1, "module", Unsupported),
                        None,
                        None,
                        Some("shared memory (threads) is not supported yet"),
                    ),
                    with(
                        a(9, "assert_return", Unsupported),
                        None,
                        None,
                        Some("shared memory (threads) is not supported yet"),
                    ),
                ],
            ),
            file(
                "legacy/exceptions/try_catch.wast",
                "legacy/exceptions",
                5000.0,
                vec![
                    a(2, "module", Pass),
                    with(
                        a(3, "assert_return", Timeout),
                        None,
                        None,
                        Some("time limit of 5 s reached"),
                    ),
                ],
            ),
        ],
    );
    let wasmi = run(
        "wasmi",
        987.0,
        vec![
            file(
                "i32.wast",
                ".",
                2.0,
                i32_common(a(6, "assert_return", Pass)),
            ),
            file(
                "f32.wast",
                ".",
                1.0,
                vec![
                    a(1, "module", Pass),
                    with(
                        a(2, "assert_return", Fail),
                        Some("(f32.const nan:canonical)"),
                        Some("(f32.const nan:0x400001)"),
                        Some("NaN payload is not canonical"),
                    ),
                ],
            ),
            unparsable(),
            file(
                "proposals/threads/atomic.wast",
                "proposals/threads",
                1.5,
                vec![
                    with(
                        a(1, "module", Error),
                        None,
                        None,
                        Some("unknown import \"spectest\".\"shared<&>\""),
                    ),
                    with(
                        a(9, "assert_return", Error),
                        None,
                        None,
                        Some("no module to invoke"),
                    ),
                ],
            ),
            file(
                "legacy/exceptions/try_catch.wast",
                "legacy/exceptions",
                9.0,
                vec![
                    a(2, "module", Pass),
                    with(
                        a(3, "assert_return", Crash),
                        Some("()"),
                        None,
                        Some("panicked at 'index out of bounds: the len is 3 but the index is 7'"),
                    ),
                ],
            ),
        ],
    );
    Report {
        schema_version: touchstone_harness::report::model::SCHEMA_VERSION,
        touchstone_version: "0.1.0".into(),
        suite: vec!["testsuite/<fixture> & \"friends\"".into()],
        runs: vec![touchstone, wasmi],
        ..Default::default()
    }
}

/// The shared report as a baseline-checked run sees it: touchstone's
/// `i32.wast:6` failure is known (with a reason that needs escaping), one
/// file was skipped with its reason and one path given did not exist.
pub fn report_with_known() -> Report {
    let mut r = report();
    for f in &mut r.runs[0].files {
        for x in &mut f.assertions {
            if f.path == "i32.wast" && x.line == 6 {
                x.known = Some("upstream <spec> changed the rule & the copy predates it".into());
            }
        }
    }
    r.skipped
        .push(touchstone_harness::report::model::SkippedFile {
            path: "old/i32.wast".into(),
            reason: "older copy of i32.wast, which runs from `new`".into(),
        });
    r.path_errors
        .push(touchstone_harness::report::model::SkippedFile {
            path: "missing/dir".into(),
            reason: "no such file or directory".into(),
        });
    r
}

/// One engine whose only non-passes are known failures: a green run.
pub fn known_only() -> Report {
    let mut failing = a(6, "assert_return", Outcome::Fail);
    failing.known = Some("the copy predates the rule change".into());
    let files = vec![
        file(
            "i32.wast",
            ".",
            2.0,
            vec![a(1, "module", Outcome::Pass), failing],
        ),
        file("f32.wast", ".", 1.0, vec![a(1, "module", Outcome::Pass)]),
    ];
    Report {
        schema_version: touchstone_harness::report::model::SCHEMA_VERSION,
        touchstone_version: "0.1.0".into(),
        suite: vec!["embedded:wasm-latest".into()],
        runs: vec![run("touchstone", 10.0, files)],
        ..Default::default()
    }
}

/// Folder of the golden files.
pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with `tests/golden/NAME` exactly; with `BLESS=1` in
/// the environment, rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        eprintln!("blessed {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "reading {} ({e}); run with BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        // Show where they part, briefly: the HTML page is one long line.
        let at = expected
            .bytes()
            .zip(actual.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let around = |s: &str| {
            let start = s.floor_char_boundary(at.saturating_sub(120));
            let end = s.ceil_char_boundary((at + 240).min(s.len()));
            s[start..end].to_string()
        };
        panic!(
            "{} differs from the rendered output at byte {at} (BLESS=1 rewrites it after review)\n--- golden:\n{}\n--- rendered:\n{}",
            path.display(),
            around(&expected),
            around(actual)
        );
    }
}

/// Directory for artifacts a person may want to look at (git-ignored).
pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reports/out");
    std::fs::create_dir_all(&dir).expect("creating reports/out");
    dir
}
