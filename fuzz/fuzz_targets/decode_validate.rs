//! Arbitrary bytes through decoding, validation and translation (every
//! feature on): an error is fine, a panic or undefined behaviour is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use touchstone_engine::{Module, WasmFeatures};

fuzz_target!(|data: &[u8]| {
    let _ = Module::with_features(data, WasmFeatures::all());
    let _ = Module::with_features(data, touchstone_engine::default_features());
});
