//! Script values: turning `.wast` arguments into engine values, and writing
//! values and patterns back in `.wast` syntax for reports.

use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::WastArg;

use crate::engine::{NullKind, Ref, Value};

/// An argument the runner cannot express as an engine value.
#[derive(Debug)]
pub struct UnsupportedArg(pub String);

/// Converts an `invoke` argument.
pub fn arg(arg: &WastArg<'_>) -> Result<Value, UnsupportedArg> {
    let WastArg::Core(core) = arg else {
        return Err(UnsupportedArg("component-model argument".into()));
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(v.bits),
        WastArgCore::F64(v) => Value::F64(v.bits),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(ty) => {
            Value::Ref(Ref::Null(null_kind(ty).ok_or_else(|| {
                UnsupportedArg(format!("ref.null of a concrete type ({ty:?})"))
            })?))
        }
        WastArgCore::RefExtern(n) => Value::Ref(Ref::Extern(*n)),
        WastArgCore::RefHost(n) => Value::Ref(Ref::Host(*n)),
    })
}

/// The hierarchy a heap type's null belongs to; `None` for concrete types
/// (which hierarchy needs the module's type section).
pub fn null_kind(ty: &HeapType<'_>) -> Option<NullKind> {
    use AbstractHeapType as A;
    match ty {
        HeapType::Abstract { ty, .. } => Some(match ty {
            A::Func | A::NoFunc => NullKind::Func,
            A::Extern | A::NoExtern => NullKind::Extern,
            A::Exn | A::NoExn => NullKind::Exn,
            A::Cont | A::NoCont => NullKind::Cont,
            A::Any | A::Eq | A::Struct | A::Array | A::I31 | A::None => NullKind::Any,
        }),
        HeapType::Concrete(_) | HeapType::Exact(_) => None,
    }
}

/// A value in `.wast` syntax, e.g. `(i32.const 7)`. `shape` picks the lane
/// shape of a `v128` (the expected one, so a diff lines up); `i32x4` otherwise.
pub fn render_value(value: &Value, shape: Option<&V128Pattern>) -> String {
    match value {
        Value::I32(v) => format!("(i32.const {v})"),
        Value::I64(v) => format!("(i64.const {v})"),
        Value::F32(bits) => format!("(f32.const {})", f32_text(*bits)),
        Value::F64(bits) => format!("(f64.const {})", f64_text(*bits)),
        Value::V128(bits) => format!("(v128.const {})", v128_text(*bits, shape)),
        Value::Ref(r) => render_ref(r),
    }
}

/// Values joined by spaces (`` for none).
pub fn render_values(values: &[Value], expected: &[WastRetCore<'_>]) -> String {
    let parts: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let shape = match expected.get(i) {
                Some(WastRetCore::V128(p)) => Some(p),
                _ => None,
            };
            render_value(v, shape)
        })
        .collect();
    parts.join(" ")
}

fn render_ref(r: &Ref) -> String {
    match r {
        Ref::Null(kind) => format!("(ref.null {})", null_kind_text(*kind)),
        Ref::Func => "(ref.func)".into(),
        Ref::Extern(n) => format!("(ref.extern {n})"),
        Ref::ExternGc => "(ref.extern)".into(),
        Ref::Host(n) => format!("(ref.host {n})"),
        Ref::I31(v) => format!("(ref.i31 {v})"),
        Ref::Struct => "(ref.struct)".into(),
        Ref::Array => "(ref.array)".into(),
        Ref::Exn => "(ref.exn)".into(),
        Ref::Opaque => "(ref.any)".into(),
    }
}

fn null_kind_text(kind: NullKind) -> &'static str {
    match kind {
        NullKind::Func => "func",
        NullKind::Extern => "extern",
        NullKind::Any => "any",
        NullKind::Exn => "exn",
        NullKind::Cont => "cont",
    }
}

