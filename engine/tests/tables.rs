//! Tables and reference types.

mod common;

use common::{call, instance};
use touchstone_engine::{ExternRef, TrapKind, Val};

#[test]
fn table_instructions_and_references() {
    let (mut s, i) = instance(
        r#"(module
          (table $t 2 10 externref)
          (table $f 2 funcref)
          (elem $e func $a $a)
          (elem declare func $a)
          (func $a (result i32) (i32.const 3))
          (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
          (func (export "set") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
          (func (export "grow") (param externref i32) (result i32) (table.grow $t (local.get 0) (local.get 1)))
          (func (export "size") (result i32) (table.size $t))
          (func (export "fill") (param i32 externref i32) (table.fill $t (local.get 0) (local.get 1) (local.get 2)))
          (func (export "init") (param i32 i32 i32) (table.init $f $e (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drop") (elem.drop $e))
          (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $f (local.get 0))))
          (func (export "reffunc") (result i32) (ref.is_null (ref.func $a))))"#,
    );
    let r = |n| Val::ExternRef(Some(ExternRef(n)));
    assert_eq!(
        call(&mut s, i, "get", &[Val::I32(0)]).unwrap(),
        vec![Val::ExternRef(None)]
    );
    call(&mut s, i, "set", &[Val::I32(1), r(4)]).unwrap();
    assert_eq!(call(&mut s, i, "get", &[Val::I32(1)]).unwrap(), vec![r(4)]);
    assert_eq!(
        call(&mut s, i, "grow", &[r(9), Val::I32(3)]).unwrap(),
        vec![Val::I32(2)]
    );
    assert_eq!(
        call(&mut s, i, "grow", &[r(9), Val::I32(6)]).unwrap(),
        vec![Val::I32(-1)]
    );
    assert_eq!(call(&mut s, i, "size", &[]).unwrap(), vec![Val::I32(5)]);
    assert_eq!(call(&mut s, i, "get", &[Val::I32(4)]).unwrap(), vec![r(9)]);
    call(&mut s, i, "fill", &[Val::I32(0), r(1), Val::I32(5)]).unwrap();
    assert_eq!(call(&mut s, i, "get", &[Val::I32(0)]).unwrap(), vec![r(1)]);
    let e = call(&mut s, i, "get", &[Val::I32(5)]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::TableOutOfBounds);
    assert_eq!(
        call(&mut s, i, "isnull", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(1)]
    );
    call(&mut s, i, "init", &[Val::I32(1), Val::I32(1), Val::I32(1)]).unwrap();
    assert_eq!(
        call(&mut s, i, "isnull", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(0)]
    );
    call(&mut s, i, "drop", &[]).unwrap();
    let e = call(&mut s, i, "init", &[Val::I32(0), Val::I32(0), Val::I32(1)]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::TableOutOfBounds);
    assert_eq!(call(&mut s, i, "reffunc", &[]).unwrap(), vec![Val::I32(0)]);
}
