//! `touchstone.toml`: how a suite is run (features per file, limits, time,
//! dialect, host modules, skips) and which engines exist besides the
//! built-in ones. One format for every command; documented in
//! `docs/config.md`.
//!
//! Which file is used (the first that exists; files are not merged):
//! `--config FILE`, then `touchstone.toml` at the suite root (the first
//! PATH given, or its folder for a file), then `touchstone/touchstone.toml`
//! in the user's config directory (`~/.config` on Linux).

mod size;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use serde::Deserialize;
use wasmparser::WasmFeatures;

use crate::script_runner::dialect::Dialect;
use crate::script_runner::{FileRule, HostModule, LimitOverrides};
use crate::suite::features;
pub use size::ByteSize;

/// The file name looked for at a suite root and in the config directory.
pub const FILE_NAME: &str = "touchstone.toml";

/// A parsed `touchstone.toml`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub suite: SuiteConfig,
    #[serde(default)]
    pub engines: EnginesConfig,
}

/// `[suite]`: how scripts run.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SuiteConfig {
    /// Feature list applied to every script after the folder table
    /// (`"wasm3,+gc"`; see [`features::apply_list`]).
    pub features: Option<String>,
    /// Conventions of the runner the scripts were written for.
    pub dialect: Option<Dialect>,
    /// Per-file time limit, seconds.
    pub timeout: Option<f64>,
    /// Count passes with a different error message as failures.
    pub strict_messages: Option<bool>,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Modules instantiated and registered under their name before each
    /// script: name = path to a `.wat` or `.wasm` file, relative to the
    /// config file.
    #[serde(default)]
    pub host_modules: BTreeMap<String, PathBuf>,
    /// `[[suite.files]]`: settings for the scripts a glob matches; every
    /// matching entry applies, in file order.
    #[serde(default)]
    pub files: Vec<FilesConfig>,
}

/// `[suite.limits]`, also allowed in a `[[suite.files]]` entry.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    /// Linear memory in all, bytes: a number or `"64 MiB"`.
    pub max_memory: Option<ByteSize>,
    pub max_table_elements: Option<u64>,
    pub max_call_depth: Option<u32>,
}

/// One `[[suite.files]]` entry.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilesConfig {
    /// Glob over script paths as reports name them (relative to the PATH
    /// given): `proposals/gc/*.wast`, `**/simd_*.wast`.
    pub glob: String,
    pub features: Option<String>,
    pub timeout: Option<f64>,
    pub dialect: Option<Dialect>,
    pub limits: Option<LimitsConfig>,
    /// Do not run these scripts; the text says why (shown in reports).
    pub skip: Option<String>,
}

/// `[engines]`: engines besides the built-in ones, and engine options.
/// Parsed and checked here; the external-engine and node adapters use them.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnginesConfig {
    /// `[engines.external]`: NAME = command line of an engine speaking
    /// touchstone's engine protocol.
    #[serde(default)]
    pub external: BTreeMap<String, String>,
    /// `[engines.node]`: the Node.js (V8) adapter.
    #[serde(default)]
    pub node: NodeConfig,
    /// `isolate = true`: built-in engines run in `touchstone serve` worker
    /// processes, as with `--isolate`.
    #[serde(default)]
    pub isolate: bool,
}

/// `[engines.node]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeConfig {
    /// The `node` executable (default: `node` on the PATH).
    pub command: Option<String>,
    /// Extra flags, e.g. `["--experimental-wasm-stack-switching"]`.
    #[serde(default)]
    pub flags: Vec<String>,
}

impl NodeConfig {
    /// How the V8 adapter runs node under this config.
    pub fn settings(&self) -> crate::engine::v8::NodeSettings {
        crate::engine::v8::NodeSettings {
            command: self.command.clone(),
            flags: self.flags.clone(),
        }
    }
}

/// A config and where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub config: Config,
}

