//! Translation of calls: the arguments go to their home slots, which
//! become the callee's first frame slots, so a call copies nothing.

use wasmparser::Operator;

use super::Translator;
use crate::error::CompileError;
use crate::ir::{CodeLink, Instr};
use crate::runtime::types::{slots_of, FuncType};

impl Translator<'_> {
    /// Every call form; `false` for any other operator.
    pub(super) fn call(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        let (ty, extra, tail) = match *op {
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => (
                self.info
                    .type_of_func(function_index)
                    .ok_or_else(|| CompileError::unsupported("call of a non-function type"))?,
                0,
                matches!(op, Operator::ReturnCall { .. }),
            ),
            Operator::CallIndirect { type_index, .. }
            | Operator::ReturnCallIndirect { type_index, .. }
            | Operator::CallRef { type_index }
            | Operator::ReturnCallRef { type_index } => (
                self.info
                    .func_type(type_index)
                    .ok_or_else(|| CompileError::unsupported("indirect call of a GC type"))?,
                1,
                matches!(
                    op,
                    Operator::ReturnCallIndirect { .. } | Operator::ReturnCallRef { .. }
                ),
            ),
            _ => return Ok(false),
        };
        let (params, results) = slot_sums(ty);
        self.register_mode();
        self.materialize_all();
        let h = self.height();
        // The callee (table index or reference) is above the arguments.
        let callee = if extra == 1 { self.home(h - 1) } else { 0 };
        let at = self.home(h - extra - params);
        let instr = match *op {
            Operator::Call { function_index }
                if function_index as usize >= self.info.num_imported_funcs =>
            {
                // Emitted next; nothing emitted later removes it (only a
                // value's writer is ever taken back, and a call writes none).
                self.code.call_sites.push(self.code.instrs.len() as u32);
                Instr::CallInternal {
                    func: function_index,
                    at,
                    callee: CodeLink::NONE,
                }
            }
            Operator::Call { function_index } => Instr::Call {
                func: function_index,
                at,
            },
            Operator::ReturnCall { function_index } => Instr::ReturnCall {
                func: function_index,
                at,
            },
            Operator::CallIndirect {
                type_index,
                table_index,
            } => Instr::CallIndirect {
                ty: type_index,
                table: table_index,
                index: callee,
                at,
            },
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => Instr::ReturnCallIndirect {
                ty: type_index,
                table: table_index,
                index: callee,
                at,
            },
            Operator::CallRef { .. } => Instr::CallRef { callee, at },
            Operator::ReturnCallRef { .. } => Instr::ReturnCallRef { callee, at },
            _ => unreachable!("matched above"),
        };
        self.pop(params + extra);
        self.emit(instr);
        if tail {
            self.set_unreachable();
        } else {
            self.push(results);
        }
        Ok(true)
    }
}

fn slot_sums(ty: &FuncType) -> (u32, u32) {
    let sum = |ts: &[wasmparser::ValType]| ts.iter().map(|t| slots_of(*t)).sum::<u32>();
    (sum(ty.params()), sum(ty.results()))
}
