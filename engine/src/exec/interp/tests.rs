//! Interpreter behaviour that the fused and loop-header-free instruction
//! forms must keep: interrupts on every kind of backward jump, and fused
//! local arithmetic, compares and loads agreeing with a plain Rust model.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::{Config, Imports, Instance, Module, Store, TrapKind, Val};

fn run(store: &mut Store, wat: &str, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapKind> {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let instance = Instance::new(store, &module, &Imports::new()).unwrap();
    let func = instance.get_func(store, name).unwrap();
    func.call(store, args).map_err(|e| e.kind())
}

/// Runs `wat`'s `spin` (which never ends on its own) and raises the
/// interrupt flag from another thread.
fn interrupted(wat: &str) -> Result<Vec<Val>, TrapKind> {
    let flag = Arc::new(AtomicBool::new(false));
    let mut store = Store::new(Config {
        interrupt: flag.clone(),
        ..Config::default()
    });
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(30));
        flag.store(true, Ordering::Relaxed);
    });
    let r = run(&mut store, wat, "spin", &[]);
    setter.join().unwrap();
    r
}

#[test]
fn every_backward_jump_polls_the_interrupt_flag() {
    // Fused compare-with-constant `br_if`.
    let br_if = r#"(module (func (export "spin") (local i32)
        (loop (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br_if 0 (i32.ne (local.get 0) (i32.const -1))))))"#;
    // i64 compare fused into `br_if`.
    let br_if64 = r#"(module (func (export "spin") (local i64)
        (loop (br_if 0 (i64.ge_u (local.get 0) (i64.const 0))))))"#;
    let br_table = r#"(module (func (export "spin")
        (loop (br_table 0 0 (i32.const 1)))))"#;
    // A handler whose label is the loop: the catch itself jumps back.
    let catch = r#"(module (tag $e) (func (export "spin")
        (loop (block $out (try_table (catch $e 1) (throw $e))))))"#;
    // `br_if` on a plain value, and on `i32.eqz` (jump when zero).
    let br_if_value = r#"(module (func (export "spin") (local i32)
        (local.set 0 (i32.const 1))
        (loop (br_if 0 (local.get 0)))))"#;
    let br_unless = r#"(module (func (export "spin") (local i32)
        (loop (br_if 0 (i32.eqz (local.get 0))))))"#;
    // Compares of two registers, i32, i64 and f64, and f64 against a constant.
    let br_cmp32 = r#"(module (func (export "spin") (local i32 i32)
        (local.set 1 (i32.const 1))
        (loop (br_if 0 (i32.ne (local.get 0) (local.get 1))))))"#;
    let br_cmp64 = r#"(module (func (export "spin") (local i64 i64)
        (local.set 1 (i64.const 1))
        (loop (br_if 0 (i64.lt_u (local.get 0) (local.get 1))))))"#;
    let br_cmp_f64 = r#"(module (func (export "spin") (local f64)
        (loop (br_if 0 (f64.eq (local.get 0) (local.get 0))))))"#;
    let br_cmp_f64_imm = r#"(module (func (export "spin") (local f64)
        (loop (br_if 0 (f64.lt (local.get 0) (f64.const 1))))))"#;
    for wat in [
        br_if,
        br_if64,
        br_table,
        catch,
        br_if_value,
        br_unless,
        br_cmp32,
        br_cmp64,
        br_cmp_f64,
        br_cmp_f64_imm,
    ] {
        assert_eq!(interrupted(wat), Err(TrapKind::Interrupted), "{wat}");
    }
}

