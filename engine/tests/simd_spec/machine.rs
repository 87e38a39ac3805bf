//! A straight-line evaluator for the scripts' modules: parameters, locals
//! and operands as 64-bit slots, one linear memory and constant-initialised
//! globals. Every SIMD operator goes through the engine's operator table
//! (`v128::simd_op` / `v128::simd_mem_op`) and runs with `SimdOp::run` /
//! `SimdMemOp::load`/`store`, as the interpreter will run them. Functions
//! using anything else (control flow, calls, other scalar operators) are
//! not translated and their assertions are counted as skipped.

use std::collections::HashMap;

use touchstone_engine::exec::numeric::v128::{
    simd_mem_op, simd_op, slots::pop_v128, slots::push_v128, SimdMemOp, SimdOp, V128,
};
use wasmparser::{ConstExpr, DataKind, FuncType, Operator, Payload, ValType};

use crate::values::{width, Val};

/// The trap message of an out-of-bounds access.
pub const OUT_OF_BOUNDS: &str = "out of bounds memory access";

/// One instruction of a straight-line body.
enum Step {
    /// Pushes `width` slots of the frame starting at slot `offset`.
    Get {
        offset: usize,
        width: usize,
    },
    /// Pops `width` slots into the frame at slot `offset`.
    Set {
        offset: usize,
        width: usize,
    },
    /// Pushes global `index`.
    GlobalGet(usize),
    Const(Val),
    Op(SimdOp),
    Mem(SimdMemOp, u64),
    /// `i32.load` (4 bytes) or `i64.load` (8 bytes) with its static offset.
    Load {
        bytes: usize,
        offset: u64,
    },
}

/// A translated function.
pub struct Func {
    steps: Vec<Step>,
    param_slots: usize,
    local_slots: usize,
    results: Vec<ValType>,
}

/// An instantiated module: its exports (`None` when not straight-line), memory and globals.
pub struct Module {
    exports: HashMap<String, Option<Func>>,
    memory: Vec<u8>,
    globals: Vec<Val>,
}

fn const_value(expr: &ConstExpr<'_>) -> Option<Val> {
    let mut reader = expr.get_operators_reader();
    let value = match reader.read().ok()? {
        Operator::I32Const { value } => Val::I32(value),
        Operator::I64Const { value } => Val::I64(value),
        Operator::F32Const { value } => Val::F32(value.bits()),
        Operator::F64Const { value } => Val::F64(value.bits()),
        Operator::V128Const { value } => Val::V128(V128::from(value)),
        _ => return None,
    };
    matches!(reader.read().ok()?, Operator::End).then_some(value)
}

fn translate(body: &wasmparser::FunctionBody<'_>, ty: &FuncType) -> Option<Func> {
    let mut offsets = Vec::new();
    let mut slot = 0;
    for &p in ty.params() {
        offsets.push((slot, width(p)));
        slot += width(p);
    }
    let param_slots = slot;
    let mut locals = body.get_locals_reader().ok()?;
    for _ in 0..locals.get_count() {
        let (count, ty) = locals.read().ok()?;
        for _ in 0..count {
            offsets.push((slot, width(ty)));
            slot += width(ty);
        }
    }
    let mut steps = Vec::new();
    let mut reader = body.get_operators_reader().ok()?;
    while !reader.eof() {
        let op = reader.read().ok()?;
        let step = match op {
            Operator::LocalGet { local_index } => {
                let (offset, width) = offsets[local_index as usize];
                Step::Get { offset, width }
            }
            Operator::LocalSet { local_index } => {
                let (offset, width) = offsets[local_index as usize];
                Step::Set { offset, width }
            }
            Operator::GlobalGet { global_index } => Step::GlobalGet(global_index as usize),
            Operator::I32Const { value } => Step::Const(Val::I32(value)),
            Operator::I64Const { value } => Step::Const(Val::I64(value)),
            Operator::F32Const { value } => Step::Const(Val::F32(value.bits())),
            Operator::F64Const { value } => Step::Const(Val::F64(value.bits())),
            Operator::V128Const { value } => Step::Const(Val::V128(V128::from(value))),
            Operator::I32Load { memarg } => Step::Load {
                bytes: 4,
                offset: memarg.offset,
            },
            Operator::I64Load { memarg } => Step::Load {
                bytes: 8,
                offset: memarg.offset,
            },
            Operator::End if reader.eof() => break,
            op => match simd_op(&op) {
                Some(simd) => Step::Op(simd),
                None => {
                    let (mem, memarg) = simd_mem_op(&op)?;
                    if memarg.target != wasmparser::MemArgTarget::Memory(0) {
                        return None;
                    }
                    Step::Mem(mem, memarg.offset)
                }
            },
        };
        steps.push(step);
    }
    Some(Func {
        steps,
        param_slots,
        local_slots: slot - param_slots,
        results: ty.results().to_vec(),
    })
}

