//! Calls and returns: frames are pushed on the heap call stack, so wasm
//! recursion never grows the Rust stack.

use std::sync::Arc;

use super::code_ref::CodeRef;
use super::Executor;
use crate::api::error::{RuntimeError, TrapKind};
use crate::exec::stack::Frame;
use crate::runtime::func::{FuncInst, HostFn};
use crate::runtime::types::slots_of;
use crate::runtime::types::FuncType;
use crate::runtime::value::{push_slots, read_slots, Val};

impl Executor<'_> {
    /// Calls the function at store address `addr`; its arguments are on top of the stack.
    pub(super) fn call(&mut self, addr: u32) -> Result<(), RuntimeError> {
        match &self.store.funcs[addr as usize] {
            FuncInst::Wasm { code, instance, .. } => {
                if self.frames.len() >= self.max_depth {
                    return Err(RuntimeError::new(TrapKind::CallStackExhausted));
                }
                let base = self.values.len() - code.param_slots as usize;
                let top = base + (code.param_slots + code.local_slots + code.max_stack) as usize;
                if top > self.max_slots {
                    return Err(RuntimeError::new(TrapKind::CallStackExhausted));
                }
                // SAFETY: the store keeps this `Arc` while the executor runs.
                let (code, instance) = (unsafe { CodeRef::new(code) }, *instance);
                zero_locals(&mut self.values, code.local_slots);
                let caller = Frame {
                    func: std::mem::replace(&mut self.func, addr),
                    pc: self.pc,
                    base: self.base,
                    instance: self.inst_index,
                };
                self.frames.push(caller);
                self.code = code;
                self.enter_instance(instance);
                self.pc = 0;
                self.base = base;
                self.poll_interrupt()
            }
            FuncInst::Host { type_id, func } => {
                let ty = self.store.types[*type_id as usize].clone();
                let func = func.clone();
                call_host(&mut self.values, &func, &ty)
            }
        }
    }

    /// `call_indirect`: checks the table entry, then calls it.
    pub(super) fn call_indirect(&mut self, ty: u32, table: u32) -> Result<(), RuntimeError> {
        let addr = self.indirect_target(ty, table)?;
        self.call(addr)
    }

    /// `return_call`: replaces the current frame with the callee's, so tail
    /// recursion runs in constant stack. `true` when the outermost function
    /// has returned (a host callee's results were returned at once).
    pub(super) fn return_call(&mut self, addr: u32) -> Result<bool, RuntimeError> {
        match &self.store.funcs[addr as usize] {
            FuncInst::Wasm { code, instance, .. } => {
                let args = code.param_slots as usize;
                let len = self.values.len();
                let from = len - args;
                // Forward copy to a lower (or equal) index: never overwrites
                // an argument before reading it. Few slots, so no `memmove`.
                for i in 0..args {
                    self.values[self.base + i] = self.values[from + i];
                }
                self.values.truncate(self.base + args);
                let top =
                    self.base + (code.param_slots + code.local_slots + code.max_stack) as usize;
                if top > self.max_slots {
                    return Err(RuntimeError::new(TrapKind::CallStackExhausted));
                }
                zero_locals(&mut self.values, code.local_slots);
                let instance = *instance;
                // SAFETY: the store keeps this `Arc` while the executor runs.
                self.code = unsafe { CodeRef::new(code) };
                self.func = addr;
                self.enter_instance(instance);
                self.pc = 0;
                self.poll_interrupt()?;
                Ok(false)
            }
            FuncInst::Host { .. } => {
                self.call(addr)?;
                Ok(self.ret())
            }
        }
    }

    /// Pops a function reference for `call_ref`; null traps.
    pub(super) fn pop_func_ref(&mut self) -> Result<u32, RuntimeError> {
        let raw = self.pop();
        raw.checked_sub(1)
            .map(|a| a as u32)
            .ok_or(RuntimeError::new(TrapKind::NullFunctionReference))
    }

    /// Pops a table index and resolves it to a function of module type `ty`,
    /// trapping as `call_indirect` must.
    pub(super) fn indirect_target(&mut self, ty: u32, table: u32) -> Result<u32, RuntimeError> {
        let i = self.pop();
        let t = &self.store.tables[self.inst.tables[table as usize] as usize];
        let raw = *usize::try_from(i)
            .ok()
            .and_then(|i| t.elems.get(i))
            .ok_or(RuntimeError::new(TrapKind::UndefinedElement))?;
        let addr = raw
            .checked_sub(1)
            .ok_or(RuntimeError::new(TrapKind::UninitializedElement))? as u32;
        let (have, want) = (
            self.store.funcs[addr as usize].type_id(),
            self.inst.type_ids[ty as usize],
        );
        // Wasm 3.0: the function's type must be a subtype of the expected one.
        if have != want && !self.store.is_subtype(have, want) {
            return Err(RuntimeError::new(TrapKind::IndirectCallTypeMismatch));
        }
        Ok(addr)
    }

    /// Makes instance `index` current; only a switch to another instance
    /// touches the instance's reference count.
    #[inline(always)]
    pub(super) fn enter_instance(&mut self, index: u32) {
        if index != self.inst_index {
            self.inst = self.store.instances[index as usize].clone();
            self.inst_index = index;
            self.mem0 = super::first_memory(&self.inst);
        }
    }

    /// Makes the wasm function at store address `func` the running one.
    pub(super) fn resume(&mut self, func: u32) {
        match &self.store.funcs[func as usize] {
            // SAFETY: the store keeps this `Arc` while the executor runs.
            FuncInst::Wasm { code, .. } => self.code = unsafe { CodeRef::new(code) },
            FuncInst::Host { .. } => unreachable!("only wasm functions have frames"),
        }
        self.func = func;
    }

    /// Returns from the current function. `true` when it was the outermost one.
    pub(super) fn ret(&mut self) -> bool {
        let n = self.code.result_slots as usize;
        let len = self.values.len();
        if n == 1 {
            // The common case, without `copy_within`'s library call.
            self.values[self.base] = self.values[len - 1];
            self.values.truncate(self.base + 1);
        } else if len != self.base + n {
            self.values.copy_within(len - n..len, self.base);
            self.values.truncate(self.base + n);
        }
        match self.frames.pop() {
            Some(f) => {
                self.resume(f.func);
                self.pc = f.pc;
                self.base = f.base;
                self.enter_instance(f.instance);
                false
            }
            None => true,
        }
    }
}

/// Appends `n` zeroed local slots. Functions have few locals, for which a
/// plain loop beats `resize`'s call into `memset`.
#[inline(always)]
fn zero_locals(values: &mut Vec<u64>, n: u32) {
    if n <= 8 {
        for _ in 0..n {
            values.push(0);
        }
    } else {
        values.resize(values.len() + n as usize, 0);
    }
}

/// Calls a host function with the arguments on top of `values`, replacing
/// them with its results after checking their types.
pub(super) fn call_host(
    values: &mut Vec<u64>,
    func: &Arc<HostFn>,
    ty: &FuncType,
) -> Result<(), RuntimeError> {
    let n: usize = ty.params().iter().map(|t| slots_of(*t) as usize).sum();
    let start = values.len() - n;
    let args: Vec<Val> = read_slots(&values[start..], ty.params());
    values.truncate(start);
    let results = func(&args)?;
    if results.len() != ty.results().len()
        || !results.iter().zip(ty.results()).all(|(r, t)| r.matches(*t))
    {
        return Err(RuntimeError::host(
            "host function returned values of the wrong type",
        ));
    }
    push_slots(&results, values);
    Ok(())
}
