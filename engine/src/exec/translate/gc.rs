//! Translation of the GC operators (structs, arrays, `i31`, casts and
//! conversions) into [`Instr::Gc`] entries of the function's GC table.

use wasmparser::{AbstractHeapType as A, HeapType, Operator, UnpackedIndex};

use super::{Instr, Translator};
use crate::error::CompileError;
use crate::exec::gc_op::{CastHeap, GcOp};
use crate::runtime::gc::type_defs::{CompositeDef, FieldDef};

impl Translator<'_> {
    /// Translates a GC operator; any other operator is unsupported.
    pub(super) fn gc(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        let (gc, pops, pushes) = match op {
            // Both hierarchies share one encoding (see `runtime::gc::heap`).
            Operator::AnyConvertExtern | Operator::ExternConvertAny => return Ok(()),
            Operator::StructNew {
                struct_type_index: t,
            } => (GcOp::StructNew(t), self.struct_slots(t)?, 1),
            Operator::StructNewDefault {
                struct_type_index: t,
            } => (GcOp::StructNewDefault(t), 0, 1),
            Operator::StructGet {
                struct_type_index: ty,
                field_index: field,
            }
            | Operator::StructGetU {
                struct_type_index: ty,
                field_index: field,
            } => (
                GcOp::StructGet {
                    ty,
                    field,
                    signed: false,
                },
                1,
                self.field(ty, Some(field))?.storage.slots(),
            ),
            Operator::StructGetS {
                struct_type_index: ty,
                field_index: field,
            } => (
                GcOp::StructGet {
                    ty,
                    field,
                    signed: true,
                },
                1,
                1,
            ),
            Operator::StructSet {
                struct_type_index: ty,
                field_index: field,
            } => (
                GcOp::StructSet { ty, field },
                1 + self.field(ty, Some(field))?.storage.slots(),
                0,
            ),
            Operator::ArrayNew {
                array_type_index: t,
            } => (GcOp::ArrayNew(t), 1 + self.elem_slots(t)?, 1),
            Operator::ArrayNewDefault {
                array_type_index: t,
            } => (GcOp::ArrayNewDefault(t), 1, 1),
            Operator::ArrayNewFixed {
                array_type_index: ty,
                array_size: len,
            } => (
                GcOp::ArrayNewFixed { ty, len },
                len * self.elem_slots(ty)?,
                1,
            ),
            Operator::ArrayNewData {
                array_type_index: ty,
                array_data_index: data,
            } => (GcOp::ArrayNewData { ty, data }, 2, 1),
            Operator::ArrayNewElem {
                array_type_index: ty,
                array_elem_index: elem,
            } => (GcOp::ArrayNewElem { ty, elem }, 2, 1),
            Operator::ArrayGet {
                array_type_index: ty,
            }
            | Operator::ArrayGetU {
                array_type_index: ty,
            } => (
                GcOp::ArrayGet { ty, signed: false },
                2,
                self.elem_slots(ty)?,
            ),
            Operator::ArrayGetS {
                array_type_index: ty,
            } => (GcOp::ArrayGet { ty, signed: true }, 2, 1),
            Operator::ArraySet {
                array_type_index: t,
            } => (GcOp::ArraySet(t), 2 + self.elem_slots(t)?, 0),
            Operator::ArrayLen => (GcOp::ArrayLen, 1, 1),
            Operator::ArrayFill {
                array_type_index: t,
            } => (GcOp::ArrayFill(t), 3 + self.elem_slots(t)?, 0),
            Operator::ArrayCopy {
                array_type_index_dst: dst,
                array_type_index_src: src,
            } => (GcOp::ArrayCopy { dst, src }, 5, 0),
            Operator::ArrayInitData {
                array_type_index: ty,
                array_data_index: data,
            } => (GcOp::ArrayInitData { ty, data }, 4, 0),
            Operator::ArrayInitElem {
                array_type_index: ty,
                array_elem_index: elem,
            } => (GcOp::ArrayInitElem { ty, elem }, 4, 0),
            Operator::RefI31 => (GcOp::RefI31, 1, 1),
            Operator::I31GetS => (GcOp::I31Get { signed: true }, 1, 1),
            Operator::I31GetU => (GcOp::I31Get { signed: false }, 1, 1),
            Operator::RefEq => (GcOp::RefEq, 2, 1),
            Operator::RefTestNonNull { hty } => (test(hty, false)?, 1, 1),
            Operator::RefTestNullable { hty } => (test(hty, true)?, 1, 1),
            Operator::RefCastNonNull { hty } => (
                GcOp::RefCast {
                    heap: cast_heap(hty)?,
                    nullable: false,
                },
                1,
                1,
            ),
            Operator::RefCastNullable { hty } => (
                GcOp::RefCast {
                    heap: cast_heap(hty)?,
                    nullable: true,
                },
                1,
                1,
            ),
            Operator::BrOnCast {
                relative_depth,
                to_ref_type,
                ..
            } => return self.br_on_cast(relative_depth, to_ref_type, false),
            Operator::BrOnCastFail {
                relative_depth,
                to_ref_type,
                ..
            } => return self.br_on_cast(relative_depth, to_ref_type, true),
            Operator::StructNewDesc {
                struct_type_index: t,
            } => (GcOp::StructNewDesc(t), self.struct_slots(t)? + 1, 1),
            Operator::StructNewDefaultDesc {
                struct_type_index: t,
            } => (GcOp::StructNewDefaultDesc(t), 1, 1),
            Operator::RefGetDesc { .. } => (GcOp::RefGetDesc, 1, 1),
            Operator::RefCastDescEqNonNull { .. } => {
                (GcOp::RefCastDescEq { nullable: false }, 2, 1)
            }
            Operator::RefCastDescEqNullable { .. } => {
                (GcOp::RefCastDescEq { nullable: true }, 2, 1)
            }
            Operator::BrOnCastDescEq {
                relative_depth,
                to_ref_type,
                ..
            } => return self.br_on_cast_desc(relative_depth, to_ref_type.is_nullable(), false),
            Operator::BrOnCastDescEqFail {
                relative_depth,
                to_ref_type,
                ..
            } => return self.br_on_cast_desc(relative_depth, to_ref_type.is_nullable(), true),
            other => return Err(CompileError::unsupported(format!("operator {other:?}"))),
        };
        self.emit_gc(gc, pops, pushes);
        Ok(())
    }

    fn emit_gc(&mut self, gc: GcOp, pops: u32, pushes: u32) {
        self.code.gc.push(gc);
        self.emit_stack(Instr::Gc(self.code.gc.len() as u32 - 1), pops, pushes);
    }

    /// `br_on_cast[_fail]`: a test that keeps the reference, then `br_if`.
    fn br_on_cast(
        &mut self,
        depth: u32,
        to: wasmparser::RefType,
        fail: bool,
    ) -> Result<(), CompileError> {
        let gc = GcOp::BrOnCastTest {
            heap: cast_heap(to.heap_type())?,
            nullable: to.is_nullable(),
            fail,
        };
        self.emit_gc(gc, 0, 1);
        let c = self.pop_reg();
        self.br_if(super::control::Cond::NonZero(c), depth);
        Ok(())
    }

    /// `br_on_cast_desc_eq[_fail]`: pops the descriptor, tests, then `br_if`.
    fn br_on_cast_desc(
        &mut self,
        depth: u32,
        nullable: bool,
        fail: bool,
    ) -> Result<(), CompileError> {
        self.emit_gc(GcOp::BrOnCastDescTest { nullable, fail }, 1, 1);
        let c = self.pop_reg();
        self.br_if(super::control::Cond::NonZero(c), depth);
        Ok(())
    }

    /// Field `field` of struct type `ty`, or the element of array type `ty` (`None`).
    fn field(&self, ty: u32, field: Option<u32>) -> Result<FieldDef, CompileError> {
        let def = self
            .info
            .sub_types
            .get(ty as usize)
            .and_then(Option::as_ref);
        match (def.map(|d| &d.composite), field) {
            (Some(CompositeDef::Struct { fields, .. }), Some(f)) => fields.get(f as usize).copied(),
            (Some(CompositeDef::Array(e)), None) => Some(*e),
            _ => None,
        }
        .ok_or_else(|| CompileError::unsupported("GC access of an unknown type"))
    }

    fn elem_slots(&self, ty: u32) -> Result<u32, CompileError> {
        Ok(self.field(ty, None)?.storage.slots())
    }

    fn struct_slots(&self, ty: u32) -> Result<u32, CompileError> {
        match self
            .info
            .sub_types
            .get(ty as usize)
            .and_then(Option::as_ref)
        {
            Some(d) => match &d.composite {
                CompositeDef::Struct { slots, .. } => Ok(*slots),
                _ => Err(CompileError::unsupported("struct.new of a non-struct type")),
            },
            None => Err(CompileError::unsupported("struct.new of an unknown type")),
        }
    }
}

fn test(hty: HeapType, nullable: bool) -> Result<GcOp, CompileError> {
    Ok(GcOp::RefTest {
        heap: cast_heap(hty)?,
        nullable,
    })
}

/// The run-time form of a cast's target heap type.
pub(crate) fn cast_heap(hty: HeapType) -> Result<CastHeap, CompileError> {
    Ok(match hty {
        HeapType::Abstract { shared: false, ty } => match ty {
            A::Any => CastHeap::Any,
            A::Eq => CastHeap::Eq,
            A::I31 => CastHeap::I31,
            A::Struct => CastHeap::Struct,
            A::Array => CastHeap::Array,
            A::None | A::NoFunc | A::NoExtern | A::NoExn => CastHeap::Bottom,
            A::Func | A::Extern | A::Exn => CastHeap::Top,
            other => {
                return Err(CompileError::unsupported(format!("cast to {other:?}")));
            }
        },
        HeapType::Concrete(UnpackedIndex::Module(i)) => CastHeap::Concrete(i),
        HeapType::Exact(UnpackedIndex::Module(i)) => CastHeap::Exact(i),
        other => return Err(CompileError::unsupported(format!("cast to {other:?}"))),
    })
}
