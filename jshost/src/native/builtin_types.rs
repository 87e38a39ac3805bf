//! The exact types of a module's function imports, for the JS String
//! Builtins' compile-time check. A builtin import must have exactly the
//! builtin's type, and type identity is isorecursive: a function type with
//! the right parameters that shares its recursion group with another type,
//! or is not final, is a different type. The engine's import descriptors
//! erase that, so this reads the type section itself.

use wasmparser::{
    CompositeInnerType, HeapType, Parser, Payload, RecGroup, StorageType, SubType, TypeRef,
    UnpackedIndex, ValType,
};

/// The name of the only concrete type a builtin mentions: `(array (mut i16))`,
/// final, alone in its recursion group.
pub(super) const I16_ARRAY: &str = "i16array";

/// One entry per import of the module, in order: for a function import
/// whose type is final, has no supertype and is alone in its recursion
/// group, its parameter and result type names (as `type_name` spells
/// them, with [`I16_ARRAY`] for the builtins' array type and `other` for
/// any other concrete type); `None` for anything else.
pub(super) fn exact_import_types(bytes: &[u8]) -> Vec<Option<(Vec<String>, Vec<String>)>> {
    let mut groups: Vec<(bool, SubType)> = Vec::new(); // by type index: (alone in its group, type)
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(Payload::TypeSection(reader)) => {
                for group in reader.into_iter().flatten() {
                    add_group(&mut groups, &group);
                }
            }
            Ok(Payload::ImportSection(reader)) => {
                for import in reader.into_imports().flatten() {
                    out.push(match import.ty {
                        TypeRef::Func(t) => exact_func(&groups, t),
                        _ => None,
                    });
                }
            }
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn add_group(groups: &mut Vec<(bool, SubType)>, group: &RecGroup) {
    let alone = group.types().len() == 1;
    for ty in group.types() {
        groups.push((alone, ty.clone()));
    }
}

/// A type that is its own canonical singleton: final, no supertype, alone.
fn singleton(groups: &[(bool, SubType)], index: u32) -> Option<&SubType> {
    let (alone, ty) = groups.get(index as usize)?;
    (*alone && ty.is_final && ty.supertype_idxs.is_empty() && !ty.composite_type.shared)
        .then_some(ty)
}

fn exact_func(groups: &[(bool, SubType)], index: u32) -> Option<(Vec<String>, Vec<String>)> {
    let CompositeInnerType::Func(f) = &singleton(groups, index)?.composite_type.inner else {
        return None;
    };
    let names = |ts: &[ValType]| ts.iter().map(|t| name(groups, *t)).collect();
    Some((names(f.params()), names(f.results())))
}

fn name(groups: &[(bool, SubType)], t: ValType) -> String {
    let ValType::Ref(r) = t else {
        return super::values::type_name(t);
    };
    let HeapType::Concrete(UnpackedIndex::Module(i)) = r.heap_type() else {
        return super::values::type_name(t);
    };
    let is_i16_array = singleton(groups, i).is_some_and(|ty| {
        matches!(&ty.composite_type.inner,
            CompositeInnerType::Array(a) if a.0.mutable && a.0.element_type == StorageType::I16)
    });
    let heap = if is_i16_array { I16_ARRAY } else { "other" };
    if r.is_nullable() {
        format!("{heap}ref")
    } else {
        format!("(ref {heap})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(wat: &str) -> Vec<Option<(Vec<String>, Vec<String>)>> {
        exact_import_types(&wat::parse_str(wat).unwrap())
    }

    #[test]
    fn a_type_in_a_larger_recursion_group_is_not_exact() {
        let got = types(
            r#"(module
              (type $a (array (mut i16)))
              (rec (type $f (func (param externref) (result i32))) (type (struct)))
              (type $g (func (param (ref null $a) i32 i32) (result (ref extern))))
              (type $h (sub (func)))
              (import "m" "f" (func (type $f)))
              (import "m" "g" (func (type $g)))
              (import "m" "h" (func (type $h)))
              (import "m" "mem" (memory 1)))"#,
        );
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                None,
                Some((s(&["i16arrayref", "i32", "i32"]), s(&["(ref extern)"]))),
                None,
                None
            ]
        );
    }

    #[test]
    fn an_immutable_or_wider_array_is_another_type() {
        let got = types(
            r#"(module
              (type $a (array i16))
              (type $b (array (mut i8)))
              (import "m" "f" (func (param (ref null $a) (ref $b)))))"#,
        );
        let params = got[0].as_ref().unwrap().0.clone();
        assert_eq!(params, ["otherref", "(ref other)"]);
    }
}
