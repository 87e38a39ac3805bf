//! Threaded handlers of control: branches, calls and returns (which switch
//! frames without leaving threaded execution), globals and traps.

use std::sync::atomic::Ordering;

use super::generated::{read, read_src, Source};
use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::error::{RuntimeError, TrapKind};
use crate::exec::code::{branch_op, Accumulator};
use crate::exec::code_ref::CodeRef;
use crate::exec::interp::flow;
use crate::exec::interp::memory0_cache::Memory0;
use crate::exec::interp::registers::Registers;
use crate::exec::interp::Executor;
use crate::exec::stack::Frame;
use crate::ir::{cold_instr, table_instr, Cmp, Instr, Reg};
use crate::runtime::store::FuncInst;

/// Continues in the frame the executor runs now, after a call or return
/// switched it: its code, position, slots and memory are all read anew.
#[inline(always)]
fn enter_frame(ex: &mut Executor<'_>) -> Exit {
    // SAFETY: made after the switch; the next switch makes a new one.
    let m = unsafe { Memory0::new(ex.store, ex.mem0) };
    enter_frame_with(ex, m)
}

/// [`enter_frame`] when the instance has not changed, so memory 0's view
/// `m` still holds: within threaded execution only `memory.grow` (stack
/// mode, which leaves it) and host functions (called through [`switch`],
/// which makes a new view) can move the buffer.
#[inline(always)]
fn enter_frame_with(ex: &mut Executor<'_>, m: Memory0) -> Exit {
    enter_frame_at(ex, m, ex.pc, 0, 0.0)
}

/// [`enter_frame_with`] at instruction `pc` of the running code (`ex.pc`
/// is not updated: threaded dispatch keeps the position in `ip`). `acc`
/// and `facc` are handed on, though no entry point reads them: passing on
/// what the caller's handler holds costs nothing, zeroing them does.
#[inline(always)]
fn enter_frame_at(ex: &mut Executor<'_>, m: Memory0, pc: usize, acc: u64, facc: f64) -> Exit {
    let code = ex.code;
    ex.ops = code.ops.as_ptr();
    // SAFETY: `pc` is 0 or the instruction after a call in checked code,
    // which the store keeps alive.
    let ip = unsafe { Ip::new(ex.ops.add(pc)) };
    // SAFETY: calls and returns leave the value stack at least a frame long,
    // and the code passed `check_slots`.
    let r = unsafe { Registers::new(&mut ex.values, ex.base) };
    next!(ex, ip, r, m, acc, facc)
}

/// Where a frame switch went.
enum Switched {
    /// Into a new frame (or back to the caller of a host callee).
    Frame,
    /// Out of the outermost function.
    Returned,
    /// Nowhere: a trap, left in `Executor::trap`.
    Trapped,
}

