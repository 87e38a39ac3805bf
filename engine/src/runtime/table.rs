//! Table instances (spec 4.2.8): vectors of references.

use super::canon::CanonRef;
use super::store::Store;
use super::types::TableType;
use super::value::Val;
use crate::error::{RuntimeError, TrapKind};

/// A table: its type (minimum updated as it grows) and raw reference slots.
#[derive(Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    /// The element type with concrete types canonicalised, for import matching.
    pub canon: CanonRef,
    pub elems: Vec<u64>,
}

impl TableInst {
    /// The start of `len` elements at `index`, if all lie inside the table.
    #[inline]
    pub(crate) fn range(&self, index: u64, len: u64) -> Result<usize, TrapKind> {
        match index.checked_add(len) {
            Some(end) if end <= self.elems.len() as u64 => Ok(index as usize),
            _ => Err(TrapKind::TableOutOfBounds),
        }
    }
}

/// Grows table `index` by `delta` elements set to `init`: the old size, or
/// `None` (nothing changed) if the maximum or the store's budget forbids it.
pub(crate) fn grow(store: &mut Store, index: u32, delta: u64, init: u64) -> Option<u64> {
    let table = &store.tables[index as usize];
    let old = table.elems.len() as u64;
    let new = old.checked_add(delta)?;
    let limit = if table.ty.table64 {
        u64::MAX
    } else {
        u32::MAX as u64
    };
    if new > table.ty.maximum.unwrap_or(u64::MAX).min(limit) {
        return None;
    }
    if !store.reserve_table(delta) {
        return None;
    }
    let table = &mut store.tables[index as usize];
    if table.elems.try_reserve_exact(delta as usize).is_err() {
        store.table_elements -= delta;
        return None;
    }
    let table = &mut store.tables[index as usize];
    table.elems.resize(new as usize, init);
    table.ty.minimum = new;
    Some(old)
}

/// Allocates a table of type `ty` filled with `init`.
pub(crate) fn alloc(
    store: &mut Store,
    ty: TableType,
    canon: CanonRef,
    init: u64,
) -> Result<u32, RuntimeError> {
    if !store.reserve_table(ty.minimum) {
        return Err(RuntimeError::new(TrapKind::ResourceLimit));
    }
    let mut elems = Vec::new();
    if elems.try_reserve_exact(ty.minimum as usize).is_err() {
        return Err(RuntimeError::new(TrapKind::ResourceLimit));
    }
    elems.resize(ty.minimum as usize, init);
    store.tables.push(TableInst { ty, canon, elems });
    Ok(store.tables.len() as u32 - 1)
}

/// A table handle (like `WebAssembly.Table`).
///
/// ```
/// use touchstone_engine::{RefType, Store, Table, TableType, Val, ExternRef};
/// let mut store = Store::default();
/// let t = Table::new(&mut store, TableType::new(RefType::EXTERNREF, 2, None), Val::ExternRef(None)).unwrap();
/// t.set(&mut store, 1, Val::ExternRef(Some(ExternRef(9)))).unwrap();
/// assert_eq!(t.get(&store, 1), Some(Val::ExternRef(Some(ExternRef(9)))));
/// assert_eq!(t.grow(&mut store, 3, Val::ExternRef(None)), Some(2));
/// assert_eq!(t.size(&store), 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

impl Table {
    /// Creates a table of `ty.minimum()` elements, each `init`.
    pub fn new(store: &mut Store, ty: TableType, init: Val) -> Result<Table, RuntimeError> {
        if !init.matches(wasmparser::ValType::Ref(ty.element)) || !init.is_valid_in(store) {
            return Err(RuntimeError::host(
                "initial value does not match the element type",
            ));
        }
        alloc(store, ty, CanonRef::new(ty.element, &[]), init.to_raw()).map(Table)
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
        let value = super::value::ref_from_raw(raw, t.ty.element);
        store.pin(&value);
        Some(value)
    }

    /// Sets the element at `index`.
    pub fn set(&self, store: &mut Store, index: u64, value: Val) -> Result<(), RuntimeError> {
        if !value.is_valid_in(store)
            || !value.fits_concrete(store, store.tables[self.0 as usize].canon)
        {
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
        let t = &store.tables[self.0 as usize];
        let fits = init.matches(wasmparser::ValType::Ref(t.ty.element))
            && init.fits_concrete(store, t.canon);
        if !init.is_valid_in(store) || !fits {
            return None;
        }
        grow(store, self.0, delta, init.to_raw())
    }
}
