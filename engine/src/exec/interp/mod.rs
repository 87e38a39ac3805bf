//! The interpreter loop: one `match` over [`Instr`] per step, with the
//! per-family work in [`call`], [`memory`] and [`table`].
//!
//! Wasm calls push a [`Frame`] on a heap stack and continue in the same
//! loop, so deep recursion meets the configured depth limit, never a
//! native stack overflow.

mod atomic;
mod call;
mod code_ref;
mod exceptions;
mod gc;
mod memory;
mod simd;
mod slot;
mod table;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::code::FuncCode;
use super::instr::{BrTarget, Instr};
use super::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};
use super::stack::{Frame, Stack};
use crate::api::error::{RuntimeError, TrapKind};
use crate::runtime::func::FuncInst;
use crate::runtime::instance::InstanceInst;
use crate::runtime::store::Store;
use code_ref::CodeRef;
use slot::{bin, bin_trap, un, un_trap, wide};

/// Calls function `func` of the store with raw arguments; returns raw results.
pub(crate) fn invoke(store: &mut Store, func: u32, args: &[u64]) -> Result<Vec<u64>, RuntimeError> {
    let (code, instance) = match &store.funcs[func as usize] {
        FuncInst::Host { type_id, func } => {
            let ty = store.types[*type_id as usize].clone();
            let mut values = args.to_vec();
            call::call_host(&mut values, func, &ty)?;
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
    values.resize(args.len() + code.local_slots as usize, 0);
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
        func,
        pc: 0,
        base: 0,
        interrupt,
    };
    let outcome = if ex.interrupt.load(Ordering::Relaxed) {
        Err(RuntimeError::new(TrapKind::Interrupted))
    } else {
        ex.run()
    };
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
    /// Code of the running function, whose store address is `func`.
    code: CodeRef,
    func: u32,
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

    /// Takes a branch: keeps the label's values, drops the rest; returns the new pc.
    #[inline(always)]
    fn branch(&mut self, t: BrTarget) -> usize {
        if t.drop > 0 {
            let len = self.values.len();
            let keep = t.keep as usize;
            if keep == 1 {
                // The usual label arity, without `copy_within`'s `memmove` call.
                self.values[len - 1 - t.drop as usize] = self.values[len - 1];
            } else {
                self.values
                    .copy_within(len - keep..len, len - keep - t.drop as usize);
            }
            self.values.truncate(len - t.drop as usize);
        }
        t.pc as usize
    }

    /// Takes a branch from just before `pc`; a backward branch is a loop
    /// iteration, so it polls the interrupt flag (loops have no header
    /// instruction of their own: that would cost a dispatch per iteration).
    #[inline(always)]
    fn jump(&mut self, t: BrTarget, pc: usize) -> Result<usize, RuntimeError> {
        let to = self.branch(t);
        if to < pc {
            self.poll_interrupt()?;
        }
        Ok(to)
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
    /// The inner loop runs the current function with `pc` in a local; it
    /// is left only when a call, return or throw switches frames, after
    /// which the outer loop picks up the new frame's `pc`. (The code is a
    /// [`CodeRef`], not a cloned `Arc`, so a call costs no reference-count
    /// traffic for it.)
    fn run(&mut self) -> Result<(), RuntimeError> {
        use Instr as I;
        let mut pc = self.pc;
        loop {
            // A local copy of the handle: the code is borrowed from it, not
            // from `self`, so the instruction slice stays in registers
            // instead of being reloaded through `self` every step. Every arm
            // that replaces `self.code` (calls, returns, throws) leaves the
            // inner loop at once, so this is re-read for the new frame.
            let code_ref = self.code;
            let code: &FuncCode = &code_ref;
            // The slice itself (pointer and length) as a local, so they stay
            // in registers rather than being reloaded through `code` after
            // every store to the value stack.
            let instrs: &[Instr] = &code.instrs;
            let base = self.base;
            loop {
                let instr = instrs[pc];
                pc += 1;
                let v = &mut self.values;
                match instr {
                    I::Unreachable => return Err(RuntimeError::new(TrapKind::Unreachable)),
                    I::Br(t) => pc = self.jump(t, pc)?,
                    I::BrIf(t) => {
                        if self.pop() as u32 != 0 {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrUnless { pc: target } => {
                        if self.pop() as u32 == 0 {
                            pc = target as usize
                        }
                    }
                    I::BrIfEqz(t) => {
                        if self.pop() as u32 == 0 {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrIfNez { pc: target } => {
                        if self.pop() as u32 != 0 {
                            pc = target as usize
                        }
                    }
                    I::BrIfCmp(t, cmp) => {
                        let b = self.pop();
                        let a = self.pop();
                        if cmp.holds(a, b) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrUnlessCmp { pc: target, cmp } => {
                        let b = self.pop();
                        let a = self.pop();
                        if !cmp.holds(a, b) {
                            pc = target as usize
                        }
                    }
                    I::I32AddImm(c) => un(v, |a: i32| a.wrapping_add(c as i32)),
                    I::I32AndImm(c) => un(v, |a: i32| a & c as i32),
                    I::I32ShlImm(c) => un(v, |a: i32| I32::shl(a, c as i32)),
                    I::I32ShrSImm(c) => un(v, |a: i32| I32::shr_s(a, c as i32)),
                    I::I32ShrUImm(c) => un(v, |a: i32| I32::shr_u(a, c as i32)),
                    I::I64AddImm(c) => un(v, |a: i64| a.wrapping_add(c as i64)),
                    I::I32AddLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a.wrapping_add(b))
                    }
                    I::I32SubLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a.wrapping_sub(b))
                    }
                    I::I32MulLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a.wrapping_mul(b))
                    }
                    I::I32AndLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a & b)
                    }
                    I::I32OrLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a | b)
                    }
                    I::I32XorLocal(o) => {
                        let b = v[base + o as usize] as i32;
                        un(v, |a: i32| a ^ b)
                    }
                    I::I64AddLocal(o) => {
                        let b = v[base + o as usize] as i64;
                        un(v, |a: i64| a.wrapping_add(b))
                    }
                    I::I64SubLocal(o) => {
                        let b = v[base + o as usize] as i64;
                        un(v, |a: i64| a.wrapping_sub(b))
                    }
                    I::I64MulLocal(o) => {
                        let b = v[base + o as usize] as i64;
                        un(v, |a: i64| a.wrapping_mul(b))
                    }
                    I::I32AddImmLocal { local, imm } => {
                        let x = (v[base + local as usize] as u32).wrapping_add(imm);
                        v.push(x as u64)
                    }
                    I::LocalAddImm { from, to, imm } => {
                        v[base + to as usize] =
                            (v[base + from as usize] as u32).wrapping_add(imm) as u64
                    }
                    I::LocalAddImmTee { from, to, imm } => {
                        let x = (v[base + from as usize] as u32).wrapping_add(imm) as u64;
                        v[base + to as usize] = x;
                        v.push(x)
                    }
                    I::LocalSetGet { set, get } => {
                        let top = v.len() - 1;
                        v[base + set as usize] = v[top];
                        v[top] = v[base + get as usize];
                    }
                    I::LocalTeeGet { tee, get } => {
                        let x = v[v.len() - 1];
                        v[base + tee as usize] = x;
                        let y = v[base + get as usize];
                        v.push(y)
                    }
                    I::LocalGet2 { a, b } => {
                        let (x, y) = (v[base + a as usize], v[base + b as usize]);
                        v.push(x);
                        v.push(y)
                    }
                    I::F64AddLocal(o) => {
                        let b = f64::from_bits(v[base + o as usize]);
                        un(v, |a: f64| F64::add(a, b))
                    }
                    I::F64SubLocal(o) => {
                        let b = f64::from_bits(v[base + o as usize]);
                        un(v, |a: f64| F64::sub(a, b))
                    }
                    I::F64MulLocal(o) => {
                        let b = f64::from_bits(v[base + o as usize]);
                        un(v, |a: f64| F64::mul(a, b))
                    }
                    I::I32LoadLocal { local, offset } => {
                        let addr = v[base + local as usize];
                        let bytes = self.read::<4>(0, addr, offset as u64)?;
                        self.values.push(u32::from_le_bytes(bytes) as u64)
                    }
                    I::I64LoadLocal { local, offset } => {
                        let addr = v[base + local as usize];
                        let bytes = self.read::<8>(0, addr, offset as u64)?;
                        self.values.push(u64::from_le_bytes(bytes))
                    }
                    I::I32RotlImm(c) => un(v, |a: i32| I32::rotl(a, c as i32)),
                    I::I64ShlImm(c) => un(v, |a: i64| I64::shl(a, c as i64)),
                    I::I64ShrUImm(c) => un(v, |a: i64| I64::shr_u(a, c as i64)),
                    I::I64AndImm(c) => un(v, |a: i64| a & c as i64),
                    I::I32CmpLocal(cmp, o) => {
                        let b = v[base + o as usize];
                        let top = v.len() - 1;
                        v[top] = cmp.holds(v[top], b) as u64
                    }
                    I::I32CmpImm(cmp, c) => {
                        let top = v.len() - 1;
                        v[top] = cmp.holds(v[top], c as u64) as u64
                    }
                    I::BrIfCmpLocal(t, cmp, o) => {
                        let b = v[base + o as usize];
                        let a = self.pop();
                        if cmp.holds(a, b) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrIfCmpImm(t, cmp, c) => {
                        let a = self.pop();
                        if cmp.holds(a, c as u64) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrIfCmp64(t, cmp) => {
                        let b = self.pop();
                        let a = self.pop();
                        if cmp.holds64(a, b) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::BrIfEqz64(t) => {
                        if self.pop() == 0 {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::I32AddLL { a, b } => {
                        let x =
                            (v[base + a as usize] as u32).wrapping_add(v[base + b as usize] as u32);
                        v.push(x as u64)
                    }
                    I::LocalAddLL { a, b, to } => {
                        let x =
                            (v[base + a as usize] as u32).wrapping_add(v[base + b as usize] as u32);
                        v[base + to as usize] = x as u64
                    }
                    I::I64AddLL { a, b } => {
                        let x = v[base + a as usize].wrapping_add(v[base + b as usize]);
                        v.push(x)
                    }
                    I::F64AddLL { a, b } => {
                        let (x, y) = (v[base + a as usize], v[base + b as usize]);
                        v.push(F64::add(f64::from_bits(x), f64::from_bits(y)).to_bits())
                    }
                    I::F64SubLL { a, b } => {
                        let (x, y) = (v[base + a as usize], v[base + b as usize]);
                        v.push(F64::sub(f64::from_bits(x), f64::from_bits(y)).to_bits())
                    }
                    I::F64MulLL { a, b } => {
                        let (x, y) = (v[base + a as usize], v[base + b as usize]);
                        v.push(F64::mul(f64::from_bits(x), f64::from_bits(y)).to_bits())
                    }
                    I::BrIfCmpF64(t, cmp) => {
                        let b = self.pop();
                        let a = self.pop();
                        if cmp.holds_f64(a, b) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::I32ShlImmLocal { local, imm } => {
                        let x = I32::shl(v[base + local as usize] as i32, imm as i32);
                        v.push(x as u32 as u64)
                    }
                    I::I32RotlImmLocal { local, imm } => {
                        let x = I32::rotl(v[base + local as usize] as i32, imm as i32);
                        v.push(x as u32 as u64)
                    }
                    I::LocalCopy2 {
                        from1,
                        to1,
                        from2,
                        to2,
                    } => {
                        v[base + to1 as usize] = v[base + from1 as usize];
                        v[base + to2 as usize] = v[base + from2 as usize];
                    }
                    I::I32ShlAddImmLocal { local, shift, imm } => {
                        let x = I32::shl(v[base + local as usize] as i32, shift as i32);
                        v.push((x as u32).wrapping_add(imm) as u64)
                    }
                    I::I32LoadLocalImm { local, imm, offset } => {
                        let addr = (v[base + local as usize] as u32).wrapping_add(imm) as u64;
                        let bytes = self.read::<4>(0, addr, offset as u64)?;
                        self.values.push(u32::from_le_bytes(bytes) as u64)
                    }
                    I::I64LoadLocalImm { local, imm, offset } => {
                        let addr = (v[base + local as usize] as u32).wrapping_add(imm) as u64;
                        let bytes = self.read::<8>(0, addr, offset as u64)?;
                        self.values.push(u64::from_le_bytes(bytes))
                    }
                    I::F64AddSet(x) => {
                        let b = f64::from_bits(self.pop());
                        let a = f64::from_bits(self.pop());
                        self.values[base + x as usize] = F64::add(a, b).to_bits()
                    }
                    I::F64AddTee(x) => {
                        bin(v, F64::add);
                        v[base + x as usize] = v[v.len() - 1]
                    }
                    I::I32MulAddLocal(x) => {
                        let x = v[base + x as usize] as u32;
                        let a = v.pop().expect("validated: operand present") as u32;
                        let top = v.last_mut().expect("validated: operand present");
                        *top = (*top as u32).wrapping_add(a.wrapping_mul(x)) as u64
                    }
                    I::BrIfNez64 { pc: target } => {
                        if self.pop() != 0 {
                            pc = target as usize
                        }
                    }
                    I::I64AddImmLocal { local, imm } => {
                        let x = v[base + local as usize].wrapping_add(imm);
                        v.push(x)
                    }
                    I::I32StoreLL { addr, val, offset } => {
                        let (a, x) = (v[base + addr as usize], v[base + val as usize]);
                        self.write::<4>(a, offset as u64, (x as u32).to_le_bytes())?
                    }
                    I::F64CmpImm(cmp, c) => {
                        let top = v.len() - 1;
                        v[top] = cmp.holds_f64(v[top], c) as u64
                    }
                    I::BrIfCmpF64Imm(t, cmp, c) => {
                        let a = self.pop();
                        if cmp.holds_f64(a, c) {
                            pc = self.jump(t, pc)?
                        }
                    }
                    I::LocalSetConst { local, value } => v[base + local as usize] = value as u64,
                    I::LocalCopy { from, to } => v[base + to as usize] = v[base + from as usize],
                    I::BrTable { first, len } => {
                        let i = (self.pop() as u32).min(len - 1);
                        pc = self.jump(code.br_targets[(first + i) as usize], pc)?
                    }
                    I::Return => {
                        if self.ret() {
                            return Ok(());
                        }
                        break;
                    }
                    I::Call(f) => {
                        self.pc = pc;
                        self.call(self.inst.funcs[f as usize])?;
                        break;
                    }
                    I::CallIndirect { ty, table } => {
                        self.pc = pc;
                        self.call_indirect(ty, table)?;
                        break;
                    }
                    I::ReturnCall(f) => {
                        if self.return_call(self.inst.funcs[f as usize])? {
                            return Ok(());
                        }
                        break;
                    }
                    I::CallRef => {
                        self.pc = pc;
                        let addr = self.pop_func_ref()?;
                        self.call(addr)?;
                        break;
                    }
                    I::ReturnCallRef => {
                        let addr = self.pop_func_ref()?;
                        if self.return_call(addr)? {
                            return Ok(());
                        }
                        break;
                    }
                    I::BrOnNull(t) => {
                        if *self.top() == 0 {
                            self.pop();
                            pc = self.jump(t, pc)?;
                        }
                    }
                    I::BrOnNonNull(t) => {
                        if *self.top() != 0 {
                            pc = self.jump(t, pc)?;
                        } else {
                            self.pop();
                        }
                    }
                    I::Throw(tag) => {
                        self.throw_new(tag, pc - 1)?;
                        break;
                    }
                    I::ThrowRef => {
                        self.throw_ref(pc - 1)?;
                        break;
                    }
                    I::RefAsNonNull => {
                        if *self.top() == 0 {
                            return Err(RuntimeError::new(TrapKind::NullReference));
                        }
                    }
                    I::ReturnCallIndirect { ty, table } => {
                        let addr = self.indirect_target(ty, table)?;
                        if self.return_call(addr)? {
                            return Ok(());
                        }
                        break;
                    }
                    I::Drop(n) => {
                        let len = v.len();
                        v.truncate(len - n as usize)
                    }
                    I::Select => {
                        let c = self.pop() as u32;
                        let b = self.pop();
                        if c == 0 {
                            *self.top() = b;
                        }
                    }
                    I::LocalGet(o) => {
                        let x = v[base + o as usize];
                        v.push(x)
                    }
                    I::LocalSet(o) => {
                        let x = self.pop();
                        self.values[base + o as usize] = x
                    }
                    I::LocalTee(o) => {
                        let x = *self.top();
                        self.values[base + o as usize] = x
                    }
                    I::GlobalGet(g) => {
                        let x =
                            self.store.globals[self.inst.globals[g as usize] as usize].value as u64;
                        self.push(x)
                    }
                    I::GlobalSet(g) => {
                        let x = self.pop();
                        self.store.globals[self.inst.globals[g as usize] as usize].value = x as u128
                    }
                    I::Const(c) => v.push(c),
                    I::SelectV128 => self.select_v128(),
                    I::LocalGetV128(o) => self.local_get_v128(o),
                    I::LocalSetV128(o) => self.local_set_v128(o, false),
                    I::LocalTeeV128(o) => self.local_set_v128(o, true),
                    I::GlobalGetV128(g) => self.global_get_v128(g),
                    I::GlobalSetV128(g) => self.global_set_v128(g),
                    I::Simd(i) => self.simd(i),
                    I::SimdMem(i) => self.simd_mem(i)?,
                    I::Atomic(i) => self.atomic(i)?,

                    I::I32Load(m) | I::F32Load(m) => {
                        self.load::<4>(m, |b| u32::from_le_bytes(b) as u64)?
                    }
                    I::I64Load(m) | I::F64Load(m) => self.load::<8>(m, u64::from_le_bytes)?,
                    I::I32Load8S(m) => self.load::<1>(m, |b| b[0] as i8 as i32 as u32 as u64)?,
                    I::I32Load8U(m) => self.load::<1>(m, |b| b[0] as u64)?,
                    I::I32Load16S(m) => {
                        self.load::<2>(m, |b| i16::from_le_bytes(b) as i32 as u32 as u64)?
                    }
                    I::I32Load16U(m) => self.load::<2>(m, |b| u16::from_le_bytes(b) as u64)?,
                    I::I64Load8S(m) => self.load::<1>(m, |b| b[0] as i8 as i64 as u64)?,
                    I::I64Load8U(m) => self.load::<1>(m, |b| b[0] as u64)?,
                    I::I64Load16S(m) => {
                        self.load::<2>(m, |b| i16::from_le_bytes(b) as i64 as u64)?
                    }
                    I::I64Load16U(m) => self.load::<2>(m, |b| u16::from_le_bytes(b) as u64)?,
                    I::I64Load32S(m) => {
                        self.load::<4>(m, |b| i32::from_le_bytes(b) as i64 as u64)?
                    }
                    I::I64Load32U(m) => self.load::<4>(m, |b| u32::from_le_bytes(b) as u64)?,
                    I::I32Store(m) | I::F32Store(m) => {
                        self.store::<4>(m, |x| (x as u32).to_le_bytes())?
                    }
                    I::I64Store(m) | I::F64Store(m) => self.store::<8>(m, u64::to_le_bytes)?,
                    I::I32Store8(m) | I::I64Store8(m) => self.store::<1>(m, |x| [x as u8])?,
                    I::I32Store16(m) | I::I64Store16(m) => {
                        self.store::<2>(m, |x| (x as u16).to_le_bytes())?
                    }
                    I::I64Store32(m) => self.store::<4>(m, |x| (x as u32).to_le_bytes())?,
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
                    I::RefIsNull => {
                        let t = self.top();
                        *t = (*t == 0) as u64
                    }
                    I::RefFunc(f) => {
                        let addr = self.inst.funcs[f as usize];
                        self.push(addr as u64 + 1)
                    }

                    I::I32Eqz => un(v, I32::eqz),
                    I::I32Eq => bin(v, I32::eq),
                    I::I32Ne => bin(v, I32::ne),
                    I::I32LtS => bin(v, I32::lt_s),
                    I::I32LtU => bin(v, I32::lt_u),
                    I::I32GtS => bin(v, I32::gt_s),
                    I::I32GtU => bin(v, I32::gt_u),
                    I::I32LeS => bin(v, I32::le_s),
                    I::I32LeU => bin(v, I32::le_u),
                    I::I32GeS => bin(v, I32::ge_s),
                    I::I32GeU => bin(v, I32::ge_u),
                    I::I64Eqz => un(v, I64::eqz),
                    I::I64Eq => bin(v, I64::eq),
                    I::I64Ne => bin(v, I64::ne),
                    I::I64LtS => bin(v, I64::lt_s),
                    I::I64LtU => bin(v, I64::lt_u),
                    I::I64GtS => bin(v, I64::gt_s),
                    I::I64GtU => bin(v, I64::gt_u),
                    I::I64LeS => bin(v, I64::le_s),
                    I::I64LeU => bin(v, I64::le_u),
                    I::I64GeS => bin(v, I64::ge_s),
                    I::I64GeU => bin(v, I64::ge_u),
                    I::F32Eq => bin(v, F32::eq),
                    I::F32Ne => bin(v, F32::ne),
                    I::F32Lt => bin(v, F32::lt),
                    I::F32Gt => bin(v, F32::gt),
                    I::F32Le => bin(v, F32::le),
                    I::F32Ge => bin(v, F32::ge),
                    I::F64Eq => bin(v, F64::eq),
                    I::F64Ne => bin(v, F64::ne),
                    I::F64Lt => bin(v, F64::lt),
                    I::F64Gt => bin(v, F64::gt),
                    I::F64Le => bin(v, F64::le),
                    I::F64Ge => bin(v, F64::ge),

                    I::I32Clz => un(v, I32::clz),
                    I::I32Ctz => un(v, I32::ctz),
                    I::I32Popcnt => un(v, I32::popcnt),
                    I::I32Add => bin(v, I32::add),
                    I::I32Sub => bin(v, I32::sub),
                    I::I32Mul => bin(v, I32::mul),
                    I::I32DivS => bin_trap(v, I32::div_s)?,
                    I::I32DivU => bin_trap(v, I32::div_u)?,
                    I::I32RemS => bin_trap(v, I32::rem_s)?,
                    I::I32RemU => bin_trap(v, I32::rem_u)?,
                    I::I32And => bin(v, I32::and),
                    I::I32Or => bin(v, I32::or),
                    I::I32Xor => bin(v, I32::xor),
                    I::I32Shl => bin(v, I32::shl),
                    I::I32ShrS => bin(v, I32::shr_s),
                    I::I32ShrU => bin(v, I32::shr_u),
                    I::I32Rotl => bin(v, I32::rotl),
                    I::I32Rotr => bin(v, I32::rotr),
                    I::I64Clz => un(v, I64::clz),
                    I::I64Ctz => un(v, I64::ctz),
                    I::I64Popcnt => un(v, I64::popcnt),
                    I::I64Add => bin(v, I64::add),
                    I::I64Sub => bin(v, I64::sub),
                    I::I64Mul => bin(v, I64::mul),
                    I::I64DivS => bin_trap(v, I64::div_s)?,
                    I::I64DivU => bin_trap(v, I64::div_u)?,
                    I::I64RemS => bin_trap(v, I64::rem_s)?,
                    I::I64RemU => bin_trap(v, I64::rem_u)?,
                    I::I64And => bin(v, I64::and),
                    I::I64Or => bin(v, I64::or),
                    I::I64Xor => bin(v, I64::xor),
                    I::I64Shl => bin(v, I64::shl),
                    I::I64ShrS => bin(v, I64::shr_s),
                    I::I64ShrU => bin(v, I64::shr_u),
                    I::I64Rotl => bin(v, I64::rotl),
                    I::I64Rotr => bin(v, I64::rotr),

                    I::F32Abs => un(v, F32::abs),
                    I::F32Neg => un(v, F32::neg),
                    I::F32Ceil => un(v, F32::ceil),
                    I::F32Floor => un(v, F32::floor),
                    I::F32Trunc => un(v, F32::trunc),
                    I::F32Nearest => un(v, F32::nearest),
                    I::F32Sqrt => un(v, F32::sqrt),
                    I::F32Add => bin(v, F32::add),
                    I::F32Sub => bin(v, F32::sub),
                    I::F32Mul => bin(v, F32::mul),
                    I::F32Div => bin(v, F32::div),
                    I::F32Min => bin(v, F32::min),
                    I::F32Max => bin(v, F32::max),
                    I::F32Copysign => bin(v, F32::copysign),
                    I::F64Abs => un(v, F64::abs),
                    I::F64Neg => un(v, F64::neg),
                    I::F64Ceil => un(v, F64::ceil),
                    I::F64Floor => un(v, F64::floor),
                    I::F64Trunc => un(v, F64::trunc),
                    I::F64Nearest => un(v, F64::nearest),
                    I::F64Sqrt => un(v, F64::sqrt),
                    I::F64Add => bin(v, F64::add),
                    I::F64Sub => bin(v, F64::sub),
                    I::F64Mul => bin(v, F64::mul),
                    I::F64Div => bin(v, F64::div),
                    I::F64Min => bin(v, F64::min),
                    I::F64Max => bin(v, F64::max),
                    I::F64Copysign => bin(v, F64::copysign),

                    I::I32WrapI64 => un(v, convert::i32_wrap_i64),
                    I::I32TruncF32S => un_trap(v, convert::i32_trunc_f32_s)?,
                    I::I32TruncF32U => un_trap(v, convert::i32_trunc_f32_u)?,
                    I::I32TruncF64S => un_trap(v, convert::i32_trunc_f64_s)?,
                    I::I32TruncF64U => un_trap(v, convert::i32_trunc_f64_u)?,
                    I::I64ExtendI32S => un(v, convert::i64_extend_i32_s),
                    I::I64ExtendI32U => un(v, convert::i64_extend_i32_u),
                    I::I64TruncF32S => un_trap(v, convert::i64_trunc_f32_s)?,
                    I::I64TruncF32U => un_trap(v, convert::i64_trunc_f32_u)?,
                    I::I64TruncF64S => un_trap(v, convert::i64_trunc_f64_s)?,
                    I::I64TruncF64U => un_trap(v, convert::i64_trunc_f64_u)?,
                    I::F32ConvertI32S => un(v, convert::f32_convert_i32_s),
                    I::F32ConvertI32U => un(v, convert::f32_convert_i32_u),
                    I::F32ConvertI64S => un(v, convert::f32_convert_i64_s),
                    I::F32ConvertI64U => un(v, convert::f32_convert_i64_u),
                    I::F32DemoteF64 => un(v, convert::f32_demote_f64),
                    I::F64ConvertI32S => un(v, convert::f64_convert_i32_s),
                    I::F64ConvertI32U => un(v, convert::f64_convert_i32_u),
                    I::F64ConvertI64S => un(v, convert::f64_convert_i64_s),
                    I::F64ConvertI64U => un(v, convert::f64_convert_i64_u),
                    I::F64PromoteF32 => un(v, convert::f64_promote_f32),
                    I::I32Extend8S => un(v, I32::extend8_s),
                    I::I32Extend16S => un(v, I32::extend16_s),
                    I::I64Extend8S => un(v, I64::extend8_s),
                    I::I64Extend16S => un(v, I64::extend16_s),
                    I::I64Extend32S => un(v, I64::extend32_s),
                    I::I32TruncSatF32S => un(v, convert::i32_trunc_sat_f32_s),
                    I::I32TruncSatF32U => un(v, convert::i32_trunc_sat_f32_u),
                    I::I32TruncSatF64S => un(v, convert::i32_trunc_sat_f64_s),
                    I::I32TruncSatF64U => un(v, convert::i32_trunc_sat_f64_u),
                    I::I64TruncSatF32S => un(v, convert::i64_trunc_sat_f32_s),
                    I::I64TruncSatF32U => un(v, convert::i64_trunc_sat_f32_u),
                    I::I64TruncSatF64S => un(v, convert::i64_trunc_sat_f64_s),
                    I::I64TruncSatF64U => un(v, convert::i64_trunc_sat_f64_u),
                    I::I64Add128 => wide::<4>(v, |[a, b, c, d]| I64::add128(a, b, c, d)),
                    I::I64Sub128 => wide::<4>(v, |[a, b, c, d]| I64::sub128(a, b, c, d)),
                    I::I64MulWideS => wide::<2>(v, |[a, b]| I64::mul_wide_s(a, b)),
                    I::I64MulWideU => wide::<2>(v, |[a, b]| I64::mul_wide_u(a, b)),
                    I::Gc(i) => self.gc(i)?,
                }
            }
            pc = self.pc;
        }
    }
}