/// Resolves the callee with `callee` and calls it (`tail`: in place of the
/// running frame). Kept out of line: the `Result`s here live in stack
/// memory whose address escapes to the callees, and a handler with such a
/// local can no longer jump to the next handler (it would have to call it).
#[inline(never)]
fn switch(
    ex: &mut Executor<'_>,
    callee: impl FnOnce(&Executor<'_>) -> Result<u32, RuntimeError>,
    at: u32,
    tail: bool,
) -> Switched {
    let outcome = callee(ex).and_then(|addr| {
        if tail {
            ex.return_call(addr, at)
        } else {
            ex.call(addr, at).map(|()| false)
        }
    });
    match outcome {
        Ok(false) => Switched::Frame,
        Ok(true) => Switched::Returned,
        Err(e) => {
            ex.trap = Some(e);
            Switched::Trapped
        }
    }
}

/// Continues after a frame switch.
#[inline(always)]
fn after(ex: &mut Executor<'_>, switched: Switched) -> Exit {
    match switched {
        Switched::Frame => enter_frame(ex),
        Switched::Returned => Exit::Returned,
        Switched::Trapped => Exit::Trap,
    }
}

/// Calls function `addr` with its arguments at slot `at`; `ip` is the call.
/// The usual wasm call pushes its frame right here.
#[inline(always)]
fn call_addr(ex: &mut Executor<'_>, ip: Ip, m: Memory0, addr: u32, at: u32) -> Exit {
    ex.pc = ip.next().index(ex.ops);
    if let FuncInst::Wasm { code, instance, .. } = &ex.store.funcs[addr as usize] {
        if *instance == ex.inst_index {
            // SAFETY: the store keeps this `Arc` while the executor runs.
            let code = unsafe { CodeRef::new(code) };
            return enter_code(ex, ip, m, code, at, 0, 0.0);
        }
    }
    call_slow(ex, addr, at)
}

/// Enters `code`, a function of the running instance, whose arguments
/// are at slot `at`; `ip` is the call, and `acc`, `facc` its accumulators
/// (see [`enter_frame_at`]).
#[inline(always)]
fn enter_code(
    ex: &mut Executor<'_>,
    ip: Ip,
    m: Memory0,
    code: CodeRef,
    at: u32,
    acc: u64,
    facc: f64,
) -> Exit {
    if code.local_slots > 8 {
        return enter_code_big(ex, ip, m, code, at);
    }
    enter_code_with::<1>(ex, ip, m, code, at, acc, facc)
}

/// [`enter_code`] of a callee with more than 8 locals (out of line, so the
/// usual call keeps its single 8-slot store).
#[inline(never)]
fn enter_code_big(ex: &mut Executor<'_>, ip: Ip, m: Memory0, code: CodeRef, at: u32) -> Exit {
    if code.local_slots > 32 {
        return enter_code_huge(ex, ip, m, code, at);
    }
    enter_code_with::<4>(ex, ip, m, code, at, 0, 0.0)
}

/// [`enter_code`] of a callee with more than 32 locals, zeroed by `memset`
/// (a call, which costs this handler a stack frame, unlike the others).
#[inline(never)]
fn enter_code_huge(ex: &mut Executor<'_>, ip: Ip, m: Memory0, code: CodeRef, at: u32) -> Exit {
    enter_code_with::<0>(ex, ip, m, code, at, 0, 0.0)
}

/// [`enter_code`] on the fast path if it can (`CHUNKS`: see
/// `Executor::push_frame_fast`).
#[inline(always)]
fn enter_code_with<const CHUNKS: usize>(
    ex: &mut Executor<'_>,
    ip: Ip,
    m: Memory0,
    code: CodeRef,
    at: u32,
    acc: u64,
    facc: f64,
) -> Exit {
    let resume = ip.next();
    if ex.push_frame_fast::<CHUNKS>(code, at, resume.as_ptr()) {
        // Polled here too: recursion without loops has no backward jumps.
        if ex.interrupt.load(Ordering::Relaxed) {
            return trap_kind(ex, TrapKind::Interrupted);
        }
        // The fast path stays in the instance.
        return enter_frame_at(ex, m, 0, acc, facc);
    }
    ex.pc = resume.index(ex.ops);
    enter_code_slow(ex, code, at)
}

/// [`enter_code`] when the stacks must grow, the depth limit is near or
/// the callee has many locals.
#[inline(never)]
fn enter_code_slow(ex: &mut Executor<'_>, code: CodeRef, at: u32) -> Exit {
    // No `Result` in this frame: see `switch`.
    if !ex.push_frame(code, ex.inst_index, at) {
        return trap_kind(ex, TrapKind::CallStackExhausted);
    }
    if ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    enter_frame(ex)
}

/// Every other call: host functions, other instances, growing stacks,
/// exhaustion.
#[inline(never)]
fn call_slow(ex: &mut Executor<'_>, addr: u32, at: u32) -> Exit {
    let s = switch(ex, move |_| Ok(addr), at, false);
    after(ex, s)
}

fn call(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0, _: u64, _: f64) -> Exit {
    let (func, at) = operands!(ip, Instr::Call { func, at } => (func, at));
    let addr = ex.inst.funcs[func as usize];
    call_addr(ex, ip, m, addr, at)
}

fn call_internal(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (callee, at) = operands!(ip, Instr::CallInternal { callee, at, .. } => (callee, at));
    // SAFETY: `callee` is from an op of the running code.
    match unsafe { CodeRef::linked(callee) } {
        // A defined function runs in the caller's instance.
        Some(code) => enter_code(ex, ip, m, code, at, acc, facc),
        None => call_unlinked(ex, ip, r, m, acc, facc),
    }
}

/// An internal call whose callee was not linked (never, for a compiled
/// module's code): by the callee's index. Out of line, and with the
/// handler's own signature so that the handler jumps here (with more
/// arguments, the usual call would pay for a stack frame and saved
/// registers to make this call).
#[inline(never)]
fn call_unlinked(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0, _: u64, _: f64) -> Exit {
    let (func, at) = operands!(ip, Instr::CallInternal { func, at, .. } => (func, at));
    call_addr(ex, ip, m, ex.inst.funcs[func as usize], at)
}

fn call_indirect(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (ty, table, index, at) = operands!(ip,
        Instr::CallIndirect { ty, table, index, at } => (ty, table, index, at));
    if let Some(code) = ex.indirect_callee(ty, table, r.get(index)) {
        return enter_code(ex, ip, m, code, at, acc, facc);
    }
    call_indirect_slow(ex, ip, r, m, acc, facc)
}

/// [`call_indirect`] off its fast path (another instance, a subtype, a
/// host function, a trap). Out of line with the handler's own signature:
/// its call of `resolve` kept in the handler made the handler save five
/// registers on every call, the fast ones included.
#[inline(never)]
fn call_indirect_slow(
    ex: &mut Executor<'_>,
    ip: Ip,
    _: Registers,
    m: Memory0,
    _: u64,
    _: f64,
) -> Exit {
    let (ty, table, index, at) = operands!(ip,
        Instr::CallIndirect { ty, table, index, at } => (ty, table, index, at));
    match resolve(ex, move |ex| ex.indirect_target(ty, table, index)) {
        Some(addr) => call_addr(ex, ip, m, addr, at),
        None => Exit::Trap,
    }
}

fn call_ref(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0, _: u64, _: f64) -> Exit {
    let (callee, at) = operands!(ip, Instr::CallRef { callee, at } => (callee, at));
    match resolve(ex, move |ex| ex.func_ref(callee)) {
        Some(addr) => call_addr(ex, ip, m, addr, at),
        None => Exit::Trap,
    }
}

/// Resolves an indirect callee; `None` with the trap left in `ex.trap`.
/// Out of line for the same reason as [`switch`].
#[inline(never)]
fn resolve(
    ex: &mut Executor<'_>,
    callee: impl FnOnce(&Executor<'_>) -> Result<u32, RuntimeError>,
) -> Option<u32> {
    match callee(ex) {
        Ok(addr) => Some(addr),
        Err(e) => {
            ex.trap = Some(e);
            None
        }
    }
}

/// What sets the three tail calls apart: how the callee is found.
trait TailCallee: Copy {
    /// The callee's operands and the slot of the arguments, from the op
    /// (whose handler was chosen for this kind of tail call).
    fn decode(ip: Ip) -> (Self, u32);
    /// The callee's code, when it is wasm code of the running instance
    /// (what the fast path can enter in place).
    fn running_code(self, ex: &Executor<'_>, r: Registers) -> Option<CodeRef>;
    /// The callee's function address, or the trap (the general path).
    fn addr(self, ex: &Executor<'_>) -> Result<u32, RuntimeError>;
}

/// `return_call`: function `func` of the instance.
#[derive(Clone, Copy)]
struct Direct(u32);

impl TailCallee for Direct {
    #[inline(always)]
    fn decode(ip: Ip) -> (Self, u32) {
        operands!(ip, Instr::ReturnCall { func, at } => (Direct(func), at))
    }

    #[inline(always)]
    fn running_code(self, ex: &Executor<'_>, _: Registers) -> Option<CodeRef> {
        running_instance_code(ex, ex.inst.funcs[self.0 as usize] as usize)
    }

    #[inline(always)]
    fn addr(self, ex: &Executor<'_>) -> Result<u32, RuntimeError> {
        Ok(ex.inst.funcs[self.0 as usize])
    }
}

/// `return_call_indirect`: entry `index` (a slot) of table `table`, of type `ty`.
#[derive(Clone, Copy)]
struct Indirect {
    ty: u32,
    table: u32,
    index: Reg,
}

impl TailCallee for Indirect {
    #[inline(always)]
    fn decode(ip: Ip) -> (Self, u32) {
        operands!(ip, Instr::ReturnCallIndirect { ty, table, index, at } =>
            (Indirect { ty, table, index }, at))
    }

    #[inline(always)]
    fn running_code(self, ex: &Executor<'_>, r: Registers) -> Option<CodeRef> {
        ex.indirect_callee(self.ty, self.table, r.get(self.index))
    }

    #[inline(always)]
    fn addr(self, ex: &Executor<'_>) -> Result<u32, RuntimeError> {
        ex.indirect_target(self.ty, self.table, self.index)
    }
}

/// `return_call_ref`: the function reference in slot `callee`.
#[derive(Clone, Copy)]
struct ByRef(Reg);

impl TailCallee for ByRef {
    #[inline(always)]
    fn decode(ip: Ip) -> (Self, u32) {
        operands!(ip, Instr::ReturnCallRef { callee, at } => (ByRef(callee), at))
    }

    #[inline(always)]
    fn running_code(self, ex: &Executor<'_>, r: Registers) -> Option<CodeRef> {
        func_ref_code(ex, r.get(self.0))
    }

    #[inline(always)]
    fn addr(self, ex: &Executor<'_>) -> Result<u32, RuntimeError> {
        ex.func_ref(self.0)
    }
}

/// A tail call: in place of the running frame when the callee is wasm
/// code of this instance and the value stack has room.
fn return_call<T: TailCallee>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (callee, at) = T::decode(ip);
    if let Some(code) = callee.running_code(ex, r) {
        if ex.return_call_fast(code, at) {
            return tail_enter_in_place(ex, r, m);
        }
    }
    return_call_slow::<T>(ex, ip, r, m, acc, facc)
}

/// [`tail_enter`] after [`Executor::return_call_fast`], which keeps the
/// frame base and the value stack's allocation: `r` still addresses the
/// frame, now the callee's (its room checked there), so it is passed on
/// rather than rebuilt from the executor.
#[inline(always)]
fn tail_enter_in_place(ex: &mut Executor<'_>, r: Registers, m: Memory0) -> Exit {
    if ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    let ops = ex.code.ops.as_ptr();
    ex.ops = ops;
    // SAFETY: the callee's first op, in checked code the store keeps alive.
    let ip = unsafe { Ip::new(ops) };
    next!(ex, ip, r, m, 0, 0.0)
}

/// [`return_call`] off its fast path. Out of line with the handler's own
/// signature, so the handler jumps here and needs no stack frame itself.
#[inline(never)]
fn return_call_slow<T: TailCallee>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    _: u64,
    _: f64,
) -> Exit {
    let (callee, at) = T::decode(ip);
    if let Some(code) = callee.running_code(ex, r) {
        if tail_room(ex, code, at) {
            return tail_enter(ex, m);
        }
    }
    let s = switch(ex, move |ex| callee.addr(ex), at, true);
    after(ex, s)
}

/// The code of the function a `call_ref` operand `raw` refers to, when it
/// is wasm code of the running instance; `None` for null (0), which the
/// general path traps on, and for every other callee.
#[inline(always)]
fn func_ref_code(ex: &Executor<'_>, raw: u64) -> Option<CodeRef> {
    // As a `usize`, not a `u32`: no store holds 2^32 functions, so a wider
    // value simply finds none, and the narrowing test is saved.
    running_instance_code(ex, usize::try_from(raw.checked_sub(1)?).ok()?)
}

/// The code of function `addr` when it is wasm code of the running
/// instance (what a tail call's fast path can enter).
#[inline(always)]
fn running_instance_code(ex: &Executor<'_>, addr: usize) -> Option<CodeRef> {
    match ex.store.funcs.get(addr)? {
        FuncInst::Wasm { code, instance, .. } if *instance == ex.inst_index => {
            // SAFETY: the store keeps this `Arc` while the executor runs.
            Some(unsafe { CodeRef::new(code) })
        }
        _ => None,
    }
}

/// A tail call's fast path after growing the value stack, when room was
/// what it lacked (the root frame is sized exactly, and tail calls never
/// grow the stack); `false` leaves the call to the general path.
#[inline(always)]
fn tail_room(ex: &mut Executor<'_>, code: CodeRef, at: u32) -> bool {
    ex.make_tail_room(code, at) && ex.return_call_fast(code, at)
}

/// Starts the callee a tail call's fast path switched to.
#[inline(always)]
fn tail_enter(ex: &mut Executor<'_>, m: Memory0) -> Exit {
    // Polled here: a tail-call loop has no backward jumps.
    if ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    // The fast path stays in the instance, so memory 0's view `m` holds.
    enter_frame_at(ex, m, 0, 0, 0.0)
}

/// `return` of `N` results (`N` 2 meaning any number).
fn return_<const N: u8>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (from, n) = operands!(ip, Instr::Return { from, n } => (from, n));
    // `N` is a constant here: the placement reduces to its one case.
    ex.place_results(r, from, if N < 2 { u32::from(N) } else { n });
    // Read in place: a `Frame` moved out would live in this handler's stack
    // memory, and passing its address on would make the slow path a nested
    // call instead of a jump.
    let Some(f) = ex.frames.last() else {
        return Exit::Returned;
    };
    let (code, base, resume) = (f.code, f.base, f.resume);
    if f.instance != Frame::SAME_INSTANCE || base + code.frame_slots() > ex.values.len() {
        return return_slow(ex);
    }
    ex.frames.pop();
    ex.code = code;
    ex.base = base;
    ex.ops = code.ops.as_ptr();
    // SAFETY: `resume` is the op after a call in the caller's code (made
    // by the call from its own `ip`, or from `pc` by `push_frame`), which
    // the store keeps alive.
    let ip = unsafe { Ip::new(resume) };
    // SAFETY: the check above: the value stack covers the caller's frame,
    // whose code passed `check_slots`.
    let r = unsafe { Registers::new(&mut ex.values, base) };
    // The resume op reads no accumulator (see `enter_frame_at`).
    next!(ex, ip, r, m, acc, facc)
}

/// A return to another instance, or to a frame the value stack no longer
/// covers (stack-mode code or a host call cut it shorter).
#[inline(never)]
fn return_slow(ex: &mut Executor<'_>) -> Exit {
    if ex.pop_frame() {
        unreachable!("a caller frame is there (checked by `return_`)")
    }
    enter_frame(ex)
}

/// Takes the branch at `ip`, whose target operand is `pc` (a distance
/// between ops: see `code::branch_op`); a backward jump (`BACK`, known when
/// the code was threaded) is a loop iteration and polls the interrupt flag.
#[inline(always)]
fn jump<const BACK: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    pc: u32,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    // SAFETY: `ip` is a branch op of the running code and `pc` its target
    // operand; the store keeps that code alive.
    let to = unsafe { Ip::new(branch_op(ip.as_ptr(), pc)) };
    if BACK && ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    // A branch target never reads the accumulator (see `FuncCode::thread`).
    next!(ex, to, r, m, acc, facc)
}

