//! Runs a block of directives (a script, or a `thread`'s body), including
//! the threads proposal's `(thread $T (shared (module $M)) ...)` and
//! `(wait $T)`.
//!
//! A `thread` runs on a new OS thread (scoped to the file's run) with a
//! fresh store, in which the listed shared instances are named as in the
//! parent; nothing else of the parent is visible (no registrations). The
//! threads that follow each other in a block start together: each waits at
//! its group's gate, opened when the block reaches its next other directive
//! (usually the first `wait`), so they really overlap. `(wait $T)` joins the
//! thread and adds its directives' outcomes, each under its own line. A
//! thread never waited for is joined at the end of its block. Threads see
//! the file's interrupt flag like the rest of the script, and an engine's
//! blocking `wait` honours it, so a deadlock ends as the file's timeout.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use wast::{WastDirective, WastThread};

use super::directives::ScriptRun;
use super::guard;
use super::verdict::Verdict;
use crate::engine::{Engine, Limits, SharedInstance, WasmFeatures};
use crate::report::{AssertionReport, Outcome};

/// What every block of one file shares.
pub struct FileContext<'env> {
    pub engine: &'env dyn Engine,
    pub text: &'env str,
    pub features: WasmFeatures,
    pub dialect: super::dialect::Dialect,
    pub limits: &'env Limits,
    pub interrupt: &'env AtomicBool,
}

/// A thread of the block: running, or never started (and why).
enum Spawned<'scope> {
    Running {
        handle: ScopedJoinHandle<'scope, Vec<AssertionReport>>,
    },
    NotStarted {
        outcome: Outcome,
        why: String,
    },
}

/// Runs `directives` on `run`, appending every outcome to `out`; threads
/// are spawned into `scope` and all joined before this returns.
pub fn run_block<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    file: &'env FileContext<'env>,
    run: &mut ScriptRun<'env>,
    directives: Vec<WastDirective<'env>>,
    out: &mut Vec<AssertionReport>,
) {
    let mut threads: HashMap<String, Spawned<'scope>> = HashMap::new();
    // Opens on drop, so no thread waits forever whatever happens here.
    let mut group = Group::default();
    for directive in directives {
        let (line, col) = run.position(directive.span());
        let kind = ScriptRun::kind(&directive);
        if !matches!(directive, WastDirective::Thread(_)) {
            group.open();
        }
        if file.interrupt.load(Ordering::SeqCst) {
            let why = "not run: the file's time limit ran out before this directive";
            out.push(Verdict::with(Outcome::Timeout, why).at(line, col, kind));
            if let WastDirective::Thread(t) = directive {
                let name = t.name.name().to_string();
                not_run_inside(run, t.directives, Outcome::Timeout, why, out);
                let why = why.to_string();
                let outcome = Outcome::Timeout;
                threads.insert(name, Spawned::NotStarted { outcome, why });
            }
            continue;
        }
        match directive {
            WastDirective::Thread(thread) => {
                let name = thread.name.name().to_string();
                let spawned = spawn(scope, file, run, thread, group.gate(), out);
                threads.insert(name, spawned);
            }
            WastDirective::Wait { thread, .. } => {
                let verdict = match threads.remove(thread.name()) {
                    Some(spawned) => join(spawned, out),
                    None => Verdict::with(
                        Outcome::Error,
                        format!("no running thread named ${}", thread.name()),
                    ),
                };
                out.push(verdict.at(line, col, kind));
            }
            other => match guard::catch(|| run.run(other)) {
                Ok(reports) => out.extend(reports),
                Err(panic) => out.push(Verdict::with(Outcome::Crash, panic).at(line, col, kind)),
            },
        }
    }
    group.open();
    // Threads never waited for still finish, and their outcomes count.
    let mut left: Vec<_> = threads.into_values().collect();
    left.sort_by_key(|s| matches!(s, Spawned::NotStarted { .. }));
    for spawned in left {
        join(spawned, out);
    }
}

