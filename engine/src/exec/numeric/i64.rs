//! `i64` operators (spec 4.3.2 integer operations).
//!
//! Values are Rust `i64`s holding the raw 64 bits; unsigned operators
//! reinterpret them as `u64`. Booleans (`eqz`, comparisons) are `i32` 0 or 1, as in the spec.
//! The wide-arithmetic proposal's 128-bit operators are here too: they take and
//! return 128-bit values as `(low, high)` pairs of `i64` halves.
//! The operators `i32` has too are written once for both widths in `int.rs`.

super::int::int_module!(i64, u64, 64);

/// `i64.extend32_s`: sign-extends the low 32 bits.
#[inline]
pub fn extend32_s(a: i64) -> i64 {
    i64::from(a as i32)
}

/// Joins `(low, high)` halves into one 128-bit value.
#[inline]
fn join128(lo: i64, hi: i64) -> u128 {
    (u128::from(hi as u64) << 64) | u128::from(lo as u64)
}

/// Splits a 128-bit value into `(low, high)` halves.
#[inline]
fn split128(v: u128) -> (i64, i64) {
    (v as u64 as i64, (v >> 64) as u64 as i64)
}

/// `i64.add128`: wrapping 128-bit addition of `(a_lo, a_hi) + (b_lo, b_hi)`; returns `(lo, hi)`.
#[inline]
pub fn add128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    split128(join128(a_lo, a_hi).wrapping_add(join128(b_lo, b_hi)))
}

/// `i64.sub128`: wrapping 128-bit subtraction of `(a_lo, a_hi) - (b_lo, b_hi)`; returns `(lo, hi)`.
#[inline]
pub fn sub128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    split128(join128(a_lo, a_hi).wrapping_sub(join128(b_lo, b_hi)))
}

/// `i64.mul_wide_s`: the full signed 128-bit product of two `i64`s, as `(lo, hi)`.
#[inline]
pub fn mul_wide_s(a: i64, b: i64) -> (i64, i64) {
    // |MIN * MIN| = 2^126 fits in i128, so the product never overflows.
    split128((i128::from(a) * i128::from(b)) as u128)
}

/// `i64.mul_wide_u`: the full unsigned 128-bit product of two `i64`s, as `(lo, hi)`.
#[inline]
pub fn mul_wide_u(a: i64, b: i64) -> (i64, i64) {
    // (2^64 - 1)^2 < 2^128, so the product never overflows.
    split128(u128::from(a as u64) * u128::from(b as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::exec::numeric::int::int_suite!(i64);

    #[test]
    fn division_truncates_toward_zero_and_remainder_takes_dividend_sign() {
        assert_eq!(div_s(-7, 2), Ok(-3));
        assert_eq!(rem_s(-7, 2), Ok(-1));
        assert_eq!(rem_s(7, -2), Ok(1));
        assert_eq!(div_u(-1, 2), Ok(i64::MAX));
        assert_eq!(rem_u(-1, 2), Ok(1));
    }

    #[test]
    fn shift_and_rotate_counts_are_taken_modulo_64() {
        assert_eq!(shl(1, 64), 1);
        assert_eq!(shl(1, 65), 2);
        assert_eq!(shl(1, -1), i64::MIN);
        // Counts beyond 2^32 must still be reduced modulo 64, not truncated oddly.
        assert_eq!(shl(1, (1 << 32) + 3), 8);
        assert_eq!(shr_s(i64::MIN, 63), -1);
        assert_eq!(shr_s(i64::MIN, 64), i64::MIN);
        assert_eq!(shr_u(i64::MIN, 63), 1);
        assert_eq!(shr_u(-1, 65), i64::MAX);
        assert_eq!(rotl(1, 64), 1);
        assert_eq!(rotl(1, -1), i64::MIN);
        assert_eq!(rotr(1, 1), i64::MIN);
        assert_eq!(rotl(i64::MIN | 1, (1 << 40) + 1), 3);
        for n in -140..140 {
            let v = 0x0123_4567_89ab_cdef;
            assert_eq!(rotr(rotl(v, n), n), v, "n = {n}");
        }
    }

    #[test]
    fn bit_counts_and_booleans() {
        assert_eq!((clz(0), ctz(0), popcnt(0)), (64, 64, 0));
        assert_eq!((clz(1), ctz(i64::MIN), popcnt(-1)), (63, 63, 64));
        assert_eq!((eqz(0), eqz(1 << 40)), (1, 0));
        assert_eq!((lt_s(-1, 0), lt_u(-1, 0)), (1, 0));
        assert_eq!((gt_s(-1, 0), gt_u(-1, 0)), (0, 1));
        assert_eq!((le_u(i64::MIN, i64::MAX), ge_u(i64::MIN, i64::MAX)), (0, 1));
        assert_eq!((eq(1 << 33, 1 << 33), ne(1 << 33, 1)), (1, 1));
    }

    #[test]
    fn sign_extension_uses_only_the_low_bits() {
        assert_eq!(extend8_s(0x80), -128);
        assert_eq!(extend16_s(0x8000), -32768);
        assert_eq!(extend32_s(0x8000_0000), -(1 << 31));
        assert_eq!(extend32_s(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(extend32_s(0x1234_5678_0000_0001), 1);
    }

    #[test]
    fn add128_and_sub128_carry_and_borrow_between_halves() {
        assert_eq!(add128(-1, 0, 1, 0), (0, 1));
        assert_eq!(add128(-1, -1, 1, 0), (0, 0));
        assert_eq!(add128(-1, i64::MAX, 1, 0), (0, i64::MIN));
        assert_eq!(sub128(0, 1, 1, 0), (-1, 0));
        assert_eq!(sub128(0, 0, 1, 0), (-1, -1));
        assert_eq!(sub128(5, 7, 2, 3), (3, 4));
    }

    #[test]
    fn wide_multiplication_gives_the_full_product() {
        assert_eq!(mul_wide_u(-1, -1), (1, -2)); // (2^64-1)^2 = 2^128 - 2^65 + 1
        assert_eq!(mul_wide_s(-1, -1), (1, 0));
        assert_eq!(mul_wide_s(-1, 1), (-1, -1));
        assert_eq!(mul_wide_s(i64::MIN, i64::MIN), (0, 1 << 62));
        assert_eq!(mul_wide_u(i64::MIN, 2), (0, 1));
        assert_eq!(mul_wide_s(i64::MIN, 2), (0, -1));
        // The low half always equals the wrapping product, signed or not.
        for &(a, b) in &[
            (3, 5),
            (-7, 11),
            (i64::MAX, i64::MIN),
            (0x1234_5678_9abc, -0x0fed_cba9),
        ] {
            assert_eq!(mul_wide_s(a, b).0, a.wrapping_mul(b));
            assert_eq!(mul_wide_u(a, b).0, a.wrapping_mul(b));
        }
    }
}
