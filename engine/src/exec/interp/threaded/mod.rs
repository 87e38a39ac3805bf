//! Threaded dispatch: every hot register instruction has its own handler,
//! which ends by jumping straight to the next instruction's handler.
//!
//! The `match` loop funnels every instruction through one indirect jump,
//! which the CPU predicts poorly and which costs a table lookup. Here each
//! handler ends in its own indirect jump (a tail call that LLVM turns into
//! a plain `jmp`; see `build.rs` for when that is guaranteed), so the
//! prediction of what follows each instruction is kept per instruction.
//!
//! Handlers also pass an *accumulator*: the value the previous instruction
//! wrote, in a register. When an instruction reads the slot its predecessor
//! just wrote, and no branch can arrive between them, it is given the
//! monomorph of its handler that takes that operand from the accumulator,
//! which spares the load and, more, the wait for the store to reach it.
//! The frame slot is still written, so nothing else depends on this.
//!
//! There are two accumulators: `acc`, a general register, and `facc`, an
//! `f64` (a vector register: `xmm0` on x86-64), which only the `f64`
//! arithmetic handlers write and read (`generated::float_fast!`), so a chain
//! of float operations never moves its values between register files. A
//! handler that does not touch `facc` passes it on untouched, which costs
//! nothing. `FuncCode::thread` tracks which of the two holds the slot just
//! written ([`AccReg`]); a handler that cannot read the float one is chosen
//! as if the accumulator were unknown, and reads the frame.
//!
//! Calls and returns switch frames without leaving. Cold instructions
//! (stack mode) have the `leave` handler: threaded execution returns to the
//! `match` loop, which runs that instruction and then comes back here.

mod control;
mod generated;

use std::ptr::NonNull;

use super::memory0_cache::Memory0;
use super::registers::Registers;
use super::Executor;
use crate::error::{RuntimeError, TrapKind};
use crate::exec::code::{AccReg, Accumulator, DispatchFn, Op};
use crate::ir::{Instr, Reg};

/// A dispatch handler: runs the instruction at `ip` and, unless it leaves threaded
/// execution, the ones after it.
/// `acc` and `facc` are the accumulators (see the module docs).
pub(crate) type Handler =
    for<'e, 's> fn(&'e mut Executor<'s>, Ip, Registers, Memory0, u64, f64) -> Exit;

/// `h` with its type erased, to be stored in an [`Op`].
#[inline(always)]
fn erase(h: Handler) -> DispatchFn {
    // SAFETY: `h` is a `Handler`, which is what `from_raw` asks for; casting
    // it to `fn()` only changes the pointer's type (both are one code
    // address), and it is called only as a `Handler` again (`handler_of`).
    unsafe { DispatchFn::from_raw(std::mem::transmute::<Handler, fn()>(h)) }
}

/// The handler of `op`, as [`erase`] stored it.
#[inline(always)]
fn handler_of(op: &Op) -> Handler {
    // SAFETY: every `DispatchFn` comes from `erase` (its constructor is
    // unsafe and `erase` is its only caller), so the pointer is a `Handler`
    // and this transmute restores its own type. A fn-pointer cast: no
    // instruction at dispatch.
    unsafe { std::mem::transmute::<fn(), Handler>(op.dispatch().raw()) }
}

/// The handler for `instr` (what `FuncCode::finish` stores beside it), and
/// the accumulator it leaves the slot it writes in; `acc` is the slot its
/// predecessor wrote, when that value is in an accumulator on every way
/// into `instr`. `at` is the instruction's index in its function.
pub(crate) fn select(instr: &Instr, acc: Accumulator, at: usize) -> (DispatchFn, AccReg) {
    let (h, written_to) = handler(instr, acc, at);
    (erase(h), written_to)
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

    /// The running instruction's handler.
    #[inline(always)]
    fn handler(self) -> Handler {
        handler_of(self.op())
    }

    #[inline(always)]
    fn next(self) -> Ip {
        // SAFETY: the op at `self` is not the function's last (which never
        // falls through), so the next one exists.
        Ip(unsafe { self.0.add(1) })
    }

    /// The op's address.
    #[inline(always)]
    pub(super) fn as_ptr(self) -> *const Op {
        self.0.as_ptr()
    }

    /// Index of this op in the running code, whose ops start at `start`.
    fn index(self, start: *const Op) -> usize {
        // SAFETY: both point into the running code's ops.
        unsafe { self.0.as_ptr().offset_from(start) as usize }
    }
}

