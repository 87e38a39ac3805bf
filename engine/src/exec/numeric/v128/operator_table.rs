//! The operator table: which function of this module implements each
//! wasmparser SIMD operator, and with which stack shape, so the
//! interpreter's translator maps all of them with one match arm each for
//! [`SimdOp`] and [`SimdMemOp`] instead of one per operator.
//!
//! Slot counts follow the interpreter's layout of one 64-bit slot per
//! scalar and two per `v128`, low half first. Wiring into the interpreter:
//!
//! - translate: `v128.const` is two constant slots,
//!   `V128::from(value).to_u64x2_words()` (low, then high); for
//!   `simd_op(&op)` emit one instruction holding the [`SimdOp`] (at most 24
//!   bytes) with stack effect [`SimdOp::slots`]; for `simd_mem_op(&op)` one
//!   holding the [`SimdMemOp`] (3 bytes) and the memory immediate, with
//!   [`SimdMemOp::slots`];
//! - execute: `op.run(&mut slots)` (see [`super::slots`]); for memory, pop
//!   the vector if [`SimdMemOp::takes_vector`], pop the address, bounds-check
//!   [`SimdMemOp::access_bytes`] bytes, then [`SimdMemOp::store`] into them
//!   or push [`SimdMemOp::load`] of them.
//!
//! `engine/tests/simd_spec` runs the official SIMD scripts through exactly
//! this path.

use wasmparser::{MemArg, Operator};

use super::{self as v128, V128};

/// A non-memory SIMD operator: its stack shape and the pure function that implements it.
#[derive(Clone, Copy, Debug)]
pub enum SimdOp {
    /// `[v128] -> [v128]`.
    Unary(fn(V128) -> V128),
    /// `[v128 v128] -> [v128]`.
    Binary(fn(V128, V128) -> V128),
    /// `[v128 v128 v128] -> [v128]`.
    Ternary(fn(V128, V128, V128) -> V128),
    /// `[v128 i32] -> [v128]` (shifts).
    Shift(fn(V128, i32) -> V128),
    /// `[v128] -> [i32]` (`any_true`, `all_true`, `bitmask`).
    Test(fn(V128) -> i32),
    /// `[i32] -> [v128]`.
    SplatI32(fn(i32) -> V128),
    /// `[i64] -> [v128]`.
    SplatI64(fn(i64) -> V128),
    /// `[f32] -> [v128]`.
    SplatF32(fn(f32) -> V128),
    /// `[f64] -> [v128]`.
    SplatF64(fn(f64) -> V128),
    /// `[v128] -> [i32]` with the lane immediate.
    ExtractI32(fn(V128, u8) -> i32, u8),
    /// `[v128] -> [i64]` with the lane immediate.
    ExtractI64(fn(V128, u8) -> i64, u8),
    /// `[v128] -> [f32]` with the lane immediate.
    ExtractF32(fn(V128, u8) -> f32, u8),
    /// `[v128] -> [f64]` with the lane immediate.
    ExtractF64(fn(V128, u8) -> f64, u8),
    /// `[v128 i32] -> [v128]` with the lane immediate.
    ReplaceI32(fn(V128, u8, i32) -> V128, u8),
    /// `[v128 i64] -> [v128]` with the lane immediate.
    ReplaceI64(fn(V128, u8, i64) -> V128, u8),
    /// `[v128 f32] -> [v128]` with the lane immediate.
    ReplaceF32(fn(V128, u8, f32) -> V128, u8),
    /// `[v128 f64] -> [v128]` with the lane immediate.
    ReplaceF64(fn(V128, u8, f64) -> V128, u8),
    /// `i8x16.shuffle`, `[v128 v128] -> [v128]`, with its 16 lane indices.
    Shuffle([u8; 16]),
}

impl SimdOp {
    /// Slots popped and pushed (a `v128` is two slots, a scalar one).
    pub fn slots(&self) -> (u32, u32) {
        match self {
            SimdOp::Unary(_) => (2, 2),
            SimdOp::Binary(_) | SimdOp::Shuffle(_) => (4, 2),
            SimdOp::Ternary(_) => (6, 2),
            SimdOp::Shift(_) => (3, 2),
            SimdOp::Test(_) => (2, 1),
            SimdOp::SplatI32(_)
            | SimdOp::SplatI64(_)
            | SimdOp::SplatF32(_)
            | SimdOp::SplatF64(_) => (1, 2),
            SimdOp::ExtractI32(..)
            | SimdOp::ExtractI64(..)
            | SimdOp::ExtractF32(..)
            | SimdOp::ExtractF64(..) => (2, 1),
            SimdOp::ReplaceI32(..)
            | SimdOp::ReplaceI64(..)
            | SimdOp::ReplaceF32(..)
            | SimdOp::ReplaceF64(..) => (3, 2),
        }
    }
}

