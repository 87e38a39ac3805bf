//! Translation of the non-control operators: each maps to one instruction
//! (or none) with a fixed stack effect.

use wasmparser::Operator as Op;

use super::{Instr, Translator};
use crate::api::error::CompileError;
use crate::exec::atomic::{atomic_op, AtomicOp};
use crate::exec::instr::MemArg;
use crate::exec::numeric::v128;
use crate::runtime::types::slots_of;

impl Translator<'_> {
    /// Translates an operator that does not affect control flow.
    pub(super) fn plain(&mut self, op: Op<'_>) -> Result<(), CompileError> {
        if let Some((instr, pops, pushes)) = numeric(&op) {
            self.pop(pops);
            self.push(pushes);
            if let Some(i) = instr {
                self.emit(i);
            }
            return Ok(());
        }
        let m = Self::memarg;
        if let Some((kind, width, memarg)) = atomic_op(&op) {
            let MemArg { mem, offset } = m(memarg)?;
            self.code.atomics.push(AtomicOp {
                kind,
                width,
                mem,
                offset,
            });
            let (pops, pushes) = kind.slots();
            self.apply(
                Instr::Atomic(self.code.atomics.len() as u32 - 1),
                pops,
                pushes,
            );
            return Ok(());
        }
        if let Op::AtomicFence { .. } = op {
            // One thread: every access is already sequentially consistent.
            return Ok(());
        }
        if let Some(simd) = v128::simd_op(&op) {
            let (pops, pushes) = simd.slots();
            self.code.simd.push(simd);
            self.apply(Instr::Simd(self.code.simd.len() as u32 - 1), pops, pushes);
            return Ok(());
        }
        if let Some((mem_op, memarg)) = v128::simd_mem_op(&op) {
            let (pops, pushes) = mem_op.slots();
            self.code.simd_mem.push((mem_op, m(memarg)?));
            self.apply(
                Instr::SimdMem(self.code.simd_mem.len() as u32 - 1),
                pops,
                pushes,
            );
            return Ok(());
        }
        let (instr, pops, pushes) = match op {
            Op::Call { function_index } => {
                let ty = self
                    .info
                    .type_of_func(function_index)
                    .ok_or_else(|| CompileError::unsupported("call of a non-function type"))?;
                let (p, r) = slot_sums(ty.params(), ty.results());
                (Instr::Call(function_index), p, r)
            }
            Op::CallIndirect {
                type_index,
                table_index,
            } => {
                let ty = self
                    .info
                    .func_type(type_index)
                    .ok_or_else(|| CompileError::unsupported("call_indirect of a GC type"))?;
                let (p, r) = slot_sums(ty.params(), ty.results());
                (
                    Instr::CallIndirect {
                        ty: type_index,
                        table: table_index,
                    },
                    p + 1,
                    r,
                )
            }
            Op::CallRef { type_index } => {
                let ty = self
                    .info
                    .func_type(type_index)
                    .ok_or_else(|| CompileError::unsupported("call_ref of a GC type"))?;
                let (p, r) = slot_sums(ty.params(), ty.results());
                (Instr::CallRef, p + 1, r)
            }
            Op::RefAsNonNull => (Instr::RefAsNonNull, 1, 1),
            Op::Drop => (Instr::Drop(self.operand_width), self.operand_width, 0),
            Op::Select => select(self.operand_width),
            Op::TypedSelect { ty } => select(slots_of(ty)),
            Op::LocalGet { local_index } => {
                let (at, w) = (
                    self.local(local_index),
                    self.local_widths[local_index as usize],
                );
                (
                    if w == 2 {
                        Instr::LocalGetV128(at)
                    } else {
                        Instr::LocalGet(at)
                    },
                    0,
                    w,
                )
            }
            Op::LocalSet { local_index } => {
                let (at, w) = (
                    self.local(local_index),
                    self.local_widths[local_index as usize],
                );
                (
                    if w == 2 {
                        Instr::LocalSetV128(at)
                    } else {
                        Instr::LocalSet(at)
                    },
                    w,
                    0,
                )
            }
            Op::LocalTee { local_index } => {
                let (at, w) = (
                    self.local(local_index),
                    self.local_widths[local_index as usize],
                );
                (
                    if w == 2 {
                        Instr::LocalTeeV128(at)
                    } else {
                        Instr::LocalTee(at)
                    },
                    w,
                    w,
                )
            }
            Op::GlobalGet { global_index: g } => {
                match slots_of(self.info.global_types[g as usize].content()) {
                    2 => (Instr::GlobalGetV128(g), 0, 2),
                    _ => (Instr::GlobalGet(g), 0, 1),
                }
            }
            Op::GlobalSet { global_index: g } => {
                match slots_of(self.info.global_types[g as usize].content()) {
                    2 => (Instr::GlobalSetV128(g), 2, 0),
                    _ => (Instr::GlobalSet(g), 1, 0),
                }
            }
            Op::V128Const { value } => {
                let bits = value.i128() as u128;
                self.push(2);
                self.emit(Instr::Const(bits as u64));
                self.emit(Instr::Const((bits >> 64) as u64));
                return Ok(());
            }
            Op::I32Const { value } => (Instr::Const(value as u32 as u64), 0, 1),
            Op::I64Const { value } => (Instr::Const(value as u64), 0, 1),
            Op::F32Const { value } => (Instr::Const(value.bits() as u64), 0, 1),
            Op::F64Const { value } => (Instr::Const(value.bits()), 0, 1),

            Op::I32Load { memarg } => (Instr::I32Load(m(memarg)?), 1, 1),
            Op::I64Load { memarg } => (Instr::I64Load(m(memarg)?), 1, 1),
            Op::F32Load { memarg } => (Instr::F32Load(m(memarg)?), 1, 1),
            Op::F64Load { memarg } => (Instr::F64Load(m(memarg)?), 1, 1),
            Op::I32Load8S { memarg } => (Instr::I32Load8S(m(memarg)?), 1, 1),
            Op::I32Load8U { memarg } => (Instr::I32Load8U(m(memarg)?), 1, 1),
            Op::I32Load16S { memarg } => (Instr::I32Load16S(m(memarg)?), 1, 1),
            Op::I32Load16U { memarg } => (Instr::I32Load16U(m(memarg)?), 1, 1),
            Op::I64Load8S { memarg } => (Instr::I64Load8S(m(memarg)?), 1, 1),
            Op::I64Load8U { memarg } => (Instr::I64Load8U(m(memarg)?), 1, 1),
            Op::I64Load16S { memarg } => (Instr::I64Load16S(m(memarg)?), 1, 1),
            Op::I64Load16U { memarg } => (Instr::I64Load16U(m(memarg)?), 1, 1),
            Op::I64Load32S { memarg } => (Instr::I64Load32S(m(memarg)?), 1, 1),
            Op::I64Load32U { memarg } => (Instr::I64Load32U(m(memarg)?), 1, 1),
            Op::I32Store { memarg } => (Instr::I32Store(m(memarg)?), 2, 0),
            Op::I64Store { memarg } => (Instr::I64Store(m(memarg)?), 2, 0),
            Op::F32Store { memarg } => (Instr::F32Store(m(memarg)?), 2, 0),
            Op::F64Store { memarg } => (Instr::F64Store(m(memarg)?), 2, 0),
            Op::I32Store8 { memarg } => (Instr::I32Store8(m(memarg)?), 2, 0),
            Op::I32Store16 { memarg } => (Instr::I32Store16(m(memarg)?), 2, 0),
            Op::I64Store8 { memarg } => (Instr::I64Store8(m(memarg)?), 2, 0),
            Op::I64Store16 { memarg } => (Instr::I64Store16(m(memarg)?), 2, 0),
            Op::I64Store32 { memarg } => (Instr::I64Store32(m(memarg)?), 2, 0),
            Op::MemorySize { mem } => (Instr::MemorySize(mem), 0, 1),
            Op::MemoryGrow { mem } => (Instr::MemoryGrow(mem), 1, 1),
            Op::MemoryInit { data_index, mem } => (
                Instr::MemoryInit {
                    data: data_index,
                    mem,
                },
                3,
                0,
            ),
            Op::DataDrop { data_index } => (Instr::DataDrop(data_index), 0, 0),
            Op::MemoryCopy { dst_mem, src_mem } => (
                Instr::MemoryCopy {
                    dst: dst_mem,
                    src: src_mem,
                },
                3,
                0,
            ),
            Op::MemoryFill { mem } => (Instr::MemoryFill(mem), 3, 0),

            Op::TableGet { table } => (Instr::TableGet(table), 1, 1),
            Op::TableSet { table } => (Instr::TableSet(table), 2, 0),
            Op::TableSize { table } => (Instr::TableSize(table), 0, 1),
            Op::TableGrow { table } => (Instr::TableGrow(table), 2, 1),
            Op::TableFill { table } => (Instr::TableFill(table), 3, 0),
            Op::TableCopy {
                dst_table,
                src_table,
            } => (
                Instr::TableCopy {
                    dst: dst_table,
                    src: src_table,
                },
                3,
                0,
            ),
            Op::TableInit { elem_index, table } => (
                Instr::TableInit {
                    elem: elem_index,
                    table,
                },
                3,
                0,
            ),
            Op::ElemDrop { elem_index } => (Instr::ElemDrop(elem_index), 0, 0),
            Op::RefNull { hty } => {
                let rt = wasmparser::RefType::new(true, hty)
                    .ok_or_else(|| CompileError::unsupported("reference type"))?;
                crate::binary::sections::check_ref_type(rt)?;
                (Instr::Const(0), 0, 1)
            }
            Op::RefIsNull => (Instr::RefIsNull, 1, 1),
            Op::RefFunc { function_index } => (Instr::RefFunc(function_index), 0, 1),
            other => return self.gc(other),
        };
        self.apply(instr, pops, pushes);
        Ok(())
    }

    /// Emits `instr`, which pops `pops` slots and pushes `pushes`.
    fn apply(&mut self, instr: Instr, pops: u32, pushes: u32) {
        self.pop(pops);
        self.push(pushes);
        self.emit(instr);
    }
}

