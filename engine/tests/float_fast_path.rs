//! The threaded float handlers compute with the host and fall back to the
//! exact semantic body only when the result is NaN (`float_fast!` in
//! `interp/threaded/generated.rs`). Every such instruction, in each operand
//! form the translator makes (frame slots, the accumulator, a constant on
//! either side, fused multiply-add and -subtract), must give exactly what
//! `exec::numeric` gives, bit for bit: NaN payloads, signalling NaNs, the
//! canonical NaN of `0/0` and `inf - inf`, signed zeros, infinities and
//! subnormals.

mod common;

use common::{call, instance};
use touchstone_engine::exec::numeric::{f32 as F32, f64 as F64};
use touchstone_engine::Val;

/// Operand bits for `f64`: zeros, ordinary values, the extremes, and NaNs
/// of either sign, quiet and signalling, with payloads.
const F64_SAMPLES: [u64; 12] = [
    0x0000_0000_0000_0000,
    0x8000_0000_0000_0000,
    0x3ff8_0000_0000_0000, // 1.5
    0xc002_0000_0000_0000, // -2.25
    0x7ff0_0000_0000_0000, // inf
    0xfff0_0000_0000_0000, // -inf
    0x7fef_ffff_ffff_ffff, // max
    0x0000_0000_0000_0001, // smallest subnormal
    0x7ff8_0000_0000_0001, // quiet NaN, payload 1
    0x7ff0_0000_0000_0002, // signalling NaN
    0xfff8_0000_0000_0003, // negative quiet NaN
    0xfff8_0000_0000_0000, // negative canonical NaN (x86's default NaN)
];

const F32_SAMPLES: [u32; 12] = [
    0x0000_0000,
    0x8000_0000,
    0x3fc0_0000, // 1.5
    0xc010_0000, // -2.25
    0x7f80_0000,
    0xff80_0000,
    0x7f7f_ffff,
    0x0000_0001,
    0x7fc0_0001,
    0x7f80_0002,
    0xffc0_0003,
    0xffc0_0000,
];

/// One float type's view for the test: its wasm name, samples, slot
/// conversions and the `exec::numeric` operators.
struct Ty {
    name: &'static str,
    bits: &'static str,
    samples: Vec<u64>,
    val: fn(u64) -> Val,
    add: fn(u64, u64) -> u64,
    sub: fn(u64, u64) -> u64,
    mul: fn(u64, u64) -> u64,
    div: fn(u64, u64) -> u64,
    sqrt: fn(u64) -> u64,
}

fn f64_ty() -> Ty {
    Ty {
        name: "f64",
        bits: "i64",
        samples: F64_SAMPLES.to_vec(),
        val: Val::F64,
        add: |a, b| F64::add(f64::from_bits(a), f64::from_bits(b)).to_bits(),
        sub: |a, b| F64::sub(f64::from_bits(a), f64::from_bits(b)).to_bits(),
        mul: |a, b| F64::mul(f64::from_bits(a), f64::from_bits(b)).to_bits(),
        div: |a, b| F64::div(f64::from_bits(a), f64::from_bits(b)).to_bits(),
        sqrt: |a| F64::sqrt(f64::from_bits(a)).to_bits(),
    }
}

