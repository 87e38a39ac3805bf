//! Module instances (spec 4.2.5): the addresses an instance's code refers to.

use foldhash::HashMap;
use std::sync::Arc;

use super::gc::type_defs::SubTypeDef;
use super::handles::{Func, Global, Memory, Table, Tag};

/// An exported or imported object.
///
/// ```
/// use touchstone_engine::{Extern, Memory, MemoryType, Store};
/// let mut store = Store::default();
/// let ext = Extern::Memory(Memory::new(&mut store, MemoryType::new(0, None)).unwrap());
/// assert!(ext.into_memory().is_some());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// An exception tag.
    Tag(Tag),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }
}

/// An instance's index spaces, mapped to store addresses.
#[derive(Debug)]
pub(crate) struct InstanceInst {
    /// The module's type definitions, by module type index (GC operators
    /// read field layouts here).
    pub sub_types: Arc<[Option<SubTypeDef>]>,
    /// Canonical type id of each module type index (`u32::MAX` for types the engine cannot run).
    pub type_ids: Vec<u32>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    pub tags: Vec<u32>,
    pub elems: Vec<u32>,
    pub datas: Vec<u32>,
    pub exports: HashMap<String, Extern>,
}
