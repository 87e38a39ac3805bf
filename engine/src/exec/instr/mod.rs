//! The interpreter's instruction set: a register machine over the 64-bit
//! slots of a frame, with a stack-machine escape for cold operators.
//!
//! Hot instructions (numerics, locals, globals, memory-0 loads and stores,
//! branches, calls) name the frame slots they read and write ([`Reg`]s):
//! the translator knows the operand-stack height everywhere, so every stack
//! operand has a fixed slot, and `local.get`/constants are read in place
//! rather than copied. Branches carry the instruction index to jump to;
//! values a branch carries are copied by explicit instructions before it.
//!
//! Cold operators (SIMD, GC, tables, bulk memory, atomics, exceptions, wide
//! arithmetic) run on an operand stack: [`Instr::StackMode`] cuts the value
//! stack back to the current height, the operators push and pop, and
//! [`Instr::RegisterMode`] restores the full frame. Their operands are always
//! in their fixed slots, so both views agree.

mod operands;

pub(crate) use operands::{
    Bin, BinImm32, BinImm64, Cmp, Const, Indexed, Load, LoadAdd, LoadKind, MemArg, MulAdd, Reg,
    Select, Store, StoreAdd, StoreImm, Un,
};

/// Declares [`Instr`]: the register instructions that write one slot `d`,
/// grouped by operand shape (so the translator can retarget `d`, see
/// [`Instr::dst_mut`]), then every other instruction as written.
macro_rules! instruction_set {
    (
        writing { $( $shape:ident : [ $( $(#[$doc:meta])* $name:ident ),* $(,)? ] ),* $(,)? }
        other { $($other:tt)* }
    ) => {
        /// One interpreter instruction.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Instr {
            $( $( $(#[$doc])* $name($shape), )* )*
            $($other)*
        }

        impl Instr {
            /// One past the highest frame slot the instruction reads or writes
            /// itself (a call's callee frame is checked on entry); `None` when it
            /// names no slot.
            pub(crate) fn slot_bound(&self) -> Option<u32> {
                match self {
                    $( $( Instr::$name(x) )|* => Some(x.slot_bound()), )*
                    other => other.other_slot_bound(),
                }
            }

            /// The slot this instruction writes, when it writes exactly one.
            pub(crate) fn dst(&self) -> Option<Reg> {
                let mut copy = *self;
                copy.dst_mut().map(|d| *d)
            }

            /// The slot this instruction writes, when it writes exactly one
            /// (and nothing else): `local.set` after it can write the local directly.
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Reg> {
                match self {
                    $( $( Instr::$name(x) )|* => Some(&mut x.d), )*
                    _ => None,
                }
            }
        }
    };
}

instruction_set! {
    writing {
        Un: [
            /// `d = a`: a local or stack value moved between slots.
            Copy,
            I32Eqz, I64Eqz,
            I32Clz, I32Ctz, I32Popcnt, I64Clz, I64Ctz, I64Popcnt,
            F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
            F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
            I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
            I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
            F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
            F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
            I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
            I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
            I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
        ],
        Bin: [
            I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
            I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
            F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
            F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
            I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
            I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
            I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
            I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
            F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
            F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
        ],
        BinImm32: [
            /// `i32.add` with a constant (`i32.sub` too, with the constant negated).
            I32AddImm,
            I32MulImm, I32AndImm, I32OrImm, I32XorImm,
            I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm, I32RotrImm,
            I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm,
            I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,
            /// Division and remainder by a constant that cannot trap (not 0,
            /// and not -1 when signed).
            I32DivSImm, I32DivUImm, I32RemSImm, I32RemUImm,
            /// `d = imm - a`: a constant left operand.
            I32RSubImm,
        ],
        BinImm64: [
            I64AddImm, I64MulImm, I64AndImm, I64OrImm, I64XorImm,
            I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm, I64RotrImm,
            I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm,
            I64LeSImm, I64LeUImm, I64GeSImm, I64GeUImm,
            I64DivSImm, I64DivUImm, I64RemSImm, I64RemUImm,
            /// `f64` arithmetic with a constant right operand (its bits).
            F64AddImm, F64SubImm, F64MulImm, F64DivImm,
            F64EqImm, F64NeImm, F64LtImm, F64GtImm, F64LeImm, F64GeImm,
            /// `d = imm - a` and `d = imm / a`: a constant left operand.
            F64RSubImm, F64RDivImm,
        ],
        Const: [Const],
        Indexed: [
            /// `d = global i` of the current instance (one-slot globals).
            GlobalGet,
        ],
        Select: [Select],
        MulAdd: [
            /// `d = a * b + c`; for `f64` also `d = c + a * b` (the operand
            /// order decides which NaN propagates).
            I32MulAdd, I64MulAdd, F64MulAdd, F64AddMul,
        ],
        Load: [
            /// Memory-0 loads: `i32.load`, `f32.load` and `i64.load32_u` read the
            /// same zero-extended bits, as do `i64.load` and `f64.load`.
            I32Load,
            I64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U,
            I64Load8S, I64Load16S, I64Load32S,
        ],
        LoadAdd: [
            I32LoadAdd, I64LoadAdd, I32Load8SAdd, I32Load8UAdd, I32Load16SAdd, I32Load16UAdd,
            I64Load8SAdd, I64Load16SAdd, I64Load32SAdd,
        ],
    }
    other {
        /// Memory-0 stores of the low 1, 2, 4 or 8 bytes of `v`.
        Store8(Store),
        Store16(Store),
        Store32(Store),
        Store64(Store),
        Store8Add(StoreAdd),
        Store16Add(StoreAdd),
        Store32Add(StoreAdd),
        Store64Add(StoreAdd),
        Store8Imm(StoreImm),
        Store16Imm(StoreImm),
        Store32Imm(StoreImm),
        Store64Imm(StoreImm),
        /// `global i = a` (one-slot globals).
        GlobalSet { g: u32, a: Reg },
        Unreachable,
        /// Traps when slot `a` holds a null reference (`ref.as_non_null`).
        TrapIfNull { a: Reg },
        /// Continues at instruction `pc`.
        Jump { pc: u32 },
        /// Jumps to `pc` when slot `c` is non-zero (an `i32`, or a non-null reference).
        BrIf { c: Reg, pc: u32 },
        /// Jumps to `pc` when slot `c` is zero.
        BrUnless { c: Reg, pc: u32 },
        /// Jumps to `pc` when the `i32` comparison of `a` and `b` holds.
        BrCmp32 { cmp: Cmp, a: Reg, b: Reg, pc: u32 },
        BrCmp32Imm { cmp: Cmp, a: Reg, imm: u32, pc: u32 },
        BrCmp64 { cmp: Cmp, a: Reg, b: Reg, pc: u32 },
        /// `imm` is sign-extended to 64 bits.
        BrCmp64Imm { cmp: Cmp, a: Reg, imm: i32, pc: u32 },
        /// Jumps when the `f64` comparison holds (`negate: false`) or does not.
        BrCmpF64 { cmp: Cmp, negate: bool, a: Reg, b: Reg, pc: u32 },
        /// `imm` holds the `f64` constant's bits.
        BrCmpF64Imm { cmp: Cmp, negate: bool, a: Reg, imm: u64, pc: u32 },
        /// Jumps to `br_targets[first + min(index, len - 1)]`.
        BrTable { index: Reg, first: u32, len: u32 },
        /// Returns the `n` slots starting at `from`.
        Return { from: Reg, n: u32 },
        /// Calls function `func` of the instance; its arguments (and then its
        /// results) are in the slots from `at`, which become the callee's frame base.
        Call { func: u32, at: Reg },
        /// Calls through table `table` at the index in slot `index`, checking module type `ty`.
        CallIndirect { ty: u32, table: u32, index: Reg, at: Reg },
        /// Calls the function reference in slot `callee` (null traps).
        CallRef { callee: Reg, at: Reg },
        /// The tail-call forms: the callee replaces the current frame.
        ReturnCall { func: u32, at: Reg },
        ReturnCallIndirect { ty: u32, table: u32, index: Reg, at: Reg },
        ReturnCallRef { callee: Reg, at: Reg },

        /// Enters stack mode: the operand stack's top is slot `top`.
        StackMode { top: Reg },
        /// Leaves stack mode: the whole frame is addressable again.
        RegisterMode,

        // Stack mode only, from here on.
        /// Throws an exception of the instance's tag, payload on the stack.
        Throw(u32),
        /// Rethrows the exception of the popped exnref (null traps).
        ThrowRef,
        /// Pushes a constant (the halves of a `v128.const`).
        PushConst(u64),
        /// `select` of two `v128` values (two slots each).
        SelectV128,
        LocalGetV128(Reg),
        LocalSetV128(Reg),
        LocalTeeV128(Reg),
        GlobalGetV128(u32),
        GlobalSetV128(u32),
        /// A SIMD operator: index into `FuncCode::simd`.
        Simd(u32),
        /// A SIMD load or store: index into `FuncCode::simd_mem`.
        SimdMem(u32),
        /// An atomic memory instruction: index into `FuncCode::atomics`.
        Atomic(u32),
        /// A load from any memory at any offset (memory-0 loads with 32-bit
        /// offsets use the register forms).
        LoadAny(LoadKind, MemArg),
        /// A store of the low `bytes` bytes to any memory at any offset.
        StoreAny { bytes: u8, m: MemArg },
        MemorySize(u32),
        MemoryGrow(u32),
        MemoryInit { data: u32, mem: u32 },
        DataDrop(u32),
        MemoryCopy { dst: u32, src: u32 },
        MemoryFill(u32),
        TableGet(u32),
        TableSet(u32),
        TableSize(u32),
        TableGrow(u32),
        TableFill(u32),
        TableCopy { dst: u32, src: u32 },
        TableInit { elem: u32, table: u32 },
        ElemDrop(u32),
        RefFunc(u32),
        /// Wide arithmetic: `[lo hi lo hi] -> [lo hi]` and `[i64 i64] -> [lo hi]`.
        I64Add128,
        I64Sub128,
        I64MulWideS,
        I64MulWideU,
        /// A GC operator: index into `FuncCode::gc`.
        Gc(u32),
    }
}

impl Instr {
    /// The instruction index a jump or branch may continue at.
    pub(crate) fn branch_target(&self) -> Option<u32> {
        match *self {
            Instr::Jump { pc }
            | Instr::BrIf { pc, .. }
            | Instr::BrUnless { pc, .. }
            | Instr::BrCmp32 { pc, .. }
            | Instr::BrCmp32Imm { pc, .. }
            | Instr::BrCmp64 { pc, .. }
            | Instr::BrCmp64Imm { pc, .. }
            | Instr::BrCmpF64 { pc, .. }
            | Instr::BrCmpF64Imm { pc, .. } => Some(pc),
            _ => None,
        }
    }

    /// Whether execution never continues with the next instruction.
    pub(crate) fn ends_flow(&self) -> bool {
        matches!(
            self,
            Instr::Jump { .. }
                | Instr::BrTable { .. }
                | Instr::Return { .. }
                | Instr::Unreachable
                | Instr::ReturnCall { .. }
                | Instr::ReturnCallIndirect { .. }
                | Instr::ReturnCallRef { .. }
                | Instr::Throw(_)
                | Instr::ThrowRef
        )
    }

    fn other_slot_bound(&self) -> Option<u32> {
        let max = |regs: &[Reg]| regs.iter().max().map(|r| r + 1);
        match *self {
            Instr::Store8(x) | Instr::Store16(x) | Instr::Store32(x) | Instr::Store64(x) => {
                max(&[x.a, x.v])
            }
            Instr::Store8Add(x)
            | Instr::Store16Add(x)
            | Instr::Store32Add(x)
            | Instr::Store64Add(x) => max(&[x.a, x.v]),
            Instr::Store8Imm(x)
            | Instr::Store16Imm(x)
            | Instr::Store32Imm(x)
            | Instr::Store64Imm(x) => max(&[x.a]),
            Instr::GlobalSet { a, .. } | Instr::TrapIfNull { a } => max(&[a]),
            Instr::BrIf { c, .. } | Instr::BrUnless { c, .. } => max(&[c]),
            Instr::BrCmp32 { a, b, .. }
            | Instr::BrCmp64 { a, b, .. }
            | Instr::BrCmpF64 { a, b, .. } => max(&[a, b]),
            Instr::BrCmp32Imm { a, .. }
            | Instr::BrCmp64Imm { a, .. }
            | Instr::BrCmpF64Imm { a, .. } => max(&[a]),
            Instr::BrTable { index, .. } => max(&[index]),
            Instr::Return { from, n } => Some(from + n),
            // The arguments end at or before the frame's end.
            Instr::Call { at, .. } | Instr::ReturnCall { at, .. } => Some(at),
            Instr::CallIndirect { index, at, .. }
            | Instr::ReturnCallIndirect { index, at, .. }
            | Instr::CallRef { callee: index, at }
            | Instr::ReturnCallRef { callee: index, at } => max(&[index, at]),
            Instr::StackMode { top } => Some(top),
            _ => None,
        }
    }
}

/// The slots an operand shape names.
trait SlotBound {
    /// One past the highest slot named.
    fn slot_bound(&self) -> u32;
}

macro_rules! slot_bound {
    ($($shape:ident { $($field:ident),* }),* $(,)?) => {
        $(impl SlotBound for $shape {
            fn slot_bound(&self) -> u32 {
                [$(self.$field),*].into_iter().max().unwrap_or(0) + 1
            }
        })*
    };
}

slot_bound!(
    Un { d, a },
    Bin { d, a, b },
    BinImm32 { d, a },
    BinImm64 { d, a },
    Const { d },
    Indexed { d },
    Select { d, c, a, b },
    MulAdd { d, a, b, c },
    Load { d, a },
    LoadAdd { d, a },
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_bounds_cover_every_slot_named() {
        assert_eq!(
            Instr::I32Add(Bin { d: 2, a: 7, b: 1 }).slot_bound(),
            Some(8)
        );
        assert_eq!(Instr::Return { from: 4, n: 2 }.slot_bound(), Some(6));
        assert_eq!(
            Instr::Store32(Store {
                a: 9,
                v: 3,
                offset: 0
            })
            .slot_bound(),
            Some(10)
        );
        assert_eq!(Instr::Jump { pc: 100 }.slot_bound(), None);
    }

    #[test]
    fn instructions_stay_small() {
        // Dispatch speed depends on instructions packing densely.
        assert!(std::mem::size_of::<Instr>() <= 24);
    }

    #[test]
    fn only_single_slot_writers_can_be_retargeted() {
        let mut add = Instr::I32Add(Bin { d: 5, a: 1, b: 2 });
        *add.dst_mut().expect("writes d") = 0;
        assert_eq!(add, Instr::I32Add(Bin { d: 0, a: 1, b: 2 }));
        assert!(Instr::Store32(Store {
            a: 0,
            v: 1,
            offset: 0
        })
        .dst_mut()
        .is_none());
        assert!(Instr::Call { func: 0, at: 3 }.dst_mut().is_none());
    }
}
