//! `touchstone serve`: a built-in engine behind the engine protocol
//! (`docs/engine-protocol.md`), on stdin/stdout. It is the protocol's
//! reference implementation, the worker process of `--isolate`, and (with
//! the hidden `--fault`) the misbehaving engine the containment tests use.

mod fault;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};

use crate::engine::external::wire::{
    self, Hello, Request, Response, WireError, WireValue, PROTOCOL_VERSION,
};
use crate::engine::{
    registry, Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session,
    SharedInstance, Value, WasmFeatures,
};
use fault::Trigger;

/// Options of `touchstone serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The built-in engine to serve.
    #[arg(long, default_value = "touchstone")]
    pub engine: String,

    /// Misbehave on purpose when an export whose name starts with `fault`
    /// is invoked: crash, hang, garbage, exit, noise, bad-answer (for
    /// testing the harness's containment; also read from
    /// `TOUCHSTONE_SERVE_FAULT`); `MODE@module=HEX`: when the module whose
    /// FNV-1a digest is HEX is compiled instead.
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
        .map(|f| f.parse::<Trigger>())
        .transpose()
    {
        Ok(f) => f,
        Err(e) => {
            eprintln!("touchstone serve: {e}");
            return ExitCode::from(2);
        }
    };
    report_panics_briefly(engine.name());
    // Engines recurse on the native stack: give them what the in-process
    // run's workers get, so outcomes are the same.
    let worker = std::thread::Builder::new()
        .name("touchstone-serve".into())
        .stack_size(crate::engine::WORKER_STACK)
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

/// One line per panic, with the engine, the place and the message, so the
/// tail of stderr that the harness reports names where the engine failed.
/// A panic inside a function that cannot unwind panics again (in `core`)
/// and prints a backtrace: the first panic's line is repeated after the
/// second's, so the tail ends with the place that matters. With
/// `RUST_BACKTRACE` set, the default hook's output comes first.
fn report_panics_briefly(engine: &'static str) {
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some();
    let default = std::panic::take_hook();
    let first = std::sync::OnceLock::<String>::new();
    std::panic::set_hook(Box::new(move |info| {
        if backtrace {
            default(info);
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let message = info.payload_as_str().unwrap_or("(a non-text payload)");
        let line = format!("touchstone serve: {engine} panicked{place}: {message}");
        eprintln!("{line}");
        if let Err(line) = first.set(line) {
            if let Some(first) = first.get() {
                eprintln!("{first} (the first panic)");
            }
            drop(line);
        }
    }));
}

fn serve(engine: Box<dyn Engine>, fault: Option<Trigger>) -> std::io::Result<()> {
    let threads = Arc::new(Threads::new(Arc::from(engine), fault));
    let mut server = Server::new(threads.clone());
    let mut input = Input::Direct(BufReader::new(std::io::stdin()).lines());
    loop {
        let next = match &mut input {
            Input::Direct(lines) => match lines.next() {
                Some(line) => parse(&line?),
                None => break,
            },
            Input::Routed(requests) => match requests.recv() {
                Ok(next) => Some(next),
                Err(_) => break,
            },
            Input::Closed => break,
        };
        let Some(next) = next else { continue };
        if let Some(thread) = next.thread {
            threads.dispatch(thread, next);
            continue;
        }
        let shares = matches!(next.request, Ok(Request::Share { .. }));
        let id = next.id;
        let response = server.answer(next)?;
        write_response(&mut std::io::stdout().lock(), id, response)?;
        // Once instances are shared, a thread's requests must be read while
        // this store's call runs (it may wait for that thread): stdin moves
        // to a reader thread that routes each request to its store.
        if shares {
            if let Input::Direct(_) = input {
                let Input::Direct(lines) = std::mem::replace(&mut input, Input::Closed) else {
                    unreachable!("matched above")
                };
                input = Input::Routed(threads.clone().route(lines)?);
            }
        }
    }
    Ok(())
}

/// Where the file's store gets its requests.
enum Input {
    /// Read here: no thread stores.
    Direct(std::io::Lines<BufReader<std::io::Stdin>>),
    /// From the reader thread, which hands thread stores theirs.
    Routed(mpsc::Receiver<Parsed>),
    Closed,
}

/// A request line: its id, the thread store it is for, the request.
struct Parsed {
    id: u64,
    thread: Option<u64>,
    request: Result<Request, EngineError>,
}

/// The request on `line`, or `None` for a blank line.
fn parse(line: &str) -> Option<Parsed> {
    if line.trim().is_empty() {
        return None;
    }
    let json: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return Some(Parsed {
                id: 0,
                thread: None,
                request: Err(other(format!("not JSON: {e}"))),
            })
        }
    };
    let id = json.get("id").and_then(|v| v.as_u64()).unwrap_or(0);
    let thread = json.get("thread").and_then(|v| v.as_u64());
    let request = serde_json::from_value::<Request>(json).map_err(|e| {
        EngineError::new(
            ErrorKind::Unsupported,
            format!("unknown or malformed request: {e}"),
        )
    });
    Some(Parsed {
        id,
        thread,
        request,
    })
}

