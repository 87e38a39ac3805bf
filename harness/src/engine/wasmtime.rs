//! The [`wasmtime`] adapter (cargo feature `wasmtime`): Bytecode Alliance's
//! optimising engine, compiled by Cranelift, in process.
//!
//! Compiling is most of its cost on spec scripts (hundreds of small
//! modules), so Cranelift runs without optimisations and without its own
//! thread pool (the crate's `parallel-compilation` feature is off: files
//! already run in parallel), and one `wasmtime::Engine`
//! per feature set is shared by every store, rather than built per file.
//! Timeouts use epoch interruption: a ticker thread advances every shared
//! engine's epoch, and each store checks the harness's interrupt flag at
//! each tick.

mod convert;
mod errors;
mod features;
mod limiter;
mod spectest;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread;
use std::time::Duration;

use wasmtime::{Config, OptLevel, UpdateDeadline, Val};

use super::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, Value, WasmFeatures,
};
use errors::{classify_compile, classify_run};
use limiter::Host;

/// How often the ticker advances the engines' epochs, i.e. how late after
/// the interrupt flag goes up a running call notices it.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Native stack wasm may use per call, per unit of [`Limits::max_call_depth`].
/// wasmtime bounds the stack in bytes, not frames; at 512 bytes a frame the
/// default depth (10,000) gives 5 MiB, well inside the harness's worker stack.
const STACK_BYTES_PER_FRAME: usize = 512;

/// wasmtime as a harness engine.
pub struct WasmtimeEngine {
    /// One compiled-code engine per (features, stack size), shared by stores.
    engines: Mutex<HashMap<(u64, usize), Result<wasmtime::Engine, String>>>,
    /// The engines the ticker advances; it stops once this is dropped.
    ticking: Arc<Mutex<Vec<wasmtime::Engine>>>,
}

impl Default for WasmtimeEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl WasmtimeEngine {
    pub fn new() -> Self {
        let ticking = Arc::new(Mutex::new(Vec::new()));
        start_ticker(Arc::downgrade(&ticking));
        WasmtimeEngine {
            engines: Mutex::new(HashMap::new()),
            ticking,
        }
    }

    /// The shared engine for `features`, built on first use.
    fn engine(&self, features: &WasmFeatures, limits: &Limits) -> Result<wasmtime::Engine, String> {
        let stack = (limits.max_call_depth as usize).saturating_mul(STACK_BYTES_PER_FRAME);
        let key = (features.bits(), stack);
        let mut engines = self.engines.lock().unwrap_or_else(|p| p.into_inner());
        engines
            .entry(key)
            .or_insert_with(|| {
                let engine = wasmtime::Engine::new(&config(features, stack))
                    .map_err(|e| format!("wasmtime cannot run with these features: {e:#}"))?;
                self.ticking
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(engine.clone());
                Ok(engine)
            })
            .clone()
    }
}

/// wasmtime's configuration for a script's features.
fn config(features: &WasmFeatures, max_wasm_stack: usize) -> Config {
    let mut c = Config::new();
    c.wasm_features(wasmtime::WasmFeatures::all(), false)
        .wasm_features(features::to_wasmtime(features), true)
        .cranelift_opt_level(OptLevel::None)
        // Off by default in wasmtime even with the threads proposal on.
        .shared_memory(features.threads())
        .epoch_interruption(true)
        .max_wasm_stack(max_wasm_stack)
        // Only fibers (async calls, which the adapter does not make) use
        // this stack, but wasmtime requires it to hold `max_wasm_stack`.
        .async_stack_size(max_wasm_stack + (64 << 10))
        // Traps need their kind, not a symbolicated backtrace.
        .wasm_backtrace_max_frames(None);
    c
}

/// Advances every engine in `ticking` each [`EPOCH_TICK`] while it lives.
fn start_ticker(ticking: Weak<Mutex<Vec<wasmtime::Engine>>>) {
    thread::Builder::new()
        .name("touchstone-wasmtime-epoch".into())
        .spawn(move || {
            while let Some(engines) = ticking.upgrade() {
                for e in engines.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                    e.increment_epoch();
                }
                drop(engines);
                thread::sleep(EPOCH_TICK);
            }
        })
        .expect("spawning the epoch ticker");
}

