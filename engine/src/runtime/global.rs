//! Global instances (spec 4.2.10).

use super::canon::CanonVal;
use super::store::Store;
use super::types::GlobalType;
use super::value::Val;
use crate::error::RuntimeError;

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

impl Global {
    /// Creates a global holding `value`, which must be of the global's type.
    pub fn new(store: &mut Store, ty: GlobalType, value: Val) -> Result<Global, RuntimeError> {
        if !value.matches(ty.content) || !value.is_valid_in(store) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        store.globals.push(GlobalInst {
            ty,
            canon: CanonVal::new(ty.content, &[]),
            value: value.to_raw128(),
        });
        Ok(Global(store.globals.len() as u32 - 1))
    }

    /// The global's type.
    pub fn ty(&self, store: &Store) -> GlobalType {
        store.globals[self.0 as usize].ty
    }

    /// The current value.
    pub fn get(&self, store: &Store) -> Val {
        let g = &store.globals[self.0 as usize];
        let value = Val::from_raw128(g.value, g.ty.content);
        store.pin(&value);
        value
    }

    /// Sets the value of a mutable global.
    pub fn set(&self, store: &mut Store, value: Val) -> Result<(), RuntimeError> {
        if !value.is_valid_in(store) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        if let CanonVal::Ref(want) = store.globals[self.0 as usize].canon {
            if !value.fits_concrete(store, want) {
                return Err(RuntimeError::host("global value does not match its type"));
            }
        }
        let g = &mut store.globals[self.0 as usize];
        if !g.ty.mutable {
            return Err(RuntimeError::host("global is immutable"));
        }
        if !value.matches(g.ty.content) {
            return Err(RuntimeError::host("global value does not match its type"));
        }
        g.value = value.to_raw128();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ValType;

    #[test]
    fn immutable_globals_refuse_writes() {
        let mut store = Store::default();
        let g = Global::new(
            &mut store,
            GlobalType::new(ValType::F32, false),
            Val::F32(7),
        )
        .unwrap();
        assert!(g.set(&mut store, Val::F32(8)).is_err());
        assert_eq!(g.get(&store), Val::F32(7));
    }

    #[test]
    fn wrong_type_is_refused() {
        let mut store = Store::default();
        assert!(Global::new(&mut store, GlobalType::new(ValType::I32, true), Val::I64(0)).is_err());
    }
}
