//! A translated function body: what the interpreter runs.

use super::instr::{BrTarget, Instr, MemArg};
use super::numeric::v128::{SimdMemOp, SimdOp};

/// The internal form of one function, produced once by the translator.
#[derive(Debug, Default)]
pub(crate) struct FuncCode {
    /// Instructions, with branch targets resolved to indices into this vector.
    pub instrs: Vec<Instr>,
    /// Targets of every `br_table`, referenced by range from [`Instr::BrTable`].
    pub br_targets: Vec<BrTarget>,
    /// SIMD operators, referenced from [`Instr::Simd`] (kept aside so
    /// instructions stay small).
    pub simd: Vec<SimdOp>,
    /// SIMD memory operators, referenced from [`Instr::SimdMem`].
    pub simd_mem: Vec<(SimdMemOp, MemArg)>,
    /// Slots taken by parameters (they are on the stack when the call starts).
    pub param_slots: u32,
    /// Slots of declared locals, zeroed at entry.
    pub local_slots: u32,
    /// Slots of results, copied to the frame base on return.
    pub result_slots: u32,
    /// Highest operand-stack height the body reaches, in slots beyond locals.
    pub max_stack: u32,
}
