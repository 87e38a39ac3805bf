//! Reports: the in-memory model and the formats rendered from it.

pub mod model;

pub use model::*;
