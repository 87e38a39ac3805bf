//! Maps each numeric `wasmparser` operator to the `exec::numeric` function under test.

use touchstone_engine::exec::numeric::{
    convert, f32 as F32, f64 as F64, i32 as I32, i64 as I64, NumericTrap,
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

/// The table's `un`/`bin` operators (`ir/register_instrs.rs`: the same list
/// the interpreter's instructions come from), each with the `exec::numeric`
/// function it runs.
macro_rules! table_semantics {
    (
        instrs $instrs:tt
        numeric_operators { $( $op:ident: $arity:ident($f:path) $(=> $form:expr)?; )* }
        $($memory:tt)*
    ) => {
        fn table_semantics(op: &Operator<'_>) -> Option<Semantics> {
            use Operator as O;
            Some(match op {
                // `$arity` is `un` or `bin`: this file's functions of those names.
                $( O::$op => $arity($f), )*
                _ => return None,
            })
        }
    };
}

touchstone_engine::for_each_register_instr!(table_semantics! {});

/// The semantics of a numeric operator, or `None` for anything else.
pub fn semantics(op: &Operator<'_>) -> Option<Semantics> {
    use Operator as O;
    if let Some(s) = table_semantics(op) {
        return Some(s);
    }
    // The operators outside the register table: wide arithmetic runs in
    // stack mode, and reinterpretations translate to nothing.
    Some(match op {
        O::I64Add128 => quad(I64::add128),
        O::I64Sub128 => quad(I64::sub128),
        O::I64MulWideS => bin(I64::mul_wide_s),
        O::I64MulWideU => bin(I64::mul_wide_u),
        O::I32ReinterpretF32 => un(convert::i32_reinterpret_f32),
        O::I64ReinterpretF64 => un(convert::i64_reinterpret_f64),
        O::F32ReinterpretI32 => un(convert::f32_reinterpret_i32),
        O::F64ReinterpretI64 => un(convert::f64_reinterpret_i64),
        _ => return None,
    })
}
