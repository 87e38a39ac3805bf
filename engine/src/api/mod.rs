//! The embedding API, shaped after the WebAssembly JS API: [`Module`](crate::Module)
//! (`WebAssembly.Module`), [`Instance`](crate::Instance), [`Imports`](crate::Imports) (the import object),
//! the errors, and [`validate`](crate::validate).

/// The errors, kept at the bottom of the crate (`crate::error`) so every
/// layer can use them without importing the API; here for the JS-API shape.
pub mod error {
    pub use crate::error::*;
}
mod func;
pub(crate) mod handle_ops;
pub mod imports;
pub mod instance;
pub(crate) mod instantiate;
pub mod module;
