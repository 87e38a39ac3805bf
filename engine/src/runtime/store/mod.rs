//! The store (spec 4.2.3): every runtime object of one embedding session,
//! and the budgets they are charged to.

mod funcs;

use foldhash::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::canon::{CanonRef, TypeInfo};
use super::data::DataInst;
use super::elem::ElemInst;
use super::exn::ExnInst;
use super::gc::heap::Heap;
use super::gc::type_defs::{CanonSub, CompositeDef, SubTypeDef, TypeKind};
use super::global::GlobalInst;
use super::memory::MemoryInst;
use super::module_instance::InstanceInst;
use super::table::TableInst;
use super::tag::TagInst;
use super::types::{FuncType, MemoryType, TableType};

use crate::error::{RuntimeError, TrapKind};
pub use funcs::{Caller, HostFn, LocalHostFn};
pub(crate) use funcs::{FuncBody, FuncInst, HostImpl};

/// Data slots one GC object may have (1 GiB): larger requests fail as
/// exhaustion whatever the memory budget.
pub(crate) const MAX_GC_OBJECT_SLOTS: u64 = 1 << 27;

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
    /// Upper bound on linear-memory bytes across the store, counted on
    /// declared sizes (what creation and `memory.grow` granted, touched or
    /// not); growing beyond fails. Each memory reserves address space up to
    /// its maximum, capped by this, and uses RAM only for pages it touches.
    pub max_memory_bytes: u64,
    /// Upper bound on table elements across the store; growing beyond fails.
    pub max_table_elements: u64,
    /// GC: bytes allocated between collections while little survives
    /// (more survives: as many bytes as survived). Small values make
    /// collections frequent, which tests use.
    pub gc_interval_bytes: u64,
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
            gc_interval_bytes: 16 << 20,
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
    type_ids: HashMap<(Vec<CanonSub>, u32), u32>,
    /// Declared supertype and kind of each canonical type (GC casts).
    pub(crate) type_info: Vec<TypeInfo>,
    /// GC objects (structs and arrays), collected by `gc::collect`.
    pub(crate) heap: Heap,
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) memories: Vec<MemoryInst>,
    pub(crate) globals: Vec<GlobalInst>,
    pub(crate) tags: Vec<TagInst>,
    /// Exceptions thrown (collected with the heap once unreachable).
    pub(crate) exns: Vec<ExnInst>,
    /// Slots of `exns` freed by the collector.
    pub(crate) free_exns: Vec<u32>,
    /// Wasm invocations running (more than one when a host function calls
    /// back in); only the outermost collects, as only its stack is visible.
    pub(crate) invocations: u32,
    pub(crate) elems: Vec<ElemInst>,
    pub(crate) datas: Vec<DataInst>,
    pub(crate) instances: Vec<Arc<InstanceInst>>,
    /// Bytes of linear memory allocated so far.
    pub(crate) memory_bytes: u64,
    /// Table elements allocated so far.
    pub(crate) table_elements: u64,
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

    /// The canonical id of function type `index` of recursion group `group`
    /// (final, no supertypes), which starts at type index `group_start` of a
    /// module whose earlier types have the canonical ids `type_ids`.
    pub(crate) fn intern_rec_type(
        &mut self,
        group: &[FuncType],
        index: u32,
        type_ids: &[u32],
        group_start: u32,
    ) -> u32 {
        let defs: Vec<SubTypeDef> = group
            .iter()
            .map(|f| SubTypeDef {
                is_final: true,
                supertype: None,
                composite: CompositeDef::Func(f.clone()),
                descriptor: None,
                describes: None,
            })
            .collect();
        let erased = group[index as usize].clone();
        self.intern_sub_type(&defs, index, type_ids, group_start, erased)
    }

    /// The canonical id of type `index` of recursion group `group` (any
    /// composite type); `erased` is its function type with concrete
    /// references made abstract (empty for structs and arrays), kept for
    /// host calls and value decoding.
    pub(crate) fn intern_sub_type(
        &mut self,
        group: &[SubTypeDef],
        index: u32,
        type_ids: &[u32],
        group_start: u32,
        erased: FuncType,
    ) -> u32 {
        let key_group = group
            .iter()
            .map(|d| CanonSub::new(d, type_ids, group_start))
            .collect();
        let key = (key_group, index);
        if let Some(&id) = self.type_ids.get(&key) {
            return id;
        }
        let def = &group[index as usize];
        let id = self.types.len() as u32;
        self.types.push(erased);
        self.heap
            .ref_slots
            .push(super::gc::heap::RefSlots::of(&def.composite));
        self.type_info.push(TypeInfo {
            // A supertype precedes its subtypes, so its id is known.
            supertype: def
                .supertype
                .and_then(|s| type_ids.get(s as usize).copied()),
            kind: match def.composite {
                CompositeDef::Func(_) => TypeKind::Func,
                CompositeDef::Struct { .. } => TypeKind::Struct,
                CompositeDef::Array(_) => TypeKind::Array,
            },
        });
        self.type_ids.insert(key, id);
        id
    }

    /// Whether canonical type `sub` is `sup` or declares it as an
    /// ancestor (spec "subtyping" of defined types).
    pub(crate) fn is_subtype(&self, sub: u32, sup: u32) -> bool {
        super::canon::is_subtype(&self.type_info, sub, sup)
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

    /// Charges a GC object of `slots` data slots (plus its header) to the
    /// memory budget, refusing arrays past [`MAX_GC_OBJECT_SLOTS`]: live data
    /// beyond the budget (allocating in a loop, or one huge array in a
    /// constant expression) ends in exhaustion, not in the host running out
    /// of memory; collection gives the bytes back. Call before building the
    /// object's data.
    pub(crate) fn charge_gc_object(&mut self, slots: u64) -> Result<(), RuntimeError> {
        let bytes = crate::runtime::gc::heap::object_bytes(slots);
        if slots <= MAX_GC_OBJECT_SLOTS && self.reserve_memory(bytes) {
            Ok(())
        } else {
            Err(RuntimeError::new(TrapKind::ResourceLimit))
        }
    }

    /// Allocates a memory of type `ty`, its initial size charged to the budget.
    pub(crate) fn alloc_memory(&mut self, ty: MemoryType) -> Result<u32, RuntimeError> {
        let too_big = || RuntimeError::new(TrapKind::ResourceLimit);
        let bytes = ty.minimum.checked_mul(ty.page_size()).ok_or_else(too_big)?;
        if !self.reserve_memory(bytes) {
            return Err(too_big());
        }
        match MemoryInst::new(ty, self.config.max_memory_bytes) {
            Some(mem) => {
                self.memories.push(mem);
                Ok(self.memories.len() as u32 - 1)
            }
            None => {
                self.memory_bytes -= bytes;
                Err(too_big())
            }
        }
    }

    /// Grows memory `index` by `delta` pages: the old size in pages, or
    /// `None` (nothing changed) when its maximum, its index type or the
    /// budget forbids it.
    pub(crate) fn grow_memory(&mut self, index: u32, delta: u64) -> Option<u64> {
        let bytes = self.memories[index as usize].bytes_of_pages(delta)?;
        if !self.reserve_memory(bytes) {
            return None;
        }
        let grown = self.memories[index as usize].grow(delta);
        if grown.is_none() {
            self.memory_bytes -= bytes;
        }
        grown
    }

    /// Allocates a table of type `ty` filled with `init`, its size charged
    /// to the budget.
    pub(crate) fn alloc_table(
        &mut self,
        ty: TableType,
        canon: CanonRef,
        init: u64,
    ) -> Result<u32, RuntimeError> {
        if !self.reserve_table(ty.minimum) {
            return Err(RuntimeError::new(TrapKind::ResourceLimit));
        }
        match TableInst::new(ty, canon, init) {
            Some(table) => {
                self.tables.push(table);
                Ok(self.tables.len() as u32 - 1)
            }
            None => {
                self.table_elements -= ty.minimum;
                Err(RuntimeError::new(TrapKind::ResourceLimit))
            }
        }
    }

    /// Grows table `index` by `delta` elements set to `init`: the old size,
    /// or `None` (nothing changed) if its maximum or the budget forbids it.
    pub(crate) fn grow_table(&mut self, index: u32, delta: u64, init: u64) -> Option<u64> {
        if !self.reserve_table(delta) {
            return None;
        }
        let grown = self.tables[index as usize].grow(delta, init);
        if grown.is_none() {
            self.table_elements -= delta;
        }
        grown
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
    use crate::runtime::types::ValType;

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
    fn declared_supertypes_chain_subtyping() {
        use crate::runtime::gc::type_defs::{FieldDef, Storage};
        let mut store = Store::default();
        let array = |supertype, is_final| SubTypeDef {
            is_final,
            supertype,
            composite: CompositeDef::Array(FieldDef {
                storage: Storage::I8,
                mutable: false,
                offset: 0,
            }),
            descriptor: None,
            describes: None,
        };
        let empty = || FuncType::new([], []);
        let base = store.intern_sub_type(&[array(None, false)], 0, &[], 0, empty());
        let mid = store.intern_sub_type(&[array(Some(0), false)], 0, &[base], 1, empty());
        let leaf = store.intern_sub_type(&[array(Some(1), true)], 0, &[base, mid], 2, empty());
        assert!(store.is_subtype(leaf, base));
        assert!(store.is_subtype(mid, base));
        assert!(!store.is_subtype(base, leaf));
        // Same structure, different finality: a different type.
        let open_leaf =
            store.intern_sub_type(&[array(Some(1), false)], 0, &[base, mid], 2, empty());
        assert_ne!(open_leaf, leaf);
        assert_eq!(store.type_info[leaf as usize].kind, TypeKind::Array);
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
