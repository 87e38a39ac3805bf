//! Memory instances (spec 4.2.9): linear memory with exact bounds checks.
//!
//! Every memory sits in its own address-space reservation
//! ([`reservation`]), committed as it grows, so its bytes never move. A
//! *shared* memory's bytes are held by an `Arc` that stores on several
//! threads import ([`shared`]); they are only ever touched through atomics
//! ([`shared_access`]), and `memory.atomic.wait`/`notify` park on its table
//! ([`wait_notify`]). An unshared memory belongs to one store, which reaches its
//! bytes through plain pointers and slices.

pub(crate) mod reservation;
mod shared;
pub(crate) mod shared_access;
pub(crate) mod wait_notify;

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;

use super::types::MemoryType;
use crate::error::TrapKind;
use reservation::Reservation;
pub(crate) use shared::SharedBytes;
pub use shared::SharedMemory;
use shared_access::RmwOp;

/// Bytes per page (the default page size).
pub const PAGE_SIZE: u64 = 65536;

/// A linear memory of one store: its declared type and its bytes.
#[derive(Debug)]
pub(crate) struct MemoryInst {
    /// The type it was created with (`pages()` is the current size).
    declared: MemoryType,
    bytes: Bytes,
}

#[derive(Debug)]
enum Bytes {
    /// This store's own: the first `len` bytes of `res` are the memory.
    Own { res: Reservation, len: usize },
    /// Shared with stores on other threads.
    Shared(Arc<SharedBytes>),
}

impl MemoryInst {
    /// A memory of `ty.minimum` zeroed pages that can grow to `reserve`
    /// bytes without moving. `None` if the system refuses the space.
    fn own(ty: MemoryType, len: usize, reserve: usize) -> Option<MemoryInst> {
        let mut res = Reservation::new(reserve, len)?;
        if !res.commit(len) {
            return None;
        }
        Some(MemoryInst {
            declared: ty,
            bytes: Bytes::Own { res, len },
        })
    }
    /// A memory of type `ty`, zeroed, reserving address space to grow up
    /// to `budget` bytes without moving. `None` if its size is beyond the
    /// address space or the system refuses the space (the store charges
    /// the bytes to its budget: [`Store::alloc_memory`](crate::Store)).
    pub(crate) fn new(ty: MemoryType, budget: u64) -> Option<MemoryInst> {
        if ty.minimum > ty.address_limit_pages() {
            return None;
        }
        let len = usize::try_from(ty.minimum.checked_mul(ty.page_size())?).ok()?;
        if ty.shared {
            SharedBytes::new(ty, budget).map(|s| MemoryInst::attach(Arc::new(s)))
        } else {
            MemoryInst::own(ty, len, reservation_for(&ty, budget))
        }
    }

