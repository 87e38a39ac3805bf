;; wasmtime registers `(module $m ...)` under `m` without a `register`.
(module $m
  (func (export "seven") (result i32) (i32.const 7)))
(module
  (import "m" "seven" (func $seven (result i32)))
  (func (export "call") (result i32) (call $seven)))
(assert_return (invoke "call") (i32.const 7))
