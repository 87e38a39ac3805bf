//! Touchstone's WebAssembly reference interpreter.
//!
//! Decoding and validation come from `wasmparser`; execution is ours. The
//! API follows the WebAssembly JS API: compile a [`Module`], instantiate it
//! with [`Imports`] into a [`Store`], call exported [`Func`]s, and share
//! [`Memory`], [`Table`] and [`Global`] objects between instances.
//!
//! ```
//! use touchstone_engine::{Imports, Instance, Module, Store, Val};
//! let wasm = wat::parse_str(r#"(module
//!     (func $fac (export "fac") (param i64) (result i64)
//!       (if (result i64) (i64.eqz (local.get 0))
//!         (then (i64.const 1))
//!         (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))"#).unwrap();
//! let module = Module::new(&wasm).unwrap();
//! let mut store = Store::default();
//! let instance = Instance::new(&mut store, &module, &Imports::new()).unwrap();
//! let fac = instance.get_func(&store, "fac").unwrap();
//! assert_eq!(fac.call(&mut store, &[Val::I64(20)]).unwrap(), vec![Val::I64(2432902008176640000)]);
//! ```

pub mod api;
pub(crate) mod binary;
pub(crate) mod compile;
pub(crate) mod error;
pub mod exec;
pub(crate) mod ir;
pub mod runtime;
pub mod valid;

pub use api::handle_ops::TableGrowError;
pub use api::imports::Imports;
pub use api::instance::Instance;
pub use api::module::{validate, EntityCount, EntityCounts, ExportType, ImportType, Module};
pub use error::{
    CompileError, CompileErrorKind, InstantiationError, LinkError, RuntimeError, TrapKind,
};
pub use runtime::gc::collect::HeapStats;
pub use runtime::gc::heap::AnyRef;
pub use runtime::handles::{Exn, Func, Global, Memory, Table, Tag};
pub use runtime::memory::{SharedMemory, PAGE_SIZE};
pub use runtime::module_instance::Extern;
pub use runtime::store::{Caller, Config, HostFn, LocalHostFn, Store};
pub use runtime::types::{
    ExternType, FuncType, GlobalType, MemoryType, RefType, TableType, ValType,
};
pub use runtime::value::{ExternRef, Val};
pub use valid::default_features;
pub use wasmparser::WasmFeatures;
