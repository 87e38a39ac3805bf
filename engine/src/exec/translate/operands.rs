//! The translator's operand stack: where each stack value lives while the
//! code that produces and consumes it is translated.
//!
//! A stack value's home is the frame slot of its height, but `local.get` and
//! constants are not copied there: the entry remembers the local or the
//! constant, and the consumer reads it in place. Such an entry is copied
//! home ("materialized") only when something needs every value in its slot:
//! a block boundary, a call, stack-mode code, or a write to the local it
//! names.

use super::Translator;
use crate::ir::{Const, Instr, Reg, Un};

/// Where a stack value is, as far as the translator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operand {
    /// In its home slot.
    Home,
    /// Still in local slot `.0` (a `local.get` not yet copied).
    Local(Reg),
    /// A constant not yet written anywhere.
    Const(u64),
}

impl Translator<'_> {
    /// The home slot of the stack value at height `h` (0 is the bottom).
    pub(super) fn home(&self, h: u32) -> Reg {
        self.temp_base + h
    }

    /// Current operand-stack height in slots.
    pub(super) fn height(&self) -> u32 {
        self.operands.len() as u32
    }

    /// Pushes `slots` values that are (or are about to be) in their home slots.
    pub(super) fn push(&mut self, slots: u32) {
        for _ in 0..slots {
            self.operands.push(Operand::Home);
        }
        self.code.max_stack = self.code.max_stack.max(self.height());
    }

    /// Pushes a value read in place from a local or a constant.
    pub(super) fn push_operand(&mut self, op: Operand) {
        self.register_mode();
        self.operands.push(op);
        self.code.max_stack = self.code.max_stack.max(self.height());
    }

    /// Pops `slots` values that stack-mode code has consumed (all at home).
    pub(super) fn pop(&mut self, slots: u32) {
        // Validation guarantees the operands exist in live code.
        let len = self.operands.len() - slots as usize;
        debug_assert!(self.operands[len..].iter().all(|o| *o == Operand::Home));
        self.operands.truncate(len);
    }

    /// Pops one value for a register instruction and returns the slot to
    /// read it from; a constant is written to the value's home slot first.
    pub(super) fn pop_reg(&mut self) -> Reg {
        let op = self.pop_operand();
        self.reg_of(op, self.height())
    }

    /// Pops one value, as the translator knows it.
    pub(super) fn pop_operand(&mut self) -> Operand {
        self.register_mode();
        // The writer of the value popped is no longer the top's.
        self.last_writer = None;
        self.operands.pop().expect("validated: operand present")
    }

    /// The slot holding `op`, whose home is height `h`.
    pub(super) fn reg_of(&mut self, op: Operand, h: u32) -> Reg {
        match op {
            Operand::Home => self.home(h),
            Operand::Local(r) => r,
            Operand::Const(value) => {
                let d = self.home(h);
                self.emit_reg(Instr::Const(Const { d, value }));
                d
            }
        }
    }

    /// Writes `op` to slot `d` (no instruction when it is there already).
    pub(super) fn copy_to(&mut self, op: Operand, from_height: u32, d: Reg) {
        match op {
            Operand::Home if self.home(from_height) == d => {}
            Operand::Home => {
                let a = self.home(from_height);
                self.emit_reg(Instr::Copy(Un { d, a }));
            }
            Operand::Local(a) => {
                self.emit_reg(Instr::Copy(Un { d, a }));
            }
            Operand::Const(value) => {
                self.emit_reg(Instr::Const(Const { d, value }));
            }
        }
    }

    /// Copies every value not at home to its home slot.
    pub(super) fn materialize_all(&mut self) {
        for h in 0..self.operands.len() {
            let op = self.operands[h];
            if op != Operand::Home {
                self.copy_to(op, h as u32, self.home(h as u32));
                self.operands[h] = Operand::Home;
            }
        }
    }

    /// Before local slot `r` is written: copies home every value still read from it.
    pub(super) fn materialize_local(&mut self, r: Reg) {
        for h in 0..self.operands.len() {
            if self.operands[h] == Operand::Local(r) {
                self.copy_to(Operand::Local(r), h as u32, self.home(h as u32));
                self.operands[h] = Operand::Home;
            }
        }
    }

    /// The instruction that just wrote the value at height `h` into its home
    /// slot, when nothing since can have read that slot: the value's
    /// consumer may absorb it ([`Translator::unemit_writer`]) or make it
    /// write elsewhere.
    pub(super) fn writer_of(&self, h: u32) -> Option<Instr> {
        let instr = self.code.instrs[self.last_writer?];
        let home = self.operands.get(h as usize) == Some(&Operand::Home);
        (home && instr.dst() == Some(self.home(h))).then_some(instr)
    }

    /// Removes the instruction [`Translator::writer_of`] found; its consumer
    /// does its work instead.
    pub(super) fn unemit_writer(&mut self) {
        let at = self.last_writer.take().expect("a writer was found");
        debug_assert_eq!(at + 1, self.code.instrs.len());
        self.code.instrs.truncate(at);
    }

    /// Pushes the result of the register instruction `instr`, which writes the
    /// home slot of the current height; a following `local.set` may retarget it.
    pub(super) fn produce(&mut self, instr: Instr) {
        self.register_mode();
        let at = self.emit(instr);
        self.push(1);
        self.last_writer = Some(at);
    }
}
