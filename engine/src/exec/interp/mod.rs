//! The interpreter loop: one `match` over [`Instr`] per step, with the
//! per-family work in [`call`], [`memory`] and [`table`].
//!
//! Wasm calls push a [`Frame`] on a heap stack and continue in the same
//! loop, so deep recursion meets the configured depth limit, never a
//! native stack overflow.

mod atomic;
mod call;
mod code_ref;
mod cursor;
mod exceptions;
mod gc;
mod memory;
mod memory0;
mod registers;
mod simd;
mod slot;
mod table;
#[cfg(test)]
mod tests;
mod threaded;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::code::FuncCode;
use super::instr::Instr;
use super::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};
use super::stack::{Frame, Stack};
use crate::api::error::{RuntimeError, TrapKind};
use crate::runtime::func::FuncInst;
use crate::runtime::instance::InstanceInst;
use crate::runtime::store::Store;
pub(crate) use code_ref::CodeRef;
use cursor::Cursor;
use memory0::{widen as W, Memory0};
use registers::Registers;
use slot::{bin, bin_trap, imm32, imm64, un, un_trap, wide};
pub(crate) use threaded::{passes_accumulator, Op};

/// Calls function `func` of the store with raw arguments; returns raw results.
pub(crate) fn invoke(store: &mut Store, func: u32, args: &[u64]) -> Result<Vec<u64>, RuntimeError> {
    let (code, instance) = match &store.funcs[func as usize] {
        FuncInst::Host { type_id, func } => {
            let ty = store.types[*type_id as usize].clone();
            let mut values = args.to_vec();
            call::call_host(store, &mut values, func, &ty)?;
            return Ok(values);
        }
        // SAFETY: the store keeps this `Arc` (it is never removed from
        // `funcs`) for longer than the executor below lives.
        FuncInst::Wasm { code, instance, .. } => (unsafe { CodeRef::new(code) }, *instance),
    };
    let Stack {
        mut values,
        mut frames,
    } = std::mem::take(&mut store.stack);
    values.clear();
    frames.clear();
    values.extend_from_slice(args);
    values.resize(code.frame_slots(), 0);
    let result_slots = code.result_slots as usize;
    let interrupt = store.config.interrupt.clone();
    let mut ex = Executor {
        max_depth: store.config.max_call_depth.max(1) as usize - 1,
        max_slots: store.config.max_value_slots,
        mem0: first_memory(&store.instances[instance as usize]),
        inst: store.instances[instance as usize].clone(),
        inst_index: instance,
        store,
        values,
        frames,
        code,
        pc: 0,
        base: 0,
        interrupt,
        ops: std::ptr::null(),
        at_cold: false,
        trap: None,
    };
    ex.store.invocations += 1;
    let outcome = if ex.interrupt.load(Ordering::Relaxed) {
        Err(RuntimeError::new(TrapKind::Interrupted))
    } else {
        ex.run()
    };
    ex.store.invocations -= 1;
    let result = outcome.map(|()| ex.values[..result_slots].to_vec());
    let Executor {
        store,
        values,
        mut frames,
        ..
    } = ex;
    frames.clear();
    store.stack = Stack { values, frames };
    result
}

/// Store index of an instance's memory 0; `usize::MAX` (never used:
/// validation rejects memory instructions then) when it has none.
fn first_memory(inst: &InstanceInst) -> usize {
    inst.memories.first().map_or(usize::MAX, |&m| m as usize)
}

/// The running state: the current function's code, position and frame
/// base, the suspended callers, and the store.
pub(super) struct Executor<'s> {
    store: &'s mut Store,
    values: Vec<u64>,
    frames: Vec<Frame>,
    /// Code of the running function.
    code: CodeRef,
    pc: usize,
    base: usize,
    inst: Arc<InstanceInst>,
    /// Store index of `inst`.
    inst_index: u32,
    /// Store index of `inst`'s memory 0 (unused when it has none).
    mem0: usize,
    interrupt: Arc<AtomicBool>,
    /// Number of suspended callers allowed.
    max_depth: usize,
    max_slots: usize,
    /// Threaded dispatch: the running code's first op, whether it stopped
    /// at a cold instruction (at `pc`) for the `match` loop to run, and the
    /// trap it stopped with.
    ops: *const Op,
    at_cold: bool,
    trap: Option<RuntimeError>,
}

