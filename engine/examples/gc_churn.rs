//! GC churn: a WasmGC program that allocates about 10 GB in total of
//! short-lived objects while a ring of 1024 recent objects stays live.
//! Run it under `/usr/bin/time -v` and read "Maximum resident set size":
//!
//! ```text
//! cargo run --release -p touchstone-engine --example gc_churn [GB]
//! ```

use touchstone_engine::{Imports, Instance, Module, Store, Val};

const PROGRAM: &str = r#"(module
  (type $junk (array (mut i64)))
  (type $cell (struct (field $n i32) (field $data (ref $junk))))
  (table $ring 1024 (ref null $cell))
  ;; Per step: a 120-element array and a 2-field struct; the struct
  ;; replaces the one stored 1024 steps ago.
  (func (export "churn") (param $steps i32) (result i32)
    (local $i i32) (local $c (ref null $cell))
    (loop $l
      (local.set $c (struct.new $cell (local.get $i)
        (array.new $junk (i64.extend_i32_u (local.get $i)) (i32.const 120))))
      (table.set $ring (i32.and (local.get $i) (i32.const 1023)) (local.get $c))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $steps))))
    ;; The ring must still hold the last 1024 cells, intact.
    (local.set $c (table.get $ring (i32.and (i32.sub (local.get $i) (i32.const 1)) (i32.const 1023))))
    (i32.add (struct.get $cell $n (ref.as_non_null (local.get $c)))
      (i32.wrap_i64 (array.get $junk (struct.get $cell $data (ref.as_non_null (local.get $c))) (i32.const 119)))))
)"#;

/// Bytes one step allocates, as the store charges them (8 per slot plus a
/// 48-byte header per object).
const STEP_BYTES: u64 = (120 * 8 + 48) + (2 * 8 + 48);

fn main() {
    let gb: f64 = std::env::args()
        .nth(1)
        .map_or(10.0, |a| a.parse().expect("GB is a number"));
    let steps = (gb * 1e9 / STEP_BYTES as f64) as i32;
    let mut store = Store::default();
    let module = Module::new(&wat::parse_str(PROGRAM).expect("parses")).expect("compiles");
    let inst = Instance::new(&mut store, &module, &Imports::new()).expect("instantiates");
    let churn = inst.get_func(&store, "churn").expect("exported");
    let started = std::time::Instant::now();
    let result = churn.call(&mut store, &[Val::I32(steps)]).expect("runs");
    let last = steps - 1;
    assert_eq!(
        result,
        vec![Val::I32(last.wrapping_mul(2))],
        "survivors intact"
    );
    println!(
        "allocated {:.2} GB in {steps} steps ({:.1} s)",
        steps as f64 * STEP_BYTES as f64 / 1e9,
        started.elapsed().as_secs_f64()
    );
}
