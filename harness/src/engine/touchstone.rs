//! Adapter from the harness's engine seam to Touchstone's own interpreter
//! (`touchstone-engine`), including the `spectest` host module.

use std::collections::HashMap;

use touchstone_engine as ts;
use ts::{CompileErrorKind, Extern, Imports, InstantiationError, RuntimeError, TrapKind};

use super::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, NullKind, Ref, Session,
    SharedInstance, Value, WasmFeatures,
};

/// Touchstone's reference interpreter as a harness engine.
#[derive(Clone, Copy, Debug, Default)]
pub struct TouchstoneEngine;

impl TouchstoneEngine {
    /// The engine; it holds no state, each store is independent.
    pub fn new() -> Self {
        TouchstoneEngine
    }
}

impl Engine for TouchstoneEngine {
    fn name(&self) -> &'static str {
        "touchstone"
    }

    fn features(&self) -> WasmFeatures {
        ts::default_features()
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        let config = ts::Config {
            max_call_depth: limits.max_call_depth,
            // The budgets bound what the script allocates; the spectest
            // module's own memories and tables are the host's, on top.
            max_memory_bytes: limits
                .max_memory_bytes
                .saturating_add(SPECTEST_MEMORY_BYTES),
            max_table_elements: limits
                .max_table_elements
                .saturating_add(SPECTEST_TABLE_ELEMENTS),
            interrupt: limits.interrupt.clone(),
            // wasmi's default stack height (1M values, 8 MiB): a script's
            // runaway recursion (skip-stack-guard-page.wast's frames of a
            // few hundred locals) then traps after 8 MiB of zeroed frames,
            // not the engine default's 32 MiB, in time and in peak memory.
            max_value_slots: SCRIPT_VALUE_SLOTS,
            ..ts::Config::default()
        };
        let mut store = ts::Store::new(config);
        let spectest = spectest(&mut store);
        Box::new(TouchstoneSession {
            store,
            features: *features,
            modules: Vec::new(),
            instances: Vec::new(),
            registered: HashMap::new(),
            spectest,
        })
    }
}

/// Value-stack slots (8 bytes each) of a script's store.
const SCRIPT_VALUE_SLOTS: usize = 1 << 20;

/// One script run: the engine store plus the harness's handles.
struct TouchstoneSession {
    store: ts::Store,
    features: WasmFeatures,
    modules: Vec<ts::Module>,
    instances: Vec<Inst>,
    registered: HashMap<String, usize>,
    spectest: Imports,
}

/// An instance the script can name.
enum Inst {
    Wasm(ts::Instance),
    /// Another thread's instance, seen through what could cross threads.
    Adopted {
        exports: HashMap<String, Extern>,
        not_shared: Vec<String>,
    },
}

/// What crosses to another thread from an instance: its shared memories
/// (the only objects of the threads proposal that live outside one store);
/// other exports are listed so importing one gives a clear link error.
struct SharedExports {
    memories: Vec<(String, ts::SharedMemory)>,
    not_shared: Vec<String>,
}

impl TouchstoneSession {
    fn inst(&self, id: usize) -> Result<&Inst, EngineError> {
        self.instances
            .get(id)
            .ok_or_else(|| other("no such instance"))
    }

    fn wasm_inst(&self, id: usize) -> Result<ts::Instance, EngineError> {
        match self.inst(id)? {
            Inst::Wasm(i) => Ok(*i),
            Inst::Adopted { .. } => Err(EngineError::new(
                ErrorKind::Unsupported,
                "this instance belongs to another thread: only its shared memories cross threads",
            )),
        }
    }

