//! Validation (spec 3). The checking is wasmparser's; this layer runs it:
//! the feature set, the validator over a module's payloads
//! ([`ModuleValidator`]), the validators of function bodies (driven
//! operator by operator by translation, in the same pass), and the sorting
//! of its errors into malformed and invalid ([`classify`]).

mod exports;
mod features;

pub use features::default_features;

use wasmparser::{
    FuncToValidate, FuncValidator, FuncValidatorAllocations, Payload, ValidPayload, Validator,
    ValidatorResources, WasmFeatures,
};

use crate::error::{CompileError, CompileErrorKind};

/// Wasmparser's validator over one module's payloads, with classified errors.
pub(crate) struct ModuleValidator {
    validator: Validator,
    /// Reused from one function body's validator to the next.
    allocs: FuncValidatorAllocations,
}

impl ModuleValidator {
    /// A validator of the given features.
    pub(crate) fn new(features: WasmFeatures) -> Self {
        ModuleValidator {
            validator: Validator::new_with_features(features),
            allocs: FuncValidatorAllocations::default(),
        }
    }

    /// The features it validates with.
    pub(crate) fn features(&self) -> &WasmFeatures {
        self.validator.features()
    }

    /// Validates one payload (in module order).
    pub(crate) fn payload<'a>(
        &mut self,
        payload: &Payload<'a>,
    ) -> Result<ValidPayload<'a>, CompileError> {
        if let Payload::ExportSection(section) = payload {
            if section.count() > exports::DEDUPLICATE_ABOVE {
                exports::validate_deduplicated(&mut self.validator, section)?;
                return Ok(ValidPayload::Ok);
            }
        }
        self.validator.payload(payload).map_err(classify)
    }

    /// The validator of one function body, for translation to drive.
    pub(crate) fn func_validator(
        &mut self,
        func: FuncToValidate<ValidatorResources>,
    ) -> FuncValidator<ValidatorResources> {
        func.into_validator(std::mem::take(&mut self.allocs))
    }

    /// Takes back a finished body validator's allocations.
    pub(crate) fn recycle(&mut self, done: FuncValidator<ValidatorResources>) {
        self.allocs = done.into_allocations();
    }
}

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
