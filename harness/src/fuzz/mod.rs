//! Differential fuzzing (`touchstone fuzz`): seeded `wasm-smith` modules,
//! restricted to the features every chosen engine supports, run on each
//! engine through the engine seam with limits; any disagreement in
//! results, traps, final globals or memories is reduced and written out as
//! a `.wast` regression.
//!
//! An engine that crashes (panics in process, or whose worker process
//! dies when isolated) is a finding of its own ([`crash`]); the run goes
//! on. The module about to run is always on disk first ([`in_flight`]), so
//! even a crash that takes the harness down leaves its seed behind.
//!
//! A disagreement is *explained* when the engines that split off are known
//! to miscompile a construct the (reduced) module contains (see
//! [`known_bugs`]) and, when V8 can run it, V8 sides with the rest.

pub mod crash;
pub mod generate;
pub mod in_flight;
pub mod known_bugs;
pub mod observe;
pub mod plan;
pub mod reduce;
pub mod regression;
pub mod targets;
pub mod v8_tiebreak;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::engine::{Engine, WasmFeatures};
use observe::{compare, observe, Agreement, Observation, ObserveLimits, Panicked, StepName};

/// How a fuzzing run goes.
#[derive(Clone, Debug)]
pub struct FuzzOptions {
    pub seed: u64,
    /// Run until this much time has passed...
    pub duration: Duration,
    /// ...or this many modules were run.
    pub max_cases: Option<u64>,
    /// Features to generate (already cut down to what every engine supports).
    pub features: WasmFeatures,
    pub limits: ObserveLimits,
    /// Where regressions go.
    pub out_dir: PathBuf,
    /// Time spent reducing one divergence.
    pub reduce_budget: Duration,
    /// Ask V8 (`node`) for a third opinion on two-engine disagreements.
    pub use_v8: bool,
    /// Run exactly these module seeds (not the run's sequence): a module
    /// named by a finding or by a stopped run's marker, again.
    pub module_seeds: Vec<u64>,
    /// The command's engine and feature flags, for the marker's "run it
    /// again" line (`--engine a,b --features ...`).
    pub rerun_flags: String,
}

/// One disagreement or crash.
#[derive(Clone, Debug)]
pub struct Finding {
    pub seed: u64,
    /// An engine crashed (rather than disagreed).
    pub crash: bool,
    pub summary: String,
    /// Why it is not ours, when it is explained.
    pub explained: Option<String>,
    pub regression: Option<PathBuf>,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Modules generated and run on every engine.
    pub modules: u64,
    /// Seeds wasm-smith could not make a module from.
    pub not_generated: u64,
    /// Exported-function calls made per engine.
    pub calls: u64,
    pub agreed: u64,
    /// Modules whose instantiation failed alike everywhere (a trap in a
    /// segment or the start function); included in `agreed`.
    pub instantiation_failed: u64,
    /// Modules every engine rejected alike (wasm-smith made an invalid one).
    pub rejected: u64,
    /// Modules cut short by a limit or an unsupported value, by reason.
    pub inconclusive: Vec<(String, u64)>,
    pub findings: Vec<Finding>,
    pub elapsed: Duration,
}

impl Summary {
    /// Divergences or crashes with no known explanation.
    pub fn unexplained(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.explained.is_none())
            .count()
    }

    /// Findings where an engine crashed.
    pub fn crashes(&self) -> usize {
        self.findings.iter().filter(|f| f.crash).count()
    }

    fn count_inconclusive(&mut self, why: &str) {
        // By kind only ("Exhaustion", "Interrupted", ...): messages vary.
        let kind = why.split(':').next().unwrap_or(why).to_string();
        match self.inconclusive.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.inconclusive.push((kind, 1)),
        }
    }
}

