//! The interpreter's stacks: one value stack of 64-bit slots shared by all
//! frames, and a call stack of frames on the heap (never the Rust stack).

use std::sync::Arc;

use super::code::FuncCode;
use crate::runtime::instance::InstanceInst;

/// A suspended caller, resumed when its callee returns.
pub(crate) struct Frame {
    pub code: Arc<FuncCode>,
    /// Index of the caller's next instruction.
    pub pc: usize,
    /// Value-stack index of the caller's first parameter.
    pub base: usize,
    pub instance: Arc<InstanceInst>,
}

/// Both stacks; owned by the store so their allocations are reused.
#[derive(Default)]
pub(crate) struct Stack {
    pub values: Vec<u64>,
    pub frames: Vec<Frame>,
}
