//! `.wast` text through the harness's script runner on our engine: every
//! problem must become an outcome in the report, never a panic.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use touchstone_harness::engine::touchstone::TouchstoneEngine;
use touchstone_harness::engine::Limits;
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::Script;

fuzz_target!(|data: &[u8]| {
    // A native stack overflow kills the process before libFuzzer can save
    // the input: with this variable set, each input is written out first.
    if let Some(path) = std::env::var_os("TOUCHSTONE_FUZZ_LAST_INPUT") {
        let _ = std::fs::write(path, data);
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let script = Script::from_text("fuzz.wast", text);
    let options = RunOptions {
        timeout: Duration::from_secs(5),
        limits: Limits {
            max_memory_bytes: 256 << 20,
            ..Limits::default()
        },
        ..RunOptions::default()
    };
    let _ = run_script(&TouchstoneEngine::new(), &script, &options);
});
