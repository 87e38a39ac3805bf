//! `--engine v8`: V8 through node's WebAssembly JS API, driven over the
//! engine protocol by the adapter in `adapters/v8/`. The adapter's scripts
//! are compiled into the binary and written to a temporary folder on first
//! use, so an installed `touchstone` needs nothing beside it but node.
//!
//! Node is `$TOUCHSTONE_NODE`, else the config file's `[engines.node]
//! command`, else `node` on the `PATH`; extra node flags (say
//! `--experimental-wasm-memory64`) are the config's `flags` followed by
//! `$TOUCHSTONE_NODE_FLAGS` (whitespace-separated). Reports record them
//! (`flags`) with V8's and node's versions.

use std::path::{Path, PathBuf};

use super::external::ExternalEngine;

/// The engine's name on the command line and in reports.
pub const NAME: &str = "v8";

/// The adapter's files (name, contents); the first is the entry point.
const FILES: [(&str, &str); 3] = [
    (
        "touchstone-v8.mjs",
        include_str!("../../../adapters/v8/touchstone-v8.mjs"),
    ),
    (
        "wasm-binary.mjs",
        include_str!("../../../adapters/v8/wasm-binary.mjs"),
    ),
    (
        "features.mjs",
        include_str!("../../../adapters/v8/features.mjs"),
    ),
];

/// How to run node, from the config file (`[engines.node]`); the
/// environment adds to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSettings {
    pub command: Option<String>,
    pub flags: Vec<String>,
}

/// The node program to run: `$TOUCHSTONE_NODE`, else the configured one,
/// else `node` on the `PATH`.
pub fn node(settings: &NodeSettings) -> Result<PathBuf, String> {
    if let Some(node) = std::env::var_os("TOUCHSTONE_NODE") {
        return Ok(PathBuf::from(node));
    }
    if let Some(node) = &settings.command {
        return Ok(PathBuf::from(node));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("node"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "node not found on PATH (install Node.js, e.g. `apt-get install nodejs`, or set TOUCHSTONE_NODE)"
                .to_string()
        })
}

/// Extra node flags: the configured ones, then `$TOUCHSTONE_NODE_FLAGS`.
pub fn node_flags(settings: &NodeSettings) -> Vec<String> {
    let from_env = std::env::var("TOUCHSTONE_NODE_FLAGS").unwrap_or_default();
    let from_env = from_env.split_whitespace().map(str::to_string);
    settings.flags.iter().cloned().chain(from_env).collect()
}

/// Writes the adapter's files into a folder named after their contents
/// (so builds with different adapters never share one) and returns the
/// entry point's path.
pub fn install_scripts() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("touchstone-v8-{:016x}", contents_hash()));
    std::fs::create_dir_all(&dir)?;
    for (name, text) in FILES {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            write_atomically(&path, text)?;
        }
    }
    Ok(dir.join(FILES[0].0))
}

/// Writes through a temporary file and a rename, so a concurrent run
/// never sees a half-written script. The temporary name is unique per call,
/// not just per process: the files of one run start their V8 sessions on
/// several threads, and with one name per process a thread could rename
/// away the file another thread was about to rename.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nth = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{nth}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// FNV-1a over the files, stable across builds and platforms.
fn contents_hash() -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in FILES {
        for b in name.bytes().chain(text.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The command that runs the adapter: node, its flags, the script.
pub fn command(settings: &NodeSettings) -> Result<Vec<String>, String> {
    let node = node(settings)?;
    let script =
        install_scripts().map_err(|e| format!("cannot write the V8 adapter's scripts: {e}"))?;
    let mut command = vec![node.display().to_string()];
    command.extend(node_flags(settings));
    command.push(script.display().to_string());
    Ok(command)
}

/// Whether node runs here: V8's and node's versions with the extra flags,
/// or why not.
pub fn check(settings: &NodeSettings) -> Result<String, String> {
    let node = node(settings)?;
    let output = std::process::Command::new(&node)
        .args(node_flags(settings))
        .args([
            "-p",
            "`V8 ${process.versions.v8} (node ${process.version})`",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {} ({e})", node.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            node.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let flags = node_flags(settings);
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(", node flags {}", flags.join(" "))
    };
    Ok(format!(
        "{}{flags}, through node (adapters/v8/, built in)",
        String::from_utf8_lossy(&output.stdout).trim()
    ))
}

/// The `v8` engine, or why it is unavailable here.
pub fn engine(settings: &NodeSettings) -> Result<ExternalEngine, String> {
    Ok(ExternalEngine::new(NAME, command(settings)?).with_flags(node_flags(settings)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{Validator, WasmFeatures};

    #[test]
    fn threads_writing_one_script_at_once_all_succeed() {
        let dir = std::env::temp_dir().join(format!("touchstone-v8-race-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("adapter.mjs");
        let writers: Vec<_> = (0..16)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    (0..50).try_for_each(|_| write_atomically(&path, "// text\n"))
                })
            })
            .collect();
        for writer in writers {
            writer
                .join()
                .unwrap()
                .expect("every concurrent write succeeds");
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "// text\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The probe modules, from the adapter itself (`--probes`).
    fn probes() -> Vec<(String, Vec<u8>)> {
        let script = install_scripts().expect("adapter scripts written");
        let node = node(&NodeSettings::default()).expect("node is needed for the V8 adapter");
        let out = std::process::Command::new(node)
            .arg(&script)
            .arg("--probes")
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("probes as JSON");
        map.into_iter()
            .map(|(name, hex)| {
                let hex = hex.as_str().unwrap();
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                    .collect();
                (name, bytes)
            })
            .collect()
    }

    /// Each probe tests its feature and nothing else: valid with every
    /// feature, invalid with every feature but that one. So a feature V8
    /// reports is one V8 validated, and one it lacks is not hidden by a
    /// broken probe.
    #[test]
    fn each_probe_needs_exactly_its_feature() {
        let probes = probes();
        assert!(probes.len() >= 20, "{} probes", probes.len());
        for (name, bytes) in probes {
            let flag = WasmFeatures::from_name(&name.to_uppercase())
                .unwrap_or_else(|| panic!("{name} is not a wasmparser feature"));
            let all = WasmFeatures::all();
            Validator::new_with_features(all)
                .validate_all(&bytes)
                .unwrap_or_else(|e| panic!("probe {name} invalid with all features: {e}"));
            assert!(
                Validator::new_with_features(all.difference(flag))
                    .validate_all(&bytes)
                    .is_err(),
                "probe {name} is valid without {name}"
            );
        }
    }

    #[test]
    fn scripts_are_installed_once_per_contents() {
        let a = install_scripts().unwrap();
        let b = install_scripts().unwrap();
        assert_eq!(a, b);
        for (name, text) in FILES {
            let path = a.parent().unwrap().join(name);
            assert_eq!(std::fs::read_to_string(path).unwrap(), text);
        }
    }
}
