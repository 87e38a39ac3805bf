//! What the control instructions outside the table decide, one
//! `#[inline(always)]` body each, run by both dispatch backends (the
//! portable `match` in `mod.rs` and the threaded handlers in
//! `threaded/control.rs`), which differ only in how they continue: whether
//! a conditional branch is taken, which `br_table` entry is chosen, which
//! operand `select` picks, whether a reference traps as null. Calls and
//! returns share their frame switches the same way, as `Executor` methods
//! in `call.rs`.

use crate::ir::Cmp;

/// `br_if`: taken when the condition is not zero.
#[inline(always)]
pub(super) fn br_if(c: u64) -> bool {
    c != 0
}

/// `br_unless` (an `if` without `else` turned around): taken when zero.
#[inline(always)]
pub(super) fn br_unless(c: u64) -> bool {
    c == 0
}

/// `i32` comparison of two slots, then branch.
#[inline(always)]
pub(super) fn br_cmp32(cmp: Cmp, a: u64, b: u64) -> bool {
    cmp.holds(a, b)
}

/// `i32` comparison with a constant (its bits), then branch.
#[inline(always)]
pub(super) fn br_cmp32_imm(cmp: Cmp, a: u64, imm: u32) -> bool {
    cmp.holds(a, imm as u64)
}

/// `i64` comparison of two slots, then branch.
#[inline(always)]
pub(super) fn br_cmp64(cmp: Cmp, a: u64, b: u64) -> bool {
    cmp.holds64(a, b)
}

/// `i64` comparison with a sign-extended `i32` constant, then branch.
#[inline(always)]
pub(super) fn br_cmp64_imm(cmp: Cmp, a: u64, imm: i32) -> bool {
    cmp.holds64(a, imm as i64 as u64)
}

/// `f64` comparison (of slot `b` or of a constant's bits), then branch;
/// `negate` branches when it does not hold (NaN operands included).
#[inline(always)]
pub(super) fn br_cmp_f64(cmp: Cmp, negate: bool, a: u64, b: u64) -> bool {
    cmp.holds_f64(a, b) != negate
}

/// The entry of a `br_table` of `len` (at least 1) targets that index
/// `index` picks: out-of-range indices take the last (the default).
#[inline(always)]
pub(super) fn br_table_entry(index: u64, len: u32) -> u32 {
    (index as u32).min(len - 1)
}

/// `select`: whether the first operand is picked.
#[inline(always)]
pub(super) fn select_first(c: u64) -> bool {
    c as u32 != 0
}

/// `ref.as_non_null` and the implicit null checks: whether it traps.
#[inline(always)]
pub(super) fn is_null(r: u64) -> bool {
    r == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_decide_as_wasm_does() {
        assert!(br_if(2) && !br_if(0));
        assert!(br_unless(0) && !br_unless(1));
        // Only the low 32 bits of an i32 slot count.
        assert!(br_cmp32(Cmp::Eq, 5, 5 | (1 << 40)));
        assert!(br_cmp32_imm(Cmp::LtS, (-3i32) as u32 as u64, -2i32 as u32));
        assert!(br_cmp64_imm(Cmp::LtS, (-3i64) as u64, -2));
        assert!(!br_cmp64(Cmp::LtU, u64::MAX, 1));
        let nan = f64::NAN.to_bits();
        assert!(!br_cmp_f64(Cmp::Eq, false, nan, nan));
        assert!(br_cmp_f64(Cmp::Eq, true, nan, nan));
        assert_eq!(br_table_entry(1, 3), 1);
        assert_eq!(br_table_entry(u64::from(u32::MAX), 3), 2);
        // A 64-bit slot index beyond 32 bits wraps as the i32 it holds.
        assert_eq!(br_table_entry(1 << 32, 3), 0);
        assert!(select_first(1 << 40 | 1) && !select_first(1 << 40));
        assert!(is_null(0) && !is_null(1));
    }
}
