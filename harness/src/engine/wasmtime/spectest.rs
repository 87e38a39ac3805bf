//! The `spectest` host module the official scripts import from.

use wasmtime::{
    Global, GlobalType, Linker, Memory, MemoryType, Mutability, Ref, RefType, SharedMemory, Store,
    Table, TableType, Val,
};

use super::limiter::Host;

/// Defines `spectest` in `linker`: the `print*` functions (which print
/// nothing: output would interleave across parallel files), globals of
/// 666 / 666.6, funcref tables of 10..20 (32- and 64-bit indexed), a memory
/// of 1..2 pages, and a shared one when the store has threads.
pub fn define(linker: &mut Linker<Host>, store: &mut Store<Host>) -> wasmtime::Result<()> {
    let m = "spectest";
    linker.func_wrap(m, "print", || {})?;
    linker.func_wrap(m, "print_i32", |_: i32| {})?;
    linker.func_wrap(m, "print_i64", |_: i64| {})?;
    linker.func_wrap(m, "print_f32", |_: f32| {})?;
    linker.func_wrap(m, "print_f64", |_: f64| {})?;
    linker.func_wrap(m, "print_i32_f32", |_: i32, _: f32| {})?;
    linker.func_wrap(m, "print_f64_f64", |_: f64, _: f64| {})?;
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::F32(666.6f32.to_bits())),
        ("global_f64", Val::F64(666.6f64.to_bits())),
    ];
    for (name, value) in globals {
        let ty = GlobalType::new(value.ty(&*store)?, Mutability::Const);
        let global = Global::new(&mut *store, ty, value)?;
        linker.define(&*store, m, name, global)?;
    }
    let null = Ref::Func(None);
    let table = Table::new(
        &mut *store,
        TableType::new(RefType::FUNCREF, 10, Some(20)),
        null.clone(),
    )?;
    linker.define(&*store, m, "table", table)?;
    let table64 = Table::new(
        &mut *store,
        TableType::new64(RefType::FUNCREF, 10, Some(20)),
        null,
    )?;
    linker.define(&*store, m, "table64", table64)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define(&*store, m, "memory", memory)?;
    // Without threads the engine refuses shared memories; importing
    // `shared_memory` then fails to link, as it should.
    if let Ok(shared) = SharedMemory::new(store.engine(), MemoryType::shared(1, 2)) {
        linker.define(&*store, m, "shared_memory", shared)?;
    }
    Ok(())
}
