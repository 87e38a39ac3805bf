//! Translation of a validated function body into [`FuncCode`], once, at
//! compile time.
//!
//! The translator follows the operand stack value by value (see
//! [`operands`]), so every instruction gets the frame slots of its operands
//! and every branch its target index. Code after an unconditional branch is
//! dead: it is skipped, only its block nesting is followed.

mod calls;
mod control;
mod exceptions;
mod gc;
mod memory;
mod operands;
mod ops;
mod visit;

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use super::code::FuncCode;
use crate::binary::module_info::ModuleInfo;
use crate::binary::sections::check_val_type;
use crate::error::CompileError;
use crate::ir::{Instr, MemArg};
use crate::runtime::types::{slots_of, ValType};
use control::{Ctrl, CtrlKind};
use operands::Operand;

/// Validates and translates the body of function `func_index` of `info`
/// in one pass: each operator goes to the validator first (which also tells
/// the width of untyped `drop`/`select` operands), then to the translator.
/// Invalid code is reported at once; an unsupported operator only after
/// the whole body has validated, so an invalid module is never called
/// unsupported.
///
/// Legacy `try` blocks keep their caught exception in a hidden local below
/// the operand slots, so their number must be known before any operand slot
/// is handed out. Counting them means decoding the body once more, which
/// only bodies that hold a legacy `try` should pay: the first pass assumes
/// none, and on meeting one it stops translating (validation goes on) and
/// the body is translated again once counted, with the operand widths the
/// validator gave the first time.
pub(crate) fn translate(
    info: &ModuleInfo,
    func_index: u32,
    body: &FunctionBody<'_>,
    fv: &mut FuncValidator<ValidatorResources>,
    scratch: &mut Scratch,
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
    let mut frame = std::mem::take(&mut scratch.layout);
    frame.clear();
    for &p in ty.params() {
        note(check_val_type(p));
        frame.add_local(p);
    }
    let param_slots = frame.slots;
    let mut locals = body.get_locals_reader().map_err(crate::binary::malformed)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, vt) = locals.read().map_err(crate::binary::malformed)?;
        fv.define_locals(offset, count, vt)
            .map_err(crate::valid::classify)?;
        note(check_val_type(vt));
        for _ in 0..count {
            frame.add_local(vt);
        }
    }
    let result_slots: u32 = ty.results().iter().map(|t| slots_of(*t)).sum();
    for &r in ty.results() {
        note(check_val_type(r));
    }
    let operators_at = body
        .get_operators_reader()
        .map_err(crate::binary::malformed)?;
    let code_bytes = operators_at.get_binary_reader().bytes_remaining();
    let mut t = Translator::new(
        info,
        frame,
        param_slots,
        result_slots,
        0,
        code_bytes,
        scratch,
    );
    let mut reader = operators_at.clone();
    let mut widths = std::mem::take(&mut scratch.widths);
    widths.clear();
    let mut both = visit::ValidateThenTranslate {
        t: &mut t,
        fv,
        offset: 0,
        // An unsupported type of a local or result stops translation.
        unsupported: unsupported.take(),
        widths,
    };
    while !reader.eof() {
        both.offset = reader.original_position();
        let visited = reader
            .visit_operator(&mut both)
            .map_err(crate::binary::malformed);
        if let Err(e) = visited.and_then(|r| r) {
            scratch.widths = std::mem::take(&mut both.widths);
            t.recycle(scratch);
            return Err(e);
        }
    }
    unsupported = both.unsupported.take();
    // Operand widths of untyped `drop`/`select`, in order, for a second pass.
    scratch.widths = std::mem::take(&mut both.widths);
    if let Err(e) = reader.finish() {
        t.recycle(scratch);
        return Err(crate::binary::malformed(e));
    }
    if t.hidden_missing
        && unsupported
            .as_ref()
            .is_some_and(|e| e.message() == HIDDEN_MISSING)
    {
        // The body is valid and holds a legacy `try`: translate it again.
        let hidden = legacy_try_count(body);
        t.recycle(scratch);
        let frame = std::mem::take(&mut scratch.layout);
        t = Translator::new(
            info,
            frame,
            param_slots,
            result_slots,
            hidden,
            code_bytes,
            scratch,
        );
        unsupported = None;
        let mut widths = scratch.widths.iter().copied();
        let mut reader = operators_at;
        while !reader.eof() {
            let op = match reader.read() {
                Ok(op) => op,
                Err(e) => {
                    t.recycle(scratch);
                    return Err(crate::binary::malformed(e));
                }
            };
            if matches!(op, Operator::Drop | Operator::Select) {
                t.operand_width = widths.next().unwrap_or(1);
            }
            if let Err(e) = t.op(op) {
                unsupported = Some(e);
                break;
            }
        }
    }
    let finished = unsupported.is_none() && t.code.finish(super::interp::select_dispatch);
    let mut code = std::mem::take(&mut t.code);
    // The instructions' buffer (copied into `ops` by `finish`) goes back
    // to the scratch with the translator's, for the next body.
    t.code.instrs = std::mem::take(&mut code.instrs);
    t.recycle(scratch);
    match unsupported {
        Some(e) => Err(e),
        None if !finished => Err(CompileError::unsupported(
            "internal error: translated code leaves its frame or its instructions",
        )),
        None => Ok(code),
    }
}

