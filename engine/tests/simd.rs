//! SIMD: `v128` values take two slots through locals, globals, select,
//! calls, memory and the embedding API.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

#[test]
fn v128_flows_through_locals_globals_calls_and_memory() {
    let (mut s, i) = instance(
        r#"(module
          (memory 1)
          (global $g (mut v128) (v128.const i32x4 1 2 3 4))
          (func $add (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
          (func (export "add") (param v128 v128) (result v128) (call $add (local.get 0) (local.get 1)))
          (func (export "global") (result v128) (local v128)
            (local.set 0 (global.get $g))
            (global.set $g (i32x4.add (local.get 0) (local.get 0)))
            (global.get $g))
          (func (export "pick") (param i32) (result v128)
            (select (v128.const i64x2 7 7) (v128.const i64x2 9 9) (local.get 0)))
          (func (export "roundtrip") (param v128) (result v128)
            (v128.store offset=8 (i32.const 0) (local.get 0))
            (drop (v128.const i32x4 0 0 0 0))
            (v128.load offset=8 (i32.const 0)))
          (func (export "lane") (param v128) (result i32) (i32x4.extract_lane 3 (local.get 0)))
          (func (export "oob") (result v128) (v128.load (i32.const 65530))))"#,
    );
    let v = |lanes: [u32; 4]| {
        Val::V128(
            lanes
                .iter()
                .rev()
                .fold(0u128, |acc, l| acc << 32 | *l as u128),
        )
    };
    assert_eq!(
        call(
            &mut s,
            i,
            "add",
            &[v([1, 2, 3, 4]), v([10, 20, 30, u32::MAX])]
        )
        .unwrap(),
        vec![v([11, 22, 33, 3])]
    );
    assert_eq!(
        call(&mut s, i, "global", &[]).unwrap(),
        vec![v([2, 4, 6, 8])]
    );
    assert_eq!(
        call(&mut s, i, "pick", &[Val::I32(0)]).unwrap(),
        vec![Val::V128(9 << 64 | 9)]
    );
    assert_eq!(
        call(&mut s, i, "pick", &[Val::I32(1)]).unwrap(),
        vec![Val::V128(7 << 64 | 7)]
    );
    assert_eq!(
        call(&mut s, i, "roundtrip", &[v([5, 6, 7, 8])]).unwrap(),
        vec![v([5, 6, 7, 8])]
    );
    assert_eq!(
        call(&mut s, i, "lane", &[v([5, 6, 7, 8])]).unwrap(),
        vec![Val::I32(8)]
    );
    assert_eq!(
        call(&mut s, i, "oob", &[]).unwrap_err().kind(),
        TrapKind::MemoryOutOfBounds
    );
}
