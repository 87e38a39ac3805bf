//! Compiled modules (`WebAssembly.Module`).

use std::io::Read;
use std::sync::Arc;

use wasmparser::WasmFeatures;

use super::error::{CompileError, CompileErrorKind};
use crate::binary::{self, ModuleInfo};
use crate::runtime::types::ExternType;

/// Checks that `bytes` are a valid module under the default features
/// (`WebAssembly.validate`). Modules using features the interpreter cannot
/// run yet are still valid.
///
/// ```
/// use touchstone_engine::validate;
/// assert!(validate(&wat::parse_str("(module)").unwrap()).is_ok());
/// assert!(validate(b"nope").is_err());
/// ```
pub fn validate(bytes: &[u8]) -> Result<(), CompileError> {
    match binary::compile(bytes, crate::default_features()) {
        Err(e) if e.kind() != CompileErrorKind::Unsupported => Err(e),
        _ => Ok(()),
    }
}

/// A decoded, validated and translated module, ready to instantiate any
/// number of times in any store. Cheap to clone.
///
/// ```
/// use touchstone_engine::Module;
/// let wasm = wat::parse_str(r#"(module (import "m" "f" (func)) (func (export "g")) (@custom "note" "hi"))"#).unwrap();
/// let module = Module::new(&wasm).unwrap();
/// assert_eq!(module.imports().next().unwrap().name, "f");
/// assert_eq!(module.exports().next().unwrap().name, "g");
/// assert_eq!(module.custom_sections("note").next(), Some(&b"hi"[..]));
/// ```
#[derive(Clone, Debug)]
pub struct Module {
    pub(crate) info: Arc<ModuleInfo>,
}

/// One import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportType<'m> {
    /// The module name.
    pub module: &'m str,
    /// The field name.
    pub name: &'m str,
    /// What is expected.
    pub ty: ExternType,
}

/// One export of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportType<'m> {
    /// The export name.
    pub name: &'m str,
    /// What is exported.
    pub ty: ExternType,
}

impl Module {
    /// Compiles a module with the default (Wasm 3.0) validation features.
    pub fn new(bytes: &[u8]) -> Result<Module, CompileError> {
        Self::with_features(bytes, crate::default_features())
    }

    /// Compiles a module, validating with the given features.
    pub fn with_features(bytes: &[u8], features: WasmFeatures) -> Result<Module, CompileError> {
        Ok(Module {
            info: Arc::new(binary::compile(bytes, features)?),
        })
    }

    /// Compiles a module from a reader, decoding and translating each
    /// section as soon as its bytes have arrived (`WebAssembly.compileStreaming`).
    ///
    /// ```
    /// use touchstone_engine::Module;
    /// let wasm = wat::parse_str("(module (func (export \"f\")))").unwrap();
    /// let module = Module::from_reader(&wasm[..], wasmparser::WasmFeatures::default()).unwrap();
    /// assert_eq!(module.exports().count(), 1);
    /// ```
    pub fn from_reader(reader: impl Read, features: WasmFeatures) -> Result<Module, CompileError> {
        Ok(Module {
            info: Arc::new(binary::streaming::compile_from_reader(reader, features)?),
        })
    }

    /// The imports, in order (`WebAssembly.Module.imports`).
    pub fn imports(&self) -> impl Iterator<Item = ImportType<'_>> + '_ {
        self.info.imports.iter().map(|i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: self.info.import_type(&i.kind),
        })
    }

    /// The exports, in order (`WebAssembly.Module.exports`).
    pub fn exports(&self) -> impl Iterator<Item = ExportType<'_>> + '_ {
        self.info.exports.iter().map(|e| ExportType {
            name: &e.name,
            ty: self.info.export_type(e),
        })
    }

    /// The contents of every custom section called `name`
    /// (`WebAssembly.Module.customSections`).
    pub fn custom_sections<'m>(&'m self, name: &'m str) -> impl Iterator<Item = &'m [u8]> + 'm {
        self.info
            .customs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, d)| d.as_slice())
    }
}