    /// The extern `name` of instance `id`, or why there is none.
    fn export(&self, id: usize, module: &str, name: &str) -> Result<Extern, EngineError> {
        let unknown =
            || EngineError::new(ErrorKind::Link, format!("unknown import {module}.{name}"));
        match &self.instances[id] {
            Inst::Wasm(i) => i.get_export(&self.store, name).ok_or_else(unknown),
            Inst::Adopted {
                exports,
                not_shared,
            } => match exports.get(name) {
                Some(e) => Ok(*e),
                // Not a link error: a script may rightly expect it to link.
                None if not_shared.iter().any(|n| n == name) => Err(EngineError::new(
                    ErrorKind::Unsupported,
                    format!(
                        "{module}.{name} belongs to an instance on another thread; only shared \
                         memories cross threads"
                    ),
                )),
                None => Err(unknown()),
            },
        }
    }
}

impl Session for TouchstoneSession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let module = ts::Module::with_features(wasm, self.features).map_err(|e| {
            let kind = match e.kind() {
                CompileErrorKind::Malformed => ErrorKind::Malformed,
                CompileErrorKind::Invalid => ErrorKind::Invalid,
                CompileErrorKind::Unsupported => ErrorKind::Unsupported,
            };
            EngineError::new(kind, e.message())
        })?;
        self.modules.push(module);
        Ok(ModuleId(self.modules.len() - 1))
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        let module = self
            .modules
            .get(module.0)
            .ok_or_else(|| other("no such module"))?
            .clone();
        let mut externs = Vec::new();
        for import in module.imports() {
            let ext = match self.registered.get(import.module) {
                Some(&inst) => self.export(inst, import.module, import.name)?,
                None => self
                    .spectest
                    .get("spectest", import.name)
                    .filter(|_| import.module == "spectest")
                    .ok_or_else(|| {
                        EngineError::new(
                            ErrorKind::Link,
                            format!("unknown import {}.{}", import.module, import.name),
                        )
                    })?,
            };
            externs.push(ext);
        }
        let instance = ts::Instance::with_externs(&mut self.store, &module, &externs).map_err(
            |e| match e {
                InstantiationError::Link(l) => EngineError::new(ErrorKind::Link, l.0),
                InstantiationError::Runtime(r) => runtime_error(&r),
                InstantiationError::Unsupported(u) => EngineError::new(ErrorKind::Unsupported, u),
            },
        )?;
        self.instances.push(Inst::Wasm(instance));
        Ok(InstanceId(self.instances.len() - 1))
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
        self.inst(instance.0)?;
        self.registered.insert(name.to_string(), instance.0);
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        let inst = self.wasm_inst(instance.0)?;
        let func = inst
            .get_func(&self.store, export)
            .ok_or_else(|| other(format!("no exported function {export:?}")))?;
        let args = args.iter().map(to_val).collect::<Result<Vec<_>, _>>()?;
        // The seam's values describe references without holding them, so
        // each handle is released at once and its object is the
        // collector's again (see `Session::release`).
        let results = func.call(&mut self.store, &args).map_err(|e| {
            if let Some(exn) = e.exception() {
                self.store.release(&ts::Val::ExnRef(Some(exn)));
            }
            runtime_error(&e)
        })?;
        results.iter().for_each(|r| {
            self.store.release(r);
        });
        Ok(results.iter().map(from_val).collect())
    }

    fn get_global(&mut self, instance: InstanceId, export: &str) -> Result<Value, EngineError> {
        let inst = self.wasm_inst(instance.0)?;
        let global = inst
            .get_global(&self.store, export)
            .ok_or_else(|| other(format!("no exported global {export:?}")))?;
        let value = global.get(&self.store);
        self.store.release(&value);
        Ok(from_val(&value))
    }

    fn read_memory(
        &mut self,
        instance: InstanceId,
        export: &str,
        offset: u64,
        length: u64,
    ) -> Result<(Vec<u8>, u64), EngineError> {
        let inst = self.wasm_inst(instance.0)?;
        let memory = inst
            .get_memory(&self.store, export)
            .ok_or_else(|| other(format!("no exported memory {export:?}")))?;
        let ty = memory.ty(&self.store);
        let size = memory.size(&self.store) * ty.page_size();
        let start = offset.min(size);
        let end = start.saturating_add(length).min(size);
        // `read`, not `data`: the memory may be shared with other threads.
        let mut bytes = vec![0; (end - start) as usize];
        memory
            .read(&self.store, start, &mut bytes)
            .map_err(|e| other(e.to_string()))?;
        Ok((bytes, size))
    }

    fn share(&mut self, instance: InstanceId) -> Result<SharedInstance, EngineError> {
        let exports: Vec<(String, Extern)> = match self.inst(instance.0)? {
            Inst::Wasm(i) => i.exports(&self.store),
            Inst::Adopted {
                exports,
                not_shared,
            } => {
                let memories = exports
                    .iter()
                    .filter_map(|(n, e)| match e {
                        Extern::Memory(m) => Some((n.clone(), m.shared(&self.store)?)),
                        _ => None,
                    })
                    .collect();
                let not_shared = not_shared.clone();
                return Ok(SharedInstance(std::sync::Arc::new(SharedExports {
                    memories,
                    not_shared,
                })));
            }
        };
        let mut shared = SharedExports {
            memories: Vec::new(),
            not_shared: Vec::new(),
        };
        for (name, ext) in exports {
            match ext {
                Extern::Memory(m) => match m.shared(&self.store) {
                    Some(s) => shared.memories.push((name, s)),
                    None => shared.not_shared.push(name),
                },
                _ => shared.not_shared.push(name),
            }
        }
        Ok(SharedInstance(std::sync::Arc::new(shared)))
    }

    fn adopt(&mut self, shared: &SharedInstance) -> Result<InstanceId, EngineError> {
        let shared = shared
            .0
            .downcast_ref::<SharedExports>()
            .ok_or_else(|| other("an instance shared by another engine"))?;
        let exports = shared
            .memories
            .iter()
            .map(|(name, m)| (name.clone(), Extern::Memory(m.attach(&mut self.store))))
            .collect();
        self.instances.push(Inst::Adopted {
            exports,
            not_shared: shared.not_shared.clone(),
        });
        Ok(InstanceId(self.instances.len() - 1))
    }
}

