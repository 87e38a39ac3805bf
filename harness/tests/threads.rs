//! The runner's `thread` and `wait` directives: threads really overlap, see
//! only what they share, report under their own lines, and a deadlock ends
//! as the file's timeout.

use std::time::{Duration, Instant};

use touchstone_harness::engine::touchstone::TouchstoneEngine;
use touchstone_harness::engine::Engine;
use touchstone_harness::report::{FileReport, Outcome};
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::Script;

fn run_on(engine: &dyn Engine, text: &str, timeout: Duration) -> FileReport {
    let options = RunOptions {
        timeout,
        ..RunOptions::default()
    };
    run_script(engine, &Script::from_text("threads.wast", text), &options)
}

fn run(text: &str) -> FileReport {
    run_on(&TouchstoneEngine::new(), text, Duration::from_secs(30))
}

/// (line, kind, outcome), sorted by line.
fn outcomes(report: &FileReport) -> Vec<(u32, String, Outcome)> {
    let mut v: Vec<_> = report
        .assertions
        .iter()
        .map(|a| (a.line, a.kind.clone(), a.outcome))
        .collect();
    v.sort_by_key(|o| o.0);
    v
}

const MEM: &str = r#"(module $Mem (memory (export "shared") 1 1 shared))
"#;

/// Each thread raises its own flag, then spins until it sees the other's:
/// it finishes only if the two run at the same time.
#[test]
fn threads_of_a_group_run_at_the_same_time() {
    let player = |me: u32, other: u32| {
        format!(
            r#"(thread $T{name} (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "meet") (result i32)
      (i32.atomic.store (i32.const {me}) (i32.const 1))
      (loop $spin (br_if $spin (i32.eqz (i32.atomic.load (i32.const {other})))))
      (i32.const 1)))
  (assert_return (invoke "meet") (i32.const 1)))
"#,
            name = me,
            me = me * 4,
            other = other * 4
        )
    };
    let text = format!(
        "{MEM}{}{}(wait $T1)\n(wait $T0)\n",
        player(0, 1),
        player(1, 0)
    );
    let report = run(&text);
    assert!(
        report.assertions.iter().all(|a| a.outcome == Outcome::Pass),
        "{:#?}",
        report.assertions
    );
    // module, 2 x (thread, register, module, assert_return), 2 waits.
    assert_eq!(report.assertions.len(), 11);
}

#[test]
fn a_thread_sees_only_what_it_shares_and_reports_under_its_lines() {
    let text = format!(
        r#"{MEM}(register "mem" $Mem)
(module (memory (import "mem" "shared") 1 1 shared)
  (func (export "get") (result i32) (i32.load (i32.const 8))))
(thread $T (shared (module $Mem))
  (assert_unlinkable (module (memory (import "mem" "shared") 1 1 shared)) "unknown import")
  (register "m" $Mem)
  (module (memory (import "m" "shared") 1 1 shared)
    (func (export "put") (i32.store (i32.const 8) (i32.const 77))))
  (invoke "put")
  (thread $Inner (shared (module $Mem))
    (register "m" $Mem)
    (module (memory (import "m" "shared") 1 1 shared)
      (func (export "bump") (drop (i32.atomic.rmw.add (i32.const 12) (i32.const 1)))))
    (invoke "bump"))
  (wait $Inner))
(wait $T)
(assert_return (invoke "get") (i32.const 77))
(module (memory (import "mem" "shared") 1 1 shared)
  (func (export "bumps") (result i32) (i32.load (i32.const 12))))
(assert_return (invoke "bumps") (i32.const 1))
"#
    );
    let report = run(&text);
    let lines = outcomes(&report);
    assert!(lines.iter().all(|o| o.2 == Outcome::Pass), "{lines:#?}");
    let kinds: Vec<_> = lines.iter().map(|o| (o.0, o.1.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (1, "module"),
            (2, "register"),
            (3, "module"),
            (5, "thread"),
            (6, "assert_unlinkable"),
            (7, "register"),
            (8, "module"),
            (10, "invoke"),
            (11, "thread"),
            (12, "register"),
            (13, "module"),
            (15, "invoke"),
            (16, "wait"),
            (17, "wait"),
            (18, "assert_return"),
            (19, "module"),
            (21, "assert_return"),
        ]
    );
}

#[test]
fn a_deadlocked_thread_is_the_files_timeout_not_a_hang() {
    let text = format!(
        r#"{MEM}(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "forever") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (invoke "forever")
  (invoke "forever"))
(wait $T)
(module $After)
"#
    );
    let started = Instant::now();
    let report = run_on(&TouchstoneEngine::new(), &text, Duration::from_millis(500));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let lines = outcomes(&report);
    use Outcome::*;
    let got: Vec<_> = lines.iter().map(|o| (o.0, o.2)).collect();
    assert_eq!(
        got,
        [
            (1, Pass),
            (2, Pass),
            (3, Pass),
            (4, Pass),
            (7, Timeout),
            (8, Timeout),
            (9, Pass),
            (10, Timeout)
        ]
    );
    assert_eq!(report.outcome, Timeout);
}

#[test]
fn unknown_threads_and_unwaited_threads_are_reported() {
    let text = r#"(module)
(wait $Nobody)
(thread $Never (module (func (export "f"))) (invoke "f"))
"#;
    let report = run(text);
    use Outcome::*;
    let got: Vec<_> = outcomes(&report).iter().map(|o| (o.0, o.2)).collect();
    assert_eq!(
        got,
        [(1, Pass), (2, Error), (3, Pass), (3, Pass), (3, Pass)]
    );
    assert!(report.assertions[1]
        .message
        .as_deref()
        .unwrap()
        .contains("$Nobody"));
}

#[cfg(feature = "wasmi")]
#[test]
fn engines_that_cannot_share_report_unsupported_with_the_reason() {
    use touchstone_harness::engine::wasmi::WasmiEngine;
    let text = r#"(module $M (func (export "one") (result i32) (i32.const 1)))
(thread $T (shared (module $M)) (invoke $M "one"))
(wait $T)
(thread $U (module (func (export "two") (result i32) (i32.const 2)))
  (assert_return (invoke "two") (i32.const 2)))
(wait $U)
"#;
    let report = run_on(&WasmiEngine::new(), text, Duration::from_secs(30));
    use Outcome::*;
    let got: Vec<_> = outcomes(&report).iter().map(|o| (o.0, o.2)).collect();
    assert_eq!(
        got,
        [
            (1, Pass),
            (2, Unsupported),
            (2, Unsupported),
            (3, Unsupported),
            (4, Pass),
            (4, Pass),
            (5, Pass),
            (6, Pass)
        ],
        "a thread that shares nothing runs on any engine"
    );
    let why = report.assertions[1].message.as_deref().unwrap();
    assert!(why.contains("wasmi has no shared memories"), "{why}");
}
