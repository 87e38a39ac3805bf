//! Threaded dispatch: every hot register instruction has its own handler,
//! which ends by jumping straight to the next instruction's handler.
//!
//! The `match` loop funnels every instruction through one indirect jump,
//! which the CPU predicts poorly and which costs a table lookup. Here each
//! handler ends in its own indirect jump (a tail call that LLVM turns into
//! a plain `jmp`; see `build.rs` for when that is guaranteed), so the
//! prediction of what follows each instruction is kept per instruction.
//!
//! Calls and returns switch frames without leaving. Cold instructions
//! (stack mode) have the `leave` handler: threaded execution returns to the
//! `match` loop, which runs that instruction and then comes back here.

use std::ptr::NonNull;
use std::sync::atomic::Ordering;

use super::code_ref::CodeRef;
use super::memory0::{widen as W, Memory0};
use super::registers::Registers;
use super::slot::{bin, bin_trap, imm32, imm64, un, un_trap};
use super::Executor;
use crate::api::error::{RuntimeError, TrapKind};
use crate::exec::instr::{Cmp, Instr};
use crate::exec::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};
use crate::runtime::func::FuncInst;

/// A handler: runs the instruction at `ip` and, unless it leaves threaded
/// execution, the ones after it.
pub(crate) type Handler = for<'e, 's> fn(&'e mut Executor<'s>, Ip, Registers, Memory0) -> Exit;

/// One instruction with its handler.
#[derive(Clone, Copy)]
pub(crate) struct Op {
    handler: Handler,
    pub instr: Instr,
}

impl Op {
    pub(crate) fn new(instr: Instr) -> Self {
        Op {
            handler: handler(&instr),
            instr,
        }
    }
}

/// Why threaded execution stopped.
pub(super) enum Exit {
    /// At a cold instruction, left in `Executor::resume` for the `match` loop.
    Cold,
    /// A trap, left in `Executor::trap`.
    Trap,
    /// The outermost function returned.
    Returned,
}

/// The position of the running instruction.
#[derive(Clone, Copy)]
pub(crate) struct Ip(NonNull<Op>);

impl Ip {
    /// # Safety
    /// `ip` must point at an op of a function whose code passed
    /// `FuncCode::check_control`, and that code must outlive the dispatch.
    pub(super) unsafe fn new(ip: *const Op) -> Self {
        // SAFETY: a pointer into a live vector is not null.
        Ip(unsafe { NonNull::new_unchecked(ip as *mut Op) })
    }

    #[inline(always)]
    fn op(self) -> &'static Op {
        // SAFETY: an `Ip` points at an op (see `new`, `next`, `jump`); the
        // code outlives the dispatch, which never keeps the reference.
        unsafe { &*self.0.as_ptr() }
    }

    #[inline(always)]
    fn next(self) -> Ip {
        // SAFETY: the op at `self` is not the function's last (which never
        // falls through), so the next one exists.
        Ip(unsafe { self.0.add(1) })
    }

    /// Index of this op in the running code, whose ops start at `start`.
    fn index(self, start: *const Op) -> usize {
        // SAFETY: both point into the running code's ops.
        unsafe { self.0.as_ptr().offset_from(start) as usize }
    }
}

/// Runs from `ip` until a cold instruction or a trap.
#[inline(always)]
pub(super) fn run(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    (ip.op().handler)(ex, ip, r, m)
}

macro_rules! next {
    ($ex:ident, $ip:expr, $r:ident, $m:ident) => {{
        let ip = $ip;
        return (ip.op().handler)($ex, ip, $r, $m);
    }};
}

/// Binds the operands of the handler's own variant.
macro_rules! operands {
    ($ip:ident, $pat:pat => $body:expr) => {
        match $ip.op().instr {
            $pat => $body,
            // SAFETY: an op's handler is chosen by `handler` from its own
            // instruction (`Op::new`; the fields are private), and every
            // handler binds the variant `handler` chose it for.
            _ => unsafe { std::hint::unreachable_unchecked() },
        }
    };
}

#[cold]
#[inline(never)]
fn trap(ex: &mut Executor<'_>, e: RuntimeError) -> Exit {
    ex.trap = Some(e);
    Exit::Trap
}

fn leave(ex: &mut Executor<'_>, ip: Ip, _: Registers, _: Memory0) -> Exit {
    ex.pc = ip.index(ex.ops);
    Exit::Cold
}

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
    let code = ex.code;
    ex.ops = code.ops.as_ptr();
    // SAFETY: `ex.pc` is 0 or the instruction after a call in checked code,
    // which the store keeps alive.
    let ip = unsafe { Ip::new(ex.ops.add(ex.pc)) };
    // SAFETY: calls and returns leave the value stack at least a frame long,
    // and the code passed `check_slots`.
    let r = unsafe { Registers::new(&mut ex.values, ex.base) };
    next!(ex, ip, r, m)
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
        // SAFETY: the store keeps this `Arc` while the executor runs.
        let (code, instance) = (unsafe { CodeRef::new(code) }, *instance);
        if ex.push_frame_fast(addr, code, instance, at) {
            // Polled here too: recursion without loops has no backward jumps.
            if ex.interrupt.load(Ordering::Relaxed) {
                return trap_kind(ex, TrapKind::Interrupted);
            }
            // The fast path stays in the instance.
            return enter_frame_with(ex, m);
        }
    }
    call_slow(ex, addr, at)
}

