//! Address space for one linear memory: reserved once, committed as it grows.
//!
//! A memory reserves its largest possible size up front (declared maximum,
//! or the store's budget) as inaccessible address space, and makes pages
//! readable and writable only when `memory.grow` grants them. So untouched
//! pages cost no RAM, growth never copies or moves bytes (the base address
//! is fixed for the memory's life, which shared memories rely on), and a
//! `memory.grow 1` loop is one `mprotect` per step: linear time.
//!
//! On Unix this uses `rustix` (`mmap` with `PROT_NONE` + `MAP_NORESERVE`,
//! then `mprotect`), a well-kept safe-ish syscall layer already in wide use;
//! `memmap2` offers only readable/writable anonymous maps, which count
//! against the commit limit for their whole size on systems without
//! overcommit. Elsewhere a zeroed heap allocation of the whole reservation
//! stands in (lazily backed on most systems).
//!
//! A small reservation (at most [`HEAP_MAX`] bytes, e.g. a memory declared
//! with a maximum of one or two pages, as the spectest module's are) is a
//! heap block instead, zeroed as it is committed: three system calls per
//! memory (map, protect, unmap) cost more than zeroing 128 KiB, and a test
//! suite creates such memories by the hundred. Only the committed part is
//! zeroed (the spectest memory's one page of two, for instance): bytes
//! beyond it are never read, since every access is checked against the
//! memory's size, which never exceeds what is committed.

use std::alloc::Layout;
use std::ptr::NonNull;

/// The largest reservation made on the heap rather than mapped (two
/// 64 KiB pages).
const HEAP_MAX: usize = 128 << 10;

/// Alignment of heap reservations: enough for any access of up to 16
/// bytes at an aligned address (atomics need their natural alignment).
const HEAP_ALIGN: usize = 16;

/// Reserved address space whose first `committed` bytes are accessible and
/// zero-initialised when first committed.
#[derive(Debug)]
pub(crate) struct Reservation {
    base: NonNull<u8>,
    reserved: usize,
    committed: usize,
    /// Allocated on the heap (uninitialised beyond `committed`), not mapped.
    heap: bool,
}

// SAFETY: a `Reservation` is an owned block of memory, like a `Box<[u8]>`:
// it has no thread affinity. Concurrent access to its bytes is governed by
// the owner (`MemoryInst` gives out `&mut` only for unshared memories and
// goes through atomics for shared ones).
unsafe impl Send for Reservation {}
// SAFETY: as above; `&Reservation` only exposes the base pointer and sizes.
unsafe impl Sync for Reservation {}

impl Reservation {
    /// Reserves `reserved` bytes of address space, none of it accessible.
    /// If the system refuses that much, halves the request down to `at_least`;
    /// `None` when even that fails.
    pub(crate) fn new(reserved: usize, at_least: usize) -> Option<Reservation> {
        // A request beyond the address space is cut to its top page.
        let mut want = round_up(reserved.max(at_least)).unwrap_or(!(page_size() - 1));
        let floor = round_up(at_least)?;
        loop {
            if let Some(r) = Self::exactly(want) {
                return Some(r);
            }
            if want <= floor {
                return None;
            }
            want = round_up(want / 2)?.max(floor);
        }
    }

    fn exactly(reserved: usize) -> Option<Reservation> {
        if reserved == 0 {
            return Some(Reservation {
                base: NonNull::dangling(),
                reserved: 0,
                committed: 0,
                heap: false,
            });
        }
        if reserved <= HEAP_MAX {
            // SAFETY: the layout's size is non-zero.
            let base = NonNull::new(unsafe { std::alloc::alloc(heap_layout(reserved)) })?;
            return Some(Reservation {
                base,
                reserved,
                committed: 0,
                heap: true,
            });
        }
        let base = os::reserve(reserved)?;
        Some(Reservation {
            base,
            reserved,
            committed: 0,
            heap: false,
        })
    }

    /// The first byte (fixed for the reservation's life; dangling when
    /// nothing is reserved).
    #[inline(always)]
    pub(crate) fn base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// Makes the first `len` bytes accessible (no-op for what already is).
    /// Newly committed bytes read as zero. `false` when `len` exceeds the
    /// reservation or the system refuses.
    pub(crate) fn commit(&mut self, len: usize) -> bool {
        if len <= self.committed {
            return true;
        }
        if len > self.reserved {
            return false;
        }
        // Whole OS pages; `reserved` is a multiple of the page size.
        let Some(end) = round_up(len) else {
            return false;
        };
        let end = end.min(self.reserved);
        if self.heap {
            // SAFETY: `committed..end` lies inside the heap block of
            // `reserved` bytes allocated in `exactly`.
            unsafe {
                self.base
                    .as_ptr()
                    .add(self.committed)
                    .write_bytes(0, end - self.committed)
            };
            self.committed = end;
            return true;
        }
        // SAFETY: `committed..end` lies inside the reservation made by
        // `os::reserve` and both ends are page-aligned.
        let ok = unsafe { os::commit(self.base, self.committed, end) };
        if ok {
            self.committed = end;
        }
        ok
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if self.heap {
            // SAFETY: allocated in `exactly` with this layout; no reference
            // into it outlives `self`.
            unsafe { std::alloc::dealloc(self.base.as_ptr(), heap_layout(self.reserved)) };
        } else if self.reserved != 0 {
            // SAFETY: the reservation is ours, made by `os::reserve` with
            // this size, and no reference into it outlives `self`.
            unsafe { os::release(self.base, self.reserved) };
        }
    }
}

fn heap_layout(len: usize) -> Layout {
    Layout::from_size_align(len, HEAP_ALIGN).expect("a reservation of at most HEAP_MAX bytes")
}

