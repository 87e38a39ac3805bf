//! Engines by name, for the command line and the test target.

use super::Engine;

/// Names of the engines this build knows, the default one first.
pub fn names() -> Vec<&'static str> {
    let mut names = vec!["touchstone"];
    if cfg!(feature = "wasmi") {
        names.push("wasmi");
    }
    if cfg!(feature = "wasmtime") {
        names.push("wasmtime");
    }
    names
}

/// The engine called `name`, or `None` if this build has no such engine.
pub fn create(name: &str) -> Option<Box<dyn Engine>> {
    match name {
        "touchstone" => Some(Box::new(super::touchstone::TouchstoneEngine::new())),
        #[cfg(feature = "wasmi")]
        "wasmi" => Some(Box::new(super::wasmi::WasmiEngine::new())),
        #[cfg(feature = "wasmtime")]
        "wasmtime" => Some(Box::new(super::wasmtime::WasmtimeEngine::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_engine_with_an_adapter_has_its_name() {
        for name in names() {
            if let Some(engine) = create(name) {
                assert_eq!(engine.name(), name);
            }
        }
        assert!(create("nonesuch").is_none());
    }
}