fn global_get(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, _: u64, facc: f64) -> Exit {
    let x = operands!(ip, Instr::GlobalGet(x) => x);
    let v = ex.global(x.i);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v, facc)
}

fn global_set<const FA: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (g, a) = operands!(ip, Instr::GlobalSet { g, a } => (g, a));
    ex.set_global(g, read!(FA, r, acc, a));
    next!(ex, ip.next(), r, m, acc, facc)
}

fn trap_if_null<const FA: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let a = operands!(ip, Instr::TrapIfNull { a } => a);
    if flow::is_null(read!(FA, r, acc, a)) {
        return trap_kind(ex, TrapKind::NullReference);
    }
    next!(ex, ip.next(), r, m, acc, facc)
}

fn unreachable(ex: &mut Executor<'_>, _: Ip, _: Registers, _: Memory0, _: u64, _: f64) -> Exit {
    trap_kind(ex, TrapKind::Unreachable)
}

fn jump_to<const BACK: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let pc = operands!(ip, Instr::Jump { pc } => pc);
    jump::<BACK>(ex, ip, pc, r, m, acc, facc)
}

/// `br_if` (`ZERO`: jump when the slot is zero, as for `if`).
fn br_if<const ZERO: bool, const FC: bool, const BACK: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (c, pc) = operands!(ip, Instr::BrIf { c, pc } | Instr::BrUnless { c, pc } => (c, pc));
    let c = read!(FC, r, acc, c);
    if if ZERO {
        flow::br_unless(c)
    } else {
        flow::br_if(c)
    } {
        return jump::<BACK>(ex, ip, pc, r, m, acc, facc);
    }
    next!(ex, ip.next(), r, m, acc, facc)
}

