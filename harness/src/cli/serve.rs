//! `touchstone serve`: a built-in engine behind the engine protocol
//! (`docs/engine-protocol.md`), on stdin/stdout. It is the protocol's
//! reference implementation, the worker process of `--isolate`, and (with
//! the hidden `--fault`) the misbehaving engine the containment tests use.

mod fault;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;

use crate::engine::external::wire::{
    self, Hello, Request, Response, WireError, WireValue, PROTOCOL_VERSION,
};
use crate::engine::{
    registry, Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Store, Value,
};
use fault::Fault;

/// Options of `touchstone serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The built-in engine to serve.
    #[arg(long, default_value = "touchstone")]
    pub engine: String,

    /// Misbehave on purpose when an export whose name starts with `fault`
    /// is invoked: crash, hang, garbage, exit, noise, bad-answer (for
    /// testing the harness's containment; also read from
    /// `TOUCHSTONE_SERVE_FAULT`).
    #[arg(long, hide = true)]
    pub fault: Option<String>,
}

pub fn main(args: &ServeArgs) -> ExitCode {
    let Some(engine) = registry::create(&args.engine) else {
        eprintln!(
            "touchstone serve: unknown engine `{}`; this build has: {}",
            args.engine,
            registry::names().join(", ")
        );
        return ExitCode::from(2);
    };
    let fault = match args
        .fault
        .clone()
        .or_else(|| std::env::var("TOUCHSTONE_SERVE_FAULT").ok())
        .map(|f| f.parse::<Fault>())
        .transpose()
    {
        Ok(f) => f,
        Err(e) => {
            eprintln!("touchstone serve: {e}");
            return ExitCode::from(2);
        }
    };
    // Engines recurse on the native stack: give them what the in-process
    // run's workers get, so outcomes are the same.
    let worker = std::thread::Builder::new()
        .name("touchstone-serve".into())
        .stack_size(crate::scheduler::WORKER_STACK)
        .spawn(move || serve(engine, fault));
    match worker.map(|w| w.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(e))) => {
            eprintln!("touchstone serve: {e}");
            ExitCode::FAILURE
        }
        // The panic was printed by the hook; the harness reports a crash.
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("touchstone serve: cannot start: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(engine: Box<dyn Engine>, fault: Option<Fault>) -> std::io::Result<()> {
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut session = Session::new(engine);
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (id, request) = parse(&line);
        if let (Some(fault), Ok(Request::Invoke { export, .. })) = (&fault, &request) {
            if export.starts_with("fault") {
                fault.strike(&mut stdout, id)?;
            }
        }
        let response = match request {
            Ok(request) => session.handle(request),
            Err(e) => Err(e),
        };
        let response = match response {
            Ok(ok) => Response {
                id,
                ok: Some(ok),
                error: None,
            },
            Err(e) => Response {
                id,
                ok: None,
                error: Some(WireError::from(&e)),
            },
        };
        let mut text = serde_json::to_string(&response).expect("responses serialise");
        text.push('\n');
        stdout.write_all(text.as_bytes())?;
        stdout.flush()?;
    }
    Ok(())
}

/// The request's id and the request, or why it is not one.
fn parse(line: &str) -> (u64, Result<Request, EngineError>) {
    let json: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return (0, Err(other(format!("not JSON: {e}")))),
    };
    let id = json.get("id").and_then(|v| v.as_u64()).unwrap_or(0);
    let request = serde_json::from_value::<Request>(json).map_err(|e| {
        EngineError::new(
            ErrorKind::Unsupported,
            format!("unknown or malformed request: {e}"),
        )
    });
    (id, request)
}

/// The engine's state between requests: the current store and the
/// harness's module and instance ids.
struct Session {
    engine: Box<dyn Engine>,
    store: Option<Box<dyn Store>>,
    modules: HashMap<usize, ModuleId>,
    instances: HashMap<usize, InstanceId>,
}

