//! wasm-smith modules using every feature Touchstone supports, instantiated
//! and run (every export called) with time, memory and depth limits: traps
//! and exhaustion are fine, a panic is not. Unlike `touchstone fuzz`, huge
//! arrays in constant expressions are allowed (they must end in exhaustion).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use touchstone_harness::engine::{touchstone::TouchstoneEngine, Engine};
use touchstone_harness::fuzz::{generate, observe, plan};

fuzz_target!(|data: &[u8]| {
    let engine = TouchstoneEngine::new();
    let features = engine.features();
    let mut config = generate::smith_config(features);
    config.limit_arrays_in_const_exprs = false;
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else { return };
    if module.ensure_termination(generate::MODULE_FUEL).is_err() {
        return;
    }
    let wasm = module.to_bytes();
    let Ok(plan) = plan::plan(&wasm, data.len() as u64) else { return };
    let limits = observe::RunLimits {
        max_memory_bytes: 512 << 20,
        max_call_depth: 5_000,
        timeout: Duration::from_secs(5),
    };
    if let Err(panic) = observe::observe(&engine, &features, &wasm, &plan, &limits) {
        panic!("touchstone panicked: {}", panic.0);
    }
});
