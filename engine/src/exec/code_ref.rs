//! A reference-count-free handle on the running function's code.

use std::ptr::NonNull;

use crate::exec::code::FuncCode;
use crate::runtime::store::FuncBody;

/// Points at the `FuncCode` of a function in the store.
///
/// Calls and returns switch the current code millions of times a second;
/// cloning and dropping the `Arc` each time costs two atomic operations per
/// switch (about a fifth of a call-heavy benchmark). The store keeps every
/// function's `Arc` for as long as the executor runs, so a plain pointer
/// suffices. Lives only inside the executor, never beyond one `invoke`.
#[derive(Clone, Copy)]
pub(crate) struct CodeRef(NonNull<FuncCode>);

impl CodeRef {
    /// # Safety
    /// `code` must hold a `FuncCode` (the only body `api::instantiate`
    /// stores in `Store::funcs`) and stay alive (not be dropped) for as long
    /// as the returned handle is dereferenced. The executor only builds
    /// handles from the bodies of `Store::funcs`, which no instruction
    /// removes or replaces (host functions get no access to the store)
    /// while it runs.
    #[inline(always)]
    pub(crate) unsafe fn new(code: &FuncBody) -> Self {
        debug_assert!(code.is::<FuncCode>(), "a function body is a FuncCode");
        CodeRef(code.as_ptr().cast())
    }

    /// # Safety
    /// As for [`CodeRef::new`]: `code` points at a live `FuncCode` that
    /// stays alive while the handle is dereferenced.
    #[inline(always)]
    pub(crate) unsafe fn from_ptr(code: NonNull<FuncCode>) -> Self {
        CodeRef(code)
    }
}

impl std::ops::Deref for CodeRef {
    type Target = FuncCode;

    #[inline(always)]
    fn deref(&self) -> &FuncCode {
        // SAFETY: see `new`: the pointee is alive while the executor runs,
        // and a `FuncCode` is never mutated after translation.
        unsafe { self.0.as_ref() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Arc;

    #[test]
    fn a_handle_reads_the_code_it_was_made_from() {
        let code = Arc::new(FuncCode {
            param_slots: 2,
            local_slots: 3,
            ..FuncCode::default()
        });
        let body = FuncBody::new(code.clone());
        // SAFETY: `body` holds a `FuncCode` and outlives `handle`.
        let handle = unsafe { CodeRef::new(&body) };
        let copy = handle;
        assert_eq!(copy.param_slots, 2);
        assert_eq!(handle.local_slots, 3);
        assert!(std::ptr::eq(&*handle, &*code));
    }
}
