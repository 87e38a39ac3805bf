//! Threaded handlers of the table's instructions (`ir/register_instrs.rs`),
//! generated from it: each runs the instruction's body from `semantics`,
//! then jumps to the next handler. Also the moves (`Copy`, `Const`,
//! `Select`). Each handler is generic over which of its operands come from
//! the accumulator (the value the previous instruction produced, passed in
//! a register) instead of the frame; the choice is made once, when the
//! code is threaded.

use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::error::TrapKind;
use crate::exec::code::{AccReg, Accumulator};
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

fn copy<const FA: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let x = operands!(ip, Instr::Copy(x) => x);
    let v = read!(FA, r, acc, x.a);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v, facc)
}

fn constant(ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, _: u64, facc: f64) -> Exit {
    let x = operands!(ip, Instr::Const(x) => x);
    r.set(x.d, x.value);
    next!(ex, ip.next(), r, m, x.value, facc)
}

fn select<const FC: bool>(
    ex: &mut Executor<'_>,
    ip: Ip,
    r: Registers,
    m: Memory0,
    acc: u64,
    facc: f64,
) -> Exit {
    let x = operands!(ip, Instr::Select(x) => x);
    let pick = if flow::select_first(read!(FC, r, acc, x.c)) {
        x.a
    } else {
        x.b
    };
    let v = r.get(pick);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v, facc)
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
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, $m: Memory0, $acc: u64, facc: f64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            let v: u64 = match $value {
                Ok(v) => v,
                Err(kind) => return trap_kind(ex, kind),
            };
            $r.set($x.d, v);
            next!(ex, ip.next(), $r, $m, v, facc)
        }
    };
    (
        $name:ident <$($flag:ident),*> |$x:ident, $r:ident, $m:ident, $acc:ident, $facc:ident|
        stores $effect:expr
    ) => {
        pub(super) fn $name<$(const $flag: u8),*>(
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, $m: Memory0, $acc: u64, $facc: f64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            // `is_err`, not `if let Err`: the branch then compiles one
            // instruction shorter (callgrind, `sieve`).
            if $effect.is_err() {
                return trap_kind(ex, TrapKind::MemoryOutOfBounds);
            }
            next!(ex, ip.next(), $r, $m, $acc, $facc)
        }
    };
}

