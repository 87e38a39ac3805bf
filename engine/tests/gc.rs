//! GC: structs with packed fields, arrays and their traps, `i31`, casts
//! over declared subtypes, and GC values crossing the embedding API.

mod common;

use common::{call, instance};
use touchstone_engine::{
    default_features, AnyRef, Imports, Instance, Module, Store, TrapKind, Val, WasmFeatures,
};

const GC: &str = r#"(module
  (type $point (sub (struct (field $x (mut i8)) (field $y i64))))
  (type $point3 (sub final $point (struct (field $x (mut i8)) (field $y i64) (field v128))))
  (type $bytes (array (mut i16)))
  (global $g (ref $point) (struct.new $point (i32.const 300) (i64.const -2)))
  (data $d "\01\00\02\00\ff\ff")
  (func (export "packed") (param i32) (result i32 i32)
    (local $p (ref $point))
    (local.set $p (struct.new $point (local.get 0) (i64.const 7)))
    (struct.get_s $point $x (local.get $p))
    (struct.get_u $point $x (local.get $p)))
  (func (export "global-y") (result i64) (struct.get $point $y (global.get $g)))
  (func (export "set-null") (struct.set $point $x (ref.null $point) (i32.const 1)))
  (func (export "data") (param i32) (result i32)
    (array.get_s $bytes (array.new_data $bytes $d (i32.const 0) (i32.const 3)) (local.get 0)))
  (func (export "fill-len") (param i32) (result i32)
    (local $a (ref $bytes))
    (local.set $a (array.new_default $bytes (i32.const 4)))
    (array.fill $bytes (local.get $a) (local.get 0) (i32.const 9) (i32.const 2))
    (array.len (local.get $a)))
  (func (export "cast") (param i32) (result i32)
    (local $r anyref)
    (local.set $r
      (if (result anyref) (local.get 0)
        (then (struct.new_default $point3))
        (else (struct.new_default $point))))
    (i32.add
      (ref.test (ref $point) (local.get $r))
      (i32.mul (i32.const 2) (ref.test (ref $point3) (local.get $r)))))
  (func (export "must-cast") (param anyref) (result (ref $point3))
    (ref.cast (ref $point3) (local.get 0)))
  (func (export "i31") (param i32) (result i32 i32 anyref)
    (i31.get_s (ref.i31 (local.get 0)))
    (i31.get_u (ref.i31 (local.get 0)))
    (ref.i31 (local.get 0)))
  (func (export "eq") (result i32 i32)
    (ref.eq (ref.i31 (i32.const 5)) (ref.i31 (i32.const 5)))
    (ref.eq (struct.new_default $point) (struct.new_default $point)))
)"#;

#[test]
fn packed_fields_wrap_and_extend() {
    let (mut s, i) = instance(GC);
    assert_eq!(
        call(&mut s, i, "packed", &[Val::I32(0x1ff)]).unwrap(),
        vec![Val::I32(-1), Val::I32(0xff)]
    );
    assert_eq!(
        call(&mut s, i, "global-y", &[]).unwrap(),
        vec![Val::I64(-2)]
    );
    let err = call(&mut s, i, "set-null", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::NullStructReference);
}

#[test]
fn arrays_read_data_fill_and_trap_out_of_bounds() {
    let (mut s, i) = instance(GC);
    assert_eq!(
        call(&mut s, i, "data", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(2)]
    );
    assert_eq!(
        call(&mut s, i, "data", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(-1)]
    );
    let err = call(&mut s, i, "data", &[Val::I32(3)]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ArrayOutOfBounds);
    assert_eq!(
        call(&mut s, i, "fill-len", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(4)]
    );
    let err = call(&mut s, i, "fill-len", &[Val::I32(3)]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ArrayOutOfBounds);
}

#[test]
fn casts_follow_declared_supertypes() {
    let (mut s, i) = instance(GC);
    assert_eq!(
        call(&mut s, i, "cast", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(1)]
    );
    assert_eq!(
        call(&mut s, i, "cast", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(3)]
    );
    let i31 = Val::AnyRef(Some(AnyRef::I31(4)));
    let err = call(&mut s, i, "must-cast", &[i31]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::CastFailure);
}

