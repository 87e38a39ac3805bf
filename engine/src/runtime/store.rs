//! The store (spec 4.2.3): every runtime object of one embedding session.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::canon::CanonVal;
use super::data::DataInst;
use super::elem::ElemInst;
use super::exn::ExnInst;
use super::func::FuncInst;
use super::global::GlobalInst;
use super::instance::InstanceInst;
use super::memory::MemoryInst;
use super::table::TableInst;
use super::tag::TagInst;
use super::types::{FuncType, ValType};

/// A function type with its references canonicalised: the identity key of interned types.
type CanonFunc = (Vec<CanonVal>, Vec<CanonVal>);
use crate::exec::stack::Stack;

/// Resource limits and the interrupt flag of a store.
///
/// ```
/// use touchstone_engine::{Config, Store};
/// let config = Config { max_call_depth: 500, ..Config::default() };
/// let store = Store::new(config);
/// assert_eq!(store.config().max_call_depth, 500);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// Wasm call depth beyond which a call fails with exhaustion.
    pub max_call_depth: u32,
    /// Upper bound on value-stack slots (8 bytes each) across all frames.
    pub max_value_slots: usize,
    /// Upper bound on linear-memory bytes across the store; growing beyond fails.
    pub max_memory_bytes: u64,
    /// Upper bound on table elements across the store; growing beyond fails.
    pub max_table_elements: u64,
    /// When set, running code stops at the next call or loop iteration with
    /// [`TrapKind::Interrupted`](crate::TrapKind::Interrupted).
    pub interrupt: Arc<AtomicBool>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_call_depth: 10_000,
            max_value_slots: 1 << 22,
            max_memory_bytes: 4 << 30,
            max_table_elements: 10_000_000,
            interrupt: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Holds every function, table, memory, global, segment and instance.
/// Handles such as [`Memory`](crate::Memory) index into one store.
///
/// ```
/// use touchstone_engine::{Memory, MemoryType, Store};
/// let mut store = Store::default();
/// let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
/// assert_eq!(mem.size(&store), 1);
/// ```
#[derive(Default)]
pub struct Store {
    pub(crate) config: Config,
    /// Canonical function types; a type id is an index here.
    pub(crate) types: Vec<FuncType>,
    /// Type identity is isorecursive (spec 3.x "type equivalence"): a type is
    /// its whole recursion group plus its position in it.
    type_ids: HashMap<(Vec<CanonFunc>, u32), u32>,
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) memories: Vec<MemoryInst>,
    pub(crate) globals: Vec<GlobalInst>,
    pub(crate) tags: Vec<TagInst>,
    /// Exceptions thrown so far (kept while exnrefs may point at them).
    pub(crate) exns: Vec<ExnInst>,
    pub(crate) elems: Vec<ElemInst>,
    pub(crate) datas: Vec<DataInst>,
    pub(crate) instances: Vec<Arc<InstanceInst>>,
    /// Bytes of linear memory allocated so far.
    pub(crate) memory_bytes: u64,
    /// Table elements allocated so far.
    pub(crate) table_elements: u64,
    /// The interpreter's stacks, kept to reuse their allocations across calls.
    pub(crate) stack: Stack,
}

impl Store {
    /// A store with the given limits.
    pub fn new(config: Config) -> Self {
        Store {
            config,
            ..Store::default()
        }
    }

    /// The store's limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The canonical id of a function type; equal types get equal ids, so
    /// `call_indirect` and import checks compare integers.
    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        self.intern_rec_type(std::slice::from_ref(ty), 0, &[], 0)
    }

    /// The canonical id of type `index` of recursion group `group`, which
    /// starts at type index `group_start` of a module whose earlier types
    /// have the canonical ids `type_ids`.
    pub(crate) fn intern_rec_type(
        &mut self,
        group: &[FuncType],
        index: u32,
        type_ids: &[u32],
        group_start: u32,
    ) -> u32 {
        let canon = |ts: &[ValType]| {
            ts.iter()
                .map(|t| CanonVal::in_group(*t, type_ids, group_start))
                .collect()
        };
        let key_group = group
            .iter()
            .map(|f| (canon(f.params()), canon(f.results())))
            .collect();
        let key = (key_group, index);
        if let Some(&id) = self.type_ids.get(&key) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(group[index as usize].clone());
        self.type_ids.insert(key, id);
        id
    }

    /// Reserves `bytes` of the memory budget, or says no.
    pub(crate) fn reserve_memory(&mut self, bytes: u64) -> bool {
        match self.memory_bytes.checked_add(bytes) {
            Some(total) if total <= self.config.max_memory_bytes => {
                self.memory_bytes = total;
                true
            }
            _ => false,
        }
    }

    /// Reserves `n` table elements of the budget, or says no.
    pub(crate) fn reserve_table(&mut self, n: u64) -> bool {
        match self.table_elements.checked_add(n) {
            Some(total) if total <= self.config.max_table_elements => {
                self.table_elements = total;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_types_share_an_id() {
        let mut store = Store::default();
        let a = store.intern_type(&FuncType::new([ValType::I32], []));
        let b = store.intern_type(&FuncType::new([ValType::I64], []));
        let c = store.intern_type(&FuncType::new([ValType::I32], []));
        assert_eq!(a, c);
        assert_ne!(a, b);
        let ty = FuncType::new([], []);
        let pair = [ty.clone(), ty.clone()];
        let in_group = store.intern_rec_type(&pair, 0, &[], 0);
        assert_ne!(in_group, store.intern_type(&ty));
        assert_ne!(in_group, store.intern_rec_type(&pair, 1, &[], 0));
        assert_eq!(in_group, store.intern_rec_type(&pair, 0, &[], 0));
    }

    #[test]
    fn budgets_refuse_overdraft() {
        let mut store = Store::new(Config {
            max_memory_bytes: 100,
            max_table_elements: 3,
            ..Config::default()
        });
        assert!(store.reserve_memory(60));
        assert!(!store.reserve_memory(60));
        assert!(store.reserve_table(3));
        assert!(!store.reserve_table(1));
    }
}