impl Config {
    /// Parses and checks `text` (feature lists, globs, limits).
    pub fn parse(text: &str) -> anyhow::Result<Config> {
        let config: Config = toml::from_str(text)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        let s = &self.suite;
        check_features(s.features.as_deref(), "suite.features")?;
        check_timeout(s.timeout, "suite.timeout")?;
        for (i, f) in s.files.iter().enumerate() {
            let at = format!("suite.files[{i}] ({})", f.glob);
            globset::Glob::new(&f.glob).with_context(|| format!("{at}: glob"))?;
            check_features(f.features.as_deref(), &at)?;
            check_timeout(f.timeout, &at)?;
        }
        for name in self.engines.external.keys() {
            if crate::engine::registry::names().contains(&name.as_str()) {
                bail!("engines.external.{name}: the name of a built-in engine");
            }
        }
        Ok(())
    }

    /// Reads the config to use: `explicit` if given (it must exist), else
    /// `touchstone.toml` at `suite_root`, else the user's one. `None` when
    /// there is none.
    pub fn find(
        explicit: Option<&Path>,
        suite_root: Option<&Path>,
    ) -> anyhow::Result<Option<Loaded>> {
        let candidates: Vec<PathBuf> = match explicit {
            Some(path) => vec![path.to_path_buf()],
            None => suite_root
                .map(|root| {
                    if root.is_file() {
                        root.parent().unwrap_or(Path::new(".")).to_path_buf()
                    } else {
                        root.to_path_buf()
                    }
                })
                .map(|dir| dir.join(FILE_NAME))
                .into_iter()
                .chain(dirs::config_dir().map(|d| d.join("touchstone").join(FILE_NAME)))
                .collect(),
        };
        for path in candidates {
            if explicit.is_none() && !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading config {}", path.display()))?;
            let config =
                Config::parse(&text).with_context(|| format!("config {}", path.display()))?;
            return Ok(Some(Loaded { path, config }));
        }
        Ok(None)
    }
}

impl Loaded {
    /// The per-file rules, in order, for the runner.
    pub fn file_rules(&self) -> anyhow::Result<Vec<FileRule>> {
        let s = &self.config.suite;
        let mut rules = Vec::new();
        // The suite-wide settings are a rule that matches everything, first.
        rules.push(FileRule {
            glob: None,
            features: s.features.clone(),
            timeout: s.timeout.map(Duration::from_secs_f64),
            dialect: s.dialect,
            limits: limit_overrides(&s.limits),
            skip: None,
        });
        for f in &s.files {
            rules.push(FileRule {
                glob: Some(globset::Glob::new(&f.glob)?.compile_matcher()),
                features: f.features.clone(),
                timeout: f.timeout.map(Duration::from_secs_f64),
                dialect: f.dialect,
                limits: f.limits.as_ref().map(limit_overrides).unwrap_or_default(),
                skip: f.skip.clone(),
            });
        }
        Ok(rules)
    }

    /// The host modules, read and (for `.wat`) converted to binary.
    pub fn host_modules(&self) -> anyhow::Result<Vec<HostModule>> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        self.config
            .suite
            .host_modules
            .iter()
            .map(|(name, path)| {
                let path = dir.join(path);
                let wasm = wat::parse_file(&path)
                    .with_context(|| format!("host module `{name}` ({})", path.display()))?;
                Ok(HostModule {
                    name: name.clone(),
                    wasm,
                })
            })
            .collect()
    }
}

fn limit_overrides(l: &LimitsConfig) -> LimitOverrides {
    LimitOverrides {
        max_memory_bytes: l.max_memory.map(|b| b.0),
        max_table_elements: l.max_table_elements,
        max_call_depth: l.max_call_depth,
    }
}

fn check_features(list: Option<&str>, at: &str) -> anyhow::Result<()> {
    if let Some(list) = list {
        features::apply_list(WasmFeatures::empty(), list)
            .map_err(|e| anyhow::anyhow!("{at}: features: {e}"))?;
    }
    Ok(())
}

fn check_timeout(t: Option<f64>, at: &str) -> anyhow::Result<()> {
    match t {
        Some(t) if !(t > 0.0 && t.is_finite()) => {
            bail!("{at}: timeout must be a positive number of seconds")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
