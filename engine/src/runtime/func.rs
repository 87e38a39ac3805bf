//! Function instances (spec 4.2.6): wasm functions bound to their
//! instance, and host functions.

use std::rc::Rc;
use std::sync::Arc;

use super::store::Store;
use super::types::FuncType;
use super::value::Val;
use crate::api::error::RuntimeError;
use crate::exec::code::FuncCode;

/// A host function's implementation: takes the arguments, returns the results.
/// Shareable across threads; it sees nothing of its caller.
pub type HostFn = dyn Fn(&[Val]) -> Result<Vec<Val>, RuntimeError> + Send + Sync;

/// A store-local host function: it receives the [`Caller`] (the store and
/// the calling instance), so it can read the caller's memory and call back
/// into wasm, and it need not be `Send` (a closure over a JS engine's
/// values). It lives and runs only in the store that created it.
pub type LocalHostFn = dyn Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>, RuntimeError>;

/// What a store-local host function sees of its call: the store (to read
/// or write memories, tables and globals, or to call functions, which runs
/// wasm re-entrantly) and the instance whose code made the call.
pub struct Caller<'s> {
    pub(crate) store: &'s mut Store,
    pub(crate) instance: Option<u32>,
}

impl Caller<'_> {
    /// The store the call runs in.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// The calling instance; `None` when the embedder called the function
    /// directly.
    pub fn instance(&self) -> Option<crate::Instance> {
        self.instance.map(crate::Instance)
    }
}

/// The two kinds of host implementation.
#[derive(Clone)]
pub(crate) enum HostImpl {
    Shared(Arc<HostFn>),
    Local(Rc<LocalHostFn>),
}

/// A function in the store.
pub(crate) enum FuncInst {
    /// Defined by a module; runs in its own instance wherever it is called from.
    Wasm {
        type_id: u32,
        instance: u32,
        code: Arc<FuncCode>,
    },
    /// Provided by the embedder.
    Host { type_id: u32, func: HostImpl },
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
            func: HostImpl::Shared(Arc::new(f)),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// Wraps a store-local closure (see [`LocalHostFn`]) as a function of
    /// type `ty`. An [`Err`] carrying an exception
    /// ([`RuntimeError::throw`]) is thrown into the calling wasm code, where
    /// handlers can catch it.
    ///
    /// ```
    /// use touchstone_engine::{Func, FuncType, Store, Val, ValType};
    /// use std::rc::Rc;
    /// let mut store = Store::default();
    /// let seen = Rc::new(std::cell::Cell::new(0));
    /// let s = seen.clone();
    /// let f = Func::new_local(&mut store, FuncType::new([ValType::I32], []), move |caller, args| {
    ///     assert!(caller.instance().is_none());
    ///     let Val::I32(x) = args[0] else { unreachable!() };
    ///     s.set(x);
    ///     Ok(vec![])
    /// });
    /// f.call(&mut store, &[Val::I32(7)]).unwrap();
    /// assert_eq!(seen.get(), 7);
    /// ```
    pub fn new_local(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>, RuntimeError> + 'static,
    ) -> Func {
        let type_id = store.intern_type(&ty);
        store.funcs.push(FuncInst::Host {
            type_id,
            func: HostImpl::Local(Rc::new(f)),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// Whether the function is a host function (not defined by a module).
    pub fn is_host(&self, store: &Store) -> bool {
        matches!(store.funcs[self.0 as usize], FuncInst::Host { .. })
    }

    /// The store address, a stable identity of the function within its
    /// store (equal handles have equal addresses).
    pub fn address(&self) -> u32 {
        self.0
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
        Ok(super::value::read_slots(&results, ty.results()))
    }
}
