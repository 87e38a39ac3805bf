//! The translator's control stack and the control operators: blocks,
//! branches (with the label values they carry) and returns.

use wasmparser::{BlockType, Operator};

use super::operands::Operand;
use super::Translator;
use crate::error::CompileError;
use crate::ir::{Cmp, Instr, Reg};

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
    /// A jump or conditional branch at this instruction index.
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

/// The test of a conditional branch, on frame slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cond {
    /// The slot is non-zero (an `i32` or `i64` that is not 0, a non-null reference).
    NonZero(Reg),
    Zero(Reg),
    Cmp32(Cmp, Reg, Reg),
    Cmp32Imm(Cmp, Reg, u32),
    Cmp64(Cmp, Reg, Reg),
    Cmp64Imm(Cmp, Reg, i32),
    CmpF64 {
        cmp: Cmp,
        negate: bool,
        a: Reg,
        b: Reg,
    },
    /// `imm` holds the constant's bits.
    CmpF64Imm {
        cmp: Cmp,
        negate: bool,
        a: Reg,
        imm: u64,
    },
}

impl Cond {
    /// The test that passes exactly when this one fails.
    pub fn negate(self) -> Cond {
        match self {
            Cond::NonZero(c) => Cond::Zero(c),
            Cond::Zero(c) => Cond::NonZero(c),
            Cond::Cmp32(cmp, a, b) => Cond::Cmp32(cmp.negate(), a, b),
            Cond::Cmp32Imm(cmp, a, imm) => Cond::Cmp32Imm(cmp.negate(), a, imm),
            Cond::Cmp64(cmp, a, b) => Cond::Cmp64(cmp.negate(), a, b),
            Cond::Cmp64Imm(cmp, a, imm) => Cond::Cmp64Imm(cmp.negate(), a, imm),
            Cond::CmpF64 { cmp, negate, a, b } => Cond::CmpF64 {
                cmp,
                negate: !negate,
                a,
                b,
            },
            Cond::CmpF64Imm {
                cmp,
                negate,
                a,
                imm,
            } => Cond::CmpF64Imm {
                cmp,
                negate: !negate,
                a,
                imm,
            },
        }
    }

    /// The branch instruction jumping to `pc` when the test passes.
    pub fn branch(self, pc: u32) -> Instr {
        match self {
            Cond::NonZero(c) => Instr::BrIf { c, pc },
            Cond::Zero(c) => Instr::BrUnless { c, pc },
            Cond::Cmp32(cmp, a, b) => Instr::BrCmp32 { cmp, a, b, pc },
            Cond::Cmp32Imm(cmp, a, imm) => Instr::BrCmp32Imm { cmp, a, imm, pc },
            Cond::Cmp64(cmp, a, b) => Instr::BrCmp64 { cmp, a, b, pc },
            Cond::Cmp64Imm(cmp, a, imm) => Instr::BrCmp64Imm { cmp, a, imm, pc },
            Cond::CmpF64 { cmp, negate, a, b } => Instr::BrCmpF64 {
                cmp,
                negate,
                a,
                b,
                pc,
            },
            Cond::CmpF64Imm {
                cmp,
                negate,
                a,
                imm,
            } => Instr::BrCmpF64Imm {
                cmp,
                negate,
                a,
                imm,
                pc,
            },
        }
    }

