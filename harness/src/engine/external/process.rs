//! One engine child process: requests out on stdin, response lines in from
//! stdout (read by a thread, so waiting can be bounded), and the tail of
//! stderr kept for reports.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::wire::{Request, Response};

/// Bytes of stderr kept for reports.
const STDERR_TAIL: usize = 2048;
/// The longest answer line accepted.
const MAX_LINE: u64 = 256 << 20;
/// How often the monitor looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(10);

/// Why a process can no longer be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lost {
    /// It died, broke the protocol, or could not be started.
    Crashed(String),
    /// It was killed because the harness's time ran out.
    TimedOut(String),
}

impl Lost {
    pub fn message(&self) -> &str {
        match self {
            Lost::Crashed(m) | Lost::TimedOut(m) => m,
        }
    }
}

pub struct Process {
    child: Arc<Mutex<Child>>,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    monitor: Arc<Monitor>,
    next_id: u64,
    /// The engine's name, for messages.
    label: String,
    /// The optional operations the engine claimed in its handshake.
    pub capabilities: Vec<String>,
}

/// Shared with the thread that kills the process when the interrupt flag of
/// the request being waited on is raised (reading the answer blocks; the
/// kill ends it).
#[derive(Default)]
struct Monitor {
    watching: Mutex<Option<Arc<AtomicBool>>>,
    killed_for_time: AtomicBool,
    closed: AtomicBool,
}

impl Process {
    /// Starts `command` (program and arguments); `label` names it in messages.
    pub fn spawn(command: &[String], label: &str) -> Result<Process, Lost> {
        let label = label.to_string();
        let (program, args) = command
            .split_first()
            .ok_or_else(|| Lost::Crashed("empty engine command".into()))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Lost::Crashed(format!("cannot start `{program}`: {e}")))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let stdin = child.stdin.take();
        let child = Arc::new(Mutex::new(child));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail_writer = tail.clone();
        let no_thread = |e: std::io::Error| Lost::Crashed(format!("cannot start a thread: {e}"));
        thread::Builder::new()
            .name("touchstone-engine-stderr".into())
            .spawn(move || keep_tail(stderr, &tail_writer))
            .map_err(no_thread)?;
        let monitor = Arc::new(Monitor::default());
        let (watched, victim) = (monitor.clone(), child.clone());
        thread::Builder::new()
            .name("touchstone-engine-monitor".into())
            .spawn(move || watch(&watched, &victim))
            .map_err(no_thread)?;
        Ok(Process {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            stderr: tail,
            monitor,
            next_id: 0,
            label,
            capabilities: Vec::new(),
        })
    }

    /// Sends `request` and waits for its response, giving up (and killing
    /// the process) when `interrupt` is raised. `Ok` holds the response's
    /// `ok` value or its engine error.
    pub fn call(
        &mut self,
        request: &Request,
        interrupt: &Arc<AtomicBool>,
    ) -> Result<Result<serde_json::Value, super::EngineError>, Lost> {
        let id = self.next_id;
        self.next_id += 1;
        let mut line = serde_json::to_value(request).expect("requests serialise");
        line.as_object_mut()
            .expect("requests are objects")
            .insert("id".into(), id.into());
        let mut text = line.to_string();
        text.push('\n');
        *self.monitor.watching.lock().expect("monitor") = Some(interrupt.clone());
        let sent = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(text.as_bytes()).and_then(|_| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        let mut answer = String::new();
        let read = sent.and_then(|_| (&mut self.stdout).take(MAX_LINE).read_line(&mut answer));
        *self.monitor.watching.lock().expect("monitor") = None;
        if self.monitor.killed_for_time.load(Ordering::SeqCst) {
            self.kill();
            return Err(Lost::TimedOut(self.with_tail(&format!(
                "engine `{}` killed: the file's time limit ran out during `{}`",
                self.label,
                op_name(request)
            ))));
        }
        match read {
            Err(e) => return Err(self.fail(&format!("broken pipe ({e})"))),
            Ok(0) => return Err(self.fail("the engine closed its stdout (exited?)")),
            Ok(_) if !answer.ends_with('\n') => {
                return Err(self.fail(&format!(
                    "protocol violation: an unfinished line: {}",
                    clip(&answer)
                )))
            }
            Ok(_) => {}
        }
        let response: Response = match serde_json::from_str(&answer) {
            Ok(r) => r,
            Err(e) => {
                return Err(self.fail(&format!(
                    "protocol violation: not a response line ({e}): {}",
                    clip(&answer)
                )))
            }
        };
        if response.id != id {
            return Err(self.fail(&format!(
                "protocol violation: expected the response to request {id}, got {}: {}",
                response.id,
                clip(&answer)
            )));
        }
        match (response.ok, response.error) {
            (Some(ok), None) => Ok(Ok(ok)),
            (None, Some(error)) => Ok(Err(error.into())),
            _ => Err(self.fail(&format!(
                "protocol violation: a response needs exactly one of `ok` and `error`: {}",
                clip(&answer)
            ))),
        }
    }

    /// Kills the process and describes why, with how it ended and its stderr tail.
    pub fn fail(&mut self, what: &str) -> Lost {
        // Give a dying process a moment to be reaped, so its status is known.
        let deadline = Instant::now() + Duration::from_millis(500);
        let status = loop {
            let exited = self.child.lock().expect("child").try_wait();
            match exited {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                _ => break None,
            }
        };
        self.kill();
        let how = match status {
            Some(s) => format!(" ({})", describe_exit(s)),
            None => String::new(),
        };
        Lost::Crashed(self.with_tail(&format!("engine `{}`: {what}{how}", self.label)))
    }

    /// Forgets stderr so far (a new file starts).
    pub fn clear_stderr(&self) {
        self.stderr.lock().expect("stderr tail").clear();
    }

    fn with_tail(&self, message: &str) -> String {
        // The stderr reader may still be catching up with a dying process.
        thread::sleep(Duration::from_millis(20));
        let tail = self.stderr.lock().expect("stderr tail");
        let (a, b) = tail.as_slices();
        let text = String::from_utf8_lossy(&[a, b].concat()).trim().to_string();
        if text.is_empty() {
            format!("{message}; stderr was empty")
        } else {
            format!("{message}; stderr ends:\n{text}")
        }
    }

    fn kill(&mut self) {
        self.stdin = None;
        self.monitor.closed.store(true, Ordering::SeqCst);
        let mut child = self.child.lock().expect("child");
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Kills the child when the flag of the request in flight is raised; ends
/// with the process.
fn watch(monitor: &Monitor, child: &Mutex<Child>) {
    while !monitor.closed.load(Ordering::SeqCst) {
        thread::sleep(POLL);
        let raised = monitor
            .watching
            .lock()
            .expect("monitor")
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::SeqCst));
        if raised {
            monitor.killed_for_time.store(true, Ordering::SeqCst);
            let _ = child.lock().expect("child").kill();
            return;
        }
    }
}

fn keep_tail(mut stderr: impl Read, tail: &Mutex<VecDeque<u8>>) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = stderr.read(&mut buf) {
        if n == 0 {
            break;
        }
        let mut tail = tail.lock().expect("stderr tail");
        tail.extend(&buf[..n]);
        let excess = tail.len().saturating_sub(STDERR_TAIL);
        tail.drain(..excess);
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => status.to_string(),
    }
}

fn op_name(request: &Request) -> String {
    serde_json::to_value(request)
        .ok()
        .and_then(|v| v.get("op").and_then(|op| op.as_str()).map(String::from))
        .unwrap_or_default()
}

fn clip(text: &str) -> String {
    const MAX: usize = 200;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}