fn other(msg: impl Into<String>) -> EngineError {
    EngineError::new(ErrorKind::Other, msg)
}

/// Sorts an engine runtime error into the harness's kinds.
fn runtime_error(e: &RuntimeError) -> EngineError {
    let kind = match e.kind() {
        _ if e.is_exhaustion() => ErrorKind::Exhaustion,
        TrapKind::Interrupted => ErrorKind::Interrupted,
        TrapKind::UncaughtException => ErrorKind::Exception,
        TrapKind::Host => ErrorKind::Other,
        _ => ErrorKind::Trap,
    };
    EngineError::new(kind, e.to_string())
}

fn to_val(v: &Value) -> Result<ts::Val, EngineError> {
    Ok(match v {
        Value::I32(x) => ts::Val::I32(*x),
        Value::I64(x) => ts::Val::I64(*x),
        Value::F32(x) => ts::Val::F32(*x),
        Value::F64(x) => ts::Val::F64(*x),
        Value::V128(x) => ts::Val::V128(*x),
        Value::Ref(Ref::Null(NullKind::Func)) => ts::Val::FuncRef(None),
        Value::Ref(Ref::Null(NullKind::Extern)) => ts::Val::ExternRef(None),
        Value::Ref(Ref::Null(NullKind::Exn)) => ts::Val::ExnRef(None),
        Value::Ref(Ref::Extern(n)) => ts::Val::ExternRef(Some(ts::ExternRef(*n))),
        Value::Ref(Ref::Null(NullKind::Any)) => ts::Val::AnyRef(None),
        Value::Ref(Ref::Host(n)) => ts::Val::AnyRef(Some(ts::AnyRef::Host(*n))),
        Value::Ref(Ref::I31(n)) => ts::Val::AnyRef(Some(ts::AnyRef::I31(*n))),
        other => {
            return Err(EngineError::new(
                ErrorKind::Unsupported,
                format!("argument {other:?}"),
            ));
        }
    })
}

