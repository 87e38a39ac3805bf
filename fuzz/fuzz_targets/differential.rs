//! Differential: wasm-smith modules on the features Touchstone and wasmi
//! share, run on both through the engine seam; a disagreement that no
//! known wasmi bug explains (see `touchstone_harness::fuzz::known_bugs`)
//! is a crash. `touchstone fuzz` is the same comparison with reduction.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use touchstone_harness::engine::{touchstone::TouchstoneEngine, wasmi::WasmiEngine, Engine, WasmFeatures};
use touchstone_harness::fuzz::{check_module, generate, observe::RunLimits};

fuzz_target!(|data: &[u8]| {
    // A native stack overflow kills the process before libFuzzer can save
    // the input: with this variable set, each input is written out first.
    if let Some(path) = std::env::var_os("TOUCHSTONE_FUZZ_LAST_INPUT") {
        let _ = std::fs::write(path, data);
    }
    let (ours, theirs) = (TouchstoneEngine::new(), WasmiEngine::new());
    let features = (ours.features() & theirs.features()) - WasmFeatures::RELAXED_SIMD;
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut module) = wasm_smith::Module::new(generate::smith_config(features), &mut u) else { return };
    if module.ensure_termination(generate::MODULE_FUEL).is_err() {
        return;
    }
    let wasm = module.to_bytes();
    let limits = RunLimits {
        max_memory_bytes: 256 << 20,
        max_call_depth: 5_000,
        timeout: Duration::from_secs(5),
    };
    if let Err(why) = check_module(&[&ours, &theirs], &features, &wasm, data.len() as u64, &limits) {
        panic!("{why}");
    }
});
