//! Validation glue (spec 3): wasmparser's validator does the checking; this
//! module chooses the features and sorts its errors into malformed and invalid.

mod features;

pub use features::default_features;

use crate::error::{CompileError, CompileErrorKind};

/// Messages of validator errors that are really decoding rules of the
/// binary format (spec 5), which the testsuite checks with `assert_malformed`.
const MALFORMED_MARKERS: &[&str] = &[
    "malformed",
    "unexpected end",
    "section out of order",
    "inconsistent lengths",
    "data count section required",
    "END opcode expected",
    "operators remaining after end of function",
    "too many locals",
    "control frames remain",
    "unknown binary version",
    "integer representation too long",
    "integer too large",
    "zero byte expected",
    "illegal opcode",
    "invalid section size",
    "section size mismatch",
    "function body must end with END opcode",
];

/// Classifies a validator error as malformed or invalid.
pub(crate) fn classify(err: wasmparser::BinaryReaderError) -> CompileError {
    let msg = err.message();
    let kind = if MALFORMED_MARKERS.iter().any(|m| msg.contains(m)) {
        CompileErrorKind::Malformed
    } else {
        CompileErrorKind::Invalid
    };
    CompileError::new(kind, format!("{msg} (at offset {:#x})", err.offset()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Module;

    #[test]
    fn type_errors_are_invalid() {
        let wasm = wat::parse_str(r#"(module (func (result i32) i64.const 0))"#).unwrap();
        assert_eq!(
            Module::new(&wasm).unwrap_err().kind(),
            CompileErrorKind::Invalid
        );
    }

    #[test]
    fn truncated_bytes_are_malformed() {
        let wasm = wat::parse_str(r#"(module (func (result i32) i32.const 0))"#).unwrap();
        let cut = &wasm[..wasm.len() - 2];
        assert_eq!(
            Module::new(cut).unwrap_err().kind(),
            CompileErrorKind::Malformed
        );
    }
}
