//! Whole-vector bitwise operators (spec `vvunop`, `vvbinop`, `vvternop`, `vvtestop`).

use super::V128;

/// `v128.not`: bitwise complement.
#[inline]
pub fn v128_not(a: V128) -> V128 {
    V128::from_u128(!a.to_u128())
}

/// `v128.and`.
#[inline]
pub fn v128_and(a: V128, b: V128) -> V128 {
    V128::from_u128(a.to_u128() & b.to_u128())
}

/// `v128.andnot`: `a & !b`.
#[inline]
pub fn v128_andnot(a: V128, b: V128) -> V128 {
    V128::from_u128(a.to_u128() & !b.to_u128())
}

/// `v128.or`.
#[inline]
pub fn v128_or(a: V128, b: V128) -> V128 {
    V128::from_u128(a.to_u128() | b.to_u128())
}

/// `v128.xor`.
#[inline]
pub fn v128_xor(a: V128, b: V128) -> V128 {
    V128::from_u128(a.to_u128() ^ b.to_u128())
}

/// `v128.bitselect`: each result bit is `a`'s where `mask` is 1, `b`'s where it is 0.
#[inline]
pub fn v128_bitselect(a: V128, b: V128, mask: V128) -> V128 {
    let m = mask.to_u128();
    V128::from_u128((a.to_u128() & m) | (b.to_u128() & !m))
}

/// `v128.any_true`: 1 if any bit is set.
#[inline]
pub fn v128_any_true(a: V128) -> i32 {
    i32::from(a.to_u128() != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: V128 = V128::from_u128(0xff00_ff00_0f0f_f0f0_1234_5678_9abc_def0);
    const B: V128 = V128::from_u128(0x0ff0_0ff0_ffff_0000_ffff_ffff_0000_0001);

    #[test]
    fn v128_logic_matches_u128_operators() {
        let (a, b) = (A.to_u128(), B.to_u128());
        assert_eq!(v128_not(A).to_u128(), !a);
        assert_eq!(v128_and(A, B).to_u128(), a & b);
        assert_eq!(v128_andnot(A, B).to_u128(), a & !b);
        assert_eq!(v128_or(A, B).to_u128(), a | b);
        assert_eq!(v128_xor(A, B).to_u128(), a ^ b);
    }

    #[test]
    fn v128_bitselect_takes_first_operand_where_mask_is_set() {
        let ones = V128::from_u128(u128::MAX);
        let zeros = V128::from_u128(0);
        let mask = V128::from_u128(0xffff_0000_0000_0000_0000_0000_0000_00f0);
        assert_eq!(v128_bitselect(ones, zeros, mask), mask);
        assert_eq!(v128_bitselect(zeros, ones, mask), v128_not(mask));
        assert_eq!(v128_bitselect(A, B, ones), A);
        assert_eq!(v128_bitselect(A, B, zeros), B);
    }

    #[test]
    fn v128_any_true_sees_every_bit() {
        assert_eq!(v128_any_true(V128::from_u128(0)), 0);
        for bit in [0, 63, 64, 127] {
            assert_eq!(v128_any_true(V128::from_u128(1 << bit)), 1, "bit {bit}");
        }
    }
}
