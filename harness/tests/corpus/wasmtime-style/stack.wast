;; wasmtime reports stack overflow as a trap, and its scripts say so.
(module
  (func $f (export "run") (call $f)))
(assert_trap (invoke "run") "call stack exhausted")

;; wasmtime checks assert_exhaustion like assert_trap: by message.
(module
  (func (export "fail") (unreachable)))
(assert_exhaustion (invoke "fail") "unreachable")
