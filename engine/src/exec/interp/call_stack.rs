//! The suspended callers while the executor runs, addressed by a top
//! pointer.
//!
//! A `Vec<Frame>` push found its slot as `ptr + len * 32` (a load of the
//! buffer, a copy and a shift of the length, one register each) and wrote
//! the length back; the call handler ran out of scratch registers on it
//! and saved more. Here the usual push compares the top with a limit,
//! writes there and moves the top; a return reads just below it.

use crate::exec::stack::Frame;

/// Frames in the spare capacity of a `Vec<Frame>` (whose length stays 0),
/// from its buffer's start up to `top`.
pub(super) struct CallStack {
    /// The buffer; its length is 0 while the frames are in use.
    frames: Vec<Frame>,
    /// One past the last frame.
    top: *mut Frame,
    /// How far `top` may go without reallocating or passing `max_depth`:
    /// the buffer's start plus `min(capacity, max_depth)`.
    room: *mut Frame,
    /// Frames allowed.
    max_depth: usize,
}

impl CallStack {
    /// A call stack of at most `max_depth` frames, in `frames`' buffer.
    pub(super) fn new(mut frames: Vec<Frame>, max_depth: usize) -> Self {
        frames.clear();
        let mut stack = CallStack {
            frames,
            top: std::ptr::null_mut(),
            room: std::ptr::null_mut(),
            max_depth,
        };
        stack.place(0);
        stack
    }

    /// The buffer, emptied, for reuse by the next call.
    pub(super) fn into_vec(self) -> Vec<Frame> {
        self.frames
    }

    /// Sets `top` to `depth` frames from the buffer's start, and `room`.
    fn place(&mut self, depth: usize) {
        let start = self.frames.as_mut_ptr();
        let room = self.frames.capacity().min(self.max_depth);
        debug_assert!(depth <= room);
        // Both are within the allocation: `depth <= room <= capacity`.
        self.top = start.wrapping_add(depth);
        self.room = start.wrapping_add(room);
    }

    /// Frames on the stack.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        (self.top.addr() - self.frames.as_ptr().addr()) / std::mem::size_of::<Frame>()
    }

    /// Pushes `f` if that needs no reallocation and stays within the
    /// depth limit; `false`, changing nothing, otherwise.
    #[inline(always)]
    pub(super) fn push_fast(&mut self, f: Frame) -> bool {
        if self.top == self.room {
            return false;
        }
        // SAFETY: `top < room <= start + capacity` (`place` and the
        // moves of `top` below keep `start <= top <= room`), so `top` is
        // inside the buffer's allocation; it is a slot of the spare
        // capacity, which nothing else reads or writes (the `Vec`'s
        // length is 0).
        unsafe {
            self.top.write(f);
            self.top = self.top.add(1);
        }
        true
    }

    /// Pushes `f`, growing the buffer if needed; `false`, changing
    /// nothing, at the depth limit.
    pub(super) fn push(&mut self, f: Frame) -> bool {
        let depth = self.len();
        if depth >= self.max_depth {
            return false;
        }
        if self.top == self.room {
            self.grow(depth);
        }
        self.push_fast(f)
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, depth: usize) {
        // `reserve` copies only the `Vec`'s length (0) of elements: the
        // frames in the spare capacity must be carried over by hand.
        let mut bigger = Vec::with_capacity((2 * depth).max(16));
        // SAFETY: the first `depth` slots of the old buffer hold frames
        // (written by `push_fast`), the new buffer has room for at least
        // `2 * depth`, and the two allocations are distinct.
        unsafe {
            std::ptr::copy_nonoverlapping(self.frames.as_ptr(), bigger.as_mut_ptr(), depth);
        }
        self.frames = bigger;
        self.place(depth);
    }

    /// The last frame pushed.
    #[inline(always)]
    pub(super) fn last(&self) -> Option<&Frame> {
        if self.top.cast_const() == self.frames.as_ptr() {
            return None;
        }
        // SAFETY: `start < top`, and every slot below `top` holds a frame
        // written by `push_fast`.
        Some(unsafe { &*self.top.sub(1) })
    }

    /// The last frame pushed, to change.
    pub(super) fn last_mut(&mut self) -> Option<&mut Frame> {
        if self.top.cast_const() == self.frames.as_ptr() {
            return None;
        }
        // SAFETY: as in `last`; `&mut self` makes the access exclusive.
        Some(unsafe { &mut *self.top.sub(1) })
    }

    /// Removes the last frame.
    #[inline(always)]
    pub(super) fn pop(&mut self) -> Option<Frame> {
        let f = *self.last()?;
        // SAFETY: `last` found a frame below `top`, so `top - 1` is still
        // at or above the buffer's start.
        self.top = unsafe { self.top.sub(1) };
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::code::FuncCode;
    use crate::exec::code_ref::CodeRef;
    use crate::runtime::store::FuncBody;
    use std::sync::Arc;

    fn frame(code: CodeRef, base: usize) -> Frame {
        Frame {
            code,
            resume: std::ptr::null(),
            base,
            instance: 0,
        }
    }

    /// Frames come back in reverse order across reallocations of the
    /// buffer (which start from a spare buffer's capacity), the fast push
    /// refuses when the buffer is full, and the depth limit holds.
    #[test]
    fn frames_survive_growth_and_the_depth_limit_holds() {
        let body = FuncBody::new(Arc::new(FuncCode::default()));
        // SAFETY: `body` holds a `FuncCode` and outlives the handle.
        let code = unsafe { CodeRef::new(&body) };
        let mut spare = Vec::with_capacity(3);
        spare.push(frame(code, 99));
        let mut stack = CallStack::new(spare, 100);
        assert_eq!(stack.len(), 0);
        assert!(stack.last().is_none() && stack.pop().is_none());
        for base in 0..3 {
            assert!(stack.push_fast(frame(code, base)));
        }
        assert!(!stack.push_fast(frame(code, 3)), "the buffer is full");
        for base in 3..100 {
            assert!(stack.push(frame(code, base)));
        }
        assert_eq!(stack.len(), 100);
        assert!(!stack.push(frame(code, 100)), "past the depth limit");
        assert!(!stack.push_fast(frame(code, 100)), "past the depth limit");
        stack.last_mut().unwrap().base = 1000;
        assert_eq!(stack.pop().unwrap().base, 1000);
        for base in (0..99).rev() {
            assert_eq!(stack.last().unwrap().base, base);
            assert_eq!(stack.pop().unwrap().base, base);
        }
        assert!(stack.pop().is_none());
        let buffer = stack.into_vec();
        assert!(buffer.is_empty() && buffer.capacity() >= 100);
    }
}