impl Engine for WasmtimeEngine {
    fn name(&self) -> &'static str {
        "wasmtime"
    }

    /// Wasm 3.0 and the later proposals this build of wasmtime runs
    /// (checked by a test that builds an engine with all of them on).
    /// Not threads (which wasmparser counts in Wasm 3.0), though `touchstone
    /// test` runs them: the fuzzer compares final memories, and the adapter
    /// cannot read a shared one.
    fn features(&self) -> WasmFeatures {
        (WasmFeatures::WASM3 | WasmFeatures::WIDE_ARITHMETIC | WasmFeatures::CUSTOM_PAGE_SIZES)
            - WasmFeatures::THREADS
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        match self.engine(features, limits) {
            Ok(engine) => Box::new(WasmtimeSession::new(
                &engine,
                features,
                limits,
                self.ticking.clone(),
            )),
            Err(why) => Box::new(Unavailable(why)),
        }
    }
}

struct WasmtimeSession {
    store: wasmtime::Store<Host>,
    linker: wasmtime::Linker<Host>,
    modules: Vec<wasmtime::Module>,
    instances: Vec<wasmtime::Instance>,
    /// Why `spectest` could not be set up, reported by every instantiation.
    setup_error: Option<String>,
    /// Flags of the script's features wasmtime does not know, named in
    /// compile errors.
    unknown_features: Vec<&'static str>,
    /// Keeps the epoch ticker running while the store lives, even if the
    /// `WasmtimeEngine` that made it is gone: without ticks, nothing
    /// would interrupt a runaway call.
    _ticking: Arc<Mutex<Vec<wasmtime::Engine>>>,
}

impl WasmtimeSession {
    fn new(
        engine: &wasmtime::Engine,
        features: &WasmFeatures,
        limits: &Limits,
        ticking: Arc<Mutex<Vec<wasmtime::Engine>>>,
    ) -> Self {
        let mut store = wasmtime::Store::new(engine, Host::new(limits));
        let mut linker = wasmtime::Linker::new(engine);
        // Scripts may register several instances under one name.
        linker.allow_shadowing(true);
        let setup_error = spectest::define(&mut linker, &mut store)
            .err()
            .map(|e| format!("{e:#}"));
        // Installed after `spectest` exists: the budget is for what the
        // script's own modules allocate.
        store.limiter(|host| host as &mut dyn wasmtime::ResourceLimiter);
        let interrupt = limits.interrupt.clone();
        store.epoch_deadline_callback(move |_| Ok(deadline(&interrupt)));
        WasmtimeSession {
            store,
            linker,
            modules: Vec::new(),
            instances: Vec::new(),
            setup_error,
            unknown_features: features::unknown_to_wasmtime(features),
            _ticking: ticking,
        }
    }

    fn instance(&self, id: InstanceId) -> Result<wasmtime::Instance, EngineError> {
        self.instances
            .get(id.0)
            .copied()
            .ok_or_else(|| EngineError::new(ErrorKind::Other, format!("no instance {}", id.0)))
    }

    /// Arms the epoch deadline before running wasm: the next tick checks
    /// the interrupt flag.
    fn arm(&mut self) {
        self.store.set_epoch_deadline(1);
    }

    /// Drops an uncaught exception left pending in the store by a failed
    /// call, so the next call starts clean.
    fn clear_exception(&mut self, e: &wasmtime::Error) {
        if e.is::<wasmtime::ThrownException>() {
            let _ = self.store.take_pending_exception();
        }
    }
}

/// What to do at an epoch tick: stop if the harness's time is up.
fn deadline(interrupt: &AtomicBool) -> UpdateDeadline {
    if interrupt.load(Ordering::Relaxed) {
        UpdateDeadline::Interrupt
    } else {
        UpdateDeadline::Continue(1)
    }
}

