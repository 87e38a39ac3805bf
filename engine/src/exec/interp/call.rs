//! Calls and returns: frames are pushed on the heap call stack, so wasm
//! recursion never grows the Rust stack.

use super::registers::Registers;
use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::exec::code::{FuncCode, Op};
use crate::exec::code_ref::CodeRef;
use crate::exec::stack::Frame;
use crate::runtime::store::Store;
use crate::runtime::store::{Caller, FuncInst, HostImpl};
use crate::runtime::types::slots_of;
use crate::runtime::types::FuncType;
use crate::runtime::value::{push_slots, read_slots, Val};

impl Executor<'_> {
    /// Calls the function at store address `addr`, whose arguments are in
    /// the current frame from slot `at`: that slot becomes the callee's
    /// frame base, and its results land there.
    // Inlined only into `threaded::switch`, which is itself kept out of
    // line: its locals (host calls pass references to them) would keep a
    // threaded handler from jumping to the next one.
    #[inline(always)]
    pub(super) fn call(&mut self, addr: u32, at: u32) -> Result<(), RuntimeError> {
        match &self.store.funcs[addr as usize] {
            FuncInst::Wasm { code, instance, .. } => {
                // SAFETY: the store keeps this `Arc` while the executor runs.
                let (code, instance) = (unsafe { CodeRef::new(code) }, *instance);
                if !self.push_frame(code, instance, at) {
                    return Err(RuntimeError::new(TrapKind::CallStackExhausted));
                }
                self.poll_interrupt()
            }
            FuncInst::Host { .. } => {
                // An exception from the host is thrown at the call
                // instruction (`self.pc` is just after it).
                self.call_host_at(addr, at, self.pc - 1).map(|_| ())
            }
        }
    }

    /// Calls host function `addr` with its arguments at slot `at`:
    /// `Ok(true)` when it returned (its results at `at`), `Ok(false)` when
    /// it threw an exception that a handler caught (thrown as if by the
    /// instruction at `throw_pc`; the executor is now in the handler).
    #[inline(never)]
    fn call_host_at(&mut self, addr: u32, at: u32, throw_pc: usize) -> Result<bool, RuntimeError> {
        let FuncInst::Host { type_id, func } = &self.store.funcs[addr as usize] else {
            unreachable!("called with a host function")
        };
        let ty = self.store.types[*type_id as usize].clone();
        let func = func.clone();
        let params: usize = ty.params().iter().map(|t| slots_of(*t) as usize).sum();
        self.values.truncate(self.base + at as usize + params);
        let caller = Some(self.inst_index);
        match call_host(self.store, caller, &mut self.values, &func, &ty) {
            Ok(()) => {
                self.restore_frame();
                Ok(true)
            }
            Err(e) => match e.exception() {
                Some(exn) => self.throw(exn.0, throw_pc).map(|()| false),
                None => Err(e),
            },
        }
    }

    /// Suspends the running function and starts a wasm function (its
    /// `code`, in instance `instance`), whose arguments are at slot `at`;
    /// `false`, changing nothing, when the call or value stack is full.
    #[inline(always)]
    pub(super) fn push_frame(&mut self, code: CodeRef, instance: u32, at: u32) -> bool {
        let new_base = self.base + at as usize;
        let top = new_base + code.frame_slots();
        if top > self.max_slots {
            return false;
        }
        let caller = Frame {
            code: self.code,
            // `pc` is at most the code's length: in (or one past) its ops.
            resume: self.code.ops.as_ptr().wrapping_add(self.pc),
            base: self.base,
            instance: if instance == self.inst_index {
                Frame::SAME_INSTANCE
            } else {
                self.inst_index
            },
        };
        if !self.frames.push(caller) {
            return false;
        }
        if self.values.len() < top {
            self.grow_values(top);
        }
        self.zero_locals(new_base, &code);
        self.code = code;
        self.enter_instance(instance);
        self.pc = 0;
        self.base = new_base;
        true
    }

    /// `return`'s results: moves the `n` slots from slot `from` of the
    /// running frame (`r`) to its base. One slot, the usual case, is a
    /// plain copy; more go through `copy_within` out of line.
    #[inline(always)]
    pub(super) fn place_results(&mut self, r: Registers, from: u32, n: u32) {
        match n {
            0 => {}
            1 => r.set(0, r.get(from)),
            _ => self.move_results(self.base + from as usize, n as usize),
        }
    }

    /// Moves `n` results from index `from` to the frame base.
    #[inline(never)]
    pub(super) fn move_results(&mut self, from: usize, n: usize) {
        if n == 0 {
            return;
        }
        self.values.copy_within(from..from + n, self.base);
    }

    /// [`Executor::push_frame`] for the usual call: in the running
    /// instance, room on both stacks, checked with one comparison per stack
    /// (`FuncCode::enter_room` folds the frame and the locals' zeroing into
    /// one number). `CHUNKS` says how the locals are zeroed: with 1 to 4,
    /// the callee has at most `8 * CHUNKS` locals, zeroed by fixed 8-slot
    /// stores, so the call makes no call of its own and the threaded call
    /// handler needs no stack frame; with 0, any number, by `fill` (a
    /// `memset` call). `false`, changing nothing, when the call needs the
    /// general path.
    #[inline(always)]
    ///
    /// The caller resumes at op `resume`. The callee's position
    /// (`pc`) is left for the caller to set: threaded dispatch starts the
    /// callee from its first op without going through it.
    pub(super) fn push_frame_fast<const CHUNKS: usize>(
        &mut self,
        code: CodeRef,
        at: u32,
        resume: *const Op,
    ) -> bool {
        let new_base = self.base + at as usize;
        if new_base + code.enter_room as usize > self.values.len() {
            return false;
        }
        let caller = Frame {
            code: self.code,
            resume,
            base: self.base,
            instance: Frame::SAME_INSTANCE,
        };
        if !self.frames.push_fast(caller) {
            return false;
        }
        let locals = new_base + code.param_slots as usize;
        let n = code.local_slots as usize;
        debug_assert!(CHUNKS == 0 || n <= 8 * CHUNKS);
        if CHUNKS == 0 {
            // Inside the frame, which `enter_room` covers.
            self.values[locals..locals + n].fill(0);
        } else {
            let first = self.values.as_mut_ptr().wrapping_add(locals);
            let zero8 = |from: usize| {
                // SAFETY: `enter_room` is at least `param_slots` plus
                // `local_slots` rounded up to a multiple of 8, and at least
                // `param_slots + 8` (`FuncCode::finish`), so the 8 slots
                // from local `from` (0, or below `local_slots`) lie below
                // `values.len()`, checked above. The zeros past the locals
                // land on operand slots or beyond the frame, which nothing
                // reads before writing.
                unsafe { first.add(from).cast::<[u64; 8]>().write_unaligned([0; 8]) }
            };
            // Fixed stores, not a loop: LLVM turns a zeroing loop back into
            // a `memset` call.
            zero8(0);
            if CHUNKS > 1 && n > 8 {
                zero8(8);
            }
            if CHUNKS > 2 && n > 16 {
                zero8(16);
            }
            if CHUNKS > 3 && n > 24 {
                zero8(24);
            }
        }
        self.code = code;
        self.base = new_base;
        true
    }

    /// [`Executor::return_call`] on the usual path: `code` is wasm code of
    /// the running instance taking at most 8 parameter slots and 8 locals,
    /// and the value stack has room from the frame base (one comparison
    /// for the callee's frame, one for the arguments' 8-slot read). The
    /// callee's frame replaces the running one at the same base: arguments
    /// and zeroed locals are moved with fixed 8-slot copies, so this makes
    /// no call of its own (`copy_within` and `fill` were `memmove` and
    /// `memset` calls, most of a tail call's cost). `false`, changing
    /// nothing, when the call needs the general path. The caller polls the
    /// interrupt flag and starts the callee.
    #[inline(always)]
    pub(super) fn return_call_fast(&mut self, code: CodeRef, at: u32) -> bool {
        let base = self.base;
        let from = base + at as usize;
        let len = self.values.len();
        if code.param_slots.max(code.local_slots) > 8
            || base + code.enter_room as usize > len
            || from + 8 > len
        {
            return false;
        }
        // SAFETY: `from + 8 <= len`, and `base + param_slots + 8 <= base +
        // enter_room <= len` (`enter_room` is at least `param_slots + 8`,
        // `FuncCode::finish`), so every slot read or written is inside the
        // value stack's initialized length. All 8 slots are read before any
        // is written, so overlapping ranges are fine. The slots written past
        // the parameters and the locals are operand slots of the callee or
        // beyond its frame, which nothing reads before writing.
        unsafe {
            let p = self.values.as_mut_ptr();
            let args = p.add(from).cast::<[u64; 8]>().read_unaligned();
            p.add(base).cast::<[u64; 8]>().write_unaligned(args);
            // A tail-calling loop's functions often declare no locals.
            if code.local_slots != 0 {
                p.add(base + code.param_slots as usize)
                    .cast::<[u64; 8]>()
                    .write_unaligned([0; 8]);
            }
        }
        self.code = code;
        true
    }

    /// Grows the value stack so that [`Executor::return_call_fast`] finds
    /// room for a tail call to `code` with its arguments at `at`: `false`
    /// when it already had room or would pass the limit (the general path
    /// then decides). A frame is sized exactly on entry, and tail calls
    /// never grow the stack, so without this a tail-call loop at the root
    /// would take the general path on every call.
    #[cold]
    #[inline(never)]
    pub(super) fn make_tail_room(&mut self, code: CodeRef, at: u32) -> bool {
        let want = self.base + (code.enter_room as usize).max(at as usize + 8);
        if want > self.max_slots || self.values.len() >= want {
            return false;
        }
        self.grow_values(want);
        true
    }

    /// Calls `code`, a function of the running instance, with its
    /// arguments at slot `at` (the general path of an internal call).
    #[inline(always)]
    pub(super) fn call_code(&mut self, code: CodeRef, at: u32) -> Result<(), RuntimeError> {
        let resume = self.code.ops.as_ptr().wrapping_add(self.pc);
        if self.push_frame_fast::<0>(code, at, resume) {
            self.pc = 0;
        } else if !self.push_frame(code, self.inst_index, at) {
            return Err(RuntimeError::new(TrapKind::CallStackExhausted));
        }
        self.poll_interrupt()
    }

    #[cold]
    #[inline(never)]
    fn grow_values(&mut self, top: usize) {
        // With room to spare (callers checked `top <= max_slots`; the fast
        // call path relies on `values.len() <= max_slots` otherwise): a
        // frame grown to its exact size would send every later call at that
        // depth down the general path, which wants room for whole blocks of
        // locals.
        let len = (top + 64)
            .max(2 * self.values.len())
            .min(self.max_slots)
            .max(top);
        self.values.resize(len, 0);
    }

    /// Zeroes the declared locals of a frame of `code` at `base`.
    #[inline(always)]
    fn zero_locals(&mut self, base: usize, code: &FuncCode) {
        let locals = base + code.param_slots as usize;
        let n = code.local_slots as usize;
        if n <= 8 && locals + 8 <= self.values.len() {
            // Few locals: eight fixed stores beat `fill`'s call into
            // `memset`. The extra zeros land on operand slots or beyond the
            // frame, which nothing reads before writing.
            self.values[locals..locals + 8].copy_from_slice(&[0; 8]);
        } else {
            self.values[locals..locals + n].fill(0);
        }
    }

    /// Makes the value stack cover a frame of `code` at `base` (whose
    /// arguments are in place) and zeroes its locals.
    #[inline(always)]
    fn enter_frame(&mut self, base: usize, code: &FuncCode) -> Result<(), RuntimeError> {
        let top = base + code.frame_slots();
        if top > self.max_slots {
            return Err(RuntimeError::new(TrapKind::CallStackExhausted));
        }
        if self.values.len() < top {
            self.values.resize(top, 0);
        }
        self.zero_locals(base, code);
        Ok(())
    }

    /// Makes the value stack cover the current frame again (a callee or
    /// stack-mode code may have cut it shorter).
    #[inline(always)]
    fn restore_frame(&mut self) {
        let top = self.base + self.code.frame_slots();
        if self.values.len() < top {
            self.grow_values(top);
        }
    }

    /// `return_call`: replaces the current frame with the callee's, so tail
    /// recursion runs in constant stack. `true` when the outermost function
    /// has returned (a host callee's results were returned at once).
    #[inline(always)]
    pub(super) fn return_call(&mut self, addr: u32, at: u32) -> Result<bool, RuntimeError> {
        match &self.store.funcs[addr as usize] {
            FuncInst::Wasm { code, instance, .. } => {
                // SAFETY: the store keeps this `Arc` while the executor runs.
                let (code, instance) = (unsafe { CodeRef::new(code) }, *instance);
                let args = code.param_slots as usize;
                let from = self.base + at as usize;
                self.values.copy_within(from..from + args, self.base);
                self.enter_frame(self.base, &code)?;
                self.code = code;
                if instance != self.inst_index {
                    self.keep_caller_instance();
                }
                self.enter_instance(instance);
                self.pc = 0;
                self.poll_interrupt()?;
                Ok(false)
            }
            FuncInst::Host { type_id, .. } => {
                let ty = &self.store.types[*type_id as usize];
                let results: u32 = ty.results().iter().map(|t| slots_of(*t)).sum();
                // The tail-calling frame is gone: an exception from the
                // host unwinds from its caller (no handler holds `MAX`).
                if self.call_host_at(addr, at, usize::MAX)? {
                    Ok(self.ret(at, results))
                } else {
                    Ok(false)
                }
            }
        }
    }

    /// Reads the function reference in slot `r` for `call_ref`; null traps.
    pub(super) fn func_ref(&self, r: u32) -> Result<u32, RuntimeError> {
        let raw = self.values[self.base + r as usize];
        raw.checked_sub(1)
            .map(|a| a as u32)
            .ok_or(RuntimeError::new(TrapKind::NullFunctionReference))
    }

    /// The usual `call_indirect` callee, for the fast path: wasm code of the
    /// running instance, found at table index `i`, of exactly module type
    /// `ty`. `None` when any of that fails: [`Executor::indirect_target`]
    /// then resolves it in full (subtypes, other instances, host functions)
    /// or traps.
    #[inline(always)]
    pub(super) fn indirect_callee(&self, ty: u32, table: u32, i: u64) -> Option<CodeRef> {
        let t = self
            .store
            .tables
            .get(*self.inst.tables.get(table as usize)? as usize)?;
        let raw = *t.elems.get(usize::try_from(i).ok()?)?;
        let addr = usize::try_from(raw.checked_sub(1)?).ok()?;
        match self.store.funcs.get(addr)? {
            FuncInst::Wasm {
                code,
                instance,
                type_id,
            } if *instance == self.inst_index
                && Some(type_id) == self.inst.type_ids.get(ty as usize) =>
            {
                // SAFETY: the store keeps this `Arc` while the executor runs.
                Some(unsafe { CodeRef::new(code) })
            }
            _ => None,
        }
    }

    /// Resolves the table index in slot `index` to a function of module
    /// type `ty`, trapping as `call_indirect` must.
    pub(super) fn indirect_target(
        &self,
        ty: u32,
        table: u32,
        index: u32,
    ) -> Result<u32, RuntimeError> {
        let i = self.values[self.base + index as usize];
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

    /// Before a tail call leaves the running instance: the suspended
    /// caller, if its frame says it runs in this instance
    /// ([`Frame::SAME_INSTANCE`]), gets this instance's index instead,
    /// since its callee will no longer run here.
    #[cold]
    #[inline(never)]
    fn keep_caller_instance(&mut self) {
        let inst_index = self.inst_index;
        if let Some(f) = self.frames.last_mut() {
            if f.instance == Frame::SAME_INSTANCE {
                f.instance = inst_index;
            }
        }
    }

    /// Makes the instance of suspended caller `f` current again.
    #[inline(always)]
    pub(super) fn enter_caller_instance(&mut self, f: &Frame) {
        if f.instance != Frame::SAME_INSTANCE {
            self.enter_instance(f.instance);
        }
    }

    /// Makes instance `index` current; only a switch to another instance
    /// touches the instance's reference count.
    #[inline(always)]
    pub(super) fn enter_instance(&mut self, index: u32) {
        if index != self.inst_index {
            self.switch_instance(index);
        }
    }

    #[inline(never)]
    fn switch_instance(&mut self, index: u32) {
        self.inst = self.store.instances[index as usize].clone();
        self.inst_index = index;
        self.mem0 = super::first_memory(&self.inst);
    }

    /// Returns the `n` slots from slot `from` of the current frame, which
    /// move to its base. `true` when it was the outermost function.
    #[inline(always)]
    pub(super) fn ret(&mut self, from: u32, n: u32) -> bool {
        let (from, base) = (self.base + from as usize, self.base);
        if n == 1 {
            // The common case, without `copy_within`'s library call.
            self.values[base] = self.values[from];
        } else if from != base && n != 0 {
            self.move_results(from, n as usize);
        }
        self.pop_frame()
    }

    /// Resumes the suspended caller, its results already at the frame base.
    /// `true` when there was none (the outermost function returned).
    #[inline(always)]
    pub(super) fn pop_frame(&mut self) -> bool {
        match self.frames.pop() {
            Some(f) => {
                self.resume(f);
                false
            }
            None => true,
        }
    }

    /// Makes suspended caller `f` the running frame again.
    #[inline(always)]
    pub(super) fn resume(&mut self, f: Frame) {
        self.pc = f.pc();
        self.code = f.code;
        self.base = f.base;
        self.enter_caller_instance(&f);
        self.restore_frame();
    }
}

/// Calls a host function with the arguments on top of `values`, replacing
/// them with its results after checking their types. `caller` is the
/// calling instance (none when the embedder calls the host function).
pub(super) fn call_host(
    store: &mut Store,
    caller: Option<u32>,
    values: &mut Vec<u64>,
    func: &HostImpl,
    ty: &FuncType,
) -> Result<(), RuntimeError> {
    let n: usize = ty.params().iter().map(|t| slots_of(*t) as usize).sum();
    let start = values.len() - n;
    let args: Vec<Val> = read_slots(&values[start..], ty.params());
    // The host may keep what it is handed.
    args.iter().for_each(|a| store.pin(a));
    values.truncate(start);
    let results = match func {
        HostImpl::Shared(f) => f(&args)?,
        HostImpl::Local(f) => {
            let mut caller = Caller {
                store,
                instance: caller,
            };
            f(&mut caller, &args)?
        }
    };
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
