//! Translation of the non-control operators: numerics, locals, globals and
//! memory-0 accesses become register instructions; the cold rest runs in
//! stack mode.

use wasmparser::Operator;

use super::control::Cond;
use super::operands::Operand;
use super::{Instr, Translator};
use crate::error::CompileError;
use crate::exec::atomic_op::{atomic_op, AtomicKind, AtomicOp};
use crate::exec::numeric::v128;
use crate::ir::{Bin, BinImm32, BinImm64, MemArg, MulAdd, Select, ShlAdd, Un};
use crate::runtime::types::slots_of;

/// How a numeric operator translates.
#[derive(Clone, Copy)]
enum Numeric {
    Un(fn(Un) -> Instr),
    Bin(fn(Bin) -> Instr, BinForm),
    /// Keeps the bits: nothing to run.
    Reinterpret,
    /// Runs in stack mode, popping and pushing these slot counts.
    Stack(Instr, u32, u32),
}

/// The forms of a binary operator with a constant operand (written in the
/// instruction table, `ir/register_instrs.rs`).
#[derive(Clone, Copy)]
struct BinForm {
    /// The form with a constant right operand, if there is one.
    imm: Option<Imm>,
    /// The form with a constant left operand, for operators that do not
    /// commute.
    left: Option<Imm>,
    /// A constant left operand may move to the right.
    commutative: bool,
}

/// No constant forms.
const PLAIN: BinForm = BinForm {
    imm: None,
    left: None,
    commutative: false,
};

fn with_right(imm: Imm) -> BinForm {
    BinForm {
        imm: Some(imm),
        ..PLAIN
    }
}

/// A constant right operand as an `i32` immediate.
fn right32(f: fn(BinImm32) -> Instr) -> BinForm {
    with_right(Imm::I32(f))
}

/// A constant right operand as a 64-bit immediate.
fn right64(f: fn(BinImm64) -> Instr) -> BinForm {
    with_right(Imm::I64(f))
}

/// `i32.sub` of a constant: an add of its negation.
fn sub32() -> BinForm {
    with_right(Imm::Sub32)
}

fn sub64() -> BinForm {
    with_right(Imm::Sub64)
}

/// Division or remainder by a constant that cannot trap.
fn div32(f: fn(BinImm32) -> Instr, signed: bool) -> BinForm {
    with_right(Imm::Div32 { f, signed })
}

fn div64(f: fn(BinImm64) -> Instr, signed: bool) -> BinForm {
    with_right(Imm::Div64 { f, signed })
}

impl BinForm {
    /// The operands may swap.
    fn commutes(self) -> BinForm {
        BinForm {
            commutative: true,
            ..self
        }
    }

    /// A constant left operand as an `i32` immediate.
    fn left32(self, f: fn(BinImm32) -> Instr) -> BinForm {
        BinForm {
            left: Some(Imm::I32(f)),
            ..self
        }
    }

    fn left64(self, f: fn(BinImm64) -> Instr) -> BinForm {
        BinForm {
            left: Some(Imm::I64(f)),
            ..self
        }
    }
}

#[derive(Clone, Copy)]
enum Imm {
    I32(fn(BinImm32) -> Instr),
    I64(fn(BinImm64) -> Instr),
    /// `i32.sub` / `i64.sub`: adds the negated constant.
    Sub32,
    Sub64,
    /// Division or remainder: only by a constant that cannot trap.
    Div32 {
        f: fn(BinImm32) -> Instr,
        signed: bool,
    },
    Div64 {
        f: fn(BinImm64) -> Instr,
        signed: bool,
    },
}

