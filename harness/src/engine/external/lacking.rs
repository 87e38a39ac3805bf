//! Was a module rejected because the engine lacks a feature it needs?
//!
//! An external engine names the features it implements in its handshake
//! (V8's come from probes at start-up). When it rejects a module the
//! script's features make valid, and the module needs features the engine
//! does not claim, the rejection is no conformance failure but a feature
//! the engine does not have: the harness reports it as `unsupported`,
//! naming the features. A module valid without every feature the engine
//! lacks stays a failure, so a feature the engine claims and gets wrong is
//! never hidden.

use wasmparser::WasmFeatures;

use crate::suite::features::validate;

/// The features `wasm` needs that the engine lacks, described, if its
/// rejection is explained by them: `wasm` is valid with `wanted` (the
/// script's features) and invalid once the features of `wanted` the engine
/// does not `claim` are off. Names are wasmparser's (the protocol's).
pub fn needed_but_lacking(
    wasm: &[u8],
    wanted: WasmFeatures,
    claimed: WasmFeatures,
) -> Option<String> {
    let lacking = wanted.difference(with_parts(claimed));
    let without = wanted.difference(lacking);
    if lacking.is_empty() || !valid(wasm, wanted) || valid(wasm, without) {
        return None;
    }
    // The lacking features without which the module is invalid.
    let necessary = lacking
        .iter()
        .filter(|flag| !valid(wasm, wanted.difference(*flag)))
        .fold(WasmFeatures::empty(), |all, flag| all | flag);
    if valid(wasm, without | necessary) {
        return Some(names(necessary));
    }
    // Some need is met by any one of several (typed references: either
    // function-references or GC).
    let either: Vec<String> = lacking
        .difference(necessary)
        .iter()
        .filter(|flag| valid(wasm, without | necessary | *flag))
        .map(names)
        .collect();
    if !either.is_empty() {
        let and = if necessary.is_empty() {
            String::new()
        } else {
            format!("{} and ", names(necessary))
        };
        return Some(format!("{and}one of {}", either.join(", ")));
    }
    // Otherwise a smallest set found greedily: all of them, less each one
    // the module does without.
    let mut set = lacking;
    for flag in lacking.iter() {
        if valid(wasm, without | set.difference(flag)) {
            set = set.difference(flag);
        }
    }
    Some(names(set))
}

/// `claimed` with wasmparser's `gc_types`, which is no proposal but the
/// gate of `externref` and other collected references (an embedding
/// without a collector turns it off): an engine with reference types has
/// it, whether or not its list names it.
fn with_parts(claimed: WasmFeatures) -> WasmFeatures {
    claimed | WasmFeatures::GC_TYPES
}

fn names(features: WasmFeatures) -> String {
    let names: Vec<String> = features
        .iter_names()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    names.join(", ")
}

fn valid(wasm: &[u8], features: WasmFeatures) -> bool {
    validate(wasm, features).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wasm(wat: &str) -> Vec<u8> {
        wat::parse_str(wat).unwrap()
    }

    #[test]
    fn a_module_using_a_lacking_feature_names_it() {
        let m = wasm("(module (memory 1) (memory 1))");
        let claimed = WasmFeatures::WASM2;
        let needed = needed_but_lacking(&m, WasmFeatures::WASM3, claimed).unwrap();
        assert_eq!(needed, "multi_memory");
    }

    #[test]
    fn a_need_either_feature_meets_is_named_as_such() {
        // A typed function reference: function-references or GC will do.
        let m = wasm("(module (type $t (func)) (func (param (ref null $t))))");
        let needed = needed_but_lacking(&m, WasmFeatures::WASM3, WasmFeatures::WASM2).unwrap();
        assert!(needed.starts_with("one of "), "{needed}");
        assert!(needed.contains("function_references"), "{needed}");
        assert!(!needed.contains("memory64"), "{needed}");
    }

    #[test]
    fn a_module_the_engine_should_run_is_not_explained_away() {
        // Valid in Wasm 2.0, which the engine claims: its rejection is a failure.
        let m = wasm("(module (memory 1) (func (drop (i32.const 1))))");
        assert_eq!(
            needed_but_lacking(&m, WasmFeatures::WASM3, WasmFeatures::WASM2),
            None
        );
        // Invalid whatever the features: the rejection is right.
        let bad = wasm("(module (func (result i32)))");
        assert_eq!(
            needed_but_lacking(&bad, WasmFeatures::WASM3, WasmFeatures::WASM2),
            None
        );
        // Nothing lacking.
        let mm = wasm("(module (memory 1) (memory 1))");
        assert_eq!(
            needed_but_lacking(&mm, WasmFeatures::WASM3, WasmFeatures::WASM3),
            None
        );
    }

    #[test]
    fn an_engine_with_reference_types_has_externref() {
        // externref needs wasmparser's gc_types, which no list names.
        let m = wasm("(module (table 1 externref))");
        let claimed = WasmFeatures::WASM2.difference(WasmFeatures::GC_TYPES);
        assert!(!valid(&m, claimed), "the module needs gc_types");
        assert_eq!(needed_but_lacking(&m, WasmFeatures::WASM2, claimed), None);
    }
}