    /// The test a comparison instruction computes, when one can be fused
    /// into a branch.
    pub fn of(instr: &Instr) -> Option<Cond> {
        use Instr as I;
        let c32 = |cmp, x: &crate::ir::Bin| Some(Cond::Cmp32(cmp, x.a, x.b));
        let c32i = |cmp, x: &crate::ir::BinImm32| Some(Cond::Cmp32Imm(cmp, x.a, x.imm));
        let c64 = |cmp, x: &crate::ir::Bin| Some(Cond::Cmp64(cmp, x.a, x.b));
        let c64i = |cmp, x: &crate::ir::BinImm64| {
            let imm = i32::try_from(x.imm as i64).ok()?;
            Some(Cond::Cmp64Imm(cmp, x.a, imm))
        };
        let f64c = |cmp, x: &crate::ir::Bin| {
            Some(Cond::CmpF64 {
                cmp,
                negate: false,
                a: x.a,
                b: x.b,
            })
        };
        let f64i = |cmp, x: &crate::ir::BinImm64| {
            Some(Cond::CmpF64Imm {
                cmp,
                negate: false,
                a: x.a,
                imm: x.imm,
            })
        };
        match instr {
            I::I32Eqz(x) | I::I64Eqz(x) => Some(Cond::Zero(x.a)),
            I::I32Eq(x) => c32(Cmp::Eq, x),
            I::I32Ne(x) => c32(Cmp::Ne, x),
            I::I32LtS(x) => c32(Cmp::LtS, x),
            I::I32LtU(x) => c32(Cmp::LtU, x),
            I::I32GtS(x) => c32(Cmp::GtS, x),
            I::I32GtU(x) => c32(Cmp::GtU, x),
            I::I32LeS(x) => c32(Cmp::LeS, x),
            I::I32LeU(x) => c32(Cmp::LeU, x),
            I::I32GeS(x) => c32(Cmp::GeS, x),
            I::I32GeU(x) => c32(Cmp::GeU, x),
            I::I32EqImm(x) => c32i(Cmp::Eq, x),
            I::I32NeImm(x) => c32i(Cmp::Ne, x),
            I::I32LtSImm(x) => c32i(Cmp::LtS, x),
            I::I32LtUImm(x) => c32i(Cmp::LtU, x),
            I::I32GtSImm(x) => c32i(Cmp::GtS, x),
            I::I32GtUImm(x) => c32i(Cmp::GtU, x),
            I::I32LeSImm(x) => c32i(Cmp::LeS, x),
            I::I32LeUImm(x) => c32i(Cmp::LeU, x),
            I::I32GeSImm(x) => c32i(Cmp::GeS, x),
            I::I32GeUImm(x) => c32i(Cmp::GeU, x),
            I::I64Eq(x) => c64(Cmp::Eq, x),
            I::I64Ne(x) => c64(Cmp::Ne, x),
            I::I64LtS(x) => c64(Cmp::LtS, x),
            I::I64LtU(x) => c64(Cmp::LtU, x),
            I::I64GtS(x) => c64(Cmp::GtS, x),
            I::I64GtU(x) => c64(Cmp::GtU, x),
            I::I64LeS(x) => c64(Cmp::LeS, x),
            I::I64LeU(x) => c64(Cmp::LeU, x),
            I::I64GeS(x) => c64(Cmp::GeS, x),
            I::I64GeU(x) => c64(Cmp::GeU, x),
            I::I64EqImm(x) => c64i(Cmp::Eq, x),
            I::I64NeImm(x) => c64i(Cmp::Ne, x),
            I::I64LtSImm(x) => c64i(Cmp::LtS, x),
            I::I64LtUImm(x) => c64i(Cmp::LtU, x),
            I::I64GtSImm(x) => c64i(Cmp::GtS, x),
            I::I64GtUImm(x) => c64i(Cmp::GtU, x),
            I::I64LeSImm(x) => c64i(Cmp::LeS, x),
            I::I64LeUImm(x) => c64i(Cmp::LeU, x),
            I::I64GeSImm(x) => c64i(Cmp::GeS, x),
            I::I64GeUImm(x) => c64i(Cmp::GeU, x),
            I::F64Eq(x) => f64c(Cmp::Eq, x),
            I::F64Ne(x) => f64c(Cmp::Ne, x),
            I::F64Lt(x) => f64c(Cmp::LtS, x),
            I::F64Gt(x) => f64c(Cmp::GtS, x),
            I::F64Le(x) => f64c(Cmp::LeS, x),
            I::F64Ge(x) => f64c(Cmp::GeS, x),
            I::F64EqImm(x) => f64i(Cmp::Eq, x),
            I::F64NeImm(x) => f64i(Cmp::Ne, x),
            I::F64LtImm(x) => f64i(Cmp::LtS, x),
            I::F64GtImm(x) => f64i(Cmp::GtS, x),
            I::F64LeImm(x) => f64i(Cmp::LeS, x),
            I::F64GeImm(x) => f64i(Cmp::GeS, x),
            _ => None,
        }
    }
}

