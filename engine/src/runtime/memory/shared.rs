//! Shared memories: bytes that stores on several threads import at once.
//!
//! The bytes sit in a reservation of the declared maximum (shared memories
//! must declare one), so they never move; the current length is an atomic
//! that only grows, changed under a lock that serialises `memory.grow`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::reservation::Reservation;
use super::shared_access;
use super::wait_notify::Parking;
use crate::error::{RuntimeError, TrapKind};
use crate::runtime::types::MemoryType;

/// The bytes of one shared memory and its wait/notify table.
#[derive(Debug)]
pub(crate) struct SharedBytes {
    ty: MemoryType,
    base: *mut u8,
    len: AtomicUsize,
    /// Commits pages; held while growing.
    res: Mutex<Reservation>,
    parking: Parking,
}

// SAFETY: `base` points into `res`, which is `Send + Sync`; the bytes behind
// it are only accessed through atomics (`shared_access`), and `len`/`res` are
// synchronised themselves.
unsafe impl Send for SharedBytes {}
// SAFETY: as above.
unsafe impl Sync for SharedBytes {}

impl SharedBytes {
    /// A shared memory of type `ty` (its minimum zeroed pages), reserving
    /// its maximum but no more than `cap` bytes (a store's budget: growth
    /// past it is refused anyway). If the system refuses that much address
    /// space, less is reserved and growth past it returns -1. `None` if the
    /// type has no maximum or not even the minimum fits.
    pub(crate) fn new(ty: MemoryType, cap: u64) -> Option<SharedBytes> {
        let page = ty.page_size();
        let max = ty.maximum?.min(ty.address_limit_pages());
        let reserve = max.saturating_mul(page).min(cap);
        let reserve = usize::try_from(reserve).unwrap_or(usize::MAX);
        let len = usize::try_from(ty.minimum.checked_mul(page)?).ok()?;
        let mut res = Reservation::new(reserve, len)?;
        if !res.commit(len) {
            return None;
        }
        Some(SharedBytes {
            ty,
            base: res.base(),
            len: AtomicUsize::new(len),
            res: Mutex::new(res),
            parking: Parking::default(),
        })
    }

    /// The declared type (its minimum is the size at creation).
    pub(crate) fn ty(&self) -> MemoryType {
        self.ty
    }

    #[inline(always)]
    pub(crate) fn base(&self) -> *mut u8 {
        self.base
    }

    /// Current length in bytes. `Acquire`: pages committed by the grow that
    /// set it are visible before any access bounds-checked against it.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    pub(crate) fn parking(&self) -> &Parking {
        &self.parking
    }

    /// Grows by `delta` pages up to `max` pages: the old size in pages.
    pub(crate) fn grow(&self, delta: u64, max: u64) -> Option<u64> {
        let mut res = self.res.lock().unwrap_or_else(|e| e.into_inner());
        let page = self.ty.page_size();
        let old_len = self.len.load(Ordering::Acquire);
        let old = old_len as u64 / page;
        let new = old.checked_add(delta)?;
        if new > max {
            return None;
        }
        let new_len = usize::try_from(new.checked_mul(page)?).ok()?;
        if !res.commit(new_len) {
            return None;
        }
        self.len.store(new_len, Ordering::Release);
        Some(old)
    }
}

/// The most address space a host-made shared memory reserves (no store's
/// budget applies to it): 1 TiB, beyond any 32-bit memory and far below the
/// 128 TiB a 64-bit process has.
const HOST_RESERVATION_CAP: u64 = 1 << 40;

/// A shared linear memory as a value that can cross threads (`Send + Sync`,
/// like a `SharedArrayBuffer`-backed `WebAssembly.Memory`). Each thread has
/// its own [`Store`]; [`SharedMemory::attach`] makes the memory an object of
/// one, which its instances can import. The bytes are the same for all.
///
/// ```
/// use touchstone_engine::{MemoryType, SharedMemory, Store};
/// let shared = SharedMemory::new(MemoryType::new(1, Some(4)).shared()).unwrap();
/// let other = shared.clone();
/// std::thread::spawn(move || {
///     let mut store = Store::default();
///     let mem = other.attach(&mut store);
///     mem.write(&mut store, 0, b"hi").unwrap();
/// })
/// .join()
/// .unwrap();
/// let mut buf = [0u8; 2];
/// shared.read(0, &mut buf).unwrap();
/// assert_eq!(&buf, b"hi");
/// ```
#[derive(Clone, Debug)]
pub struct SharedMemory(pub(crate) Arc<SharedBytes>);

impl SharedMemory {
    /// A new shared memory of `ty.minimum()` zeroed pages. `ty` must be
    /// shared and have a maximum (else a host error).
    pub fn new(ty: MemoryType) -> Result<SharedMemory, RuntimeError> {
        if !ty.shared || ty.maximum.is_none() {
            return Err(RuntimeError::host(
                "a shared memory needs a shared type with a maximum",
            ));
        }
        SharedBytes::new(ty, HOST_RESERVATION_CAP)
            .map(|b| SharedMemory(Arc::new(b)))
            .ok_or(RuntimeError::new(TrapKind::ResourceLimit))
    }

    /// The memory's type, its minimum being the current size.
    pub fn ty(&self) -> MemoryType {
        MemoryType {
            minimum: self.size(),
            ..self.0.ty()
        }
    }

    /// Current size in pages.
    pub fn size(&self) -> u64 {
        self.0.len() as u64 >> self.0.ty().page_size_log2
    }

    /// Grows by `delta` pages (up to the maximum; no store's budget applies:
    /// wasm code growing it is charged to its own store).
    pub fn grow(&self, delta: u64) -> Option<u64> {
        let ty = self.0.ty();
        let max = ty.maximum.unwrap_or(0).min(ty.address_limit_pages());
        self.0.grow(delta, max)
    }

    /// Copies bytes out; fails if the range is out of bounds.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), RuntimeError> {
        let at = self.check(offset, buf.len())?;
        // SAFETY: in bounds; shared bytes are only accessed atomically.
        unsafe { shared_access::read_bytes(self.0.base().add(at), buf) };
        Ok(())
    }

    /// Copies bytes in; fails if the range is out of bounds.
    pub fn write(&self, offset: u64, bytes: &[u8]) -> Result<(), RuntimeError> {
        let at = self.check(offset, bytes.len())?;
        // SAFETY: as for `read`.
        unsafe { shared_access::write_bytes(self.0.base().add(at), bytes) };
        Ok(())
    }

    fn check(&self, offset: u64, n: usize) -> Result<usize, RuntimeError> {
        match offset.checked_add(n as u64) {
            Some(end) if end <= self.0.len() as u64 => Ok(offset as usize),
            _ => Err(RuntimeError::new(TrapKind::MemoryOutOfBounds)),
        }
    }

    /// Whether two handles are the same memory.
    pub fn same(&self, other: &SharedMemory) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
