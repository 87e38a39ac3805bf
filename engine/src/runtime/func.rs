//! Function handles: a function of a store by address (its instance,
//! `FuncInst`, lives in `store::funcs`; what the embedder does with it, in
//! `api::func`).

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
