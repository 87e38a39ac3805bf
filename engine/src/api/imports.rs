//! The import object: externs by module and field name.

use foldhash::HashMap;

use crate::runtime::module_instance::Extern;

/// Externs offered to [`Instance::new`](crate::Instance::new), keyed by
/// `(module, name)` like a JS import object.
///
/// ```
/// use touchstone_engine::{Extern, Global, GlobalType, Imports, Store, Val, ValType};
/// let mut store = Store::default();
/// let g = Global::new(&mut store, GlobalType::new(ValType::I32, false), Val::I32(1)).unwrap();
/// let mut imports = Imports::new();
/// imports.define("env", "g", Extern::Global(g));
/// assert_eq!(imports.get("env", "g"), Some(Extern::Global(g)));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Imports {
    map: HashMap<(String, String), Extern>,
}

impl Imports {
    /// An empty import object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Offers `value` as `module.name`, replacing any earlier definition.
    pub fn define(&mut self, module: &str, name: &str, value: Extern) -> &mut Self {
        self.map
            .insert((module.to_string(), name.to_string()), value);
        self
    }

    /// The extern offered as `module.name`.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.map
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }
}
