//! Numerics (spec 4.3): the pure, bit-exact operators, one module per value type.
//!
//! Every function here is total and deterministic; the ones that can trap
//! return a [`NumericTrap`], which the interpreter maps to its own trap kind.
//!
//! Modules are named after the operand type the operator belongs to
//! (`i32::div_s` is `i32.div_s`); conversions, which span two types, live in
//! [`convert`] and carry the full operator name (`convert::i32_trunc_f32_s`
//! is `i32.trunc_f32_s`). Integers travel as Rust's signed types (`i32`,
//! `i64`), floats as `f32`/`f64`: moving a float never changes its bits, and
//! every float operator fixes NaN results itself (see [`mod@f32`]), so no result
//! depends on the host CPU's NaN behaviour.
//!
//! The `f32`/`f64` and `i32`/`i64` operators are each written once, in the
//! private `float` and `int` modules; the per-type modules are their thin,
//! documented entry points, so the two widths cannot drift apart.

pub mod convert;
pub mod f32;
pub mod f64;
mod float;
pub mod i32;
pub mod i64;
mod int;
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
