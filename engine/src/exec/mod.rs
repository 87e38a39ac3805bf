//! Execution (spec 4): translation to the internal instruction form, the
//! interpreter, constant expressions and numerics.

pub(crate) mod atomic_op;
pub(crate) mod code;
pub(crate) mod code_ref;
pub(crate) mod const_eval;
pub(crate) mod gc_op;
pub(crate) mod interp;
pub mod numeric;
pub(crate) mod stack;
pub(crate) mod translate;
