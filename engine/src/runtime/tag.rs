//! Tag instances (spec 4.2.11): exception tags. Tags can be defined,
//! imported and exported; throwing and catching are not implemented yet.

use super::store::Store;
use super::types::FuncType;

/// A tag: an identity with the type of its exception's payload.
#[derive(Clone, Debug)]
pub(crate) struct TagInst {
    pub type_id: u32,
}

/// A tag handle (like `WebAssembly.Tag`).
///
/// ```
/// use touchstone_engine::{FuncType, Store, Tag, ValType};
/// let mut store = Store::default();
/// let tag = Tag::new(&mut store, FuncType::new([ValType::I32], []));
/// assert_eq!(tag.ty(&store).params(), &[ValType::I32]);
/// assert_ne!(tag, Tag::new(&mut store, FuncType::new([ValType::I32], [])));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag(pub(crate) u32);

impl Tag {
    /// Creates a fresh tag (distinct from every other, even of the same type).
    pub fn new(store: &mut Store, ty: FuncType) -> Tag {
        let type_id = store.intern_type(&ty);
        store.tags.push(TagInst { type_id });
        Tag(store.tags.len() as u32 - 1)
    }

    /// The payload type.
    pub fn ty(&self, store: &Store) -> FuncType {
        store.types[store.tags[self.0 as usize].type_id as usize].clone()
    }
}
