//! References the host holds: pins per hand-out (the same exception
//! handed out twice is released twice), payloads read by the host, a
//! collection the host asks for, and which host-held objects wasm can no
//! longer reach (what a host with one wrapper per object may let go).

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{call, instance_in};
use touchstone_engine::{AnyRef, Exn, Func, FuncType, Imports, Instance, Store, Tag, Val};

const PROGRAM: &str = r#"(module
  (type $node (struct (field $val i32) (field $next (ref null $node))))
  (tag $carry (export "carry") (param (ref $node)))
  (global $kept (export "kept") (mut exnref) (ref.null exn))
  (global $held (export "held") (mut (ref null $node)) (ref.null $node))

  (func $node (export "node") (param $v i32) (param $next (ref null $node)) (result (ref $node))
    (struct.new $node (local.get $v) (local.get $next)))

  ;; Throws $carry(v -> v+1), keeps the exception in $kept, and lets it
  ;; escape to the host.
  (func (export "keep-and-throw") (param $v i32)
    (global.set $kept (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (throw $carry (call $node (local.get $v)
          (call $node (i32.add (local.get $v) (i32.const 1)) (ref.null $node)))))
      (unreachable)))
    (throw_ref (global.get $kept)))
  (func (export "rethrow") (throw_ref (global.get $kept)))
  (func (export "forget") (global.set $kept (ref.null exn)) (global.set $held (ref.null $node)))
  (func (export "hold") (param (ref null $node)) (global.set $held (local.get 0)))
  (func (export "val") (param (ref $node)) (result i32) (struct.get $node $val (local.get 0)))
)"#;

fn setup() -> (Store, Instance) {
    let mut s = Store::default();
    let i = instance_in(&mut s, PROGRAM, &Imports::new());
    (s, i)
}

fn thrown(s: &mut Store, i: Instance, name: &str, args: &[Val]) -> Exn {
    call(s, i, name, args)
        .unwrap_err()
        .exception()
        .expect("an exception escapes")
}

#[test]
fn the_same_exception_handed_out_twice_is_released_twice() {
    let (mut s, i) = setup();
    let first = thrown(&mut s, i, "keep-and-throw", &[Val::I32(5)]);
    let second = thrown(&mut s, i, "rethrow", &[]);
    assert_eq!(first, second, "one exception, two hand-outs");
    call(&mut s, i, "forget", &[]).unwrap();
    let exn = Val::ExnRef(Some(first));
    // One part of the host lets go: the other's hand-out keeps it.
    assert!(s.release(&exn));
    assert!(s.collect());
    assert_eq!(s.heap_stats().exceptions, 1);
    let payload = second.payload(&s);
    assert_eq!(call(&mut s, i, "val", &payload).unwrap(), [Val::I32(5)]);
    assert!(s.release(&payload[0]));
    // The last hand-out released: the exception and its nodes are garbage.
    assert!(s.release(&exn));
    assert!(!s.release(&exn), "never more releases than hand-outs");
    assert!(s.collect());
    let stats = s.heap_stats();
    assert_eq!((stats.exceptions, stats.objects, stats.pinned), (0, 0, 0));
}

#[test]
fn a_payload_the_host_read_outlives_its_exception() {
    let (mut s, i) = setup();
    let exn = thrown(&mut s, i, "keep-and-throw", &[Val::I32(30)]);
    call(&mut s, i, "forget", &[]).unwrap();
    let payload = exn.payload(&s);
    assert!(s.release(&Val::ExnRef(Some(exn))));
    assert!(s.collect());
    let stats = s.heap_stats();
    assert_eq!((stats.exceptions, stats.objects), (0, 2), "the nodes stay");
    assert_eq!(call(&mut s, i, "val", &payload).unwrap(), [Val::I32(30)]);
    assert!(s.release(&payload[0]));
    assert!(s.collect());
    assert_eq!(s.heap_stats().objects, 0);
}

#[test]
fn held_only_by_host_lists_what_wasm_cannot_reach() {
    let (mut s, i) = setup();
    let node =
        |s: &mut Store, v: i32, next: Val| call(s, i, "node", &[Val::I32(v), next]).unwrap()[0];
    let null = Val::AnyRef(None);
    // An `exnref` is its exception's index plus one, so `i32` fields of 1
    // would keep exception 0 if fields were scanned without their types.
    let alone = node(&mut s, 1, null);
    let inner = node(&mut s, 2, null);
    let outer = node(&mut s, 3, inner);
    let in_global = node(&mut s, 4, null);
    call(&mut s, i, "hold", &[in_global]).unwrap();
    let tag = Tag::new(&mut s, FuncType::new([], []));
    let exn = Exn::new(&mut s, tag, &[]).unwrap();
    let mut listed = s.held_only_by_host().unwrap();
    listed.sort_by_key(|v| format!("{v:?}"));
    let mut want = vec![alone, outer, Val::ExnRef(Some(exn))];
    want.sort_by_key(|v| format!("{v:?}"));
    // `inner` is reachable from `outer` (the host could pass `outer` to
    // wasm, which could hand `inner` back); `in_global` from a global.
    assert_eq!(listed, want);
    // Once the global lets go, only the host reaches it.
    call(&mut s, i, "forget", &[]).unwrap();
    assert!(s.held_only_by_host().unwrap().contains(&in_global));
    // An exception the host stored in a global is reachable by wasm.
    let kept = i.get_global(&s, "kept").unwrap();
    kept.set(&mut s, Val::ExnRef(Some(exn))).unwrap();
    assert!(!s
        .held_only_by_host()
        .unwrap()
        .contains(&Val::ExnRef(Some(exn))));
    assert!(matches!(alone, Val::AnyRef(Some(AnyRef::Struct(_)))));
}

#[test]
fn nothing_is_listed_or_collected_while_wasm_runs() {
    let mut s = Store::default();
    let seen = Rc::new(RefCell::new(None));
    let saw = seen.clone();
    let probe = Func::new_local(&mut s, FuncType::new([], []), move |caller, _| {
        let store = caller.store();
        *saw.borrow_mut() = Some((store.held_only_by_host(), store.collect()));
        Ok(vec![])
    });
    let mut imports = Imports::new();
    imports.define("host", "probe", touchstone_engine::Extern::Func(probe));
    let i = instance_in(
        &mut s,
        r#"(module (import "host" "probe" (func $p)) (func (export "f") (call $p)))"#,
        &imports,
    );
    call(&mut s, i, "f", &[]).unwrap();
    assert_eq!(*seen.borrow(), Some((None, false)));
    assert!(s.collect(), "between calls it collects");
}
