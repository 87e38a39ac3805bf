//! Engines in another process, driven through the engine protocol
//! (`docs/engine-protocol.md`): `--engine-cmd NAME=COMMAND`, the Python
//! adapters, and `--isolate`d built-in engines.
//!
//! Containment: a process that crashes, breaks the protocol or exits costs
//! the directive it was serving (outcome `crash`, with the reason and the
//! tail of its stderr) and the rest of that file (`crash`, "not run"); one
//! that runs past the file's time limit is killed (`timeout`). The next
//! file gets a fresh process. Healthy processes are reused from file to
//! file (`new_store` resets them).
//!
//! Threads (capability `threads`): the store of a script's `thread` that
//! adopts a shared instance joins the process of the store that shared it,
//! as a thread store (requests carry its `thread` number); both stores
//! draw module and instance ids from one numbering, so an adopted instance
//! keeps its id. Other threads get a process of their own.
//!
//! A crash reaches the runner as an unwinding (like a panic in an
//! in-process engine), so it must be called inside the runner's guards.

mod lacking;
mod process;
pub mod wire;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use process::Lost;
use process::Process;
use wire::{Hello, Request, WireLimits, WireValue, PROTOCOL_VERSION};

use super::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, SharedInstance, Value,
    WasmFeatures,
};

/// An engine that runs as a child process speaking the protocol.
pub struct ExternalEngine {
    name: &'static str,
    command: Vec<String>,
    /// Processes that finished a file in good health, ready for the next.
    idle: Arc<Mutex<Vec<Process>>>,
    /// The first handshake's answer (name, version, features).
    hello: Arc<OnceLock<Hello>>,
    /// Flags the engine runs with, for the report.
    flags: Vec<String>,
}

impl ExternalEngine {
    /// The engine `name` (as reports show it), started as `command`
    /// (program and arguments).
    pub fn new(name: &str, command: Vec<String>) -> ExternalEngine {
        ExternalEngine {
            // Engine names are `&'static`; a run creates each engine once.
            name: Box::leak(name.to_string().into_boxed_str()),
            command,
            idle: Arc::default(),
            hello: Arc::default(),
            flags: Vec::new(),
        }
    }

    /// Records `flags` (part of `command`) as the engine's settings in reports.
    pub fn with_flags(mut self, flags: Vec<String>) -> ExternalEngine {
        self.flags = flags;
        self
    }

    /// The handshake's answer: the first one of the run, or one asked now
    /// of a process kept for the first file; `None` when the engine does
    /// not start.
    fn hello(&self) -> Option<&Hello> {
        if let Some(hello) = self.hello.get() {
            return Some(hello);
        }
        let interrupt = Arc::new(AtomicBool::new(false));
        let mut process = Process::spawn(&self.command, self.name).ok()?;
        let hello = handshake(&mut process, &interrupt).ok()?;
        self.idle.lock().expect("idle processes").push(process);
        Some(self.hello.get_or_init(|| hello))
    }

    /// An engine from `NAME=COMMAND`, the command split like a shell would
    /// (quotes, no variables or globs).
    pub fn from_spec(spec: &str) -> Result<ExternalEngine, String> {
        let (name, command) = parse_spec(spec)?;
        Ok(ExternalEngine::new(&name, command))
    }

    pub fn command(&self) -> &[String] {
        &self.command
    }
}

/// Splits `NAME=COMMAND`.
pub fn parse_spec(spec: &str) -> Result<(String, Vec<String>), String> {
    let (name, command) = spec
        .split_once('=')
        .ok_or_else(|| format!("`{spec}`: expected NAME=COMMAND"))?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(format!(
            "`{spec}`: the engine name must be letters, digits, `-`, `_` or `.`"
        ));
    }
    let words = shlex::split(command)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| format!("`{spec}`: the command is empty or its quotes do not match"))?;
    Ok((name.to_string(), words))
}

