//! Loads and stores whose address is a constant (`i32.const A` then the
//! access with offset `O`, how C reads and writes a global) run as one
//! instruction at address `A + O` (`*LoadAt`, `Store*At`): every width and
//! widening, the offset added without wrapping at 32 bits, and the trap of
//! an access that ends one byte past the memory.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

/// One page; the last 8 bytes hold a pattern the loads read back.
const MODULE: &str = r#"(module
  (memory 1)
  (data (i32.const 65528) "\81\82\83\84\85\86\87\88")
  (func (export "i32") (result i32) (i32.load (i32.const 65528)))
  (func (export "i64") (result i64) (i64.load offset=65520 (i32.const 8)))
  (func (export "f32") (result f32) (f32.load offset=4 (i32.const 65524)))
  (func (export "f64") (result f64) (f64.load (i32.const 65528)))
  (func (export "i32_8s") (result i32) (i32.load8_s (i32.const 65528)))
  (func (export "i32_8u") (result i32) (i32.load8_u (i32.const 65528)))
  (func (export "i32_16s") (result i32) (i32.load16_s (i32.const 65528)))
  (func (export "i32_16u") (result i32) (i32.load16_u (i32.const 65528)))
  (func (export "i64_8s") (result i64) (i64.load8_s (i32.const 65535)))
  (func (export "i64_8u") (result i64) (i64.load8_u (i32.const 65535)))
  (func (export "i64_16s") (result i64) (i64.load16_s (i32.const 65534)))
  (func (export "i64_16u") (result i64) (i64.load16_u (i32.const 65534)))
  (func (export "i64_32s") (result i64) (i64.load32_s (i32.const 65532)))
  (func (export "i64_32u") (result i64) (i64.load32_u (i32.const 65532)))
  ;; One byte past the end.
  (func (export "load_past_end") (result i64) (i64.load offset=65529 (i32.const 0)))
  ;; 0xffff_fff0 + 0x20 is past 2^32: no wrap to 0x10.
  (func (export "load_no_wrap") (result i32) (i32.load offset=32 (i32.const -16)))
  (func (export "store_no_wrap") (param i32) (i32.store offset=32 (i32.const -16) (local.get 0)))
  (func (export "store_past_end") (param i64) (i64.store offset=65529 (i32.const 0) (local.get 0)))
  ;; Each width stores the low bytes of a value from the frame and from the
  ;; accumulator (computed just before); the i64 load reads them back.
  (func (export "stores") (param i64) (result i64)
    (i64.store (i32.const 100) (i64.const 0))
    (i32.store8 (i32.const 100) (i32.wrap_i64 (local.get 0)))
    (i64.store16 offset=1 (i32.const 100) (i64.shr_u (local.get 0) (i64.const 8)))
    (i32.store offset=3 (i32.const 100) (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 24))))
    (i64.load (i32.const 100)))
  (func (export "store64") (param f64) (result i64)
    (f64.store offset=8 (i32.const 200) (local.get 0))
    (i64.load (i32.const 208)))
  ;; A value written between the constant address and the store.
  (func (export "global_counter") (result i32)
    (i32.store (i32.const 300) (i32.add (i32.load (i32.const 300)) (i32.const 1)))
    (i32.store (i32.const 300) (i32.add (i32.load (i32.const 300)) (i32.const 1)))
    (i32.load (i32.const 300))))"#;

#[test]
fn constant_address_loads_read_each_width_at_the_address_plus_offset() {
    let (mut s, i) = instance(MODULE);
    let mut get = |name: &str| call(&mut s, i, name, &[]).unwrap()[0];
    assert_eq!(get("i32"), Val::I32(0x8483_8281u32 as i32));
    assert_eq!(get("i64"), Val::I64(0x8887_8685_8483_8281u64 as i64));
    assert_eq!(get("f32"), Val::F32(0x8483_8281));
    assert_eq!(get("f64"), Val::F64(0x8887_8685_8483_8281));
    assert_eq!(get("i32_8s"), Val::I32(-127));
    assert_eq!(get("i32_8u"), Val::I32(0x81));
    assert_eq!(get("i32_16s"), Val::I32(0x8281u16 as i16 as i32));
    assert_eq!(get("i32_16u"), Val::I32(0x8281));
    assert_eq!(get("i64_8s"), Val::I64(0x88u8 as i8 as i64));
    assert_eq!(get("i64_8u"), Val::I64(0x88));
    assert_eq!(get("i64_16s"), Val::I64(0x8887u16 as i16 as i64));
    assert_eq!(get("i64_16u"), Val::I64(0x8887));
    assert_eq!(get("i64_32s"), Val::I64(0x8887_8685u32 as i32 as i64));
    assert_eq!(get("i64_32u"), Val::I64(0x8887_8685));
}

#[test]
fn constant_address_accesses_trap_past_the_end_without_wrapping() {
    let (mut s, i) = instance(MODULE);
    for (name, args) in [
        ("load_past_end", vec![]),
        ("load_no_wrap", vec![]),
        ("store_no_wrap", vec![Val::I32(7)]),
        ("store_past_end", vec![Val::I64(7)]),
    ] {
        let err = call(&mut s, i, name, &args).unwrap_err();
        assert_eq!(err.kind(), TrapKind::MemoryOutOfBounds, "{name}");
    }
    // Nothing was written at the wrapped address 0x10.
    let low = call(&mut s, i, "i64_32u", &[]).unwrap();
    assert_eq!(low, vec![Val::I64(0x8887_8685)]);
}

#[test]
fn constant_address_stores_write_the_low_bytes_of_each_width() {
    let (mut s, i) = instance(MODULE);
    let v = 0x0102_0304_0506_0708i64;
    let got = call(&mut s, i, "stores", &[Val::I64(v)]).unwrap();
    assert_eq!(got, vec![Val::I64(v & 0x00ff_ffff_ffff_ffff)]);
    let bits = 0x4009_21fb_5444_2d18u64;
    let got = call(&mut s, i, "store64", &[Val::F64(bits)]).unwrap();
    assert_eq!(got, vec![Val::I64(bits as i64)]);
    let got = call(&mut s, i, "global_counter", &[]).unwrap();
    assert_eq!(got, vec![Val::I32(2)]);
}

/// Only memory32 folds the constant: a memory64 address keeps its high
/// bits (folded as a 32-bit value, `0x1_0000_0000` would read address 0).
#[test]
fn memory64_constant_addresses_keep_their_high_bits() {
    let (mut s, i) = instance(
        r#"(module
  (memory i64 1)
  (data (i64.const 0) "\2a")
  (func (export "low") (result i32) (i32.load8_u (i64.const 0)))
  (func (export "high") (result i32) (i32.load8_u (i64.const 0x100000000)))
  (func (export "store_high") (i32.store8 (i64.const 0x100000000) (i32.const 7))))"#,
    );
    assert_eq!(call(&mut s, i, "low", &[]).unwrap(), vec![Val::I32(42)]);
    for name in ["high", "store_high"] {
        let err = call(&mut s, i, name, &[]).unwrap_err();
        assert_eq!(err.kind(), TrapKind::MemoryOutOfBounds, "{name}");
    }
    assert_eq!(call(&mut s, i, "low", &[]).unwrap(), vec![Val::I32(42)]);
}
