//! The integer operators (spec 4.3.2) shared by `i32` and `i64`, written once.
//!
//! Each operator is a call to one of Rust's per-type integer methods, for
//! which std has no common trait, so [`int_module!`] stamps them out as
//! concrete `#[inline]` functions in [`super::i32`] and [`super::i64`]; the
//! generated code is exactly what a hand-written copy per width would be.

/// Defines the operators every Wasm integer type has in the invoking module
/// (`numeric::i32`, `numeric::i64`): `$s` is the value type, `$u` its
/// unsigned reinterpretation and `$width` its bit width (for the docs).
macro_rules! int_module {
    ($s:ident, $u:ident, $width:literal) => {
        #[doc = concat!("`", stringify!($s), ".add`: wrapping addition.")]
        #[inline]
        pub fn add(a: $s, b: $s) -> $s {
            a.wrapping_add(b)
        }

        #[doc = concat!("`", stringify!($s), ".sub`: wrapping subtraction.")]
        #[inline]
        pub fn sub(a: $s, b: $s) -> $s {
            a.wrapping_sub(b)
        }

        #[doc = concat!(
            "`", stringify!($s), ".mul`: wrapping multiplication (low ", $width, " bits of the product)."
        )]
        #[inline]
        pub fn mul(a: $s, b: $s) -> $s {
            a.wrapping_mul(b)
        }

        #[doc = concat!("`", stringify!($s), ".div_s`: signed division truncating toward zero.")]
        ///
        /// Traps on a zero divisor and on `MIN / -1`, whose quotient is not representable.
        #[inline]
        pub fn div_s(a: $s, b: $s) -> Result<$s, $crate::exec::numeric::NumericTrap> {
            if b == 0 {
                return Err($crate::exec::numeric::NumericTrap::IntegerDivideByZero);
            }
            a.checked_div(b).ok_or($crate::exec::numeric::NumericTrap::IntegerOverflow)
        }

        #[doc = concat!(
            "`", stringify!($s), ".div_u`: unsigned division. Traps on a zero divisor."
        )]
        #[inline]
        pub fn div_u(a: $s, b: $s) -> Result<$s, $crate::exec::numeric::NumericTrap> {
            (a as $u)
                .checked_div(b as $u)
                .map(|q| q as $s)
                .ok_or($crate::exec::numeric::NumericTrap::IntegerDivideByZero)
        }

        #[doc = concat!("`", stringify!($s), ".rem_s`: signed remainder, sign of the dividend.")]
        ///
        /// Traps on a zero divisor only: `rem_s(MIN, -1)` is 0 (the spec defines it, unlike `div_s`).
        #[inline]
        pub fn rem_s(a: $s, b: $s) -> Result<$s, $crate::exec::numeric::NumericTrap> {
            if b == 0 {
                return Err($crate::exec::numeric::NumericTrap::IntegerDivideByZero);
            }
            Ok(a.wrapping_rem(b))
        }

        #[doc = concat!(
            "`", stringify!($s), ".rem_u`: unsigned remainder. Traps on a zero divisor."
        )]
        #[inline]
        pub fn rem_u(a: $s, b: $s) -> Result<$s, $crate::exec::numeric::NumericTrap> {
            (a as $u)
                .checked_rem(b as $u)
                .map(|r| r as $s)
                .ok_or($crate::exec::numeric::NumericTrap::IntegerDivideByZero)
        }

        #[doc = concat!("`", stringify!($s), ".and`.")]
        #[inline]
        pub fn and(a: $s, b: $s) -> $s {
            a & b
        }

        #[doc = concat!("`", stringify!($s), ".or`.")]
        #[inline]
        pub fn or(a: $s, b: $s) -> $s {
            a | b
        }

        #[doc = concat!("`", stringify!($s), ".xor`.")]
        #[inline]
        pub fn xor(a: $s, b: $s) -> $s {
            a ^ b
        }

        // Shift and rotate counts: `as u32` keeps the low 32 bits, and the
        // wrapping shifts and rotations reduce them modulo the width, as the spec does.

        #[doc = concat!("`", stringify!($s), ".shl`: shift left by `b mod ", $width, "`.")]
        #[inline]
        pub fn shl(a: $s, b: $s) -> $s {
            a.wrapping_shl(b as u32)
        }

        #[doc = concat!(
            "`", stringify!($s), ".shr_s`: arithmetic shift right by `b mod ", $width, "`."
        )]
        #[inline]
        pub fn shr_s(a: $s, b: $s) -> $s {
            a.wrapping_shr(b as u32)
        }

        #[doc = concat!(
            "`", stringify!($s), ".shr_u`: logical shift right by `b mod ", $width, "`."
        )]
        #[inline]
        pub fn shr_u(a: $s, b: $s) -> $s {
            (a as $u).wrapping_shr(b as u32) as $s
        }

        #[doc = concat!("`", stringify!($s), ".rotl`: rotate left by `b mod ", $width, "`.")]
        #[inline]
        pub fn rotl(a: $s, b: $s) -> $s {
            // `rotate_left` already reduces the count modulo the width; the mask says so explicitly.
            a.rotate_left(b as u32 % $s::BITS)
        }

        #[doc = concat!("`", stringify!($s), ".rotr`: rotate right by `b mod ", $width, "`.")]
        #[inline]
        pub fn rotr(a: $s, b: $s) -> $s {
            a.rotate_right(b as u32 % $s::BITS)
        }

        #[doc = concat!(
            "`", stringify!($s), ".clz`: count of leading zero bits (", $width, " for 0)."
        )]
        #[inline]
        pub fn clz(a: $s) -> $s {
            a.leading_zeros() as $s
        }

        #[doc = concat!(
            "`", stringify!($s), ".ctz`: count of trailing zero bits (", $width, " for 0)."
        )]
        #[inline]
        pub fn ctz(a: $s) -> $s {
            a.trailing_zeros() as $s
        }

        #[doc = concat!("`", stringify!($s), ".popcnt`: count of one bits.")]
        #[inline]
        pub fn popcnt(a: $s) -> $s {
            a.count_ones() as $s
        }

        #[doc = concat!("`", stringify!($s), ".eqz`: 1 if `a` is zero, else 0.")]
        #[inline]
        pub fn eqz(a: $s) -> i32 {
            i32::from(a == 0)
        }

        $crate::exec::numeric::int::int_module! { @compare $s, $u;
            signed: eq ==, ne !=, lt_s <, gt_s >, le_s <=, ge_s >=;
            unsigned: lt_u <, gt_u >, le_u <=, ge_u >=
        }

        #[doc = concat!("`", stringify!($s), ".extend8_s`: sign-extends the low 8 bits.")]
        #[inline]
        pub fn extend8_s(a: $s) -> $s {
            $s::from(a as i8)
        }

        #[doc = concat!("`", stringify!($s), ".extend16_s`: sign-extends the low 16 bits.")]
        #[inline]
        pub fn extend16_s(a: $s) -> $s {
            $s::from(a as i16)
        }
    };
    // Comparisons give Wasm `i32` booleans (0 or 1) for both widths; the
    // unsigned ones compare the operands reinterpreted as `$u`.
    (@compare $s:ident, $u:ident; signed: $($signed:ident $sop:tt),*; unsigned: $($unsigned:ident $uop:tt),*) => {
        $(
            #[doc = concat!("`", stringify!($s), ".", stringify!($signed), "`.")]
            #[inline]
            pub fn $signed(a: $s, b: $s) -> i32 {
                i32::from(a $sop b)
            }
        )*
        $(
            #[doc = concat!("`", stringify!($s), ".", stringify!($unsigned), "`.")]
            #[inline]
            pub fn $unsigned(a: $s, b: $s) -> i32 {
                i32::from((a as $u) $uop (b as $u))
            }
        )*
    };
}
pub(super) use int_module;

