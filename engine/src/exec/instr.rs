//! The interpreter's instruction set: a stack machine over 64-bit slots
//! with every branch resolved at translation time.
//!
//! Branches carry the instruction index to jump to and the stack fix-up
//! (`keep` result slots moved down over `drop` slots), so running code
//! never searches for a label or re-reads wasm bytes. Locals are addressed
//! by slot offset from the frame base. Loops have no header instruction:
//! backward branches poll the interrupt flag.

/// A memory immediate: which memory, and the static offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MemArg {
    pub mem: u32,
    pub offset: u64,
}

/// Where a branch goes and how it reshapes the operand stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BrTarget {
    /// Index of the next instruction to run.
    pub pc: u32,
    /// Slots removed from below the kept ones.
    pub drop: u32,
    /// Slots (the label's arity) moved down.
    pub keep: u32,
}

/// An `i32` comparison fused into a branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// Evaluates the comparison on two `f64` slots (IEEE: NaN compares unequal).
    #[inline(always)]
    pub(crate) fn holds_f64(self, a: u64, b: u64) -> bool {
        let (a, b) = (f64::from_bits(a), f64::from_bits(b));
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS | Cmp::LtU => a < b,
            Cmp::GtS | Cmp::GtU => a > b,
            Cmp::LeS | Cmp::LeU => a <= b,
            Cmp::GeS | Cmp::GeU => a >= b,
        }
    }

    /// Evaluates the comparison on two `i64` slots.
    #[inline(always)]
    pub(crate) fn holds64(self, a: u64, b: u64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS => (a as i64) < (b as i64),
            Cmp::LtU => a < b,
            Cmp::GtS => (a as i64) > (b as i64),
            Cmp::GtU => a > b,
            Cmp::LeS => (a as i64) <= (b as i64),
            Cmp::LeU => a <= b,
            Cmp::GeS => (a as i64) >= (b as i64),
            Cmp::GeU => a >= b,
        }
    }

    /// Evaluates the comparison on two `i32` slots.
    #[inline(always)]
    pub(crate) fn holds(self, a: u64, b: u64) -> bool {
        let (a, b) = (a as u32, b as u32);
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS => (a as i32) < (b as i32),
            Cmp::LtU => a < b,
            Cmp::GtS => (a as i32) > (b as i32),
            Cmp::GtU => a > b,
            Cmp::LeS => (a as i32) <= (b as i32),
            Cmp::LeU => a <= b,
            Cmp::GeS => (a as i32) >= (b as i32),
            Cmp::GeU => a >= b,
        }
    }
}

