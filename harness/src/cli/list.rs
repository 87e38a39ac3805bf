//! `touchstone list`: the engines this build can run here (with the config
//! file's settings for them), the embedded sets, feature rules and presets.

use std::path::PathBuf;

use clap::Args;

use super::stdout::outln;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The configuration file whose `[engines]` section applies (default:
    /// `touchstone.toml` in the current directory, then in the user's config
    /// directory, as `touchstone test` looks for one; see docs/config.md).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &ListArgs) -> anyhow::Result<()> {
    let config =
        crate::config::Config::find(args.config.as_deref(), Some(std::path::Path::new(".")))?;
    let engines = config.as_ref().map(|c| &c.config.engines);
    let node = engines.map(|e| e.node.settings()).unwrap_or_default();
    if let Some(c) = &config {
        outln!("config: {}", c.path.display());
    }
    outln!("engines:");
    for (name, status) in crate::engine::registry::availability(&node) {
        match status {
            Ok(what) => outln!("  {name:<12} {what}"),
            Err(why) => outln!("  {name:<12} unavailable: {why}"),
        }
    }
    for (name, command) in engines.iter().flat_map(|e| &e.external) {
        outln!("  {name:<12} external: {command} (config engines.external)");
    }
    outln!("  (any other engine: --engine-cmd NAME=COMMAND, see docs/engine-protocol.md)");
    outln!(
        "embedded sets: {}",
        crate::suite::embedded::set_names().join(", ")
    );
    outln!(
        "default sets (newest first; a file in several runs once, from the first): {}",
        crate::suite::embedded::DEFAULT_SETS.join(", ")
    );
    outln!("feature rules (first match wins; otherwise Wasm 3.0):");
    for rule in crate::suite::features::RULES {
        outln!("  {:<48} {}", rule.folder, rule.why);
    }
    let presets: Vec<&str> = crate::suite::features::PRESETS
        .iter()
        .map(|(p, _)| *p)
        .collect();
    let names: Vec<String> = crate::suite::features::named_features()
        .map(|(n, _)| n)
        .collect();
    outln!("--features presets: {}", presets.join(", "));
    outln!("--features names (+name / -name): {}", names.join(", "));
    outln!("dialects: spec, wasmtime (docs/dialects.md)");
    Ok(())
}