    /// Grows by `delta` pages: the old size in pages, or `None` (nothing
    /// changed) when the maximum or the index type forbids it or the system
    /// refuses the space. The store charges the bytes to its budget first.
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let ty = self.declared;
        let max = ty.maximum.unwrap_or(u64::MAX).min(ty.address_limit_pages());
        let old = self.pages();
        match &mut self.bytes {
            // The size is decided under the memory's own lock.
            Bytes::Shared(shared) => shared.grow(delta, max),
            Bytes::Own { res, len } => {
                let new = old.checked_add(delta)?;
                if new > max {
                    return None;
                }
                let new_len = usize::try_from(new.checked_mul(ty.page_size())?).ok()?;
                if !res.commit(new_len) {
                    return None;
                }
                *len = new_len;
                Some(old)
            }
        }
    }

    /// The bytes `delta` more pages take.
    pub(crate) fn bytes_of_pages(&self, delta: u64) -> Option<u64> {
        delta.checked_mul(self.declared.page_size())
    }

    /// This store's view of a shared memory.
    pub(crate) fn attach(bytes: Arc<SharedBytes>) -> MemoryInst {
        MemoryInst {
            declared: bytes.ty(),
            bytes: Bytes::Shared(bytes),
        }
    }

    /// The memory's type, its minimum being the current size.
    pub(crate) fn ty(&self) -> MemoryType {
        MemoryType {
            minimum: self.pages(),
            ..self.declared
        }
    }

    pub(crate) fn is_shared(&self) -> bool {
        matches!(self.bytes, Bytes::Shared(_))
    }

    /// The shared bytes, if this memory is shared.
    pub(crate) fn shared(&self) -> Option<&Arc<SharedBytes>> {
        match &self.bytes {
            Bytes::Shared(s) => Some(s),
            Bytes::Own { .. } => None,
        }
    }

    /// Current size in bytes (another thread may grow a shared memory at
    /// any time, never shrink it).
    #[inline]
    pub(crate) fn len(&self) -> u64 {
        match &self.bytes {
            Bytes::Own { len, .. } => *len as u64,
            Bytes::Shared(s) => s.len() as u64,
        }
    }

    /// Current size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.len() >> self.declared.page_size_log2
    }

    /// The first byte: fixed for the memory's life.
    #[inline(always)]
    pub(crate) fn base(&self) -> *mut u8 {
        match &self.bytes {
            Bytes::Own { res, .. } => res.base(),
            Bytes::Shared(s) => s.base(),
        }
    }

    /// Pointer and length for the interpreter's cached memory-0 view, which
    /// uses plain accesses: empty for a shared memory (translation never
    /// gives shared memories the cached-view instructions, so this only
    /// keeps a mistake from becoming a data race).
    #[inline(always)]
    pub(crate) fn plain_view(&mut self) -> (*mut u8, u64) {
        match &self.bytes {
            Bytes::Own { res, len } => (res.base(), *len as u64),
            Bytes::Shared(_) => (std::ptr::NonNull::dangling().as_ptr(), 0),
        }
    }

    /// The start of `len` bytes at `addr`, if they all lie inside the memory.
    #[inline]
    pub(crate) fn range(&self, addr: u64, len: u64) -> Result<usize, TrapKind> {
        match addr.checked_add(len) {
            Some(end) if end <= self.len() => Ok(addr as usize),
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

    /// The bytes of an unshared memory.
    ///
    /// # Panics
    /// For a shared memory: other threads may write its bytes at any time,
    /// so no Rust slice of them may exist.
    pub(crate) fn as_slice(&self) -> &[u8] {
        match &self.bytes {
            // SAFETY: the first `len` bytes are committed, and `&self`
            // keeps the store (the only owner) from changing them.
            Bytes::Own { res, len } => unsafe { std::slice::from_raw_parts(res.base(), *len) },
            Bytes::Shared(_) => panic!("a shared memory's bytes cannot be borrowed"),
        }
    }

    /// The bytes of an unshared memory, writable. Panics as `as_slice`.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        match &mut self.bytes {
            // SAFETY: as for `as_slice`, with `&mut self` for exclusivity.
            Bytes::Own { res, len } => unsafe { std::slice::from_raw_parts_mut(res.base(), *len) },
            Bytes::Shared(_) => panic!("a shared memory's bytes cannot be borrowed"),
        }
    }

    /// A plain load of `n` (1..=8) bytes at `at` (bounds checked before),
    /// little-endian, zero-extended.
    #[inline]
    pub(crate) fn load(&self, at: usize, n: usize) -> u64 {
        debug_assert!(at as u64 + n as u64 <= self.len());
        let p = self.base().wrapping_add(at);
        if self.is_shared() {
            // SAFETY: in bounds (checked by the caller against `len`, which
            // never shrinks); shared bytes are only accessed atomically.
            unsafe { shared_access::load_relaxed(p, n) }
        } else {
            let mut bytes = [0u8; 8];
            bytes[..n].copy_from_slice(&self.as_slice()[at..at + n]);
            u64::from_le_bytes(bytes)
        }
    }

    /// A plain store of the low `n` bytes of `value` at `at` (bounds checked).
    #[inline]
    pub(crate) fn store(&mut self, at: usize, n: usize, value: u64) {
        debug_assert!(at as u64 + n as u64 <= self.len());
        if self.is_shared() {
            // SAFETY: as for `load`.
            unsafe { shared_access::store_relaxed(self.base().wrapping_add(at), n, value) }
        } else {
            self.as_mut_slice()[at..at + n].copy_from_slice(&value.to_le_bytes()[..n]);
        }
    }

    /// Copies bytes at `at` (bounds checked) into `out`.
    pub(crate) fn read(&self, at: usize, out: &mut [u8]) {
        if self.is_shared() {
            // SAFETY: in bounds; shared bytes are only accessed atomically.
            unsafe { shared_access::read_bytes(self.base().wrapping_add(at), out) }
        } else {
            out.copy_from_slice(&self.as_slice()[at..at + out.len()]);
        }
    }

    /// Copies `bytes` to `at` (bounds checked).
    pub(crate) fn write(&mut self, at: usize, bytes: &[u8]) {
        if self.is_shared() {
            // SAFETY: as for `read`.
            unsafe { shared_access::write_bytes(self.base().wrapping_add(at), bytes) }
        } else {
            self.as_mut_slice()[at..at + bytes.len()].copy_from_slice(bytes);
        }
    }

    /// `memory.fill` of `n` bytes at `at` (bounds checked).
    pub(crate) fn fill(&mut self, at: usize, n: usize, value: u8) {
        if self.is_shared() {
            // SAFETY: as for `read`.
            unsafe { shared_access::fill_bytes(self.base().wrapping_add(at), n, value) }
        } else {
            self.as_mut_slice()[at..at + n].fill(value);
        }
    }

    /// `memory.copy` inside one memory (both ranges bounds checked).
    pub(crate) fn copy_within(&mut self, src: usize, dst: usize, n: usize) {
        if self.is_shared() {
            let base = self.base();
            // SAFETY: as for `read`.
            unsafe { shared_access::move_bytes(base.wrapping_add(src), base.wrapping_add(dst), n) }
        } else {
            self.as_mut_slice().copy_within(src..src + n, dst);
        }
    }

    /// `memory.copy` between two memories of one store (ranges checked).
    pub(crate) fn copy_between(
        memories: &mut [MemoryInst],
        src_mem: usize,
        src: usize,
        dst_mem: usize,
        dst: usize,
        n: usize,
    ) {
        let (s, d) = (&memories[src_mem], &memories[dst_mem]);
        if s.is_shared() || d.is_shared() {
            // Both may even be views of the same shared bytes: move as
            // `memmove` would, byte by byte.
            // SAFETY: in bounds; bytes of a shared memory are only accessed
            // atomically, and an unshared one is borrowed by no one else
            // (the store is borrowed mutably).
            unsafe {
                shared_access::move_bytes(s.base().wrapping_add(src), d.base().wrapping_add(dst), n)
            }
        } else {
            let bytes = s.as_slice()[src..src + n].to_vec();
            memories[dst_mem].as_mut_slice()[dst..dst + n].copy_from_slice(&bytes);
        }
    }

    /// Checks the address of an atomic access of `n` bytes: in bounds and
    /// aligned to `n`, else the trap.
    pub(crate) fn atomic_at(&self, addr: u64, offset: u64, n: usize) -> Result<usize, TrapKind> {
        let ea = addr
            .checked_add(offset)
            .ok_or(TrapKind::MemoryOutOfBounds)?;
        if ea % n as u64 != 0 {
            return Err(TrapKind::UnalignedAtomic);
        }
        self.range(ea, n as u64)
    }

    /// Pointer to an atomic access's bytes (`at` from `atomic_at`, so in
    /// bounds and aligned: the base is page-aligned).
    fn atomic_ptr(&self, at: usize) -> *mut u8 {
        self.base().wrapping_add(at)
    }

    pub(crate) fn atomic_load(&self, at: usize, n: usize) -> u64 {
        // SAFETY: `at` from `atomic_at`: in bounds and aligned. Every access
        // to shared bytes is atomic; an unshared memory has only this thread.
        unsafe { shared_access::load_aligned(self.atomic_ptr(at), n, SeqCst) }
    }

    pub(crate) fn atomic_store(&mut self, at: usize, n: usize, value: u64) {
        // SAFETY: as for `atomic_load`.
        unsafe { shared_access::store_aligned(self.atomic_ptr(at), n, value, SeqCst) }
    }

    pub(crate) fn atomic_rmw(&mut self, at: usize, n: usize, op: RmwOp, operand: u64) -> u64 {
        // SAFETY: as for `atomic_load`.
        unsafe { shared_access::rmw(self.atomic_ptr(at), n, op, operand) }
    }

    pub(crate) fn atomic_cmpxchg(&mut self, at: usize, n: usize, expected: u64, new: u64) -> u64 {
        // SAFETY: as for `atomic_load`.
        unsafe { shared_access::cmpxchg(self.atomic_ptr(at), n, expected, new) }
    }

    /// `memory.atomic.wait32/64` at `at` (checked by `atomic_at`): blocks
    /// while the `n`-byte value there equals `expected`, up to `timeout_ns`
    /// (negative: forever), or until `interrupt` is raised.
    pub(crate) fn wait(
        &self,
        at: usize,
        n: usize,
        expected: u64,
        timeout_ns: i64,
        interrupt: &AtomicBool,
    ) -> Result<u32, TrapKind> {
        let Bytes::Shared(shared) = &self.bytes else {
            return Err(TrapKind::ExpectedSharedMemory);
        };
        let timeout = u64::try_from(timeout_ns).ok().map(Duration::from_nanos);
        let mask = if n == 8 { u64::MAX } else { (1 << (8 * n)) - 1 };
        let still = || self.atomic_load(at, n) == expected & mask;
        match shared.parking().wait(at as u64, still, timeout, interrupt) {
            Ok(r) => Ok(r as u32),
            Err(()) => Err(TrapKind::Interrupted),
        }
    }

    /// `memory.atomic.notify` at `at`: how many waiters woke (none can wait
    /// on an unshared memory).
    pub(crate) fn notify(&self, at: usize, count: u32) -> u32 {
        match &self.bytes {
            Bytes::Shared(s) => s.parking().notify(at as u64, count),
            Bytes::Own { .. } => 0,
        }
    }
}

/// The bytes to reserve for a memory of type `ty`: as much as it may ever
/// hold, within the store's budget (growth past the budget is refused anyway).
fn reservation_for(ty: &MemoryType, budget: u64) -> usize {
    let max_pages = ty.maximum.unwrap_or(u64::MAX).min(ty.address_limit_pages());
    let max_bytes = max_pages.saturating_mul(ty.page_size()).min(budget);
    usize::try_from(max_bytes).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
