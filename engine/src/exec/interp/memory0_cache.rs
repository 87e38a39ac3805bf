//! Memory 0's bytes as the register instructions see them: a pointer and a
//! length cached in locals of the dispatch loop.
//!
//! Looking the memory up in the store for every load and store (two
//! dependent loads and a bounds check before the access's own check) was
//! measured as the bulk of a load's cost. The cache is valid while memory
//! 0's buffer does not move: only `memory.grow` (run in stack mode), host
//! functions and other instances (reached through calls) can move it, and the
//! loop makes a new cache after each of those.

use std::ptr::NonNull;

use crate::error::{RuntimeError, TrapKind};
use crate::runtime::store::Store;

#[derive(Clone, Copy)]
pub(super) struct Memory0 {
    ptr: NonNull<u8>,
    len: u64,
}

impl Memory0 {
    /// The bytes of memory `index` of the store (none when out of range:
    /// validation rejects memory instructions in a module without memory).
    ///
    /// # Safety
    /// The result may only be used while that memory is neither shrunk
    /// (never happens) nor dropped.
    #[inline(always)]
    pub(super) unsafe fn new(store: &mut Store, index: usize) -> Self {
        match store.memories.get_mut(index) {
            Some(m) => {
                // Empty for a shared memory, whose bytes need atomics.
                let (ptr, len) = m.plain_view();
                Memory0 {
                    // A reservation's base is never null (dangling when empty).
                    ptr: NonNull::new(ptr).unwrap_or(NonNull::dangling()),
                    len,
                }
            }
            None => Memory0 {
                ptr: NonNull::dangling(),
                len: 0,
            },
        }
    }

    /// The byte index of an `N`-byte access at `addr + offset`.
    #[inline(always)]
    fn index<const N: usize>(self, addr: u64, offset: u32) -> Result<usize, OutOfBounds> {
        // `offset + N` cannot overflow (a 32-bit offset plus at most 8). A
        // sum past `u64::MAX` saturates, and `u64::MAX` is beyond any
        // memory's length, so one bound check covers it: LLVM compiles this
        // to a conditional move and one branch, where `checked_add` gave
        // two flag tests combined (8 x86 instructions, now 6).
        let end = addr.saturating_add(offset as u64 + N as u64);
        if end <= self.len {
            Ok((end - N as u64) as usize)
        } else {
            Err(OutOfBounds)
        }
    }

    #[inline(always)]
    pub(super) fn load<const N: usize>(
        self,
        addr: u64,
        offset: u32,
    ) -> Result<[u8; N], OutOfBounds> {
        let i = self.index::<N>(addr, offset)?;
        // SAFETY: `i + N <= len`, the buffer's length, and the buffer has not
        // moved since the cache was made (`new`'s contract).
        Ok(unsafe { self.ptr.as_ptr().add(i).cast::<[u8; N]>().read_unaligned() })
    }

    /// Stores the low `N` bytes of `value`.
    #[inline(always)]
    pub(super) fn store<const N: usize>(
        self,
        addr: u64,
        offset: u32,
        value: u64,
    ) -> Result<(), OutOfBounds> {
        let i = self.index::<N>(addr, offset)?;
        let mut bytes = [0u8; N];
        bytes.copy_from_slice(&value.to_le_bytes()[..N]);
        // SAFETY: as for `load`.
        unsafe {
            self.ptr
                .as_ptr()
                .add(i)
                .cast::<[u8; N]>()
                .write_unaligned(bytes)
        };
        Ok(())
    }
}

/// The address of an access fused with the `i32.add` of a constant that
/// computed it: the sum wraps at 32 bits, as the add did.
#[inline(always)]
pub(super) fn wrapped(base: u64, imm: u32) -> u64 {
    (base as u32).wrapping_add(imm) as u64
}

/// An access outside memory 0 (a zero-sized error, so the hot paths
/// carry nothing; it becomes the trap only when it happens).
#[derive(Debug)]
pub(super) struct OutOfBounds;

impl From<OutOfBounds> for RuntimeError {
    #[cold]
    fn from(_: OutOfBounds) -> Self {
        RuntimeError::new(TrapKind::MemoryOutOfBounds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::handles::Memory;
    use crate::runtime::types::MemoryType;

    #[test]
    fn accesses_are_checked_against_the_cached_length() {
        let mut store = Store::default();
        // A 16-byte memory (sixteen 1-byte pages).
        let ty = MemoryType::new(16, None).with_page_size_log2(0);
        let mem = Memory::new(&mut store, ty).unwrap();
        // SAFETY: the memory is not touched while `m` is used.
        let m = unsafe { Memory0::new(&mut store, 0) };
        m.store::<4>(12, 0, 0x0403_0201)
            .expect("last 4 bytes are in bounds");
        assert_eq!(m.load::<2>(10, 4).expect("in bounds"), [3, 4]);
        assert!(m.load::<4>(13, 0).is_err());
        assert!(m.load::<1>(u64::MAX, 1).is_err());
        // Ends at exactly `u64::MAX`, and past it (saturating, still out).
        assert!(m.load::<8>(u64::MAX - 7, 0).is_err());
        assert!(m.load::<8>(u64::MAX - 8, 4).is_err());
        assert!(m.store::<2>(u64::MAX, u32::MAX, 0).is_err());
        assert!(m.store::<8>(8, 1, 0).is_err());
        assert_eq!(&mem.data(&store)[12..], &[1, 2, 3, 4]);
        // SAFETY: no memory at index 1: every access traps, none dereferences.
        let none = unsafe { Memory0::new(&mut store, 1) };
        assert!(none.load::<1>(0, 0).is_err());
        // A shared memory is never reached through the cache.
        Memory::new(&mut store, MemoryType::new(1, Some(1)).shared()).unwrap();
        // SAFETY: an empty view: every access traps, none dereferences.
        let shared = unsafe { Memory0::new(&mut store, 1) };
        assert!(shared.load::<1>(0, 0).is_err());
    }
}
