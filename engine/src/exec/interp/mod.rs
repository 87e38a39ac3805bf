//! The interpreter loop: one `match` over [`Instr`] per step, with the
//! per-family work in `call.rs`, `memory_ops.rs`, `table_ops.rs`,
//! `simd.rs`, `gc.rs`, `atomic.rs` and `exceptions.rs`.
//!
//! Wasm calls push a [`Frame`] on a heap stack and continue in the same
//! loop, so deep recursion meets the configured depth limit, never a
//! native stack overflow.

mod atomic;
mod call;
mod call_stack;
mod cursor;
mod exceptions;
mod flow;
mod gc;
mod memory0_cache;
mod memory_ops;
mod registers;
mod semantics;
mod simd;
mod table_ops;
#[cfg(test)]
mod tests;
mod threaded;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::code::{FuncCode, Op};
use super::code_ref::CodeRef;
use super::numeric::i64 as I64;
use super::stack::Stack;
use crate::error::{RuntimeError, TrapKind};
use crate::ir::Instr;
use crate::runtime::module_instance::InstanceInst;
use crate::runtime::store::FuncInst;
use crate::runtime::store::Store;
use call_stack::CallStack;
use cursor::Cursor;
use memory0_cache::Memory0;
use registers::Registers;
use semantics::{body, wide};
pub(crate) use threaded::select as select_dispatch;

/// The portable loop's `match`: the arms given (every instruction outside
/// the table), then one per table instruction, each running its body from
/// `semantics` on frame slots `$r` and memory-0 view `$mem`.
macro_rules! portable_step {
    (
        ($instr:expr, $r:ident, $mem:ident) { $($arms:tt)* }
        instrs { $( $(#[$d:meta])* $name:ident($shape:ident) $kind:ident [$($args:tt)*] )* }
        $($operators:tt)*
    ) => {
        match $instr {
            $($arms)*
            $( Instr::$name(x) => portable_body!($kind $name, x, $r, $mem), )*
        }
    };
}

/// One table instruction's step in the portable loop, by its kind.
macro_rules! portable_body {
    (un $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a)))
    };
    (un_trap $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a))?)
    };
    (bin $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $r.get($x.b)))
    };
    (bin_trap $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $r.get($x.b))?)
    };
    (imm32 $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $x.imm))
    };
    (imm64 $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $x.imm))
    };
    (mul_add $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $r.get($x.b), $r.get($x.c)))
    };
    (shl_add $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($r.get($x.a), $x.shift, $x.imm))
    };
    (load $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($m, $r.get($x.a), $x.offset)?)
    };
    (load_add $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($m, $r.get($x.a), $x.imm, $x.offset)?)
    };
    (load_scaled $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set(
            $x.d,
            body::$n($m, $r.get($x.a), $x.shift, $x.imm, $x.offset)?,
        )
    };
    (load_at $n:ident, $x:ident, $r:ident, $m:ident) => {
        $r.set($x.d, body::$n($m, $x.addr)?)
    };
    (store_at $n:ident, $x:ident, $r:ident, $m:ident) => {
        body::$n($m, $x.addr, $r.get($x.v))?
    };
    (store $n:ident, $x:ident, $r:ident, $m:ident) => {
        body::$n($m, $r.get($x.a), $x.offset, $r.get($x.v))?
    };
    (store_add $n:ident, $x:ident, $r:ident, $m:ident) => {
        body::$n($m, $r.get($x.a), $x.imm, $x.offset, $r.get($x.v))?
    };
    (store_imm $n:ident, $x:ident, $r:ident, $m:ident) => {
        body::$n($m, $r.get($x.a), $x.offset, $x.value)?
    };
}

/// Calls function `func` of the store with raw arguments; returns raw results.
pub(crate) fn invoke(store: &mut Store, func: u32, args: &[u64]) -> Result<Vec<u64>, RuntimeError> {
    let (code, instance) = match &store.funcs[func as usize] {
        FuncInst::Host { type_id, func } => {
            let (ty, func) = (store.types[*type_id as usize].clone(), func.clone());
            let mut values = args.to_vec();
            call::call_host(store, None, &mut values, &func, &ty)?;
            return Ok(values);
        }
        // SAFETY: the store keeps this `Arc` (it is never removed from
        // `funcs`) for longer than the executor below lives.
        FuncInst::Wasm { code, instance, .. } => (unsafe { CodeRef::new(code) }, *instance),
    };
    let Stack { mut values, frames } = Stack::take_spare();
    values.clear();
    values.extend_from_slice(args);
    values.resize(code.frame_slots(), 0);
    let result_slots = code.result_slots as usize;
    let interrupt = store.config.interrupt.clone();
    let max_depth = store.config.max_call_depth.max(1) as usize - 1;
    let mut ex = Executor {
        max_slots: store.config.max_value_slots,
        mem0: first_memory(&store.instances[instance as usize]),
        inst: store.instances[instance as usize].clone(),
        inst_index: instance,
        store,
        values,
        frames: CallStack::new(frames, max_depth),
        code,
        pc: 0,
        base: 0,
        interrupt,
        ops: std::ptr::null(),
        at_cold: false,
        trap: None,
    };
    let outcome = {
        let running = Running::enter(&mut ex);
        if running.0.interrupt.load(Ordering::Relaxed) {
            Err(RuntimeError::new(TrapKind::Interrupted))
        } else {
            running.0.run()
        }
    };
    let result = outcome.map(|()| ex.values[..result_slots].to_vec());
    let Executor { values, frames, .. } = ex;
    Stack {
        values,
        frames: frames.into_vec(),
    }
    .keep_spare();
    result
}

