//! The floating-point operators (spec 4.3.3), written once for `f32` and `f64`.
//!
//! [`Float`] names what differs between the two widths: the bit type, the NaN
//! bit patterns and the host's IEEE 754 primitives. The operators are generic
//! `#[inline]` functions over it, so each width monomorphises to the code a
//! hand-written copy would be. Callers do not use them directly: [`float_module!`]
//! gives [`super::f32`] and [`super::f64`] their public, documented entry points
//! (`numeric::f32::add`, `numeric::f64::nearest`...), and those modules' docs
//! state the NaN rule implemented here.

use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Not, Sub};

/// A Wasm float type: its raw bits, its NaN constants and the host operations we build on.
pub(super) trait Float:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    /// The unsigned integer of the same width.
    type Bits: Copy
        + PartialEq
        + BitAnd<Output = Self::Bits>
        + BitOr<Output = Self::Bits>
        + BitXor<Output = Self::Bits>
        + Not<Output = Self::Bits>;
    /// Bits of the NaN produced when no operand is NaN: positive, quiet bit only.
    const CANONICAL_NAN_BITS: Self::Bits;
    /// The quiet bit: the most significant bit of the significand.
    const QUIET_BIT: Self::Bits;
    /// The sign bit.
    const SIGN_BIT: Self::Bits;

    fn to_bits(self) -> Self::Bits;
    fn from_bits(bits: Self::Bits) -> Self;
    fn is_nan(self) -> bool;
    fn sqrt(self) -> Self;
    fn ceil(self) -> Self;
    fn floor(self) -> Self;
    fn trunc(self) -> Self;
    fn round_ties_even(self) -> Self;
}

