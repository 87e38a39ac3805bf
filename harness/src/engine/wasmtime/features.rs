//! Our feature set as wasmtime's configuration.
//!
//! wasmtime re-exports its own (older) `wasmparser`'s `WasmFeatures`; both
//! are bitflags with the proposal names as flag names, so the mapping is
//! derived by name rather than kept as a list: every flag wasmtime knows is
//! set exactly as ours has it.

use wasmparser::WasmFeatures;

/// wasmtime's features for a script run with `ours`.
pub fn to_wasmtime(ours: &WasmFeatures) -> wasmtime::WasmFeatures {
    let mut theirs = wasmtime::WasmFeatures::empty();
    for (name, flag) in wasmtime::WasmFeatures::all().iter_names() {
        if WasmFeatures::from_name(name).is_some_and(|f| ours.contains(f)) {
            theirs |= flag;
        }
    }
    theirs
}

/// The flags of `ours` that wasmtime's `wasmparser` does not know, so that
/// modules using them fail to validate on wasmtime.
pub fn unknown_to_wasmtime(ours: &WasmFeatures) -> Vec<&'static str> {
    ours.iter_names()
        .filter(|(name, _)| wasmtime::WasmFeatures::from_name(name).is_none())
        .map(|(name, _)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm3_maps_flag_for_flag() {
        let ours = WasmFeatures::WASM3;
        let theirs = to_wasmtime(&ours);
        for name in [
            "GC",
            "EXCEPTIONS",
            "MEMORY64",
            "TAIL_CALL",
            "SIMD",
            "MULTI_MEMORY",
        ] {
            let flag = wasmtime::WasmFeatures::from_name(name).unwrap();
            assert!(theirs.contains(flag), "{name}");
        }
        for (name, flag) in wasmtime::WasmFeatures::all().iter_names() {
            let wanted = WasmFeatures::from_name(name).is_some_and(|f| ours.contains(f));
            assert_eq!(theirs.contains(flag), wanted, "{name}");
        }
        assert!(unknown_to_wasmtime(&ours).is_empty());
    }

    #[test]
    fn a_removed_feature_stays_off() {
        let ours =
            WasmFeatures::WASM2.difference(WasmFeatures::REFERENCE_TYPES) | WasmFeatures::THREADS;
        let theirs = to_wasmtime(&ours);
        assert!(!theirs.contains(wasmtime::WasmFeatures::REFERENCE_TYPES));
        assert!(theirs.contains(wasmtime::WasmFeatures::THREADS));
        assert!(!theirs.contains(wasmtime::WasmFeatures::GC));
    }
}