/// A SIMD memory operator. The interpreter pops the operands (address,
/// then for stores and lane loads a `v128` above it), bounds-checks
/// [`access_bytes`](Self::access_bytes) bytes at the effective address, and
/// calls [`load`](Self::load) or [`store`](Self::store) on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdMemOp {
    /// `v128.load`: 16 bytes as they are.
    Load,
    /// `v128.load8x8_s`.
    Load8x8S,
    /// `v128.load8x8_u`.
    Load8x8U,
    /// `v128.load16x4_s`.
    Load16x4S,
    /// `v128.load16x4_u`.
    Load16x4U,
    /// `v128.load32x2_s`.
    Load32x2S,
    /// `v128.load32x2_u`.
    Load32x2U,
    /// `v128.load8_splat`.
    Load8Splat,
    /// `v128.load16_splat`.
    Load16Splat,
    /// `v128.load32_splat`.
    Load32Splat,
    /// `v128.load64_splat`.
    Load64Splat,
    /// `v128.load32_zero`.
    Load32Zero,
    /// `v128.load64_zero`.
    Load64Zero,
    /// `v128.store`: 16 bytes.
    Store,
    /// `v128.loadN_lane`: `bytes` (1, 2, 4 or 8) bytes into lane `lane`.
    LoadLane {
        /// Access width in bytes.
        bytes: u8,
        /// The lane written.
        lane: u8,
    },
    /// `v128.storeN_lane`: lane `lane`, `bytes` (1, 2, 4 or 8) bytes wide.
    StoreLane {
        /// Access width in bytes.
        bytes: u8,
        /// The lane read.
        lane: u8,
    },
}

/// The first `N` bytes of an access, which the interpreter sized with [`SimdMemOp::access_bytes`].
fn first<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes[..N]
        .try_into()
        .expect("access is at least as wide as the operator reads")
}

impl SimdMemOp {
    /// Whether the operator writes memory (and pushes nothing).
    pub fn is_store(&self) -> bool {
        matches!(self, SimdMemOp::Store | SimdMemOp::StoreLane { .. })
    }

    /// Whether a `v128` operand sits above the address (stores and lane loads).
    pub fn takes_vector(&self) -> bool {
        matches!(
            self,
            SimdMemOp::Store | SimdMemOp::StoreLane { .. } | SimdMemOp::LoadLane { .. }
        )
    }

    /// How many bytes of memory the operator reads or writes.
    pub fn access_bytes(&self) -> usize {
        match self {
            SimdMemOp::Load | SimdMemOp::Store => 16,
            SimdMemOp::Load8x8S
            | SimdMemOp::Load8x8U
            | SimdMemOp::Load16x4S
            | SimdMemOp::Load16x4U
            | SimdMemOp::Load32x2S
            | SimdMemOp::Load32x2U
            | SimdMemOp::Load64Splat
            | SimdMemOp::Load64Zero => 8,
            SimdMemOp::Load8Splat => 1,
            SimdMemOp::Load16Splat => 2,
            SimdMemOp::Load32Splat | SimdMemOp::Load32Zero => 4,
            SimdMemOp::LoadLane { bytes, .. } | SimdMemOp::StoreLane { bytes, .. } => {
                usize::from(*bytes)
            }
        }
    }

    /// Slots popped and pushed, the address included.
    pub fn slots(&self) -> (u32, u32) {
        match self {
            SimdMemOp::Store | SimdMemOp::StoreLane { .. } => (3, 0),
            SimdMemOp::LoadLane { .. } => (3, 2),
            _ => (1, 2),
        }
    }

    /// The vector a load produces from the bytes read (`access_bytes` of them);
    /// `v` is the vector operand of a lane load (ignored otherwise). For a
    /// store, returns `v` unchanged.
    pub fn load(&self, bytes: &[u8], v: V128) -> V128 {
        match *self {
            SimdMemOp::Load => V128::from_bytes(first(bytes)),
            SimdMemOp::Load8x8S => v128::v128_load8x8_s(first(bytes)),
            SimdMemOp::Load8x8U => v128::v128_load8x8_u(first(bytes)),
            SimdMemOp::Load16x4S => v128::v128_load16x4_s(first(bytes)),
            SimdMemOp::Load16x4U => v128::v128_load16x4_u(first(bytes)),
            SimdMemOp::Load32x2S => v128::v128_load32x2_s(first(bytes)),
            SimdMemOp::Load32x2U => v128::v128_load32x2_u(first(bytes)),
            SimdMemOp::Load8Splat => v128::v128_load8_splat(first(bytes)),
            SimdMemOp::Load16Splat => v128::v128_load16_splat(first(bytes)),
            SimdMemOp::Load32Splat => v128::v128_load32_splat(first(bytes)),
            SimdMemOp::Load64Splat => v128::v128_load64_splat(first(bytes)),
            SimdMemOp::Load32Zero => v128::v128_load32_zero(first(bytes)),
            SimdMemOp::Load64Zero => v128::v128_load64_zero(first(bytes)),
            SimdMemOp::LoadLane { bytes: 1, lane } => v128::v128_load8_lane(v, lane, first(bytes)),
            SimdMemOp::LoadLane { bytes: 2, lane } => v128::v128_load16_lane(v, lane, first(bytes)),
            SimdMemOp::LoadLane { bytes: 4, lane } => v128::v128_load32_lane(v, lane, first(bytes)),
            SimdMemOp::LoadLane { lane, .. } => v128::v128_load64_lane(v, lane, first(bytes)),
            SimdMemOp::Store | SimdMemOp::StoreLane { .. } => v,
        }
    }

