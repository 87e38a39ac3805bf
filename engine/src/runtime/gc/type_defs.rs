//! GC type definitions (spec 2.3.x "composite types", "recursive types"):
//! a module's view (by type index, with field layouts in slots) and the
//! store's canonical view (the isorecursive identity key of a type).

use wasmparser::{CompositeInnerType, StorageType, SubType, UnpackedIndex};

pub(crate) use crate::runtime::canon::TypeKind;
use crate::runtime::canon::{CanonHeap, CanonVal};
use crate::runtime::types::{slots_of, FuncType, ValType};

/// How a field or array element is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Storage {
    /// Packed 8-bit integer (read as `i32` with `_s`/`_u`).
    I8,
    /// Packed 16-bit integer.
    I16,
    /// An unpacked value.
    Val(ValType),
}

impl Storage {
    fn from_wasmparser(s: StorageType) -> Self {
        match s {
            StorageType::I8 => Storage::I8,
            StorageType::I16 => Storage::I16,
            StorageType::Val(v) => Storage::Val(v),
        }
    }

    /// Slots the field takes in an object and on the operand stack.
    pub(crate) fn slots(self) -> u32 {
        match self {
            Storage::Val(v) => slots_of(v),
            _ => 1,
        }
    }

    /// Bytes per element when read from a data segment (`array.new_data`).
    pub(crate) fn byte_size(self) -> usize {
        match self {
            Storage::I8 => 1,
            Storage::I16 => 2,
            Storage::Val(ValType::I32 | ValType::F32) => 4,
            Storage::Val(ValType::V128) => 16,
            Storage::Val(_) => 8,
        }
    }

    /// Truncates a stack slot to what the field stores (packed fields wrap).
    #[inline]
    pub(crate) fn pack(self, raw: u64) -> u64 {
        match self {
            Storage::I8 => raw & 0xff,
            Storage::I16 => raw & 0xffff,
            Storage::Val(_) => raw,
        }
    }

    /// Reads a stored packed value back as an `i32`, sign- or zero-extended.
    #[inline]
    pub(crate) fn unpack(self, raw: u64, signed: bool) -> u64 {
        match (self, signed) {
            (Storage::I8, true) => raw as u8 as i8 as i32 as u32 as u64,
            (Storage::I16, true) => raw as u16 as i16 as i32 as u32 as u64,
            _ => raw,
        }
    }
}

/// A struct field or array element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldDef {
    pub storage: Storage,
    pub mutable: bool,
    /// Slot offset in the struct (0 for array elements).
    pub offset: u32,
}

/// The composite part of a type definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CompositeDef {
    Func(FuncType),
    Struct {
        fields: Vec<FieldDef>,
        /// Total slots of the fields.
        slots: u32,
    },
    Array(FieldDef),
}

/// A type definition of a module, by type index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SubTypeDef {
    pub is_final: bool,
    /// The declared supertype (module type index), if any.
    pub supertype: Option<u32>,
    pub composite: CompositeDef,
    /// Custom descriptors: the type describing this one, and the type
    /// this one describes (module type indices).
    pub descriptor: Option<u32>,
    pub describes: Option<u32>,
}

impl SubTypeDef {
    /// Converts a wasmparser type; `None` for what the engine cannot run
    /// (shared types, descriptors, continuations).
    pub(crate) fn from_wasmparser(sub: &SubType) -> Option<Self> {
        let ct = &sub.composite_type;
        if ct.shared {
            return None;
        }
        let index = |p: Option<wasmparser::PackedIndex>| match p.map(|p| p.unpack()) {
            None => Ok(None),
            Some(UnpackedIndex::Module(i)) => Ok(Some(i)),
            Some(_) => Err(()),
        };
        let (Ok(descriptor), Ok(describes)) = (index(ct.descriptor_idx), index(ct.describes_idx))
        else {
            return None;
        };
        let field = |f: &wasmparser::FieldType, offset: u32| FieldDef {
            storage: Storage::from_wasmparser(f.element_type),
            mutable: f.mutable,
            offset,
        };
        let composite = match &ct.inner {
            CompositeInnerType::Func(ft) => CompositeDef::Func(FuncType::from_wasmparser(ft)),
            CompositeInnerType::Struct(st) => {
                let mut slots = 0;
                let fields = st
                    .fields
                    .iter()
                    .map(|f| {
                        let def = field(f, slots);
                        slots += def.storage.slots();
                        def
                    })
                    .collect();
                CompositeDef::Struct { fields, slots }
            }
            CompositeInnerType::Array(at) => CompositeDef::Array(field(&at.0, 0)),
            _ => return None,
        };
        let supertype = match sub.supertype_idxs.first() {
            None => None,
            Some(p) => match p.unpack() {
                UnpackedIndex::Module(i) => Some(i),
                _ => return None,
            },
        };
        Some(SubTypeDef {
            is_final: sub.is_final,
            supertype,
            composite,
            descriptor,
            describes,
        })
    }

