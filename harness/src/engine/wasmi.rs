//! The [`wasmi`] adapter: a second, independent engine, to prove the harness
//! and to compare behaviours.
//!
//! wasmi 2.0 supports Wasm 2.0 plus multi-memory, memory64, tail calls,
//! extended-const, relaxed SIMD, wide arithmetic and custom page sizes; it
//! has no GC, exceptions, typed function references or threads, so modules
//! using those fail to compile here, which the reports count as real failures.

mod convert;
mod errors;
mod limiter;
mod spectest;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use wasmi::{Config, ResumableCall, Val};

use super::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, Value, WasmFeatures,
};
use errors::{classify, Stage};
use limiter::TotalLimiter;

/// Fuel granted per slice of a call; between slices the interrupt flag is
/// checked. Large enough that refuelling costs nothing measurable.
const FUEL_SLICE: u64 = 20_000_000;

/// Fuel for instantiation (start functions and segment initialisation),
/// which wasmi cannot pause to check the interrupt flag: spent, it ends the
/// instantiation as exhaustion. A few seconds of work; the suite's start
/// functions need a few hundred units.
const INSTANTIATE_FUEL: u64 = 5_000_000_000;

/// The wasmi engine.
#[derive(Debug, Default)]
pub struct WasmiEngine;

impl WasmiEngine {
    pub fn new() -> Self {
        WasmiEngine
    }
}

impl Engine for WasmiEngine {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn features(&self) -> WasmFeatures {
        // What `config` can switch on: Wasm 2.0 plus these proposals.
        WasmFeatures::WASM2
            | WasmFeatures::MULTI_MEMORY
            | WasmFeatures::MEMORY64
            | WasmFeatures::TAIL_CALL
            | WasmFeatures::EXTENDED_CONST
            | WasmFeatures::CUSTOM_PAGE_SIZES
            | WasmFeatures::WIDE_ARITHMETIC
            | WasmFeatures::RELAXED_SIMD
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        let engine = wasmi::Engine::new(&config(features, limits));
        let mut store = wasmi::Store::new(&engine, TotalLimiter::new(limits));
        let mut linker = wasmi::Linker::new(&engine);
        // Scripts may register several instances under one name.
        linker.allow_shadowing(true);
        let setup_error = spectest::define(&mut linker, &mut store)
            .err()
            .map(|e| e.to_string());
        // Installed after `spectest` exists: the bounds are on what the
        // script's own modules allocate.
        store.limiter(|limiter| limiter as &mut dyn wasmi::ResourceLimiter);
        Box::new(WasmiSession {
            setup_error,
            store,
            linker,
            modules: Vec::new(),
            instances: Vec::new(),
            interrupt: limits.interrupt.clone(),
        })
    }
}

/// wasmi's configuration for a script's features and limits.
fn config(f: &WasmFeatures, limits: &Limits) -> Config {
    let mut c = Config::default();
    c.wasm_mutable_global(f.mutable_global())
        .wasm_sign_extension(f.sign_extension())
        .wasm_saturating_float_to_int(f.saturating_float_to_int())
        .wasm_multi_value(f.multi_value())
        .wasm_multi_memory(f.multi_memory())
        .wasm_bulk_memory(f.bulk_memory())
        .wasm_reference_types(f.reference_types())
        .wasm_tail_call(f.tail_call())
        .wasm_extended_const(f.extended_const())
        .wasm_custom_page_sizes(f.custom_page_sizes())
        .wasm_memory64(f.memory64())
        .wasm_wide_arithmetic(f.wide_arithmetic())
        .wasm_simd(f.simd())
        .wasm_relaxed_simd(f.relaxed_simd())
        .floats(f.floats())
        .consume_fuel(true)
        .set_max_recursion_depth(limits.max_call_depth as usize);
    c
}

struct WasmiSession {
    store: wasmi::Store<TotalLimiter>,
    linker: wasmi::Linker<TotalLimiter>,
    modules: Vec<wasmi::Module>,
    instances: Vec<wasmi::Instance>,
    interrupt: Arc<AtomicBool>,
    /// Why `spectest` could not be set up, reported by every instantiation.
    setup_error: Option<String>,
}

impl WasmiSession {
    fn instance(&self, id: InstanceId) -> Result<wasmi::Instance, EngineError> {
        self.instances
            .get(id.0)
            .copied()
            .ok_or_else(|| EngineError::new(ErrorKind::Other, format!("no instance {}", id.0)))
    }

