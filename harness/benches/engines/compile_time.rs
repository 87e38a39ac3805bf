//! Translation speed: nanoseconds per byte of code section to compile the
//! largest benchmark module, each engine compiling eagerly, interleaved.

use std::time::{Duration, Instant};

use crate::programs::Program;
use crate::runners::Runner;
use crate::stats;

/// Compiles per engine per round (`TOUCHSTONE_BENCH_COMPILE_ROUNDS`, e.g. 1
/// under callgrind); each round alternates which engine goes first.
const ROUNDS: usize = 41;

fn rounds() -> usize {
    std::env::var("TOUCHSTONE_BENCH_COMPILE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(ROUNDS)
}

/// The size in bytes of the code section's contents (all function bodies).
pub fn code_section_bytes(wasm: &[u8]) -> usize {
    wasmparser::Parser::new(0)
        .parse_all(wasm)
        .filter_map(Result::ok)
        .find_map(|payload| match payload {
            wasmparser::Payload::CodeSectionStart { size, .. } => Some(size as usize),
            _ => None,
        })
        .unwrap_or(0)
}

/// Prints, for the program with the largest code section, each engine's
/// median compile time and ns per code byte.
pub fn report(programs: &[Program], engines: &[Box<dyn Runner>]) {
    let Some(program) = programs.iter().max_by_key(|p| code_section_bytes(&p.wasm)) else {
        return;
    };
    let code_bytes = code_section_bytes(&program.wasm).max(1);
    let rounds = rounds();
    println!(
        "\ncompile (eager translation) of the largest module, {} ({} bytes of code section), median of {rounds}:",
        program.name, code_bytes
    );
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); engines.len()];
    let mut failed: Vec<Option<String>> = vec![None; engines.len()];
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..engines.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for index in order {
            if failed[index].is_some() {
                continue;
            }
            let start = Instant::now();
            match engines[index].compile(&program.wasm) {
                Ok(()) => samples[index].push(start.elapsed()),
                Err(e) => failed[index] = Some(e),
            }
        }
    }
    for (index, engine) in engines.iter().enumerate() {
        match (&failed[index], stats::median(&samples[index])) {
            (Some(e), _) => println!("  {:<12} FAILED: {e}", engine.name()),
            (None, Some(median)) => println!(
                "  {:<12} {:>9.1} us  {:>7.1} ns/byte",
                engine.name(),
                median.as_secs_f64() * 1e6,
                median.as_secs_f64() * 1e9 / code_bytes as f64
            ),
            (None, None) => {}
        }
    }
}
