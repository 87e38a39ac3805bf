//! Touchstone's WebAssembly reference interpreter.

pub mod exec;
