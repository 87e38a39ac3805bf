//! A translated function body: what the interpreter runs.

use std::ptr::NonNull;
use std::sync::Arc;

use super::atomic_op::AtomicOp;
use super::numeric::v128::{SimdMemOp, SimdOp};
use crate::ir::{CodeLink, Instr, MemArg, Reg, SideTable};

/// What a catch clause catches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CatchKind {
    /// Exceptions of the instance's tag `tag`; with `with_ref` the exnref is pushed too.
    Tag { tag: u32, with_ref: bool },
    /// Every exception.
    All { with_ref: bool },
}

/// One catch clause: where it jumps, and the operand height (above the
/// locals) the stack is cut back to before the payload is pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CatchClause {
    pub kind: CatchKind,
    pub pc: u32,
    pub height: u32,
    /// Legacy `catch`: the local slot the exception is saved in for `rethrow`.
    pub save_to: Option<u32>,
}

/// An exception handler (a `try_table`, or a legacy `try`): the
/// instructions it covers and its clauses, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExceptionHandler {
    pub start: u32,
    pub end: u32,
    pub catches: Vec<CatchClause>,
    /// Legacy `delegate`: instead of catching, search again as if thrown at
    /// `pc` among handlers with index below `limit`; `None` target means
    /// "in the caller".
    pub delegate: Option<Option<(u32, usize)>>,
}

/// A threaded-dispatch handler with its signature erased.
///
/// A handler's real type names the executor, a layer above the code form;
/// erasing it keeps this file from importing the interpreter. Only
/// `interp::threaded` makes these (from its own handlers) and reads them
/// back (as those handlers): a cast between fn-pointer types, which costs
/// nothing at dispatch.
#[derive(Clone, Copy)]
pub(crate) struct DispatchFn(fn());

impl DispatchFn {
    /// # Safety
    /// `f` must be an `interp::threaded::Handler` cast to `fn()`: every
    /// `DispatchFn` is read back as one (see `threaded::handler_of`).
    #[inline(always)]
    pub(crate) const unsafe fn from_raw(f: fn()) -> Self {
        DispatchFn(f)
    }

    #[inline(always)]
    pub(crate) const fn raw(self) -> fn() {
        self.0
    }
}

/// Which of the threaded handlers' two accumulator registers holds a value
/// (see `interp::threaded`): the general one, or the float one that only
/// `f64` arithmetic writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AccReg {
    Int,
    Float,
}

/// The accumulator on entry to an instruction: the slot whose value it
/// holds on every way in, and in which register; `None` if unknown.
pub(crate) type Accumulator = Option<(Reg, AccReg)>;

/// Chooses an instruction's dispatch handler: given the instruction, the
/// accumulator on entry and its index in the function; it also says in
/// which register the handler leaves the slot it writes. Supplied by the
/// interpreter (`interp::threaded::select`, the only one), so the code form
/// need not know it. It must choose for the instruction it is given: the
/// threaded handlers bind their operands unchecked.
pub(crate) type SelectDispatch = fn(&Instr, Accumulator, usize) -> (DispatchFn, AccReg);

/// One instruction with its threaded-dispatch handler.
#[derive(Clone, Copy)]
pub(crate) struct Op {
    /// Private, and set only by [`FuncCode::finish`] from `instr` itself:
    /// the threaded handlers rely on running only on the instruction they
    /// were chosen for.
    dispatch: DispatchFn,
    pub instr: Instr,
}

impl Op {
    /// The handler chosen for this op's instruction.
    #[inline(always)]
    pub(crate) fn dispatch(&self) -> DispatchFn {
        self.dispatch
    }
}

/// A `br_table` target as threaded dispatch jumps to it: the address of
/// the target op, with bit 0 set when the target is at or before the
/// `br_table` (a loop iteration, which polls the interrupt flag). Made by
/// [`FuncCode::finish`], so the handler needs no index arithmetic to find
/// the op or the direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TableJump(NonNull<Op>);

// SAFETY: a `TableJump` points into the `ops` of the `FuncCode` holding it,
// which nothing mutates after `finish`; sharing or sending the code shares
// only that read-only vector, as `ops` itself does.
unsafe impl Send for TableJump {}
// SAFETY: as for `Send`.
unsafe impl Sync for TableJump {}

