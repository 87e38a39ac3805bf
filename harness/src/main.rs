//! `touchstone`: see `touchstone --help`.

fn main() -> std::process::ExitCode {
    touchstone_harness::cli::main()
}
