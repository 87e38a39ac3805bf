//! Chooses the interpreter's dispatch (see `src/exec/interp/threaded/mod.rs`).
//!
//! Threaded dispatch chains instruction handlers through tail calls, which
//! only stay flat (a jump, not a nested call) when LLVM optimizes sibling
//! calls: in optimized builds on x86_64 and aarch64. Elsewhere every
//! instruction would grow the native stack, so the portable `match` loop runs.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(touchstone_threaded)");
    println!("cargo:rerun-if-changed=build.rs");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = matches!(opt.as_str(), "2" | "3");
    let sibling_calls = matches!(arch.as_str(), "x86_64" | "aarch64");
    if optimized && sibling_calls {
        println!("cargo:rustc-cfg=touchstone_threaded");
    }
}