#[test]
fn fused_local_arithmetic_matches_a_rust_model() {
    // sum of (i * 3 + k) for i in 0..n, with i32 wrapping, plus a fused
    // local-to-local add and compares against locals and constants.
    let wat = r#"(module (func (export "f") (param $n i32) (param $k i32) (result i32)
        (local $i i32) (local $acc i32) (local $t i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $t (i32.add (local.get $k) (local.get $i)))
          (local.set $acc (i32.add (local.get $acc)
             (i32.add (local.get $t) (i32.add (local.get $i) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (local.get $acc)))"#;
    let model = |n: u32, k: u32| {
        (0..n).fold(0u32, |acc, i| {
            acc.wrapping_add(k.wrapping_add(i).wrapping_add(i.wrapping_mul(2)))
        })
    };
    let mut store = Store::default();
    for (n, k) in [(0u32, 5u32), (10, 7), (1000, u32::MAX - 3)] {
        let got = run(
            &mut store,
            wat,
            "f",
            &[Val::I32(n as i32), Val::I32(k as i32)],
        )
        .unwrap();
        assert_eq!(got, vec![Val::I32(model(n, k) as i32)]);
    }
}

#[test]
fn fused_loads_from_locals_check_bounds() {
    let wat = r#"(module (memory 1) (data (i32.const 16) "\01\02\03\04\05\06\07\08")
        (func (export "f") (param $a i32) (result i64)
          (i64.add (i64.load32_u offset=4 (local.get $a)) (i64.load (local.get $a)))))"#;
    let mut store = Store::default();
    let bytes = [0u8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0];
    let model = |a: usize| {
        let w = u32::from_le_bytes(bytes[a + 4..a + 8].try_into().unwrap()) as u64;
        let d = u64::from_le_bytes(bytes[a..a + 8].try_into().unwrap());
        w.wrapping_add(d) as i64
    };
    // `bytes` mirrors memory at addresses 8..28.
    for a in [8usize, 12, 16] {
        let got = run(&mut store, wat, "f", &[Val::I32(a as i32)]).unwrap();
        assert_eq!(got, vec![Val::I64(model(a - 8))]);
    }
    assert_eq!(
        run(&mut store, wat, "f", &[Val::I32(65536 - 4)]),
        Err(TrapKind::MemoryOutOfBounds)
    );
}

/// A callee's declared locals start at zero on every call, whether the call
/// takes the fast path (8 or fewer locals: fixed stores) or the one for
/// many locals, even when an earlier call left other values in those slots.
#[test]
fn locals_are_zero_on_every_call_fast_or_not() {
    // `$few` has 3 locals, `$many` 12; each returns the sum of its locals
    // read before writing them, then fills them (leaving garbage behind).
    let wat = r#"(module
      (func $few (param i32) (result i32) (local i32 i64 i32)
        (local.get 1) (i32.wrap_i64 (local.get 2)) i32.add (local.get 3) i32.add
        (local.set 1 (local.get 0)) (local.set 2 (i64.const -1)) (local.set 3 (local.get 0)))
      (func $many (param i32) (result i32)
        (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
        (local.get 1) (local.get 6) i32.add (local.get 12) i32.add
        (local.set 1 (local.get 0)) (local.set 6 (local.get 0)) (local.set 12 (local.get 0)))
      (func (export "run") (param $n i32) (result i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc)
            (i32.add (call $few (local.get $n)) (call $many (local.get $n)))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))"#;
    let mut store = Store::default();
    assert_eq!(
        run(&mut store, wat, "run", &[Val::I32(1000)]),
        Ok(vec![Val::I32(0)])
    );
}

/// Calls to the module's own functions carry the callee's code address,
/// linked once when the module is compiled (`exec::code::link_calls`). The
/// link is shared by every instance of the module, in any store: each call
/// must still run in the caller's instance (its own globals), and after a
/// store that ran the code is gone the link must still point at live code.
#[test]
fn linked_internal_callees_serve_every_instance_and_store() {
    let wat = r#"(module
      (global $g (mut i32) (i32.const 0))
      (func $bump (param i32) (result i32)
        (global.set $g (i32.add (global.get $g) (local.get 0))) (global.get $g))
      (func (export "bump") (param i32) (result i32) (call $bump (local.get 0))))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let bump = |store: &mut Store, inst: &Instance, by: i32| {
        let f = inst.get_func(store, "bump").unwrap();
        f.call(store, &[Val::I32(by)]).unwrap()
    };
    {
        let mut first = Store::default();
        let a = Instance::new(&mut first, &module, &Imports::new()).unwrap();
        let b = Instance::new(&mut first, &module, &Imports::new()).unwrap();
        assert_eq!(bump(&mut first, &a, 5), vec![Val::I32(5)]);
        assert_eq!(bump(&mut first, &b, 7), vec![Val::I32(7)]);
        assert_eq!(bump(&mut first, &a, 1), vec![Val::I32(6)]);
    }
    // The store the instances above ran in is dropped; the module keeps
    // the code its calls are linked to.
    let mut second = Store::default();
    let c = Instance::new(&mut second, &module, &Imports::new()).unwrap();
    assert_eq!(bump(&mut second, &c, 2), vec![Val::I32(2)]);
}

