//! `WebAssembly.Memory`: what the embedder does with a memory of a store.

use crate::error::RuntimeError;
use crate::runtime::memory::{Memory, SharedMemory};
use crate::runtime::store::Store;
use crate::runtime::types::MemoryType;

impl Memory {
    /// Creates a memory of `ty.minimum()` zeroed pages. A shared type
    /// (`MemoryType::shared`, which needs a maximum) makes a memory other
    /// threads can import through [`Memory::shared`].
    pub fn new(store: &mut Store, ty: MemoryType) -> Result<Memory, RuntimeError> {
        store.alloc_memory(ty).map(Memory)
    }

    /// The memory's type, with the minimum being its current size.
    pub fn ty(&self, store: &Store) -> MemoryType {
        store.memories[self.0 as usize].ty()
    }

    /// Current size in pages.
    pub fn size(&self, store: &Store) -> u64 {
        store.memories[self.0 as usize].pages()
    }

    /// The memory's bytes.
    ///
    /// # Panics
    /// For a shared memory (other threads may write it at any time; use
    /// [`read`](Self::read) and [`write`](Self::write)).
    pub fn data<'s>(&self, store: &'s Store) -> &'s [u8] {
        store.memories[self.0 as usize].as_slice()
    }

    /// The memory's bytes, writable. Panics as [`data`](Self::data).
    pub fn data_mut<'s>(&self, store: &'s mut Store) -> &'s mut [u8] {
        store.memories[self.0 as usize].as_mut_slice()
    }

    /// The first byte and the current length in bytes, for an embedder that
    /// shows the bytes to another runtime (the JS API's `Memory.buffer`).
    /// The first byte never moves (memories are reserved, not reallocated);
    /// the length changes when the memory grows. Unlike [`data`](Self::data)
    /// this works for a shared memory too: whoever dereferences the pointer
    /// must not race with other threads' accesses (only atomics may).
    pub fn raw_parts(&self, store: &Store) -> (*mut u8, usize) {
        let mem = &store.memories[self.0 as usize];
        (mem.base(), mem.len() as usize)
    }

    /// The memory as a handle other threads' stores can import, if shared.
    pub fn shared(&self, store: &Store) -> Option<SharedMemory> {
        store.memories[self.0 as usize]
            .shared()
            .map(|b| SharedMemory(b.clone()))
    }

    /// Copies bytes out of the memory; fails if the range is out of bounds.
    pub fn read(&self, store: &Store, offset: u64, buf: &mut [u8]) -> Result<(), RuntimeError> {
        let mem = &store.memories[self.0 as usize];
        let start = mem.range(offset, buf.len() as u64)?;
        mem.read(start, buf);
        Ok(())
    }

    /// Copies bytes into the memory; fails if the range is out of bounds.
    pub fn write(&self, store: &mut Store, offset: u64, bytes: &[u8]) -> Result<(), RuntimeError> {
        let mem = &mut store.memories[self.0 as usize];
        let start = mem.range(offset, bytes.len() as u64)?;
        mem.write(start, bytes);
        Ok(())
    }

    /// Grows by `delta` pages, returning the old size, or `None` if refused
    /// (the memory is then unchanged).
    pub fn grow(&self, store: &mut Store, delta: u64) -> Option<u64> {
        store.grow_memory(self.0, delta)
    }
}
