//! `i32` operators (spec 4.3.2 integer operations).
//!
//! Values are Rust `i32`s holding the raw 32 bits; unsigned operators
//! reinterpret them as `u32`. Booleans (`eqz`, comparisons) are `i32` 0 or 1.
//! The operators are written once for both widths in `int.rs`.

super::int::int_module!(i32, u32, 32);

#[cfg(test)]
mod tests {
    use super::*;

    crate::exec::numeric::int::int_suite!(i32);

    #[test]
    fn division_truncates_toward_zero_and_remainder_takes_dividend_sign() {
        assert_eq!(div_s(-7, 2), Ok(-3));
        assert_eq!(div_s(7, -2), Ok(-3));
        assert_eq!(rem_s(-7, 2), Ok(-1));
        assert_eq!(rem_s(7, -2), Ok(1));
        // Unsigned: -1 is u32::MAX.
        assert_eq!(div_u(-1, 2), Ok(0x7fff_ffff));
        assert_eq!(rem_u(-1, 2), Ok(1));
        assert_eq!(div_u(-5, -6), Ok(1));
        assert_eq!(div_u(-6, -5), Ok(0));
        assert_eq!(rem_u(-5, -6), Ok(1));
        assert_eq!(rem_u(-6, -5), Ok(-6));
    }

    #[test]
    fn shift_counts_are_taken_modulo_32() {
        assert_eq!(shl(1, 32), 1);
        assert_eq!(shl(1, 33), 2);
        assert_eq!(shl(1, -1), i32::MIN);
        assert_eq!(shr_s(i32::MIN, 31), -1);
        assert_eq!(shr_s(i32::MIN, 32), i32::MIN);
        assert_eq!(shr_s(-1, 0x7fff_ffff), -1);
        assert_eq!(shr_u(i32::MIN, 31), 1);
        assert_eq!(shr_u(-1, 32), -1);
        assert_eq!(shr_u(-1, 33), 0x7fff_ffff);
    }

    #[test]
    fn rotations_wrap_bits_around_modulo_32() {
        assert_eq!(rotl(0x8000_0001_u32 as i32, 1), 3);
        assert_eq!(rotl(1, 32), 1);
        assert_eq!(rotl(1, -1), i32::MIN);
        assert_eq!(rotr(1, 1), i32::MIN);
        assert_eq!(rotr(3, 33), 0x8000_0001_u32 as i32);
        assert_eq!(rotr(0x1234_5678, 0), 0x1234_5678);
        for n in -70..70 {
            assert_eq!(rotr(rotl(0x1234_5678, n), n), 0x1234_5678, "n = {n}");
        }
    }

    #[test]
    fn bit_counts_cover_zero_and_extremes() {
        assert_eq!(clz(0), 32);
        assert_eq!(ctz(0), 32);
        assert_eq!(clz(-1), 0);
        assert_eq!(clz(1), 31);
        assert_eq!(ctz(i32::MIN), 31);
        assert_eq!(popcnt(-1), 32);
        assert_eq!(popcnt(0), 0);
        assert_eq!(popcnt(0x5555_5555), 16);
    }

    #[test]
    fn booleans_are_zero_or_one_and_unsigned_compares_see_negatives_as_large() {
        assert_eq!(eqz(0), 1);
        assert_eq!(eqz(i32::MIN), 0);
        assert_eq!((eq(3, 3), ne(3, 3)), (1, 0));
        assert_eq!((lt_s(-1, 0), lt_u(-1, 0)), (1, 0));
        assert_eq!((gt_s(-1, 0), gt_u(-1, 0)), (0, 1));
        assert_eq!((le_s(i32::MIN, i32::MAX), le_u(i32::MIN, i32::MAX)), (1, 0));
        assert_eq!((ge_s(i32::MIN, i32::MAX), ge_u(i32::MIN, i32::MAX)), (0, 1));
        assert_eq!((le_s(5, 5), ge_u(5, 5)), (1, 1));
    }

    #[test]
    fn sign_extension_uses_only_the_low_bits() {
        assert_eq!(extend8_s(0x7f), 0x7f);
        assert_eq!(extend8_s(0x80), -128);
        assert_eq!(extend8_s(0x1234_56ff), -1);
        assert_eq!(extend16_s(0x7fff), 0x7fff);
        assert_eq!(extend16_s(0x8000), -32768);
        assert_eq!(extend16_s(0x1234_0001), 1);
    }

    #[test]
    fn wrapping_arithmetic_and_bitwise_ops() {
        assert_eq!(add(i32::MAX, 1), i32::MIN);
        assert_eq!(sub(i32::MIN, 1), i32::MAX);
        assert_eq!(mul(0x1000_0000, 16), 0);
        assert_eq!(mul(i32::MIN, -1), i32::MIN);
        assert_eq!(and(0xf0f0, 0xff00), 0xf000);
        assert_eq!(or(0xf0f0, 0xff00), 0xfff0);
        assert_eq!(xor(0xf0f0, 0xff00), 0x0ff0);
    }
}
