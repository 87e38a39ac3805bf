//! The register instructions with a fixed operand shape, each written once.
//!
//! [`for_each_register_instr!`] hands this table, normalized (below), to a
//! callback macro, which makes one thing of it: the [`Instr`](super::Instr)
//! variants and their metadata (`instr/mod.rs`), the semantic bodies both
//! dispatch backends run (`interp/semantics.rs`), the threaded handlers
//! (`interp/threaded/generated.rs`), the portable loop's arms
//! (`interp/mod.rs`), the mapping from `wasmparser` operators
//! (`translate/ops.rs` for numerics, `translate/memory.rs` for loads and
//! stores) and the numeric test oracle (`tests/numeric_spec`). Adding an
//! instruction of one of these kinds is one line here (plus its operator in
//! `exec::numeric` if new); every consumer follows, and a consumer that does
//! not cover a kind fails to compile.
//!
//! Groups, by kind (the operand struct in `shapes.rs`):
//! - `un` / `un_trap`: `d = f(a)` over [`Un`](super::Un); `_trap` when `f`
//!   returns a `Result` with a numeric trap. The name is the `wasmparser`
//!   operator's.
//! - `bin` / `bin_trap`: `d = f(a, b)` over [`Bin`](super::Bin); after `=>`
//!   the forms with a constant operand the translator may choose (see
//!   `translate/ops.rs`), written with `I` for `Instr`.
//! - `imm32` / `imm64`: `d = f(a, imm)` over `BinImm32` (the constant an
//!   `i32`) / `BinImm64` (the constant the operator's own type). Made by the
//!   translator only, from the `bin` forms.
//! - `mul_add`: `d = f(a, b, c)` over `MulAdd`, on raw slots.
//! - `load`: one line per memory-0 load kind: `Plain / Add / Scaled / At
//!   (LoadKind) <= operators`. It declares four instructions:
//!   `Plain` over `Load` (`d = mem[a + offset]`), `Add` over `LoadAdd` (the
//!   address plus a constant, wrapped at 32 bits: a fused `i32.add`),
//!   `Scaled` over `LoadScaled` (at `(a << shift) + imm`: a fused
//!   `shl_add`) and `At` over `LoadAt` (a constant address, as C reads a
//!   global), and maps the `wasmparser` operators after `<=` to them
//!   (`LoadKind` for the stack-mode form of other memories and offsets).
//! - `store`: likewise `Plain / Add / Imm / At (N) <= operators`: stores of
//!   the low `N` bytes over `StoreReg` (the value in a slot) / `StoreAdd` /
//!   `StoreImm` (a constant value) / `StoreAt` (at a constant address).
//! - `shl_add`: `d = f(a, shift, imm)` over `ShlAdd`: scaled-index address
//!   arithmetic (`(a << shift) + imm`). Made by the translator only.
//!
//! ## What a consumer receives
//!
//! The group syntax above is parsed here only (`normalize_register_instrs!`).
//! The callback gets three lists, each entry of one uniform form:
//!
//! ```text
//! instrs {            // every instruction, in declaration order
//!     $(#[doc])* Name(Shape) kind [args]    // kind: a group name above, or
//!                                           // load_add, load_scaled, load_at,
//!                                           // store_add, store_imm, store_at
//! }
//! numeric_operators { // operator = instruction, for un/bin kinds
//!     Name: un(f);  Name: bin(f) => forms;
//! }
//! memory_operators {  // wasmparser operators -> their four forms
//!     Op | Op => load(Plain, Add, Scaled, At, LoadKind);
//!     Op | Op => store(Plain, Add, Imm, At, N);
//! }
//! ```
//!
//! `args` is the group's own part of the line: `[f]`, `[f => forms]`, or
//! `[LoadKind]` / `[N]` for memory. A consumer matches the lists with one
//! rule and turns each entry into code by its `kind`.
//!
//! Paths are resolved where the callback expands: consumers that emit them
//! import `I32`, `I64`, `F32`, `F64`, `convert` (from `exec::numeric`),
//! `by_constant`, `swapped`, `fused` and `W` (`ir::widen`: the load
//! widenings, one function per `LoadKind`).

