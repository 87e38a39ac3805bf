//! Atomic memory instructions (threads proposal): their decoding into one
//! side-table entry each. What they do is `runtime::memory`'s.

use wasmparser::{MemArg, Operator};

pub(crate) use crate::runtime::memory::shared_access::RmwOp;

/// What an atomic instruction does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AtomicKind {
    /// `[addr] -> [value]`.
    Load,
    /// `[addr value] -> []`.
    Store,
    /// `[addr operand] -> [old]`.
    Rmw(RmwOp),
    /// `[addr expected replacement] -> [old]`.
    Cmpxchg,
    /// `[addr expected timeout] -> [i32]`.
    Wait,
    /// `[addr count] -> [i32]`.
    Notify,
    /// `atomic.fence`: `[] -> []` (no memory operand).
    Fence,
}

impl AtomicKind {
    /// Slots popped and pushed.
    pub(crate) fn slots(self) -> (u32, u32) {
        match self {
            AtomicKind::Load => (1, 1),
            AtomicKind::Store => (2, 0),
            AtomicKind::Rmw(_) | AtomicKind::Notify => (2, 1),
            AtomicKind::Cmpxchg | AtomicKind::Wait => (3, 1),
            AtomicKind::Fence => (0, 0),
        }
    }
}

/// One atomic instruction: kind, access width in bytes, memory immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AtomicOp {
    pub kind: AtomicKind,
    pub width: u8,
    pub mem: u32,
    pub offset: u64,
}

