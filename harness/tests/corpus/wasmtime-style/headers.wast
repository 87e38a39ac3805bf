;;! wide_arithmetic = true
;;! nan_canonicalization = true
;;! hogs_memory = true

;; wide-arithmetic is not part of Wasm 3.0: the header turns it on.
(module
  (func (export "add128") (param i64 i64 i64 i64) (result i64 i64)
    (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3))))
(assert_return (invoke "add128" (i64.const -1) (i64.const 0) (i64.const 1) (i64.const 0))
  (i64.const 0) (i64.const 1))
