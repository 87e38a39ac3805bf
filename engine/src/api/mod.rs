//! The embedding API, shaped after the WebAssembly JS API: [`Module`]
//! (`WebAssembly.Module`), [`Instance`], [`Imports`] (the import object),
//! the errors, and [`validate`].

pub mod error;
pub mod imports;
pub mod instance;
mod instantiate;
pub mod module;