/// One interpreter instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Instr {
    Unreachable,
    Br(BrTarget),
    /// Pops an `i32`; branches when it is non-zero.
    BrIf(BrTarget),
    /// Pops an `i32`; jumps to `pc` (no stack change) when it is zero. Used by `if`.
    BrUnless {
        pc: u32,
    },
    /// Pops an index into `br_targets[first..first + len]`; the last entry is the default.
    BrTable {
        first: u32,
        len: u32,
    },
    Return,
    /// Calls function `index` of the current instance.
    Call(u32),
    /// Calls through table `table`, checking against module type `ty`.
    CallIndirect {
        ty: u32,
        table: u32,
    },
    /// Fused `i32.eqz; br_if`: branches when the popped `i32` is zero.
    BrIfEqz(BrTarget),
    /// Fused `i32.eqz; if`: jumps to `pc` when the popped `i32` is non-zero.
    BrIfNez {
        pc: u32,
    },
    /// Fused `i32.<cmp>; br_if`: pops two `i32`s, branches when the comparison holds.
    BrIfCmp(BrTarget, Cmp),
    /// Fused `i32.<cmp>; if`: pops two `i32`s, jumps to `pc` when it does not hold.
    BrUnlessCmp {
        pc: u32,
        cmp: Cmp,
    },
    /// Fused `i32.const c; i32.add` (and `sub` with `-c`).
    I32AddImm(u32),
    I32AndImm(u32),
    I32ShlImm(u32),
    I32ShrSImm(u32),
    I32ShrUImm(u32),
    I64AddImm(u64),
    /// Fused `local.get x; <op>`: the right operand is local `x` (slot offset).
    I32AddLocal(u32),
    I32SubLocal(u32),
    I32MulLocal(u32),
    I32AndLocal(u32),
    I32OrLocal(u32),
    I32XorLocal(u32),
    I64AddLocal(u32),
    I64SubLocal(u32),
    I64MulLocal(u32),
    /// Fused `i32.const c; local.set x` and `local.get y; local.set x`.
    LocalSetConst {
        local: u32,
        value: u32,
    },
    LocalCopy {
        from: u32,
        to: u32,
    },
    /// Fused `local.get x; i32.const c; i32.add`: pushes local `x` plus `imm`.
    I32AddImmLocal {
        local: u32,
        imm: u32,
    },
    /// Fused `local.get x; i32.const c; i32.add; local.set y`: `y = x + imm`.
    LocalAddImm {
        from: u32,
        to: u32,
        imm: u32,
    },
    /// Like [`Instr::LocalAddImm`] with `local.tee`: also pushes the sum.
    LocalAddImmTee {
        from: u32,
        to: u32,
        imm: u32,
    },
    /// Fused `local.set x; local.get y`.
    LocalSetGet {
        set: u32,
        get: u32,
    },
    /// Fused `local.tee x; local.get y`.
    LocalTeeGet {
        tee: u32,
        get: u32,
    },
    /// Fused `local.get a; local.get b`.
    LocalGet2 {
        a: u32,
        b: u32,
    },
    F64AddLocal(u32),
    F64SubLocal(u32),
    F64MulLocal(u32),
    /// Fused `local.get x; i32.load` (also `f32.load` and `i64.load32_u`,
    /// which read the same zero-extended bits) on memory 0, address from local `local`.
    I32LoadLocal {
        local: u32,
        offset: u32,
    },
    /// Fused `local.get x; i64.load` (also `f64.load`) on memory 0.
    I64LoadLocal {
        local: u32,
        offset: u32,
    },
    I32RotlImm(u32),
    I64ShlImm(u64),
    I64ShrUImm(u64),
    I64AndImm(u64),
    /// Fused `local.get x; i32.<cmp>`: compares the top with local `x`.
    I32CmpLocal(Cmp, u32),
    /// Fused `i32.const c; i32.<cmp>`: compares the top with `c`.
    I32CmpImm(Cmp, u32),
    /// Fused `local.get x; i32.<cmp>; br_if`: pops one `i32`, compares it with local `x`.
    BrIfCmpLocal(BrTarget, Cmp, u32),
    /// Fused `i32.const c; i32.<cmp>; br_if`: pops one `i32`, compares it with `c`.
    BrIfCmpImm(BrTarget, Cmp, u32),
    /// Fused `i64.<cmp>; br_if`: pops two `i64`s, branches when the comparison holds.
    BrIfCmp64(BrTarget, Cmp),
    /// Fused `i64.eqz; br_if`.
    BrIfEqz64(BrTarget),
    /// Fused `local.get a; local.get b; i32.add`: pushes the sum of two locals.
    I32AddLL {
        a: u32,
        b: u32,
    },
    /// Fused `local.get a; local.get b; i32.add; local.set to`.
    LocalAddLL {
        a: u32,
        b: u32,
        to: u32,
    },
    /// Fused `local.get a; local.get b; i64.add`.
    I64AddLL {
        a: u32,
        b: u32,
    },
    /// Fused `local.get a; local.get b; f64.<op>`: the result of two locals.
    F64AddLL {
        a: u32,
        b: u32,
    },
    F64SubLL {
        a: u32,
        b: u32,
    },
    F64MulLL {
        a: u32,
        b: u32,
    },
    /// Fused `f64.<cmp>; br_if` (`Cmp::{Eq, Ne, LtS, GtS, LeS, GeS}` stand
    /// for the float comparisons, which are false on NaN except `Ne`).
    BrIfCmpF64(BrTarget, Cmp),
    /// Fused `local.get x; i32.const c; i32.shl` and `... i32.rotl`.
    I32ShlImmLocal {
        local: u32,
        imm: u32,
    },
    I32RotlImmLocal {
        local: u32,
        imm: u32,
    },
    /// Two fused `local.get; local.set` moves, in order.
    LocalCopy2 {
        from1: u32,
        to1: u32,
        from2: u32,
        to2: u32,
    },
    /// Fused `local.get x; i32.const s; i32.shl; i32.const c; i32.add`:
    /// pushes `(x << shift) + imm` (an array element's address).
    I32ShlAddImmLocal {
        local: u32,
        shift: u32,
        imm: u32,
    },
    /// Fused `local.get x; i32.const c; i32.add; i32.load offset` (also
    /// `f32.load`, `i64.load32_u`) on memory 0: the address is `x + imm`
    /// wrapped to 32 bits, then `offset` is added without wrapping.
    I32LoadLocalImm {
        local: u32,
        imm: u32,
        offset: u32,
    },
    /// Like [`Instr::I32LoadLocalImm`] for `i64.load` and `f64.load`.
    I64LoadLocalImm {
        local: u32,
        imm: u32,
        offset: u32,
    },
    /// Fused `f64.add; local.set x` and `f64.add; local.tee x`.
    F64AddSet(u32),
    F64AddTee(u32),
    /// Fused `local.get x; i32.mul; i32.add`: pops `a`, then replaces `c` with `c + a * x`.
    I32MulAddLocal(u32),
    /// Fused `i64.eqz; if`: jumps to `pc` when the popped `i64` is non-zero.
    BrIfNez64 {
        pc: u32,
    },
    /// Fused `local.get x; i64.const c; i64.add` (and `i64.sub` with `-c`).
    I64AddImmLocal {
        local: u32,
        imm: u64,
    },
    /// Fused `local.get a; local.get b; i32.store` on memory 0: stores local
    /// `val` at local `addr` plus `offset`.
    I32StoreLL {
        addr: u32,
        val: u32,
        offset: u32,
    },
    /// Fused `f64.const c; f64.<cmp>` (comparisons as in [`Instr::BrIfCmpF64`]).
    F64CmpImm(Cmp, u64),
    /// Fused `f64.const c; f64.<cmp>; br_if`.
    BrIfCmpF64Imm(BrTarget, Cmp, u64),
    /// `return_call`: the callee replaces the current frame.
    ReturnCall(u32),
    /// `return_call_indirect`.
    ReturnCallIndirect {
        ty: u32,
        table: u32,
    },
    /// `call_ref`: pops a function reference (null traps) and calls it.
    CallRef,
    /// `return_call_ref`.
    ReturnCallRef,
    /// Branches (popping the reference) when the top reference is null.
    BrOnNull(BrTarget),
    /// Branches (keeping the reference) when the top reference is not null; pops it otherwise.
    BrOnNonNull(BrTarget),
    /// Traps when the top reference is null.
    RefAsNonNull,
    /// Throws an exception of the instance's tag, payload on the stack.
    Throw(u32),
    /// Rethrows the exception of the popped exnref (null traps).
    ThrowRef,
    /// Drops `n` slots.
    Drop(u32),
    /// Pops a condition and picks one of two single-slot values.
    Select,
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    GlobalGet(u32),
    GlobalSet(u32),
    Const(u64),
    /// `select` of two `v128` values (two slots each).
    SelectV128,
    LocalGetV128(u32),
    LocalSetV128(u32),
    LocalTeeV128(u32),
    GlobalGetV128(u32),
    GlobalSetV128(u32),
    /// A SIMD operator: index into `FuncCode::simd`.
    Simd(u32),
    /// A SIMD load or store: index into `FuncCode::simd_mem`.
    SimdMem(u32),
    /// An atomic memory instruction: index into `FuncCode::atomics`.
    Atomic(u32),

    I32Load(MemArg),
    I64Load(MemArg),
    F32Load(MemArg),
    F64Load(MemArg),
    I32Load8S(MemArg),
    I32Load8U(MemArg),
    I32Load16S(MemArg),
    I32Load16U(MemArg),
    I64Load8S(MemArg),
    I64Load8U(MemArg),
    I64Load16S(MemArg),
    I64Load16U(MemArg),
    I64Load32S(MemArg),
    I64Load32U(MemArg),
    I32Store(MemArg),
    I64Store(MemArg),
    F32Store(MemArg),
    F64Store(MemArg),
    I32Store8(MemArg),
    I32Store16(MemArg),
    I64Store8(MemArg),
    I64Store16(MemArg),
    I64Store32(MemArg),
    MemorySize(u32),
    MemoryGrow(u32),
    MemoryInit {
        data: u32,
        mem: u32,
    },
    DataDrop(u32),
    MemoryCopy {
        dst: u32,
        src: u32,
    },
    MemoryFill(u32),

    TableGet(u32),
    TableSet(u32),
    TableSize(u32),
    TableGrow(u32),
    TableFill(u32),
    TableCopy {
        dst: u32,
        src: u32,
    },
    TableInit {
        elem: u32,
        table: u32,
    },
    ElemDrop(u32),
    RefIsNull,
    RefFunc(u32),

    I32Eqz,
    I32Eq,
    I32Ne,
    I32LtS,
    I32LtU,
    I32GtS,
    I32GtU,
    I32LeS,
    I32LeU,
    I32GeS,
    I32GeU,
    I64Eqz,
    I64Eq,
    I64Ne,
    I64LtS,
    I64LtU,
    I64GtS,
    I64GtU,
    I64LeS,
    I64LeU,
    I64GeS,
    I64GeU,
    F32Eq,
    F32Ne,
    F32Lt,
    F32Gt,
    F32Le,
    F32Ge,
    F64Eq,
    F64Ne,
    F64Lt,
    F64Gt,
    F64Le,
    F64Ge,

    I32Clz,
    I32Ctz,
    I32Popcnt,
    I32Add,
    I32Sub,
    I32Mul,
    I32DivS,
    I32DivU,
    I32RemS,
    I32RemU,
    I32And,
    I32Or,
    I32Xor,
    I32Shl,
    I32ShrS,
    I32ShrU,
    I32Rotl,
    I32Rotr,
    I64Clz,
    I64Ctz,
    I64Popcnt,
    I64Add,
    I64Sub,
    I64Mul,
    I64DivS,
    I64DivU,
    I64RemS,
    I64RemU,
    I64And,
    I64Or,
    I64Xor,
    I64Shl,
    I64ShrS,
    I64ShrU,
    I64Rotl,
    I64Rotr,

    F32Abs,
    F32Neg,
    F32Ceil,
    F32Floor,
    F32Trunc,
    F32Nearest,
    F32Sqrt,
    F32Add,
    F32Sub,
    F32Mul,
    F32Div,
    F32Min,
    F32Max,
    F32Copysign,
    F64Abs,
    F64Neg,
    F64Ceil,
    F64Floor,
    F64Trunc,
    F64Nearest,
    F64Sqrt,
    F64Add,
    F64Sub,
    F64Mul,
    F64Div,
    F64Min,
    F64Max,
    F64Copysign,

    I32WrapI64,
    I32TruncF32S,
    I32TruncF32U,
    I32TruncF64S,
    I32TruncF64U,
    I64ExtendI32S,
    I64ExtendI32U,
    I64TruncF32S,
    I64TruncF32U,
    I64TruncF64S,
    I64TruncF64U,
    F32ConvertI32S,
    F32ConvertI32U,
    F32ConvertI64S,
    F32ConvertI64U,
    F32DemoteF64,
    F64ConvertI32S,
    F64ConvertI32U,
    F64ConvertI64S,
    F64ConvertI64U,
    F64PromoteF32,
    I32Extend8S,
    I32Extend16S,
    I64Extend8S,
    I64Extend16S,
    I64Extend32S,
    I32TruncSatF32S,
    I32TruncSatF32U,
    I32TruncSatF64S,
    I32TruncSatF64U,
    I64TruncSatF32S,
    I64TruncSatF32U,
    I64TruncSatF64S,
    I64TruncSatF64U,
    /// Wide arithmetic: `[lo hi lo hi] -> [lo hi]` and `[i64 i64] -> [lo hi]`.
    I64Add128,
    I64Sub128,
    I64MulWideS,
    I64MulWideU,
    /// A GC operator: index into `FuncCode::gc`.
    Gc(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fused_comparisons_follow_each_type() {
        let (nan, one) = (f64::NAN.to_bits(), 1f64.to_bits());
        for cmp in [Cmp::Eq, Cmp::LtS, Cmp::GtS, Cmp::LeS, Cmp::GeS] {
            assert!(!cmp.holds_f64(nan, one) && !cmp.holds_f64(one, nan));
        }
        assert!(Cmp::Ne.holds_f64(nan, nan));
        assert!(Cmp::LeS.holds_f64((-0f64).to_bits(), 0f64.to_bits()));
        // -1 is below 0 signed, above it unsigned, in both widths.
        let m1_32 = u32::MAX as u64;
        assert!(Cmp::LtS.holds(m1_32, 0) && Cmp::GtU.holds(m1_32, 0));
        assert!(Cmp::LtS.holds64(u64::MAX, 0) && Cmp::GtU.holds64(u64::MAX, 0));
        // An i32 compare ignores nothing but the low half, which is all there is.
        assert!(!Cmp::LtS.holds64(m1_32, 0));
    }

    #[test]
    fn instructions_stay_small() {
        // Dispatch speed depends on instructions packing densely.
        assert!(std::mem::size_of::<Instr>() <= 24);
    }
}