/// Every other call: host functions, other instances, growing stacks,
/// exhaustion.
#[inline(never)]
fn call_slow(ex: &mut Executor<'_>, addr: u32, at: u32) -> Exit {
    let s = switch(ex, move |_| Ok(addr), at, false);
    after(ex, s)
}

fn call(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0) -> Exit {
    let (func, at) = operands!(ip, Instr::Call { func, at } => (func, at));
    let addr = ex.inst.funcs[func as usize];
    call_addr(ex, ip, m, addr, at)
}

fn call_indirect(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0) -> Exit {
    let (ty, table, index, at) = operands!(ip,
        Instr::CallIndirect { ty, table, index, at } => (ty, table, index, at));
    match resolve(ex, move |ex| ex.indirect_target(ty, table, index)) {
        Some(addr) => call_addr(ex, ip, m, addr, at),
        None => Exit::Trap,
    }
}

fn call_ref(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0) -> Exit {
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

#[cold]
#[inline(never)]
fn trap_kind(ex: &mut Executor<'_>, kind: TrapKind) -> Exit {
    trap(ex, RuntimeError::new(kind))
}

fn return_call(ex: &mut Executor<'_>, ip: Ip, _: Registers, _: Memory0) -> Exit {
    let (func, at) = operands!(ip, Instr::ReturnCall { func, at } => (func, at));
    let s = switch(ex, move |ex| Ok(ex.inst.funcs[func as usize]), at, true);
    after(ex, s)
}

fn return_call_indirect(ex: &mut Executor<'_>, ip: Ip, _: Registers, _: Memory0) -> Exit {
    let (ty, table, index, at) = operands!(ip,
        Instr::ReturnCallIndirect { ty, table, index, at } => (ty, table, index, at));
    let s = switch(ex, move |ex| ex.indirect_target(ty, table, index), at, true);
    after(ex, s)
}

fn return_call_ref(ex: &mut Executor<'_>, ip: Ip, _: Registers, _: Memory0) -> Exit {
    let (callee, at) = operands!(ip, Instr::ReturnCallRef { callee, at } => (callee, at));
    let s = switch(ex, move |ex| ex.func_ref(callee), at, true);
    after(ex, s)
}

fn return_(ex: &mut Executor<'_>, ip: Ip, _: Registers, m: Memory0) -> Exit {
    let (from, n) = operands!(ip, Instr::Return { from, n } => (from, n));
    let instance = ex.inst_index;
    if ex.ret(from, n) {
        return Exit::Returned;
    }
    if ex.inst_index == instance {
        return enter_frame_with(ex, m);
    }
    enter_frame(ex)
}

/// Continues at branch target `pc`, polling the interrupt flag on a
/// backward jump (a loop iteration).
#[inline(always)]
fn jump(ex: &mut Executor<'_>, ip: Ip, pc: u32, r: Registers, m: Memory0) -> Exit {
    // SAFETY: `pc` is a checked branch target of the running code, whose
    // ops start at `ex.ops`.
    let to = unsafe { Ip::new(ex.ops.add(pc as usize)) };
    if to.0 <= ip.0 && ex.interrupt.load(Ordering::Relaxed) {
        return trap_kind(ex, TrapKind::Interrupted);
    }
    next!(ex, to, r, m)
}

macro_rules! numeric_handlers {
    ($( $shape:ident $name:ident : $variant:ident => $f:expr ;)*) => {
        $(
            fn $name(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
                operands!(ip, Instr::$variant(x) => numeric_handlers!(@$shape ex, r, x, $f));
                next!(ex, ip.next(), r, m)
            }
        )*

        /// The handler of a numeric instruction, if it has one.
        fn numeric_handler(instr: &Instr) -> Option<Handler> {
            Some(match instr {
                $( Instr::$variant(_) => $name, )*
                _ => return None,
            })
        }
    };
    (@plain $ex:ident, $r:ident, $x:ident, $f:expr) => { $f($r, $x) };
    (@trapping $ex:ident, $r:ident, $x:ident, $f:expr) => {
        if let Err(t) = $f($r, $x) {
            return trap_kind($ex, super::slot::trap_kind(t));
        }
    };
}

numeric_handlers! {
    plain copy: Copy => |r: Registers, x: crate::exec::instr::Un| r.set(x.d, r.get(x.a));
    plain constant: Const => |r: Registers, x: crate::exec::instr::Const| r.set(x.d, x.value);
    plain select: Select => |r: Registers, x: crate::exec::instr::Select| {
        let pick = if r.get(x.c) as u32 != 0 { x.a } else { x.b };
        r.set(x.d, r.get(pick));
    };
    plain i32_eqz: I32Eqz => |r, x| un(r, x, I32::eqz);
    plain i64_eqz: I64Eqz => |r, x| un(r, x, I64::eqz);
    plain i32_eq: I32Eq => |r, x| bin(r, x, I32::eq);
    plain i32_ne: I32Ne => |r, x| bin(r, x, I32::ne);
    plain i32_lt_s: I32LtS => |r, x| bin(r, x, I32::lt_s);
    plain i32_lt_u: I32LtU => |r, x| bin(r, x, I32::lt_u);
    plain i32_gt_s: I32GtS => |r, x| bin(r, x, I32::gt_s);
    plain i32_gt_u: I32GtU => |r, x| bin(r, x, I32::gt_u);
    plain i32_le_s: I32LeS => |r, x| bin(r, x, I32::le_s);
    plain i32_le_u: I32LeU => |r, x| bin(r, x, I32::le_u);
    plain i32_ge_s: I32GeS => |r, x| bin(r, x, I32::ge_s);
    plain i32_ge_u: I32GeU => |r, x| bin(r, x, I32::ge_u);
    plain i64_eq: I64Eq => |r, x| bin(r, x, I64::eq);
    plain i64_ne: I64Ne => |r, x| bin(r, x, I64::ne);
    plain i64_lt_s: I64LtS => |r, x| bin(r, x, I64::lt_s);
    plain i64_lt_u: I64LtU => |r, x| bin(r, x, I64::lt_u);
    plain i64_gt_s: I64GtS => |r, x| bin(r, x, I64::gt_s);
    plain i64_gt_u: I64GtU => |r, x| bin(r, x, I64::gt_u);
    plain i64_le_s: I64LeS => |r, x| bin(r, x, I64::le_s);
    plain i64_le_u: I64LeU => |r, x| bin(r, x, I64::le_u);
    plain i64_ge_s: I64GeS => |r, x| bin(r, x, I64::ge_s);
    plain i64_ge_u: I64GeU => |r, x| bin(r, x, I64::ge_u);
    plain f32_eq: F32Eq => |r, x| bin(r, x, F32::eq);
    plain f32_ne: F32Ne => |r, x| bin(r, x, F32::ne);
    plain f32_lt: F32Lt => |r, x| bin(r, x, F32::lt);
    plain f32_gt: F32Gt => |r, x| bin(r, x, F32::gt);
    plain f32_le: F32Le => |r, x| bin(r, x, F32::le);
    plain f32_ge: F32Ge => |r, x| bin(r, x, F32::ge);
    plain f64_eq: F64Eq => |r, x| bin(r, x, F64::eq);
    plain f64_ne: F64Ne => |r, x| bin(r, x, F64::ne);
    plain f64_lt: F64Lt => |r, x| bin(r, x, F64::lt);
    plain f64_gt: F64Gt => |r, x| bin(r, x, F64::gt);
    plain f64_le: F64Le => |r, x| bin(r, x, F64::le);
    plain f64_ge: F64Ge => |r, x| bin(r, x, F64::ge);
    plain i32_clz: I32Clz => |r, x| un(r, x, I32::clz);
    plain i32_ctz: I32Ctz => |r, x| un(r, x, I32::ctz);
    plain i32_popcnt: I32Popcnt => |r, x| un(r, x, I32::popcnt);
    plain i32_add: I32Add => |r, x| bin(r, x, I32::add);
    plain i32_sub: I32Sub => |r, x| bin(r, x, I32::sub);
    plain i32_mul: I32Mul => |r, x| bin(r, x, I32::mul);
    trapping i32_div_s: I32DivS => |r, x| bin_trap(r, x, I32::div_s);
    trapping i32_div_u: I32DivU => |r, x| bin_trap(r, x, I32::div_u);
    trapping i32_rem_s: I32RemS => |r, x| bin_trap(r, x, I32::rem_s);
    trapping i32_rem_u: I32RemU => |r, x| bin_trap(r, x, I32::rem_u);
    plain i32_and: I32And => |r, x| bin(r, x, I32::and);
    plain i32_or: I32Or => |r, x| bin(r, x, I32::or);
    plain i32_xor: I32Xor => |r, x| bin(r, x, I32::xor);
    plain i32_shl: I32Shl => |r, x| bin(r, x, I32::shl);
    plain i32_shr_s: I32ShrS => |r, x| bin(r, x, I32::shr_s);
    plain i32_shr_u: I32ShrU => |r, x| bin(r, x, I32::shr_u);
    plain i32_rotl: I32Rotl => |r, x| bin(r, x, I32::rotl);
    plain i32_rotr: I32Rotr => |r, x| bin(r, x, I32::rotr);
    plain i64_clz: I64Clz => |r, x| un(r, x, I64::clz);
    plain i64_ctz: I64Ctz => |r, x| un(r, x, I64::ctz);
    plain i64_popcnt: I64Popcnt => |r, x| un(r, x, I64::popcnt);
    plain i64_add: I64Add => |r, x| bin(r, x, I64::add);
    plain i64_sub: I64Sub => |r, x| bin(r, x, I64::sub);
    plain i64_mul: I64Mul => |r, x| bin(r, x, I64::mul);
    trapping i64_div_s: I64DivS => |r, x| bin_trap(r, x, I64::div_s);
    trapping i64_div_u: I64DivU => |r, x| bin_trap(r, x, I64::div_u);
    trapping i64_rem_s: I64RemS => |r, x| bin_trap(r, x, I64::rem_s);
    trapping i64_rem_u: I64RemU => |r, x| bin_trap(r, x, I64::rem_u);
    plain i64_and: I64And => |r, x| bin(r, x, I64::and);
    plain i64_or: I64Or => |r, x| bin(r, x, I64::or);
    plain i64_xor: I64Xor => |r, x| bin(r, x, I64::xor);
    plain i64_shl: I64Shl => |r, x| bin(r, x, I64::shl);
    plain i64_shr_s: I64ShrS => |r, x| bin(r, x, I64::shr_s);
    plain i64_shr_u: I64ShrU => |r, x| bin(r, x, I64::shr_u);
    plain i64_rotl: I64Rotl => |r, x| bin(r, x, I64::rotl);
    plain i64_rotr: I64Rotr => |r, x| bin(r, x, I64::rotr);
    plain i32_add_imm: I32AddImm => |r, x| imm32(r, x, I32::add);
    plain i32_mul_imm: I32MulImm => |r, x| imm32(r, x, I32::mul);
    plain i32_and_imm: I32AndImm => |r, x| imm32(r, x, I32::and);
    plain i32_or_imm: I32OrImm => |r, x| imm32(r, x, I32::or);
    plain i32_xor_imm: I32XorImm => |r, x| imm32(r, x, I32::xor);
    plain i32_shl_imm: I32ShlImm => |r, x| imm32(r, x, I32::shl);
    plain i32_shr_s_imm: I32ShrSImm => |r, x| imm32(r, x, I32::shr_s);
    plain i32_shr_u_imm: I32ShrUImm => |r, x| imm32(r, x, I32::shr_u);
    plain i32_rotl_imm: I32RotlImm => |r, x| imm32(r, x, I32::rotl);
    plain i32_rotr_imm: I32RotrImm => |r, x| imm32(r, x, I32::rotr);
    plain i32_eq_imm: I32EqImm => |r, x| imm32(r, x, I32::eq);
    plain i32_ne_imm: I32NeImm => |r, x| imm32(r, x, I32::ne);
    plain i32_lt_s_imm: I32LtSImm => |r, x| imm32(r, x, I32::lt_s);
    plain i32_lt_u_imm: I32LtUImm => |r, x| imm32(r, x, I32::lt_u);
    plain i32_gt_s_imm: I32GtSImm => |r, x| imm32(r, x, I32::gt_s);
    plain i32_gt_u_imm: I32GtUImm => |r, x| imm32(r, x, I32::gt_u);
    plain i32_le_s_imm: I32LeSImm => |r, x| imm32(r, x, I32::le_s);
    plain i32_le_u_imm: I32LeUImm => |r, x| imm32(r, x, I32::le_u);
    plain i32_ge_s_imm: I32GeSImm => |r, x| imm32(r, x, I32::ge_s);
    plain i32_ge_u_imm: I32GeUImm => |r, x| imm32(r, x, I32::ge_u);
    plain i32_div_s_imm: I32DivSImm => |r, x| imm32(r, x, super::slot::by_constant::i32_div_s);
    plain i32_div_u_imm: I32DivUImm => |r, x| imm32(r, x, super::slot::by_constant::i32_div_u);
    plain i32_rem_s_imm: I32RemSImm => |r, x| imm32(r, x, super::slot::by_constant::i32_rem_s);
    plain i32_rem_u_imm: I32RemUImm => |r, x| imm32(r, x, super::slot::by_constant::i32_rem_u);
    plain i64_div_s_imm: I64DivSImm => |r, x| imm64(r, x, super::slot::by_constant::i64_div_s);
    plain i64_div_u_imm: I64DivUImm => |r, x| imm64(r, x, super::slot::by_constant::i64_div_u);
    plain i64_rem_s_imm: I64RemSImm => |r, x| imm64(r, x, super::slot::by_constant::i64_rem_s);
    plain i64_rem_u_imm: I64RemUImm => |r, x| imm64(r, x, super::slot::by_constant::i64_rem_u);
    plain i64_add_imm: I64AddImm => |r, x| imm64(r, x, I64::add);
    plain i64_mul_imm: I64MulImm => |r, x| imm64(r, x, I64::mul);
    plain i64_and_imm: I64AndImm => |r, x| imm64(r, x, I64::and);
    plain i64_or_imm: I64OrImm => |r, x| imm64(r, x, I64::or);
    plain i64_xor_imm: I64XorImm => |r, x| imm64(r, x, I64::xor);
    plain i64_shl_imm: I64ShlImm => |r, x| imm64(r, x, I64::shl);
    plain i64_shr_s_imm: I64ShrSImm => |r, x| imm64(r, x, I64::shr_s);
    plain i64_shr_u_imm: I64ShrUImm => |r, x| imm64(r, x, I64::shr_u);
    plain i64_rotl_imm: I64RotlImm => |r, x| imm64(r, x, I64::rotl);
    plain i64_rotr_imm: I64RotrImm => |r, x| imm64(r, x, I64::rotr);
    plain i64_eq_imm: I64EqImm => |r, x| imm64(r, x, I64::eq);
    plain i64_ne_imm: I64NeImm => |r, x| imm64(r, x, I64::ne);
    plain i64_lt_s_imm: I64LtSImm => |r, x| imm64(r, x, I64::lt_s);
    plain i64_lt_u_imm: I64LtUImm => |r, x| imm64(r, x, I64::lt_u);
    plain i64_gt_s_imm: I64GtSImm => |r, x| imm64(r, x, I64::gt_s);
    plain i64_gt_u_imm: I64GtUImm => |r, x| imm64(r, x, I64::gt_u);
    plain i64_le_s_imm: I64LeSImm => |r, x| imm64(r, x, I64::le_s);
    plain i64_le_u_imm: I64LeUImm => |r, x| imm64(r, x, I64::le_u);
    plain i64_ge_s_imm: I64GeSImm => |r, x| imm64(r, x, I64::ge_s);
    plain i64_ge_u_imm: I64GeUImm => |r, x| imm64(r, x, I64::ge_u);
    plain f64_add_imm: F64AddImm => |r, x| imm64(r, x, F64::add);
    plain f64_sub_imm: F64SubImm => |r, x| imm64(r, x, F64::sub);
    plain f64_mul_imm: F64MulImm => |r, x| imm64(r, x, F64::mul);
    plain f64_div_imm: F64DivImm => |r, x| imm64(r, x, F64::div);
    plain f32_abs: F32Abs => |r, x| un(r, x, F32::abs);
    plain f32_neg: F32Neg => |r, x| un(r, x, F32::neg);
    plain f32_ceil: F32Ceil => |r, x| un(r, x, F32::ceil);
    plain f32_floor: F32Floor => |r, x| un(r, x, F32::floor);
    plain f32_trunc: F32Trunc => |r, x| un(r, x, F32::trunc);
    plain f32_nearest: F32Nearest => |r, x| un(r, x, F32::nearest);
    plain f32_sqrt: F32Sqrt => |r, x| un(r, x, F32::sqrt);
    plain f32_add: F32Add => |r, x| bin(r, x, F32::add);
    plain f32_sub: F32Sub => |r, x| bin(r, x, F32::sub);
    plain f32_mul: F32Mul => |r, x| bin(r, x, F32::mul);
    plain f32_div: F32Div => |r, x| bin(r, x, F32::div);
    plain f32_min: F32Min => |r, x| bin(r, x, F32::min);
    plain f32_max: F32Max => |r, x| bin(r, x, F32::max);
    plain f32_copysign: F32Copysign => |r, x| bin(r, x, F32::copysign);
    plain f64_abs: F64Abs => |r, x| un(r, x, F64::abs);
    plain f64_neg: F64Neg => |r, x| un(r, x, F64::neg);
    plain f64_ceil: F64Ceil => |r, x| un(r, x, F64::ceil);
    plain f64_floor: F64Floor => |r, x| un(r, x, F64::floor);
    plain f64_trunc: F64Trunc => |r, x| un(r, x, F64::trunc);
    plain f64_nearest: F64Nearest => |r, x| un(r, x, F64::nearest);
    plain f64_sqrt: F64Sqrt => |r, x| un(r, x, F64::sqrt);
    plain f64_add: F64Add => |r, x| bin(r, x, F64::add);
    plain f64_sub: F64Sub => |r, x| bin(r, x, F64::sub);
    plain f64_mul: F64Mul => |r, x| bin(r, x, F64::mul);
    plain f64_div: F64Div => |r, x| bin(r, x, F64::div);
    plain f64_min: F64Min => |r, x| bin(r, x, F64::min);
    plain f64_max: F64Max => |r, x| bin(r, x, F64::max);
    plain f64_copysign: F64Copysign => |r, x| bin(r, x, F64::copysign);
    plain i32_wrap_i64: I32WrapI64 => |r, x| un(r, x, convert::i32_wrap_i64);
    trapping i32_trunc_f32_s: I32TruncF32S => |r, x| un_trap(r, x, convert::i32_trunc_f32_s);
    trapping i32_trunc_f32_u: I32TruncF32U => |r, x| un_trap(r, x, convert::i32_trunc_f32_u);
    trapping i32_trunc_f64_s: I32TruncF64S => |r, x| un_trap(r, x, convert::i32_trunc_f64_s);
    trapping i32_trunc_f64_u: I32TruncF64U => |r, x| un_trap(r, x, convert::i32_trunc_f64_u);
    plain i64_extend_i32_s: I64ExtendI32S => |r, x| un(r, x, convert::i64_extend_i32_s);
    plain i64_extend_i32_u: I64ExtendI32U => |r, x| un(r, x, convert::i64_extend_i32_u);
    trapping i64_trunc_f32_s: I64TruncF32S => |r, x| un_trap(r, x, convert::i64_trunc_f32_s);
    trapping i64_trunc_f32_u: I64TruncF32U => |r, x| un_trap(r, x, convert::i64_trunc_f32_u);
    trapping i64_trunc_f64_s: I64TruncF64S => |r, x| un_trap(r, x, convert::i64_trunc_f64_s);
    trapping i64_trunc_f64_u: I64TruncF64U => |r, x| un_trap(r, x, convert::i64_trunc_f64_u);
    plain f32_convert_i32_s: F32ConvertI32S => |r, x| un(r, x, convert::f32_convert_i32_s);
    plain f32_convert_i32_u: F32ConvertI32U => |r, x| un(r, x, convert::f32_convert_i32_u);
    plain f32_convert_i64_s: F32ConvertI64S => |r, x| un(r, x, convert::f32_convert_i64_s);
    plain f32_convert_i64_u: F32ConvertI64U => |r, x| un(r, x, convert::f32_convert_i64_u);
    plain f32_demote_f64: F32DemoteF64 => |r, x| un(r, x, convert::f32_demote_f64);
    plain f64_convert_i32_s: F64ConvertI32S => |r, x| un(r, x, convert::f64_convert_i32_s);
    plain f64_convert_i32_u: F64ConvertI32U => |r, x| un(r, x, convert::f64_convert_i32_u);
    plain f64_convert_i64_s: F64ConvertI64S => |r, x| un(r, x, convert::f64_convert_i64_s);
    plain f64_convert_i64_u: F64ConvertI64U => |r, x| un(r, x, convert::f64_convert_i64_u);
    plain f64_promote_f32: F64PromoteF32 => |r, x| un(r, x, convert::f64_promote_f32);
    plain i32_extend8_s: I32Extend8S => |r, x| un(r, x, I32::extend8_s);
    plain i32_extend16_s: I32Extend16S => |r, x| un(r, x, I32::extend16_s);
    plain i64_extend8_s: I64Extend8S => |r, x| un(r, x, I64::extend8_s);
    plain i64_extend16_s: I64Extend16S => |r, x| un(r, x, I64::extend16_s);
    plain i64_extend32_s: I64Extend32S => |r, x| un(r, x, I64::extend32_s);
    plain i32_trunc_sat_f32_s: I32TruncSatF32S => |r, x| un(r, x, convert::i32_trunc_sat_f32_s);
    plain i32_trunc_sat_f32_u: I32TruncSatF32U => |r, x| un(r, x, convert::i32_trunc_sat_f32_u);
    plain i32_trunc_sat_f64_s: I32TruncSatF64S => |r, x| un(r, x, convert::i32_trunc_sat_f64_s);
    plain i32_trunc_sat_f64_u: I32TruncSatF64U => |r, x| un(r, x, convert::i32_trunc_sat_f64_u);
    plain i64_trunc_sat_f32_s: I64TruncSatF32S => |r, x| un(r, x, convert::i64_trunc_sat_f32_s);
    plain i64_trunc_sat_f32_u: I64TruncSatF32U => |r, x| un(r, x, convert::i64_trunc_sat_f32_u);
    plain i64_trunc_sat_f64_s: I64TruncSatF64S => |r, x| un(r, x, convert::i64_trunc_sat_f64_s);
    plain i64_trunc_sat_f64_u: I64TruncSatF64U => |r, x| un(r, x, convert::i64_trunc_sat_f64_u);
}

macro_rules! memory_handlers {
    ($( $name:ident : $variant:ident, $n:literal, $how:ident $(, $conv:expr)? ;)*) => {
        $(
            fn $name(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
                let result = operands!(ip, Instr::$variant(x) => memory_handlers!(@$how r, m, x, $n $(, $conv)?));
                if result.is_err() {
                    return trap_kind(ex, TrapKind::MemoryOutOfBounds);
                }
                next!(ex, ip.next(), r, m)
            }
        )*

        fn memory_handler(instr: &Instr) -> Option<Handler> {
            Some(match instr {
                $( Instr::$variant(_) => $name, )*
                _ => return None,
            })
        }
    };
    (@load $r:ident, $m:ident, $x:ident, $n:literal, $conv:expr) => {
        super::load0::<$n>($r, $m, $x, $conv)
    };
    (@store $r:ident, $m:ident, $x:ident, $n:literal) => {
        super::store0::<$n>($r, $m, $x)
    };
    (@load_add $r:ident, $m:ident, $x:ident, $n:literal, $conv:expr) => {
        super::load0_add::<$n>($r, $m, $x, $conv)
    };
    (@store_add $r:ident, $m:ident, $x:ident, $n:literal) => {
        super::store0_add::<$n>($r, $m, $x)
    };
    (@store_imm $r:ident, $m:ident, $x:ident, $n:literal) => {
        super::store0_imm::<$n>($r, $m, $x)
    };
}

memory_handlers! {
    i32_load: I32Load, 4, load, W::u32;
    i64_load: I64Load, 8, load, W::u64;
    i32_load8_s: I32Load8S, 1, load, W::i8_to_i32;
    i32_load8_u: I32Load8U, 1, load, W::u8;
    i32_load16_s: I32Load16S, 2, load, W::i16_to_i32;
    i32_load16_u: I32Load16U, 2, load, W::u16;
    i64_load8_s: I64Load8S, 1, load, W::i8_to_i64;
    i64_load16_s: I64Load16S, 2, load, W::i16_to_i64;
    i64_load32_s: I64Load32S, 4, load, W::i32_to_i64;
    store8: Store8, 1, store;
    store16: Store16, 2, store;
    store32: Store32, 4, store;
    store64: Store64, 8, store;
    i32_load_add: I32LoadAdd, 4, load_add, W::u32;
    i64_load_add: I64LoadAdd, 8, load_add, W::u64;
    i32_load8_s_add: I32Load8SAdd, 1, load_add, W::i8_to_i32;
    i32_load8_u_add: I32Load8UAdd, 1, load_add, W::u8;
    i32_load16_s_add: I32Load16SAdd, 2, load_add, W::i16_to_i32;
    i32_load16_u_add: I32Load16UAdd, 2, load_add, W::u16;
    i64_load8_s_add: I64Load8SAdd, 1, load_add, W::i8_to_i64;
    i64_load16_s_add: I64Load16SAdd, 2, load_add, W::i16_to_i64;
    i64_load32_s_add: I64Load32SAdd, 4, load_add, W::i32_to_i64;
    store8_add: Store8Add, 1, store_add;
    store16_add: Store16Add, 2, store_add;
    store32_add: Store32Add, 4, store_add;
    store64_add: Store64Add, 8, store_add;
    store8_imm: Store8Imm, 1, store_imm;
    store16_imm: Store16Imm, 2, store_imm;
    store32_imm: Store32Imm, 4, store_imm;
    store64_imm: Store64Imm, 8, store_imm;
}

fn global_get(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    operands!(ip, Instr::GlobalGet(x) => {
        let g = ex.inst.globals[x.i as usize] as usize;
        r.set(x.d, ex.store.globals[g].value as u64);
    });
    next!(ex, ip.next(), r, m)
}

fn global_set(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    operands!(ip, Instr::GlobalSet { g, a } => {
        let g = ex.inst.globals[g as usize] as usize;
        ex.store.globals[g].value = r.get(a) as u128;
    });
    next!(ex, ip.next(), r, m)
}

fn trap_if_null(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    let a = operands!(ip, Instr::TrapIfNull { a } => a);
    if r.get(a) == 0 {
        return trap_kind(ex, TrapKind::NullReference);
    }
    next!(ex, ip.next(), r, m)
}

fn unreachable(ex: &mut Executor<'_>, _: Ip, _: Registers, _: Memory0) -> Exit {
    trap_kind(ex, TrapKind::Unreachable)
}

fn jump_to(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    let pc = operands!(ip, Instr::Jump { pc } => pc);
    jump(ex, ip, pc, r, m)
}

/// Conditional branches: jump to `pc` when the test holds, else fall through.
macro_rules! branch_handlers {
    ($( $name:ident : $pat:pat => $test:expr ;)*) => {
        $(
            fn $name(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
                let (taken, pc) = operands!(ip, $pat => $test(r));
                if taken {
                    return jump(ex, ip, pc, r, m);
                }
                next!(ex, ip.next(), r, m)
            }
        )*
    };
}

branch_handlers! {
    br_if: Instr::BrIf { c, pc } => |r: Registers| (r.get(c) != 0, pc);
    br_unless: Instr::BrUnless { c, pc } => |r: Registers| (r.get(c) == 0, pc);
}

/// Compare-and-branch handlers, one per comparison (so the comparison is
/// not a second dispatch), for each operand form.
macro_rules! compare_branch_handlers {
    ($( $cmp:ident : $i32:ident, $i32imm:ident, $i64:ident, $i64imm:ident, $f64:ident, $f64not:ident ;)*) => {
        $(
            branch_handlers! {
                $i32: Instr::BrCmp32 { a, b, pc, .. } =>
                    |r: Registers| (Cmp::$cmp.holds(r.get(a), r.get(b)), pc);
                $i32imm: Instr::BrCmp32Imm { a, imm, pc, .. } =>
                    |r: Registers| (Cmp::$cmp.holds(r.get(a), imm as u64), pc);
                $i64: Instr::BrCmp64 { a, b, pc, .. } =>
                    |r: Registers| (Cmp::$cmp.holds64(r.get(a), r.get(b)), pc);
                $i64imm: Instr::BrCmp64Imm { a, imm, pc, .. } =>
                    |r: Registers| (Cmp::$cmp.holds64(r.get(a), imm as i64 as u64), pc);
                $f64: Instr::BrCmpF64 { a, b, pc, .. } =>
                    |r: Registers| (Cmp::$cmp.holds_f64(r.get(a), r.get(b)), pc);
                $f64not: Instr::BrCmpF64 { a, b, pc, .. } =>
                    |r: Registers| (!Cmp::$cmp.holds_f64(r.get(a), r.get(b)), pc);
            }
        )*

        /// The handler of a compare-and-branch instruction, if `instr` is one.
        fn compare_branch_handler(instr: &Instr) -> Option<Handler> {
            Some(match *instr {
                $(
                    Instr::BrCmp32 { cmp: Cmp::$cmp, .. } => $i32,
                    Instr::BrCmp32Imm { cmp: Cmp::$cmp, .. } => $i32imm,
                    Instr::BrCmp64 { cmp: Cmp::$cmp, .. } => $i64,
                    Instr::BrCmp64Imm { cmp: Cmp::$cmp, .. } => $i64imm,
                    Instr::BrCmpF64 { cmp: Cmp::$cmp, negate: false, .. } => $f64,
                    Instr::BrCmpF64 { cmp: Cmp::$cmp, negate: true, .. } => $f64not,
                )*
                _ => return None,
            })
        }
    };
}

compare_branch_handlers! {
    Eq: br_eq32, br_eq32_imm, br_eq64, br_eq64_imm, br_eq_f64, br_not_eq_f64;
    Ne: br_ne32, br_ne32_imm, br_ne64, br_ne64_imm, br_ne_f64, br_not_ne_f64;
    LtS: br_lt_s32, br_lt_s32_imm, br_lt_s64, br_lt_s64_imm, br_lt_f64, br_not_lt_f64;
    LtU: br_lt_u32, br_lt_u32_imm, br_lt_u64, br_lt_u64_imm, br_lt_u_f64, br_not_lt_u_f64;
    GtS: br_gt_s32, br_gt_s32_imm, br_gt_s64, br_gt_s64_imm, br_gt_f64, br_not_gt_f64;
    GtU: br_gt_u32, br_gt_u32_imm, br_gt_u64, br_gt_u64_imm, br_gt_u_f64, br_not_gt_u_f64;
    LeS: br_le_s32, br_le_s32_imm, br_le_s64, br_le_s64_imm, br_le_f64, br_not_le_f64;
    LeU: br_le_u32, br_le_u32_imm, br_le_u64, br_le_u64_imm, br_le_u_f64, br_not_le_u_f64;
    GeS: br_ge_s32, br_ge_s32_imm, br_ge_s64, br_ge_s64_imm, br_ge_f64, br_not_ge_f64;
    GeU: br_ge_u32, br_ge_u32_imm, br_ge_u64, br_ge_u64_imm, br_ge_u_f64, br_not_ge_u_f64;
}

fn br_table(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    let (index, first, len) =
        operands!(ip, Instr::BrTable { index, first, len } => (index, first, len));
    let i = (r.get(index) as u32).min(len - 1);
    let pc = ex.code.br_targets[(first + i) as usize];
    jump(ex, ip, pc, r, m)
}

/// The handler of `instr`: its own for hot register instructions, `leave`
/// for the rest.
fn handler(instr: &Instr) -> Handler {
    if let Some(h) = numeric_handler(instr)
        .or_else(|| memory_handler(instr))
        .or_else(|| compare_branch_handler(instr))
    {
        return h;
    }
    match instr {
        Instr::GlobalGet(_) => global_get,
        Instr::GlobalSet { .. } => global_set,
        Instr::TrapIfNull { .. } => trap_if_null,
        Instr::Unreachable => unreachable,
        Instr::Jump { .. } => jump_to,
        Instr::BrIf { .. } => br_if,
        Instr::BrUnless { .. } => br_unless,
        Instr::BrTable { .. } => br_table,
        Instr::Call { .. } => call,
        Instr::CallIndirect { .. } => call_indirect,
        Instr::CallRef { .. } => call_ref,
        Instr::ReturnCall { .. } => return_call,
        Instr::ReturnCallIndirect { .. } => return_call_indirect,
        Instr::ReturnCallRef { .. } => return_call_ref,
        Instr::Return { .. } => return_,
        _ => leave,
    }
}
