//! Engine values and types in their JS forms (see the table in the parent
//! module): conversions both ways, and the type descriptors the prelude
//! reads (`"i32"`, `"externref"`, `"(ref extern)"`, limits objects).

use rquickjs::{Array, BigInt, Ctx, Object, Value};
use touchstone_engine::{Extern, ExternRef, ExternType, FuncType, RefType, Val, ValType};

use super::holds::held_raw;
use super::{exn_from, obj, HostState, JsResult};

pub(super) fn kind_name(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Table(_) => "table",
        ExternType::Memory(_) => "memory",
        ExternType::Global(_) => "global",
        ExternType::Tag(_) => "tag",
    }
}

pub(super) fn extern_kind(e: Extern) -> &'static str {
    match e {
        Extern::Func(_) => "function",
        Extern::Table(_) => "table",
        Extern::Memory(_) => "memory",
        Extern::Global(_) => "global",
        Extern::Tag(_) => "tag",
    }
}

/// The JS API's name of a value type (type reflection spelling).
pub(super) fn type_name(t: ValType) -> String {
    match t {
        ValType::I32 => "i32".into(),
        ValType::I64 => "i64".into(),
        ValType::F32 => "f32".into(),
        ValType::F64 => "f64".into(),
        ValType::V128 => "v128".into(),
        ValType::Ref(r) => ref_name(r),
    }
}

pub(super) fn ref_name(r: RefType) -> String {
    use wasmparser::{AbstractHeapType as A, HeapType};
    let base = match r.heap_type() {
        HeapType::Abstract { ty, .. } => match ty {
            A::Func => "func",
            A::Extern => "extern",
            A::Any => "any",
            A::Eq => "eq",
            A::I31 => "i31",
            A::Struct => "struct",
            A::Array => "array",
            A::Exn => "exn",
            A::None => "none",
            A::NoFunc => "nofunc",
            A::NoExtern => "noextern",
            A::NoExn => "noexn",
            _ => "any",
        },
        // Concrete types: the JS API only needs their hierarchy.
        _ => "concrete",
    };
    if r.is_nullable() {
        format!("{base}ref")
    } else {
        format!("(ref {base})")
    }
}

pub(super) fn parse_type(name: &str) -> Option<ValType> {
    // `(ref extern)` and the like: the non-null form of `externref`.
    if let Some(heap) = name.strip_prefix("(ref ").and_then(|n| n.strip_suffix(')')) {
        let ValType::Ref(r) = parse_type(&format!("{heap}ref"))? else {
            return None;
        };
        return Some(ValType::Ref(r.as_non_null()));
    }
    Some(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "v128" => ValType::V128,
        "funcref" | "anyfunc" => ValType::FUNCREF,
        "externref" => ValType::EXTERNREF,
        "anyref" => ValType::Ref(RefType::ANYREF),
        "eqref" => ValType::Ref(RefType::EQREF),
        "i31ref" => ValType::Ref(RefType::I31REF),
        "structref" => ValType::Ref(RefType::STRUCTREF),
        "arrayref" => ValType::Ref(RefType::ARRAYREF),
        "exnref" => ValType::EXNREF,
        _ => return None,
    })
}

pub(super) fn func_type_desc<'js>(ctx: &Ctx<'js>, ty: &FuncType) -> JsResult<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    let names = |ts: &[ValType]| ts.iter().map(|t| type_name(*t)).collect::<Vec<_>>();
    o.set("parameters", names(ty.params()))?;
    o.set("results", names(ty.results()))?;
    Ok(o.into_value())
}

pub(super) fn extern_type_desc<'js>(ctx: &Ctx<'js>, ty: &ExternType) -> JsResult<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    match ty {
        ExternType::Func(f) => return func_type_desc(ctx, f),
        ExternType::Tag(f) => {
            let names: Vec<String> = f.params().iter().map(|t| type_name(*t)).collect();
            o.set("parameters", names)?;
        }
        ExternType::Memory(m) => {
            o.set("minimum", m.minimum() as f64)?;
            o.set("maximum", m.maximum().map(|x| x as f64))?;
            o.set("shared", m.is_shared())?;
            o.set("address", if m.is_64() { "i64" } else { "i32" })?;
        }
        ExternType::Table(t) => {
            o.set("element", ref_name(t.element()))?;
            o.set("minimum", t.minimum() as f64)?;
            o.set("maximum", t.maximum().map(|x| x as f64))?;
            o.set("address", if t.is_64() { "i64" } else { "i32" })?;
        }
        ExternType::Global(g) => {
            o.set("value", type_name(g.content()))?;
            o.set("mutable", g.mutable())?;
        }
    }
    Ok(o.into_value())
}

