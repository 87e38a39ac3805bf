//! Execution (spec chapter 4): numerics and the interpreter.

pub mod numeric;
