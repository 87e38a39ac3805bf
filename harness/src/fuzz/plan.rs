//! What is done with a module on every engine: the exported functions to
//! call (with arguments chosen from the seed), then the exported globals
//! and memories to read. Worked out once from the binary, so every engine
//! runs exactly the same steps.

use wasmparser::{
    AbstractHeapType, CompositeInnerType, ExternalKind, HeapType, Parser, Payload, RefType,
    TypeRef, ValType,
};

use super::generate::Rng;
use crate::engine::{NullKind, Ref, Value};

/// One call of an exported function.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub export: String,
    pub args: Vec<Value>,
}

/// The steps run after instantiation, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub calls: Vec<Call>,
    pub globals: Vec<String>,
    pub memories: Vec<String>,
}

/// What a type index denotes, as far as choosing arguments needs.
#[derive(Clone, Copy)]
enum Kind {
    Func,
    Data,
}

/// The plan for `wasm`; `Err` when the binary cannot be parsed (then no
/// engine is asked to run it).
pub fn plan(wasm: &[u8], seed: u64) -> Result<Plan, String> {
    let mut kinds: Vec<Kind> = Vec::new();
    let mut func_types: Vec<Option<wasmparser::FuncType>> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.map_err(|e| e.to_string())?.into_types() {
                        match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                kinds.push(Kind::Func);
                                func_types.push(Some(f));
                            }
                            _ => {
                                kinds.push(Kind::Data);
                                func_types.push(None);
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    if let TypeRef::Func(t) | TypeRef::FuncExact(t) = import.ty {
                        funcs.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t.map_err(|e| e.to_string())?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
    }
    let mut rng = Rng(seed ^ 0x5eed);
    let mut plan = Plan::default();
    for (name, kind, index) in exports {
        match kind {
            ExternalKind::Func | ExternalKind::FuncExact => {
                let ty = funcs
                    .get(index as usize)
                    .and_then(|&t| func_types.get(t as usize))
                    .and_then(Option::as_ref)
                    .ok_or_else(|| format!("export {name:?}: no function type"))?;
                let args: Option<Vec<Value>> = ty
                    .params()
                    .iter()
                    .map(|&t| argument(t, &kinds, &mut rng))
                    .collect();
                // A function taking a non-null reference cannot be called
                // from outside without one; it still runs when called inside.
                if let Some(args) = args {
                    plan.calls.push(Call { export: name, args });
                }
            }
            ExternalKind::Global => plan.globals.push(name),
            ExternalKind::Memory => plan.memories.push(name),
            _ => {}
        }
    }
    Ok(plan)
}

/// An argument of type `t`: mostly edge values, sometimes random bits.
fn argument(t: ValType, kinds: &[Kind], rng: &mut Rng) -> Option<Value> {
    let pick = rng.below(8);
    let bits = rng.next_u64();
    Some(match t {
        ValType::I32 => Value::I32(match pick {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => i32::MIN,
            4 => i32::MAX,
            5 => (bits % 256) as i32,
            _ => bits as i32,
        }),
        ValType::I64 => Value::I64(match pick {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => i64::MIN,
            4 => i64::MAX,
            5 => (bits % 256) as i64,
            _ => bits as i64,
        }),
        ValType::F32 => Value::F32(match pick {
            0 => 0,
            1 => 0x8000_0000,
            2 => 1.5f32.to_bits(),
            3 => f32::INFINITY.to_bits(),
            4 => 0x7fc0_0000,
            _ => bits as u32,
        }),
        ValType::F64 => Value::F64(match pick {
            0 => 0,
            1 => 0x8000_0000_0000_0000,
            2 => (-2.5f64).to_bits(),
            3 => f64::NEG_INFINITY.to_bits(),
            4 => 0x7ff8_0000_0000_0000,
            _ => bits,
        }),
        ValType::V128 => Value::V128(((bits as u128) << 64) | rng.next_u64() as u128),
        ValType::Ref(r) => Value::Ref(Ref::Null(null_kind(r, kinds)?)),
    })
}

/// The null of a nullable reference type's hierarchy; `None` for a
/// non-null type (no value can be made up for it).
fn null_kind(r: RefType, kinds: &[Kind]) -> Option<NullKind> {
    if !r.is_nullable() {
        return None;
    }
    use AbstractHeapType as A;
    Some(match r.heap_type() {
        HeapType::Abstract { ty, .. } => match ty {
            A::Func | A::NoFunc => NullKind::Func,
            A::Extern | A::NoExtern => NullKind::Extern,
            A::Exn | A::NoExn => NullKind::Exn,
            A::Cont | A::NoCont => NullKind::Cont,
            A::Any | A::Eq | A::Struct | A::Array | A::I31 | A::None => NullKind::Any,
        },
        HeapType::Concrete(i) | HeapType::Exact(i) => {
            match i.as_module_index().and_then(|i| kinds.get(i as usize)) {
                Some(Kind::Func) => NullKind::Func,
                Some(Kind::Data) => NullKind::Any,
                None => return None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_calls_globals_and_memories_in_export_order() {
        let wasm = wat::parse_str(
            r#"(module
              (type $s (struct))
              (memory (export "m") 1)
              (global (export "g") (mut i32) (i32.const 0))
              (func (export "a") (param i32 f64 funcref (ref null $s)))
              (func (export "b") (param (ref $s)))
              (func (export "c") (result i32) (i32.const 1)))"#,
        )
        .unwrap();
        let p = plan(&wasm, 7).unwrap();
        let names: Vec<&str> = p.calls.iter().map(|c| c.export.as_str()).collect();
        assert_eq!(names, ["a", "c"], "b needs a non-null reference");
        assert_eq!(p.calls[0].args.len(), 4);
        assert_eq!(p.calls[0].args[2], Value::Ref(Ref::Null(NullKind::Func)));
        assert_eq!(p.calls[0].args[3], Value::Ref(Ref::Null(NullKind::Any)));
        assert_eq!(
            (p.globals, p.memories),
            (vec!["g".into()], vec!["m".into()])
        );
        assert_eq!(plan(&wasm, 7).unwrap().calls, plan(&wasm, 7).unwrap().calls);
    }
}
