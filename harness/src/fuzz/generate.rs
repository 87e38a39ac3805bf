//! Seeded random modules: `wasm-smith` driven by a seed and restricted to
//! a feature set, made to terminate.

use arbitrary::Unstructured;
use wasmparser::WasmFeatures;

/// Fuel each generated module gets (wasm-smith's termination pass): every
/// function entry and loop iteration spends one unit and a call with none
/// left traps, so every run ends, identically on every engine. Below the
/// fuzzer's call-depth limit, so recursion runs out of fuel (a trap every
/// engine agrees on) before it reaches an engine's stack limit.
pub const MODULE_FUEL: u32 = 3_000;

/// Bytes of a memory's declared initial or maximum size: keeps a
/// generated module's memory cheap to allocate and to compare.
const MAX_MEMORY_BYTES: u64 = 1 << 20;

/// A small, fast, seedable generator (splitmix64): the same seed gives the
/// same module on every machine.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// The seed of the `index`-th module of a run started with `seed`.
pub fn case_seed(seed: u64, index: u64) -> u64 {
    Rng(seed ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03)).next_u64()
}

/// wasm-smith's configuration for modules that use only `features`.
///
/// Deterministic by construction: NaNs are canonicalised after every float
/// operation and relaxed SIMD (implementation-defined by design) and
/// shared-everything threads are off; no imports, so no host is needed;
/// everything is exported, so every function, global and memory is seen.
pub fn smith_config(f: WasmFeatures) -> wasm_smith::Config {
    let mut c = wasm_smith::Config::default();
    c.allow_floats = f.floats();
    c.bulk_memory_enabled = f.bulk_memory();
    c.reference_types_enabled = f.reference_types();
    c.multi_value_enabled = f.multi_value();
    c.saturating_float_to_int_enabled = f.saturating_float_to_int();
    c.sign_extension_ops_enabled = f.sign_extension();
    c.simd_enabled = f.simd();
    c.relaxed_simd_enabled = false;
    c.tail_call_enabled = f.tail_call();
    c.extended_const_enabled = f.extended_const();
    c.memory64_enabled = f.memory64();
    c.max_memories = if f.multi_memory() { 3 } else { 1 };
    c.max_tables = if f.reference_types() { 3 } else { 1 };
    c.exceptions_enabled = f.exceptions();
    c.gc_enabled = f.gc() && f.function_references();
    c.custom_page_sizes_enabled = f.custom_page_sizes();
    c.wide_arithmetic_enabled = f.wide_arithmetic();
    c.threads_enabled = f.threads();
    c.custom_descriptors_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.canonicalize_nans = true;
    c.max_imports = 0;
    c.export_everything = true;
    // Random bytes end wasm-smith's item loops early: ask for some of each.
    c.min_types = 4;
    c.min_funcs = 4;
    c.min_globals = 2;
    c.max_memory32_bytes = MAX_MEMORY_BYTES;
    c.max_memory64_bytes = MAX_MEMORY_BYTES as u128;
    c.max_table_elements = 1_000;
    // Every memory and table declares a maximum (within the caps above), so
    // growth stops at it alike everywhere. Without one, growth stops at the
    // store's budget, which engines count differently (ours charges GC
    // objects to it, wasmtime does not): a memory two pages smaller on one
    // engine is a difference of accounting, not of semantics.
    c.memory_max_size_required = true;
    c.table_max_size_required = true;
    // A huge array in a global initialiser is a resource limit, reached at
    // different points by different engines: not a comparison.
    c.limit_arrays_in_const_exprs = true;
    c
}

/// The module for `seed`, or `None` when wasm-smith could not make one from
/// the seed's bytes (rare; counted, not an error).
pub fn module(seed: u64, config: &wasm_smith::Config) -> Option<Vec<u8>> {
    let mut rng = Rng(seed);
    let len = 1024 + rng.below(15 * 1024) as usize;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    let mut u = Unstructured::new(&bytes);
    let mut m = wasm_smith::Module::new(config.clone(), &mut u).ok()?;
    m.ensure_termination(MODULE_FUEL).ok()?;
    Some(m.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_always_gives_the_same_valid_module() {
        let features = WasmFeatures::WASM2;
        let config = smith_config(features);
        let made: Vec<Vec<u8>> = (0..20).filter_map(|s| module(s, &config)).collect();
        assert!(made.len() >= 15, "wasm-smith failed on most seeds");
        for (s, wasm) in made.iter().enumerate().take(5) {
            wasmparser::Validator::new_with_features(features)
                .validate_all(wasm)
                .unwrap_or_else(|e| panic!("seed {s}: {e}"));
        }
        assert_eq!(module(3, &config), module(3, &config));
        assert_ne!(case_seed(1, 0), case_seed(1, 1));
    }

    #[test]
    fn every_memory_and_table_declares_a_small_maximum() {
        let config = smith_config(WasmFeatures::WASM3);
        let mut seen = 0;
        for s in 0..40 {
            let Some(wasm) = module(s, &config) else {
                continue;
            };
            for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
                match payload.unwrap() {
                    wasmparser::Payload::MemorySection(r) => {
                        for m in r {
                            let m = m.unwrap();
                            let page = 1u64 << m.page_size_log2.unwrap_or(16);
                            let max = m
                                .maximum
                                .unwrap_or_else(|| panic!("seed {s}: memory without a maximum"));
                            assert!(max * page <= MAX_MEMORY_BYTES, "seed {s}: {max} pages");
                            seen += 1;
                        }
                    }
                    wasmparser::Payload::TableSection(r) => {
                        for t in r {
                            let max = t.unwrap().ty.maximum;
                            assert!(
                                max.is_some_and(|m| m <= 1_000),
                                "seed {s}: table maximum {max:?}"
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(seen > 0, "no memories generated");
    }

    #[test]
    fn features_outside_the_set_are_never_generated() {
        let config = smith_config(WasmFeatures::WASM1);
        for s in 0..30 {
            if let Some(wasm) = module(s, &config) {
                wasmparser::Validator::new_with_features(
                    WasmFeatures::WASM1 | WasmFeatures::MULTI_VALUE,
                )
                .validate_all(&wasm)
                .unwrap_or_else(|e| panic!("seed {s} uses more than Wasm 1.0: {e}"));
            }
        }
    }
}
