//! Shrinking a diverging module with `wasm-shrink` (wasm-tools' reducer)
//! while it still diverges the same way.

use std::time::{Duration, Instant};

use super::observe::{compare, observe, Agreement, ObserveLimits};
use super::plan::plan;
use crate::engine::{Engine, WasmFeatures};

/// The same disagreement: the same engines split off from the rest.
fn signature(verdict: &Agreement, names: &[&str]) -> Option<Vec<Vec<String>>> {
    let Agreement::Diverged { groups, .. } = verdict else {
        return None;
    };
    let mut groups: Vec<Vec<String>> = groups
        .iter()
        .map(|g| g.iter().map(|&i| names[i].to_string()).collect())
        .collect();
    groups.sort();
    Some(groups)
}

/// Whether `wasm` diverges on `engines` the way `want` describes.
fn still_diverges(
    engines: &[&dyn Engine],
    features: &WasmFeatures,
    wasm: &[u8],
    seed: u64,
    limits: &ObserveLimits,
    want: &Option<Vec<Vec<String>>>,
) -> bool {
    let Ok(p) = plan(wasm, seed) else {
        return false;
    };
    let mut seen = Vec::new();
    for e in engines {
        match observe(*e, features, wasm, &p, limits) {
            Ok(o) => seen.push(o),
            Err(_) => return false,
        }
    }
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    signature(&compare(&seen), &names) == *want
}

/// The smallest module found within `budget` that still diverges as
/// `verdict` does; the input itself if nothing smaller does.
pub fn reduce(
    engines: &[&dyn Engine],
    features: &WasmFeatures,
    wasm: &[u8],
    seed: u64,
    verdict: &Agreement,
    limits: &ObserveLimits,
    budget: Duration,
) -> Vec<u8> {
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    let want = signature(verdict, &names);
    if want.is_none() {
        return wasm.to_vec();
    }
    shrink(wasm, seed, budget, |candidate| {
        still_diverges(engines, features, candidate, seed, limits, &want)
    })
}

/// The smallest module `wasm-shrink` finds within `budget` for which
/// `interesting` holds (it holds for `wasm`); `wasm` itself if none.
pub fn shrink(
    wasm: &[u8],
    seed: u64,
    budget: Duration,
    mut interesting: impl FnMut(&[u8]) -> bool,
) -> Vec<u8> {
    let deadline = Instant::now() + budget;
    let result = wasm_shrink::WasmShrink::default()
        .attempts(400)
        .seed(seed)
        .run(wasm.to_vec(), |candidate| {
            // Out of time: nothing more is interesting, so the shrinker stops soon.
            Ok(Instant::now() < deadline && interesting(candidate))
        });
    match result {
        Ok(info) => info.output,
        Err(_) => wasm.to_vec(),
    }
}

/// Whether `wasm` diverges as `verdict` does on each of `runs` runs.
pub fn reproduces(
    engines: &[&dyn Engine],
    features: &WasmFeatures,
    wasm: &[u8],
    seed: u64,
    verdict: &Agreement,
    limits: &ObserveLimits,
    runs: usize,
) -> bool {
    let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
    let want = signature(verdict, &names);
    want.is_some()
        && (0..runs).all(|_| still_diverges(engines, features, wasm, seed, limits, &want))
}
