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
        (I::Const(c), I::LocalSet(local)) if c <= u32::MAX as u64 => {
            I::LocalSetConst { local, value: c as u32 }
        }
        (I::I32Eqz, I::BrIf(t)) => I::BrIfEqz(t),
        (I::I32Eqz, I::BrUnless { pc }) => I::BrIfNez { pc },
        (cmp, I::BrIf(t)) => I::BrIfCmp(t, cmp_of(cmp)?),
        (cmp, I::BrUnless { pc }) => I::BrUnlessCmp {
            pc,
            cmp: cmp_of(cmp)?,
        },
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
    }

    #[test]
    fn locals_fold_into_binary_operators_and_moves() {
        assert_eq!(fuse(Instr::LocalGet(2), Instr::I32Sub), Some(Instr::I32SubLocal(2)));
        assert_eq!(fuse(Instr::LocalGet(2), Instr::LocalSet(5)), Some(Instr::LocalCopy { from: 2, to: 5 }));
        assert_eq!(fuse(Instr::Const(1 << 40), Instr::LocalSet(0)), None);
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
        assert_eq!(fuse(Instr::I64LtU, Instr::BrIf(t)), None);
        assert_eq!(
            fuse(Instr::I32Eqz, Instr::BrUnless { pc: 4 }),
            Some(Instr::BrIfNez { pc: 4 })
        );
    }
}
