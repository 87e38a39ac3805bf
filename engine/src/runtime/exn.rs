//! Exception instances (spec 4.2.x "exception instances"): a tag and its
//! payload, created by `throw` (or by the embedder, `new
//! WebAssembly.Exception`) and referenced by `exnref` values.

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
