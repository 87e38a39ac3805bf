//! Bounds the memory and table elements a whole store may hold (wasmi's own
//! `StoreLimits` bounds each memory separately).

use wasmi::errors::{MemoryError, TableError};
use wasmi::ResourceLimiter;

use crate::engine::Limits;

/// A limiter over the store's totals. Growth beyond them fails as
/// `memory.grow` failure does (returns -1), it does not trap.
#[derive(Debug)]
pub struct TotalLimiter {
    max_memory_bytes: u64,
    max_table_elements: u64,
    memory_bytes: u64,
    table_elements: u64,
}

impl TotalLimiter {
    pub fn new(limits: &Limits) -> Self {
        TotalLimiter {
            max_memory_bytes: limits.max_memory_bytes,
            max_table_elements: limits.max_table_elements,
            memory_bytes: 0,
            table_elements: 0,
        }
    }
}

/// Grants growth from `current` to `desired` units if that stays within
/// the object's own `maximum` and the store's total stays within `max`.
fn grant(
    total: &mut u64,
    max: u64,
    current: usize,
    desired: usize,
    maximum: Option<usize>,
) -> bool {
    if maximum.is_some_and(|m| desired > m) {
        return false;
    }
    let extra = desired.saturating_sub(current) as u64;
    match total.checked_add(extra) {
        Some(new) if new <= max => {
            *total = new;
            true
        }
        _ => false,
    }
}

impl ResourceLimiter for TotalLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(grant(
            &mut self.memory_bytes,
            self.max_memory_bytes,
            current,
            desired,
            maximum,
        ))
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(grant(
            &mut self.table_elements,
            self.max_table_elements,
            current,
            desired,
            maximum,
        ))
    }

    fn memory_grow_failed(&mut self, _error: &MemoryError) -> Result<(), wasmi_core::LimiterError> {
        Ok(())
    }

    fn table_grow_failed(&mut self, _error: &TableError) -> Result<(), wasmi_core::LimiterError> {
        Ok(())
    }

    fn instances(&self) -> usize {
        100_000
    }

    fn tables(&self) -> usize {
        100_000
    }

    fn memories(&self) -> usize {
        100_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_shared_across_memories() {
        let limits = Limits {
            max_memory_bytes: 3 * 65536,
            ..Limits::default()
        };
        let mut l = TotalLimiter::new(&limits);
        assert!(l.memory_growing(0, 2 * 65536, None).unwrap());
        assert!(l.memory_growing(0, 65536, None).unwrap());
        assert!(!l.memory_growing(65536, 2 * 65536, None).unwrap());
        assert!(!l.table_growing(0, 10, Some(5)).unwrap());
    }
}
