//! Values (spec 4.2.1) and their raw 64-bit slot encoding.
//!
//! Inside the interpreter every value is untyped `u64` slots: integers and
//! float bits as they are, a `v128` as two slots (low half first), and a
//! reference as `0` for null or `address + 1` for a non-null one. The
//! validator guarantees the types, so slots never need tags.

use super::canon::{is_any_hierarchy, is_exn_hierarchy, is_extern_hierarchy};
use super::gc::heap::{is_host, AnyRef};
use super::handles::{Exn, Func};
use super::types::{RefType, ValType};

/// A host reference, the payload of a non-null `externref`.
///
/// ```
/// use touchstone_engine::{ExternRef, Val};
/// let v = Val::ExternRef(Some(ExternRef(7)));
/// assert_eq!(v, Val::ExternRef(Some(ExternRef(7))));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExternRef(pub u32);

/// A WebAssembly value as the embedder sees it. Floats are kept as bits so
/// NaN payloads survive.
///
/// ```
/// use touchstone_engine::{Val, ValType};
/// assert_eq!(Val::I32(1).ty(), ValType::I32);
/// assert_eq!(Val::default_for(ValType::F32), Val::F32(0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float, as bits.
    F32(u32),
    /// A 64-bit float, as bits.
    F64(u64),
    /// A 128-bit vector, little-endian.
    V128(u128),
    /// A function reference, or null.
    FuncRef(Option<Func>),
    /// A host reference, or null.
    ExternRef(Option<ExternRef>),
    /// An exception reference, or null.
    ExnRef(Option<Exn>),
    /// A reference of the `any` hierarchy (GC: i31, struct, array, or a
    /// host reference converted with `any.convert_extern`), or null.
    AnyRef(Option<AnyRef>),
    /// A non-null `externref` made from a GC value by `extern.convert_any`
    /// (never [`AnyRef::Host`]: a converted host reference is an [`ExternRef`]).
    ExternGc(AnyRef),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
            Val::AnyRef(_) => ValType::Ref(RefType::ANYREF),
            Val::ExternGc(_) => ValType::EXTERNREF,
        }
    }

    /// The zero value of a type (null for references), used for locals and tables.
    pub fn default_for(ty: ValType) -> Val {
        Val::from_raw(0, ty)
    }

    /// Whether this value is of type `ty` (references by hierarchy).
    pub fn matches(&self, ty: ValType) -> bool {
        match (self, ty) {
            // Typed function references need the store to check a concrete
            // type; the hierarchy and nullability are checked here.
            (Val::FuncRef(f), ValType::Ref(rt)) => {
                !is_extern_hierarchy(rt)
                    && !is_exn_hierarchy(rt)
                    && (f.is_some() || rt.is_nullable())
            }
            (Val::ExternRef(e), ValType::Ref(rt)) => {
                is_extern_hierarchy(rt) && (e.is_some() || rt.is_nullable())
            }
            (Val::ExnRef(e), ValType::Ref(rt)) => {
                is_exn_hierarchy(rt) && (e.is_some() || rt.is_nullable())
            }
            // Concrete GC types need the store; hierarchy and nullability here.
            (Val::AnyRef(a), ValType::Ref(rt)) => {
                is_any_hierarchy(rt)
                    && match a {
                        None => rt.is_nullable(),
                        Some(a) => any_ref_matches(*a, rt),
                    }
            }
            (Val::ExternGc(_), ValType::Ref(rt)) => is_extern_hierarchy(rt),
            _ => self.ty() == ty,
        }
    }

    /// The low 64-bit slot of this value (the only slot except for `v128`).
    pub(crate) fn to_raw(self) -> u64 {
        match self {
            Val::I32(x) => x as u32 as u64,
            Val::I64(x) => x as u64,
            Val::F32(x) => x as u64,
            Val::F64(x) => x,
            Val::V128(x) => x as u64,
            Val::FuncRef(f) => encode_func(f),
            Val::ExternRef(e) => e.map_or(0, |e| e.0 as u64 + 1),
            Val::ExnRef(e) => e.map_or(0, |e| e.0 as u64 + 1),
            Val::AnyRef(a) => a.map_or(0, AnyRef::to_raw),
            Val::ExternGc(a) => a.to_raw(),
        }
    }

    /// The full 128 bits (globals store values this wide so `v128` fits).
    pub(crate) fn to_raw128(self) -> u128 {
        match self {
            Val::V128(x) => x,
            other => other.to_raw() as u128,
        }
    }

    /// Decodes a slot of known type.
    pub(crate) fn from_raw(raw: u64, ty: ValType) -> Val {
        Val::from_raw128(raw as u128, ty)
    }

    /// Decodes a 128-bit raw value of known type.
    pub(crate) fn from_raw128(raw: u128, ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as u64 as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw as u64),
            ValType::V128 => Val::V128(raw),
            ValType::Ref(rt) => ref_from_raw(raw as u64, rt),
        }
    }
}

/// Whether a non-null `any` reference belongs to the abstract heap type of `rt`.
fn any_ref_matches(a: AnyRef, rt: RefType) -> bool {
    use wasmparser::{AbstractHeapType as A, HeapType};
    let HeapType::Abstract { ty, .. } = rt.heap_type() else {
        return false;
    };
    match (ty, a) {
        (A::Any, _) => true,
        (A::Eq, a) => !matches!(a, AnyRef::Host(_)),
        (A::I31, AnyRef::I31(_))
        | (A::Struct, AnyRef::Struct(_))
        | (A::Array, AnyRef::Array(_)) => true,
        _ => false,
    }
}

