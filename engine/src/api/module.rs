//! Compiled modules (`WebAssembly.Module`).

use std::io::Read;
use std::sync::Arc;

use wasmparser::WasmFeatures;

use super::error::{CompileError, CompileErrorKind};
use crate::binary::ModuleInfo;
use crate::compile::CompiledModule;
use crate::exec::code::FuncCode;
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
    match crate::compile::compile(bytes, crate::default_features()) {
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
    /// Translated bodies of the module's own functions, shared by every
    /// instance.
    pub(crate) code: Arc<[Arc<FuncCode>]>,
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
    /// The exported entity's index in its index space (a function's index
    /// names it: the JS API's exported function `name`).
    pub index: u32,
}

/// How many entities of one kind a module has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntityCount {
    /// Those the module imports.
    pub imported: u32,
    /// Those the module defines itself.
    pub defined: u32,
}

impl EntityCount {
    /// Imported and defined together (the size of the index space).
    pub fn total(&self) -> u32 {
        self.imported + self.defined
    }
}

/// How many functions, tables, memories, globals and tags a module has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntityCounts {
    /// Functions.
    pub functions: EntityCount,
    /// Tables.
    pub tables: EntityCount,
    /// Linear memories.
    pub memories: EntityCount,
    /// Globals.
    pub globals: EntityCount,
    /// Exception tags.
    pub tags: EntityCount,
}

impl Module {
    /// Compiles a module with the default (Wasm 3.0) validation features.
    pub fn new(bytes: &[u8]) -> Result<Module, CompileError> {
        Self::with_features(bytes, crate::default_features())
    }

    /// Compiles a module, validating with the given features.
    pub fn with_features(bytes: &[u8], features: WasmFeatures) -> Result<Module, CompileError> {
        Ok(Module::from_compiled(crate::compile::compile(
            bytes, features,
        )?))
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
        Ok(Module::from_compiled(
            crate::compile::streaming::compile_from_reader(reader, features)?,
        ))
    }

    fn from_compiled(compiled: CompiledModule) -> Module {
        Module {
            info: Arc::new(compiled.info),
            code: compiled.code.into(),
        }
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
            index: e.index,
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

    /// The names of the module's custom sections, each once, in the order
    /// they first appear.
    ///
    /// ```
    /// use touchstone_engine::Module;
    /// let wasm = wat::parse_str(r#"(module (@custom "a" "1") (@custom "b" "2") (@custom "a" "3"))"#).unwrap();
    /// let module = Module::new(&wasm).unwrap();
    /// assert_eq!(module.custom_section_names().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn custom_section_names(&self) -> impl Iterator<Item = &str> + '_ {
        let customs = &self.info.customs;
        customs
            .iter()
            .enumerate()
            .filter(move |(i, (name, _))| !customs[..*i].iter().any(|(seen, _)| seen == name))
            .map(|(_, (name, _))| name.as_str())
    }

    /// A store-local host function (see [`Func::new_local`](crate::Func::new_local))
    /// whose type is exactly that of function import `index` of this
    /// module, concrete reference types included, so it links to that
    /// import; `None` when import `index` is not a function.
    ///
    /// ```
    /// use touchstone_engine::{Extern, Instance, Module, Store, Val};
    /// let wasm = wat::parse_str(r#"(module (type $a (array i8))
    ///     (import "m" "f" (func (param (ref null $a)) (result i32)))
    ///     (func (export "g") (result i32) ref.null $a call 0))"#).unwrap();
    /// let module = Module::new(&wasm).unwrap();
    /// let mut store = Store::default();
    /// let f = module.import_func(&mut store, 0, |_, _| Ok(vec![Val::I32(5)])).unwrap();
    /// let inst = Instance::with_externs(&mut store, &module, &[Extern::Func(f)]).unwrap();
    /// let g = inst.get_func(&store, "g").unwrap();
    /// assert_eq!(g.call(&mut store, &[]).unwrap(), vec![Val::I32(5)]);
    /// ```
    pub fn import_func(
        &self,
        store: &mut crate::Store,
        index: usize,
        f: impl Fn(
                &mut crate::Caller<'_>,
                &[crate::Val],
            ) -> Result<Vec<crate::Val>, crate::RuntimeError>
            + 'static,
    ) -> Option<crate::Func> {
        let crate::binary::module_info::ImportKind::Func(ty) = self.info.imports.get(index)?.kind
        else {
            return None;
        };
        let type_ids = super::instantiate::intern_types(store, &self.info);
        Some(crate::Func::new_local_with_type_id(
            store,
            type_ids[ty as usize],
            f,
        ))
    }

    /// How many entities of each kind the module imports and defines.
    ///
    /// ```
    /// use touchstone_engine::Module;
    /// let wasm = wat::parse_str(r#"(module (import "m" "f" (func)) (func) (func) (memory 1))"#).unwrap();
    /// let counts = Module::new(&wasm).unwrap().counts();
    /// assert_eq!((counts.functions.imported, counts.functions.defined), (1, 2));
    /// assert_eq!(counts.memories.total(), 1);
    /// ```
    pub fn counts(&self) -> EntityCounts {
        let mut imported = [0u32; 5];
        for import in self.imports() {
            let kind = match import.ty {
                ExternType::Func(_) => 0,
                ExternType::Table(_) => 1,
                ExternType::Memory(_) => 2,
                ExternType::Global(_) => 3,
                ExternType::Tag(_) => 4,
            };
            imported[kind] += 1;
        }
        let info = &self.info;
        let totals = [
            info.funcs.len(),
            info.table_types.len(),
            info.memory_types.len(),
            info.global_types.len(),
            info.tag_types.len(),
        ];
        let [functions, tables, memories, globals, tags] = std::array::from_fn(|k| EntityCount {
            imported: imported[k],
            defined: totals[k] as u32 - imported[k],
        });
        EntityCounts {
            functions,
            tables,
            memories,
            globals,
            tags,
        }
    }
}
