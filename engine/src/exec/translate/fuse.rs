//! Peephole fusion: merges an instruction into the one emitted just before
//! it when the pair is common in compiled code, so the loop dispatches
//! fewer instructions. Never across a position some branch, loop or
//! handler range points at (the translator's `barrier`).

use crate::exec::instr::{Cmp, Instr};

/// The single instruction doing `prev` then `next`, if there is one.
pub(super) fn fuse(prev: Instr, next: Instr) -> Option<Instr> {
    use Instr as I;
    Some(match (prev, next) {
        (I::Const(c), I::I32Add) => I::I32AddImm(c as u32),
        (I::Const(c), I::I32Sub) => I::I32AddImm((c as u32).wrapping_neg()),
        (I::Const(c), I::I32And) => I::I32AndImm(c as u32),
        (I::Const(c), I::I32Shl) => I::I32ShlImm(c as u32),
        (I::Const(c), I::I32ShrS) => I::I32ShrSImm(c as u32),
        (I::Const(c), I::I32ShrU) => I::I32ShrUImm(c as u32),
        (I::Const(c), I::I64Add) => I::I64AddImm(c),
        (I::LocalGet(x), I::I32Add) => I::I32AddLocal(x),
        (I::LocalGet(x), I::I32Sub) => I::I32SubLocal(x),
        (I::LocalGet(x), I::I32Mul) => I::I32MulLocal(x),
        (I::LocalGet(x), I::I32And) => I::I32AndLocal(x),
        (I::LocalGet(x), I::I32Or) => I::I32OrLocal(x),
        (I::LocalGet(x), I::I32Xor) => I::I32XorLocal(x),
        (I::LocalGet(x), I::I64Add) => I::I64AddLocal(x),
        (I::LocalGet(x), I::I64Sub) => I::I64SubLocal(x),
        (I::LocalGet(x), I::I64Mul) => I::I64MulLocal(x),
        (I::LocalGet(from), I::LocalSet(to)) => I::LocalCopy { from, to },
        // Only `i32` constants are known to fit; the bit pattern decides.
        (I::Const(c), I::LocalSet(local)) if c <= u32::MAX as u64 => I::LocalSetConst {
            local,
            value: c as u32,
        },
        (I::Const(c), I::I32Rotl) => I::I32RotlImm(c as u32),
        (I::Const(c), I::I64Shl) => I::I64ShlImm(c),
        (I::Const(c), I::I64ShrU) => I::I64ShrUImm(c),
        (I::Const(c), I::I64And) => I::I64AndImm(c),
        (I::LocalGet(x), I::F64Add) => I::F64AddLocal(x),
        (I::LocalGet(x), I::F64Sub) => I::F64SubLocal(x),
        (I::LocalGet(x), I::F64Mul) => I::F64MulLocal(x),
        (I::LocalGet(local), I::I32AddImm(imm)) => I::I32AddImmLocal { local, imm },
        (I::I32AddImmLocal { local, imm }, I::LocalSet(to)) => I::LocalAddImm {
            from: local,
            to,
            imm,
        },
        (I::I32AddImmLocal { local, imm }, I::LocalTee(to)) => I::LocalAddImmTee {
            from: local,
            to,
            imm,
        },
        (I::LocalSet(set), I::LocalGet(get)) => I::LocalSetGet { set, get },
        (I::LocalTee(tee), I::LocalGet(get)) => I::LocalTeeGet { tee, get },
        (I::LocalGet(a), I::LocalGet(b)) => I::LocalGet2 { a, b },
        // Memory 0 with a 32-bit offset only, so the fused form stays small.
        (I::LocalGet(local), I::I32Load(m) | I::F32Load(m) | I::I64Load32U(m))
            if m.mem == 0 && m.offset <= u32::MAX as u64 =>
        {
            I::I32LoadLocal {
                local,
                offset: m.offset as u32,
            }
        }
        (I::LocalGet(local), I::I64Load(m) | I::F64Load(m))
            if m.mem == 0 && m.offset <= u32::MAX as u64 =>
        {
            I::I64LoadLocal {
                local,
                offset: m.offset as u32,
            }
        }
        (I::I32CmpLocal(cmp, x), I::BrIf(t)) => I::BrIfCmpLocal(t, cmp, x),
        (I::I32CmpImm(cmp, c), I::BrIf(t)) => I::BrIfCmpImm(t, cmp, c),
        (I::LocalGet(x), cmp) if cmp_of(cmp).is_some() => I::I32CmpLocal(cmp_of(cmp)?, x),
        (I::Const(c), cmp) if cmp_of(cmp).is_some() => I::I32CmpImm(cmp_of(cmp)?, c as u32),
        (I::I32Eqz, I::BrIf(t)) => I::BrIfEqz(t),
        (I::LocalGet2 { a, b }, I::I32Store(m) | I::F32Store(m))
            if m.mem == 0 && m.offset <= u32::MAX as u64 =>
        {
            I::I32StoreLL {
                addr: a,
                val: b,
                offset: m.offset as u32,
            }
        }
        (I::Const(c), cmp) if cmp_f64_of(cmp).is_some() => I::F64CmpImm(cmp_f64_of(cmp)?, c),
        (I::F64CmpImm(cmp, c), I::BrIf(t)) => I::BrIfCmpF64Imm(t, cmp, c),
        (I::I64Eqz, I::BrUnless { pc }) => I::BrIfNez64 { pc },
        (I::Const(c), I::I64Sub) => I::I64AddImm(c.wrapping_neg()),
        (I::LocalGet(local), I::I64AddImm(imm)) => I::I64AddImmLocal { local, imm },
        (I::I32ShlImmLocal { local, imm: shift }, I::I32AddImm(imm)) => {
            I::I32ShlAddImmLocal { local, shift, imm }
        }
        (I::I32AddImmLocal { local, imm }, I::I32Load(m) | I::F32Load(m) | I::I64Load32U(m))
            if m.mem == 0 && m.offset <= u32::MAX as u64 =>
        {
            I::I32LoadLocalImm {
                local,
                imm,
                offset: m.offset as u32,
            }
        }
        (I::I32AddImmLocal { local, imm }, I::I64Load(m) | I::F64Load(m))
            if m.mem == 0 && m.offset <= u32::MAX as u64 =>
        {
            I::I64LoadLocalImm {
                local,
                imm,
                offset: m.offset as u32,
            }
        }
        (I::F64Add, I::LocalSet(x)) => I::F64AddSet(x),
        (I::F64Add, I::LocalTee(x)) => I::F64AddTee(x),
        (I::I32MulLocal(x), I::I32Add) => I::I32MulAddLocal(x),
        (cmp, I::BrIf(t)) if cmp_f64_of(cmp).is_some() => I::BrIfCmpF64(t, cmp_f64_of(cmp)?),
        (I::LocalGet(a), I::F64AddLocal(b)) => I::F64AddLL { a, b },
        (I::LocalGet(a), I::F64SubLocal(b)) => I::F64SubLL { a, b },
        (I::LocalGet(a), I::F64MulLocal(b)) => I::F64MulLL { a, b },
        (I::LocalGet(local), I::I32ShlImm(imm)) => I::I32ShlImmLocal { local, imm },
        (I::LocalGet(local), I::I32RotlImm(imm)) => I::I32RotlImmLocal { local, imm },
        (
            I::LocalCopy {
                from: from1,
                to: to1,
            },
            I::LocalCopy {
                from: from2,
                to: to2,
            },
        ) => I::LocalCopy2 {
            from1,
            to1,
            from2,
            to2,
        },
        (I::I64Eqz, I::BrIf(t)) => I::BrIfEqz64(t),
        (cmp, I::BrIf(t)) if cmp64_of(cmp).is_some() => I::BrIfCmp64(t, cmp64_of(cmp)?),
        (I::LocalGet(a), I::I32AddLocal(b)) => I::I32AddLL { a, b },
        (I::LocalGet(a), I::I64AddLocal(b)) => I::I64AddLL { a, b },
        (I::I32AddLL { a, b }, I::LocalSet(to)) => I::LocalAddLL { a, b, to },
        (I::I32Eqz, I::BrUnless { pc }) => I::BrIfNez { pc },
        (cmp, I::BrIf(t)) => I::BrIfCmp(t, cmp_of(cmp)?),
        (cmp, I::BrUnless { pc }) => I::BrUnlessCmp {
            pc,
            cmp: cmp_of(cmp)?,
        },
        _ => return None,
    })
}

