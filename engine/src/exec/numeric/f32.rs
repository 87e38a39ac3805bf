//! `f32` operators (spec 4.3.3 floating-point operations), bit-exact and deterministic.
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
//!
//! The operators are written once, generically, in `float.rs`; this module
//! is their `f32` face, so `numeric::f32::nearest` is `f32.nearest`.

/// Bits of the NaN we produce when no operand is NaN: positive, quiet bit only.
pub const CANONICAL_NAN_BITS: u32 = 0x7fc0_0000;
/// The quiet bit: the most significant bit of the significand.
pub const QUIET_BIT: u32 = 0x0040_0000;

super::float::float_module!(f32);

#[cfg(test)]
mod tests;
