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

/// A global handle (like `WebAssembly.Global`).
///
/// ```
/// use touchstone_engine::{Global, GlobalType, Store, Val, ValType};
/// let mut store = Store::default();
/// let g = Global::new(&mut store, GlobalType::new(ValType::I64, true), Val::I64(1)).unwrap();
/// g.set(&mut store, Val::I64(2)).unwrap();
/// assert_eq!(g.get(&store), Val::I64(2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);
