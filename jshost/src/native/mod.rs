//! The native half of the `WebAssembly` namespace: one dispatcher function
//! (`op`, up to four arguments) through which the prelude (`prelude/`) reaches the
//! engine. The JS side does everything the JS API specifies in terms of
//! JS values (WebIDL conversions, brand checks, promises, object identity);
//! this side owns the store and converts between engine values and their
//! raw JS form:
//!
//! | wasm type | raw JS value |
//! |---|---|
//! | `i32`, `f32`, `f64` | number |
//! | `i64` | BigInt |
//! | `funcref` | null, or the extern id of the function |
//! | `externref` | null, or the index in the prelude's table of JS values |
//! | `exnref` | null, or the exception's store address |
//! | `anyref` family | null, `{i31: v}`, `{struct: n}`, `{array: n}`, or a JS value's index (host reference) |
//!
//! Failures come back as objects (`{trap}`, `{exn}`, `{js}`, `{link}`,
//! `{compile}`, `{range}`, `{type}`) that the prelude turns into the right
//! JS exception, so this side never needs to build JS error classes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ptr::NonNull;
use std::rc::{Rc, Weak};

use rquickjs::ArrayBufferSource;
use rquickjs::{
    qjs, Array, ArrayBuffer, Ctx, Function, IntoJs, Object, Persistent, TypedArray, Value,
};
use touchstone_engine::{
    Exn, Extern, ExternRef, ExternType, Func, FuncType, Global, GlobalType, Instance, Memory,
    MemoryType, Module, RuntimeError, Store, Table, TableGrowError, TableType, Tag, TrapKind, Val,
    ValType,
};

mod builtin_types;
mod holds;
mod values;

use values::{
    extern_kind, extern_type_desc, from_raw, from_raw_list, func_type_desc, kind_name, parse_type,
    to_raw, to_raw_list,
};

type JsResult<T> = rquickjs::Result<T>;

/// The engine state behind one JS context.
pub(crate) struct HostState {
    /// The store, when no wasm is running.
    store: RefCell<Store>,
    /// While a host function runs, the store its caller lent it; nested
    /// calls into wasm from JS go through this one (see [`HostState::with_store`]).
    lent: Cell<Option<NonNull<Store>>>,
    /// The JS context of the JS call that entered the engine, for host
    /// functions (called from deep inside the engine) to call back into JS.
    ctx: Cell<Option<NonNull<qjs::JSContext>>>,
    /// The prelude's import trampoline: `(hostIndex, rawArgs) => outcome`.
    trampoline: RefCell<Option<Persistent<Function<'static>>>>,
    /// Every extern handed to JS, by id; `ids` keeps one id per extern so
    /// that the JS side can keep one object per extern.
    externs: RefCell<Vec<Extern>>,
    ids: RefCell<HashMap<Extern, u32>>,
    /// `WebAssembly.JSTag`: JS exceptions cross wasm as exceptions of this
    /// tag, their value (an `externref`) as payload.
    js_tag: Tag,
    /// Pins of references JS let go, to release (see `holds`).
    dropped: holds::Dropped,
}

impl HostState {
    pub(crate) fn new(interrupt: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Rc<HostState> {
        let mut store = Store::new(touchstone_engine::Config {
            interrupt,
            ..touchstone_engine::Config::default()
        });
        let js_tag = Tag::new(&mut store, FuncType::new([ValType::EXTERNREF], []));
        Rc::new(HostState {
            store: RefCell::new(store),
            lent: Cell::new(None),
            ctx: Cell::new(None),
            trampoline: RefCell::new(None),
            externs: RefCell::new(Vec::new()),
            ids: RefCell::new(HashMap::new()),
            js_tag,
            dropped: holds::Dropped::default(),
        })
    }

    /// Runs `f` on the store: the owned one, or, inside a host function,
    /// the one its caller lent (the owned one is borrowed by that caller).
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        match self.lent.get() {
            // SAFETY: `lent` is set only while a host function runs (see
            // `host_call`), from the `&mut Store` its `Caller` holds; that
            // borrow stays unused until the host function returns and
            // resets `lent`, and `f` (engine code) never re-enters
            // `with_store` except through another host call, which lends
            // the store again in the same nested way.
            Some(mut p) => f(unsafe { p.as_mut() }),
            None => f(&mut self.store.borrow_mut()),
        }
    }

