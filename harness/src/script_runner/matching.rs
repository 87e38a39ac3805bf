//! Does a value an engine returned match what the script expects?
//!
//! Patterns go beyond equality: `nan:canonical` / `nan:arithmetic` (also per
//! `v128` lane), reference results that only name a kind (`ref.func`,
//! `ref.struct`...), nulls of a hierarchy, and `either` alternatives.

use wast::core::{HeapType, NanPattern, V128Pattern, WastRetCore};
use wast::token::{F32, F64};

use super::values::null_kind;
use crate::engine::{Ref, Value};

/// Whether `value` matches `pattern`.
pub fn matches(value: &Value, pattern: &WastRetCore<'_>) -> bool {
    match (pattern, value) {
        (WastRetCore::Either(alternatives), _) => alternatives.iter().any(|p| matches(value, p)),
        (WastRetCore::I32(e), Value::I32(a)) => e == a,
        (WastRetCore::I64(e), Value::I64(a)) => e == a,
        (WastRetCore::F32(p), Value::F32(bits)) => f32_matches(*bits, p),
        (WastRetCore::F64(p), Value::F64(bits)) => f64_matches(*bits, p),
        (WastRetCore::V128(p), Value::V128(bits)) => v128_matches(*bits, p),
        (_, Value::Ref(r)) => ref_matches(r, pattern),
        _ => false,
    }
}

/// Which NaN patterns a float's bits satisfy: the one definition of
/// `nan:canonical` and `nan:arithmetic` in the harness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NanClass {
    /// Not a NaN.
    NotNan,
    /// Any sign, quiet bit only: matches both `nan:canonical` and `nan:arithmetic`.
    Canonical,
    /// Any sign, quiet bit set, some other payload bit too: `nan:arithmetic` only.
    Arithmetic,
    /// A signalling NaN (quiet bit clear): neither pattern.
    Signalling,
}

/// The [`NanClass`] of an `f32`.
pub fn f32_nan_class(bits: u32) -> NanClass {
    nan_class(bits.into(), 0x7f80_0000, 0x0040_0000)
}

/// The [`NanClass`] of an `f64`.
pub fn f64_nan_class(bits: u64) -> NanClass {
    nan_class(bits, 0x7ff0_0000_0000_0000, 0x0008_0000_0000_0000)
}

fn nan_class(bits: u64, exponent: u64, quiet: u64) -> NanClass {
    let payload = bits & (quiet * 2 - 1);
    if bits & exponent != exponent || payload == 0 {
        NanClass::NotNan
    } else if payload == quiet {
        NanClass::Canonical
    } else if payload & quiet != 0 {
        NanClass::Arithmetic
    } else {
        NanClass::Signalling
    }
}

fn nan_matches<T>(class: NanClass, p: &NanPattern<T>, equal: impl Fn(&T) -> bool) -> bool {
    match p {
        NanPattern::CanonicalNan => class == NanClass::Canonical,
        NanPattern::ArithmeticNan => matches!(class, NanClass::Canonical | NanClass::Arithmetic),
        NanPattern::Value(v) => equal(v),
    }
}

fn f32_matches(bits: u32, p: &NanPattern<F32>) -> bool {
    nan_matches(f32_nan_class(bits), p, |v| bits == v.bits)
}

fn f64_matches(bits: u64, p: &NanPattern<F64>) -> bool {
    nan_matches(f64_nan_class(bits), p, |v| bits == v.bits)
}

fn v128_matches(bits: u128, p: &V128Pattern) -> bool {
    let b = bits.to_le_bytes();
    match p {
        V128Pattern::I8x16(l) => l.iter().zip(b).all(|(e, a)| *e as u8 == a),
        V128Pattern::I16x8(l) => l.iter().zip(b.chunks(2)).all(|(e, a)| e.to_le_bytes() == a),
        V128Pattern::I32x4(l) => l.iter().zip(b.chunks(4)).all(|(e, a)| e.to_le_bytes() == a),
        V128Pattern::I64x2(l) => l.iter().zip(b.chunks(8)).all(|(e, a)| e.to_le_bytes() == a),
        V128Pattern::F32x4(l) => l
            .iter()
            .zip(b.chunks(4))
            .all(|(p, a)| f32_matches(u32::from_le_bytes(a.try_into().unwrap()), p)),
        V128Pattern::F64x2(l) => l
            .iter()
            .zip(b.chunks(8))
            .all(|(p, a)| f64_matches(u64::from_le_bytes(a.try_into().unwrap()), p)),
    }
}

