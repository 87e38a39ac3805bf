//! Tail calls on and off the interpreter's fast path (callees of the
//! running instance with at most 8 parameter slots and 8 locals replace the
//! caller's frame in place with fixed 8-slot copies; others take the
//! general path).

mod common;

use common::{call, call_interrupted, instance};
use touchstone_engine::{TrapKind, Val};

/// The callee's locals start at zero even where the caller's frame held
/// other values in those slots, for each tail-call instruction.
#[test]
fn a_tail_callee_sees_zeroed_locals_and_its_own_arguments() {
    let (mut s, i) = instance(
        r#"(module
          (type $t (func (param i64 i64) (result i64)))
          (table funcref (elem $callee))
          (elem declare func $callee)
          ;; Reads its 6 locals before writing any: all must be 0.
          (func $callee (type $t) (local i64 i64 i64 i64 i64 i64)
            (i64.add (i64.mul (local.get 0) (i64.const 1000)) (local.get 1))
            (i64.add (i64.add (local.get 2) (local.get 3)) (i64.add (local.get 4) (local.get 5)))
            (i64.add (i64.add (local.get 6) (local.get 7)))
            i64.add)
          ;; Fills its own frame with non-zero values first.
          (func (export "direct") (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (return_call $callee (local.get 6) (local.get 7)))
          (func (export "indirect") (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (return_call_indirect (type $t) (local.get 6) (local.get 7) (i32.const 0)))
          (func (export "ref") (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (return_call_ref $t (local.get 6) (local.get 7) (ref.func $callee))))"#,
    );
    let args: Vec<Val> = (1..=8).map(|x| Val::I64(x * 11)).collect();
    for name in ["direct", "indirect", "ref"] {
        assert_eq!(
            call(&mut s, i, name, &args).unwrap(),
            vec![Val::I64(77 * 1000 + 88)],
            "{name}"
        );
    }
}

/// Loops of tail calls that alternate between a callee the fast path takes
/// (8 parameters) and one it leaves to the general path (9 parameters, or
/// 9 locals), with arguments that overlap the slots they move to.
#[test]
fn tail_call_loops_mixing_fast_and_general_callees() {
    let (mut s, i) = instance(
        r#"(module
          (func $eight (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call $nine (i64.sub (local.get 0) (i64.const 1))
                (i64.add (local.get 1) (local.get 7))
                (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)
                (local.get 7) (i64.const 1)))))
          (func $nine (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (return_call $many (local.get 0) (i64.add (local.get 1) (local.get 8))))
          (func $many (param i64 i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 10 (i64.add (local.get 10) (i64.const 1)))
            (return_call $eight (local.get 0) (i64.add (local.get 1) (local.get 10))
              (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
              (i64.const 2)))
          (func (export "run") (param i64) (result i64)
            (return_call $eight (local.get 0) (i64.const 0)
              (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 2))))"#,
    );
    // Each round adds 2 ($eight's last argument), 1 ($nine's) and 1 (the
    // zeroed local of $many, incremented once).
    assert_eq!(
        call(&mut s, i, "run", &[Val::I64(100_000)]).unwrap(),
        vec![Val::I64(400_000)]
    );
}

/// A loop of tail calls has no backward branch: the interrupt flag must
/// still stop it.
#[test]
fn interrupt_flag_stops_an_endless_tail_call_loop() {
    let e = call_interrupted(
        r#"(module
          (type $t (func (param i32)))
          (elem declare func $spin)
          (func $spin (export "spin") (type $t)
            (return_call_ref $t (local.get 0) (ref.func $spin))))"#,
        "spin",
        &[Val::I32(0)],
    )
    .unwrap_err();
    assert_eq!(e.kind(), TrapKind::Interrupted);
}
