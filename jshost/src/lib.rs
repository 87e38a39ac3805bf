//! `touchstone-js`: the WebAssembly JavaScript API on touchstone-engine,
//! inside an embedded QuickJS (through `rquickjs`).
//!
//! [`JsHost`] is one JS realm with the `WebAssembly` namespace
//! (`prelude/` over the engine through `native/`) and, optionally, the
//! shell globals of `shell.js` (`print`, `load`, `setTimeout`, `fetch`).
//!
//! ```
//! let host = touchstone_js::JsHost::new(touchstone_js::Options::default()).unwrap();
//! host.eval("globalThis.ok = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))", "t.js").unwrap();
//! assert_eq!(host.eval_to_string("String(ok)").unwrap(), "true");
//! ```

mod native;
mod sab;
mod shell;
pub mod testharness;

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rquickjs::{CatchResultExt, Context, Runtime};

pub use shell::Output;

/// How a host is set up.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where `print`/`console.log` write.
    pub output: Output,
    /// Directory that relative `load`/`fetch` paths resolve against.
    pub base_dir: PathBuf,
    /// Upper bound on JS heap bytes (a runaway script fails, not the host).
    pub memory_limit: usize,
    /// When set, running JS and wasm stop (with an error) as soon as they
    /// next check it.
    pub interrupt: Arc<AtomicBool>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            output: Output::Stdout,
            base_dir: PathBuf::from("."),
            // The js-api limits test holds a 1 GiB module and its copy, or
            // ten million element segments, in the JS heap.
            memory_limit: 6 << 30,
            interrupt: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// One JS realm with the `WebAssembly` namespace on our engine.
pub struct JsHost {
    // Field order is drop order: the context goes before the runtime, and
    // the engine state (which owns the bytes behind `Memory.buffer`) last.
    context: Context,
    runtime: Runtime,
    state: Rc<native::HostState>,
    shell: Rc<shell::ShellState>,
    interrupt: Arc<AtomicBool>,
}

/// Cancels an [`JsHost::interrupt_after`] deadline when dropped.
pub struct Watchdog {
    _cancel: mpsc::Sender<()>,
}

impl JsHost {
    /// A fresh realm: `WebAssembly`, `print`, `console.log`, `load`,
    /// `setTimeout`, `fetch` and `Response`.
    pub fn new(options: Options) -> Result<JsHost, String> {
        let runtime = Runtime::new().map_err(|e| e.to_string())?;
        runtime.set_memory_limit(options.memory_limit);
        runtime.set_max_stack_size(4 << 20);
        let context = Context::full(&runtime).map_err(|e| e.to_string())?;
        let interrupt = options.interrupt.clone();
        let flag = interrupt.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || flag.load(Ordering::Relaxed))));
        let state = native::HostState::new(interrupt.clone());
        let shell = Rc::new(shell::ShellState::new(options));
        let tracker = shell.clone();
        runtime.set_host_promise_rejection_tracker(Some(Box::new(
            move |_ctx, _promise, reason, is_handled| {
                tracker.track_rejection(&reason, is_handled);
            },
        )));
        let host = JsHost {
            context,
            runtime,
            state,
            shell,
            interrupt,
        };
        host.context.with(|ctx| -> Result<(), String> {
            sab::install(&ctx);
            native::install(&ctx, &host.state).map_err(|e| e.to_string())?;
            shell::install(&ctx, &host.shell).map_err(|e| e.to_string())?;
            Ok(())
        })?;
        // One script: the three parts share one closure (see conversions.js).
        const PRELUDE: &str = concat!(
            include_str!("prelude/conversions.js"),
            include_str!("prelude/modules.js"),
            include_str!("prelude/interfaces.js"),
        );
        host.eval(PRELUDE, "touchstone:prelude.js")?;
        host.eval(include_str!("shell.js"), "touchstone:shell.js")?;
        Ok(host)
    }

    /// Runs a script (global code); a thrown exception comes back as its
    /// text (`Name: message` and the stack).
    pub fn eval(&self, source: &str, name: &str) -> Result<(), String> {
        self.context.with(|ctx| {
            let mut opts = rquickjs::context::EvalOptions::default();
            opts.global = true;
            opts.strict = false;
            opts.filename = Some(name.to_string());
            ctx.eval_with_options::<(), _>(source, opts)
                .catch(&ctx)
                .map_err(|e| e.to_string())
        })
    }

    /// Evaluates an expression and converts its value to a string.
    pub fn eval_to_string(&self, expr: &str) -> Result<String, String> {
        self.context.with(|ctx| {
            ctx.eval::<rquickjs::Coerced<String>, _>(expr)
                .catch(&ctx)
                .map(|s| s.0)
                .map_err(|e| e.to_string())
        })
    }

    /// Runs promise jobs and timers until none is left (timers fire in
    /// order of their due time, without waiting: a script's delays cost
    /// nothing). Errors of jobs are reported through `on_error`.
    pub fn run_event_loop(&self, mut on_error: impl FnMut(String)) {
        loop {
            while self.runtime.is_job_pending() {
                if let Err(e) = self.runtime.execute_pending_job() {
                    let text = e.0.with(|ctx| {
                        let v = ctx.catch();
                        shell::describe(&v)
                    });
                    on_error(text);
                }
            }
            for rejection in self.shell.take_unhandled_rejections() {
                on_error(format!("unhandled promise rejection: {rejection}"));
            }
            match self.eval_to_string("__touchstoneRunTimer()") {
                Ok(s) if s == "true" => continue,
                Ok(_) => break,
                Err(e) => on_error(e),
            }
        }
    }

    /// Interrupts the host (JS and wasm) once `timeout` has passed, setting
    /// `expired` too, unless the returned guard is dropped first.
    pub fn interrupt_after(&self, timeout: Duration, expired: Arc<AtomicBool>) -> Watchdog {
        let (cancel, cancelled) = mpsc::channel::<()>();
        let flag = self.interrupt.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = cancelled.recv_timeout(timeout) {
                expired.store(true, Ordering::Relaxed);
                flag.store(true, Ordering::Relaxed);
            }
        });
        Watchdog { _cancel: cancel }
    }

    /// Whether the global `name` is a function.
    pub fn defines(&self, name: &str) -> bool {
        let ok = name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        ok && self
            .eval_to_string(&format!("typeof globalThis.{name} === 'function'"))
            .is_ok_and(|s| s == "true")
    }

    /// Frees now what neither JS nor wasm can reach: QuickJS collects its
    /// cycles, the wrappers it freed release their engine objects, and the
    /// store collects. Both collect on their own; this is for tests and
    /// hosts that want the memory back at a given point.
    pub fn collect_garbage(&self) {
        self.state.collect_garbage(&self.runtime);
    }

    /// What the engine's heap holds (live GC objects and exceptions, and
    /// how many of them JS holds).
    pub fn heap_stats(&self) -> touchstone_engine::HeapStats {
        self.state.heap_stats()
    }

    /// What `print` wrote so far, when the output is captured.
    pub fn captured_output(&self) -> String {
        self.shell.captured()
    }
}

impl Drop for JsHost {
    fn drop(&mut self) {
        self.state.shutdown();
    }
}
