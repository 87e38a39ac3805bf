//! `toy-touchstone`: the whole `touchstone` command line, with the toy
//! engine added: `toy-touchstone test ../shared/testsuite/i32.wast --engine toy`.

fn main() -> std::process::ExitCode {
    touchstone_harness::engine::registry::add("toy", || Box::new(toy_engine::ToyEngine));
    touchstone_harness::cli::main()
}
