;; Recursion without bound, directly and mutually, with locals on the
;; stack: `exhaustion` every time, and the module is still usable after.

(module
  (func $self (export "self") (param i64) (result i64)
    (call $self (i64.add (local.get 0) (i64.const 1))))
  (func $ping (export "ping") (param i32) (result i32) (call $pong (local.get 0)))
  (func $pong (param i32) (result i32) (call $ping (local.get 0)))
  (func (export "ok") (result i32) (i32.const 1))
)
(assert_exhaustion (invoke "self" (i64.const 0)) "call stack exhausted")
(assert_exhaustion (invoke "ping" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "ok") (i32.const 1))