impl TableJump {
    /// The target op (valid while the code holding this jump lives).
    #[inline(always)]
    pub(crate) fn op(self) -> *const Op {
        // The bit is cleared by a subtraction on its own branch, which the
        // caller's test of `backward` already takes: a displacement, not
        // a masking, at dispatch.
        let tagged = self.0.as_ptr().cast_const();
        if self.backward() {
            tagged.wrapping_byte_sub(1)
        } else {
            tagged
        }
    }

    /// Whether the target is at or before the `br_table`.
    #[inline(always)]
    pub(crate) fn backward(self) -> bool {
        self.0.as_ptr().addr() & 1 != 0
    }
}

/// What threading needs of one instruction, noted by `finish`'s checking
/// pass from the instruction's [`Meta`](crate::ir::Meta).
#[derive(Clone, Copy, Default)]
struct ThreadStep {
    /// A branch goes here: the accumulator is unknown on entry.
    target: bool,
    /// [`Meta::passes_accumulator`](crate::ir::Meta::passes_accumulator).
    passes: bool,
    /// [`Meta::written`](crate::ir::Meta::written).
    written: Option<Reg>,
    /// The branch target, if it branches (see [`branch_op`]).
    branch: Option<u32>,
}

/// Where a taken branch goes: in `FuncCode::ops`, a branch's target
/// operand (`pc` in `instrs`, an index) is the signed distance in bytes
/// from the branch's own op to its target's, as the bits of an `i32`
/// (written by `FuncCode::thread`). A taken branch then costs one add:
/// no load of the code's start and no scaling of an index.
///
/// # Safety
/// `from` must be a branch op in the `ops` of finished code and `pc` that
/// op's target operand; the result points into the same `ops`.
#[inline(always)]
pub(crate) unsafe fn branch_op(from: *const Op, pc: u32) -> *const Op {
    // SAFETY: `thread` wrote `pc` as the distance from this op to a checked
    // target inside the same vector (caller's contract).
    unsafe { from.byte_offset(pc as i32 as isize) }
}

/// The target operand [`branch_op`] reads, for a branch at op `from` to op
/// `to`: `None` when the distance does not fit an `i32` (code that large is
/// refused by `check_and_mark_targets`).
fn branch_distance(from: usize, to: u32) -> Option<u32> {
    let bytes = (i64::from(to) - from as i64) * std::mem::size_of::<Op>() as i64;
    i32::try_from(bytes).ok().map(|d| d as u32)
}

/// Whether a function of `len` instructions is small enough for every
/// branch distance to fit (see [`branch_distance`]).
fn distances_fit(len: usize) -> bool {
    len <= i32::MAX as usize / std::mem::size_of::<Op>()
}

/// The internal form of one function, produced once by the translator.
///
/// `repr(C)`, with what every call and return reads (`ops` and the slot
/// counts) in the first 64 bytes, so those share at most two cache lines
/// and mostly one: in Rust's own order they lay
/// far apart, and on a program too large for the data cache a call
/// touched two lines of its callee's `FuncCode` (and a return two of its
/// caller's). Not 64-byte aligned: that gained a little more in simulation
/// (see the engine README's performance log) but was slower by wall clock.
#[derive(Default)]
#[repr(C)]
pub(crate) struct FuncCode {
    /// The instructions, each with its handler for threaded dispatch: what
    /// the interpreter runs. Branch targets here are distances between
    /// ops (see [`branch_op`]), not indices as in `instrs`.
    pub ops: Vec<Op>,
    /// Slots taken by parameters (they are on the stack when the call starts).
    pub param_slots: u32,
    /// Slots of declared locals (and hidden ones for legacy `try`), zeroed at entry.
    pub local_slots: u32,
    /// Slots of the whole frame (set by [`FuncCode::finish`]).
    pub frame: u32,
    /// Value-stack slots a call's fast path needs from the callee's frame
    /// base: the frame, and past the parameters the locals rounded up to a
    /// multiple of 8, at least 8 (it zeroes locals 8 slots at a time with
    /// fixed stores rather than a `memset` call, whose call would cost the
    /// threaded handler a stack frame). Set by [`FuncCode::finish`].
    pub enter_room: u32,
    /// Slots of results, copied to the frame base on return.
    pub result_slots: u32,
    /// Highest operand-stack height the body reaches, in slots beyond locals.
    pub max_stack: u32,
    /// `br_targets` as op addresses with their direction, index for index
    /// (set by [`FuncCode::finish`]; what threaded dispatch reads).
    pub br_jumps: Vec<TableJump>,
    /// Indices of the [`Instr::CallInternal`]s, whose callees
    /// [`link_calls`] fills in once the whole module is translated (then
    /// emptied).
    pub call_sites: Vec<u32>,
    /// Instructions as the translator builds them, with branch targets
    /// resolved to indices; [`FuncCode::finish`] turns them into `ops`.
    pub instrs: Vec<Instr>,
    /// Targets (instruction indices) of every `br_table`, referenced by
    /// range from [`Instr::BrTable`].
    pub br_targets: Vec<u32>,
    /// SIMD operators, referenced from [`Instr::Simd`] (kept aside so
    /// instructions stay small).
    pub simd: Vec<SimdOp>,
    /// SIMD memory operators, referenced from [`Instr::SimdMem`].
    pub simd_mem: Vec<(SimdMemOp, MemArg)>,
    /// Exception handlers, in the order their `try_table`s open (so an
    /// inner handler comes after its outer one).
    pub exception_handlers: Vec<ExceptionHandler>,
    /// Atomic memory instructions, referenced from [`Instr::Atomic`].
    pub atomics: Vec<AtomicOp>,
    /// GC operators, referenced from [`Instr::Gc`].
    pub gc: Vec<super::gc_op::GcOp>,
}

