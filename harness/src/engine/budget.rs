//! The store-wide memory and table budget of [`Limits`], for adapters whose
//! engine bounds each memory or table on its own (wasmi's and wasmtime's
//! `ResourceLimiter`s see one object at a time).

use super::Limits;

/// What a store's memories and tables may still grow by. Growth beyond it
/// fails as a `memory.grow` failure does (returns -1); it does not trap.
#[derive(Debug)]
pub struct Budget {
    max_memory_bytes: u64,
    max_table_elements: u64,
    memory_bytes: u64,
    table_elements: u64,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Budget {
            max_memory_bytes: limits.max_memory_bytes,
            max_table_elements: limits.max_table_elements,
            memory_bytes: 0,
            table_elements: 0,
        }
    }

    /// Grants a memory's growth from `current` to `desired` bytes, within
    /// its own `maximum` and the store's total.
    pub fn grow_memory(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> bool {
        grant(
            &mut self.memory_bytes,
            self.max_memory_bytes,
            current,
            desired,
            maximum,
        )
    }

    /// Grants a table's growth from `current` to `desired` elements, within
    /// its own `maximum` and the store's total.
    pub fn grow_table(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> bool {
        grant(
            &mut self.table_elements,
            self.max_table_elements,
            current,
            desired,
            maximum,
        )
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_shared_across_memories_and_own_maximums_hold() {
        let limits = Limits {
            max_memory_bytes: 3 * 65536,
            ..Limits::default()
        };
        let mut b = Budget::new(&limits);
        assert!(b.grow_memory(0, 2 * 65536, None));
        assert!(b.grow_memory(0, 65536, None));
        assert!(!b.grow_memory(65536, 2 * 65536, None));
        assert!(!b.grow_table(0, 10, Some(5)));
        assert!(b.grow_table(0, 5, Some(5)));
    }
}
