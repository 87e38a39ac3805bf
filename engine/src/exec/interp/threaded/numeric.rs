//! Threaded handlers of the numeric instructions and moves. Each is
//! generic over which of its operands come from the accumulator (the value
//! the previous instruction produced, passed in a register) instead of the
//! frame; the choice is made once, when the code is threaded.

use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::exec::instr::{Instr, Reg};
use crate::exec::interp::memory0::Memory0;
use crate::exec::interp::registers::Registers;
use crate::exec::interp::slot::{self, raw1, raw1_trap, raw2, raw2_trap, raw_imm32};
use crate::exec::interp::Executor;
use crate::exec::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};

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

macro_rules! un_handlers {
    ($($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = raw1(read!(FA, r, acc, x.a), $f);
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn un_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) if acc == Some(x.a) => $name::<true>,
                   Instr::$variant(_) => $name::<false>, )*
                _ => return None,
            })
        }
    };
}

macro_rules! un_trap_handlers {
    ($($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = match raw1_trap(read!(FA, r, acc, x.a), $f) {
                    Ok(v) => v,
                    Err(t) => return trap_kind(ex, slot::trap_kind(t)),
                };
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn un_trap_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) if acc == Some(x.a) => $name::<true>,
                   Instr::$variant(_) => $name::<false>, )*
                _ => return None,
            })
        }
    };
}

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
pub(super) use pick2;

macro_rules! bin_handlers {
    ($($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool, const FB: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = raw2(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), $f);
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn bin_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) => pick2!($name, acc, x.a, x.b), )*
                _ => return None,
            })
        }
    };
}

macro_rules! bin_trap_handlers {
    ($($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool, const FB: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = match raw2_trap(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), $f) {
                    Ok(v) => v,
                    Err(t) => return trap_kind(ex, slot::trap_kind(t)),
                };
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn bin_trap_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) => pick2!($name, acc, x.a, x.b), )*
                _ => return None,
            })
        }
    };
}

/// `imm32` operands are `i32`s; `imm64` ones are the operator's own type.
macro_rules! imm_handlers {
    ($handler:ident, $imm:ident; $($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = $imm(read!(FA, r, acc, x.a), x.imm, $f);
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn $handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) if acc == Some(x.a) => $name::<true>,
                   Instr::$variant(_) => $name::<false>, )*
                _ => return None,
            })
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
    let pick = if read!(FC, r, acc, x.c) as u32 != 0 {
        x.a
    } else {
        x.b
    };
    let v = r.get(pick);
    r.set(x.d, v);
    next!(ex, ip.next(), r, m, v)
}

macro_rules! mul_add_handlers {
    ($($name:ident: $variant:ident => $f:expr;)*) => {
        $(
            fn $name<const FA: bool, const FB: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let v = $f(read!(FA, r, acc, x.a), read!(FB, r, acc, x.b), r.get(x.c));
                r.set(x.d, v);
                next!(ex, ip.next(), r, m, v)
            }
        )*

        fn mul_add_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) => pick2!($name, acc, x.a, x.b), )*
                _ => return None,
            })
        }
    };
}

mul_add_handlers! {
    i32_mul_add: I32MulAdd => slot::fused::i32_mul_add;
    i64_mul_add: I64MulAdd => slot::fused::i64_mul_add;
    f64_mul_add: F64MulAdd => slot::fused::f64_mul_add;
    f64_add_mul: F64AddMul => slot::fused::f64_add_mul;
}

/// The handler of a numeric instruction or move, if `instr` is one; `acc`
/// is the slot whose value the accumulator holds on entry, if any.
pub(super) fn handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
    let moves = match *instr {
        Instr::Copy(x) if acc == Some(x.a) => Some(copy::<true> as Handler),
        Instr::Copy(_) => Some(copy::<false> as Handler),
        Instr::Const(_) => Some(constant as Handler),
        // The condition is the operand most often just computed.
        Instr::Select(x) if acc == Some(x.c) => Some(select::<true> as Handler),
        Instr::Select(_) => Some(select::<false> as Handler),
        _ => None,
    };
    moves
        .or_else(|| bin_handler(instr, acc))
        .or_else(|| mul_add_handler(instr, acc))
        .or_else(|| imm32_handler(instr, acc))
        .or_else(|| imm64_handler(instr, acc))
        .or_else(|| un_handler(instr, acc))
        .or_else(|| bin_trap_handler(instr, acc))
        .or_else(|| un_trap_handler(instr, acc))
}

