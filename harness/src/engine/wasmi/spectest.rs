//! The `spectest` host module the official scripts import from.

use wasmi::{
    Caller, Global, Linker, Memory, MemoryType, Mutability, Nullable, Ref, RefType, Store, Table,
    TableType, Val,
};

use super::limiter::TotalLimiter;

/// Defines `spectest` in `linker`: the `print*` functions (which print
/// nothing: output would interleave across parallel files), globals of
/// 666 / 666.6, a funcref table of 10..20 (and a 64-bit-indexed one), and a
/// memory of 1..2 pages. wasmi has no shared memories, so
/// `spectest.shared_memory` is left out (importing it fails to link).
/// Fails only if the store's limits forbid one page or ten table elements.
pub fn define(
    linker: &mut Linker<TotalLimiter>,
    store: &mut Store<TotalLimiter>,
) -> Result<(), wasmi::Error> {
    let m = "spectest";
    {
        linker.func_wrap(m, "print", |_: Caller<'_, TotalLimiter>| {})?;
        linker.func_wrap(m, "print_i32", |_: Caller<'_, TotalLimiter>, _: i32| {})?;
        linker.func_wrap(m, "print_i64", |_: Caller<'_, TotalLimiter>, _: i64| {})?;
        linker.func_wrap(m, "print_f32", |_: Caller<'_, TotalLimiter>, _: f32| {})?;
        linker.func_wrap(m, "print_f64", |_: Caller<'_, TotalLimiter>, _: f64| {})?;
        linker.func_wrap(
            m,
            "print_i32_f32",
            |_: Caller<'_, TotalLimiter>, _: i32, _: f32| {},
        )?;
        linker.func_wrap(
            m,
            "print_f64_f64",
            |_: Caller<'_, TotalLimiter>, _: f64, _: f64| {},
        )?;
        let globals = [
            ("global_i32", Val::I32(666)),
            ("global_i64", Val::I64(666)),
            (
                "global_f32",
                Val::F32(wasmi::F32::from_bits(666.6f32.to_bits())),
            ),
            (
                "global_f64",
                Val::F64(wasmi::F64::from_bits(666.6f64.to_bits())),
            ),
        ];
        for (name, value) in globals {
            let global = Global::new(&mut *store, value, Mutability::Const);
            linker.define(m, name, global)?;
        }
        let null = Ref::Func(Nullable::Null);
        let table = Table::new(
            &mut *store,
            TableType::new(RefType::Func, 10, Some(20)),
            null,
        )?;
        linker.define(m, "table", table)?;
        let table64 = Table::new(
            &mut *store,
            TableType::new64(RefType::Func, 10, Some(20)),
            null,
        )?;
        linker.define(m, "table64", table64)?;
        let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
        linker.define(m, "memory", memory)?;
    }
    Ok(())
}