/// Implements [`Float`] for `$f` by delegating to its inherent methods; the
/// NaN constants are the public ones of the type's module.
macro_rules! impl_float {
    ($f:ident, $bits:ident) => {
        impl Float for $f {
            type Bits = $bits;
            const CANONICAL_NAN_BITS: $bits = super::$f::CANONICAL_NAN_BITS;
            const QUIET_BIT: $bits = super::$f::QUIET_BIT;
            const SIGN_BIT: $bits = 1 << ($bits::BITS - 1);

            // Inherent methods take precedence over trait methods, so none of these recurses.
            #[inline]
            fn to_bits(self) -> $bits {
                $f::to_bits(self)
            }
            #[inline]
            fn from_bits(bits: $bits) -> Self {
                $f::from_bits(bits)
            }
            #[inline]
            fn is_nan(self) -> bool {
                $f::is_nan(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $f::sqrt(self)
            }
            #[inline]
            fn ceil(self) -> Self {
                $f::ceil(self)
            }
            #[inline]
            fn floor(self) -> Self {
                $f::floor(self)
            }
            #[inline]
            fn trunc(self) -> Self {
                $f::trunc(self)
            }
            #[inline]
            fn round_ties_even(self) -> Self {
                $f::round_ties_even(self)
            }
        }
    };
}

impl_float!(f32, u32);
impl_float!(f64, u64);

/// Defines the public operators of the float type `$f` in the invoking module
/// (`numeric::f32`, `numeric::f64`): one documented `#[inline]` function per
/// instruction, each calling its generic twin in this module. The invoking
/// module defines `CANONICAL_NAN_BITS` and `QUIET_BIT`.
macro_rules! float_module {
    ($f:ident) => {
        $crate::exec::numeric::float::float_module! { @helpers $f;
            /// The positive canonical NaN.
            fn canonical_nan() -> $f;
            /// `x` with its quiet bit set; sign and the rest of the payload unchanged.
            fn quieten(x) -> $f;
            /// Whether `x` is a canonical NaN of either sign (spec `nan:canonical`).
            fn is_canonical_nan(x) -> bool;
            /// Whether `x` is an arithmetic NaN, i.e. a NaN with the quiet bit set
            /// (spec `nan:arithmetic`).
            fn is_arithmetic_nan(x) -> bool;
        }
        $crate::exec::numeric::float::float_module! { @instructions $f;
            /// IEEE 754 addition, round to nearest even.
            fn add(a, b) -> $f;
            /// IEEE 754 subtraction.
            fn sub(a, b) -> $f;
            /// IEEE 754 multiplication.
            fn mul(a, b) -> $f;
            /// IEEE 754 division.
            fn div(a, b) -> $f;
            /// the smaller operand; NaN if either is NaN; `-0 < +0`.
            fn min(a, b) -> $f;
            /// the larger operand; NaN if either is NaN; `-0 < +0`.
            fn max(a, b) -> $f;
            /// `a`'s magnitude bits with `b`'s sign bit (payloads untouched).
            fn copysign(a, b) -> $f;
            /// clears the sign bit (payloads untouched).
            fn abs(a) -> $f;
            /// flips the sign bit (payloads untouched).
            fn neg(a) -> $f;
            /// correctly rounded square root; `sqrt(-0) = -0`, negative operands give NaN.
            fn sqrt(a) -> $f;
            /// round toward +infinity (`ceil(-0.5) = -0`).
            fn ceil(a) -> $f;
            /// round toward -infinity.
            fn floor(a) -> $f;
            /// round toward zero.
            fn trunc(a) -> $f;
            /// round to nearest integer, ties to even (`nearest(-0.5) = -0`).
            fn nearest(a) -> $f;
            /// 0 if either operand is NaN; `-0 == +0`.
            fn eq(a, b) -> i32;
            /// 1 if either operand is NaN.
            fn ne(a, b) -> i32;
            /// 0 if either operand is NaN.
            fn lt(a, b) -> i32;
            /// 0 if either operand is NaN.
            fn gt(a, b) -> i32;
            /// 0 if either operand is NaN.
            fn le(a, b) -> i32;
            /// 0 if either operand is NaN.
            fn ge(a, b) -> i32;
        }
    };
    // Instruction docs start with the instruction's name, e.g. "`f32.add`: ".
    (@instructions $f:ident; $($(#[$attr:meta])* fn $name:ident($($arg:ident),*) -> $ret:ty;)*) => {
        $crate::exec::numeric::float::float_module! { @helpers $f; $(
            #[doc = concat!("`", stringify!($f), ".", stringify!($name), "`:")]
            $(#[$attr])*
            fn $name($($arg),*) -> $ret;
        )* }
    };
    (@helpers $f:ident; $($(#[$attr:meta])* fn $name:ident($($arg:ident),*) -> $ret:ty;)*) => {$(
        $(#[$attr])*
        #[inline]
        pub fn $name($($arg: $f),*) -> $ret {
            $crate::exec::numeric::float::$name($($arg),*)
        }
    )*};
}
pub(super) use float_module;

#[inline]
pub(super) fn canonical_nan<F: Float>() -> F {
    F::from_bits(F::CANONICAL_NAN_BITS)
}

#[inline]
pub(super) fn quieten<F: Float>(x: F) -> F {
    F::from_bits(x.to_bits() | F::QUIET_BIT)
}

#[inline]
pub(super) fn is_canonical_nan<F: Float>(x: F) -> bool {
    x.to_bits() & !F::SIGN_BIT == F::CANONICAL_NAN_BITS
}

#[inline]
pub(super) fn is_arithmetic_nan<F: Float>(x: F) -> bool {
    x.is_nan() && x.to_bits() & F::QUIET_BIT == F::QUIET_BIT
}

/// The NaN a unary operator returns for operand `a` (see the `f32` module docs).
#[inline]
fn nan_from1<F: Float>(a: F) -> F {
    if a.is_nan() {
        quieten(a)
    } else {
        canonical_nan()
    }
}

/// The NaN a binary operator returns for operands `a`, `b` (see the `f32` module docs).
#[inline]
fn nan_from2<F: Float>(a: F, b: F) -> F {
    if a.is_nan() {
        quieten(a)
    } else if b.is_nan() {
        quieten(b)
    } else {
        canonical_nan()
    }
}

/// Replaces a host-computed unary result by our deterministic NaN if it is NaN.
#[inline]
fn fix1<F: Float>(a: F, r: F) -> F {
    if r.is_nan() {
        nan_from1(a)
    } else {
        r
    }
}

/// Replaces a host-computed binary result by our deterministic NaN if it is NaN.
#[inline]
fn fix2<F: Float>(a: F, b: F, r: F) -> F {
    if r.is_nan() {
        nan_from2(a, b)
    } else {
        r
    }
}

#[inline]
pub(super) fn add<F: Float>(a: F, b: F) -> F {
    fix2(a, b, a + b)
}

#[inline]
pub(super) fn sub<F: Float>(a: F, b: F) -> F {
    fix2(a, b, a - b)
}

#[inline]
pub(super) fn mul<F: Float>(a: F, b: F) -> F {
    fix2(a, b, a * b)
}

#[inline]
pub(super) fn div<F: Float>(a: F, b: F) -> F {
    fix2(a, b, a / b)
}

#[inline]
pub(super) fn min<F: Float>(a: F, b: F) -> F {
    if a.is_nan() || b.is_nan() {
        nan_from2(a, b)
    } else if a == b {
        // Equal operands differ only for +0/-0: OR keeps a set sign bit, giving -0.
        F::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

#[inline]
pub(super) fn max<F: Float>(a: F, b: F) -> F {
    if a.is_nan() || b.is_nan() {
        nan_from2(a, b)
    } else if a == b {
        // Equal operands differ only for +0/-0: AND clears the sign unless both are -0.
        F::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

#[inline]
pub(super) fn copysign<F: Float>(a: F, b: F) -> F {
    F::from_bits((a.to_bits() & !F::SIGN_BIT) | (b.to_bits() & F::SIGN_BIT))
}

#[inline]
pub(super) fn abs<F: Float>(a: F) -> F {
    F::from_bits(a.to_bits() & !F::SIGN_BIT)
}

#[inline]
pub(super) fn neg<F: Float>(a: F) -> F {
    F::from_bits(a.to_bits() ^ F::SIGN_BIT)
}

#[inline]
pub(super) fn sqrt<F: Float>(a: F) -> F {
    fix1(a, a.sqrt())
}

#[inline]
pub(super) fn ceil<F: Float>(a: F) -> F {
    fix1(a, a.ceil())
}

#[inline]
pub(super) fn floor<F: Float>(a: F) -> F {
    fix1(a, a.floor())
}

#[inline]
pub(super) fn trunc<F: Float>(a: F) -> F {
    fix1(a, a.trunc())
}

#[inline]
pub(super) fn nearest<F: Float>(a: F) -> F {
    fix1(a, a.round_ties_even())
}

// Comparisons give Wasm `i32` booleans; Rust's float comparisons are already
// IEEE 754's (NaN unordered, `-0 == +0`).

#[inline]
pub(super) fn eq<F: Float>(a: F, b: F) -> i32 {
    i32::from(a == b)
}

#[inline]
pub(super) fn ne<F: Float>(a: F, b: F) -> i32 {
    i32::from(a != b)
}

#[inline]
pub(super) fn lt<F: Float>(a: F, b: F) -> i32 {
    i32::from(a < b)
}

#[inline]
pub(super) fn gt<F: Float>(a: F, b: F) -> i32 {
    i32::from(a > b)
}

#[inline]
pub(super) fn le<F: Float>(a: F, b: F) -> i32 {
    i32::from(a <= b)
}

#[inline]
pub(super) fn ge<F: Float>(a: F, b: F) -> i32 {
    i32::from(a >= b)
}

#[cfg(test)]
pub(super) mod tests;
