//! Functions as the embedder sees them (exported and host functions):
//! creating host functions, reading types, calling into wasm.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::RuntimeError;
use crate::runtime::handles::Func;
use crate::runtime::store::{Caller, FuncInst, HostImpl, Store};
use crate::runtime::types::FuncType;
use crate::runtime::value::{push_slots, read_slots, write_slots, Val};

/// Argument slots [`Func::call`] passes without allocating.
const FEW_SLOTS: usize = 16;

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

    /// Wraps a store-local closure (see [`LocalHostFn`](crate::LocalHostFn)) as a function of
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

    /// Whether `args` are values of the parameter types, concrete
    /// reference types included (a struct of another struct type is
    /// refused): what [`Func::call`] checks, for an embedder that converts
    /// foreign values (the JS API's ToWebAssemblyValue) to ask first.
    pub fn accepts(&self, store: &Store, args: &[Val]) -> bool {
        self.accepts_as(store, args, &self.ty(store))
    }

    /// [`Func::accepts`] with the function's type already in hand.
    fn accepts_as(&self, store: &Store, args: &[Val], ty: &FuncType) -> bool {
        args.len() == ty.params().len()
            && args
                .iter()
                .zip(ty.params())
                .all(|(a, t)| a.matches(*t) && a.is_valid_in(store))
            && self.accepts_concrete(store, args)
    }

    /// The concrete half of [`Func::accepts`]: `ty` erases concrete types,
    /// so a wasm function's parameters are read from its module and
    /// canonicalised in its instance. (A host function made for an import
    /// runs no wasm on its arguments, so its erased check suffices.)
    fn accepts_concrete(&self, store: &Store, args: &[Val]) -> bool {
        use crate::runtime::canon::CanonVal;
        use crate::runtime::gc::type_defs::CompositeDef;
        let FuncInst::Wasm {
            type_id, instance, ..
        } = &store.funcs[self.0 as usize]
        else {
            return true;
        };
        let inst = &store.instances[*instance as usize];
        let def = inst
            .type_ids
            .iter()
            .position(|t| t == type_id)
            .and_then(|i| inst.sub_types.get(i)?.as_ref());
        let Some(CompositeDef::Func(ty)) = def.map(|d| &d.composite) else {
            return true;
        };
        let params = ty.params();
        params
            .iter()
            .zip(args)
            .all(|(p, a)| match CanonVal::new(*p, &inst.type_ids) {
                CanonVal::Ref(want) => a.fits_concrete(store, want),
                CanonVal::Num(_) => true,
            })
    }

    /// Calls the function. Arguments must match its parameter types.
    ///
    /// The type is read in place, not cloned, and a call of few argument
    /// slots passes them from the Rust stack: allocations were most of a
    /// small call's cost from the host (a spec script makes thousands).
    pub fn call(&self, store: &mut Store, args: &[Val]) -> Result<Vec<Val>, RuntimeError> {
        let type_id = store.funcs[self.0 as usize].type_id() as usize;
        if !self.accepts_as(store, args, &store.types[type_id]) {
            return Err(RuntimeError::host(
                "argument types do not match the function type",
            ));
        }
        let mut few = [0; FEW_SLOTS];
        let mut many = Vec::new();
        let raw = match write_slots(args, &mut few) {
            Some(n) => &few[..n],
            None => {
                push_slots(args, &mut many);
                &many[..]
            }
        };
        crate::exec::interp::invoke(store, self.0, raw, |store, slots| {
            let results = read_slots(slots, store.types[type_id].results());
            // The host keeps the results: they stay valid (see `gc::collect`).
            results.iter().for_each(|r| store.pin(r));
            results
        })
        .inspect_err(|e| store.pin_escaped(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        Exn, Extern, Func, FuncType, Instance, Module, RuntimeError, Store, TableGrowError, Tag,
        Val, ValType,
    };

    fn module(wat: &str) -> Module {
        Module::new(&wat::parse_str(wat).unwrap()).unwrap()
    }

    #[test]
    fn calls_with_argument_slots_on_either_side_of_the_unallocated_limit() {
        // 14 i64 and a v128: 16 slots, the most passed without allocating;
        // 15 i64 and a v128: 17, whose v128 straddles that limit.
        let params = |n| "i64 ".repeat(n);
        let m = module(&format!(
            r#"(module
              (func (export "fits") (param {p14} v128) (result i64 i64)
                (i64.add (local.get 0) (local.get 13)) (i64x2.extract_lane 1 (local.get 14)))
              (func (export "spills") (param {p15} v128) (result i64 i64)
                (i64.add (local.get 0) (local.get 14)) (i64x2.extract_lane 1 (local.get 15))))"#,
            p14 = params(14),
            p15 = params(15)
        ));
        let mut store = Store::default();
        let inst = Instance::new(&mut store, &m, &Default::default()).unwrap();
        for (name, n) in [("fits", 14), ("spills", 15)] {
            let mut args: Vec<Val> = (1..=n).map(Val::I64).collect();
            args.push(Val::V128(0x55 << 64 | 0x66));
            let got = inst
                .get_func(&store, name)
                .unwrap()
                .call(&mut store, &args)
                .unwrap();
            assert_eq!(got, vec![Val::I64(1 + n), Val::I64(0x55)], "{name}");
        }
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

    #[test]
    fn values_of_another_concrete_type_are_refused_by_calls_globals_and_tables() {
        let m = module(
            r#"(module
              (type $s (struct (field i32)))
              (type $t (struct (field f32)))
              (type $u (sub (struct)))
              (type $f (func))
              (type $g (func (result i32)))
              (func (export "takeS") (param (ref $s)))
              (func (export "takeU") (param (ref null $u)))
              (func (export "takeF") (param (ref $f)))
              (func (export "s") (result (ref $s)) i32.const 1 struct.new $s)
              (func (export "t") (result (ref $t)) f32.const 1 struct.new $t)
              (func (export "f") (type $f))
              (func (export "g") (type $g) i32.const 0)
              (global (export "glob") (mut (ref null $s)) (ref.null $s))
              (table (export "tab") 1 (ref null $s)))"#,
        );
        let mut store = Store::default();
        let inst = Instance::new(&mut store, &m, &Default::default()).unwrap();
        let func = |store: &Store, name| inst.get_func(store, name).unwrap();
        let made = |store: &mut Store, name| func(store, name).call(store, &[]).unwrap()[0];
        let (s, t) = (made(&mut store, "s"), made(&mut store, "t"));
        let take_s = func(&store, "takeS");
        assert!(take_s.accepts(&store, &[s]));
        assert!(!take_s.accepts(&store, &[t]));
        assert!(take_s.call(&mut store, &[t]).is_err());
        assert!(!func(&store, "takeU").accepts(&store, &[s]));
        let take_f = func(&store, "takeF");
        let (f, g) = (func(&store, "f"), func(&store, "g"));
        assert!(take_f.accepts(&store, &[Val::FuncRef(Some(f))]));
        assert!(!take_f.accepts(&store, &[Val::FuncRef(Some(g))]));
        // Globals and tables of a concrete type refuse the other struct too.
        let glob = inst.get_global(&store, "glob").unwrap();
        assert!(glob.set(&mut store, s).is_ok());
        assert!(glob.set(&mut store, t).is_err());
        let tab = inst.get_table(&store, "tab").unwrap();
        assert!(tab.set(&mut store, 0, s).is_ok());
        assert!(tab.set(&mut store, 0, t).is_err());
        // Of another type, growth is a type error even by zero or beyond the limit.
        assert_eq!(tab.grow(&mut store, 1, t), Err(TableGrowError::ValueType));
        assert_eq!(tab.grow(&mut store, 0, t), Err(TableGrowError::ValueType));
        assert_eq!(
            tab.grow(&mut store, u64::MAX, t),
            Err(TableGrowError::ValueType)
        );
        assert_eq!(
            tab.grow(&mut store, u64::MAX, s),
            Err(TableGrowError::Limit)
        );
        assert_eq!(tab.grow(&mut store, 1, s), Ok(1));
    }
}