/// Defines the tests every integer width shares as `#[test]`s in the invoking
/// test module, which must glob-import the operators of `$s`.
#[cfg(test)]
macro_rules! int_suite {
    ($s:ident) => {
        #[test]
        fn division_traps_on_zero_and_on_min_over_minus_one() {
            use $crate::exec::numeric::NumericTrap::{IntegerDivideByZero, IntegerOverflow};
            assert_eq!(div_s(1, 0), Err(IntegerDivideByZero));
            assert_eq!(div_u(1, 0), Err(IntegerDivideByZero));
            assert_eq!(rem_s(1, 0), Err(IntegerDivideByZero));
            assert_eq!(rem_u(1, 0), Err(IntegerDivideByZero));
            assert_eq!(div_s($s::MIN, -1), Err(IntegerOverflow));
            // Zero divisor wins over overflow only when both could apply; MIN/0 is divide-by-zero.
            assert_eq!(div_s($s::MIN, 0), Err(IntegerDivideByZero));
            assert_eq!(rem_s($s::MIN, -1), Ok(0));
            assert_eq!(div_u($s::MIN, -1), Ok(0));
            assert_eq!(rem_u($s::MIN, -1), Ok($s::MIN));
        }
    };
}
#[cfg(test)]
pub(super) use int_suite;