/// Buffers the translations of one module's bodies hand on from one body
/// to the next, so each body does not allocate (and fault in) its own:
/// the instructions as built (`FuncCode::finish` copies them into the
/// final `ops`), the operand and control stacks, branch patch lists, the
/// frame layout and the `drop`/`select` widths.
#[derive(Default)]
pub(crate) struct Scratch {
    instrs: Vec<Instr>,
    operands: Vec<Operand>,
    ctrls: Vec<Ctrl>,
    spare_patches: Vec<Vec<control::Patch>>,
    layout: LocalLayout,
    widths: Vec<u32>,
}

/// The message of the error a legacy `try` raises in the first pass (see
/// [`translate`]); never reported.
const HIDDEN_MISSING: &str = "legacy try without a hidden local (translated again)";

/// Where each local lives in the frame.
#[derive(Default)]
struct LocalLayout {
    /// Slot offset of each local (parameters first) from the frame base.
    offsets: Vec<u32>,
    /// Slots of each local (2 for `v128`).
    widths: Vec<u32>,
    /// Slots taken so far.
    slots: u32,
}

impl LocalLayout {
    fn clear(&mut self) {
        self.offsets.clear();
        self.widths.clear();
        self.slots = 0;
    }

    fn add_local(&mut self, ty: ValType) {
        self.offsets.push(self.slots);
        self.widths.push(slots_of(ty));
        self.slots += slots_of(ty);
    }
}

/// Number of legacy `try` operators in a body.
fn legacy_try_count(body: &FunctionBody<'_>) -> u32 {
    let Ok(mut ops) = body.get_operators_reader() else {
        return 0;
    };
    let mut n = 0;
    while !ops.eof() {
        match ops.read() {
            Ok(Operator::Try { .. }) => n += 1,
            Ok(_) => {}
            // Malformed code is reported by the translating pass.
            Err(_) => break,
        }
    }
    n
}

struct Translator<'a> {
    info: &'a ModuleInfo,
    code: FuncCode,
    /// Slot offset of each local (parameters first) from the frame base.
    local_offsets: Vec<u32>,
    /// Slots of each local (2 for `v128`).
    local_widths: Vec<u32>,
    /// Patch lists of closed blocks, for blocks still to open.
    spare_patches: Vec<Vec<control::Patch>>,
    /// Slots of the operand of the `drop`/`select` being translated.
    operand_width: u32,
    /// First hidden local slot (legacy `try`), and how many are taken.
    hidden_base: u32,
    hidden_used: u32,
    /// Home slot of stack height 0: the first slot after all locals.
    temp_base: u32,
    /// The operand stack, one entry per slot.
    operands: Vec<Operand>,
    /// Whether emitted code is in stack mode (see [`Instr::StackMode`]).
    stack_mode: bool,
    /// Index of the last instruction when it wrote a value's home slot and
    /// nothing since could have observed it (any emission or pop clears it;
    /// see [`Translator::writer_of`]).
    last_writer: Option<usize>,
    /// Index of the last `i32.eqz` produced when it negates the test the
    /// instruction just before it computes (see [`Translator::pop_cond`]).
    eqz_of_test: Option<usize>,
    ctrls: Vec<Ctrl>,
    /// Blocks opened inside dead code, whose ends must be skipped too.
    dead_depth: u32,
    /// Hidden local slots reserved for legacy `try` blocks.
    hidden_slots: u32,
    /// A legacy `try` found no hidden slot: the body is translated again.
    hidden_missing: bool,
}

