//! Hand-written cases for the hazards of a register (frame-slot)
//! translator: deferred `local.get` read after the local is overwritten,
//! `local.tee` aliasing, `local.set` retargeting a producer, branch value
//! copies over leftover values, `if` with params/results, `select`,
//! multi-value calls, `return` from nested blocks, loops with params.
//! Every expected value is worked out by hand in the comments.

use super::run::Value::{self, F64, I32, I64};

/// A module and the calls to check on it.
pub struct Regression {
    pub wat: &'static str,
    /// (export, arguments, expected results)
    pub checks: &'static [(&'static str, &'static [Value], &'static [Value])],
}

const fn f(x: f64) -> Value {
    F64(x.to_bits())
}

pub const LOCALS: Regression = Regression {
    wat: r#"(module
  ;; x - 5: the first read must see the old x.
  (func (export "get_then_set") (param i32) (result i32)
    local.get 0
    i32.const 5
    local.set 0
    local.get 0
    i32.sub)
  ;; x + 100, the write hidden in a block.
  (func (export "get_then_set_in_block") (param i32) (result i32)
    local.get 0
    (block (local.set 0 (i32.const 100)))
    local.get 0
    i32.add)
  ;; x * 3 + 3
  (func (export "get_then_tee") (param i32) (result i32)
    local.get 0
    (local.tee 0 (i32.const 3))
    i32.mul
    local.get 0
    i32.add)
  ;; x * (x + 1) + (x + 1)
  (func (export "tee_increment") (param i32) (result i32)
    local.get 0
    local.get 0 i32.const 1 i32.add local.tee 0
    i32.mul
    local.get 0
    i32.add)
  ;; x + 3x / 3x = x + 1: a tee then a read of the same local (x != 0).
  (func (export "tee_then_get_same") (param i32) (result i32)
    local.get 0
    (i32.mul (local.get 0) (i32.const 3))
    local.tee 0
    local.get 0
    i32.div_u
    i32.add)
  ;; (x - 9, 9): a set then a read of the same local, old x still waiting.
  (func (export "set_then_get_same") (param i32) (result i32 i32)
    local.get 0
    i32.const 9
    local.set 0
    local.get 0
    i32.sub
    local.get 0)
  ;; x != 0: 64; otherwise 7 (wasmi 2.0.0 drops the eqz).
  (func (export "select_eqz_local") (param i32) (result i32)
    i32.const 7
    i32.const 64
    local.get 0 i32.eqz
    select)
  ;; l1 = x must not alias l0: x + 1000 * x + 5
  (func (export "tee_alias") (param i32) (result i32) (local i32)
    (local.tee 1 (local.get 0))
    (local.set 0 (i32.const 5))
    (i32.mul (local.get 1) (i32.const 1000))
    i32.add
    local.get 0
    i32.add)
  ;; (x, y) -> (y, x) through the stack
  (func (export "swap_stack") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1
    local.set 0 local.set 1
    local.get 0 local.get 1)
  ;; old x * (x + y): the add is stored straight into l0 while old x waits.
  (func (export "retarget_under_deferred") (param i32 i32) (result i32)
    local.get 0
    (local.set 0 (i32.add (local.get 0) (local.get 1)))
    local.get 0
    i32.mul)
  ;; x - (x + 30): three iterations each add 10 to x while old x waits.
  (func (export "get_across_loop") (param i32) (result i32) (local i32)
    local.get 0
    (local.set 1 (i32.const 3))
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 10)))
      (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    local.get 0
    i32.sub)
  ;; x - 2x
  (func (export "f64_get_then_set") (param f64) (result f64)
    local.get 0
    (local.set 0 (f64.mul (local.get 0) (f64.const 2)))
    local.get 0
    f64.sub)
  ;; select(old x, y, y) + y: the tee must not change the first operand.
  (func (export "select_tee") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    (local.tee 0 (local.get 1))
    select
    local.get 0
    i32.add)
  ;; fib(n) with a, b = b, a + b through the stack.
  (func (export "fib") (param i32) (result i32) (local i32 i32)
    (local.set 2 (i32.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        local.get 2
        (i32.add (local.get 1) (local.get 2))
        local.set 2
        local.set 1
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    local.get 1))"#,
    checks: &[
        ("get_then_set", &[I32(12)], &[I32(7)]),
        ("get_then_set", &[I32(-3)], &[I32(-8)]),
        ("get_then_set_in_block", &[I32(7)], &[I32(107)]),
        ("get_then_tee", &[I32(10)], &[I32(33)]),
        ("tee_increment", &[I32(6)], &[I32(49)]),
        ("tee_then_get_same", &[I32(2)], &[I32(3)]),
        ("set_then_get_same", &[I32(20)], &[I32(11), I32(9)]),
        ("tee_alias", &[I32(3)], &[I32(3008)]),
        ("swap_stack", &[I32(1), I32(2)], &[I32(2), I32(1)]),
        ("retarget_under_deferred", &[I32(3), I32(4)], &[I32(21)]),
        ("get_across_loop", &[I32(5)], &[I32(-30)]),
        ("f64_get_then_set", &[f(1.5)], &[f(-1.5)]),
        ("select_tee", &[I32(5), I32(7)], &[I32(12)]),
        ("select_tee", &[I32(5), I32(0)], &[I32(0)]),
        ("select_eqz_local", &[I32(5)], &[I32(64)]),
        ("select_eqz_local", &[I32(0)], &[I32(7)]),
        ("fib", &[I32(0)], &[I32(0)]),
        ("fib", &[I32(10)], &[I32(55)]),
        ("fib", &[I32(20)], &[I32(6765)]),
    ],
};