    fn id_of(&self, ext: Extern) -> u32 {
        let mut ids = self.ids.borrow_mut();
        *ids.entry(ext).or_insert_with(|| {
            let mut externs = self.externs.borrow_mut();
            externs.push(ext);
            externs.len() as u32 - 1
        })
    }

    fn extern_of(&self, id: f64) -> Option<Extern> {
        self.externs.borrow().get(id as usize).copied()
    }

    /// Releases the pins of references JS let go.
    fn release_dropped(&self) {
        if !self.dropped.is_empty() {
            self.with_store(|s| self.dropped.release_in(s));
        }
    }

    /// Frees what neither JS nor wasm reaches: QuickJS's collection first
    /// (its cycles hold pins too), then the store's. For tests and hosts
    /// that want memory back now; both collect on their own otherwise.
    pub(crate) fn collect_garbage(&self, runtime: &rquickjs::Runtime) {
        runtime.run_gc();
        self.release_dropped();
        self.store.borrow_mut().collect();
    }

    pub(crate) fn heap_stats(&self) -> touchstone_engine::HeapStats {
        self.store.borrow().heap_stats()
    }

    /// Detaches every JS view: the store's bytes go away with the state.
    pub(crate) fn shutdown(&self) {
        self.trampoline.borrow_mut().take();
    }
}

/// Engine bytes shown to JS without copying (`Memory.buffer`).
struct EngineBytes {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the bytes are a memory's buffer in the store. The prelude detaches
// the ArrayBuffer as soon as that buffer may have moved (after every call
// into the engine that can grow memory, and on `Memory.grow`), and before
// the store is dropped, so JS never reaches freed bytes. Drop frees nothing.
unsafe impl ArrayBufferSource for EngineBytes {
    fn as_ptr(&self) -> *mut u8 {
        self.ptr
    }
    fn len(&self) -> usize {
        self.len
    }
}

/// Installs the dispatcher as `globalThis.__touchstone`.
pub(crate) fn install<'js>(ctx: &Ctx<'js>, state: &Rc<HostState>) -> JsResult<()> {
    let st = state.clone();
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>,
              op: String,
              args: rquickjs::function::Rest<Value<'js>>|
              -> JsResult<Value<'js>> {
            let arg = |i: usize| {
                args.0
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
            };
            dispatch(&ctx, &st, &op, [arg(0), arg(1), arg(2), arg(3), arg(4)])
        },
    )?;
    ctx.globals().set("__touchstone", f)?;
    Ok(())
}

fn num(v: &Value) -> f64 {
    v.as_number().unwrap_or(f64::NAN)
}

fn obj<'js>(ctx: &Ctx<'js>, key: &str, value: impl rquickjs::IntoJs<'js>) -> JsResult<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set(key, value)?;
    Ok(o.into_value())
}

/// Runs `f` on the bytes of a `Uint8Array` without copying them (the
/// prelude passes a view; a 1 GiB module must not be copied twice more).
fn with_bytes<R>(v: &Value, f: impl FnOnce(&[u8]) -> R) -> R {
    let view = v
        .as_object()
        .and_then(|o| TypedArray::<u8>::from_object(o.clone()).ok());
    // SAFETY: `f` is engine code (decoding, validation): no JS runs while
    // the slice lives, so nothing can detach or resize the buffer under it.
    let bytes = view.as_ref().and_then(|t| unsafe { t.as_bytes() });
    f(bytes.unwrap_or_default())
}