impl Executor<'_> {
    #[inline(always)]
    fn push(&mut self, v: u64) {
        self.values.push(v);
    }

    #[inline(always)]
    fn pop(&mut self) -> u64 {
        self.values.pop().expect("validated: operand present")
    }

    #[inline(always)]
    fn top(&mut self) -> &mut u64 {
        self.values.last_mut().expect("validated: operand present")
    }

    /// Jumps to `to` from just before `pc`; a backward jump is a loop
    /// iteration, so it polls the interrupt flag (loops have no header
    /// instruction of their own: that would cost a dispatch per iteration).
    #[inline(always)]
    fn jump(&self, cur: &mut Cursor, to: u32) -> Result<(), RuntimeError> {
        if cur.jump(to) {
            self.poll_interrupt()?;
        }
        Ok(())
    }

    fn poll_interrupt(&self) -> Result<(), RuntimeError> {
        if self.interrupt.load(Ordering::Relaxed) {
            Err(RuntimeError::new(TrapKind::Interrupted))
        } else {
            Ok(())
        }
    }

    /// Runs until the outermost function returns.
    ///
    /// The inner loop runs the current function with `pc` and the frame
    /// base in locals; it is left only when a call, return or throw switches
    /// frames, after which the outer loop picks up the new frame. (The code
    /// is a [`CodeRef`], not a cloned `Arc`, so a call costs no
    /// reference-count traffic for it.)
    fn run(&mut self) -> Result<(), RuntimeError> {
        use Instr as I;
        loop {
            // Local copies, so the instruction slice and the frame base stay
            // in registers instead of being reloaded through `self` after
            // every store to the value stack. Every arm that switches frames
            // leaves the inner loop at once, so these are re-read for the new one.
            let code_ref = self.code;
            let code: &FuncCode = &code_ref;
            let base = self.base;
            // SAFETY: `code` passed `check_control`; `self.pc` is 0, a
            // handler's start or the instruction after a call; the store
            // keeps the code alive while the executor runs.
            let mut cur = unsafe { Cursor::new(code, self.pc) };
            // SAFETY: remade after everything that can move memory 0's
            // buffer: stack-mode code (`RegisterMode`) and calls (this loop).
            let mut mem = unsafe { Memory0::new(self.store, self.mem0) };
            self.ops = code.ops.as_ptr();
            // SAFETY: every way into this loop (`invoke`, calls, returns,
            // exception handlers) leaves the value stack at least a frame
            // long, and `code` passed `check_slots`. Stack-mode instructions
            // may change the stack; register instructions run again only
            // after `RegisterMode`, which makes a new handle.
            let mut r = unsafe { Registers::new(&mut self.values, base) };
            loop {
                // Matched in place: copying the whole instruction out first
                // costs more than the dispatch itself.
                #[cfg(touchstone_threaded)]
                if !std::mem::take(&mut self.at_cold) {
                    // SAFETY: the cursor is at an op of checked code, which
                    // the store keeps alive.
                    let ip = unsafe { threaded::Ip::new(cur.ip()) };
                    match threaded::run(self, ip, r, mem) {
                        // Calls may have switched frames: start over from
                        // the executor's state, running one instruction here.
                        threaded::Exit::Cold => {
                            self.at_cold = true;
                            break;
                        }
                        threaded::Exit::Trap => {
                            return Err(self.trap.take().expect("a trap exit leaves its error"))
                        }
                        threaded::Exit::Returned => return Ok(()),
                    }
                }
                match cur.next().instr {
                    I::Copy(x) => r.set(x.d, r.get(x.a)),
                    I::Const(x) => r.set(x.d, x.value),
                    I::GlobalGet(x) => {
                        let g = self.inst.globals[x.i as usize] as usize;
                        r.set(x.d, self.store.globals[g].value as u64);
                    }
                    I::GlobalSet { g, a } => {
                        let g = self.inst.globals[g as usize] as usize;
                        self.store.globals[g].value = r.get(a) as u128;
                    }
                    I::I32MulAdd(x) => r.set(
                        x.d,
                        slot::fused::i32_mul_add(r.get(x.a), r.get(x.b), r.get(x.c)),
                    ),
                    I::I64MulAdd(x) => r.set(
                        x.d,
                        slot::fused::i64_mul_add(r.get(x.a), r.get(x.b), r.get(x.c)),
                    ),
                    I::F64MulAdd(x) => r.set(
                        x.d,
                        slot::fused::f64_mul_add(r.get(x.a), r.get(x.b), r.get(x.c)),
                    ),
                    I::F64AddMul(x) => r.set(
                        x.d,
                        slot::fused::f64_add_mul(r.get(x.a), r.get(x.b), r.get(x.c)),
                    ),
                    I::Select(x) => {
                        let pick = if r.get(x.c) as u32 != 0 { x.a } else { x.b };
                        r.set(x.d, r.get(pick));
                    }
                    I::Jump { pc: to } => self.jump(&mut cur, to)?,
                    I::BrIf { c, pc: to } => {
                        if r.get(c) != 0 {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrUnless { c, pc: to } => {
                        if r.get(c) == 0 {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmp32 { cmp, a, b, pc: to } => {
                        if cmp.holds(r.get(a), r.get(b)) {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmp32Imm {
                        cmp,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if cmp.holds(r.get(a), imm as u64) {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmp64 { cmp, a, b, pc: to } => {
                        if cmp.holds64(r.get(a), r.get(b)) {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmp64Imm {
                        cmp,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if cmp.holds64(r.get(a), imm as i64 as u64) {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmpF64 {
                        cmp,
                        negate,
                        a,
                        b,
                        pc: to,
                    } => {
                        if cmp.holds_f64(r.get(a), r.get(b)) != negate {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrCmpF64Imm {
                        cmp,
                        negate,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if cmp.holds_f64(r.get(a), imm) != negate {
                            self.jump(&mut cur, to)?
                        }
                    }
                    I::BrTable { index, first, len } => {
                        let i = (r.get(index) as u32).min(len - 1);
                        let to = code.br_targets[(first + i) as usize];
                        self.jump(&mut cur, to)?;
                    }
                    I::Return { from, n } => {
                        if self.ret(from, n) {
                            return Ok(());
                        }
                        break;
                    }
                    I::Call { func, at } => {
                        self.pc = cur.pc();
                        let addr = self.inst.funcs[func as usize];
                        self.call(addr, at)?;
                        break;
                    }
                    I::CallIndirect {
                        ty,
                        table,
                        index,
                        at,
                    } => {
                        self.pc = cur.pc();
                        let addr = self.indirect_target(ty, table, index)?;
                        self.call(addr, at)?;
                        break;
                    }
                    I::CallRef { callee, at } => {
                        self.pc = cur.pc();
                        let addr = self.func_ref(callee)?;
                        self.call(addr, at)?;
                        break;
                    }
                    I::ReturnCall { func, at } => {
                        let addr = self.inst.funcs[func as usize];
                        if self.return_call(addr, at)? {
                            return Ok(());
                        }
                        break;
                    }
                    I::ReturnCallIndirect {
                        ty,
                        table,
                        index,
                        at,
                    } => {
                        let addr = self.indirect_target(ty, table, index)?;
                        if self.return_call(addr, at)? {
                            return Ok(());
                        }
                        break;
                    }
                    I::ReturnCallRef { callee, at } => {
                        let addr = self.func_ref(callee)?;
                        if self.return_call(addr, at)? {
                            return Ok(());
                        }
                        break;
                    }
                    I::Unreachable => return Err(RuntimeError::new(TrapKind::Unreachable)),
                    I::TrapIfNull { a } => {
                        if r.get(a) == 0 {
                            return Err(RuntimeError::new(TrapKind::NullReference));
                        }
                    }
                    I::StackMode { top } => self.values.truncate(base + top as usize),
                    I::RegisterMode => {
                        self.values.resize(base + code.frame_slots(), 0);
                        // SAFETY: the stack is a frame long again, and the
                        // handle is fresh after stack mode's changes.
                        r = unsafe { Registers::new(&mut self.values, base) };
                        // SAFETY: as at the top of the loop.
                        mem = unsafe { Memory0::new(self.store, self.mem0) };
                    }

                    I::I32Load(x) => load0::<4>(r, mem, x, W::u32)?,
                    I::I64Load(x) => load0::<8>(r, mem, x, W::u64)?,
                    I::I32Load8S(x) => load0::<1>(r, mem, x, W::i8_to_i32)?,
                    I::I32Load8U(x) => load0::<1>(r, mem, x, W::u8)?,
                    I::I32Load16S(x) => load0::<2>(r, mem, x, W::i16_to_i32)?,
                    I::I32Load16U(x) => load0::<2>(r, mem, x, W::u16)?,
                    I::I64Load8S(x) => load0::<1>(r, mem, x, W::i8_to_i64)?,
                    I::I64Load16S(x) => load0::<2>(r, mem, x, W::i16_to_i64)?,
                    I::I64Load32S(x) => load0::<4>(r, mem, x, W::i32_to_i64)?,
                    I::I32LoadAdd(x) => load0_add::<4>(r, mem, x, W::u32)?,
                    I::I64LoadAdd(x) => load0_add::<8>(r, mem, x, W::u64)?,
                    I::I32Load8SAdd(x) => load0_add::<1>(r, mem, x, W::i8_to_i32)?,
                    I::I32Load8UAdd(x) => load0_add::<1>(r, mem, x, W::u8)?,
                    I::I32Load16SAdd(x) => load0_add::<2>(r, mem, x, W::i16_to_i32)?,
                    I::I32Load16UAdd(x) => load0_add::<2>(r, mem, x, W::u16)?,
                    I::I64Load8SAdd(x) => load0_add::<1>(r, mem, x, W::i8_to_i64)?,
                    I::I64Load16SAdd(x) => load0_add::<2>(r, mem, x, W::i16_to_i64)?,
                    I::I64Load32SAdd(x) => load0_add::<4>(r, mem, x, W::i32_to_i64)?,
                    I::Store8Add(x) => store0_add::<1>(r, mem, x)?,
                    I::Store16Add(x) => store0_add::<2>(r, mem, x)?,
                    I::Store32Add(x) => store0_add::<4>(r, mem, x)?,
                    I::Store64Add(x) => store0_add::<8>(r, mem, x)?,
                    I::Store8Imm(x) => store0_imm::<1>(r, mem, x)?,
                    I::Store16Imm(x) => store0_imm::<2>(r, mem, x)?,
                    I::Store32Imm(x) => store0_imm::<4>(r, mem, x)?,
                    I::Store64Imm(x) => store0_imm::<8>(r, mem, x)?,
                    I::Store8(x) => store0::<1>(r, mem, x)?,
                    I::Store16(x) => store0::<2>(r, mem, x)?,
                    I::Store32(x) => store0::<4>(r, mem, x)?,
                    I::Store64(x) => store0::<8>(r, mem, x)?,

                    I::I32Eqz(x) => un(r, x, I32::eqz),
                    I::I64Eqz(x) => un(r, x, I64::eqz),
                    I::I32Eq(x) => bin(r, x, I32::eq),
                    I::I32Ne(x) => bin(r, x, I32::ne),
                    I::I32LtS(x) => bin(r, x, I32::lt_s),
                    I::I32LtU(x) => bin(r, x, I32::lt_u),
                    I::I32GtS(x) => bin(r, x, I32::gt_s),
                    I::I32GtU(x) => bin(r, x, I32::gt_u),
                    I::I32LeS(x) => bin(r, x, I32::le_s),
                    I::I32LeU(x) => bin(r, x, I32::le_u),
                    I::I32GeS(x) => bin(r, x, I32::ge_s),
                    I::I32GeU(x) => bin(r, x, I32::ge_u),
                    I::I64Eq(x) => bin(r, x, I64::eq),
                    I::I64Ne(x) => bin(r, x, I64::ne),
                    I::I64LtS(x) => bin(r, x, I64::lt_s),
                    I::I64LtU(x) => bin(r, x, I64::lt_u),
                    I::I64GtS(x) => bin(r, x, I64::gt_s),
                    I::I64GtU(x) => bin(r, x, I64::gt_u),
                    I::I64LeS(x) => bin(r, x, I64::le_s),
                    I::I64LeU(x) => bin(r, x, I64::le_u),
                    I::I64GeS(x) => bin(r, x, I64::ge_s),
                    I::I64GeU(x) => bin(r, x, I64::ge_u),
                    I::F32Eq(x) => bin(r, x, F32::eq),
                    I::F32Ne(x) => bin(r, x, F32::ne),
                    I::F32Lt(x) => bin(r, x, F32::lt),
                    I::F32Gt(x) => bin(r, x, F32::gt),
                    I::F32Le(x) => bin(r, x, F32::le),
                    I::F32Ge(x) => bin(r, x, F32::ge),
                    I::F64Eq(x) => bin(r, x, F64::eq),
                    I::F64Ne(x) => bin(r, x, F64::ne),
                    I::F64Lt(x) => bin(r, x, F64::lt),
                    I::F64Gt(x) => bin(r, x, F64::gt),
                    I::F64Le(x) => bin(r, x, F64::le),
                    I::F64Ge(x) => bin(r, x, F64::ge),

                    I::I32Clz(x) => un(r, x, I32::clz),
                    I::I32Ctz(x) => un(r, x, I32::ctz),
                    I::I32Popcnt(x) => un(r, x, I32::popcnt),
                    I::I32Add(x) => bin(r, x, I32::add),
                    I::I32Sub(x) => bin(r, x, I32::sub),
                    I::I32Mul(x) => bin(r, x, I32::mul),
                    I::I32DivS(x) => bin_trap(r, x, I32::div_s)?,
                    I::I32DivU(x) => bin_trap(r, x, I32::div_u)?,
                    I::I32RemS(x) => bin_trap(r, x, I32::rem_s)?,
                    I::I32RemU(x) => bin_trap(r, x, I32::rem_u)?,
                    I::I32And(x) => bin(r, x, I32::and),
                    I::I32Or(x) => bin(r, x, I32::or),
                    I::I32Xor(x) => bin(r, x, I32::xor),
                    I::I32Shl(x) => bin(r, x, I32::shl),
                    I::I32ShrS(x) => bin(r, x, I32::shr_s),
                    I::I32ShrU(x) => bin(r, x, I32::shr_u),
                    I::I32Rotl(x) => bin(r, x, I32::rotl),
                    I::I32Rotr(x) => bin(r, x, I32::rotr),
                    I::I64Clz(x) => un(r, x, I64::clz),
                    I::I64Ctz(x) => un(r, x, I64::ctz),
                    I::I64Popcnt(x) => un(r, x, I64::popcnt),
                    I::I64Add(x) => bin(r, x, I64::add),
                    I::I64Sub(x) => bin(r, x, I64::sub),
                    I::I64Mul(x) => bin(r, x, I64::mul),
                    I::I64DivS(x) => bin_trap(r, x, I64::div_s)?,
                    I::I64DivU(x) => bin_trap(r, x, I64::div_u)?,
                    I::I64RemS(x) => bin_trap(r, x, I64::rem_s)?,
                    I::I64RemU(x) => bin_trap(r, x, I64::rem_u)?,
                    I::I64And(x) => bin(r, x, I64::and),
                    I::I64Or(x) => bin(r, x, I64::or),
                    I::I64Xor(x) => bin(r, x, I64::xor),
                    I::I64Shl(x) => bin(r, x, I64::shl),
                    I::I64ShrS(x) => bin(r, x, I64::shr_s),
                    I::I64ShrU(x) => bin(r, x, I64::shr_u),
                    I::I64Rotl(x) => bin(r, x, I64::rotl),
                    I::I64Rotr(x) => bin(r, x, I64::rotr),

                    I::I32AddImm(x) => imm32(r, x, I32::add),
                    I::I32MulImm(x) => imm32(r, x, I32::mul),
                    I::I32AndImm(x) => imm32(r, x, I32::and),
                    I::I32OrImm(x) => imm32(r, x, I32::or),
                    I::I32XorImm(x) => imm32(r, x, I32::xor),
                    I::I32ShlImm(x) => imm32(r, x, I32::shl),
                    I::I32ShrSImm(x) => imm32(r, x, I32::shr_s),
                    I::I32ShrUImm(x) => imm32(r, x, I32::shr_u),
                    I::I32RotlImm(x) => imm32(r, x, I32::rotl),
                    I::I32RotrImm(x) => imm32(r, x, I32::rotr),
                    I::I32EqImm(x) => imm32(r, x, I32::eq),
                    I::I32NeImm(x) => imm32(r, x, I32::ne),
                    I::I32LtSImm(x) => imm32(r, x, I32::lt_s),
                    I::I32LtUImm(x) => imm32(r, x, I32::lt_u),
                    I::I32GtSImm(x) => imm32(r, x, I32::gt_s),
                    I::I32GtUImm(x) => imm32(r, x, I32::gt_u),
                    I::I32LeSImm(x) => imm32(r, x, I32::le_s),
                    I::I32LeUImm(x) => imm32(r, x, I32::le_u),
                    I::I32GeSImm(x) => imm32(r, x, I32::ge_s),
                    I::I32GeUImm(x) => imm32(r, x, I32::ge_u),
                    I::I32DivSImm(x) => imm32(r, x, slot::by_constant::i32_div_s),
                    I::I32DivUImm(x) => imm32(r, x, slot::by_constant::i32_div_u),
                    I::I32RemSImm(x) => imm32(r, x, slot::by_constant::i32_rem_s),
                    I::I32RemUImm(x) => imm32(r, x, slot::by_constant::i32_rem_u),
                    I::I64DivSImm(x) => imm64(r, x, slot::by_constant::i64_div_s),
                    I::I64DivUImm(x) => imm64(r, x, slot::by_constant::i64_div_u),
                    I::I64RemSImm(x) => imm64(r, x, slot::by_constant::i64_rem_s),
                    I::I64RemUImm(x) => imm64(r, x, slot::by_constant::i64_rem_u),
                    I::I64AddImm(x) => imm64(r, x, I64::add),
                    I::I64MulImm(x) => imm64(r, x, I64::mul),
                    I::I64AndImm(x) => imm64(r, x, I64::and),
                    I::I64OrImm(x) => imm64(r, x, I64::or),
                    I::I64XorImm(x) => imm64(r, x, I64::xor),
                    I::I64ShlImm(x) => imm64(r, x, I64::shl),
                    I::I64ShrSImm(x) => imm64(r, x, I64::shr_s),
                    I::I64ShrUImm(x) => imm64(r, x, I64::shr_u),
                    I::I64RotlImm(x) => imm64(r, x, I64::rotl),
                    I::I64RotrImm(x) => imm64(r, x, I64::rotr),
                    I::I64EqImm(x) => imm64(r, x, I64::eq),
                    I::I64NeImm(x) => imm64(r, x, I64::ne),
                    I::I64LtSImm(x) => imm64(r, x, I64::lt_s),
                    I::I64LtUImm(x) => imm64(r, x, I64::lt_u),
                    I::I64GtSImm(x) => imm64(r, x, I64::gt_s),
                    I::I64GtUImm(x) => imm64(r, x, I64::gt_u),
                    I::I64LeSImm(x) => imm64(r, x, I64::le_s),
                    I::I64LeUImm(x) => imm64(r, x, I64::le_u),
                    I::I64GeSImm(x) => imm64(r, x, I64::ge_s),
                    I::I64GeUImm(x) => imm64(r, x, I64::ge_u),
                    I::F64AddImm(x) => imm64(r, x, F64::add),
                    I::I32RSubImm(x) => imm32(r, x, slot::swapped::i32_sub),
                    I::F64RSubImm(x) => imm64(r, x, slot::swapped::f64_sub),
                    I::F64RDivImm(x) => imm64(r, x, slot::swapped::f64_div),
                    I::F64EqImm(x) => imm64(r, x, F64::eq),
                    I::F64NeImm(x) => imm64(r, x, F64::ne),
                    I::F64LtImm(x) => imm64(r, x, F64::lt),
                    I::F64GtImm(x) => imm64(r, x, F64::gt),
                    I::F64LeImm(x) => imm64(r, x, F64::le),
                    I::F64GeImm(x) => imm64(r, x, F64::ge),
                    I::F64SubImm(x) => imm64(r, x, F64::sub),
                    I::F64MulImm(x) => imm64(r, x, F64::mul),
                    I::F64DivImm(x) => imm64(r, x, F64::div),

                    I::F32Abs(x) => un(r, x, F32::abs),
                    I::F32Neg(x) => un(r, x, F32::neg),
                    I::F32Ceil(x) => un(r, x, F32::ceil),
                    I::F32Floor(x) => un(r, x, F32::floor),
                    I::F32Trunc(x) => un(r, x, F32::trunc),
                    I::F32Nearest(x) => un(r, x, F32::nearest),
                    I::F32Sqrt(x) => un(r, x, F32::sqrt),
                    I::F32Add(x) => bin(r, x, F32::add),
                    I::F32Sub(x) => bin(r, x, F32::sub),
                    I::F32Mul(x) => bin(r, x, F32::mul),
                    I::F32Div(x) => bin(r, x, F32::div),
                    I::F32Min(x) => bin(r, x, F32::min),
                    I::F32Max(x) => bin(r, x, F32::max),
                    I::F32Copysign(x) => bin(r, x, F32::copysign),
                    I::F64Abs(x) => un(r, x, F64::abs),
                    I::F64Neg(x) => un(r, x, F64::neg),
                    I::F64Ceil(x) => un(r, x, F64::ceil),
                    I::F64Floor(x) => un(r, x, F64::floor),
                    I::F64Trunc(x) => un(r, x, F64::trunc),
                    I::F64Nearest(x) => un(r, x, F64::nearest),
                    I::F64Sqrt(x) => un(r, x, F64::sqrt),
                    I::F64Add(x) => bin(r, x, F64::add),
                    I::F64Sub(x) => bin(r, x, F64::sub),
                    I::F64Mul(x) => bin(r, x, F64::mul),
                    I::F64Div(x) => bin(r, x, F64::div),
                    I::F64Min(x) => bin(r, x, F64::min),
                    I::F64Max(x) => bin(r, x, F64::max),
                    I::F64Copysign(x) => bin(r, x, F64::copysign),

                    I::I32WrapI64(x) => un(r, x, convert::i32_wrap_i64),
                    I::I32TruncF32S(x) => un_trap(r, x, convert::i32_trunc_f32_s)?,
                    I::I32TruncF32U(x) => un_trap(r, x, convert::i32_trunc_f32_u)?,
                    I::I32TruncF64S(x) => un_trap(r, x, convert::i32_trunc_f64_s)?,
                    I::I32TruncF64U(x) => un_trap(r, x, convert::i32_trunc_f64_u)?,
                    I::I64ExtendI32S(x) => un(r, x, convert::i64_extend_i32_s),
                    I::I64ExtendI32U(x) => un(r, x, convert::i64_extend_i32_u),
                    I::I64TruncF32S(x) => un_trap(r, x, convert::i64_trunc_f32_s)?,
                    I::I64TruncF32U(x) => un_trap(r, x, convert::i64_trunc_f32_u)?,
                    I::I64TruncF64S(x) => un_trap(r, x, convert::i64_trunc_f64_s)?,
                    I::I64TruncF64U(x) => un_trap(r, x, convert::i64_trunc_f64_u)?,
                    I::F32ConvertI32S(x) => un(r, x, convert::f32_convert_i32_s),
                    I::F32ConvertI32U(x) => un(r, x, convert::f32_convert_i32_u),
                    I::F32ConvertI64S(x) => un(r, x, convert::f32_convert_i64_s),
                    I::F32ConvertI64U(x) => un(r, x, convert::f32_convert_i64_u),
                    I::F32DemoteF64(x) => un(r, x, convert::f32_demote_f64),
                    I::F64ConvertI32S(x) => un(r, x, convert::f64_convert_i32_s),
                    I::F64ConvertI32U(x) => un(r, x, convert::f64_convert_i32_u),
                    I::F64ConvertI64S(x) => un(r, x, convert::f64_convert_i64_s),
                    I::F64ConvertI64U(x) => un(r, x, convert::f64_convert_i64_u),
                    I::F64PromoteF32(x) => un(r, x, convert::f64_promote_f32),
                    I::I32Extend8S(x) => un(r, x, I32::extend8_s),
                    I::I32Extend16S(x) => un(r, x, I32::extend16_s),
                    I::I64Extend8S(x) => un(r, x, I64::extend8_s),
                    I::I64Extend16S(x) => un(r, x, I64::extend16_s),
                    I::I64Extend32S(x) => un(r, x, I64::extend32_s),
                    I::I32TruncSatF32S(x) => un(r, x, convert::i32_trunc_sat_f32_s),
                    I::I32TruncSatF32U(x) => un(r, x, convert::i32_trunc_sat_f32_u),
                    I::I32TruncSatF64S(x) => un(r, x, convert::i32_trunc_sat_f64_s),
                    I::I32TruncSatF64U(x) => un(r, x, convert::i32_trunc_sat_f64_u),
                    I::I64TruncSatF32S(x) => un(r, x, convert::i64_trunc_sat_f32_s),
                    I::I64TruncSatF32U(x) => un(r, x, convert::i64_trunc_sat_f32_u),
                    I::I64TruncSatF64S(x) => un(r, x, convert::i64_trunc_sat_f64_s),
                    I::I64TruncSatF64U(x) => un(r, x, convert::i64_trunc_sat_f64_u),

                    // Stack mode.
                    I::Throw(tag) => {
                        self.throw_new(tag, cur.pc() - 1)?;
                        break;
                    }
                    I::ThrowRef => {
                        self.throw_ref(cur.pc() - 1)?;
                        break;
                    }
                    I::PushConst(c) => self.push(c),
                    I::SelectV128 => self.select_v128(),
                    I::LocalGetV128(o) => self.local_get_v128(o),
                    I::LocalSetV128(o) => self.local_set_v128(o, false),
                    I::LocalTeeV128(o) => self.local_set_v128(o, true),
                    I::GlobalGetV128(g) => self.global_get_v128(g),
                    I::GlobalSetV128(g) => self.global_set_v128(g),
                    I::Simd(i) => self.simd(i),
                    I::SimdMem(i) => self.simd_mem(i)?,
                    I::Atomic(i) => self.atomic(i)?,
                    I::LoadAny(kind, m) => self.load_any(kind, m)?,
                    I::StoreAny { bytes, m } => self.store_any(bytes, m)?,
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
                    I::RefFunc(f) => {
                        let addr = self.inst.funcs[f as usize];
                        self.push(addr as u64 + 1)
                    }
                    I::I64Add128 => {
                        wide::<4>(&mut self.values, |[a, b, c, d]| I64::add128(a, b, c, d))
                    }
                    I::I64Sub128 => {
                        wide::<4>(&mut self.values, |[a, b, c, d]| I64::sub128(a, b, c, d))
                    }
                    I::I64MulWideS => wide::<2>(&mut self.values, |[a, b]| I64::mul_wide_s(a, b)),
                    I::I64MulWideU => wide::<2>(&mut self.values, |[a, b]| I64::mul_wide_u(a, b)),
                    I::Gc(i) => self.gc(i)?,
                }
            }
        }
    }
}

/// A memory-0 load: slot `d` gets `conv` of the `N` bytes at slot `a` plus the offset.
#[inline(always)]
fn load0<const N: usize>(
    r: Registers,
    mem: Memory0,
    x: super::instr::Load,
    conv: impl FnOnce([u8; N]) -> u64,
) -> Result<(), memory0::OutOfBounds> {
    let bytes = mem.load::<N>(r.get(x.a), x.offset)?;
    r.set(x.d, conv(bytes));
    Ok(())
}

/// A memory-0 store of the low `N` bytes of slot `v` at slot `a` plus the offset.
#[inline(always)]
fn store0<const N: usize>(
    r: Registers,
    mem: Memory0,
    x: super::instr::Store,
) -> Result<(), memory0::OutOfBounds> {
    mem.store::<N>(r.get(x.a), x.offset, r.get(x.v))
}

#[inline(always)]
fn load0_add<const N: usize>(
    r: Registers,
    mem: Memory0,
    x: super::instr::LoadAdd,
    conv: impl FnOnce([u8; N]) -> u64,
) -> Result<(), memory0::OutOfBounds> {
    let bytes = mem.load::<N>(memory0::wrapped(r.get(x.a), x.imm), x.offset)?;
    r.set(x.d, conv(bytes));
    Ok(())
}

#[inline(always)]
fn store0_add<const N: usize>(
    r: Registers,
    mem: Memory0,
    x: super::instr::StoreAdd,
) -> Result<(), memory0::OutOfBounds> {
    mem.store::<N>(memory0::wrapped(r.get(x.a), x.imm), x.offset, r.get(x.v))
}

#[inline(always)]
fn store0_imm<const N: usize>(
    r: Registers,
    mem: Memory0,
    x: super::instr::StoreImm,
) -> Result<(), memory0::OutOfBounds> {
    mem.store::<N>(r.get(x.a), x.offset, x.value)
}