impl std::fmt::Debug for FuncCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuncCode")
            .field(
                "ops",
                &self.ops.iter().map(|op| op.instr).collect::<Vec<_>>(),
            )
            .field("param_slots", &self.param_slots)
            .field("local_slots", &self.local_slots)
            .field("max_stack", &self.max_stack)
            .finish_non_exhaustive()
    }
}

impl FuncCode {
    /// Completes translated code: sizes the frame, checks the invariants the
    /// interpreter's unchecked accesses rely on (`false` if one fails, a bug
    /// of the translator), and moves the instructions into `ops`, each with
    /// the handler `select` chooses for it.
    pub(crate) fn finish(&mut self, select: SelectDispatch) -> bool {
        self.frame = self.param_slots + self.local_slots + self.max_stack;
        self.enter_room = self
            .frame
            .max(self.param_slots + self.local_slots.next_multiple_of(8).max(8));
        match self.check_and_mark_targets() {
            Some(steps) => {
                // The one-pass check agrees with the separate ones.
                debug_assert!(self.check_slots() && self.check_control());
                self.thread(select, &steps);
                true
            }
            None => false,
        }
    }

    /// [`FuncCode::check_slots`] and [`FuncCode::check_control`] in one
    /// pass over the instructions (each instruction's [`Meta`](crate::ir::Meta) read once),
    /// which also notes, for [`FuncCode::thread`], every branch target and
    /// what each instruction leaves in the accumulator: `None` when a check
    /// fails. (Five passes, with `Meta` built four times per instruction,
    /// were 15% of translating a large module; matching on the instruction
    /// again while threading cost a mispredicted jump per instruction.)
    fn check_and_mark_targets(&self) -> Option<Vec<ThreadStep>> {
        let mut steps = vec![ThreadStep::default(); self.instrs.len()];
        let mark = |steps: &mut [ThreadStep], pc: u32| match steps.get_mut(pc as usize) {
            Some(step) => {
                step.target = true;
                true
            }
            None => false,
        };
        for (i, instr) in self.instrs.iter().enumerate() {
            let meta = instr.meta();
            debug_assert_eq!(meta.written, instr.dst());
            if !self.slots_fit(meta.slot_bound)
                || !self.indices_fit(meta.side_table)
                || !meta.branch.is_none_or(|pc| mark(&mut steps, pc))
            {
                return None;
            }
            let step = &mut steps[i];
            step.written = meta.written;
            step.passes = meta.passes_accumulator;
            step.branch = meta.branch;
        }
        let rest_ok = self.br_targets.iter().all(|&pc| mark(&mut steps, pc))
            && self
                .exception_handlers
                .iter()
                .all(|h| h.catches.iter().all(|c| mark(&mut steps, c.pc)))
            && self.ends_flow_last()
            && distances_fit(self.instrs.len());
        rest_ok.then_some(steps)
    }

