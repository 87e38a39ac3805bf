//! The interpreter's hot loop: the instructions that neither switch frames
//! nor need the value stack as a whole, run with the stack height in a local.
//!
//! The value stack's buffer is moved out of the executor for the duration
//! of [`Executor::run_fast`], so its pointer, its length and the height `sp`
//! live in registers instead of being reloaded through `self` after every
//! store (a `Vec`'s own length could alias its buffer as far as the
//! compiler knows). The buffer is at least as long as the running function
//! can need (checked once per function entry: `Values::reserve`), so a
//! push is one store. Every other instruction leaves the loop and runs in
//! [`Executor::step`] on the restored stack.

use super::slot::{bin, bin_trap, un, un_trap, wide};
use super::Executor;
use crate::api::error::{RuntimeError, TrapKind};
use crate::exec::code::FuncCode;
use crate::exec::instr::{BrTarget, Instr};
use crate::exec::numeric::{convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64};

/// Takes a branch on the slot buffer `s` of height `*sp`: keeps the label's
/// values, drops the rest; returns the new pc.
#[inline(always)]
fn branch(s: &mut [u64], sp: &mut usize, t: BrTarget) -> usize {
    if t.drop > 0 {
        let len = *sp;
        let keep = t.keep as usize;
        if keep == 1 {
            // The usual label arity, without `copy_within`'s `memmove` call.
            s[len - 1 - t.drop as usize] = s[len - 1];
        } else {
            s.copy_within(len - keep..len, len - keep - t.drop as usize);
        }
        *sp = len - t.drop as usize;
    }
    t.pc as usize
}

