//! A reference-count-free handle on the running function's code.

use std::ptr::NonNull;

use crate::exec::code::FuncCode;
use crate::ir::CodeLink;
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

    /// The callee an [`Instr::CallInternal`] of the running code was linked
    /// to; `None` when it was not (the caller then finds it by index).
    ///
    /// # Safety
    /// `link` must come from an op of code the executor is running. Then
    /// it is null or was made by `exec::code::link_calls` from the `Arc`
    /// of a function of the same module, and it is alive: instantiation
    /// gives every instance a `FuncInst` holding each of its module's
    /// functions' `Arc`s, and the store keeps the running instance's
    /// (the caller's) while the executor runs.
    ///
    /// [`Instr::CallInternal`]: crate::ir::Instr::CallInternal
    #[inline(always)]
    pub(crate) unsafe fn linked(link: CodeLink) -> Option<Self> {
        NonNull::new(link.addr().cast_mut().cast::<FuncCode>()).map(CodeRef)
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

    #[test]
    fn a_link_reads_the_code_it_names_and_no_link_reads_none() {
        let code = Arc::new(FuncCode {
            param_slots: 5,
            ..FuncCode::default()
        });
        // SAFETY: a null link names nothing to read.
        assert!(unsafe { CodeRef::linked(CodeLink::NONE) }.is_none());
        // SAFETY: `code` is alive while the handle is used.
        let handle = unsafe { CodeRef::linked(CodeLink::to(Arc::as_ptr(&code))) }.unwrap();
        assert_eq!(handle.param_slots, 5);
        assert!(std::ptr::eq(&*handle, &*code));
    }
}