    /// Pairs every instruction with its handler, from what the checking
    /// pass noted of each (`steps`).
    ///
    /// An instruction reached only by falling through from one that writes
    /// a slot (possibly past stores and untaken branches) finds that value in
    /// the accumulator (see `interp::threaded`); branch targets do not, since
    /// other ways in carry other values. Each branch's target becomes its
    /// distance (see [`branch_op`]), after its handler is chosen from the
    /// index.
    fn thread(&mut self, select: SelectDispatch, steps: &[ThreadStep]) {
        let mut acc = None;
        // `instrs` stays: the translator reuses its buffer for the next body.
        let instrs = &self.instrs;
        self.ops = Vec::with_capacity(instrs.len());
        for (i, (&instr, step)) in instrs.iter().zip(steps).enumerate() {
            if step.target {
                acc = None;
            }
            let (dispatch, written_to) = select(&instr, acc, i);
            let mut instr = instr;
            if let Some(to) = step.branch {
                let pc = instr
                    .branch_target_mut()
                    .expect("an instruction that branches names its target");
                *pc = branch_distance(i, to).expect("checked by `distances_fit`");
            }
            self.ops.push(Op { dispatch, instr });
            acc = match step.written {
                Some(d) => Some((d, written_to)),
                // Stores and untaken branches write no slot and hand the
                // accumulator on unchanged.
                None if step.passes => acc,
                None => None,
            };
        }
        self.link_tables();
    }

    /// Fills `br_jumps` from `br_targets`, once `ops` is final (its buffer
    /// never moves again). An entry is backward if it is at or before any
    /// `br_table` that uses it (the translator gives each its own range).
    fn link_tables(&mut self) {
        let mut backward = vec![false; self.br_targets.len()];
        for (at, op) in self.ops.iter().enumerate() {
            if let Instr::BrTable { first, len, .. } = op.instr {
                let range = first as usize..first as usize + len as usize;
                for (back, &pc) in backward[range.clone()]
                    .iter_mut()
                    .zip(&self.br_targets[range])
                {
                    *back |= pc as usize <= at;
                }
            }
        }
        let ops = NonNull::from(self.ops.as_slice()).cast::<Op>();
        self.br_jumps = (self.br_targets.iter().zip(backward))
            // SAFETY: every target is an index into `ops` (checked by
            // `check_and_mark_targets`), and an op's address is 8-aligned,
            // so bit 0 is free for the direction.
            .map(|(&pc, back)| {
                TableJump(unsafe { ops.add(pc as usize) }.map_addr(|a| a | usize::from(back)))
            })
            .collect();
    }

    /// Slots of the whole frame: parameters, locals, then operand slots.
    #[inline(always)]
    pub(crate) fn frame_slots(&self) -> usize {
        self.frame as usize
    }

    /// Whether every branch target is an instruction and the last
    /// instruction never falls through: the interpreter relies on it to walk
    /// the instructions without bounds checks (see `interp::cursor`).
    pub(crate) fn check_control(&self) -> bool {
        let len = self.instrs.len() as u64;
        let in_range = |pc: u32| u64::from(pc) < len;
        self.instrs.iter().all(|i| {
            i.branch_target().is_none_or(in_range) && self.indices_fit(i.meta().side_table)
        }) && self.br_targets.iter().all(|&pc| in_range(pc))
            && distances_fit(self.instrs.len())
            && self
                .exception_handlers
                .iter()
                .all(|h| h.catches.iter().all(|c| in_range(c.pc)))
            && self.ends_flow_last()
    }

    /// Whether an instruction's indices into this code's side tables
    /// (`br_table`'s targets; from its `Meta`) are inside them.
    fn indices_fit(&self, side_table: Option<SideTable>) -> bool {
        match side_table {
            Some(SideTable::BrTargets { first, len }) => {
                len > 0 && (first as usize + len as usize) <= self.br_targets.len()
            }
            None => true,
        }
    }

    /// Whether the last instruction never falls through.
    fn ends_flow_last(&self) -> bool {
        self.instrs.last().is_some_and(Instr::ends_flow)
    }

    /// Whether every slot the instructions name lies inside the frame: the
    /// interpreter relies on it to skip bounds checks (see `interp::registers`).
    pub(crate) fn check_slots(&self) -> bool {
        self.instrs.iter().all(|i| self.slots_fit(i.slot_bound()))
    }

    /// Whether an instruction's slots, below `bound`, lie inside the frame.
    fn slots_fit(&self, bound: Option<u32>) -> bool {
        bound.is_none_or(|b| b <= self.frame)
    }
}

