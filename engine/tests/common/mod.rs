//! Helpers shared by the integration tests (each test crate uses a subset).
#![allow(dead_code)]

use touchstone_engine::{Imports, Instance, Module, Store, Val};

/// Instantiates a module written in text format in a fresh store.
pub fn instance(wat: &str) -> (Store, Instance) {
    let mut store = Store::default();
    let inst = instance_in(&mut store, wat, &Imports::new());
    (store, inst)
}

/// Instantiates a module written in text format in `store`.
pub fn instance_in(store: &mut Store, wat: &str, imports: &Imports) -> Instance {
    let module = Module::new(&wat::parse_str(wat).expect("test module parses"))
        .expect("test module compiles");
    Instance::new(store, &module, imports).expect("test module instantiates")
}

/// Calls an export and returns its results.
pub fn call(
    store: &mut Store,
    inst: Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, touchstone_engine::RuntimeError> {
    inst.get_func(store, name)
        .expect("export exists")
        .call(store, args)
}
