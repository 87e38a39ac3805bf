//! `WebAssembly.Tag` and `WebAssembly.Exception`: tags and the exceptions
//! the embedder creates and inspects.

use crate::error::RuntimeError;
use crate::runtime::exn::{Exn, ExnInst};
use crate::runtime::store::Store;
use crate::runtime::tag::{Tag, TagInst};
use crate::runtime::types::FuncType;
use crate::runtime::value::{push_slots, read_slots, Val};

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

impl Exn {
    /// Creates an exception of `tag` with `payload` (of the tag's
    /// parameter types), ready to be thrown with
    /// [`RuntimeError::throw`].
    ///
    /// ```
    /// use touchstone_engine::{Exn, FuncType, Store, Tag, Val, ValType};
    /// let mut store = Store::default();
    /// let tag = Tag::new(&mut store, FuncType::new([ValType::I32], []));
    /// let exn = Exn::new(&mut store, tag, &[Val::I32(7)]).unwrap();
    /// assert_eq!(exn.tag(&store), tag);
    /// assert_eq!(exn.payload(&store), vec![Val::I32(7)]);
    /// assert!(Exn::new(&mut store, tag, &[]).is_err());
    /// ```
    pub fn new(store: &mut Store, tag: Tag, payload: &[Val]) -> Result<Exn, RuntimeError> {
        let ty = tag.ty(store);
        if payload.len() != ty.params().len()
            || !payload
                .iter()
                .zip(ty.params())
                .all(|(v, t)| v.matches(*t) && v.is_valid_in(store))
        {
            return Err(RuntimeError::host("payload does not match the tag's type"));
        }
        let mut slots = Vec::new();
        push_slots(payload, &mut slots);
        let exn = store.alloc_exn(ExnInst::new(tag.0, slots));
        // The embedder holds it from now on: a root for the collector.
        store.exns[exn as usize].pinned.set(true);
        Ok(Exn(exn))
    }

    /// The store address: a stable identity of the exception in its store.
    pub fn address(&self) -> u32 {
        self.0
    }

    /// The exception at store address `address`, as returned by
    /// [`Exn::address`]; the embedder keeps it valid (`Exn` handles of
    /// other addresses name nothing, and using them panics).
    pub fn from_address(address: u32) -> Exn {
        Exn(address)
    }

    /// The exception's tag.
    pub fn tag(&self, store: &Store) -> Tag {
        Tag(store.exns[self.0 as usize].tag)
    }

    /// The payload values.
    pub fn payload(&self, store: &Store) -> Vec<Val> {
        let e = &store.exns[self.0 as usize];
        let ty = Tag(e.tag).ty(store);
        read_slots(&e.payload, ty.params())
    }
}
