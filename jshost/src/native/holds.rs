//! Engine references JS holds: every struct, array or exception the engine
//! hands to JS is pinned once in the store (`touchstone_engine::Store::pin`
//! rules: a call's results, a global or table read, a host function's
//! arguments, an exception's payload or escape, `Exn::new`). Its raw form
//! carries a [`Hold`], a JS object owning that one pin: when QuickJS frees
//! the hold, the pin is queued and released the next time JS enters the
//! native side (a finalizer may run while the store is borrowed, so it
//! never touches the store itself).
//!
//! The prelude keeps one wrapper per reference (the JS API's identity
//! rule) and keeps the raw form, hold included, as long as that wrapper
//! lives; a duplicate hand-out's raw form is simply dropped, which
//! releases its pin. Which wrappers may die is decided in the prelude with
//! `Store::held_only_by_host` (op `hostOnly`).

use std::cell::RefCell;
use std::rc::Rc;

use rquickjs::{Class, Ctx, Object, Value};
use touchstone_engine::{AnyRef, Exn, Store, Val};

use super::JsResult;

/// Pins whose holds QuickJS freed, not yet released in the store.
#[derive(Clone, Default)]
pub(crate) struct Dropped(Rc<RefCell<Vec<Val>>>);

impl Dropped {
    /// Releases every queued pin. Called with the store at hand, never
    /// from a finalizer.
    pub(crate) fn release_in(&self, store: &mut Store) {
        let queued = std::mem::take(&mut *self.0.borrow_mut());
        for v in &queued {
            store.release(v);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// One pin of one engine reference, owned by a JS object.
struct Hold {
    value: Val,
    dropped: Dropped,
}

impl Drop for Hold {
    fn drop(&mut self) {
        // Only queued: QuickJS may free this in the middle of engine work.
        self.dropped.0.borrow_mut().push(self.value);
    }
}

super::opaque_class!(Hold);

/// The raw form of a pinned struct, array or exception: `{struct: n}`,
/// `{array: n}` or `{exn: address}`, with the `hold` owning the pin.
pub(crate) fn held_raw<'js>(ctx: &Ctx<'js>, dropped: &Dropped, value: Val) -> JsResult<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    match value {
        Val::AnyRef(Some(AnyRef::Struct(n))) | Val::ExternGc(AnyRef::Struct(n)) => {
            o.set("struct", n)?
        }
        Val::AnyRef(Some(AnyRef::Array(n))) | Val::ExternGc(AnyRef::Array(n)) => {
            o.set("array", n)?
        }
        Val::ExnRef(Some(exn)) => o.set("exn", exn.address())?,
        _ => unreachable!("only structs, arrays and exceptions are pinned"),
    }
    let hold = Hold {
        value,
        dropped: dropped.clone(),
    };
    o.set("hold", Class::instance(ctx.clone(), hold)?)?;
    Ok(o.into_value())
}

/// The raw form of an exception the host was handed (pinned once).
pub(crate) fn held_exn<'js>(ctx: &Ctx<'js>, dropped: &Dropped, exn: Exn) -> JsResult<Value<'js>> {
    held_raw(ctx, dropped, Val::ExnRef(Some(exn)))
}

/// `hostOnly`: the keys (`"struct:n"`, `"array:n"`, exception addresses)
/// of the pinned references wasm cannot reach, or null while wasm runs.
pub(crate) fn host_only<'js>(ctx: &Ctx<'js>, store: &Store) -> JsResult<Value<'js>> {
    let Some(list) = store.held_only_by_host() else {
        return Ok(Value::new_null(ctx.clone()));
    };
    let (mut gc, mut exns) = (Vec::new(), Vec::new());
    for v in list {
        match v {
            Val::AnyRef(Some(AnyRef::Struct(n))) => gc.push(format!("struct:{n}")),
            Val::AnyRef(Some(AnyRef::Array(n))) => gc.push(format!("array:{n}")),
            Val::ExnRef(Some(e)) => exns.push(e.address()),
            _ => {}
        }
    }
    let o = Object::new(ctx.clone())?;
    o.set("gc", gc)?;
    o.set("exn", exns)?;
    // What the check cost: the prelude spaces its checks by it.
    o.set("slots", store.heap_stats().slots as f64)?;
    Ok(o.into_value())
}
