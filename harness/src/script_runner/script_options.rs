//! What a script says about itself in the comment block at its top.
//!
//! Our own limits line:
//!
//! ```text
//! ;; touchstone: timeout=2 max-memory-mib=64
//! ```
//!
//! used by the project's own guard tests (a script that loops forever need
//! not hold a run for the full default limit). A script can only tighten the
//! limits the run was given, never loosen them.
//!
//! And wasmtime-style settings, one per line (`docs/config.md`, "Header comments"):
//!
//! ```text
//! ;;! gc = true
//! ;;! simd = false
//! ```
//!
//! A key that names a wasmparser feature turns it on or off; the keys in
//! [`ENGINE_SETTINGS`] are engine settings rather than features, and each
//! has a fixed treatment; any other key skips the file, saying why.

use std::time::Duration;

/// What a script's header asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptOptions {
    pub timeout: Option<Duration>,
    pub max_memory_bytes: Option<u64>,
    /// `;;! key = value` settings, in order, value unquoted.
    pub settings: Vec<(String, String)>,
}

/// What the runner does with a header key that is an engine setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingAction {
    /// Run the file as usual; the setting changes nothing we check.
    Ignore,
    /// Do not run the file; the text says why.
    Skip,
}

/// Header keys that configure an engine rather than enable a Wasm feature
/// (keys ending in `*` are prefixes), what we do with each, and why.
pub const ENGINE_SETTINGS: &[(&str, SettingAction, &str)] = &[
    (
        "nan_canonicalization",
        SettingAction::Ignore,
        "asks the engine to canonicalise NaN results; the scripts' NaN patterns hold either way",
    ),
    (
        "hogs_memory",
        SettingAction::Ignore,
        "marks a file that reserves much memory; the run's memory limit bounds it",
    ),
    (
        "pooling",
        SettingAction::Ignore,
        "selects wasmtime's pooling allocator; allocation strategy is not observable here",
    ),
    (
        "spec_test",
        SettingAction::Ignore,
        "runs the file with the spec's own settings, which are ours",
    ),
    (
        "component_model*",
        SettingAction::Skip,
        "the component model is not supported",
    ),
];

/// The effect of a file's `;;!` settings on the features `base`.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsEffect {
    pub features: wasmparser::WasmFeatures,
    /// Why the file must not run, if a setting says so.
    pub skip: Option<String>,
}

impl ScriptOptions {
    /// Applies the `;;!` settings to `base`.
    pub fn apply_settings(&self, base: wasmparser::WasmFeatures) -> SettingsEffect {
        let mut effect = SettingsEffect {
            features: base,
            skip: None,
        };
        for (key, value) in &self.settings {
            let known = ENGINE_SETTINGS
                .iter()
                .find(|(name, _, _)| match name.strip_suffix('*') {
                    Some(prefix) => key.starts_with(prefix),
                    None => key == name,
                });
            if let Some((_, action, why)) = known {
                if *action == SettingAction::Skip && effect.skip.is_none() {
                    effect.skip = Some(format!("header `{key} = {value}`: {why}"));
                }
                continue;
            }
            let Some(flag) = crate::suite::features::feature_named(key) else {
                effect.skip.get_or_insert_with(|| {
                    format!(
                        "header `{key}` is neither a wasmparser feature nor a known engine setting"
                    )
                });
                continue;
            };
            match value.as_str() {
                "true" => effect.features |= flag,
                "false" => effect.features.remove(flag),
                _ => {
                    effect.skip.get_or_insert_with(|| {
                        format!("header `{key} = {value}`: a feature is `true` or `false`")
                    });
                }
            }
        }
        effect
    }
}

impl ScriptOptions {
    /// Reads `;; touchstone:` lines from the comment block at the top of
    /// `text`. Unknown keys are ignored.
    pub fn from_text(text: &str) -> ScriptOptions {
        let mut options = ScriptOptions::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix(";;") else {
                break;
            };
            if let Some(setting) = comment.strip_prefix('!') {
                if let Some((key, value)) = setting.split_once('=') {
                    // TOML, as wasmtime reads it: a `#` starts a comment.
                    let value = value.split('#').next().unwrap_or("");
                    let value = value.trim().trim_matches('"').to_string();
                    options.settings.push((key.trim().to_string(), value));
                }
                continue;
            }
            let Some(settings) = comment.trim().strip_prefix("touchstone:") else {
                continue;
            };
            for setting in settings.split_whitespace() {
                match setting.split_once('=') {
                    Some(("timeout", v)) => {
                        options.timeout = v
                            .parse::<f64>()
                            .ok()
                            .filter(|s| *s > 0.0)
                            .map(Duration::from_secs_f64)
                    }
                    Some(("max-memory-mib", v)) => {
                        options.max_memory_bytes = v.parse::<u64>().ok().map(|m| m << 20)
                    }
                    _ => {}
                }
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_only() {
        let o = ScriptOptions::from_text(
            ";; intro\n;; touchstone: timeout=2.5 max-memory-mib=64\n(module)\n;; touchstone: timeout=9\n",
        );
        assert_eq!(o.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(o.max_memory_bytes, Some(64 << 20));
        assert_eq!(
            ScriptOptions::from_text("(module)"),
            ScriptOptions::default()
        );
    }

    #[test]
    fn wasmtime_settings_toggle_features() {
        use wasmparser::WasmFeatures as F;
        let o = ScriptOptions::from_text(
            ";;! gc = true\n;;! simd = false # no vectors\n;;! nan_canonicalization = true\n\n(module)\n;;! threads = true\n",
        );
        assert_eq!(o.settings.len(), 3);
        let effect = o.apply_settings(F::WASM2);
        assert_eq!(effect.features, (F::WASM2 | F::GC) - F::SIMD);
        assert_eq!(effect.skip, None);
    }

    #[test]
    fn unknown_or_skipping_settings_say_why() {
        let skip = |text: &str| {
            ScriptOptions::from_text(text)
                .apply_settings(wasmparser::WasmFeatures::WASM3)
                .skip
                .unwrap()
        };
        assert!(skip(";;! component_model_async = true").contains("component model"));
        assert!(skip(";;! frobnicate = true").contains("`frobnicate`"));
        assert!(skip(";;! gc = yes").contains("`true` or `false`"));
    }
}