fn ref_matches(r: &Ref, pattern: &WastRetCore<'_>) -> bool {
    match pattern {
        // A bare `ref.null` matches a null of any hierarchy.
        WastRetCore::RefNull(None) => matches!(r, Ref::Null(_)),
        WastRetCore::RefNull(Some(ty)) => match (null_kind(ty), r) {
            (Some(kind), Ref::Null(actual)) => kind == *actual,
            // A concrete type's hierarchy is not known here: any null will do.
            (None, Ref::Null(_)) => matches!(ty, HeapType::Concrete(_) | HeapType::Exact(_)),
            _ => false,
        },
        WastRetCore::RefExtern(None) => matches!(r, Ref::Extern(_) | Ref::ExternGc),
        WastRetCore::RefExtern(Some(n)) => *r == Ref::Extern(*n),
        WastRetCore::RefHost(n) => *r == Ref::Host(*n),
        // The function's identity is not observable through the seam.
        WastRetCore::RefFunc(_) => *r == Ref::Func,
        // Any non-null reference of the `any` hierarchy.
        WastRetCore::RefAny => {
            matches!(
                r,
                Ref::Host(_) | Ref::I31(_) | Ref::Struct | Ref::Array | Ref::Opaque
            )
        }
        WastRetCore::RefEq => matches!(r, Ref::I31(_) | Ref::Struct | Ref::Array),
        WastRetCore::RefStruct => *r == Ref::Struct,
        WastRetCore::RefArray => *r == Ref::Array,
        WastRetCore::RefI31 | WastRetCore::RefI31Shared => matches!(r, Ref::I31(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::NullKind;
    use wast::core::AbstractHeapType;

    /// Parses one result pattern the way a script writes it.
    fn pattern(text: &str, check: impl FnOnce(&WastRetCore<'_>)) {
        let src = format!("(assert_return (invoke \"f\") {text})");
        let buf = wast::parser::ParseBuffer::new(&src).unwrap();
        let wast = wast::parser::parse::<wast::Wast>(&buf).unwrap();
        let wast::WastDirective::AssertReturn { results, .. } = &wast.directives[0] else {
            panic!("not an assert_return")
        };
        let wast::WastRet::Core(p) = &results[0] else {
            panic!("not core")
        };
        check(p)
    }

    fn yes(text: &str, v: Value) {
        pattern(text, |p| {
            assert!(matches(&v, p), "{text} should match {v:?}")
        });
    }

    fn no(text: &str, v: Value) {
        pattern(text, |p| {
            assert!(!matches(&v, p), "{text} should not match {v:?}")
        });
    }

    #[test]
    fn integers_and_types_must_agree() {
        yes("(i32.const -1)", Value::I32(-1));
        no("(i32.const -1)", Value::I64(-1));
        yes("(i64.const 0x8000000000000000)", Value::I64(i64::MIN));
    }

    #[test]
    fn float_values_compare_bits() {
        yes("(f32.const -0)", Value::F32(0x8000_0000));
        no("(f32.const -0)", Value::F32(0));
        yes("(f64.const nan:0x4)", Value::F64(0x7ff0_0000_0000_0004));
        no("(f64.const nan:0x4)", Value::F64(0x7ff8_0000_0000_0000));
    }

    #[test]
    fn canonical_nan_is_quiet_bit_only_any_sign() {
        yes("(f32.const nan:canonical)", Value::F32(0x7fc0_0000));
        yes("(f32.const nan:canonical)", Value::F32(0xffc0_0000));
        no("(f32.const nan:canonical)", Value::F32(0x7fc0_0001));
        no("(f32.const nan:canonical)", Value::F32(0x7f80_0000)); // infinity
        yes(
            "(f64.const nan:canonical)",
            Value::F64(0xfff8_0000_0000_0000),
        );
        no(
            "(f64.const nan:canonical)",
            Value::F64(0x7ff8_0000_0000_0001),
        );
    }

    #[test]
    fn arithmetic_nan_needs_the_quiet_bit() {
        yes("(f32.const nan:arithmetic)", Value::F32(0x7fc0_0001));
        yes("(f32.const nan:arithmetic)", Value::F32(0xffff_ffff));
        no("(f32.const nan:arithmetic)", Value::F32(0x7fa0_0000)); // signalling
        yes(
            "(f64.const nan:arithmetic)",
            Value::F64(0x7ffc_0000_0000_0000),
        );
        no(
            "(f64.const nan:arithmetic)",
            Value::F64(0x7ff4_0000_0000_0000),
        );
    }

    #[test]
    fn v128_lanes_in_every_shape() {
        let bits = u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
        yes("(v128.const i32x4 1 2 3 4)", Value::V128(bits));
        no("(v128.const i32x4 4 3 2 1)", Value::V128(bits));
        yes("(v128.const i16x8 1 0 2 0 3 0 4 0)", Value::V128(bits));
        yes(
            "(v128.const i8x16 1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0)",
            Value::V128(bits),
        );
        yes(
            "(v128.const i64x2 0x200000001 0x400000003)",
            Value::V128(bits),
        );
        no("(v128.const i32x4 1 2 3 4)", Value::I32(1));
    }

    #[test]
    fn v128_float_lanes_take_nan_patterns_per_lane() {
        let lanes: [u32; 4] = [0x7fc0_0000, 0xffc0_0001, 1.0f32.to_bits(), 0x8000_0000];
        let mut bytes = [0u8; 16];
        for (i, l) in lanes.iter().enumerate() {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&l.to_le_bytes());
        }
        let v = Value::V128(u128::from_le_bytes(bytes));
        yes(
            "(v128.const f32x4 nan:canonical nan:arithmetic 1.0 -0.0)",
            v.clone(),
        );
        no(
            "(v128.const f32x4 nan:canonical nan:canonical 1.0 -0.0)",
            v.clone(),
        );
        no("(v128.const f32x4 nan:canonical nan:arithmetic 1.0 0.0)", v);
        let d = u128::from(0x7ff8_0000_0000_0000u64) | (u128::from(2.5f64.to_bits()) << 64);
        yes("(v128.const f64x2 nan:canonical 2.5)", Value::V128(d));
        no("(v128.const f64x2 2.5 nan:canonical)", Value::V128(d));
    }

    #[test]
    fn either_matches_any_alternative() {
        let p = "(either (i32.const 1) (i32.const 2))";
        yes(p, Value::I32(2));
        no(p, Value::I32(3));
        yes(
            "(either (v128.const i32x4 0 0 0 0) (f32.const nan:canonical))",
            Value::F32(0x7fc0_0000),
        );
    }

    #[test]
    fn null_references_by_hierarchy() {
        yes("(ref.null func)", Value::Ref(Ref::Null(NullKind::Func)));
        yes("(ref.null nofunc)", Value::Ref(Ref::Null(NullKind::Func)));
        no("(ref.null func)", Value::Ref(Ref::Null(NullKind::Extern)));
        yes("(ref.null none)", Value::Ref(Ref::Null(NullKind::Any)));
        yes("(ref.null struct)", Value::Ref(Ref::Null(NullKind::Any)));
        yes("(ref.null exn)", Value::Ref(Ref::Null(NullKind::Exn)));
        yes("(ref.null)", Value::Ref(Ref::Null(NullKind::Extern)));
        no("(ref.null extern)", Value::Ref(Ref::Extern(0)));
    }

    #[test]
    fn non_null_references_by_kind() {
        yes("(ref.extern 1)", Value::Ref(Ref::Extern(1)));
        no("(ref.extern 1)", Value::Ref(Ref::Extern(2)));
        yes("(ref.extern)", Value::Ref(Ref::Extern(7)));
        yes("(ref.extern)", Value::Ref(Ref::ExternGc));
        no("(ref.extern 4294967295)", Value::Ref(Ref::ExternGc));
        no("(ref.extern)", Value::Ref(Ref::Null(NullKind::Extern)));
        yes("(ref.host 3)", Value::Ref(Ref::Host(3)));
        yes("(ref.func)", Value::Ref(Ref::Func));
        no("(ref.func)", Value::Ref(Ref::Null(NullKind::Func)));
        yes("(ref.struct)", Value::Ref(Ref::Struct));
        no("(ref.struct)", Value::Ref(Ref::Array));
        yes("(ref.array)", Value::Ref(Ref::Array));
        yes("(ref.i31)", Value::Ref(Ref::I31(-5)));
        yes("(ref.eq)", Value::Ref(Ref::I31(0)));
        no("(ref.eq)", Value::Ref(Ref::Host(0)));
        yes("(ref.any)", Value::Ref(Ref::Host(0)));
        no("(ref.any)", Value::Ref(Ref::Null(NullKind::Any)));
        no("(ref.any)", Value::Ref(Ref::Func));
    }

    #[test]
    fn null_kind_covers_bottom_types() {
        let ty = HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::NoExtern,
        };
        assert_eq!(null_kind(&ty), Some(NullKind::Extern));
    }
}
