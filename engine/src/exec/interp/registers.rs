//! The running frame's slots, read and written without bounds checks.
//!
//! Register instructions touch two or three slots each; checking every
//! index against the value stack's length (and reloading that length after
//! every store) was measured as a large share of the dispatch loop. The
//! bounds are instead established once: the translator proves every slot an
//! instruction names lies inside its frame ([`FuncCode::check_slots`]), and
//! the executor keeps the value stack at least a frame long in register mode.
//!
//! [`FuncCode::check_slots`]: crate::exec::code::FuncCode::check_slots

use std::ptr::NonNull;

use crate::ir::Reg;

/// The slots of the running frame.
#[derive(Clone, Copy)]
pub(super) struct Registers(NonNull<u64>);

impl Registers {
    /// # Safety
    /// Until the next change to `values`' allocation (a push past its
    /// capacity, a `reserve`, a resize upward, dropping it), the handle may
    /// only be used for slots below `frame_slots` of a function whose code
    /// passed [`FuncCode::check_slots`](crate::exec::code::FuncCode::check_slots),
    /// and `values.len()` must be at least `base + frame_slots`.
    #[inline(always)]
    pub(super) unsafe fn new(values: &mut Vec<u64>, base: usize) -> Self {
        debug_assert!(base <= values.len());
        // SAFETY: `base` is within the allocation (checked above in debug
        // builds, guaranteed by the caller's contract).
        Registers(unsafe { NonNull::new_unchecked(values.as_mut_ptr().add(base)) })
    }

    #[inline(always)]
    pub(super) fn get(self, r: Reg) -> u64 {
        // SAFETY: `new`'s contract: slot `r` of this frame is inside the
        // value stack's initialized length and its allocation is unchanged.
        unsafe { *self.0.as_ptr().add(r as usize) }
    }

    #[inline(always)]
    pub(super) fn set(self, r: Reg, x: u64) {
        // SAFETY: as for `get`.
        unsafe { *self.0.as_ptr().add(r as usize) = x }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_address_slots_from_the_frame_base() {
        let mut values = vec![10, 20, 30, 40];
        // SAFETY: a frame of 2 slots at base 2 fits in `values`, which is
        // not touched while `regs` is used.
        let regs = unsafe { Registers::new(&mut values, 2) };
        assert_eq!(regs.get(0), 30);
        regs.set(1, regs.get(0) + 1);
        assert_eq!(values, vec![10, 20, 30, 31]);
    }
}
