//! Running out of resources ends in an error, never a crash or a hang.

mod common;

use common::{call, call_interrupted, instance_in};
use touchstone_engine::{Config, Imports, Instance, Module, Store, TrapKind, Val};

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
    let e = call_interrupted(
        r#"(module (func (export "spin") (loop (br 0))))"#,
        "spin",
        &[],
    )
    .unwrap_err();
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

/// Instantiates `wat` in a store with the default budget and returns the error.
fn instantiation_error(wat: &str) -> touchstone_engine::InstantiationError {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::default();
    match Instance::new(&mut store, &module, &Imports::new()) {
        Ok(_) => panic!("instantiation succeeded: {wat}"),
        Err(e) => e,
    }
}

fn assert_exhaustion(e: touchstone_engine::InstantiationError) {
    match e {
        touchstone_engine::InstantiationError::Runtime(r) => {
            assert_eq!(r.kind(), TrapKind::ResourceLimit, "{r}")
        }
        other => panic!("not a resource error: {other:?}"),
    }
}

/// Found by fuzzing: a length of -1 in a constant expression used to
/// allocate 64 GiB (and abort the process) instead of trapping as it does
/// inside a function. Global, table and element initialisers all charge
/// the store's memory budget.
#[test]
fn huge_arrays_in_constant_expressions_are_exhaustion() {
    let ty = "(type $a (array (mut i64)))";
    assert_exhaustion(instantiation_error(&format!(
        "(module {ty} (global (ref $a) (array.new_default $a (i32.const -1))))"
    )));
    assert_exhaustion(instantiation_error(&format!(
        "(module {ty} (global (ref $a) (array.new $a (i64.const 7) (i32.const -1))))"
    )));
    assert_exhaustion(instantiation_error(&format!(
        "(module {ty} (table 1 (ref null $a) (array.new_default $a (i32.const 0x7fffffff))))"
    )));
    assert_exhaustion(instantiation_error(&format!(
        "(module {ty} (elem (ref null $a) (item (array.new_default $a (i32.const -1)))))"
    )));
}

/// Each allocation in a constant expression counts against the budget, so
/// many medium arrays end in exhaustion too.
#[test]
fn constant_expression_allocations_share_the_memory_budget() {
    let ty = "(type $a (array i8))";
    let globals: String = (0..20)
        .map(|_| "(global (ref $a) (array.new_default $a (i32.const 100000)))".to_string())
        .collect();
    let wat = format!("(module {ty} {globals})");
    let module = Module::new(&wat::parse_str(&wat).unwrap()).unwrap();
    let mut store = Store::new(Config {
        max_memory_bytes: 10 << 20,
        ..Config::default()
    });
    // 20 arrays of 100000 slots (8 bytes each) need about 16 MB.
    let e = Instance::new(&mut store, &module, &Imports::new()).unwrap_err();
    assert_exhaustion(e);
    // The same module fits a larger budget, and its arrays have their length.
    let mut store = Store::default();
    let wat = format!(
        "(module {ty} {globals} (func (export \"len\") (result i32) (array.len (global.get 19))))"
    );
    let i = instance_in(&mut store, &wat, &Imports::new());
    assert_eq!(
        call(&mut store, i, "len", &[]).unwrap(),
        vec![Val::I32(100000)]
    );
}
