;; The right failure kind with another message: a pass, counted as a
;; message mismatch (a failure with --strict-messages).
(module
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
(assert_trap (invoke "div" (i32.const 0)) "something else entirely")