fn handshake(process: &mut Process, interrupt: &Arc<AtomicBool>) -> Result<Hello, Lost> {
    let request = Request::Hello {
        protocol: PROTOCOL_VERSION,
    };
    let answer = match process.call(&request, None, interrupt)? {
        Ok(answer) => answer,
        Err(e) => return Err(process.fail(&format!("refused the handshake: {e}"))),
    };
    let hello: Hello = serde_json::from_value(answer)
        .map_err(|e| process.fail(&format!("protocol violation: bad `hello` answer ({e})")))?;
    if hello.protocol != PROTOCOL_VERSION {
        return Err(process.fail(&format!(
            "speaks protocol {}, this harness speaks {PROTOCOL_VERSION}",
            hello.protocol
        )));
    }
    process.capabilities = hello.capabilities.clone();
    process.claimed = wire::features_from_names(&hello.features).0;
    Ok(hello)
}

impl Engine for ExternalEngine {
    fn name(&self) -> &'static str {
        self.name
    }

    /// What the handshake says (so `touchstone fuzz` generates only what
    /// the engine claims to run).
    fn features(&self) -> WasmFeatures {
        self.hello()
            .map(|h| wire::features_from_names(&h.features).0)
            .unwrap_or_else(WasmFeatures::empty)
    }

    fn version(&self) -> Option<String> {
        self.hello().map(|h| h.version.clone())
    }

    fn flags(&self) -> Vec<String> {
        self.flags.clone()
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        Box::new(ExternalSession {
            engine: self.name,
            command: self.command.clone(),
            idle: self.idle.clone(),
            hello: self.hello.clone(),
            features: wire::feature_names(features),
            wanted: *features,
            limits: WireLimits::from(limits),
            interrupt: limits.interrupt.clone(),
            state: State::NotStarted,
            ids: Arc::default(),
            thread: None,
        })
    }
}

/// One file's store: its process is started (or taken from the idle ones)
/// at the first operation, so that a failure to start is reported on a
/// directive rather than losing the file.
struct ExternalSession {
    engine: &'static str,
    command: Vec<String>,
    idle: Arc<Mutex<Vec<Process>>>,
    hello: Arc<OnceLock<Hello>>,
    features: Vec<String>,
    wanted: WasmFeatures,
    limits: WireLimits,
    interrupt: Arc<AtomicBool>,
    state: State,
    /// Module and instance numbering, shared with the thread stores in
    /// this store's process.
    ids: Arc<Ids>,
    /// This store's number in another store's process, when it is a
    /// thread's store that adopted a shared instance.
    thread: Option<u64>,
}

#[derive(Default)]
struct Ids {
    modules: AtomicUsize,
    instances: AtomicUsize,
    threads: AtomicU64,
}

enum State {
    NotStarted,
    Ready(Arc<Process>),
    Lost(Lost),
}

/// What crosses to a thread's store: the process holding the instance,
/// the numbering, and the instance's id.
struct SharedExternal {
    engine: &'static str,
    process: Arc<Process>,
    ids: Arc<Ids>,
    instance: usize,
}

impl ExternalSession {
    fn process(&mut self) -> Result<&Arc<Process>, Lost> {
        if let State::NotStarted = self.state {
            let reused = self.idle.lock().expect("idle processes").pop();
            let process = match reused.map(|p| self.start(p)) {
                Some(Ok(p)) => p,
                // A process that died while idle is no fault of this file.
                Some(Err(_)) | None => {
                    let mut fresh = Process::spawn(&self.command, self.engine)?;
                    let hello = handshake(&mut fresh, &self.interrupt)?;
                    self.hello.get_or_init(|| hello);
                    self.start(fresh)?
                }
            };
            self.state = State::Ready(Arc::new(process));
        }
        match &self.state {
            State::Ready(p) => Ok(p),
            State::Lost(lost) => Err(lost.clone()),
            State::NotStarted => unreachable!("started above"),
        }
    }

    /// Readies a process for this file: `new_store`.
    fn start(&self, process: Process) -> Result<Process, Lost> {
        process.clear_stderr();
        let request = Request::NewStore {
            features: self.features.clone(),
            limits: self.limits.clone(),
        };
        match process.call(&request, None, &self.interrupt)? {
            Ok(_) => Ok(process),
            Err(e) => Err(process.fail(&format!("refused `new_store`: {e}"))),
        }
    }