/// Runs the fuzzing loop; `report` receives progress and findings as they happen.
pub fn run(
    engines: &[&dyn Engine],
    options: &FuzzOptions,
    report: &mut dyn FnMut(&str),
) -> Summary {
    let started = Instant::now();
    let config = generate::smith_config(options.features);
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    let mut summary = Summary::default();
    let mut last_progress = Instant::now();
    for (kept, text) in in_flight::collect_stopped(&options.out_dir) {
        report(&format!(
            "an earlier run over this folder ended without its summary (crashed, killed or interrupted) with a module in flight; its marker, kept as {}:\n  {}",
            kept.display(),
            text.replace('\n', "\n  ")
        ));
    }
    let mut marker = match in_flight::InFlight::create(&options.out_dir) {
        Ok(m) => Some(m),
        Err(e) => {
            report(&format!(
                "warning: cannot write the in-flight marker in {} ({e}): a crash of this process would lose the seed of its module",
                options.out_dir.display()
            ));
            None
        }
    };
    for index in 0.. {
        if started.elapsed() >= options.duration
            || options.max_cases.is_some_and(|m| summary.modules >= m)
        {
            break;
        }
        let seed = if options.module_seeds.is_empty() {
            generate::case_seed(options.seed, index)
        } else {
            match options.module_seeds.get(index as usize) {
                Some(&s) => s,
                None => break,
            }
        };
        // Before the module is even generated: wasm-smith could fail too.
        if let Some(m) = &mut marker {
            m.set(&format!(
                "touchstone fuzz (process {}, run seed {}) ended while making or running its \
                 module {index} ({} modules run before it, {} findings: in this folder).\n\
                 Run it again alone: touchstone fuzz {} --module-seed {seed}\n\
                 module seed {seed}",
                std::process::id(),
                options.seed,
                summary.modules,
                summary.findings.len(),
                options.rerun_flags,
            ));
        }
        let Some(wasm) = generate::module(seed, &config) else {
            summary.not_generated += 1;
            continue;
        };
        summary.modules += 1;
        if let Some(finding) = run_case(engines, &names, options, seed, &wasm, &mut summary) {
            report(&format!(
                "seed {}: {}{}",
                finding.seed,
                finding.summary,
                finding
                    .explained
                    .as_ref()
                    .map(|e| format!(" [explained: {e}]"))
                    .unwrap_or_default()
            ));
            if let Some(path) = &finding.regression {
                report(&format!("  regression written to {}", path.display()));
            }
            summary.findings.push(finding);
        }
        if last_progress.elapsed() >= Duration::from_secs(60) {
            last_progress = Instant::now();
            report(&format!(
                "progress: {} modules, {} calls, {} findings ({} unexplained) in {:.0} s",
                summary.modules,
                summary.calls,
                summary.findings.len(),
                summary.unexplained(),
                started.elapsed().as_secs_f64()
            ));
        }
    }
    if let Some(m) = marker {
        m.finish();
    }
    // Leave no empty folder behind when nothing was found.
    let _ = std::fs::remove_dir(&options.out_dir);
    summary.elapsed = started.elapsed();
    summary
}

