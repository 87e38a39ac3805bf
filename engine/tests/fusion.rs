//! The translator's fusions and simplifications keep wasm's semantics:
//! multiply-add keeps the add's operand order (which NaN propagates),
//! identities (`x + 0`) still see later writes to `x` correctly, constants
//! on the left of non-commutative operators, and `i32.add`-immediate
//! addressing wraps at 32 bits before the offset is added.

mod common;

use common::{call, instance};
use touchstone_engine::{TrapKind, Val};

#[test]
fn multiply_add_keeps_the_nan_of_the_first_add_operand() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "c_plus_ab") (param f64 f64 f64) (result f64)
            (f64.add (local.get 2) (f64.mul (local.get 0) (local.get 1))))
          (func (export "ab_plus_c") (param f64 f64 f64) (result f64)
            (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "int") (param i32 i32 i32) (result i32)
            (i32.add (local.get 2) (i32.mul (local.get 0) (local.get 1)))))"#,
    );
    // Two quiet NaNs with different payloads: the add returns its first
    // operand's NaN, so the fused form must add in the same order.
    // (`Val::F64` holds the bits.)
    let product_nan = 0x7ff8_0000_0000_0001;
    let c_nan = 0x7ff8_0000_0000_0002;
    let one = 1f64.to_bits();
    let args = [Val::F64(product_nan), Val::F64(one), Val::F64(c_nan)];
    let c_plus_ab = call(&mut s, i, "c_plus_ab", &args).unwrap();
    assert_eq!(c_plus_ab, vec![Val::F64(c_nan)]);
    let ab_plus_c = call(&mut s, i, "ab_plus_c", &args).unwrap();
    assert_eq!(ab_plus_c, vec![Val::F64(product_nan)]);
    let ints = [Val::I32(7), Val::I32(-3), Val::I32(100)];
    assert_eq!(call(&mut s, i, "int", &ints).unwrap(), vec![Val::I32(79)]);
}

#[test]
fn an_identity_still_reads_the_value_before_a_later_write() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "f") (param i32) (result i32)
            ;; `x + 0` leaves `x` to be read in place; writing `x` before the
            ;; read must not change what was pushed.
            (i32.add (local.get 0) (i32.const 0))
            (local.set 0 (i32.const 5))
            (local.get 0)
            i32.sub)
          (func (export "shift") (param i64) (result i64)
            (i64.shl (local.get 0) (i64.const 64))))"#,
    );
    assert_eq!(
        call(&mut s, i, "f", &[Val::I32(12)]).unwrap(),
        vec![Val::I32(7)]
    );
    assert_eq!(
        call(&mut s, i, "shift", &[Val::I64(-9)]).unwrap(),
        vec![Val::I64(-9)]
    );
}

#[test]
fn constants_on_the_left_keep_their_place() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "rsub") (param i32) (result i32) (i32.sub (i32.const 10) (local.get 0)))
          (func (export "rdiv") (param f64) (result f64) (f64.div (f64.const 1) (local.get 0)))
          (func (export "rsubf") (param f64) (result f64) (f64.sub (f64.const 0.5) (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut s, i, "rsub", &[Val::I32(3)]).unwrap(),
        vec![Val::I32(7)]
    );
    let f = |x: f64| Val::F64(x.to_bits());
    assert_eq!(call(&mut s, i, "rdiv", &[f(4.0)]).unwrap(), vec![f(0.25)]);
    assert_eq!(call(&mut s, i, "rsubf", &[f(2.0)]).unwrap(), vec![f(-1.5)]);
}

