//! The embedding API, shaped after the WebAssembly JS API: [`Module`](crate::Module)
//! (`WebAssembly.Module`), [`Instance`](crate::Instance), [`Imports`](crate::Imports) (the import object),
//! the errors, and [`validate`](crate::validate).

pub mod error;
pub mod imports;
pub mod instance;
pub(crate) mod instantiate;
pub mod module;
