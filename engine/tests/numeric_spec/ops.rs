//! Maps each numeric `wasmparser` operator to the `exec::numeric` function under test.

use touchstone_engine::exec::numeric::{
    convert, f32 as fp32, f64 as fp64, i32 as int32, i64 as int64, NumericTrap,
};
use wasmparser::Operator;

use crate::spec_support::Val;

/// What evaluating an operator gives: its results, or a trap.
pub type Outcome = Result<Vec<Val>, NumericTrap>;

/// Evaluates an operator on its operands (in push order).
pub type Eval = Box<dyn Fn(&[Val]) -> Outcome>;

/// An operator's meaning: pops `arity` operands and gives an outcome.
pub struct Semantics {
    pub arity: usize,
    pub eval: Eval,
}

/// Reads one operand of the expected Rust type.
trait FromVal: Sized {
    fn from_val(v: Val) -> Self;
}

/// Turns a function result into an [`Outcome`].
trait IntoOutcome {
    fn into_outcome(self) -> Outcome;
}

macro_rules! scalar {
    ($t:ty, $variant:ident, $to:expr, $from:expr) => {
        impl FromVal for $t {
            fn from_val(v: Val) -> Self {
                match v {
                    Val::$variant(x) => $from(x),
                    other => panic!("operand {other:?} is not {}", stringify!($t)),
                }
            }
        }
        impl IntoOutcome for $t {
            fn into_outcome(self) -> Outcome {
                Ok(vec![Val::$variant($to(self))])
            }
        }
        impl IntoOutcome for Result<$t, NumericTrap> {
            fn into_outcome(self) -> Outcome {
                self.map(|x| vec![Val::$variant($to(x))])
            }
        }
    };
}

scalar!(i32, I32, |x| x, |x| x);
scalar!(i64, I64, |x| x, |x| x);
scalar!(f32, F32, f32::to_bits, f32::from_bits);
scalar!(f64, F64, f64::to_bits, f64::from_bits);

impl IntoOutcome for (i64, i64) {
    fn into_outcome(self) -> Outcome {
        Ok(vec![Val::I64(self.0), Val::I64(self.1)])
    }
}

fn un<A: FromVal, R: IntoOutcome>(f: impl Fn(A) -> R + 'static) -> Semantics {
    Semantics {
        arity: 1,
        eval: Box::new(move |a| f(A::from_val(a[0])).into_outcome()),
    }
}

fn bin<A: FromVal, B: FromVal, R: IntoOutcome>(f: impl Fn(A, B) -> R + 'static) -> Semantics {
    Semantics {
        arity: 2,
        eval: Box::new(move |a| f(A::from_val(a[0]), B::from_val(a[1])).into_outcome()),
    }
}

fn quad(f: fn(i64, i64, i64, i64) -> (i64, i64)) -> Semantics {
    let g = |v: Val| i64::from_val(v);
    Semantics {
        arity: 4,
        eval: Box::new(move |a| f(g(a[0]), g(a[1]), g(a[2]), g(a[3])).into_outcome()),
    }
}