impl Executor<'_> {
    /// Takes a branch from just before `pc`; a backward branch is a loop
    /// iteration, so it polls the interrupt flag (loops have no header
    /// instruction of their own: that would cost a dispatch per iteration).
    #[inline(always)]
    fn jump_in(
        &self,
        s: &mut [u64],
        sp: &mut usize,
        t: BrTarget,
        pc: usize,
    ) -> Result<usize, RuntimeError> {
        let to = branch(s, sp, t);
        if to < pc {
            self.poll_interrupt()?;
        }
        Ok(to)
    }

    /// Runs the current function from `self.pc` on the slot buffer `s`
    /// (taken out of `self.values`) with height `sp`, until an instruction
    /// outside this loop: returns it and the height, with `self.pc` just
    /// past it.
    pub(super) fn run_fast(
        &mut self,
        s: &mut [u64],
        mut sp: usize,
    ) -> Result<(Instr, usize), RuntimeError> {
        use Instr as I;
        let code_ref = self.code;
        let code: &FuncCode = &code_ref;
        // The slice itself (pointer and length) as a local, kept in registers.
        let instrs: &[Instr] = &code.instrs;
        let base = self.base;
        let mut pc = self.pc;
        macro_rules! push {
            ($x:expr) => {{
                let x = $x;
                s[sp] = x;
                sp += 1;
            }};
        }
        macro_rules! pop {
            () => {{
                sp -= 1;
                s[sp]
            }};
        }
        macro_rules! load {
            ($n:literal, $m:expr, $conv:expr) => {{
                let bytes: [u8; $n] = self.read::<$n>($m.mem, s[sp - 1], $m.offset)?;
                let conv: fn([u8; $n]) -> u64 = $conv;
                s[sp - 1] = conv(bytes);
            }};
        }
        macro_rules! store {
            ($n:literal, $m:expr, $conv:expr) => {{
                let x = pop!();
                let a = pop!();
                let conv: fn(u64) -> [u8; $n] = $conv;
                self.write_mem::<$n>($m.mem, a, $m.offset, conv(x))?;
            }};
        }
        loop {
            let instr = instrs[pc];
            pc += 1;
            match instr {
                I::Unreachable => return Err(RuntimeError::new(TrapKind::Unreachable)),
                I::Br(t) => pc = self.jump_in(s, &mut sp, t, pc)?,
                I::BrIf(t) => {
                    if pop!() as u32 != 0 {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrUnless { pc: target } => {
                    if pop!() as u32 == 0 {
                        pc = target as usize
                    }
                }
                I::BrIfEqz(t) => {
                    if pop!() as u32 == 0 {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrIfNez { pc: target } => {
                    if pop!() as u32 != 0 {
                        pc = target as usize
                    }
                }
                I::BrIfCmp(t, cmp) => {
                    let b = pop!();
                    let a = pop!();
                    if cmp.holds(a, b) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrUnlessCmp { pc: target, cmp } => {
                    let b = pop!();
                    let a = pop!();
                    if !cmp.holds(a, b) {
                        pc = target as usize
                    }
                }
                I::I32AddImm(c) => un(s, sp, |a: i32| a.wrapping_add(c as i32)),
                I::I32AndImm(c) => un(s, sp, |a: i32| a & c as i32),
                I::I32ShlImm(c) => un(s, sp, |a: i32| I32::shl(a, c as i32)),
                I::I32ShrSImm(c) => un(s, sp, |a: i32| I32::shr_s(a, c as i32)),
                I::I32ShrUImm(c) => un(s, sp, |a: i32| I32::shr_u(a, c as i32)),
                I::I64AddImm(c) => un(s, sp, |a: i64| a.wrapping_add(c as i64)),
                I::I32AddLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a.wrapping_add(b))
                }
                I::I32SubLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a.wrapping_sub(b))
                }
                I::I32MulLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a.wrapping_mul(b))
                }
                I::I32AndLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a & b)
                }
                I::I32OrLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a | b)
                }
                I::I32XorLocal(o) => {
                    let b = s[base + o as usize] as i32;
                    un(s, sp, |a: i32| a ^ b)
                }
                I::I64AddLocal(o) => {
                    let b = s[base + o as usize] as i64;
                    un(s, sp, |a: i64| a.wrapping_add(b))
                }
                I::I64SubLocal(o) => {
                    let b = s[base + o as usize] as i64;
                    un(s, sp, |a: i64| a.wrapping_sub(b))
                }
                I::I64MulLocal(o) => {
                    let b = s[base + o as usize] as i64;
                    un(s, sp, |a: i64| a.wrapping_mul(b))
                }
                I::I32AddImmLocal { local, imm } => {
                    let x = (s[base + local as usize] as u32).wrapping_add(imm);
                    push!(x as u64)
                }
                I::LocalAddImm { from, to, imm } => {
                    s[base + to as usize] =
                        (s[base + from as usize] as u32).wrapping_add(imm) as u64
                }
                I::LocalAddImmTee { from, to, imm } => {
                    let x = (s[base + from as usize] as u32).wrapping_add(imm) as u64;
                    s[base + to as usize] = x;
                    push!(x)
                }
                I::LocalSetGet { set, get } => {
                    let top = sp - 1;
                    s[base + set as usize] = s[top];
                    s[top] = s[base + get as usize];
                }
                I::LocalTeeGet { tee, get } => {
                    let x = s[sp - 1];
                    s[base + tee as usize] = x;
                    let y = s[base + get as usize];
                    push!(y)
                }
                I::LocalGet2 { a, b } => {
                    let (x, y) = (s[base + a as usize], s[base + b as usize]);
                    push!(x);
                    push!(y)
                }
                I::F64AddLocal(o) => {
                    let b = f64::from_bits(s[base + o as usize]);
                    un(s, sp, |a: f64| F64::add(a, b))
                }
                I::F64SubLocal(o) => {
                    let b = f64::from_bits(s[base + o as usize]);
                    un(s, sp, |a: f64| F64::sub(a, b))
                }
                I::F64MulLocal(o) => {
                    let b = f64::from_bits(s[base + o as usize]);
                    un(s, sp, |a: f64| F64::mul(a, b))
                }
                I::I32LoadLocal { local, offset } => {
                    let addr = s[base + local as usize];
                    let bytes = self.read::<4>(0, addr, offset as u64)?;
                    push!(u32::from_le_bytes(bytes) as u64)
                }
                I::I64LoadLocal { local, offset } => {
                    let addr = s[base + local as usize];
                    let bytes = self.read::<8>(0, addr, offset as u64)?;
                    push!(u64::from_le_bytes(bytes))
                }
                I::I32RotlImm(c) => un(s, sp, |a: i32| I32::rotl(a, c as i32)),
                I::I64ShlImm(c) => un(s, sp, |a: i64| I64::shl(a, c as i64)),
                I::I64ShrUImm(c) => un(s, sp, |a: i64| I64::shr_u(a, c as i64)),
                I::I64AndImm(c) => un(s, sp, |a: i64| a & c as i64),
                I::I32CmpLocal(cmp, o) => {
                    let b = s[base + o as usize];
                    let top = sp - 1;
                    s[top] = cmp.holds(s[top], b) as u64
                }
                I::I32CmpImm(cmp, c) => {
                    let top = sp - 1;
                    s[top] = cmp.holds(s[top], c as u64) as u64
                }
                I::BrIfCmpLocal(t, cmp, o) => {
                    let b = s[base + o as usize];
                    let a = pop!();
                    if cmp.holds(a, b) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrIfCmpImm(t, cmp, c) => {
                    let a = pop!();
                    if cmp.holds(a, c as u64) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrIfCmp64(t, cmp) => {
                    let b = pop!();
                    let a = pop!();
                    if cmp.holds64(a, b) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::BrIfEqz64(t) => {
                    if pop!() == 0 {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::I32AddLL { a, b } => {
                    let x = (s[base + a as usize] as u32).wrapping_add(s[base + b as usize] as u32);
                    push!(x as u64)
                }
                I::LocalAddLL { a, b, to } => {
                    let x = (s[base + a as usize] as u32).wrapping_add(s[base + b as usize] as u32);
                    s[base + to as usize] = x as u64
                }
                I::I64AddLL { a, b } => {
                    let x = s[base + a as usize].wrapping_add(s[base + b as usize]);
                    push!(x)
                }
                I::F64AddLL { a, b } => {
                    let (x, y) = (s[base + a as usize], s[base + b as usize]);
                    push!(F64::add(f64::from_bits(x), f64::from_bits(y)).to_bits())
                }
                I::F64SubLL { a, b } => {
                    let (x, y) = (s[base + a as usize], s[base + b as usize]);
                    push!(F64::sub(f64::from_bits(x), f64::from_bits(y)).to_bits())
                }
                I::F64MulLL { a, b } => {
                    let (x, y) = (s[base + a as usize], s[base + b as usize]);
                    push!(F64::mul(f64::from_bits(x), f64::from_bits(y)).to_bits())
                }
                I::BrIfCmpF64(t, cmp) => {
                    let b = pop!();
                    let a = pop!();
                    if cmp.holds_f64(a, b) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::I32ShlImmLocal { local, imm } => {
                    let x = I32::shl(s[base + local as usize] as i32, imm as i32);
                    push!(x as u32 as u64)
                }
                I::I32RotlImmLocal { local, imm } => {
                    let x = I32::rotl(s[base + local as usize] as i32, imm as i32);
                    push!(x as u32 as u64)
                }
                I::LocalCopy2 {
                    from1,
                    to1,
                    from2,
                    to2,
                } => {
                    s[base + to1 as usize] = s[base + from1 as usize];
                    s[base + to2 as usize] = s[base + from2 as usize];
                }
                I::I32ShlAddImmLocal { local, shift, imm } => {
                    let x = I32::shl(s[base + local as usize] as i32, shift as i32);
                    push!((x as u32).wrapping_add(imm) as u64)
                }
                I::I32LoadLocalImm { local, imm, offset } => {
                    let addr = (s[base + local as usize] as u32).wrapping_add(imm) as u64;
                    let bytes = self.read::<4>(0, addr, offset as u64)?;
                    push!(u32::from_le_bytes(bytes) as u64)
                }
                I::I64LoadLocalImm { local, imm, offset } => {
                    let addr = (s[base + local as usize] as u32).wrapping_add(imm) as u64;
                    let bytes = self.read::<8>(0, addr, offset as u64)?;
                    push!(u64::from_le_bytes(bytes))
                }
                I::F64AddSet(x) => {
                    let b = f64::from_bits(pop!());
                    let a = f64::from_bits(pop!());
                    s[base + x as usize] = F64::add(a, b).to_bits()
                }
                I::F64AddTee(x) => {
                    bin(s, &mut sp, F64::add);
                    s[base + x as usize] = s[sp - 1]
                }
                I::I32MulAddLocal(x) => {
                    let x = s[base + x as usize] as u32;
                    let a = pop!() as u32;
                    s[sp - 1] = (s[sp - 1] as u32).wrapping_add(a.wrapping_mul(x)) as u64
                }
                I::BrIfNez64 { pc: target } => {
                    if pop!() != 0 {
                        pc = target as usize
                    }
                }
                I::I64AddImmLocal { local, imm } => {
                    let x = s[base + local as usize].wrapping_add(imm);
                    push!(x)
                }
                I::I32StoreLL { addr, val, offset } => {
                    let (a, x) = (s[base + addr as usize], s[base + val as usize]);
                    self.write::<4>(a, offset as u64, (x as u32).to_le_bytes())?
                }
                I::F64CmpImm(cmp, c) => {
                    let top = sp - 1;
                    s[top] = cmp.holds_f64(s[top], c) as u64
                }
                I::BrIfCmpF64Imm(t, cmp, c) => {
                    let a = pop!();
                    if cmp.holds_f64(a, c) {
                        pc = self.jump_in(s, &mut sp, t, pc)?
                    }
                }
                I::LocalSetConst { local, value } => s[base + local as usize] = value as u64,
                I::LocalCopy { from, to } => s[base + to as usize] = s[base + from as usize],
                I::BrTable { first, len } => {
                    let i = (pop!() as u32).min(len - 1);
                    pc = self.jump_in(s, &mut sp, code.br_targets[(first + i) as usize], pc)?
                }
                I::BrOnNull(t) => {
                    if s[sp - 1] == 0 {
                        pop!();
                        pc = self.jump_in(s, &mut sp, t, pc)?;
                    }
                }
                I::BrOnNonNull(t) => {
                    if s[sp - 1] != 0 {
                        pc = self.jump_in(s, &mut sp, t, pc)?;
                    } else {
                        pop!();
                    }
                }
                I::RefAsNonNull => {
                    if s[sp - 1] == 0 {
                        return Err(RuntimeError::new(TrapKind::NullReference));
                    }
                }
                I::Drop(n) => sp -= n as usize,
                I::Select => {
                    let c = pop!() as u32;
                    let b = pop!();
                    if c == 0 {
                        s[sp - 1] = b;
                    }
                }
                I::LocalGet(o) => {
                    let x = s[base + o as usize];
                    push!(x)
                }
                I::LocalSet(o) => {
                    let x = pop!();
                    s[base + o as usize] = x
                }
                I::LocalTee(o) => {
                    let x = s[sp - 1];
                    s[base + o as usize] = x
                }
                I::GlobalGet(g) => {
                    let x = self.store.globals[self.inst.globals[g as usize] as usize].value as u64;
                    push!(x)
                }
                I::GlobalSet(g) => {
                    let x = pop!();
                    self.store.globals[self.inst.globals[g as usize] as usize].value = x as u128
                }
                I::Const(c) => push!(c),
                I::I32Load(m) | I::F32Load(m) => {
                    load!(4, m, |b| u32::from_le_bytes(b) as u64)
                }
                I::I64Load(m) | I::F64Load(m) => load!(8, m, u64::from_le_bytes),
                I::I32Load8S(m) => load!(1, m, |b| b[0] as i8 as i32 as u32 as u64),
                I::I32Load8U(m) => load!(1, m, |b| b[0] as u64),
                I::I32Load16S(m) => {
                    load!(2, m, |b| i16::from_le_bytes(b) as i32 as u32 as u64)
                }
                I::I32Load16U(m) => load!(2, m, |b| u16::from_le_bytes(b) as u64),
                I::I64Load8S(m) => load!(1, m, |b| b[0] as i8 as i64 as u64),
                I::I64Load8U(m) => load!(1, m, |b| b[0] as u64),
                I::I64Load16S(m) => {
                    load!(2, m, |b| i16::from_le_bytes(b) as i64 as u64)
                }
                I::I64Load16U(m) => load!(2, m, |b| u16::from_le_bytes(b) as u64),
                I::I64Load32S(m) => {
                    load!(4, m, |b| i32::from_le_bytes(b) as i64 as u64)
                }
                I::I64Load32U(m) => load!(4, m, |b| u32::from_le_bytes(b) as u64),
                I::I32Store(m) | I::F32Store(m) => {
                    store!(4, m, |x| (x as u32).to_le_bytes())
                }
                I::I64Store(m) | I::F64Store(m) => store!(8, m, u64::to_le_bytes),
                I::I32Store8(m) | I::I64Store8(m) => store!(1, m, |x| [x as u8]),
                I::I32Store16(m) | I::I64Store16(m) => {
                    store!(2, m, |x| (x as u16).to_le_bytes())
                }
                I::I64Store32(m) => store!(4, m, |x| (x as u32).to_le_bytes()),
                I::RefIsNull => s[sp - 1] = (s[sp - 1] == 0) as u64,
                I::RefFunc(f) => {
                    let addr = self.inst.funcs[f as usize];
                    push!(addr as u64 + 1)
                }

                I::I32Eqz => un(s, sp, I32::eqz),
                I::I32Eq => bin(s, &mut sp, I32::eq),
                I::I32Ne => bin(s, &mut sp, I32::ne),
                I::I32LtS => bin(s, &mut sp, I32::lt_s),
                I::I32LtU => bin(s, &mut sp, I32::lt_u),
                I::I32GtS => bin(s, &mut sp, I32::gt_s),
                I::I32GtU => bin(s, &mut sp, I32::gt_u),
                I::I32LeS => bin(s, &mut sp, I32::le_s),
                I::I32LeU => bin(s, &mut sp, I32::le_u),
                I::I32GeS => bin(s, &mut sp, I32::ge_s),
                I::I32GeU => bin(s, &mut sp, I32::ge_u),
                I::I64Eqz => un(s, sp, I64::eqz),
                I::I64Eq => bin(s, &mut sp, I64::eq),
                I::I64Ne => bin(s, &mut sp, I64::ne),
                I::I64LtS => bin(s, &mut sp, I64::lt_s),
                I::I64LtU => bin(s, &mut sp, I64::lt_u),
                I::I64GtS => bin(s, &mut sp, I64::gt_s),
                I::I64GtU => bin(s, &mut sp, I64::gt_u),
                I::I64LeS => bin(s, &mut sp, I64::le_s),
                I::I64LeU => bin(s, &mut sp, I64::le_u),
                I::I64GeS => bin(s, &mut sp, I64::ge_s),
                I::I64GeU => bin(s, &mut sp, I64::ge_u),
                I::F32Eq => bin(s, &mut sp, F32::eq),
                I::F32Ne => bin(s, &mut sp, F32::ne),
                I::F32Lt => bin(s, &mut sp, F32::lt),
                I::F32Gt => bin(s, &mut sp, F32::gt),
                I::F32Le => bin(s, &mut sp, F32::le),
                I::F32Ge => bin(s, &mut sp, F32::ge),
                I::F64Eq => bin(s, &mut sp, F64::eq),
                I::F64Ne => bin(s, &mut sp, F64::ne),
                I::F64Lt => bin(s, &mut sp, F64::lt),
                I::F64Gt => bin(s, &mut sp, F64::gt),
                I::F64Le => bin(s, &mut sp, F64::le),
                I::F64Ge => bin(s, &mut sp, F64::ge),

                I::I32Clz => un(s, sp, I32::clz),
                I::I32Ctz => un(s, sp, I32::ctz),
                I::I32Popcnt => un(s, sp, I32::popcnt),
                I::I32Add => bin(s, &mut sp, I32::add),
                I::I32Sub => bin(s, &mut sp, I32::sub),
                I::I32Mul => bin(s, &mut sp, I32::mul),
                I::I32DivS => bin_trap(s, &mut sp, I32::div_s)?,
                I::I32DivU => bin_trap(s, &mut sp, I32::div_u)?,
                I::I32RemS => bin_trap(s, &mut sp, I32::rem_s)?,
                I::I32RemU => bin_trap(s, &mut sp, I32::rem_u)?,
                I::I32And => bin(s, &mut sp, I32::and),
                I::I32Or => bin(s, &mut sp, I32::or),
                I::I32Xor => bin(s, &mut sp, I32::xor),
                I::I32Shl => bin(s, &mut sp, I32::shl),
                I::I32ShrS => bin(s, &mut sp, I32::shr_s),
                I::I32ShrU => bin(s, &mut sp, I32::shr_u),
                I::I32Rotl => bin(s, &mut sp, I32::rotl),
                I::I32Rotr => bin(s, &mut sp, I32::rotr),
                I::I64Clz => un(s, sp, I64::clz),
                I::I64Ctz => un(s, sp, I64::ctz),
                I::I64Popcnt => un(s, sp, I64::popcnt),
                I::I64Add => bin(s, &mut sp, I64::add),
                I::I64Sub => bin(s, &mut sp, I64::sub),
                I::I64Mul => bin(s, &mut sp, I64::mul),
                I::I64DivS => bin_trap(s, &mut sp, I64::div_s)?,
                I::I64DivU => bin_trap(s, &mut sp, I64::div_u)?,
                I::I64RemS => bin_trap(s, &mut sp, I64::rem_s)?,
                I::I64RemU => bin_trap(s, &mut sp, I64::rem_u)?,
                I::I64And => bin(s, &mut sp, I64::and),
                I::I64Or => bin(s, &mut sp, I64::or),
                I::I64Xor => bin(s, &mut sp, I64::xor),
                I::I64Shl => bin(s, &mut sp, I64::shl),
                I::I64ShrS => bin(s, &mut sp, I64::shr_s),
                I::I64ShrU => bin(s, &mut sp, I64::shr_u),
                I::I64Rotl => bin(s, &mut sp, I64::rotl),
                I::I64Rotr => bin(s, &mut sp, I64::rotr),

                I::F32Abs => un(s, sp, F32::abs),
                I::F32Neg => un(s, sp, F32::neg),
                I::F32Ceil => un(s, sp, F32::ceil),
                I::F32Floor => un(s, sp, F32::floor),
                I::F32Trunc => un(s, sp, F32::trunc),
                I::F32Nearest => un(s, sp, F32::nearest),
                I::F32Sqrt => un(s, sp, F32::sqrt),
                I::F32Add => bin(s, &mut sp, F32::add),
                I::F32Sub => bin(s, &mut sp, F32::sub),
                I::F32Mul => bin(s, &mut sp, F32::mul),
                I::F32Div => bin(s, &mut sp, F32::div),
                I::F32Min => bin(s, &mut sp, F32::min),
                I::F32Max => bin(s, &mut sp, F32::max),
                I::F32Copysign => bin(s, &mut sp, F32::copysign),
                I::F64Abs => un(s, sp, F64::abs),
                I::F64Neg => un(s, sp, F64::neg),
                I::F64Ceil => un(s, sp, F64::ceil),
                I::F64Floor => un(s, sp, F64::floor),
                I::F64Trunc => un(s, sp, F64::trunc),
                I::F64Nearest => un(s, sp, F64::nearest),
                I::F64Sqrt => un(s, sp, F64::sqrt),
                I::F64Add => bin(s, &mut sp, F64::add),
                I::F64Sub => bin(s, &mut sp, F64::sub),
                I::F64Mul => bin(s, &mut sp, F64::mul),
                I::F64Div => bin(s, &mut sp, F64::div),
                I::F64Min => bin(s, &mut sp, F64::min),
                I::F64Max => bin(s, &mut sp, F64::max),
                I::F64Copysign => bin(s, &mut sp, F64::copysign),

                I::I32WrapI64 => un(s, sp, convert::i32_wrap_i64),
                I::I32TruncF32S => un_trap(s, sp, convert::i32_trunc_f32_s)?,
                I::I32TruncF32U => un_trap(s, sp, convert::i32_trunc_f32_u)?,
                I::I32TruncF64S => un_trap(s, sp, convert::i32_trunc_f64_s)?,
                I::I32TruncF64U => un_trap(s, sp, convert::i32_trunc_f64_u)?,
                I::I64ExtendI32S => un(s, sp, convert::i64_extend_i32_s),
                I::I64ExtendI32U => un(s, sp, convert::i64_extend_i32_u),
                I::I64TruncF32S => un_trap(s, sp, convert::i64_trunc_f32_s)?,
                I::I64TruncF32U => un_trap(s, sp, convert::i64_trunc_f32_u)?,
                I::I64TruncF64S => un_trap(s, sp, convert::i64_trunc_f64_s)?,
                I::I64TruncF64U => un_trap(s, sp, convert::i64_trunc_f64_u)?,
                I::F32ConvertI32S => un(s, sp, convert::f32_convert_i32_s),
                I::F32ConvertI32U => un(s, sp, convert::f32_convert_i32_u),
                I::F32ConvertI64S => un(s, sp, convert::f32_convert_i64_s),
                I::F32ConvertI64U => un(s, sp, convert::f32_convert_i64_u),
                I::F32DemoteF64 => un(s, sp, convert::f32_demote_f64),
                I::F64ConvertI32S => un(s, sp, convert::f64_convert_i32_s),
                I::F64ConvertI32U => un(s, sp, convert::f64_convert_i32_u),
                I::F64ConvertI64S => un(s, sp, convert::f64_convert_i64_s),
                I::F64ConvertI64U => un(s, sp, convert::f64_convert_i64_u),
                I::F64PromoteF32 => un(s, sp, convert::f64_promote_f32),
                I::I32Extend8S => un(s, sp, I32::extend8_s),
                I::I32Extend16S => un(s, sp, I32::extend16_s),
                I::I64Extend8S => un(s, sp, I64::extend8_s),
                I::I64Extend16S => un(s, sp, I64::extend16_s),
                I::I64Extend32S => un(s, sp, I64::extend32_s),
                I::I32TruncSatF32S => un(s, sp, convert::i32_trunc_sat_f32_s),
                I::I32TruncSatF32U => un(s, sp, convert::i32_trunc_sat_f32_u),
                I::I32TruncSatF64S => un(s, sp, convert::i32_trunc_sat_f64_s),
                I::I32TruncSatF64U => un(s, sp, convert::i32_trunc_sat_f64_u),
                I::I64TruncSatF32S => un(s, sp, convert::i64_trunc_sat_f32_s),
                I::I64TruncSatF32U => un(s, sp, convert::i64_trunc_sat_f32_u),
                I::I64TruncSatF64S => un(s, sp, convert::i64_trunc_sat_f64_s),
                I::I64TruncSatF64U => un(s, sp, convert::i64_trunc_sat_f64_u),
                I::I64Add128 => wide::<4>(s, &mut sp, |[a, b, c, d]| I64::add128(a, b, c, d)),
                I::I64Sub128 => wide::<4>(s, &mut sp, |[a, b, c, d]| I64::sub128(a, b, c, d)),
                I::I64MulWideS => wide::<2>(s, &mut sp, |[a, b]| I64::mul_wide_s(a, b)),
                I::I64MulWideU => wide::<2>(s, &mut sp, |[a, b]| I64::mul_wide_u(a, b)),
                _ => {
                    self.pc = pc;
                    return Ok((instr, sp));
                }
            }
        }
    }
}
