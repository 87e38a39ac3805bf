//! `touchstone fuzz --engine A,B[,C] --seconds N [--seed S] [--features ...]`:
//! differential fuzzing of engines through the engine seam (see
//! [`crate::fuzz`]). Built-in engines run in `touchstone serve` worker
//! processes unless `--in-process`, so an engine that aborts costs one
//! finding, not the run. Exit status 1 when a divergence without a known
//! explanation, or a crash, was found; 2 on bad usage.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};

use super::stdout::outln;
use super::Status;
use crate::engine::external::{self, ExternalEngine};
use crate::engine::{registry, Engine, WasmFeatures};
use crate::fuzz::{self, observe::ObserveLimits, FuzzOptions};

/// Options of `touchstone fuzz`.
#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// Engines to compare, comma-separated (at least two in all with
    /// `--engine-cmd`; e.g. `touchstone,wasmi`).
    #[arg(long = "engine", value_delimiter = ',')]
    pub engines: Vec<String>,
    /// An external engine speaking the engine protocol
    /// (docs/engine-protocol.md), as `NAME=COMMAND`; repeatable.
    #[arg(long = "engine-cmd", value_name = "NAME=COMMAND")]
    pub engine_cmds: Vec<String>,
    /// Run the built-in engines inside this process instead of in
    /// `touchstone serve` worker processes: about 1.8x the modules per
    /// second, but an engine that aborts (a panic that cannot unwind, a
    /// stack overflow) ends the run; the module's seed is still left in
    /// `--out`.
    #[arg(long)]
    pub in_process: bool,
    /// Run only these module seeds (as findings and stopped runs name
    /// them), comma-separated, instead of the run's sequence.
    #[arg(long, value_delimiter = ',')]
    pub module_seed: Vec<u64>,
    /// How long to fuzz.
    #[arg(long, default_value_t = 60.0)]
    pub seconds: f64,
    /// Stop after this many modules (whichever comes first).
    #[arg(long)]
    pub max_modules: Option<u64>,
    /// Seed of the run (default: from the clock; printed, so a run can be repeated).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Proposals to generate, comma-separated wasmparser feature names
    /// (`simd`, `gc`, `memory64`, `multi_memory`, `tail_call`...), on top
    /// of Wasm 1.0. Default: everything every chosen engine supports.
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    /// Where diverging and crashing modules are written, as `.wast`
    /// regressions; also the seed of the module in flight
    /// (`in-flight-PID.txt`, until the run ends), kept as
    /// `fuzz-SEED.stopped.txt` when the run died with it.
    #[arg(long, default_value = "fuzz-findings")]
    pub out: PathBuf,
    /// Time limit for one module on one engine, in seconds.
    #[arg(long, default_value_t = 2.0)]
    pub case_timeout: f64,
    /// Time spent reducing one divergence, in seconds.
    #[arg(long, default_value_t = 30.0)]
    pub reduce_seconds: f64,
    /// Never ask V8 (`node`) for a third opinion.
    #[arg(long)]
    pub no_v8: bool,
}

/// The features to generate: what every engine supports, narrowed to the
/// requested ones (on top of Wasm 1.0) when some are named.
fn features(engines: &[&dyn Engine], requested: &[String]) -> anyhow::Result<WasmFeatures> {
    let shared = engines
        .iter()
        .fold(WasmFeatures::all(), |acc, e| acc & e.features());
    if requested.is_empty() {
        return Ok(shared);
    }
    let mut wanted = WasmFeatures::WASM1;
    for name in requested {
        let flag = WasmFeatures::from_name(&name.to_ascii_uppercase().replace('-', "_"))
            .with_context(|| {
                let known: Vec<String> = WasmFeatures::all()
                    .iter_names()
                    .map(|(n, _)| n.to_ascii_lowercase())
                    .collect();
                format!("unknown feature {name:?} (known: {})", known.join(", "))
            })?;
        if !shared.contains(flag) {
            bail!("feature {name:?} is not supported by every chosen engine");
        }
        wanted |= flag;
    }
    Ok(wanted & shared)
}

