//! `i32` operators (spec 4.3.2 integer operations).
//!
//! Values are Rust `i32`s holding the raw 32 bits; unsigned operators
//! reinterpret them as `u32`. Booleans (`eqz`, comparisons) are `i32` 0 or 1.

use super::NumericTrap;

/// Converts a Rust boolean to a Wasm `i32` boolean.
#[inline]
fn bool_i32(b: bool) -> i32 {
    i32::from(b)
}

/// `i32.add`: wrapping addition.
#[inline]
pub fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `i32.sub`: wrapping subtraction.
#[inline]
pub fn sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}

/// `i32.mul`: wrapping multiplication (low 32 bits of the product).
#[inline]
pub fn mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}

/// `i32.div_s`: signed division truncating toward zero.
///
/// Traps on a zero divisor and on `MIN / -1`, whose quotient is not representable.
#[inline]
pub fn div_s(a: i32, b: i32) -> Result<i32, NumericTrap> {
    if b == 0 {
        return Err(NumericTrap::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(NumericTrap::IntegerOverflow)
}

/// `i32.div_u`: unsigned division. Traps on a zero divisor.
#[inline]
pub fn div_u(a: i32, b: i32) -> Result<i32, NumericTrap> {
    (a as u32)
        .checked_div(b as u32)
        .map(|q| q as i32)
        .ok_or(NumericTrap::IntegerDivideByZero)
}

/// `i32.rem_s`: signed remainder, sign of the dividend.
///
/// Traps on a zero divisor only: `rem_s(MIN, -1)` is 0 (the spec defines it, unlike `div_s`).
#[inline]
pub fn rem_s(a: i32, b: i32) -> Result<i32, NumericTrap> {
    if b == 0 {
        return Err(NumericTrap::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i32.rem_u`: unsigned remainder. Traps on a zero divisor.
#[inline]
pub fn rem_u(a: i32, b: i32) -> Result<i32, NumericTrap> {
    (a as u32)
        .checked_rem(b as u32)
        .map(|r| r as i32)
        .ok_or(NumericTrap::IntegerDivideByZero)
}

/// `i32.and`.
#[inline]
pub fn and(a: i32, b: i32) -> i32 {
    a & b
}

/// `i32.or`.
#[inline]
pub fn or(a: i32, b: i32) -> i32 {
    a | b
}

/// `i32.xor`.
#[inline]
pub fn xor(a: i32, b: i32) -> i32 {
    a ^ b
}

/// `i32.shl`: shift left by `b mod 32`.
#[inline]
pub fn shl(a: i32, b: i32) -> i32 {
    a.wrapping_shl(b as u32)
}

/// `i32.shr_s`: arithmetic shift right by `b mod 32`.
#[inline]
pub fn shr_s(a: i32, b: i32) -> i32 {
    a.wrapping_shr(b as u32)
}

/// `i32.shr_u`: logical shift right by `b mod 32`.
#[inline]
pub fn shr_u(a: i32, b: i32) -> i32 {
    (a as u32).wrapping_shr(b as u32) as i32
}

/// `i32.rotl`: rotate left by `b mod 32`.
#[inline]
pub fn rotl(a: i32, b: i32) -> i32 {
    // `rotate_left` already reduces the count modulo the width; the mask says so explicitly.
    a.rotate_left(b as u32 % 32)
}

/// `i32.rotr`: rotate right by `b mod 32`.
#[inline]
pub fn rotr(a: i32, b: i32) -> i32 {
    a.rotate_right(b as u32 % 32)
}

/// `i32.clz`: count of leading zero bits (32 for 0).
#[inline]
pub fn clz(a: i32) -> i32 {
    a.leading_zeros() as i32
}

/// `i32.ctz`: count of trailing zero bits (32 for 0).
#[inline]
pub fn ctz(a: i32) -> i32 {
    a.trailing_zeros() as i32
}

/// `i32.popcnt`: count of one bits.
#[inline]
pub fn popcnt(a: i32) -> i32 {
    a.count_ones() as i32
}

/// `i32.eqz`: 1 if `a` is zero, else 0.
#[inline]
pub fn eqz(a: i32) -> i32 {
    bool_i32(a == 0)
}

/// `i32.eq`.
#[inline]
pub fn eq(a: i32, b: i32) -> i32 {
    bool_i32(a == b)
}

/// `i32.ne`.
#[inline]
pub fn ne(a: i32, b: i32) -> i32 {
    bool_i32(a != b)
}

/// `i32.lt_s`.
#[inline]
pub fn lt_s(a: i32, b: i32) -> i32 {
    bool_i32(a < b)
}

/// `i32.lt_u`.
#[inline]
pub fn lt_u(a: i32, b: i32) -> i32 {
    bool_i32((a as u32) < (b as u32))
}

/// `i32.gt_s`.
#[inline]
pub fn gt_s(a: i32, b: i32) -> i32 {
    bool_i32(a > b)
}

/// `i32.gt_u`.
#[inline]
pub fn gt_u(a: i32, b: i32) -> i32 {
    bool_i32((a as u32) > (b as u32))
}

/// `i32.le_s`.
#[inline]
pub fn le_s(a: i32, b: i32) -> i32 {
    bool_i32(a <= b)
}

/// `i32.le_u`.
#[inline]
pub fn le_u(a: i32, b: i32) -> i32 {
    bool_i32((a as u32) <= (b as u32))
}

/// `i32.ge_s`.
#[inline]
pub fn ge_s(a: i32, b: i32) -> i32 {
    bool_i32(a >= b)
}

/// `i32.ge_u`.
#[inline]
pub fn ge_u(a: i32, b: i32) -> i32 {
    bool_i32((a as u32) >= (b as u32))
}

/// `i32.extend8_s`: sign-extends the low 8 bits.
#[inline]
pub fn extend8_s(a: i32) -> i32 {
    i32::from(a as i8)
}

/// `i32.extend16_s`: sign-extends the low 16 bits.
#[inline]
pub fn extend16_s(a: i32) -> i32 {
    i32::from(a as i16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_traps_on_zero_and_on_min_over_minus_one() {
        assert_eq!(div_s(1, 0), Err(NumericTrap::IntegerDivideByZero));
        assert_eq!(div_u(1, 0), Err(NumericTrap::IntegerDivideByZero));
        assert_eq!(rem_s(1, 0), Err(NumericTrap::IntegerDivideByZero));
        assert_eq!(rem_u(1, 0), Err(NumericTrap::IntegerDivideByZero));
        assert_eq!(div_s(i32::MIN, -1), Err(NumericTrap::IntegerOverflow));
        // Zero divisor wins over overflow only when both could apply; MIN/0 is divide-by-zero.
        assert_eq!(div_s(i32::MIN, 0), Err(NumericTrap::IntegerDivideByZero));
        assert_eq!(rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(div_u(i32::MIN, -1), Ok(0));
        assert_eq!(rem_u(i32::MIN, -1), Ok(i32::MIN));
    }

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
