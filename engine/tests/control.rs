//! Control instructions: blocks with multi-value types, branches, calls.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

#[test]
fn multi_value_blocks_and_br_carry_values() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "swap") (param i32 i32) (result i32 i32)
            local.get 1 local.get 0)
          (func (export "blk") (result i32 i32)
            (block (result i32 i32) (i32.const 1) (i32.const 2) (i32.const 3) (br 0 (i32.const 4)) drop))
          (func (export "param-block") (param i32) (result i32)
            local.get 0
            (block (param i32) (result i32) (i32.const 10) i32.add)))"#,
    );
    assert_eq!(
        call(&mut s, i, "swap", &[Val::I32(1), Val::I32(2)]).unwrap(),
        vec![Val::I32(2), Val::I32(1)]
    );
    assert_eq!(
        call(&mut s, i, "blk", &[]).unwrap(),
        vec![Val::I32(3), Val::I32(4)]
    );
    assert_eq!(
        call(&mut s, i, "param-block", &[Val::I32(5)]).unwrap(),
        vec![Val::I32(15)]
    );
}

#[test]
fn loops_br_if_and_br_table() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "sum") (param i32) (result i32) (local i32)
            (loop $l
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (local.get 0)))
            local.get 1)
          (func (export "table") (param i32) (result i32)
            (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10)))
              (return (i32.const 11)))
            (i32.const 12)))"#,
    );
    assert_eq!(
        call(&mut s, i, "sum", &[Val::I32(100)]).unwrap(),
        vec![Val::I32(5050)]
    );
    let t = |s: &mut _, x| call(s, i, "table", &[Val::I32(x)]).unwrap();
    assert_eq!(t(&mut s, 0), vec![Val::I32(10)]);
    assert_eq!(t(&mut s, 1), vec![Val::I32(11)]);
    assert_eq!(t(&mut s, 2), vec![Val::I32(12)]);
    assert_eq!(t(&mut s, -1), vec![Val::I32(12)]);
}

#[test]
fn if_else_and_select() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "abs") (param i32) (result i32)
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
              (then (i32.sub (i32.const 0) (local.get 0))) (else (local.get 0))))
          (func (export "sel") (param i32) (result i64)
            (select (i64.const 7) (i64.const 8) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut s, i, "abs", &[Val::I32(-4)]).unwrap(),
        vec![Val::I32(4)]
    );
    assert_eq!(
        call(&mut s, i, "abs", &[Val::I32(4)]).unwrap(),
        vec![Val::I32(4)]
    );
    assert_eq!(
        call(&mut s, i, "sel", &[Val::I32(1)]).unwrap(),
        vec![Val::I64(7)]
    );
    assert_eq!(
        call(&mut s, i, "sel", &[Val::I32(0)]).unwrap(),
        vec![Val::I64(8)]
    );
}

#[test]
fn call_indirect_checks_index_null_and_type() {
    let (mut s, i) = instance(
        r#"(module
          (type $v_i (func (result i32)))
          (table 3 funcref)
          (elem (i32.const 0) $one $two)
          (func $one (result i32) (i32.const 1))
          (func $two (param i32) (result i32) (local.get 0))
          (func (export "ci") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut s, i, "ci", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(1)]
    );
    let kind = |s: &mut _, x| call(s, i, "ci", &[Val::I32(x)]).unwrap_err().kind();
    assert_eq!(kind(&mut s, 1), TrapKind::IndirectCallTypeMismatch);
    assert_eq!(kind(&mut s, 2), TrapKind::UninitializedElement);
    assert_eq!(kind(&mut s, 3), TrapKind::UndefinedElement);
}

#[test]
fn traps_carry_their_kind() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))"#,
    );
    let e = call(&mut s, i, "div", &[Val::I32(1), Val::I32(0)]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::IntegerDivideByZero);
    assert_eq!(e.to_string(), "integer divide by zero");
    let e = call(&mut s, i, "div", &[Val::I32(i32::MIN), Val::I32(-1)]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::IntegerOverflow);
    let e = call(&mut s, i, "trunc", &[Val::F32(f32::NAN.to_bits())]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::InvalidConversionToInteger);
}

