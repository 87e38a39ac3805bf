//! Threaded handlers of the table's instructions (`ir/register_instrs.rs`),
//! generated from it: each runs the instruction's body from `semantics`,
//! then jumps to the next handler. Also the moves (`Copy`, `Const`,
//! `Select`). Each handler is generic over which of its operands come from
//! the accumulator (the value the previous instruction produced, passed in
//! a register) instead of the frame; the choice is made once, when the
//! code is threaded.

use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::error::TrapKind;
use crate::exec::interp::flow;
use crate::exec::interp::memory0_cache::Memory0;
use crate::exec::interp::registers::Registers;
use crate::exec::interp::semantics::{self, body};
use crate::exec::interp::Executor;
use crate::ir::{other_instr, Instr, Reg};

/// Reads slot `r` of the frame, or the accumulator when `FROM_ACC`.
macro_rules! read {
    ($flag:ident, $regs:ident, $acc:ident, $slot:expr) => {
        if $flag {
            $acc
        } else {
            $regs.get($slot)
        }
    };
}
pub(super) use read;

/// Picks the monomorph of a two-operand handler for operands `a` and `b`.
macro_rules! pick2 {
    ($name:ident, $acc:ident, $a:expr, $b:expr) => {
        match ($acc == Some($a), $acc == Some($b)) {
            (false, false) => $name::<false, false>,
            (true, false) => $name::<true, false>,
            (false, true) => $name::<false, true>,
            (true, true) => $name::<true, true>,
        }
    };
}

fn copy<const FA: bool>(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64) -> Exit {
    let x = operands!(ip, Instr::Copy(x) => x);
    let v = read!(FA, r, acc, x.a);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v)
}

fn constant(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, _: u64) -> Exit {
    let x = operands!(ip, Instr::Const(x) => x);
    r.set(x.d, x.value);
    next!(ex, ip.next(), r, m, x.value)
}

fn select<const FC: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
) -> Exit {
    let x = operands!(ip, Instr::Select(x) => x);
    let pick = if flow::select_first(read!(FC, r, acc, x.c)) {
        x.a
    } else {
        x.b
    };
    let v = r.get(pick);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v)
}

/// Picks the monomorph of a one-operand handler.
macro_rules! pick1 {
    ($name:ident, $acc:ident, $a:expr) => {
        if $acc == Some($a) {
            $name::<true> as Handler
        } else {
            $name::<false> as Handler
        }
    };
}

/// Declares a handler `$name` over the operands `x` of variant `$name`
/// (with flags `$flag`: read from the accumulator). `writes d`: the body
/// gives `Ok(value)` for slot `d`, which is also the next accumulator;
/// `stores`: the body is a memory-0 store (`Err` when out of bounds), and
/// the accumulator received goes on.
macro_rules! handler {
    ($name:ident <$($flag:ident),*> |$x:ident, $r:ident, $m:ident, $acc:ident| writes $value:expr) => {
        pub(super) fn $name<$(const $flag: bool),*>(
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, $m: Memory0, $acc: u64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            let v: u64 = match $value {
                Ok(v) => v,
                Err(kind) => return trap_kind(ex, kind),
            };
            $r.set($x.d, v);
            next!(ex, ip.next(), $r, $m, v)
        }
    };
    ($name:ident <$($flag:ident),*> |$x:ident, $r:ident, $m:ident, $acc:ident| stores $effect:expr) => {
        pub(super) fn $name<$(const $flag: bool),*>(
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, $m: Memory0, $acc: u64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            // `is_err`, not `if let Err`: the branch then compiles one
            // instruction shorter (callgrind, `sieve`).
            if $effect.is_err() {
                return trap_kind(ex, TrapKind::MemoryOutOfBounds);
            }
            next!(ex, ip.next(), $r, $m, $acc)
        }
    };
}

/// The handler of one table instruction, by its kind: which operands it
/// reads (from the frame, or the accumulator when its flag is set) and what
/// it does with its body's result.
macro_rules! table_handler {
    (un $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a))));
    };
    (un_trap $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a)).map_err(semantics::trap_kind));
    };
    (bin $name:ident) => {
        handler!($name<FA, FB> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))));
    };
    (bin_trap $name:ident) => {
        handler!($name<FA, FB> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))
                .map_err(semantics::trap_kind));
    };
    (imm32 $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), x.imm)));
    };
    (imm64 $name:ident) => {
        table_handler!(imm32 $name);
    };
    (mul_add $name:ident) => {
        handler!($name<FA, FB> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), r.get(x.c))));
    };
    (shl_add $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), x.shift, x.imm)));
    };
    (load $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.offset).map_err(|_| OOB));
    };
    (load_add $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.imm, x.offset).map_err(|_| OOB));
    };
    (load_scaled $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.shift, x.imm, x.offset).map_err(|_| OOB));
    };
    // Stores write no slot and pass the accumulator on.
    (store $name:ident) => {
        handler!($name<FA, FV> |x, r, m, acc| stores
            body::$name(m, read!(FA, r, acc, x.a), x.offset, read!(FV, r, acc, x.v)));
    };
    (store_add $name:ident) => {
        handler!($name<FA, FV> |x, r, m, acc| stores
            body::$name(m, read!(FA, r, acc, x.a), x.imm, x.offset, read!(FV, r, acc, x.v)));
    };
    (store_imm $name:ident) => {
        handler!($name<FA> |x, r, m, acc| stores
            body::$name(m, read!(FA, r, acc, x.a), x.offset, x.value));
    };
}

/// The monomorph of a table instruction's handler for the slot `acc` the
/// accumulator holds: by its kind, which operands may come from it.
macro_rules! pick {
    (bin $name:ident, $acc:ident, $x:ident) => {
        pick2!($name, $acc, $x.a, $x.b)
    };
    (bin_trap $name:ident, $acc:ident, $x:ident) => {
        pick2!($name, $acc, $x.a, $x.b)
    };
    (mul_add $name:ident, $acc:ident, $x:ident) => {
        pick2!($name, $acc, $x.a, $x.b)
    };
    (store $name:ident, $acc:ident, $x:ident) => {
        pick2!($name, $acc, $x.a, $x.v)
    };
    (store_add $name:ident, $acc:ident, $x:ident) => {
        pick2!($name, $acc, $x.a, $x.v)
    };
    // Every other kind reads at most `a` from the accumulator.
    ($kind:ident $name:ident, $acc:ident, $x:ident) => {
        pick1!($name, $acc, $x.a)
    };
}

/// One handler per table instruction, and the choice of its monomorph.
macro_rules! table_handlers {
    (
        instrs { $( $(#[$d:meta])* $name:ident($shape:ident) $kind:ident [$($args:tt)*] )* }
        $($operators:tt)*
    ) => {
        #[allow(non_snake_case)]
        mod handlers {
            use super::*;
            const OOB: TrapKind = TrapKind::MemoryOutOfBounds;

            $( table_handler!($kind $name); )*
        }

        /// The handler of a table instruction or a move; `acc` is the slot
        /// whose value the accumulator holds on entry, if any. `None` for
        /// the others (`control::handler` names each of them).
        pub(super) fn handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            use handlers::*;
            Some(match *instr {
                $( Instr::$name(x) => pick!($kind $name, acc, x), )*
                Instr::Copy(x) => pick1!(copy, acc, x.a),
                Instr::Const(_) => constant as Handler,
                // The condition is the operand most often just computed.
                Instr::Select(x) => pick1!(select, acc, x.c),
                Instr::GlobalGet(_) | other_instr!() => return None,
            })
        }
    };
}

crate::for_each_register_instr!(table_handlers! {});
