//! Tag instances (spec 4.2.11): exception tags.

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