/// The handler of one table instruction, by its kind: which operands it
/// reads (from the frame, or the accumulator when its flag is set) and what
/// it does with its body's result. Mode `def` defines it; mode `pick`
/// chooses its monomorph and says which accumulator it writes.
macro_rules! table_handler {
    // Float arithmetic with a host fast path (see `float_fast!`).
    ($mode:ident bin F64Add $($pick:tt)*) => { float_fast! { $mode bin F64Add f64 |a, b| a + b; $($pick)* } };
    ($mode:ident bin F64Sub $($pick:tt)*) => { float_fast! { $mode bin F64Sub f64 |a, b| a - b; $($pick)* } };
    ($mode:ident bin F64Mul $($pick:tt)*) => { float_fast! { $mode bin F64Mul f64 |a, b| a * b; $($pick)* } };
    ($mode:ident bin F64Div $($pick:tt)*) => { float_fast! { $mode bin F64Div f64 |a, b| a / b; $($pick)* } };
    ($mode:ident imm64 F64AddImm $($pick:tt)*) => { float_fast! { $mode imm64 F64AddImm f64 |a, b| a + b; $($pick)* } };
    ($mode:ident imm64 F64SubImm $($pick:tt)*) => { float_fast! { $mode imm64 F64SubImm f64 |a, b| a - b; $($pick)* } };
    ($mode:ident imm64 F64MulImm $($pick:tt)*) => { float_fast! { $mode imm64 F64MulImm f64 |a, b| a * b; $($pick)* } };
    ($mode:ident imm64 F64DivImm $($pick:tt)*) => { float_fast! { $mode imm64 F64DivImm f64 |a, b| a / b; $($pick)* } };
    ($mode:ident imm64 F64RSubImm $($pick:tt)*) => { float_fast! { $mode imm64 F64RSubImm f64 |a, b| b - a; $($pick)* } };
    ($mode:ident imm64 F64RDivImm $($pick:tt)*) => { float_fast! { $mode imm64 F64RDivImm f64 |a, b| b / a; $($pick)* } };
    ($mode:ident mul_add F64MulAdd $($pick:tt)*) => { float_fast! { $mode mul_add F64MulAdd f64 |a, b, c| a * b + c; $($pick)* } };
    ($mode:ident mul_add F64AddMul $($pick:tt)*) => { float_fast! { $mode mul_add F64AddMul f64 |a, b, c| c + a * b; $($pick)* } };
    ($mode:ident mul_add F64SubMul $($pick:tt)*) => { float_fast! { $mode mul_add F64SubMul f64 |a, b, c| c - a * b; $($pick)* } };
    ($mode:ident mul_add F64MulSub $($pick:tt)*) => { float_fast! { $mode mul_add F64MulSub f64 |a, b, c| a * b - c; $($pick)* } };
    ($mode:ident un F64Sqrt $($pick:tt)*) => { float_fast! { $mode un F64Sqrt f64 |a| a.sqrt(); $($pick)* } };
    ($mode:ident bin F32Add $($pick:tt)*) => { float_fast! { $mode bin F32Add f32 |a, b| a + b; $($pick)* } };
    ($mode:ident bin F32Sub $($pick:tt)*) => { float_fast! { $mode bin F32Sub f32 |a, b| a - b; $($pick)* } };
    ($mode:ident bin F32Mul $($pick:tt)*) => { float_fast! { $mode bin F32Mul f32 |a, b| a * b; $($pick)* } };
    ($mode:ident bin F32Div $($pick:tt)*) => { float_fast! { $mode bin F32Div f32 |a, b| a / b; $($pick)* } };
    ($mode:ident imm64 F32AddImm $($pick:tt)*) => { float_fast! { $mode imm64 F32AddImm f32 |a, b| a + b; $($pick)* } };
    ($mode:ident imm64 F32SubImm $($pick:tt)*) => { float_fast! { $mode imm64 F32SubImm f32 |a, b| a - b; $($pick)* } };
    ($mode:ident imm64 F32MulImm $($pick:tt)*) => { float_fast! { $mode imm64 F32MulImm f32 |a, b| a * b; $($pick)* } };
    ($mode:ident imm64 F32DivImm $($pick:tt)*) => { float_fast! { $mode imm64 F32DivImm f32 |a, b| a / b; $($pick)* } };
    ($mode:ident imm64 F32RSubImm $($pick:tt)*) => { float_fast! { $mode imm64 F32RSubImm f32 |a, b| b - a; $($pick)* } };
    ($mode:ident imm64 F32RDivImm $($pick:tt)*) => { float_fast! { $mode imm64 F32RDivImm f32 |a, b| b / a; $($pick)* } };
    ($mode:ident mul_add F32MulAdd $($pick:tt)*) => { float_fast! { $mode mul_add F32MulAdd f32 |a, b, c| a * b + c; $($pick)* } };
    ($mode:ident mul_add F32AddMul $($pick:tt)*) => { float_fast! { $mode mul_add F32AddMul f32 |a, b, c| c + a * b; $($pick)* } };
    ($mode:ident mul_add F32SubMul $($pick:tt)*) => { float_fast! { $mode mul_add F32SubMul f32 |a, b, c| c - a * b; $($pick)* } };
    ($mode:ident mul_add F32MulSub $($pick:tt)*) => { float_fast! { $mode mul_add F32MulSub f32 |a, b, c| a * b - c; $($pick)* } };
    ($mode:ident un F32Sqrt $($pick:tt)*) => { float_fast! { $mode un F32Sqrt f32 |a| a.sqrt(); $($pick)* } };
    (def un $name:ident) => {
        table_handler!(@named $name = un $name);
    };
    (@named $fn_name:ident = un $name:ident) => {
        handler!($fn_name = $name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a))));
    };
    (def un_trap $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a)).map_err(semantics::trap_kind));
    };
    (def bin $name:ident) => {
        table_handler!(@named $name = bin $name);
    };
    (@named $fn_name:ident = bin $name:ident) => {
        handler!($fn_name = $name<FA, FB> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))));
    };
    (def bin_trap $name:ident) => {
        handler!($name<FA, FB> |x, r, m, acc| writes
            body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b))
                .map_err(semantics::trap_kind));
    };
    (def imm32 $name:ident) => {
        table_handler!(@named $name = imm32 $name);
    };
    (@named $fn_name:ident = imm32 $name:ident) => {
        handler!($fn_name = $name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), x.imm)));
    };
    (def imm64 $name:ident) => {
        table_handler!(@named $name = imm32 $name);
    };
    (def mul_add $name:ident) => {
        table_handler!(@named $name = mul_add $name);
    };
    (@named $fn_name:ident = mul_add $name:ident) => {
        handler!($fn_name = $name<FA, FB> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), r.get(x.c))));
    };
    (def shl_add $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            Ok::<u64, TrapKind>(body::$name(read!(FA, r, acc, x.a), x.shift, x.imm)));
    };
    (def load $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.offset).map_err(|_| OOB));
    };
    (def load_add $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.imm, x.offset).map_err(|_| OOB));
    };
    (def load_scaled $name:ident) => {
        handler!($name<FA> |x, r, m, acc| writes
            body::$name(m, read!(FA, r, acc, x.a), x.shift, x.imm, x.offset).map_err(|_| OOB));
    };
    (def load_at $name:ident) => {
        handler!($name<> |x, r, m, _acc| writes
            body::$name(m, x.addr).map_err(|_| OOB));
    };
    // Stores write no slot and pass both accumulators on. Their flags are
    // [`Source`]s: the value stored may come from the float accumulator.
    (def store_at $name:ident) => {
        handler!($name<SV> |x, r, m, acc, facc| stores
            body::$name(m, x.addr, read_src!(SV, r, acc, facc, x.v)));
    };
    (def store $name:ident) => {
        handler!($name<SA, SV> |x, r, m, acc, facc| stores
            body::$name(m, read_src!(SA, r, acc, facc, x.a), x.offset,
                read_src!(SV, r, acc, facc, x.v)));
    };
    (def store_add $name:ident) => {
        handler!($name<SA, SV> |x, r, m, acc, facc| stores
            body::$name(m, read_src!(SA, r, acc, facc, x.a), x.imm, x.offset,
                read_src!(SV, r, acc, facc, x.v)));
    };
    (def store_imm $name:ident) => {
        handler!($name<SA> |x, r, m, acc, facc| stores
            body::$name(m, read_src!(SA, r, acc, facc, x.a), x.offset, x.value));
    };
    (pick store $name:ident, $acc:ident, $int:ident, $x:ident) => {
        (pick_store!($name, Source::int($acc, $x.a), Source::of::<f64>($acc, $x.v)), AccReg::Int)
    };
    (pick store_add $name:ident, $acc:ident, $int:ident, $x:ident) => {
        (pick_store!($name, Source::int($acc, $x.a), Source::of::<f64>($acc, $x.v)), AccReg::Int)
    };
    (pick store_at $name:ident, $acc:ident, $int:ident, $x:ident) => {
        (pick_src!(f64 $name [Source::of::<f64>($acc, $x.v)]), AccReg::Int)
    };
    (pick store_imm $name:ident, $acc:ident, $int:ident, $x:ident) => {
        (pick_src!(int $name [Source::int($acc, $x.a)]), AccReg::Int)
    };
    // The choice of the monomorph of every other table instruction, which
    // reads only the general accumulator (`$int`).
    (pick $kind:ident $name:ident, $acc:ident, $int:ident, $x:ident) => {
        (pick!($kind $name, $int, $x), AccReg::Int)
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
///
/// Each operand flag is a [`Source`]; the result is left in the accumulator
/// its type names ([`FloatAcc`]): `f64` results in the float one, so `f64`
/// chains never move values between register files. Mode `def` defines the
/// handlers, mode `pick` chooses the monomorph for the accumulator on entry.
macro_rules! float_fast {
    (def un $name:ident $ty:ident |$a:ident| $host:expr;) => {
        float_fast!(@handler $name $ty [SA] |x, r, acc, facc|
            [$a = read_src!(SA, r, acc, facc, x.a)] $host);
    };
    (def bin $name:ident $ty:ident |$a:ident, $b:ident| $host:expr;) => {
        float_fast!(@handler $name $ty [SA, SB] |x, r, acc, facc|
            [$a = read_src!(SA, r, acc, facc, x.a), $b = read_src!(SB, r, acc, facc, x.b)] $host);
    };
    (def imm64 $name:ident $ty:ident |$a:ident, $b:ident| $host:expr;) => {
        float_fast!(@handler $name $ty [SA] |x, r, acc, facc|
            [$a = read_src!(SA, r, acc, facc, x.a), $b = x.imm] $host);
    };
    (def mul_add $name:ident $ty:ident |$a:ident, $b:ident, $c:ident| $host:expr;) => {
        float_fast!(@handler $name $ty [SA, SB] |x, r, acc, facc|
            [$a = read_src!(SA, r, acc, facc, x.a), $b = read_src!(SB, r, acc, facc, x.b),
             $c = r.get(x.c)] $host);
    };
    (pick un $name:ident $ty:ident $($host:tt)*) => {
        float_fast!(@pick1 $name $ty $($host)*)
    };
    (pick imm64 $name:ident $ty:ident $($host:tt)*) => {
        float_fast!(@pick1 $name $ty $($host)*)
    };
    (pick bin $name:ident $ty:ident $($host:tt)*) => {
        float_fast!(@pick2 $name $ty $($host)*)
    };
    (pick mul_add $name:ident $ty:ident $($host:tt)*) => {
        float_fast!(@pick2 $name $ty $($host)*)
    };
    (@pick1 $name:ident $ty:ident |$($v:ident),*| $host:expr; , $acc:ident, $int:ident, $x:ident) => {
        (pick_src!($ty $name [Source::of::<$ty>($acc, $x.a)]), <$ty as FloatAcc>::REG)
    };
    (@pick2 $name:ident $ty:ident |$($v:ident),*| $host:expr; , $acc:ident, $int:ident, $x:ident) => {
        (pick_src!($ty $name [Source::of::<$ty>($acc, $x.a), Source::of::<$ty>($acc, $x.b)]),
         <$ty as FloatAcc>::REG)
    };
    (@handler $name:ident $ty:ident [$($flag:ident),*] |$x:ident, $r:ident, $acc:ident, $facc:ident|
        [$($v:ident = $read:expr),*] $host:expr
    ) => {
        pub(super) fn $name<$(const $flag: u8),*>(
            ex: &mut Executor<'_>, ip: Ip, $r: Registers, m: Memory0, $acc: u64, $facc: f64,
        ) -> Exit {
            let $x = operands!(ip, Instr::$name(x) => x);
            $( let $v = <$ty as semantics::Slot>::from_slot($read); )*
            let v: $ty = $host;
            if v.is_nan() {
                return $name::exact(ex, ip, $r, m, $acc);
            }
            $r.set($x.d, semantics::Slot::to_slot(v));
            let ($acc, $facc) = FloatAcc::leave(v, $acc, $facc);
            next!(ex, ip.next(), $r, m, $acc, $facc)
        }
        pub(super) mod $name {
            use super::*;
            /// The semantic body, for a NaN result. It reads its operands
            /// from the frame (an accumulator holds a copy of its slot), and
            /// is not given the float accumulator (which its successor reads
            /// only if this handler writes it), so the fast path need not
            /// keep the accumulators it read: whether LLVM sees that by
            /// itself depends on how it splits the crate.
            #[inline(never)]
            pub(in super::super) fn exact(
                ex: &mut Executor<'_>, ip: Ip, $r: Registers, m: Memory0, $acc: u64,
            ) -> Exit {
                $( const $flag: u8 = Source::FRAME; )*
                let $facc = 0f64;
                let $x = operands!(ip, Instr::$name(x) => x);
                let v: u64 = body::$name($($read),*);
                $r.set($x.d, v);
                let ($acc, $facc) = <$ty as FloatAcc>::leave_slot(v, $acc, $facc);
                next!(ex, ip.next(), $r, m, $acc, $facc)
            }
        }
    };
}

/// Where a float handler reads an operand (its const parameters' values).
pub(super) struct Source;

impl Source {
    /// From the frame.
    pub(super) const FRAME: u8 = 0;
    /// From the general accumulator.
    pub(super) const ACC: u8 = 1;
    /// From the float accumulator.
    pub(super) const FACC: u8 = 2;

    /// Where an operand in `slot` that only the general accumulator can
    /// hold is found, given the accumulator on entry.
    pub(super) fn int(acc: Accumulator, slot: Reg) -> u8 {
        match acc {
            Some((s, AccReg::Int)) if s == slot => Source::ACC,
            _ => Source::FRAME,
        }
    }

    /// Where a `T` operand in `slot` is found, given the accumulator on entry.
    pub(super) fn of<T: FloatAcc>(acc: Accumulator, slot: Reg) -> u8 {
        match acc {
            Some((s, AccReg::Int)) if s == slot => Source::ACC,
            // Only `f64` values are ever left there.
            Some((s, AccReg::Float)) if s == slot && T::REG == AccReg::Float => Source::FACC,
            _ => Source::FRAME,
        }
    }
}

/// Reads an operand, as slot bits, from where `$src` (a [`Source`]) says.
macro_rules! read_src {
    ($src:ident, $regs:ident, $acc:ident, $facc:ident, $slot:expr) => {
        match $src {
            Source::ACC => $acc,
            Source::FACC => $facc.to_bits(),
            _ => $regs.get($slot),
        }
    };
}
pub(super) use read_src;

/// The monomorph of a float handler for its operands' [`Source`]s; an
/// `f32` handler is never given the float accumulator (`Source::of`).
macro_rules! pick_src {
    // An operand only the general accumulator holds (`Source::int`).
    (int $name:ident [$a:expr]) => {
        pick_src!(f32 $name [$a])
    };
    (f32 $name:ident [$a:expr]) => {
        match $a {
            Source::ACC => $name::<{ Source::ACC }> as Handler,
            _ => $name::<{ Source::FRAME }>,
        }
    };
    (f64 $name:ident [$a:expr]) => {
        match $a {
            Source::ACC => $name::<{ Source::ACC }> as Handler,
            Source::FACC => $name::<{ Source::FACC }>,
            _ => $name::<{ Source::FRAME }>,
        }
    };
    (f32 $name:ident [$a:expr, $b:expr]) => {
        match ($a == Source::ACC, $b == Source::ACC) {
            (false, false) => $name::<{ Source::FRAME }, { Source::FRAME }> as Handler,
            (true, false) => $name::<{ Source::ACC }, { Source::FRAME }>,
            (false, true) => $name::<{ Source::FRAME }, { Source::ACC }>,
            (true, true) => $name::<{ Source::ACC }, { Source::ACC }>,
        }
    };
    (f64 $name:ident [$a:expr, $b:expr]) => {
        // One accumulator holds one slot: the two operands never come
        // from different accumulators.
        match ($a, $b) {
            (Source::ACC, Source::ACC) => $name::<{ Source::ACC }, { Source::ACC }> as Handler,
            (Source::ACC, _) => $name::<{ Source::ACC }, { Source::FRAME }>,
            (_, Source::ACC) => $name::<{ Source::FRAME }, { Source::ACC }>,
            (Source::FACC, Source::FACC) => $name::<{ Source::FACC }, { Source::FACC }>,
            (Source::FACC, _) => $name::<{ Source::FACC }, { Source::FRAME }>,
            (_, Source::FACC) => $name::<{ Source::FRAME }, { Source::FACC }>,
            _ => $name::<{ Source::FRAME }, { Source::FRAME }>,
        }
    };
}

/// The monomorph of a store for the [`Source`]s of its address (never the
/// float accumulator) and of its value.
macro_rules! pick_store {
    ($name:ident, $a:expr, $v:expr) => {
        match ($a, $v) {
            (Source::ACC, Source::ACC) => $name::<{ Source::ACC }, { Source::ACC }> as Handler,
            (Source::ACC, _) => $name::<{ Source::ACC }, { Source::FRAME }>,
            (_, Source::ACC) => $name::<{ Source::FRAME }, { Source::ACC }>,
            (_, Source::FACC) => $name::<{ Source::FRAME }, { Source::FACC }>,
            _ => $name::<{ Source::FRAME }, { Source::FRAME }>,
        }
    };
}

/// A float type's accumulator: where its fast-path handlers leave their
/// result for the next handler (the register [`AccReg`] names, which is
/// what `FuncCode::thread` records).
pub(super) trait FloatAcc: semantics::Slot {
    const REG: AccReg;
    /// The accumulators after a handler wrote `self`.
    fn leave(self, acc: u64, facc: f64) -> (u64, f64);
    /// The accumulators after a handler wrote the slot bits `v`.
    fn leave_slot(v: u64, acc: u64, facc: f64) -> (u64, f64);
}

impl FloatAcc for f64 {
    const REG: AccReg = AccReg::Float;
    #[inline(always)]
    fn leave(self, acc: u64, _: f64) -> (u64, f64) {
        (acc, self)
    }
    #[inline(always)]
    fn leave_slot(v: u64, acc: u64, _: f64) -> (u64, f64) {
        (acc, f64::from_bits(v))
    }
}

impl FloatAcc for f32 {
    const REG: AccReg = AccReg::Int;
    #[inline(always)]
    fn leave(self, _: u64, facc: f64) -> (u64, f64) {
        (semantics::Slot::to_slot(self), facc)
    }
    #[inline(always)]
    fn leave_slot(v: u64, _: u64, facc: f64) -> (u64, f64) {
        (v, facc)
    }
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
    // Reads no slot.
    (load_at $name:ident, $acc:ident, $x:ident) => {{
        let _ = ($acc, $x);
        $name as Handler
    }};
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

            $( table_handler!(def $kind $name); )*
        }

        /// The handler of a table instruction or a move, and the
        /// accumulator it leaves its result in; `acc` is the accumulator on
        /// entry. `None` for the others (`control::handler` names each of
        /// them).
        pub(super) fn handler(instr: &Instr, acc: Accumulator) -> Option<(Handler, AccReg)> {
            use handlers::*;
            let int = super::int_slot(acc);
            Some(match *instr {
                $( Instr::$name(x) => table_handler!(pick $kind $name, acc, int, x), )*
                Instr::Copy(x) => (pick1!(copy, int, x.a), AccReg::Int),
                Instr::Const(_) => (constant as Handler, AccReg::Int),
                // The condition is the operand most often just computed.
                Instr::Select(x) => (pick1!(select, int, x.c), AccReg::Int),
                Instr::GlobalGet(_) | other_instr!() => return None,
            })
        }
    };
}

crate::for_each_register_instr!(table_handlers! {});