#[test]
fn an_added_address_wraps_at_32_bits_before_the_offset() {
    let (mut s, i) = instance(
        r#"(module
          (memory 1)
          (data (i32.const 4) "\2a")
          ;; (0xffff_fffc + 8) wraps to 4, then the offset 0 is added: in bounds.
          (func (export "wrapped") (param i32) (result i32)
            (i32.load8_u (i32.add (local.get 0) (i32.const 8))))
          ;; Offsets do not wrap: 0xffff_fffc + offset 8 is out of bounds.
          (func (export "offset") (param i32) (result i32)
            (i32.load8_u offset=8 (local.get 0))))"#,
    );
    let addr = Val::I32(-4);
    assert_eq!(
        call(&mut s, i, "wrapped", &[addr]).unwrap(),
        vec![Val::I32(42)]
    );
    let err = call(&mut s, i, "offset", &[Val::I32(-4)]).unwrap_err();
    assert_eq!(err.kind(), TrapKind::MemoryOutOfBounds);
}

#[test]
fn a_scaled_index_shifts_adds_and_wraps_like_the_unfused_operators() {
    let (mut s, i) = instance(
        r#"(module
          (memory 1)
          (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00")
          ;; `&a[i]` for a static array at 16: `(i << 2) + 16`, loaded.
          (func (export "load") (param i32) (result i32)
            (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 16))))
          ;; The constant first, and an offset on the load.
          (func (export "left") (param i32) (result i32)
            (i32.load offset=4 (i32.add (i32.const 16) (i32.shl (local.get 0) (i32.const 2)))))
          ;; `i32.sub` of a constant, a shift count taken modulo 32 (34 -> 2),
          ;; and a byte load that sign-extends.
          (func (export "sub") (param i32) (result i32)
            (i32.load8_s (i32.sub (i32.shl (local.get 0) (i32.const 34)) (i32.const 4))))
          ;; The address kept in a local (`local.tee`), then loaded and stored through.
          (func (export "tee") (param i32) (result i32) (local i32)
            (i32.store (local.tee 1 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 16)))
              (i32.add (i32.load (local.get 1)) (i32.const 10)))
            (i32.load (local.get 1)))
          ;; The shift's operand overwritten between the shift and the add
          ;; must not change the address (the shift reads it first).
          (func (export "late") (param i32) (result i32)
            (i32.shl (local.get 0) (i32.const 2))
            (local.set 0 (i32.const 0))
            (i32.const 16)
            i32.add
            i32.load)
          ;; The shifted index wraps at 32 bits before the constant and the
          ;; offset are added: (0x4000_0001 << 2) + 16 = 20 (mod 2^32).
          (func (export "wrap") (param i32) (result i32)
            (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 16))))
          ;; Without a load: the value itself.
          (func (export "value") (param i32) (result i32)
            (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const -1)))
          ;; The extreme counts: 31 (the factor `1 << 31`, negative as an
          ;; `i32`) and 0 (a factor of 1).
          (func (export "top") (param i32) (result i32)
            (i32.add (i32.shl (local.get 0) (i32.const 31)) (i32.const 5)))
          (func (export "none") (param i32) (result i32)
            (i32.add (i32.shl (local.get 0) (i32.const 32)) (i32.const 5))))"#,
    );
    let run = |s: &mut _, name, x: i32| call(s, i, name, &[Val::I32(x)]);
    assert_eq!(run(&mut s, "load", 2).unwrap(), vec![Val::I32(3)]);
    assert_eq!(run(&mut s, "left", 1).unwrap(), vec![Val::I32(3)]);
    // (5 << 2) - 4 = 16: the first byte of the data, 1.
    assert_eq!(run(&mut s, "sub", 5).unwrap(), vec![Val::I32(1)]);
    assert_eq!(run(&mut s, "tee", 1).unwrap(), vec![Val::I32(12)]);
    assert_eq!(run(&mut s, "late", 1).unwrap(), vec![Val::I32(12)]);
    assert_eq!(
        run(&mut s, "wrap", 0x4000_0001).unwrap(),
        vec![Val::I32(12)]
    );
    assert_eq!(run(&mut s, "value", 5).unwrap(), vec![Val::I32(39)]);
    for x in [0, 1, 2, 3, -1, i32::MIN, i32::MAX] {
        let top = (x << 31).wrapping_add(5);
        assert_eq!(run(&mut s, "top", x).unwrap(), vec![Val::I32(top)], "{x}");
        let none = x.wrapping_add(5);
        assert_eq!(run(&mut s, "none", x).unwrap(), vec![Val::I32(none)], "{x}");
    }
    // Past the end of memory: the fused load traps as the unfused one does.
    let err = run(&mut s, "load", 0x4000).unwrap_err();
    assert_eq!(err.kind(), TrapKind::MemoryOutOfBounds);
}