/// The atomic memory access `op` is, if it is one (`atomic.fence` has no
/// memory operand and is built by the translator itself).
pub(crate) fn atomic_op(op: &Operator<'_>) -> Option<(AtomicKind, u8, MemArg)> {
    Some(match op {
        Operator::MemoryAtomicNotify { memarg } => (AtomicKind::Notify, 4, *memarg),
        Operator::MemoryAtomicWait32 { memarg } => (AtomicKind::Wait, 4, *memarg),
        Operator::MemoryAtomicWait64 { memarg } => (AtomicKind::Wait, 8, *memarg),
        Operator::I32AtomicLoad { memarg } => (AtomicKind::Load, 4, *memarg),
        Operator::I64AtomicLoad { memarg } => (AtomicKind::Load, 8, *memarg),
        Operator::I32AtomicLoad8U { memarg } => (AtomicKind::Load, 1, *memarg),
        Operator::I32AtomicLoad16U { memarg } => (AtomicKind::Load, 2, *memarg),
        Operator::I64AtomicLoad8U { memarg } => (AtomicKind::Load, 1, *memarg),
        Operator::I64AtomicLoad16U { memarg } => (AtomicKind::Load, 2, *memarg),
        Operator::I64AtomicLoad32U { memarg } => (AtomicKind::Load, 4, *memarg),
        Operator::I32AtomicStore { memarg } => (AtomicKind::Store, 4, *memarg),
        Operator::I64AtomicStore { memarg } => (AtomicKind::Store, 8, *memarg),
        Operator::I32AtomicStore8 { memarg } => (AtomicKind::Store, 1, *memarg),
        Operator::I32AtomicStore16 { memarg } => (AtomicKind::Store, 2, *memarg),
        Operator::I64AtomicStore8 { memarg } => (AtomicKind::Store, 1, *memarg),
        Operator::I64AtomicStore16 { memarg } => (AtomicKind::Store, 2, *memarg),
        Operator::I64AtomicStore32 { memarg } => (AtomicKind::Store, 4, *memarg),
        Operator::I32AtomicRmwAdd { memarg } => (AtomicKind::Rmw(RmwOp::Add), 4, *memarg),
        Operator::I64AtomicRmwAdd { memarg } => (AtomicKind::Rmw(RmwOp::Add), 8, *memarg),
        Operator::I32AtomicRmw8AddU { memarg } => (AtomicKind::Rmw(RmwOp::Add), 1, *memarg),
        Operator::I32AtomicRmw16AddU { memarg } => (AtomicKind::Rmw(RmwOp::Add), 2, *memarg),
        Operator::I64AtomicRmw8AddU { memarg } => (AtomicKind::Rmw(RmwOp::Add), 1, *memarg),
        Operator::I64AtomicRmw16AddU { memarg } => (AtomicKind::Rmw(RmwOp::Add), 2, *memarg),
        Operator::I64AtomicRmw32AddU { memarg } => (AtomicKind::Rmw(RmwOp::Add), 4, *memarg),
        Operator::I32AtomicRmwSub { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 4, *memarg),
        Operator::I64AtomicRmwSub { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 8, *memarg),
        Operator::I32AtomicRmw8SubU { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 1, *memarg),
        Operator::I32AtomicRmw16SubU { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 2, *memarg),
        Operator::I64AtomicRmw8SubU { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 1, *memarg),
        Operator::I64AtomicRmw16SubU { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 2, *memarg),
        Operator::I64AtomicRmw32SubU { memarg } => (AtomicKind::Rmw(RmwOp::Sub), 4, *memarg),
        Operator::I32AtomicRmwAnd { memarg } => (AtomicKind::Rmw(RmwOp::And), 4, *memarg),
        Operator::I64AtomicRmwAnd { memarg } => (AtomicKind::Rmw(RmwOp::And), 8, *memarg),
        Operator::I32AtomicRmw8AndU { memarg } => (AtomicKind::Rmw(RmwOp::And), 1, *memarg),
        Operator::I32AtomicRmw16AndU { memarg } => (AtomicKind::Rmw(RmwOp::And), 2, *memarg),
        Operator::I64AtomicRmw8AndU { memarg } => (AtomicKind::Rmw(RmwOp::And), 1, *memarg),
        Operator::I64AtomicRmw16AndU { memarg } => (AtomicKind::Rmw(RmwOp::And), 2, *memarg),
        Operator::I64AtomicRmw32AndU { memarg } => (AtomicKind::Rmw(RmwOp::And), 4, *memarg),
        Operator::I32AtomicRmwOr { memarg } => (AtomicKind::Rmw(RmwOp::Or), 4, *memarg),
        Operator::I64AtomicRmwOr { memarg } => (AtomicKind::Rmw(RmwOp::Or), 8, *memarg),
        Operator::I32AtomicRmw8OrU { memarg } => (AtomicKind::Rmw(RmwOp::Or), 1, *memarg),
        Operator::I32AtomicRmw16OrU { memarg } => (AtomicKind::Rmw(RmwOp::Or), 2, *memarg),
        Operator::I64AtomicRmw8OrU { memarg } => (AtomicKind::Rmw(RmwOp::Or), 1, *memarg),
        Operator::I64AtomicRmw16OrU { memarg } => (AtomicKind::Rmw(RmwOp::Or), 2, *memarg),
        Operator::I64AtomicRmw32OrU { memarg } => (AtomicKind::Rmw(RmwOp::Or), 4, *memarg),
        Operator::I32AtomicRmwXor { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 4, *memarg),
        Operator::I64AtomicRmwXor { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 8, *memarg),
        Operator::I32AtomicRmw8XorU { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 1, *memarg),
        Operator::I32AtomicRmw16XorU { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 2, *memarg),
        Operator::I64AtomicRmw8XorU { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 1, *memarg),
        Operator::I64AtomicRmw16XorU { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 2, *memarg),
        Operator::I64AtomicRmw32XorU { memarg } => (AtomicKind::Rmw(RmwOp::Xor), 4, *memarg),
        Operator::I32AtomicRmwXchg { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 4, *memarg),
        Operator::I64AtomicRmwXchg { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 8, *memarg),
        Operator::I32AtomicRmw8XchgU { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 1, *memarg),
        Operator::I32AtomicRmw16XchgU { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 2, *memarg),
        Operator::I64AtomicRmw8XchgU { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 1, *memarg),
        Operator::I64AtomicRmw16XchgU { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 2, *memarg),
        Operator::I64AtomicRmw32XchgU { memarg } => (AtomicKind::Rmw(RmwOp::Xchg), 4, *memarg),
        Operator::I32AtomicRmwCmpxchg { memarg } => (AtomicKind::Cmpxchg, 4, *memarg),
        Operator::I64AtomicRmwCmpxchg { memarg } => (AtomicKind::Cmpxchg, 8, *memarg),
        Operator::I32AtomicRmw8CmpxchgU { memarg } => (AtomicKind::Cmpxchg, 1, *memarg),
        Operator::I32AtomicRmw16CmpxchgU { memarg } => (AtomicKind::Cmpxchg, 2, *memarg),
        Operator::I64AtomicRmw8CmpxchgU { memarg } => (AtomicKind::Cmpxchg, 1, *memarg),
        Operator::I64AtomicRmw16CmpxchgU { memarg } => (AtomicKind::Cmpxchg, 2, *memarg),
        Operator::I64AtomicRmw32CmpxchgU { memarg } => (AtomicKind::Cmpxchg, 4, *memarg),
        _ => return None,
    })
}
