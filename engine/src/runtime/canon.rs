//! Reference types with concrete type indices replaced by the store's
//! canonical type ids, so types written in different modules can be
//! compared when imports are matched (spec "import subtyping").
//!
//! Every unshared hierarchy is covered: `func`, `extern`, `exn` and GC's
//! `any`/`eq`/`i31`/`struct`/`array`/`none`, plus defined types (exact
//! ones too, from custom descriptors), whose subtyping goes through the
//! store's declared supertypes ([`CanonRef::matches_in`]).

use wasmparser::{AbstractHeapType, HeapType, RefType, UnpackedIndex, ValType};

/// The kind of a canonical type, for run-time casts to abstract types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TypeKind {
    Func,
    Struct,
    Array,
}

/// What casts and subtyping need to know of a canonical type (the store
/// keeps one per canonical type id).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TypeInfo {
    /// The declared supertype's canonical id.
    pub supertype: Option<u32>,
    pub kind: TypeKind,
}

/// Whether canonical type `sub` is `sup` or declares it as an ancestor
/// (spec "subtyping" of defined types), given every type's [`TypeInfo`].
pub(crate) fn is_subtype(types: &[TypeInfo], mut sub: u32, sup: u32) -> bool {
    loop {
        if sub == sup {
            return true;
        }
        match types.get(sub as usize).and_then(|t| t.supertype) {
            Some(s) => sub = s,
            None => return false,
        }
    }
}

/// A heap type in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CanonHeap {
    Func,
    NoFunc,
    Extern,
    NoExtern,
    Exn,
    NoExn,
    /// A defined type (function, struct or array), by canonical type id.
    Concrete(u32),
    /// While a recursion group is canonicalised: a type of the same group,
    /// by its position in the group.
    InGroup(u32),
    /// Anything the engine cannot represent yet (never matches but itself).
    Other,
    /// An exact defined type (custom descriptors): that type, no subtype.
    Exact(u32),
    /// [`CanonHeap::InGroup`] made exact.
    ExactInGroup(u32),
    Any,
    Eq,
    I31,
    Struct,
    Array,
    None,
}

/// A reference type in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CanonRef {
    pub nullable: bool,
    pub heap: CanonHeap,
}

/// A value type in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CanonVal {
    Num(ValType),
    Ref(CanonRef),
}

/// Whether a reference of type `rt` is an exception reference.
pub(crate) fn is_exn_hierarchy(rt: RefType) -> bool {
    matches!(
        rt.heap_type(),
        HeapType::Abstract {
            ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
            ..
        }
    )
}

/// Whether a reference of type `rt` is of an abstract type of the `any`
/// hierarchy (GC). Concrete types are resolved by the caller.
pub(crate) fn is_any_hierarchy(rt: RefType) -> bool {
    matches!(
        rt.heap_type(),
        HeapType::Abstract {
            ty: AbstractHeapType::Any
                | AbstractHeapType::Eq
                | AbstractHeapType::I31
                | AbstractHeapType::Struct
                | AbstractHeapType::Array
                | AbstractHeapType::None,
            ..
        }
    )
}

/// Whether a reference of type `rt` lives in the extern hierarchy (its
/// slot holds a host payload) rather than the function hierarchy.
pub(crate) fn is_extern_hierarchy(rt: RefType) -> bool {
    matches!(
        rt.heap_type(),
        HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            ..
        }
    )
}

impl CanonRef {
    /// Canonicalises `rt`, written in a module whose type index `i` has canonical id `type_ids[i]`.
    pub(crate) fn new(rt: RefType, type_ids: &[u32]) -> Self {
        Self::in_group(rt, type_ids, u32::MAX)
    }