impl Session {
    fn new(engine: Box<dyn Engine>) -> Session {
        Session {
            engine,
            store: None,
            modules: HashMap::new(),
            instances: HashMap::new(),
        }
    }

    fn handle(&mut self, request: Request) -> Result<serde_json::Value, EngineError> {
        use serde_json::json;
        match request {
            Request::Hello { .. } => {
                let hello = Hello {
                    name: self.engine.name().to_string(),
                    version: env!("CARGO_PKG_VERSION").to_string(),
                    protocol: PROTOCOL_VERSION,
                    features: wire::feature_names(&supported_features(self.engine.name())),
                    capabilities: capabilities(self.engine.name()),
                };
                Ok(serde_json::to_value(hello).expect("hello serialises"))
            }
            Request::NewStore { features, limits } => {
                let (features, unknown) = wire::features_from_names(&features);
                if !unknown.is_empty() {
                    eprintln!("touchstone serve: ignoring unknown features {unknown:?}");
                }
                let limits = Limits {
                    max_memory_bytes: limits.max_memory_bytes,
                    max_table_elements: limits.max_table_elements,
                    max_call_depth: limits.max_call_depth,
                    // The harness bounds time by killing this process.
                    ..Limits::default()
                };
                // Drop the old store first: its memory is no longer needed.
                self.store = None;
                self.store = Some(self.engine.new_store(&features, &limits));
                self.modules.clear();
                self.instances.clear();
                Ok(json!({}))
            }
            Request::Compile { module, wasm } => {
                let bytes = wire::decode_bytes(&wasm).map_err(other)?;
                let id = self.store()?.compile(&bytes)?;
                self.modules.insert(module, id);
                Ok(json!({}))
            }
            Request::Instantiate { module, instance } => {
                let module = *self
                    .modules
                    .get(&module)
                    .ok_or_else(|| other("no such module"))?;
                let id = self.store()?.instantiate(module)?;
                self.instances.insert(instance, id);
                Ok(json!({}))
            }
            Request::Register { name, instance } => {
                let instance = self.instance(instance)?;
                self.store()?.register(&name, instance)?;
                Ok(json!({}))
            }
            Request::Invoke {
                instance,
                export,
                args,
            } => {
                let instance = self.instance(instance)?;
                let args = args
                    .iter()
                    .map(Value::try_from)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(other)?;
                let results = self.store()?.invoke(instance, &export, &args)?;
                let results: Vec<WireValue> = results.iter().map(WireValue::from).collect();
                Ok(json!({ "results": results }))
            }
            Request::GetGlobal { instance, export } => {
                let instance = self.instance(instance)?;
                let value = self.store()?.get_global(instance, &export)?;
                Ok(json!({ "value": WireValue::from(&value) }))
            }
            Request::ReadMemory {
                instance,
                export,
                offset,
                length,
            } => {
                let instance = self.instance(instance)?;
                let (bytes, size) = self
                    .store()?
                    .read_memory(instance, &export, offset, length)?;
                Ok(json!({ "bytes": wire::encode_bytes(&bytes), "size": size }))
            }
        }
    }

    fn store(&mut self) -> Result<&mut Box<dyn Store>, EngineError> {
        self.store
            .as_mut()
            .ok_or_else(|| other("no store: send `new_store` first"))
    }

    fn instance(&self, id: usize) -> Result<InstanceId, EngineError> {
        self.instances
            .get(&id)
            .copied()
            .ok_or_else(|| other(format!("no instance {id}")))
    }
}

/// What the served engine implements, for the handshake.
fn supported_features(engine: &str) -> wasmparser::WasmFeatures {
    match engine {
        "touchstone" => touchstone_engine::default_features(),
        _ => wasmparser::WasmFeatures::default(),
    }
}

/// The optional operations the served engine implements.
fn capabilities(engine: &str) -> Vec<String> {
    match engine {
        "touchstone" => vec![wire::CAPABILITY_MEMORY.to_string()],
        _ => Vec::new(),
    }
}

fn other(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorKind::Other, message)
}
