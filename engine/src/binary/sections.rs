//! Decoding of each section into [`ModuleInfo`]. Any reader error here
//! means the bytes are malformed.

use std::sync::Arc;

use wasmparser::{
    DataKind, ElementItems, ElementKind, ExternalKind, FunctionBody, Payload, TableInit, TypeRef,
};

use super::const_expr::ConstExpr;
use super::malformed;
use super::module_info::*;
use crate::error::CompileError;
use crate::runtime::gc::type_defs::{CompositeDef, SubTypeDef};
use crate::runtime::types::{GlobalType, MemoryType, RefType, TableType, ValType};

/// Whether the interpreter can hold values of this type today.
pub(crate) fn check_val_type(ty: ValType) -> Result<(), CompileError> {
    match ty {
        ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64 => Ok(()),
        ValType::V128 => Ok(()),
        ValType::Ref(rt) => check_ref_type(rt),
    }
}

/// References of every unshared Wasm 3.0 hierarchy are supported; shared
/// (threads), exact (custom descriptors) and continuation types are not.
pub(crate) fn check_ref_type(rt: RefType) -> Result<(), CompileError> {
    use wasmparser::{AbstractHeapType as A, HeapType, UnpackedIndex};
    match rt.heap_type() {
        HeapType::Abstract {
            shared: false,
            ty:
                A::Func
                | A::NoFunc
                | A::Extern
                | A::NoExtern
                | A::Exn
                | A::NoExn
                | A::Any
                | A::Eq
                | A::I31
                | A::Struct
                | A::Array
                | A::None,
        }
        | HeapType::Concrete(UnpackedIndex::Module(_))
        | HeapType::Exact(UnpackedIndex::Module(_)) => Ok(()),
        _ => Err(CompileError::unsupported(format!("reference type {rt}"))),
    }
}

