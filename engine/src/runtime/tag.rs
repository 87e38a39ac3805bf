//! Tag instances (spec 4.2.11): exception tags.

/// A tag: an identity with the type of its exception's payload.
#[derive(Clone, Debug)]
pub(crate) struct TagInst {
    pub type_id: u32,
}
