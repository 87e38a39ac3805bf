//! Decoding (spec 5): a module's sections into a [`ModuleInfo`], constant
//! expressions, value and reference types. The pipeline that also
//! validates and translates is `crate::compile`, above this layer.

pub(crate) mod const_expr;
pub(crate) mod module_info;
pub(crate) mod sections;

use crate::error::{CompileError, CompileErrorKind};
pub(crate) use module_info::ModuleInfo;

/// Wraps a decoding error as a malformed-module error.
pub(crate) fn malformed(err: wasmparser::BinaryReaderError) -> CompileError {
    CompileError::new(
        CompileErrorKind::Malformed,
        format!("{} (at offset {:#x})", err.message(), err.offset()),
    )
}
