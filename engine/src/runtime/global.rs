//! Global instances (spec 4.2.10).

use super::canon::CanonVal;
use super::types::GlobalType;

/// A global's type and current value (128 bits wide so `v128` fits).
#[derive(Clone, Debug)]
pub(crate) struct GlobalInst {
    pub ty: GlobalType,
    /// The content type with concrete types canonicalised, for import matching.
    pub canon: CanonVal,
    pub value: u128,
}
