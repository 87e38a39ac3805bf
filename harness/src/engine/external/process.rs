//! One engine child process: requests out on stdin, response lines in from
//! stdout (a monitor thread kills the process when a waiting caller's time
//! is up), and the tail of stderr kept for reports. Several stores (a
//! script's threads) may call one process at once; answers are matched to
//! callers by request id.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::wire::{Request, Response};
use super::WasmFeatures;

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
    stdin: Mutex<Option<ChildStdin>>,
    /// Held by whichever caller is reading answers at the moment.
    stdout: Mutex<BufReader<ChildStdout>>,
    mailbox: Mutex<Mailbox>,
    /// Signalled when an answer is filed, the reader steps down, or the
    /// process is lost.
    delivered: Condvar,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    monitor: Arc<Monitor>,
    next_id: AtomicU64,
    /// The engine's name, for messages.
    label: String,
    /// The optional operations the engine claimed in its handshake.
    pub capabilities: Vec<String>,
    /// The features the engine claimed in its handshake.
    pub claimed: WasmFeatures,
}

/// Answers between callers: several stores (a script's threads) may share
/// one process, each waiting for its own answer. One caller at a time reads
/// stdout and files answers for the others here (so a lone caller reads its
/// answer itself, without a hop through another thread).
#[derive(Default)]
struct Mailbox {
    reading: bool,
    in_flight: HashSet<u64>,
    answers: HashMap<u64, Response>,
    lost: Option<Lost>,
}

/// Shared with the thread that kills the process when the interrupt flag of
/// a request being waited on is raised (reading an answer blocks; the kill
/// ends it).
#[derive(Default)]
struct Monitor {
    watching: Mutex<HashMap<u64, Arc<AtomicBool>>>,
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
            stdin: Mutex::new(stdin),
            stdout: Mutex::new(BufReader::new(stdout)),
            mailbox: Mutex::default(),
            delivered: Condvar::new(),
            stderr: tail,
            monitor,
            next_id: AtomicU64::new(0),
            label,
            capabilities: Vec::new(),
            claimed: WasmFeatures::empty(),
        })
    }

    /// Whether the engine claimed the optional operations `capability`.
    pub fn offers(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }

    /// Sends `request` (to the thread store `thread`, or the file's store)
    /// and waits for its response, giving up (and killing the process) when
    /// `interrupt` is raised. `Ok` holds the response's `ok` value or its
    /// engine error. Callers on several threads may wait at once.
    pub fn call(
        &self,
        request: &Request,
        thread: Option<u64>,
        interrupt: &Arc<AtomicBool>,
    ) -> Result<Result<serde_json::Value, super::EngineError>, Lost> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut line = serde_json::to_value(request).expect("requests serialise");
        let fields = line.as_object_mut().expect("requests are objects");
        fields.insert("id".into(), id.into());
        if let Some(thread) = thread {
            fields.insert("thread".into(), thread.into());
        }
        let mut text = line.to_string();
        text.push('\n');
        {
            let mut mailbox = self.lock_mailbox();
            if let Some(lost) = &mailbox.lost {
                return Err(lost.clone());
            }
            mailbox.in_flight.insert(id);
        }
        self.monitor.watch(id, interrupt);
        let sent = match self.stdin.lock().expect("stdin").as_mut() {
            Some(stdin) => stdin.write_all(text.as_bytes()).and_then(|_| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        let response = match sent {
            Ok(()) => self.await_answer(id, request),
            Err(e) => {
                let lost = self.fail(&format!("broken pipe ({e})"));
                Err(self.lose(lost))
            }
        };
        self.monitor.unwatch(id);
        self.lock_mailbox().in_flight.remove(&id);
        let response = response?;
        match (response.ok, response.error) {
            (Some(ok), None) => Ok(Ok(ok)),
            (None, Some(error)) => Ok(Err(error.into())),
            _ => {
                let lost = self.fail(&format!(
                    "protocol violation: a response needs exactly one of `ok` and `error` (request {id})"
                ));
                Err(self.lose(lost))
            }
        }
    }

    /// The answer to request `id`: filed by another caller, or read here
    /// when no one else is reading.
    fn await_answer(&self, id: u64, request: &Request) -> Result<Response, Lost> {
        loop {
            {
                let mut mailbox = self.lock_mailbox();
                loop {
                    if let Some(answer) = mailbox.answers.remove(&id) {
                        return Ok(answer);
                    }
                    if let Some(lost) = &mailbox.lost {
                        return Err(lost.clone());
                    }
                    if !mailbox.reading {
                        mailbox.reading = true;
                        break;
                    }
                    mailbox = self
                        .delivered
                        .wait(mailbox)
                        .unwrap_or_else(|e| e.into_inner());
                }
            }
            let read = self.read_answer(request);
            let mut mailbox = self.lock_mailbox();
            mailbox.reading = false;
            self.delivered.notify_all();
            match read {
                Ok(answer) if answer.id == id => return Ok(answer),
                Ok(answer) if mailbox.in_flight.contains(&answer.id) => {
                    mailbox.answers.insert(answer.id, answer);
                }
                Ok(answer) => {
                    drop(mailbox);
                    let lost = self.fail(&format!(
                        "protocol violation: expected the response to request {id}, got {}",
                        answer.id
                    ));
                    return Err(self.lose(lost));
                }
                Err(lost) => {
                    drop(mailbox);
                    return Err(self.lose(lost));
                }
            }
        }
    }

    /// Reads one answer line (any caller's).
    fn read_answer(&self, request: &Request) -> Result<Response, Lost> {
        let mut answer = String::new();
        let read = (&mut *self.stdout.lock().expect("stdout"))
            .take(MAX_LINE)
            .read_line(&mut answer);
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
        serde_json::from_str(&answer).map_err(|e| {
            self.fail(&format!(
                "protocol violation: not a response line ({e}): {}",
                clip(&answer)
            ))
        })
    }

    /// Records that the process is lost (the first reason stays) and wakes
    /// every caller waiting on it.
    fn lose(&self, lost: Lost) -> Lost {
        let mut mailbox = self.lock_mailbox();
        let first = mailbox.lost.get_or_insert(lost).clone();
        self.delivered.notify_all();
        first
    }

    fn lock_mailbox(&self) -> std::sync::MutexGuard<'_, Mailbox> {
        self.mailbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Kills the process and describes why, with how it ended and its stderr tail.
    pub fn fail(&self, what: &str) -> Lost {
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

    fn kill(&self) {
        *self.stdin.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.monitor.closed.store(true, Ordering::SeqCst);
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Monitor {
    fn watch(&self, id: u64, interrupt: &Arc<AtomicBool>) {
        self.watching
            .lock()
            .expect("monitor")
            .insert(id, interrupt.clone());
    }

    fn unwatch(&self, id: u64) {
        self.watching.lock().expect("monitor").remove(&id);
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
            .values()
            .any(|flag| flag.load(Ordering::SeqCst));
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
