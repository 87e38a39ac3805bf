//! Function instances (spec 4.2.6): wasm functions bound to their
//! instance, and host functions. They live in the store's module because a
//! store-local host function receives the store itself (through
//! [`Caller`]): the two types contain each other.

use std::any::Any;
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::Arc;

use super::Store;
use crate::error::RuntimeError;
use crate::runtime::value::Val;

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
        code: FuncBody,
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

/// The translated body of a wasm function. Its type (the interpreter's code
/// form) belongs to `exec`, a layer above the store: the store only keeps
/// the body alive and hands out its address, which the interpreter reads as
/// the type it made (`exec::code_ref::CodeRef`).
pub(crate) struct FuncBody {
    /// The body's address inside `owner` (read on every call: one load).
    ptr: NonNull<()>,
    /// Keeps the body alive.
    owner: Arc<dyn Any + Send + Sync>,
}

impl FuncBody {
    /// Holds `body`.
    pub(crate) fn new<T: Any + Send + Sync>(body: Arc<T>) -> Self {
        FuncBody {
            ptr: NonNull::from(&*body).cast(),
            owner: body,
        }
    }

    /// The body's address: valid while this `FuncBody` lives.
    #[inline(always)]
    pub(crate) fn as_ptr(&self) -> NonNull<()> {
        self.ptr
    }

    /// Whether the body is a `T`.
    pub(crate) fn is<T: Any>(&self) -> bool {
        self.owner.is::<T>()
    }
}

impl std::fmt::Debug for FuncBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("FuncBody").field(&self.ptr).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_keeps_its_value_and_address() {
        let body = Arc::new(41u64);
        let held = FuncBody::new(body.clone());
        drop(body);
        assert!(held.is::<u64>() && !held.is::<u32>());
        // SAFETY: `held` keeps the `u64` alive and it is never written.
        assert_eq!(unsafe { *held.as_ptr().cast::<u64>().as_ref() }, 41);
    }
}
