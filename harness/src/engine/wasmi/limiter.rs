//! wasmi's `ResourceLimiter` over the store-wide [`Budget`] (wasmi's own
//! `StoreLimits` bounds each memory separately).

use wasmi::errors::{MemoryError, TableError};
use wasmi::ResourceLimiter;

use crate::engine::budget::Budget;
use crate::engine::Limits;

/// A limiter over the store's totals.
#[derive(Debug)]
pub struct TotalLimiter(Budget);

impl TotalLimiter {
    pub fn new(limits: &Limits) -> Self {
        TotalLimiter(Budget::new(limits))
    }
}

impl ResourceLimiter for TotalLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.0.grow_memory(current, desired, maximum))
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.0.grow_table(current, desired, maximum))
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
    fn growth_goes_through_the_store_budget() {
        let limits = Limits {
            max_memory_bytes: 3 * 65536,
            ..Limits::default()
        };
        let mut l = TotalLimiter::new(&limits);
        assert!(l.memory_growing(0, 2 * 65536, None).unwrap());
        assert!(!l.memory_growing(0, 2 * 65536, None).unwrap());
        assert!(!l.table_growing(0, 10, Some(5)).unwrap());
    }
}
