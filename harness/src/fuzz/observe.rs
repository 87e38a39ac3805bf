//! Running one module on one engine through the engine seam, step by step,
//! and comparing what engines saw.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::plan::Plan;
use crate::engine::{Engine, ErrorKind, Limits, Value, WasmFeatures};
use crate::script_runner::guard::Watchdog;

/// What one step gave.
#[derive(Clone, Debug)]
pub enum Step {
    /// A call's results, or an exported global's value (one).
    Values(Vec<Value>),
    /// An exported memory: its length and a digest of its bytes (memories
    /// may be large; the digest is all a comparison needs).
    Memory { len: usize, digest: u32 },
    /// The engine's error: only its kind is compared, messages differ
    /// between engines.
    Failed(ErrorKind, String),
}

/// Which step: `compile`, `instantiate`, `invoke "f"`, `global "g"`, `memory "m"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepName {
    Compile,
    Instantiate,
    Invoke(usize),
    Global(usize),
    Memory(usize),
}

/// Everything one engine saw of one module: steps in plan order; it stops
/// at a failed compile or instantiation.
#[derive(Clone, Debug)]
pub struct Observation {
    pub steps: Vec<(StepName, Step)>,
}

/// An engine crashed (a panic, with its location when known, or the death
/// of an isolated engine's worker process): a finding in itself.
#[derive(Clone, Debug)]
pub struct Panicked(pub String);

/// How a module is run: store limits and a time limit for the whole module.
#[derive(Clone, Debug)]
pub struct ObserveLimits {
    pub max_memory_bytes: u64,
    pub max_call_depth: u32,
    pub timeout: Duration,
}

/// Runs `wasm` on `engine` following `plan`. The time limit raises the
/// store's interrupt flag; later steps then report `Interrupted`.
pub fn observe(
    engine: &dyn Engine,
    features: &WasmFeatures,
    wasm: &[u8],
    plan: &Plan,
    limits: &ObserveLimits,
) -> Result<Observation, Panicked> {
    let interrupt = Arc::new(AtomicBool::new(false));
    let store_limits = Limits {
        max_memory_bytes: limits.max_memory_bytes,
        max_table_elements: 1_000_000,
        max_call_depth: limits.max_call_depth,
        interrupt: interrupt.clone(),
    };
    // The watchdog raises the flag at the deadline unless the run ends first
    // (dropping it wakes its thread at once).
    let watchdog = Watchdog::start(limits.timeout, interrupt);
    // Not the script runner's `guard::catch`, which keeps panic messages
    // for its report instead of printing them: a panic that then aborts
    // (one inside a function that cannot unwind) must still be on stderr.
    let result = catch_unwind(AssertUnwindSafe(|| {
        run_steps(engine, features, wasm, plan, &store_limits)
    }));
    drop(watchdog);
    result.map_err(|payload| {
        Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into()),
        )
    })
}

fn run_steps(
    engine: &dyn Engine,
    features: &WasmFeatures,
    wasm: &[u8],
    plan: &Plan,
    limits: &Limits,
) -> Observation {
    let mut steps = Vec::new();
    let failed = |e: crate::engine::EngineError| Step::Failed(e.kind, e.message);
    let mut store = engine.new_session(features, limits);
    let module = match store.compile(wasm) {
        Ok(m) => m,
        Err(e) => {
            steps.push((StepName::Compile, failed(e)));
            return Observation { steps };
        }
    };
    let instance = match store.instantiate(module) {
        Ok(i) => i,
        Err(e) => {
            steps.push((StepName::Instantiate, failed(e)));
            return Observation { steps };
        }
    };
    for (i, call) in plan.calls.iter().enumerate() {
        let step = match store.invoke(instance, &call.export, &call.args) {
            Ok(values) => Step::Values(values),
            Err(e) => failed(e),
        };
        steps.push((StepName::Invoke(i), step));
    }
    for (i, name) in plan.globals.iter().enumerate() {
        let step = match store.get_global(instance, name) {
            Ok(v) => Step::Values(vec![v]),
            Err(e) => failed(e),
        };
        steps.push((StepName::Global(i), step));
    }
    for (i, name) in plan.memories.iter().enumerate() {
        let step = match store
            .read_memory(instance, name, 0, u64::MAX)
            .map(|(bytes, _)| bytes)
        {
            Ok(bytes) => Step::Memory {
                len: bytes.len(),
                digest: fnv1a32(&bytes),
            },
            Err(e) => failed(e),
        };
        steps.push((StepName::Memory(i), step));
    }
    Observation { steps }
}

/// 32-bit FNV-1a, the memory digest (also computed by the V8 replay script).
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// Errors that end a comparison without a verdict: limits reached at
/// different points by different engines (depth, budgets, time), or
/// something one engine cannot express.
pub fn is_inconclusive(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Exhaustion | ErrorKind::Interrupted | ErrorKind::Unsupported | ErrorKind::Other
    )
}

