//! The engines a program can be run on, each behind the same two steps:
//! prepare (compile and instantiate, untimed) and run (timed).

use std::time::{Duration, Instant};

pub mod touchstone;
pub mod wasmi;

/// A program instantiated on one engine, ready to have `run` called.
pub trait Prepared {
    /// Calls the exported `run(size)` and returns its checksum.
    fn run(&mut self, size: i32) -> Result<i64, String>;
}

/// An engine under test.
pub trait Runner {
    fn name(&self) -> &'static str;
    /// Compiles and instantiates `wasm`.
    fn prepare(&self, wasm: &[u8]) -> Result<Box<dyn Prepared>, String>;
    /// Decodes, validates and translates every function body of `wasm`
    /// (eagerly: no translation is left for the first call).
    fn compile(&self, wasm: &[u8]) -> Result<(), String>;
}

/// What a stub for an imported function returns when its type is
/// `[..] -> [i32]`: the large program's imports are WASI calls, and 8 is
/// WASI's EBADF ("no such file descriptor": the program has none, and
/// wasi-libc's startup scan of preopened directories stops at it). A stub
/// with no results (`proc_exit`) traps, and so does any other type.
pub const STUB_RESULT: i32 = 8;

/// Every engine this benchmark compares, ours first.
pub fn all() -> Vec<Box<dyn Runner>> {
    vec![Box::new(touchstone::Touchstone), Box::new(wasmi::Wasmi)]
}

/// Times one call of `run`, turning a panic inside the engine into an error
/// so one broken program does not end the whole benchmark.
pub fn timed_run(prepared: &mut dyn Prepared, size: i32) -> Result<(i64, Duration), String> {
    let start = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepared.run(size)));
    let elapsed = start.elapsed();
    match outcome {
        Ok(result) => result.map(|checksum| (checksum, elapsed)),
        Err(payload) => Err(format!("panicked: {}", panic_message(&payload))),
    }
}

/// Prepares with the same panic protection as [`timed_run`].
pub fn guarded_prepare(runner: &dyn Runner, wasm: &[u8]) -> Result<Box<dyn Prepared>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.prepare(wasm)))
        .unwrap_or_else(|payload| Err(format!("panicked: {}", panic_message(&payload))))
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".to_string())
}