fn f32_ty() -> Ty {
    Ty {
        name: "f32",
        bits: "i32",
        samples: F32_SAMPLES.iter().map(|&x| x as u64).collect(),
        val: |x| Val::F32(x as u32),
        add: |a, b| F32::add(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits() as u64,
        sub: |a, b| F32::sub(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits() as u64,
        mul: |a, b| F32::mul(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits() as u64,
        div: |a, b| F32::div(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits() as u64,
        sqrt: |a| F32::sqrt(f32::from_bits(a as u32)).to_bits() as u64,
    }
}

fn bits_of(v: &Val) -> u64 {
    match *v {
        Val::F64(x) => x,
        Val::F32(x) => x as u64,
        ref other => panic!("not a float: {other:?}"),
    }
}

/// `copysign(x, x)` is `x`, bit for bit; it makes `x` the value the next
/// instruction reads from the accumulator.
fn via_acc(t: &str, local: u32) -> String {
    format!("(local.get {local}) (local.get {local}) ({t}.copysign)")
}

#[test]
fn fast_float_handlers_match_the_exact_operators_in_every_operand_form() {
    for ty in [f64_ty(), f32_ty()] {
        let t = ty.name;
        let ops = [
            ("add", ty.add),
            ("sub", ty.sub),
            ("mul", ty.mul),
            ("div", ty.div),
        ];
        let mut funcs = String::new();
        for (op, _) in ops {
            let (a, b) = ("(local.get 0)", "(local.get 1)");
            let (acc_a, acc_b) = (via_acc(t, 0), via_acc(t, 1));
            funcs += &format!(
                "(func (export \"{op}\") (param {t} {t}) (result {t}) {a} {b} ({t}.{op}))
                 (func (export \"{op}_acc_a\") (param {t} {t}) (result {t}) {acc_a} {b} ({t}.{op}))
                 (func (export \"{op}_acc_b\") (param {t} {t}) (result {t}) {a} {acc_b} ({t}.{op}))
                 (func (export \"{op}_self\") (param {t} {t}) (result {t}) (local {t})
                   {acc_a} (local.tee 2) (local.get 2) ({t}.{op}))"
            );
        }
        // Multiply-add and -subtract, both operand orders (`MulAdd`,
        // `AddMul`, `MulSub`, `SubMul`), the product's operands from the
        // frame and from the accumulator.
        for (op, _) in &ops[..2] {
            funcs += &format!(
                "(func (export \"ab_{op}_c\") (param {t} {t} {t}) (result {t})
                   (local.get 0) (local.get 1) ({t}.mul) (local.get 2) ({t}.{op}))
                 (func (export \"c_{op}_ab\") (param {t} {t} {t}) (result {t})
                   (local.get 2) (local.get 0) (local.get 1) ({t}.mul) ({t}.{op}))
                 (func (export \"c_{op}_ab_acc\") (param {t} {t} {t}) (result {t})
                   (local.get 2) {} (local.get 1) ({t}.mul) ({t}.{op}))",
                via_acc(t, 0)
            );
        }
        funcs += &format!(
            "(func (export \"sqrt\") (param {t}) (result {t}) (local.get 0) ({t}.sqrt))
             (func (export \"sqrt_acc\") (param {t}) (result {t}) {} ({t}.sqrt))",
            via_acc(t, 0)
        );
        let (mut s, i) = instance(&format!("(module {funcs})"));
        let run = |s: &mut _, name: &str, args: &[u64]| -> u64 {
            let args: Vec<Val> = args.iter().map(|&x| (ty.val)(x)).collect();
            let out = call(s, i, name, &args).unwrap_or_else(|e| panic!("{t} {name}: {e}"));
            bits_of(&out[0])
        };
        for &a in &ty.samples {
            assert_eq!(run(&mut s, "sqrt", &[a]), (ty.sqrt)(a), "{t}.sqrt {a:#x}");
            assert_eq!(
                run(&mut s, "sqrt_acc", &[a]),
                (ty.sqrt)(a),
                "{t}.sqrt {a:#x}"
            );
            for &b in &ty.samples {
                for (op, exact) in ops {
                    let want = exact(a, b);
                    for form in ["", "_acc_a", "_acc_b"] {
                        let got = run(&mut s, &format!("{op}{form}"), &[a, b]);
                        assert_eq!(got, want, "{t}.{op}{form} {a:#x} {b:#x}");
                    }
                    let got = run(&mut s, &format!("{op}_self"), &[a, b]);
                    assert_eq!(got, exact(a, a), "{t}.{op} of {a:#x} and itself");
                }
                for &c in &ty.samples {
                    for (op, exact) in &ops[..2] {
                        let product = (ty.mul)(a, b);
                        let want = exact(product, c);
                        let got = run(&mut s, &format!("ab_{op}_c"), &[a, b, c]);
                        assert_eq!(got, want, "{t} {a:#x} * {b:#x} {op} {c:#x}");
                        let want = exact(c, product);
                        for form in ["c_{op}_ab", "c_{op}_ab_acc"] {
                            let name = form.replace("{op}", op);
                            let got = run(&mut s, &name, &[a, b, c]);
                            assert_eq!(got, want, "{name} {a:#x} {b:#x} {c:#x}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn fast_float_handlers_with_a_constant_operand_match_the_exact_operators() {
    for ty in [f64_ty(), f32_ty()] {
        let (t, bits) = (ty.name, ty.bits);
        let ops = [
            ("add", ty.add),
            ("sub", ty.sub),
            ("mul", ty.mul),
            ("div", ty.div),
        ];
        for &k in &ty.samples {
            // A reinterpreted integer constant stays a constant operand:
            // the `Imm` forms, with the constant on the right or (`sub`,
            // `div`: `RSubImm`, `RDivImm`) on the left.
            let konst = format!("({bits}.const {}) ({t}.reinterpret_{bits})", k as i64);
            let mut funcs = String::new();
            for (op, _) in ops {
                funcs += &format!(
                    "(func (export \"{op}_k\") (param {t}) (result {t})
                       (local.get 0) {konst} ({t}.{op}))
                     (func (export \"k_{op}\") (param {t}) (result {t})
                       {konst} (local.get 0) ({t}.{op}))
                     (func (export \"{op}_k_acc\") (param {t}) (result {t})
                       {} {konst} ({t}.{op}))",
                    via_acc(t, 0)
                );
            }
            let (mut s, i) = instance(&format!("(module {funcs})"));
            for &a in &ty.samples {
                for (op, exact) in ops {
                    let arg = [(ty.val)(a)];
                    let got =
                        |s: &mut _, name: String| bits_of(&call(s, i, &name, &arg).unwrap()[0]);
                    let want = exact(a, k);
                    assert_eq!(
                        got(&mut s, format!("{op}_k")),
                        want,
                        "{t} {a:#x} {op} {k:#x}"
                    );
                    assert_eq!(
                        got(&mut s, format!("{op}_k_acc")),
                        want,
                        "{t} {a:#x} {op} {k:#x}"
                    );
                    let want = exact(k, a);
                    assert_eq!(
                        got(&mut s, format!("k_{op}")),
                        want,
                        "{t} {k:#x} {op} {a:#x}"
                    );
                }
            }
        }
    }
}

/// `x * 1.0`: an `f64` fast-path result (`F64MulImm`) that the next
/// instruction reads from the float accumulator; `x` itself unless `x` is a
/// NaN, which the exact handler rewrites (and must then leave there too).
fn via_facc(local: u32) -> String {
    format!("(f64.mul (local.get {local}) (f64.const 1))")
}

#[test]
fn f64_results_read_from_the_float_accumulator_match_the_exact_operators() {
    let ty = f64_ty();
    let ops = [
        ("add", ty.add),
        ("sub", ty.sub),
        ("mul", ty.mul),
        ("div", ty.div),
    ];
    let one = 1f64.to_bits();
    let via = |x: u64| (ty.mul)(x, one);
    let (fa, fb) = (via_facc(0), via_facc(1));
    let mut funcs = String::new();
    for (op, _) in ops {
        funcs += &format!(
            "(func (export \"{op}_a\") (param f64 f64) (result f64) {fa} (local.get 1) (f64.{op}))
             (func (export \"{op}_b\") (param f64 f64) (result f64) (local.get 0) {fb} (f64.{op}))
             (func (export \"{op}_self\") (param f64 f64) (result f64) (local f64)
               {fa} (local.tee 2) (local.get 2) (f64.{op}))
             (func (export \"{op}_k\") (param f64 f64) (result f64) {fa} (f64.const -2.5) (f64.{op}))
             (func (export \"k_{op}\") (param f64 f64) (result f64) (f64.const -2.5) {fa} (f64.{op}))"
        );
    }
    for op in ["add", "sub"] {
        funcs += &format!(
            "(func (export \"c_{op}_ab\") (param f64 f64 f64) (result f64)
               (local.get 2) {fa} (local.get 1) (f64.mul) (f64.{op}))
             (func (export \"ab_{op}_c\") (param f64 f64 f64) (result f64)
               (local.get 0) {fb} (f64.mul) (local.get 2) (f64.{op}))"
        );
    }
    funcs += &format!(
        "(func (export \"sqrt\") (param f64 f64) (result f64) {fa} (f64.sqrt))
         ;; A store and an untaken branch between the result and its reader
         ;; hand the float accumulator on.
         (func (export \"past_store\") (param f64 f64) (result f64) (local f64)
           {fa} (local.set 2) (i32.store (i32.const 8) (i32.const 7))
           (drop (br_if 0 (local.get 1) (f64.ne (local.get 1) (local.get 1))))
           (local.get 2) (local.get 1) (f64.add))"
    );
    // Readers that cannot take the float accumulator find the slot.
    funcs += &format!(
        "(func (export \"bits\") (param f64 f64) (result i64) {fa} (i64.reinterpret_f64))
         (func (export \"stored\") (param f64 f64) (result i64)
           (f64.store (i32.const 16) {fa}) (i64.load (i32.const 16)))
         (func (export \"stored_at_slot\") (param f64 f64) (result i64) (local i32)
           (local.set 2 (i32.const 32))
           (f64.store (local.get 2) {fa}) (i64.load (local.get 2)))
         (func (export \"stored_at_sum\") (param f64 f64) (result i64) (local i32)
           (local.set 2 (i32.const 32))
           (f64.store offset=8 (i32.add (local.get 2) (i32.const 8)) {fa})
           (i64.load (i32.const 48)))
         ;; A store of another slot than the one the float accumulator holds.
         (func (export \"stored_other\") (param f64 f64) (result i64) (local f64)
           {fa} (local.set 2) (f64.store (i32.const 56) (local.get 1))
           (i64.load (i32.const 56)))
         (func (export \"global\") (param f64 f64) (result i64)
           (global.set $g {fa}) (i64.reinterpret_f64 (global.get $g)))
         (func (export \"copysign\") (param f64 f64) (result i64)
           (i64.reinterpret_f64 (f64.copysign {fa} (local.get 1))))
         (func (export \"less\") (param f64 f64) (result i64)
           (if (result i64) (f64.lt {fa} (local.get 1))
             (then (i64.const 1)) (else (i64.const 0))))
         (func (export \"kept\") (param f64 f64) (result i64) (local f64)
           {fa} (local.set 2) (i64.reinterpret_f64 (local.get 2)))"
    );
    // Compare-and-branch forms read it too: either side, against a
    // constant, and negated (`if` branches when the comparison fails).
    let cmps: [(&str, fn(f64, f64) -> bool); 6] = [
        ("lt", |x, y| x < y),
        ("gt", |x, y| x > y),
        ("le", |x, y| x <= y),
        ("ge", |x, y| x >= y),
        ("eq", |x, y| x == y),
        ("ne", |x, y| x != y),
    ];
    for (cmp, _) in cmps {
        for (form, operands) in [
            ("a", format!("{fa} (local.get 1)")),
            ("b", format!("(local.get 1) {fa}")),
            ("k", format!("{fa} (f64.const 1.5)")),
        ] {
            funcs += &format!(
                "(func (export \"br_{cmp}_{form}\") (param f64 f64) (result i64)
                   (block (br_if 0 (f64.{cmp} {operands})) (return (i64.const 0)))
                   (i64.const 1))
                 (func (export \"if_{cmp}_{form}\") (param f64 f64) (result i64)
                   (if (result i64) (f64.{cmp} {operands})
                     (then (i64.const 1)) (else (i64.const 0))))"
            );
        }
    }
    let module = format!("(module (memory 1) (global $g (mut f64) (f64.const 0)) {funcs})");
    let (mut s, i) = instance(&module);
    let run = |s: &mut _, name: &str, args: &[u64]| -> u64 {
        let args: Vec<Val> = args.iter().map(|&x| Val::F64(x)).collect();
        match call(s, i, name, &args).unwrap_or_else(|e| panic!("{name}: {e}"))[0] {
            Val::I64(x) => x as u64,
            ref v => bits_of(v),
        }
    };
    let k = (-2.5f64).to_bits();
    for &a in &ty.samples {
        for &b in &ty.samples {
            let (pa, pb) = (via(a), via(b));
            for (op, exact) in ops {
                let check = |s: &mut _, form: &str, want: u64| {
                    let got = run(s, form, &[a, b]);
                    assert_eq!(got, want, "{form} {a:#x} {b:#x}");
                };
                check(&mut s, &format!("{op}_a"), exact(pa, b));
                check(&mut s, &format!("{op}_b"), exact(a, pb));
                check(&mut s, &format!("{op}_self"), exact(pa, pa));
                check(&mut s, &format!("{op}_k"), exact(pa, k));
                check(&mut s, &format!("k_{op}"), exact(k, pa));
            }
            for (op, exact) in &ops[..2] {
                for &c in &ty.samples {
                    let got = run(&mut s, &format!("c_{op}_ab"), &[a, b, c]);
                    assert_eq!(
                        got,
                        exact(c, (ty.mul)(pa, b)),
                        "c_{op}_ab {a:#x} {b:#x} {c:#x}"
                    );
                    let got = run(&mut s, &format!("ab_{op}_c"), &[a, b, c]);
                    assert_eq!(
                        got,
                        exact((ty.mul)(a, pb), c),
                        "ab_{op}_c {a:#x} {b:#x} {c:#x}"
                    );
                }
            }
            assert_eq!(run(&mut s, "sqrt", &[a, b]), (ty.sqrt)(pa), "sqrt {a:#x}");
            let past = if f64::from_bits(b).is_nan() {
                b
            } else {
                (ty.add)(pa, b)
            };
            assert_eq!(
                run(&mut s, "past_store", &[a, b]),
                past,
                "past_store {a:#x} {b:#x}"
            );
            assert_eq!(
                run(&mut s, "stored_other", &[a, b]),
                b,
                "stored_other {b:#x}"
            );
            for name in [
                "bits",
                "stored",
                "stored_at_slot",
                "stored_at_sum",
                "global",
                "kept",
            ] {
                assert_eq!(run(&mut s, name, &[a, b]), pa, "{name} {a:#x}");
            }
            let sign = (pa & !(1 << 63)) | (b & (1 << 63));
            assert_eq!(
                run(&mut s, "copysign", &[a, b]),
                sign,
                "copysign {a:#x} {b:#x}"
            );
            let less = f64::from_bits(pa) < f64::from_bits(b);
            assert_eq!(
                run(&mut s, "less", &[a, b]),
                less as u64,
                "less {a:#x} {b:#x}"
            );
            let (x, y) = (f64::from_bits(pa), f64::from_bits(b));
            for (cmp, holds) in cmps {
                for (form, want) in [("a", holds(x, y)), ("b", holds(y, x)), ("k", holds(x, 1.5))] {
                    for how in ["br", "if"] {
                        let name = format!("{how}_{cmp}_{form}");
                        assert_eq!(
                            run(&mut s, &name, &[a, b]),
                            want as u64,
                            "{name} {a:#x} {b:#x}"
                        );
                    }
                }
            }
        }
    }
}