/// Runs the command; the exit status.
pub fn run(args: FuzzArgs) -> anyhow::Result<Status> {
    if args.engines.len() + args.engine_cmds.len() < 2 {
        bail!("fuzzing compares engines: give at least two, e.g. --engine touchstone,wasmi");
    }
    let owned = create_engines(&args)?;
    let engines: Vec<&dyn Engine> = owned.iter().map(|e| e.as_ref()).collect();
    // Relaxed SIMD is implementation-defined by design: never compared.
    let features = features(&engines, &args.features)? - WasmFeatures::RELAXED_SIMD;
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let options = FuzzOptions {
        seed,
        duration: Duration::from_secs_f64(args.seconds.max(0.0)),
        max_cases: args.max_modules,
        features,
        limits: ObserveLimits {
            // Declared memories are at most 1 MiB; growth stops here alike
            // on every engine (`memory.grow` gives -1).
            max_memory_bytes: 64 << 20,
            max_call_depth: 5_000,
            timeout: Duration::from_secs_f64(args.case_timeout.max(0.01)),
        },
        out_dir: args.out.clone(),
        reduce_budget: Duration::from_secs_f64(args.reduce_seconds.max(0.0)),
        use_v8: !args.no_v8,
        module_seeds: args.module_seed.clone(),
        rerun_flags: String::new(),
    };
    let feature_names: Vec<String> = features
        .iter_names()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    let options = FuzzOptions {
        rerun_flags: rerun_flags(&args, &feature_names),
        ..options
    };
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    outln!(
        "fuzz: engines {} ({}), seed {seed}, {} s; features: {}",
        names.join(","),
        if args.in_process {
            "in process"
        } else {
            "built-in engines in worker processes"
        },
        args.seconds,
        feature_names.join(" ")
    );
    let summary = fuzz::run(&engines, &options, &mut |line| outln!("{line}"));
    let inconclusive: u64 = summary.inconclusive.iter().map(|(_, n)| n).sum();
    outln!(
        "fuzz: {} modules ({:.0}/s; {} calls each engine) in {:.1} s: {} agreed ({} failing alike at instantiation), {} rejected by all, \
         {} inconclusive {:?}, {} not generated; {} findings ({} crashes), {} unexplained",
        summary.modules,
        summary.modules as f64 / summary.elapsed.as_secs_f64().max(1e-9),
        summary.calls,
        summary.elapsed.as_secs_f64(),
        summary.agreed,
        summary.instantiation_failed,
        summary.rejected,
        inconclusive,
        summary.inconclusive,
        summary.not_generated,
        summary.findings.len(),
        summary.crashes(),
        summary.unexplained()
    );
    Ok(if summary.unexplained() > 0 {
        Status::Failed
    } else {
        Status::Ok
    })
}

/// The run's engines, in the order given (the same engine may be named
/// twice): built-in engines (isolated unless `--in-process`), V8 and the
/// adapters by name, then the `--engine-cmd` engines.
fn create_engines(args: &FuzzArgs) -> anyhow::Result<Vec<Box<dyn Engine>>> {
    let node = Default::default();
    let mut engines: Vec<Box<dyn Engine>> = args
        .engines
        .iter()
        .map(|name| registry::resolve(name, !args.in_process, &node).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    for spec in &args.engine_cmds {
        let (name, command) =
            external::parse_spec(spec).map_err(|e| anyhow::anyhow!("--engine-cmd {e}"))?;
        if args.engines.contains(&name) {
            bail!("--engine-cmd {spec}: engine name `{name}` is already taken; give it another");
        }
        engines.push(Box::new(ExternalEngine::new(&name, command)));
    }
    // An engine process that does not start claims no features.
    if let Some(dead) = engines.iter().find(|e| e.features().is_empty()) {
        bail!(
            "engine `{}` did not start (or claims no features)",
            dead.name()
        );
    }
    Ok(engines)
}

/// The flags that choose the same engines and modules, for "run it again".
fn rerun_flags(args: &FuzzArgs, features: &[String]) -> String {
    let mut flags = Vec::new();
    if !args.engines.is_empty() {
        flags.push(format!("--engine {}", args.engines.join(",")));
    }
    for spec in &args.engine_cmds {
        flags.push(format!(
            "--engine-cmd {}",
            shlex::try_quote(spec).unwrap_or_default()
        ));
    }
    if args.in_process {
        flags.push("--in-process".into());
    }
    flags.push(format!("--features {}", features.join(",")));
    flags.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::touchstone::TouchstoneEngine;
    use crate::engine::wasmi::WasmiEngine;

    #[test]
    fn features_are_what_every_engine_supports_narrowed_to_those_named() {
        let engines: [&dyn Engine; 2] = [&TouchstoneEngine, &WasmiEngine];
        let shared = features(&engines, &[]).unwrap();
        assert!(shared.contains(WasmFeatures::SIMD | WasmFeatures::MEMORY64));
        assert!(!shared.contains(WasmFeatures::GC), "wasmi has no GC");
        let named = features(&engines, &["memory64".into(), "tail-call".into()]).unwrap();
        assert!(named.contains(WasmFeatures::MEMORY64 | WasmFeatures::TAIL_CALL));
        assert!(!named.contains(WasmFeatures::SIMD));
        let gc = features(&engines, &["gc".into()]).unwrap_err().to_string();
        assert!(gc.contains("not supported by every chosen engine"), "{gc}");
        let bad = features(&engines, &["nonesuch".into()])
            .unwrap_err()
            .to_string();
        assert!(bad.contains("unknown feature"), "{bad}");
    }
}
