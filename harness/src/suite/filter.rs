//! `--filter`: which scripts to run, by their relative path.

use globset::{Glob, GlobMatcher};

/// A substring, or a glob when the pattern has glob characters (`*?[{`).
#[derive(Clone, Debug)]
pub enum Filter {
    Substring(String),
    Glob(GlobMatcher),
}

impl Filter {
    /// Parses a `--filter` pattern.
    pub fn new(pattern: &str) -> anyhow::Result<Filter> {
        if pattern.contains(['*', '?', '[', '{']) {
            Ok(Filter::Glob(Glob::new(pattern)?.compile_matcher()))
        } else {
            Ok(Filter::Substring(pattern.to_string()))
        }
    }

    /// Whether the script at relative `path` is selected.
    pub fn matches(&self, path: &str) -> bool {
        match self {
            Filter::Substring(s) => path.contains(s.as_str()),
            Filter::Glob(g) => g.is_match(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_and_glob() {
        let f = Filter::new("simd_").unwrap();
        assert!(f.matches("simd_lane.wast"));
        assert!(!f.matches("i32.wast"));
        let g = Filter::new("proposals/*/atomic.wast").unwrap();
        assert!(g.matches("proposals/threads/atomic.wast"));
        assert!(!g.matches("atomic.wast"));
        let any = Filter::new("**/simd_*").unwrap();
        assert!(any.matches("wasm-v2/simd_lane.wast"));
    }

    #[test]
    fn bad_glob_is_an_error() {
        assert!(Filter::new("[").is_err());
    }
}
