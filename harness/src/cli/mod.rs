//! The `touchstone` command line.

pub mod fuzz;
pub mod inspect;
mod js;
pub mod js_api;
mod list;
pub mod merge;
mod progress;
pub mod run_module;
pub mod serve;
mod stdout;
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
    Test(Box<TestArgs>),
    /// Compare two JSON reports; exits 1 if NEW regressed against OLD.
    Compare {
        /// The earlier report.
        old: PathBuf,
        /// The later report.
        new: PathBuf,
    },
    /// Merge JSON reports of partial runs (`--partition`) into one report.
    /// Its HTML report has no script excerpts: reports do not carry the
    /// scripts' text.
    Merge(merge::MergeArgs),
    /// List the engines (and whether each can run here) and the embedded suite's sets.
    List(list::ListArgs),
    /// Serve a built-in engine over the engine protocol on stdin/stdout
    /// (docs/engine-protocol.md).
    Serve(serve::ServeArgs),
    /// Fetch (file or URL), compile while streaming, instantiate and invoke
    /// a module on our engine; prints results in `.wast` syntax.
    Run(run_module::RunArgs),
    /// Show a module's imports, exports, custom sections and entity counts.
    Inspect(inspect::InspectArgs),
    /// Run the WebAssembly JS API tests (testharness.js `*.any.js` files)
    /// on our engine in QuickJS, and/or in node (`--engine v8`).
    #[command(name = "js-api")]
    JsApi(js_api::JsApiArgs),
    /// Run a JavaScript file with the `WebAssembly` namespace on our engine
    /// (a small shell: print, load, setTimeout, fetch).
    Js(js::JsArgs),
    /// Differential fuzzing: random modules on several engines (built-in
    /// ones in worker processes, so an engine that aborts costs one
    /// finding); writes each disagreement or crash as a `.wast` regression;
    /// exits 1 on an unexplained one.
    Fuzz(fuzz::FuzzArgs),
}

/// Options of `touchstone test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// `.wast` files or folders (searched recursively). Without any, runs
    /// the official suite embedded in the binary.
    pub paths: Vec<PathBuf>,

    /// Embedded suite sets to run when no PATH is given (`wasm-v1`,
    /// `wasm-v2`, `wasm-v3`, `wasm-latest`, or a proposal such as `gc`).
    /// Default: Wasm 3.0 and every proposal set (`touchstone list`).
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

    /// Per-file time limit in seconds, per engine (default 10). A script
    /// may lower it for itself with a `;; touchstone: timeout=SECS` comment
    /// at its top; given here, it also overrides a config file's `timeout`.
    #[arg(long)]
    pub timeout: Option<f64>,

    /// Linear memory one script's store may hold in all (declared sizes, as
    /// `memory.grow` grants them), e.g. `10GiB`, `512MiB`. Beyond it a
    /// `memory.grow` fails. Worst case in RAM when every page is touched:
    /// this x jobs x engines. Default 10GiB; given here, it overrides the
    /// config file's limits.
    #[arg(long, value_parser = parse_bytes)]
    pub max_memory: Option<u64>,

    /// Table elements one script's store may hold in all. Default
    /// 10000000; given here, it overrides the config file's limits.
    #[arg(long)]
    pub max_table_elements: Option<u64>,

    /// Wasm call depth beyond which a call is `exhaustion`. Default 10000;
    /// given here, it overrides the config file's limits.
    #[arg(long)]
    pub max_call_depth: Option<u32>,

    /// WebAssembly features, applied to every file after its own settings:
    /// a preset (`wasm1`, `wasm2`, `wasm3`) and/or `+name` / `-name` with
    /// wasmparser's feature names, comma-separated (`wasm2,+threads`).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub features: Option<String>,

    /// The configuration file (default: `touchstone.toml` at the suite
    /// root, then in the user's config directory; see docs/config.md).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The conventions of the runner the scripts were written for.
    #[arg(long, value_enum)]
    pub dialect: Option<crate::script_runner::dialect::Dialect>,

    /// Count a pass whose engine message differs from the script's
    /// expected text as a failure.
    #[arg(long)]
    pub strict_messages: bool,

    /// Run only part K of N of the files (1-based), chosen by a stable hash
    /// of each file's path; merge the parts' JSON with `touchstone merge`.
    #[arg(long, value_name = "K/N")]
    pub partition: Option<crate::suite::partition::Partition>,

    #[command(flatten)]
    pub outputs: Outputs,
}

/// Where a run's reports go, and its baseline (`test` and `js-api`).
#[derive(Debug, clap::Args)]
pub struct Outputs {
    /// The report files to write.
    #[command(flatten)]
    pub files: crate::report::outputs::ReportFiles,

    /// Expected failures: the run passes when outcomes match it exactly.
    /// With several engines, write `{engine}` in the path
    /// (e.g. `reports/baseline-{engine}.json`).
    #[arg(long)]
    pub baseline: Option<String>,

    /// Rewrite the baseline from this run (for the files it ran). Entries
    /// that stay keep their `reason`.
    #[arg(long, requires = "baseline")]
    pub bless: bool,

    /// With --bless: also take the reasons of entries that stay from this
    /// earlier baseline (`{engine}` as in --baseline); for rewriting a
    /// baseline from scratch, as `reports/bless.sh` does.
    #[arg(long, requires = "bless")]
    pub reasons_from: Option<String>,

