;; No header: wide-arithmetic stays off, so the engine rejects this module
;; for that alone. The module is valid with it on: the assertion must fail.
(assert_invalid
  (module
    (func (param i64 i64 i64 i64) (result i64 i64)
      (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3))))
  "type mismatch")