fn write_response(
    out: &mut impl Write,
    id: u64,
    response: Result<serde_json::Value, EngineError>,
) -> std::io::Result<()> {
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
    // One write per line, under the lock: lines of several stores never mix.
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// What the stores of one process share: the engine, the file's store
/// settings, the instances shared so far, and the thread stores (each on
/// its own OS thread, fed through a channel).
struct Threads {
    engine: Arc<dyn Engine>,
    fault: Option<Trigger>,
    settings: Mutex<Option<(WasmFeatures, Limits)>>,
    shared: Mutex<HashMap<usize, SharedInstance>>,
    workers: Mutex<HashMap<u64, mpsc::Sender<Parsed>>>,
}

impl Threads {
    fn new(engine: Arc<dyn Engine>, fault: Option<Trigger>) -> Threads {
        Threads {
            engine,
            fault,
            settings: Mutex::default(),
            shared: Mutex::default(),
            workers: Mutex::default(),
        }
    }

    /// A new file: forget the previous file's threads and shared instances.
    fn reset(&self, features: WasmFeatures, limits: Limits) {
        *lock(&self.settings) = Some((features, limits));
        lock(&self.shared).clear();
        // Dropping the senders ends idle workers.
        lock(&self.workers).clear();
    }

    /// Reads stdin on a thread of its own from now on: requests of the
    /// file's store come out of the returned channel, thread stores' go to
    /// their workers.
    fn route(
        self: Arc<Self>,
        lines: std::io::Lines<BufReader<std::io::Stdin>>,
    ) -> std::io::Result<mpsc::Receiver<Parsed>> {
        let (to_main, from_reader) = mpsc::channel();
        std::thread::Builder::new()
            .name("touchstone-serve-stdin".into())
            .spawn(move || {
                for line in lines {
                    let Ok(line) = line else { break };
                    let Some(next) = parse(&line) else { continue };
                    match next.thread {
                        Some(thread) => self.dispatch(thread, next),
                        None if to_main.send(next).is_err() => break,
                        None => {}
                    }
                }
            })?;
        Ok(from_reader)
    }

    /// Hands a request to thread store `thread`'s worker, starting it if new.
    fn dispatch(self: &Arc<Self>, thread: u64, next: Parsed) {
        let id = next.id;
        let sent = {
            let mut workers = lock(&self.workers);
            let worker = match workers.get(&thread) {
                Some(w) => Ok(w.clone()),
                None => self.clone().start_worker(thread).inspect(|w| {
                    workers.insert(thread, w.clone());
                }),
            };
            worker.and_then(|w| w.send(next).map_err(|_| "its store has ended".to_string()))
        };
        if let Err(why) = sent {
            let e = other(format!("thread {thread}: {why}"));
            let _ = write_response(&mut std::io::stdout().lock(), id, Err(e));
        }
    }

    fn start_worker(self: Arc<Self>, thread: u64) -> Result<mpsc::Sender<Parsed>, String> {
        let (tx, rx) = mpsc::channel::<Parsed>();
        let body = move || {
            let mut server = Server::new(self.clone());
            if let Some((features, limits)) = lock(&self.settings).clone() {
                server.store = Some(self.engine.new_session(&features, &limits));
            }
            for next in rx {
                let id = next.id;
                let ends = matches!(next.request, Ok(Request::EndThread {}));
                let answered =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.answer(next)));
                let response = match answered {
                    Ok(Ok(response)) => response,
                    // The panic hook printed it; the harness sees a crash, as
                    // when the file's store panics.
                    Ok(Err(_)) | Err(_) => std::process::exit(101),
                };
                if write_response(&mut std::io::stdout().lock(), id, response).is_err() {
                    std::process::exit(1);
                }
                if ends {
                    break;
                }
            }
        };
        std::thread::Builder::new()
            .name(format!("touchstone-serve-thread-{thread}"))
            .stack_size(crate::engine::WORKER_STACK)
            .spawn(body)
            .map(|_| tx)
            .map_err(|e| format!("cannot start an OS thread: {e}"))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One store's state between requests (the file's, or a thread's): the
/// store and the harness's module and instance ids.
struct Server {
    threads: Arc<Threads>,
    store: Option<Box<dyn Session>>,
    modules: HashMap<usize, ModuleId>,
    instances: HashMap<usize, InstanceId>,
}

impl Server {
    fn new(threads: Arc<Threads>) -> Server {
        Server {
            threads,
            store: None,
            modules: HashMap::new(),
            instances: HashMap::new(),
        }
    }

    /// The answer to a request, after the fault (if any) strikes.
    fn answer(&mut self, next: Parsed) -> std::io::Result<Result<serde_json::Value, EngineError>> {
        if let (Some(trigger), Ok(request)) = (&self.threads.fault, &next.request) {
            if trigger.strikes(request) {
                trigger
                    .fault
                    .strike(&mut std::io::stdout().lock(), next.id)?;
            }
        }
        Ok(next.request.and_then(|r| self.handle(r)))
    }

    fn handle(&mut self, request: Request) -> Result<serde_json::Value, EngineError> {
        use serde_json::json;
        let engine = &self.threads.engine;
        match request {
            Request::Hello { .. } => {
                let hello = Hello {
                    name: engine.name().to_string(),
                    version: env!("CARGO_PKG_VERSION").to_string(),
                    protocol: PROTOCOL_VERSION,
                    features: wire::feature_names(&engine.features()),
                    capabilities: capabilities(engine.name()),
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
                self.threads.reset(features, limits.clone());
                self.store = Some(engine.new_session(&features, &limits));
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
            Request::Share { instance } => {
                let local = self.instance(instance)?;
                let shared = self.store()?.share(local)?;
                lock(&self.threads.shared).insert(instance, shared);
                Ok(json!({}))
            }
            Request::Adopt { instance } => {
                let shared = lock(&self.threads.shared)
                    .get(&instance)
                    .cloned()
                    .ok_or_else(|| other(format!("instance {instance} is not shared")))?;
                let local = self.store()?.adopt(&shared)?;
                self.instances.insert(instance, local);
                Ok(json!({}))
            }
            Request::EndThread {} => Ok(json!({})),
        }
    }

    fn store(&mut self) -> Result<&mut Box<dyn Session>, EngineError> {
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

/// The optional operations the served engine implements. Every built-in
/// engine reads memories (`touchstone fuzz` compares them through worker
/// processes); an engine added with `registry::add` that cannot answers
/// `unsupported`, as the harness would without the capability.
fn capabilities(engine: &str) -> Vec<String> {
    let mut offered = vec![wire::CAPABILITY_MEMORY.to_string()];
    if engine == "touchstone" {
        offered.push(wire::CAPABILITY_THREADS.to_string());
    }
    offered
}

fn other(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorKind::Other, message)
}
