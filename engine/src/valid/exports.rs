//! Export sections larger than wasmparser's type-size budget allows.
//!
//! wasmparser charges every import and export the size of its type
//! against one module-wide budget (`MAX_WASM_TYPE_SIZE`, 1,000,000 units,
//! a component-model limit it applies to core modules too; a function
//! costs 2), so it refuses a module with 500,000 exports, which the JS
//! API allows up to 1,000,000. Exports of the same item differ only by
//! name, so a large section is checked here for what names decide (the
//! count limit and duplicate names) and wasmparser validates one export
//! per distinct item: everything else it checks about an export (kind,
//! index, type, features) is the same for every export of that item.
//! Sections up to [`DEDUPLICATE_ABOVE`] exports go to wasmparser as they
//! are, so the errors of ordinary modules stay exactly wasmparser's.

use foldhash::HashSet;

use wasmparser::{BinaryReader, ExportSectionReader, ExternalKind, Validator};

use super::classify;
use crate::error::{CompileError, CompileErrorKind};

/// Sections with more exports than this are deduplicated.
pub(super) const DEDUPLICATE_ABOVE: u32 = 100_000;

/// The JS API's limit on exports (wasmparser's `MAX_WASM_EXPORTS` agrees).
const MAX_EXPORTS: u32 = 1_000_000;

/// Validates `section` in `validator`, giving wasmparser one export per
/// distinct item.
pub(super) fn validate_deduplicated(
    validator: &mut Validator,
    section: &ExportSectionReader<'_>,
) -> Result<(), CompileError> {
    let invalid = |message: String, offset: u64| {
        CompileError::new(
            CompileErrorKind::Invalid,
            format!("{message} (at offset {offset:#x})"),
        )
    };
    let start = section.range().start;
    if section.count() > MAX_EXPORTS {
        return Err(invalid(
            format!("exports count exceeds limit of {MAX_EXPORTS}"),
            start,
        ));
    }
    let mut names = HashSet::default();
    let mut items = HashSet::default();
    let mut distinct = Vec::new();
    for export in section.clone().into_iter_with_offsets() {
        let (offset, export) = export.map_err(classify)?;
        if !names.insert(export.name) {
            return Err(invalid(
                format!("duplicate export name `{}` already defined", export.name),
                offset as u64,
            ));
        }
        if items.insert((kind_byte(export.kind), export.index)) {
            distinct.push(export);
        }
    }
    let mut bytes = Vec::new();
    leb128(&mut bytes, distinct.len() as u32);
    for export in &distinct {
        leb128(&mut bytes, export.name.len() as u32);
        bytes.extend_from_slice(export.name.as_bytes());
        bytes.push(kind_byte(export.kind));
        leb128(&mut bytes, export.index);
    }
    let reader = ExportSectionReader::new(BinaryReader::new(&bytes, start)).map_err(classify)?;
    validator.export_section(&reader).map_err(classify)
}

/// The binary encoding of an export's kind (spec 5.5.10).
fn kind_byte(kind: ExternalKind) -> u8 {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => 0,
        ExternalKind::Table => 1,
        ExternalKind::Memory => 2,
        ExternalKind::Global => 3,
        ExternalKind::Tag => 4,
    }
}

fn leb128(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use crate::{validate, CompileErrorKind};

    /// A module with `count` exports of its one function, named `f0`...
    /// (or all `f0` when `duplicate`).
    fn exports(count: u32, duplicate: bool) -> Vec<u8> {
        let mut section = Vec::new();
        super::leb128(&mut section, count);
        for i in 0..count {
            let name = if duplicate {
                "f0".to_string()
            } else {
                format!("f{i}")
            };
            super::leb128(&mut section, name.len() as u32);
            section.extend_from_slice(name.as_bytes());
            section.extend_from_slice(&[0, 0]); // a function, index 0
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type 0: [] -> []
        wasm.extend_from_slice(&[3, 2, 1, 0]); // function 0 of type 0
        wasm.push(7);
        super::leb128(&mut wasm, section.len() as u32);
        wasm.extend_from_slice(&section);
        wasm.extend_from_slice(&[10, 4, 1, 2, 0, 0x0b]); // its body: `end`
        wasm
    }

    #[test]
    fn a_million_exports_of_one_function_are_valid_and_one_more_is_not() {
        assert!(validate(&exports(1_000_000, false)).is_ok());
        let err = validate(&exports(1_000_001, false)).unwrap_err();
        assert_eq!(err.kind(), CompileErrorKind::Invalid);
        assert!(
            err.message().contains("exports count exceeds limit"),
            "{err:?}"
        );
    }

    #[test]
    fn duplicate_names_are_refused_in_large_sections_too() {
        for count in [2, 200_000] {
            let err = validate(&exports(count, true)).unwrap_err();
            assert!(err.message().contains("duplicate export name"), "{err:?}");
        }
    }

    #[test]
    fn an_export_of_an_unknown_item_is_refused_in_large_sections_too() {
        let mut wasm = exports(200_000, false);
        // The last export's index (just before the code section's 6 bytes)
        // names function 1, which does not exist.
        let at = wasm.len() - 7;
        assert_eq!(wasm[at], 0);
        wasm[at] = 1;
        let err = validate(&wasm).unwrap_err();
        assert!(err.message().contains("unknown function"), "{err:?}");
    }
}
