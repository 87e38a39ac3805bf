//! The engine seam: the one trait through which the harness drives any engine.
//!
//! Its stages follow the WebAssembly JS API (`WebAssembly.compile`,
//! `new WebAssembly.Instance`, calling an export, reading an exported
//! global), plus what `.wast` scripts need on top: registering an instance
//! under a name for later imports, and the `spectest` host module.
//!
//! Values cross the seam in an engine-neutral form ([`Value`]), so the
//! script runner can compare results from any engine the same way.
//!
//! # Bringing your own engine
//!
//! * **From Rust**: implement [`Engine`] and [`Session`] for your engine,
//!   [`registry::add`] it, and call [`crate::cli::main`]: your binary is a
//!   `touchstone` that knows `--engine yours` (reports, baselines,
//!   `--isolate` and all). For `cargo test` trials, run
//!   [`crate::script_runner::run_script`] per script and check it against a
//!   [`crate::report::baseline::Baseline`]. The crate `examples/toy-engine`
//!   does both for a toy engine.
//! * **From any language**: speak the engine protocol
//!   (`docs/engine-protocol.md`) on stdin/stdout and run
//!   `touchstone test --engine-cmd 'yours=COMMAND'` ([`external`]).
//!
//! A store must never take the process down: report what it cannot do as
//! [`ErrorKind::Unsupported`], honour [`Limits`] (a hostile script must not
//! allocate without bound or recurse past `max_call_depth`), and poll
//! [`Limits::interrupt`] in loops and calls. An engine that cannot promise
//! that runs out of process (`--isolate`, or the protocol).
//!
//! **Threads** (optional capability). A script's `thread` runs on its own OS
//! thread with a fresh store from [`Engine::new_session`] (so the `Engine`
//! is `Send + Sync`, a `Session` need not be `Send`: it lives and dies on its
//! thread). Instances a thread names in `(shared (module $M))` cross over
//! as [`SharedInstance`]: the parent's store makes one with
//! [`Session::share`], the thread's store turns it into an instance of its
//! own with [`Session::adopt`]. Engines without the capability keep the
//! default methods, which say so, and the runner reports such threads as
//! `unsupported` with that reason; threads that share nothing need no
//! capability. External engines map the two calls onto the protocol's
//! `threads` capability.

pub mod adapters;
pub mod budget;
pub mod external;
pub mod registry;
pub mod touchstone;
pub mod v8;
#[cfg(feature = "wasmi")]
pub mod wasmi;
#[cfg(feature = "wasmtime")]
pub mod wasmtime;

use std::any::Any;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use wasmparser::WasmFeatures;

/// Native stack for threads that run engines: engines and the text parser
/// recurse, and deep-but-legal scripts must not overflow it.
pub const WORKER_STACK: usize = 256 << 20;

/// An engine the harness can run scripts on.
pub trait Engine: Send + Sync {
    /// Short, stable name used on the command line and in reports (`touchstone`, `wasmi`).
    fn name(&self) -> &'static str;

    /// Opens a fresh store (the state of one script run: instances,
    /// registrations, the `spectest` module) with the given features enabled
    /// and resource limits in force.
    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session>;

    /// The proposals this engine implements, so `touchstone fuzz` generates
    /// only modules every chosen engine can run. Engines that do not say
    /// are taken to support Wasm 2.0.
    fn features(&self) -> WasmFeatures {
        WasmFeatures::WASM2
    }

    /// The engine's version, for the report (`None`: not known).
    fn version(&self) -> Option<String> {
        None
    }