#[test]
fn f32_constant_operands_and_multiply_add_keep_order_and_nans() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "c_plus_ab") (param f32 f32 f32) (result f32)
            (f32.add (local.get 2) (f32.mul (local.get 0) (local.get 1))))
          (func (export "ab_plus_c") (param f32 f32 f32) (result f32)
            (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "rsub") (param f32) (result f32) (f32.sub (f32.const 0.5) (local.get 0)))
          (func (export "rdiv") (param f32) (result f32) (f32.div (f32.const 1) (local.get 0)))
          (func (export "sub") (param f32) (result f32) (f32.sub (local.get 0) (f32.const 0.5)))
          (func (export "mul") (param f32) (result f32) (f32.mul (f32.const 3) (local.get 0)))
          (func (export "lt") (param f32) (result i32) (f32.lt (local.get 0) (f32.const 2)))
          (func (export "gt_left") (param f32) (result i32) (f32.gt (f32.const 2) (local.get 0)))
          (func (export "ne") (param f32) (result i32) (f32.ne (f32.const 2) (local.get 0))))"#,
    );
    let f = |x: f32| Val::F32(x.to_bits());
    // Quiet NaNs with different payloads: the add returns its first operand's.
    let product_nan = 0x7fc0_0001;
    let c_nan = 0x7fc0_0002;
    let args = [Val::F32(product_nan), f(1.0), Val::F32(c_nan)];
    assert_eq!(
        call(&mut s, i, "c_plus_ab", &args).unwrap(),
        vec![Val::F32(c_nan)]
    );
    assert_eq!(
        call(&mut s, i, "ab_plus_c", &args).unwrap(),
        vec![Val::F32(product_nan)]
    );
    let sum = call(&mut s, i, "ab_plus_c", &[f(1.5), f(2.0), f(0.25)]).unwrap();
    assert_eq!(sum, vec![f(3.25)]);
    // Each step rounds to f32: 1e8 * 1e-8 rounds before 1.0 is added.
    let x = call(&mut s, i, "c_plus_ab", &[f(1e8), f(1e-8), f(1.0)]).unwrap();
    assert_eq!(x, vec![f(1e8f32 * 1e-8f32 + 1.0)]);
    let one = |s: &mut _, name, x| call(s, i, name, &[f(x)]).unwrap();
    assert_eq!(one(&mut s, "rsub", 2.0), vec![f(-1.5)]);
    assert_eq!(one(&mut s, "rdiv", 4.0), vec![f(0.25)]);
    assert_eq!(one(&mut s, "sub", 2.0), vec![f(1.5)]);
    assert_eq!(one(&mut s, "mul", 2.5), vec![f(7.5)]);
    assert_eq!(one(&mut s, "lt", 1.0), vec![Val::I32(1)]);
    assert_eq!(one(&mut s, "lt", f32::NAN), vec![Val::I32(0)]);
    assert_eq!(one(&mut s, "gt_left", 1.0), vec![Val::I32(1)]);
    assert_eq!(one(&mut s, "gt_left", 3.0), vec![Val::I32(0)]);
    assert_eq!(one(&mut s, "ne", f32::NAN), vec![Val::I32(1)]);
    // A NaN operand comes back quieted with its payload, not the constant's.
    let nan = call(&mut s, i, "sub", &[Val::F32(0x7f80_0001)]).unwrap();
    assert_eq!(nan, vec![Val::F32(0x7fc0_0001)]);
}

