//! Runs js-api test files on our host and prints each subtest:
//! `cargo run -p touchstone-js --example jsapi_file -- ROOT FILE...`.
use std::path::PathBuf;
use std::time::Duration;
use touchstone_js::testharness::{run_ours, Layout, Status};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("ROOT"));
    let layout = Layout {
        testharness: root.join("harness/testharness.js"),
        root,
    };
    for file in args {
        let out = run_ours(file.as_ref(), &layout, Duration::from_secs(60));
        let pass = out
            .subtests
            .iter()
            .filter(|s| s.status == Status::Pass)
            .count();
        println!("== {file}: {pass}/{}", out.subtests.len());
        for s in out.subtests.iter().filter(|s| s.status != Status::Pass) {
            println!(
                "  {:?} {} :: {}",
                s.status,
                s.name,
                s.message.as_deref().unwrap_or("")
            );
        }
        if let Some(e) = out.error {
            println!("  FILE ERROR: {e}");
        }
    }
}
