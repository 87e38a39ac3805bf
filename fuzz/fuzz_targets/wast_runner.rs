//! `.wast` text through the harness's script runner on our engine: a panic
//! or a `crash` outcome is a finding. The body is
//! `touchstone_harness::fuzz::targets::wast_runner`, built and tested with
//! the workspace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchstone_harness::fuzz::targets;

fuzz_target!(|data: &[u8]| {
    targets::save_input_first(data);
    targets::wast_runner(data);
});
