//! Memory instances (spec 4.2.9): linear memory with exact bounds checks.

use super::store::Store;
use super::types::MemoryType;
use crate::error::{RuntimeError, TrapKind};

/// Bytes per page (the default page size).
pub const PAGE_SIZE: u64 = 65536;

/// A linear memory: its type (minimum updated as it grows) and its bytes.
#[derive(Debug)]
pub(crate) struct MemoryInst {
    pub ty: MemoryType,
    pub data: Vec<u8>,
}

impl MemoryInst {
    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.data.len() as u64 >> self.ty.page_size_log2
    }

    /// The start of `len` bytes at `addr`, if they all lie inside the memory.
    #[inline]
    pub(crate) fn range(&self, addr: u64, len: u64) -> Result<usize, TrapKind> {
        match addr.checked_add(len) {
            Some(end) if end <= self.data.len() as u64 => Ok(addr as usize),
            _ => Err(TrapKind::MemoryOutOfBounds),
        }
    }

    /// The byte index of an `N`-byte access at `addr + offset`.
    #[inline]
    pub(crate) fn effective(&self, addr: u64, offset: u64, n: u64) -> Result<usize, TrapKind> {
        let ea = addr
            .checked_add(offset)
            .ok_or(TrapKind::MemoryOutOfBounds)?;
        self.range(ea, n)
    }
}

/// Grows memory `index` by `delta` pages: the old size in pages, or `None`
/// (nothing changed) when the maximum, the index type or the store's budget forbids it.
pub(crate) fn grow(store: &mut Store, index: u32, delta: u64) -> Option<u64> {
    let mem = &store.memories[index as usize];
    let old = mem.pages();
    let new = old.checked_add(delta)?;
    let max = mem
        .ty
        .maximum
        .unwrap_or(u64::MAX)
        .min(mem.ty.address_limit_pages());
    if new > max {
        return None;
    }
    let page = mem.ty.page_size();
    let bytes = delta.checked_mul(page)?;
    if !store.reserve_memory(bytes) {
        return None;
    }
    let mem = &mut store.memories[index as usize];
    if mem.data.try_reserve_exact(bytes as usize).is_err() {
        store.memory_bytes -= bytes;
        return None;
    }
    let mem = &mut store.memories[index as usize];
    mem.data.resize((new * page) as usize, 0);
    mem.ty.minimum = new;
    Some(old)
}

/// Allocates a memory of type `ty` in the store.
pub(crate) fn alloc(store: &mut Store, ty: MemoryType) -> Result<u32, RuntimeError> {
    let too_big = RuntimeError::new(TrapKind::ResourceLimit);
    let limit = ty.address_limit_pages();
    if ty.minimum > limit {
        return Err(too_big);
    }
    let Some(bytes) = ty.minimum.checked_mul(ty.page_size()) else {
        return Err(too_big);
    };
    if !store.reserve_memory(bytes) {
        return Err(too_big);
    }
    let Ok(len) = usize::try_from(bytes) else {
        store.memory_bytes -= bytes;
        return Err(too_big);
    };
    // Zeroed allocation: the OS hands out untouched pages lazily, so a large
    // initial memory costs nothing until used. The store budget bounds it.
    let data = vec![0u8; len];
    store.memories.push(MemoryInst { ty, data });
    Ok(store.memories.len() as u32 - 1)
}

/// A memory handle (like `WebAssembly.Memory`).
///
/// ```
/// use touchstone_engine::{Memory, MemoryType, Store};
/// let mut store = Store::default();
/// let mem = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
/// mem.write(&mut store, 8, b"hey").unwrap();
/// let mut buf = [0u8; 3];
/// mem.read(&store, 8, &mut buf).unwrap();
/// assert_eq!(&buf, b"hey");
/// assert_eq!(mem.grow(&mut store, 1), Some(1));
/// assert_eq!(mem.grow(&mut store, 1), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

impl Memory {
    /// Creates a memory of `ty.minimum()` zeroed pages.
    pub fn new(store: &mut Store, ty: MemoryType) -> Result<Memory, RuntimeError> {
        alloc(store, ty).map(Memory)
    }

    /// The memory's type, with the minimum being its current size.
    pub fn ty(&self, store: &Store) -> MemoryType {
        store.memories[self.0 as usize].ty
    }

    /// Current size in pages.
    pub fn size(&self, store: &Store) -> u64 {
        store.memories[self.0 as usize].pages()
    }

    /// The memory's bytes.
    pub fn data<'s>(&self, store: &'s Store) -> &'s [u8] {
        &store.memories[self.0 as usize].data
    }

    /// The memory's bytes, writable.
    pub fn data_mut<'s>(&self, store: &'s mut Store) -> &'s mut [u8] {
        &mut store.memories[self.0 as usize].data
    }

    /// Copies bytes out of the memory; fails if the range is out of bounds.
    pub fn read(&self, store: &Store, offset: u64, buf: &mut [u8]) -> Result<(), RuntimeError> {
        let mem = &store.memories[self.0 as usize];
        let start = mem.range(offset, buf.len() as u64)?;
        buf.copy_from_slice(&mem.data[start..start + buf.len()]);
        Ok(())
    }

    /// Copies bytes into the memory; fails if the range is out of bounds.
    pub fn write(&self, store: &mut Store, offset: u64, bytes: &[u8]) -> Result<(), RuntimeError> {
        let mem = &mut store.memories[self.0 as usize];
        let start = mem.range(offset, bytes.len() as u64)?;
        mem.data[start..start + bytes.len()].copy_from_slice(bytes);
        Ok(())
    }

    /// Grows by `delta` pages, returning the old size, or `None` if refused
    /// (the memory is then unchanged).
    pub fn grow(&self, store: &mut Store, delta: u64) -> Option<u64> {
        grow(store, self.0, delta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn bounds_are_exact_to_the_byte() {
        let mut store = Store::default();
        let m = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
        let inst = &store.memories[m.0 as usize];
        assert!(inst.effective(65532, 0, 4).is_ok());
        assert_eq!(
            inst.effective(65533, 0, 4),
            Err(TrapKind::MemoryOutOfBounds)
        );
        assert_eq!(
            inst.effective(1, u64::MAX, 1),
            Err(TrapKind::MemoryOutOfBounds)
        );
    }

    #[test]
    fn store_budget_refuses_growth() {
        let mut store = Store::new(Config {
            max_memory_bytes: 2 * PAGE_SIZE,
            ..Config::default()
        });
        let m = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
        assert_eq!(m.grow(&mut store, 1), Some(1));
        assert_eq!(m.grow(&mut store, 1), None);
        assert_eq!(m.size(&store), 2);
    }

    #[test]
    fn thirty_two_bit_memories_stop_at_4gib() {
        let mut store = Store::default();
        let m = Memory::new(&mut store, MemoryType::new(0, None)).unwrap();
        assert_eq!(m.grow(&mut store, 65537), None);
    }
}