/// The comparison numbered `c` (its position in [`Cmp::ALL`]).
const fn cmp_of(c: u8) -> Cmp {
    Cmp::ALL[c as usize]
}

/// Compare-and-branch handlers, monomorphized per comparison `C` (so the
/// comparison is not a second dispatch) and per operand source (`$flag`:
/// `bool`, from the general accumulator or not; `u8`, a `Source`, for `f64`
/// operands, which may come from the float accumulator).
macro_rules! compare_branches {
    ($flag:ty: $($name:ident: $pat:pat => $test:expr;)*) => {
        $(
            fn $name<const C: u8, const FA: $flag, const FB: $flag, const BACK: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64, facc: f64,
            ) -> Exit {
                let cmp = cmp_of(C);
                let (taken, pc) = operands!(ip, $pat => $test(cmp, r, acc, facc));
                if taken {
                    return jump::<BACK>(ex, ip, pc, r, m, acc, facc);
                }
                next!(ex, ip.next(), r, m, acc, facc)
            }
        )*
    };
}

compare_branches! { bool:
    br_cmp32: Instr::BrCmp32 { a, b, pc, .. } => |cmp: Cmp, r: Registers, acc, _| {
        (flow::br_cmp32(cmp, read!(FA, r, acc, a), read!(FB, r, acc, b)), pc)
    };
    br_cmp32_imm: Instr::BrCmp32Imm { a, imm, pc, .. } => |cmp: Cmp, r: Registers, acc, _| {
        (flow::br_cmp32_imm(cmp, read!(FA, r, acc, a), imm), pc)
    };
    br_cmp64: Instr::BrCmp64 { a, b, pc, .. } => |cmp: Cmp, r: Registers, acc, _| {
        (flow::br_cmp64(cmp, read!(FA, r, acc, a), read!(FB, r, acc, b)), pc)
    };
    br_cmp64_imm: Instr::BrCmp64Imm { a, imm, pc, .. } => |cmp: Cmp, r: Registers, acc, _| {
        (flow::br_cmp64_imm(cmp, read!(FA, r, acc, a), imm), pc)
    };
}

