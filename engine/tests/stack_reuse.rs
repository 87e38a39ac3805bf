//! A thread's value stack is reused across calls with the slots an earlier
//! call wrote still in it: every frame must still start with zeroed locals,
//! and a store's own value-stack limit must hold whatever an earlier call
//! in another store left behind.

mod common;

use common::{call, instance_in};
use touchstone_engine::{Config, Imports, Store, TrapKind, Val};

/// `dirty` fills the stack with non-zero slots (a deep recursion whose
/// frames set all their locals); `root` and `callee` return the sum of
/// their declared locals, which must be zero.
const LOCALS: &str = r#"(module
  (func $dirty (export "dirty") (param $n i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (local.set 7 (i64.const -1)) (local.set 8 (i64.const -1)) (local.set 9 (i64.const -1))
    (local.set 10 (i64.const -1)) (local.set 11 (i64.const -1)) (local.set 12 (i64.const -1))
    (if (local.get $n) (then (call $dirty (i32.sub (local.get $n) (i32.const 1))))))
  (func $sum (param i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.add (local.get 0)
      (i64.add (i64.add (i64.add (local.get 1) (local.get 2)) (i64.add (local.get 3) (local.get 4)))
        (i64.add (i64.add (i64.add (local.get 5) (local.get 6)) (i64.add (local.get 7) (local.get 8)))
          (i64.add (i64.add (local.get 9) (local.get 10)) (i64.add (local.get 11) (local.get 12)))))))
  (func (export "root") (param i64) (result i64) (call $sum (local.get 0)))
  (func (export "direct") (param i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.add (local.get 0)
      (i64.add (i64.add (i64.add (local.get 1) (local.get 2)) (i64.add (local.get 3) (local.get 4)))
        (i64.add (i64.add (i64.add (local.get 5) (local.get 6)) (i64.add (local.get 7) (local.get 8)))
          (i64.add (i64.add (local.get 9) (local.get 10)) (i64.add (local.get 11) (local.get 12))))))))"#;

#[test]
fn locals_start_at_zero_on_a_stack_an_earlier_call_dirtied() {
    let mut store = Store::default();
    let i = instance_in(&mut store, LOCALS, &Imports::new());
    for depth in [0, 3, 1000] {
        call(&mut store, i, "dirty", &[Val::I32(depth)]).unwrap();
        // The root frame's own locals, then a callee's.
        for name in ["direct", "root"] {
            assert_eq!(
                call(&mut store, i, name, &[Val::I64(5)]).unwrap(),
                vec![Val::I64(5)],
                "{name} after a recursion {depth} deep"
            );
        }
    }
}

/// The depth `deep` reaches before the value stack runs out: it counts
/// its calls in a global until the stack-exhaustion trap.
fn depth_reached(store: &mut Store) -> i32 {
    let i = instance_in(
        store,
        r#"(module (global $g (export "g") (mut i32) (i32.const 0))
            (func $deep (export "deep") (local i64 i64 i64 i64 i64 i64 i64 i64)
              (global.set $g (i32.add (global.get $g) (i32.const 1)))
              (call $deep)))"#,
        &Imports::new(),
    );
    let e = call(store, i, "deep", &[]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::CallStackExhausted);
    match i.get_global(store, "g").unwrap().get(store) {
        Val::I32(n) => n,
        v => panic!("{v:?}"),
    }
}

fn small_store() -> Store {
    Store::new(Config {
        max_value_slots: 4096,
        max_call_depth: 1_000_000,
        ..Config::default()
    })
}

#[test]
fn a_stores_value_stack_limit_holds_after_a_larger_stack_was_kept() {
    // On a fresh thread: the depth the small store's own limit allows.
    let fresh = std::thread::spawn(|| depth_reached(&mut small_store()))
        .join()
        .unwrap();
    // This thread's spare stack first grows large in a roomier store...
    let mut big = Store::new(Config {
        max_call_depth: 1_000_000,
        ..Config::default()
    });
    let reached_big = depth_reached(&mut big);
    assert!(reached_big > 10 * fresh, "{reached_big} vs {fresh}");
    // ... and the small store still stops at its own limit.
    assert_eq!(depth_reached(&mut small_store()), fresh);
}
