//! `v128` values on the slot stack (two slots, low half first) and the
//! SIMD instructions, whose lane arithmetic lives in `numeric::v128`.

use super::Executor;
use crate::error::RuntimeError;
use crate::exec::numeric::v128::slots::{pop_v128, push_v128};
use crate::exec::numeric::v128::V128;

impl Executor<'_> {
    #[inline(never)]
    pub(super) fn simd(&mut self, index: u32) {
        let op = self.code.simd[index as usize];
        op.run(&mut self.values);
    }

    /// A SIMD load or store: operands are the address, then (for stores and
    /// lane loads) a vector.
    #[inline(never)]
    pub(super) fn simd_mem(&mut self, index: u32) -> Result<(), RuntimeError> {
        let (op, m) = self.code.simd_mem[index as usize];
        let v = if op.takes_vector() {
            pop_v128(&mut self.values)
        } else {
            V128::default()
        };
        let addr = self.pop();
        let mem = &mut self.store.memories[self.inst.memories[m.mem as usize] as usize];
        let n = op.access_bytes();
        let at = mem.effective(addr, m.offset, n as u64)?;
        // Through a buffer: a shared memory's bytes are never borrowed.
        let mut bytes = [0u8; 16];
        let bytes = &mut bytes[..n];
        if op.is_store() {
            op.store(v, bytes);
            mem.write(at, bytes);
        } else {
            mem.read(at, bytes);
            let r = op.load(bytes, v);
            push_v128(&mut self.values, r);
        }
        Ok(())
    }

    #[inline(never)]
    pub(super) fn select_v128(&mut self) {
        let c = self.pop() as u32;
        let b = pop_v128(&mut self.values);
        if c == 0 {
            let len = self.values.len();
            let (lo, hi) = b.to_u64x2_words();
            self.values[len - 2] = lo;
            self.values[len - 1] = hi;
        }
    }

    #[inline(never)]
    pub(super) fn local_get_v128(&mut self, at: u32) {
        let i = self.base + at as usize;
        let (lo, hi) = (self.values[i], self.values[i + 1]);
        self.values.push(lo);
        self.values.push(hi);
    }

    #[inline(never)]
    pub(super) fn local_set_v128(&mut self, at: u32, keep: bool) {
        let len = self.values.len();
        let (lo, hi) = (self.values[len - 2], self.values[len - 1]);
        if !keep {
            self.values.truncate(len - 2);
        }
        let i = self.base + at as usize;
        self.values[i] = lo;
        self.values[i + 1] = hi;
    }

    #[inline(never)]
    pub(super) fn global_get_v128(&mut self, g: u32) {
        let bits = self.store.globals[self.inst.globals[g as usize] as usize].value;
        push_v128(&mut self.values, V128::from(bits));
    }

    #[inline(never)]
    pub(super) fn global_set_v128(&mut self, g: u32) {
        let v = pop_v128(&mut self.values);
        self.store.globals[self.inst.globals[g as usize] as usize].value = u128::from(v);
    }
}