impl Session for WasmtimeSession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = wasmtime::Module::new(self.store.engine(), wasm).map_err(|e| {
            let mut err = classify_compile(&e);
            if !self.unknown_features.is_empty() {
                err.message += &format!(
                    " (features wasmtime does not know: {})",
                    self.unknown_features.join(", ")
                );
            }
            err
        })?;
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
        self.arm();
        match self.linker.instantiate(&mut self.store, &module) {
            Ok(instance) => {
                self.instances.push(instance);
                Ok(InstanceId(self.instances.len() - 1))
            }
            Err(e) => {
                self.clear_exception(&e);
                Err(classify_run(&e, true))
            }
        }
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
        let instance = self.instance(instance)?;
        self.linker
            .instance(&mut self.store, name, instance)
            .map_err(|e| EngineError::new(ErrorKind::Other, format!("{e:#}")))?;
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
            .get_func(&mut self.store, export)
            .ok_or_else(|| EngineError::no_export("function", export))?;
        let ty = func.ty(&self.store);
        EngineError::check_arity(export, ty.params().len(), args.len())?;
        let args = args
            .iter()
            .zip(ty.params())
            .map(|(v, t)| convert::to_wasmtime(&mut self.store, v, &t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut results = vec![Val::I32(0); ty.results().len()];
        self.arm();
        if let Err(e) = func.call(&mut self.store, &args, &mut results) {
            self.clear_exception(&e);
            return Err(classify_run(&e, false));
        }
        Ok(results
            .iter()
            .map(|v| convert::from_wasmtime(&mut self.store, v))
            .collect())
    }

    fn get_global(&mut self, instance: InstanceId, export: &str) -> Result<Value, EngineError> {
        let instance = self.instance(instance)?;
        let global = instance
            .get_global(&mut self.store, export)
            .ok_or_else(|| EngineError::no_export("global", export))?;
        let value = global.get(&mut self.store);
        Ok(convert::from_wasmtime(&mut self.store, &value))
    }

    fn read_memory(
        &mut self,
        instance: InstanceId,
        export: &str,
        offset: u64,
        length: u64,
    ) -> Result<(Vec<u8>, u64), EngineError> {
        let instance = self.instance(instance)?;
        let Some(memory) = instance.get_memory(&mut self.store, export) else {
            // Bytes of a shared memory are only reachable as `UnsafeCell`s
            // (other threads may write them): not read, rather than `unsafe`.
            let what = if instance
                .get_shared_memory(&mut self.store, export)
                .is_some()
            {
                "the adapter does not read shared memories"
            } else {
                "no exported memory"
            };
            return Err(EngineError::new(
                ErrorKind::Unsupported,
                format!("{what} \"{export}\""),
            ));
        };
        Ok(super::read_clipped(
            memory.data(&self.store),
            offset,
            length,
        ))
    }
}

/// A store for a feature set wasmtime refuses: every module is unsupported.
struct Unavailable(String);

impl Unavailable {
    fn error<T>(&self) -> Result<T, EngineError> {
        Err(EngineError::new(ErrorKind::Unsupported, self.0.clone()))
    }
}

impl Session for Unavailable {
    fn compile(&mut self, _wasm: &[u8]) -> Result<ModuleId, EngineError> {
        self.error()
    }

    fn instantiate(&mut self, _module: ModuleId) -> Result<InstanceId, EngineError> {
        self.error()
    }

    fn register(&mut self, _name: &str, _instance: InstanceId) -> Result<(), EngineError> {
        self.error()
    }

    fn invoke(&mut self, _: InstanceId, _: &str, _: &[Value]) -> Result<Vec<Value>, EngineError> {
        self.error()
    }

    fn get_global(&mut self, _: InstanceId, _: &str) -> Result<Value, EngineError> {
        self.error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store of an engine dropped at once: the store alone must keep
    /// everything it needs (the epoch ticker) alive.
    fn instance(limits: &Limits, wat: &str) -> (Box<dyn Session>, InstanceId) {
        let mut s = WasmtimeEngine::new().new_session(&WasmFeatures::WASM3, limits);
        let m = s.compile(&wat::parse_str(wat).unwrap()).unwrap();
        let i = s.instantiate(m).unwrap();
        (s, i)
    }

    #[test]
    fn a_raised_interrupt_flag_stops_an_endless_loop() {
        let limits = Limits::default();
        let (mut s, i) = instance(&limits, r#"(module (func (export "spin") (loop (br 0))))"#);
        let flag = limits.interrupt.clone();
        let raiser = thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            flag.store(true, Ordering::SeqCst);
        });
        let e = s.invoke(i, "spin", &[]).unwrap_err();
        raiser.join().unwrap();
        assert_eq!(e.kind, ErrorKind::Interrupted, "{e}");
    }

