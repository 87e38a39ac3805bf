//! 128-bit SIMD numerics (spec 4.3.4 vector operations), bit-exact and deterministic.
//!
//! A [`V128`] is 128 bits in little-endian lane order: lane 0 of every shape
//! is the lowest-addressed bytes, as in linear memory. Each operator is a free
//! function named after wasmparser's visitor method without `visit_`
//! (`i8x16_add_sat_s` is `i8x16.add_sat_s`), grouped by family:
//!
//! - [`bitwise`] for `v128.not/and/andnot/or/xor/bitselect/any_true`;
//! - [`lanes`] for `splat`, `extract_lane`, `replace_lane`;
//! - [`shuffle`] for `i8x16.shuffle`, `i8x16.swizzle`;
//! - [`int8`], [`int16`], [`int32`], [`int64`]: integer lanes of each width,
//!   including the narrow/extend/extadd/extmul/dot operators that *produce* that width;
//! - [`float32`], [`float64`]: float lanes;
//! - [`convert`] for float/integer lane conversions, promote and demote;
//! - [`load_store`] for the pure halves of the SIMD loads and stores;
//! - [`relaxed`] for relaxed SIMD, fixed to the spec's deterministic profile;
//! - [`operator_table`] for the table from wasmparser operators to these functions;
//! - [`slots`] for running a table entry on the interpreter's 64-bit slot stack.
//!
//! Float lanes follow exactly the NaN rule of the scalar operators (they call
//! [`super::f32`] and [`super::f64`] per lane), so `f32x4.add` of four lanes
//! and four `f32.add` give the same bits. Booleans produced per lane are all
//! ones (true) or all zeros (false); scalar test results are `i32` 0 or 1.
//!
//! Everything is plain Rust on lane arrays; the arrays are built with
//! `from_le_bytes`/`to_le_bytes`, which the compiler turns into plain moves
//! on little-endian hosts and which stay correct on big-endian ones.

#[macro_use]
mod lanewise;

pub mod bitwise;
pub mod convert;
pub mod float32;
pub mod float64;
pub mod int16;
pub mod int32;
pub mod int64;
pub mod int8;
pub mod lanes;
pub mod load_store;
pub mod operator_table;
pub mod relaxed;
pub mod shuffle;
pub mod slots;

pub use bitwise::*;
pub use convert::*;
pub use float32::*;
pub use float64::*;
pub use int16::*;
pub use int32::*;
pub use int64::*;
pub use int8::*;
pub use lanes::*;
pub use load_store::*;
pub use operator_table::{simd_mem_op, simd_op, SimdMemOp, SimdOp};
pub use relaxed::*;
pub use shuffle::*;

/// A 128-bit vector value; lane 0 is the least significant bits.
///
/// A `u128` rather than 16 aligned bytes: with bytes, integer lane operators
/// compile to single SSE2 instructions in isolation, but the interpreter
/// keeps a `v128` as two 64-bit slots, and rebuilding 16 bytes from two
/// 8-byte stores stalls store forwarding; measured through the slot stack
/// (`SimdOp::run`), `u128` was faster for most operators.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct V128(u128);

impl std::fmt::Debug for V128 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "V128({:#034x})", self.0)
    }
}

/// Defines a lane view (`self -> [T; N]`) and its inverse (`[T; N] -> Self`).
macro_rules! lane_view {
    ($(#[$doc:meta])* $get:ident, $from:ident, $t:ty, $n:literal) => {
        $(#[$doc])*
        #[inline]
        pub fn $get(self) -> [$t; $n] {
            const SIZE: usize = 16 / $n;
            let bytes = self.0.to_le_bytes();
            std::array::from_fn(|i| {
                let mut lane = [0u8; SIZE];
                lane.copy_from_slice(&bytes[i * SIZE..(i + 1) * SIZE]);
                <$t>::from_le_bytes(lane)
            })
        }

        $(#[$doc])*
        #[inline]
        pub fn $from(lanes: [$t; $n]) -> Self {
            const SIZE: usize = 16 / $n;
            let mut bytes = [0u8; 16];
            for (i, lane) in lanes.iter().enumerate() {
                bytes[i * SIZE..(i + 1) * SIZE].copy_from_slice(&lane.to_le_bytes());
            }
            Self(u128::from_le_bytes(bytes))
        }
    };
}

impl V128 {
    /// The vector whose bits are `bits` (lane 0 = least significant).
    #[inline]
    pub const fn from_u128(bits: u128) -> Self {
        Self(bits)
    }

    /// The vector's bits as one integer.
    #[inline]
    pub const fn to_u128(self) -> u128 {
        self.0
    }

    /// The vector stored as 16 bytes in memory order.
    #[inline]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(u128::from_le_bytes(bytes))
    }

    /// The 16 bytes of the vector in memory order.
    #[inline]
    pub const fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    /// The vector made of two 64-bit words, `lo` holding lanes 0..8 of `i8x16`.
    #[inline]
    pub const fn from_u64x2_words(lo: u64, hi: u64) -> Self {
        Self(lo as u128 | (hi as u128) << 64)
    }

    /// The two 64-bit words `(lo, hi)` of the vector.
    #[inline]
    pub const fn to_u64x2_words(self) -> (u64, u64) {
        (self.0 as u64, (self.0 >> 64) as u64)
    }

    lane_view!(
        /// Signed 8-bit lanes.
        i8x16, from_i8x16, i8, 16
    );
    lane_view!(
        /// Unsigned 8-bit lanes.
        u8x16, from_u8x16, u8, 16
    );
    lane_view!(
        /// Signed 16-bit lanes.
        i16x8, from_i16x8, i16, 8
    );
    lane_view!(
        /// Unsigned 16-bit lanes.
        u16x8, from_u16x8, u16, 8
    );
    lane_view!(
        /// Signed 32-bit lanes.
        i32x4, from_i32x4, i32, 4
    );
    lane_view!(
        /// Unsigned 32-bit lanes.
        u32x4, from_u32x4, u32, 4
    );
    lane_view!(
        /// Signed 64-bit lanes.
        i64x2, from_i64x2, i64, 2
    );
    lane_view!(
        /// Unsigned 64-bit lanes.
        u64x2, from_u64x2, u64, 2
    );
    lane_view!(
        /// `f32` lanes (bits preserved, NaN payloads included).
        f32x4, from_f32x4, f32, 4
    );
    lane_view!(
        /// `f64` lanes (bits preserved, NaN payloads included).
        f64x2, from_f64x2, f64, 2
    );
}

impl From<u128> for V128 {
    fn from(bits: u128) -> Self {
        Self(bits)
    }
}

impl From<V128> for u128 {
    fn from(v: V128) -> Self {
        v.0
    }
}

/// Applies `f` to each pair of lanes.
#[inline]
pub(crate) fn zip<T: Copy, U, const N: usize>(
    a: [T; N],
    b: [T; N],
    f: impl Fn(T, T) -> U,
) -> [U; N] {
    std::array::from_fn(|i| f(a[i], b[i]))
}

/// A lane mask: all ones when `b` holds, else zero.
#[inline]
pub(crate) fn mask<T: From<bool> + std::ops::Neg<Output = T>>(b: bool) -> T {
    -T::from(b)
}

#[cfg(test)]
mod tests;
