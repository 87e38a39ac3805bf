;; wasmtime reports stack overflow as a trap, and its scripts say so.
(module
  (func $f (export "run") (call $f)))
(assert_trap (invoke "run") "call stack exhausted")
