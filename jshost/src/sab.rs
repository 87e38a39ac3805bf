//! `SharedArrayBuffer` storage for QuickJS. Without these allocator hooks
//! QuickJS refuses growable shared buffers, which the JS API tests pass as
//! byte sources ([AllowShared] BufferSource). A block is a 16-byte header
//! (total size, reference count) followed by the bytes QuickJS sees.
//!
//! A shared memory's `buffer` is a `SharedArrayBuffer` over the engine's
//! bytes ([`foreign`]): QuickJS hands those to the same hooks, which know
//! them by address and leave them alone (the engine owns them, and a
//! shared memory never moves; the store outlives the runtime).

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::RefCell;
use std::collections::HashMap;
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

thread_local! {
    /// Engine bytes shown as `SharedArrayBuffer`s, by address: how many
    /// buffers of this thread's runtimes refer to them.
    static FOREIGN: RefCell<HashMap<usize, usize>> = RefCell::new(HashMap::new());
}

/// Counts one more (`Some(true)`) or one fewer (`Some(false)`) reference to
/// foreign bytes; `false` when `ptr` is not foreign (a block of ours).
fn foreign_ref(ptr: *mut c_void, more: bool) -> bool {
    FOREIGN.with(|f| {
        let mut f = f.borrow_mut();
        let Some(count) = f.get_mut(&(ptr as usize)) else {
            return false;
        };
        if more {
            *count += 1;
        } else {
            *count -= 1;
            if *count == 0 {
                f.remove(&(ptr as usize));
            }
        }
        true
    })
}

/// A fixed-length `SharedArrayBuffer` over `len` engine bytes at `ptr`
/// (a shared memory's), without copying. The bytes must stay allocated
/// and in place for as long as the runtime of `ctx` lives.
pub(crate) fn foreign<'js>(
    ctx: &rquickjs::Ctx<'js>,
    ptr: *mut u8,
    len: usize,
) -> rquickjs::Result<rquickjs::Value<'js>> {
    // Registered at zero: QuickJS takes its reference through `sab_dup`.
    FOREIGN.with(|f| {
        f.borrow_mut().entry(ptr as usize).or_insert(0);
    });
    // SAFETY: `ctx` is live; QuickJS keeps `ptr` as the buffer's data and,
    // the buffer being shared, releases it through `sab_free`, which leaves
    // foreign bytes alone; a zero `max_len` makes the buffer fixed-length,
    // so QuickJS never reallocates it.
    let raw = unsafe {
        qjs::JS_NewArrayBuffer(
            ctx.as_raw().as_ptr(),
            ptr,
            len as qjs::size_t,
            0,
            None,
            std::ptr::null_mut(),
            true,
        )
    };
    // SAFETY: reads the tag of a value just returned.
    if unsafe { qjs::JS_VALUE_GET_TAG(raw) } == qjs::JS_TAG_EXCEPTION {
        FOREIGN.with(|f| {
            let mut f = f.borrow_mut();
            if f.get(&(ptr as usize)) == Some(&0) {
                f.remove(&(ptr as usize));
            }
        });
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: `raw` is a new, owned value of this context.
    Ok(unsafe { rquickjs::Value::from_raw(ctx.clone(), raw) })
}

unsafe extern "C" fn sab_dup(_opaque: *mut c_void, ptr: *mut c_void) {
    if foreign_ref(ptr, true) {
        return;
    }
    // SAFETY: QuickJS passes pointers from `sab_alloc` that are still live;
    // a runtime is used from one thread, so plain updates suffice.
    unsafe {
        let h = header(ptr);
        *h.add(1) += 1;
    }
}

unsafe extern "C" fn sab_free(_opaque: *mut c_void, ptr: *mut c_void) {
    if foreign_ref(ptr, false) {
        return;
    }
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

    #[test]
    fn a_shared_memory_buffer_is_a_shared_array_buffer_over_its_bytes() {
        let host = crate::JsHost::new(crate::Options::default()).unwrap();
        let out = host
            .eval_to_string(
                "const m = new WebAssembly.Memory({ initial: 1, maximum: 3, shared: true }); \
                 const a = m.buffer; new Uint8Array(a)[5] = 9; m.grow(1); \
                 const b = m.buffer; new Uint8Array(b)[0x10000] = 4; \
                 [a instanceof SharedArrayBuffer, Object.isFrozen(a), a.byteLength, b.byteLength, \
                  new Uint8Array(b)[5], a === b, m.buffer === b].join()",
            )
            .unwrap();
        assert_eq!(out, "true,true,65536,131072,9,false,true");
        // The buffers die with the runtime; the engine's bytes with the store.
        drop(host);
        assert!(super::FOREIGN.with(|f| f.borrow().is_empty()));
    }
}
