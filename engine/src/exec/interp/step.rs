//! The instructions outside the hot loop ([`super::fast`]): calls,
//! returns, throws, and the families kept out of line (SIMD, atomics,
//! tables, bulk memory, GC). They run on `self.values`.

use super::Executor;
use crate::api::error::RuntimeError;
use crate::exec::instr::Instr;

impl Executor<'_> {
    /// Runs `instr`, the instruction just before `self.pc`. `true` when the
    /// outermost function has returned.
    pub(super) fn step(&mut self, instr: Instr) -> Result<bool, RuntimeError> {
        use Instr as I;
        match instr {
            I::Return => {
                return Ok(self.ret());
            }
            I::Call(f) => {
                self.call(self.inst.funcs[f as usize])?;
            }
            I::CallIndirect { ty, table } => {
                self.call_indirect(ty, table)?;
            }
            I::ReturnCall(f) => {
                return self.return_call(self.inst.funcs[f as usize]);
            }
            I::CallRef => {
                let addr = self.pop_func_ref()?;
                self.call(addr)?;
            }
            I::ReturnCallRef => {
                let addr = self.pop_func_ref()?;
                return self.return_call(addr);
            }
            I::Throw(tag) => {
                self.throw_new(tag, self.pc - 1)?;
            }
            I::ThrowRef => {
                self.throw_ref(self.pc - 1)?;
            }
            I::ReturnCallIndirect { ty, table } => {
                let addr = self.indirect_target(ty, table)?;
                return self.return_call(addr);
            }
            I::SelectV128 => self.select_v128(),
            I::LocalGetV128(o) => self.local_get_v128(o),
            I::LocalSetV128(o) => self.local_set_v128(o, false),
            I::LocalTeeV128(o) => self.local_set_v128(o, true),
            I::GlobalGetV128(g) => self.global_get_v128(g),
            I::GlobalSetV128(g) => self.global_set_v128(g),
            I::Simd(i) => self.simd(i),
            I::SimdMem(i) => self.simd_mem(i)?,
            I::Atomic(i) => self.atomic(i)?,

            I::MemorySize(m) => self.memory_size(m),
            I::MemoryGrow(m) => self.memory_grow(m),
            I::MemoryInit { data, mem } => self.memory_init(data, mem)?,
            I::DataDrop(d) => self.data_drop(d),
            I::MemoryCopy { dst, src } => self.memory_copy(dst, src)?,
            I::MemoryFill(m) => self.memory_fill(m)?,

            I::TableGet(t) => self.table_get(t)?,
            I::TableSet(t) => self.table_set(t)?,
            I::TableSize(t) => self.table_size(t),
            I::TableGrow(t) => self.table_grow(t),
            I::TableFill(t) => self.table_fill(t)?,
            I::TableCopy { dst, src } => self.table_copy(dst, src)?,
            I::TableInit { elem, table } => self.table_init(elem, table)?,
            I::ElemDrop(e) => self.elem_drop(e),
            I::Gc(i) => self.gc(i)?,
            _ => unreachable!("run in the hot loop"),
        }
        Ok(false)
    }
}