    /// Sends a request; the `ok` answer or the engine's error. A lost
    /// process ends the directive: `Interrupted` on a timeout, an
    /// unwinding (outcome `crash`) otherwise.
    fn call(&mut self, request: &Request) -> Result<serde_json::Value, EngineError> {
        if let State::Lost(lost) = &self.state {
            // Keep the first failure as the state: it is the one to report.
            let first = lost.message().lines().next().unwrap_or_default();
            let first = first.split("; stderr").next().unwrap_or_default();
            let message = format!(
                "not run: engine `{}` failed earlier in this file ({first})",
                self.engine
            );
            return match lost {
                Lost::TimedOut(_) => Err(EngineError::new(ErrorKind::Interrupted, message)),
                Lost::Crashed(_) => std::panic::resume_unwind(Box::new(message)),
            };
        }
        let (interrupt, thread) = (self.interrupt.clone(), self.thread);
        let result = match self.process() {
            Ok(process) => process.call(request, thread, &interrupt),
            Err(lost) => Err(lost),
        };
        match result {
            Ok(answer) => answer,
            Err(lost) => self.escalate(lost),
        }
    }

    fn escalate(&mut self, lost: Lost) -> Result<serde_json::Value, EngineError> {
        self.state = State::Lost(lost.clone());
        match lost {
            Lost::TimedOut(message) => Err(EngineError::new(ErrorKind::Interrupted, message)),
            // Not `panic!`: the message is the report's, without a Rust location.
            Lost::Crashed(message) => std::panic::resume_unwind(Box::new(message)),
        }
    }

    /// An answer of the wrong shape: the process is not to be trusted further.
    fn violation(&mut self, what: String) -> EngineError {
        let lost = match &self.state {
            State::Ready(p) => p.fail(&format!("protocol violation: {what}")),
            _ => Lost::Crashed(what),
        };
        match self.escalate(lost) {
            Err(e) => e,
            Ok(_) => unreachable!("escalate never succeeds"),
        }
    }

    fn values(
        &mut self,
        answer: &serde_json::Value,
        field: &str,
    ) -> Result<Vec<Value>, EngineError> {
        let parsed = answer
            .get(field)
            .ok_or_else(|| format!("the answer has no `{field}`: {answer}"))
            .and_then(|v| {
                serde_json::from_value::<Vec<WireValue>>(v.clone()).map_err(|e| e.to_string())
            })
            .and_then(|ws| {
                ws.iter()
                    .map(Value::try_from)
                    .collect::<Result<Vec<_>, _>>()
            });
        parsed.map_err(|e| self.violation(e))
    }

    /// Fails with `unsupported` unless the engine claimed `capability`.
    fn require(&mut self, capability: &str) -> Result<(), EngineError> {
        let offered = match self.process() {
            Ok(p) => p.offers(capability),
            Err(lost) => {
                return self
                    .escalate(lost)
                    .map(|_| unreachable!("escalate never succeeds"))
            }
        };
        if offered {
            return Ok(());
        }
        Err(EngineError::new(
            ErrorKind::Unsupported,
            format!(
                "engine `{}` does not offer capability `{capability}`",
                self.engine
            ),
        ))
    }

    /// A rejection of a module that needs features the engine does not
    /// claim becomes `unsupported`, naming them (see [`lacking`]).
    fn explain_rejection(&self, wasm: &[u8], e: EngineError) -> EngineError {
        let State::Ready(process) = &self.state else {
            return e;
        };
        if !matches!(e.kind, ErrorKind::Invalid | ErrorKind::Malformed) {
            return e;
        }
        match lacking::needed_but_lacking(wasm, self.wanted, process.claimed) {
            Some(needed) => EngineError::new(
                ErrorKind::Unsupported,
                format!(
                    "the module needs {needed}, which engine `{}` does not implement (not \
                     among the features of its handshake); it said: {}",
                    self.engine, e.message
                ),
            ),
            None => e,
        }
    }
}