    #[test]
    fn growth_beyond_the_store_budget_fails_softly() {
        let limits = Limits {
            max_memory_bytes: 3 * 65536,
            ..Limits::default()
        };
        let (mut s, i) = instance(
            &limits,
            r#"(module (memory 2) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
        );
        assert_eq!(
            s.invoke(i, "grow", &[Value::I32(1)]).unwrap(),
            [Value::I32(2)]
        );
        assert_eq!(
            s.invoke(i, "grow", &[Value::I32(1)]).unwrap(),
            [Value::I32(-1)]
        );
    }

    /// Runs `f` with the native stack the harness gives engines: the
    /// default `max_wasm_stack` is more than a test thread's 2 MiB.
    fn on_worker_stack(f: impl FnOnce() + Send + 'static) {
        thread::Builder::new()
            .stack_size(crate::engine::WORKER_STACK)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn failures_are_sorted_into_kinds() {
        on_worker_stack(failures_are_sorted_into_kinds_here);
    }

    fn failures_are_sorted_into_kinds_here() {
        let limits = Limits::default();
        let (mut s, i) = instance(
            &limits,
            r#"(module
                 (tag $t)
                 (func (export "trap") unreachable)
                 (func $deep (export "deep") (call $deep))
                 (func (export "throw") (throw $t)))"#,
        );
        let kind = |s: &mut Box<dyn Session>, f: &str| s.invoke(i, f, &[]).unwrap_err().kind;
        assert_eq!(kind(&mut s, "trap"), ErrorKind::Trap);
        assert_eq!(kind(&mut s, "deep"), ErrorKind::Exhaustion);
        assert_eq!(kind(&mut s, "throw"), ErrorKind::Exception);
        // The store still works after an escaped exception.
        assert_eq!(kind(&mut s, "trap"), ErrorKind::Trap);
        let bad = s.compile(b"\0asm\x01\0\0\0\x01").unwrap_err();
        assert_eq!(bad.kind, ErrorKind::Invalid);
        let unlinkable =
            wat::parse_str(r#"(module (import "spectest" "print_i32" (func (result i32))))"#)
                .unwrap();
        let m = s.compile(&unlinkable).unwrap();
        assert_eq!(s.instantiate(m).unwrap_err().kind, ErrorKind::Link);
        let missing = wat::parse_str(r#"(module (import "nowhere" "f" (func)))"#).unwrap();
        let m = s.compile(&missing).unwrap();
        assert_eq!(s.instantiate(m).unwrap_err().kind, ErrorKind::Link);
    }

    #[test]
    fn memories_are_read_clipped_to_their_size() {
        let limits = Limits::default();
        let (mut s, i) = instance(
            &limits,
            r#"(module (memory (export "m") 1) (data (i32.const 65534) "\01\02")
                 (global (export "g") i32 (i32.const 7)))"#,
        );
        let (bytes, size) = s.read_memory(i, "m", 65533, 10).unwrap();
        assert_eq!((bytes, size), (vec![0, 1, 2], 65536));
        let (past, _) = s.read_memory(i, "m", 1 << 20, 4).unwrap();
        assert!(past.is_empty());
        assert_eq!(s.get_global(i, "g").unwrap(), Value::I32(7));
        assert_eq!(
            s.read_memory(i, "g", 0, 1).unwrap_err().kind,
            ErrorKind::Unsupported
        );
    }

    #[test]
    fn every_feature_it_claims_builds_an_engine() {
        let engine = WasmtimeEngine::new();
        let mut s = engine.new_session(&engine.features(), &Limits::default());
        let wat = r#"(module (memory i64 1) (memory 1 (pagesize 1))
            (type $s (struct (field i32))) (tag)
            (func (param i64 i64) (result i64 i64)
              (i64.add128 (local.get 0) (local.get 1) (local.get 0) (local.get 1))))"#;
        let m = s.compile(&wat::parse_str(wat).unwrap());
        assert!(m.is_ok(), "{:?}", m.err());
    }

    #[test]
    fn a_feature_set_wasmtime_refuses_makes_modules_unsupported() {
        let features = WasmFeatures::WASM3 | WasmFeatures::LEGACY_EXCEPTIONS;
        let mut s = WasmtimeEngine::new().new_session(&features, &Limits::default());
        let e = s.compile(&wat::parse_str("(module)").unwrap()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
    }
}