    /// No progress: neither the bar on a terminal nor the periodic
    /// progress lines printed when stderr is not a terminal (CI logs).
    #[arg(long)]
    pub quiet: bool,
}

/// Default per-file time limit: the slowest official file takes well under
/// a second in a release build, so a file that loops costs seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;

/// A byte count: a number with an optional unit (`B`, `KiB`, `MiB`, `GiB`,
/// `TiB`, or `K`/`M`/`G`/`T` for the same binary units).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    // One parser for sizes, shared with the config file's.
    text.parse::<crate::config::ByteSize>().map(|size| size.0)
}

/// Parses the command line and runs; the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Test(args) => test::run(*args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Compare { old, new } => crate::report::compare::run(&old, &new).map(|cmp| {
            stdout::write(&cmp.to_string());
            if cmp.has_regressions() {
                Status::Failed
            } else {
                Status::Ok
            }
        }),
        Command::Merge(args) => {
            merge::run(&args).map(|failed| if failed { Status::Failed } else { Status::Ok })
        }
        // These print their own errors and have their own exit statuses.
        Command::Run(args) => return run_module::main(&args),
        Command::Inspect(args) => return inspect::main(&args),
        Command::Serve(args) => return serve::main(&args),
        Command::Js(args) => return js::main(&args),
        Command::JsApi(args) => js_api::run(args),
        Command::List(args) => list::run(&args).map(|()| Status::Ok),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_bytes("10GiB"), Ok(10 << 30));
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("3 parsecs").is_err());
        assert!(parse_bytes("99999999999TiB").is_err());
    }

    #[test]
    fn default_memory_budget_holds_two_4gib_memories() {
        assert!(crate::engine::Limits::default().max_memory_bytes >= 2 * (4 << 30));
    }

    /// The defaults `--help` states are the ones `Limits::default()` gives
    /// (the flags are `Option`s, so clap cannot print them itself).
    #[test]
    fn help_states_the_real_limit_defaults() {
        use clap::CommandFactory;
        let mut cli = Cli::command();
        let help = cli
            .find_subcommand_mut("test")
            .expect("test subcommand")
            .render_long_help()
            .to_string();
        let limits = crate::engine::Limits::default();
        assert_eq!(limits.max_memory_bytes, 10 << 30, "help says 10GiB");
        for shown in [
            "Default 10GiB".to_string(),
            format!("Default {}", limits.max_table_elements),
            format!("Default {}", limits.max_call_depth),
        ] {
            assert!(help.contains(&shown), "--help lacks `{shown}`:\n{help}");
        }
    }

    /// `test`, `js-api` and `merge` take the four report-file flags into
    /// the one struct that writes them; `test` and `js-api` also the
    /// baseline flags beside it.
    #[test]
    fn every_reporting_command_takes_the_report_file_flags() {
        use crate::report::outputs::ReportFiles;
        let files = [
            "--json",
            "r.json",
            "--junit",
            "r.xml",
            "--markdown",
            "r.md",
            "--html",
            "r.html",
        ];
        let expected = ReportFiles {
            json: Some("r.json".into()),
            junit: Some("r.xml".into()),
            markdown: Some("r.md".into()),
            html: Some("r.html".into()),
        };
        let parse = |command: &[&str]| {
            let argv = ["touchstone"].iter().chain(command).chain(&files);
            Cli::try_parse_from(argv).expect("parses").command
        };
        let baseline = ["--baseline", "b-{engine}.json", "--bless", "--quiet"];
        let Command::Test(test) = parse(&[&["test"][..], &baseline].concat()) else {
            panic!("not test")
        };
        assert_eq!(test.outputs.files, expected);
        assert_eq!(test.outputs.baseline.as_deref(), Some("b-{engine}.json"));
        assert!(test.outputs.bless && test.outputs.quiet);
        let Command::JsApi(js_api) = parse(&[&["js-api"][..], &baseline].concat()) else {
            panic!("not js-api")
        };
        assert_eq!(js_api.outputs.files, expected);
        assert!(js_api.outputs.bless && js_api.outputs.quiet);
        let Command::Merge(merge) = parse(&["merge", "a.json", "b.json"]) else {
            panic!("not merge")
        };
        assert_eq!(merge.files, expected);
        assert_eq!(merge.reports, [PathBuf::from("a.json"), "b.json".into()]);
        // Merging takes no baseline: the parts were checked when they ran.
        let argv = ["touchstone", "merge", "a.json", "--baseline", "b.json"];
        assert!(Cli::try_parse_from(argv).is_err());
        // None given: nothing to write.
        let Command::Test(test) = Cli::parse_from(["touchstone", "test"]).command else {
            unreachable!()
        };
        assert_eq!(test.outputs.files, ReportFiles::default());
    }

    #[test]
    fn limit_flags_are_unset_unless_given() {
        let cli = Cli::parse_from(["touchstone", "test", "--max-call-depth", "7"]);
        let Command::Test(args) = cli.command else {
            unreachable!()
        };
        assert_eq!(args.max_call_depth, Some(7));
        assert_eq!((args.max_memory, args.max_table_elements), (None, None));
    }
}
