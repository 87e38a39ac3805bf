//! Threaded handlers of the table's instructions (`exec/instr/register_instrs.rs`),
//! generated from it: each runs the instruction's body from `semantics`,
//! then jumps to the next handler. Also the moves (`Copy`, `Const`,
//! `Select`). Each handler is generic over which of its operands come from
//! the accumulator (the value the previous instruction produced, passed in
//! a register) instead of the frame; the choice is made once, when the
//! code is threaded.

use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::error::TrapKind;
use crate::exec::instr::{Instr, Reg};
use crate::exec::interp::flow;
use crate::exec::interp::memory0_cache::Memory0;
use crate::exec::interp::registers::Registers;
use crate::exec::interp::semantics::{self, body};
use crate::exec::interp::Executor;

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

/// One handler per table instruction, and the choice of its monomorph.
macro_rules! table_handlers {
    (
        un { $( $(#[$und:meta])* $un:ident = $unf:path ),* $(,)? }
        un_trap { $( $(#[$utd:meta])* $ut:ident = $utf:path ),* $(,)? }
        bin { $( $(#[$bd:meta])* $bn:ident = $bf:path $(=> $bform:expr)? ),* $(,)? }
        bin_trap { $( $(#[$btd:meta])* $bt:ident = $btf:path $(=> $btform:expr)? ),* $(,)? }
        imm32 { $( $(#[$i32d:meta])* $i32n:ident = $i32f:path ),* $(,)? }
        imm64 { $( $(#[$i64d:meta])* $i64n:ident = $i64f:path ),* $(,)? }
        mul_add { $( $(#[$mad:meta])* $ma:ident = $maf:path ),* $(,)? }
        load { $( $(#[$ld:meta])* $ln:ident($lnb:literal, $lw:path) ),* $(,)? }
        load_add { $( $(#[$lad:meta])* $la:ident($lab:literal, $law:path) ),* $(,)? }
        store { $( $(#[$sd:meta])* $sn:ident($snb:literal) ),* $(,)? }
        store_add { $( $(#[$sad:meta])* $sa:ident($sab:literal) ),* $(,)? }
        store_imm { $( $(#[$sid:meta])* $si:ident($sib:literal) ),* $(,)? }
        shl_add { $( $(#[$shd:meta])* $sh:ident = $shf:path ),* $(,)? }
        load_scaled { $( $(#[$lsd:meta])* $ls:ident($lsb:literal, $lsw:path) ),* $(,)? }
    ) => {
        #[allow(non_snake_case)]
        mod handlers {
            use super::*;
            const OOB: TrapKind = TrapKind::MemoryOutOfBounds;

            $( handler!($un<FA> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$un(read!(FA, r, acc, x.a)))); )*
            $( handler!($ut<FA> |x, r, m, acc| writes
                body::$ut(read!(FA, r, acc, x.a)).map_err(semantics::trap_kind)); )*
            $( handler!($bn<FA, FB> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$bn(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b)))); )*
            $( handler!($bt<FA, FB> |x, r, m, acc| writes
                body::$bt(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))
                    .map_err(semantics::trap_kind)); )*
            $( handler!($i32n<FA> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$i32n(read!(FA, r, acc, x.a), x.imm))); )*
            $( handler!($i64n<FA> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$i64n(read!(FA, r, acc, x.a), x.imm))); )*
            $( handler!($ma<FA, FB> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$ma(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), r.get(x.c)))); )*
            $( handler!($ln<FA> |x, r, m, acc| writes
                body::$ln(m, read!(FA, r, acc, x.a), x.offset).map_err(|_| OOB)); )*
            $( handler!($la<FA> |x, r, m, acc| writes
                body::$la(m, read!(FA, r, acc, x.a), x.imm, x.offset).map_err(|_| OOB)); )*
            // Stores write no slot and pass the accumulator on.
            $( handler!($sn<FA, FV> |x, r, m, acc| stores
                body::$sn(m, read!(FA, r, acc, x.a), x.offset, read!(FV, r, acc, x.v))); )*
            $( handler!($sa<FA, FV> |x, r, m, acc| stores
                body::$sa(m, read!(FA, r, acc, x.a), x.imm, x.offset, read!(FV, r, acc, x.v))); )*
            $( handler!($si<FA> |x, r, m, acc| stores
                body::$si(m, read!(FA, r, acc, x.a), x.offset, x.value)); )*
            $( handler!($sh<FA> |x, r, m, acc| writes
                Ok::<u64, TrapKind>(body::$sh(read!(FA, r, acc, x.a), x.shift, x.imm))); )*
            $( handler!($ls<FA> |x, r, m, acc| writes
                body::$ls(m, read!(FA, r, acc, x.a), x.shift, x.imm, x.offset).map_err(|_| OOB)); )*
        }

        /// The handler of a table instruction; `acc` is the slot whose value
        /// the accumulator holds on entry, if any. `None` for the others.
        pub(super) fn handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            use handlers::*;
            Some(match *instr {
                $( Instr::$un(x) => pick1!($un, acc, x.a), )*
                $( Instr::$ut(x) => pick1!($ut, acc, x.a), )*
                $( Instr::$bn(x) => pick2!($bn, acc, x.a, x.b), )*
                $( Instr::$bt(x) => pick2!($bt, acc, x.a, x.b), )*
                $( Instr::$i32n(x) => pick1!($i32n, acc, x.a), )*
                $( Instr::$i64n(x) => pick1!($i64n, acc, x.a), )*
                $( Instr::$ma(x) => pick2!($ma, acc, x.a, x.b), )*
                $( Instr::$ln(x) => pick1!($ln, acc, x.a), )*
                $( Instr::$la(x) => pick1!($la, acc, x.a), )*
                $( Instr::$sn(x) => pick2!($sn, acc, x.a, x.v), )*
                $( Instr::$sa(x) => pick2!($sa, acc, x.a, x.v), )*
                $( Instr::$si(x) => pick1!($si, acc, x.a), )*
                $( Instr::$sh(x) => pick1!($sh, acc, x.a), )*
                $( Instr::$ls(x) => pick1!($ls, acc, x.a), )*
                Instr::Copy(x) => pick1!(copy, acc, x.a),
                Instr::Const(_) => constant as Handler,
                // The condition is the operand most often just computed.
                Instr::Select(x) => pick1!(select, acc, x.c),
                _ => return None,
            })
        }
    };
}

crate::for_each_register_instr!(table_handlers! {});
