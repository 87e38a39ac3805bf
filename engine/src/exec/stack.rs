//! The interpreter's stacks: one value stack of 64-bit slots shared by all
//! frames, and a call stack of frames on the heap (never the Rust stack).

use std::cell::Cell;

use super::code::Op;
use super::code_ref::CodeRef;

/// A suspended caller, resumed when its callee returns.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    /// The caller's code (the store keeps it alive; frames never outlive a call into wasm).
    pub code: CodeRef,
    /// The caller's next op, in `code.ops`: an address rather than an
    /// index, so that neither the call (to make it) nor the return (to
    /// continue there) converts between the two.
    pub resume: *const Op,
    /// Value-stack index of the caller's first parameter.
    pub base: usize,
    /// The caller's instance (store index), restored on return, or
    /// [`Frame::SAME_INSTANCE`] when the callee runs in the caller's own:
    /// the usual call then reads no instance to write its frame, and the
    /// return compares with a constant. A tail call that leaves the
    /// instance replaces the marker with the caller's index first.
    pub instance: u32,
}

impl Frame {
    /// The callee runs in the caller's instance (no store has this many).
    pub(crate) const SAME_INSTANCE: u32 = u32::MAX;

    /// The index of the caller's next instruction (`resume`'s).
    pub(crate) fn pc(&self) -> usize {
        (self.resume.addr() - self.code.ops.as_ptr().addr()) / std::mem::size_of::<Op>()
    }
}

/// Both stacks. A thread keeps a spare pair so calls into wasm reuse its
/// allocations (kept here, not in the store, which is a layer below the
/// interpreter and does not know its frames).
#[derive(Default)]
pub(crate) struct Stack {
    pub values: Vec<u64>,
    pub frames: Vec<Frame>,
}

/// Value slots a spare stack may keep (8 MiB); a larger one is cut to this,
/// so one deep recursion does not hold more for the thread's life.
const SPARE_SLOTS: usize = 1 << 20;

thread_local! {
    static SPARE: Cell<Stack> = const {
        Cell::new(Stack {
            values: Vec::new(),
            frames: Vec::new(),
        })
    };
}

impl Stack {
    /// This thread's spare stacks, or empty ones while a call already uses
    /// them (a host function calling back into wasm).
    pub(crate) fn take_spare() -> Stack {
        SPARE.take()
    }

    /// Gives the stacks back for the next call on this thread. A larger
    /// value stack is cut to `SPARE_SLOTS`, not freed: a script of runaway
    /// recursions (one per assertion) would otherwise fault in and zero
    /// megabytes of fresh pages on every call. The value stack keeps its
    /// length (slots already zeroed once, holding stale values that no
    /// frame reads before writing: every entry zeroes its own locals), so
    /// the next deep call does not zero them again as it grows.
    pub(crate) fn keep_spare(mut self) {
        self.values.truncate(SPARE_SLOTS);
        if self.values.capacity() > SPARE_SLOTS {
            self.values.shrink_to(SPARE_SLOTS);
        }
        self.frames.clear();
        SPARE.set(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spare_stack_is_reused_and_a_large_one_cut_to_the_spare_size() {
        let mut stack = Stack::take_spare();
        stack.values.reserve(100);
        let kept = stack.values.as_ptr();
        stack.keep_spare();
        let again = Stack::take_spare();
        assert_eq!(again.values.as_ptr(), kept);
        // Taken: a nested call gets fresh stacks.
        assert_eq!(Stack::take_spare().values.capacity(), 0);
        again.keep_spare();
        let mut big = Stack::take_spare();
        big.values.resize(2 * SPARE_SLOTS, 7);
        big.keep_spare();
        let kept = Stack::take_spare();
        assert_eq!(kept.values.capacity(), SPARE_SLOTS);
        // Its slots stay initialised: the next call grows into them
        // without zeroing them again.
        assert_eq!(kept.values.len(), SPARE_SLOTS);
        kept.keep_spare();
        let mut small = Stack::take_spare();
        small.values.truncate(100);
        small.keep_spare();
        assert_eq!(Stack::take_spare().values.len(), 100);
    }
}