    /// Writes the bytes a store puts in memory into `out` (`access_bytes` of
    /// them). Loads write nothing.
    pub fn store(&self, v: V128, out: &mut [u8]) {
        let n = self.access_bytes();
        match *self {
            SimdMemOp::Store => out[..n].copy_from_slice(&v.to_bytes()),
            SimdMemOp::StoreLane { bytes: 1, lane } => {
                out[..n].copy_from_slice(&v128::v128_store8_lane(v, lane))
            }
            SimdMemOp::StoreLane { bytes: 2, lane } => {
                out[..n].copy_from_slice(&v128::v128_store16_lane(v, lane))
            }
            SimdMemOp::StoreLane { bytes: 4, lane } => {
                out[..n].copy_from_slice(&v128::v128_store32_lane(v, lane))
            }
            SimdMemOp::StoreLane { lane, .. } => {
                out[..n].copy_from_slice(&v128::v128_store64_lane(v, lane))
            }
            _ => {}
        }
    }
}

impl From<wasmparser::V128> for V128 {
    fn from(v: wasmparser::V128) -> Self {
        V128::from_bytes(*v.bytes())
    }
}

/// The implementation of a non-memory SIMD operator (`v128.const` excluded),
/// or `None` for any other operator.
pub fn simd_op(op: &Operator<'_>) -> Option<SimdOp> {
    Some(match op {
        Operator::I8x16Shuffle { lanes } => SimdOp::Shuffle(*lanes),
        Operator::I8x16ExtractLaneS { lane } => {
            SimdOp::ExtractI32(v128::i8x16_extract_lane_s, *lane)
        }
        Operator::I8x16ExtractLaneU { lane } => {
            SimdOp::ExtractI32(v128::i8x16_extract_lane_u, *lane)
        }
        Operator::I8x16ReplaceLane { lane } => SimdOp::ReplaceI32(v128::i8x16_replace_lane, *lane),
        Operator::I16x8ExtractLaneS { lane } => {
            SimdOp::ExtractI32(v128::i16x8_extract_lane_s, *lane)
        }
        Operator::I16x8ExtractLaneU { lane } => {
            SimdOp::ExtractI32(v128::i16x8_extract_lane_u, *lane)
        }
        Operator::I16x8ReplaceLane { lane } => SimdOp::ReplaceI32(v128::i16x8_replace_lane, *lane),
        Operator::I32x4ExtractLane { lane } => SimdOp::ExtractI32(v128::i32x4_extract_lane, *lane),
        Operator::I32x4ReplaceLane { lane } => SimdOp::ReplaceI32(v128::i32x4_replace_lane, *lane),
        Operator::I64x2ExtractLane { lane } => SimdOp::ExtractI64(v128::i64x2_extract_lane, *lane),
        Operator::I64x2ReplaceLane { lane } => SimdOp::ReplaceI64(v128::i64x2_replace_lane, *lane),
        Operator::F32x4ExtractLane { lane } => SimdOp::ExtractF32(v128::f32x4_extract_lane, *lane),
        Operator::F32x4ReplaceLane { lane } => SimdOp::ReplaceF32(v128::f32x4_replace_lane, *lane),
        Operator::F64x2ExtractLane { lane } => SimdOp::ExtractF64(v128::f64x2_extract_lane, *lane),
        Operator::F64x2ReplaceLane { lane } => SimdOp::ReplaceF64(v128::f64x2_replace_lane, *lane),
        Operator::I8x16Swizzle => SimdOp::Binary(v128::i8x16_swizzle),
        Operator::I8x16Splat => SimdOp::SplatI32(v128::i8x16_splat),
        Operator::I16x8Splat => SimdOp::SplatI32(v128::i16x8_splat),
        Operator::I32x4Splat => SimdOp::SplatI32(v128::i32x4_splat),
        Operator::I64x2Splat => SimdOp::SplatI64(v128::i64x2_splat),
        Operator::F32x4Splat => SimdOp::SplatF32(v128::f32x4_splat),
        Operator::F64x2Splat => SimdOp::SplatF64(v128::f64x2_splat),
        Operator::I8x16Eq => SimdOp::Binary(v128::i8x16_eq),
        Operator::I8x16Ne => SimdOp::Binary(v128::i8x16_ne),
        Operator::I8x16LtS => SimdOp::Binary(v128::i8x16_lt_s),
        Operator::I8x16LtU => SimdOp::Binary(v128::i8x16_lt_u),
        Operator::I8x16GtS => SimdOp::Binary(v128::i8x16_gt_s),
        Operator::I8x16GtU => SimdOp::Binary(v128::i8x16_gt_u),
        Operator::I8x16LeS => SimdOp::Binary(v128::i8x16_le_s),
        Operator::I8x16LeU => SimdOp::Binary(v128::i8x16_le_u),
        Operator::I8x16GeS => SimdOp::Binary(v128::i8x16_ge_s),
        Operator::I8x16GeU => SimdOp::Binary(v128::i8x16_ge_u),
        Operator::I16x8Eq => SimdOp::Binary(v128::i16x8_eq),
        Operator::I16x8Ne => SimdOp::Binary(v128::i16x8_ne),
        Operator::I16x8LtS => SimdOp::Binary(v128::i16x8_lt_s),
        Operator::I16x8LtU => SimdOp::Binary(v128::i16x8_lt_u),
        Operator::I16x8GtS => SimdOp::Binary(v128::i16x8_gt_s),
        Operator::I16x8GtU => SimdOp::Binary(v128::i16x8_gt_u),
        Operator::I16x8LeS => SimdOp::Binary(v128::i16x8_le_s),
        Operator::I16x8LeU => SimdOp::Binary(v128::i16x8_le_u),
        Operator::I16x8GeS => SimdOp::Binary(v128::i16x8_ge_s),
        Operator::I16x8GeU => SimdOp::Binary(v128::i16x8_ge_u),
        Operator::I32x4Eq => SimdOp::Binary(v128::i32x4_eq),
        Operator::I32x4Ne => SimdOp::Binary(v128::i32x4_ne),
        Operator::I32x4LtS => SimdOp::Binary(v128::i32x4_lt_s),
        Operator::I32x4LtU => SimdOp::Binary(v128::i32x4_lt_u),
        Operator::I32x4GtS => SimdOp::Binary(v128::i32x4_gt_s),
        Operator::I32x4GtU => SimdOp::Binary(v128::i32x4_gt_u),
        Operator::I32x4LeS => SimdOp::Binary(v128::i32x4_le_s),
        Operator::I32x4LeU => SimdOp::Binary(v128::i32x4_le_u),
        Operator::I32x4GeS => SimdOp::Binary(v128::i32x4_ge_s),
        Operator::I32x4GeU => SimdOp::Binary(v128::i32x4_ge_u),
        Operator::I64x2Eq => SimdOp::Binary(v128::i64x2_eq),
        Operator::I64x2Ne => SimdOp::Binary(v128::i64x2_ne),
        Operator::I64x2LtS => SimdOp::Binary(v128::i64x2_lt_s),
        Operator::I64x2GtS => SimdOp::Binary(v128::i64x2_gt_s),
        Operator::I64x2LeS => SimdOp::Binary(v128::i64x2_le_s),
        Operator::I64x2GeS => SimdOp::Binary(v128::i64x2_ge_s),
        Operator::F32x4Eq => SimdOp::Binary(v128::f32x4_eq),
        Operator::F32x4Ne => SimdOp::Binary(v128::f32x4_ne),
        Operator::F32x4Lt => SimdOp::Binary(v128::f32x4_lt),
        Operator::F32x4Gt => SimdOp::Binary(v128::f32x4_gt),
        Operator::F32x4Le => SimdOp::Binary(v128::f32x4_le),
        Operator::F32x4Ge => SimdOp::Binary(v128::f32x4_ge),
        Operator::F64x2Eq => SimdOp::Binary(v128::f64x2_eq),
        Operator::F64x2Ne => SimdOp::Binary(v128::f64x2_ne),
        Operator::F64x2Lt => SimdOp::Binary(v128::f64x2_lt),
        Operator::F64x2Gt => SimdOp::Binary(v128::f64x2_gt),
        Operator::F64x2Le => SimdOp::Binary(v128::f64x2_le),
        Operator::F64x2Ge => SimdOp::Binary(v128::f64x2_ge),
        Operator::V128Not => SimdOp::Unary(v128::v128_not),
        Operator::V128And => SimdOp::Binary(v128::v128_and),
        Operator::V128AndNot => SimdOp::Binary(v128::v128_andnot),
        Operator::V128Or => SimdOp::Binary(v128::v128_or),
        Operator::V128Xor => SimdOp::Binary(v128::v128_xor),
        Operator::V128Bitselect => SimdOp::Ternary(v128::v128_bitselect),
        Operator::V128AnyTrue => SimdOp::Test(v128::v128_any_true),
        Operator::I8x16Abs => SimdOp::Unary(v128::i8x16_abs),
        Operator::I8x16Neg => SimdOp::Unary(v128::i8x16_neg),
        Operator::I8x16Popcnt => SimdOp::Unary(v128::i8x16_popcnt),
        Operator::I8x16AllTrue => SimdOp::Test(v128::i8x16_all_true),
        Operator::I8x16Bitmask => SimdOp::Test(v128::i8x16_bitmask),
        Operator::I8x16NarrowI16x8S => SimdOp::Binary(v128::i8x16_narrow_i16x8_s),
        Operator::I8x16NarrowI16x8U => SimdOp::Binary(v128::i8x16_narrow_i16x8_u),
        Operator::I8x16Shl => SimdOp::Shift(v128::i8x16_shl),
        Operator::I8x16ShrS => SimdOp::Shift(v128::i8x16_shr_s),
        Operator::I8x16ShrU => SimdOp::Shift(v128::i8x16_shr_u),
        Operator::I8x16Add => SimdOp::Binary(v128::i8x16_add),
        Operator::I8x16AddSatS => SimdOp::Binary(v128::i8x16_add_sat_s),
        Operator::I8x16AddSatU => SimdOp::Binary(v128::i8x16_add_sat_u),
        Operator::I8x16Sub => SimdOp::Binary(v128::i8x16_sub),
        Operator::I8x16SubSatS => SimdOp::Binary(v128::i8x16_sub_sat_s),
        Operator::I8x16SubSatU => SimdOp::Binary(v128::i8x16_sub_sat_u),
        Operator::I8x16MinS => SimdOp::Binary(v128::i8x16_min_s),
        Operator::I8x16MinU => SimdOp::Binary(v128::i8x16_min_u),
        Operator::I8x16MaxS => SimdOp::Binary(v128::i8x16_max_s),
        Operator::I8x16MaxU => SimdOp::Binary(v128::i8x16_max_u),
        Operator::I8x16AvgrU => SimdOp::Binary(v128::i8x16_avgr_u),
        Operator::I16x8ExtAddPairwiseI8x16S => SimdOp::Unary(v128::i16x8_extadd_pairwise_i8x16_s),
        Operator::I16x8ExtAddPairwiseI8x16U => SimdOp::Unary(v128::i16x8_extadd_pairwise_i8x16_u),
        Operator::I16x8Abs => SimdOp::Unary(v128::i16x8_abs),
        Operator::I16x8Neg => SimdOp::Unary(v128::i16x8_neg),
        Operator::I16x8Q15MulrSatS => SimdOp::Binary(v128::i16x8_q15mulr_sat_s),
        Operator::I16x8AllTrue => SimdOp::Test(v128::i16x8_all_true),
        Operator::I16x8Bitmask => SimdOp::Test(v128::i16x8_bitmask),
        Operator::I16x8NarrowI32x4S => SimdOp::Binary(v128::i16x8_narrow_i32x4_s),
        Operator::I16x8NarrowI32x4U => SimdOp::Binary(v128::i16x8_narrow_i32x4_u),
        Operator::I16x8ExtendLowI8x16S => SimdOp::Unary(v128::i16x8_extend_low_i8x16_s),
        Operator::I16x8ExtendHighI8x16S => SimdOp::Unary(v128::i16x8_extend_high_i8x16_s),
        Operator::I16x8ExtendLowI8x16U => SimdOp::Unary(v128::i16x8_extend_low_i8x16_u),
        Operator::I16x8ExtendHighI8x16U => SimdOp::Unary(v128::i16x8_extend_high_i8x16_u),
        Operator::I16x8Shl => SimdOp::Shift(v128::i16x8_shl),
        Operator::I16x8ShrS => SimdOp::Shift(v128::i16x8_shr_s),
        Operator::I16x8ShrU => SimdOp::Shift(v128::i16x8_shr_u),
        Operator::I16x8Add => SimdOp::Binary(v128::i16x8_add),
        Operator::I16x8AddSatS => SimdOp::Binary(v128::i16x8_add_sat_s),
        Operator::I16x8AddSatU => SimdOp::Binary(v128::i16x8_add_sat_u),
        Operator::I16x8Sub => SimdOp::Binary(v128::i16x8_sub),
        Operator::I16x8SubSatS => SimdOp::Binary(v128::i16x8_sub_sat_s),
        Operator::I16x8SubSatU => SimdOp::Binary(v128::i16x8_sub_sat_u),
        Operator::I16x8Mul => SimdOp::Binary(v128::i16x8_mul),
        Operator::I16x8MinS => SimdOp::Binary(v128::i16x8_min_s),
        Operator::I16x8MinU => SimdOp::Binary(v128::i16x8_min_u),
        Operator::I16x8MaxS => SimdOp::Binary(v128::i16x8_max_s),
        Operator::I16x8MaxU => SimdOp::Binary(v128::i16x8_max_u),
        Operator::I16x8AvgrU => SimdOp::Binary(v128::i16x8_avgr_u),
        Operator::I16x8ExtMulLowI8x16S => SimdOp::Binary(v128::i16x8_extmul_low_i8x16_s),
        Operator::I16x8ExtMulHighI8x16S => SimdOp::Binary(v128::i16x8_extmul_high_i8x16_s),
        Operator::I16x8ExtMulLowI8x16U => SimdOp::Binary(v128::i16x8_extmul_low_i8x16_u),
        Operator::I16x8ExtMulHighI8x16U => SimdOp::Binary(v128::i16x8_extmul_high_i8x16_u),
        Operator::I32x4ExtAddPairwiseI16x8S => SimdOp::Unary(v128::i32x4_extadd_pairwise_i16x8_s),
        Operator::I32x4ExtAddPairwiseI16x8U => SimdOp::Unary(v128::i32x4_extadd_pairwise_i16x8_u),
        Operator::I32x4Abs => SimdOp::Unary(v128::i32x4_abs),
        Operator::I32x4Neg => SimdOp::Unary(v128::i32x4_neg),
        Operator::I32x4AllTrue => SimdOp::Test(v128::i32x4_all_true),
        Operator::I32x4Bitmask => SimdOp::Test(v128::i32x4_bitmask),
        Operator::I32x4ExtendLowI16x8S => SimdOp::Unary(v128::i32x4_extend_low_i16x8_s),
        Operator::I32x4ExtendHighI16x8S => SimdOp::Unary(v128::i32x4_extend_high_i16x8_s),
        Operator::I32x4ExtendLowI16x8U => SimdOp::Unary(v128::i32x4_extend_low_i16x8_u),
        Operator::I32x4ExtendHighI16x8U => SimdOp::Unary(v128::i32x4_extend_high_i16x8_u),
        Operator::I32x4Shl => SimdOp::Shift(v128::i32x4_shl),
        Operator::I32x4ShrS => SimdOp::Shift(v128::i32x4_shr_s),
        Operator::I32x4ShrU => SimdOp::Shift(v128::i32x4_shr_u),
        Operator::I32x4Add => SimdOp::Binary(v128::i32x4_add),
        Operator::I32x4Sub => SimdOp::Binary(v128::i32x4_sub),
        Operator::I32x4Mul => SimdOp::Binary(v128::i32x4_mul),
        Operator::I32x4MinS => SimdOp::Binary(v128::i32x4_min_s),
        Operator::I32x4MinU => SimdOp::Binary(v128::i32x4_min_u),
        Operator::I32x4MaxS => SimdOp::Binary(v128::i32x4_max_s),
        Operator::I32x4MaxU => SimdOp::Binary(v128::i32x4_max_u),
        Operator::I32x4DotI16x8S => SimdOp::Binary(v128::i32x4_dot_i16x8_s),
        Operator::I32x4ExtMulLowI16x8S => SimdOp::Binary(v128::i32x4_extmul_low_i16x8_s),
        Operator::I32x4ExtMulHighI16x8S => SimdOp::Binary(v128::i32x4_extmul_high_i16x8_s),
        Operator::I32x4ExtMulLowI16x8U => SimdOp::Binary(v128::i32x4_extmul_low_i16x8_u),
        Operator::I32x4ExtMulHighI16x8U => SimdOp::Binary(v128::i32x4_extmul_high_i16x8_u),
        Operator::I64x2Abs => SimdOp::Unary(v128::i64x2_abs),
        Operator::I64x2Neg => SimdOp::Unary(v128::i64x2_neg),
        Operator::I64x2AllTrue => SimdOp::Test(v128::i64x2_all_true),
        Operator::I64x2Bitmask => SimdOp::Test(v128::i64x2_bitmask),
        Operator::I64x2ExtendLowI32x4S => SimdOp::Unary(v128::i64x2_extend_low_i32x4_s),
        Operator::I64x2ExtendHighI32x4S => SimdOp::Unary(v128::i64x2_extend_high_i32x4_s),
        Operator::I64x2ExtendLowI32x4U => SimdOp::Unary(v128::i64x2_extend_low_i32x4_u),
        Operator::I64x2ExtendHighI32x4U => SimdOp::Unary(v128::i64x2_extend_high_i32x4_u),
        Operator::I64x2Shl => SimdOp::Shift(v128::i64x2_shl),
        Operator::I64x2ShrS => SimdOp::Shift(v128::i64x2_shr_s),
        Operator::I64x2ShrU => SimdOp::Shift(v128::i64x2_shr_u),
        Operator::I64x2Add => SimdOp::Binary(v128::i64x2_add),
        Operator::I64x2Sub => SimdOp::Binary(v128::i64x2_sub),
        Operator::I64x2Mul => SimdOp::Binary(v128::i64x2_mul),
        Operator::I64x2ExtMulLowI32x4S => SimdOp::Binary(v128::i64x2_extmul_low_i32x4_s),
        Operator::I64x2ExtMulHighI32x4S => SimdOp::Binary(v128::i64x2_extmul_high_i32x4_s),
        Operator::I64x2ExtMulLowI32x4U => SimdOp::Binary(v128::i64x2_extmul_low_i32x4_u),
        Operator::I64x2ExtMulHighI32x4U => SimdOp::Binary(v128::i64x2_extmul_high_i32x4_u),
        Operator::F32x4Ceil => SimdOp::Unary(v128::f32x4_ceil),
        Operator::F32x4Floor => SimdOp::Unary(v128::f32x4_floor),
        Operator::F32x4Trunc => SimdOp::Unary(v128::f32x4_trunc),
        Operator::F32x4Nearest => SimdOp::Unary(v128::f32x4_nearest),
        Operator::F32x4Abs => SimdOp::Unary(v128::f32x4_abs),
        Operator::F32x4Neg => SimdOp::Unary(v128::f32x4_neg),
        Operator::F32x4Sqrt => SimdOp::Unary(v128::f32x4_sqrt),
        Operator::F32x4Add => SimdOp::Binary(v128::f32x4_add),
        Operator::F32x4Sub => SimdOp::Binary(v128::f32x4_sub),
        Operator::F32x4Mul => SimdOp::Binary(v128::f32x4_mul),
        Operator::F32x4Div => SimdOp::Binary(v128::f32x4_div),
        Operator::F32x4Min => SimdOp::Binary(v128::f32x4_min),
        Operator::F32x4Max => SimdOp::Binary(v128::f32x4_max),
        Operator::F32x4PMin => SimdOp::Binary(v128::f32x4_pmin),
        Operator::F32x4PMax => SimdOp::Binary(v128::f32x4_pmax),
        Operator::F64x2Ceil => SimdOp::Unary(v128::f64x2_ceil),
        Operator::F64x2Floor => SimdOp::Unary(v128::f64x2_floor),
        Operator::F64x2Trunc => SimdOp::Unary(v128::f64x2_trunc),
        Operator::F64x2Nearest => SimdOp::Unary(v128::f64x2_nearest),
        Operator::F64x2Abs => SimdOp::Unary(v128::f64x2_abs),
        Operator::F64x2Neg => SimdOp::Unary(v128::f64x2_neg),
        Operator::F64x2Sqrt => SimdOp::Unary(v128::f64x2_sqrt),
        Operator::F64x2Add => SimdOp::Binary(v128::f64x2_add),
        Operator::F64x2Sub => SimdOp::Binary(v128::f64x2_sub),
        Operator::F64x2Mul => SimdOp::Binary(v128::f64x2_mul),
        Operator::F64x2Div => SimdOp::Binary(v128::f64x2_div),
        Operator::F64x2Min => SimdOp::Binary(v128::f64x2_min),
        Operator::F64x2Max => SimdOp::Binary(v128::f64x2_max),
        Operator::F64x2PMin => SimdOp::Binary(v128::f64x2_pmin),
        Operator::F64x2PMax => SimdOp::Binary(v128::f64x2_pmax),
        Operator::I32x4TruncSatF32x4S => SimdOp::Unary(v128::i32x4_trunc_sat_f32x4_s),
        Operator::I32x4TruncSatF32x4U => SimdOp::Unary(v128::i32x4_trunc_sat_f32x4_u),
        Operator::F32x4ConvertI32x4S => SimdOp::Unary(v128::f32x4_convert_i32x4_s),
        Operator::F32x4ConvertI32x4U => SimdOp::Unary(v128::f32x4_convert_i32x4_u),
        Operator::I32x4TruncSatF64x2SZero => SimdOp::Unary(v128::i32x4_trunc_sat_f64x2_s_zero),
        Operator::I32x4TruncSatF64x2UZero => SimdOp::Unary(v128::i32x4_trunc_sat_f64x2_u_zero),
        Operator::F64x2ConvertLowI32x4S => SimdOp::Unary(v128::f64x2_convert_low_i32x4_s),
        Operator::F64x2ConvertLowI32x4U => SimdOp::Unary(v128::f64x2_convert_low_i32x4_u),
        Operator::F32x4DemoteF64x2Zero => SimdOp::Unary(v128::f32x4_demote_f64x2_zero),
        Operator::F64x2PromoteLowF32x4 => SimdOp::Unary(v128::f64x2_promote_low_f32x4),
        Operator::I8x16RelaxedSwizzle => SimdOp::Binary(v128::i8x16_relaxed_swizzle),
        Operator::I32x4RelaxedTruncF32x4S => SimdOp::Unary(v128::i32x4_relaxed_trunc_f32x4_s),
        Operator::I32x4RelaxedTruncF32x4U => SimdOp::Unary(v128::i32x4_relaxed_trunc_f32x4_u),
        Operator::I32x4RelaxedTruncF64x2SZero => {
            SimdOp::Unary(v128::i32x4_relaxed_trunc_f64x2_s_zero)
        }
        Operator::I32x4RelaxedTruncF64x2UZero => {
            SimdOp::Unary(v128::i32x4_relaxed_trunc_f64x2_u_zero)
        }
        Operator::F32x4RelaxedMadd => SimdOp::Ternary(v128::f32x4_relaxed_madd),
        Operator::F32x4RelaxedNmadd => SimdOp::Ternary(v128::f32x4_relaxed_nmadd),
        Operator::F64x2RelaxedMadd => SimdOp::Ternary(v128::f64x2_relaxed_madd),
        Operator::F64x2RelaxedNmadd => SimdOp::Ternary(v128::f64x2_relaxed_nmadd),
        Operator::I8x16RelaxedLaneselect => SimdOp::Ternary(v128::i8x16_relaxed_laneselect),
        Operator::I16x8RelaxedLaneselect => SimdOp::Ternary(v128::i16x8_relaxed_laneselect),
        Operator::I32x4RelaxedLaneselect => SimdOp::Ternary(v128::i32x4_relaxed_laneselect),
        Operator::I64x2RelaxedLaneselect => SimdOp::Ternary(v128::i64x2_relaxed_laneselect),
        Operator::F32x4RelaxedMin => SimdOp::Binary(v128::f32x4_relaxed_min),
        Operator::F32x4RelaxedMax => SimdOp::Binary(v128::f32x4_relaxed_max),
        Operator::F64x2RelaxedMin => SimdOp::Binary(v128::f64x2_relaxed_min),
        Operator::F64x2RelaxedMax => SimdOp::Binary(v128::f64x2_relaxed_max),
        Operator::I16x8RelaxedQ15mulrS => SimdOp::Binary(v128::i16x8_relaxed_q15mulr_s),
        Operator::I16x8RelaxedDotI8x16I7x16S => {
            SimdOp::Binary(v128::i16x8_relaxed_dot_i8x16_i7x16_s)
        }
        Operator::I32x4RelaxedDotI8x16I7x16AddS => {
            SimdOp::Ternary(v128::i32x4_relaxed_dot_i8x16_i7x16_add_s)
        }
        _ => return None,
    })
}