/// Runs one module everywhere; a finding when engines disagree or one panics.
fn run_case(
    engines: &[&dyn Engine],
    names: &[&str],
    options: &FuzzOptions,
    seed: u64,
    wasm: &[u8],
    summary: &mut Summary,
) -> Option<Finding> {
    let plan = match plan::plan(wasm, seed) {
        Ok(p) => p,
        Err(e) => {
            summary.count_inconclusive(&format!("Unparsable: {e}"));
            return None;
        }
    };
    // Every engine runs even after one crashed: a crash that is not
    // everyone's gets the assertions of an engine that ran the module.
    let results: Vec<Result<Observation, Panicked>> = engines
        .iter()
        .map(|engine| observe(*engine, &options.features, wasm, &plan, &options.limits))
        .collect();
    if results.iter().any(Result::is_err) {
        return Some(crash::finding(
            engines, options, seed, wasm, &plan, &results,
        ));
    }
    let seen: Vec<Observation> = results.into_iter().map(Result::unwrap).collect();
    summary.calls += seen[0]
        .steps
        .iter()
        .filter(|(n, _)| matches!(n, StepName::Invoke(_)))
        .count() as u64;
    let verdict = compare(&seen);
    match &verdict {
        Agreement::Agreed => {
            if seen[0]
                .steps
                .first()
                .is_some_and(|(n, _)| *n == StepName::Compile)
            {
                summary.rejected += 1;
            } else if seen[0]
                .steps
                .first()
                .is_some_and(|(n, _)| *n == StepName::Instantiate)
            {
                summary.instantiation_failed += 1;
                summary.agreed += 1;
            } else {
                summary.agreed += 1;
            }
            None
        }
        Agreement::Inconclusive { why, step } => {
            let at = match step {
                StepName::Compile => "compile",
                StepName::Instantiate => "instantiate",
                StepName::Invoke(_) => "invoke",
                StepName::Global(_) | StepName::Memory(_) => "read",
            };
            if std::env::var_os("TOUCHSTONE_FUZZ_DEBUG").is_some() {
                eprintln!("inconclusive seed {seed} at {at}: {why}");
            }
            summary
                .count_inconclusive(&format!("{} at {at}", why.split(':').next().unwrap_or(why)));
            None
        }
        Agreement::Diverged { step, groups } => Some(divergence(
            engines, names, options, seed, wasm, &plan, &seen, step, groups, &verdict,
        )),
    }
}

/// One module on `engines`, for fuzz targets: `Err` describes a panic or a
/// divergence that no known bug of the engines that split off explains
/// (no reduction, no third opinion).
pub fn check_module(
    engines: &[&dyn Engine],
    features: &WasmFeatures,
    wasm: &[u8],
    seed: u64,
    limits: &ObserveLimits,
) -> Result<Agreement, String> {
    let plan = plan::plan(wasm, seed)?;
    let mut seen = Vec::new();
    for engine in engines {
        let o = observe(*engine, features, wasm, &plan, limits)
            .map_err(|p| format!("{} crashed: {}", engine.name(), p.0))?;
        seen.push(o);
    }
    let verdict = compare(&seen);
    if let Agreement::Diverged { step, groups } = &verdict {
        let explained = groups[1..]
            .iter()
            .flatten()
            .all(|&i| !known_bugs::triggers(engines[i].name(), wasm).is_empty());
        if !explained {
            return Err(format!(
                "divergence at {}: groups {groups:?}",
                describe_step(step, &plan)
            ));
        }
    }
    Ok(verdict)
}

