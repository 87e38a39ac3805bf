//! Running SIMD operators on the interpreter's operand stack of 64-bit
//! slots: a `v128` takes two slots, low half first (so the high half is on
//! top); `i32`/`f32` take one slot zero-extended, `i64`/`f64` one slot.
//! With this, executing any [`SimdOp`] is one call: `op.run(&mut stack)`.

use super::{i8x16_shuffle, SimdOp, V128};

/// Pops a `v128` (high slot on top).
#[inline(always)]
pub fn pop_v128(stack: &mut Vec<u64>) -> V128 {
    let hi = stack.pop().expect("validated: v128 operand present");
    let lo = stack.pop().expect("validated: v128 operand present");
    V128::from_u64x2_words(lo, hi)
}

/// Pushes a `v128` (low slot first).
#[inline(always)]
pub fn push_v128(stack: &mut Vec<u64>, v: V128) {
    let (lo, hi) = v.to_u64x2_words();
    stack.push(lo);
    stack.push(hi);
}

#[inline(always)]
fn pop(stack: &mut Vec<u64>) -> u64 {
    stack.pop().expect("validated: scalar operand present")
}

impl SimdOp {
    /// Pops the operator's operands from `stack`, computes, pushes the result.
    #[inline]
    pub fn run(self, stack: &mut Vec<u64>) {
        match self {
            SimdOp::Unary(f) => {
                let a = pop_v128(stack);
                push_v128(stack, f(a));
            }
            SimdOp::Binary(f) => {
                let b = pop_v128(stack);
                let a = pop_v128(stack);
                push_v128(stack, f(a, b));
            }
            SimdOp::Ternary(f) => {
                let c = pop_v128(stack);
                let b = pop_v128(stack);
                let a = pop_v128(stack);
                push_v128(stack, f(a, b, c));
            }
            SimdOp::Shift(f) => {
                let s = pop(stack) as i32;
                let a = pop_v128(stack);
                push_v128(stack, f(a, s));
            }
            SimdOp::Test(f) => {
                let a = pop_v128(stack);
                stack.push(u64::from(f(a) as u32));
            }
            SimdOp::SplatI32(f) => {
                let x = pop(stack) as i32;
                push_v128(stack, f(x));
            }
            SimdOp::SplatI64(f) => {
                let x = pop(stack) as i64;
                push_v128(stack, f(x));
            }
            SimdOp::SplatF32(f) => {
                let x = f32::from_bits(pop(stack) as u32);
                push_v128(stack, f(x));
            }
            SimdOp::SplatF64(f) => {
                let x = f64::from_bits(pop(stack));
                push_v128(stack, f(x));
            }
            SimdOp::ExtractI32(f, lane) => {
                let a = pop_v128(stack);
                stack.push(u64::from(f(a, lane) as u32));
            }
            SimdOp::ExtractI64(f, lane) => {
                let a = pop_v128(stack);
                stack.push(f(a, lane) as u64);
            }
            SimdOp::ExtractF32(f, lane) => {
                let a = pop_v128(stack);
                stack.push(u64::from(f(a, lane).to_bits()));
            }
            SimdOp::ExtractF64(f, lane) => {
                let a = pop_v128(stack);
                stack.push(f(a, lane).to_bits());
            }
            SimdOp::ReplaceI32(f, lane) => {
                let x = pop(stack) as i32;
                let a = pop_v128(stack);
                push_v128(stack, f(a, lane, x));
            }
            SimdOp::ReplaceI64(f, lane) => {
                let x = pop(stack) as i64;
                let a = pop_v128(stack);
                push_v128(stack, f(a, lane, x));
            }
            SimdOp::ReplaceF32(f, lane) => {
                let x = f32::from_bits(pop(stack) as u32);
                let a = pop_v128(stack);
                push_v128(stack, f(a, lane, x));
            }
            SimdOp::ReplaceF64(f, lane) => {
                let x = f64::from_bits(pop(stack));
                let a = pop_v128(stack);
                push_v128(stack, f(a, lane, x));
            }
            SimdOp::Shuffle(lanes) => {
                let b = pop_v128(stack);
                let a = pop_v128(stack);
                push_v128(stack, i8x16_shuffle(a, b, lanes));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    const A: V128 = V128::from_u128(0x8000_0001_7fff_ffff_0123_4567_89ab_cdef);
    const B: V128 = V128::from_u128(0x0000_ffff_8000_0000_fedc_ba98_7654_3210);
    const C: V128 = V128::from_u128(0xffff_0000_ffff_0000_f0f0_f0f0_0f0f_0f0f);

    /// A stack with a sentinel below the operands, which must survive.
    fn stack_with(vectors: &[V128], scalars: &[u64]) -> Vec<u64> {
        let mut s = vec![0xdead];
        for v in vectors {
            push_v128(&mut s, *v);
        }
        s.extend_from_slice(scalars);
        s
    }

    #[test]
    fn v128_slots_are_low_half_first() {
        let mut s = Vec::new();
        push_v128(&mut s, A);
        assert_eq!(s, [0x0123_4567_89ab_cdef, 0x8000_0001_7fff_ffff]);
        assert_eq!(pop_v128(&mut s), A);
        assert!(s.is_empty());
    }

    #[test]
    fn vector_shapes_pop_in_operand_order() {
        let mut s = stack_with(&[A, B], &[]);
        SimdOp::Binary(i8x16_sub).run(&mut s);
        assert_eq!(s, stack_with(&[i8x16_sub(A, B)], &[]));
        let mut s = stack_with(&[A, B, C], &[]);
        SimdOp::Ternary(v128_bitselect).run(&mut s);
        assert_eq!(s, stack_with(&[v128_bitselect(A, B, C)], &[]));
        let mut s = stack_with(&[A], &[]);
        SimdOp::Unary(i32x4_neg).run(&mut s);
        assert_eq!(s, stack_with(&[i32x4_neg(A)], &[]));
        let lanes: [u8; 16] = std::array::from_fn(|i| 31 - i as u8);
        let mut s = stack_with(&[A, B], &[]);
        SimdOp::Shuffle(lanes).run(&mut s);
        assert_eq!(s, stack_with(&[i8x16_shuffle(A, B, lanes)], &[]));
    }

    #[test]
    fn scalar_operands_and_results_use_one_zero_extended_slot() {
        let mut s = stack_with(&[A], &[u64::from(-3i32 as u32)]);
        SimdOp::Shift(i32x4_shr_s).run(&mut s);
        assert_eq!(s, stack_with(&[i32x4_shr_s(A, -3)], &[]));
        let mut s = stack_with(&[A], &[]);
        SimdOp::Test(i8x16_bitmask).run(&mut s);
        assert_eq!(s, [0xdead, i8x16_bitmask(A) as u32 as u64]);
        let mut s = stack_with(&[], &[u64::from(0xffff_ff80u32)]);
        SimdOp::SplatI32(i8x16_splat).run(&mut s);
        assert_eq!(s, stack_with(&[i8x16_splat(-128)], &[]));
        let mut s = stack_with(&[], &[u64::from(1.5f32.to_bits())]);
        SimdOp::SplatF32(f32x4_splat).run(&mut s);
        assert_eq!(s, stack_with(&[f32x4_splat(1.5)], &[]));
        let mut s = stack_with(&[], &[(-2.25f64).to_bits()]);
        SimdOp::SplatF64(f64x2_splat).run(&mut s);
        assert_eq!(s, stack_with(&[f64x2_splat(-2.25)], &[]));
        let mut s = stack_with(&[], &[u64::MAX]);
        SimdOp::SplatI64(i64x2_splat).run(&mut s);
        assert_eq!(s, stack_with(&[i64x2_splat(-1)], &[]));
    }

    #[test]
    fn extract_and_replace_lanes_on_slots() {
        // A negative i32 result is zero-extended into its slot.
        let mut s = stack_with(&[A], &[]);
        SimdOp::ExtractI32(i8x16_extract_lane_s, 15).run(&mut s);
        assert_eq!(s, [0xdead, 0xffff_ff80]);
        let mut s = stack_with(&[A], &[]);
        SimdOp::ExtractI64(i64x2_extract_lane, 1).run(&mut s);
        assert_eq!(s, [0xdead, 0x8000_0001_7fff_ffff]);
        let mut s = stack_with(&[A], &[]);
        SimdOp::ExtractF32(f32x4_extract_lane, 0).run(&mut s);
        assert_eq!(s, [0xdead, 0x89ab_cdef]);
        let mut s = stack_with(&[A], &[]);
        SimdOp::ExtractF64(f64x2_extract_lane, 0).run(&mut s);
        assert_eq!(s, [0xdead, 0x0123_4567_89ab_cdef]);
        let mut s = stack_with(&[A], &[0x1_0000_00ff]);
        SimdOp::ReplaceI32(i8x16_replace_lane, 0).run(&mut s);
        assert_eq!(s, stack_with(&[i8x16_replace_lane(A, 0, 0xff)], &[]));
        let mut s = stack_with(&[A], &[7]);
        SimdOp::ReplaceI64(i64x2_replace_lane, 1).run(&mut s);
        assert_eq!(s, stack_with(&[i64x2_replace_lane(A, 1, 7)], &[]));
        let nan = 0x7fa0_0001u32;
        let mut s = stack_with(&[A], &[u64::from(nan)]);
        SimdOp::ReplaceF32(f32x4_replace_lane, 2).run(&mut s);
        assert_eq!(
            s,
            stack_with(&[f32x4_replace_lane(A, 2, f32::from_bits(nan))], &[])
        );
        let mut s = stack_with(&[A], &[f64::NEG_INFINITY.to_bits()]);
        SimdOp::ReplaceF64(f64x2_replace_lane, 0).run(&mut s);
        assert_eq!(
            s,
            stack_with(&[f64x2_replace_lane(A, 0, f64::NEG_INFINITY)], &[])
        );
    }

    #[test]
    fn stack_effect_matches_declared_slots() {
        let ops = [
            (SimdOp::Unary(i8x16_abs), 2),
            (SimdOp::Binary(i8x16_add), 4),
            (SimdOp::Ternary(v128_bitselect), 6),
            (SimdOp::Shift(i8x16_shl), 3),
            (SimdOp::Test(v128_any_true), 2),
            (SimdOp::SplatI64(i64x2_splat), 1),
            (SimdOp::ExtractF64(f64x2_extract_lane, 1), 2),
            (SimdOp::ReplaceF32(f32x4_replace_lane, 3), 3),
            (SimdOp::Shuffle([0; 16]), 4),
        ];
        for (op, operand_slots) in ops {
            let mut s = vec![0u64; 8];
            op.run(&mut s);
            let (pops, pushes) = op.slots();
            assert_eq!(pops, operand_slots, "{op:?}");
            assert_eq!(s.len(), 8 - pops as usize + pushes as usize, "{op:?}");
        }
    }
}
