//! Progress while `touchstone test` runs: a bar on a terminal; otherwise
//! (a CI log) a line every few seconds saying how far the run is and what
//! is still running, as nextest does, so a slow or stuck file is visible.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scheduler::Event;

/// How often a progress line is printed when stderr is not a terminal.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Progress while the suite runs: a bar on a terminal; otherwise (a CI
/// log) a line every [`PROGRESS_EVERY`] saying how far the run is and what
/// is still running, as nextest does, so a slow file is visible.
pub struct Progress {
    bar: ProgressBar,
    state: Arc<Mutex<State>>,
    stop: Option<(mpsc::Sender<()>, std::thread::JoinHandle<()>)>,
}

#[derive(Default)]
struct State {
    done: usize,
    total: usize,
    /// (engine, path) -> when it started.
    running: HashMap<(String, String), Instant>,
}

impl Progress {
    pub fn start(total: usize, quiet: bool) -> Progress {
        let state = Arc::new(Mutex::new(State {
            total,
            ..State::default()
        }));
        let tty = std::io::stderr().is_terminal();
        if quiet || tty {
            let bar = if quiet {
                ProgressBar::hidden()
            } else {
                let bar =
                    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
                        .expect("valid template"),
                );
                bar
            };
            return Progress {
                bar,
                state,
                stop: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shared = state.clone();
        let started = Instant::now();
        let ticker = std::thread::Builder::new()
            .name("touchstone-progress".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(PROGRESS_EVERY)
                {
                    let line = progress_line(&shared.lock().unwrap(), started.elapsed());
                    eprintln!("{line}");
                }
            })
            .expect("spawning the progress thread");
        Progress {
            bar: ProgressBar::hidden(),
            state,
            stop: Some((stop, ticker)),
        }
    }

    pub fn event(&self, event: Event<'_>) {
        let mut state = self.state.lock().unwrap();
        match event {
            Event::Started { engine, path } => {
                state
                    .running
                    .insert((engine.to_string(), path.to_string()), Instant::now());
            }
            Event::Finished { engine, file } => {
                state
                    .running
                    .remove(&(engine.to_string(), file.path.clone()));
                state.done += 1;
                self.bar.set_message(format!("{engine} {}", file.path));
                self.bar.inc(1);
            }
        }
    }

    pub fn finish(mut self) {
        self.bar.finish_and_clear();
        if let Some((stop, ticker)) = self.stop.take() {
            drop(stop);
            let _ = ticker.join();
        }
    }
}

/// `[touchstone] 120/250 files, 12.3 s; running: wasmi a.wast (8.1 s), ...`
/// (the longest-running first).
fn progress_line(state: &State, elapsed: Duration) -> String {
    let mut running: Vec<(&(String, String), Duration)> = state
        .running
        .iter()
        .map(|(key, since)| (key, since.elapsed()))
        .collect();
    running.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut line = format!(
        "[touchstone] {}/{} files done, {:.1} s elapsed",
        state.done,
        state.total,
        elapsed.as_secs_f64()
    );
    if !running.is_empty() {
        let shown: Vec<String> = running
            .iter()
            .take(4)
            .map(|((engine, path), t)| format!("{engine} {path} ({:.1} s)", t.as_secs_f64()))
            .collect();
        line.push_str("; running: ");
        line.push_str(&shown.join(", "));
        if running.len() > shown.len() {
            line.push_str(&format!(" and {} more", running.len() - shown.len()));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_line_names_what_still_runs_longest_first() {
        let mut state = State {
            done: 3,
            total: 10,
            ..State::default()
        };
        let now = Instant::now();
        state.running.insert(
            ("wasmi".into(), "loop.wast".into()),
            now - Duration::from_secs(8),
        );
        state
            .running
            .insert(("touchstone".into(), "i32.wast".into()), now);
        let line = progress_line(&state, Duration::from_millis(12_300));
        assert!(
            line.starts_with(
                "[touchstone] 3/10 files done, 12.3 s elapsed; running: wasmi loop.wast (8."
            ),
            "{line}"
        );
        assert!(line.contains(", touchstone i32.wast (0.0 s)"), "{line}");
    }
}
