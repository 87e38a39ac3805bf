//! The settings one file runs with, resolved from (lowest first): the
//! folder table (`suite/features.rs`), the config's `[suite]` and matching
//! `[[suite.files]]` entries in order, the file's own `;;!` header
//! comments, then the command line (`--features`, `--dialect`).
//! `docs/config.md` states the same order.

use std::time::Duration;

use globset::GlobMatcher;
use wasmparser::WasmFeatures;

use super::dialect::Dialect;
use super::script_options::ScriptOptions;
use super::RunOptions;
use crate::engine::Limits;
use crate::suite::{features, Script};

/// Settings for the scripts a glob matches (`None`: every script).
#[derive(Clone, Debug, Default)]
pub struct FileRule {
    pub glob: Option<GlobMatcher>,
    /// A feature list (see [`features::apply_list`]), checked when loaded.
    pub features: Option<String>,
    pub timeout: Option<Duration>,
    pub dialect: Option<Dialect>,
    pub limits: LimitOverrides,
    pub skip: Option<String>,
}

/// Limits a rule sets; unset ones keep the run's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LimitOverrides {
    pub max_memory_bytes: Option<u64>,
    pub max_table_elements: Option<u64>,
    pub max_call_depth: Option<u32>,
}

impl LimitOverrides {
    fn apply(&self, limits: &mut Limits) {
        if let Some(v) = self.max_memory_bytes {
            limits.max_memory_bytes = v;
        }
        if let Some(v) = self.max_table_elements {
            limits.max_table_elements = v;
        }
        if let Some(v) = self.max_call_depth {
            limits.max_call_depth = v;
        }
    }
}

/// A module instantiated and registered under `name` before each script.
#[derive(Clone, Debug)]
pub struct HostModule {
    pub name: String,
    pub wasm: Vec<u8>,
}

/// What one file runs with.
#[derive(Clone, Debug)]
pub struct FileSettings {
    pub features: WasmFeatures,
    pub dialect: Dialect,
    pub timeout: Duration,
    pub limits: Limits,
    /// Why the file is not run, if it is not.
    pub skip: Option<String>,
}

/// Resolves `script`'s settings; `own` is what its header says.
pub fn resolve(script: &Script, own: &ScriptOptions, options: &RunOptions) -> FileSettings {
    let mut s = FileSettings {
        features: script.features,
        dialect: Dialect::default(),
        timeout: options.timeout,
        limits: options.limits.clone(),
        skip: None,
    };
    let apply =
        |features: &mut WasmFeatures, list: &str, skip: &mut Option<String>, whose: &str| {
            match features::apply_list(*features, list) {
                Ok(f) => *features = f,
                // Lists are checked when loaded; one that still fails is reported.
                Err(e) => *skip = Some(format!("{whose} features: {e}")),
            }
        };
    for rule in &options.rules {
        if rule
            .glob
            .as_ref()
            .is_some_and(|g| !g.is_match(&script.path))
        {
            continue;
        }
        if let Some(list) = &rule.features {
            apply(&mut s.features, list, &mut s.skip, "config");
        }
        if let Some(t) = rule.timeout {
            s.timeout = t;
        }
        if let Some(d) = rule.dialect {
            s.dialect = d;
        }
        rule.limits.apply(&mut s.limits);
        if rule.skip.is_some() {
            s.skip = rule.skip.clone();
        }
    }
    let effect = own.apply_settings(s.features);
    s.features = effect.features;
    if s.skip.is_none() {
        s.skip = effect.skip;
    }
    if let Some(list) = &options.features {
        apply(&mut s.features, list, &mut s.skip, "--features");
    }
    if let Some(d) = options.dialect {
        s.dialect = d;
    }
    // A script may tighten the limits it runs under, never loosen them.
    if let Some(max) = own.max_memory_bytes {
        s.limits.max_memory_bytes = s.limits.max_memory_bytes.min(max);
    }
    if let Some(t) = own.timeout {
        s.timeout = s.timeout.min(t);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(glob: &str) -> FileRule {
        FileRule {
            glob: Some(globset::Glob::new(glob).unwrap().compile_matcher()),
            ..FileRule::default()
        }
    }

    #[test]
    fn later_sources_win() {
        let options = RunOptions {
            rules: vec![
                FileRule {
                    features: Some("wasm2".into()),
                    ..FileRule::default()
                },
                FileRule {
                    features: Some("+gc".into()),
                    dialect: Some(Dialect::Wasmtime),
                    ..rule("gc/*.wast")
                },
                FileRule {
                    skip: Some("too slow".into()),
                    timeout: Some(Duration::from_secs(5)),
                    ..rule("**/slow.wast")
                },
            ],
            features: Some("+threads".into()),
            ..RunOptions::default()
        };
        let own = ScriptOptions::from_text(";;! simd = false\n(module)");
        let s = resolve(&Script::from_text("gc/a.wast", ""), &own, &options);
        let want =
            (WasmFeatures::WASM2 | WasmFeatures::GC | WasmFeatures::THREADS) - WasmFeatures::SIMD;
        assert_eq!(s.features, want);
        assert_eq!(s.dialect, Dialect::Wasmtime);
        assert_eq!(s.skip, None);

        let s = resolve(
            &Script::from_text("x/slow.wast", ""),
            &ScriptOptions::default(),
            &options,
        );
        assert_eq!(s.skip.as_deref(), Some("too slow"));
        assert_eq!(s.timeout, Duration::from_secs(5));
        assert_eq!(s.dialect, Dialect::Spec);
    }

    #[test]
    fn scripts_only_tighten_limits() {
        let options = RunOptions {
            rules: vec![FileRule {
                limits: LimitOverrides {
                    max_memory_bytes: Some(1 << 20),
                    max_call_depth: Some(50),
                    ..Default::default()
                },
                ..FileRule::default()
            }],
            ..RunOptions::default()
        };
        let own = ScriptOptions::from_text(";; touchstone: max-memory-mib=64 timeout=1\n");
        let s = resolve(&Script::from_text("a.wast", ""), &own, &options);
        assert_eq!(s.limits.max_memory_bytes, 1 << 20);
        assert_eq!(s.limits.max_call_depth, 50);
        assert_eq!(s.timeout, Duration::from_secs(1));
    }
}