/// An engine value in seam form: how every harness printer sees it.
pub(crate) fn from_val(v: &ts::Val) -> Value {
    match v {
        ts::Val::I32(x) => Value::I32(*x),
        ts::Val::I64(x) => Value::I64(*x),
        ts::Val::F32(x) => Value::F32(*x),
        ts::Val::F64(x) => Value::F64(*x),
        ts::Val::V128(x) => Value::V128(*x),
        ts::Val::FuncRef(None) => Value::Ref(Ref::Null(NullKind::Func)),
        ts::Val::FuncRef(Some(_)) => Value::Ref(Ref::Func),
        ts::Val::ExternRef(None) => Value::Ref(Ref::Null(NullKind::Extern)),
        ts::Val::ExternRef(Some(e)) => Value::Ref(Ref::Extern(e.0)),
        ts::Val::ExnRef(None) => Value::Ref(Ref::Null(NullKind::Exn)),
        ts::Val::ExnRef(Some(_)) => Value::Ref(Ref::Exn),
        ts::Val::AnyRef(None) => Value::Ref(Ref::Null(NullKind::Any)),
        ts::Val::AnyRef(Some(a)) => Value::Ref(any_ref(a)),
        ts::Val::ExternGc(_) => Value::Ref(Ref::ExternGc),
    }
}

fn any_ref(a: &ts::AnyRef) -> Ref {
    match *a {
        ts::AnyRef::I31(n) => Ref::I31(n),
        ts::AnyRef::Struct(_) => Ref::Struct,
        ts::AnyRef::Array(_) => Ref::Array,
        ts::AnyRef::Host(n) => Ref::Host(n),
    }
}

/// Bytes the spectest module's two one-page memories take (`memory`, `shared_memory`).
const SPECTEST_MEMORY_BYTES: u64 = 2 * ts::PAGE_SIZE;
/// Elements the spectest module's two tables take (`table`, `table64`: 10 each).
const SPECTEST_TABLE_ELEMENTS: u64 = 2 * 10;

