//! Values on the command line: arguments parsed per parameter type, results
//! printed in the `.wast` script syntax (`(i32.const 42)`).
//!
//! Literals are read by the `wast` crate's own parser, so every form a
//! script accepts works here too: `-7`, `0xff`, `1_000`, `1.5`, `0x1p-3`,
//! `inf`, `nan:0x200000`, `i32x4 1 2 3 4` for a `v128`, `null` (or
//! `ref.null func`) and `ref.extern 3` for references. A fully written
//! `(i32.const 5)` is accepted as well.

use touchstone_engine::{ExternRef, Val, ValType};

use crate::script_runner::values::render_value;
use wast::core::{AbstractHeapType, HeapType, WastArgCore};
use wast::parser::{self, ParseBuffer};

/// Parses one argument of type `ty`.
pub fn parse_arg(text: &str, ty: ValType) -> Result<Val, String> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(trimmed)
        .trim();
    let source = match ty {
        _ if inner.contains(".const ") || inner.starts_with("ref.") => inner.to_string(),
        ValType::I32 => format!("i32.const {inner}"),
        ValType::I64 => format!("i64.const {inner}"),
        ValType::F32 => format!("f32.const {inner}"),
        ValType::F64 => format!("f64.const {inner}"),
        ValType::V128 => format!("v128.const {inner}"),
        ValType::Ref(rt) if inner == "null" => {
            format!(
                "ref.null {}",
                if rt.is_extern_ref() { "extern" } else { "func" }
            )
        }
        ValType::Ref(_) => inner.to_string(),
    };
    let buffer = ParseBuffer::new(&source).map_err(|e| format!("{text:?}: {}", e.message()))?;
    let arg: WastArgCore =
        parser::parse(&buffer).map_err(|e| format!("{text:?}: {}", e.message()))?;
    let val = match arg {
        WastArgCore::I32(x) => Val::I32(x),
        WastArgCore::I64(x) => Val::I64(x),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::V128(x) => Val::V128(u128::from_le_bytes(x.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
            ..
        }) => Val::FuncRef(None),
        WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            ..
        }) => Val::ExternRef(None),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef(n))),
        WastArgCore::RefNull(_) | WastArgCore::RefHost(_) => {
            return Err(format!(
                "{text:?}: only funcref and externref arguments are supported"
            ))
        }
    };
    if !val.matches(ty) {
        return Err(format!(
            "{text:?} is a {}, the parameter is a {}",
            type_name(val.ty()),
            type_name(ty)
        ));
    }
    Ok(val)
}

/// Formats a value as a `.wast` constant: `(i32.const -1)`, `(f64.const nan:0x8000000000001)`.
/// The value goes through the touchstone adapter's conversion to the seam's
/// [`Value`](crate::engine::Value), so `touchstone run` and the script
/// runner's reports print with the one printer, [`render_value`].
pub fn format_val(val: &Val) -> String {
    render_value(&crate::engine::touchstone::from_val(val), None)
}

/// The text-format name of a value type (`i32`, `funcref`, ...).
pub fn type_name(ty: ValType) -> String {
    match ty {
        ValType::I32 => "i32".into(),
        ValType::I64 => "i64".into(),
        ValType::F32 => "f32".into(),
        ValType::F64 => "f64".into(),
        ValType::V128 => "v128".into(),
        ValType::Ref(rt)
            if rt.is_func_ref()
                && rt.is_nullable()
                && rt.heap_type() == wasmparser::HeapType::FUNC =>
        {
            "funcref".into()
        }
        ValType::Ref(rt)
            if rt.is_extern_ref()
                && rt.is_nullable()
                && rt.heap_type() == wasmparser::HeapType::EXTERN =>
        {
            "externref".into()
        }
        ValType::Ref(rt) => format!("{rt}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(val: Val) -> Val {
        let text = format_val(&val);
        parse_arg(&text, val.ty()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn plain_literals_take_the_parameter_type() {
        assert_eq!(parse_arg("-7", ValType::I32), Ok(Val::I32(-7)));
        assert_eq!(parse_arg("0xffffffff", ValType::I32), Ok(Val::I32(-1)));
        assert_eq!(parse_arg("1_000", ValType::I64), Ok(Val::I64(1000)));
        assert_eq!(
            parse_arg("1.5", ValType::F32),
            Ok(Val::F32(1.5f32.to_bits()))
        );
        assert_eq!(
            parse_arg("0x1p-3", ValType::F64),
            Ok(Val::F64(0.125f64.to_bits()))
        );
        assert_eq!(
            parse_arg("-inf", ValType::F64),
            Ok(Val::F64(f64::NEG_INFINITY.to_bits()))
        );
        assert_eq!(
            parse_arg("nan:0x200000", ValType::F32),
            Ok(Val::F32(0x7fa0_0000))
        );
        assert_eq!(
            parse_arg("null", ValType::EXTERNREF),
            Ok(Val::ExternRef(None))
        );
        assert_eq!(
            parse_arg("ref.extern 3", ValType::EXTERNREF),
            Ok(Val::ExternRef(Some(ExternRef(3))))
        );
        assert_eq!(parse_arg("i32x4 1 0 0 0", ValType::V128), Ok(Val::V128(1)));
    }

    #[test]
    fn script_syntax_is_accepted_and_type_checked() {
        assert_eq!(parse_arg("(i64.const 5)", ValType::I64), Ok(Val::I64(5)));
        let err = parse_arg("(i64.const 5)", ValType::I32).unwrap_err();
        assert!(err.contains("is a i64, the parameter is a i32"), "{err}");
        assert!(
            parse_arg("4294967296", ValType::I32).is_err(),
            "out of range for i32"
        );
        assert!(parse_arg("abc", ValType::I32).is_err());
    }

    #[test]
    fn formatted_values_read_back_to_the_same_bits() {
        for val in [
            Val::I32(i32::MIN),
            Val::I64(-1),
            Val::F32(0.1f32.to_bits()),
            Val::F32(0x8000_0000),
            Val::F32(0x7fc0_0000),
            Val::F32(0xffa0_0001),
            Val::F64(f64::MAX.to_bits()),
            Val::F64(f64::from_bits(1).to_bits()),
            Val::F64(0x7ff0_0000_0000_0000),
            Val::F64(0xfff8_0000_0000_0000),
            Val::V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
            Val::ExternRef(None),
            Val::FuncRef(None),
            Val::ExternRef(Some(ExternRef(9))),
        ] {
            assert_eq!(round_trip(val), val, "{}", format_val(&val));
        }
    }

    #[test]
    fn formats_match_the_script_syntax() {
        assert_eq!(format_val(&Val::I32(-1)), "(i32.const -1)");
        assert_eq!(format_val(&Val::F32(0x7fc0_0000)), "(f32.const nan)");
        assert_eq!(
            format_val(&Val::F64(0xfff0_0000_0000_0001)),
            "(f64.const -nan:0x1)"
        );
        assert_eq!(format_val(&Val::F64(2.5f64.to_bits())), "(f64.const 2.5)");
        assert_eq!(
            format_val(&Val::F32(f32::INFINITY.to_bits())),
            "(f32.const inf)"
        );
    }
}
