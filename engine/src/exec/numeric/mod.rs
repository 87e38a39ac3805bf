//! Numerics (spec 4.3): the pure, bit-exact operators, one module per value type.
//!
//! Every function here is total and deterministic; the ones that can trap
//! return a [`NumericTrap`], which the interpreter maps to its own trap kind.

pub mod v128;

/// The traps a numeric operator can raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumericTrap {
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow (`MIN / -1`), or a float-to-int truncation out of range.
    IntegerOverflow,
    /// A float-to-int truncation of a NaN.
    InvalidConversionToInteger,
}