    /// Like [`CanonRef::new`] while canonicalising the recursion group that
    /// starts at type index `group_start`: references into the group become
    /// relative (isorecursive type equivalence).
    pub(crate) fn in_group(rt: RefType, type_ids: &[u32], group_start: u32) -> Self {
        let heap = match rt.heap_type() {
            HeapType::Abstract { shared: false, ty } => match ty {
                AbstractHeapType::Func => CanonHeap::Func,
                AbstractHeapType::NoFunc => CanonHeap::NoFunc,
                AbstractHeapType::Extern => CanonHeap::Extern,
                AbstractHeapType::NoExtern => CanonHeap::NoExtern,
                AbstractHeapType::Exn => CanonHeap::Exn,
                AbstractHeapType::NoExn => CanonHeap::NoExn,
                AbstractHeapType::Any => CanonHeap::Any,
                AbstractHeapType::Eq => CanonHeap::Eq,
                AbstractHeapType::I31 => CanonHeap::I31,
                AbstractHeapType::Struct => CanonHeap::Struct,
                AbstractHeapType::Array => CanonHeap::Array,
                AbstractHeapType::None => CanonHeap::None,
                _ => CanonHeap::Other,
            },
            HeapType::Concrete(UnpackedIndex::Module(i)) if i >= group_start => {
                CanonHeap::InGroup(i - group_start)
            }
            HeapType::Concrete(UnpackedIndex::Module(i)) => type_ids
                .get(i as usize)
                .map_or(CanonHeap::Other, |&id| CanonHeap::Concrete(id)),
            HeapType::Exact(UnpackedIndex::Module(i)) if i >= group_start => {
                CanonHeap::ExactInGroup(i - group_start)
            }
            HeapType::Exact(UnpackedIndex::Module(i)) => type_ids
                .get(i as usize)
                .map_or(CanonHeap::Other, |&id| CanonHeap::Exact(id)),
            _ => CanonHeap::Other,
        };
        CanonRef {
            nullable: rt.is_nullable(),
            heap,
        }
    }

    /// Reference subtyping: `self <: other`.
    pub(crate) fn matches(self, other: CanonRef) -> bool {
        use CanonHeap::*;
        let heap = match (self.heap, other.heap) {
            (a, b) if a == b => a != Other,
            (NoFunc, Func | Concrete(_))
            | (Concrete(_), Func)
            | (NoExtern, Extern)
            | (NoExn, Exn) => true,
            _ => false,
        };
        heap && (other.nullable || !self.nullable)
    }
}

impl CanonRef {
    /// Reference subtyping with concrete types resolved through their
    /// declared supertypes (GC; `types` is the store's [`TypeInfo`] by
    /// canonical id): `self <: other`.
    pub(crate) fn matches_in(self, other: CanonRef, types: &[TypeInfo]) -> bool {
        use CanonHeap::*;
        let kind = |id: u32| types.get(id as usize).map(|t| t.kind);
        // An exact type is below its defined type and has no other subtypes.
        let (this, other_heap) = match (self.heap, other.heap) {
            (Exact(a), Exact(b)) => {
                return a == b && (other.nullable || !self.nullable);
            }
            (Exact(a), b) => (Concrete(a), b),
            (NoFunc | None, Exact(b)) => (self.heap, Concrete(b)),
            (_, Exact(_)) => return false,
            (a, b) => (a, b),
        };
        let heap = match (this, other_heap) {
            (a, b) if a == b => a != Other,
            (Concrete(a), Concrete(b)) => is_subtype(types, a, b),
            (Concrete(a), Func) => kind(a) == Some(TypeKind::Func),
            (Concrete(a), Any | Eq) => kind(a).is_some_and(|k| k != TypeKind::Func),
            (Concrete(a), Struct) => kind(a) == Some(TypeKind::Struct),
            (Concrete(a), Array) => kind(a) == Some(TypeKind::Array),
            (NoFunc, Concrete(b)) => kind(b) == Some(TypeKind::Func),
            (None, Concrete(b)) => kind(b).is_some_and(|k| k != TypeKind::Func),
            (None, Any | Eq | I31 | Struct | Array)
            | (I31 | Struct | Array, Any | Eq)
            | (Eq, Any) => true,
            _ => return self.matches(other),
        };
        heap && (other.nullable || !self.nullable)
    }
}

impl CanonVal {
    /// Canonicalises a value type written in a module with the given type ids.
    pub(crate) fn new(ty: ValType, type_ids: &[u32]) -> Self {
        Self::in_group(ty, type_ids, u32::MAX)
    }

