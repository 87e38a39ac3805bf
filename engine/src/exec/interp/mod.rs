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
mod fast;
mod gc;
mod memory;
mod simd;
mod slot;
mod step;
mod table;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::stack::{Frame, Stack, Values};
use crate::api::error::{RuntimeError, TrapKind};
use crate::runtime::func::FuncInst;
use crate::runtime::instance::InstanceInst;
use crate::runtime::store::Store;
use code_ref::CodeRef;

/// Calls function `func` of the store with raw arguments; returns raw results.
pub(crate) fn invoke(store: &mut Store, func: u32, args: &[u64]) -> Result<Vec<u64>, RuntimeError> {
    let (code, instance) = match &store.funcs[func as usize] {
        FuncInst::Host { type_id, func } => {
            let ty = store.types[*type_id as usize].clone();
            let mut values = Values::default();
            values.extend_from_slice(args);
            call::call_host(&mut values, func, &ty)?;
            return Ok(values.to_vec());
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
    // The hot loop indexes the buffer up to the function's maximum height.
    values.reserve(values.len + code.max_stack as usize + call::SLACK_SLOTS);
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
    values: Values,
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

    fn poll_interrupt(&self) -> Result<(), RuntimeError> {
        if self.interrupt.load(Ordering::Relaxed) {
            Err(RuntimeError::new(TrapKind::Interrupted))
        } else {
            Ok(())
        }
    }

    /// Runs until the outermost function returns.
    ///
    /// [`Self::run_fast`] runs the current function with the stack buffer
    /// moved out of `self` and the height in a local; it stops at calls,
    /// returns, throws and the out-of-line families, which [`Self::step`]
    /// runs on the restored stack before the hot loop resumes (at the new
    /// frame's `pc` when the instruction switched frames).
    fn run(&mut self) -> Result<(), RuntimeError> {
        loop {
            let mut buf = std::mem::take(&mut self.values.buf);
            let exit = self.run_fast(&mut buf, self.values.len);
            self.values.buf = buf;
            let (instr, sp) = exit?;
            self.values.len = sp;
            if self.step(instr)? {
                return Ok(());
            }
        }
    }
}
