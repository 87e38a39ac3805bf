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
//!
//! A function body is decoded, validated and translated in one pass; only a
//! body that fails validation is decoded again to the end, so that a
//! malformed byte after the invalid operator still makes it *malformed*.

pub(crate) mod streaming;

use wasmparser::{Parser, Payload, ValidPayload, WasmFeatures};

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
    /// Buffers one body's translation hands to the next.
    scratch: translate::Scratch,
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
            scratch: translate::Scratch::default(),
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
        let valid = match self.validator.payload(payload) {
            Ok(valid) => valid,
            Err(e) => {
                if let Payload::CodeSectionEntry(body) = payload {
                    self.malformed_body(body)?;
                }
                return Err(e);
            }
        };
        match valid {
            ValidPayload::Func(func, body) => {
                let mut fv = self.validator.func_validator(func);
                let index = (self.info.num_imported_funcs + self.bodies) as u32;
                self.bodies += 1;
                let translated =
                    translate::translate(&self.info, index, &body, &mut fv, &mut self.scratch);
                self.validator.recycle(fv);
                match translated {
                    Ok(code) => self.code.push(Arc::new(code)),
                    Err(e) if e.kind() == CompileErrorKind::Unsupported => {
                        self.note_unsupported(e.message().to_string())
                    }
                    Err(e) if e.kind() == CompileErrorKind::Malformed => return Err(e),
                    Err(e) => {
                        self.malformed_body(&body)?;
                        return Err(e);
                    }
                }
            }
            ValidPayload::End(_) => self.done = true,
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
        Ok(())
    }

    /// Decodes a whole body on its own, for the malformed bytes an invalid
    /// body may hold past the point where validation stopped: those are the
    /// error to report (the spec decodes before it validates). Only bodies
    /// that failed validation pay for this second pass; valid ones are
    /// decoded once, by translation.
    fn malformed_body(&self, body: &wasmparser::FunctionBody<'_>) -> Result<(), CompileError> {
        sections::decode_body(body, self.validator.features())
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
            None => {
                let mut code = self.code;
                crate::exec::code::link_calls(&mut code, self.info.num_imported_funcs);
                Ok(CompiledModule {
                    info: self.info,
                    code,
                })
            }
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

#[cfg(test)]
mod tests {
    use crate::error::CompileErrorKind;
    use crate::{Instance, Module, Store, Val};

    /// A module of one `[] -> []` function whose body (after its locals
    /// count) is `code`.
    fn module_with_body(code: &[u8]) -> Vec<u8> {
        let mut body = vec![0x00]; // no locals
        body.extend_from_slice(code);
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend_from_slice(&[0x01, 0x04, 0x01, 0x60, 0x00, 0x00]); // type () -> ()
        bytes.extend_from_slice(&[0x03, 0x02, 0x01, 0x00]); // one function of type 0
        let entry_len = body.len() as u8;
        bytes.extend_from_slice(&[0x0a, entry_len + 2, 0x01, entry_len]);
        bytes.extend_from_slice(&body);
        bytes
    }

    #[test]
    fn a_malformed_byte_after_an_invalid_operator_makes_the_body_malformed() {
        // `i32.add` on an empty stack (invalid), then 0xff (no such opcode).
        let err = Module::new(&module_with_body(&[0x6a, 0xff, 0x0b])).unwrap_err();
        assert_eq!(err.kind(), CompileErrorKind::Malformed, "{}", err.message());
        // Without the bad byte the same body is only invalid.
        let err = Module::new(&module_with_body(&[0x6a, 0x0b])).unwrap_err();
        assert_eq!(err.kind(), CompileErrorKind::Invalid, "{}", err.message());
    }

    #[test]
    fn legacy_try_bodies_are_translated_again_with_the_operand_widths() {
        // The body is translated twice (the first pass stops at `try`); the
        // v128 `select` and `drop` before it must keep their width of two
        // slots in the second pass, and those after it too.
        let wasm = wat::parse_str(
            r#"(module
              (tag $e (param i32))
              (func (export "f") (param $p i32) (result i32)
                (drop (select (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (local.get $p)))
                try (result i32)
                  i32.const 7
                  throw $e
                catch $e
                end
                (i32x4.extract_lane 3
                  (select (v128.const i32x4 0 0 0 9) (v128.const i32x4 0 0 0 1) (local.get $p)))
                (i32.add)
                try (result i32)
                  i32.const 100
                  throw $e
                catch_all
                  i32.const 30
                end
                (i32.add)))"#,
        )
        .unwrap();
        let features = crate::default_features() | wasmparser::WasmFeatures::LEGACY_EXCEPTIONS;
        let module = Module::with_features(&wasm, features).unwrap();
        let mut store = Store::default();
        let instance = Instance::new(&mut store, &module, &crate::Imports::new()).unwrap();
        let f = instance.get_func(&store, "f").unwrap();
        assert_eq!(
            f.call(&mut store, &[Val::I32(1)]).unwrap(),
            vec![Val::I32(7 + 9 + 30)]
        );
        assert_eq!(
            f.call(&mut store, &[Val::I32(0)]).unwrap(),
            vec![Val::I32(7 + 1 + 30)]
        );
    }
}
