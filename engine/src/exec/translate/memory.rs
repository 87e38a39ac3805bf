//! Translation of loads and stores: memory 0 with a 32-bit offset gets
//! register instructions (with a preceding `i32.add` of a constant folded
//! into the address, and constant store values as immediates); any other
//! memory or offset, and a shared memory 0 (whose bytes need atomics, which
//! the register forms' cached plain view does not use), runs in stack mode.

use wasmparser::Operator as Op;

use super::operands::Operand;
use super::{Instr, Translator};
use crate::error::CompileError;
use crate::exec::instr::{Load, LoadAdd, LoadKind, LoadScaled, Store, StoreAdd, StoreImm};

/// An address computation a memory-0 access takes over from the
/// instruction that just made it.
enum Address {
    /// `a + imm` (an `I32AddImm`).
    Add { a: u32, imm: u32 },
    /// `(a << shift) + imm` (an `I32ShlAddImm`).
    Scaled { a: u32, imm: u32, shift: u8 },
}

impl Translator<'_> {
    /// Loads and stores; `false` for any other operator.
    pub(super) fn memory_access(&mut self, op: &Op<'_>) -> Result<bool, CompileError> {
        use Instr as I;
        use LoadKind as K;
        type LoadForms = (
            fn(Load) -> Instr,
            fn(LoadAdd) -> Instr,
            fn(LoadScaled) -> Instr,
        );
        let load = |memarg, kind, forms: LoadForms| Some((memarg, kind, forms));
        let loaded = match *op {
            Op::I32Load { memarg } | Op::F32Load { memarg } | Op::I64Load32U { memarg } => load(
                memarg,
                K::U32,
                (I::I32Load, I::I32LoadAdd, I::I32LoadScaled),
            ),
            Op::I64Load { memarg } | Op::F64Load { memarg } => load(
                memarg,
                K::U64,
                (I::I64Load, I::I64LoadAdd, I::I64LoadScaled),
            ),
            Op::I32Load8S { memarg } => load(
                memarg,
                K::I32From8S,
                (I::I32Load8S, I::I32Load8SAdd, I::I32Load8SScaled),
            ),
            Op::I32Load8U { memarg } | Op::I64Load8U { memarg } => load(
                memarg,
                K::U8,
                (I::I32Load8U, I::I32Load8UAdd, I::I32Load8UScaled),
            ),
            Op::I32Load16S { memarg } => load(
                memarg,
                K::I32From16S,
                (I::I32Load16S, I::I32Load16SAdd, I::I32Load16SScaled),
            ),
            Op::I32Load16U { memarg } | Op::I64Load16U { memarg } => load(
                memarg,
                K::U16,
                (I::I32Load16U, I::I32Load16UAdd, I::I32Load16UScaled),
            ),
            Op::I64Load8S { memarg } => load(
                memarg,
                K::I64From8S,
                (I::I64Load8S, I::I64Load8SAdd, I::I64Load8SScaled),
            ),
            Op::I64Load16S { memarg } => load(
                memarg,
                K::I64From16S,
                (I::I64Load16S, I::I64Load16SAdd, I::I64Load16SScaled),
            ),
            Op::I64Load32S { memarg } => load(
                memarg,
                K::I64From32S,
                (I::I64Load32S, I::I64Load32SAdd, I::I64Load32SScaled),
            ),
            _ => None,
        };
        if let Some((memarg, kind, (plain, add, scaled))) = loaded {
            let m = Self::memarg(memarg)?;
            match u32::try_from(m.offset) {
                Ok(offset) if m.mem == 0 && !self.memory0_shared() => {
                    let instr = match self.take_address(self.height() - 1, true) {
                        Some(Address::Add { a, imm }) => {
                            self.pop_operand();
                            let d = self.home(self.height());
                            add(LoadAdd { d, a, imm, offset })
                        }
                        Some(Address::Scaled { a, imm, shift }) => {
                            self.pop_operand();
                            let d = self.home(self.height());
                            scaled(LoadScaled {
                                d,
                                a,
                                imm,
                                shift,
                                offset,
                            })
                        }
                        None => {
                            let a = self.pop_reg();
                            let d = self.home(self.height());
                            plain(Load { d, a, offset })
                        }
                    };
                    self.produce(instr);
                }
                _ => self.emit_stack(Instr::LoadAny(kind, m), 1, 1),
            }
            return Ok(true);
        }
        type StoreForms = (
            fn(Store) -> Instr,
            fn(StoreAdd) -> Instr,
            fn(StoreImm) -> Instr,
        );
        let store = |memarg, bytes: u8, forms: StoreForms| Some((memarg, bytes, forms));
        let stored = match *op {
            Op::I32Store8 { memarg } | Op::I64Store8 { memarg } => {
                store(memarg, 1, (I::Store8, I::Store8Add, I::Store8Imm))
            }
            Op::I32Store16 { memarg } | Op::I64Store16 { memarg } => {
                store(memarg, 2, (I::Store16, I::Store16Add, I::Store16Imm))
            }
            Op::I32Store { memarg } | Op::F32Store { memarg } | Op::I64Store32 { memarg } => {
                store(memarg, 4, (I::Store32, I::Store32Add, I::Store32Imm))
            }
            Op::I64Store { memarg } | Op::F64Store { memarg } => {
                store(memarg, 8, (I::Store64, I::Store64Add, I::Store64Imm))
            }
            _ => None,
        };
        let Some((memarg, bytes, (plain, add, imm))) = stored else {
            return Ok(false);
        };
        let m = Self::memarg(memarg)?;
        match u32::try_from(m.offset) {
            Ok(offset) if m.mem == 0 && !self.memory0_shared() => {
                let h = self.height();
                let value = self.operands[h as usize - 1];
                let address_add = match value {
                    // A value computed after the address hides the address's writer.
                    Operand::Home => None,
                    _ => self.take_address_add(h - 2),
                };
                let value = self.pop_operand();
                let instr = match (value, address_add) {
                    (Operand::Const(value), None) => {
                        let a = self.pop_reg();
                        imm(StoreImm { a, offset, value })
                    }
                    (value, Some((a, imm))) => {
                        let v = self.reg_of(value, h - 1);
                        self.pop_operand();
                        add(StoreAdd { a, v, imm, offset })
                    }
                    (value, None) => {
                        let v = self.reg_of(value, h - 1);
                        let a = self.pop_reg();
                        plain(Store { a, v, offset })
                    }
                };
                self.emit_reg(instr);
            }
            _ => self.emit_stack(Instr::StoreAny { bytes, m }, 2, 0),
        }
        Ok(true)
    }

    fn memory0_shared(&self) -> bool {
        self.info.memory_types.first().is_some_and(|m| m.shared)
    }

    /// When the address at height `h` was just computed by an `i32.add` of
    /// a constant into its home slot (and memory 0 is 32-bit, where that add
    /// wraps at 32 bits before the offset is added), removes that
    /// instruction and returns its operand slot and constant, for the access
    /// to add itself.
    fn take_address_add(&mut self, h: u32) -> Option<(u32, u32)> {
        match self.take_address(h, false)? {
            Address::Add { a, imm } => Some((a, imm)),
            Address::Scaled { .. } => None,
        }
    }

    /// Like [`Translator::take_address_add`], also taking a scaled index
    /// (`I32ShlAddImm`) when `scaled`.
    fn take_address(&mut self, h: u32, scaled: bool) -> Option<Address> {
        let memory32 = self.info.memory_types.first().is_some_and(|m| !m.memory64);
        let address = match self.writer_of(h)? {
            Instr::I32AddImm(x) if memory32 => Address::Add { a: x.a, imm: x.imm },
            Instr::I32ShlAddImm(x) if memory32 && scaled => Address::Scaled {
                a: x.a,
                imm: x.imm,
                shift: x.shift,
            },
            _ => return None,
        };
        self.unemit_writer();
        Some(address)
    }
}
