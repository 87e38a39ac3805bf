//! Values between the seam's form and wasmi's.

use wasmi::{ExternRef, Nullable, Val, ValType};

use super::limiter::TotalLimiter;
use crate::engine::{EngineError, ErrorKind, NullKind, Ref, Value};

/// A seam value as wasmi's, for a parameter of type `ty` (which decides
/// what a null becomes).
pub fn to_wasmi(
    store: &mut wasmi::Store<TotalLimiter>,
    v: &Value,
    ty: ValType,
) -> Result<Val, EngineError> {
    Ok(match v {
        Value::I32(x) => Val::I32(*x),
        Value::I64(x) => Val::I64(*x),
        Value::F32(bits) => Val::F32(wasmi::F32::from_bits(*bits)),
        Value::F64(bits) => Val::F64(wasmi::F64::from_bits(*bits)),
        Value::V128(bits) => Val::V128(wasmi::V128::from(*bits)),
        Value::Ref(Ref::Null(_)) if ty == ValType::FuncRef => Val::FuncRef(Nullable::Null),
        Value::Ref(Ref::Null(_)) if ty == ValType::ExternRef => Val::ExternRef(Nullable::Null),
        Value::Ref(Ref::Extern(n)) => {
            Val::ExternRef(Nullable::Val(ExternRef::new(&mut *store, *n)))
        }
        other => {
            return Err(EngineError::new(
                ErrorKind::Unsupported,
                format!("wasmi cannot pass {other:?} as {ty:?} (no GC / typed references)"),
            ))
        }
    })
}

/// A wasmi value in seam form. Extern references made by [`to_wasmi`] carry
/// their script number back.
pub fn from_wasmi(store: &wasmi::Store<TotalLimiter>, v: &Val) -> Value {
    match v {
        Val::I32(x) => Value::I32(*x),
        Val::I64(x) => Value::I64(*x),
        Val::F32(x) => Value::F32(x.to_bits()),
        Val::F64(x) => Value::F64(x.to_bits()),
        Val::V128(x) => Value::V128(x.as_u128()),
        Val::FuncRef(Nullable::Null) => Value::Ref(Ref::Null(NullKind::Func)),
        Val::FuncRef(Nullable::Val(_)) => Value::Ref(Ref::Func),
        Val::ExternRef(Nullable::Null) => Value::Ref(Ref::Null(NullKind::Extern)),
        Val::ExternRef(Nullable::Val(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => Value::Ref(Ref::Extern(*n)),
            None => Value::Ref(Ref::Opaque),
        },
    }
}
