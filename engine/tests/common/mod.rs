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

/// Calls export `name` of a module (text format) in a store whose
/// interrupt flag another thread raises after 50 ms; what the call ended
/// with.
pub fn call_interrupted(
    wat: &str,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, touchstone_engine::RuntimeError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    let mut store = Store::new(touchstone_engine::Config {
        interrupt: flag.clone(),
        ..touchstone_engine::Config::default()
    });
    let i = instance_in(&mut store, wat, &Imports::new());
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        flag.store(true, Ordering::Relaxed);
    });
    let result = call(&mut store, i, name, args);
    setter.join().unwrap();
    result
}
