//! Atomic memory instructions: operands off the stack, semantics in
//! `runtime::memory` (really atomic and sequentially consistent, so shared
//! memories behave across threads; `wait` blocks, `notify` wakes).

use super::Executor;
use crate::error::RuntimeError;
use crate::exec::atomic_op::AtomicKind;

impl Executor<'_> {
    #[inline(never)]
    pub(super) fn atomic(&mut self, index: u32) -> Result<(), RuntimeError> {
        let op = self.code.atomics[index as usize];
        let n = op.width as usize;
        // Operands above the address, in push order.
        let (a, b) = match op.kind {
            AtomicKind::Fence => {
                // Orders this thread's plain accesses around it too.
                std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
                return Ok(());
            }
            AtomicKind::Load => (0, 0),
            AtomicKind::Store | AtomicKind::Rmw(_) | AtomicKind::Notify => (self.pop(), 0),
            AtomicKind::Cmpxchg | AtomicKind::Wait => {
                let b = self.pop();
                (self.pop(), b)
            }
        };
        let addr = self.pop();
        let index = self.inst.memories[op.mem as usize] as usize;
        let mem = &mut self.store.memories[index];
        let at = mem.atomic_at(addr, op.offset, n)?;
        let result = match op.kind {
            AtomicKind::Load => Some(mem.atomic_load(at, n)),
            AtomicKind::Store => {
                mem.atomic_store(at, n, a);
                None
            }
            AtomicKind::Rmw(rmw) => Some(mem.atomic_rmw(at, n, rmw, a)),
            AtomicKind::Cmpxchg => Some(mem.atomic_cmpxchg(at, n, a, b)),
            AtomicKind::Wait => {
                let interrupt = self.store.config.interrupt.clone();
                let mem = &self.store.memories[index];
                Some(mem.wait(at, n, a, b as i64, &interrupt)? as u64)
            }
            AtomicKind::Notify => Some(mem.notify(at, a as u32) as u64),
            AtomicKind::Fence => None,
        };
        if let Some(r) = result {
            self.push(r);
        }
        Ok(())
    }
}