pub(super) fn to_raw<'js>(ctx: &Ctx<'js>, st: &HostState, v: &Val) -> JsResult<Value<'js>> {
    use touchstone_engine::AnyRef;
    let c = ctx.clone();
    Ok(match *v {
        Val::I32(x) => Value::new_int(c, x),
        Val::I64(x) => BigInt::from_i64(c, x)?.into_value(),
        Val::F32(bits) => Value::new_float(c, f32::from_bits(bits) as f64),
        Val::F64(bits) => Value::new_float(c, f64::from_bits(bits)),
        Val::FuncRef(Some(f)) => Value::new_number(c, st.id_of(Extern::Func(f)) as f64),
        Val::ExternRef(Some(ExternRef(id))) => Value::new_number(c, id as f64),
        Val::AnyRef(Some(AnyRef::I31(x))) | Val::ExternGc(AnyRef::I31(x)) => obj(ctx, "i31", x)?,
        Val::AnyRef(Some(AnyRef::Host(id))) | Val::ExternGc(AnyRef::Host(id)) => {
            Value::new_number(c, id as f64)
        }
        // Pinned hand-outs: the raw form owns the pin (see `holds`).
        Val::ExnRef(Some(_))
        | Val::AnyRef(Some(AnyRef::Struct(_) | AnyRef::Array(_)))
        | Val::ExternGc(AnyRef::Struct(_) | AnyRef::Array(_)) => held_raw(ctx, &st.dropped, *v)?,
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None) => {
            Value::new_null(c)
        }
        Val::V128(_) => Value::new_undefined(c),
    })
}

pub(super) fn gc_from_raw(v: &Value) -> Option<touchstone_engine::AnyRef> {
    use touchstone_engine::AnyRef;
    let o = v.as_object()?;
    if let Ok(n) = o.get::<_, f64>("struct") {
        return Some(AnyRef::Struct(n as u32));
    }
    if let Ok(n) = o.get::<_, f64>("array") {
        return Some(AnyRef::Array(n as u32));
    }
    o.get::<_, f64>("i31").ok().map(|x| AnyRef::I31(x as i32))
}

pub(super) fn to_raw_list<'js>(ctx: &Ctx<'js>, st: &HostState, vs: &[Val]) -> JsResult<Value<'js>> {
    let list = Array::new(ctx.clone())?;
    for (i, v) in vs.iter().enumerate() {
        list.set(i, to_raw(ctx, st, v)?)?;
    }
    Ok(list.into_value())
}

pub(super) fn from_raw(st: &HostState, v: &Value, ty: ValType) -> Result<Val, String> {
    let bad = || format!("cannot pass this value as {}", type_name(ty));
    Ok(match ty {
        ValType::I32 => Val::I32(v.as_number().ok_or_else(bad)? as i64 as i32),
        ValType::I64 => {
            let b = v.as_big_int().ok_or_else(bad)?;
            Val::I64(b.clone().to_i64().map_err(|e| e.to_string())?)
        }
        ValType::F32 => Val::F32((v.as_number().ok_or_else(bad)? as f32).to_bits()),
        ValType::F64 => Val::F64(v.as_number().ok_or_else(bad)?.to_bits()),
        ValType::V128 => return Err(bad()),
        ValType::Ref(r) => {
            if v.is_null() {
                if !r.is_nullable() {
                    return Err(bad());
                }
                return Ok(Val::default_for(ValType::Ref(r.nullable())));
            }
            let null = Val::default_for(ValType::Ref(r.nullable()));
            if let Some(gc) = gc_from_raw(v) {
                return match null {
                    Val::ExternRef(_) => Ok(Val::ExternGc(gc)),
                    Val::AnyRef(_) => Ok(Val::AnyRef(Some(gc))),
                    _ => Err(bad()),
                };
            }
            if let (Val::ExnRef(_), Some(o)) = (&null, v.as_object()) {
                let address: f64 = o.get("exn").map_err(|_| bad())?;
                return Ok(Val::ExnRef(Some(exn_from(address))));
            }
            let n = v.as_number().ok_or_else(bad)?;
            match null {
                Val::FuncRef(_) => match st.extern_of(n) {
                    Some(Extern::Func(f)) => Val::FuncRef(Some(f)),
                    _ => return Err(bad()),
                },
                Val::ExternRef(_) => Val::ExternRef(Some(ExternRef(n as u32))),
                Val::ExnRef(_) => Val::ExnRef(Some(exn_from(n))),
                // A JS value in the `any` hierarchy: a host reference.
                Val::AnyRef(_) => Val::AnyRef(Some(touchstone_engine::AnyRef::Host(n as u32))),
                _ => return Err(bad()),
            }
        }
    })
}

pub(super) fn from_raw_list(
    st: &HostState,
    raw: &[Value],
    tys: &[ValType],
) -> Result<Vec<Val>, String> {
    if raw.len() != tys.len() {
        return Err("wrong number of values".into());
    }
    raw.iter()
        .zip(tys)
        .map(|(v, t)| from_raw(st, v, *t))
        .collect()
}
