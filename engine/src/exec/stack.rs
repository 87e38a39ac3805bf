//! The interpreter's stacks: one value stack of 64-bit slots shared by all
//! frames, and a call stack of frames on the heap (never the Rust stack).

use super::interp::CodeRef;

/// A suspended caller, resumed when its callee returns.
pub(crate) struct Frame {
    /// The caller's code (the store keeps it alive; frames never outlive a call into wasm).
    pub code: CodeRef,
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
    pub values: Vec<u64>,
    pub frames: Vec<Frame>,
}
