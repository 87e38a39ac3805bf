//! wasm-smith modules using every feature Touchstone supports, instantiated
//! and run with limits: a panic is a finding. The body is
//! `touchstone_harness::fuzz::targets::smith_run`, built and tested with the
//! workspace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchstone_harness::fuzz::targets;

fuzz_target!(|data: &[u8]| {
    targets::smith_run(data);
});
