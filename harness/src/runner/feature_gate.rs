//! Was a module rejected only because a feature is switched off?
//!
//! An `assert_invalid` or `assert_malformed` passes when the engine rejects
//! the module. But a module the file's features do not allow is rejected
//! for that reason alone, whatever is wrong with it: such a rejection
//! proves nothing about what the script tests. Decided here, with
//! `wasmparser`, the same way whichever engine ran.

use wasmparser::{Validator, WasmFeatures};

use super::messages::loosely_matches;
use crate::suite::features::named_features;

/// Why the rejection of `wasm` proves nothing, if it does not: `wasmparser`
/// rejects it under `features` but accepts it with every feature on, and
/// the script's `expected` message is not the one the feature gate gives
/// (a script may test the gate itself, e.g. "multiple memories").
pub fn gated_rejection(wasm: &[u8], features: WasmFeatures, expected: &str) -> Option<String> {
    let gate = validate(wasm, features).err()?;
    validate(wasm, WasmFeatures::all()).ok()?;
    if loosely_matches(expected, &gate) {
        return None;
    }
    // Name the feature: the first one that alone makes the module valid.
    let missing: Vec<String> = named_features()
        .filter(|(_, flag)| !features.contains(*flag))
        .filter(|(_, flag)| validate(wasm, features | *flag).is_ok())
        .map(|(name, _)| name)
        .collect();
    let which = match missing.first() {
        Some(name) => format!("feature {name} is off"),
        None => "several features are off".to_string(),
    };
    Some(format!(
        "rejected only because {which} (wasmparser: \"{gate}\"), \
         not for the reason the script expects"
    ))
}

fn validate(wasm: &[u8], features: WasmFeatures) -> Result<(), String> {
    Validator::new_with_features(features)
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| e.message().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wasm(wat: &str) -> Vec<u8> {
        wat::parse_str(wat).unwrap()
    }

    #[test]
    fn a_module_only_the_gate_rejects_is_named() {
        // Valid with multi-memory; under Wasm 2.0 only the gate rejects it.
        let m = wasm("(module (memory 1) (memory 1))");
        let why = gated_rejection(&m, WasmFeatures::WASM2, "type mismatch").unwrap();
        assert!(why.contains("feature multi-memory is off"), "{why}");
    }

    #[test]
    fn a_script_testing_the_gate_itself_passes() {
        let m = wasm("(module (memory 1) (memory 1))");
        assert_eq!(gated_rejection(&m, WasmFeatures::WASM2, "multiple memories"), None);
    }

    #[test]
    fn really_invalid_or_allowed_modules_are_not_gated() {
        let bad = wasm("(module (func (result i32) (i64.const 0)))");
        assert_eq!(gated_rejection(&bad, WasmFeatures::WASM3, "type mismatch"), None);
        let fine = wasm("(module (memory 1) (memory 1))");
        assert_eq!(gated_rejection(&fine, WasmFeatures::WASM3, "anything"), None);
    }
}
