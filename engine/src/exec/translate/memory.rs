//! Translation of loads and stores: memory 0 with a 32-bit offset gets
//! register instructions (with a preceding `i32.add` of a constant folded
//! into the address, a constant address added to the offset, and constant
//! store values as immediates); any other
//! memory or offset, and a shared memory 0 (whose bytes need atomics, which
//! the register forms' cached plain view does not use), runs in stack mode.
//! Which operator has which forms comes from the instruction table
//! (`ir/register_instrs.rs`, its `load` and `store` groups).

use wasmparser::Operator;

use super::operands::Operand;
use super::{Instr, Translator};
use crate::error::CompileError;
use crate::ir::{
    Load, LoadAdd, LoadAt, LoadKind, LoadScaled, StoreAdd, StoreAt, StoreImm, StoreReg,
};

/// An address computation a memory-0 access takes over from the
/// instruction that just made it.
enum Address {
    /// `a + imm` (an `I32AddImm`).
    Add { a: u32, imm: u32 },
    /// `(a << shift) + imm` (an `I32ShlAddImm`).
    Scaled { a: u32, imm: u32, shift: u8 },
}

/// A memory-0 load's register forms: plain, address plus a constant,
/// scaled index, constant address.
type LoadForms = (
    fn(Load) -> Instr,
    fn(LoadAdd) -> Instr,
    fn(LoadScaled) -> Instr,
    fn(LoadAt) -> Instr,
);

/// A memory-0 store's register forms: plain, address plus a constant,
/// constant value, constant address.
type StoreForms = (
    fn(StoreReg) -> Instr,
    fn(StoreAdd) -> Instr,
    fn(StoreImm) -> Instr,
    fn(StoreAt) -> Instr,
);

/// A load or store operator, with what the table says of it.
enum Access {
    /// Its stack-mode kind and register forms.
    Load(wasmparser::MemArg, LoadKind, LoadForms),
    /// The bytes it stores and its register forms.
    Store(wasmparser::MemArg, u8, StoreForms),
}

/// Maps the table's load and store operators to their forms.
macro_rules! memory_mapping {
    (
        instrs $instrs:tt
        numeric_operators $numeric:tt
        memory_operators { $( $($op:ident)|+ => $kind:ident($($args:tt)*); )* }
    ) => {
        /// The load or store `op` is; `None` for other operators. (An
        /// operator on two table lines is an error, not a silent shadow.)
        #[deny(unreachable_patterns)]
        fn access(op: &Operator<'_>) -> Option<Access> {
            Some(match *op {
                $( $(Operator::$op { memarg })|+ => access_of!($kind memarg, $($args)*), )*
                _ => return None,
            })
        }
    };
}

/// One table operator's [`Access`], by its kind.
macro_rules! access_of {
    (load $memarg:ident, $plain:ident, $add:ident, $scaled:ident, $at:ident, $kind:ident) => {
        Access::Load(
            $memarg,
            LoadKind::$kind,
            (Instr::$plain, Instr::$add, Instr::$scaled, Instr::$at),
        )
    };
    (store $memarg:ident, $plain:ident, $add:ident, $imm:ident, $at:ident, $bytes:literal) => {
        Access::Store(
            $memarg,
            $bytes,
            (Instr::$plain, Instr::$add, Instr::$imm, Instr::$at),
        )
    };
}

crate::for_each_register_instr!(memory_mapping! {});

impl Translator<'_> {
    /// Loads and stores; `false` for any other operator.
    pub(super) fn memory_access(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        match access(op) {
            Some(Access::Load(memarg, kind, forms)) => self.load(memarg, kind, forms)?,
            Some(Access::Store(memarg, bytes, forms)) => self.store(memarg, bytes, forms)?,
            None => return Ok(false),
        }
        Ok(true)
    }

    /// A store: a register form for memory 0 (32-bit offset, not shared),
    /// else stack mode.
    fn store(
        &mut self,
        memarg: wasmparser::MemArg,
        bytes: u8,
        (plain, add, imm, at): StoreForms,
    ) -> Result<(), CompileError> {
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
                let constant_address = self.constant_address(self.operands[h as usize - 2], offset);
                let instr = match (value, address_add, constant_address) {
                    // (A constant value at a constant address keeps `StoreImm`.)
                    (value, None, Some(addr)) if !matches!(value, Operand::Const(_)) => {
                        let v = self.reg_of(value, h - 1);
                        self.pop_operand();
                        at(StoreAt { v, addr })
                    }
                    (Operand::Const(value), None, _) => {
                        let a = self.pop_reg();
                        imm(StoreImm { a, offset, value })
                    }
                    (value, Some((a, imm)), _) => {
                        let v = self.reg_of(value, h - 1);
                        self.pop_operand();
                        add(StoreAdd { a, v, imm, offset })
                    }
                    (value, None, _) => {
                        let v = self.reg_of(value, h - 1);
                        let a = self.pop_reg();
                        plain(StoreReg { a, v, offset })
                    }
                };
                self.emit_reg(instr);
            }
            _ => self.emit_stack(Instr::StoreAny { bytes, m }, 2, 0),
        }
        Ok(())
    }

    /// A load: a register form for memory 0 (32-bit offset, not shared),
    /// else stack mode.
    fn load(
        &mut self,
        memarg: wasmparser::MemArg,
        kind: LoadKind,
        (plain, add, scaled, at): LoadForms,
    ) -> Result<(), CompileError> {
        let m = Self::memarg(memarg)?;
        match u32::try_from(m.offset) {
            Ok(offset) if m.mem == 0 && !self.memory0_shared() => {
                let top = self.operands[self.height() as usize - 1];
                if let Some(addr) = self.constant_address(top, offset) {
                    self.pop_operand();
                    let d = self.home(self.height());
                    self.produce(at(LoadAt { d, addr }));
                    return Ok(());
                }
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
        Ok(())
    }

    /// The effective address of an access whose address operand is a
    /// constant (C's global variables and static arrays at a constant
    /// index): the constant plus the offset, without wrapping, as wasm
    /// adds them. Memory32 only (a memory64 address constant is 64 bits).
    fn constant_address(&self, address: Operand, offset: u32) -> Option<u64> {
        let memory32 = self.info.memory_types.first().is_some_and(|m| !m.memory64);
        match address {
            Operand::Const(c) if memory32 => Some(c as u32 as u64 + offset as u64),
            _ => None,
        }
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
