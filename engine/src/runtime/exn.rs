//! Exception instances (spec 4.2.x "exception instances"): a tag and its
//! payload, created by `throw` (or by the embedder, `new
//! WebAssembly.Exception`) and referenced by `exnref` values.

use super::store::Store;
use super::tag::Tag;
use super::value::{push_slots, read_slots, Val};
use crate::error::RuntimeError;

/// A thrown exception: the store address of its tag and the payload slots.
#[derive(Clone, Debug)]
pub(crate) struct ExnInst {
    pub tag: u32,
    pub payload: Vec<u64>,
    /// How many `exnref`s to it the host holds (see `Store::release`): a
    /// root while above zero.
    pub pinned: std::cell::Cell<u32>,
}

impl ExnInst {
    /// `tag` of a freed exception slot.
    pub(crate) const FREE: u32 = u32::MAX;

    /// A new (unpinned) exception.
    pub(crate) fn new(tag: u32, payload: Vec<u64>) -> Self {
        ExnInst {
            tag,
            payload,
            pinned: std::cell::Cell::new(0),
        }
    }

    /// Whether this slot is free (its exception was collected).
    pub(crate) fn is_free(&self) -> bool {
        self.tag == Self::FREE
    }
}

/// An exception handle (the payload of a non-null `exnref`).
///
/// ```
/// use touchstone_engine::{Exn, Val};
/// assert_eq!(Val::ExnRef(None).ty(), touchstone_engine::ValType::EXNREF);
/// let _unused: Option<Exn> = None;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exn(pub(crate) u32);

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
        store.pin(&Val::ExnRef(Some(Exn(exn))));
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