/// Whether two steps agree: values exactly (any NaN matches any NaN, as
/// NaN payloads may legally differ), bytes exactly, errors by kind.
pub fn steps_agree(a: &Step, b: &Step) -> bool {
    match (a, b) {
        (Step::Values(x), Step::Values(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| values_agree(x, y))
        }
        (Step::Memory { len: a, digest: x }, Step::Memory { len: b, digest: y }) => {
            a == b && x == y
        }
        (Step::Failed(x, _), Step::Failed(y, _)) => x == y,
        _ => false,
    }
}

fn values_agree(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::F32(x), Value::F32(y)) => {
            x == y || (f32::from_bits(*x).is_nan() && f32::from_bits(*y).is_nan())
        }
        (Value::F64(x), Value::F64(y)) => {
            x == y || (f64::from_bits(*x).is_nan() && f64::from_bits(*y).is_nan())
        }
        _ => a == b,
    }
}

/// The outcome of comparing several engines' observations of one module.
#[derive(Clone, Debug)]
pub enum Agreement {
    /// Every step agreed.
    Agreed,
    /// A step stopped the comparison without a verdict (see [`is_inconclusive`]).
    Inconclusive { step: StepName, why: String },
    /// Engines disagreed at `step`; `groups` partitions the engines'
    /// indices by what they saw there, largest group first.
    Diverged {
        step: StepName,
        groups: Vec<Vec<usize>>,
    },
}

/// Compares observations (one per engine, same plan) step by step.
pub fn compare(seen: &[Observation]) -> Agreement {
    let longest = seen.iter().map(|o| o.steps.len()).max().unwrap_or(0);
    for k in 0..longest {
        // Engines that stopped early saw a failure before; that step diverged
        // already unless all stopped, so a missing step is its own group.
        let at: Vec<Option<&(StepName, Step)>> = seen.iter().map(|o| o.steps.get(k)).collect();
        let name = at
            .iter()
            .flatten()
            .next()
            .map(|(n, _)| n.clone())
            .expect("some engine has step k");
        for (n, step) in at.iter().flatten() {
            if let Step::Failed(kind, message) = step {
                if is_inconclusive(*kind) {
                    return Agreement::Inconclusive {
                        step: n.clone(),
                        why: format!("{kind:?}: {message}"),
                    };
                }
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, s) in at.iter().enumerate() {
            let same = groups.iter_mut().find(|g| match (at[g[0]], s) {
                (Some((na, a)), Some((nb, b))) => na == nb && steps_agree(a, b),
                (None, None) => true,
                _ => false,
            });
            match same {
                Some(g) => g.push(i),
                None => groups.push(vec![i]),
            }
        }
        if groups.len() > 1 {
            groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
            return Agreement::Diverged { step: name, groups };
        }
    }
    Agreement::Agreed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(steps: Vec<Step>) -> Observation {
        Observation {
            steps: steps
                .into_iter()
                .enumerate()
                .map(|(i, s)| (StepName::Invoke(i), s))
                .collect(),
        }
    }

    #[test]
    fn nans_agree_and_numbers_must_match() {
        let nan_a = Step::Values(vec![Value::F32(0x7fc0_0000)]);
        let nan_b = Step::Values(vec![Value::F32(0xffc0_0001)]);
        assert!(steps_agree(&nan_a, &nan_b));
        assert!(!steps_agree(
            &Step::Values(vec![Value::I32(1)]),
            &Step::Values(vec![Value::I32(2)])
        ));
        let trap = |m: &str| Step::Failed(ErrorKind::Trap, m.into());
        assert!(steps_agree(
            &trap("divide by zero"),
            &trap("integer divide by zero")
        ));
    }

    #[test]
    fn the_first_differing_step_decides_and_limits_are_inconclusive() {
        let one = Step::Values(vec![Value::I32(1)]);
        let two = Step::Values(vec![Value::I32(2)]);
        let a = obs(vec![one.clone(), one.clone()]);
        let b = obs(vec![one.clone(), two.clone()]);
        let c = obs(vec![one.clone(), one.clone()]);
        match compare(&[a.clone(), b.clone(), c]) {
            Agreement::Diverged { step, groups } => {
                assert_eq!(step, StepName::Invoke(1));
                assert_eq!(groups, vec![vec![0, 2], vec![1]]);
            }
            v => panic!("{v:?}"),
        }
        assert!(matches!(
            compare(&[a.clone(), a.clone()]),
            Agreement::Agreed
        ));
        let deep = obs(vec![
            Step::Failed(ErrorKind::Exhaustion, "stack".into()),
            two,
        ]);
        assert!(matches!(
            compare(&[a, deep]),
            Agreement::Inconclusive { .. }
        ));
    }
}
