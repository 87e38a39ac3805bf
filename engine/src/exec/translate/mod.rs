//! Translation of a validated function body into [`FuncCode`], once, at
//! compile time.
//!
//! The translator tracks the operand-stack height (in slots) and a control
//! stack, so every branch gets its target index and stack fix-up. Code
//! after an unconditional branch is dead: it is skipped, only its block
//! nesting is followed.

mod control;
mod exceptions;
mod fuse;
mod gc;
mod ops;

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use super::code::FuncCode;
use super::instr::{BrTarget, Instr, MemArg};
use crate::api::error::CompileError;
use crate::binary::module_info::ModuleInfo;
use crate::binary::sections::check_val_type;
use crate::runtime::types::{slots_of, ValType};
use control::{Ctrl, CtrlKind, Patch};

/// Validates and translates the body of function `func_index` of `info`
/// in one pass: each operator goes to the validator first (which also tells
/// the width of untyped `drop`/`select` operands), then to the translator.
/// Invalid code is reported at once; an unsupported operator only after
/// the whole body has validated, so an invalid module is never called
/// unsupported.
pub(crate) fn translate(
    info: &ModuleInfo,
    func_index: u32,
    body: &FunctionBody<'_>,
    fv: &mut FuncValidator<ValidatorResources>,
) -> Result<FuncCode, CompileError> {
    let mut unsupported: Option<CompileError> = None;
    let mut note = |r: Result<(), CompileError>| {
        if let Err(e) = r {
            unsupported.get_or_insert(e);
        }
    };
    let ty = info
        .type_of_func(func_index)
        .ok_or_else(|| CompileError::unsupported("function of a non-function type"))?;
    let mut local_offsets = Vec::new();
    let mut local_widths = Vec::new();
    let mut slot = 0u32;
    for &p in ty.params() {
        note(check_val_type(p));
        local_offsets.push(slot);
        local_widths.push(slots_of(p));
        slot += slots_of(p);
    }
    let param_slots = slot;
    let mut locals = body.get_locals_reader().map_err(crate::binary::malformed)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, vt) = locals.read().map_err(crate::binary::malformed)?;
        fv.define_locals(offset, count, vt)
            .map_err(crate::valid::classify)?;
        note(check_val_type(vt));
        for _ in 0..count {
            local_offsets.push(slot);
            local_widths.push(slots_of(vt));
            slot += slots_of(vt);
        }
    }
    let result_slots: u32 = ty.results().iter().map(|t| slots_of(*t)).sum();
    for &r in ty.results() {
        note(check_val_type(r));
    }
    let mut t = Translator {
        info,
        code: FuncCode {
            param_slots,
            local_slots: slot - param_slots,
            result_slots,
            ..FuncCode::default()
        },
        local_offsets,
        local_widths,
        operand_width: 1,
        barrier: 0,
        declared_local_slots: slot - param_slots,
        hidden_slots: 0,
        height: 0,
        ctrls: vec![Ctrl::new(CtrlKind::Function, 0, 0, result_slots)],
        dead_depth: 0,
    };
    let mut reader = body
        .get_operators_reader()
        .map_err(crate::binary::malformed)?;
    while !reader.eof() {
        let offset = reader.original_position();
        let op = reader.read().map_err(crate::binary::malformed)?;
        // Untyped `drop` and `select` take their width from the operand.
        let depth = match op {
            Operator::Drop => Some(0),
            Operator::Select => Some(1),
            _ => None,
        };
        if let Some(d) = depth {
            t.operand_width = match fv.get_operand_type(d) {
                Some(Some(vt)) => slots_of(vt),
                _ => 1,
            };
        }
        fv.op(offset, &op).map_err(crate::valid::classify)?;
        if unsupported.is_none() {
            if let Err(e) = t.op(op) {
                unsupported = Some(e);
            }
        }
    }
    reader.finish().map_err(crate::binary::malformed)?;
    match unsupported {
        Some(e) => Err(e),
        None => {
            t.code.local_slots += t.hidden_slots;
            Ok(t.code)
        }
    }
}

