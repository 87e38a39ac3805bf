//! Compilation: module bytes, whole or arriving in pieces ([`streaming`]),
//! into a [`CompiledModule`] (the decoded [`ModuleInfo`] and every
//! function translated), above the layers
//! it drives: decoding (`binary`), validation (`valid`, wasmparser) and
//! translation (`exec::translate`).
//!
//! Each payload goes through three steps, in this order, so the error a
//! module gets is the one the spec testsuite expects:
//! 1. our own decoding of the section (a failure here is *malformed*),
//! 2. validation (`crate::valid`, wasmparser's validator: *invalid*,
//!    except for the few decoding rules the validator enforces, see
//!    [`crate::valid::classify`]),
//! 3. translation of function bodies. Features the interpreter cannot run
//!    yet are remembered and reported as *unsupported* only once the whole
//!    module has decoded and validated.

pub(crate) mod streaming;

use wasmparser::{
    Parser, Payload, ValidPayload, WasmFeatures,
};

use std::sync::Arc;

use crate::binary::{malformed, sections, ModuleInfo};
use crate::error::{CompileError, CompileErrorKind};
use crate::exec::code::FuncCode;
use crate::exec::translate;
use crate::valid::ModuleValidator;

/// A module ready to instantiate: what decoding found, and the translated
/// bodies of the module's own functions (kept here, above decoding, so the
/// binary layer knows nothing of the interpreter's code form).
#[derive(Debug, Default)]
pub(crate) struct CompiledModule {
    pub info: ModuleInfo,
    pub code: Vec<Arc<FuncCode>>,
}

/// Builds a [`CompiledModule`] payload by payload.
pub(crate) struct ModuleBuilder {
    info: ModuleInfo,
    /// Translated bodies so far.
    code: Vec<Arc<FuncCode>>,
    validator: ModuleValidator,
    /// The first thing found that this engine cannot run, reported at the end.
    unsupported: Option<String>,
    /// Function bodies seen so far (translated or not).
    bodies: usize,
    done: bool,
}

impl ModuleBuilder {
    /// A builder validating with the given features.
    pub(crate) fn new(features: WasmFeatures) -> Self {
        ModuleBuilder {
            info: ModuleInfo::default(),
            code: Vec::new(),
            validator: ModuleValidator::new(features),
            unsupported: None,
            bodies: 0,
            done: false,
        }
    }

    /// Whether the module's `End` payload has been seen.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    fn note_unsupported(&mut self, what: String) {
        self.unsupported.get_or_insert(what);
    }

    /// Consumes one payload.
    pub(crate) fn payload(&mut self, payload: &Payload<'_>) -> Result<(), CompileError> {
        if let Err(e) = sections::decode(&mut self.info, payload) {
            if e.kind() == CompileErrorKind::Unsupported {
                self.note_unsupported(e.message().to_string());
            } else {
                return Err(e);
            }
        }
        if let Payload::CodeSectionEntry(body) = payload {
            sections::decode_body(body, self.validator.features())?;
        }
        let valid = self.validator.payload(payload)?;
        match valid {
            ValidPayload::Func(func, body) => {
                let mut fv = self.validator.func_validator(func);
                let index = (self.info.num_imported_funcs + self.bodies) as u32;
                self.bodies += 1;
                let translated = translate::translate(&self.info, index, &body, &mut fv);
                self.validator.recycle(fv);
                match translated {
                    Ok(code) => self.code.push(Arc::new(code)),
                    Err(e) if e.kind() == CompileErrorKind::Unsupported => {
                        self.note_unsupported(e.message().to_string())
                    }
                    Err(e) => return Err(e),
                }
            }
            ValidPayload::End(_) => self.done = true,
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
        Ok(())
    }

    /// The finished module, or the unsupported feature it uses.
    pub(crate) fn finish(self) -> Result<CompiledModule, CompileError> {
        if !self.done {
            return Err(CompileError::new(
                CompileErrorKind::Malformed,
                "unexpected end of module",
            ));
        }
        match self.unsupported {
            Some(what) => Err(CompileError::unsupported(what)),
            None => Ok(CompiledModule {
                info: self.info,
                code: self.code,
            }),
        }
    }
}

/// Decodes, validates and translates a complete module.
pub(crate) fn compile(
    bytes: &[u8],
    features: WasmFeatures,
) -> Result<CompiledModule, CompileError> {
    let mut builder = ModuleBuilder::new(features);
    let mut parser = Parser::new(0);
    // The decoder's features decide encodings (e.g. 32- vs 64-bit limits).
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(malformed)?;
        builder.payload(&payload)?;
        if builder.is_done() {
            break;
        }
    }
    builder.finish()
}