compare_branches! { u8:
    // `negate` is part of the handler (a constant here), not read at run time.
    br_cmp_f64: Instr::BrCmpF64 { a, b, pc, .. } => |cmp: Cmp, r: Registers, acc, facc: f64| {
        let (a, b) = (read_src!(FA, r, acc, facc, a), read_src!(FB, r, acc, facc, b));
        (flow::br_cmp_f64(cmp, false, a, b), pc)
    };
    br_not_cmp_f64: Instr::BrCmpF64 { a, b, pc, .. } => |cmp: Cmp, r: Registers, acc, facc: f64| {
        let (a, b) = (read_src!(FA, r, acc, facc, a), read_src!(FB, r, acc, facc, b));
        (flow::br_cmp_f64(cmp, true, a, b), pc)
    };
    br_cmp_f64_imm: Instr::BrCmpF64Imm { a, imm, pc, .. } => |cmp: Cmp, r: Registers, acc, facc: f64| {
        (flow::br_cmp_f64(cmp, false, read_src!(FA, r, acc, facc, a), imm), pc)
    };
    br_not_cmp_f64_imm: Instr::BrCmpF64Imm { a, imm, pc, .. } => |cmp: Cmp, r: Registers, acc, facc: f64| {
        (flow::br_cmp_f64(cmp, true, read_src!(FA, r, acc, facc, a), imm), pc)
    };
}

