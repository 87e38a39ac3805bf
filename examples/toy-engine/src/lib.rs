//! A toy WebAssembly engine, to show a Rust engine author what plugging an
//! engine into Touchstone takes: implement [`Engine`] and [`Session`], then
//! get the command line, the reports and `cargo test` trials from the
//! harness library (see `main.rs` and `tests/spec.rs`).
//!
//! The toy runs straight-line integer code: functions of `i32`/`i64`
//! numeric instructions and locals, no control flow, memory, tables or
//! imports; anything else is reported as unsupported. Decoding and
//! validation are `wasmparser`'s.

mod exec;

use touchstone_harness::engine::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, Value, WasmFeatures,
};
use wasmparser::{Parser, Payload, ValType, Validator};

pub struct ToyEngine;

impl Engine for ToyEngine {
    fn name(&self) -> &'static str {
        "toy"
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        Box::new(ToySession {
            features: *features,
            limits: limits.clone(),
            modules: Vec::new(),
        })
    }
}

/// A function: its parameter and result types, its locals, its code.
#[derive(Clone)]
pub(crate) struct Function {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
    pub locals: Vec<ValType>,
    /// The body's operators, from the function body's bytes.
    pub body: Vec<u8>,
}

#[derive(Clone)]
struct Module {
    functions: Vec<Function>,
    exports: Vec<(String, usize)>,
}

struct ToySession {
    features: WasmFeatures,
    limits: Limits,
    /// Instances are modules: the toy has no mutable state.
    modules: Vec<Module>,
}

fn unsupported(what: impl Into<String>) -> EngineError {
    EngineError::new(
        ErrorKind::Unsupported,
        format!("toy engine: {}", what.into()),
    )
}

impl ToySession {
    fn decode(&self, wasm: &[u8]) -> Result<Module, EngineError> {
        Validator::new_with_features(self.features)
            .validate_all(wasm)
            .map_err(|e| EngineError::new(ErrorKind::Invalid, e.message().to_string()))?;
        let bad = |e: wasmparser::BinaryReaderError| {
            EngineError::new(ErrorKind::Malformed, e.message().to_string())
        };
        let (mut types, mut signatures, mut functions, mut exports) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(bad)? {
                Payload::TypeSection(reader) => {
                    for ty in reader.into_iter_err_on_gc_types() {
                        let ty = ty.map_err(bad)?;
                        types.push((ty.params().to_vec(), ty.results().to_vec()));
                    }
                }
                Payload::FunctionSection(reader) => {
                    for index in reader {
                        signatures.push(index.map_err(bad)? as usize);
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.map_err(bad)?;
                        if export.kind == wasmparser::ExternalKind::Func {
                            exports.push((export.name.to_string(), export.index as usize));
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let (params, results) = types[signatures[functions.len()]].clone();
                    let mut locals = params.clone();
                    for local in body.get_locals_reader().map_err(bad)? {
                        let (count, ty) = local.map_err(bad)?;
                        locals.extend(std::iter::repeat_n(ty, count as usize));
                    }
                    let code = body.get_operators_reader().map_err(bad)?;
                    let start = code.original_position() - body.range().start;
                    let body = body.as_bytes()[start as usize..].to_vec();
                    functions.push(Function {
                        params,
                        results,
                        locals,
                        body,
                    });
                }
                Payload::ImportSection(_) => return Err(unsupported("imports")),
                Payload::MemorySection(_)
                | Payload::TableSection(_)
                | Payload::GlobalSection(_) => {
                    return Err(unsupported("memories, tables and globals"))
                }
                Payload::StartSection { .. } => return Err(unsupported("start functions")),
                _ => {}
            }
        }
        Ok(Module { functions, exports })
    }
}

impl Session for ToySession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = self.decode(wasm)?;
        self.modules.push(module);
        Ok(ModuleId(self.modules.len() - 1))
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        Ok(InstanceId(module.0))
    }

    fn register(&mut self, _name: &str, _instance: InstanceId) -> Result<(), EngineError> {
        // Nothing can import from a toy instance (the toy links no imports).
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        let module = &self.modules[instance.0];
        let index = module
            .exports
            .iter()
            .find(|(name, _)| name == export)
            .map(|(_, i)| *i)
            .ok_or_else(|| {
                EngineError::new(ErrorKind::Other, format!("no exported function {export:?}"))
            })?;
        exec::call(&module.functions[index], args, &self.limits)
    }

    fn get_global(&mut self, _instance: InstanceId, _export: &str) -> Result<Value, EngineError> {
        Err(unsupported("globals"))
    }
}