impl Translator<'_> {
    /// Translates an operator that does not affect control flow.
    pub(super) fn plain(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if self.mul_add(&op) || self.shl_add(&op) {
            return Ok(());
        }
        if let Some(n) = numeric(&op) {
            self.numeric(n);
            return Ok(());
        }
        if self.local_or_global(&op) || self.memory_access(&op)? || self.call(&op)? {
            return Ok(());
        }
        let m = Self::memarg;
        if let Some((kind, width, memarg)) = atomic_op(&op) {
            let MemArg { mem, offset } = m(memarg)?;
            self.code.atomics.push(AtomicOp {
                kind,
                width,
                mem,
                offset,
            });
            let (pops, pushes) = kind.slots();
            let i = self.code.atomics.len() as u32 - 1;
            self.emit_stack(Instr::Atomic(i), pops, pushes);
            return Ok(());
        }
        if let Operator::AtomicFence { .. } = op {
            let fence = AtomicOp {
                kind: AtomicKind::Fence,
                width: 0,
                mem: 0,
                offset: 0,
            };
            self.code.atomics.push(fence);
            let i = self.code.atomics.len() as u32 - 1;
            self.emit_stack(Instr::Atomic(i), 0, 0);
            return Ok(());
        }
        if let Some(simd) = v128::simd_op(&op) {
            let (pops, pushes) = simd.slots();
            self.code.simd.push(simd);
            let i = self.code.simd.len() as u32 - 1;
            self.emit_stack(Instr::Simd(i), pops, pushes);
            return Ok(());
        }
        if let Some((mem_op, memarg)) = v128::simd_mem_op(&op) {
            let (pops, pushes) = mem_op.slots();
            self.code.simd_mem.push((mem_op, m(memarg)?));
            let i = self.code.simd_mem.len() as u32 - 1;
            self.emit_stack(Instr::SimdMem(i), pops, pushes);
            return Ok(());
        }
        let (instr, pops, pushes) = match op {
            Operator::Drop => {
                for _ in 0..self.operand_width {
                    self.pop_operand();
                }
                return Ok(());
            }
            Operator::Select => {
                self.select(self.operand_width);
                return Ok(());
            }
            Operator::TypedSelect { ty } => {
                self.select(slots_of(ty));
                return Ok(());
            }
            Operator::RefAsNonNull => {
                let op = self.pop_operand();
                let a = self.reg_of(op, self.height());
                self.emit_reg(Instr::TrapIfNull { a });
                self.push_operand(match op {
                    Operand::Const(_) => Operand::Home,
                    other => other,
                });
                return Ok(());
            }
            Operator::V128Const { value } => {
                let bits = value.i128() as u128;
                self.emit_stack(Instr::PushConst(bits as u64), 0, 1);
                self.emit_stack(Instr::PushConst((bits >> 64) as u64), 0, 1);
                return Ok(());
            }
            Operator::I32Const { value } => {
                self.push_operand(Operand::Const(value as u32 as u64));
                return Ok(());
            }
            Operator::I64Const { value } => {
                self.push_operand(Operand::Const(value as u64));
                return Ok(());
            }
            Operator::F32Const { value } => {
                self.push_operand(Operand::Const(value.bits() as u64));
                return Ok(());
            }
            Operator::F64Const { value } => {
                self.push_operand(Operand::Const(value.bits()));
                return Ok(());
            }
            Operator::RefNull { hty } => {
                let rt = wasmparser::RefType::new(true, hty)
                    .ok_or_else(|| CompileError::unsupported("reference type"))?;
                crate::binary::sections::check_ref_type(rt)?;
                {
                    self.push_operand(Operand::Const(0));
                    return Ok(());
                }
            }
            // Null is 0: `ref.is_null` is `i64.eqz` of the slot.
            Operator::RefIsNull => {
                self.numeric(Numeric::Un(Instr::I64Eqz));
                return Ok(());
            }
            Operator::MemorySize { mem } => (Instr::MemorySize(mem), 0, 1),
            Operator::MemoryGrow { mem } => (Instr::MemoryGrow(mem), 1, 1),
            Operator::MemoryInit { data_index, mem } => (
                Instr::MemoryInit {
                    data: data_index,
                    mem,
                },
                3,
                0,
            ),
            Operator::DataDrop { data_index } => (Instr::DataDrop(data_index), 0, 0),
            Operator::MemoryCopy { dst_mem, src_mem } => (
                Instr::MemoryCopy {
                    dst: dst_mem,
                    src: src_mem,
                },
                3,
                0,
            ),
            Operator::MemoryFill { mem } => (Instr::MemoryFill(mem), 3, 0),
            Operator::TableGet { table } => (Instr::TableGet(table), 1, 1),
            Operator::TableSet { table } => (Instr::TableSet(table), 2, 0),
            Operator::TableSize { table } => (Instr::TableSize(table), 0, 1),
            Operator::TableGrow { table } => (Instr::TableGrow(table), 2, 1),
            Operator::TableFill { table } => (Instr::TableFill(table), 3, 0),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => (
                Instr::TableCopy {
                    dst: dst_table,
                    src: src_table,
                },
                3,
                0,
            ),
            Operator::TableInit { elem_index, table } => (
                Instr::TableInit {
                    elem: elem_index,
                    table,
                },
                3,
                0,
            ),
            Operator::ElemDrop { elem_index } => (Instr::ElemDrop(elem_index), 0, 0),
            Operator::RefFunc { function_index } => (Instr::RefFunc(function_index), 0, 1),
            other => return self.gc(other),
        };
        self.emit_stack(instr, pops, pushes);
        Ok(())
    }

    fn numeric(&mut self, n: Numeric) {
        match n {
            Numeric::Un(f) => {
                let tested = self
                    .writer_of(self.height() - 1)
                    .as_ref()
                    .and_then(Cond::of)
                    .is_some();
                let a = self.pop_reg();
                let d = self.home(self.height());
                let instr = f(Un { d, a });
                self.produce(instr);
                // `i32.eqz` of a test that could fuse into a branch: a
                // `br_if` or `if` on it may branch on the negated test.
                self.eqz_of_test =
                    (tested && matches!(instr, Instr::I32Eqz(_))).then_some(self.pc() as usize - 1);
            }
            Numeric::Bin(
                f,
                BinForm {
                    imm,
                    left,
                    commutative,
                },
            ) => {
                let b = self.pop_operand();
                let a = self.pop_operand();
                let h = self.height();
                let d = self.home(h);
                if let (Some(imm), Operand::Const(c)) = (imm, b) {
                    if imm.accepts(c) {
                        if !matches!(a, Operand::Const(_)) && is_identity(&imm.instr(d, d, c)) {
                            // `x + 0`, `x << 0`...: the value is `x`, where it is.
                            return self.push_operand(a);
                        }
                        let a = self.reg_of(a, h);
                        return self.produce(imm.instr(d, a, c));
                    }
                }
                if let (Some(imm), Operand::Const(c), true) = (imm, a, commutative) {
                    let b = self.reg_of(b, h + 1);
                    return self.produce(imm.instr(d, b, c));
                }
                if let (Some(left), Operand::Const(c), false) =
                    (left, a, matches!(b, Operand::Const(_)))
                {
                    let b = self.reg_of(b, h + 1);
                    return self.produce(left.instr(d, b, c));
                }
                let a = self.reg_of(a, h);
                let b = self.reg_of(b, h + 1);
                self.produce(f(Bin { d, a, b }));
            }
            Numeric::Reinterpret => {}
            Numeric::Stack(instr, pops, pushes) => self.emit_stack(instr, pops, pushes),
        }
    }

    /// An `add` or `sub` whose operand the previous instruction multiplied:
    /// one fused instruction (the product's slot is never written). `false`,
    /// emitting nothing, when `op` is not such an add or sub.
    fn mul_add(&mut self, op: &Operator<'_>) -> bool {
        use Instr as I;
        if !matches!(
            op,
            Operator::I32Add
                | Operator::I64Add
                | Operator::F32Add
                | Operator::F64Add
                | Operator::I32Sub
                | Operator::I64Sub
                | Operator::F32Sub
                | Operator::F64Sub
        ) {
            return false;
        }
        let h = self.height();
        let top = self.operands[h as usize - 1];
        // Which add operand is the product: the top, or the one below a
        // value read in place.
        let (writer, product_first) = match self.writer_of(h - 1) {
            Some(w) => (w, false),
            None if top != Operand::Home => match self.writer_of(h - 2) {
                Some(w) => (w, true),
                None => return false,
            },
            None => return false,
        };
        let product = match writer {
            I::I32Mul(x) | I::I64Mul(x) | I::F32Mul(x) | I::F64Mul(x) => x,
            _ => return false,
        };
        // `MulAdd`/`MulSub`: the product is the first operand; `AddMul`/`SubMul`:
        // the second (integer adds commute, so one form serves both).
        let fused: fn(MulAdd) -> Instr = match (op, writer, product_first) {
            (Operator::I32Add, I::I32Mul(_), _) => I::I32MulAdd,
            (Operator::I64Add, I::I64Mul(_), _) => I::I64MulAdd,
            (Operator::F32Add, I::F32Mul(_), true) => I::F32MulAdd,
            (Operator::F32Add, I::F32Mul(_), false) => I::F32AddMul,
            (Operator::F64Add, I::F64Mul(_), true) => I::F64MulAdd,
            (Operator::F64Add, I::F64Mul(_), false) => I::F64AddMul,
            (Operator::I32Sub, I::I32Mul(_), false) => I::I32SubMul,
            (Operator::I64Sub, I::I64Mul(_), false) => I::I64SubMul,
            (Operator::F32Sub, I::F32Mul(_), true) => I::F32MulSub,
            (Operator::F32Sub, I::F32Mul(_), false) => I::F32SubMul,
            (Operator::F64Sub, I::F64Mul(_), true) => I::F64MulSub,
            (Operator::F64Sub, I::F64Mul(_), false) => I::F64SubMul,
            _ => return false,
        };
        let c_height = if product_first { h - 1 } else { h - 2 };
        let c = self.operands[c_height as usize];
        // The other operand must not be a constant: writing it to a slot
        // could clobber one the multiply still reads.
        if matches!(c, Operand::Const(_)) {
            return false;
        }
        self.unemit_writer();
        self.pop_operand();
        self.pop_operand();
        let c = self.reg_of(c, c_height);
        self.produce(fused(MulAdd {
            d: self.home(h - 2),
            a: product.a,
            b: product.b,
            c,
        }));
        true
    }

    /// An `i32.add` (or `i32.sub`) of a constant to a value the previous
    /// instruction shifted left by a constant: one `I32ShlAddImm`, the
    /// shifted value's slot never written. `false`, emitting nothing, when
    /// `op` is not such an add.
    fn shl_add(&mut self, op: &Operator<'_>) -> bool {
        let sub = match op {
            Operator::I32Add => false,
            Operator::I32Sub => true,
            _ => return false,
        };
        let h = self.height();
        let (below, top) = (self.operands[h as usize - 2], self.operands[h as usize - 1]);
        let (c, shifted) = match (below, top) {
            (_, Operand::Const(c)) => (c, h - 2),
            (Operand::Const(c), Operand::Home) if !sub => (c, h - 1),
            _ => return false,
        };
        let Some(Instr::I32ShlImm(x)) = self.writer_of(shifted) else {
            return false;
        };
        self.unemit_writer();
        self.pop_operand();
        self.pop_operand();
        let c = c as u32;
        self.produce(Instr::I32ShlAddImm(ShlAdd {
            d: self.home(h - 2),
            a: x.a,
            imm: if sub { c.wrapping_neg() } else { c },
            shift: (x.imm % 32) as u8,
        }));
        true
    }

    /// `select` of values `width` slots wide.
    fn select(&mut self, width: u32) {
        if width == 2 {
            return self.emit_stack(Instr::SelectV128, 5, 2);
        }
        let c = self.pop_operand();
        let b = self.pop_operand();
        let a = self.pop_operand();
        let h = self.height();
        let (a, b, c) = (
            self.reg_of(a, h),
            self.reg_of(b, h + 1),
            self.reg_of(c, h + 2),
        );
        self.produce(Instr::Select(Select {
            d: self.home(h),
            c,
            a,
            b,
        }));
    }

    /// `local.*` and `global.*`; `false` for any other operator. Inlined:
    /// where the operator is known (the visitor's `local_op`) only its
    /// own arm remains, no `match` over every operator.
    #[inline(always)]
    pub(super) fn local_or_global(&mut self, op: &Operator<'_>) -> bool {
        match *op {
            Operator::LocalGet { local_index: i } => {
                let r = self.local(i);
                if self.local_widths[i as usize] == 2 {
                    self.emit_stack(Instr::LocalGetV128(r), 0, 2);
                } else {
                    self.push_operand(Operand::Local(r));
                }
            }
            Operator::LocalSet { local_index: i } | Operator::LocalTee { local_index: i } => {
                let tee = matches!(op, Operator::LocalTee { .. });
                let r = self.local(i);
                if self.local_widths[i as usize] == 2 {
                    let instr = if tee {
                        Instr::LocalTeeV128(r)
                    } else {
                        Instr::LocalSetV128(r)
                    };
                    self.emit_stack(instr, 2, if tee { 2 } else { 0 });
                } else {
                    self.set_local(r);
                    if tee {
                        self.push_operand(Operand::Local(r));
                    }
                }
            }
            Operator::GlobalGet { global_index: g } => {
                if slots_of(self.info.global_types[g as usize].content()) == 2 {
                    self.emit_stack(Instr::GlobalGetV128(g), 0, 2);
                } else {
                    let d = self.home(self.height());
                    self.produce(Instr::GlobalGet(crate::ir::Indexed { d, i: g }));
                }
            }
            Operator::GlobalSet { global_index: g } => {
                if slots_of(self.info.global_types[g as usize].content()) == 2 {
                    self.emit_stack(Instr::GlobalSetV128(g), 2, 0);
                } else {
                    let a = self.pop_reg();
                    self.emit_reg(Instr::GlobalSet { g, a });
                }
            }
            _ => return false,
        }
        true
    }

    /// Pops the top value into local slot `r`. The instruction that just
    /// computed it writes `r` directly when nothing still reads the old value.
    fn set_local(&mut self, r: u32) {
        let len = self.operands.len();
        let pending_reads = self.operands[..len - 1].contains(&Operand::Local(r));
        if !pending_reads && self.writer_of(len as u32 - 1).is_some() {
            let at = self.last_writer.take().expect("found by writer_of");
            *self.code.instrs[at]
                .dst_mut()
                .expect("a writer writes a slot") = r;
            self.pop_operand();
            return;
        }
        if self.operands[len - 1] == Operand::Local(r) {
            // `local.set x (local.get x)`: nothing changes.
            self.pop_operand();
            return;
        }
        self.materialize_local(r);
        let op = self.pop_operand();
        let h = self.height();
        self.copy_to(op, h, r);
    }
}