struct Translator<'a> {
    info: &'a ModuleInfo,
    code: FuncCode,
    /// Slot offset of each local (parameters first) from the frame base.
    local_offsets: Vec<u32>,
    /// Slots of each local (2 for `v128`).
    local_widths: Vec<u32>,
    /// Slots of the operand of the `drop`/`select` being translated.
    operand_width: u32,
    /// No instruction fuses into one before this index (see [`fuse`]).
    barrier: usize,
    /// Slots of the declared locals (hidden ones follow them).
    declared_local_slots: u32,
    /// Hidden local slots added for legacy `try` blocks (caught exceptions).
    hidden_slots: u32,
    /// Operand-stack height in slots, above the locals.
    height: u32,
    ctrls: Vec<Ctrl>,
    /// Blocks opened inside dead code, whose ends must be skipped too.
    dead_depth: u32,
}

impl Translator<'_> {
    fn pc(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    /// Appends `instr`, fusing it into the previous instruction when
    /// possible; returns the index it ended up at.
    ///
    /// Fusion cascades: a fused instruction is offered to the one before it
    /// in turn (`local.get; i32.const; i32.add` becomes `i32.add` with an
    /// immediate, then that with a local operand), never past the barrier.
    fn emit(&mut self, mut instr: Instr) -> usize {
        loop {
            let len = self.code.instrs.len();
            if len > self.barrier {
                let prev = self.code.instrs[len - 1];
                if let Some(fused) = fuse::fuse(prev, instr) {
                    self.code.instrs.pop();
                    instr = fused;
                    continue;
                }
                if let Some((first, fused)) = fuse::split(prev, instr) {
                    self.code.instrs[len - 1] = first;
                    instr = fused;
                    continue;
                }
            }
            self.code.instrs.push(instr);
            return len;
        }
    }

    /// Marks the current position as a target (of a branch, loop or
    /// handler range): nothing emitted from now on fuses backwards over it.
    fn set_barrier(&mut self) {
        self.barrier = self.code.instrs.len();
    }

    fn push(&mut self, slots: u32) {
        self.height += slots;
        self.code.max_stack = self.code.max_stack.max(self.height);
    }

    fn pop(&mut self, slots: u32) {
        // Validation guarantees the operands exist in live code.
        self.height -= slots;
    }

    fn top_ctrl(&mut self) -> &mut Ctrl {
        self.ctrls
            .last_mut()
            .expect("control stack never empty inside a body")
    }

    fn set_unreachable(&mut self) {
        let h = self.top_ctrl().height;
        self.top_ctrl().unreachable = true;
        self.height = h;
    }

    /// Parameter and result slot counts of a block type.
    fn block_slots(&self, bt: BlockType) -> Result<(u32, u32), CompileError> {
        match bt {
            BlockType::Empty => Ok((0, 0)),
            BlockType::Type(t) => {
                check_val_type(t)?;
                Ok((0, slots_of(t)))
            }
            BlockType::FuncType(i) => {
                let ty = self
                    .info
                    .func_type(i)
                    .ok_or_else(|| CompileError::unsupported("block of a non-function type"))?;
                let sum = |ts: &[ValType]| ts.iter().map(|t| slots_of(*t)).sum::<u32>();
                Ok((sum(ty.params()), sum(ty.results())))
            }
        }
    }

    /// Resolves a branch to relative depth `depth` from the current height.
    /// Forward targets get `pc = 0` and must be registered for patching.
    fn branch_target(&self, depth: u32) -> (BrTarget, usize) {
        let idx = self.ctrls.len() - 1 - depth as usize;
        let ctrl = &self.ctrls[idx];
        let keep = ctrl.label_slots();
        let drop = self.height - ctrl.height - keep;
        let pc = if ctrl.kind == CtrlKind::Loop {
            ctrl.loop_pc
        } else {
            0
        };
        (BrTarget { pc, drop, keep }, idx)
    }

    fn op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if self.top_ctrl().unreachable {
            return self.dead_op(op);
        }
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.emit(Instr::Unreachable);
                self.set_unreachable();
            }
            Operator::Block { blockty } => self.open(CtrlKind::Block, blockty)?,
            Operator::Loop { blockty } => {
                self.set_barrier();
                let pc = self.pc();
                self.open(CtrlKind::Loop, blockty)?;
                self.top_ctrl().loop_pc = pc;
            }
            Operator::If { blockty } => {
                self.pop(1);
                let at = self.emit(Instr::BrUnless { pc: 0 });
                self.open(CtrlKind::If, blockty)?;
                self.top_ctrl().else_patch = Some(at);
            }
            Operator::Else => self.else_()?,
            Operator::End => self.end(),
            Operator::Br { relative_depth } => {
                self.br(relative_depth, false);
                self.set_unreachable();
            }
            Operator::BrIf { relative_depth } => {
                self.pop(1);
                self.br(relative_depth, true);
            }
            Operator::BrTable { targets } => {
                self.pop(1);
                let first = self.code.br_targets.len() as u32;
                let depths: Vec<u32> = targets
                    .targets()
                    .chain(std::iter::once(Ok(targets.default())))
                    .collect::<Result<_, _>>()
                    .map_err(crate::binary::malformed)?;
                for depth in depths {
                    let (target, idx) = self.branch_target(depth);
                    let slot = self.code.br_targets.len();
                    self.code.br_targets.push(target);
                    if self.ctrls[idx].kind != CtrlKind::Loop {
                        self.ctrls[idx].patches.push(Patch::Table(slot));
                    }
                }
                let len = self.code.br_targets.len() as u32 - first;
                self.emit(Instr::BrTable { first, len });
                self.set_unreachable();
            }
            Operator::Return => {
                self.emit(Instr::Return);
                self.set_unreachable();
            }
            Operator::ReturnCall { function_index } => {
                self.info
                    .type_of_func(function_index)
                    .ok_or_else(|| CompileError::unsupported("call of a non-function type"))?;
                self.emit(Instr::ReturnCall(function_index));
                self.set_unreachable();
            }
            Operator::Throw { tag_index } => self.throw(tag_index)?,
            Operator::ThrowRef => self.throw_ref(),
            Operator::TryTable { try_table } => self.try_table(try_table)?,
            Operator::Try { blockty } => self.legacy_try(blockty)?,
            Operator::Catch { tag_index } => self.legacy_catch(Some(tag_index))?,
            Operator::CatchAll => self.legacy_catch(None)?,
            Operator::Delegate { relative_depth } => self.legacy_delegate(relative_depth),
            Operator::Rethrow { relative_depth } => self.legacy_rethrow(relative_depth)?,
            Operator::ReturnCallRef { type_index } => {
                self.info
                    .func_type(type_index)
                    .ok_or_else(|| CompileError::unsupported("call_ref of a GC type"))?;
                self.emit(Instr::ReturnCallRef);
                self.set_unreachable();
            }
            Operator::BrOnNull { relative_depth } => {
                self.pop(1);
                let (target, idx) = self.branch_target(relative_depth);
                self.emit_patched(Instr::BrOnNull(target), idx);
                self.push(1);
            }
            Operator::BrOnNonNull { relative_depth } => {
                let (target, idx) = self.branch_target(relative_depth);
                self.emit_patched(Instr::BrOnNonNull(target), idx);
                self.pop(1);
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.info
                    .func_type(type_index)
                    .ok_or_else(|| CompileError::unsupported("call_indirect of a GC type"))?;
                self.emit(Instr::ReturnCallIndirect {
                    ty: type_index,
                    table: table_index,
                });
                self.set_unreachable();
            }
            other => self.plain(other)?,
        }
        Ok(())
    }

    /// Emits `br` or `br_if` to relative depth `depth`.
    fn br(&mut self, depth: u32, conditional: bool) {
        let (target, idx) = self.branch_target(depth);
        let at = self.emit(if conditional {
            Instr::BrIf(target)
        } else {
            Instr::Br(target)
        });
        if self.ctrls[idx].kind != CtrlKind::Loop {
            self.ctrls[idx].patches.push(Patch::Instr(at));
        }
    }

    /// Emits a branch to control frame `idx`, registering it for patching if forward.
    fn emit_patched(&mut self, instr: Instr, idx: usize) {
        let at = self.emit(instr);
        if self.ctrls[idx].kind != CtrlKind::Loop {
            self.ctrls[idx].patches.push(Patch::Instr(at));
        }
    }

    /// Follows block nesting in dead code; only the enclosing `else`/`end` matter.
    fn dead_op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        match op {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. } => self.dead_depth += 1,
            Operator::Else if self.dead_depth == 0 => self.else_()?,
            Operator::Catch { tag_index } if self.dead_depth == 0 => {
                self.legacy_catch(Some(tag_index))?
            }
            Operator::CatchAll if self.dead_depth == 0 => self.legacy_catch(None)?,
            Operator::End | Operator::Delegate { .. } if self.dead_depth > 0 => {
                self.dead_depth -= 1
            }
            Operator::Delegate { relative_depth } => self.legacy_delegate(relative_depth),
            Operator::End => self.end(),
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, kind: CtrlKind, bt: BlockType) -> Result<(), CompileError> {
        let (params, results) = self.block_slots(bt)?;
        let base = self.height - params;
        let mut ctrl = Ctrl::new(kind, base, params, results);
        ctrl.start_pc = self.pc();
        ctrl.handlers_before = self.code.handlers.len();
        self.ctrls.push(ctrl);
        Ok(())
    }

    fn else_(&mut self) -> Result<(), CompileError> {
        let live = !self.top_ctrl().unreachable;
        if live {
            // The then-branch ends exactly at the block's result height: a plain jump.
            let at = self.emit(Instr::Br(BrTarget {
                pc: 0,
                drop: 0,
                keep: 0,
            }));
            self.top_ctrl().patches.push(Patch::Instr(at));
        }
        self.set_barrier();
        let pc = self.pc();
        let ctrl = self.top_ctrl();
        if let Some(at) = ctrl.else_patch.take() {
            self.retarget(at, pc);
        }
        let ctrl = self.ctrls.last_mut().expect("inside if");
        ctrl.kind = CtrlKind::Else;
        ctrl.unreachable = false;
        self.height = ctrl.height + ctrl.params;
        Ok(())
    }

    fn end(&mut self) {
        let ctrl = self.ctrls.pop().expect("end matches a block");
        if ctrl.kind == CtrlKind::Function {
            self.set_barrier();
            let pc = self.pc();
            self.emit(Instr::Return);
            self.patch(&ctrl, pc);
            return;
        }
        self.set_barrier();
        let pc = self.pc();
        // A legacy try's range already ended at its first catch.
        if let (Some(h), false) = (ctrl.handler, ctrl.kind == CtrlKind::Catch) {
            self.code.handlers[h].end = pc;
        }
        if let Some(at) = ctrl.else_patch {
            self.retarget(at, pc);
        }
        self.patch(&ctrl, pc);
        self.height = ctrl.height + ctrl.results;
        self.code.max_stack = self.code.max_stack.max(self.height);
    }

    /// Points the (possibly fused) jump or branch at `at` to `pc`.
    fn retarget(&mut self, at: usize, pc: u32) {
        match &mut self.code.instrs[at] {
            Instr::Br(t)
            | Instr::BrIf(t)
            | Instr::BrOnNull(t)
            | Instr::BrOnNonNull(t)
            | Instr::BrIfEqz(t)
            | Instr::BrIfCmp(t, _)
            | Instr::BrIfCmpLocal(t, _, _)
            | Instr::BrIfCmpImm(t, _, _)
            | Instr::BrIfCmp64(t, _)
            | Instr::BrIfEqz64(t)
            | Instr::BrIfCmpF64(t, _)
            | Instr::BrIfCmpF64Imm(t, _, _) => t.pc = pc,
            Instr::BrUnless { pc: p }
            | Instr::BrIfNez { pc: p }
            | Instr::BrIfNez64 { pc: p }
            | Instr::BrUnlessCmp { pc: p, .. } => *p = pc,
            other => unreachable!("patching a non-branch {other:?}"),
        }
    }

    fn patch(&mut self, ctrl: &Ctrl, pc: u32) {
        for p in &ctrl.patches {
            match *p {
                Patch::Instr(at) => self.retarget(at, pc),
                Patch::Table(slot) => self.code.br_targets[slot].pc = pc,
                Patch::Catch(h, c) => self.code.handlers[h].catches[c].pc = pc,
            }
        }
    }

    fn local(&self, index: u32) -> u32 {
        self.local_offsets[index as usize]
    }

    fn memarg(m: wasmparser::MemArg) -> Result<MemArg, CompileError> {
        match (m.target, m.ordering) {
            (wasmparser::MemArgTarget::Memory(mem), None) => Ok(MemArg {
                mem,
                offset: m.offset,
            }),
            _ => Err(CompileError::unsupported(
                "atomic or GC-array memory access",
            )),
        }
    }
}