/// The fast `call_indirect` path takes only exact-type wasm callees of the
/// running instance; the rest (a callee of another instance, a subtype, a
/// wrong type, a null or missing entry) go the general way, and trap as
/// they must.
#[test]
fn indirect_calls_fast_and_general_agree() {
    let wat = r#"(module
      (type $t (func (param i32) (result i32)))
      (type $u (func (result i32)))
      (table 4 funcref)
      (func $double (type $t) (i32.add (local.get 0) (local.get 0)))
      (func $seven (type $u) (i32.const 7))
      (elem (i32.const 0) func $double $seven)
      (func (export "call") (param i32 i32) (result i32)
        (call_indirect (type $t) (local.get 1) (local.get 0))))"#;
    let mut store = Store::default();
    let call = |store: &mut Store, i: i32| run(store, wat, "call", &[Val::I32(i), Val::I32(21)]);
    assert_eq!(call(&mut store, 0), Ok(vec![Val::I32(42)]));
    assert_eq!(call(&mut store, 1), Err(TrapKind::IndirectCallTypeMismatch));
    assert_eq!(call(&mut store, 2), Err(TrapKind::UninitializedElement));
    assert_eq!(call(&mut store, 4), Err(TrapKind::UndefinedElement));
}

/// Calls into another instance and back take the general paths (the
/// instance switches); a long loop of them must run in constant native
/// stack: each slow path continues by a jump, never a nested call (which
/// would overflow the test thread's stack long before the loop ends).
#[test]
fn cross_instance_calls_and_returns_run_in_constant_native_stack() {
    let callee = r#"(module (func (export "inc") (param i32) (result i32)
        (i32.add (local.get 0) (i32.const 1))))"#;
    let caller = r#"(module (import "m" "inc" (func $inc (param i32) (result i32)))
      (func (export "run") (param $n i32) (result i32) (local $acc i32)
        (loop $l
          (local.set $acc (call $inc (local.get $acc)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))"#;
    let mut store = Store::default();
    let m = Module::new(&wat::parse_str(callee).unwrap()).unwrap();
    let inst = Instance::new(&mut store, &m, &Imports::new()).unwrap();
    let inc = inst.get_export(&store, "inc").unwrap();
    let mut imports = Imports::new();
    imports.define("m", "inc", inc);
    let m = Module::new(&wat::parse_str(caller).unwrap()).unwrap();
    let inst = Instance::new(&mut store, &m, &imports).unwrap();
    let run = inst.get_func(&store, "run").unwrap();
    let n = 300_000;
    assert_eq!(
        run.call(&mut store, &[Val::I32(n)]).unwrap(),
        vec![Val::I32(n)]
    );
}

/// Globals are read and written without bounds checks: imported ones
/// (store entries of another instance) and defined ones must each reach
/// their own store entry, on both sides of the import.
#[test]
fn imported_and_defined_globals_reach_their_own_store_entries() {
    let owner = r#"(module (global (export "g") (mut i32) (i32.const 10))
      (func (export "get") (result i32) (global.get 0)))"#;
    let user = r#"(module (import "m" "g" (global $g (mut i32)))
      (global $own (mut i32) (i32.const 1))
      (func (export "run") (param $n i32) (result i32)
        (loop $l
          (global.set $g (i32.add (global.get $g) (i32.const 2)))
          (global.set $own (i32.mul (global.get $own) (i32.const 3)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.add (global.get $g) (global.get $own))))"#;
    let mut store = Store::default();
    let m = Module::new(&wat::parse_str(owner).unwrap()).unwrap();
    let owner = Instance::new(&mut store, &m, &Imports::new()).unwrap();
    let mut imports = Imports::new();
    imports.define("m", "g", owner.get_export(&store, "g").unwrap());
    let m = Module::new(&wat::parse_str(user).unwrap()).unwrap();
    let user = Instance::new(&mut store, &m, &imports).unwrap();
    let run = user.get_func(&store, "run").unwrap();
    // g: 10 + 2 * 4 = 18; own: 3^4 = 81.
    assert_eq!(
        run.call(&mut store, &[Val::I32(4)]).unwrap(),
        vec![Val::I32(99)]
    );
    let get = owner.get_func(&store, "get").unwrap();
    assert_eq!(get.call(&mut store, &[]).unwrap(), vec![Val::I32(18)]);
}

/// Every kind of branch, taken forward and backward, lands on its target:
/// `br_if` at the function's first instruction, `if`/`else`, fused i32,
/// i64 and f64 compare-and-branch, `br_table`, and loops closed by `br`
/// and by `br_if`; checked against a Rust model of the same loops. (A
/// wrong branch distance lands elsewhere and the sums differ.)
#[test]
fn every_kind_of_branch_lands_on_its_target() {
    let wat = r#"(module (func (export "f") (param $n i32) (result i64)
        (local $i i32) (local $k i32) (local $acc i64) (local $j i64) (local $x f64)
        (block $done
          (br_if $done (i32.eqz (local.get $n)))
          (loop $outer
            (if (i32.and (local.get $i) (i32.const 1))
              (then (local.set $acc (i64.add (local.get $acc) (i64.const 3))))
              (else (local.set $acc (i64.sub (local.get $acc) (i64.const 1)))))
            (local.set $j (i64.const 0))
            (loop $inner
              (local.set $acc (i64.add (local.get $acc) (local.get $j)))
              (local.set $j (i64.add (local.get $j) (i64.const 1)))
              (br_if $inner (i64.lt_s (local.get $j)
                (i64.extend_i32_u (i32.and (local.get $i) (i32.const 3))))))
            (local.set $x (f64.add (local.get $x) (f64.const 0.5)))
            (block $small
              (br_if $small (f64.lt (local.get $x) (f64.const 2.0)))
              (local.set $x (f64.const 0))
              (local.set $acc (i64.mul (local.get $acc) (i64.const 2))))
            (block $b0
              (block $b1 (br_table $b0 $b1 (i32.rem_u (local.get $i) (i32.const 3))))
              (local.set $acc (i64.xor (local.get $acc) (i64.const 0x55))))
            (local.set $k (i32.const 0))
            (block $w (loop $l
              (br_if $w (i32.ge_u (local.get $k) (i32.const 2)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $acc (i64.add (local.get $acc) (i64.const 7)))
              (br $l)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
        (local.get $acc)))"#;
    let model = |n: u32| {
        let (mut acc, mut x) = (0i64, 0f64);
        for i in 0..n {
            acc = if i & 1 == 1 { acc + 3 } else { acc - 1 };
            let mut j = 0i64;
            loop {
                acc = acc.wrapping_add(j);
                j += 1;
                if j >= i64::from(i & 3) {
                    break;
                }
            }
            x += 0.5;
            if x >= 2.0 {
                x = 0.0;
                acc = acc.wrapping_mul(2);
            }
            if i % 3 != 0 {
                acc ^= 0x55;
            }
            acc = acc.wrapping_add(14);
        }
        acc
    };
    // A backward branch that lands short loops forever: the flag, raised
    // after 10 s unless the runs are done, turns that into a failure.
    let (flag, done) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let mut store = Store::new(Config {
        interrupt: flag.clone(),
        ..Config::default()
    });
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            for _ in 0..1000 {
                if done.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            flag.store(true, Ordering::Relaxed);
        })
    };
    let got: Vec<_> = [0u32, 1, 2, 5, 100]
        .map(|n| (n, run(&mut store, wat, "f", &[Val::I32(n as i32)])))
        .into();
    done.store(true, Ordering::Relaxed);
    watchdog.join().unwrap();
    for (n, got) in got {
        assert_eq!(got, Ok(vec![Val::I64(model(n))]), "n = {n}");
    }
}
