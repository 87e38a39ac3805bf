//! Function instances (spec 4.2.6): wasm functions bound to their
//! instance, and host functions.

use std::rc::Rc;
use std::sync::Arc;

use super::store::Store;
use super::types::FuncType;
use super::value::Val;
use crate::error::RuntimeError;
use crate::exec::code::FuncCode;

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

impl Caller<'_> {
    /// The store the call runs in.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// The calling instance; `None` when the embedder called the function
    /// directly.
    pub fn instance(&self) -> Option<crate::Instance> {
        self.instance.map(crate::Instance)
    }
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
        code: Arc<FuncCode>,
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

/// A function handle (like a JS exported function or host function).
///
/// ```
/// use touchstone_engine::{Func, FuncType, Store, Val, ValType};
/// let mut store = Store::default();
/// let double = Func::new_host(&mut store, FuncType::new([ValType::I32], [ValType::I32]), |args| {
///     let Val::I32(x) = args[0] else { unreachable!() };
///     Ok(vec![Val::I32(x * 2)])
/// });
/// assert_eq!(double.call(&mut store, &[Val::I32(21)]).unwrap(), vec![Val::I32(42)]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);

impl Func {
    /// Wraps a Rust closure as a function of type `ty`.
    pub fn new_host(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&[Val]) -> Result<Vec<Val>, RuntimeError> + Send + Sync + 'static,
    ) -> Func {
        let type_id = store.intern_type(&ty);
        store.funcs.push(FuncInst::Host {
            type_id,
            func: HostImpl::Shared(Arc::new(f)),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// Wraps a store-local closure (see [`LocalHostFn`]) as a function of
    /// type `ty`. An [`Err`] carrying an exception
    /// ([`RuntimeError::throw`]) is thrown into the calling wasm code, where
    /// handlers can catch it.
    ///
    /// ```
    /// use touchstone_engine::{Func, FuncType, Store, Val, ValType};
    /// use std::rc::Rc;
    /// let mut store = Store::default();
    /// let seen = Rc::new(std::cell::Cell::new(0));
    /// let s = seen.clone();
    /// let f = Func::new_local(&mut store, FuncType::new([ValType::I32], []), move |caller, args| {
    ///     assert!(caller.instance().is_none());
    ///     let Val::I32(x) = args[0] else { unreachable!() };
    ///     s.set(x);
    ///     Ok(vec![])
    /// });
    /// f.call(&mut store, &[Val::I32(7)]).unwrap();
    /// assert_eq!(seen.get(), 7);
    /// ```
    pub fn new_local(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>, RuntimeError> + 'static,
    ) -> Func {
        let type_id = store.intern_type(&ty);
        store.funcs.push(FuncInst::Host {
            type_id,
            func: HostImpl::Local(Rc::new(f)),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// [`Func::new_local`] with a canonical type id (concrete types).
    pub(crate) fn new_local_with_type_id(
        store: &mut Store,
        type_id: u32,
        f: impl Fn(&mut Caller<'_>, &[Val]) -> Result<Vec<Val>, RuntimeError> + 'static,
    ) -> Func {
        store.funcs.push(FuncInst::Host {
            type_id,
            func: HostImpl::Local(Rc::new(f)),
        });
        Func(store.funcs.len() as u32 - 1)
    }

    /// Whether the function is a host function (not defined by a module).
    pub fn is_host(&self, store: &Store) -> bool {
        matches!(store.funcs[self.0 as usize], FuncInst::Host { .. })
    }

    /// The store address, a stable identity of the function within its
    /// store (equal handles have equal addresses).
    pub fn address(&self) -> u32 {
        self.0
    }

    /// The function's type.
    pub fn ty(&self, store: &Store) -> FuncType {
        store.types[store.funcs[self.0 as usize].type_id() as usize].clone()
    }

    /// Calls the function. Arguments must match its parameter types.
    pub fn call(&self, store: &mut Store, args: &[Val]) -> Result<Vec<Val>, RuntimeError> {
        let ty = self.ty(store);
        if args.len() != ty.params().len()
            || !args
                .iter()
                .zip(ty.params())
                .all(|(a, t)| a.matches(*t) && a.is_valid_in(store))
        {
            return Err(RuntimeError::host(
                "argument types do not match the function type",
            ));
        }
        let mut raw = Vec::with_capacity(args.len());
        super::value::push_slots(args, &mut raw);
        let results = crate::exec::interp::invoke(store, self.0, &raw)
            .inspect_err(|e| store.pin_escaped(e))?;
        let results = super::value::read_slots(&results, ty.results());
        // The host keeps the results: they stay valid (see `gc::collect`).
        results.iter().for_each(|r| store.pin(r));
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Exn, Extern, FuncType, Instance, Module, RuntimeError, Store, Tag, Val, ValType};

    fn module(wat: &str) -> Module {
        Module::new(&wat::parse_str(wat).unwrap()).unwrap()
    }

    #[test]
    fn a_local_host_reads_the_callers_memory_and_calls_back_into_wasm() {
        let m = module(
            r#"(module
              (import "h" "f" (func $f (result i32)))
              (memory (export "mem") 1)
              (data (i32.const 8) "\07")
              (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
              (func (export "run") (result i32) call $f i32.const 1 i32.add))"#,
        );
        let mut store = Store::default();
        let f = m
            .import_func(&mut store, 0, |caller, _| {
                let inst = caller.instance().expect("called from wasm");
                let store = caller.store();
                let Some(Extern::Memory(mem)) = inst.get_export(store, "mem") else {
                    panic!("no memory")
                };
                let byte = mem.data(store)[8] as i32;
                let double = inst.get_func(store, "double").unwrap();
                double.call(store, &[Val::I32(byte)])
            })
            .unwrap();
        let inst = Instance::with_externs(&mut store, &m, &[Extern::Func(f)]).unwrap();
        let run = inst.get_func(&store, "run").unwrap();
        assert_eq!(run.call(&mut store, &[]).unwrap(), vec![Val::I32(15)]);
    }

    #[test]
    fn an_exception_from_a_host_is_caught_by_wasm_and_escapes_with_its_payload() {
        let m = module(
            r#"(module
              (import "h" "tag" (tag $t (param i32)))
              (import "h" "f" (func $f (param i32)))
              (func (export "caught") (result i32)
                (block $h (result i32)
                  (try_table (catch $t $h) (call $f (i32.const 41)))
                  (i32.const 0))
                i32.const 1 i32.add)
              (func (export "uncaught") (call $f (i32.const 7)))
              (func (export "tail") (return_call $f (i32.const 9))))"#,
        );
        let mut store = Store::default();
        let tag = Tag::new(&mut store, FuncType::new([ValType::I32], []));
        let f = Func::new_local(
            &mut store,
            FuncType::new([ValType::I32], []),
            move |caller, args| {
                let exn = Exn::new(caller.store(), tag, args)?;
                Err(RuntimeError::throw(exn))
            },
        );
        let inst =
            Instance::with_externs(&mut store, &m, &[Extern::Tag(tag), Extern::Func(f)]).unwrap();
        let caught = inst.get_func(&store, "caught").unwrap();
        assert_eq!(caught.call(&mut store, &[]).unwrap(), vec![Val::I32(42)]);
        for (name, payload) in [("uncaught", 7), ("tail", 9)] {
            let err = inst
                .get_func(&store, name)
                .unwrap()
                .call(&mut store, &[])
                .unwrap_err();
            let exn = err.exception().expect("an exception");
            assert_eq!(exn.tag(&store), tag);
            assert_eq!(exn.payload(&store), vec![Val::I32(payload)]);
        }
    }

    use super::Func;
}