/// An expected result in `.wast` syntax.
pub fn render_pattern(p: &WastRetCore<'_>) -> String {
    match p {
        WastRetCore::I32(v) => format!("(i32.const {v})"),
        WastRetCore::I64(v) => format!("(i64.const {v})"),
        WastRetCore::F32(p) => format!("(f32.const {})", nan_pattern_text(p, |f| f32_text(f.bits))),
        WastRetCore::F64(p) => format!("(f64.const {})", nan_pattern_text(p, |f| f64_text(f.bits))),
        WastRetCore::V128(p) => format!("(v128.const {})", v128_pattern_text(p)),
        WastRetCore::RefNull(None) => "(ref.null)".into(),
        WastRetCore::RefNull(Some(ty)) => match ty {
            HeapType::Abstract { ty, .. } => format!("(ref.null {})", abstract_text(*ty)),
            other => format!("(ref.null {other:?})"),
        },
        WastRetCore::RefExtern(None) => "(ref.extern)".into(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefHost(n) => format!("(ref.host {n})"),
        WastRetCore::RefFunc(_) => "(ref.func)".into(),
        WastRetCore::RefAny => "(ref.any)".into(),
        WastRetCore::RefEq => "(ref.eq)".into(),
        WastRetCore::RefArray => "(ref.array)".into(),
        WastRetCore::RefStruct => "(ref.struct)".into(),
        WastRetCore::RefI31 => "(ref.i31)".into(),
        WastRetCore::RefI31Shared => "(ref.i31_shared)".into(),
        WastRetCore::Either(ps) => {
            let alts: Vec<String> = ps.iter().map(render_pattern).collect();
            format!("(either {})", alts.join(" "))
        }
    }
}

/// Expected results joined by spaces.
pub fn render_patterns(ps: &[WastRetCore<'_>]) -> String {
    ps.iter().map(render_pattern).collect::<Vec<_>>().join(" ")
}

fn abstract_text(ty: AbstractHeapType) -> &'static str {
    use AbstractHeapType as A;
    match ty {
        A::Func => "func",
        A::Extern => "extern",
        A::Exn => "exn",
        A::Cont => "cont",
        A::Any => "any",
        A::Eq => "eq",
        A::Struct => "struct",
        A::Array => "array",
        A::I31 => "i31",
        A::NoFunc => "nofunc",
        A::NoExtern => "noextern",
        A::None => "none",
        A::NoExn => "noexn",
        A::NoCont => "nocont",
    }
}

fn nan_pattern_text<T>(p: &NanPattern<T>, value: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => value(v),
    }
}

/// A float value in `.wast` syntax, the one printer for every float the
/// harness shows (results in reports, `touchstone run`'s output): the
/// shortest decimal that reads back to the same bits, `inf`, and NaNs as
/// `nan` when the payload is the canonical one, `nan:0x..` otherwise (a
/// canonical NaN is `nan:canonical` only as a pattern, see
/// [`render_pattern`]).
pub fn f32_text(bits: u32) -> String {
    float_text(
        f32::from_bits(bits),
        bits >> 31 == 1,
        (bits & 0x007f_ffff).into(),
        0x40_0000,
    )
}

/// Like [`f32_text`], for `f64`.
pub fn f64_text(bits: u64) -> String {
    float_text(
        f64::from_bits(bits),
        bits >> 63 == 1,
        bits & 0x000f_ffff_ffff_ffff,
        0x8_0000_0000_0000,
    )
}

/// `f`'s text, given its sign, its payload and the canonical NaN payload.
fn float_text<F: std::fmt::Debug + Into<f64> + Copy>(
    f: F,
    negative: bool,
    payload: u64,
    canonical: u64,
) -> String {
    let sign = if negative { "-" } else { "" };
    let wide: f64 = f.into();
    if wide.is_nan() && payload == canonical {
        format!("{sign}nan")
    } else if wide.is_nan() {
        format!("{sign}nan:0x{payload:x}")
    } else if wide.is_infinite() {
        format!("{sign}inf")
    } else {
        // `Debug`, not `Display`: `1e300`, not 301 digits.
        format!("{f:?}")
    }
}