/// The semantics of a numeric operator, or `None` for anything else.
pub fn semantics(op: &Operator<'_>) -> Option<Semantics> {
    use Operator as O;
    Some(match op {
        O::I32Eqz => un(int32::eqz),
        O::I32Eq => bin(int32::eq),
        O::I32Ne => bin(int32::ne),
        O::I32LtS => bin(int32::lt_s),
        O::I32LtU => bin(int32::lt_u),
        O::I32GtS => bin(int32::gt_s),
        O::I32GtU => bin(int32::gt_u),
        O::I32LeS => bin(int32::le_s),
        O::I32LeU => bin(int32::le_u),
        O::I32GeS => bin(int32::ge_s),
        O::I32GeU => bin(int32::ge_u),
        O::I32Clz => un(int32::clz),
        O::I32Ctz => un(int32::ctz),
        O::I32Popcnt => un(int32::popcnt),
        O::I32Add => bin(int32::add),
        O::I32Sub => bin(int32::sub),
        O::I32Mul => bin(int32::mul),
        O::I32DivS => bin(int32::div_s),
        O::I32DivU => bin(int32::div_u),
        O::I32RemS => bin(int32::rem_s),
        O::I32RemU => bin(int32::rem_u),
        O::I32And => bin(int32::and),
        O::I32Or => bin(int32::or),
        O::I32Xor => bin(int32::xor),
        O::I32Shl => bin(int32::shl),
        O::I32ShrS => bin(int32::shr_s),
        O::I32ShrU => bin(int32::shr_u),
        O::I32Rotl => bin(int32::rotl),
        O::I32Rotr => bin(int32::rotr),
        O::I32Extend8S => un(int32::extend8_s),
        O::I32Extend16S => un(int32::extend16_s),

        O::I64Eqz => un(int64::eqz),
        O::I64Eq => bin(int64::eq),
        O::I64Ne => bin(int64::ne),
        O::I64LtS => bin(int64::lt_s),
        O::I64LtU => bin(int64::lt_u),
        O::I64GtS => bin(int64::gt_s),
        O::I64GtU => bin(int64::gt_u),
        O::I64LeS => bin(int64::le_s),
        O::I64LeU => bin(int64::le_u),
        O::I64GeS => bin(int64::ge_s),
        O::I64GeU => bin(int64::ge_u),
        O::I64Clz => un(int64::clz),
        O::I64Ctz => un(int64::ctz),
        O::I64Popcnt => un(int64::popcnt),
        O::I64Add => bin(int64::add),
        O::I64Sub => bin(int64::sub),
        O::I64Mul => bin(int64::mul),
        O::I64DivS => bin(int64::div_s),
        O::I64DivU => bin(int64::div_u),
        O::I64RemS => bin(int64::rem_s),
        O::I64RemU => bin(int64::rem_u),
        O::I64And => bin(int64::and),
        O::I64Or => bin(int64::or),
        O::I64Xor => bin(int64::xor),
        O::I64Shl => bin(int64::shl),
        O::I64ShrS => bin(int64::shr_s),
        O::I64ShrU => bin(int64::shr_u),
        O::I64Rotl => bin(int64::rotl),
        O::I64Rotr => bin(int64::rotr),
        O::I64Extend8S => un(int64::extend8_s),
        O::I64Extend16S => un(int64::extend16_s),
        O::I64Extend32S => un(int64::extend32_s),
        O::I64Add128 => quad(int64::add128),
        O::I64Sub128 => quad(int64::sub128),
        O::I64MulWideS => bin(int64::mul_wide_s),
        O::I64MulWideU => bin(int64::mul_wide_u),

        O::F32Eq => bin(fp32::eq),
        O::F32Ne => bin(fp32::ne),
        O::F32Lt => bin(fp32::lt),
        O::F32Gt => bin(fp32::gt),
        O::F32Le => bin(fp32::le),
        O::F32Ge => bin(fp32::ge),
        O::F32Abs => un(fp32::abs),
        O::F32Neg => un(fp32::neg),
        O::F32Ceil => un(fp32::ceil),
        O::F32Floor => un(fp32::floor),
        O::F32Trunc => un(fp32::trunc),
        O::F32Nearest => un(fp32::nearest),
        O::F32Sqrt => un(fp32::sqrt),
        O::F32Add => bin(fp32::add),
        O::F32Sub => bin(fp32::sub),
        O::F32Mul => bin(fp32::mul),
        O::F32Div => bin(fp32::div),
        O::F32Min => bin(fp32::min),
        O::F32Max => bin(fp32::max),
        O::F32Copysign => bin(fp32::copysign),

        O::F64Eq => bin(fp64::eq),
        O::F64Ne => bin(fp64::ne),
        O::F64Lt => bin(fp64::lt),
        O::F64Gt => bin(fp64::gt),
        O::F64Le => bin(fp64::le),
        O::F64Ge => bin(fp64::ge),
        O::F64Abs => un(fp64::abs),
        O::F64Neg => un(fp64::neg),
        O::F64Ceil => un(fp64::ceil),
        O::F64Floor => un(fp64::floor),
        O::F64Trunc => un(fp64::trunc),
        O::F64Nearest => un(fp64::nearest),
        O::F64Sqrt => un(fp64::sqrt),
        O::F64Add => bin(fp64::add),
        O::F64Sub => bin(fp64::sub),
        O::F64Mul => bin(fp64::mul),
        O::F64Div => bin(fp64::div),
        O::F64Min => bin(fp64::min),
        O::F64Max => bin(fp64::max),
        O::F64Copysign => bin(fp64::copysign),

        O::I32WrapI64 => un(convert::i32_wrap_i64),
        O::I64ExtendI32S => un(convert::i64_extend_i32_s),
        O::I64ExtendI32U => un(convert::i64_extend_i32_u),
        O::I32TruncF32S => un(convert::i32_trunc_f32_s),
        O::I32TruncF32U => un(convert::i32_trunc_f32_u),
        O::I32TruncF64S => un(convert::i32_trunc_f64_s),
        O::I32TruncF64U => un(convert::i32_trunc_f64_u),
        O::I64TruncF32S => un(convert::i64_trunc_f32_s),
        O::I64TruncF32U => un(convert::i64_trunc_f32_u),
        O::I64TruncF64S => un(convert::i64_trunc_f64_s),
        O::I64TruncF64U => un(convert::i64_trunc_f64_u),
        O::I32TruncSatF32S => un(convert::i32_trunc_sat_f32_s),
        O::I32TruncSatF32U => un(convert::i32_trunc_sat_f32_u),
        O::I32TruncSatF64S => un(convert::i32_trunc_sat_f64_s),
        O::I32TruncSatF64U => un(convert::i32_trunc_sat_f64_u),
        O::I64TruncSatF32S => un(convert::i64_trunc_sat_f32_s),
        O::I64TruncSatF32U => un(convert::i64_trunc_sat_f32_u),
        O::I64TruncSatF64S => un(convert::i64_trunc_sat_f64_s),
        O::I64TruncSatF64U => un(convert::i64_trunc_sat_f64_u),
        O::F32ConvertI32S => un(convert::f32_convert_i32_s),
        O::F32ConvertI32U => un(convert::f32_convert_i32_u),
        O::F32ConvertI64S => un(convert::f32_convert_i64_s),
        O::F32ConvertI64U => un(convert::f32_convert_i64_u),
        O::F64ConvertI32S => un(convert::f64_convert_i32_s),
        O::F64ConvertI32U => un(convert::f64_convert_i32_u),
        O::F64ConvertI64S => un(convert::f64_convert_i64_s),
        O::F64ConvertI64U => un(convert::f64_convert_i64_u),
        O::F32DemoteF64 => un(convert::f32_demote_f64),
        O::F64PromoteF32 => un(convert::f64_promote_f32),
        O::I32ReinterpretF32 => un(convert::i32_reinterpret_f32),
        O::I64ReinterpretF64 => un(convert::i64_reinterpret_f64),
        O::F32ReinterpretI32 => un(convert::f32_reinterpret_i32),
        O::F64ReinterpretI64 => un(convert::f64_reinterpret_i64),
        _ => return None,
    })
}