/// Starts a `thread`: shares the named instance and spawns the OS thread;
/// reports how that went on the directive's own line.
fn spawn<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    file: &'env FileContext<'env>,
    run: &mut ScriptRun<'env>,
    thread: WastThread<'env>,
    gate: Arc<Gate>,
    out: &mut Vec<AssertionReport>,
) -> Spawned<'scope> {
    let (line, col) = run.position(thread.span);
    let mut shared: Vec<(String, SharedInstance)> = Vec::new();
    if let Some(id) = thread.shared_module {
        match run.share(id) {
            Ok(s) => shared.push((id.name().to_string(), s)),
            Err((outcome, why)) => {
                let why = format!("thread ${} not started: {why}", thread.name.name());
                out.push(Verdict::with(outcome, why.clone()).at(line, col, "thread"));
                not_run_inside(run, thread.directives, outcome, &why, out);
                return Spawned::NotStarted { outcome, why };
            }
        }
    }
    let name = thread.name.name().to_string();
    let directives = thread.directives;
    let body = move || {
        let reports = guard::catch(|| {
            let store = file.engine.new_session(&file.features, file.limits);
            let mut run =
                ScriptRun::new(store, file.text).with_context(file.features, file.dialect);
            let mut out = Vec::new();
            for (name, s) in &shared {
                if let Err(why) = run.adopt(name, s) {
                    let why = format!("could not see the shared instance ${name}: {why}");
                    out.push(Verdict::with(Outcome::Error, why).at(line, col, "thread"));
                }
            }
            gate.wait();
            run_block(scope, file, &mut run, directives, &mut out);
            out
        });
        reports.unwrap_or_else(|panic| {
            vec![Verdict::with(Outcome::Crash, panic).at(line, col, "thread")]
        })
    };
    let handle = std::thread::Builder::new()
        .name(format!("touchstone-thread-{name}"))
        .spawn_scoped(scope, body);
    match handle {
        Ok(handle) => {
            out.push(Verdict::pass().at(line, col, "thread"));
            Spawned::Running { handle }
        }
        Err(e) => {
            let why = format!("could not start an OS thread: {e}");
            out.push(Verdict::with(Outcome::Error, why.clone()).at(line, col, "thread"));
            Spawned::NotStarted {
                outcome: Outcome::Error,
                why,
            }
        }
    }
}

/// Waits for a thread and adds its outcomes; the verdict of the `wait`.
fn join(spawned: Spawned<'_>, out: &mut Vec<AssertionReport>) -> Verdict {
    match spawned {
        Spawned::Running { handle } => match handle.join() {
            Ok(reports) => {
                out.extend(reports);
                Verdict::pass()
            }
            // The body catches panics; this is only for the impossible case.
            Err(_) => Verdict::with(Outcome::Crash, "the thread panicked"),
        },
        Spawned::NotStarted { outcome, why } => Verdict::with(outcome, why),
    }
}

/// Reports every directive of a thread that does not run (nested threads
/// included) with `outcome`.
fn not_run_inside(
    run: &ScriptRun<'_>,
    directives: Vec<WastDirective<'_>>,
    outcome: Outcome,
    why: &str,
    out: &mut Vec<AssertionReport>,
) {
    for d in directives {
        let (line, col) = run.position(d.span());
        out.push(Verdict::with(outcome, why).at(line, col, ScriptRun::kind(&d)));
        if let WastDirective::Thread(t) = d {
            not_run_inside(run, t.directives, outcome, why, out);
        }
    }
}

/// A latch the threads of one group wait at.
#[derive(Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = self.opened.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.opened.notify_all();
    }
}

/// The gate of the threads started since the last other directive.
#[derive(Default)]
struct Group(Option<Arc<Gate>>);

impl Group {
    fn gate(&mut self) -> Arc<Gate> {
        self.0.get_or_insert_with(Default::default).clone()
    }

    fn open(&mut self) {
        if let Some(gate) = self.0.take() {
            gate.open();
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.open();
    }
}