/// Calls `$callback! { $extra... instrs {..} numeric_operators {..}
/// memory_operators {..} }` (see the module docs).
#[doc(hidden)]
#[macro_export]
macro_rules! for_each_register_instr {
    ($callback:ident ! { $($extra:tt)* }) => {
        $crate::normalize_register_instrs! {
            ($callback { $($extra)* }) [] [] []
            un {
                I32Eqz = I32::eqz,
                I64Eqz = I64::eqz,
                I32Clz = I32::clz,
                I32Ctz = I32::ctz,
                I32Popcnt = I32::popcnt,
                I64Clz = I64::clz,
                I64Ctz = I64::ctz,
                I64Popcnt = I64::popcnt,
                F32Abs = F32::abs,
                F32Neg = F32::neg,
                F32Ceil = F32::ceil,
                F32Floor = F32::floor,
                F32Trunc = F32::trunc,
                F32Nearest = F32::nearest,
                F32Sqrt = F32::sqrt,
                F64Abs = F64::abs,
                F64Neg = F64::neg,
                F64Ceil = F64::ceil,
                F64Floor = F64::floor,
                F64Trunc = F64::trunc,
                F64Nearest = F64::nearest,
                F64Sqrt = F64::sqrt,
                I32WrapI64 = convert::i32_wrap_i64,
                I64ExtendI32S = convert::i64_extend_i32_s,
                I64ExtendI32U = convert::i64_extend_i32_u,
                F32ConvertI32S = convert::f32_convert_i32_s,
                F32ConvertI32U = convert::f32_convert_i32_u,
                F32ConvertI64S = convert::f32_convert_i64_s,
                F32ConvertI64U = convert::f32_convert_i64_u,
                F32DemoteF64 = convert::f32_demote_f64,
                F64ConvertI32S = convert::f64_convert_i32_s,
                F64ConvertI32U = convert::f64_convert_i32_u,
                F64ConvertI64S = convert::f64_convert_i64_s,
                F64ConvertI64U = convert::f64_convert_i64_u,
                F64PromoteF32 = convert::f64_promote_f32,
                I32Extend8S = I32::extend8_s,
                I32Extend16S = I32::extend16_s,
                I64Extend8S = I64::extend8_s,
                I64Extend16S = I64::extend16_s,
                I64Extend32S = I64::extend32_s,
                I32TruncSatF32S = convert::i32_trunc_sat_f32_s,
                I32TruncSatF32U = convert::i32_trunc_sat_f32_u,
                I32TruncSatF64S = convert::i32_trunc_sat_f64_s,
                I32TruncSatF64U = convert::i32_trunc_sat_f64_u,
                I64TruncSatF32S = convert::i64_trunc_sat_f32_s,
                I64TruncSatF32U = convert::i64_trunc_sat_f32_u,
                I64TruncSatF64S = convert::i64_trunc_sat_f64_s,
                I64TruncSatF64U = convert::i64_trunc_sat_f64_u,
            }
            un_trap {
                I32TruncF32S = convert::i32_trunc_f32_s,
                I32TruncF32U = convert::i32_trunc_f32_u,
                I32TruncF64S = convert::i32_trunc_f64_s,
                I32TruncF64U = convert::i32_trunc_f64_u,
                I64TruncF32S = convert::i64_trunc_f32_s,
                I64TruncF32U = convert::i64_trunc_f32_u,
                I64TruncF64S = convert::i64_trunc_f64_s,
                I64TruncF64U = convert::i64_trunc_f64_u,
            }
            bin {
                I32Eq = I32::eq => right32(I::I32EqImm).commutes(),
                I32Ne = I32::ne => right32(I::I32NeImm).commutes(),
                I32LtS = I32::lt_s => right32(I::I32LtSImm),
                I32LtU = I32::lt_u => right32(I::I32LtUImm),
                I32GtS = I32::gt_s => right32(I::I32GtSImm),
                I32GtU = I32::gt_u => right32(I::I32GtUImm),
                I32LeS = I32::le_s => right32(I::I32LeSImm),
                I32LeU = I32::le_u => right32(I::I32LeUImm),
                I32GeS = I32::ge_s => right32(I::I32GeSImm),
                I32GeU = I32::ge_u => right32(I::I32GeUImm),
                I64Eq = I64::eq => right64(I::I64EqImm).commutes(),
                I64Ne = I64::ne => right64(I::I64NeImm).commutes(),
                I64LtS = I64::lt_s => right64(I::I64LtSImm),
                I64LtU = I64::lt_u => right64(I::I64LtUImm),
                I64GtS = I64::gt_s => right64(I::I64GtSImm),
                I64GtU = I64::gt_u => right64(I::I64GtUImm),
                I64LeS = I64::le_s => right64(I::I64LeSImm),
                I64LeU = I64::le_u => right64(I::I64LeUImm),
                I64GeS = I64::ge_s => right64(I::I64GeSImm),
                I64GeU = I64::ge_u => right64(I::I64GeUImm),
                F32Eq = F32::eq => right64(I::F32EqImm).commutes(),
                F32Ne = F32::ne => right64(I::F32NeImm).commutes(),
                F32Lt = F32::lt => right64(I::F32LtImm),
                F32Gt = F32::gt => right64(I::F32GtImm),
                F32Le = F32::le => right64(I::F32LeImm),
                F32Ge = F32::ge => right64(I::F32GeImm),
                // Float operands never swap: which NaN propagates depends on the order.
                F64Eq = F64::eq => right64(I::F64EqImm).commutes(),
                F64Ne = F64::ne => right64(I::F64NeImm).commutes(),
                F64Lt = F64::lt => right64(I::F64LtImm),
                F64Gt = F64::gt => right64(I::F64GtImm),
                F64Le = F64::le => right64(I::F64LeImm),
                F64Ge = F64::ge => right64(I::F64GeImm),
                I32Add = I32::add => right32(I::I32AddImm).commutes(),
                I32Sub = I32::sub => sub32().left32(I::I32RSubImm),
                I32Mul = I32::mul => right32(I::I32MulImm).commutes(),
                I32And = I32::and => right32(I::I32AndImm).commutes(),
                I32Or = I32::or => right32(I::I32OrImm).commutes(),
                I32Xor = I32::xor => right32(I::I32XorImm).commutes(),
                I32Shl = I32::shl => right32(I::I32ShlImm),
                I32ShrS = I32::shr_s => right32(I::I32ShrSImm),
                I32ShrU = I32::shr_u => right32(I::I32ShrUImm),
                I32Rotl = I32::rotl => right32(I::I32RotlImm),
                I32Rotr = I32::rotr => right32(I::I32RotrImm),
                I64Add = I64::add => right64(I::I64AddImm).commutes(),
                I64Sub = I64::sub => sub64(),
                I64Mul = I64::mul => right64(I::I64MulImm).commutes(),
                I64And = I64::and => right64(I::I64AndImm).commutes(),
                I64Or = I64::or => right64(I::I64OrImm).commutes(),
                I64Xor = I64::xor => right64(I::I64XorImm).commutes(),
                I64Shl = I64::shl => right64(I::I64ShlImm),
                I64ShrS = I64::shr_s => right64(I::I64ShrSImm),
                I64ShrU = I64::shr_u => right64(I::I64ShrUImm),
                I64Rotl = I64::rotl => right64(I::I64RotlImm),
                I64Rotr = I64::rotr => right64(I::I64RotrImm),
                F32Add = F32::add => right64(I::F32AddImm),
                F32Sub = F32::sub => right64(I::F32SubImm).left64(I::F32RSubImm),
                F32Mul = F32::mul => right64(I::F32MulImm),
                F32Div = F32::div => right64(I::F32DivImm).left64(I::F32RDivImm),
                F32Min = F32::min,
                F32Max = F32::max,
                F32Copysign = F32::copysign,
                F64Add = F64::add => right64(I::F64AddImm),
                F64Sub = F64::sub => right64(I::F64SubImm).left64(I::F64RSubImm),
                F64Mul = F64::mul => right64(I::F64MulImm),
                F64Div = F64::div => right64(I::F64DivImm).left64(I::F64RDivImm),
                F64Min = F64::min,
                F64Max = F64::max,
                F64Copysign = F64::copysign,
            }
            bin_trap {
                I32DivS = I32::div_s => div32(I::I32DivSImm, true),
                I32DivU = I32::div_u => div32(I::I32DivUImm, false),
                I32RemS = I32::rem_s => div32(I::I32RemSImm, true),
                I32RemU = I32::rem_u => div32(I::I32RemUImm, false),
                I64DivS = I64::div_s => div64(I::I64DivSImm, true),
                I64DivU = I64::div_u => div64(I::I64DivUImm, false),
                I64RemS = I64::rem_s => div64(I::I64RemSImm, true),
                I64RemU = I64::rem_u => div64(I::I64RemUImm, false),
            }
            imm32 {
                /// `i32.add` with a constant (`i32.sub` too, with the constant negated).
                I32AddImm = I32::add,
                /// `d = imm - a`: a constant left operand.
                I32RSubImm = swapped::i32_sub,
                I32MulImm = I32::mul,
                I32AndImm = I32::and,
                I32OrImm = I32::or,
                I32XorImm = I32::xor,
                I32ShlImm = I32::shl,
                I32ShrSImm = I32::shr_s,
                I32ShrUImm = I32::shr_u,
                I32RotlImm = I32::rotl,
                I32RotrImm = I32::rotr,
                I32EqImm = I32::eq,
                I32NeImm = I32::ne,
                I32LtSImm = I32::lt_s,
                I32LtUImm = I32::lt_u,
                I32GtSImm = I32::gt_s,
                I32GtUImm = I32::gt_u,
                I32LeSImm = I32::le_s,
                I32LeUImm = I32::le_u,
                I32GeSImm = I32::ge_s,
                I32GeUImm = I32::ge_u,
                /// Division and remainder by a constant that cannot trap (not 0,
                /// and not -1 when signed).
                I32DivSImm = by_constant::i32_div_s,
                I32DivUImm = by_constant::i32_div_u,
                I32RemSImm = by_constant::i32_rem_s,
                I32RemUImm = by_constant::i32_rem_u,
            }
            imm64 {
                I64AddImm = I64::add,
                I64MulImm = I64::mul,
                I64AndImm = I64::and,
                I64OrImm = I64::or,
                I64XorImm = I64::xor,
                I64ShlImm = I64::shl,
                I64ShrSImm = I64::shr_s,
                I64ShrUImm = I64::shr_u,
                I64RotlImm = I64::rotl,
                I64RotrImm = I64::rotr,
                I64EqImm = I64::eq,
                I64NeImm = I64::ne,
                I64LtSImm = I64::lt_s,
                I64LtUImm = I64::lt_u,
                I64GtSImm = I64::gt_s,
                I64GtUImm = I64::gt_u,
                I64LeSImm = I64::le_s,
                I64LeUImm = I64::le_u,
                I64GeSImm = I64::ge_s,
                I64GeUImm = I64::ge_u,
                I64DivSImm = by_constant::i64_div_s,
                I64DivUImm = by_constant::i64_div_u,
                I64RemSImm = by_constant::i64_rem_s,
                I64RemUImm = by_constant::i64_rem_u,
                /// `f64` arithmetic with a constant right operand (its bits).
                F64AddImm = F64::add,
                F64SubImm = F64::sub,
                F64MulImm = F64::mul,
                F64DivImm = F64::div,
                F64EqImm = F64::eq,
                F64NeImm = F64::ne,
                F64LtImm = F64::lt,
                F64GtImm = F64::gt,
                F64LeImm = F64::le,
                F64GeImm = F64::ge,
                /// `d = imm - a` and `d = imm / a`: a constant left operand.
                F64RSubImm = swapped::f64_sub,
                F64RDivImm = swapped::f64_div,
                /// `f32` arithmetic and comparisons with a constant operand
                /// (its bits in the low half of `imm`).
                F32AddImm = F32::add,
                F32SubImm = F32::sub,
                F32MulImm = F32::mul,
                F32DivImm = F32::div,
                F32EqImm = F32::eq,
                F32NeImm = F32::ne,
                F32LtImm = F32::lt,
                F32GtImm = F32::gt,
                F32LeImm = F32::le,
                F32GeImm = F32::ge,
                F32RSubImm = swapped::f32_sub,
                F32RDivImm = swapped::f32_div,
            }
            mul_add {
                /// `d = a * b + c`; for floats also `d = c + a * b` (the operand
                /// order decides which NaN propagates).
                I32MulAdd = fused::i32_mul_add,
                I64MulAdd = fused::i64_mul_add,
                F64MulAdd = fused::f64_mul_add,
                F64AddMul = fused::f64_add_mul,
                F32MulAdd = fused::f32_mul_add,
                F32AddMul = fused::f32_add_mul,
                /// `d = c - a * b` and, for floats, `d = a * b - c`.
                I32SubMul = fused::i32_sub_mul,
                I64SubMul = fused::i64_sub_mul,
                F32SubMul = fused::f32_sub_mul,
                F32MulSub = fused::f32_mul_sub,
                F64SubMul = fused::f64_sub_mul,
                F64MulSub = fused::f64_mul_sub,
            }
            load {
                /// Memory-0 loads, each with its four register forms (see
                /// the module docs), its [`LoadKind`](super::LoadKind) (bytes
                /// read and how they widen, for these forms and the
                /// stack-mode load of any other memory or offset), and the
                /// operators it translates.
                /// `i32.load`, `f32.load` and `i64.load32_u` read the same
                /// zero-extended bits, as do `i64.load` and `f64.load`.
                I32Load / I32LoadAdd / I32LoadScaled / I32LoadAt (U32) <= I32Load | F32Load | I64Load32U,
                I64Load / I64LoadAdd / I64LoadScaled / I64LoadAt (U64) <= I64Load | F64Load,
                I32Load8S / I32Load8SAdd / I32Load8SScaled / I32Load8SAt (I32From8S) <= I32Load8S,
                I32Load8U / I32Load8UAdd / I32Load8UScaled / I32Load8UAt (U8) <= I32Load8U | I64Load8U,
                I32Load16S / I32Load16SAdd / I32Load16SScaled / I32Load16SAt (I32From16S) <= I32Load16S,
                I32Load16U / I32Load16UAdd / I32Load16UScaled / I32Load16UAt (U16) <= I32Load16U | I64Load16U,
                I64Load8S / I64Load8SAdd / I64Load8SScaled / I64Load8SAt (I64From8S) <= I64Load8S,
                I64Load16S / I64Load16SAdd / I64Load16SScaled / I64Load16SAt (I64From16S) <= I64Load16S,
                I64Load32S / I64Load32SAdd / I64Load32SScaled / I64Load32SAt (I64From32S) <= I64Load32S,
            }
            store {
                /// Memory-0 stores of the low 1, 2, 4 or 8 bytes of `v`: plain,
                /// at an address plus a constant, and of a constant value.
                Store8 / Store8Add / Store8Imm / Store8At (1) <= I32Store8 | I64Store8,
                Store16 / Store16Add / Store16Imm / Store16At (2) <= I32Store16 | I64Store16,
                Store32 / Store32Add / Store32Imm / Store32At (4) <= I32Store | F32Store | I64Store32,
                Store64 / Store64Add / Store64Imm / Store64At (8) <= I64Store | F64Store,
            }
            shl_add {
                /// `d = (a << shift) + imm`, 32-bit and wrapping: an `i32.shl`
                /// by a constant whose result an `i32.add` of a constant consumes
                /// (C's `&array[i]` for a static array).
                I32ShlAddImm = fused::i32_shl_add,
            }
        }
    };
}