impl<'a> Translator<'a> {
    /// A translator for a body whose locals are `frame`, reserving `hidden`
    /// slots for legacy `try` blocks and room for about `code_bytes`
    /// instructions (roughly one per byte of code, fewer in practice), in
    /// the buffers `scratch` holds (see [`Translator::recycle`]).
    fn new(
        info: &'a ModuleInfo,
        frame: LocalLayout,
        param_slots: u32,
        result_slots: u32,
        hidden: u32,
        code_bytes: usize,
        scratch: &mut Scratch,
    ) -> Self {
        let slot = frame.slots;
        let mut instrs = std::mem::take(&mut scratch.instrs);
        instrs.clear();
        instrs.reserve(code_bytes / 2);
        let mut operands = std::mem::take(&mut scratch.operands);
        operands.clear();
        let mut ctrls = std::mem::take(&mut scratch.ctrls);
        ctrls.clear();
        let mut spare_patches = std::mem::take(&mut scratch.spare_patches);
        let mut function = Ctrl::new(CtrlKind::Function, 0, 0, result_slots);
        function.patches = spare_patches.pop().unwrap_or_default();
        ctrls.push(function);
        Translator {
            info,
            code: FuncCode {
                param_slots,
                local_slots: slot - param_slots + hidden,
                result_slots,
                instrs,
                ..FuncCode::default()
            },
            local_offsets: frame.offsets,
            local_widths: frame.widths,
            spare_patches,
            operand_width: 1,
            hidden_base: slot,
            hidden_used: 0,
            temp_base: slot + hidden,
            operands,
            stack_mode: false,
            last_writer: None,
            eqz_of_test: None,
            ctrls,
            dead_depth: 0,
            hidden_slots: hidden,
            hidden_missing: false,
        }
    }

    /// Hands the buffers back to `scratch` for the next body (the code's
    /// instructions too, once `finish` has copied them into `ops`).
    fn recycle(mut self, scratch: &mut Scratch) {
        for ctrl in self.ctrls.drain(..) {
            self.spare_patches.push(ctrl.patches);
        }
        for patches in &mut self.spare_patches {
            patches.clear();
        }
        self.code.instrs.clear();
        scratch.instrs = self.code.instrs;
        scratch.operands = self.operands;
        scratch.ctrls = self.ctrls;
        scratch.spare_patches = self.spare_patches;
        scratch.layout = LocalLayout {
            offsets: self.local_offsets,
            widths: self.local_widths,
            slots: self.hidden_base,
        };
    }

    fn pc(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    /// Appends `instr`; returns its index.
    fn emit(&mut self, instr: Instr) -> usize {
        self.last_writer = None;
        self.code.instrs.push(instr);
        self.code.instrs.len() - 1
    }

    /// Appends a register instruction (leaving stack mode first).
    fn emit_reg(&mut self, instr: Instr) -> usize {
        self.register_mode();
        self.emit(instr)
    }

    /// Appends a stack-mode instruction that pops `pops` slots and pushes `pushes`.
    fn emit_stack(&mut self, instr: Instr, pops: u32, pushes: u32) {
        if !self.stack_mode {
            self.materialize_all();
            let top = self.home(self.height());
            self.emit(Instr::StackMode { top });
            self.stack_mode = true;
        }
        self.pop(pops);
        self.push(pushes);
        self.emit(instr);
    }

    /// Ends stack mode, if on.
    fn register_mode(&mut self) {
        if self.stack_mode {
            self.stack_mode = false;
            self.emit(Instr::RegisterMode);
        }
    }

    /// Marks the current position as a branch target: every value is at
    /// home and in register mode, as every branch to here leaves them.
    fn label(&mut self) -> u32 {
        self.register_mode();
        self.materialize_all();
        self.last_writer = None;
        self.pc()
    }

    fn top_ctrl(&mut self) -> &mut Ctrl {
        self.ctrls
            .last_mut()
            .expect("control stack never empty inside a body")
    }

    /// The rest of the block is dead; its operands are forgotten.
    fn set_unreachable(&mut self) {
        let h = self.top_ctrl().height;
        self.top_ctrl().unreachable = true;
        self.operands.truncate(h as usize);
    }

    /// Resets the operand stack to `h` values at home (after `else`/`end`).
    fn reset_height(&mut self, h: u32) {
        self.operands.truncate(h as usize);
        let missing = h - self.height();
        self.push(missing);
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

    fn op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if self.top_ctrl().unreachable {
            return self.dead_op(op);
        }
        if !self.control(&op)? {
            self.plain(op)?;
        }
        Ok(())
    }

    /// Translates an operator that [`Translator::control`] does not handle
    /// (the visitor knows which statically): no dispatch through
    /// `control`'s `match`; in dead code there is nothing to follow.
    fn plain_op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if self.top_ctrl().unreachable {
            return Ok(());
        }
        #[cfg(debug_assertions)]
        {
            let mut probe = Translator::new(
                self.info,
                LocalLayout::default(),
                0,
                0,
                0,
                0,
                &mut Scratch::default(),
            );
            assert!(
                matches!(probe.control(&op), Ok(false)),
                "{op:?} is a control operator: list it in visit.rs"
            );
        }
        self.plain(op)
    }

    /// Translates a `local.*` or `global.*` operator (the visitor knows
    /// which): `plain` would try its other matchers first, each of which
    /// refuses these. Inlined into each visit method, as is
    /// `local_or_global`, so only the operator's own arm remains.
    #[inline(always)]
    fn local_op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if !self.top_ctrl().unreachable {
            let done = self.local_or_global(&op);
            debug_assert!(done, "{op:?} is no local or global operator");
        }
        Ok(())
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