    /// Runs `func` in fuel slices, stopping when the interrupt flag is up.
    fn call(
        &mut self,
        func: wasmi::Func,
        args: &[Val],
        results: &mut [Val],
    ) -> Result<(), EngineError> {
        self.refuel(FUEL_SLICE)?;
        let mut call = func
            .call_resumable(&mut self.store, args, results)
            .map_err(|e| classify(&e, Stage::Run))?;
        loop {
            match call {
                ResumableCall::Finished => return Ok(()),
                ResumableCall::OutOfFuel(paused) => {
                    if self.interrupt.load(Ordering::Relaxed) {
                        return Err(EngineError::new(
                            ErrorKind::Interrupted,
                            "interrupted: time limit",
                        ));
                    }
                    self.refuel(FUEL_SLICE.max(paused.required_fuel()))?;
                    call = paused
                        .resume(&mut self.store, results)
                        .map_err(|e| classify(&e, Stage::Run))?;
                }
                ResumableCall::HostTrap(trap) => {
                    return Err(EngineError::new(
                        ErrorKind::Other,
                        format!("host trap: {}", trap.host_error()),
                    ));
                }
            }
        }
    }

    fn refuel(&mut self, fuel: u64) -> Result<(), EngineError> {
        self.store
            .set_fuel(fuel)
            .map_err(|e| EngineError::new(ErrorKind::Other, format!("setting fuel: {e}")))
    }
}

impl Session for WasmiSession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = wasmi::Module::new(self.store.engine(), wasm)
            .map_err(|e| classify(&e, Stage::Compile))?;
        self.modules.push(module);
        Ok(ModuleId(self.modules.len() - 1))
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        let module =
            self.modules.get(module.0).cloned().ok_or_else(|| {
                EngineError::new(ErrorKind::Other, format!("no module {}", module.0))
            })?;
        if let Some(why) = &self.setup_error {
            return Err(EngineError::new(
                ErrorKind::Exhaustion,
                format!("spectest could not be created: {why}"),
            ));
        }
        self.refuel(INSTANTIATE_FUEL)?;
        let instance = self
            .linker
            .instantiate_and_start(&mut self.store, &module)
            .map_err(|e| classify(&e, Stage::Instantiate))?;
        self.instances.push(instance);
        Ok(InstanceId(self.instances.len() - 1))
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
        let instance = self.instance(instance)?;
        self.linker
            .instance(&mut self.store, name, instance)
            .map_err(|e| EngineError::new(ErrorKind::Other, e.to_string()))?;
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        let instance = self.instance(instance)?;
        let func = instance
            .get_func(&self.store, export)
            .ok_or_else(|| EngineError::no_export("function", export))?;
        let ty = func.ty(&self.store);
        EngineError::check_arity(export, ty.params().len(), args.len())?;
        let args = args
            .iter()
            .zip(ty.params())
            .map(|(v, t)| convert::to_wasmi(&mut self.store, v, *t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        self.call(func, &args, &mut results)?;
        Ok(results
            .iter()
            .map(|v| convert::from_wasmi(&self.store, v))
            .collect())
    }

    fn get_global(&mut self, instance: InstanceId, export: &str) -> Result<Value, EngineError> {
        let instance = self.instance(instance)?;
        let global = instance
            .get_global(&self.store, export)
            .ok_or_else(|| EngineError::no_export("global", export))?;
        Ok(convert::from_wasmi(&self.store, &global.get(&self.store)))
    }

    fn read_memory(
        &mut self,
        instance: InstanceId,
        export: &str,
        offset: u64,
        length: u64,
    ) -> Result<(Vec<u8>, u64), EngineError> {
        let instance = self.instance(instance)?;
        let memory = instance.get_memory(&self.store, export).ok_or_else(|| {
            EngineError::new(ErrorKind::Other, format!("no exported memory \"{export}\""))
        })?;
        Ok(super::read_clipped(
            memory.data(&self.store),
            offset,
            length,
        ))
    }

    fn share(&mut self, _: InstanceId) -> Result<super::SharedInstance, EngineError> {
        Err(EngineError::new(
            ErrorKind::Unsupported,
            "wasmi has no shared memories (threads proposal), so no instance can be shared \
             between threads",
        ))
    }
}