/// The implementation and memory immediate of a SIMD memory operator, or
/// `None` for any other operator.
pub fn simd_mem_op(op: &Operator<'_>) -> Option<(SimdMemOp, MemArg)> {
    Some(match op {
        Operator::V128Load { memarg } => (SimdMemOp::Load, *memarg),
        Operator::V128Load8x8S { memarg } => (SimdMemOp::Load8x8S, *memarg),
        Operator::V128Load8x8U { memarg } => (SimdMemOp::Load8x8U, *memarg),
        Operator::V128Load16x4S { memarg } => (SimdMemOp::Load16x4S, *memarg),
        Operator::V128Load16x4U { memarg } => (SimdMemOp::Load16x4U, *memarg),
        Operator::V128Load32x2S { memarg } => (SimdMemOp::Load32x2S, *memarg),
        Operator::V128Load32x2U { memarg } => (SimdMemOp::Load32x2U, *memarg),
        Operator::V128Load8Splat { memarg } => (SimdMemOp::Load8Splat, *memarg),
        Operator::V128Load16Splat { memarg } => (SimdMemOp::Load16Splat, *memarg),
        Operator::V128Load32Splat { memarg } => (SimdMemOp::Load32Splat, *memarg),
        Operator::V128Load64Splat { memarg } => (SimdMemOp::Load64Splat, *memarg),
        Operator::V128Load32Zero { memarg } => (SimdMemOp::Load32Zero, *memarg),
        Operator::V128Load64Zero { memarg } => (SimdMemOp::Load64Zero, *memarg),
        Operator::V128Store { memarg } => (SimdMemOp::Store, *memarg),
        Operator::V128Load8Lane { memarg, lane } => (
            SimdMemOp::LoadLane {
                bytes: 1,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Load16Lane { memarg, lane } => (
            SimdMemOp::LoadLane {
                bytes: 2,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Load32Lane { memarg, lane } => (
            SimdMemOp::LoadLane {
                bytes: 4,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Load64Lane { memarg, lane } => (
            SimdMemOp::LoadLane {
                bytes: 8,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Store8Lane { memarg, lane } => (
            SimdMemOp::StoreLane {
                bytes: 1,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Store16Lane { memarg, lane } => (
            SimdMemOp::StoreLane {
                bytes: 2,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Store32Lane { memarg, lane } => (
            SimdMemOp::StoreLane {
                bytes: 4,
                lane: *lane,
            },
            *memarg,
        ),
        Operator::V128Store64Lane { memarg, lane } => (
            SimdMemOp::StoreLane {
                bytes: 8,
                lane: *lane,
            },
            *memarg,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
