//! wasmi, driven directly in its default configuration (no fuel metering),
//! so the comparison is against wasmi at its fastest.

use super::{Prepared, Runner};

pub struct Wasmi;

struct WasmiProgram {
    store: wasmi::Store<()>,
    run: wasmi::TypedFunc<i32, i64>,
}

impl Runner for Wasmi {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn prepare(&self, wasm: &[u8]) -> Result<Box<dyn Prepared>, String> {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
        let mut store = wasmi::Store::new(&engine, ());
        // Function imports: see `super::STUB_RESULT`, as on our engine.
        let mut linker = wasmi::Linker::<()>::new(&engine);
        for import in module.imports() {
            if let wasmi::ExternType::Func(ty) = import.ty() {
                let what = format!("{}.{}", import.module(), import.name());
                let returns_i32 = ty.results() == [wasmi::ValType::I32];
                let no_results = ty.results().is_empty();
                linker
                    .func_new(
                        import.module(),
                        import.name(),
                        ty.clone(),
                        move |_, _, out| {
                            if returns_i32 {
                                out[0] = wasmi::Val::I32(super::STUB_RESULT);
                                Ok(())
                            } else if no_results {
                                Err(wasmi::Error::new(format!("{what} called")))
                            } else {
                                Err(wasmi::Error::new(format!("{what}: no stub")))
                            }
                        },
                    )
                    .map_err(|e| format!("stub {}: {e}", import.name()))?;
            }
        }
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .map_err(|e| format!("instantiate: {e}"))?;
        let run = instance
            .get_typed_func::<i32, i64>(&store, "run")
            .map_err(|e| format!("export run: {e}"))?;
        Ok(Box::new(WasmiProgram { store, run }))
    }

    fn compile(&self, wasm: &[u8]) -> Result<(), String> {
        // wasmi translates lazily by default; eager is the fair comparison.
        let mut config = wasmi::Config::default();
        config.compilation_mode(wasmi::CompilationMode::Eager);
        let engine = wasmi::Engine::new(&config);
        wasmi::Module::new(&engine, wasm)
            .map(drop)
            .map_err(|e| format!("compile: {e}"))
    }
}

impl Prepared for WasmiProgram {
    fn run(&mut self, size: i32) -> Result<i64, String> {
        self.run
            .call(&mut self.store, size)
            .map_err(|e| format!("run: {e}"))
    }
}