/// Parses the table's groups, one per step, into the three uniform lists
/// (the accumulators in `[...]`), then calls the callback with them.
#[doc(hidden)]
#[macro_export]
macro_rules! normalize_register_instrs {
    // Done: the callback.
    (($callback:ident { $($extra:tt)* }) [$($i:tt)*] [$($n:tt)*] [$($m:tt)*]) => {
        $callback! {
            $($extra)*
            instrs { $($i)* }
            numeric_operators { $($n)* }
            memory_operators { $($m)* }
        }
    };
    // `un` / `un_trap`: `Name = f`; the operator is the instruction's name.
    (@un $($args:tt)*) => {
        $crate::normalize_register_instrs! { @unary un $($args)* }
    };
    (@un_trap $($args:tt)*) => {
        $crate::normalize_register_instrs! { @unary un_trap $($args)* }
    };
    (@unary $kind:ident $cb:tt [$($i:tt)*] [$($n:tt)*] $m:tt
        { $( $(#[$d:meta])* $name:ident = $f:path ),* } $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { $cb
            [$($i)* $( $(#[$d])* $name(Un) $kind [$f] )*]
            [$($n)* $( $name: un($f); )*] $m $($rest)* }
    };
    // `bin` / `bin_trap`: `Name = f => forms`.
    (@bin $($args:tt)*) => {
        $crate::normalize_register_instrs! { @binary bin $($args)* }
    };
    (@bin_trap $($args:tt)*) => {
        $crate::normalize_register_instrs! { @binary bin_trap $($args)* }
    };
    (@binary $kind:ident $cb:tt [$($i:tt)*] [$($n:tt)*] $m:tt
        { $( $(#[$d:meta])* $name:ident = $f:path $(=> $form:expr)? ),* } $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { $cb
            [$($i)* $( $(#[$d])* $name(Bin) $kind [$f $(=> $form)?] )*]
            [$($n)* $( $name: bin($f) $(=> $form)?; )*] $m $($rest)* }
    };
    // The kinds without an operator of their own (the translator makes
    // them), one shape each: `Name = f`.
    (@imm32 $($args:tt)*) => {
        $crate::normalize_register_instrs! { @made BinImm32 imm32 $($args)* }
    };
    (@imm64 $($args:tt)*) => {
        $crate::normalize_register_instrs! { @made BinImm64 imm64 $($args)* }
    };
    (@mul_add $($args:tt)*) => {
        $crate::normalize_register_instrs! { @made MulAdd mul_add $($args)* }
    };
    (@shl_add $($args:tt)*) => {
        $crate::normalize_register_instrs! { @made ShlAdd shl_add $($args)* }
    };
    (@made $shape:ident $kind:ident $cb:tt [$($i:tt)*] $n:tt $m:tt
        { $( $(#[$d:meta])* $name:ident = $f:path ),* } $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { $cb
            [$($i)* $( $(#[$d])* $name($shape) $kind [$f] )*] $n $m $($rest)* }
    };
    // Loads: `Plain / Add / Scaled / At (LoadKind) <= operators`.
    ($cb:tt [$($i:tt)*] $n:tt [$($m:tt)*]
        load { $(
            $(#[$d:meta])* $plain:ident / $add:ident / $scaled:ident / $at:ident
            ($lk:ident) <= $($op:ident)|+
        ),* $(,)? } $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { $cb
            [$($i)*
                $( $(#[$d])* $plain(Load) load [$lk] )*
                $( $add(LoadAdd) load_add [$lk] )*
                $( $scaled(LoadScaled) load_scaled [$lk] )*
                $( $at(LoadAt) load_at [$lk] )*]
            $n
            [$($m)* $( $($op)|+ => load($plain, $add, $scaled, $at, $lk); )*]
            $($rest)* }
    };
    // Stores: `Plain / Add / Imm / At (N) <= operators`.
    ($cb:tt [$($i:tt)*] $n:tt [$($m:tt)*]
        store { $(
            $(#[$d:meta])* $plain:ident / $add:ident / $imm:ident / $at:ident ($bytes:literal)
            <= $($op:ident)|+
        ),* $(,)? } $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { $cb
            [$($i)*
                $( $(#[$d])* $plain(StoreReg) store [$bytes] )*
                $( $add(StoreAdd) store_add [$bytes] )*
                $( $imm(StoreImm) store_imm [$bytes] )*
                $( $at(StoreAt) store_at [$bytes] )*]
            $n
            [$($m)* $( $($op)|+ => store($plain, $add, $imm, $at, $bytes); )*]
            $($rest)* }
    };
    // Any other group: `Name = f` or `Name = f => forms`, by its kind above.
    ($cb:tt $i:tt $n:tt $m:tt
        $kind:ident { $( $(#[$d:meta])* $name:ident = $f:path $(=> $form:expr)? ),* $(,)? }
        $($rest:tt)*
    ) => {
        $crate::normalize_register_instrs! { @$kind $cb $i $n $m
            { $( $(#[$d])* $name = $f $(=> $form)? ),* } $($rest)* }
    };
}
