//! The module names a binary imports from, so a link failure caused by an
//! earlier failed `register` can be told from a real one.

use wasmparser::{Parser, Payload};

/// The distinct module names in `wasm`'s import section (empty if it has
/// none or cannot be read).
pub fn import_modules(wasm: &[u8]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload {
            Ok(Payload::ImportSection(reader)) => {
                for import in reader.into_imports().flatten() {
                    if !names.iter().any(|n| n == import.module) {
                        names.push(import.module.to_string());
                    }
                }
            }
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => break,
            Ok(_) => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_import_module_once() {
        let wasm = wast::parser::parse::<wast::Wat>(
            &wast::parser::ParseBuffer::new(
                r#"(module (import "a" "f" (func)) (import "b" "g" (global i32)) (import "a" "h" (func)))"#,
            )
            .unwrap(),
        )
        .unwrap()
        .encode()
        .unwrap();
        assert_eq!(import_modules(&wasm), ["a", "b"]);
        assert!(import_modules(b"not wasm").is_empty());
    }
}
