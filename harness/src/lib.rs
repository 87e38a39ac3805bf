//! Touchstone's harness: runs `.wast` spec scripts against engines and
//! reports conformance, assertion by assertion.

pub mod cli;
pub mod config;
pub mod engine;
pub mod fuzz;
pub mod report;
pub mod scheduler;
pub mod script_runner;
pub mod suite;