#[test]
fn multiply_subtract_keeps_operand_order_and_nans() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "c_minus_ab") (param f64 f64 f64) (result f64)
            (f64.sub (local.get 2) (f64.mul (local.get 0) (local.get 1))))
          (func (export "ab_minus_c") (param f64 f64 f64) (result f64)
            (f64.sub (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "c_minus_ab32") (param f32 f32 f32) (result f32)
            (f32.sub (local.get 2) (f32.mul (local.get 0) (local.get 1))))
          (func (export "ab_minus_c32") (param f32 f32 f32) (result f32)
            (f32.sub (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "int") (param i32 i32 i32) (result i32)
            (i32.sub (local.get 2) (i32.mul (local.get 0) (local.get 1))))
          (func (export "int_first") (param i32 i32 i32) (result i32)
            (i32.sub (i32.mul (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "long") (param i64 i64 i64) (result i64)
            (i64.sub (local.get 2) (i64.mul (local.get 0) (local.get 1)))))"#,
    );
    let f = |x: f64| Val::F64(x.to_bits());
    let g = |x: f32| Val::F32(x.to_bits());
    let run = |s: &mut _, name, args: &[Val]| call(s, i, name, args).unwrap();
    assert_eq!(
        run(&mut s, "c_minus_ab", &[f(2.0), f(3.0), f(10.0)]),
        vec![f(4.0)]
    );
    assert_eq!(
        run(&mut s, "ab_minus_c", &[f(2.0), f(3.0), f(10.0)]),
        vec![f(-4.0)]
    );
    assert_eq!(
        run(&mut s, "c_minus_ab32", &[g(2.0), g(3.0), g(10.0)]),
        vec![g(4.0)]
    );
    assert_eq!(
        run(&mut s, "ab_minus_c32", &[g(2.0), g(3.0), g(10.0)]),
        vec![g(-4.0)]
    );
    // The subtraction returns its first operand's NaN.
    let (product_nan, c_nan) = (0x7ff8_0000_0000_0001, 0x7ff8_0000_0000_0002);
    let nans = [Val::F64(product_nan), f(1.0), Val::F64(c_nan)];
    assert_eq!(run(&mut s, "c_minus_ab", &nans), vec![Val::F64(c_nan)]);
    assert_eq!(
        run(&mut s, "ab_minus_c", &nans),
        vec![Val::F64(product_nan)]
    );
    let (product_nan32, c_nan32) = (0x7fc0_0001, 0x7fc0_0002);
    let nans32 = [Val::F32(product_nan32), g(1.0), Val::F32(c_nan32)];
    assert_eq!(
        run(&mut s, "c_minus_ab32", &nans32),
        vec![Val::F32(c_nan32)]
    );
    assert_eq!(
        run(&mut s, "ab_minus_c32", &nans32),
        vec![Val::F32(product_nan32)]
    );
    // Integers wrap.
    let ints = [Val::I32(0x10000), Val::I32(0x10000), Val::I32(5)];
    assert_eq!(run(&mut s, "int", &ints), vec![Val::I32(5)]);
    assert_eq!(run(&mut s, "int_first", &ints), vec![Val::I32(-5)]);
    let longs = [Val::I64(3), Val::I64(-4), Val::I64(i64::MIN)];
    assert_eq!(run(&mut s, "long", &longs), vec![Val::I64(i64::MIN + 12)]);
}

/// The functions testing `eqz(a OP b)` on `ty`: through `br_if`, through
/// `if`, and as a plain value, with `b` a parameter (`*_rr`) or the constant
/// `imm` (`*_ri`). Each returns 1 when `eqz(a OP b)` holds.
fn negated_test_funcs(ty: &str, op: &str, imm: &str) -> String {
    let mut wat = String::new();
    for (form, b) in [
        ("rr", "(local.get 1)".to_string()),
        ("ri", format!("({ty}.const {imm})")),
    ] {
        let test = format!("(i32.eqz ({ty}.{op} (local.get 0) {b}))");
        wat += &format!(
            r#"
          (func (export "br_if_{form}") (param {ty} {ty}) (result i32)
            (block (br_if 0 {test}) (return (i32.const 0)))
            (i32.const 1))
          (func (export "if_{form}") (param {ty} {ty}) (result i32)
            (if (result i32) {test} (then (i32.const 1)) (else (i32.const 0))))
          (func (export "value_{form}") (param {ty} {ty}) (result i32) {test})"#
        );
    }
    wat
}

/// Instantiates `wat` (made by [`negated_test_funcs`]) and calls each of its
/// functions on every pair of `values` (the `*_ri` forms with `b` the
/// constant `imm`), expecting 1 exactly when `holds(a, b)` does not.
fn check_negated_tests<T: Copy + std::fmt::Display>(
    wat: &str,
    values: &[T],
    imm: T,
    arg: impl Fn(T) -> Val,
    holds: impl Fn(T, T) -> bool,
) {
    let (mut s, i) = instance(wat);
    for &a in values {
        for &b in values {
            let args = [arg(a), arg(b)];
            for (form, rhs) in [("rr", b), ("ri", imm)] {
                let want = vec![Val::I32(!holds(a, rhs) as i32)];
                for how in ["br_if", "if", "value"] {
                    let name = format!("{how}_{form}");
                    let got = call(&mut s, i, &name, &args).unwrap();
                    assert_eq!(got, want, "{name} of {a} and {rhs} in {wat}");
                }
            }
        }
    }
}

#[test]
fn an_eqz_of_a_float_compare_branches_on_its_negation_nan_included() {
    // `eqz(a > b)` is `!(a > b)`, true when either is NaN: not `a <= b`.
    let values = [
        0.0,
        -0.0,
        1.5,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let ops: [(&str, fn(f64, f64) -> bool); 6] = [
        ("eq", |a, b| a == b),
        ("ne", |a, b| a != b),
        ("lt", |a, b| a < b),
        ("gt", |a, b| a > b),
        ("le", |a, b| a <= b),
        ("ge", |a, b| a >= b),
    ];
    for ty in ["f32", "f64"] {
        for (imm_text, imm) in [("1.5", 1.5), ("nan", f64::NAN), ("-0", -0.0)] {
            for (op, holds) in ops {
                let wat = format!("(module {})", negated_test_funcs(ty, op, imm_text));
                let arg = |x: f64| match ty {
                    "f32" => Val::F32((x as f32).to_bits()),
                    _ => Val::F64(x.to_bits()),
                };
                check_negated_tests(&wat, &values, imm, arg, holds);
            }
        }
    }
}

#[test]
fn an_eqz_of_an_integer_compare_branches_on_the_opposite_compare() {
    let values: [i64; 7] = [
        0,
        1,
        -1,
        7,
        i32::MIN as i64,
        i32::MAX as i64,
        u32::MAX as i64,
    ];
    let ops: [(&str, fn(i64, i64) -> bool, fn(u64, u64) -> bool); 10] = [
        ("eq", |a, b| a == b, |_, _| true),
        ("ne", |a, b| a != b, |_, _| true),
        ("lt_s", |a, b| a < b, |_, _| true),
        ("lt_u", |_, _| true, |a, b| a < b),
        ("gt_s", |a, b| a > b, |_, _| true),
        ("gt_u", |_, _| true, |a, b| a > b),
        ("le_s", |a, b| a <= b, |_, _| true),
        ("le_u", |_, _| true, |a, b| a <= b),
        ("ge_s", |a, b| a >= b, |_, _| true),
        ("ge_u", |_, _| true, |a, b| a >= b),
    ];
    for ty in ["i32", "i64"] {
        for (op, signed, unsigned) in ops {
            let imm = 7;
            let wat = format!("(module {})", negated_test_funcs(ty, op, &imm.to_string()));
            // Values as `ty` sees them: an `i32` wraps, then signed or unsigned.
            let holds = |a: i64, b: i64| {
                let (a, b) = match ty {
                    "i32" => (a as i32 as i64, b as i32 as i64),
                    _ => (a, b),
                };
                let (ua, ub) = match ty {
                    "i32" => (a as u32 as u64, b as u32 as u64),
                    _ => (a as u64, b as u64),
                };
                signed(a, b) && unsigned(ua, ub)
            };
            let arg = |x: i64| match ty {
                "i32" => Val::I32(x as i32),
                _ => Val::I64(x),
            };
            check_negated_tests(&wat, &values, imm, arg, holds);
        }
    }
}

#[test]
fn an_eqz_after_a_label_does_not_fold_into_the_compare_before_it() {
    // The block's value comes from the `br_if` (skipping the compare) or
    // from the compare: the `eqz` after the label must test whichever came.
    let (mut s, i) = instance(
        r#"(module
          (func (export "f") (param f64 f64 i32) (result i32)
            (block (result i32)
              (br_if 0 (local.get 2) (local.get 2))
              (drop)
              (f64.gt (local.get 0) (local.get 1)))
            i32.eqz
            (if (result i32) (then (i32.const 1)) (else (i32.const 0)))))"#,
    );
    let f = |x: f64| Val::F64(x.to_bits());
    let run =
        |s: &mut _, a: f64, b: f64, c: i32| call(s, i, "f", &[f(a), f(b), Val::I32(c)]).unwrap();
    assert_eq!(run(&mut s, 2.0, 1.0, 0), vec![Val::I32(0)]);
    assert_eq!(run(&mut s, 1.0, 2.0, 0), vec![Val::I32(1)]);
    assert_eq!(run(&mut s, f64::NAN, 2.0, 0), vec![Val::I32(1)]);
    // Branched with 5: eqz(5) is 0, whatever the floats.
    assert_eq!(run(&mut s, 1.0, 2.0, 5), vec![Val::I32(0)]);
}

#[test]
fn scaled_indices_of_every_shift_count_match_the_unfused_operators() {
    // Every count the handlers must get right: the common 0-3, 4, 31 and
    // 33 (1 modulo 32), from the frame and from the accumulator.
    let counts = [0, 1, 2, 3, 4, 31, 33];
    let mut funcs = String::new();
    for k in counts {
        funcs += &format!(
            "(func (export \"value{k}\") (param i32) (result i32)
               (i32.add (i32.shl (local.get 0) (i32.const {k})) (i32.const 7)))
             (func (export \"load{k}\") (param i32) (result i32)
               (i32.load8_u (i32.add (i32.shl (local.get 0) (i32.const {k})) (i32.const 16))))
             ;; The index just computed: from the accumulator.
             (func (export \"value_acc{k}\") (param i32 i32) (result i32)
               (i32.add (i32.shl (i32.sub (local.get 0) (local.get 1)) (i32.const {k}))
                 (i32.const 7)))
             (func (export \"load_acc{k}\") (param i32 i32) (result i32)
               (i32.load8_u (i32.add (i32.shl (i32.sub (local.get 0) (local.get 1))
                 (i32.const {k})) (i32.const 16))))"
        );
    }
    let data: String = (0..64).map(|b| format!("\\{:02x}", b + 100)).collect();
    let (mut s, i) = instance(&format!(
        "(module (memory 1) (data (i32.const 16) \"{data}\") {funcs})"
    ));
    for k in counts {
        for x in [0i32, 1, 2, 3, 5, 7, -1, i32::MIN] {
            for form in ["", "_acc"] {
                let value = (x << (k % 32)).wrapping_add(7);
                let args: &[Val] = match form {
                    "" => &[Val::I32(x)],
                    _ => &[Val::I32(x), Val::I32(0)],
                };
                let got = call(&mut s, i, &format!("value{form}{k}"), args).unwrap();
                assert_eq!(got, vec![Val::I32(value)], "({x} << {k}) + 7");
                let address = (x << (k % 32)).wrapping_add(16) as u32;
                let got = call(&mut s, i, &format!("load{form}{k}"), args);
                match address {
                    16..=79 => {
                        let want = Val::I32(address as i32 - 16 + 100);
                        assert_eq!(got.unwrap(), vec![want], "load{form}{k} {x}")
                    }
                    0..=65535 => assert_eq!(got.unwrap(), vec![Val::I32(0)], "{address}"),
                    _ => assert_eq!(got.unwrap_err().kind(), TrapKind::MemoryOutOfBounds),
                }
            }
        }
    }
}