impl Imm {
    /// Whether constant `c` can be the right operand of this form.
    fn accepts(self, c: u64) -> bool {
        match self {
            Imm::Div32 { signed, .. } => c as u32 != 0 && !(signed && c as u32 == u32::MAX),
            Imm::Div64 { signed, .. } => c != 0 && !(signed && c == u64::MAX),
            _ => true,
        }
    }

    fn instr(self, d: u32, a: u32, c: u64) -> Instr {
        match self {
            Imm::Div32 { f, .. } => f(BinImm32 {
                d,
                a,
                imm: c as u32,
            }),
            Imm::Div64 { f, .. } => f(BinImm64 { d, a, imm: c }),
            Imm::I32(f) => f(BinImm32 {
                d,
                a,
                imm: c as u32,
            }),
            Imm::I64(f) => f(BinImm64 { d, a, imm: c }),
            Imm::Sub32 => Instr::I32AddImm(BinImm32 {
                d,
                a,
                imm: (c as u32).wrapping_neg(),
            }),
            Imm::Sub64 => Instr::I64AddImm(BinImm64 {
                d,
                a,
                imm: c.wrapping_neg(),
            }),
        }
    }
}

/// Whether an instruction with a constant operand leaves its other operand
/// unchanged for every value (integers only: float identities fail for NaN
/// payloads and signed zeros).
fn is_identity(instr: &Instr) -> bool {
    use Instr as I;
    match *instr {
        I::I32AddImm(x) | I::I32OrImm(x) | I::I32XorImm(x) => x.imm == 0,
        I::I32ShlImm(x)
        | I::I32ShrSImm(x)
        | I::I32ShrUImm(x)
        | I::I32RotlImm(x)
        | I::I32RotrImm(x) => x.imm % 32 == 0,
        I::I32MulImm(x) => x.imm == 1,
        I::I32AndImm(x) => x.imm == u32::MAX,
        I::I64AddImm(x) | I::I64OrImm(x) | I::I64XorImm(x) => x.imm == 0,
        I::I64ShlImm(x)
        | I::I64ShrSImm(x)
        | I::I64ShrUImm(x)
        | I::I64RotlImm(x)
        | I::I64RotrImm(x) => x.imm % 64 == 0,
        I::I64MulImm(x) => x.imm == 1,
        I::I64AndImm(x) => x.imm == u64::MAX,
        _ => false,
    }
}

