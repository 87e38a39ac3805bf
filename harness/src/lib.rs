//! Touchstone's harness: runs `.wast` spec scripts against engines and
//! reports conformance, assertion by assertion.

pub mod engine;
pub mod report;
