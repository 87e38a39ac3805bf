//! `WebAssembly.Table`: what the embedder does with a table of a store.

use crate::error::RuntimeError;
use crate::runtime::canon::CanonRef;
use crate::runtime::store::Store;
use crate::runtime::table::Table;
use crate::runtime::types::TableType;
use crate::runtime::value::{ref_from_raw, Val};

impl Table {
    /// Creates a table of `ty.minimum()` elements, each `init`.
    pub fn new(store: &mut Store, ty: TableType, init: Val) -> Result<Table, RuntimeError> {
        if !init.matches(wasmparser::ValType::Ref(ty.element)) || !init.is_valid_in(store) {
            return Err(RuntimeError::host(
                "initial value does not match the element type",
            ));
        }
        store
            .alloc_table(ty, CanonRef::new(ty.element, &[]), init.to_raw())
            .map(Table)
    }

    /// The table's type, with the minimum being its current size.
    pub fn ty(&self, store: &Store) -> TableType {
        store.tables[self.0 as usize].ty
    }

    /// Current size in elements.
    pub fn size(&self, store: &Store) -> u64 {
        store.tables[self.0 as usize].elems.len() as u64
    }

    /// The element at `index`, or `None` if out of bounds.
    pub fn get(&self, store: &Store, index: u64) -> Option<Val> {
        let t = &store.tables[self.0 as usize];
        let raw = *t.elems.get(usize::try_from(index).ok()?)?;
        let value = ref_from_raw(raw, t.ty.element);
        store.pin(&value);
        Some(value)
    }

    /// Sets the element at `index`.
    pub fn set(&self, store: &mut Store, index: u64, value: Val) -> Result<(), RuntimeError> {
        if !value.is_valid_in(store) {
            return Err(RuntimeError::host("value does not match the element type"));
        }
        let t = &mut store.tables[self.0 as usize];
        if !value.matches(wasmparser::ValType::Ref(t.ty.element)) {
            return Err(RuntimeError::host("value does not match the element type"));
        }
        let i = t.range(index, 1)?;
        t.elems[i] = value.to_raw();
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old size or `None` if refused.
    pub fn grow(&self, store: &mut Store, delta: u64, init: Val) -> Option<u64> {
        if !init.is_valid_in(store) {
            return None;
        }
        store.grow_table(self.0, delta, init.to_raw())
    }
}