    /// The value types the definition mentions (for support checks).
    pub(crate) fn val_types(&self) -> Vec<ValType> {
        let of = |f: &FieldDef| match f.storage {
            Storage::Val(v) => Some(v),
            _ => None,
        };
        match &self.composite {
            CompositeDef::Func(ft) => ft.params().iter().chain(ft.results()).copied().collect(),
            CompositeDef::Struct { fields, .. } => fields.iter().filter_map(of).collect(),
            CompositeDef::Array(f) => of(f).into_iter().collect(),
        }
    }
}

/// A storage type in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum CanonStorage {
    I8,
    I16,
    Val(CanonVal),
}

/// A composite type in canonical form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum CanonComposite {
    Func(Vec<CanonVal>, Vec<CanonVal>),
    Struct(Vec<(CanonStorage, bool)>),
    Array(CanonStorage, bool),
}

/// One type of a recursion group in canonical form: the unit of the
/// isorecursive identity key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CanonSub {
    is_final: bool,
    supertype: Option<CanonHeap>,
    composite: CanonComposite,
    descriptor: Option<CanonHeap>,
    describes: Option<CanonHeap>,
}

impl CanonSub {
    /// Canonicalises `def`, a member of the group starting at type index
    /// `group_start`, in a module whose earlier types have ids `type_ids`.
    pub(crate) fn new(def: &SubTypeDef, type_ids: &[u32], group_start: u32) -> Self {
        let val = |t: &ValType| CanonVal::in_group(*t, type_ids, group_start);
        let storage = |f: &FieldDef| match f.storage {
            Storage::I8 => CanonStorage::I8,
            Storage::I16 => CanonStorage::I16,
            Storage::Val(v) => CanonStorage::Val(val(&v)),
        };
        let composite = match &def.composite {
            CompositeDef::Func(ft) => CanonComposite::Func(
                ft.params().iter().map(val).collect(),
                ft.results().iter().map(val).collect(),
            ),
            CompositeDef::Struct { fields, .. } => {
                CanonComposite::Struct(fields.iter().map(|f| (storage(f), f.mutable)).collect())
            }
            CompositeDef::Array(f) => CanonComposite::Array(storage(f), f.mutable),
        };
        let heap = |i: u32| {
            if i >= group_start {
                CanonHeap::InGroup(i - group_start)
            } else {
                type_ids
                    .get(i as usize)
                    .map_or(CanonHeap::Other, |&id| CanonHeap::Concrete(id))
            }
        };
        CanonSub {
            is_final: def.is_final,
            supertype: def.supertype.map(heap),
            composite,
            descriptor: def.descriptor.map(heap),
            describes: def.describes.map(heap),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_fields_wrap_and_extend() {
        assert_eq!(Storage::I8.pack(0x1ff), 0xff);
        assert_eq!(Storage::I8.unpack(0xff, true), 0xffff_ffff);
        assert_eq!(Storage::I8.unpack(0xff, false), 0xff);
        assert_eq!(Storage::I16.unpack(0x8000, true), 0xffff_8000);
        assert_eq!(Storage::Val(ValType::I64).pack(u64::MAX), u64::MAX);
        assert_eq!(Storage::Val(ValType::V128).slots(), 2);
        assert_eq!(Storage::I16.byte_size(), 2);
    }

    #[test]
    fn equal_definitions_canonicalise_equally() {
        let def = |mutable| SubTypeDef {
            is_final: true,
            supertype: None,
            composite: CompositeDef::Array(FieldDef {
                storage: Storage::I8,
                mutable,
                offset: 0,
            }),
            descriptor: None,
            describes: None,
        };
        assert_eq!(
            CanonSub::new(&def(true), &[], 0),
            CanonSub::new(&def(true), &[], 0)
        );
        assert_ne!(
            CanonSub::new(&def(true), &[], 0),
            CanonSub::new(&def(false), &[], 0)
        );
    }
}