/// Decodes one payload's section into `info`. Returns an `Unsupported`
/// error only after the whole section has been decoded.
pub(crate) fn decode(info: &mut ModuleInfo, payload: &Payload<'_>) -> Result<(), CompileError> {
    let mut unsupported: Option<CompileError> = None;
    let mut note = |r: Result<(), CompileError>| {
        if let Err(e) = r {
            unsupported.get_or_insert(e);
        }
    };
    match payload {
        Payload::TypeSection(reader) => {
            for group in reader.clone() {
                let group = group.map_err(malformed)?;
                let start = info.types.len() as u32;
                let len = group.types().len() as u32;
                info.type_groups.extend((0..len).map(|_| (start, len)));
                for sub in group.into_types() {
                    let def = SubTypeDef::from_wasmparser(&sub);
                    match &def {
                        Some(d) => d
                            .val_types()
                            .into_iter()
                            .for_each(|t| note(check_val_type(t))),
                        None => note(Err(CompileError::unsupported("shared types"))),
                    }
                    info.types.push(match &def {
                        Some(SubTypeDef {
                            composite: CompositeDef::Func(ft),
                            ..
                        }) => Some(ft.clone()),
                        _ => None,
                    });
                    info.sub_types.push(def);
                }
            }
        }
        Payload::ImportSection(reader) => {
            for import in reader.clone().into_imports() {
                let import = import.map_err(malformed)?;
                let kind = match import.ty {
                    TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                        info.funcs.push(t);
                        info.num_imported_funcs += 1;
                        ImportKind::Func(t)
                    }
                    TypeRef::Table(t) => {
                        note(check_ref_type(t.element_type));
                        let ty = TableType::from_wasmparser(&t);
                        info.table_types.push(ty);
                        ImportKind::Table(ty)
                    }
                    TypeRef::Memory(m) => {
                        note(check_memory(&m));
                        let ty = MemoryType::from_wasmparser(&m);
                        info.memory_types.push(ty);
                        ImportKind::Memory(ty)
                    }
                    TypeRef::Global(g) => {
                        note(check_val_type(g.content_type));
                        let ty = GlobalType::new(g.content_type, g.mutable);
                        info.global_types.push(ty);
                        ImportKind::Global(ty)
                    }
                    TypeRef::Tag(t) => {
                        info.tag_types.push(t.func_type_idx);
                        ImportKind::Tag(t.func_type_idx)
                    }
                };
                info.imports.push(ImportDef {
                    module: import.module.to_string(),
                    name: import.name.to_string(),
                    kind,
                    exact: matches!(import.ty, TypeRef::FuncExact(_)),
                });
            }
        }
        Payload::FunctionSection(reader) => {
            for t in reader.clone() {
                info.funcs.push(t.map_err(malformed)?);
            }
        }
        Payload::TableSection(reader) => {
            for table in reader.clone() {
                let table = table.map_err(malformed)?;
                note(check_ref_type(table.ty.element_type));
                let ty = TableType::from_wasmparser(&table.ty);
                let init = match &table.init {
                    TableInit::RefNull => None,
                    TableInit::Expr(e) => match ConstExpr::decode(e) {
                        Ok(e) => Some(e),
                        Err(e) => {
                            note(Err(e));
                            None
                        }
                    },
                };
                info.table_types.push(ty);
                info.tables.push(TableDef { ty, init });
            }
        }
        Payload::MemorySection(reader) => {
            for m in reader.clone() {
                let m = m.map_err(malformed)?;
                note(check_memory(&m));
                info.memory_types.push(MemoryType::from_wasmparser(&m));
            }
        }
        Payload::TagSection(reader) => {
            for t in reader.clone() {
                info.tag_types.push(t.map_err(malformed)?.func_type_idx);
            }
        }
        Payload::GlobalSection(reader) => {
            for g in reader.clone() {
                let g = g.map_err(malformed)?;
                note(check_val_type(g.ty.content_type));
                let ty = GlobalType::new(g.ty.content_type, g.ty.mutable);
                let init = ConstExpr::decode(&g.init_expr).unwrap_or_else(|e| {
                    note(Err(e));
                    ConstExpr(Vec::new())
                });
                info.global_types.push(ty);
                info.globals.push(GlobalDef { ty, init });
            }
        }
        Payload::ExportSection(reader) => {
            for e in reader.clone() {
                let e = e.map_err(malformed)?;
                let kind = match e.kind {
                    ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                    ExternalKind::Table => ExportKind::Table,
                    ExternalKind::Memory => ExportKind::Memory,
                    ExternalKind::Global => ExportKind::Global,
                    ExternalKind::Tag => ExportKind::Tag,
                };
                info.exports.push(ExportDef {
                    name: e.name.to_string(),
                    kind,
                    index: e.index,
                });
            }
        }
        Payload::StartSection { func, .. } => info.start = Some(*func),
        Payload::ElementSection(reader) => {
            for elem in reader.clone() {
                let elem = elem.map_err(malformed)?;
                let mode = match &elem.kind {
                    ElementKind::Passive => SegmentMode::Passive,
                    ElementKind::Declared => SegmentMode::Declared,
                    ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => SegmentMode::Active {
                        index: table_index.unwrap_or(0),
                        offset: ConstExpr::decode(offset_expr).unwrap_or_else(|e| {
                            note(Err(e));
                            ConstExpr(Vec::new())
                        }),
                    },
                };
                let items = match elem.items {
                    ElementItems::Functions(r) => {
                        let mut items = Vec::new();
                        for f in r {
                            items.push(ConstExpr::ref_func(f.map_err(malformed)?));
                        }
                        items
                    }
                    ElementItems::Expressions(rt, r) => {
                        note(check_ref_type(rt));
                        let mut items = Vec::new();
                        for e in r {
                            let e = e.map_err(malformed)?;
                            items.push(ConstExpr::decode(&e).unwrap_or_else(|e| {
                                note(Err(e));
                                ConstExpr(Vec::new())
                            }));
                        }
                        items
                    }
                };
                info.elems.push(ElemDef { mode, items });
            }
        }
        Payload::DataSection(reader) => {
            for data in reader.clone() {
                let data = data.map_err(malformed)?;
                let mode = match &data.kind {
                    DataKind::Passive => SegmentMode::Passive,
                    DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => SegmentMode::Active {
                        index: *memory_index,
                        offset: ConstExpr::decode(offset_expr).unwrap_or_else(|e| {
                            note(Err(e));
                            ConstExpr(Vec::new())
                        }),
                    },
                };
                info.datas.push(DataDef {
                    mode,
                    bytes: Arc::from(data.data),
                });
            }
        }
        Payload::CustomSection(reader) => {
            info.customs
                .push((reader.name().to_string(), reader.data().to_vec()));
        }
        _ => {}
    }
    match unsupported {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn check_memory(m: &wasmparser::MemoryType) -> Result<(), CompileError> {
    if m.page_size_log2.is_some_and(|p| p != 16 && p != 0) {
        Err(CompileError::unsupported("custom page sizes"))
    } else {
        Ok(())
    }
}

/// Reads a function body's locals and every operator, so decoding errors
/// surface as malformed before the validator looks at types.
pub(crate) fn decode_body(
    body: &FunctionBody<'_>,
    features: &wasmparser::WasmFeatures,
) -> Result<(), CompileError> {
    let mut locals = body.get_locals_reader().map_err(malformed)?;
    for _ in 0..locals.get_count() {
        locals.read().map_err(malformed)?;
    }
    let mut ops = body.get_operators_reader().map_err(malformed)?;
    while !ops.eof() {
        let at = ops.original_position();
        let op = ops.read().map_err(malformed)?;
        // Before multi-memory took bit 6 of the flags, Wasm 2.0's binary
        // format capped the alignment exponent below 32 (the 2.0 suite says
        // "malformed memop flags"; 3.0 calls larger values invalid, as
        // wasmparser's validator does).
        if !features.multi_memory() && memarg_of(&op).is_some_and(|m| m.align >= 32) {
            return Err(CompileError::new(
                crate::error::CompileErrorKind::Malformed,
                format!("malformed memop flags (at offset {at:#x})"),
            ));
        }
    }
    ops.finish().map_err(malformed)?;
    Ok(())
}

/// The memory immediate of a plain or SIMD load/store, if `op` has one.
fn memarg_of<'a>(op: &'a wasmparser::Operator<'_>) -> Option<&'a wasmparser::MemArg> {
    use wasmparser::Operator as O;
    match op {
        O::I32Load { memarg }
        | O::I64Load { memarg }
        | O::F32Load { memarg }
        | O::F64Load { memarg }
        | O::I32Load8S { memarg }
        | O::I32Load8U { memarg }
        | O::I32Load16S { memarg }
        | O::I32Load16U { memarg }
        | O::I64Load8S { memarg }
        | O::I64Load8U { memarg }
        | O::I64Load16S { memarg }
        | O::I64Load16U { memarg }
        | O::I64Load32S { memarg }
        | O::I64Load32U { memarg }
        | O::I32Store { memarg }
        | O::I64Store { memarg }
        | O::F32Store { memarg }
        | O::F64Store { memarg }
        | O::I32Store8 { memarg }
        | O::I32Store16 { memarg }
        | O::I64Store8 { memarg }
        | O::I64Store16 { memarg }
        | O::I64Store32 { memarg }
        | O::V128Load { memarg }
        | O::V128Store { memarg }
        | O::V128Load8x8S { memarg }
        | O::V128Load8x8U { memarg }
        | O::V128Load16x4S { memarg }
        | O::V128Load16x4U { memarg }
        | O::V128Load32x2S { memarg }
        | O::V128Load32x2U { memarg }
        | O::V128Load8Splat { memarg }
        | O::V128Load16Splat { memarg }
        | O::V128Load32Splat { memarg }
        | O::V128Load64Splat { memarg }
        | O::V128Load32Zero { memarg }
        | O::V128Load64Zero { memarg }
        | O::V128Load8Lane { memarg, .. }
        | O::V128Load16Lane { memarg, .. }
        | O::V128Load32Lane { memarg, .. }
        | O::V128Load64Lane { memarg, .. }
        | O::V128Store8Lane { memarg, .. }
        | O::V128Store16Lane { memarg, .. }
        | O::V128Store32Lane { memarg, .. }
        | O::V128Store64Lane { memarg, .. } => Some(memarg),
        _ => None,
    }
}
