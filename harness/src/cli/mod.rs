//! The `touchstone` command line.

pub mod inspect;
pub mod run;
pub mod serve;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Runs WebAssembly `.wast` spec scripts against engines and reports
/// conformance, assertion by assertion.
#[derive(Debug, Parser)]
#[command(name = "touchstone", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scripts and report.
    Test(TestArgs),
    /// Compare two JSON reports; exits 1 if NEW regressed against OLD.
    Compare {
        /// The earlier report.
        old: PathBuf,
        /// The later report.
        new: PathBuf,
    },
    /// List the engines (and whether each can run here) and the embedded suite's sets.
    List,
    /// Serve a built-in engine over the engine protocol on stdin/stdout
    /// (docs/engine-protocol.md).
    Serve(serve::ServeArgs),
    /// Fetch (file or URL), compile while streaming, instantiate and invoke
    /// a module on our engine; prints results in `.wast` syntax.
    Run(run::RunArgs),
    /// Show a module's imports, exports, custom sections and entity counts.
    Inspect(inspect::InspectArgs),
}

/// Options of `touchstone test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// `.wast` files or folders (searched recursively). Without any, runs
    /// the official suite embedded in the binary.
    pub paths: Vec<PathBuf>,

    /// Embedded suite sets to run when no PATH is given (`wasm-v1`,
    /// `wasm-v2`, `wasm-v3`, `wasm-latest`, or a proposal such as `gc`).
    /// Default: wasm-latest, threads, wide-arithmetic, custom-page-sizes,
    /// custom-descriptors, annotations.
    #[arg(long = "set", value_delimiter = ',')]
    pub sets: Vec<String>,

    /// Engines to run, comma-separated or repeated (default: touchstone).
    #[arg(long = "engine", value_delimiter = ',')]
    pub engines: Vec<String>,

    /// An external engine speaking the engine protocol
    /// (docs/engine-protocol.md), as `NAME=COMMAND`; repeatable.
    #[arg(long = "engine-cmd", value_name = "NAME=COMMAND")]
    pub engine_cmds: Vec<String>,

    /// Run the built-in engines in `touchstone serve` worker processes, so
    /// that an abort, allocation failure or stack overflow costs one file.
    #[arg(long)]
    pub isolate: bool,

    /// Files run in parallel (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Only scripts whose relative path contains this, or matches it as a glob.
    #[arg(long)]
    pub filter: Option<String>,

    /// Per-file time limit in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,

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

    /// Expected failures: the run passes when outcomes match it exactly.
    /// With several engines, write `{engine}` in the path
    /// (e.g. `reports/baseline-{engine}.json`).
    #[arg(long)]
    pub baseline: Option<String>,

    /// Rewrite the baseline from this run (for the files it ran).
    #[arg(long, requires = "baseline")]
    pub bless: bool,

    /// No progress bar even on a terminal.
    #[arg(long)]
    pub quiet: bool,
}

/// Parses the command line and runs; the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Test(args) => test::run(args),
        Command::Compare { old, new } => crate::report::compare::run(&old, &new).map(|regressed| {
            if regressed {
                Status::Failed
            } else {
                Status::Ok
            }
        }),
        // These two print their own errors and have their own exit statuses.
        Command::Run(args) => return run::main(&args),
        Command::Inspect(args) => return inspect::main(&args),
        Command::Serve(args) => return serve::main(&args),
        Command::List => {
            list();
            Ok(Status::Ok)
        }
    };
    match result {
        Ok(status) => ExitCode::from(status as u8),
        Err(e) => {
            eprintln!("touchstone: {e:#}");
            ExitCode::from(Status::Usage as u8)
        }
    }
}

/// Exit statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing failed (or, with a baseline, nothing differed from it).
    Ok = 0,
    /// Something failed or differed from the baseline.
    Failed = 1,
    /// Bad usage: unknown engine or set, unreadable path or baseline.
    Usage = 2,
}

fn list() {
    println!("engines:");
    for (name, status) in crate::engine::registry::availability() {
        match status {
            Ok(what) => println!("  {name:<12} {what}"),
            Err(why) => println!("  {name:<12} unavailable: {why}"),
        }
    }
    println!("  (any other engine: --engine-cmd NAME=COMMAND, see docs/engine-protocol.md)");
    println!(
        "embedded sets: {}",
        crate::suite::embedded::set_names().join(", ")
    );
    println!(
        "default sets: {}",
        crate::suite::embedded::DEFAULT_SETS.join(", ")
    );
    println!("feature rules (first match wins; otherwise Wasm 3.0):");
    for rule in crate::suite::features::RULES {
        println!("  {:<48} {}", rule.folder, rule.why);
    }
}
