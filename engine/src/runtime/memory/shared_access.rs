//! Accesses to bytes that other threads may touch at the same time.
//!
//! Every access to a shared memory's bytes goes through Rust atomics, so a
//! data race between wasm threads (which the Wasm memory model allows for
//! plain accesses) is never undefined behaviour in the engine:
//!
//! - plain loads and stores are `Relaxed` atomics of the access's width
//!   when the address is aligned to it, else one `Relaxed` byte access per
//!   byte (a racing unaligned access may tear, as Wasm permits);
//! - bulk operations (`memory.fill`, `copy`, `init`, host reads and writes,
//!   SIMD accesses) are `Relaxed` byte accesses;
//! - atomic loads, stores, read-modify-writes and `cmpxchg` are `SeqCst`
//!   atomics of their width (alignment is checked before: it traps).
//!
//! Mixed-size accesses to the same bytes (a byte store racing a 32-bit
//! atomic) are outside Rust's formal model, as in every Wasm engine written
//! in Rust or C++; the hardware we target defines them (atomic instructions
//! of every width are single-copy atomic), and we never create a Rust
//! reference to shared bytes other than an atomic one.
//!
//! Unshared memories use the same atomic code only for atomic instructions
//! (rare); their plain accesses stay plain (`MemoryInst`).

use std::sync::atomic::Ordering::{self, Relaxed, SeqCst};
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8};

/// A read-modify-write operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RmwOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Xchg,
}

impl RmwOp {
    /// The new value from the old one and the operand (callers mask to the
    /// width). Real atomics use the hardware's operations; this serves the
    /// compare-and-swap and test-only paths.
    #[cfg_attr(
        all(target_endian = "little", not(feature = "test-racy-rmw")),
        allow(dead_code)
    )]
    pub(crate) fn apply(self, old: u64, operand: u64) -> u64 {
        match self {
            RmwOp::Add => old.wrapping_add(operand),
            RmwOp::Sub => old.wrapping_sub(operand),
            RmwOp::And => old & operand,
            RmwOp::Or => old | operand,
            RmwOp::Xor => old ^ operand,
            RmwOp::Xchg => operand,
        }
    }
}

/// Reads `n` (1, 2, 4 or 8) little-endian bytes at `p`, relaxed.
///
/// # Safety
/// `p..p + n` must be valid for reads, and every concurrent access to those
/// bytes must be atomic (all shared-memory accesses are, through this module).
#[inline]
pub(crate) unsafe fn load_relaxed(p: *mut u8, n: usize) -> u64 {
    if (p as usize).is_multiple_of(n) {
        // SAFETY: aligned and valid (the caller's contract).
        unsafe { load_aligned(p, n, Relaxed) }
    } else {
        let mut v = 0u64;
        for i in 0..n {
            // SAFETY: inside `p..p + n`.
            let b = unsafe { AtomicU8::from_ptr(p.add(i)) }.load(Relaxed);
            v |= (b as u64) << (8 * i);
        }
        v
    }
}

/// Writes the low `n` bytes of `v` at `p`, little-endian, relaxed.
///
/// # Safety
/// As for [`load_relaxed`], for writes.
#[inline]
pub(crate) unsafe fn store_relaxed(p: *mut u8, n: usize, v: u64) {
    if (p as usize).is_multiple_of(n) {
        // SAFETY: aligned and valid.
        unsafe { store_aligned(p, n, v, Relaxed) }
    } else {
        for i in 0..n {
            // SAFETY: inside `p..p + n`.
            unsafe { AtomicU8::from_ptr(p.add(i)) }.store((v >> (8 * i)) as u8, Relaxed);
        }
    }
}

/// Atomic load of `n` bytes at `p`, which must be aligned to `n`.
///
/// # Safety
/// `p..p + n` valid, `p` aligned to `n`, concurrent accesses atomic.
#[inline]
pub(crate) unsafe fn load_aligned(p: *mut u8, n: usize, order: Ordering) -> u64 {
    // SAFETY (each arm): the caller guarantees validity and alignment.
    unsafe {
        match n {
            1 => AtomicU8::from_ptr(p).load(order) as u64,
            2 => u16::from_le(AtomicU16::from_ptr(p.cast()).load(order)) as u64,
            4 => u32::from_le(AtomicU32::from_ptr(p.cast()).load(order)) as u64,
            _ => u64::from_le(AtomicU64::from_ptr(p.cast()).load(order)),
        }
    }
}

