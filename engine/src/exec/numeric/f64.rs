//! `f64` operators (spec 4.3.3 floating-point operations), bit-exact and deterministic.
//!
//! # NaN results
//! The spec lets an operator whose result is NaN return any *canonical* NaN
//! (quiet bit only, either sign) when no operand is NaN, and any *arithmetic*
//! NaN (quiet bit set, any payload) when some operand is. Hosts differ here
//! (x86 keeps the first operand's payload, ARM may canonicalise), so every
//! operator computes its result with the host, and if that result is NaN it
//! replaces it with our fixed choice:
//! - some operand is NaN: the **first NaN operand** (left to right), with its
//!   sign and payload kept and its quiet bit set (so a signalling NaN comes
//!   out quiet, same payload);
//! - no operand is NaN (`0/0`, `inf-inf`, `sqrt(-1)`...): the **positive
//!   canonical NaN** [`CANONICAL_NAN_BITS`].
//!
//! `abs`, `neg` and `copysign` are pure sign-bit operations: they never touch
//! a NaN's payload, as the spec requires. Booleans are `i32` 0 or 1.

/// Bits of the NaN we produce when no operand is NaN: positive, quiet bit only.
pub const CANONICAL_NAN_BITS: u64 = 0x7ff8_0000_0000_0000;
/// The quiet bit: the most significant bit of the significand.
pub const QUIET_BIT: u64 = 0x0008_0000_0000_0000;
/// The sign bit.
const SIGN_BIT: u64 = 0x8000_0000_0000_0000;

/// The positive canonical NaN.
#[inline]
pub fn canonical_nan() -> f64 {
    f64::from_bits(CANONICAL_NAN_BITS)
}

/// `x` with its quiet bit set; sign and the rest of the payload unchanged.
#[inline]
pub fn quieten(x: f64) -> f64 {
    f64::from_bits(x.to_bits() | QUIET_BIT)
}

/// Whether `x` is a canonical NaN of either sign (spec `nan:canonical`).
#[inline]
pub fn is_canonical_nan(x: f64) -> bool {
    x.to_bits() & !SIGN_BIT == CANONICAL_NAN_BITS
}

/// Whether `x` is an arithmetic NaN, i.e. a NaN with the quiet bit set (spec `nan:arithmetic`).
#[inline]
pub fn is_arithmetic_nan(x: f64) -> bool {
    x.is_nan() && x.to_bits() & QUIET_BIT != 0
}

/// The NaN a unary operator returns for operand `a` (see the module docs).
#[inline]
fn nan_from1(a: f64) -> f64 {
    if a.is_nan() {
        quieten(a)
    } else {
        canonical_nan()
    }
}

/// The NaN a binary operator returns for operands `a`, `b` (see the module docs).
#[inline]
fn nan_from2(a: f64, b: f64) -> f64 {
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
fn fix1(a: f64, r: f64) -> f64 {
    if r.is_nan() {
        nan_from1(a)
    } else {
        r
    }
}

/// Replaces a host-computed binary result by our deterministic NaN if it is NaN.
#[inline]
fn fix2(a: f64, b: f64, r: f64) -> f64 {
    if r.is_nan() {
        nan_from2(a, b)
    } else {
        r
    }
}

/// Converts a Rust boolean to a Wasm `i32` boolean.
#[inline]
fn bool_i32(b: bool) -> i32 {
    i32::from(b)
}

/// `f64.add`: IEEE 754 addition, round to nearest even.
#[inline]
pub fn add(a: f64, b: f64) -> f64 {
    fix2(a, b, a + b)
}

/// `f64.sub`: IEEE 754 subtraction.
#[inline]
pub fn sub(a: f64, b: f64) -> f64 {
    fix2(a, b, a - b)
}

/// `f64.mul`: IEEE 754 multiplication.
#[inline]
pub fn mul(a: f64, b: f64) -> f64 {
    fix2(a, b, a * b)
}

/// `f64.div`: IEEE 754 division.
#[inline]
pub fn div(a: f64, b: f64) -> f64 {
    fix2(a, b, a / b)
}

/// `f64.min`: the smaller operand; NaN if either is NaN; `-0 < +0`.
#[inline]
pub fn min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        nan_from2(a, b)
    } else if a == b {
        // Equal operands differ only for +0/-0: OR keeps a set sign bit, giving -0.
        f64::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

/// `f64.max`: the larger operand; NaN if either is NaN; `-0 < +0`.
#[inline]
pub fn max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        nan_from2(a, b)
    } else if a == b {
        // Equal operands differ only for +0/-0: AND clears the sign unless both are -0.
        f64::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

/// `f64.copysign`: `a`'s magnitude bits with `b`'s sign bit (payloads untouched).
#[inline]
pub fn copysign(a: f64, b: f64) -> f64 {
    f64::from_bits((a.to_bits() & !SIGN_BIT) | (b.to_bits() & SIGN_BIT))
}

/// `f64.abs`: clears the sign bit (payloads untouched).
#[inline]
pub fn abs(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & !SIGN_BIT)
}

/// `f64.neg`: flips the sign bit (payloads untouched).
#[inline]
pub fn neg(a: f64) -> f64 {
    f64::from_bits(a.to_bits() ^ SIGN_BIT)
}

/// `f64.sqrt`: correctly rounded square root; `sqrt(-0) = -0`, negative operands give NaN.
#[inline]
pub fn sqrt(a: f64) -> f64 {
    fix1(a, a.sqrt())
}

/// `f64.ceil`: round toward +infinity (`ceil(-0.5) = -0`).
#[inline]
pub fn ceil(a: f64) -> f64 {
    fix1(a, a.ceil())
}

/// `f64.floor`: round toward -infinity.
#[inline]
pub fn floor(a: f64) -> f64 {
    fix1(a, a.floor())
}

/// `f64.trunc`: round toward zero.
#[inline]
pub fn trunc(a: f64) -> f64 {
    fix1(a, a.trunc())
}

/// `f64.nearest`: round to nearest integer, ties to even (`nearest(-0.5) = -0`).
#[inline]
pub fn nearest(a: f64) -> f64 {
    fix1(a, a.round_ties_even())
}

/// `f64.eq`: 0 if either operand is NaN; `-0 == +0`.
#[inline]
pub fn eq(a: f64, b: f64) -> i32 {
    bool_i32(a == b)
}

/// `f64.ne`: 1 if either operand is NaN.
#[inline]
pub fn ne(a: f64, b: f64) -> i32 {
    bool_i32(a != b)
}

/// `f64.lt`.
#[inline]
pub fn lt(a: f64, b: f64) -> i32 {
    bool_i32(a < b)
}

/// `f64.gt`.
#[inline]
pub fn gt(a: f64, b: f64) -> i32 {
    bool_i32(a > b)
}

/// `f64.le`.
#[inline]
pub fn le(a: f64, b: f64) -> i32 {
    bool_i32(a <= b)
}

/// `f64.ge`.
#[inline]
pub fn ge(a: f64, b: f64) -> i32 {
    bool_i32(a >= b)
}

#[cfg(test)]
mod tests;
