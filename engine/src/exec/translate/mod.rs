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

use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

use super::code::FuncCode;
use super::instr::{Instr, MemArg};
use crate::binary::module_info::ModuleInfo;
use crate::binary::sections::check_val_type;
use crate::error::CompileError;
use crate::runtime::types::{slots_of, ValType};
use control::{Ctrl, CtrlKind};
use operands::Operand;

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
    // Legacy `try` blocks keep their caught exception in a hidden local;
    // those sit below the operand slots, so they are counted up front.
    let hidden_slots = legacy_try_count(body);
    let mut t = Translator {
        info,
        code: FuncCode {
            param_slots,
            local_slots: slot - param_slots + hidden_slots,
            result_slots,
            ..FuncCode::default()
        },
        local_offsets,
        local_widths,
        operand_width: 1,
        hidden_base: slot,
        hidden_used: 0,
        temp_base: slot + hidden_slots,
        operands: Vec::new(),
        stack_mode: false,
        last_writer: None,
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
            if !t.code.finish() {
                return Err(CompileError::unsupported(
                    "internal error: translated code leaves its frame or its instructions",
                ));
            }
            Ok(t.code)
        }
    }
}

/// Number of legacy `try` operators in a body. Most bodies hold no `0x06`
/// byte at all, which settles it without decoding.
fn legacy_try_count(body: &FunctionBody<'_>) -> u32 {
    if !body.as_bytes().contains(&0x06) {
        return 0;
    }
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
    ctrls: Vec<Ctrl>,
    /// Blocks opened inside dead code, whose ends must be skipped too.
    dead_depth: u32,
}

impl Translator<'_> {
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
