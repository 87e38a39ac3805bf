;; The config limits this file to a call depth of 200.
(module
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $down (i32.sub (local.get 0) (i32.const 1)))))))
(assert_return (invoke "down" (i32.const 100)) (i32.const 0))
(assert_trap (invoke "down" (i32.const 1000)) "call stack exhausted")