pub const BRANCHES: Regression = Regression {
    wat: r#"(module
  ;; a != 0: (c, a, b) copied over the two leftovers 7, 8;
  ;; a == 0: (7, 8, c + a + b).
  (func (export "br_if_over_junk") (param i32 i32 i32) (result i32 i32 i32)
    (block $out (result i32 i32 i32)
      i32.const 7
      i32.const 8
      (block $in (result i32)
        local.get 2 local.get 0 local.get 1
        local.get 0
        br_if $out
        i32.add i32.add)))
  ;; (x + 1, x - 1, x * x), moved down two slots past x + 100 and 2x.
  (func (export "br_computed_over_junk") (param i32) (result i32 i32 i32)
    (block $out (result i32 i32 i32)
      (i32.add (local.get 0) (i32.const 100))
      (i32.mul (local.get 0) (i32.const 2))
      (i32.add (local.get 0) (i32.const 1))
      (i32.sub (local.get 0) (i32.const 1))
      (i32.mul (local.get 0) (local.get 0))
      (br $out)))
  ;; x := 2x + 1 until x > 10, then (x, x + 1), leaving a 1 behind each time.
  (func (export "br_out_of_loop") (param i32) (result i32 i32)
    (block $out (result i32 i32)
      (loop $l (result i32 i32)
        (i32.const 1)
        (local.get 0) (i32.add (local.get 0) (i32.const 1))
        (br_if $out (i32.gt_s (local.get 0) (i32.const 10)))
        i32.add
        (local.set 0)
        drop
        (br $l))))
  ;; x = 0: (y, 10 (y + 1)); x = 1: (-1, 2); otherwise (y, y + 1).
  (func (export "br_table_vals") (param i32 i32) (result i32 i32)
    (block $a (result i32 i32)
      (block $b (result i32 i32)
        (block $c (result i32 i32)
          i32.const 100
          local.get 1
          (i32.add (local.get 1) (i32.const 1))
          local.get 0
          br_table $c $b $a)
        i32.const 10 i32.mul
        br $a)
      i32.sub
      i32.const 2))
  ;; (y, x): the block's results land in the very locals they were read from.
  (func (export "swap_br") (param i32 i32) (result i32 i32)
    (block (result i32 i32) (local.get 1) (local.get 0) (br 0))
    local.set 1
    local.set 0
    local.get 0 local.get 1)
  ;; z != 0: y; otherwise 3x.
  (func (export "set_from_block_reading_it") (param i32 i32 i32) (result i32)
    (local.set 0
      (block (result i32)
        (br_if 0 (local.get 1) (local.get 2))
        drop
        (i32.mul (local.get 0) (i32.const 3))))
    local.get 0)
  ;; y != 0: old x; otherwise 99.
  (func (export "i64_br_if_value") (param i64 i32) (result i64)
    (block (result i64)
      (local.get 0)
      (local.set 0 (i64.const 99))
      (local.get 1)
      br_if 0
      drop
      local.get 0))
  ;; x != 0: (x, 10); otherwise (10, 20).
  (func (export "block_param_br") (param i32) (result i32 i32)
    local.get 0
    i32.const 10
    (block $b (param i32 i32) (result i32 i32)
      local.get 0
      br_if $b
      i32.add
      i32.const 20))
  ;; x != 0: (y + 2y, 1); otherwise (y - 2y, 0).
  (func (export "if_params") (param i32 i32) (result i32 i32)
    local.get 1
    (i32.mul (local.get 1) (i32.const 2))
    local.get 0
    (if (param i32 i32) (result i32 i32)
      (then i32.add i32.const 1)
      (else i32.sub i32.const 0)))
  ;; x != 0: (x + 2) * 1; otherwise (0 + 3) * 4.
  (func (export "if_writes_local") (param i32) (result i32)
    local.get 0
    (if (result i32) (local.get 0)
      (then (local.set 0 (i32.const 1)) (i32.const 2))
      (else (local.set 0 (i32.const 4)) (i32.const 3)))
    i32.add
    local.get 0
    i32.mul)
  ;; x != 0: returns (x + 1, -1) from inside if/loop/block over leftovers;
  ;; otherwise (0, 0).
  (func (export "nested_return") (param i32) (result i32 i64)
    i32.const 1
    (block (result i32)
      (loop (result i32)
        i64.const 2
        (if (local.get 0)
          (then (return (i32.add (local.get 0) (i32.const 1)) (i64.const -1))))
        drop
        i32.const 9))
    drop drop
    i32.const 0 i64.const 0)
  ;; Loop params (acc, i): n + (n - 1) + ... + 1, for n >= 1.
  (func (export "loop_params_sum") (param i32) (result i32) (local i32)
    i32.const 0
    local.get 0
    (loop $l (param i32 i32) (result i32)
      local.set 1
      local.get 1 i32.add
      (i32.sub (local.get 1) (i32.const 1))
      local.tee 1
      local.get 1
      br_if $l
      drop)))"#,
    checks: &[
        (
            "br_if_over_junk",
            &[I32(1), I32(2), I32(3)],
            &[I32(3), I32(1), I32(2)],
        ),
        (
            "br_if_over_junk",
            &[I32(0), I32(2), I32(3)],
            &[I32(7), I32(8), I32(5)],
        ),
        (
            "br_computed_over_junk",
            &[I32(5)],
            &[I32(6), I32(4), I32(25)],
        ),
        ("br_out_of_loop", &[I32(0)], &[I32(15), I32(16)]),
        ("br_out_of_loop", &[I32(11)], &[I32(11), I32(12)]),
        ("br_table_vals", &[I32(0), I32(5)], &[I32(5), I32(60)]),
        ("br_table_vals", &[I32(1), I32(5)], &[I32(-1), I32(2)]),
        ("br_table_vals", &[I32(2), I32(5)], &[I32(5), I32(6)]),
        ("br_table_vals", &[I32(-1), I32(5)], &[I32(5), I32(6)]),
        ("swap_br", &[I32(1), I32(2)], &[I32(2), I32(1)]),
        (
            "set_from_block_reading_it",
            &[I32(2), I32(5), I32(1)],
            &[I32(5)],
        ),
        (
            "set_from_block_reading_it",
            &[I32(2), I32(5), I32(0)],
            &[I32(6)],
        ),
        ("i64_br_if_value", &[I64(7), I32(1)], &[I64(7)]),
        ("i64_br_if_value", &[I64(7), I32(0)], &[I64(99)]),
        ("block_param_br", &[I32(3)], &[I32(3), I32(10)]),
        ("block_param_br", &[I32(0)], &[I32(10), I32(20)]),
        ("if_params", &[I32(1), I32(4)], &[I32(12), I32(1)]),
        ("if_params", &[I32(0), I32(4)], &[I32(-4), I32(0)]),
        ("if_writes_local", &[I32(5)], &[I32(7)]),
        ("if_writes_local", &[I32(0)], &[I32(12)]),
        ("nested_return", &[I32(4)], &[I32(5), I64(-1)]),
        ("nested_return", &[I32(0)], &[I32(0), I64(0)]),
        ("loop_params_sum", &[I32(1)], &[I32(1)]),
        ("loop_params_sum", &[I32(10)], &[I32(55)]),
    ],
};

