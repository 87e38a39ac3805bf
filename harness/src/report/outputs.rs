//! The report files a run writes (`--json`, `--junit`, `--markdown`,
//! `--html`): one set of flags, flattened into `touchstone test`,
//! `js-api` and `merge`, that checks and writes its own files.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::html::Sources;
use super::Report;

/// Where each format goes; `None`: not asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ReportFiles {
    /// Write the JSON report here.
    #[arg(long)]
    pub json: Option<PathBuf>,

    /// Write a JUnit XML report here.
    #[arg(long)]
    pub junit: Option<PathBuf>,

    /// Write a Markdown report here.
    #[arg(long)]
    pub markdown: Option<PathBuf>,

    /// Write a self-contained HTML report here.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

/// A report format written to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Junit,
    Markdown,
    Html,
}

impl Format {
    fn flag(self) -> &'static str {
        match self {
            Format::Json => "--json",
            Format::Junit => "--junit",
            Format::Markdown => "--markdown",
            Format::Html => "--html",
        }
    }
}

impl ReportFiles {
    /// Each file asked for, with its format.
    fn asked(&self) -> impl Iterator<Item = (Format, &Path)> {
        [
            (Format::Json, &self.json),
            (Format::Junit, &self.junit),
            (Format::Markdown, &self.markdown),
            (Format::Html, &self.html),
        ]
        .into_iter()
        .filter_map(|(format, path)| Some((format, path.as_deref()?)))
    }

    /// Every file asked for can be written: checked before a run, so its
    /// results are never lost to a typo in a path.
    pub fn check_writable(&self) -> anyhow::Result<()> {
        for (format, path) in self.asked() {
            check_writable(path, format.flag())?;
        }
        Ok(())
    }

    /// Writes every format asked for; `sources` gives the HTML page its
    /// script excerpts.
    pub fn write(&self, report: &Report, sources: Sources<'_>) -> anyhow::Result<()> {
        for (format, path) in self.asked() {
            let text = match format {
                // Streamed: the whole official suite's report is ~10 MB of
                // text, which as one string raised the run's peak memory by
                // its size and more.
                Format::Json => {
                    write_json_file(path, report)?;
                    continue;
                }
                Format::Junit => super::junit::render(report)?,
                Format::Markdown => super::markdown::render(report),
                Format::Html => super::html::render_with_sources(report, sources)?,
            };
            write_file(path, &text)?;
        }
        Ok(())
    }
}

/// Creates `path`'s folder and opens the file for writing without changing
/// it (a file this check creates is removed again); errors name `flag`.
pub fn check_writable(path: &Path, flag: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{flag} {}: cannot create its folder", path.display()))?;
    }
    let existed = path.exists();
    OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("{flag} {}: cannot write it", path.display()))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Writes `value` as pretty JSON to `path` through a buffer, creating its
/// folder.
fn write_json_file(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    create_parent(path)?;
    let writing = || format!("writing {}", path.display());
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).with_context(writing)?);
    serde_json::to_writer_pretty(&mut out, value)?;
    out.flush().with_context(writing)
}

/// Creates `path`'s folder if it has one.
fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(())
}

/// Writes `text` to `path`, creating its folder.
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    create_parent(path)?;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("touchstone-outputs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Each format asked for is written, in a folder made for it; the
    /// others are not.
    #[test]
    fn writes_each_file_asked_for_and_no_other() {
        let dir = scratch("write");
        let files = ReportFiles {
            json: Some(dir.join("a/r.json")),
            html: Some(dir.join("b/r.html")),
            ..ReportFiles::default()
        };
        files.check_writable().unwrap();
        assert!(!dir.join("a/r.json").exists(), "the check leaves no file");
        let report = Report {
            schema_version: crate::report::SCHEMA_VERSION,
            suite: vec!["s".into()],
            ..Report::default()
        };
        files.write(&report, &|_| None).unwrap();
        let json = std::fs::read_to_string(dir.join("a/r.json")).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
        let html = std::fs::read_to_string(dir.join("b/r.html")).unwrap();
        assert!(html.contains("<html"), "{html}");
        let written: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(written.len(), 2, "only a/ and b/");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A path that cannot be written is refused before the run, naming
    /// its flag.
    #[test]
    fn an_unwritable_path_names_its_flag() {
        let dir = scratch("unwritable");
        std::fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("file");
        std::fs::write(&blocker, "").unwrap();
        let files = ReportFiles {
            junit: Some(blocker.join("r.xml")),
            ..ReportFiles::default()
        };
        let err = format!("{:#}", files.check_writable().unwrap_err());
        assert!(err.starts_with("--junit "), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