#[allow(clippy::too_many_arguments)]
fn divergence(
    engines: &[&dyn Engine],
    names: &[&str],
    options: &FuzzOptions,
    seed: u64,
    wasm: &[u8],
    plan: &plan::Plan,
    seen: &[Observation],
    step: &StepName,
    groups: &[Vec<usize>],
    verdict: &Agreement,
) -> Finding {
    let describe = |g: &Vec<usize>| g.iter().map(|&i| names[i]).collect::<Vec<_>>().join("+");
    let step_text = describe_step(step, plan);
    let mut lines = vec![format!("divergence at {step_text}:")];
    for g in groups {
        let o = &seen[g[0]];
        let what = o
            .steps
            .iter()
            .find(|(n, _)| n == step)
            .map(|(_, s)| describe_outcome(s))
            .unwrap_or_else(|| "(stopped earlier)".into());
        lines.push(format!("  {}: {what}", describe(g)));
    }
    // Reduce first, so the explanation is checked on the small module.
    let reduced = reduce::reduce(
        engines,
        &options.features,
        wasm,
        seed,
        verdict,
        &options.limits,
        options.reduce_budget,
    );
    // A divergence that comes and goes (an engine reading stale state) may
    // not survive reduction: then the original module is the regression.
    let reduced = if reduce::reproduces(
        engines,
        &options.features,
        &reduced,
        seed,
        verdict,
        &options.limits,
        3,
    ) {
        lines.push(format!(
            "reduced from {} to {} bytes",
            wasm.len(),
            reduced.len()
        ));
        reduced
    } else {
        lines.push(format!(
            "not reduced: the reduced module ({} bytes) does not diverge on every run",
            reduced.len()
        ));
        wasm.to_vec()
    };
    let reduced_plan = plan::plan(&reduced, seed).unwrap_or_else(|_| plan.clone());
    // The reference: the largest group; on a tie, the group with touchstone,
    // or V8's choice when it can run the module.
    let mut reference = groups[0].clone();
    let tie = groups.len() > 1 && groups[1].len() == groups[0].len();
    let mut v8_note = None;
    if tie && options.use_v8 {
        match v8_tiebreak::sides_with(
            &reduced,
            &reduced_plan,
            engines,
            groups,
            &options.features,
            &options.limits,
        ) {
            Ok(Some(g)) => {
                reference = groups[g].clone();
                v8_note = Some(format!("V8 sides with {}", describe(&groups[g])));
            }
            Ok(None) => v8_note = Some("V8 sides with neither".into()),
            Err(e) => v8_note = Some(format!("no opinion from V8: {e}")),
        }
    } else if tie {
        if let Some(g) = groups
            .iter()
            .find(|g| g.iter().any(|&i| names[i] == "touchstone"))
        {
            reference = g.clone();
        }
    }
    if let Some(note) = &v8_note {
        lines.push(note.clone());
    }
    // Explained when every engine outside the reference group has a known
    // bug whose trigger the reduced module still contains.
    let outside: Vec<usize> = (0..engines.len())
        .filter(|i| !reference.contains(i))
        .collect();
    let explanations: Vec<String> = outside
        .iter()
        .map(|&i| {
            known_bugs::triggers(names[i], &reduced)
                .iter()
                .map(|b| format!("{}: {}", b.engine, b.what))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .collect();
    let v8_against = v8_note
        .as_deref()
        .is_some_and(|n| n.starts_with("V8 sides with neither"));
    let explained = (!explanations.iter().any(String::is_empty) && !v8_against)
        .then(|| explanations.join("; "));
    // Assertions: what the reference engine sees on the reduced module.
    let reference_engine = engines[reference[0]];
    let header = {
        let mut h = vec![
            format!(
                "Found by `touchstone fuzz --engine {} --seed ...` (module seed {seed}).",
                names.join(",")
            ),
            format!("Assertions are what {} produced.", reference_engine.name()),
        ];
        h.extend(lines.iter().cloned());
        if let Some(e) = &explained {
            h.push(format!("Explained by a known bug: {e}"));
        }
        h
    };
    let finding = Finding {
        seed,
        crash: false,
        summary: lines.join("\n"),
        explained,
        regression: None,
    };
    record(
        options,
        finding,
        &reduced,
        &reduced_plan,
        Some(reference_engine),
        &header,
    )
}

/// Writes `finding`'s module with the assertions of what `reference` sees
/// on it (the bare module when there is no reference or it cannot run it).
fn record(
    options: &FuzzOptions,
    finding: Finding,
    wasm: &[u8],
    plan: &plan::Plan,
    reference: Option<&dyn Engine>,
    header: &[String],
) -> Finding {
    let seen = reference
        .and_then(|engine| observe(engine, &options.features, wasm, plan, &options.limits).ok());
    let regression = write_case(options, finding.seed, wasm, header, plan, seen.as_ref());
    Finding {
        regression,
        ..finding
    }
}

fn describe_step(step: &StepName, plan: &plan::Plan) -> String {
    match step {
        StepName::Compile => "compile".into(),
        StepName::Instantiate => "instantiate".into(),
        StepName::Invoke(i) => format!(
            "invoke {:?} {:?}",
            plan.calls[*i].export, plan.calls[*i].args
        ),
        StepName::Global(i) => format!("global {:?}", plan.globals[*i]),
        StepName::Memory(i) => format!("memory {:?}", plan.memories[*i]),
    }
}

fn describe_outcome(step: &observe::Step) -> String {
    match step {
        observe::Step::Values(v) => format!("{v:?}"),
        observe::Step::Memory { len, digest } => format!("{len} bytes, FNV-1a {digest:08x}"),
        observe::Step::Failed(kind, m) => format!("{kind:?}: {m}"),
    }
}

/// Writes the case (as a `.wast` regression when there is a reference
/// observation, else the bare module) under the output folder.
fn write_case(
    options: &FuzzOptions,
    seed: u64,
    wasm: &[u8],
    header: &[String],
    plan: &plan::Plan,
    reference: Option<&Observation>,
) -> Option<PathBuf> {
    std::fs::create_dir_all(&options.out_dir).ok()?;
    let path: PathBuf;
    match reference {
        Some(seen) => {
            path = options.out_dir.join(format!("fuzz-{seed:016x}.wast"));
            std::fs::write(
                &path,
                regression::script(header, options.features, wasm, plan, seen),
            )
            .ok()?;
        }
        None => {
            path = options.out_dir.join(format!("fuzz-{seed:016x}.wasm"));
            std::fs::write(&path, wasm).ok()?;
            let note = header.join("\n");
            std::fs::write(Path::new(&path).with_extension("txt"), note).ok()?;
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::touchstone::TouchstoneEngine;
    use crate::engine::{EngineError, InstanceId, Limits, ModuleId, Session, Value};

    /// Touchstone, except every `i32` a call returns is off by one.
    struct OffByOne;

    struct OffByOneSession(Box<dyn Session>);

    impl Engine for OffByOne {
        fn name(&self) -> &'static str {
            "off-by-one"
        }
        fn features(&self) -> WasmFeatures {
            TouchstoneEngine.features()
        }
        fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
            Box::new(OffByOneSession(
                TouchstoneEngine.new_session(features, limits),
            ))
        }
    }

    impl Session for OffByOneSession {
        fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
            self.0.compile(wasm)
        }
        fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
            self.0.instantiate(module)
        }
        fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
            self.0.register(name, instance)
        }
        fn invoke(
            &mut self,
            i: InstanceId,
            export: &str,
            args: &[Value],
        ) -> Result<Vec<Value>, EngineError> {
            let mut values = self.0.invoke(i, export, args)?;
            for v in &mut values {
                if let Value::I32(x) = v {
                    *x = x.wrapping_add(1);
                }
            }
            Ok(values)
        }
        fn get_global(&mut self, i: InstanceId, export: &str) -> Result<Value, EngineError> {
            self.0.get_global(i, export)
        }
    }

    /// A wrong engine is caught, its module reduced and written as a
    /// regression that the `.wast` parser reads and that asserts
    /// Touchstone's (the reference's) results.
    #[test]
    fn a_wrong_engine_is_caught_reduced_and_written_out() {
        let out = std::env::temp_dir().join(format!("touchstone-fuzz-test-{}", std::process::id()));
        let options = FuzzOptions {
            seed: 11,
            duration: Duration::from_secs(60),
            max_cases: Some(40),
            features: WasmFeatures::WASM2,
            limits: ObserveLimits {
                max_memory_bytes: 64 << 20,
                max_call_depth: 5_000,
                timeout: Duration::from_secs(5),
            },
            out_dir: out.clone(),
            reduce_budget: Duration::from_secs(5),
            use_v8: false,
            module_seeds: Vec::new(),
            rerun_flags: String::new(),
        };
        let engines: [&dyn Engine; 2] = [&TouchstoneEngine, &OffByOne];
        let summary = run(&engines, &options, &mut |_| {});
        assert_eq!(summary.modules, 40);
        assert!(
            !summary.findings.is_empty(),
            "no divergence found in 40 modules"
        );
        assert_eq!(summary.unexplained(), summary.findings.len());
        let finding = &summary.findings[0];
        let path = finding
            .regression
            .as_ref()
            .expect("a regression was written");
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.contains("Assertions are what touchstone produced"),
            "{text}"
        );
        assert!(text.contains("assert_return"), "{text}");
        let buf = wast::parser::ParseBuffer::new(&text).unwrap();
        wast::parser::parse::<wast::Wast>(&buf).expect("the regression parses");
        let _ = std::fs::remove_dir_all(&out);
    }
}
