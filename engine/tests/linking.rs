//! Imports, exports and linking between instances.

mod common;

use common::{call, instance_in};
use touchstone_engine::{
    Extern, Func, FuncType, Imports, Instance, InstantiationError, Module, Store, TrapKind, Val,
    ValType,
};

#[test]
fn imported_function_runs_in_its_own_instance() {
    let mut store = Store::default();
    let a = instance_in(
        &mut store,
        r#"(module (global $g (mut i32) (i32.const 7))
             (func (export "get") (result i32) (global.get $g)))"#,
        &Imports::new(),
    );
    let mut imports = Imports::new();
    imports.define("a", "get", a.get_export(&store, "get").unwrap());
    let b = instance_in(
        &mut store,
        r#"(module (import "a" "get" (func $get (result i32)))
             (global $g i32 (i32.const 99))
             (func (export "viaB") (result i32) (call $get)))"#,
        &imports,
    );
    assert_eq!(call(&mut store, b, "viaB", &[]).unwrap(), vec![Val::I32(7)]);
}

#[test]
fn imported_memory_is_shared_and_failed_init_keeps_earlier_writes() {
    let mut store = Store::default();
    let a = instance_in(
        &mut store,
        r#"(module (memory (export "mem") 1)
             (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
        &Imports::new(),
    );
    let mut imports = Imports::new();
    imports.define("a", "mem", a.get_export(&store, "mem").unwrap());
    let wasm = wat::parse_str(
        r#"(module (import "a" "mem" (memory 1))
             (data (i32.const 10) "\2a")
             (data (i32.const 65536) "x"))"#,
    )
    .unwrap();
    let err = Instance::new(&mut store, &Module::new(&wasm).unwrap(), &imports).unwrap_err();
    assert!(
        matches!(err, InstantiationError::Runtime(ref r) if r.kind() == TrapKind::MemoryOutOfBounds)
    );
    assert_eq!(
        call(&mut store, a, "peek", &[Val::I32(10)]).unwrap(),
        vec![Val::I32(42)]
    );
}

#[test]
fn link_errors_for_missing_and_mismatched_imports() {
    let mut store = Store::default();
    let wasm = wat::parse_str(r#"(module (import "h" "f" (func (param i32))))"#).unwrap();
    let module = Module::new(&wasm).unwrap();
    let err = Instance::new(&mut store, &module, &Imports::new()).unwrap_err();
    assert!(matches!(err, InstantiationError::Link(_)));
    let wrong = Func::new_host(&mut store, FuncType::new([ValType::I64], []), |_| {
        Ok(vec![])
    });
    let mut imports = Imports::new();
    imports.define("h", "f", Extern::Func(wrong));
    assert!(matches!(
        Instance::new(&mut store, &module, &imports),
        Err(InstantiationError::Link(_))
    ));
}

#[test]
fn host_functions_are_called_with_arguments() {
    let mut store = Store::default();
    let f = Func::new_host(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        |args| match args {
            [Val::I32(x)] => Ok(vec![Val::I32(x + 1)]),
            _ => unreachable!("validated types"),
        },
    );
    let mut imports = Imports::new();
    imports.define("h", "inc", Extern::Func(f));
    let i = instance_in(
        &mut store,
        r#"(module (import "h" "inc" (func $inc (param i32) (result i32)))
             (func (export "twice") (param i32) (result i32) (call $inc (call $inc (local.get 0)))))"#,
        &imports,
    );
    assert_eq!(
        call(&mut store, i, "twice", &[Val::I32(1)]).unwrap(),
        vec![Val::I32(3)]
    );
}

#[test]
fn start_function_runs_at_instantiation() {
    let mut store = Store::default();
    let i = instance_in(
        &mut store,
        r#"(module (global $g (mut i32) (i32.const 0))
             (func $s (global.set $g (i32.const 5))) (start $s)
             (func (export "g") (result i32) (global.get $g)))"#,
        &Imports::new(),
    );
    assert_eq!(call(&mut store, i, "g", &[]).unwrap(), vec![Val::I32(5)]);
}

#[test]
fn tags_link_by_type_and_identity() {
    let mut store = Store::default();
    let a = instance_in(
        &mut store,
        r#"(module (tag (export "t") (param i32)))"#,
        &Imports::new(),
    );
    let Some(Extern::Tag(tag)) = a.get_export(&store, "t") else {
        panic!("tag export missing")
    };
    assert_eq!(tag.ty(&store).params(), &[ValType::I32]);
    let mut imports = Imports::new();
    imports.define("a", "t", Extern::Tag(tag));
    instance_in(
        &mut store,
        r#"(module (import "a" "t" (tag (param i32))))"#,
        &imports,
    );
    let wasm = wat::parse_str(r#"(module (import "a" "t" (tag (param i64))))"#).unwrap();
    let err = Instance::new(&mut store, &Module::new(&wasm).unwrap(), &imports).unwrap_err();
    assert!(matches!(err, InstantiationError::Link(_)));
}
