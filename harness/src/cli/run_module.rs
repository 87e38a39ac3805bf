//! `touchstone run MODULE [--invoke NAME] [ARGS...] [--timings]`: runs one
//! module on our engine, the way a web page runs one with
//! `WebAssembly.instantiateStreaming` and a call.
//!
//! Stages: *fetch* (open the file, or connect and read the HTTP response
//! head; a text module is also read whole and converted to binary here, as
//! the text format cannot be compiled piecemeal), *compile* (a binary module
//! is decoded, validated and translated while its bytes arrive, so this
//! includes the rest of the download), *instantiate* (with no imports: the
//! start function runs here), *invoke*. Results are printed on
//! one line in the `.wast` value syntax, e.g. `(i32.const 3) (f64.const 0.5)`.
//!
//! Limits (`--max-memory`, `--timeout`, `--max-call-depth`) bound what the
//! module may use; there is no fuel: the time limit stops it instead.
//!
//! Exit status: 0 on success; 1 when the call or the start function traps,
//! exhausts a resource or runs past the time limit; 2 when the module cannot be fetched, read or
//! compiled, or the arguments are wrong; 3 on a link error.

pub mod cli_values;
pub mod source;

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use touchstone_engine::{
    Config, ExternType, Imports, Instance, InstantiationError, Module, RuntimeError, Store,
    TrapKind, Val,
};

use crate::script_runner::guard::Watchdog;
use source::{ModuleSource, Opened};

/// Command-line arguments of `touchstone run`.
#[derive(Clone, Debug, clap::Args)]
pub struct RunArgs {
    /// A `.wasm` or `.wat` file, or an `http://` / `https://` URL.
    pub module: String,
    /// The exported function to call. Without it the module is only
    /// instantiated (which runs its start function, if any).
    #[arg(long, value_name = "NAME")]
    pub invoke: Option<String>,
    /// Arguments of the function, one per parameter, in the `.wast` literal
    /// syntax: `5`, `-1.5`, `0x1p-3`, `nan:0x200000`, `null`,
    /// `"i32x4 1 2 3 4"`, or `"(i64.const 5)"`.
    #[arg(value_name = "ARGS", allow_negative_numbers = true)]
    pub args: Vec<String>,
    /// Print each stage's time on standard error.
    #[arg(long)]
    pub timings: bool,
    /// For a URL: seconds the connection may take to open, and the server
    /// may stay silent while sending (a stalled download is a network
    /// error, not a hang).
    #[arg(long, value_name = "SECS", default_value_t = source::DEFAULT_FETCH_TIMEOUT.as_secs_f64())]
    pub fetch_timeout: f64,
    /// Resource limits on the module.
    #[command(flatten)]
    pub limits: RunLimits,
}

/// What a module may use; a runaway module ends with a message naming the
/// limit and exit status 1, never an out-of-memory kill or a hang.
#[derive(Clone, Debug, clap::Args)]
pub struct RunLimits {
    /// Memory the module may allocate in all: linear memories, tables' GC
    /// objects and exceptions (e.g. `512M`, `4G`, `65536`). Growing beyond
    /// it fails (`memory.grow` returns -1); an allocation beyond it traps.
    #[arg(long, value_name = "BYTES", value_parser = super::parse_bytes, default_value = "10GiB")]
    pub max_memory: u64,
    /// Execution time limit in seconds (instantiation, start function and
    /// the call); the module is stopped when it runs out. Default: none.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Wasm call depth beyond which a call fails with exhaustion.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_call_depth: u32,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            max_memory: crate::engine::Limits::default().max_memory_bytes,
            timeout: None,
            max_call_depth: 10_000,
        }
    }
}

/// How `run` ended, and the exit status each outcome gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Ok = 0,
    /// A trap or exhaustion, in the start function or the call.
    Runtime = 1,
    /// Fetch, read or compile failed, or the arguments do not fit.
    Load = 2,
    /// An import could not be satisfied.
    Link = 3,
}

/// A failed stage: its status and the message to print.
struct Failure(RunStatus, String);

