//! Instantiation (spec 4.5.4), in the spec's order of effects: check
//! imports, allocate, evaluate globals, then initialise element segments,
//! data segments, and run the start function. A trap part-way leaves the
//! writes already made to shared tables and memories in place.

use foldhash::HashMap;
use std::sync::Arc;

use super::error::{link, InstantiationError, RuntimeError, TrapKind};
use crate::binary::module_info::{ExportKind, ImportKind, ModuleInfo, SegmentMode};
use crate::exec::code::FuncCode;
use crate::exec::const_eval::{eval, TypeCtx};
use crate::runtime::canon::{CanonRef, CanonVal};
use crate::runtime::data::DataInst;
use crate::runtime::elem::ElemInst;
use crate::runtime::global::GlobalInst;
use crate::runtime::handles::{Func, Global, Memory, Table, Tag};
use crate::runtime::module_instance::{Extern, InstanceInst};
use crate::runtime::store::{FuncBody, FuncInst, Store};
use crate::runtime::tag::TagInst;
use crate::runtime::types::{limits_match, FuncType, RefType, ValType};

/// Instantiates the module of `info` and `code` (its functions' bodies)
/// with `externs` (one per import); returns the instance address.
pub(crate) fn instantiate(
    store: &mut Store,
    info: &ModuleInfo,
    code: &[Arc<FuncCode>],
    externs: &[Extern],
) -> Result<u32, InstantiationError> {
    if externs.len() != info.imports.len() {
        return Err(link(format!(
            "expected {} imports, got {}",
            info.imports.len(),
            externs.len()
        ))
        .into());
    }
    let type_ids = intern_types(store, info);
    let mut funcs = Vec::with_capacity(info.funcs.len());
    let mut tables = Vec::with_capacity(info.table_types.len());
    let mut memories = Vec::with_capacity(info.memory_types.len());
    let mut globals = Vec::with_capacity(info.global_types.len());
    let mut tags = Vec::with_capacity(info.tag_types.len());
    for (import, ext) in info.imports.iter().zip(externs) {
        check_import(store, &type_ids, &import.kind, import.exact, ext).map_err(|why| {
            link(format!(
                "incompatible import type for {}.{}: {why}",
                import.module, import.name
            ))
        })?;
        match *ext {
            Extern::Func(Func(a)) => funcs.push(a),
            Extern::Table(Table(a)) => tables.push(a),
            Extern::Memory(Memory(a)) => memories.push(a),
            Extern::Global(Global(a)) => globals.push(a),
            Extern::Tag(Tag(a)) => tags.push(a),
        }
    }

    let instance = store.instances.len() as u32;
    for (i, code) in code.iter().enumerate() {
        let type_id = type_ids[info.funcs[info.num_imported_funcs + i] as usize];
        store.funcs.push(FuncInst::Wasm {
            type_id,
            instance,
            code: FuncBody::new(code.clone()),
        });
        funcs.push(store.funcs.len() as u32 - 1);
    }
    let types = TypeCtx {
        defs: &info.sub_types,
        ids: &type_ids,
    };
    for g in &info.globals {
        let value = eval(&g.init, store, &funcs, &globals, types)?;
        let canon = CanonVal::new(g.ty.content, &type_ids);
        store.globals.push(GlobalInst {
            ty: crate::runtime::types::GlobalType::new(erase_val(g.ty.content, info), g.ty.mutable),
            canon,
            value,
        });
        globals.push(store.globals.len() as u32 - 1);
    }
    for t in &info.tables {
        let init = t
            .init
            .as_ref()
            .map_or(Ok(0), |e| eval(e, store, &funcs, &globals, types))? as u64;
        let mut ty = t.ty;
        if let ValType::Ref(rt) = erase_val(ValType::Ref(ty.element), info) {
            ty.element = rt;
        }
        tables.push(store.alloc_table(ty, CanonRef::new(t.ty.element, &type_ids), init)?);
    }
    for ty in &info.memory_types[memories.len()..] {
        memories.push(store.alloc_memory(*ty)?);
    }
    for &t in &info.tag_types[tags.len()..] {
        store.tags.push(TagInst {
            type_id: type_ids[t as usize],
        });
        tags.push(store.tags.len() as u32 - 1);
    }
    let mut elems = Vec::with_capacity(info.elems.len());
    for e in &info.elems {
        let items = e
            .items
            .iter()
            .map(|x| eval(x, store, &funcs, &globals, types).map(|v| v as u64))
            .collect::<Result<_, _>>()?;
        store.elems.push(ElemInst { items });
        elems.push(store.elems.len() as u32 - 1);
    }
    let mut datas = Vec::with_capacity(info.datas.len());
    for d in &info.datas {
        store.datas.push(DataInst {
            bytes: d.bytes.clone(),
        });
        datas.push(store.datas.len() as u32 - 1);
    }
    let exports: HashMap<String, Extern> = info
        .exports
        .iter()
        .map(|e| {
            let i = e.index as usize;
            let ext = match e.kind {
                ExportKind::Func => Extern::Func(Func(funcs[i])),
                ExportKind::Table => Extern::Table(Table(tables[i])),
                ExportKind::Memory => Extern::Memory(Memory(memories[i])),
                ExportKind::Global => Extern::Global(Global(globals[i])),
                ExportKind::Tag => Extern::Tag(Tag(tags[i])),
            };
            (e.name.clone(), ext)
        })
        .collect();
    let inst = Arc::new(InstanceInst {
        sub_types: info.sub_types.as_slice().into(),
        type_ids,
        funcs,
        tables,
        memories,
        globals,
        tags,
        elems,
        datas,
        exports,
    });
    store.instances.push(inst.clone());

    initialise(store, info, &inst)?;
    if let Some(start) = info.start {
        crate::exec::interp::invoke(store, inst.funcs[start as usize], &[], |_, _| ())
            .inspect_err(|e| store.pin_escaped(e))?;
    }
    Ok(instance)
}

