//! Function instances (spec 4.2.6): wasm functions bound to their
//! instance, and host functions.

use std::sync::Arc;

use super::store::Store;
use super::types::FuncType;
use super::value::Val;
use crate::api::error::RuntimeError;
use crate::exec::code::FuncCode;

/// A host function's implementation: takes the arguments, returns the results.
pub type HostFn = dyn Fn(&[Val]) -> Result<Vec<Val>, RuntimeError> + Send + Sync;

/// A function in the store.
pub(crate) enum FuncInst {
    /// Defined by a module; runs in its own instance wherever it is called from.
    Wasm {
        type_id: u32,
        instance: u32,
        code: Arc<FuncCode>,
    },
    /// Provided by the embedder.
    Host { type_id: u32, func: Arc<HostFn> },
}

impl FuncInst {
    /// The canonical type id.
    pub(crate) fn type_id(&self) -> u32 {
        match self {
            FuncInst::Wasm { type_id, .. } | FuncInst::Host { type_id, .. } => *type_id,
        }
    }
}

/// A function handle (like a JS exported function or host function).
///
/// ```
/// use touchstone_engine::{Func, FuncType, Store, Val, ValType};
/// let mut store = Store::default();
/// let double = Func::new_host(&mut store, FuncType::new([ValType::I32], [ValType::I32]), |args| {
///     let Val::I32(x) = args[0] else { unreachable!() };
///     Ok(vec![Val::I32(x * 2)])
/// });
/// assert_eq!(double.call(&mut store, &[Val::I32(21)]).unwrap(), vec![Val::I32(42)]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);

impl Func {
    /// Wraps a Rust closure as a function of type `ty`.
    pub fn new_host(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&[Val]) -> Result<Vec<Val>, RuntimeError> + Send + Sync + 'static,
    ) -> Func {
        let type_id = store.intern_type(&ty);
        store.funcs.push(FuncInst::Host {
            type_id,
            func: Arc::new(f),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// The function's type.
    pub fn ty(&self, store: &Store) -> FuncType {
        store.types[store.funcs[self.0 as usize].type_id() as usize].clone()
    }

    /// Calls the function. Arguments must match its parameter types.
    pub fn call(&self, store: &mut Store, args: &[Val]) -> Result<Vec<Val>, RuntimeError> {
        let ty = self.ty(store);
        if args.len() != ty.params().len()
            || !args
                .iter()
                .zip(ty.params())
                .all(|(a, t)| a.matches(*t) && a.is_valid_in(store))
        {
            return Err(RuntimeError::host(
                "argument types do not match the function type",
            ));
        }
        let mut raw = Vec::with_capacity(args.len());
        super::value::push_slots(args, &mut raw);
        let results = crate::exec::interp::invoke(store, self.0, &raw)?;
        let results = super::value::read_slots(&results, ty.results());
        // The host keeps the results: they stay valid (see `gc::collect`).
        results.iter().for_each(|r| store.pin(r));
        Ok(results)
    }
}