#[test]
fn i31_and_ref_eq_cross_the_api() {
    let (mut s, i) = instance(GC);
    assert_eq!(
        call(&mut s, i, "i31", &[Val::I32(-1)]).unwrap(),
        vec![
            Val::I32(-1),
            Val::I32(0x7fff_ffff),
            Val::AnyRef(Some(AnyRef::I31(-1)))
        ]
    );
    assert_eq!(
        call(&mut s, i, "eq", &[]).unwrap(),
        vec![Val::I32(1), Val::I32(0)]
    );
}

#[test]
fn descriptors_are_kept_and_compared_by_identity() {
    let wasm = wat::parse_str(
        r#"(module
          (rec
            (type $a (descriptor $b) (struct (field i32)))
            (type $b (describes $a) (struct)))
          (global $b1 (ref (exact $b)) (struct.new $b))
          (func (export "same") (result i32)
            (ref.get_desc $a (struct.new_desc $a (i32.const 1) (global.get $b1)))
            (global.get $b1)
            (ref.eq))
          (func (export "cast-other") (result i32)
            (struct.get $a 0
              (ref.cast_desc_eq (ref $a)
                (struct.new_desc $a (i32.const 1) (global.get $b1))
                (struct.new $b))))
          (func (export "null-desc") (result anyref)
            (struct.new_desc $a (i32.const 1) (ref.null none))))"#,
    )
    .unwrap();
    let features = default_features() | WasmFeatures::CUSTOM_DESCRIPTORS;
    let module = Module::with_features(&wasm, features).unwrap();
    let mut s = Store::default();
    let i = Instance::new(&mut s, &module, &Imports::new()).unwrap();
    assert_eq!(call(&mut s, i, "same", &[]).unwrap(), vec![Val::I32(1)]);
    let err = call(&mut s, i, "cast-other", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::DescriptorCastFailure);
    let err = call(&mut s, i, "null-desc", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::NullDescriptorReference);
}

#[test]
fn huge_arrays_fail_as_exhaustion() {
    let (mut s, i) = instance(
        r#"(module
          (type $a (array i64))
          (func (export "big") (param i32) (result i32)
            (array.len (array.new_default $a (local.get 0)))))"#,
    );
    assert_eq!(
        call(&mut s, i, "big", &[Val::I32(3)]).unwrap(),
        vec![Val::I32(3)]
    );
    let err = call(&mut s, i, "big", &[Val::I32(-1)]).unwrap_err();
    assert!(err.is_exhaustion());
}

#[test]
fn made_up_gc_handles_are_refused() {
    let (mut s, i) = instance(
        r#"(module
          (type $p (struct (field i32)))
          (func (export "x") (param (ref null $p)) (result i32)
            (struct.get $p 0 (local.get 0)))
          (func (export "new") (result (ref $p)) (struct.new $p (i32.const 9))))"#,
    );
    let bogus = Val::AnyRef(Some(AnyRef::Struct(1234)));
    assert_eq!(
        call(&mut s, i, "x", &[bogus]).unwrap_err().kind(),
        TrapKind::Host
    );
    let real = call(&mut s, i, "new", &[]).unwrap();
    assert_eq!(call(&mut s, i, "x", &real).unwrap(), vec![Val::I32(9)]);
}

/// Every object stays reachable (garbage alone would be collected and
/// the loop would never end), so the budget runs out.
#[test]
fn endless_allocation_ends_in_exhaustion() {
    let mut s = Store::new(touchstone_engine::Config {
        max_memory_bytes: 1 << 20,
        ..touchstone_engine::Config::default()
    });
    let wasm = wat::parse_str(
        r#"(module
          (type $p (struct (field i64) (field (ref null $p))))
          (global $list (mut (ref null $p)) (ref.null $p))
          (func (export "spin")
            (loop $l
              (global.set $list (struct.new $p (i64.const 1) (global.get $list)))
              (br $l))))"#,
    )
    .unwrap();
    let i = Instance::new(&mut s, &Module::new(&wasm).unwrap(), &Imports::new()).unwrap();
    let err = call(&mut s, i, "spin", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ResourceLimit);
}