/// For a fused pair of local accesses `prev` that did not fuse with `next`:
/// the first access alone and the second one fused with `next`, when that
/// fuses (e.g. `local.set x; local.get y` then `i32.load` becomes
/// `local.set x` and a load from local `y`).
pub(super) fn split(prev: Instr, next: Instr) -> Option<(Instr, Instr)> {
    use Instr as I;
    let (first, get) = match prev {
        I::LocalSetGet { set, get } => (I::LocalSet(set), get),
        I::LocalTeeGet { tee, get } => (I::LocalTee(tee), get),
        I::LocalGet2 { a, b } => (I::LocalGet(a), b),
        _ => return None,
    };
    Some((first, fuse(I::LocalGet(get), next)?))
}

/// The comparison an `f64` compare instruction performs (see [`Instr::BrIfCmpF64`]).
fn cmp_f64_of(instr: Instr) -> Option<Cmp> {
    use Instr as I;
    Some(match instr {
        I::F64Eq => Cmp::Eq,
        I::F64Ne => Cmp::Ne,
        I::F64Lt => Cmp::LtS,
        I::F64Gt => Cmp::GtS,
        I::F64Le => Cmp::LeS,
        I::F64Ge => Cmp::GeS,
        _ => return None,
    })
}

/// The comparison an `i64` compare instruction performs.
fn cmp64_of(instr: Instr) -> Option<Cmp> {
    use Instr as I;
    Some(match instr {
        I::I64Eq => Cmp::Eq,
        I::I64Ne => Cmp::Ne,
        I::I64LtS => Cmp::LtS,
        I::I64LtU => Cmp::LtU,
        I::I64GtS => Cmp::GtS,
        I::I64GtU => Cmp::GtU,
        I::I64LeS => Cmp::LeS,
        I::I64LeU => Cmp::LeU,
        I::I64GeS => Cmp::GeS,
        I::I64GeU => Cmp::GeU,
        _ => return None,
    })
}