un_handlers! {
    i32_eqz: I32Eqz => I32::eqz;
    i64_eqz: I64Eqz => I64::eqz;
    i32_clz: I32Clz => I32::clz;
    i32_ctz: I32Ctz => I32::ctz;
    i32_popcnt: I32Popcnt => I32::popcnt;
    i64_clz: I64Clz => I64::clz;
    i64_ctz: I64Ctz => I64::ctz;
    i64_popcnt: I64Popcnt => I64::popcnt;
    f32_abs: F32Abs => F32::abs;
    f32_neg: F32Neg => F32::neg;
    f32_ceil: F32Ceil => F32::ceil;
    f32_floor: F32Floor => F32::floor;
    f32_trunc: F32Trunc => F32::trunc;
    f32_nearest: F32Nearest => F32::nearest;
    f32_sqrt: F32Sqrt => F32::sqrt;
    f64_abs: F64Abs => F64::abs;
    f64_neg: F64Neg => F64::neg;
    f64_ceil: F64Ceil => F64::ceil;
    f64_floor: F64Floor => F64::floor;
    f64_trunc: F64Trunc => F64::trunc;
    f64_nearest: F64Nearest => F64::nearest;
    f64_sqrt: F64Sqrt => F64::sqrt;
    i32_wrap_i64: I32WrapI64 => convert::i32_wrap_i64;
    i64_extend_i32_s: I64ExtendI32S => convert::i64_extend_i32_s;
    i64_extend_i32_u: I64ExtendI32U => convert::i64_extend_i32_u;
    f32_convert_i32_s: F32ConvertI32S => convert::f32_convert_i32_s;
    f32_convert_i32_u: F32ConvertI32U => convert::f32_convert_i32_u;
    f32_convert_i64_s: F32ConvertI64S => convert::f32_convert_i64_s;
    f32_convert_i64_u: F32ConvertI64U => convert::f32_convert_i64_u;
    f32_demote_f64: F32DemoteF64 => convert::f32_demote_f64;
    f64_convert_i32_s: F64ConvertI32S => convert::f64_convert_i32_s;
    f64_convert_i32_u: F64ConvertI32U => convert::f64_convert_i32_u;
    f64_convert_i64_s: F64ConvertI64S => convert::f64_convert_i64_s;
    f64_convert_i64_u: F64ConvertI64U => convert::f64_convert_i64_u;
    f64_promote_f32: F64PromoteF32 => convert::f64_promote_f32;
    i32_extend8_s: I32Extend8S => I32::extend8_s;
    i32_extend16_s: I32Extend16S => I32::extend16_s;
    i64_extend8_s: I64Extend8S => I64::extend8_s;
    i64_extend16_s: I64Extend16S => I64::extend16_s;
    i64_extend32_s: I64Extend32S => I64::extend32_s;
    i32_trunc_sat_f32_s: I32TruncSatF32S => convert::i32_trunc_sat_f32_s;
    i32_trunc_sat_f32_u: I32TruncSatF32U => convert::i32_trunc_sat_f32_u;
    i32_trunc_sat_f64_s: I32TruncSatF64S => convert::i32_trunc_sat_f64_s;
    i32_trunc_sat_f64_u: I32TruncSatF64U => convert::i32_trunc_sat_f64_u;
    i64_trunc_sat_f32_s: I64TruncSatF32S => convert::i64_trunc_sat_f32_s;
    i64_trunc_sat_f32_u: I64TruncSatF32U => convert::i64_trunc_sat_f32_u;
    i64_trunc_sat_f64_s: I64TruncSatF64S => convert::i64_trunc_sat_f64_s;
    i64_trunc_sat_f64_u: I64TruncSatF64U => convert::i64_trunc_sat_f64_u;
}

un_trap_handlers! {
    i32_trunc_f32_s: I32TruncF32S => convert::i32_trunc_f32_s;
    i32_trunc_f32_u: I32TruncF32U => convert::i32_trunc_f32_u;
    i32_trunc_f64_s: I32TruncF64S => convert::i32_trunc_f64_s;
    i32_trunc_f64_u: I32TruncF64U => convert::i32_trunc_f64_u;
    i64_trunc_f32_s: I64TruncF32S => convert::i64_trunc_f32_s;
    i64_trunc_f32_u: I64TruncF32U => convert::i64_trunc_f32_u;
    i64_trunc_f64_s: I64TruncF64S => convert::i64_trunc_f64_s;
    i64_trunc_f64_u: I64TruncF64U => convert::i64_trunc_f64_u;
}

