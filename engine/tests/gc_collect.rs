//! The garbage collector: programs whose survivors matter. Each run makes
//! far more garbage than its store's memory budget, collecting every few
//! kilobytes, and checks the contents of what must survive: a list that
//! grows and shrinks, references held only in globals, tables, locals of
//! suspended frames, operands, thrown exceptions or the host, and cycles.

mod common;

use common::{call, instance_in};
use touchstone_engine::{Config, Extern, Func, FuncType, Imports, Instance, Store, TrapKind, Val};

const PROGRAM: &str = r#"(module
  (type $node (struct (field $val (mut i32)) (field $next (mut (ref null $node)))))
  (type $junk (array (mut i64)))
  (type $pair (struct (field $a (mut (ref null $pair))) (field $tag i32)))
  (tag $carry (param (ref $node)))
  (global $list (mut (ref null $node)) (ref.null $node))
  (global $held (export "held") (mut (ref null $node)) (ref.null $node))
  (global $cycle (mut (ref null $pair)) (ref.null $pair))
  (table $t 8 (ref null $node))

  ;; Garbage: per step a 16-element array and a two-struct cycle.
  (func $churn (export "churn") (param $n i32)
    (local $p (ref null $pair))
    (loop $l
      (if (local.get $n) (then
        (drop (array.new $junk (i64.extend_i32_u (local.get $n)) (i32.const 16)))
        (local.set $p (struct.new $pair (ref.null $pair) (local.get $n)))
        (struct.set $pair $a (local.get $p) (struct.new $pair (local.get $p) (i32.const 0)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))))

  (func $node (param $v i32) (param $next (ref null $node)) (result (ref $node))
    (struct.new $node (local.get $v) (local.get $next)))

  ;; h = h * 31 + val over the chain from $n.
  (func $walk (export "walk") (param $n (ref null $node)) (result i32)
    (local $h i32)
    (block $end
      (loop $l
        (br_if $end (ref.is_null (local.get $n)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (struct.get $node $val (local.get $n))))
        (local.set $n (struct.get $node $next (local.get $n)))
        (br $l)))
    (local.get $h))

  ;; Each round pushes values i*10+0..4 (churning between pushes), pops three.
  (func (export "list") (param $rounds i32) (result i32)
    (local $i i32) (local $k i32)
    (loop $r
      (local.set $k (i32.const 0))
      (loop $push
        (global.set $list (call $node
          (i32.add (i32.mul (local.get $i) (i32.const 10)) (local.get $k))
          (global.get $list)))
        (call $churn (i32.const 50))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $push (i32.lt_u (local.get $k) (i32.const 5))))
      (global.set $list (struct.get $node $next (struct.get $node $next
        (struct.get $node $next (global.get $list)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $r (i32.lt_u (local.get $i) (local.get $rounds))))
    (call $walk (global.get $list)))

  (func (export "global") (result i32)
    (global.set $held (call $node (i32.const 7)
      (call $node (i32.const 8) (call $node (i32.const 9) (ref.null $node)))))
    (call $churn (i32.const 20000))
    (call $walk (global.get $held)))

  ;; Slot i holds i+100 -> i+200; returns the sum of both over all slots.
  (func (export "table") (result i32)
    (local $i i32) (local $sum i32) (local $n (ref null $node))
    (loop $fill
      (table.set $t (local.get $i) (call $node (i32.add (local.get $i) (i32.const 100))
        (call $node (i32.add (local.get $i) (i32.const 200)) (ref.null $node))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 8))))
    (call $churn (i32.const 20000))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $n (table.get $t (local.get $i)))
      (local.set $sum (i32.add (local.get $sum) (i32.add
        (struct.get $node $val (local.get $n))
        (struct.get $node $val (struct.get $node $next (local.get $n))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $i) (i32.const 8))))
    (local.get $sum))

  ;; Every level holds d -> 3d only in a local while deeper levels churn;
  ;; returns the number of levels whose node survived intact.
  (func $frames (export "frames") (param $d i32) (result i32)
    (local $mine (ref null $node)) (local $deeper i32)
    (local.set $mine (call $node (local.get $d)
      (call $node (i32.mul (local.get $d) (i32.const 3)) (ref.null $node))))
    (call $churn (i32.const 300))
    (if (local.get $d)
      (then (local.set $deeper (call $frames (i32.sub (local.get $d) (i32.const 1)))))
      (else (call $churn (i32.const 20000))))
    (if (i32.ne (struct.get $node $val (local.get $mine)) (local.get $d))
      (then (return (i32.const -1))))
    (if (i32.ne (struct.get $node $val (struct.get $node $next (local.get $mine)))
                (i32.mul (local.get $d) (i32.const 3)))
      (then (return (i32.const -1))))
    (i32.add (local.get $deeper) (i32.const 1)))

  (func $churn_then (param $v i32) (result i32)
    (call $churn (i32.const 20000))
    (local.get $v))

  ;; The inner struct is only an operand while the call churns.
  (func (export "operand") (result i32)
    (struct.get $pair $tag (ref.as_non_null (struct.get $pair $a
      (struct.new $pair (struct.new $pair (ref.null $pair) (i32.const 42))
                        (call $churn_then (i32.const 7)))))))

  (func $throw_node (param $v i32)
    (throw $carry (call $node (local.get $v)
      (call $node (i32.add (local.get $v) (i32.const 1)) (ref.null $node)))))

  ;; The node is only in the payload of a caught exception while garbage is
  ;; made; rethrown and caught again, it must read 70 -> 71.
  (func (export "exn") (result i32)
    (local $e exnref) (local $n (ref null $node))
    (local.set $e (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $throw_node (i32.const 70)))
      (unreachable)))
    (call $churn (i32.const 20000))
    (local.set $n (block $got (result (ref $node))
      (try_table (catch $carry $got) (throw_ref (local.get $e)))
      (unreachable)))
    (i32.add (i32.mul (struct.get $node $val (local.get $n)) (i32.const 1000))
             (struct.get $node $val (struct.get $node $next (local.get $n)))))

  ;; Many exceptions thrown and dropped: garbage too.
  (func (export "throw-away") (param $n i32)
    (loop $l
      (if (local.get $n) (then
        (block $h (try_table (catch_all $h) (call $throw_node (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))))

  ;; a <-> b, held by a global: 1, 2, and a.a.a is a.
  (func (export "cycle") (result i32)
    (local $a (ref null $pair)) (local $b (ref null $pair))
    (local.set $a (struct.new $pair (ref.null $pair) (i32.const 1)))
    (local.set $b (struct.new $pair (local.get $a) (i32.const 2)))
    (struct.set $pair $a (local.get $a) (local.get $b))
    (global.set $cycle (local.get $a))
    (local.set $a (ref.null $pair))
    (local.set $b (ref.null $pair))
    (call $churn (i32.const 20000))
    (local.set $a (global.get $cycle))
    (i32.add (i32.add
      (i32.mul (struct.get $pair $tag (local.get $a)) (i32.const 10))
      (struct.get $pair $tag (struct.get $pair $a (local.get $a))))
      (i32.mul (i32.const 100)
        (ref.eq (struct.get $pair $a (struct.get $pair $a (local.get $a))) (local.get $a)))))

  (func (export "make") (param $v i32) (result (ref $node))
    (call $node (local.get $v) (call $node (i32.const 1) (ref.null $node))))
  (func (export "forget-held") (global.set $held (ref.null $node)))

  ;; About 640 KB: two do not fit in the 1 MiB budget at once.
  (func (export "big") (result (ref $junk))
    (array.new $junk (i64.const 3) (i32.const 80000)))
  (func (export "big-sum") (param $a (ref $junk)) (result i64)
    (i64.add (array.get $junk (local.get $a) (i32.const 0))
             (i64.extend_i32_u (array.len (local.get $a)))))

  ;; Throws 80 -> 81 out to the host: no handler.
  (func (export "throw-out") (call $throw_node (i32.const 80)))
)"#;

/// 20 000 churn steps allocate about 6 MB; the budget is 1 MiB.
fn store(gc_interval_bytes: u64) -> Store {
    Store::new(Config {
        max_memory_bytes: 1 << 20,
        gc_interval_bytes,
        ..Config::default()
    })
}

fn setup() -> (Store, Instance) {
    let mut s = store(4096);
    let i = instance_in(&mut s, PROGRAM, &Imports::new());
    (s, i)
}

fn i32_of(s: &mut Store, i: Instance, name: &str, args: &[Val]) -> i32 {
    match call(s, i, name, args).unwrap().as_slice() {
        [Val::I32(x)] => *x,
        other => panic!("{name}: {other:?}"),
    }
}

fn hash(values: impl IntoIterator<Item = i32>) -> i32 {
    values
        .into_iter()
        .fold(0i32, |h, v| h.wrapping_mul(31).wrapping_add(v))
}

#[test]
fn without_collection_the_garbage_exhausts_the_budget() {
    let mut s = store(u64::MAX);
    let i = instance_in(&mut s, PROGRAM, &Imports::new());
    let err = call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ResourceLimit);
}

#[test]
fn a_growing_and_shrinking_list_keeps_its_nodes() {
    let (mut s, i) = setup();
    let rounds = 200;
    let mut list = Vec::new();
    for r in 0..rounds {
        list.extend((0..5).map(|k| r * 10 + k));
        list.truncate(list.len() - 3);
    }
    let expected = hash(list.iter().rev().copied());
    assert_eq!(i32_of(&mut s, i, "list", &[Val::I32(rounds)]), expected);
}

#[test]
fn references_only_in_a_global_survive() {
    let (mut s, i) = setup();
    assert_eq!(i32_of(&mut s, i, "global", &[]), hash([7, 8, 9]));
}

#[test]
fn references_only_in_a_table_survive() {
    let (mut s, i) = setup();
    let expected: i32 = (0..8).map(|k| 300 + 2 * k).sum();
    assert_eq!(i32_of(&mut s, i, "table", &[]), expected);
}

#[test]
fn references_only_in_suspended_frames_survive() {
    let (mut s, i) = setup();
    assert_eq!(i32_of(&mut s, i, "frames", &[Val::I32(40)]), 41);
}

#[test]
fn references_only_on_the_operand_stack_survive() {
    let (mut s, i) = setup();
    assert_eq!(i32_of(&mut s, i, "operand", &[]), 42);
}

#[test]
fn references_only_in_a_thrown_exception_survive() {
    let (mut s, i) = setup();
    assert_eq!(i32_of(&mut s, i, "exn", &[]), 70_071);
    // Dropped exceptions are garbage: throwing many more still works.
    call(&mut s, i, "throw-away", &[Val::I32(20_000)]).unwrap();
    assert_eq!(i32_of(&mut s, i, "exn", &[]), 70_071);
}

#[test]
fn cycles_survive_when_reachable() {
    let (mut s, i) = setup();
    assert_eq!(i32_of(&mut s, i, "cycle", &[]), 112);
}

#[test]
fn references_held_by_the_host_stay_valid() {
    let (mut s, i) = setup();
    let made = call(&mut s, i, "make", &[Val::I32(5)]).unwrap();
    assert_eq!(i32_of(&mut s, i, "global", &[]), hash([7, 8, 9]));
    let held = i.get_global(&s, "held").unwrap().get(&s);
    call(&mut s, i, "forget-held", &[]).unwrap();
    call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap();
    // Made objects in between must not have been put in their slots.
    call(&mut s, i, "make", &[Val::I32(6)]).unwrap();
    assert_eq!(i32_of(&mut s, i, "walk", &made), hash([5, 1]));
    assert_eq!(i32_of(&mut s, i, "walk", &[held]), hash([7, 8, 9]));
}

#[test]
fn a_released_host_handle_frees_its_object() {
    let (mut s, i) = setup();
    let first = call(&mut s, i, "big", &[]).unwrap();
    // Held by the host, the first array is a root: the second does not fit.
    let err = call(&mut s, i, "big", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ResourceLimit);
    assert_eq!(
        call(&mut s, i, "big-sum", &first).unwrap(),
        [Val::I64(80_003)]
    );
    // Still a root after garbage was made and collected.
    call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap();
    let err = call(&mut s, i, "big", &[]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::ResourceLimit);
    // Released (once per hand-out; `big-sum`'s argument was not one), it is
    // garbage: the next collection frees it and a new array fits.
    assert!(s.release(&first[0]));
    assert!(!s.release(&first[0]), "a second release finds no pin");
    call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap();
    let second = call(&mut s, i, "big", &[]).unwrap();
    assert_eq!(
        call(&mut s, i, "big-sum", &second).unwrap(),
        [Val::I64(80_003)]
    );
}

#[test]
fn an_exception_escaping_to_the_host_stays_valid() {
    let (mut s, i) = setup();
    let err = call(&mut s, i, "throw-out", &[]).unwrap_err();
    let exn = err.exception().expect("an uncaught exception");
    call(&mut s, i, "throw-away", &[Val::I32(20_000)]).unwrap();
    call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap();
    let payload = exn.payload(&s);
    assert_eq!(i32_of(&mut s, i, "walk", &payload), hash([80, 81]));
    assert!(s.release(&Val::ExnRef(Some(exn))));
}

/// A host function that panics unwinds through the interpreter; the store,
/// kept by a host that caught the panic, must still collect (its count of
/// running calls must not stay raised).
#[test]
fn a_store_collects_again_after_a_call_panicked() {
    let (mut s, i) = setup();
    let boom = Func::new_host(&mut s, FuncType::new([], []), |_| {
        panic!("host function failed")
    });
    let mut imports = Imports::new();
    imports.define("host", "boom", Extern::Func(boom));
    let caller = instance_in(
        &mut s,
        r#"(module (import "host" "boom" (func $boom)) (func (export "f") (call $boom)))"#,
        &imports,
    );
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        call(&mut s, caller, "f", &[])
    }));
    assert!(panicked.is_err());
    // 6 MB of garbage in a 1 MiB budget: only collection lets it finish.
    call(&mut s, i, "churn", &[Val::I32(20_000)]).unwrap();
    assert_eq!(i32_of(&mut s, i, "cycle", &[]), 112);
}
