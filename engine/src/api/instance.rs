//! Instances (`WebAssembly.Instance`).

use super::error::{link, InstantiationError};
use super::imports::Imports;
use super::module::Module;
use crate::runtime::handles::{Func, Global, Memory, Table};
use crate::runtime::module_instance::Extern;
use crate::runtime::store::Store;

/// An instantiated module in a store.
///
/// ```
/// use touchstone_engine::{Imports, Instance, Module, Store, Val};
/// let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
///     local.get 0 local.get 1 i32.add))"#).unwrap();
/// let mut store = Store::default();
/// let instance = Instance::new(&mut store, &Module::new(&wasm).unwrap(), &Imports::new()).unwrap();
/// let add = instance.get_func(&store, "add").unwrap();
/// assert_eq!(add.call(&mut store, &[Val::I32(2), Val::I32(3)]).unwrap(), vec![Val::I32(5)]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

impl Instance {
    /// Instantiates `module`, resolving its imports by name in `imports`.
    /// Runs element and data segment initialisation and the start function.
    pub fn new(
        store: &mut Store,
        module: &Module,
        imports: &Imports,
    ) -> Result<Instance, InstantiationError> {
        let externs = module
            .info
            .imports
            .iter()
            .map(|i| {
                imports
                    .get(&i.module, &i.name)
                    .ok_or_else(|| link(format!("unknown import {}.{}", i.module, i.name)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::with_externs(store, module, &externs)
    }

    /// Instantiates `module` with one extern per import, in import order.
    pub fn with_externs(
        store: &mut Store,
        module: &Module,
        externs: &[Extern],
    ) -> Result<Instance, InstantiationError> {
        super::instantiate::instantiate(store, &module.info, &module.code, externs).map(Instance)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: &Store, name: &str) -> Option<Extern> {
        store.instances[self.0 as usize].exports.get(name).copied()
    }

    /// The exported function called `name`.
    pub fn get_func(&self, store: &Store, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported global called `name`.
    pub fn get_global(&self, store: &Store, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported memory called `name`.
    pub fn get_memory(&self, store: &Store, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table called `name`.
    pub fn get_table(&self, store: &Store, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// Every export, by name (`instance.exports`).
    pub fn exports(&self, store: &Store) -> Vec<(String, Extern)> {
        let mut all: Vec<_> = store.instances[self.0 as usize]
            .exports
            .iter()
            .map(|(n, e)| (n.clone(), *e))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}
