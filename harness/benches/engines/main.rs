//! Engine benchmark: runs each compute program of `bench/` on our engine and
//! on wasmi in the same process, interleaved, several times, and prints the
//! median time per engine, its spread ((max - min) / median), the ratio ours/wasmi and its geometric mean.
//!
//!     cargo bench -p touchstone-harness --bench engines [-- NAME...]
//!
//! `NAME` filters programs by substring; `--compile-only` skips the runs and
//! measures only the compile step (e.g. under callgrind). `TOUCHSTONE_BENCH_REPS` sets the
//! timed repetitions per engine (default 5); `TOUCHSTONE_BENCH_DIR` runs the
//! programs of another folder laid out like `bench/` (held-out programs the
//! engine was not tuned on). Every run's checksum must equal
//! the one the native build recorded in `bench/expected.tsv`; a mismatch,
//! trap or panic marks that engine failed for that program (and leaves it
//! out of the geometric mean) without stopping the others.
//! See `bench/README.md`.

// Cargo compiles `harness = false` benches with cfg(test) but collects no
// #[test] there; these modules' tests run from harness/tests/run_bench_programs.rs.
#![cfg_attr(test, allow(unused))]

mod compile_time;
mod programs;
mod runners;
mod stats;

use std::time::Duration;

use programs::Program;
use runners::{Prepared, Runner};

/// An engine whose warm-up run is this slow gets fewer repetitions, so a
/// young, slow engine still finishes the benchmark in minutes.
const SLOW_RUN_BUDGET: Duration = Duration::from_secs(12);

/// What one engine did with one program.
enum Outcome {
    Timed(Vec<Duration>),
    Failed(String),
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let reps: usize = std::env::var("TOUCHSTONE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let programs = match programs::load(&programs::bench_dir(), &filters) {
        Ok(loaded) if !loaded.programs.is_empty() => {
            for name in &loaded.not_built {
                println!("{name}: not built, left out (build it with bench/build-{name}.sh)");
            }
            loaded.programs
        }
        Ok(loaded) => {
            for name in &loaded.not_built {
                eprintln!("{name}: not built (build it with bench/build-{name}.sh)");
            }
            eprintln!("no benchmark program matches {filters:?}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("cannot load the benchmark programs: {e}");
            std::process::exit(2);
        }
    };
    let engines = runners::all();
    println!(
        "engine benchmark: {} programs, {reps} timed runs per engine, interleaved",
        programs.len()
    );
    // Other work on the machine inflates the times; say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let averages: Vec<&str> = load.split_whitespace().take(3).collect();
        println!("load average at start: {}", averages.join(" "));
    }

    if std::env::args().any(|a| a == "--compile-only") {
        compile_time::report(&programs, &engines);
        return;
    }
    let mut rows = Vec::new();
    for program in &programs {
        let outcomes = bench_program(program, &engines, reps);
        rows.push((program, outcomes));
    }
    print_table(&engines, &rows);
    compile_time::report(&programs, &engines);
}

/// Prepares the program on every engine, checks a warm-up run, then times
/// `reps` runs per engine, alternating engines (and their order) each round.
fn bench_program(program: &Program, engines: &[Box<dyn Runner>], reps: usize) -> Vec<Outcome> {
    let mut prepared: Vec<Result<Box<dyn Prepared>, String>> = Vec::new();
    let mut planned = vec![reps; engines.len()];
    for (index, engine) in engines.iter().enumerate() {
        let ready = runners::guarded_prepare(engine.as_ref(), &program.wasm).and_then(|mut p| {
            let (checksum, warmup) = runners::timed_run(p.as_mut(), program.size)?;
            check(program, checksum)?;
            if warmup * reps as u32 > SLOW_RUN_BUDGET {
                planned[index] =
                    (SLOW_RUN_BUDGET.as_secs_f64() / warmup.as_secs_f64()).max(1.0) as usize;
            }
            Ok(p)
        });
        prepared.push(ready);
    }
    let mut outcomes: Vec<Outcome> = prepared
        .iter()
        .map(|p| match p {
            Ok(_) => Outcome::Timed(Vec::new()),
            Err(e) => Outcome::Failed(e.clone()),
        })
        .collect();
    for round in 0..reps {
        let mut order: Vec<usize> = (0..engines.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for index in order {
            let (Ok(p), Outcome::Timed(samples)) = (&mut prepared[index], &mut outcomes[index])
            else {
                continue;
            };
            if samples.len() >= planned[index] {
                continue;
            }
            match runners::timed_run(p.as_mut(), program.size)
                .and_then(|(c, t)| check(program, c).map(|()| t))
            {
                Ok(elapsed) => samples.push(elapsed),
                Err(e) => outcomes[index] = Outcome::Failed(e),
            }
        }
    }
    outcomes
}

fn check(program: &Program, checksum: i64) -> Result<(), String> {
    if checksum == program.expected {
        Ok(())
    } else {
        Err(format!(
            "wrong checksum {checksum}, expected {}",
            program.expected
        ))
    }
}

fn print_table(engines: &[Box<dyn Runner>], rows: &[(&Program, Vec<Outcome>)]) {
    let ours = 0; // runners::all() lists our engine first, wasmi second.
    let theirs = 1;
    print!("\n{:<12} {:>9}", "program", "size");
    for engine in engines {
        print!(" {:>14} {:>7}", format!("{} ms", engine.name()), "spread");
    }
    println!(
        " {:>11}",
        format!("{}/{}", engines[ours].name(), engines[theirs].name())
    );

    let mut ratios = Vec::new();
    let mut failures = Vec::new();
    for (program, outcomes) in rows {
        print!("{:<12} {:>9}", program.name, program.size);
        let mut medians = Vec::new();
        for (engine, outcome) in engines.iter().zip(outcomes) {
            match outcome {
                Outcome::Timed(samples) => {
                    let median = stats::median(samples).expect("at least one timed run");
                    print!(
                        " {:>14.1} {:>6.0}%",
                        median.as_secs_f64() * 1e3,
                        stats::spread(samples).unwrap_or(0.0) * 100.0
                    );
                    medians.push(Some(median));
                }
                Outcome::Failed(reason) => {
                    print!(" {:>14} {:>7}", "FAILED", "");
                    failures.push(format!("{} on {}: {reason}", program.name, engine.name()));
                    medians.push(None);
                }
            }
        }
        match (medians[ours], medians[theirs]) {
            (Some(a), Some(b)) => {
                let ratio = a.as_secs_f64() / b.as_secs_f64();
                ratios.push(ratio);
                println!(" {ratio:>11.2}");
            }
            _ => println!(" {:>11}", "-"),
        }
    }
    match stats::geometric_mean(&ratios) {
        Some(mean) => println!(
            "\ngeometric mean {}/{} over {} of {} programs: {mean:.2}",
            engines[ours].name(),
            engines[theirs].name(),
            ratios.len(),
            rows.len()
        ),
        None => println!("\ngeometric mean: no program ran on both engines"),
    }
    if !failures.is_empty() {
        println!("\nfailures:");
        for failure in failures {
            println!("  {failure}");
        }
    }
}