/// Runs active element then data segments, dropping active and declared ones.
fn initialise(
    store: &mut Store,
    info: &ModuleInfo,
    inst: &InstanceInst,
) -> Result<(), RuntimeError> {
    let types = TypeCtx {
        defs: &info.sub_types,
        ids: &inst.type_ids,
    };
    for (i, e) in info.elems.iter().enumerate() {
        let addr = inst.elems[i] as usize;
        match &e.mode {
            SegmentMode::Passive => {}
            SegmentMode::Declared => store.elems[addr].drop_items(),
            SegmentMode::Active { index, offset } => {
                let d = eval(offset, store, &inst.funcs, &inst.globals, types)? as u64;
                let items = std::mem::take(&mut store.elems[addr].items);
                let tab = &mut store.tables[inst.tables[*index as usize] as usize];
                let start = tab.range(d, items.len() as u64)?;
                tab.elems[start..start + items.len()].copy_from_slice(&items);
            }
        }
    }
    for (i, d) in info.datas.iter().enumerate() {
        let addr = inst.datas[i] as usize;
        if let SegmentMode::Active { index, offset } = &d.mode {
            let at = eval(offset, store, &inst.funcs, &inst.globals, types)? as u64;
            let bytes = store.datas[addr].bytes.clone();
            store.datas[addr].drop_bytes();
            let mem = &mut store.memories[inst.memories[*index as usize] as usize];
            let start = mem
                .range(at, bytes.len() as u64)
                .map_err(|_| RuntimeError::new(TrapKind::MemoryOutOfBounds))?;
            mem.write(start, &bytes);
        }
    }
    Ok(())
}

