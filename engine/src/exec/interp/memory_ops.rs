//! Memory instructions in stack mode: loads and stores of any memory at any
//! offset, with exact bounds checks, and the bulk memory operations. (The
//! memory-0 register forms read through `memory0_cache.rs`.)

use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::ir::{LoadKind, MemArg};
use crate::runtime::memory::MemoryInst;

impl Executor<'_> {
    /// Store index of the instance's memory `index`; memory 0 (nearly every
    /// access) comes from the executor's cache, one lookup fewer.
    #[inline(always)]
    fn mem_index(&self, index: u32) -> usize {
        if index == 0 {
            self.mem0
        } else {
            self.inst.memories[index as usize] as usize
        }
    }

    #[inline(always)]
    fn mem(&self, index: u32) -> &MemoryInst {
        &self.store.memories[self.mem_index(index)]
    }

    /// A load in stack mode, from any memory at any offset.
    #[inline(never)]
    pub(super) fn load_any(&mut self, kind: LoadKind, m: MemArg) -> Result<(), RuntimeError> {
        let addr = self.pop();
        let mem = self.mem(m.mem);
        let n = kind.bytes();
        let i = mem.effective(addr, m.offset, n as u64)?;
        let value = kind.extend(mem.load(i, n));
        self.push(value);
        Ok(())
    }

    /// A store in stack mode of the low `n` bytes, to any memory at any offset.
    #[inline(never)]
    pub(super) fn store_any(&mut self, n: u8, m: MemArg) -> Result<(), RuntimeError> {
        let value = self.pop();
        let addr = self.pop();
        let index = self.mem_index(m.mem);
        let mem = &mut self.store.memories[index];
        let n = n as usize;
        let i = mem.effective(addr, m.offset, n as u64)?;
        mem.store(i, n, value);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn memory_size(&mut self, m: u32) {
        let pages = self.mem(m).pages();
        self.push(pages);
    }

    #[inline(never)]
    pub(super) fn memory_grow(&mut self, m: u32) {
        let delta = self.pop();
        let index = self.inst.memories[m as usize];
        let is64 = self.store.memories[index as usize].ty().memory64;
        let result = match self.store.grow_memory(index, delta) {
            Some(old) => old,
            // -1 of the memory's address type.
            None if is64 => u64::MAX,
            None => u32::MAX as u64,
        };
        self.push(result);
    }

    #[inline(never)]
    pub(super) fn memory_fill(&mut self, m: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let value = self.pop() as u8;
        let d = self.pop();
        let index = self.inst.memories[m as usize] as usize;
        let mem = &mut self.store.memories[index];
        let i = mem.range(d, n)?;
        mem.fill(i, n as usize, value);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn memory_copy(&mut self, dst: u32, src: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let s = self.pop();
        let d = self.pop();
        let (di, si) = (
            self.inst.memories[dst as usize] as usize,
            self.inst.memories[src as usize] as usize,
        );
        let s = self.store.memories[si].range(s, n)?;
        let d = self.store.memories[di].range(d, n)?;
        let n = n as usize;
        if di == si {
            self.store.memories[di].copy_within(s, d, n);
        } else {
            MemoryInst::copy_between(&mut self.store.memories, si, s, di, d, n);
        }
        Ok(())
    }

    #[inline(never)]
    pub(super) fn memory_init(&mut self, data: u32, m: u32) -> Result<(), RuntimeError> {
        let n = self.pop();
        let s = self.pop();
        let d = self.pop();
        let store = &mut *self.store;
        let bytes = &store.datas[self.inst.datas[data as usize] as usize].bytes;
        let s = match s.checked_add(n) {
            Some(end) if end <= bytes.len() as u64 => s as usize,
            _ => return Err(RuntimeError::new(TrapKind::MemoryOutOfBounds)),
        };
        let mem = &mut store.memories[self.inst.memories[m as usize] as usize];
        let d = mem.range(d, n)?;
        let n = n as usize;
        mem.write(d, &bytes[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn data_drop(&mut self, data: u32) {
        self.store.datas[self.inst.datas[data as usize] as usize].drop_bytes();
    }
}
