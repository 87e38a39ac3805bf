//! Values the embedder hands in, checked against the store.

use crate::runtime::gc::heap::AnyRef;
use crate::runtime::gc::types::TypeKind;
use crate::runtime::store::Store;
use crate::runtime::value::Val;

impl Val {
    /// Whether a GC reference names a live object of its kind in `store`
    /// (an embedder could make up a handle); other values always are.
    pub(crate) fn is_valid_in(&self, store: &Store) -> bool {
        let (index, kind) = match self {
            Val::AnyRef(Some(AnyRef::Struct(i))) | Val::ExternGc(AnyRef::Struct(i)) => {
                (*i, TypeKind::Struct)
            }
            Val::AnyRef(Some(AnyRef::Array(i))) | Val::ExternGc(AnyRef::Array(i)) => {
                (*i, TypeKind::Array)
            }
            _ => return true,
        };
        store
            .heap
            .objects
            .get(index as usize)
            .is_some_and(|o| !o.is_free() && store.type_info[o.type_id as usize].kind == kind)
    }
}
