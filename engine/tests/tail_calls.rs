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

/// A function called within its instance tail-calls a function of another
/// instance (each tail-call form): that callee runs in its own instance,
/// and its return resumes the first caller in the caller's instance (its
/// own global, not the other's), also in a loop deep enough to grow the
/// call stack.
#[test]
fn a_tail_call_into_another_instance_returns_to_the_callers_instance() {
    use common::instance_in;
    use touchstone_engine::{Imports, Store};
    let mut store = Store::default();
    let a = instance_in(
        &mut store,
        r#"(module (global $g (mut i32) (i32.const 7))
             (func (export "get") (param i32) (result i32)
               (i32.add (global.get $g) (local.get 0))))"#,
        &Imports::new(),
    );
    let mut imports = Imports::new();
    imports.define("a", "get", a.get_export(&store, "get").unwrap());
    let b = instance_in(
        &mut store,
        r#"(module
             (type $t (func (param i32) (result i32)))
             (import "a" "get" (func $get (type $t)))
             (table funcref (elem $get))
             (elem declare func $get)
             (global $g i32 (i32.const 1000))
             (func $direct (type $t) (return_call $get (local.get 0)))
             (func $indirect (type $t)
               (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
             (func $ref (type $t) (return_call_ref $t (local.get 0) (ref.func $get)))
             ;; Each call returns 7 + n; the global read after it must be B's.
             (func $step (param $n i32) (result i32)
               (i32.add
                 (i32.add (call $direct (local.get $n)) (call $indirect (local.get $n)))
                 (i32.add (call $ref (local.get $n)) (global.get $g))))
             (func $run (export "run") (param $n i32) (result i32)
               (if (result i32) (i32.eqz (local.get $n))
                 (then (i32.const 0))
                 (else (i32.add (call $step (local.get $n))
                   (call $run (i32.sub (local.get $n) (i32.const 1))))))))"#,
        &imports,
    );
    // Sum over n in 1..=N of 3 * (7 + n) + 1000.
    let n = 2000;
    let want = (1..=n).map(|n| 3 * (7 + n) + 1000).sum::<i32>();
    assert_eq!(
        call(&mut store, b, "run", &[Val::I32(n)]).unwrap(),
        vec![Val::I32(want)]
    );
}