impl Translator<'_> {
    /// Translates a control operator; `false` when `op` is not one.
    pub(super) fn control(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        match *op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.emit_reg(Instr::Unreachable);
                self.set_unreachable();
            }
            Operator::Block { blockty } => self.open(CtrlKind::Block, blockty)?,
            Operator::Loop { blockty } => {
                self.open(CtrlKind::Loop, blockty)?;
                let pc = self.label();
                self.top_ctrl().loop_pc = pc;
            }
            Operator::If { blockty } => {
                let cond = self.pop_cond();
                self.materialize_all();
                let at = self.emit_reg(cond.negate().branch(0));
                self.open(CtrlKind::If, blockty)?;
                self.top_ctrl().else_patch = Some(at);
            }
            Operator::Else => self.else_()?,
            Operator::End => self.end(),
            Operator::Br { relative_depth } => self.br(relative_depth),
            Operator::BrIf { relative_depth } => {
                let cond = self.pop_cond();
                self.br_if(cond, relative_depth);
            }
            Operator::BrTable { ref targets } => {
                let depths: Vec<u32> = targets
                    .targets()
                    .chain(std::iter::once(Ok(targets.default())))
                    .collect::<Result<_, _>>()
                    .map_err(crate::binary::malformed)?;
                self.br_table(&depths);
            }
            Operator::Return => self.return_(),
            Operator::Throw { tag_index } => self.throw(tag_index)?,
            Operator::ThrowRef => self.throw_ref(),
            Operator::TryTable { ref try_table } => self.try_table(try_table.clone())?,
            Operator::Try { blockty } => self.legacy_try(blockty)?,
            Operator::Catch { tag_index } => self.legacy_catch(Some(tag_index))?,
            Operator::CatchAll => self.legacy_catch(None)?,
            Operator::Delegate { relative_depth } => self.legacy_delegate(relative_depth),
            Operator::Rethrow { relative_depth } => self.legacy_rethrow(relative_depth)?,
            Operator::BrOnNull { relative_depth } => {
                // Null: branch without the reference. Otherwise keep it.
                let r = self.pop_operand();
                let c = self.reg_of(r, self.height());
                self.br_if(Cond::Zero(c), relative_depth);
                self.push_operand(if c == self.home(self.height()) {
                    Operand::Home
                } else {
                    r
                });
            }
            Operator::BrOnNonNull { relative_depth } => {
                // Non-null: branch with the reference as the last label value.
                let h = self.height() - 1;
                let c = match self.operands[h as usize] {
                    Operand::Const(_) => {
                        let op = self.operands[h as usize];
                        self.operands[h as usize] = Operand::Home;
                        self.copy_to(op, h, self.home(h));
                        self.home(h)
                    }
                    op => self.reg_of(op, h),
                };
                self.br_if_keeping(Cond::NonZero(c), relative_depth);
                self.pop_operand();
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Pops an `i32` condition, fusing the comparison that computed it.
    fn pop_cond(&mut self) -> Cond {
        let top = self.height() - 1;
        let writer = self.writer_of(top);
        if let (Some(Instr::I32Eqz(eqz)), Some(at)) = (writer, self.eqz_of_test.take()) {
            // An `i32.eqz` of the test just before it (nothing between, no
            // label at the `eqz`): branch on the negated test, both gone.
            // For floats that is the test with `negate` set, not the
            // opposite comparison, which differs on NaN.
            let test = at.checked_sub(1).and_then(|t| {
                let instr = self.code.instrs[t];
                (instr.dst() == Some(eqz.a))
                    .then(|| Cond::of(&instr))
                    .flatten()
            });
            if let (true, Some(test)) = (self.last_writer == Some(at), test) {
                self.unemit_writer();
                self.code.instrs.truncate(at - 1);
                self.pop_operand();
                return test.negate();
            }
        }
        if let Some(cond) = writer.as_ref().and_then(Cond::of) {
            self.unemit_writer();
            self.pop_operand();
            return cond;
        }
        Cond::NonZero(self.pop_reg())
    }

    /// Opens a block: every value below it goes home first, since branches
    /// to its end do not carry them.
    pub(super) fn open(&mut self, kind: CtrlKind, bt: BlockType) -> Result<(), CompileError> {
        let (params, results) = self.block_slots(bt)?;
        self.materialize_all();
        let base = self.height() - params;
        let mut ctrl = Ctrl::new(kind, base, params, results);
        ctrl.patches = self.spare_patches.pop().unwrap_or_default();
        ctrl.start_pc = self.pc();
        ctrl.handlers_before = self.code.exception_handlers.len();
        self.ctrls.push(ctrl);
        Ok(())
    }

    /// Ends one arm of a block (the then-branch, a try body or a catch):
    /// a live arm jumps to the block's end with its results at home. Returns
    /// the label where the next arm starts.
    pub(super) fn next_arm(&mut self) -> u32 {
        if !self.top_ctrl().unreachable {
            self.materialize_all();
            let at = self.emit_reg(Instr::Jump { pc: 0 });
            self.top_ctrl().patches.push(Patch::Instr(at));
        }
        self.label()
    }

    pub(super) fn else_(&mut self) -> Result<(), CompileError> {
        let pc = self.next_arm();
        let ctrl = self.top_ctrl();
        if let Some(at) = ctrl.else_patch.take() {
            self.retarget(at, pc);
        }
        let ctrl = self.ctrls.last_mut().expect("inside if");
        ctrl.kind = CtrlKind::Else;
        ctrl.unreachable = false;
        let h = ctrl.height + ctrl.params;
        self.reset_height(h);
        Ok(())
    }

    pub(super) fn end(&mut self) {
        let ctrl = self.ctrls.pop().expect("end matches a block");
        let pc = self.label();
        if ctrl.kind == CtrlKind::Function {
            self.patch(&ctrl, pc);
            let h = ctrl.height + ctrl.results;
            self.reset_height(h);
            self.emit(Instr::Return {
                from: self.home(0),
                n: ctrl.results,
            });
            self.spare(ctrl);
            return;
        }
        // A legacy try's range already ended at its first catch.
        if let (Some(h), false) = (ctrl.handler, ctrl.kind == CtrlKind::Catch) {
            self.code.exception_handlers[h].end = pc;
        }
        if let Some(at) = ctrl.else_patch {
            self.retarget(at, pc);
        }
        self.patch(&ctrl, pc);
        self.reset_height(ctrl.height + ctrl.results);
        self.spare(ctrl);
    }

    /// Keeps a closed block's patch list for a block still to open.
    fn spare(&mut self, ctrl: Ctrl) {
        let mut patches = ctrl.patches;
        patches.clear();
        self.spare_patches.push(patches);
    }

    /// Control frame `depth` levels out: its index, label arity and label home slot.
    fn label_of(&self, depth: u32) -> (usize, u32, Reg) {
        let idx = self.ctrls.len() - 1 - depth as usize;
        let ctrl = &self.ctrls[idx];
        (idx, ctrl.label_slots(), self.home(ctrl.height))
    }

    /// Whether a branch carrying the top `k` values to slots from `to`
    /// must copy them (they are not all at home there already).
    fn label_needs_copies(&self, k: u32, to: Reg) -> bool {
        let h = self.height();
        (0..k).any(|i| {
            self.operands[(h - k + i) as usize] != Operand::Home || self.home(h - k + i) != to + i
        })
    }

    /// Copies the top `k` values to the label slots from `to`, bottom first:
    /// a write never lands on a value still to be read, since label slots
    /// lie at or below the values' homes.
    fn copy_label_values(&mut self, k: u32, to: Reg) {
        let h = self.height();
        for i in 0..k {
            let op = self.operands[(h - k + i) as usize];
            self.copy_to(op, h - k + i, to + i);
        }
    }

    /// Emits `instr`, a jump or branch to control frame `idx`: backward to a
    /// loop's start, or forward, patched when the frame ends.
    fn emit_to(&mut self, idx: usize, instr: Instr) {
        let ctrl = &self.ctrls[idx];
        let (is_loop, loop_pc) = (ctrl.kind == CtrlKind::Loop, ctrl.loop_pc);
        let at = self.emit_reg(instr);
        if is_loop {
            self.retarget(at, loop_pc);
        } else {
            self.ctrls[idx].patches.push(Patch::Instr(at));
        }
    }

    /// `br`: the label values move to the label's slots, then a jump.
    fn br(&mut self, depth: u32) {
        let (idx, k, to) = self.label_of(depth);
        if idx == 0 {
            // To the function's own label: a return.
            return self.return_();
        }
        self.register_mode();
        self.copy_label_values(k, to);
        self.emit_to(idx, Instr::Jump { pc: 0 });
        self.set_unreachable();
    }

    /// `br_if` (its condition already popped).
    pub(super) fn br_if(&mut self, cond: Cond, depth: u32) {
        self.br_if_keeping(cond, depth)
    }

    /// A conditional branch carrying the top label values (which stay on
    /// the stack when it is not taken). When they must move, the copies
    /// run only on the taken path: the negated test skips them.
    fn br_if_keeping(&mut self, cond: Cond, depth: u32) {
        let (idx, k, to) = self.label_of(depth);
        self.register_mode();
        if !self.label_needs_copies(k, to) {
            self.emit_to(idx, cond.branch(0));
            return;
        }
        let skip = self.emit(cond.negate().branch(0));
        self.copy_label_values(k, to);
        self.emit_to(idx, Instr::Jump { pc: 0 });
        let pc = self.pc();
        self.retarget(skip, pc);
        self.last_writer = None;
    }

    /// `br_table`: entries whose values must move go through a stub that
    /// copies them and jumps on (one stub per distinct label).
    fn br_table(&mut self, depths: &[u32]) {
        let index = self.pop_reg();
        let first = self.code.br_targets.len() as u32;
        self.code
            .br_targets
            .resize(self.code.br_targets.len() + depths.len(), 0);
        self.emit_reg(Instr::BrTable {
            index,
            first,
            len: depths.len() as u32,
        });
        let mut stubs: Vec<(u32, u32)> = Vec::new();
        for (n, &depth) in depths.iter().enumerate() {
            let slot = first as usize + n;
            let (idx, k, to) = self.label_of(depth);
            if self.label_needs_copies(k, to) {
                let stub = match stubs.iter().find(|(d, _)| *d == depth) {
                    Some(&(_, pc)) => pc,
                    None => {
                        let pc = self.pc();
                        self.copy_label_values(k, to);
                        self.emit_to(idx, Instr::Jump { pc: 0 });
                        stubs.push((depth, pc));
                        pc
                    }
                };
                self.code.br_targets[slot] = stub;
            } else if self.ctrls[idx].kind == CtrlKind::Loop {
                self.code.br_targets[slot] = self.ctrls[idx].loop_pc;
            } else {
                self.ctrls[idx].patches.push(Patch::Table(slot));
            }
        }
        self.set_unreachable();
    }

    /// `return`: the results are read from wherever they are.
    pub(super) fn return_(&mut self) {
        let n = self.code.result_slots;
        let h = self.height();
        self.register_mode();
        let from = if n == 1 {
            let op = self.operands[h as usize - 1];
            self.reg_of(op, h - 1)
        } else {
            for i in 0..n {
                let op = self.operands[(h - n + i) as usize];
                self.copy_to(op, h - n + i, self.home(h - n + i));
            }
            self.home(h - n)
        };
        self.emit(Instr::Return { from, n });
        self.set_unreachable();
    }

    /// Points the jump or branch at `at` to `pc`.
    pub(super) fn retarget(&mut self, at: usize, pc: u32) {
        match &mut self.code.instrs[at] {
            Instr::Jump { pc: p }
            | Instr::BrIf { pc: p, .. }
            | Instr::BrUnless { pc: p, .. }
            | Instr::BrCmp32 { pc: p, .. }
            | Instr::BrCmp32Imm { pc: p, .. }
            | Instr::BrCmp64 { pc: p, .. }
            | Instr::BrCmp64Imm { pc: p, .. }
            | Instr::BrCmpF64 { pc: p, .. }
            | Instr::BrCmpF64Imm { pc: p, .. } => *p = pc,
            other => unreachable!("patching a non-branch {other:?}"),
        }
    }

    fn patch(&mut self, ctrl: &Ctrl, pc: u32) {
        for p in &ctrl.patches {
            match *p {
                Patch::Instr(at) => self.retarget(at, pc),
                Patch::Table(slot) => self.code.br_targets[slot] = pc,
                Patch::Catch(h, c) => self.code.exception_handlers[h].catches[c].pc = pc,
            }
        }
    }
}