bin_handlers! {
    i32_eq: I32Eq => I32::eq;
    i32_ne: I32Ne => I32::ne;
    i32_lt_s: I32LtS => I32::lt_s;
    i32_lt_u: I32LtU => I32::lt_u;
    i32_gt_s: I32GtS => I32::gt_s;
    i32_gt_u: I32GtU => I32::gt_u;
    i32_le_s: I32LeS => I32::le_s;
    i32_le_u: I32LeU => I32::le_u;
    i32_ge_s: I32GeS => I32::ge_s;
    i32_ge_u: I32GeU => I32::ge_u;
    i64_eq: I64Eq => I64::eq;
    i64_ne: I64Ne => I64::ne;
    i64_lt_s: I64LtS => I64::lt_s;
    i64_lt_u: I64LtU => I64::lt_u;
    i64_gt_s: I64GtS => I64::gt_s;
    i64_gt_u: I64GtU => I64::gt_u;
    i64_le_s: I64LeS => I64::le_s;
    i64_le_u: I64LeU => I64::le_u;
    i64_ge_s: I64GeS => I64::ge_s;
    i64_ge_u: I64GeU => I64::ge_u;
    f32_eq: F32Eq => F32::eq;
    f32_ne: F32Ne => F32::ne;
    f32_lt: F32Lt => F32::lt;
    f32_gt: F32Gt => F32::gt;
    f32_le: F32Le => F32::le;
    f32_ge: F32Ge => F32::ge;
    f64_eq: F64Eq => F64::eq;
    f64_ne: F64Ne => F64::ne;
    f64_lt: F64Lt => F64::lt;
    f64_gt: F64Gt => F64::gt;
    f64_le: F64Le => F64::le;
    f64_ge: F64Ge => F64::ge;
    i32_add: I32Add => I32::add;
    i32_sub: I32Sub => I32::sub;
    i32_mul: I32Mul => I32::mul;
    i32_and: I32And => I32::and;
    i32_or: I32Or => I32::or;
    i32_xor: I32Xor => I32::xor;
    i32_shl: I32Shl => I32::shl;
    i32_shr_s: I32ShrS => I32::shr_s;
    i32_shr_u: I32ShrU => I32::shr_u;
    i32_rotl: I32Rotl => I32::rotl;
    i32_rotr: I32Rotr => I32::rotr;
    i64_add: I64Add => I64::add;
    i64_sub: I64Sub => I64::sub;
    i64_mul: I64Mul => I64::mul;
    i64_and: I64And => I64::and;
    i64_or: I64Or => I64::or;
    i64_xor: I64Xor => I64::xor;
    i64_shl: I64Shl => I64::shl;
    i64_shr_s: I64ShrS => I64::shr_s;
    i64_shr_u: I64ShrU => I64::shr_u;
    i64_rotl: I64Rotl => I64::rotl;
    i64_rotr: I64Rotr => I64::rotr;
    f32_add: F32Add => F32::add;
    f32_sub: F32Sub => F32::sub;
    f32_mul: F32Mul => F32::mul;
    f32_div: F32Div => F32::div;
    f32_min: F32Min => F32::min;
    f32_max: F32Max => F32::max;
    f32_copysign: F32Copysign => F32::copysign;
    f64_add: F64Add => F64::add;
    f64_sub: F64Sub => F64::sub;
    f64_mul: F64Mul => F64::mul;
    f64_div: F64Div => F64::div;
    f64_min: F64Min => F64::min;
    f64_max: F64Max => F64::max;
    f64_copysign: F64Copysign => F64::copysign;
}

bin_trap_handlers! {
    i32_div_s: I32DivS => I32::div_s;
    i32_div_u: I32DivU => I32::div_u;
    i32_rem_s: I32RemS => I32::rem_s;
    i32_rem_u: I32RemU => I32::rem_u;
    i64_div_s: I64DivS => I64::div_s;
    i64_div_u: I64DivU => I64::div_u;
    i64_rem_s: I64RemS => I64::rem_s;
    i64_rem_u: I64RemU => I64::rem_u;
}