/// Maps every `un`/`bin` operator of the instruction table to its
/// translation; the forms after `=>` are this file's `BinForm` builders.
macro_rules! numeric_mapping {
    (
        instrs $instrs:tt
        numeric_operators { $( $op:ident: $arity:ident($f:path) $(=> $form:expr)?; )* }
        $($memory:tt)*
    ) => {
        /// How numeric operator `op` translates; `None` for other operators.
        /// (An operator on two table lines is an error, not a silent shadow.)
        #[deny(unreachable_patterns)]
        fn numeric(op: &Operator<'_>) -> Option<Numeric> {
            use Instr as I;
            Some(match op {
                $( Operator::$op => translation!($arity I::$op $(, $form)?), )*
                Operator::I64Add128 => Numeric::Stack(I::I64Add128, 4, 2),
                Operator::I64Sub128 => Numeric::Stack(I::I64Sub128, 4, 2),
                Operator::I64MulWideS => Numeric::Stack(I::I64MulWideS, 2, 2),
                Operator::I64MulWideU => Numeric::Stack(I::I64MulWideU, 2, 2),
                Operator::I32ReinterpretF32
                | Operator::I64ReinterpretF64
                | Operator::F32ReinterpretI32
                | Operator::F64ReinterpretI64 => Numeric::Reinterpret,
                _ => return None,
            })
        }
    };
}

/// A table operator's translation by its arity, with the constant forms
/// its entry names (none when it names none).
macro_rules! translation {
    (un $instr:path) => {
        Numeric::Un($instr)
    };
    (bin $instr:path) => {
        Numeric::Bin($instr, PLAIN)
    };
    (bin $instr:path, $form:expr) => {
        Numeric::Bin($instr, $form)
    };
}

crate::for_each_register_instr!(numeric_mapping! {});