/// Atomic store of the low `n` bytes of `v` at `p`, aligned to `n`.
///
/// # Safety
/// As for [`load_aligned`].
#[inline]
pub(crate) unsafe fn store_aligned(p: *mut u8, n: usize, v: u64, order: Ordering) {
    // SAFETY (each arm): the caller guarantees validity and alignment.
    unsafe {
        match n {
            1 => AtomicU8::from_ptr(p).store(v as u8, order),
            2 => AtomicU16::from_ptr(p.cast()).store((v as u16).to_le(), order),
            4 => AtomicU32::from_ptr(p.cast()).store((v as u32).to_le(), order),
            _ => AtomicU64::from_ptr(p.cast()).store(v.to_le(), order),
        }
    }
}

macro_rules! rmw_width {
    ($atomic:ty, $int:ty, $p:expr, $op:expr, $v:expr) => {{
        // SAFETY: the caller of `rmw` guarantees validity and alignment.
        let a = unsafe { <$atomic>::from_ptr($p.cast()) };
        let v = ($v as $int).to_le();
        #[cfg(not(feature = "test-racy-rmw"))]
        let old = match $op {
            #[cfg(target_endian = "little")]
            RmwOp::Add => a.fetch_add(v, SeqCst),
            #[cfg(target_endian = "little")]
            RmwOp::Sub => a.fetch_sub(v, SeqCst),
            // Arithmetic on byte-swapped values needs a compare-and-swap loop.
            #[cfg(target_endian = "big")]
            op @ (RmwOp::Add | RmwOp::Sub) => a
                .fetch_update(SeqCst, SeqCst, |x| {
                    let new = op.apply(<$int>::from_le(x) as u64, $v as u64) as $int;
                    Some(new.to_le())
                })
                .unwrap_or_else(|x| x),
            RmwOp::And => a.fetch_and(v, SeqCst),
            RmwOp::Or => a.fetch_or(v, SeqCst),
            RmwOp::Xor => a.fetch_xor(v, SeqCst),
            RmwOp::Xchg => a.swap(v, SeqCst),
        };
        // The negative control of the concurrency tests: a read, then a
        // separate write, so concurrent increments lose updates.
        #[cfg(feature = "test-racy-rmw")]
        let old = {
            let x = a.load(Relaxed);
            let new = $op.apply(<$int>::from_le(x) as u64, <$int>::from_le(v) as u64) as $int;
            std::hint::spin_loop();
            a.store(new.to_le(), Relaxed);
            x
        };
        <$int>::from_le(old) as u64
    }};
}

/// Atomic read-modify-write of `n` bytes at `p` with `operand` (wrapped to
/// the width), sequentially consistent; returns the old value.
///
/// # Safety
/// As for [`load_aligned`].
#[inline]
pub(crate) unsafe fn rmw(p: *mut u8, n: usize, op: RmwOp, operand: u64) -> u64 {
    match n {
        1 => rmw_width!(AtomicU8, u8, p, op, operand),
        2 => rmw_width!(AtomicU16, u16, p, op, operand),
        4 => rmw_width!(AtomicU32, u32, p, op, operand),
        _ => rmw_width!(AtomicU64, u64, p, op, operand),
    }
}

/// Atomic compare-and-exchange of `n` bytes at `p`: if they hold `expected`
/// (wrapped to the width), writes `replacement` (wrapped); returns the old
/// value either way. Sequentially consistent.
///
/// # Safety
/// As for [`load_aligned`].
#[inline]
pub(crate) unsafe fn cmpxchg(p: *mut u8, n: usize, expected: u64, replacement: u64) -> u64 {
    macro_rules! width {
        ($atomic:ty, $int:ty) => {{
            // SAFETY: the caller guarantees validity and alignment.
            let a = unsafe { <$atomic>::from_ptr(p.cast()) };
            let (e, r) = ((expected as $int).to_le(), (replacement as $int).to_le());
            let old = a
                .compare_exchange(e, r, SeqCst, SeqCst)
                .unwrap_or_else(|x| x);
            <$int>::from_le(old) as u64
        }};
    }
    match n {
        1 => width!(AtomicU8, u8),
        2 => width!(AtomicU16, u16),
        4 => width!(AtomicU32, u32),
        _ => width!(AtomicU64, u64),
    }
}