/// A value's slots (a `v128` as two, low half first) and how many of the
/// two it uses: the slot form both writers below share.
fn slots_of(v: &Val) -> ([u64; 2], usize) {
    match *v {
        Val::V128(x) => ([x as u64, (x >> 64) as u64], 2),
        other => ([other.to_raw(), 0], 1),
    }
}

/// Appends values to a slot stack (see [`slots_of`]).
pub(crate) fn push_slots(vals: &[Val], out: &mut Vec<u64>) {
    for v in vals {
        let (slots, n) = slots_of(v);
        out.extend_from_slice(&slots[..n]);
    }
}

/// [`push_slots`] into `out` from its start: the number of slots written,
/// or `None` (nothing meaningful written) when they do not fit.
pub(crate) fn write_slots(vals: &[Val], out: &mut [u64]) -> Option<usize> {
    let mut at = 0;
    for v in vals {
        let (slots, n) = slots_of(v);
        out.get_mut(at..at + n)?.copy_from_slice(&slots[..n]);
        at += n;
    }
    Some(at)
}

/// Reads values of types `tys` from consecutive slots.
pub(crate) fn read_slots(slots: &[u64], tys: &[ValType]) -> Vec<Val> {
    let mut i = 0;
    tys.iter()
        .map(|&t| {
            if t == ValType::V128 {
                i += 2;
                Val::V128(slots[i - 2] as u128 | (slots[i - 1] as u128) << 64)
            } else {
                i += 1;
                Val::from_raw(slots[i - 1], t)
            }
        })
        .collect()
}

/// Encodes an optional function handle as a reference slot.
pub(crate) fn encode_func(f: Option<Func>) -> u64 {
    f.map_or(0, |f| f.0 as u64 + 1)
}

/// Decodes a reference slot of reference type `rt`.
pub(crate) fn ref_from_raw(raw: u64, rt: RefType) -> Val {
    if is_exn_hierarchy(rt) {
        Val::ExnRef(raw.checked_sub(1).map(|e| Exn(e as u32)))
    } else if is_extern_hierarchy(rt) {
        match raw {
            0 => Val::ExternRef(None),
            r if is_host(r) => Val::ExternRef(Some(ExternRef((r - 1) as u32))),
            r => Val::ExternGc(AnyRef::from_raw(r).expect("non-null")),
        }
    } else if is_any_hierarchy(rt) || !is_host(raw) {
        Val::AnyRef(AnyRef::from_raw(raw))
    } else {
        Val::FuncRef(raw.checked_sub(1).map(|a| Func(a as u32)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_slots_matches_push_slots_or_refuses_what_does_not_fit() {
        let vals = [Val::I32(-1), Val::V128(3 << 64 | 4), Val::F64(9)];
        let mut pushed = Vec::new();
        push_slots(&vals, &mut pushed);
        let mut out = [7; 5];
        assert_eq!(write_slots(&vals, &mut out), Some(4));
        assert_eq!(&out[..4], &pushed[..]);
        // A v128 whose high half would pass the end does not fit.
        assert_eq!(write_slots(&vals, &mut [0; 2]), None);
        assert_eq!(write_slots(&vals, &mut [0; 3]), None);
        assert_eq!(write_slots(&[], &mut []), Some(0));
    }

    #[test]
    fn raw_round_trip_keeps_bits() {
        let nan = 0x7fa0_0001u32;
        for (v, ty) in [
            (Val::I32(-5), ValType::I32),
            (Val::I64(i64::MIN), ValType::I64),
            (Val::F32(nan), ValType::F32),
            (Val::F64(0x8000_0000_0000_0000), ValType::F64),
            (Val::FuncRef(None), ValType::FUNCREF),
            (Val::FuncRef(Some(Func(3))), ValType::FUNCREF),
            (Val::ExternRef(Some(ExternRef(0))), ValType::EXTERNREF),
            (Val::ExternRef(None), ValType::EXTERNREF),
        ] {
            assert_eq!(Val::from_raw(v.to_raw(), ty), v);
        }
        assert_eq!(
            Val::from_raw128(Val::V128(u128::MAX).to_raw128(), ValType::V128),
            Val::V128(u128::MAX)
        );
    }

    #[test]
    fn v128_takes_two_slots_low_half_first() {
        let vals = [Val::I32(-1), Val::V128(1 << 64 | 2), Val::F64(3)];
        let mut slots = Vec::new();
        push_slots(&vals, &mut slots);
        assert_eq!(slots, vec![0xffff_ffff, 2, 1, 3]);
        assert_eq!(
            read_slots(&slots, &[ValType::I32, ValType::V128, ValType::F64]),
            vals
        );
    }

    #[test]
    fn any_refs_match_their_abstract_types() {
        let i31 = Val::AnyRef(Some(AnyRef::I31(1)));
        let host = Val::AnyRef(Some(AnyRef::Host(1)));
        assert!(i31.matches(ValType::Ref(RefType::EQREF)));
        assert!(!i31.matches(ValType::Ref(RefType::STRUCTREF)));
        assert!(!host.matches(ValType::Ref(RefType::EQREF)));
        assert!(host.matches(ValType::Ref(RefType::ANYREF)));
        assert!(Val::AnyRef(None).matches(ValType::Ref(RefType::NULLREF)));
        assert!(!Val::AnyRef(None).matches(ValType::Ref(RefType::ANY)));
        assert!(!i31.matches(ValType::EXTERNREF));
        assert_eq!(
            Val::from_raw(i31.to_raw(), ValType::Ref(RefType::I31REF)),
            i31
        );
    }

    #[test]
    fn null_matches_only_nullable_types() {
        assert!(Val::FuncRef(None).matches(ValType::FUNCREF));
        assert!(!Val::FuncRef(None).matches(ValType::EXTERNREF));
        assert!(!Val::I32(0).matches(ValType::I64));
    }
}