    /// See [`CanonRef::in_group`].
    pub(crate) fn in_group(ty: ValType, type_ids: &[u32], group_start: u32) -> Self {
        match ty {
            ValType::Ref(rt) => CanonVal::Ref(CanonRef::in_group(rt, type_ids, group_start)),
            num => CanonVal::Num(num),
        }
    }

    /// Value subtyping with GC types resolved as in [`CanonRef::matches_in`].
    pub(crate) fn matches_in(self, other: CanonVal, types: &[TypeInfo]) -> bool {
        match (self, other) {
            (CanonVal::Ref(a), CanonVal::Ref(b)) => a.matches_in(b, types),
            (a, b) => a == b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(rt: RefType) -> CanonRef {
        CanonRef::new(rt, &[7])
    }

    #[test]
    fn function_hierarchy_subtyping() {
        let func = canon(RefType::FUNCREF);
        let nonnull_func = canon(RefType::FUNC);
        let null = canon(RefType::NULLFUNCREF);
        assert!(nonnull_func.matches(func));
        assert!(!func.matches(nonnull_func));
        assert!(null.matches(func));
        assert!(!canon(RefType::EXTERNREF).matches(func));
        let concrete = CanonRef {
            nullable: false,
            heap: CanonHeap::Concrete(7),
        };
        assert!(concrete.matches(func));
        assert!(!func.matches(concrete));
        assert!(!concrete.matches(CanonRef {
            nullable: true,
            heap: CanonHeap::Concrete(8)
        }));
        let rt = RefType::concrete(true, wasmparser::PackedIndex::from_module_index(0).unwrap());
        assert_eq!(CanonRef::in_group(rt, &[7], 0).heap, CanonHeap::InGroup(0));
        assert_eq!(CanonRef::new(rt, &[7]).heap, CanonHeap::Concrete(7));
    }

    #[test]
    fn gc_subtyping_resolves_through_the_store() {
        use crate::runtime::gc::type_defs::{CompositeDef, SubTypeDef};
        use crate::runtime::store::Store;
        use crate::runtime::types::FuncType;
        let mut store = Store::default();
        let def = |supertype| SubTypeDef {
            is_final: false,
            supertype,
            composite: CompositeDef::Struct {
                fields: vec![],
                slots: 0,
            },
            descriptor: None,
            describes: None,
        };
        let empty = FuncType::new([], []);
        let base = store.intern_sub_type(&[def(None)], 0, &[], 0, empty.clone());
        let sub = store.intern_sub_type(&[def(Some(0))], 0, &[base], 1, empty);
        let r = |heap| CanonRef {
            nullable: false,
            heap,
        };
        let sub_ref = r(CanonHeap::Concrete(sub));
        for sup in [
            CanonHeap::Concrete(base),
            CanonHeap::Struct,
            CanonHeap::Eq,
            CanonHeap::Any,
        ] {
            assert!(sub_ref.matches_in(r(sup), &store.type_info), "{sup:?}");
        }
        assert!(!sub_ref.matches_in(r(CanonHeap::Func), &store.type_info));
        assert!(!sub_ref.matches_in(r(CanonHeap::Array), &store.type_info));
        assert!(!r(CanonHeap::Concrete(base)).matches_in(sub_ref, &store.type_info));
        assert!(r(CanonHeap::None).matches_in(sub_ref, &store.type_info));
        let exact_sub = r(CanonHeap::Exact(sub));
        assert!(exact_sub.matches_in(r(CanonHeap::Concrete(base)), &store.type_info));
        assert!(!exact_sub.matches_in(r(CanonHeap::Exact(base)), &store.type_info));
        assert!(!sub_ref.matches_in(exact_sub, &store.type_info));
    }

    #[test]
    fn extern_hierarchy_is_recognised() {
        assert!(is_extern_hierarchy(RefType::EXTERNREF));
        assert!(is_extern_hierarchy(RefType::NULLEXTERNREF));
        assert!(!is_extern_hierarchy(RefType::FUNCREF));
    }
}