/// Decodes and instantiates a module; `None` for modules this check cannot handle.
pub fn instantiate(bytes: &[u8]) -> Option<Module> {
    let mut types = Vec::new();
    let mut func_types = Vec::new();
    let mut bodies = Vec::new();
    let mut exported = Vec::new();
    let mut memory = Vec::new();
    let mut globals = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            // Imports would shift index spaces; none of these scripts need them.
            Payload::ImportSection(_) => return None,
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    types.push(ty.ok()?);
                }
            }
            Payload::FunctionSection(reader) => {
                for index in reader {
                    func_types.push(index.ok()? as usize);
                }
            }
            Payload::MemorySection(reader) => {
                for ty in reader {
                    if !memory.is_empty() {
                        return None;
                    }
                    memory = vec![0; usize::try_from(ty.ok()?.initial).ok()? * 65536];
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    globals.push(const_value(&global.ok()?.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.ok()?;
                    if export.kind == wasmparser::ExternalKind::Func {
                        exported.push((export.name.to_owned(), export.index as usize));
                    }
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.ok()?;
                    let DataKind::Active {
                        memory_index: 0,
                        offset_expr,
                    } = data.kind
                    else {
                        return None;
                    };
                    let Val::I32(at) = const_value(&offset_expr)? else {
                        return None;
                    };
                    let at = at as u32 as usize;
                    memory
                        .get_mut(at..at + data.data.len())?
                        .copy_from_slice(data.data);
                }
            }
            Payload::CodeSectionEntry(body) => {
                let ty = &types[func_types[bodies.len()]];
                bodies.push(translate(&body, ty));
            }
            _ => {}
        }
    }
    let mut bodies: Vec<_> = bodies.into_iter().map(Some).collect();
    let exports = exported
        .into_iter()
        .map(|(name, index)| (name, bodies.get_mut(index).and_then(Option::take).flatten()))
        .collect();
    Some(Module {
        exports,
        memory,
        globals,
    })
}

/// The bytes `[addr + offset, addr + offset + len)` of memory, or the trap.
fn range(
    memory_len: usize,
    addr: u64,
    offset: u64,
    len: usize,
) -> Result<std::ops::Range<usize>, &'static str> {
    let start = (addr as u32 as u64)
        .checked_add(offset)
        .ok_or(OUT_OF_BOUNDS)?;
    let end = start.checked_add(len as u64).ok_or(OUT_OF_BOUNDS)?;
    if end > memory_len as u64 {
        return Err(OUT_OF_BOUNDS);
    }
    Ok(start as usize..end as usize)
}

impl Module {
    /// Invokes export `name`; `None` if it is not straight-line code or the
    /// arguments are not plain values. Traps come back as `Err(message)`.
    pub fn invoke(&mut self, name: &str, args: &[Val]) -> Option<Result<Vec<Val>, &'static str>> {
        let func = self.exports.get(name)?.as_ref()?;
        let mut frame = Vec::new();
        for a in args {
            a.push_slots(&mut frame);
        }
        if frame.len() != func.param_slots {
            return None;
        }
        frame.resize(func.param_slots + func.local_slots, 0);
        let mut stack = Vec::new();
        for step in &func.steps {
            match *step {
                Step::Get { offset, width } => {
                    stack.extend_from_slice(&frame[offset..offset + width])
                }
                Step::Set { offset, width } => {
                    let from = stack.len() - width;
                    frame[offset..offset + width].copy_from_slice(&stack[from..]);
                    stack.truncate(from);
                }
                Step::GlobalGet(index) => self.globals[index].push_slots(&mut stack),
                Step::Const(v) => v.push_slots(&mut stack),
                Step::Op(op) => op.run(&mut stack),
                Step::Load { bytes, offset } => {
                    let addr = stack.pop().expect("address");
                    let r = match range(self.memory.len(), addr, offset, bytes) {
                        Ok(r) => r,
                        Err(trap) => return Some(Err(trap)),
                    };
                    let mut word = [0u8; 8];
                    word[..bytes].copy_from_slice(&self.memory[r]);
                    stack.push(u64::from_le_bytes(word));
                }
                Step::Mem(op, offset) => {
                    let vector = op.takes_vector().then(|| pop_v128(&mut stack));
                    let addr = stack.pop().expect("address");
                    let r = match range(self.memory.len(), addr, offset, op.access_bytes()) {
                        Ok(r) => r,
                        Err(trap) => return Some(Err(trap)),
                    };
                    let v = vector.unwrap_or_default();
                    if op.is_store() {
                        op.store(v, &mut self.memory[r]);
                    } else {
                        push_v128(&mut stack, op.load(&self.memory[r], v));
                    }
                }
            }
        }
        let mut results = Vec::new();
        let mut at = 0;
        for &ty in &func.results {
            results.push(Val::from_slots(ty, &stack[at..])?);
            at += width(ty);
        }
        assert_eq!(at, stack.len(), "the stack holds exactly the results");
        Some(Ok(results))
    }
}