/// The comparison an `i32` compare instruction performs.
fn cmp_of(instr: Instr) -> Option<Cmp> {
    use Instr as I;
    Some(match instr {
        I::I32Eq => Cmp::Eq,
        I::I32Ne => Cmp::Ne,
        I::I32LtS => Cmp::LtS,
        I::I32LtU => Cmp::LtU,
        I::I32GtS => Cmp::GtS,
        I::I32GtU => Cmp::GtU,
        I::I32LeS => Cmp::LeS,
        I::I32LeU => Cmp::LeU,
        I::I32GeS => Cmp::GeS,
        I::I32GeU => Cmp::GeU,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::instr::BrTarget;

    #[test]
    fn constants_fold_into_their_operator() {
        assert_eq!(
            fuse(Instr::Const(3), Instr::I32Sub),
            Some(Instr::I32AddImm(3u32.wrapping_neg()))
        );
        assert_eq!(fuse(Instr::Const(3), Instr::I32Mul), None);
        assert_eq!(
            fuse(Instr::Const(1), Instr::I64Sub),
            Some(Instr::I64AddImm(u64::MAX))
        );
    }

    #[test]
    fn locals_fold_into_binary_operators_and_moves() {
        assert_eq!(
            fuse(Instr::LocalGet(2), Instr::I32Sub),
            Some(Instr::I32SubLocal(2))
        );
        assert_eq!(
            fuse(Instr::LocalGet(2), Instr::LocalSet(5)),
            Some(Instr::LocalCopy { from: 2, to: 5 })
        );
        assert_eq!(fuse(Instr::Const(1 << 40), Instr::LocalSet(0)), None);
    }

    #[test]
    fn local_additions_chain_into_one_instruction() {
        let add = fuse(Instr::LocalGet(1), Instr::I32AddImm(4)).unwrap();
        assert_eq!(add, Instr::I32AddImmLocal { local: 1, imm: 4 });
        assert_eq!(
            fuse(add, Instr::LocalSet(1)),
            Some(Instr::LocalAddImm {
                from: 1,
                to: 1,
                imm: 4
            })
        );
        let sum = fuse(Instr::LocalGet(0), Instr::I32AddLocal(2)).unwrap();
        assert_eq!(
            fuse(sum, Instr::LocalSet(5)),
            Some(Instr::LocalAddLL { a: 0, b: 2, to: 5 })
        );
    }

    #[test]
    fn loads_take_their_address_from_a_local_only_on_memory_zero() {
        let m = |mem, offset| crate::exec::instr::MemArg { mem, offset };
        assert_eq!(
            fuse(Instr::LocalGet(2), Instr::I64Load32U(m(0, 8))),
            Some(Instr::I32LoadLocal {
                local: 2,
                offset: 8
            })
        );
        assert_eq!(fuse(Instr::LocalGet(2), Instr::I32Load(m(1, 8))), None);
        assert_eq!(
            fuse(Instr::LocalGet(2), Instr::F64Load(m(0, 1 << 33))),
            None
        );
    }

    #[test]
    fn a_fused_local_pair_splits_when_its_second_half_fuses_better() {
        assert_eq!(
            split(Instr::LocalSetGet { set: 1, get: 2 }, Instr::I32Add),
            Some((Instr::LocalSet(1), Instr::I32AddLocal(2)))
        );
        assert_eq!(
            split(Instr::LocalGet2 { a: 1, b: 2 }, Instr::I32Add),
            Some((Instr::LocalGet(1), Instr::I32AddLocal(2)))
        );
        assert_eq!(
            split(Instr::LocalTeeGet { tee: 1, get: 2 }, Instr::Drop(1)),
            None
        );
    }

    #[test]
    fn address_arithmetic_folds_into_loads() {
        let m = crate::exec::instr::MemArg { mem: 0, offset: 16 };
        let addr = fuse(Instr::LocalGet(4), Instr::I32AddImm(8)).unwrap();
        assert_eq!(
            fuse(addr, Instr::F64Load(m)),
            Some(Instr::I64LoadLocalImm {
                local: 4,
                imm: 8,
                offset: 16
            })
        );
        let scaled = fuse(Instr::LocalGet(4), Instr::I32ShlImm(2)).unwrap();
        assert_eq!(
            fuse(scaled, Instr::I32AddImm(1024)),
            Some(Instr::I32ShlAddImmLocal {
                local: 4,
                shift: 2,
                imm: 1024
            })
        );
    }

    #[test]
    fn float_compares_with_constants_fold_into_branches() {
        let t = BrTarget {
            pc: 3,
            drop: 0,
            keep: 0,
        };
        let four = 4f64.to_bits();
        let cmp = fuse(Instr::Const(four), Instr::F64Gt).unwrap();
        assert_eq!(cmp, Instr::F64CmpImm(Cmp::GtS, four));
        assert_eq!(
            fuse(cmp, Instr::BrIf(t)),
            Some(Instr::BrIfCmpF64Imm(t, Cmp::GtS, four))
        );
    }

    #[test]
    fn compares_fold_into_branches() {
        let t = BrTarget {
            pc: 9,
            drop: 1,
            keep: 0,
        };
        assert_eq!(
            fuse(Instr::I32LtU, Instr::BrIf(t)),
            Some(Instr::BrIfCmp(t, Cmp::LtU))
        );
        assert_eq!(
            fuse(Instr::I64LtU, Instr::BrIf(t)),
            Some(Instr::BrIfCmp64(t, Cmp::LtU))
        );
        assert_eq!(
            fuse(Instr::F64Lt, Instr::BrIf(t)),
            Some(Instr::BrIfCmpF64(t, Cmp::LtS))
        );
        assert_eq!(fuse(Instr::F32Lt, Instr::BrIf(t)), None);
        assert_eq!(
            fuse(Instr::LocalGet(3), Instr::I32GeS),
            Some(Instr::I32CmpLocal(Cmp::GeS, 3))
        );
        assert_eq!(
            fuse(Instr::I32CmpLocal(Cmp::GeS, 3), Instr::BrIf(t)),
            Some(Instr::BrIfCmpLocal(t, Cmp::GeS, 3))
        );
        assert_eq!(
            fuse(Instr::Const(7), Instr::I32Ne),
            Some(Instr::I32CmpImm(Cmp::Ne, 7))
        );
        assert_eq!(
            fuse(Instr::I32Eqz, Instr::BrUnless { pc: 4 }),
            Some(Instr::BrIfNez { pc: 4 })
        );
    }
}