pub const CALLS: Regression = Regression {
    wat: r#"(module
  (func $swap3 (param i32 i32 i32) (result i32 i32 i32) local.get 2 local.get 1 local.get 0)
  (func $rot (param i32 i32 i32) (result i32 i32 i32) local.get 1 local.get 2 local.get 0)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  ;; (a, b, c) -> (c, b, a) -> (a, b, c) -> (b, c, a)
  (func (export "call_chain") (param i32 i32 i32) (result i32 i32 i32)
    local.get 0 local.get 1 local.get 2
    call $swap3 call $swap3 call $rot)
  ;; old x + 100 (x + 1)
  (func (export "call_overwrite") (param i32) (result i32)
    local.get 0
    (local.set 0 (call $inc (local.get 0)))
    local.get 0
    i32.const 100 i32.mul
    i32.add)
  ;; x, y := x % y, x / y under a waiting old y: 1000 old y + 10 (x / y) + x % y
  (func (export "divmod_into_locals") (param i32 i32) (result i32)
    local.get 1
    (call $divmod (local.get 0) (local.get 1))
    local.set 0
    local.set 1
    i32.const 1000 i32.mul
    (i32.mul (local.get 1) (i32.const 10)) i32.add
    local.get 0 i32.add)
  ;; Arguments computed over a leftover: rot(swap3(a, b, c)) = rot(c, b, a)
  ;; = (b, a, c), then 1 + (b - a) c
  (func (export "call_over_leftover") (param i32 i32 i32) (result i32)
    i32.const 1
    (call $rot (call $swap3 (local.get 0) (local.get 1) (local.get 2)))
    ;; stack: 1, b, a, c
    local.set 0   ;; x := c
    i32.sub       ;; b - a
    local.get 0
    i32.mul       ;; (b - a) c
    i32.add))"#,
    checks: &[
        (
            "call_chain",
            &[I32(1), I32(2), I32(3)],
            &[I32(2), I32(3), I32(1)],
        ),
        ("call_overwrite", &[I32(3)], &[I32(403)]),
        ("divmod_into_locals", &[I32(47), I32(5)], &[I32(5092)]),
        // 1 + (2 - 1) * 3 = 4; 1 + (5 - 9) * 2 = -7
        ("call_over_leftover", &[I32(1), I32(2), I32(3)], &[I32(4)]),
        ("call_over_leftover", &[I32(9), I32(5), I32(2)], &[I32(-7)]),
    ],
};

/// Every regression module.
pub const ALL: [&Regression; 3] = [&LOCALS, &BRANCHES, &CALLS];
