//! The operator table maps wasmparser's operators to the right function and shape.

use super::super::*;
use wasmparser::{Operator, Parser, Payload};

/// The operators of the first function body of a module written in text.
fn operators(wat_body: &str) -> Vec<Operator<'static>> {
    let text = format!("(module (memory 1) (func (param v128 v128 v128 i32) {wat_body}))");
    let bytes: &'static [u8] =
        Box::leak(wat::parse_str(&text).expect("valid wat").into_boxed_slice());
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::CodeSectionEntry(body) = payload.expect("parses") {
            let mut reader = body.get_operators_reader().expect("operators");
            let mut ops = Vec::new();
            while !reader.eof() {
                ops.push(reader.read().expect("operator"));
            }
            return ops;
        }
    }
    panic!("no function body")
}

/// The single SIMD operator of an instruction sequence.
fn only_simd_op(wat_body: &str) -> SimdOp {
    let found: Vec<_> = operators(wat_body).iter().filter_map(simd_op).collect();
    assert_eq!(found.len(), 1, "{wat_body}");
    found[0]
}

const A: V128 = V128::from_u128(0x8000_0001_7fff_ffff_0123_4567_89ab_cdef);
const B: V128 = V128::from_u128(0x0000_ffff_8000_0000_fedc_ba98_7654_3210);
const C: V128 = V128::from_u128(0xffff_0000_ffff_0000_f0f0_f0f0_0f0f_0f0f);

