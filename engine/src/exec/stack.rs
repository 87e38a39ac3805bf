//! The interpreter's stacks: one value stack of 64-bit slots shared by all
//! frames, and a call stack of frames on the heap (never the Rust stack).

/// A suspended caller, resumed when its callee returns.
pub(crate) struct Frame {
    /// Store address of the caller's function (its code is found there, so
    /// a call touches no reference count).
    pub func: u32,
    /// Index of the caller's next instruction.
    pub pc: usize,
    /// Value-stack index of the caller's first parameter.
    pub base: usize,
    /// The caller's instance (store index); restored on return when the
    /// callee ran in another one.
    pub instance: u32,
}

/// Both stacks; owned by the store so their allocations are reused.
#[derive(Default)]
pub(crate) struct Stack {
    pub values: Values,
    pub frames: Vec<Frame>,
}

/// The value stack: a buffer of slots kept at least as long as the running
/// function can need (checked once per function entry, see [`Values::reserve`]),
/// and the height `len`. Slots at and above `len` hold stale values; the
/// interpreter's hot loop indexes the buffer directly with the height in a
/// local, so pushes there need no capacity check and no write-back.
///
/// Derefs to the live slots `buf[..len]`; `push`/`pop`/`truncate` mirror `Vec`.
#[derive(Default)]
pub(crate) struct Values {
    pub buf: Vec<u64>,
    pub len: usize,
}

impl Values {
    /// Makes the buffer at least `top` slots long (grown geometrically).
    #[inline(always)]
    pub fn reserve(&mut self, top: usize) {
        if self.buf.len() < top {
            self.grow(top);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, top: usize) {
        let n = top.max(self.buf.len() * 2).max(64);
        self.buf.resize(n, 0);
    }

    #[inline(always)]
    pub fn push(&mut self, x: u64) {
        if self.len == self.buf.len() {
            self.grow(self.len + 1);
        }
        self.buf[self.len] = x;
        self.len += 1;
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Option<u64> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        Some(self.buf[self.len])
    }

    #[inline(always)]
    pub fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    pub fn extend_from_slice(&mut self, xs: &[u64]) {
        let end = self.len + xs.len();
        self.reserve(end);
        self.buf[self.len..end].copy_from_slice(xs);
        self.len = end;
    }

    /// Sets the height to `n`, filling new slots with `x`.
    pub fn resize(&mut self, n: usize, x: u64) {
        if n > self.len {
            self.reserve(n);
            self.buf[self.len..n].fill(x);
        }
        self.len = n;
    }

    /// Removes and returns the slots from `at` up.
    pub fn split_off(&mut self, at: usize) -> Vec<u64> {
        let out = self.buf[at..self.len].to_vec();
        self.len = at;
        out
    }
}

impl std::ops::Deref for Values {
    type Target = [u64];
    #[inline(always)]
    fn deref(&self) -> &[u64] {
        &self.buf[..self.len]
    }
}

impl std::ops::DerefMut for Values {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [u64] {
        &mut self.buf[..self.len]
    }
}

impl crate::exec::numeric::v128::slots::SlotStack for Values {
    #[inline(always)]
    fn push(&mut self, x: u64) {
        Values::push(self, x)
    }
    #[inline(always)]
    fn pop(&mut self) -> Option<u64> {
        Values::pop(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Values;

    #[test]
    fn values_behave_like_a_vec_of_the_live_slots() {
        let mut v = Values::default();
        v.extend_from_slice(&[1, 2, 3]);
        v.push(4);
        assert_eq!(&*v, &[1, 2, 3, 4]);
        assert_eq!(v.pop(), Some(4));
        v.truncate(1);
        assert_eq!(&*v, &[1]);
        v.resize(3, 9);
        assert_eq!(&*v, &[1, 9, 9]);
        assert_eq!(v.split_off(1), vec![9, 9]);
        assert_eq!(&*v, &[1]);
        v.reserve(1000);
        assert!(v.buf.len() >= 1000);
        assert_eq!(&*v, &[1]);
        v.clear();
        assert_eq!(v.pop(), None);
    }
}
