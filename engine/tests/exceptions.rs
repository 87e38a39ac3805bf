//! Exception handling: `throw`, `try_table` and `throw_ref`, unwinding
//! through frames.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

const EXN: &str = r#"(module
  (tag $e (param i32))
  (tag $other)
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $deep (param i32) (call $thrower (local.get 0)))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $deep (local.get 0)))
      (i32.const -1)))
  (func (export "catch_all") (result i32)
    (block $h
      (try_table (catch_all $h) (throw $other))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "rethrow") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $e $outer)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
          (unreachable))
        (throw_ref))
      (i32.const -1)))
  (func (export "uncaught") (throw $other))
  (func (export "null") (throw_ref (ref.null exn))))"#;

#[test]
fn exceptions_unwind_frames_to_the_handler() {
    let (mut s, i) = instance(EXN);
    assert_eq!(
        call(&mut s, i, "catch", &[Val::I32(42)]).unwrap(),
        vec![Val::I32(42)]
    );
    assert_eq!(
        call(&mut s, i, "catch_all", &[]).unwrap(),
        vec![Val::I32(1)]
    );
    assert_eq!(
        call(&mut s, i, "rethrow", &[Val::I32(7)]).unwrap(),
        vec![Val::I32(7)]
    );
}

#[test]
fn uncaught_exceptions_and_null_exnrefs() {
    let (mut s, i) = instance(EXN);
    assert_eq!(
        call(&mut s, i, "uncaught", &[]).unwrap_err().kind(),
        TrapKind::UncaughtException
    );
    assert_eq!(
        call(&mut s, i, "null", &[]).unwrap_err().kind(),
        TrapKind::NullExceptionReference
    );
    // The store is still usable after an exception escaped.
    assert_eq!(
        call(&mut s, i, "catch", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(1)]
    );
}

#[test]
fn legacy_try_catch_delegate_and_rethrow() {
    let wasm = wat::parse_str(
        r#"(module
          (tag $e (param i32))
          (func $throw (param i32) (throw $e (local.get 0)))
          (func (export "catch") (param i32) (result i32)
            try (result i32)
              local.get 0 call $throw i32.const -1
            catch $e
              i32.const 100 i32.add
            end)
          (func (export "delegate") (param i32) (result i32)
            try (result i32)
              try
                local.get 0 call $throw
              delegate 0
              i32.const -1
            catch $e
            end)
          (func (export "rethrow") (param i32) (result i32)
            try (result i32)
              try
                local.get 0 call $throw
              catch_all
                rethrow 0
              end
              i32.const -1
            catch $e
            end))"#,
    )
    .unwrap();
    // Legacy exceptions are not part of Wasm 3.0: enable them explicitly.
    let features =
        touchstone_engine::default_features() | touchstone_engine::WasmFeatures::LEGACY_EXCEPTIONS;
    let module = touchstone_engine::Module::with_features(&wasm, features).unwrap();
    let mut s = touchstone_engine::Store::default();
    let i = touchstone_engine::Instance::new(&mut s, &module, &touchstone_engine::Imports::new())
        .unwrap();
    assert_eq!(
        call(&mut s, i, "catch", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(101)]
    );
    assert_eq!(
        call(&mut s, i, "delegate", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(2)]
    );
    assert_eq!(
        call(&mut s, i, "rethrow", &[Val::I32(3)]).unwrap(),
        vec![Val::I32(3)]
    );
}
