//! Table instances (spec 4.2.8): vectors of references.

use super::canon::CanonRef;
use super::types::TableType;
use crate::error::TrapKind;

/// A table: its type (minimum updated as it grows) and raw reference slots.
#[derive(Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    /// The element type with concrete types canonicalised, for import matching.
    pub canon: CanonRef,
    pub elems: Vec<u64>,
}

impl TableInst {
    /// A table of type `ty` holding `ty.minimum` copies of `init`; `None`
    /// if the allocation is refused (the store charges its budget first).
    pub(crate) fn new(ty: TableType, canon: CanonRef, init: u64) -> Option<TableInst> {
        let mut elems = Vec::new();
        elems
            .try_reserve_exact(usize::try_from(ty.minimum).ok()?)
            .ok()?;
        elems.resize(ty.minimum as usize, init);
        Some(TableInst { ty, canon, elems })
    }

    /// Grows by `delta` elements set to `init`: the old size, or `None`
    /// (nothing changed) if the maximum forbids it or the allocation is
    /// refused. The store charges its budget first.
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        let limit = if self.ty.table64 {
            u64::MAX
        } else {
            u32::MAX as u64
        };
        if new > self.ty.maximum.unwrap_or(u64::MAX).min(limit) {
            return None;
        }
        self.elems
            .try_reserve_exact(usize::try_from(delta).ok()?)
            .ok()?;
        self.elems.resize(new as usize, init);
        self.ty.minimum = new;
        Some(old)
    }

    /// The start of `len` elements at `index`, if all lie inside the table.
    #[inline]
    pub(crate) fn range(&self, index: u64, len: u64) -> Result<usize, TrapKind> {
        match index.checked_add(len) {
            Some(end) if end <= self.elems.len() as u64 => Ok(index as usize),
            _ => Err(TrapKind::TableOutOfBounds),
        }
    }
}