/// Runs from `ip` until a cold instruction or a trap.
#[cfg_attr(not(touchstone_threaded), allow(dead_code))]
#[inline(always)]
pub(super) fn run(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0) -> Exit {
    // Entry points (a function's start, the instruction after a cold one or
    // a call) never read the accumulator.
    ip.handler()(ex, ip, r, m, 0, 0.0)
}

/// Jumps to the handler at `$ip`, passing the accumulators on.
macro_rules! next {
    ($ex:ident, $ip:expr, $r:ident, $m:ident, $acc:expr, $facc:expr) => {{
        let ip = $ip;
        return ip.handler()($ex, ip, $r, $m, $acc, $facc);
    }};
}
use next;

/// Binds the operands of the handler's own variant.
macro_rules! operands {
    ($ip:ident, $pat:pat => $body:expr) => {
        match $ip.op().instr {
            $pat => $body,
            // SAFETY: an op's handler is chosen by `handler` from its own
            // instruction (`select`, called by `FuncCode::finish` with the
            // instruction it stores beside it; `Op`'s fields are private), and every
            // handler binds the variant `handler` chose it for.
            #[cfg(not(feature = "checked-dispatch"))]
            _ => unsafe { std::hint::unreachable_unchecked() },
            // That pairing is written by hand in `control::handler`; CI runs
            // the engine's tests with this feature, so a handler paired with
            // another instruction panics there instead.
            #[cfg(feature = "checked-dispatch")]
            _ => unreachable!("a threaded handler ran for another instruction"),
        }
    };
}
use operands;

#[cold]
#[inline(never)]
fn trap(ex: &mut Executor<'_>, e: RuntimeError) -> Exit {
    ex.trap = Some(e);
    Exit::Trap
}

fn leave(ex: &mut Executor<'_>, ip: Ip, _: Registers, _: Memory0, _: u64, _: f64) -> Exit {
    ex.pc = ip.index(ex.ops);
    Exit::Cold
}

#[cold]
#[inline(never)]
fn trap_kind(ex: &mut Executor<'_>, kind: TrapKind) -> Exit {
    trap(ex, RuntimeError::new(kind))
}

/// The handler of `instr`: its own for hot register instructions, `leave`
/// for the rest (`control::handler` names every instruction outside the
/// table, so none is forgotten); and the accumulator it writes to.
fn handler(instr: &Instr, acc: Accumulator, at: usize) -> (Handler, AccReg) {
    generated::handler(instr, acc)
        .unwrap_or_else(|| (control::handler(instr, acc, at), AccReg::Int))
}

/// The slot the general accumulator holds on entry, if any: what a handler
/// that cannot read the float accumulator is chosen by.
fn int_slot(acc: Accumulator) -> Option<Reg> {
    acc.and_then(|(slot, reg)| (reg == AccReg::Int).then_some(slot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erased_handler_reads_back_as_itself() {
        let op_of = |instr| {
            let mut code = crate::exec::code::FuncCode {
                instrs: vec![instr],
                ..Default::default()
            };
            assert!(code.finish(select));
            code.ops[0]
        };
        let (trap, ret) = (Instr::Unreachable, Instr::Return { from: 0, n: 0 });
        let (trap_h, ret_h) = (handler(&trap, None, 0).0, handler(&ret, None, 0).0);
        assert!(!std::ptr::fn_addr_eq(trap_h, ret_h));
        assert!(std::ptr::fn_addr_eq(handler_of(&op_of(trap)), trap_h));
        assert!(std::ptr::fn_addr_eq(handler_of(&op_of(ret)), ret_h));
    }
}
