//! The decoded and validated form of a module: everything instantiation
//! needs but the translated code (`compile::CompiledModule` adds that),
//! with no wasm bytes left to re-read.

use std::sync::Arc;

use super::const_expr::ConstExpr;
use crate::runtime::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};

/// What an import asks for, with function types given by module type index.
#[derive(Clone, Debug)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    Tag(u32),
}

/// One import.
#[derive(Clone, Debug)]
pub(crate) struct ImportDef {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
    /// An exact function import (custom descriptors): the type must be
    /// equal, not merely a subtype.
    pub exact: bool,
}

/// The kinds of exportable entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExportKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

/// One export.
#[derive(Clone, Debug)]
pub(crate) struct ExportDef {
    pub name: String,
    pub kind: ExportKind,
    pub index: u32,
}

/// A table defined by the module.
#[derive(Clone, Debug)]
pub(crate) struct TableDef {
    pub ty: TableType,
    /// Initial value of every element; `None` means null.
    pub init: Option<ConstExpr>,
}

/// A global defined by the module.
#[derive(Clone, Debug)]
pub(crate) struct GlobalDef {
    pub ty: GlobalType,
    pub init: ConstExpr,
}

/// When and where a segment is copied.
#[derive(Clone, Debug)]
pub(crate) enum SegmentMode {
    Passive,
    /// Copied at instantiation into this table or memory at this offset.
    Active {
        index: u32,
        offset: ConstExpr,
    },
    /// Element segments only: declares functions for `ref.func`, dropped at once.
    Declared,
}

/// An element segment.
#[derive(Clone, Debug)]
pub(crate) struct ElemDef {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
}

/// A data segment.
#[derive(Clone, Debug)]
pub(crate) struct DataDef {
    pub mode: SegmentMode,
    pub bytes: Arc<[u8]>,
}

/// Everything known about a module after compilation.
#[derive(Debug, Default)]
pub(crate) struct ModuleInfo {
    /// Function types by type index; `None` for GC struct/array types.
    pub types: Vec<Option<FuncType>>,
    /// Every type definition by type index (GC structs and arrays too);
    /// `None` for what the engine cannot run.
    pub sub_types: Vec<Option<crate::runtime::gc::type_defs::SubTypeDef>>,
    /// First type index and length of the recursion group of each type.
    pub type_groups: Vec<(u32, u32)>,
    pub imports: Vec<ImportDef>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: usize,
    /// Types of every table, imported ones first.
    pub table_types: Vec<TableType>,
    pub tables: Vec<TableDef>,
    /// Types of every memory, imported ones first.
    pub memory_types: Vec<MemoryType>,
    /// Types of every global, imported ones first.
    pub global_types: Vec<GlobalType>,
    pub globals: Vec<GlobalDef>,
    /// Type index of every tag, imported ones first.
    pub tag_types: Vec<u32>,
    pub exports: Vec<ExportDef>,
    pub start: Option<u32>,
    pub elems: Vec<ElemDef>,
    pub datas: Vec<DataDef>,
    pub customs: Vec<(String, Vec<u8>)>,
}

impl ModuleInfo {
    /// The function type at a type index (the validator has checked it exists).
    pub(crate) fn func_type(&self, type_index: u32) -> Option<&FuncType> {
        self.types.get(type_index as usize).and_then(Option::as_ref)
    }

    /// The type of function `index` (imported or defined).
    pub(crate) fn type_of_func(&self, index: u32) -> Option<&FuncType> {
        self.func_type(*self.funcs.get(index as usize)?)
    }

    /// The external type an import asks for.
    pub(crate) fn import_type(&self, kind: &ImportKind) -> ExternType {
        match kind {
            ImportKind::Func(t) => ExternType::Func(
                self.func_type(*t)
                    .cloned()
                    .unwrap_or_else(|| FuncType::new([], [])),
            ),
            ImportKind::Table(t) => ExternType::Table(*t),
            ImportKind::Memory(m) => ExternType::Memory(*m),
            ImportKind::Global(g) => ExternType::Global(*g),
            ImportKind::Tag(t) => ExternType::Tag(
                self.func_type(*t)
                    .cloned()
                    .unwrap_or_else(|| FuncType::new([], [])),
            ),
        }
    }

    /// The external type of an export.
    pub(crate) fn export_type(&self, export: &ExportDef) -> ExternType {
        let i = export.index as usize;
        match export.kind {
            ExportKind::Func => self.import_type(&ImportKind::Func(self.funcs[i])),
            ExportKind::Table => ExternType::Table(self.table_types[i]),
            ExportKind::Memory => ExternType::Memory(self.memory_types[i]),
            ExportKind::Global => ExternType::Global(self.global_types[i]),
            ExportKind::Tag => self.import_type(&ImportKind::Tag(self.tag_types[i])),
        }
    }
}
