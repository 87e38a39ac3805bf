//! Evaluation of constant expressions (spec 4.4.x "evaluation of constant
//! expressions") during instantiation, GC allocations included.

use crate::binary::const_expr::{ConstExpr, ConstOp};
use crate::error::{RuntimeError, TrapKind};
use crate::runtime::gc::heap::i31;
use crate::runtime::gc::type_defs::{CompositeDef, FieldDef, SubTypeDef};
use crate::runtime::store::Store;

/// The module's types as constant expressions need them for `struct.new`
/// and `array.new`: definitions and canonical ids by type index.
#[derive(Clone, Copy)]
pub(crate) struct TypeCtx<'a> {
    pub defs: &'a [Option<SubTypeDef>],
    pub ids: &'a [u32],
}

impl TypeCtx<'_> {
    /// No types (expressions without GC operators).
    #[cfg(test)]
    pub(crate) const NONE: TypeCtx<'static> = TypeCtx {
        defs: &[],
        ids: &[],
    };

    fn composite(&self, ty: u32) -> &CompositeDef {
        &self.defs[ty as usize]
            .as_ref()
            .expect("validated: a GC type")
            .composite
    }
}

/// Evaluates `expr`; `funcs` and `globals` are the instance's address
/// spaces as allocated so far. Returns the raw value (128 bits for `v128`);
/// only `struct.new_desc` of a null descriptor traps.
pub(crate) fn eval(
    expr: &ConstExpr,
    store: &mut Store,
    funcs: &[u32],
    globals: &[u32],
    types: TypeCtx<'_>,
) -> Result<u128, RuntimeError> {
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    for op in &expr.0 {
        let v = match *op {
            ConstOp::Value(v) => v,
            ConstOp::RefFunc(i) => funcs[i as usize] as u128 + 1,
            ConstOp::GlobalGet(i) => store.globals[globals[i as usize] as usize].value,
            ConstOp::RefI31 => {
                let x = stack.pop().unwrap_or(0);
                i31(x as u32) as u128
            }
            ConstOp::StructNew(ty)
            | ConstOp::StructNewDefault(ty)
            | ConstOp::StructNewDesc(ty)
            | ConstOp::StructNewDefaultDesc(ty) => {
                let CompositeDef::Struct { fields, slots } = types.composite(ty) else {
                    unreachable!("validated: struct type")
                };
                let desc = match op {
                    ConstOp::StructNewDesc(_) | ConstOp::StructNewDefaultDesc(_) => {
                        match stack.pop().unwrap_or(0) {
                            0 => return Err(RuntimeError::new(TrapKind::NullDescriptorReference)),
                            d => d as u64,
                        }
                    }
                    _ => 0,
                };
                store.charge_gc_object(*slots as u64)?;
                let mut data = vec![0u64; *slots as usize];
                if matches!(op, ConstOp::StructNew(_) | ConstOp::StructNewDesc(_)) {
                    let vals = stack.split_off(stack.len() - fields.len());
                    for (f, v) in fields.iter().zip(vals) {
                        put(&mut data, f, v);
                    }
                }
                store
                    .heap
                    .alloc_struct_desc(types.ids[ty as usize], data, desc) as u128
            }
            ConstOp::ArrayNew(ty)
            | ConstOp::ArrayNewDefault(ty)
            | ConstOp::ArrayNewFixed(ty, _) => {
                let CompositeDef::Array(f) = types.composite(ty) else {
                    unreachable!("validated: array type")
                };
                // Charged before anything is built: a length of -1 must
                // trap as exhaustion, as it does inside a function.
                let (n, fill) = match *op {
                    ConstOp::ArrayNewFixed(_, n) => (n as usize, None),
                    ConstOp::ArrayNew(_) => {
                        let n = stack.pop().unwrap_or(0) as u32 as usize;
                        (n, stack.pop())
                    }
                    _ => (stack.pop().unwrap_or(0) as u32 as usize, Some(0)),
                };
                let w = f.storage.slots();
                store.charge_gc_object(n as u64 * w as u64)?;
                let mut data = vec![0u64; n * w as usize];
                let fixed = match fill {
                    None => stack.split_off(stack.len() - n),
                    Some(_) => Vec::new(),
                };
                for i in 0..n {
                    let v = fill.unwrap_or_else(|| fixed[i]);
                    let at = FieldDef {
                        offset: i as u32 * w,
                        ..*f
                    };
                    put(&mut data, &at, v);
                }
                store.heap.alloc_array(types.ids[ty as usize], w, data) as u128
            }
            bin => {
                let b = stack.pop().unwrap_or(0);
                let a = stack.pop().unwrap_or(0);
                let (a32, b32, a64, b64) = (a as u32, b as u32, a as u64, b as u64);
                match bin {
                    ConstOp::I32Add => a32.wrapping_add(b32) as u128,
                    ConstOp::I32Sub => a32.wrapping_sub(b32) as u128,
                    ConstOp::I32Mul => a32.wrapping_mul(b32) as u128,
                    ConstOp::I64Add => a64.wrapping_add(b64) as u128,
                    ConstOp::I64Sub => a64.wrapping_sub(b64) as u128,
                    ConstOp::I64Mul => a64.wrapping_mul(b64) as u128,
                    _ => unreachable!("handled above"),
                }
            }
        };
        stack.push(v);
    }
    Ok(stack.pop().unwrap_or(0))
}

/// Stores value `v` into field `f` of `data` (packed, or two slots for `v128`).
fn put(data: &mut [u64], f: &FieldDef, v: u128) {
    let at = f.offset as usize;
    data[at] = f.storage.pack(v as u64);
    if f.storage.slots() == 2 {
        data[at + 1] = (v >> 64) as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::gc::heap::i31_get;
    use crate::runtime::gc::type_defs::Storage;

    #[test]
    fn extended_constants_wrap() {
        let mut store = Store::default();
        let expr = ConstExpr(vec![
            ConstOp::Value(u32::MAX as u128),
            ConstOp::Value(2),
            ConstOp::I32Add,
        ]);
        assert_eq!(eval(&expr, &mut store, &[], &[], TypeCtx::NONE), Ok(1));
    }

    #[test]
    fn ref_func_encodes_address_plus_one() {
        let mut store = Store::default();
        let got = eval(
            &ConstExpr::ref_func(1),
            &mut store,
            &[10, 20],
            &[],
            TypeCtx::NONE,
        );
        assert_eq!(got, Ok(21));
    }

    #[test]
    fn gc_allocations_pack_fields() {
        let mut store = Store::default();
        let i31_expr = ConstExpr(vec![ConstOp::Value(0xffff_ffff), ConstOp::RefI31]);
        let r = eval(&i31_expr, &mut store, &[], &[], TypeCtx::NONE).unwrap() as u64;
        assert_eq!(i31_get(r, true) as u32, u32::MAX);
        let defs = [Some(SubTypeDef {
            is_final: true,
            supertype: None,
            composite: CompositeDef::Array(FieldDef {
                storage: Storage::I8,
                mutable: true,
                offset: 0,
            }),
            descriptor: None,
            describes: None,
        })];
        let types = TypeCtx {
            defs: &defs,
            ids: &[0],
        };
        let expr = ConstExpr(vec![
            ConstOp::Value(0x1ff),
            ConstOp::Value(3),
            ConstOp::ArrayNew(0),
        ]);
        let a = eval(&expr, &mut store, &[], &[], types).unwrap() as u64;
        assert_eq!(store.heap.get(a).data, vec![0xff; 3]);
    }
}