/// The monomorph of compare-and-branch `$name` for comparison `$cmp`, with
/// operand flags (`@flags`: `bool`s) or sources (`@sources`: `f64` operands).
macro_rules! pick_cmp {
    ($how:ident $name:ident, $cmp:expr, $fa:expr, $fb:expr, $back:expr) => {
        match $cmp {
            Cmp::Eq => pick_cmp!(@$how $name, 0, $fa, $fb, $back),
            Cmp::Ne => pick_cmp!(@$how $name, 1, $fa, $fb, $back),
            Cmp::LtS => pick_cmp!(@$how $name, 2, $fa, $fb, $back),
            Cmp::LtU => pick_cmp!(@$how $name, 3, $fa, $fb, $back),
            Cmp::GtS => pick_cmp!(@$how $name, 4, $fa, $fb, $back),
            Cmp::GtU => pick_cmp!(@$how $name, 5, $fa, $fb, $back),
            Cmp::LeS => pick_cmp!(@$how $name, 6, $fa, $fb, $back),
            Cmp::LeU => pick_cmp!(@$how $name, 7, $fa, $fb, $back),
            Cmp::GeS => pick_cmp!(@$how $name, 8, $fa, $fb, $back),
            Cmp::GeU => pick_cmp!(@$how $name, 9, $fa, $fb, $back),
        }
    };
    (@flags $name:ident, $c:literal, $fa:expr, $fb:expr, $back:expr) => {
        match ($fa, $fb, $back) {
            (false, false, false) => $name::<$c, false, false, false> as Handler,
            (true, false, false) => $name::<$c, true, false, false>,
            (false, true, false) => $name::<$c, false, true, false>,
            (true, true, false) => $name::<$c, true, true, false>,
            (false, false, true) => $name::<$c, false, false, true>,
            (true, false, true) => $name::<$c, true, false, true>,
            (false, true, true) => $name::<$c, false, true, true>,
            (true, true, true) => $name::<$c, true, true, true>,
        }
    };
    (@sources $name:ident, $c:literal, $sa:expr, $sb:expr, $back:expr) => {
        if $back {
            pick_cmp!(@sources_of $name, $c, $sa, $sb, true)
        } else {
            pick_cmp!(@sources_of $name, $c, $sa, $sb, false)
        }
    };
    // One accumulator holds one slot: the operands never come from
    // different accumulators.
    (@sources_of $name:ident, $c:literal, $sa:expr, $sb:expr, $back:literal) => {
        match ($sa, $sb) {
            (Source::ACC, Source::ACC) => $name::<$c, { Source::ACC }, { Source::ACC }, $back> as Handler,
            (Source::ACC, _) => $name::<$c, { Source::ACC }, { Source::FRAME }, $back>,
            (_, Source::ACC) => $name::<$c, { Source::FRAME }, { Source::ACC }, $back>,
            (Source::FACC, Source::FACC) => $name::<$c, { Source::FACC }, { Source::FACC }, $back>,
            (Source::FACC, _) => $name::<$c, { Source::FACC }, { Source::FRAME }, $back>,
            (_, Source::FACC) => $name::<$c, { Source::FRAME }, { Source::FACC }, $back>,
            _ => $name::<$c, { Source::FRAME }, { Source::FRAME }, $back>,
        }
    };
}

