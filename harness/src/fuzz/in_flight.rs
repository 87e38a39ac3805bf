//! The module a run is on, written to disk before it runs: an engine that
//! takes the whole process down (an abort inside a function that cannot
//! unwind, a stack overflow, the OOM killer) leaves its seed and the run's
//! counts behind, and the next run over the same folder reports them.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Prefix of the marker files in the output folder.
const PREFIX: &str = "in-flight-";
/// The marker is rewritten in place at this fixed length (padded with
/// spaces), so each module costs one seek and one write, no truncation.
const WIDTH: usize = 1024;

/// This run's marker, removed when the run ends normally.
pub struct InFlight {
    path: PathBuf,
    file: File,
}

impl InFlight {
    /// Creates `out_dir` and this process's marker in it.
    pub fn create(out_dir: &Path) -> std::io::Result<InFlight> {
        std::fs::create_dir_all(out_dir)?;
        let path = out_dir.join(format!("{PREFIX}{}.txt", std::process::id()));
        let file = File::create(&path)?;
        Ok(InFlight { path, file })
    }

    /// Records what is about to run. The text should end with the line
    /// `module seed N` (see [`stopped_seed`]).
    pub fn set(&mut self, text: &str) {
        let mut line = text.as_bytes().to_vec();
        line.truncate(WIDTH - 1);
        line.resize(WIDTH - 1, b' ');
        line.push(b'\n');
        // Best effort: a full disk must not stop the run.
        let _ = self
            .file
            .seek(SeekFrom::Start(0))
            .and_then(|_| self.file.write_all(&line));
    }

    /// The run ended normally: nothing is in flight.
    pub fn finish(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Markers in `out_dir` left by runs whose process is gone, each moved
/// to `fuzz-SEED.stopped.txt` (beside the findings) and returned with its
/// text. Markers of runs still going (their process is alive, where that
/// can be checked) are left alone.
pub fn collect_stopped(out_dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut stopped = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.strip_suffix(".txt"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let text = text.trim_end().to_string();
        let kept = match stopped_seed(&text) {
            Some(seed) => out_dir.join(format!("fuzz-{seed:016x}.stopped.txt")),
            None => out_dir.join(format!("stopped-{pid}.txt")),
        };
        if std::fs::write(&kept, format!("{text}\n")).is_ok() {
            let _ = std::fs::remove_file(entry.path());
            stopped.push((kept, text));
        }
    }
    stopped
}

/// The module seed a marker names (its last `module seed N`).
pub fn stopped_seed(text: &str) -> Option<u64> {
    let (_, rest) = text.rsplit_once("module seed ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether process `pid` still runs: `/proc` on Linux; elsewhere every
/// process is taken to be alive (its marker stays until removed by hand).
fn process_alive(pid: u32) -> bool {
    let proc_fs = Path::new("/proc/self");
    !proc_fs.exists() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_is_rewritten_in_place_and_removed_at_the_end() {
        let dir = std::env::temp_dir().join(format!("touchstone-in-flight-{}", std::process::id()));
        let mut marker = InFlight::create(&dir).unwrap();
        marker.set("a long first line about module seed 123456789");
        marker.set("module seed 7");
        let path = dir.join(format!("{PREFIX}{}.txt", std::process::id()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.len(), WIDTH);
        assert_eq!(stopped_seed(&text), Some(7), "{text:?}");
        // The run's own marker is never taken for a stopped run's.
        assert!(collect_stopped(&dir).is_empty());
        marker.finish();
        assert!(!path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_dead_runs_marker_is_kept_under_its_seed() {
        let dir = std::env::temp_dir().join(format!("touchstone-stopped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // No process has a pid this large (Linux caps them at 2^22).
        std::fs::write(
            dir.join(format!("{PREFIX}{}.txt", u32::MAX - 1)),
            "touchstone fuzz was running module seed 42    \n",
        )
        .unwrap();
        let stopped = collect_stopped(&dir);
        if Path::new("/proc/self").exists() {
            assert_eq!(stopped.len(), 1, "{stopped:?}");
            assert_eq!(stopped[0].0, dir.join("fuzz-000000000000002a.stopped.txt"));
            assert!(stopped[0].1.ends_with("module seed 42"), "{stopped:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