/// Copies `out.len()` bytes from `p`, one relaxed byte load each.
///
/// # Safety
/// `p..p + out.len()` valid for reads; concurrent accesses atomic.
pub(crate) unsafe fn read_bytes(p: *mut u8, out: &mut [u8]) {
    for (i, b) in out.iter_mut().enumerate() {
        // SAFETY: inside the range.
        *b = unsafe { AtomicU8::from_ptr(p.add(i)) }.load(Relaxed);
    }
}

/// Writes `bytes` at `p`, one relaxed byte store each.
///
/// # Safety
/// `p..p + bytes.len()` valid for writes; concurrent accesses atomic.
pub(crate) unsafe fn write_bytes(p: *mut u8, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        // SAFETY: inside the range.
        unsafe { AtomicU8::from_ptr(p.add(i)) }.store(*b, Relaxed);
    }
}

/// Sets `n` bytes at `p` to `value`, relaxed byte stores.
///
/// # Safety
/// As for [`write_bytes`].
pub(crate) unsafe fn fill_bytes(p: *mut u8, n: usize, value: u8) {
    for i in 0..n {
        // SAFETY: inside the range.
        unsafe { AtomicU8::from_ptr(p.add(i)) }.store(value, Relaxed);
    }
}

/// Copies `n` bytes from `src` to `dst` (which may overlap) as `memmove`
/// would, one relaxed byte at a time.
///
/// # Safety
/// Both ranges valid; concurrent accesses atomic.
pub(crate) unsafe fn move_bytes(src: *mut u8, dst: *mut u8, n: usize) {
    // SAFETY (both loops): inside the ranges.
    let copy = |i: usize| unsafe {
        let b = AtomicU8::from_ptr(src.add(i)).load(Relaxed);
        AtomicU8::from_ptr(dst.add(i)).store(b, Relaxed);
    };
    if (dst as usize) <= (src as usize) {
        (0..n).for_each(copy);
    } else {
        (0..n).rev().for_each(copy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_and_unaligned_accesses_are_little_endian() {
        let mut buf = [0u64; 4];
        let p = buf.as_mut_ptr().cast::<u8>();
        // SAFETY: all offsets below stay inside the 32-byte buffer, which
        // no other thread sees.
        unsafe {
            store_relaxed(p.add(3), 4, 0x1122_3344);
            assert_eq!(load_relaxed(p.add(3), 4), 0x1122_3344);
            assert_eq!(load_relaxed(p.add(3), 1), 0x44);
            store_relaxed(p.add(8), 8, 0x0102_0304_0506_0708);
            assert_eq!(load_relaxed(p.add(9), 2), 0x0607);
            assert_eq!(load_aligned(p.add(8), 4, SeqCst), 0x0506_0708);
        }
    }

    #[test]
    fn rmw_and_cmpxchg_wrap_to_their_width() {
        let mut buf = [0u64; 2];
        let p = buf.as_mut_ptr().cast::<u8>();
        // SAFETY: inside the buffer, aligned to each width used.
        unsafe {
            store_aligned(p, 1, 0xff, SeqCst);
            assert_eq!(rmw(p, 1, RmwOp::Add, 2), 0xff);
            assert_eq!(load_aligned(p, 1, SeqCst), 1, "8-bit add wraps");
            assert_eq!(load_aligned(p.add(1), 1, SeqCst), 0, "no carry out");
            assert_eq!(rmw(p.add(2), 2, RmwOp::Sub, 1), 0);
            assert_eq!(load_aligned(p.add(2), 2, SeqCst), 0xffff);
            assert_eq!(
                cmpxchg(p.add(8), 4, 0x1_0000_0000, 9),
                0,
                "expected wraps to 0"
            );
            assert_eq!(load_aligned(p.add(8), 4, SeqCst), 9);
            assert_eq!(cmpxchg(p.add(8), 4, 8, 1), 9, "no match, no write");
            assert_eq!(rmw(p.add(8), 8, RmwOp::Xchg, u64::MAX), 9);
        }
    }

    #[test]
    fn overlapping_moves_act_like_memmove() {
        let mut buf: Vec<u8> = (0..16).collect();
        let p = buf.as_mut_ptr();
        // SAFETY: both ranges inside the 16-byte buffer.
        unsafe {
            move_bytes(p, p.add(2), 8);
        }
        assert_eq!(&buf[..10], &[0, 1, 0, 1, 2, 3, 4, 5, 6, 7]);
        let p = buf.as_mut_ptr();
        // SAFETY: as above.
        unsafe {
            move_bytes(p.add(2), p, 8);
        }
        assert_eq!(&buf[..8], &[0, 1, 2, 3, 4, 5, 6, 7]);
    }
}
