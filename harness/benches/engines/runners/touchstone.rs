//! Our engine, driven directly through its embedding API.

use touchstone_engine::{
    Extern, ExternType, Func, Imports, Instance, Module, RuntimeError, Store, Val, ValType,
};

use super::{Prepared, Runner};

pub struct Touchstone;

struct TouchstoneProgram {
    store: Store,
    run: Func,
}

impl Runner for Touchstone {
    fn name(&self) -> &'static str {
        "touchstone"
    }

    fn prepare(&self, wasm: &[u8]) -> Result<Box<dyn Prepared>, String> {
        let module = Module::new(wasm).map_err(|e| format!("compile: {e}"))?;
        let mut store = Store::default();
        // Function imports (the Lua program's WASI calls): see `super::STUB_RESULT`.
        let mut imports = Imports::new();
        for import in module.imports() {
            if let ExternType::Func(ty) = import.ty {
                let (module_name, name) = (import.module.to_string(), import.name.to_string());
                let results = ty.results().to_vec();
                let stub = Func::new_host(&mut store, ty, move |_| match results[..] {
                    [] => Err(RuntimeError::host(format!("{module_name}.{name} called"))),
                    [ValType::I32] => Ok(vec![Val::I32(super::STUB_RESULT)]),
                    _ => Err(RuntimeError::host(format!("{module_name}.{name}: no stub"))),
                });
                imports.define(import.module, import.name, Extern::Func(stub));
            }
        }
        let instance = Instance::new(&mut store, &module, &imports)
            .map_err(|e| format!("instantiate: {e}"))?;
        let run = instance
            .get_func(&store, "run")
            .ok_or("no exported function run")?;
        Ok(Box::new(TouchstoneProgram { store, run }))
    }

    fn compile(&self, wasm: &[u8]) -> Result<(), String> {
        // Our Module::new translates every body before it returns.
        Module::new(wasm)
            .map(drop)
            .map_err(|e| format!("compile: {e}"))
    }
}

impl Prepared for TouchstoneProgram {
    fn run(&mut self, size: i32) -> Result<i64, String> {
        match self
            .run
            .call(&mut self.store, &[Val::I32(size)])
            .map_err(|e| format!("run: {e}"))?[..]
        {
            [Val::I64(checksum)] => Ok(checksum),
            ref other => Err(format!("run returned {other:?}, not one i64")),
        }
    }
}