imm_handlers! {
    imm32_handler, raw_imm32;
    i32_add_imm: I32AddImm => I32::add;
    i32_rsub_imm: I32RSubImm => slot::swapped::i32_sub;
    i32_mul_imm: I32MulImm => I32::mul;
    i32_and_imm: I32AndImm => I32::and;
    i32_or_imm: I32OrImm => I32::or;
    i32_xor_imm: I32XorImm => I32::xor;
    i32_shl_imm: I32ShlImm => I32::shl;
    i32_shr_s_imm: I32ShrSImm => I32::shr_s;
    i32_shr_u_imm: I32ShrUImm => I32::shr_u;
    i32_rotl_imm: I32RotlImm => I32::rotl;
    i32_rotr_imm: I32RotrImm => I32::rotr;
    i32_eq_imm: I32EqImm => I32::eq;
    i32_ne_imm: I32NeImm => I32::ne;
    i32_lt_s_imm: I32LtSImm => I32::lt_s;
    i32_lt_u_imm: I32LtUImm => I32::lt_u;
    i32_gt_s_imm: I32GtSImm => I32::gt_s;
    i32_gt_u_imm: I32GtUImm => I32::gt_u;
    i32_le_s_imm: I32LeSImm => I32::le_s;
    i32_le_u_imm: I32LeUImm => I32::le_u;
    i32_ge_s_imm: I32GeSImm => I32::ge_s;
    i32_ge_u_imm: I32GeUImm => I32::ge_u;
    i32_div_s_imm: I32DivSImm => slot::by_constant::i32_div_s;
    i32_div_u_imm: I32DivUImm => slot::by_constant::i32_div_u;
    i32_rem_s_imm: I32RemSImm => slot::by_constant::i32_rem_s;
    i32_rem_u_imm: I32RemUImm => slot::by_constant::i32_rem_u;
}

imm_handlers! {
    imm64_handler, raw2;
    i64_div_s_imm: I64DivSImm => slot::by_constant::i64_div_s;
    i64_div_u_imm: I64DivUImm => slot::by_constant::i64_div_u;
    i64_rem_s_imm: I64RemSImm => slot::by_constant::i64_rem_s;
    i64_rem_u_imm: I64RemUImm => slot::by_constant::i64_rem_u;
    i64_add_imm: I64AddImm => I64::add;
    i64_mul_imm: I64MulImm => I64::mul;
    i64_and_imm: I64AndImm => I64::and;
    i64_or_imm: I64OrImm => I64::or;
    i64_xor_imm: I64XorImm => I64::xor;
    i64_shl_imm: I64ShlImm => I64::shl;
    i64_shr_s_imm: I64ShrSImm => I64::shr_s;
    i64_shr_u_imm: I64ShrUImm => I64::shr_u;
    i64_rotl_imm: I64RotlImm => I64::rotl;
    i64_rotr_imm: I64RotrImm => I64::rotr;
    i64_eq_imm: I64EqImm => I64::eq;
    i64_ne_imm: I64NeImm => I64::ne;
    i64_lt_s_imm: I64LtSImm => I64::lt_s;
    i64_lt_u_imm: I64LtUImm => I64::lt_u;
    i64_gt_s_imm: I64GtSImm => I64::gt_s;
    i64_gt_u_imm: I64GtUImm => I64::gt_u;
    i64_le_s_imm: I64LeSImm => I64::le_s;
    i64_le_u_imm: I64LeUImm => I64::le_u;
    i64_ge_s_imm: I64GeSImm => I64::ge_s;
    i64_ge_u_imm: I64GeUImm => I64::ge_u;
    f64_add_imm: F64AddImm => F64::add;
    f64_eq_imm: F64EqImm => F64::eq;
    f64_rsub_imm: F64RSubImm => slot::swapped::f64_sub;
    f64_rdiv_imm: F64RDivImm => slot::swapped::f64_div;
    f64_ne_imm: F64NeImm => F64::ne;
    f64_lt_imm: F64LtImm => F64::lt;
    f64_gt_imm: F64GtImm => F64::gt;
    f64_le_imm: F64LeImm => F64::le;
    f64_ge_imm: F64GeImm => F64::ge;
    f64_sub_imm: F64SubImm => F64::sub;
    f64_mul_imm: F64MulImm => F64::mul;
    f64_div_imm: F64DivImm => F64::div;
}
