//! Handles: the small copyable addresses of a store's objects that the
//! embedder holds, the way the JS API hands out `WebAssembly.Memory`
//! objects (an instance importing a memory shares the very object the
//! exporter has). Each names an instance in the store (`FuncInst` in
//! `store::funcs`, `MemoryInst` in `memory`, ...); what the embedder does
//! with them is in `api` (`api::func`, `api::handle_ops`).

use crate::error::RuntimeError;

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

/// A memory handle (like `WebAssembly.Memory`).
///
/// ```
/// use touchstone_engine::{Memory, MemoryType, Store};
/// let mut store = Store::default();
/// let mem = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
/// mem.write(&mut store, 8, b"hey").unwrap();
/// let mut buf = [0u8; 3];
/// mem.read(&store, 8, &mut buf).unwrap();
/// assert_eq!(&buf, b"hey");
/// assert_eq!(mem.grow(&mut store, 1), Some(1));
/// assert_eq!(mem.grow(&mut store, 1), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

/// A table handle (like `WebAssembly.Table`).
///
/// ```
/// use touchstone_engine::{RefType, Store, Table, TableType, Val, ExternRef};
/// let mut store = Store::default();
/// let t = Table::new(&mut store, TableType::new(RefType::EXTERNREF, 2, None), Val::ExternRef(None)).unwrap();
/// t.set(&mut store, 1, Val::ExternRef(Some(ExternRef(9)))).unwrap();
/// assert_eq!(t.get(&store, 1), Some(Val::ExternRef(Some(ExternRef(9)))));
/// assert_eq!(t.grow(&mut store, 3, Val::ExternRef(None)), Ok(2));
/// assert_eq!(t.size(&store), 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

/// A global handle (like `WebAssembly.Global`).
///
/// ```
/// use touchstone_engine::{Global, GlobalType, Store, Val, ValType};
/// let mut store = Store::default();
/// let g = Global::new(&mut store, GlobalType::new(ValType::I64, true), Val::I64(1)).unwrap();
/// g.set(&mut store, Val::I64(2)).unwrap();
/// assert_eq!(g.get(&store), Val::I64(2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

/// A tag handle (like `WebAssembly.Tag`).
///
/// ```
/// use touchstone_engine::{FuncType, Store, Tag, ValType};
/// let mut store = Store::default();
/// let tag = Tag::new(&mut store, FuncType::new([ValType::I32], []));
/// assert_eq!(tag.ty(&store).params(), &[ValType::I32]);
/// assert_ne!(tag, Tag::new(&mut store, FuncType::new([ValType::I32], [])));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag(pub(crate) u32);

/// An exception handle (the payload of a non-null `exnref`).
///
/// ```
/// use touchstone_engine::{Exn, Val};
/// assert_eq!(Val::ExnRef(None).ty(), touchstone_engine::ValType::EXNREF);
/// let _unused: Option<Exn> = None;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exn(pub(crate) u32);

impl RuntimeError {
    /// An exception in flight: escaping from wasm to the embedder, or
    /// returned by a store-local host function to throw it into the calling
    /// wasm code (see [`Func::new_local`](crate::Func::new_local)).
    pub fn throw(exn: Exn) -> Self {
        RuntimeError::uncaught(exn.0)
    }

    /// The exception, for [`TrapKind::UncaughtException`](crate::TrapKind::UncaughtException).
    pub fn exception(&self) -> Option<Exn> {
        self.exception_address().map(Exn)
    }
}
