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
    /// Legacy exceptions: the body of a `try`.
    Try,
    /// Legacy exceptions: a `catch`/`catch_all` body; its label is the try's.
    Catch,
}

/// A branch site waiting for its forward target.
#[derive(Clone, Copy, Debug)]
pub(super) enum Patch {
    /// A `Br`/`BrIf` at this instruction index.
    Instr(usize),
    /// An entry of `br_targets`.
    Table(usize),
    /// Catch clause `.1` of handler `.0`.
    Catch(usize, usize),
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
    /// For `try_table` and legacy `try`: its handler, whose range ends at
    /// the block's end (or, for `try`, at the first `catch`).
    pub handler: Option<usize>,
    /// Index of the block's first instruction (where a `delegate` to it resumes the search).
    pub start_pc: u32,
    /// Handlers opened before this block: the ones that can enclose it.
    pub handlers_before: usize,
    /// Legacy `try`: the hidden local holding the caught exception, for `rethrow`.
    pub exn_local: Option<u32>,
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
            handler: None,
            start_pc: 0,
            handlers_before: 0,
            exn_local: None,
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
