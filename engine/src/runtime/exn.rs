//! Exception instances (spec 4.2.x "exception instances"): a tag and its
//! payload, created by `throw` and referenced by `exnref` values.

/// A thrown exception: the store address of its tag and the payload slots.
#[derive(Clone, Debug)]
pub(crate) struct ExnInst {
    pub tag: u32,
    pub payload: Vec<u64>,
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