fn br_table<const FI: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let (index, first, len) =
        operands!(ip, Instr::BrTable { index, first, len } => (index, first, len));
    let i = flow::br_table_entry(read!(FI, r, acc, index), len);
    // SAFETY: `first + len <= br_targets.len() == br_jumps.len()` and
    // `len > 0` for every `br_table` (`FuncCode::finish`), and `i < len`.
    let to = unsafe { *ex.code.br_jumps.get_unchecked((first + i) as usize) };
    // The target varies: a backward one is a loop iteration.
    if to.backward() && ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    // SAFETY: `finish` made `to` from a checked target of the running
    // code, whose ops the store keeps alive.
    let to = unsafe { Ip::new(to.op()) };
    // A branch target never reads the accumulator (see `FuncCode::thread`).
    next!(ex, to, r, m, acc, facc)
}

/// The handler of an instruction outside the table: its own for hot ones,
/// `leave` for the cold ones; `at` is its index, which tells backward
/// branches from forward ones. Names every instruction, so a new one
/// cannot be left out by accident.
pub(super) fn handler(instr: &Instr, acc: Accumulator, at: usize) -> Handler {
    let from_acc = |slot: Reg| super::int_slot(acc) == Some(slot);
    let f64_source = |slot: Reg| Source::of::<f64>(acc, slot);
    let back = instr.branch_target().is_some_and(|pc| pc as usize <= at);
    match *instr {
        table_instr!() | Instr::Copy(_) | Instr::Const(_) | Instr::Select(_) => {
            unreachable!("the table's own handlers are chosen first")
        }
        Instr::GlobalGet(_) => global_get,
        Instr::GlobalSet { a, .. } if from_acc(a) => global_set::<true>,
        Instr::GlobalSet { .. } => global_set::<false>,
        Instr::TrapIfNull { a } if from_acc(a) => trap_if_null::<true>,
        Instr::TrapIfNull { .. } => trap_if_null::<false>,
        Instr::Unreachable => unreachable,
        Instr::Jump { .. } if back => jump_to::<true>,
        Instr::Jump { .. } => jump_to::<false>,
        Instr::BrIf { c, .. } | Instr::BrUnless { c, .. } => {
            let zero = matches!(instr, Instr::BrUnless { .. });
            match (zero, from_acc(c), back) {
                (false, false, false) => br_if::<false, false, false>,
                (false, true, false) => br_if::<false, true, false>,
                (false, false, true) => br_if::<false, false, true>,
                (false, true, true) => br_if::<false, true, true>,
                (true, false, false) => br_if::<true, false, false>,
                (true, true, false) => br_if::<true, true, false>,
                (true, false, true) => br_if::<true, false, true>,
                (true, true, true) => br_if::<true, true, true>,
            }
        }
        Instr::BrCmp32 { cmp, a, b, .. } => {
            pick_cmp!(flags br_cmp32, cmp, from_acc(a), from_acc(b), back)
        }
        Instr::BrCmp32Imm { cmp, a, .. } => {
            pick_cmp!(flags br_cmp32_imm, cmp, from_acc(a), false, back)
        }
        Instr::BrCmp64 { cmp, a, b, .. } => {
            pick_cmp!(flags br_cmp64, cmp, from_acc(a), from_acc(b), back)
        }
        Instr::BrCmp64Imm { cmp, a, .. } => {
            pick_cmp!(flags br_cmp64_imm, cmp, from_acc(a), false, back)
        }
        Instr::BrCmpF64 {
            cmp, negate, a, b, ..
        } if !negate => {
            pick_cmp!(sources br_cmp_f64, cmp, f64_source(a), f64_source(b), back)
        }
        Instr::BrCmpF64 { cmp, a, b, .. } => {
            pick_cmp!(sources br_not_cmp_f64, cmp, f64_source(a), f64_source(b), back)
        }
        Instr::BrCmpF64Imm { cmp, negate, a, .. } if !negate => {
            pick_cmp!(sources br_cmp_f64_imm, cmp, f64_source(a), Source::FRAME, back)
        }
        Instr::BrCmpF64Imm { cmp, a, .. } => {
            pick_cmp!(sources br_not_cmp_f64_imm, cmp, f64_source(a), Source::FRAME, back)
        }
        Instr::BrTable { index, .. } if from_acc(index) => br_table::<true>,
        Instr::BrTable { .. } => br_table::<false>,
        Instr::Call { .. } => call,
        Instr::CallInternal { .. } => call_internal,
        Instr::CallIndirect { .. } => call_indirect,
        Instr::CallRef { .. } => call_ref,
        Instr::ReturnCall { .. } => return_call::<Direct>,
        Instr::ReturnCallIndirect { .. } => return_call::<Indirect>,
        Instr::ReturnCallRef { .. } => return_call::<ByRef>,
        Instr::Return { n: 0, .. } => return_::<0>,
        Instr::Return { n: 1, .. } => return_::<1>,
        Instr::Return { .. } => return_::<2>,
        // Cold: the `match` loop runs them.
        cold_instr!() => super::leave,
    }
}
