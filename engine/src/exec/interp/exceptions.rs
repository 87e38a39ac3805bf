//! Throwing and catching: an exception unwinds frame by frame, searching
//! each function's handler table at the instruction that is running there.

use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::exec::code::CatchKind;
use crate::runtime::exn::ExnInst;
use crate::runtime::types::slots_of;

impl Executor<'_> {
    /// `throw`: builds the exception from the tag's payload on the stack.
    pub(super) fn throw_new(&mut self, tag: u32, pc: usize) -> Result<(), RuntimeError> {
        let addr = self.inst.tags[tag as usize];
        let ty = &self.store.types[self.store.tags[addr as usize].type_id as usize];
        let n: usize = ty.params().iter().map(|t| slots_of(*t) as usize).sum();
        self.collect_if_due();
        let payload = self.values.split_off(self.values.len() - n);
        let exn = self.store.alloc_exn(ExnInst::new(addr, payload));
        self.throw(exn, pc)
    }

    /// `throw_ref`: rethrows the popped exception; null traps.
    pub(super) fn throw_ref(&mut self, pc: usize) -> Result<(), RuntimeError> {
        let raw = self.pop();
        let exn = raw
            .checked_sub(1)
            .ok_or(RuntimeError::new(TrapKind::NullExceptionReference))?;
        self.throw(exn as u32, pc)
    }

    /// Unwinds to the innermost handler that catches exception `exn`, thrown
    /// at instruction `pc` of the current function, and resumes there
    /// (`self.pc` etc. are set); an exception no frame catches escapes.
    pub(super) fn throw(&mut self, exn: u32, mut pc: usize) -> Result<(), RuntimeError> {
        let tag = self.store.exns[exn as usize].tag;
        loop {
            let code = self.code;
            // Later handlers are nested in earlier ones: search innermost
            // first, among the first `limit` (a legacy `delegate` lowers it).
            let mut limit = code.exception_handlers.len();
            let mut i = limit;
            while i > 0 {
                i -= 1;
                let h = &code.exception_handlers[i];
                if !(h.start as usize..h.end as usize).contains(&pc) {
                    continue;
                }
                match h.delegate {
                    Some(Some((resume, below))) => {
                        pc = resume as usize;
                        limit = below;
                        i = limit;
                        continue;
                    }
                    // Delegated to the caller.
                    Some(None) => break,
                    None => {}
                }
                for c in &h.catches {
                    let (caught, with_ref, with_payload) = match c.kind {
                        CatchKind::Tag { tag: t, with_ref } => {
                            (self.inst.tags[t as usize] == tag, with_ref, true)
                        }
                        CatchKind::All { with_ref } => (true, with_ref, false),
                    };
                    if !caught {
                        continue;
                    }
                    let height =
                        self.base + (code.param_slots + code.local_slots + c.height) as usize;
                    self.values.resize(height, 0);
                    if with_payload {
                        self.values
                            .extend_from_slice(&self.store.exns[exn as usize].payload);
                    }
                    if with_ref {
                        self.values.push(exn as u64 + 1);
                    }
                    if let Some(slot) = c.save_to {
                        self.values[self.base + slot as usize] = exn as u64 + 1;
                    }
                    // The handler runs in register mode, over the whole frame.
                    self.values.resize(self.base + code.frame_slots(), 0);
                    self.pc = c.pc as usize;
                    // The handler may be a loop's start (backward jump):
                    // poll as a loop iteration does.
                    self.poll_interrupt()?;
                    return Ok(());
                }
            }
            match self.frames.pop() {
                Some(f) => {
                    self.values.truncate(self.base);
                    self.code = f.code;
                    self.base = f.base;
                    self.enter_caller_instance(&f);
                    // The caller is suspended just after its call instruction.
                    pc = f.pc() - 1;
                }
                None => return Err(RuntimeError::throw(crate::Exn(exn))),
            }
        }
    }
}
