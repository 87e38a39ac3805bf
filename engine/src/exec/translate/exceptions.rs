//! Translation of exception handling: `throw`, `throw_ref` and
//! `try_table`. A `try_table` becomes a plain block plus an entry in the
//! function's handler table (its instruction range and catch clauses), so
//! code that does not throw pays nothing.

use wasmparser::{Catch, TryTable};

use super::control::{CtrlKind, Patch};
use super::operands::Operand;
use super::Translator;
use crate::error::CompileError;
use crate::exec::code::{CatchClause, CatchKind, ExceptionHandler};
use crate::ir::Instr;
use crate::runtime::types::slots_of;

impl Translator<'_> {
    pub(super) fn throw(&mut self, tag: u32) -> Result<(), CompileError> {
        let ty = self.tag_type(tag)?;
        let slots: u32 = ty.params().iter().map(|t| slots_of(*t)).sum();
        self.emit_stack(Instr::Throw(tag), slots, 0);
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn throw_ref(&mut self) {
        self.emit_stack(Instr::ThrowRef, 1, 0);
        self.set_unreachable();
    }

    pub(super) fn try_table(&mut self, tt: TryTable) -> Result<(), CompileError> {
        // Catch labels are resolved outside the try_table block.
        let mut catches = Vec::with_capacity(tt.catches.len());
        let handler = self.code.exception_handlers.len();
        for (i, c) in tt.catches.iter().enumerate() {
            let (kind, label) = match *c {
                Catch::One { tag, label } => (
                    CatchKind::Tag {
                        tag,
                        with_ref: false,
                    },
                    label,
                ),
                Catch::OneRef { tag, label } => (
                    CatchKind::Tag {
                        tag,
                        with_ref: true,
                    },
                    label,
                ),
                Catch::All { label } => (CatchKind::All { with_ref: false }, label),
                Catch::AllRef { label } => (CatchKind::All { with_ref: true }, label),
            };
            let idx = self.ctrls.len() - 1 - label as usize;
            let ctrl = &self.ctrls[idx];
            let pc = if ctrl.kind == CtrlKind::Loop {
                ctrl.loop_pc
            } else {
                0
            };
            if ctrl.kind != CtrlKind::Loop {
                self.ctrls[idx].patches.push(Patch::Catch(handler, i));
            }
            catches.push(CatchClause {
                kind,
                pc,
                height: self.ctrls[idx].height,
                save_to: None,
            });
        }
        self.open(CtrlKind::Block, tt.ty)?;
        let start = self.pc();
        self.code.exception_handlers.push(ExceptionHandler {
            start,
            end: start,
            catches,
            delegate: None,
        });
        self.top_ctrl().handler = Some(handler);
        Ok(())
    }

    /// Legacy `try`: a block with a handler whose clauses come later.
    pub(super) fn legacy_try(&mut self, bt: wasmparser::BlockType) -> Result<(), CompileError> {
        if self.hidden_used == self.hidden_slots {
            // First pass: no hidden locals were reserved (see `translate`).
            self.hidden_missing = true;
            return Err(CompileError::unsupported(super::HIDDEN_MISSING));
        }
        self.open(CtrlKind::Try, bt)?;
        let start = self.pc();
        let handler = self.code.exception_handlers.len();
        self.code.exception_handlers.push(ExceptionHandler {
            start,
            end: start,
            catches: Vec::new(),
            delegate: None,
        });
        let slot = self.hidden_base + self.hidden_used;
        self.hidden_used += 1;
        let ctrl = self.top_ctrl();
        ctrl.handler = Some(handler);
        ctrl.exn_local = Some(slot);
        Ok(())
    }

    /// Legacy `catch $tag` (`tag = Some`) or `catch_all`: ends the try body
    /// (or the previous catch) and starts a clause of the try's handler.
    pub(super) fn legacy_catch(&mut self, tag: Option<u32>) -> Result<(), CompileError> {
        let payload = match tag {
            Some(t) => self
                .tag_type(t)?
                .params()
                .iter()
                .map(|t| slots_of(*t))
                .sum(),
            None => 0,
        };
        let pc = self.next_arm();
        let ctrl = self.top_ctrl();
        let first = ctrl.kind == CtrlKind::Try;
        ctrl.kind = CtrlKind::Catch;
        ctrl.unreachable = false;
        let (height, save_to) = (ctrl.height, ctrl.exn_local);
        let h = self.try_handler();
        if first {
            self.code.exception_handlers[h].end = pc;
        }
        let kind = match tag {
            Some(tag) => CatchKind::Tag {
                tag,
                with_ref: false,
            },
            None => CatchKind::All { with_ref: false },
        };
        self.code.exception_handlers[h].catches.push(CatchClause {
            kind,
            pc,
            height,
            save_to,
        });
        self.reset_height(height);
        self.push(payload);
        Ok(())
    }

    /// Legacy `delegate l`: ends a try whose exceptions go to label `l`'s handlers.
    pub(super) fn legacy_delegate(&mut self, depth: u32) {
        let h = self.try_handler();
        // `l` counts from outside the try block.
        let target = &self.ctrls[self.ctrls.len() - 2 - depth as usize];
        let resume = match target.kind {
            CtrlKind::Function => None,
            // A try's own handler takes part; for other blocks only enclosing ones.
            CtrlKind::Try => Some((target.start_pc, target.handlers_before + 1)),
            _ => Some((target.start_pc, target.handlers_before)),
        };
        self.code.exception_handlers[h].delegate = Some(resume);
        self.end();
    }

    /// Legacy `rethrow l`: rethrows the exception caught by catch block `l`.
    pub(super) fn legacy_rethrow(&mut self, depth: u32) -> Result<(), CompileError> {
        let idx = self.ctrls.len() - 1 - depth as usize;
        let slot = self.ctrls[idx]
            .exn_local
            .ok_or_else(|| CompileError::unsupported("rethrow outside a catch"))?;
        self.push_operand(Operand::Local(slot));
        self.throw_ref();
        Ok(())
    }

    /// The handler of the innermost (legacy) try block.
    fn try_handler(&mut self) -> usize {
        self.top_ctrl()
            .handler
            .expect("validated: catch/delegate inside try")
    }

    fn tag_type(&self, tag: u32) -> Result<&crate::FuncType, CompileError> {
        let t = *self
            .info
            .tag_types
            .get(tag as usize)
            .ok_or_else(|| CompileError::unsupported("tag index"))?;
        self.info
            .func_type(t)
            .ok_or_else(|| CompileError::unsupported("tag of a GC type"))
    }
}
