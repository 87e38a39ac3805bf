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
        handler!($name = $name<$($flag),*> |$x, $r, $m, $acc| writes $value);
    };
    ($fn_name:ident = $name:ident <$($flag:ident),*> |$x:ident, $r:ident, $m:ident, $acc:ident| writes $value:expr) => {
        pub(super) fn $fn_name<$(const $flag: bool),*>(
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
    // Float arithmetic with a host fast path (see `float_fast!`).
    (bin F64Add) => { float_fast!(bin F64Add f64 |a, b| a + b); };
    (bin F64Sub) => { float_fast!(bin F64Sub f64 |a, b| a - b); };
    (bin F64Mul) => { float_fast!(bin F64Mul f64 |a, b| a * b); };
    (bin F64Div) => { float_fast!(bin F64Div f64 |a, b| a / b); };
    (imm64 F64AddImm) => { float_fast!(imm64 F64AddImm f64 |a, b| a + b); };
    (imm64 F64SubImm) => { float_fast!(imm64 F64SubImm f64 |a, b| a - b); };
    (imm64 F64MulImm) => { float_fast!(imm64 F64MulImm f64 |a, b| a * b); };
    (imm64 F64DivImm) => { float_fast!(imm64 F64DivImm f64 |a, b| a / b); };
    (imm64 F64RSubImm) => { float_fast!(imm64 F64RSubImm f64 |a, b| b - a); };
    (imm64 F64RDivImm) => { float_fast!(imm64 F64RDivImm f64 |a, b| b / a); };
    (mul_add F64MulAdd) => { float_fast!(mul_add F64MulAdd f64 |a, b, c| a * b + c); };
    (mul_add F64AddMul) => { float_fast!(mul_add F64AddMul f64 |a, b, c| c + a * b); };
    (mul_add F64SubMul) => { float_fast!(mul_add F64SubMul f64 |a, b, c| c - a * b); };
    (mul_add F64MulSub) => { float_fast!(mul_add F64MulSub f64 |a, b, c| a * b - c); };
    (un F64Sqrt) => { float_fast!(un F64Sqrt f64 |a| a.sqrt()); };
    (bin F32Add) => { float_fast!(bin F32Add f32 |a, b| a + b); };
    (bin F32Sub) => { float_fast!(bin F32Sub f32 |a, b| a - b); };
    (bin F32Mul) => { float_fast!(bin F32Mul f32 |a, b| a * b); };
    (bin F32Div) => { float_fast!(bin F32Div f32 |a, b| a / b); };
    (imm64 F32AddImm) => { float_fast!(imm64 F32AddImm f32 |a, b| a + b); };
    (imm64 F32SubImm) => { float_fast!(imm64 F32SubImm f32 |a, b| a - b); };
    (imm64 F32MulImm) => { float_fast!(imm64 F32MulImm f32 |a, b| a * b); };
    (imm64 F32DivImm) => { float_fast!(imm64 F32DivImm f32 |a, b| a / b); };
    (imm64 F32RSubImm) => { float_fast!(imm64 F32RSubImm f32 |a, b| b - a); };
    (imm64 F32RDivImm) => { float_fast!(imm64 F32RDivImm f32 |a, b| b / a); };
    (mul_add F32MulAdd) => { float_fast!(mul_add F32MulAdd f32 |a, b, c| a * b + c); };
    (mul_add F32AddMul) => { float_fast!(mul_add F32AddMul f32 |a, b, c| c + a * b); };
    (mul_add F32SubMul) => { float_fast!(mul_add F32SubMul f32 |a, b, c| c - a * b); };
    (mul_add F32MulSub) => { float_fast!(mul_add F32MulSub f32 |a, b, c| a * b - c); };
    (un F32Sqrt) => { float_fast!(un F32Sqrt f32 |a| a.sqrt()); };
    // The exact handler of a `float_fast!` instruction, named `exact`.
    (@exact $kind:ident $name:ident) => {
        table_handler!(@named exact = $kind $name);
    };
    (un $name:ident) => {
        table_handler!(@named $name = un $name);
    };
    (@named $fn_name:ident = un $name:ident) => {
        handler!($fn_name = $name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a))));
    };
    (un_trap $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a)).map_err(semantics::trap_kind));
    };
    (bin $name:ident) => {
        table_handler!(@named $name = bin $name);
    };
    (@named $fn_name:ident = bin $name:ident) => {
        handler!($fn_name = $name<FA, FB> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))));
    };
    (bin_trap $name:ident) => {
        handler!($name<FA, FB> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))
                .map_err(semantics::trap_kind));
    };
    (imm32 $name:ident) => {
        table_handler!(@named $name = imm32 $name);
    };
    (@named $fn_name:ident = imm32 $name:ident) => {
        handler!($fn_name = $name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), x.imm)));
    };
    (imm64 $name:ident) => {
        table_handler!(@named $name = imm32 $name);
    };
    (@named $fn_name:ident = imm64 $name:ident) => {
        table_handler!(@named $fn_name = imm32 $name);
    };
    (mul_add $name:ident) => {
        table_handler!(@named $name = mul_add $name);
    };
    (@named $fn_name:ident = mul_add $name:ident) => {
        handler!($fn_name = $name<FA, FB> |x, r, m, acc| writes
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
    (load_at $name:ident) => {
        handler!($name<> |x, r, m, _acc| writes
            body::$name(m, x.addr).map_err(|_| OOB));
    };
    // Stores write no slot and pass the accumulator on.
    (store_at $name:ident) => {
        handler!($name<FV> |x, r, m, acc| stores
            body::$name(m, x.addr, read!(FV, r, acc, x.v)));
    };
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

/// A float arithmetic handler with a fast path: the host's IEEE result,
/// which is the instruction's exact result whenever it is not NaN (the
/// operators in `exec::numeric` compute with the host and replace only a NaN
/// result by their deterministic choice: see `numeric::f64`). A NaN result
/// leaves, by a tail call, for `exact`, the handler running the
/// instruction's semantic body on the same operands (nothing was written
/// yet). So the fast path keeps no copy of the operands for the NaN rules,
/// which saved 3-4 x86 instructions of about 16 per float handler.
/// `|a, b|` (or `|a|`, `|a, b, c|`) is the host operation on the operand
/// values, in the order the semantic body takes them.
macro_rules! float_fast {
    (un $name:ident $ty:ident |$a:ident| $host:expr) => {
        float_fast!(@handler $name $ty [FA] |x, r, acc| [$a = read!(FA, r, acc, x.a)] $host);
        pub(super) mod $name {
            use super::*;
            table_handler!(@exact un $name);
        }
    };
    (bin $name:ident $ty:ident |$a:ident, $b:ident| $host:expr) => {
        float_fast!(@handler $name $ty [FA, FB] |x, r, acc|
            [$a = read!(FA, r, acc, x.a), $b = read!(FB, r, acc, x.b)] $host);
        pub(super) mod $name {
            use super::*;
            table_handler!(@exact bin $name);
        }
    };
    (imm64 $name:ident $ty:ident |$a:ident, $b:ident| $host:expr) => {
        float_fast!(@handler $name $ty [FA] |x, r, acc|
            [$a = read!(FA, r, acc, x.a), $b = x.imm] $host);
        pub(super) mod $name {
            use super::*;
            table_handler!(@exact imm64 $name);
        }
    };
    (mul_add $name:ident $ty:ident |$a:ident, $b:ident, $c:ident| $host:expr) => {
        float_fast!(@handler $name $ty [FA, FB] |x, r, acc|
            [$a = read!(FA, r, acc, x.a), $b = read!(FB, r, acc, x.b), $c = r.get(x.c)] $host);
        pub(super) mod $name {
            use super::*;
            table_handler!(@exact mul_add $name);
        }
    };
    (@handler $name:ident $ty:ident [$($flag:ident),*] |$x:ident, $r:ident, $acc:ident|
        [$($v:ident = $read:expr),*] $host:expr
    ) => {
        pub(super) fn $name<$(const $flag: bool),*>(
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, m: Memory0, $acc: u64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            $( let $v = <$ty as semantics::Slot>::from_slot($read); )*
            let v: $ty = $host;
            if v.is_nan() {
                return $name::exact::<$($flag),*>(ex, ip, $r, m, $acc);
            }
            let v = semantics::Slot::to_slot(v);
            $r.set($x.d, v);
            next!(ex, ip.next(), $r, m, v)
        }
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
    // Reads no slot.
    (load_at $name:ident, $acc:ident, $x:ident) => {{
        let _ = ($acc, $x);
        $name as Handler
    }};
    (store_at $name:ident, $acc:ident, $x:ident) => {
        pick1!($name, $acc, $x.v)
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
