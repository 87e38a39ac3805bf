//! Writing a report in the formats asked for (`--json`, `--junit`,
//! `--markdown`, `--html`), for `touchstone test` and `touchstone merge`.

use std::path::Path;

use anyhow::Context;

use super::html::Sources;
use super::Report;

/// Where each format goes; `None`: not asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outputs<'a> {
    pub json: Option<&'a Path>,
    pub junit: Option<&'a Path>,
    pub markdown: Option<&'a Path>,
    pub html: Option<&'a Path>,
}

impl Outputs<'_> {
    /// Writes every format asked for; `sources` gives the HTML page its
    /// script excerpts.
    pub fn write(&self, report: &Report, sources: Sources<'_>) -> anyhow::Result<()> {
        if let Some(path) = self.json {
            write_file(path, &serde_json::to_string_pretty(report)?)?;
        }
        if let Some(path) = self.junit {
            write_file(path, &super::junit::render(report)?)?;
        }
        if let Some(path) = self.markdown {
            write_file(path, &super::markdown::render(report))?;
        }
        if let Some(path) = self.html {
            write_file(path, &super::html::render_with_sources(report, sources)?)?;
        }
        Ok(())
    }
}

/// Writes `text` to `path`, creating its folder.
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