/// Counts an invocation as running in its store (only the outermost one
/// collects garbage) until dropped, also when a panic unwinds through the
/// interpreter: a store kept after a panicked call must collect again.
struct Running<'e, 's>(&'e mut Executor<'s>);

impl<'e, 's> Running<'e, 's> {
    fn enter(ex: &'e mut Executor<'s>) -> Self {
        ex.store.invocations += 1;
        Running(ex)
    }
}

impl Drop for Running<'_, '_> {
    fn drop(&mut self) {
        self.0.store.invocations -= 1;
    }
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
    /// The suspended callers.
    frames: CallStack,
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
    max_slots: usize,
    /// Threaded dispatch: the running code's first op, whether it stopped
    /// at a cold instruction (at `pc`) for the `match` loop to run, and the
    /// trap it stopped with.
    ops: *const Op,
    // Read only by threaded dispatch (optimized builds on x86_64/aarch64).
    #[cfg_attr(not(touchstone_threaded), allow(dead_code))]
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

    /// The value of global `i` of the running instance (one slot wide).
    ///
    ///
    /// Unchecked: C code reads and writes its stack-pointer global in
    /// nearly every function, and the two bounds checks (with the panic
    /// paths that cost the threaded handler a stack frame) were half of
    /// the handler.
    #[inline(always)]
    fn global(&self, i: u32) -> u64 {
        let g = self.global_index(i);
        debug_assert!(g < self.store.globals.len());
        // SAFETY: instance entries are store indices of globals the store
        // holds, and the store never removes a global.
        unsafe { self.store.globals.get_unchecked(g).value as u64 }
    }

    /// Sets global `i` of the running instance to `v` (register globals).
    #[inline(always)]
    fn set_global(&mut self, i: u32, v: u64) {
        let g = self.global_index(i);
        debug_assert!(g < self.store.globals.len());
        // SAFETY: as in `global`.
        unsafe { self.store.globals.get_unchecked_mut(g).value = u128::from(v) }
    }

    /// The store index of global `i` of the running instance.
    #[inline(always)]
    fn global_index(&self, i: u32) -> usize {
        debug_assert!((i as usize) < self.inst.globals.len());
        // SAFETY: the code was validated, so `i` is below the module's
        // global count, which is `inst.globals.len()` (instantiation adds
        // one entry per imported and per defined global).
        (unsafe { *self.inst.globals.get_unchecked(i as usize) }) as usize
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

    /// [`Executor::jump`] for the branch just read, whose target operand
    /// is `pc` (a distance between ops: see `code::branch_op`).
    #[inline(always)]
    fn branch(&self, cur: &mut Cursor, pc: u32) -> Result<(), RuntimeError> {
        if cur.branch(pc) {
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
                crate::for_each_register_instr!(portable_step! {
                    (cur.next().instr, r, mem) {
                    I::Copy(x) => r.set(x.d, r.get(x.a)),
                    I::Const(x) => r.set(x.d, x.value),
                    I::GlobalGet(x) => r.set(x.d, self.global(x.i)),
                    I::GlobalSet { g, a } => self.set_global(g, r.get(a)),
                    I::Select(x) => {
                        let pick = if flow::select_first(r.get(x.c)) { x.a } else { x.b };
                        r.set(x.d, r.get(pick));
                    }
                    I::Jump { pc: to } => self.branch(&mut cur, to)?,
                    I::BrIf { c, pc: to } => {
                        if flow::br_if(r.get(c)) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrUnless { c, pc: to } => {
                        if flow::br_unless(r.get(c)) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmp32 { cmp, a, b, pc: to } => {
                        if flow::br_cmp32(cmp, r.get(a), r.get(b)) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmp32Imm {
                        cmp,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if flow::br_cmp32_imm(cmp, r.get(a), imm) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmp64 { cmp, a, b, pc: to } => {
                        if flow::br_cmp64(cmp, r.get(a), r.get(b)) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmp64Imm {
                        cmp,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if flow::br_cmp64_imm(cmp, r.get(a), imm) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmpF64 {
                        cmp,
                        negate,
                        a,
                        b,
                        pc: to,
                    } => {
                        if flow::br_cmp_f64(cmp, negate, r.get(a), r.get(b)) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrCmpF64Imm {
                        cmp,
                        negate,
                        a,
                        imm,
                        pc: to,
                    } => {
                        if flow::br_cmp_f64(cmp, negate, r.get(a), imm) {
                            self.branch(&mut cur, to)?
                        }
                    }
                    I::BrTable { index, first, len } => {
                        let i = flow::br_table_entry(r.get(index), len);
                        let to = code.br_targets[(first + i) as usize];
                        self.jump(&mut cur, to)?;
                    }
                    I::Return { from, n } => {
                        self.place_results(r, from, n);
                        if self.pop_frame() {
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
                    I::CallInternal { func, at, callee } => {
                        self.pc = cur.pc();
                        // SAFETY: `callee` is from an op of the running code.
                        match unsafe { CodeRef::linked(callee) } {
                            Some(callee) => self.call_code(callee, at)?,
                            None => self.call(self.inst.funcs[func as usize], at)?,
                        }
                        break;
                    }
                    I::CallIndirect {
                        ty,
                        table,
                        index,
                        at,
                    } => {
                        self.pc = cur.pc();
                        match self.indirect_callee(ty, table, r.get(index)) {
                            Some(callee) => self.call_code(callee, at)?,
                            None => {
                                let addr = self.indirect_target(ty, table, index)?;
                                self.call(addr, at)?;
                            }
                        }
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
                        if flow::is_null(r.get(a)) {
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
                });
            }
        }
    }
}
