//! A translated function body: what the interpreter runs.

use super::atomic::AtomicOp;
use super::instr::{Instr, MemArg};
use super::numeric::v128::{SimdMemOp, SimdOp};

/// What a catch clause catches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CatchKind {
    /// Exceptions of the instance's tag `tag`; with `with_ref` the exnref is pushed too.
    Tag { tag: u32, with_ref: bool },
    /// Every exception.
    All { with_ref: bool },
}

/// One catch clause: where it jumps, and the operand height (above the
/// locals) the stack is cut back to before the payload is pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CatchClause {
    pub kind: CatchKind,
    pub pc: u32,
    pub height: u32,
    /// Legacy `catch`: the local slot the exception is saved in for `rethrow`.
    pub save_to: Option<u32>,
}

/// A `try_table`: the instructions it covers and its clauses, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Handler {
    pub start: u32,
    pub end: u32,
    pub catches: Vec<CatchClause>,
    /// Legacy `delegate`: instead of catching, search again as if thrown at
    /// `pc` among handlers with index below `limit`; `None` target means
    /// "in the caller".
    pub delegate: Option<Option<(u32, usize)>>,
}

/// The internal form of one function, produced once by the translator.
#[derive(Debug, Default)]
pub(crate) struct FuncCode {
    /// Instructions, with branch targets resolved to indices into this vector.
    pub instrs: Vec<Instr>,
    /// Targets (instruction indices) of every `br_table`, referenced by
    /// range from [`Instr::BrTable`].
    pub br_targets: Vec<u32>,
    /// SIMD operators, referenced from [`Instr::Simd`] (kept aside so
    /// instructions stay small).
    pub simd: Vec<SimdOp>,
    /// SIMD memory operators, referenced from [`Instr::SimdMem`].
    pub simd_mem: Vec<(SimdMemOp, MemArg)>,
    /// Exception handlers, in the order their `try_table`s open (so an
    /// inner handler comes after its outer one).
    pub handlers: Vec<Handler>,
    /// Atomic memory instructions, referenced from [`Instr::Atomic`].
    pub atomics: Vec<AtomicOp>,
    /// GC operators, referenced from [`Instr::Gc`].
    pub gc: Vec<super::gc_op::GcOp>,
    /// Slots taken by parameters (they are on the stack when the call starts).
    pub param_slots: u32,
    /// Slots of declared locals (and hidden ones for legacy `try`), zeroed at entry.
    pub local_slots: u32,
    /// Slots of results, copied to the frame base on return.
    pub result_slots: u32,
    /// Highest operand-stack height the body reaches, in slots beyond locals.
    pub max_stack: u32,
}

impl FuncCode {
    /// Slots of the whole frame: parameters, locals, then operand slots.
    pub(crate) fn frame_slots(&self) -> usize {
        (self.param_slots + self.local_slots + self.max_stack) as usize
    }
}
