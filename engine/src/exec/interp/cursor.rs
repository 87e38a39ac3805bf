//! The position in the running function's instructions, as a raw pointer.
//!
//! Indexing the instruction vector cost a bounds check and an index-to-address
//! multiplication on every dispatch. The translator instead proves, once per
//! function ([`FuncCode::check_control`]), that every branch target is an
//! instruction and that the last instruction never falls through, so a
//! pointer that only moves to the next instruction or to a branch target
//! stays inside the vector.
//!
//! [`FuncCode::check_control`]: crate::exec::code::FuncCode::check_control

use crate::exec::code::{branch_op, FuncCode, Op};
#[cfg(test)]
use crate::ir::Instr;

#[derive(Clone, Copy)]
pub(super) struct Cursor {
    start: *const Op,
    ip: *const Op,
}

impl Cursor {
    /// A cursor at instruction `pc` of `code`.
    ///
    /// # Safety
    /// `code` must have passed `check_control`, `pc` must be one of its
    /// branch targets or 0 or just after a call, and `code` must outlive
    /// every use of the cursor.
    #[inline(always)]
    pub(super) unsafe fn new(code: &FuncCode, pc: usize) -> Self {
        debug_assert!(pc < code.ops.len());
        let start = code.ops.as_ptr();
        // SAFETY: `pc` is inside the vector (caller's contract).
        Cursor {
            start,
            ip: unsafe { start.add(pc) },
        }
    }

    /// The instruction at the cursor; the cursor moves past it.
    #[inline(always)]
    pub(super) fn next(&mut self) -> &Op {
        // SAFETY: the cursor points at an instruction: it starts at one,
        // moves only past a non-final instruction (the last one never falls
        // through) or to a checked branch target.
        let instr = unsafe { &*self.ip };
        // SAFETY: at most one past the last instruction, which is allowed;
        // it is never read there (see above).
        self.ip = unsafe { self.ip.add(1) };
        instr
    }

    /// Moves to branch target `pc`; `true` when that is backward (a loop iteration).
    #[inline(always)]
    pub(super) fn jump(&mut self, pc: u32) -> bool {
        // SAFETY: `pc` is a branch target of this code, checked in range.
        let to = unsafe { self.start.add(pc as usize) };
        let backward = to < self.ip;
        self.ip = to;
        backward
    }

    /// Takes the branch just read by [`Cursor::next`], whose target
    /// operand is `pc` (a distance: see [`branch_op`]); `true` when that
    /// is backward (a loop iteration).
    #[inline(always)]
    pub(super) fn branch(&mut self, pc: u32) -> bool {
        // SAFETY: `next` moved past the branch op, which is in the vector;
        // its target is a checked instruction of the same code.
        let to = unsafe { branch_op(self.ip.sub(1), pc) };
        let backward = to < self.ip;
        self.ip = to;
        backward
    }

    /// The raw position, for threaded dispatch.
    #[cfg_attr(not(touchstone_threaded), allow(dead_code))]
    #[inline(always)]
    pub(super) fn ip(&self) -> *const Op {
        self.ip
    }

    /// Index of the instruction at the cursor.
    #[inline(always)]
    pub(super) fn pc(&self) -> usize {
        // SAFETY: both pointers are into (or one past) the same vector.
        unsafe { self.ip.offset_from(self.start) as usize }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_walks_and_jumps_inside_checked_code() {
        let ret = Instr::Return { from: 0, n: 0 };
        let mut code = FuncCode {
            // 0: forward from the first op to the last, 2: to itself,
            // 3 (the last op): back to the first.
            instrs: vec![
                Instr::Jump { pc: 3 },
                ret,
                Instr::Jump { pc: 2 },
                Instr::Jump { pc: 0 },
            ],
            ..FuncCode::default()
        };
        assert!(code.finish(super::super::threaded::select));
        let target = |op: &Op| match op.instr {
            Instr::Jump { pc } => pc,
            other => panic!("not a jump: {other:?}"),
        };
        // SAFETY: checked code, pc 0 and 2, `code` outlives the cursors.
        let mut c = unsafe { Cursor::new(&code, 0) };
        let pc = target(c.next());
        assert_eq!(c.pc(), 1);
        assert!(!c.branch(pc), "forward");
        assert_eq!(c.pc(), 3);
        let pc = target(c.next());
        assert!(c.branch(pc), "backward");
        assert_eq!(c.pc(), 0);
        let mut c = unsafe { Cursor::new(&code, 2) };
        let pc = target(c.next());
        assert!(c.branch(pc), "to itself is backward");
        assert_eq!(c.pc(), 2);
        c.next();
        assert!(!c.jump(3));
        assert_eq!(c.pc(), 3);
        assert!(c.jump(1));
        assert_eq!(c.next().instr, ret);
    }

    #[test]
    fn code_that_falls_off_its_end_or_jumps_outside_is_refused() {
        let falls_off = FuncCode {
            instrs: vec![Instr::Unreachable, Instr::BrIf { c: 0, pc: 0 }],
            ..FuncCode::default()
        };
        assert!(!falls_off.check_control());
        let jumps_out = FuncCode {
            instrs: vec![Instr::Jump { pc: 9 }],
            ..FuncCode::default()
        };
        assert!(!jumps_out.check_control());
        let table_out = FuncCode {
            instrs: vec![Instr::BrTable {
                index: 0,
                first: 0,
                len: 1,
            }],
            br_targets: vec![3],
            ..FuncCode::default()
        };
        assert!(!table_out.check_control());
    }
}
