//! Runtime structure (spec 4.2): the store and the objects it owns.
//!
//! Objects live in the [`Store`](crate::Store)'s arenas and are named by small copyable
//! [`handles`] ([`Func`](crate::Func), [`Memory`](crate::Memory), ...), the way the JS API hands out
//! `WebAssembly.Memory` objects: an instance importing a memory shares the
//! very same object as the instance that exported it. Objects do not
//! take the store; the store charges their sizes to its budgets, and the
//! handles' operations are the embedding API's (`crate::api`).

pub(crate) mod canon;
pub mod data;
pub mod elem;
pub mod exn;
pub mod gc;
pub mod global;
pub mod handles;
pub mod memory;
pub mod module_instance;
pub mod store;
pub mod table;
pub mod tag;
pub mod types;
pub mod value;