#[test]
fn operators_map_to_their_function_and_shape() {
    let cases: Vec<(String, SimdOp)> = [
        "(drop (i8x16.add_sat_s (local.get 0) (local.get 1)))",
        "(drop (f32x4.nearest (local.get 0)))",
        "(drop (f64x2.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))",
        "(drop (i64x2.shr_s (local.get 0) (local.get 3)))",
        "(drop (i16x8.bitmask (local.get 0)))",
        "(drop (i8x16.extract_lane_u 15 (local.get 0)))",
        "(drop (f64x2.replace_lane 1 (local.get 0) (f64.const 2.5)))",
        "(drop (i32x4.splat (local.get 3)))",
        "(drop (i8x16.shuffle 31 0 1 2 3 4 5 6 7 8 9 10 11 12 13 16 (local.get 0) (local.get 1)))",
    ]
    .iter()
    .map(|body| (body.to_string(), only_simd_op(body)))
    .collect();
    let results: Vec<String> = cases
        .iter()
        .map(|(body, op)| match *op {
            SimdOp::Binary(f) => {
                assert_eq!(f(A, B), i8x16_add_sat_s(A, B), "{body}");
                assert_eq!(op.slots(), (4, 2));
                "binary".into()
            }
            SimdOp::Unary(f) => {
                assert_eq!(f(A), f32x4_nearest(A), "{body}");
                assert_eq!(op.slots(), (2, 2));
                "unary".into()
            }
            SimdOp::Ternary(f) => {
                assert_eq!(f(A, B, C), f64x2_relaxed_nmadd(A, B, C), "{body}");
                assert_eq!(op.slots(), (6, 2));
                "ternary".into()
            }
            SimdOp::Shift(f) => {
                assert_eq!(f(A, 65), i64x2_shr_s(A, 65), "{body}");
                assert_eq!(op.slots(), (3, 2));
                "shift".into()
            }
            SimdOp::Test(f) => {
                assert_eq!(f(A), i16x8_bitmask(A), "{body}");
                assert_eq!(op.slots(), (2, 1));
                "test".into()
            }
            SimdOp::ExtractI32(f, lane) => {
                assert_eq!((lane, f(A, lane)), (15, 0x80), "{body}");
                assert_eq!(op.slots(), (2, 1));
                "extract".into()
            }
            SimdOp::ReplaceF64(f, lane) => {
                assert_eq!(f(A, lane, 2.5).f64x2()[1], 2.5, "{body}");
                assert_eq!(op.slots(), (3, 2));
                "replace".into()
            }
            SimdOp::SplatI32(f) => {
                assert_eq!(f(-2), i32x4_splat(-2), "{body}");
                assert_eq!(op.slots(), (1, 2));
                "splat".into()
            }
            SimdOp::Shuffle(lanes) => {
                assert_eq!(lanes[0], 31, "{body}");
                assert_eq!(lanes[15], 16, "{body}");
                assert_eq!(op.slots(), (4, 2));
                "shuffle".into()
            }
            other => panic!("{body}: unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        results,
        ["binary", "unary", "ternary", "shift", "test", "extract", "replace", "splat", "shuffle"]
    );
}

#[test]
fn memory_operators_keep_their_immediates() {
    let ops = operators(
        "(drop (v128.load offset=16 (local.get 3)))
         (drop (v128.load8x8_s (local.get 3)))
         (drop (v128.load16_splat offset=2 (local.get 3)))
         (drop (v128.load32_zero (local.get 3)))
         (v128.store offset=7 (local.get 3) (local.get 0))
         (drop (v128.load16_lane offset=4 3 (local.get 3) (local.get 0)))
         (v128.store64_lane 1 (local.get 3) (local.get 0))",
    );
    let found: Vec<_> = ops.iter().filter_map(simd_mem_op).collect();
    let kinds: Vec<_> = found.iter().map(|(op, _)| *op).collect();
    assert_eq!(
        kinds,
        [
            SimdMemOp::Load,
            SimdMemOp::Load8x8S,
            SimdMemOp::Load16Splat,
            SimdMemOp::Load32Zero,
            SimdMemOp::Store,
            SimdMemOp::LoadLane { bytes: 2, lane: 3 },
            SimdMemOp::StoreLane { bytes: 8, lane: 1 },
        ]
    );
    let offsets: Vec<_> = found.iter().map(|(_, m)| m.offset).collect();
    assert_eq!(offsets, [16, 0, 2, 0, 7, 4, 0]);
    let widths: Vec<_> = kinds.iter().map(SimdMemOp::access_bytes).collect();
    assert_eq!(widths, [16, 8, 2, 4, 16, 2, 8]);
    let slots: Vec<_> = kinds.iter().map(SimdMemOp::slots).collect();
    assert_eq!(
        slots,
        [(1, 2), (1, 2), (1, 2), (1, 2), (3, 0), (3, 2), (3, 0)]
    );
    let stores: Vec<_> = kinds.iter().map(SimdMemOp::is_store).collect();
    assert_eq!(stores, [false, false, false, false, true, false, true]);
    let vectors: Vec<_> = kinds.iter().map(SimdMemOp::takes_vector).collect();
    assert_eq!(vectors, [false, false, false, false, true, true, true]);
}

#[test]
fn memory_operators_build_and_write_the_right_bytes() {
    let memory: [u8; 16] = std::array::from_fn(|i| 0xf0 | i as u8);
    let v = A;
    let load = |op: SimdMemOp| op.load(&memory[..op.access_bytes()], v);
    assert_eq!(load(SimdMemOp::Load), V128::from_bytes(memory));
    assert_eq!(
        load(SimdMemOp::Load8x8S),
        v128_load8x8_s(memory[..8].try_into().unwrap())
    );
    assert_eq!(
        load(SimdMemOp::Load32x2U),
        v128_load32x2_u(memory[..8].try_into().unwrap())
    );
    assert_eq!(load(SimdMemOp::Load8Splat), v128_load8_splat([0xf0]));
    assert_eq!(
        load(SimdMemOp::Load64Zero),
        v128_load64_zero(memory[..8].try_into().unwrap())
    );
    for (bytes, lane) in [(1u8, 15u8), (2, 7), (4, 3), (8, 1)] {
        let op = SimdMemOp::LoadLane { bytes, lane };
        let got = load(op).to_bytes();
        let at = usize::from(lane) * usize::from(bytes);
        let mut want = v.to_bytes();
        want[at..at + usize::from(bytes)].copy_from_slice(&memory[..usize::from(bytes)]);
        assert_eq!(got, want, "{op:?}");
        let mut out = [0u8; 16];
        let store = SimdMemOp::StoreLane { bytes, lane };
        store.store(v, &mut out);
        assert_eq!(
            out[..usize::from(bytes)],
            v.to_bytes()[at..at + usize::from(bytes)],
            "{store:?}"
        );
        assert!(
            out[usize::from(bytes)..].iter().all(|&b| b == 0),
            "{store:?} wrote too much"
        );
    }
    let mut out = [0u8; 16];
    SimdMemOp::Store.store(v, &mut out);
    assert_eq!(out, v.to_bytes());
    // A load writes nothing; a store leaves the vector alone.
    let mut untouched = [7u8; 16];
    SimdMemOp::Load.store(v, &mut untouched);
    assert_eq!(untouched, [7; 16]);
    assert_eq!(SimdMemOp::Store.load(&memory, v), v);
}

#[test]
fn non_simd_operators_are_not_in_the_table() {
    for op in
        operators("(drop (i32.add (local.get 3) (i32.const 1))) (drop (v128.const i64x2 1 2))")
    {
        assert!(simd_op(&op).is_none(), "{op:?}");
        assert!(simd_mem_op(&op).is_none(), "{op:?}");
    }
}

#[test]
fn wasmparser_constants_convert_in_lane_order() {
    let ops = operators("(drop (v128.const i32x4 1 2 3 0x80000000))");
    let value = ops
        .iter()
        .find_map(|op| match op {
            Operator::V128Const { value } => Some(V128::from(*value)),
            _ => None,
        })
        .expect("a v128.const");
    assert_eq!(value.i32x4(), [1, 2, 3, i32::MIN]);
}

#[test]
fn table_entry_sizes_are_as_documented() {
    // The interpreter embeds these in its instructions (at most 24 bytes each).
    assert_eq!(std::mem::size_of::<SimdOp>(), 24);
    assert_eq!(std::mem::size_of::<SimdMemOp>(), 3);
}
