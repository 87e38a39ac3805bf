//! Values cross every engine adapter of this build intact: i64 extremes,
//! NaN payloads (signalling ones included) and signed zeros, v128 lanes,
//! multiple results of mixed types, host references and nulls, both as
//! call arguments/results and as exported globals.

use touchstone_harness::engine::{
    registry, Engine, InstanceId, Limits, NullKind, Ref, Session, Value, WasmFeatures,
};

const MODULE: &str = r#"(module
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "v128") (param v128) (result v128) local.get 0)
  (func (export "extern") (param externref) (result externref) local.get 0)
  (func (export "func-null") (result funcref) ref.null func)
  (func (export "mixed") (param i32 f32 v128 i64 f64 externref)
        (result externref f64 i64 v128 f32 i32)
    local.get 5 local.get 4 local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "made-nan") (result f32 f64)
    (f32.reinterpret_i32 (i32.const 0xffa00001))
    (f64.reinterpret_i64 (i64.const 0x7ff0000000000001)))
  (global (export "g-f32") f32 (f32.const nan:0x200001))
  (global (export "g-f64") (mut f64) (f64.const -0x0p+0))
  (global (export "g-v128") v128 (v128.const i32x4 1 -2 3 0x80000000))
  (global (export "g-i64") i64 (i64.const -9223372036854775808))
  (global (export "g-extern") externref (ref.null extern))
)"#;

const F32_SNAN: u32 = 0x7fa0_0001;
const F32_NEG_NAN: u32 = 0xffc0_0000;
const F64_NAN_PAYLOAD: u64 = 0x7ff4_0000_0000_0001;
const F64_NEG_ZERO: u64 = 0x8000_0000_0000_0000;
const LANES: u128 = 0xff00_8000_7fff_0001_dead_beef_0123_4567;

fn setup(engine: &dyn Engine) -> (Box<dyn Session>, InstanceId) {
    let wasm = wat::parse_str(MODULE).unwrap();
    let mut store = engine.new_session(&WasmFeatures::WASM2, &Limits::default());
    let module = store
        .compile(&wasm)
        .unwrap_or_else(|e| panic!("{}: compile: {e}", engine.name()));
    let instance = store
        .instantiate(module)
        .unwrap_or_else(|e| panic!("{}: instantiate: {e}", engine.name()));
    (store, instance)
}

/// The built-in engines of this build, and V8 through node (which CI and
/// the README's machine have).
fn engines() -> Vec<Box<dyn Engine>> {
    let mut names = registry::names();
    names.push(touchstone_harness::engine::v8::NAME);
    names
        .into_iter()
        .map(|n| registry::resolve(n, false, &Default::default()).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn round_trip(store: &mut dyn Session, instance: InstanceId, export: &str, v: Value, engine: &str) {
    let got = store
        .invoke(instance, export, std::slice::from_ref(&v))
        .unwrap_or_else(|e| panic!("{engine}: {export}({v:?}): {e}"));
    assert_eq!(got, vec![v], "{engine}: {export}");
}

#[test]
fn scalar_edge_values_round_trip() {
    for engine in engines() {
        let name = engine.name();
        let (mut s, i) = setup(engine.as_ref());
        for v in [i64::MIN, i64::MAX, -1, 0, 1 << 53, (1 << 53) + 1] {
            round_trip(s.as_mut(), i, "i64", Value::I64(v), name);
        }
        for bits in [F32_SNAN, F32_NEG_NAN, 0x8000_0000, 0x7f80_0000, 1] {
            round_trip(s.as_mut(), i, "f32", Value::F32(bits), name);
        }
        for bits in [F64_NAN_PAYLOAD, F64_NEG_ZERO, 0xfff8_0000_0000_0000, 1] {
            round_trip(s.as_mut(), i, "f64", Value::F64(bits), name);
        }
        for lanes in [0, u128::MAX, LANES] {
            round_trip(s.as_mut(), i, "v128", Value::V128(lanes), name);
        }
    }
}

#[test]
fn references_and_mixed_results_round_trip() {
    for engine in engines() {
        let name = engine.name();
        let (mut s, i) = setup(engine.as_ref());
        round_trip(s.as_mut(), i, "extern", Value::Ref(Ref::Extern(7)), name);
        round_trip(
            s.as_mut(),
            i,
            "extern",
            Value::Ref(Ref::Null(NullKind::Extern)),
            name,
        );
        assert_eq!(
            s.invoke(i, "func-null", &[]).unwrap(),
            vec![Value::Ref(Ref::Null(NullKind::Func))],
            "{name}"
        );
        let args = [
            Value::I32(i32::MIN),
            Value::F32(F32_SNAN),
            Value::V128(LANES),
            Value::I64(i64::MIN),
            Value::F64(F64_NAN_PAYLOAD),
            Value::Ref(Ref::Extern(3)),
        ];
        let mut expected = args.to_vec();
        expected.reverse();
        assert_eq!(s.invoke(i, "mixed", &args).unwrap(), expected, "{name}");
        assert_eq!(
            s.invoke(i, "made-nan", &[]).unwrap(),
            vec![Value::F32(0xffa0_0001), Value::F64(0x7ff0_0000_0000_0001)],
            "{name}"
        );
    }
}

#[test]
fn exported_globals_keep_their_bits() {
    for engine in engines() {
        let name = engine.name();
        let (mut s, i) = setup(engine.as_ref());
        let expect = [
            ("g-f32", Value::F32(0x7fa0_0001)),
            ("g-f64", Value::F64(F64_NEG_ZERO)),
            (
                "g-v128",
                Value::V128(0x8000_0000_0000_0003_ffff_fffe_0000_0001),
            ),
            ("g-i64", Value::I64(i64::MIN)),
            ("g-extern", Value::Ref(Ref::Null(NullKind::Extern))),
        ];
        for (global, value) in expect {
            assert_eq!(
                s.get_global(i, global)
                    .unwrap_or_else(|e| panic!("{name}: {global}: {e}")),
                value,
                "{name}: {global}"
            );
        }
    }
}
