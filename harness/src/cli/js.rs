//! `touchstone js FILE.js`: runs a script with the `WebAssembly` namespace
//! on our engine (see the `touchstone-js` crate), like V8's `d8`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use touchstone_js::{JsHost, Options, Output};

/// Options of `touchstone js`.
#[derive(Debug, clap::Args)]
pub struct JsArgs {
    /// The script. `load` and `fetch` resolve relative paths against its folder.
    pub file: PathBuf,

    /// Stop the script (JS and wasm) after this many seconds.
    #[arg(long)]
    pub timeout: Option<f64>,
}

pub fn main(args: &JsArgs) -> ExitCode {
    let source = match std::fs::read_to_string(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("touchstone: {}: {e}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let options = Options {
        output: Output::Stdout,
        base_dir: args
            .file
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default(),
        ..Options::default()
    };
    let host = match JsHost::new(options) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("touchstone: cannot start the JS host: {e}");
            return ExitCode::from(2);
        }
    };
    let expired = Default::default();
    let _watchdog = args
        .timeout
        .filter(|t| t.is_finite() && *t > 0.0)
        .map(|t| host.interrupt_after(Duration::from_secs_f64(t), expired));
    let mut failed = false;
    if let Err(e) = host.eval(&source, &args.file.display().to_string()) {
        eprintln!("{e}");
        failed = true;
    }
    host.run_event_loop(|e| {
        eprintln!("{e}");
        failed = true;
    });
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
