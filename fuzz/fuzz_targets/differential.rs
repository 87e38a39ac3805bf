//! Differential: wasm-smith modules on the features Touchstone and wasmi
//! share, run on both; a disagreement no known wasmi bug explains is a
//! finding. The body is `touchstone_harness::fuzz::targets::differential`,
//! built and tested with the workspace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchstone_harness::fuzz::targets;

fuzz_target!(|data: &[u8]| {
    targets::save_input_first(data);
    targets::differential(data);
});
