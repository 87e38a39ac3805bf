//! Reports: the in-memory model and the formats rendered from it.

pub mod baseline;
pub mod compare;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod matrix;
pub mod merge;
pub mod model;
pub mod outputs;
pub mod terminal;

pub use model::*;
