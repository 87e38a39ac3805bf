//! `SharedArrayBuffer` storage for QuickJS. Without these allocator hooks
//! QuickJS refuses growable shared buffers, which the JS API tests pass as
//! byte sources ([AllowShared] BufferSource). A block is a 16-byte header
//! (total size, reference count) followed by the bytes QuickJS sees.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ffi::c_void;

use rquickjs::qjs;

const HEADER: usize = 16;

fn layout(total: usize) -> Option<Layout> {
    Layout::from_size_align(total, HEADER).ok()
}

unsafe extern "C" fn sab_alloc(_opaque: *mut c_void, size: qjs::size_t) -> *mut c_void {
    let Some(l) = usize::try_from(size)
        .ok()
        .and_then(|s| s.checked_add(HEADER))
        .and_then(layout)
    else {
        return std::ptr::null_mut();
    };
    // SAFETY: `l` has a non-zero size (at least the header).
    let base = unsafe { alloc_zeroed(l) };
    if base.is_null() {
        return base.cast();
    }
    // SAFETY: `base` is a fresh block of at least HEADER bytes, aligned to 16.
    unsafe {
        base.cast::<usize>().write(l.size());
        base.cast::<usize>().add(1).write(1);
        base.add(HEADER).cast()
    }
}

/// The header of a block handed out by `sab_alloc`.
///
/// # Safety
/// `ptr` must come from `sab_alloc` and not be freed yet.
unsafe fn header(ptr: *mut c_void) -> *mut usize {
    // SAFETY: by the contract, the header sits HEADER bytes before `ptr`.
    unsafe { ptr.cast::<u8>().sub(HEADER).cast() }
}

unsafe extern "C" fn sab_dup(_opaque: *mut c_void, ptr: *mut c_void) {
    // SAFETY: QuickJS passes pointers from `sab_alloc` that are still live;
    // a runtime is used from one thread, so plain updates suffice.
    unsafe {
        let h = header(ptr);
        *h.add(1) += 1;
    }
}

unsafe extern "C" fn sab_free(_opaque: *mut c_void, ptr: *mut c_void) {
    // SAFETY: as in `sab_dup`; the block is freed with the layout it was
    // allocated with once its last reference goes.
    unsafe {
        let h = header(ptr);
        *h.add(1) -= 1;
        if *h.add(1) == 0 {
            let l = layout(*h).expect("valid when allocated");
            dealloc(h.cast(), l);
        }
    }
}

/// Installs the hooks on the runtime of `ctx`.
pub(crate) fn install(ctx: &rquickjs::Ctx<'_>) {
    let functions = qjs::JSSharedArrayBufferFunctions {
        sab_alloc: Some(sab_alloc),
        sab_free: Some(sab_free),
        sab_dup: Some(sab_dup),
        sab_opaque: std::ptr::null_mut(),
    };
    // SAFETY: `ctx` is a live context; QuickJS copies the table.
    unsafe {
        let rt = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
        qjs::JS_SetSharedArrayBufferFunctions(rt, &functions);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn growable_shared_buffers_work() {
        let host = crate::JsHost::new(crate::Options::default()).unwrap();
        let out = host
            .eval_to_string(
                "const b = new SharedArrayBuffer(2, { maxByteLength: 8 }); \
                 new Uint8Array(b)[1] = 7; b.grow(8); \
                 const c = b.slice(0); \
                 `${b.byteLength} ${new Uint8Array(b)[1]} ${c.byteLength}`",
            )
            .unwrap();
        assert_eq!(out, "8 7 8");
    }
}
