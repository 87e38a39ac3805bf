//! The benchmark programs: `bench/programs/NAME.wasm` with the size and
//! expected checksum that `bench/build.sh` recorded in `bench/expected.tsv`.

use std::path::{Path, PathBuf};

/// One compute program: a module exporting `run(size: i32) -> i64`.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    /// The argument passed to `run`.
    pub size: i32,
    /// The checksum the native (gcc) build of the same C source returned.
    pub expected: i64,
    pub wasm: Vec<u8>,
}

/// The repository's `bench/` folder, or the folder `TOUCHSTONE_BENCH_DIR`
/// names: a set of programs of the same layout (`expected.tsv` and
/// `programs/NAME.wasm`), e.g. held-out programs the engine is not tuned on.
pub fn bench_dir() -> PathBuf {
    match std::env::var_os("TOUCHSTONE_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_bench_dir(),
    }
}

/// The repository's `bench/` folder.
pub fn repo_bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("bench")
}

/// Parses `expected.tsv`: `name<TAB>size<TAB>checksum` lines, `#` comments.
pub fn parse_manifest(text: &str) -> Result<Vec<(String, i32, i64)>, String> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, size, checksum] = fields[..] else {
            return Err(format!(
                "line {}: expected 3 tab-separated fields",
                number + 1
            ));
        };
        let size = size
            .parse()
            .map_err(|e| format!("line {}: size: {e}", number + 1))?;
        let checksum = checksum
            .parse()
            .map_err(|e| format!("line {}: checksum: {e}", number + 1))?;
        entries.push((name.to_string(), size, checksum));
    }
    Ok(entries)
}

/// The programs listed in `expected.tsv` whose module is not in `programs/`:
/// the large program (`lua`) is built from third-party sources by
/// `bench/build-lua.sh` and never committed.
#[derive(Debug, Default)]
pub struct Loaded {
    pub programs: Vec<Program>,
    pub not_built: Vec<String>,
}

/// Loads every program listed in `dir/expected.tsv` whose name contains one
/// of `filters` (all of them when `filters` is empty).
pub fn load(dir: &Path, filters: &[String]) -> Result<Loaded, String> {
    let manifest_path = dir.join("expected.tsv");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut loaded = Loaded::default();
    for (name, size, expected) in parse_manifest(&text)? {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let path = dir.join("programs").join(format!("{name}.wasm"));
        let wasm = match std::fs::read(&path) {
            Ok(wasm) => wasm,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                loaded.not_built.push(name);
                continue;
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        loaded.programs.push(Program {
            name,
            size,
            expected,
            wasm,
        });
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_skips_comments_and_reads_negative_checksums() {
        let parsed =
            parse_manifest("# name\tsize\tchecksum\nfib\t30\t832040\n\nnbody\t10\t-42\n").unwrap();
        assert_eq!(
            parsed,
            vec![
                ("fib".to_string(), 30, 832040),
                ("nbody".to_string(), 10, -42)
            ]
        );
    }

    #[test]
    fn manifest_rejects_a_short_line() {
        let err = parse_manifest("fib\t30\n").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn committed_manifest_lists_at_least_eight_programs_that_exist() {
        let loaded = load(&repo_bench_dir(), &[]).unwrap();
        // Only the large program may be missing (built by bench/build-lua.sh).
        assert!(
            loaded.not_built.iter().all(|n| n == "lua"),
            "{:?}",
            loaded.not_built
        );
        let programs = loaded.programs;
        assert!(programs.len() >= 8, "only {} programs", programs.len());
        for program in &programs {
            assert!(
                program.wasm.starts_with(b"\0asm"),
                "{} is not a wasm binary",
                program.name
            );
        }
    }
}
