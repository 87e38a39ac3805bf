//! The shell's native half: output, files, URLs and nested scripts for
//! `shell.js` (`print`, `load`, `fetch`).

use std::cell::RefCell;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use rquickjs::{ArrayBuffer, CatchResultExt, Ctx, Function, Object, Value};

use crate::Options;

/// Where `print` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// The process's standard output.
    Stdout,
    /// Kept in memory ([`JsHost::captured_output`](crate::JsHost::captured_output)).
    Capture,
}

pub(crate) struct ShellState {
    output: Output,
    captured: RefCell<String>,
    base_dir: PathBuf,
    /// Rejected promises without a handler yet (reported once the jobs
    /// queue runs dry; a handler attached before then takes one back).
    unhandled: RefCell<Vec<String>>,
}

impl ShellState {
    pub(crate) fn new(options: Options) -> Self {
        ShellState {
            output: options.output,
            captured: RefCell::new(String::new()),
            base_dir: options.base_dir,
            unhandled: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn track_rejection(&self, reason: &Value, is_handled: bool) {
        let mut u = self.unhandled.borrow_mut();
        if is_handled {
            u.pop();
        } else {
            u.push(describe(reason));
        }
    }

    pub(crate) fn take_unhandled_rejections(&self) -> Vec<String> {
        std::mem::take(&mut self.unhandled.borrow_mut())
    }

    pub(crate) fn captured(&self) -> String {
        self.captured.borrow().clone()
    }
}

/// A thrown JS value as text: `Name: message` plus the stack for errors.
pub(crate) fn describe(v: &Value) -> String {
    if let Some(o) = v.as_object() {
        let message: Option<String> = o.get("message").ok();
        let name: Option<String> = o.get("name").ok();
        if let Some(message) = message {
            let stack: Option<String> = o.get("stack").ok();
            let head = format!("{}: {message}", name.unwrap_or_else(|| "Error".into()));
            return match stack {
                Some(s) if !s.is_empty() => format!("{head}\n{}", s.trim_end()),
                _ => head,
            };
        }
    }
    v.as_string()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_else(|| format!("{v:?}"))
}

const FETCH_TIMEOUT: Duration = Duration::from_secs(30);
const FETCH_MAX_BYTES: u64 = 1 << 30;

fn fetch_url(url: &str) -> Result<(u16, Vec<u8>), String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(FETCH_MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok((status, bytes))
}

pub(crate) fn install<'js>(ctx: &Ctx<'js>, st: &Rc<ShellState>) -> rquickjs::Result<()> {
    let st = st.clone();
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>,
              op: String,
              a: String,
              b: rquickjs::function::Opt<String>|
              -> rquickjs::Result<Value<'js>> {
            let result = Object::new(ctx.clone())?;
            match op.as_str() {
                "print" => match st.output {
                    Output::Stdout => {
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "{a}");
                    }
                    Output::Capture => {
                        let mut c = st.captured.borrow_mut();
                        c.push_str(&a);
                        c.push('\n');
                    }
                },
                "resolve" => {
                    let path = st.base_dir.join(&a);
                    result.set("ok", path.to_string_lossy().into_owned())?;
                }
                "readFile" => match std::fs::read(st.base_dir.join(&a)) {
                    Ok(bytes) => result.set("ok", ArrayBuffer::new(ctx.clone(), bytes)?)?,
                    Err(e) => result.set("err", format!("{a}: {e}"))?,
                },
                "fetchUrl" => match fetch_url(&a) {
                    Ok((status, bytes)) => {
                        result.set("ok", ArrayBuffer::new(ctx.clone(), bytes)?)?;
                        result.set("status", status)?;
                    }
                    Err(e) => result.set("err", format!("{a}: {e}"))?,
                },
                "evalScript" => {
                    let mut opts = rquickjs::context::EvalOptions::default();
                    opts.global = true;
                    opts.strict = false;
                    opts.filename = b.0.clone();
                    return ctx.eval_with_options::<Value, _>(a, opts);
                }
                "loadFile" => {
                    let path = st.base_dir.join(&a);
                    let source = match std::fs::read_to_string(&path) {
                        Ok(s) => s,
                        Err(e) => {
                            return Err(rquickjs::Exception::throw_message(
                                &ctx,
                                &format!("load {a}: {e}"),
                            ))
                        }
                    };
                    let mut opts = rquickjs::context::EvalOptions::default();
                    opts.global = true;
                    opts.strict = false;
                    opts.filename = Some(path.to_string_lossy().into_owned());
                    let r = ctx.eval_with_options::<Value, _>(source, opts).catch(&ctx);
                    return match r {
                        Ok(v) => Ok(v),
                        Err(rquickjs::CaughtError::Exception(e)) => Err(ctx.throw(e.into_value())),
                        Err(rquickjs::CaughtError::Value(v)) => Err(ctx.throw(v)),
                        Err(rquickjs::CaughtError::Error(e)) => Err(e),
                    };
                }
                _ => {
                    return Err(rquickjs::Exception::throw_internal(
                        &ctx,
                        &format!("no shell op {op}"),
                    ))
                }
            }
            Ok(result.into_value())
        },
    )?;
    ctx.globals().set("__touchstoneShell", f)?;
    Ok(())
}
