//! An engine that crashed on a module (a panic in process, or a worker
//! process that died: an abort, a stack overflow, a signal) is a finding
//! of its own: the module is reduced while the same engine still crashes
//! (at the same place, when a worker's stderr names it; a panic in process
//! is printed, and any panic of that engine counts), and written out like
//! a divergence, with the
//! assertions of an engine that ran it, so `touchstone test --isolate` on
//! the crashing engine reproduces the crash.

use super::observe::{observe, Observation, ObserveLimits, Panicked};
use super::plan::{plan, Plan};
use super::reduce::shrink;
use super::{record, Finding, FuzzOptions};
use crate::engine::{Engine, WasmFeatures};

/// Where the engine panicked (`FILE:LINE`, from the last "panicked at
/// FILE:LINE...:" in the message or the worker's stderr, where `touchstone
/// serve` repeats the first of several panics), when the message says.
pub fn panic_site(message: &str) -> Option<&str> {
    let (_, after) = message.rsplit_once("panicked at ")?;
    let site = after.split(": ").next()?.trim_end_matches(':');
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (rest, last) = site.rsplit_once(':')?;
    if !numeric(last) {
        return None;
    }
    // FILE:LINE:COLUMN becomes FILE:LINE (a site without a column stays).
    match rest.rsplit_once(':') {
        Some((_, line)) if numeric(line) => Some(rest),
        _ => Some(site),
    }
}

/// Whether `engine` still crashes on `wasm` as the original did (at the
/// same panic site, when the original named one).
fn still_crashes(
    engine: &dyn Engine,
    features: &WasmFeatures,
    wasm: &[u8],
    seed: u64,
    limits: &ObserveLimits,
    site: Option<&str>,
) -> bool {
    let Ok(p) = plan(wasm, seed) else {
        return false;
    };
    match observe(engine, features, wasm, &p, limits) {
        Ok(_) => false,
        Err(Panicked(message)) => site.is_none() || panic_site(&message) == site,
    }
}

/// The finding for `wasm`, on which the engines at `crashed` (indices into
/// `engines`, with their messages) crashed; `seen` holds every engine's
/// result on the original module.
pub(super) fn finding(
    engines: &[&dyn Engine],
    options: &FuzzOptions,
    seed: u64,
    wasm: &[u8],
    original_plan: &Plan,
    seen: &[Result<Observation, Panicked>],
) -> Finding {
    let crashed: Vec<(usize, &str)> = seen
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().err().map(|p| (i, p.0.as_str())))
        .collect();
    let (first, message) = crashed[0];
    let engine = engines[first];
    let site = panic_site(message).map(str::to_string);
    let names: Vec<&str> = crashed.iter().map(|(i, _)| engines[*i].name()).collect();
    let mut lines = vec![format!(
        "{} crashed{}: {}",
        names.join("+"),
        site.as_ref()
            .map(|s| format!(" (panic at {s})"))
            .unwrap_or_default(),
        message.trim()
    )];
    let reduced = reduce(engine, options, wasm, seed, site.as_deref());
    let reduced = if reduced.len() < wasm.len()
        && (0..2).all(|_| {
            still_crashes(
                engine,
                &options.features,
                &reduced,
                seed,
                &options.limits,
                site.as_deref(),
            )
        }) {
        lines.push(format!(
            "reduced from {} to {} bytes (crashes {} alike)",
            wasm.len(),
            reduced.len(),
            engine.name()
        ));
        reduced
    } else {
        lines.push(format!("not reduced ({} bytes)", wasm.len()));
        wasm.to_vec()
    };
    let reduced_plan = plan(&reduced, seed).unwrap_or_else(|_| original_plan.clone());
    // The assertions: what an engine that did not crash saw (ours first).
    let healthy: Vec<usize> = (0..engines.len()).filter(|i| seen[*i].is_ok()).collect();
    let reference = healthy
        .iter()
        .copied()
        .find(|&i| engines[i].name() == "touchstone")
        .or_else(|| healthy.first().copied());
    let mut header = vec![format!(
        "Found by `touchstone fuzz` (module seed {seed}); run it again: touchstone fuzz {} --module-seed {seed}",
        options.rerun_flags
    )];
    match reference {
        Some(i) => header.push(format!(
            "Assertions are what {} produced; `touchstone test` of this file on {} (`--isolate` for a built-in engine) shows the crash.",
            engines[i].name(),
            engine.name()
        )),
        _ => header.push("Every engine crashed: the module alone is written.".into()),
    }
    header.extend(lines.iter().cloned());
    let finding = Finding {
        seed,
        crash: true,
        summary: lines.join("\n"),
        explained: None,
        regression: None,
    };
    let reference = reference.map(|i| engines[i]);
    record(
        options,
        finding,
        &reduced,
        &reduced_plan,
        reference,
        &header,
    )
}

/// The smallest module found within the reduction budget on which
/// `engine` still crashes at `site`; the input if none is smaller.
fn reduce(
    engine: &dyn Engine,
    options: &FuzzOptions,
    wasm: &[u8],
    seed: u64,
    site: Option<&str>,
) -> Vec<u8> {
    shrink(wasm, seed, options.reduce_budget, |candidate| {
        still_crashes(
            engine,
            &options.features,
            candidate,
            seed,
            &options.limits,
            site,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_sites_are_file_and_line() {
        let worker = "engine `wasmi`: the engine closed its stdout (exited?) (killed by signal 6); \
                      stderr ends:\ntouchstone serve: wasmi panicked at \
                      library/core/src/panicking.rs:225:5: panic in a function that cannot unwind\n\
                      touchstone serve: wasmi panicked at /r/wasmi-2.0.0/src/engine/translator/func/mod.rs:2583:25: \
                      internal error: entered unreachable code (the first panic)";
        assert_eq!(
            panic_site(worker),
            Some("/r/wasmi-2.0.0/src/engine/translator/func/mod.rs:2583")
        );
        assert_eq!(
            panic_site("panicked at src/exec/mod.rs:12: index out of bounds"),
            Some("src/exec/mod.rs:12")
        );
        assert_eq!(panic_site("engine `x`: killed by signal 11"), None);
    }
}