/// A `v128` in `.wast` syntax, in the lanes of `shape` (`i32x4` without one).
pub fn v128_text(bits: u128, shape: Option<&V128Pattern>) -> String {
    let bytes = bits.to_le_bytes();
    let lanes = |n: usize| bytes.chunks(16 / n);
    match shape {
        Some(V128Pattern::I8x16(_)) => {
            format!(
                "i8x16 {}",
                join(lanes(16).map(|c| (c[0] as i8).to_string()))
            )
        }
        Some(V128Pattern::I16x8(_)) => format!(
            "i16x8 {}",
            join(lanes(8).map(|c| i16::from_le_bytes([c[0], c[1]]).to_string()))
        ),
        Some(V128Pattern::I64x2(_)) => format!(
            "i64x2 {}",
            join(lanes(2).map(|c| i64::from_le_bytes(c.try_into().unwrap()).to_string()))
        ),
        Some(V128Pattern::F32x4(_)) => format!(
            "f32x4 {}",
            join(lanes(4).map(|c| f32_text(u32::from_le_bytes(c.try_into().unwrap()))))
        ),
        Some(V128Pattern::F64x2(_)) => format!(
            "f64x2 {}",
            join(lanes(2).map(|c| f64_text(u64::from_le_bytes(c.try_into().unwrap()))))
        ),
        Some(V128Pattern::I32x4(_)) | None => format!(
            "i32x4 {}",
            join(lanes(4).map(|c| i32::from_le_bytes(c.try_into().unwrap()).to_string()))
        ),
    }
}

fn v128_pattern_text(p: &V128Pattern) -> String {
    match p {
        V128Pattern::I8x16(l) => format!("i8x16 {}", join(l.iter().map(|v| v.to_string()))),
        V128Pattern::I16x8(l) => format!("i16x8 {}", join(l.iter().map(|v| v.to_string()))),
        V128Pattern::I32x4(l) => format!("i32x4 {}", join(l.iter().map(|v| v.to_string()))),
        V128Pattern::I64x2(l) => format!("i64x2 {}", join(l.iter().map(|v| v.to_string()))),
        V128Pattern::F32x4(l) => format!(
            "f32x4 {}",
            join(
                l.iter()
                    .map(|p| nan_pattern_text(p, |f: &F32| f32_text(f.bits)))
            )
        ),
        V128Pattern::F64x2(l) => format!(
            "f64x2 {}",
            join(
                l.iter()
                    .map(|p| nan_pattern_text(p, |f: &F64| f64_text(f.bits)))
            )
        ),
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_render_with_nan_payloads() {
        // The canonical NaN is `nan` as a value; other payloads are spelled out.
        assert_eq!(f32_text(0x7fc0_0000), "nan");
        assert_eq!(f64_text(0xfff8_0000_0000_0000), "-nan");
        assert_eq!(f32_text(0xffa0_0000), "-nan:0x200000");
        assert_eq!(f32_text(0x7fc0_0001), "nan:0x400001");
        assert_eq!(f32_text(0x8000_0000), "-0.0");
        assert_eq!(f64_text(0x7ff0_0000_0000_0000), "inf");
        assert_eq!(f64_text(1.5f64.to_bits()), "1.5");
    }

    #[test]
    fn v128_renders_in_the_expected_shape_lane_zero_first() {
        let bits =
            u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(
            render_value(&Value::V128(bits), None),
            "(v128.const i32x4 1 2 3 -1)"
        );
        let shape = V128Pattern::I64x2([0, 0]);
        assert_eq!(
            render_value(&Value::V128(bits), Some(&shape)),
            "(v128.const i64x2 8589934593 -4294967293)"
        );
    }

    #[test]
    fn refs_render_like_wast() {
        assert_eq!(
            render_value(&Value::Ref(Ref::Null(NullKind::Func)), None),
            "(ref.null func)"
        );
        assert_eq!(
            render_value(&Value::Ref(Ref::Extern(3)), None),
            "(ref.extern 3)"
        );
    }
}
