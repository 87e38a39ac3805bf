//! The feature set modules are validated with.

use wasmparser::WasmFeatures;

/// The features the engine validates with unless told otherwise: Wasm 3.0
/// (wasmparser's default), so later work only adds execution. Modules using
/// what the interpreter cannot run yet are rejected as unsupported after
/// they validate.
///
/// ```
/// let f = touchstone_engine::default_features();
/// assert!(f.contains(wasmparser::WasmFeatures::BULK_MEMORY));
/// ```
pub fn default_features() -> WasmFeatures {
    WasmFeatures::default()
}
