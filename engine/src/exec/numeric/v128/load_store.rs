//! The pure halves of the SIMD memory instructions: what to build from the
//! bytes a load read, and which bytes a lane store writes. Address
//! computation and bounds checks (and so traps) are the interpreter's; it
//! reads exactly the number of bytes each function takes, in memory order.

use super::V128;

/// Builds a widening load from the 8 bytes read: `$view` of the low half, widened.
macro_rules! load_extend {
    ($(#[$doc:meta])* $name:ident = $extend:path) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(bytes: [u8; 8]) -> V128 {
            $extend(V128::from_u128(u128::from(u64::from_le_bytes(bytes))))
        }
    };
}

load_extend! {
    /// `v128.load8x8_s`: 8 bytes, each sign-extended to 16 bits.
    v128_load8x8_s = super::i16x8_extend_low_i8x16_s
}
load_extend! {
    /// `v128.load8x8_u`: 8 bytes, each zero-extended to 16 bits.
    v128_load8x8_u = super::i16x8_extend_low_i8x16_u
}
load_extend! {
    /// `v128.load16x4_s`: 4 16-bit values, each sign-extended to 32 bits.
    v128_load16x4_s = super::i32x4_extend_low_i16x8_s
}
load_extend! {
    /// `v128.load16x4_u`: 4 16-bit values, each zero-extended to 32 bits.
    v128_load16x4_u = super::i32x4_extend_low_i16x8_u
}
load_extend! {
    /// `v128.load32x2_s`: 2 32-bit values, each sign-extended to 64 bits.
    v128_load32x2_s = super::i64x2_extend_low_i32x4_s
}
load_extend! {
    /// `v128.load32x2_u`: 2 32-bit values, each zero-extended to 64 bits.
    v128_load32x2_u = super::i64x2_extend_low_i32x4_u
}

/// `v128.load8_splat`: the byte read, in every 8-bit lane.
#[inline]
pub fn v128_load8_splat(bytes: [u8; 1]) -> V128 {
    V128::from_u8x16([bytes[0]; 16])
}

/// `v128.load16_splat`: the 16-bit value read, in every 16-bit lane.
#[inline]
pub fn v128_load16_splat(bytes: [u8; 2]) -> V128 {
    V128::from_u16x8([u16::from_le_bytes(bytes); 8])
}

/// `v128.load32_splat`: the 32-bit value read, in every 32-bit lane.
#[inline]
pub fn v128_load32_splat(bytes: [u8; 4]) -> V128 {
    V128::from_u32x4([u32::from_le_bytes(bytes); 4])
}

/// `v128.load64_splat`: the 64-bit value read, in both 64-bit lanes.
#[inline]
pub fn v128_load64_splat(bytes: [u8; 8]) -> V128 {
    V128::from_u64x2([u64::from_le_bytes(bytes); 2])
}

/// `v128.load32_zero`: the 32-bit value read in lane 0, zeros elsewhere.
#[inline]
pub fn v128_load32_zero(bytes: [u8; 4]) -> V128 {
    V128::from_u128(u128::from(u32::from_le_bytes(bytes)))
}

/// `v128.load64_zero`: the 64-bit value read in lane 0, zeros elsewhere.
#[inline]
pub fn v128_load64_zero(bytes: [u8; 8]) -> V128 {
    V128::from_u128(u128::from(u64::from_le_bytes(bytes)))
}

/// Byte-level lane replacement shared by the lane loads: lane `lane` of
/// width `N` bytes (index taken modulo the lane count) becomes `bytes`.
#[inline]
fn with_lane<const N: usize>(v: V128, lane: u8, bytes: [u8; N]) -> V128 {
    let mut all = v.to_bytes();
    let start = usize::from(lane) % (16 / N) * N;
    all[start..start + N].copy_from_slice(&bytes);
    V128::from_bytes(all)
}

/// Byte-level lane read shared by the lane stores.
#[inline]
fn lane_bytes<const N: usize>(v: V128, lane: u8) -> [u8; N] {
    let all = v.to_bytes();
    let start = usize::from(lane) % (16 / N) * N;
    let mut out = [0u8; N];
    out.copy_from_slice(&all[start..start + N]);
    out
}

/// `v128.load8_lane`: `v` with 8-bit lane `lane` replaced by the byte read.
#[inline]
pub fn v128_load8_lane(v: V128, lane: u8, bytes: [u8; 1]) -> V128 {
    with_lane(v, lane, bytes)
}

/// `v128.load16_lane`: `v` with 16-bit lane `lane` replaced by the 2 bytes read.
#[inline]
pub fn v128_load16_lane(v: V128, lane: u8, bytes: [u8; 2]) -> V128 {
    with_lane(v, lane, bytes)
}

/// `v128.load32_lane`: `v` with 32-bit lane `lane` replaced by the 4 bytes read.
#[inline]
pub fn v128_load32_lane(v: V128, lane: u8, bytes: [u8; 4]) -> V128 {
    with_lane(v, lane, bytes)
}

/// `v128.load64_lane`: `v` with 64-bit lane `lane` replaced by the 8 bytes read.
#[inline]
pub fn v128_load64_lane(v: V128, lane: u8, bytes: [u8; 8]) -> V128 {
    with_lane(v, lane, bytes)
}

/// `v128.store8_lane`: the byte to write for 8-bit lane `lane`.
#[inline]
pub fn v128_store8_lane(v: V128, lane: u8) -> [u8; 1] {
    lane_bytes(v, lane)
}

/// `v128.store16_lane`: the 2 bytes to write for 16-bit lane `lane`.
#[inline]
pub fn v128_store16_lane(v: V128, lane: u8) -> [u8; 2] {
    lane_bytes(v, lane)
}

/// `v128.store32_lane`: the 4 bytes to write for 32-bit lane `lane`.
#[inline]
pub fn v128_store32_lane(v: V128, lane: u8) -> [u8; 4] {
    lane_bytes(v, lane)
}

/// `v128.store64_lane`: the 8 bytes to write for 64-bit lane `lane`.
#[inline]
pub fn v128_store64_lane(v: V128, lane: u8) -> [u8; 8] {
    lane_bytes(v, lane)
}

#[cfg(test)]
mod tests;