/// Makes `$ty` (a Rust type holding no JS values) a class whose objects
/// JS can hold but not construct: QuickJS drops the Rust value with the
/// object.
macro_rules! opaque_class {
    ($ty:ident) => {
        // SAFETY: the type holds no JS values, so it has no lifetime to change.
        unsafe impl<'js> rquickjs::JsLifetime<'js> for $ty {
            type Changed<'to> = $ty;
        }

        impl<'js> rquickjs::class::Trace<'js> for $ty {
            fn trace<'a>(&self, _tracer: rquickjs::class::Tracer<'a, 'js>) {}
        }

        impl<'js> rquickjs::class::JsClass<'js> for $ty {
            const NAME: &'static str = stringify!($ty);
            type Mutable = rquickjs::class::Readable;
            fn constructor(
                _ctx: &rquickjs::Ctx<'js>,
            ) -> rquickjs::Result<Option<rquickjs::function::Constructor<'js>>> {
                Ok(None)
            }
        }
    };
}
pub(crate) use opaque_class;

/// A compiled module as the prelude holds it: a JS object owning the
/// engine's module, so the module is freed with the last JS reference
/// (the suite compiles dozens of million-entry modules in one realm).
struct ModuleHandle(Module);
opaque_class!(ModuleHandle);

fn dispatch<'js>(
    ctx: &Ctx<'js>,
    st: &Rc<HostState>,
    op: &str,
    [a, b, c, d, e]: [Value<'js>; 5],
) -> JsResult<Value<'js>> {
    let undefined = Value::new_undefined(ctx.clone());
    st.release_dropped();
    Ok(match op {
        "setTrampoline" => {
            let f = Function::from_value(a)?;
            *st.trampoline.borrow_mut() = Some(Persistent::save(ctx, f));
            undefined
        }
        "stringArrayHelper" => {
            // Array access for the `wasm:js-string` builtins that take an
            // `(array (mut i16))`: GC types are structural, so these
            // functions accept the arrays of any module.
            let wasm = wat::parse_str(
                r#"(module
                  (type $a (array (mut i16)))
                  (func (export "len") (param arrayref) (result i32) local.get 0 array.len)
                  (func (export "get") (param (ref null $a) i32) (result i32)
                    local.get 0 local.get 1 array.get_u $a)
                  (func (export "set") (param (ref null $a) i32 i32)
                    local.get 0 local.get 1 local.get 2 array.set $a))"#,
            )
            .expect("valid helper module");
            TypedArray::<u8>::new(ctx.clone(), wasm)?.into_value()
        }
        "validate" => Value::new_bool(
            ctx.clone(),
            with_bytes(&a, |b| touchstone_engine::validate(b).is_ok()),
        ),
        "exactImportTypes" => {
            let list = Array::new(ctx.clone())?;
            for (i, exact) in with_bytes(&a, builtin_types::exact_import_types)
                .into_iter()
                .enumerate()
            {
                match exact {
                    Some((params, results)) => list.set(i, vec![params, results])?,
                    None => list.set(i, Value::new_null(ctx.clone()))?,
                }
            }
            list.into_value()
        }
        "compile" => match with_bytes(&a, Module::new) {
            Ok(m) => obj(
                ctx,
                "ok",
                rquickjs::Class::instance(ctx.clone(), ModuleHandle(m))?,
            )?,
            Err(e) => obj(ctx, "compile", e.to_string())?,
        },
        "imports" => {
            let m = module(&a)?;
            let list = Array::new(ctx.clone())?;
            for (i, imp) in m.imports().enumerate() {
                let o = Object::new(ctx.clone())?;
                o.set("module", imp.module)?;
                o.set("name", imp.name)?;
                o.set("kind", kind_name(&imp.ty))?;
                o.set("type", extern_type_desc(ctx, &imp.ty)?)?;
                list.set(i, o)?;
            }
            list.into_value()
        }
        "exports" => {
            let m = module(&a)?;
            let list = Array::new(ctx.clone())?;
            for (i, exp) in m.exports().enumerate() {
                let o = Object::new(ctx.clone())?;
                o.set("name", exp.name)?;
                o.set("kind", kind_name(&exp.ty))?;
                o.set("index", exp.index)?;
                o.set("type", extern_type_desc(ctx, &exp.ty)?)?;
                list.set(i, o)?;
            }
            list.into_value()
        }
        "customSectionNames" => {
            // Names are compared in JS, as JS strings (DOMString).
            let m = module(&a)?;
            let names: Vec<String> = m.custom_section_names().map(String::from).collect();
            names.into_js(ctx)?
        }
        "customSections" => {
            let m = module(&a)?;
            let name = str_of(&b);
            let list = Array::new(ctx.clone())?;
            for (i, data) in m.custom_sections(&name).enumerate() {
                list.set(i, ArrayBuffer::new_copy(ctx.clone(), data)?)?;
            }
            list.into_value()
        }
        "hostFunc" => {
            // (module, import index, host index): a JS function imported
            // as that import, with the import's type.
            let m = module(&a)?;
            let Some(f) = host_func(st, &m, num(&b) as usize, num(&c) as u32) else {
                return obj(ctx, "type", "not a function import");
            };
            Value::new_number(ctx.clone(), st.id_of(Extern::Func(f)) as f64)
        }
        "instantiate" => {
            let m = module(&a)?;
            let ids: Vec<f64> = Array::from_value(b)?
                .iter::<f64>()
                .collect::<JsResult<_>>()?;
            let Some(externs) = ids
                .iter()
                .map(|id| st.extern_of(*id))
                .collect::<Option<Vec<_>>>()
            else {
                return obj(ctx, "link", "unknown import value");
            };
            let outcome = enter(ctx, st, |store| Instance::with_externs(store, &m, &externs));
            match outcome {
                Ok(inst) => {
                    let list = Array::new(ctx.clone())?;
                    for (i, exp) in m.exports().enumerate() {
                        let ext = st
                            .with_store(|s| inst.get_export(s, exp.name))
                            .expect("exported");
                        list.set(i, st.id_of(ext))?;
                    }
                    obj(ctx, "ok", list)?
                }
                Err(touchstone_engine::InstantiationError::Link(e)) => obj(ctx, "link", e.0)?,
                Err(touchstone_engine::InstantiationError::Runtime(e)) => {
                    runtime_error(ctx, st, e)?
                }
                Err(touchstone_engine::InstantiationError::Unsupported(e)) => {
                    obj(ctx, "link", format!("unsupported: {e}"))?
                }
            }
        }
        "kind" => match st.extern_of(num(&a)) {
            Some(e) => rquickjs::String::from_str(ctx.clone(), extern_kind(e))?.into_value(),
            None => undefined,
        },
        "funcType" => {
            let Some(Extern::Func(f)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| f.ty(s));
            func_type_desc(ctx, &ty)?
        }
        "call" => {
            let Some(Extern::Func(f)) = st.extern_of(num(&a)) else {
                return obj(ctx, "type", "not a function");
            };
            let ty = st.with_store(|s| f.ty(s));
            let raw: Vec<Value> = Array::from_value(b)?.iter().collect::<JsResult<_>>()?;
            let args = match from_raw_list(st, &raw, ty.params()) {
                Ok(args) => args,
                Err(msg) => return obj(ctx, "type", msg),
            };
            // ToWebAssemblyValue for concrete reference types: a struct,
            // array or function of another type is a TypeError.
            if !st.with_store(|s| f.accepts(s, &args)) {
                return obj(ctx, "type", "an argument is not of the parameter's type");
            }
            match enter(ctx, st, |store| f.call(store, &args)) {
                Ok(results) => obj(ctx, "ok", to_raw_list(ctx, st, &results)?)?,
                Err(e) => runtime_error(ctx, st, e)?,
            }
        }
        "memNew" => {
            let (min, max) = (num(&a) as u64, b.as_number().map(|m| m as u64));
            let mut ty = if c.as_bool() == Some(true) {
                MemoryType::new64(min, max)
            } else {
                MemoryType::new(min, max)
            };
            if d.as_bool() == Some(true) {
                ty = ty.shared();
            }
            match st.with_store(|s| Memory::new(s, ty)) {
                Ok(m) => obj(ctx, "ok", st.id_of(Extern::Memory(m)))?,
                Err(e) => obj(ctx, "range", e.to_string())?,
            }
        }
        "memGrow" => {
            let Some(Extern::Memory(m)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let old = st.with_store(|s| m.grow(s, num(&b) as u64));
            Value::new_number(ctx.clone(), old.map_or(-1.0, |o| o as f64))
        }
        "memType" => {
            let Some(Extern::Memory(m)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| m.ty(s));
            extern_type_desc(ctx, &ExternType::Memory(ty))?
        }
        "memBuffer" => {
            let Some(Extern::Memory(m)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            // Raw parts, not `data_mut`: a shared memory's bytes cannot be
            // borrowed as a slice, and QuickJS runs on this one thread.
            let (ptr, len) = st.with_store(|s| m.raw_parts(s));
            if st.with_store(|s| m.ty(s)).is_shared() {
                // Shared memories never move: the buffer stays valid, at
                // the length it had (the prelude makes a new one after growth).
                crate::sab::foreign(ctx, ptr, len)?
            } else {
                ArrayBuffer::from_source(ctx.clone(), EngineBytes { ptr, len })?.into_value()
            }
        }
        "memKey" => {
            // Identifies the memory's buffer: it changes when the bytes move.
            let Some(Extern::Memory(m)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let key = st.with_store(|s| {
                let (ptr, len) = m.raw_parts(s);
                format!("{ptr:p}:{len}")
            });
            rquickjs::String::from_str(ctx.clone(), &key)?.into_value()
        }
        "detach" => {
            if let Some(mut buf) = ArrayBuffer::from_value(a) {
                buf.detach();
            }
            undefined
        }
        "tableNew" => {
            let Some(ValType::Ref(elem)) = parse_type(&str_of(&a)) else {
                return obj(ctx, "type", "bad element type");
            };
            let (min, max) = (num(&b) as u64, c.as_number().map(|m| m as u64));
            let ty = if d.as_bool() == Some(true) {
                TableType::new64(elem, min, max)
            } else {
                TableType::new(elem, min, max)
            };
            let init = match from_raw(st, &e, ValType::Ref(elem)) {
                Ok(v) => v,
                Err(msg) => return obj(ctx, "type", msg),
            };
            match st.with_store(|s| Table::new(s, ty, init)) {
                Ok(t) => obj(ctx, "ok", st.id_of(Extern::Table(t)))?,
                Err(e) => obj(ctx, "range", e.to_string())?,
            }
        }
        "tableType" => {
            let Some(Extern::Table(t)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| t.ty(s));
            extern_type_desc(ctx, &ExternType::Table(ty))?
        }
        "tableGet" => {
            let Some(Extern::Table(t)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            match st.with_store(|s| t.get(s, num(&b) as u64)) {
                Some(v) => obj(ctx, "ok", to_raw(ctx, st, &v)?)?,
                None => obj(ctx, "range", "table index out of bounds")?,
            }
        }
        "tableSet" | "tableGrow" => {
            let Some(Extern::Table(t)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let elem = st.with_store(|s| t.ty(s)).element();
            let v = match from_raw(st, &c, ValType::Ref(elem)) {
                Ok(v) => v,
                Err(msg) => return obj(ctx, "type", msg),
            };
            if op == "tableSet" {
                let index = num(&b) as u64;
                let in_bounds = index < st.with_store(|s| t.size(s));
                match st.with_store(|s| t.set(s, index, v)) {
                    Ok(()) => obj(ctx, "ok", true)?,
                    // In bounds, the value was refused: of another concrete type.
                    Err(e) if in_bounds => obj(ctx, "type", e.to_string())?,
                    Err(e) => obj(ctx, "range", e.to_string())?,
                }
            } else {
                // The JS API converts the value first (TypeError), then grows
                // (RangeError).
                match st.with_store(|s| t.grow(s, num(&b) as u64, v)) {
                    Ok(old) => obj(ctx, "ok", old as f64)?,
                    Err(e @ TableGrowError::ValueType) => obj(ctx, "type", e.to_string())?,
                    Err(e @ TableGrowError::Limit) => obj(ctx, "range", e.to_string())?,
                }
            }
        }
        "globalNew" => {
            let Some(content) = parse_type(&str_of(&a)) else {
                return obj(ctx, "type", "bad value type");
            };
            let v = match from_raw(st, &c, content) {
                Ok(v) => v,
                Err(msg) => return obj(ctx, "type", msg),
            };
            let ty = GlobalType::new(content, b.as_bool() == Some(true));
            match st.with_store(|s| Global::new(s, ty, v)) {
                Ok(g) => obj(ctx, "ok", st.id_of(Extern::Global(g)))?,
                Err(e) => obj(ctx, "type", e.to_string())?,
            }
        }
        "globalType" => {
            let Some(Extern::Global(g)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| g.ty(s));
            extern_type_desc(ctx, &ExternType::Global(ty))?
        }
        "globalGet" => {
            let Some(Extern::Global(g)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let v = st.with_store(|s| g.get(s));
            to_raw(ctx, st, &v)?
        }
        "globalSet" => {
            let Some(Extern::Global(g)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| g.ty(s));
            let v = match from_raw(st, &b, ty.content()) {
                Ok(v) => v,
                Err(msg) => return obj(ctx, "type", msg),
            };
            match st.with_store(|s| g.set(s, v)) {
                Ok(()) => obj(ctx, "ok", true)?,
                Err(e) => obj(ctx, "type", e.to_string())?,
            }
        }
        "tagNew" => {
            let names: Vec<String> = Array::from_value(a)?
                .iter::<String>()
                .collect::<JsResult<_>>()?;
            let Some(params) = names
                .iter()
                .map(|n| parse_type(n))
                .collect::<Option<Vec<_>>>()
            else {
                return obj(ctx, "type", "bad value type");
            };
            let tag = st.with_store(|s| Tag::new(s, FuncType::new(params, [])));
            obj(ctx, "ok", st.id_of(Extern::Tag(tag)))?
        }
        "hostOnly" => st.with_store(|s| holds::host_only(ctx, s))?,
        "jsTag" => Value::new_number(ctx.clone(), st.id_of(Extern::Tag(st.js_tag)) as f64),
        "tagType" => {
            let Some(Extern::Tag(t)) = st.extern_of(num(&a)) else {
                return Ok(undefined);
            };
            let ty = st.with_store(|s| t.ty(s));
            extern_type_desc(ctx, &ExternType::Tag(ty))?
        }
        "exnNew" => {
            let Some(Extern::Tag(tag)) = st.extern_of(num(&a)) else {
                return obj(ctx, "type", "not a tag");
            };
            let ty = st.with_store(|s| tag.ty(s));
            let raw: Vec<Value> = Array::from_value(b)?.iter().collect::<JsResult<_>>()?;
            let payload = match from_raw_list(st, &raw, ty.params()) {
                Ok(p) => p,
                Err(msg) => return obj(ctx, "type", msg),
            };
            match st.with_store(|s| Exn::new(s, tag, &payload)) {
                Ok(exn) => obj(ctx, "ok", holds::held_exn(ctx, &st.dropped, exn)?)?,
                Err(e) => obj(ctx, "type", e.to_string())?,
            }
        }
        "exnTag" => {
            let exn = exn_from(num(&a));
            let tag = st.with_store(|s| exn.tag(s));
            Value::new_number(ctx.clone(), st.id_of(Extern::Tag(tag)) as f64)
        }
        "exnPayload" => {
            let exn = exn_from(num(&a));
            let payload = st.with_store(|s| exn.payload(s));
            to_raw_list(ctx, st, &payload)?
        }
        _ => {
            return Err(rquickjs::Exception::throw_internal(
                ctx,
                &format!("no native op {op}"),
            ))
        }
    })
}

fn str_of(v: &Value) -> String {
    v.as_string()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_default()
}

fn module(handle: &Value) -> JsResult<Module> {
    let class = rquickjs::Class::<ModuleHandle>::from_value(handle)?;
    let m = class.borrow().0.clone();
    Ok(m)
}

fn exn_from(address: f64) -> Exn {
    Exn::from_address(address as u32)
}

/// Runs engine code entered from JS, recording the context for host calls.
fn enter<R>(ctx: &Ctx<'_>, st: &HostState, f: impl FnOnce(&mut Store) -> R) -> R {
    let prev = st.ctx.replace(Some(ctx.as_raw()));
    let r = st.with_store(f);
    st.ctx.set(prev);
    r
}

/// A store-local host function calling the prelude's trampoline for host
/// function `index` (an imported JS function).
fn host_func(st: &Rc<HostState>, m: &Module, import: usize, index: u32) -> Option<Func> {
    let weak: Weak<HostState> = Rc::downgrade(st);
    let Some(ExternType::Func(ty)) = m.imports().nth(import).map(|i| i.ty) else {
        return None;
    };
    let results = ty.results().to_vec();
    st.with_store(|store| {
        m.import_func(store, import, move |caller, args| {
            let st = weak
                .upgrade()
                .ok_or_else(|| RuntimeError::host("JS host is gone"))?;
            let raw_ctx = st
                .ctx
                .get()
                .ok_or_else(|| RuntimeError::host("no JS context"))?;
            // SAFETY: `ctx` is set only while a JS call into the engine
            // runs (`enter`), on this thread, with the runtime locked by
            // that call; the `Ctx` made here does not outlive this call.
            let ctx = unsafe { Ctx::from_raw(raw_ctx) };
            let tramp = st.trampoline.borrow().clone();
            let tramp = tramp.ok_or_else(|| RuntimeError::host("no trampoline"))?;
            let outcome = (|| -> JsResult<Result<Vec<Val>, RuntimeError>> {
                let tramp = tramp.restore(&ctx)?;
                let raw_args = to_raw_list(&ctx, &st, args)?;
                let prev = st.lent.replace(Some(NonNull::from(caller.store())));
                let out: JsResult<Object> = tramp.call((index, raw_args));
                st.lent.set(prev);
                let out = out?;
                if let Ok(list) = out.get::<_, Array>("ok") {
                    let raw: Vec<Value> = list.iter().collect::<JsResult<_>>()?;
                    return Ok(from_raw_list(&st, &raw, &results).map_err(RuntimeError::host));
                }
                if let Ok(exn) = out.get::<_, f64>("exn") {
                    return Ok(Err(RuntimeError::throw(exn_from(exn))));
                }
                let id: f64 = out.get("js")?;
                let payload = [Val::ExternRef(Some(ExternRef(id as u32)))];
                let store = caller.store();
                Ok(Exn::new(store, st.js_tag, &payload).and_then(|exn| {
                    // Nobody here keeps it: once thrown, wasm's handler (or
                    // the escape to the outermost caller, which pins it)
                    // holds it, and nothing collects before that.
                    store.release(&Val::ExnRef(Some(exn)));
                    Err(RuntimeError::throw(exn))
                }))
            })();
            outcome.unwrap_or_else(|e| Err(RuntimeError::host(format!("JS host: {e}"))))
        })
    })
}

fn runtime_error<'js>(ctx: &Ctx<'js>, st: &HostState, e: RuntimeError) -> JsResult<Value<'js>> {
    if let Some(exn) = e.exception() {
        // The escaped exception was pinned for us: a JS value comes out as
        // itself (its exception is not kept), a wasm one as its raw form.
        let exn_val = Val::ExnRef(Some(exn));
        if st.with_store(|s| exn.tag(s)) == st.js_tag {
            let payload = st.with_store(|s| exn.payload(s));
            if let [Val::ExternRef(Some(ExternRef(id)))] = payload[..] {
                st.with_store(|s| s.release(&exn_val));
                return obj(ctx, "js", id);
            }
        }
        return obj(ctx, "exn", holds::held_exn(ctx, &st.dropped, exn)?);
    }
    if e.is_exhaustion() && e.kind() == TrapKind::CallStackExhausted {
        return obj(ctx, "range", e.to_string());
    }
    obj(ctx, "trap", e.to_string())
}