/// Runs the command on the process's standard output and error; the exit status.
pub fn main(args: &RunArgs) -> std::process::ExitCode {
    let status = execute(
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::ExitCode::from(status as u8)
}

/// Runs the command, printing results on `out` and errors and timings on
/// `err`. Returns the exit status.
pub fn execute(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> RunStatus {
    let mut timings = Vec::new();
    let outcome = stages(args, &mut timings);
    if args.timings {
        for (stage, elapsed) in &timings {
            let _ = writeln!(err, "{stage:>12}: {:9.3} ms", elapsed.as_secs_f64() * 1e3);
        }
    }
    match outcome {
        Ok(results) => {
            if !results.is_empty() {
                let line: Vec<String> = results.iter().map(cli_values::format_val).collect();
                let _ = writeln!(out, "{}", line.join(" "));
            }
            RunStatus::Ok
        }
        Err(Failure(status, message)) => {
            let _ = writeln!(err, "error: {message}");
            status
        }
    }
}

/// Times `f` and records it under `stage`.
fn timed<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    stage: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let value = f();
    timings.push((stage, start.elapsed()));
    value
}

fn stages(
    args: &RunArgs,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Vec<Val>, Failure> {
    let source = ModuleSource::parse(&args.module);
    if !args.fetch_timeout.is_finite() || args.fetch_timeout <= 0.0 {
        return Err(Failure(
            RunStatus::Load,
            "--fetch-timeout must be positive".into(),
        ));
    }
    let fetch_timeout = Duration::from_secs_f64(args.fetch_timeout);
    let (opened, download) = timed(timings, "fetch", || source.open_with(fetch_timeout))
        .map_err(|e| Failure(RunStatus::Load, e))?;
    let module = timed(timings, "compile", || match opened {
        Opened::Binary(reader) => {
            Module::from_reader(reader, touchstone_engine::default_features())
        }
        Opened::Text(bytes) => Module::new(&bytes),
    })
    .map_err(|e| {
        // A module cut short by the network is not a compile error.
        let message = match download.failure() {
            Some(net) => format!("network error: downloading {source}: {net}"),
            None => format!("{source}: compile error: {e}"),
        };
        Failure(RunStatus::Load, message)
    })?;

    // Check the call before instantiating, so a typo does not run the start function.
    let call = match &args.invoke {
        Some(name) => Some(prepare_call(&module, name, &args.args)?),
        None if !args.args.is_empty() => {
            return Err(Failure(
                RunStatus::Load,
                "arguments given without --invoke".to_string(),
            ))
        }
        None => None,
    };

    let limits = &args.limits;
    let interrupt = Arc::new(AtomicBool::new(false));
    let mut store = Store::new(Config {
        max_memory_bytes: limits.max_memory,
        max_call_depth: limits.max_call_depth,
        interrupt: interrupt.clone(),
        ..Config::default()
    });
    // The clock starts with execution: fetching has its own limit.
    let _watchdog = limits
        .timeout
        .map(|secs| Watchdog::start(Duration::from_secs_f64(secs.max(0.0)), interrupt));
    let instance = timed(timings, "instantiate", || {
        Instance::new(&mut store, &module, &Imports::new())
    })
    .map_err(|e| instantiation_failure(&module, e, limits))?;
    let Some((name, params)) = call else {
        return Ok(Vec::new());
    };
    let func = instance
        .get_func(&store, &name)
        .ok_or_else(|| Failure(RunStatus::Load, format!("no exported function {name:?}")))?;
    timed(timings, "invoke", || func.call(&mut store, &params))
        .map_err(|e| runtime_failure(e, limits))
}

/// Finds the export's type in the module and parses the arguments for it.
fn prepare_call(
    module: &Module,
    name: &str,
    args: &[String],
) -> Result<(String, Vec<Val>), Failure> {
    let ty = module
        .exports()
        .find_map(|export| match export.ty {
            ExternType::Func(ty) if export.name == name => Some(ty),
            _ => None,
        })
        .ok_or_else(|| {
            let functions: Vec<String> = module
                .exports()
                .filter(|e| matches!(e.ty, ExternType::Func(_)))
                .map(|e| format!("{:?}", e.name))
                .collect();
            Failure(
                RunStatus::Load,
                format!(
                    "no exported function {name:?} (exported functions: {})",
                    list_or_none(&functions)
                ),
            )
        })?;
    if ty.params().len() != args.len() {
        return Err(Failure(
            RunStatus::Load,
            format!(
                "{name:?} takes {} argument(s), {} given",
                ty.params().len(),
                args.len()
            ),
        ));
    }
    let params = args
        .iter()
        .zip(ty.params())
        .map(|(arg, &param)| cli_values::parse_arg(arg, param))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure(RunStatus::Load, format!("bad argument {e}")))?;
    Ok((name.to_string(), params))
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

fn instantiation_failure(
    module: &Module,
    error: InstantiationError,
    limits: &RunLimits,
) -> Failure {
    match error {
        InstantiationError::Link(link) => {
            // `run` offers no host imports, so every import is unsatisfiable: name them all.
            let imports: Vec<String> = module
                .imports()
                .map(|i| format!("{:?} {:?}", i.module, i.name))
                .collect();
            Failure(
                RunStatus::Link,
                format!(
                    "{link} (touchstone run provides no imports; the module imports {})",
                    list_or_none(&imports)
                ),
            )
        }
        InstantiationError::Runtime(trap) => {
            let Failure(status, message) = runtime_failure(trap, limits);
            Failure(status, format!("{message} (while instantiating)"))
        }
        InstantiationError::Unsupported(what) => {
            Failure(RunStatus::Load, format!("unsupported: {what}"))
        }
    }
}

/// The message for a trap or a limit, naming the option that sets the limit.
fn runtime_failure(error: RuntimeError, limits: &RunLimits) -> Failure {
    let message = match error.kind() {
        TrapKind::Interrupted => format!(
            "time limit exceeded: stopped after {} s (--timeout)",
            limits.timeout.unwrap_or_default()
        ),
        TrapKind::CallStackExhausted => format!(
            "exhaustion: {error} (call depth limit {}, --max-call-depth)",
            limits.max_call_depth
        ),
        TrapKind::ResourceLimit => format!(
            "exhaustion: {error} (memory limit {} bytes, --max-memory)",
            limits.max_memory
        ),
        _ => format!("trap: {error}"),
    };
    Failure(RunStatus::Runtime, message)
}
