//! Was a module rejected only because a feature is switched off?
//!
//! An `assert_invalid` or `assert_malformed` passes when the engine rejects
//! the module. But a module the file's features do not allow is rejected
//! for that reason alone, whatever is wrong with it: such a rejection
//! proves nothing about what the script tests. Decided here, with
//! `wasmparser`, the same way whichever engine ran.

use wasmparser::WasmFeatures;

use super::messages::loosely_matches;
use crate::suite::features::{named_features, validate};

/// Why the rejection of `wasm` proves nothing, if it does not.
///
/// It proves nothing when `wasmparser`, under the file's `features`,
/// rejects it with a feature-gate message (one that names a proposal or
/// feature, not a rule of the spec), the script's `expected` message is a
/// different one (a script may test the gate itself), and with one
/// feature X turned on the module is valid: only the gate rejects it.
/// (A module still rejected with X on was rejected rightly either way;
/// the other wording is a message mismatch, counted as such.)
///
/// The caller does not ask this for `assert_malformed` on a module given
/// as binary: an encoding that only a later proposal gives meaning to
/// (shared globals reading a mutability byte the spec calls malformed) is
/// malformed in the file's language, which is what such a script tests.
pub fn gated_rejection(wasm: &[u8], features: WasmFeatures, expected: &str) -> Option<String> {
    let gate = validate(wasm, features).err()?;
    if loosely_matches(expected, &gate) || !is_gate_message(&gate) {
        return None;
    }
    let name = named_features()
        .filter(|(_, flag)| !features.contains(*flag))
        .find(|(_, flag)| validate(wasm, features | *flag).is_ok())
        .map(|(name, _)| name)?;
    Some(format!(
        "rejected only because feature {name} is off (wasmparser: \"{gate}\"; \
         with it on the module is valid), not for the reason the script expects"
    ))
}

/// Whether a wasmparser message is about a feature being off rather than
/// a rule of the spec.
fn is_gate_message(message: &str) -> bool {
    [
        "not enabled",
        "proposal",
        "feature",
        "not supported without",
    ]
    .iter()
    .any(|words| message.contains(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wasm(wat: &str) -> Vec<u8> {
        wat::parse_str(wat).unwrap()
    }

    #[test]
    fn a_module_only_the_gate_rejects_is_named() {
        // Valid with tail calls; under Wasm 2.0 only the gate rejects it.
        let m = wasm("(module (func (return_call 0)))");
        let why = gated_rejection(&m, WasmFeatures::WASM2, "type mismatch").unwrap();
        assert!(why.contains("feature tail-call is off"), "{why}");
        assert!(why.contains("valid"), "{why}");
    }

    #[test]
    fn a_module_invalid_with_the_feature_on_too_was_rightly_rejected() {
        let m = wasm("(module (func (result i32) (return_call 0) (i64.const 0)))");
        assert!(validate(&m, WasmFeatures::WASM3).is_err());
        assert_eq!(
            gated_rejection(&m, WasmFeatures::WASM2, "type mismatch"),
            None
        );
    }

    #[test]
    fn a_script_testing_the_gate_itself_passes() {
        let m = wasm("(module (func (return_call 0)))");
        let gate = validate(&m, WasmFeatures::WASM2).unwrap_err();
        assert_eq!(gated_rejection(&m, WasmFeatures::WASM2, &gate), None);
        // "multiple memories" is a rule of Wasm 2.0, not a gate message.
        let m = wasm("(module (memory 1) (memory 1))");
        assert_eq!(
            gated_rejection(&m, WasmFeatures::WASM2, "zero byte expected"),
            None
        );
    }
}