#[test]
fn tail_calls_run_in_constant_stack() {
    let mut store = touchstone_engine::Store::new(touchstone_engine::Config {
        max_call_depth: 100,
        ..Default::default()
    });
    let i = common::instance_in(
        &mut store,
        r#"(module
          (type $t (func (param i64 i64) (result i64)))
          (table funcref (elem $sum))
          (func $sum (export "sum") (param i64 i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call $sum (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 0) (local.get 1))))))
          (func (export "sum_ind") (param i64 i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call_indirect (type $t) (local.get 0) (local.get 1) (i32.const 0))))))"#,
        &touchstone_engine::Imports::new(),
    );
    assert_eq!(
        call(&mut store, i, "sum", &[Val::I64(1_000_000), Val::I64(0)]).unwrap(),
        vec![Val::I64(500_000_500_000)]
    );
    assert_eq!(
        call(&mut store, i, "sum_ind", &[Val::I64(1000), Val::I64(0)]).unwrap(),
        vec![Val::I64(500_500)]
    );
}

#[test]
fn typed_function_references() {
    let (mut s, i) = instance(
        r#"(module
          (type $f (func (param i32) (result i32)))
          (func $inc (type $f) (i32.add (local.get 0) (i32.const 1)))
          (elem declare func $inc)
          (func (export "call") (param i32) (result i32) (call_ref $f (local.get 0) (ref.func $inc)))
          (func (export "null") (result i32) (call_ref $f (i32.const 0) (ref.null $f)))
          (func (export "on_null") (param i32) (result i32)
            (block $null
              (return (call_ref $f (i32.const 10)
                (br_on_null $null (select (result (ref null $f)) (ref.func $inc) (ref.null $f) (local.get 0))))))
            (i32.const -1)))"#,
    );
    assert_eq!(
        call(&mut s, i, "call", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(2)]
    );
    assert_eq!(
        call(&mut s, i, "null", &[]).unwrap_err().kind(),
        TrapKind::NullFunctionReference
    );
    assert_eq!(
        call(&mut s, i, "on_null", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(11)]
    );
    assert_eq!(
        call(&mut s, i, "on_null", &[Val::I32(0)]).unwrap(),
        vec![Val::I32(-1)]
    );
}

#[test]
fn wide_arithmetic_carries_across_halves() {
    let wasm = wat::parse_str(
        r#"(module (func (export "add") (param i64 i64 i64 i64) (result i64 i64)
             (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3))))"#,
    )
    .unwrap();
    let module = touchstone_engine::Module::new(&wasm).unwrap();
    let mut s = touchstone_engine::Store::default();
    let i = touchstone_engine::Instance::new(&mut s, &module, &touchstone_engine::Imports::new())
        .unwrap();
    let r = call(
        &mut s,
        i,
        "add",
        &[Val::I64(-1), Val::I64(0), Val::I64(1), Val::I64(0)],
    )
    .unwrap();
    assert_eq!(r, vec![Val::I64(0), Val::I64(1)]);
}

/// A callee's declared locals start at zero whatever its frame's slots held
/// before, for every local count around the call path's 8-slot zeroing
/// chunks (at most 8, at most 32, and more, which take three paths).
#[test]
fn a_callee_sees_zeroed_locals_for_every_local_count() {
    let counts = [0, 1, 7, 8, 9, 15, 16, 17, 24, 25, 31, 32, 33, 40, 100];
    let mut funcs = String::new();
    for n in counts {
        // Sums its locals (all must be 0), then sets every one to -1 so the
        // next call at the same base finds dirty slots.
        let locals = "i64 ".repeat(n);
        let mut body = String::from("(local.get 0)");
        for l in 1..=n {
            body = format!("(i64.add {body} (local.get {l}))");
        }
        let dirty: String = (1..=n)
            .map(|l| format!("(local.set {l} (i64.const -1))"))
            .collect();
        funcs.push_str(&format!(
            "(func $f{n} (param i64) (result i64) {}
               (local.set 0 {body}) {dirty} (local.get 0))
             (func (export \"twice{n}\") (param i64) (result i64)
               (drop (call $scribble))
               (i64.add (call $f{n} (local.get 0)) (call $f{n} (local.get 0))))",
            if n == 0 {
                String::new()
            } else {
                format!("(local {locals})")
            },
        ));
    }
    // Fills 120 slots of the callee frame region with -1.
    let scribble_locals = "i64 ".repeat(120);
    let scribble_sets: String = (0..120)
        .map(|l| format!("(local.set {l} (i64.const -1))"))
        .collect();
    let module = format!(
        "(module (func $scribble (result i64) (local {scribble_locals}) {scribble_sets}
           (local.get 119)) {funcs})"
    );
    let (mut s, i) = instance(&module);
    for n in counts {
        assert_eq!(
            call(&mut s, i, &format!("twice{n}"), &[Val::I64(5)]).unwrap(),
            vec![Val::I64(10)],
            "{n} locals"
        );
    }
}
