//! wasmtime's `ResourceLimiter` over the store-wide [`Budget`].

use wasmtime::ResourceLimiter;

use crate::engine::budget::Budget;
use crate::engine::Limits;

/// The data of each wasmtime store: the budget its limiter draws on.
#[derive(Debug)]
pub struct Host {
    budget: Budget,
}

impl Host {
    pub fn new(limits: &Limits) -> Self {
        Host {
            budget: Budget::new(limits),
        }
    }
}

impl ResourceLimiter for Host {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(self.budget.grow_memory(current, desired, maximum))
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(self.budget.grow_table(current, desired, maximum))
    }

    // Scripts instantiate many small modules; the byte budgets bound them.
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
