//! The translator's control stack.

/// What kind of construct a control frame is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CtrlKind {
    /// The function body itself; its label is the function's results.
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// A branch site waiting for its forward target.
#[derive(Clone, Copy, Debug)]
pub(super) enum Patch {
    /// A `Br`/`BrIf` at this instruction index.
    Instr(usize),
    /// An entry of `br_targets`.
    Table(usize),
}

/// One open block.
#[derive(Debug)]
pub(super) struct Ctrl {
    pub kind: CtrlKind,
    /// Operand height below the block's parameters.
    pub height: u32,
    pub params: u32,
    pub results: u32,
    /// For loops: the index of the loop header, the backward branch target.
    pub loop_pc: u32,
    /// Forward branches to patch with the index after `end`.
    pub patches: Vec<Patch>,
    /// For `if`: the `BrUnless` to point at the else-branch or the end.
    pub else_patch: Option<usize>,
    /// The rest of the block is dead code.
    pub unreachable: bool,
}

impl Ctrl {
    pub fn new(kind: CtrlKind, height: u32, params: u32, results: u32) -> Self {
        Ctrl {
            kind,
            height,
            params,
            results,
            loop_pc: 0,
            patches: Vec::new(),
            else_patch: None,
            unreachable: false,
        }
    }

    /// Slots a branch to this block carries: a loop's parameters, otherwise its results.
    pub fn label_slots(&self) -> u32 {
        if self.kind == CtrlKind::Loop {
            self.params
        } else {
            self.results
        }
    }
}