/// Checks one extern against what the import asks for (spec 4.5.2 "import matching").
fn check_import(
    store: &Store,
    type_ids: &[u32],
    kind: &ImportKind,
    exact: bool,
    ext: &Extern,
) -> Result<(), String> {
    match (kind, ext) {
        (ImportKind::Func(t), Extern::Func(f)) => {
            let (have, want) = (store.funcs[f.0 as usize].type_id(), type_ids[*t as usize]);
            if have == want || (!exact && store.is_subtype(have, want)) {
                Ok(())
            } else {
                Err("function type mismatch".into())
            }
        }
        (ImportKind::Table(want), Extern::Table(t)) => {
            let have = &store.tables[t.0 as usize];
            let size = have.elems.len() as u64;
            if have.canon != CanonRef::new(want.element, type_ids)
                || have.ty.table64 != want.table64
            {
                Err("table element type mismatch".into())
            } else if !limits_match(size, have.ty.maximum, want.minimum, want.maximum) {
                Err("table limits mismatch".into())
            } else {
                Ok(())
            }
        }
        (ImportKind::Memory(want), Extern::Memory(m)) => {
            let have = store.memories[m.0 as usize].ty();
            if have.memory64 != want.memory64
                || have.page_size_log2 != want.page_size_log2
                || have.shared != want.shared
            {
                Err("memory index type mismatch".into())
            } else if !limits_match(have.minimum, have.maximum, want.minimum, want.maximum) {
                Err("memory limits mismatch".into())
            } else {
                Ok(())
            }
        }
        (ImportKind::Global(want), Extern::Global(g)) => {
            let have = &store.globals[g.0 as usize];
            let want_canon = CanonVal::new(want.content, type_ids);
            // Mutable globals are invariant, immutable ones covariant.
            let types_match = if want.mutable {
                have.canon == want_canon
            } else {
                have.canon.matches_in(want_canon, &store.type_info)
            };
            if have.ty.mutable == want.mutable && types_match {
                Ok(())
            } else {
                Err("global type mismatch".into())
            }
        }
        (ImportKind::Tag(t), Extern::Tag(tag)) => {
            if store.tags[tag.0 as usize].type_id == type_ids[*t as usize] {
                Ok(())
            } else {
                Err("tag type mismatch".into())
            }
        }
        _ => Err("kind mismatch".into()),
    }
}

/// `ty` with concrete references replaced by the abstract type of their
/// kind (`func`, `struct`, `array`), so values of it can be decoded
/// without the module (host calls, exported globals and tables).
pub(crate) fn erase_val(ty: ValType, info: &ModuleInfo) -> ValType {
    use crate::runtime::gc::type_defs::CompositeDef;
    use wasmparser::{HeapType, UnpackedIndex};
    let ValType::Ref(rt) = ty else { return ty };
    let (HeapType::Concrete(UnpackedIndex::Module(i)) | HeapType::Exact(UnpackedIndex::Module(i))) =
        rt.heap_type()
    else {
        return ty;
    };
    let abstract_ty = match info.sub_types.get(i as usize) {
        Some(Some(d)) => match d.composite {
            CompositeDef::Func(_) => RefType::FUNC,
            CompositeDef::Struct { .. } => RefType::STRUCT,
            CompositeDef::Array(_) => RefType::ARRAY,
        },
        _ => return ty,
    };
    ValType::Ref(if rt.is_nullable() {
        abstract_ty.nullable()
    } else {
        abstract_ty
    })
}

fn erase_func(ft: &FuncType, info: &ModuleInfo) -> FuncType {
    FuncType::new(
        ft.params().iter().map(|t| erase_val(*t, info)),
        ft.results().iter().map(|t| erase_val(*t, info)),
    )
}

/// The canonical type id of each type of `info` in `store` (interning
/// them). Groups are canonicalised in order, so references to earlier
/// groups already have their ids.
pub(crate) fn intern_types(store: &mut Store, info: &ModuleInfo) -> Vec<u32> {
    let mut type_ids: Vec<u32> = Vec::with_capacity(info.types.len());
    for i in 0..info.types.len() {
        let (start, len) = info.type_groups[i];
        let group: Option<Vec<_>> = info.sub_types[start as usize..(start + len) as usize]
            .iter()
            .cloned()
            .collect();
        let id = group.map_or(u32::MAX, |g| {
            let erased = info
                .func_type(i as u32)
                .map_or_else(|| FuncType::new([], []), |ft| erase_func(ft, info));
            store.intern_sub_type(&g, i as u32 - start, &type_ids, start, erased)
        });
        type_ids.push(id);
    }
    type_ids
}