/// Links every internal call of a module's functions (`code`, in order,
/// after `num_imported` imported functions) to its callee's code, so the
/// call reads the callee from its op. A link is only an address: the
/// callee's `Arc` is the module's, and every instance of the module holds
/// all of them (see `CodeRef::linked` for why a linked callee is alive
/// whenever its caller runs). Each function's `call_sites` is emptied. A
/// call left unlinked (code already shared, which `compile` never hands
/// over) still runs: the interpreter then finds its callee by index.
pub(crate) fn link_calls(code: &mut [Arc<FuncCode>], num_imported: usize) {
    let addrs: Vec<*const FuncCode> = code.iter().map(Arc::as_ptr).collect();
    for func in code.iter_mut() {
        let Some(func) = Arc::get_mut(func) else {
            continue;
        };
        for at in std::mem::take(&mut func.call_sites) {
            if let Some(Op {
                instr: Instr::CallInternal { func, callee, .. },
                ..
            }) = func.ops.get_mut(at as usize)
            {
                let linked = (*func as usize)
                    .checked_sub(num_imported)
                    .and_then(|i| addrs.get(i));
                if let Some(&addr) = linked {
                    // The op keeps its variant, so its handler still fits.
                    *callee = CodeLink::to(addr);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Bin, Instr};

    fn finished(instrs: Vec<Instr>, br_targets: Vec<u32>, max_stack: u32) -> bool {
        let mut code = FuncCode {
            instrs,
            br_targets,
            max_stack,
            ..FuncCode::default()
        };
        code.finish(crate::exec::interp::select_dispatch)
    }

    /// What calls and returns read of a `FuncCode` lies in its first
    /// 64 bytes.
    #[test]
    fn the_fields_calls_read_lie_in_the_first_64_bytes() {
        use std::mem::{offset_of, size_of};
        let end = |offset: usize, size: usize| offset + size;
        for last in [
            end(offset_of!(FuncCode, ops), size_of::<Vec<Op>>()),
            end(offset_of!(FuncCode, param_slots), 4),
            end(offset_of!(FuncCode, local_slots), 4),
            end(offset_of!(FuncCode, frame), 4),
            end(offset_of!(FuncCode, enter_room), 4),
        ] {
            assert!(last <= 64, "a hot field ends at byte {last}");
        }
    }

    /// Compiling a module links every call to a function it defines, to
    /// that function's code, whether the callee comes before the caller,
    /// after it or is the caller itself; calls of imports stay `Call`s.
    #[test]
    fn compiling_links_every_internal_call_to_its_callee() {
        let wat = r#"(module
          (import "m" "f" (func $imp))
          (func $a (call $b) (call $a) (call $imp))
          (func $b (call $a) (call $c) (call $c))
          (func $c))"#;
        let bytes = wat::parse_str(wat).unwrap();
        let module = crate::compile::compile(&bytes, crate::default_features()).unwrap();
        let mut calls = Vec::new();
        for (caller, code) in module.code.iter().enumerate() {
            assert!(code.call_sites.is_empty(), "emptied once linked");
            for op in &code.ops {
                match op.instr {
                    Instr::CallInternal { func, callee, .. } => {
                        let want = Arc::as_ptr(&module.code[func as usize - 1]);
                        assert_eq!(callee.addr(), want.cast(), "{caller} -> {func}");
                        calls.push((caller, func));
                    }
                    Instr::Call { func, .. } => calls.push((caller, func + 100)),
                    _ => {}
                }
            }
        }
        assert_eq!(calls, [(0, 2), (0, 1), (0, 100), (1, 1), (1, 3), (1, 3)]);
    }

    /// `finish` links every `br_table` target to its op, marking those at
    /// or before the `br_table` (a loop iteration, which must poll) as
    /// backward; entries are per table, and a target equal to the
    /// `br_table` itself counts as backward.
    #[test]
    fn finish_links_table_targets_to_their_ops_with_their_direction() {
        let ret = Instr::Return { from: 0, n: 0 };
        let table = |first, len| Instr::BrTable {
            index: 0,
            first,
            len,
        };
        let mut code = FuncCode {
            // 0: ret, 1: table over targets 0..3, 2: ret, 3: table over 3..5, 4: ret
            instrs: vec![ret, table(0, 3), ret, table(3, 2), ret],
            br_targets: vec![0, 2, 1, 4, 3],
            max_stack: 1,
            ..FuncCode::default()
        };
        assert!(code.finish(crate::exec::interp::select_dispatch));
        let jumps: Vec<(usize, bool)> = code
            .br_jumps
            .iter()
            .map(|j| {
                // SAFETY: both point into `code.ops`.
                let at = unsafe { j.op().offset_from(code.ops.as_ptr()) };
                (at as usize, j.backward())
            })
            .collect();
        assert_eq!(
            jumps,
            vec![(0, true), (2, false), (1, true), (4, false), (3, true)]
        );
    }

    /// In `ops`, every branch's target operand leads from the branch's op
    /// to its target's (`branch_op`), forward and backward, from the first
    /// op and from the last, for every kind of branch; `instrs` keeps the
    /// indices, and the handler still knows the direction.
    #[test]
    fn finish_writes_each_branch_target_as_the_distance_to_its_op() {
        use crate::ir::Cmp;
        let ret = Instr::Return { from: 0, n: 0 };
        let instrs = vec![
            Instr::BrIf { c: 0, pc: 9 },
            Instr::BrUnless { c: 0, pc: 2 },
            Instr::BrCmp32 {
                cmp: Cmp::LtS,
                a: 0,
                b: 1,
                pc: 0,
            },
            Instr::BrCmp32Imm {
                cmp: Cmp::Eq,
                a: 0,
                imm: 3,
                pc: 8,
            },
            Instr::BrCmp64 {
                cmp: Cmp::GeU,
                a: 0,
                b: 1,
                pc: 4,
            },
            Instr::BrCmp64Imm {
                cmp: Cmp::Ne,
                a: 1,
                imm: -1,
                pc: 1,
            },
            Instr::BrCmpF64 {
                cmp: Cmp::LtS,
                negate: true,
                a: 0,
                b: 1,
                pc: 9,
            },
            Instr::BrCmpF64Imm {
                cmp: Cmp::LtS,
                negate: false,
                a: 0,
                imm: 0,
                pc: 3,
            },
            ret,
            Instr::Jump { pc: 0 },
        ];
        let mut code = FuncCode {
            instrs: instrs.clone(),
            max_stack: 2,
            ..FuncCode::default()
        };
        assert!(code.finish(crate::exec::interp::select_dispatch));
        assert_eq!(code.instrs, instrs, "the indices stay in `instrs`");
        let mut branches = 0;
        for (at, (op, instr)) in code.ops.iter().zip(&instrs).enumerate() {
            let Some(to) = instr.branch_target() else {
                assert_eq!(op.instr, *instr, "only branches change");
                continue;
            };
            let mut threaded = op.instr;
            let pc = *threaded.branch_target_mut().expect("still a branch");
            // SAFETY: a branch op of finished code and its own operand.
            let dest = unsafe { branch_op(&code.ops[at], pc) };
            assert!(std::ptr::eq(dest, &code.ops[to as usize]), "op {at}");
            // Apart from its target, the op is the instruction.
            *threaded.branch_target_mut().unwrap() = to;
            assert_eq!(threaded, *instr);
            branches += 1;
        }
        assert_eq!(branches, 9);
    }

    /// The one-pass check of `finish` refuses what each separate check
    /// refuses: a slot past the frame, a branch outside the code, a
    /// `br_table` past its targets, a last instruction that falls through.
    #[test]
    fn finish_refuses_code_that_breaks_an_invariant() {
        let ret = Instr::Return { from: 0, n: 0 };
        let add = Instr::I32Add(Bin { d: 2, a: 0, b: 1 });
        assert!(finished(vec![add, ret], vec![], 3));
        assert!(
            !finished(vec![add, ret], vec![], 2),
            "slot 2 past a 2-slot frame"
        );
        assert!(finished(vec![Instr::Jump { pc: 1 }, ret], vec![], 0));
        assert!(
            !finished(vec![Instr::Jump { pc: 2 }, ret], vec![], 0),
            "jump out"
        );
        let table = Instr::BrTable {
            index: 0,
            first: 0,
            len: 1,
        };
        assert!(finished(vec![table, ret], vec![1], 1));
        assert!(!finished(vec![table, ret], vec![2], 1), "table target out");
        assert!(
            !finished(vec![table, ret], vec![], 1),
            "table past its targets"
        );
        assert!(!finished(vec![ret, add], vec![], 3), "falls off the end");
    }
}
