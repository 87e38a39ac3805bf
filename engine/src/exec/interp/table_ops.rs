//! Table and reference instructions.

use super::Executor;
use crate::error::{RuntimeError, TrapKind};

impl Executor<'_> {
    #[inline(always)]
    fn table_addr(&self, t: u32) -> usize {
        self.inst.tables[t as usize] as usize
    }

    #[inline(never)]
    pub(super) fn table_get(&mut self, t: u32) -> Result<(), RuntimeError> {
        let i = *self.top();
        let tab = &self.store.tables[self.table_addr(t)];
        let i = tab.range(i, 1)?;
        *self.top() = tab.elems[i];
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_set(&mut self, t: u32) -> Result<(), RuntimeError> {
        let value = self.pop();
        let i = self.pop();
        let addr = self.table_addr(t);
        let tab = &mut self.store.tables[addr];
        let i = tab.range(i, 1)?;
        tab.elems[i] = value;
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_size(&mut self, t: u32) {
        let n = self.store.tables[self.table_addr(t)].elems.len() as u64;
        self.push(n);
    }

    #[inline(never)]
    pub(super) fn table_grow(&mut self, t: u32) {
        let n = self.pop();
        let init = self.pop();
        let addr = self.table_addr(t);
        let is64 = self.store.tables[addr].ty.table64;
        let result = match self.store.grow_table(addr as u32, n, init) {
            Some(old) => old,
            None if is64 => u64::MAX,
            None => u32::MAX as u64,
        };
        self.push(result);
    }

    #[inline(never)]
    pub(super) fn table_fill(&mut self, t: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let value = self.pop();
        let i = self.pop();
        let addr = self.table_addr(t);
        let tab = &mut self.store.tables[addr];
        let i = tab.range(i, n)?;
        tab.elems[i..i + n as usize].fill(value);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_copy(&mut self, dst: u32, src: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let s = self.pop();
        let d = self.pop();
        let (da, sa) = (self.table_addr(dst), self.table_addr(src));
        let s = self.store.tables[sa].range(s, n)?;
        let d = self.store.tables[da].range(d, n)?;
        let n = n as usize;
        if da == sa {
            self.store.tables[da].elems.copy_within(s..s + n, d);
        } else {
            let items = self.store.tables[sa].elems[s..s + n].to_vec();
            self.store.tables[da].elems[d..d + n].copy_from_slice(&items);
        }
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_init(&mut self, elem: u32, t: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let s = self.pop();
        let d = self.pop();
        let addr = self.table_addr(t);
        let store = &mut *self.store;
        let items = &store.elems[self.inst.elems[elem as usize] as usize].items;
        let s = match s.checked_add(n) {
            Some(end) if end <= items.len() as u64 => s as usize,
            _ => return Err(RuntimeError::new(TrapKind::TableOutOfBounds)),
        };
        let tab = &mut store.tables[addr];
        let d = tab.range(d, n)?;
        let n = n as usize;
        tab.elems[d..d + n].copy_from_slice(&items[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn elem_drop(&mut self, elem: u32) {
        self.store.elems[self.inst.elems[elem as usize] as usize].drop_items();
    }
}
