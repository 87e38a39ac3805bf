//! Running out of resources ends in an error, never a crash or a hang.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{call, instance_in};
use touchstone_engine::{Config, Imports, Store, TrapKind, Val};

#[test]
fn unbounded_recursion_is_exhaustion_not_overflow() {
    let mut store = Store::new(Config {
        max_call_depth: 100_000,
        ..Config::default()
    });
    let i = instance_in(
        &mut store,
        r#"(module (func $f (export "f") (call $f)))"#,
        &Imports::new(),
    );
    let e = call(&mut store, i, "f", &[]).unwrap_err();
    assert!(e.is_exhaustion());
    // The store stays usable afterwards.
    let e = call(&mut store, i, "f", &[]).unwrap_err();
    assert_eq!(e.kind(), TrapKind::CallStackExhausted);
}

#[test]
fn depth_limit_is_honoured_exactly_enough() {
    let wat = r#"(module (func $d (export "d") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let mut store = Store::new(Config {
        max_call_depth: 50,
        ..Config::default()
    });
    let i = instance_in(&mut store, wat, &Imports::new());
    assert_eq!(
        call(&mut store, i, "d", &[Val::I32(40)]).unwrap(),
        vec![Val::I32(40)]
    );
    assert!(call(&mut store, i, "d", &[Val::I32(60)])
        .unwrap_err()
        .is_exhaustion());
}

#[test]
fn interrupt_flag_stops_an_infinite_loop() {
    let flag = Arc::new(AtomicBool::new(false));
    let mut store = Store::new(Config {
        interrupt: flag.clone(),
        ..Config::default()
    });
    let i = instance_in(
        &mut store,
        r#"(module (func (export "spin") (loop (br 0))))"#,
        &Imports::new(),
    );
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        flag.store(true, Ordering::Relaxed);
    });
    let e = call(&mut store, i, "spin", &[]).unwrap_err();
    setter.join().unwrap();
    assert_eq!(e.kind(), TrapKind::Interrupted);
}

#[test]
fn memory_budget_turns_grow_into_minus_one() {
    let mut store = Store::new(Config {
        max_memory_bytes: 3 * 65536,
        ..Config::default()
    });
    let i = instance_in(
        &mut store,
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
        &Imports::new(),
    );
    assert_eq!(
        call(&mut store, i, "grow", &[Val::I32(2)]).unwrap(),
        vec![Val::I32(1)]
    );
    assert_eq!(
        call(&mut store, i, "grow", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(-1)]
    );
}