impl Session for ExternalSession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = self.ids.modules.fetch_add(1, Ordering::SeqCst);
        self.call(&Request::Compile {
            module,
            wasm: wire::encode_bytes(wasm),
        })
        .map_err(|e| self.explain_rejection(wasm, e))?;
        Ok(ModuleId(module))
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        let instance = self.ids.instances.fetch_add(1, Ordering::SeqCst);
        self.call(&Request::Instantiate {
            module: module.0,
            instance,
        })?;
        Ok(InstanceId(instance))
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
        self.call(&Request::Register {
            name: name.to_string(),
            instance: instance.0,
        })?;
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        let answer = self.call(&Request::Invoke {
            instance: instance.0,
            export: export.to_string(),
            args: args.iter().map(WireValue::from).collect(),
        })?;
        self.values(&answer, "results")
    }

    fn get_global(&mut self, instance: InstanceId, export: &str) -> Result<Value, EngineError> {
        let answer = self.call(&Request::GetGlobal {
            instance: instance.0,
            export: export.to_string(),
        })?;
        let wrapped = serde_json::json!({ "value": [answer.get("value")] });
        let mut values = self.values(&wrapped, "value")?;
        Ok(values.remove(0))
    }

    fn read_memory(
        &mut self,
        instance: InstanceId,
        export: &str,
        offset: u64,
        length: u64,
    ) -> Result<(Vec<u8>, u64), EngineError> {
        self.require(wire::CAPABILITY_MEMORY)?;
        let answer = self.call(&Request::ReadMemory {
            instance: instance.0,
            export: export.to_string(),
            offset,
            length,
        })?;
        let bytes = answer
            .get("bytes")
            .and_then(|b| b.as_str())
            .map(wire::decode_bytes);
        let size = answer.get("size").and_then(|s| s.as_u64());
        match (bytes, size) {
            (Some(Ok(bytes)), Some(size)) => Ok((bytes, size)),
            _ => Err(self.violation(format!(
                "a `read_memory` answer needs `bytes` (base64) and `size`: {answer}"
            ))),
        }
    }

    fn share(&mut self, instance: InstanceId) -> Result<SharedInstance, EngineError> {
        self.require(wire::CAPABILITY_THREADS)?;
        self.call(&Request::Share {
            instance: instance.0,
        })?;
        let State::Ready(process) = &self.state else {
            unreachable!("a store that answered has its process")
        };
        Ok(SharedInstance(Arc::new(SharedExternal {
            engine: self.engine,
            process: process.clone(),
            ids: self.ids.clone(),
            instance: instance.0,
        })))
    }

    fn adopt(&mut self, shared: &SharedInstance) -> Result<InstanceId, EngineError> {
        let Some(shared) = shared.0.downcast_ref::<SharedExternal>() else {
            return Err(EngineError::new(
                ErrorKind::Other,
                "not an instance shared by an external engine",
            ));
        };
        let joined = match &self.state {
            State::NotStarted => false,
            State::Ready(p) if self.thread.is_some() && Arc::ptr_eq(p, &shared.process) => true,
            _ => {
                return Err(EngineError::new(
                    ErrorKind::Other,
                    "a thread's store must adopt shared instances before anything else",
                ))
            }
        };
        if shared.engine != self.engine {
            return Err(EngineError::new(
                ErrorKind::Other,
                format!(
                    "an instance of engine `{}`, not `{}`",
                    shared.engine, self.engine
                ),
            ));
        }
        if !joined {
            self.thread = Some(shared.ids.threads.fetch_add(1, Ordering::SeqCst) + 1);
            self.ids = shared.ids.clone();
            self.state = State::Ready(shared.process.clone());
        }
        self.call(&Request::Adopt {
            instance: shared.instance,
        })?;
        Ok(InstanceId(shared.instance))
    }
}

impl Drop for ExternalSession {
    fn drop(&mut self) {
        let State::Ready(process) = std::mem::replace(&mut self.state, State::NotStarted) else {
            return;
        };
        if self.thread.is_some() {
            // The engine may drop the thread's store; the process is the
            // sharing store's. (Best effort: a lost process answers nothing.)
            let _ = process.call(&Request::EndThread {}, self.thread, &self.interrupt);
            return;
        }
        // Idle only when no thread store still holds it (the runner joins
        // threads first); otherwise it ends with its last holder.
        if let Ok(process) = Arc::try_unwrap(process) {
            self.idle.lock().expect("idle processes").push(process);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_like_a_shell() {
        let (name, cmd) = parse_spec("mine=./my-engine --flag 'two words'").unwrap();
        assert_eq!(name, "mine");
        assert_eq!(cmd, ["./my-engine", "--flag", "two words"]);
        assert!(parse_spec("no-equals-sign").is_err());
        assert!(parse_spec("=cmd").is_err());
        assert!(parse_spec("bad name=cmd").is_err());
        assert!(parse_spec("x=").is_err());
        assert!(parse_spec("x='unclosed").is_err());
    }
}