/// The spectest host module every script may import from.
fn spectest(store: &mut ts::Store) -> Imports {
    use ts::ValType::{F32, F64, I32, I64};
    let mut imports = Imports::new();
    let prints: [(&str, &[ts::ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in prints {
        let ty = ts::FuncType::new(params.iter().copied(), []);
        let f = ts::Func::new_host(store, ty, |_| Ok(Vec::new()));
        imports.define("spectest", name, Extern::Func(f));
    }
    let globals = [
        ("global_i32", ts::Val::I32(666)),
        ("global_i64", ts::Val::I64(666)),
        ("global_f32", ts::Val::F32(666.6f32.to_bits())),
        ("global_f64", ts::Val::F64(666.6f64.to_bits())),
    ];
    for (name, value) in globals {
        let g = ts::Global::new(store, ts::GlobalType::new(value.ty(), false), value)
            .expect("value matches its own type");
        imports.define("spectest", name, Extern::Global(g));
    }
    let table = ts::Table::new(
        store,
        ts::TableType::new(ts::RefType::FUNCREF, 10, Some(20)),
        ts::Val::FuncRef(None),
    )
    .expect("small table fits any limit");
    imports.define("spectest", "table", Extern::Table(table));
    let table64 = ts::Table::new(
        store,
        ts::TableType::new64(ts::RefType::FUNCREF, 10, Some(20)),
        ts::Val::FuncRef(None),
    )
    .expect("small table fits any limit");
    imports.define("spectest", "table64", Extern::Table(table64));
    if let Ok(memory) = ts::Memory::new(store, ts::MemoryType::new(1, Some(2))) {
        imports.define("spectest", "memory", Extern::Memory(memory));
    }
    if let Ok(memory) = ts::Memory::new(store, ts::MemoryType::new(1, Some(2)).shared()) {
        imports.define("spectest", "shared_memory", Extern::Memory(memory));
    }
    imports
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Box<dyn Session> {
        TouchstoneEngine::new().new_session(&WasmFeatures::default(), &Limits::default())
    }

    #[test]
    fn runs_i32_arithmetic_end_to_end() {
        let mut s = store();
        let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#).unwrap();
        let m = s.compile(&wasm).unwrap();
        let i = s.instantiate(m).unwrap();
        assert_eq!(
            s.invoke(i, "add", &[Value::I32(-1), Value::I32(3)])
                .unwrap(),
            vec![Value::I32(2)]
        );
    }

    #[test]
    fn spectest_and_registered_imports_resolve() {
        let mut s = store();
        let a = wat::parse_str(r#"(module (import "spectest" "global_i32" (global i32))
            (import "spectest" "print_i32" (func (param i32))) (global (export "g") i32 (global.get 0)))"#).unwrap();
        let m = s.compile(&a).unwrap();
        let i = s.instantiate(m).unwrap();
        assert_eq!(s.get_global(i, "g").unwrap(), Value::I32(666));
        s.register("a", i).unwrap();
        let b = wat::parse_str(
            r#"(module (import "a" "g" (global i32)) (import "a" "missing" (func)))"#,
        )
        .unwrap();
        let m = s.compile(&b).unwrap();
        assert_eq!(s.instantiate(m).unwrap_err().kind, ErrorKind::Link);
    }

    #[test]
    fn memories_read_clipped_to_their_size() {
        let mut s = store();
        let wasm =
            wat::parse_str(r#"(module (memory (export "m") 1) (data (i32.const 65534) "\01\02"))"#)
                .unwrap();
        let m = s.compile(&wasm).unwrap();
        let i = s.instantiate(m).unwrap();
        let (bytes, size) = s.read_memory(i, "m", 65533, 100).unwrap();
        assert_eq!((bytes, size), (vec![0, 1, 2], 65536));
        assert_eq!(
            s.read_memory(i, "nope", 0, 1).unwrap_err().kind,
            ErrorKind::Other
        );
    }

    #[test]
    fn externrefs_round_trip() {
        let mut s = store();
        let wasm = wat::parse_str(
            r#"(module (func (export "id") (param externref) (result externref) local.get 0))"#,
        )
        .unwrap();
        let m = s.compile(&wasm).unwrap();
        let i = s.instantiate(m).unwrap();
        let v = Value::Ref(Ref::Extern(5));
        assert_eq!(
            s.invoke(i, "id", std::slice::from_ref(&v)).unwrap(),
            vec![v]
        );
    }

    #[test]
    fn gc_references_map_to_the_seam() {
        let mut s = store();
        let wasm = wat::parse_str(
            r#"(module
              (type $s (struct))
              (type $a (array i8))
              (func (export "any-id") (param anyref) (result anyref) local.get 0)
              (func (export "new") (result (ref $s) (ref $a) i31ref)
                (struct.new $s) (array.new_default $a (i32.const 1)) (ref.i31 (i32.const -3)))
              (func (export "externalize") (param anyref) (result externref)
                (extern.convert_any (local.get 0))))"#,
        )
        .unwrap();
        let m = s.compile(&wasm).unwrap();
        let i = s.instantiate(m).unwrap();
        let host = Value::Ref(Ref::Host(4));
        assert_eq!(
            s.invoke(i, "any-id", std::slice::from_ref(&host)).unwrap(),
            vec![host.clone()]
        );
        let null = Value::Ref(Ref::Null(NullKind::Any));
        assert_eq!(
            s.invoke(i, "any-id", std::slice::from_ref(&null)).unwrap(),
            vec![null]
        );
        assert_eq!(
            s.invoke(i, "new", &[]).unwrap(),
            vec![
                Value::Ref(Ref::Struct),
                Value::Ref(Ref::Array),
                Value::Ref(Ref::I31(-3))
            ]
        );
        assert_eq!(
            s.invoke(i, "externalize", &[host]).unwrap(),
            vec![Value::Ref(Ref::Extern(4))]
        );
    }
}