/// `select` of values `width` slots wide: pops two values and the condition.
fn select(width: u32) -> (Instr, u32, u32) {
    let instr = if width == 2 {
        Instr::SelectV128
    } else {
        Instr::Select
    };
    (instr, 2 * width + 1, width)
}

fn slot_sums(params: &[wasmparser::ValType], results: &[wasmparser::ValType]) -> (u32, u32) {
    let sum = |ts: &[wasmparser::ValType]| ts.iter().map(|t| slots_of(*t)).sum::<u32>();
    (sum(params), sum(results))
}

/// Numeric operators: the instruction (none for reinterpretations, which
/// do not change bits), slots popped and pushed.
fn numeric(op: &Op<'_>) -> Option<(Option<Instr>, u32, u32)> {
    use Instr as I;
    let unary = |i| Some((Some(i), 1, 1));
    let binary = |i| Some((Some(i), 2, 1));
    match op {
        Op::I32Eqz => unary(I::I32Eqz),
        Op::I64Eqz => unary(I::I64Eqz),
        Op::I32Eq => binary(I::I32Eq),
        Op::I32Ne => binary(I::I32Ne),
        Op::I32LtS => binary(I::I32LtS),
        Op::I32LtU => binary(I::I32LtU),
        Op::I32GtS => binary(I::I32GtS),
        Op::I32GtU => binary(I::I32GtU),
        Op::I32LeS => binary(I::I32LeS),
        Op::I32LeU => binary(I::I32LeU),
        Op::I32GeS => binary(I::I32GeS),
        Op::I32GeU => binary(I::I32GeU),
        Op::I64Eq => binary(I::I64Eq),
        Op::I64Ne => binary(I::I64Ne),
        Op::I64LtS => binary(I::I64LtS),
        Op::I64LtU => binary(I::I64LtU),
        Op::I64GtS => binary(I::I64GtS),
        Op::I64GtU => binary(I::I64GtU),
        Op::I64LeS => binary(I::I64LeS),
        Op::I64LeU => binary(I::I64LeU),
        Op::I64GeS => binary(I::I64GeS),
        Op::I64GeU => binary(I::I64GeU),
        Op::F32Eq => binary(I::F32Eq),
        Op::F32Ne => binary(I::F32Ne),
        Op::F32Lt => binary(I::F32Lt),
        Op::F32Gt => binary(I::F32Gt),
        Op::F32Le => binary(I::F32Le),
        Op::F32Ge => binary(I::F32Ge),
        Op::F64Eq => binary(I::F64Eq),
        Op::F64Ne => binary(I::F64Ne),
        Op::F64Lt => binary(I::F64Lt),
        Op::F64Gt => binary(I::F64Gt),
        Op::F64Le => binary(I::F64Le),
        Op::F64Ge => binary(I::F64Ge),
        Op::I32Clz => unary(I::I32Clz),
        Op::I32Ctz => unary(I::I32Ctz),
        Op::I32Popcnt => unary(I::I32Popcnt),
        Op::I32Add => binary(I::I32Add),
        Op::I32Sub => binary(I::I32Sub),
        Op::I32Mul => binary(I::I32Mul),
        Op::I32DivS => binary(I::I32DivS),
        Op::I32DivU => binary(I::I32DivU),
        Op::I32RemS => binary(I::I32RemS),
        Op::I32RemU => binary(I::I32RemU),
        Op::I32And => binary(I::I32And),
        Op::I32Or => binary(I::I32Or),
        Op::I32Xor => binary(I::I32Xor),
        Op::I32Shl => binary(I::I32Shl),
        Op::I32ShrS => binary(I::I32ShrS),
        Op::I32ShrU => binary(I::I32ShrU),
        Op::I32Rotl => binary(I::I32Rotl),
        Op::I32Rotr => binary(I::I32Rotr),
        Op::I64Clz => unary(I::I64Clz),
        Op::I64Ctz => unary(I::I64Ctz),
        Op::I64Popcnt => unary(I::I64Popcnt),
        Op::I64Add => binary(I::I64Add),
        Op::I64Sub => binary(I::I64Sub),
        Op::I64Mul => binary(I::I64Mul),
        Op::I64DivS => binary(I::I64DivS),
        Op::I64DivU => binary(I::I64DivU),
        Op::I64RemS => binary(I::I64RemS),
        Op::I64RemU => binary(I::I64RemU),
        Op::I64And => binary(I::I64And),
        Op::I64Or => binary(I::I64Or),
        Op::I64Xor => binary(I::I64Xor),
        Op::I64Shl => binary(I::I64Shl),
        Op::I64ShrS => binary(I::I64ShrS),
        Op::I64ShrU => binary(I::I64ShrU),
        Op::I64Rotl => binary(I::I64Rotl),
        Op::I64Rotr => binary(I::I64Rotr),
        Op::F32Abs => unary(I::F32Abs),
        Op::F32Neg => unary(I::F32Neg),
        Op::F32Ceil => unary(I::F32Ceil),
        Op::F32Floor => unary(I::F32Floor),
        Op::F32Trunc => unary(I::F32Trunc),
        Op::F32Nearest => unary(I::F32Nearest),
        Op::F32Sqrt => unary(I::F32Sqrt),
        Op::F32Add => binary(I::F32Add),
        Op::F32Sub => binary(I::F32Sub),
        Op::F32Mul => binary(I::F32Mul),
        Op::F32Div => binary(I::F32Div),
        Op::F32Min => binary(I::F32Min),
        Op::F32Max => binary(I::F32Max),
        Op::F32Copysign => binary(I::F32Copysign),
        Op::F64Abs => unary(I::F64Abs),
        Op::F64Neg => unary(I::F64Neg),
        Op::F64Ceil => unary(I::F64Ceil),
        Op::F64Floor => unary(I::F64Floor),
        Op::F64Trunc => unary(I::F64Trunc),
        Op::F64Nearest => unary(I::F64Nearest),
        Op::F64Sqrt => unary(I::F64Sqrt),
        Op::F64Add => binary(I::F64Add),
        Op::F64Sub => binary(I::F64Sub),
        Op::F64Mul => binary(I::F64Mul),
        Op::F64Div => binary(I::F64Div),
        Op::F64Min => binary(I::F64Min),
        Op::F64Max => binary(I::F64Max),
        Op::F64Copysign => binary(I::F64Copysign),
        Op::I32WrapI64 => unary(I::I32WrapI64),
        Op::I32TruncF32S => unary(I::I32TruncF32S),
        Op::I32TruncF32U => unary(I::I32TruncF32U),
        Op::I32TruncF64S => unary(I::I32TruncF64S),
        Op::I32TruncF64U => unary(I::I32TruncF64U),
        Op::I64ExtendI32S => unary(I::I64ExtendI32S),
        Op::I64ExtendI32U => unary(I::I64ExtendI32U),
        Op::I64TruncF32S => unary(I::I64TruncF32S),
        Op::I64TruncF32U => unary(I::I64TruncF32U),
        Op::I64TruncF64S => unary(I::I64TruncF64S),
        Op::I64TruncF64U => unary(I::I64TruncF64U),
        Op::F32ConvertI32S => unary(I::F32ConvertI32S),
        Op::F32ConvertI32U => unary(I::F32ConvertI32U),
        Op::F32ConvertI64S => unary(I::F32ConvertI64S),
        Op::F32ConvertI64U => unary(I::F32ConvertI64U),
        Op::F32DemoteF64 => unary(I::F32DemoteF64),
        Op::F64ConvertI32S => unary(I::F64ConvertI32S),
        Op::F64ConvertI32U => unary(I::F64ConvertI32U),
        Op::F64ConvertI64S => unary(I::F64ConvertI64S),
        Op::F64ConvertI64U => unary(I::F64ConvertI64U),
        Op::F64PromoteF32 => unary(I::F64PromoteF32),
        Op::I32Extend8S => unary(I::I32Extend8S),
        Op::I32Extend16S => unary(I::I32Extend16S),
        Op::I64Extend8S => unary(I::I64Extend8S),
        Op::I64Extend16S => unary(I::I64Extend16S),
        Op::I64Extend32S => unary(I::I64Extend32S),
        Op::I32TruncSatF32S => unary(I::I32TruncSatF32S),
        Op::I32TruncSatF32U => unary(I::I32TruncSatF32U),
        Op::I32TruncSatF64S => unary(I::I32TruncSatF64S),
        Op::I32TruncSatF64U => unary(I::I32TruncSatF64U),
        Op::I64TruncSatF32S => unary(I::I64TruncSatF32S),
        Op::I64TruncSatF32U => unary(I::I64TruncSatF32U),
        Op::I64TruncSatF64S => unary(I::I64TruncSatF64S),
        Op::I64TruncSatF64U => unary(I::I64TruncSatF64U),
        Op::I64Add128 => Some((Some(I::I64Add128), 4, 2)),
        Op::I64Sub128 => Some((Some(I::I64Sub128), 4, 2)),
        Op::I64MulWideS => Some((Some(I::I64MulWideS), 2, 2)),
        Op::I64MulWideU => Some((Some(I::I64MulWideU), 2, 2)),
        // Reinterpretations keep the bits; nothing to run.
        Op::I32ReinterpretF32
        | Op::I64ReinterpretF64
        | Op::F32ReinterpretI32
        | Op::F64ReinterpretI64 => Some((None, 1, 1)),
        _ => None,
    }
}
