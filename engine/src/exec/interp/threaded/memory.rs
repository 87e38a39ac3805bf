//! Threaded handlers of the memory-0 loads and stores; the address (and a
//! store's value) may come from the accumulator.

use super::numeric::{pick2, read};
use super::{next, operands, trap_kind, Exit, Handler, Ip};
use crate::api::error::TrapKind;
use crate::exec::instr::{Instr, Reg};
use crate::exec::interp::memory0::{widen as W, wrapped, Memory0};
use crate::exec::interp::registers::Registers;
use crate::exec::interp::Executor;

macro_rules! load_handlers {
    ($handler:ident, $address:ident; $($name:ident: $variant:ident, $n:literal, $widen:expr;)*) => {
        $(
            fn $name<const FA: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let address = $address!(read!(FA, r, acc, x.a), x);
                let Ok(bytes) = m.load::<$n>(address, x.offset) else {
                    return trap_kind(ex, TrapKind::MemoryOutOfBounds);
                };
                let v = $widen(bytes);
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

macro_rules! plain_address {
    ($a:expr, $x:ident) => {
        $a
    };
}

macro_rules! added_address {
    ($a:expr, $x:ident) => {
        wrapped($a, $x.imm)
    };
}

load_handlers! {
    load_handler, plain_address;
    i32_load: I32Load, 4, W::u32;
    i64_load: I64Load, 8, W::u64;
    i32_load8_s: I32Load8S, 1, W::i8_to_i32;
    i32_load8_u: I32Load8U, 1, W::u8;
    i32_load16_s: I32Load16S, 2, W::i16_to_i32;
    i32_load16_u: I32Load16U, 2, W::u16;
    i64_load8_s: I64Load8S, 1, W::i8_to_i64;
    i64_load16_s: I64Load16S, 2, W::i16_to_i64;
    i64_load32_s: I64Load32S, 4, W::i32_to_i64;
}

load_handlers! {
    load_add_handler, added_address;
    i32_load_add: I32LoadAdd, 4, W::u32;
    i64_load_add: I64LoadAdd, 8, W::u64;
    i32_load8_s_add: I32Load8SAdd, 1, W::i8_to_i32;
    i32_load8_u_add: I32Load8UAdd, 1, W::u8;
    i32_load16_s_add: I32Load16SAdd, 2, W::i16_to_i32;
    i32_load16_u_add: I32Load16UAdd, 2, W::u16;
    i64_load8_s_add: I64Load8SAdd, 1, W::i8_to_i64;
    i64_load16_s_add: I64Load16SAdd, 2, W::i16_to_i64;
    i64_load32_s_add: I64Load32SAdd, 4, W::i32_to_i64;
}

macro_rules! store_handlers {
    ($handler:ident, $address:ident; $($name:ident: $variant:ident, $n:literal;)*) => {
        $(
            fn $name<const FA: bool, const FV: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                let address = $address!(read!(FA, r, acc, x.a), x);
                let value = read!(FV, r, acc, x.v);
                if m.store::<$n>(address, x.offset, value).is_err() {
                    return trap_kind(ex, TrapKind::MemoryOutOfBounds);
                }
                next!(ex, ip.next(), r, m, acc)
            }
        )*

        fn $handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) => pick2!($name, acc, x.a, x.v), )*
                _ => return None,
            })
        }
    };
}

store_handlers! {
    store_handler, plain_address;
    store8: Store8, 1;
    store16: Store16, 2;
    store32: Store32, 4;
    store64: Store64, 8;
}

store_handlers! {
    store_add_handler, added_address;
    store8_add: Store8Add, 1;
    store16_add: Store16Add, 2;
    store32_add: Store32Add, 4;
    store64_add: Store64Add, 8;
}

macro_rules! store_imm_handlers {
    ($($name:ident: $variant:ident, $n:literal;)*) => {
        $(
            fn $name<const FA: bool>(
                ex: &mut Executor<'_>, ip: Ip, r: Registers, m: Memory0, acc: u64,
            ) -> Exit {
                let x = operands!(ip, Instr::$variant(x) => x);
                if m.store::<$n>(read!(FA, r, acc, x.a), x.offset, x.value).is_err() {
                    return trap_kind(ex, TrapKind::MemoryOutOfBounds);
                }
                next!(ex, ip.next(), r, m, acc)
            }
        )*

        fn store_imm_handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
            Some(match *instr {
                $( Instr::$variant(x) if acc == Some(x.a) => $name::<true>,
                   Instr::$variant(_) => $name::<false>, )*
                _ => return None,
            })
        }
    };
}

store_imm_handlers! {
    store8_imm: Store8Imm, 1;
    store16_imm: Store16Imm, 2;
    store32_imm: Store32Imm, 4;
    store64_imm: Store64Imm, 8;
}

/// The handler of a memory-0 access, if `instr` is one.
pub(super) fn handler(instr: &Instr, acc: Option<Reg>) -> Option<Handler> {
    load_handler(instr, acc)
        .or_else(|| load_add_handler(instr, acc))
        .or_else(|| store_handler(instr, acc))
        .or_else(|| store_add_handler(instr, acc))
        .or_else(|| store_imm_handler(instr, acc))
}
