//! Evaluation of constant expressions (spec 4.4.x "evaluation of constant
//! expressions") during instantiation.

use crate::binary::const_expr::{ConstExpr, ConstOp};
use crate::runtime::store::Store;

/// Evaluates `expr`; `funcs` and `globals` are the instance's address
/// spaces as allocated so far. Returns the raw value (128 bits for `v128`).
pub(crate) fn eval(expr: &ConstExpr, store: &Store, funcs: &[u32], globals: &[u32]) -> u128 {
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    for op in &expr.0 {
        let v = match *op {
            ConstOp::Value(v) => v,
            ConstOp::RefFunc(i) => funcs[i as usize] as u128 + 1,
            ConstOp::GlobalGet(i) => store.globals[globals[i as usize] as usize].value,
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
    stack.pop().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_constants_wrap() {
        let store = Store::default();
        let expr = ConstExpr(vec![
            ConstOp::Value(u32::MAX as u128),
            ConstOp::Value(2),
            ConstOp::I32Add,
        ]);
        assert_eq!(eval(&expr, &store, &[], &[]), 1);
    }

    #[test]
    fn ref_func_encodes_address_plus_one() {
        let store = Store::default();
        assert_eq!(eval(&ConstExpr::ref_func(1), &store, &[10, 20], &[]), 21);
    }
}