/// The OS page size (or 64 KiB where unknown, a multiple of all common ones).
fn page_size() -> usize {
    os::page_size()
}

fn round_up(n: usize) -> Option<usize> {
    let p = page_size();
    n.checked_add(p - 1).map(|n| n & !(p - 1))
}

#[cfg(unix)]
mod os {
    use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};
    use std::ptr::NonNull;

    pub(super) fn page_size() -> usize {
        rustix::param::page_size()
    }

    pub(super) fn reserve(len: usize) -> Option<NonNull<u8>> {
        // SAFETY: a fresh anonymous mapping at an address the kernel picks
        // aliases nothing.
        let p = unsafe {
            rustix::mm::mmap_anonymous(
                std::ptr::null_mut(),
                len,
                ProtFlags::empty(),
                MapFlags::PRIVATE | MapFlags::NORESERVE,
            )
        }
        .ok()?;
        NonNull::new(p.cast())
    }

    /// # Safety
    /// `from..to` must be page-aligned offsets inside a reservation at `base`.
    pub(super) unsafe fn commit(base: NonNull<u8>, from: usize, to: usize) -> bool {
        // SAFETY: the caller's contract; the pages are ours.
        unsafe {
            rustix::mm::mprotect(
                base.as_ptr().add(from).cast(),
                to - from,
                MprotectFlags::READ | MprotectFlags::WRITE,
            )
        }
        .is_ok()
    }

    /// # Safety
    /// `base`/`len` must be a whole reservation from `reserve`, unused after.
    pub(super) unsafe fn release(base: NonNull<u8>, len: usize) {
        // SAFETY: the caller's contract. A failure would leak address space
        // only; there is nothing better to do with it in `drop`.
        let _ = unsafe { rustix::mm::munmap(base.as_ptr().cast(), len) };
    }
}

#[cfg(not(unix))]
mod os {
    use std::alloc::{alloc_zeroed, dealloc, Layout};
    use std::ptr::NonNull;

    pub(super) fn page_size() -> usize {
        65536
    }

    fn layout(len: usize) -> Layout {
        Layout::from_size_align(len, page_size()).expect("page-rounded size")
    }

    pub(super) fn reserve(len: usize) -> Option<NonNull<u8>> {
        // SAFETY: `len` is non-zero (callers skip empty reservations).
        NonNull::new(unsafe { alloc_zeroed(layout(len)) })
    }

    /// # Safety
    /// Nothing to do: the whole block is accessible and zeroed already.
    pub(super) unsafe fn commit(_: NonNull<u8>, _: usize, _: usize) -> bool {
        true
    }

    /// # Safety
    /// `base`/`len` must be a whole reservation from `reserve`, unused after.
    pub(super) unsafe fn release(base: NonNull<u8>, len: usize) {
        // SAFETY: allocated by `reserve` with this layout.
        unsafe { dealloc(base.as_ptr(), layout(len)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bytes_are_zero_and_keep_their_address() {
        let mut r = Reservation::new(1 << 30, 0).expect("1 GiB of address space");
        assert!(r.commit(65536));
        let base = r.base();
        // SAFETY: the first 64 KiB are committed.
        unsafe {
            assert_eq!(*base.add(65535), 0);
            *base.add(100) = 7;
        }
        assert!(r.commit(3 * 65536));
        assert_eq!(r.base(), base, "growth never moves the bytes");
        // SAFETY: committed above.
        unsafe {
            assert_eq!(*base.add(100), 7);
            assert_eq!(*base.add(3 * 65536 - 1), 0);
        }
        assert!(!r.commit((1 << 30) + 1), "beyond the reservation");
    }

    #[test]
    fn small_reservations_are_heap_blocks_zeroed_as_committed() {
        // Dirty a heap block of the same size first, so that the
        // reservation below (likely given the same block) starts dirty.
        let layout = heap_layout(HEAP_MAX);
        // SAFETY: non-zero size; the block is written to its end, then freed.
        unsafe {
            let dirty = std::alloc::alloc(layout);
            assert!(!dirty.is_null());
            dirty.write_bytes(0xa5, HEAP_MAX);
            // Keeps the writes: a block freed right after writing is
            // otherwise a dead store the optimiser drops.
            std::hint::black_box(dirty);
            std::alloc::dealloc(dirty, layout);
        }
        let mut r = Reservation::new(HEAP_MAX, 65536).expect("128 KiB");
        assert!(r.heap);
        assert!(r.commit(65536));
        let base = r.base();
        assert_eq!(base as usize % HEAP_ALIGN, 0);
        // SAFETY: the first 64 KiB are committed.
        unsafe {
            assert!(std::slice::from_raw_parts(base, 65536)
                .iter()
                .all(|&b| b == 0));
            *base.add(100) = 9;
        }
        assert!(r.commit(HEAP_MAX));
        assert_eq!(r.base(), base, "growth never moves the bytes");
        // SAFETY: all of it is committed now.
        unsafe {
            let all = std::slice::from_raw_parts(base, HEAP_MAX);
            assert_eq!(all[100], 9, "committing more keeps what was written");
            assert!(all[65536..].iter().all(|&b| b == 0));
        }
        assert!(!r.commit(HEAP_MAX + 1), "beyond the reservation");
        let big = Reservation::new(HEAP_MAX + 1, 0).expect("a mapping");
        assert!(!big.heap);
    }

    #[test]
    fn empty_reservations_hold_nothing() {
        let mut r = Reservation::new(0, 0).expect("nothing to reserve");
        assert!(r.commit(0));
        assert!(!r.commit(1));
    }
}
