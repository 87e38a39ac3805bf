//! Atomic memory instructions on a single thread: aligned plain accesses.

use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::exec::atomic::AtomicKind;

impl Executor<'_> {
    #[inline(never)]
    pub(super) fn atomic(&mut self, index: u32) -> Result<(), RuntimeError> {
        let op = self.code.atomics[index as usize];
        let n = op.width as usize;
        let mask = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        // Operands above the address, in push order.
        let (a, b) = match op.kind {
            AtomicKind::Load => (0, 0),
            AtomicKind::Store | AtomicKind::Rmw(_) | AtomicKind::Notify => (self.pop(), 0),
            AtomicKind::Cmpxchg | AtomicKind::Wait => {
                let b = self.pop();
                (self.pop(), b)
            }
        };
        let addr = self.pop();
        let mem = &mut self.store.memories[self.inst.memories[op.mem as usize] as usize];
        let ea = addr
            .checked_add(op.offset)
            .ok_or(RuntimeError::new(TrapKind::MemoryOutOfBounds))?;
        if ea % n as u64 != 0 {
            return Err(RuntimeError::new(TrapKind::UnalignedAtomic));
        }
        let at = mem.range(ea, n as u64)?;
        let mut bytes = [0u8; 8];
        bytes[..n].copy_from_slice(&mem.data[at..at + n]);
        let old = u64::from_le_bytes(bytes);
        let write = |mem: &mut crate::runtime::memory::MemoryInst, v: u64| {
            mem.data[at..at + n].copy_from_slice(&v.to_le_bytes()[..n]);
        };
        let result = match op.kind {
            AtomicKind::Load => Some(old),
            AtomicKind::Store => {
                write(mem, a);
                None
            }
            AtomicKind::Rmw(rmw) => {
                write(mem, rmw.apply(old, a) & mask);
                Some(old)
            }
            AtomicKind::Cmpxchg => {
                if old == a & mask {
                    write(mem, b);
                }
                Some(old)
            }
            AtomicKind::Wait => {
                if !mem.ty.shared {
                    return Err(RuntimeError::new(TrapKind::ExpectedSharedMemory));
                }
                // No other thread can wake us: equal values can only time out.
                Some(if old != a & mask { 1 } else { 2 })
            }
            // Nobody waits, so nobody is woken.
            AtomicKind::Notify => Some(0),
        };
        if let Some(r) = result {
            self.push(r);
        }
        Ok(())
    }
}
