//! Values between the seam's form and wasmtime's.
//!
//! Host references (`ref.extern N`, `ref.host N`) become `externref`s
//! carrying `N`; a `ref.host` is that externref internalised into the `any`
//! hierarchy, so both come back out with their number.

use wasmtime::{AnyRef, AsContextMut, ExternRef, Rooted, Val, ValType, I31};

use crate::engine::{EngineError, ErrorKind, NullKind, Ref, Value};

/// A seam value as wasmtime's, for a parameter of type `ty` (which decides
/// what a null is).
pub fn to_wasmtime(
    mut store: impl AsContextMut,
    v: &Value,
    ty: &ValType,
) -> Result<Val, EngineError> {
    let gc = |e: wasmtime::Error| EngineError::new(ErrorKind::Exhaustion, format!("{e:#}"));
    Ok(match v {
        Value::I32(x) => Val::I32(*x),
        Value::I64(x) => Val::I64(*x),
        Value::F32(bits) => Val::F32(*bits),
        Value::F64(bits) => Val::F64(*bits),
        Value::V128(bits) => Val::V128((*bits).into()),
        Value::Ref(Ref::Null(_)) => match ty.as_ref() {
            Some(r) => Val::null_ref(r.heap_type()),
            None => {
                return Err(EngineError::new(
                    ErrorKind::Other,
                    format!("a null reference passed as {ty}"),
                ))
            }
        },
        Value::Ref(Ref::Extern(n)) => {
            Val::ExternRef(Some(ExternRef::new(&mut store, *n).map_err(gc)?))
        }
        Value::Ref(Ref::Host(n)) => {
            let e = ExternRef::new(&mut store, *n).map_err(gc)?;
            Val::AnyRef(Some(AnyRef::convert_extern(&mut store, e).map_err(gc)?))
        }
        Value::Ref(Ref::I31(n)) => {
            Val::AnyRef(Some(AnyRef::from_i31(&mut store, I31::wrapping_i32(*n))))
        }
        other => {
            return Err(EngineError::new(
                ErrorKind::Unsupported,
                format!("a script cannot pass {other:?} as an argument"),
            ))
        }
    })
}

/// A wasmtime value in seam form.
pub fn from_wasmtime(mut store: impl AsContextMut, v: &Val) -> Value {
    match v {
        Val::I32(x) => Value::I32(*x),
        Val::I64(x) => Value::I64(*x),
        Val::F32(bits) => Value::F32(*bits),
        Val::F64(bits) => Value::F64(*bits),
        Val::V128(x) => Value::V128(x.as_u128()),
        Val::FuncRef(None) => null(NullKind::Func),
        Val::FuncRef(Some(_)) => Value::Ref(Ref::Func),
        Val::ExternRef(None) => null(NullKind::Extern),
        // An externalised GC value carries no host number.
        Val::ExternRef(Some(e)) => {
            Value::Ref(host_number(&mut store, e).map_or(Ref::ExternGc, Ref::Extern))
        }
        Val::AnyRef(None) => null(NullKind::Any),
        Val::AnyRef(Some(a)) => Value::Ref(any_ref(&mut store, a)),
        Val::ExnRef(None) => null(NullKind::Exn),
        Val::ExnRef(Some(_)) => Value::Ref(Ref::Exn),
        Val::ContRef(None) => null(NullKind::Cont),
        Val::ContRef(Some(_)) => Value::Ref(Ref::Opaque),
    }
}

fn null(kind: NullKind) -> Value {
    Value::Ref(Ref::Null(kind))
}

fn any_ref(mut store: impl AsContextMut, a: &Rooted<AnyRef>) -> Ref {
    if let Ok(Some(i)) = a.as_i31(&store) {
        return Ref::I31(i.get_i32());
    }
    if a.is_struct(&store).unwrap_or(false) {
        return Ref::Struct;
    }
    if a.is_array(&store).unwrap_or(false) {
        return Ref::Array;
    }
    // Otherwise an internalised host reference, passed in as `ref.host N`.
    match ExternRef::convert_any(&mut store, *a) {
        Ok(e) => host_number(&mut store, &e).map_or(Ref::Opaque, Ref::Host),
        Err(_) => Ref::Opaque,
    }
}

/// The number a script gave a host reference, if `e` is one.
fn host_number(store: impl AsContextMut, e: &Rooted<ExternRef>) -> Option<u32> {
    let store = store.as_context();
    e.data(store).ok().flatten()?.downcast_ref::<u32>().copied()
}
