//! Memory instructions and data segments.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

const MEM: &str = r#"(module
  (memory (export "mem") 1 3)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data $p "hello")
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load8s") (param i32) (result i32) (i32.load8_s offset=1 (local.get 0)))
  (func (export "load64u32") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $p)))"#;

#[test]
fn loads_of_every_width_read_little_endian() {
    let (mut s, i) = instance(MEM);
    assert_eq!(
        call(&mut s, i, "load32", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(0x04030201)]
    );
    assert_eq!(
        call(&mut s, i, "load64u32", &[Val::I32(4)]).unwrap(),
        vec![Val::I64(0x08070605)]
    );
    call(&mut s, i, "store16", &[Val::I32(0), Val::I32(0xff80)]).unwrap();
    assert_eq!(
        call(&mut s, i, "load8s", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(-1)]
    );
}

#[test]
fn bounds_are_exact_to_the_byte() {
    let (mut s, i) = instance(MEM);
    assert!(call(&mut s, i, "load32", &[Val::I32(65532)]).is_ok());
    let e = call(&mut s, i, "load32", &[Val::I32(65533)]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::MemoryOutOfBounds);
    assert!(call(&mut s, i, "load32", &[Val::I32(-1)]).is_err());
}

#[test]
fn grow_respects_the_maximum_and_refusal_changes_nothing() {
    let (mut s, i) = instance(MEM);
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(1)]
    );
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(-1)]
    );
    assert_eq!(call(&mut s, i, "size", &[]).unwrap(), vec![Val::I32(3)]);
    assert!(call(&mut s, i, "load32", &[Val::I32(3 * 65536 - 4)]).is_ok());
}

#[test]
fn bulk_operations_and_passive_segments() {
    let (mut s, i) = instance(MEM);
    call(
        &mut s,
        i,
        "fill",
        &[Val::I32(100), Val::I32(0xaa), Val::I32(4)],
    )
    .unwrap();
    assert_eq!(
        call(&mut s, i, "load32", &[Val::I32(100)]).unwrap(),
        vec![Val::I32(0xaaaaaaaau32 as i32)]
    );
    // Overlapping copy behaves like memmove.
    call(&mut s, i, "copy", &[Val::I32(1), Val::I32(0), Val::I32(4)]).unwrap();
    assert_eq!(
        call(&mut s, i, "load32", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(0x03020101)]
    );
    call(
        &mut s,
        i,
        "init",
        &[Val::I32(200), Val::I32(1), Val::I32(4)],
    )
    .unwrap();
    assert_eq!(
        call(&mut s, i, "load32", &[Val::I32(200)]).unwrap(),
        vec![Val::I32(i32::from_le_bytes(*b"ello"))]
    );
    // Out of bounds source: trap, nothing written.
    let e = call(
        &mut s,
        i,
        "init",
        &[Val::I32(300), Val::I32(2), Val::I32(4)],
    )
    .unwrap_err();
    assert_eq!(e.kind(), TrapKind::MemoryOutOfBounds);
    call(&mut s, i, "drop", &[]).unwrap();
    assert!(call(&mut s, i, "init", &[Val::I32(0), Val::I32(0), Val::I32(0)]).is_ok());
    assert!(call(&mut s, i, "init", &[Val::I32(0), Val::I32(0), Val::I32(1)]).is_err());
    let e = call(
        &mut s,
        i,
        "fill",
        &[Val::I32(65536), Val::I32(0), Val::I32(1)],
    )
    .unwrap_err();
    assert_eq!(e.kind(), TrapKind::MemoryOutOfBounds);
}

#[test]
fn custom_page_sizes_count_bytes() {
    // Custom page sizes are a proposal: enable it on top of the defaults.
    let features =
        touchstone_engine::default_features() | touchstone_engine::WasmFeatures::CUSTOM_PAGE_SIZES;
    let wasm = wat::parse_str(
        r#"(module (memory 3 (pagesize 1))
             (func (export "size") (result i32) (memory.size))
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    )
    .unwrap();
    let module = touchstone_engine::Module::with_features(&wasm, features).unwrap();
    let mut s = touchstone_engine::Store::default();
    let i = touchstone_engine::Instance::new(&mut s, &module, &touchstone_engine::Imports::new())
        .unwrap();
    assert_eq!(call(&mut s, i, "size", &[]).unwrap(), vec![Val::I32(3)]);
    assert_eq!(
        call(&mut s, i, "grow", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(3)]
    );
    assert!(call(&mut s, i, "load", &[Val::I32(4)]).is_ok());
    assert_eq!(
        call(&mut s, i, "load", &[Val::I32(5)]).unwrap_err().kind(),
        TrapKind::MemoryOutOfBounds
    );
}
