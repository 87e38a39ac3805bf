//! Constant expressions (spec 3.3.10), decoded once into a tiny op list.

use crate::error::CompileError;

/// One instruction of a constant expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ConstOp {
    /// Push a raw value (numbers, `v128` low/high packed as u128, null refs as 0).
    Value(u128),
    /// `ref.func`.
    RefFunc(u32),
    /// `global.get` of an imported (or, with GC, an earlier) global.
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
    /// GC allocations and `ref.i31` (Wasm 3.0 constant expressions).
    RefI31,
    StructNew(u32),
    StructNewDefault(u32),
    ArrayNew(u32),
    ArrayNewDefault(u32),
    ArrayNewFixed(u32, u32),
    /// Custom descriptors: `struct.new_desc` / `struct.new_default_desc`.
    StructNewDesc(u32),
    StructNewDefaultDesc(u32),
}

/// A decoded constant expression, evaluated at instantiation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ConstExpr(pub(crate) Vec<ConstOp>);

impl ConstExpr {
    /// Decodes a constant expression. Operators that are valid in constant
    /// expressions of later proposals but not supported here (GC
    /// allocations) give an `Unsupported` error.
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<Self, CompileError> {
        use wasmparser::Operator;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let op = reader.read().map_err(super::malformed)?;
            ops.push(match op {
                Operator::I32Const { value } => ConstOp::Value(value as u32 as u128),
                Operator::I64Const { value } => ConstOp::Value(value as u64 as u128),
                Operator::F32Const { value } => ConstOp::Value(value.bits() as u128),
                Operator::F64Const { value } => ConstOp::Value(value.bits() as u128),
                Operator::V128Const { value } => ConstOp::Value(value.i128() as u128),
                Operator::RefNull { .. } => ConstOp::Value(0),
                Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                Operator::I32Add => ConstOp::I32Add,
                Operator::I32Sub => ConstOp::I32Sub,
                Operator::I32Mul => ConstOp::I32Mul,
                Operator::I64Add => ConstOp::I64Add,
                Operator::I64Sub => ConstOp::I64Sub,
                Operator::I64Mul => ConstOp::I64Mul,
                Operator::RefI31 => ConstOp::RefI31,
                Operator::StructNewDesc { struct_type_index } => {
                    ConstOp::StructNewDesc(struct_type_index)
                }
                Operator::StructNewDefaultDesc { struct_type_index } => {
                    ConstOp::StructNewDefaultDesc(struct_type_index)
                }
                Operator::StructNew { struct_type_index } => ConstOp::StructNew(struct_type_index),
                Operator::StructNewDefault { struct_type_index } => {
                    ConstOp::StructNewDefault(struct_type_index)
                }
                Operator::ArrayNew { array_type_index } => ConstOp::ArrayNew(array_type_index),
                Operator::ArrayNewDefault { array_type_index } => {
                    ConstOp::ArrayNewDefault(array_type_index)
                }
                Operator::ArrayNewFixed {
                    array_type_index,
                    array_size,
                } => ConstOp::ArrayNewFixed(array_type_index, array_size),
                // One encoding serves both hierarchies: nothing to do.
                Operator::AnyConvertExtern | Operator::ExternConvertAny => continue,
                Operator::End => continue,
                other => {
                    return Err(CompileError::unsupported(format!(
                        "constant expression operator {other:?}"
                    )))
                }
            });
        }
        Ok(ConstExpr(ops))
    }

    /// A one-op expression `ref.func index` (element segments given as indices).
    pub(crate) fn ref_func(index: u32) -> Self {
        ConstExpr(vec![ConstOp::RefFunc(index)])
    }
}
