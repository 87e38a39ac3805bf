//! Limits a script sets for itself in a comment at its top:
//!
//! ```text
//! ;; touchstone: timeout=2 max-memory-mib=64
//! ```
//!
//! Used by the project's own guard tests (a script that loops forever need
//! not hold a run for the full default limit). A script can only tighten the
//! limits the run was given, never loosen them.

use std::time::Duration;

/// What a script's header asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptOptions {
    pub timeout: Option<Duration>,
    pub max_memory_bytes: Option<u64>,
}

impl ScriptOptions {
    /// Reads `;; touchstone:` lines from the comment block at the top of
    /// `text`. Unknown keys are ignored.
    pub fn from_text(text: &str) -> ScriptOptions {
        let mut options = ScriptOptions::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix(";;") else {
                break;
            };
            let Some(settings) = comment.trim().strip_prefix("touchstone:") else {
                continue;
            };
            for setting in settings.split_whitespace() {
                match setting.split_once('=') {
                    Some(("timeout", v)) => {
                        options.timeout = v
                            .parse::<f64>()
                            .ok()
                            .filter(|s| *s > 0.0)
                            .map(Duration::from_secs_f64)
                    }
                    Some(("max-memory-mib", v)) => {
                        options.max_memory_bytes = v.parse::<u64>().ok().map(|m| m << 20)
                    }
                    _ => {}
                }
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_only() {
        let o = ScriptOptions::from_text(
            ";; intro\n;; touchstone: timeout=2.5 max-memory-mib=64\n(module)\n;; touchstone: timeout=9\n",
        );
        assert_eq!(o.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(o.max_memory_bytes, Some(64 << 20));
        assert_eq!(
            ScriptOptions::from_text("(module)"),
            ScriptOptions::default()
        );
    }
}