    /// Flags the engine runs with that change what it does (V8: node's
    /// flags), for the report.
    fn flags(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Resource limits a store must enforce, so a hostile script cannot hang or
/// crash the run.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Upper bound on the bytes of linear memory the store may hold in all.
    /// A `memory.grow` beyond it fails (returns -1) rather than allocating.
    pub max_memory_bytes: u64,
    /// Upper bound on table elements in all, like `max_memory_bytes`.
    pub max_table_elements: u64,
    /// Wasm call depth beyond which a call fails with [`ErrorKind::Exhaustion`].
    pub max_call_depth: u32,
    /// Set by the harness when the file's time is up. Engines poll it at
    /// calls and loop back-edges and stop with [`ErrorKind::Interrupted`].
    pub interrupt: Arc<AtomicBool>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Two 4 GiB memories in one script, and room for the small
            // ones the rest of it declares.
            max_memory_bytes: 10 << 30,
            max_table_elements: 10_000_000,
            max_call_depth: 10_000,
            interrupt: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Handle to a compiled module inside one [`Session`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ModuleId(pub usize);

/// Handle to an instance inside one [`Session`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InstanceId(pub usize);

/// The state of one script run on one engine.
///
/// Imports are resolved by `(module, name)` against the instances
/// registered so far and the built-in `spectest` module.
pub trait Session {
    /// Decodes and validates a binary module (`WebAssembly.compile`).
    /// Errors are [`ErrorKind::Malformed`] or [`ErrorKind::Invalid`].
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError>;

    /// Instantiates a compiled module (`new WebAssembly.Instance`), running
    /// segment initialisation and the start function. Errors are
    /// [`ErrorKind::Link`], or a trap / exhaustion / exception raised while
    /// initialising.
    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError>;

    /// Makes an instance's exports importable under `name`.
    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError>;

    /// Calls an exported function.
    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError>;

    /// Reads an exported global.
    fn get_global(&mut self, instance: InstanceId, export: &str) -> Result<Value, EngineError>;

    /// Reads up to `length` bytes at `offset` of an exported memory
    /// (clipped to its size) and returns them with the memory's current
    /// size in bytes: for comparing engines' state after a call. Engines
    /// that cannot answer [`ErrorKind::Unsupported`] (the default).
    fn read_memory(
        &mut self,
        instance: InstanceId,
        export: &str,
        offset: u64,
        length: u64,
    ) -> Result<(Vec<u8>, u64), EngineError> {
        let _ = (instance, export, offset, length);
        Err(EngineError::new(
            ErrorKind::Unsupported,
            "this engine cannot read memories",
        ))
    }

    /// `threads` capability: makes `instance` visible to stores on other
    /// threads. What crosses is the engine's choice (ours: the shared
    /// memories among its exports; other exports are named as not shareable).
    fn share(&mut self, instance: InstanceId) -> Result<SharedInstance, EngineError> {
        let _ = instance;
        Err(no_threads())
    }

    /// `threads` capability: an instance of this store standing for one that
    /// another store shared, usable like any other (`register`, imports).
    fn adopt(&mut self, shared: &SharedInstance) -> Result<InstanceId, EngineError> {
        let _ = shared;
        Err(no_threads())
    }
}

/// What [`Session::read_memory`] answers for a memory whose bytes are
/// `data`: up to `length` bytes at `offset`, clipped to the memory, and
/// its size in bytes.
pub fn read_clipped(data: &[u8], offset: u64, length: u64) -> (Vec<u8>, u64) {
    let size = data.len() as u64;
    let start = offset.min(size);
    let end = start.saturating_add(length).min(size);
    (data[start as usize..end as usize].to_vec(), size)
}

/// An instance one store shares with stores on other threads: opaque to the
/// harness, made by [`Session::share`] and read by [`Session::adopt`] of the
/// same engine (which downcasts it).
#[derive(Clone)]
pub struct SharedInstance(pub Arc<dyn Any + Send + Sync>);

impl std::fmt::Debug for SharedInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedInstance")
    }
}

fn no_threads() -> EngineError {
    EngineError::new(
        ErrorKind::Unsupported,
        "the engine cannot share instances between threads (no `threads` capability)",
    )
}

/// A WebAssembly value in engine-neutral form. Floats are kept as bits so
/// NaN payloads and signed zeros survive the trip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    /// Little-endian: lane 0 is the lowest bits.
    V128(u128),
    Ref(Ref),
}

/// A reference value, described by what a script can observe about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ref {
    /// A null reference of the given type hierarchy.
    Null(NullKind),
    /// A non-null function reference.
    Func,
    /// `ref.extern N`: an external (host) reference, as passed in by a script.
    Extern(u32),
    /// A non-null extern reference made from a GC value (`extern.convert_any`):
    /// it has no host number, so it prints and matches as a bare `(ref.extern)`.
    ExternGc,
    /// `ref.host N`: a host reference seen from the `any` hierarchy.
    Host(u32),
    /// An `i31ref`, with its (sign-extended) value.
    I31(i32),
    Struct,
    Array,
    /// An exception reference (`exnref`).
    Exn,
    /// Some other non-null reference the engine cannot describe more precisely.
    Opaque,
}

/// The type hierarchy a null reference belongs to. Scripts write `ref.null
/// func` / `nofunc`, `extern` / `noextern`, `any` / `none` (and subtypes),
/// `exn` / `noexn`; in each pair both denote the same null value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullKind {
    Func,
    Extern,
    Any,
    Exn,
    Cont,
}

impl NullKind {
    pub const ALL: [NullKind; 5] = [
        NullKind::Func,
        NullKind::Extern,
        NullKind::Any,
        NullKind::Exn,
        NullKind::Cont,
    ];

    /// The hierarchy's name as scripts write it (`ref.null func`).
    pub fn name(self) -> &'static str {
        match self {
            NullKind::Func => "func",
            NullKind::Extern => "extern",
            NullKind::Any => "any",
            NullKind::Exn => "exn",
            NullKind::Cont => "cont",
        }
    }
}

/// Why an engine operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The binary could not be decoded (`assert_malformed`).
    Malformed,
    /// The module decoded but did not validate (`assert_invalid`).
    Invalid,
    /// Instantiation failed to resolve or type-check an import (`assert_unlinkable`).
    Link,
    /// Execution trapped (`assert_trap`).
    Trap,
    /// The call stack or another resource ran out (`assert_exhaustion`).
    Exhaustion,
    /// An exception escaped to the host (`assert_exception`).
    Exception,
    /// The harness asked the engine to stop (time limit).
    Interrupted,
    /// The engine does not support what was asked (a feature, an opcode).
    Unsupported,
    /// Anything else: a bug in the adapter, an export that is not there.
    Other,
}

/// An engine failure: its kind and the engine's own message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            message: message.into(),
        }
    }
}

/// Failures adapters share: asking for an export that is not there, or
/// calling with the wrong number of arguments.
impl EngineError {
    /// No export `export` of the kind `what` ("function", "global").
    pub fn no_export(what: &str, export: &str) -> Self {
        EngineError::new(ErrorKind::Other, format!("no exported {what} \"{export}\""))
    }

    /// Fails unless a function `export` taking `params` arguments got `args`.
    pub fn check_arity(export: &str, params: usize, args: usize) -> Result<(), EngineError> {
        if params == args {
            return Ok(());
        }
        Err(EngineError::new(
            ErrorKind::Other,
            format!("\"{export}\" takes {params} arguments, got {args}"),
        ))
    }
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for EngineError {}
