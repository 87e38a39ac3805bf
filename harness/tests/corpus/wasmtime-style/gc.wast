;;! gc = true
;;! bulk_memory = true

;; A struct survives a call to the runner's collector (a host module).
(module
  (import "wasmtime" "gc" (func $collect))
  (type $pair (struct (field i32) (field (mut i64))))
  (func (export "kept") (result i32)
    (local $p (ref null $pair))
    (local.set $p (struct.new $pair (i32.const 40) (i64.const 2)))
    (call $collect)
    (i32.add
      (struct.get $pair 0 (local.get $p))
      (i32.wrap_i64 (struct.get $pair 1 (local.get $p))))))
(assert_return (invoke "kept") (i32.const 42))

(module $nulls
  (type $box (struct (field i32)))
  (func (export "null-get") (result i32)
    (struct.get $box 0 (ref.null $box))))
(assert_trap (invoke $nulls "null-get") "null structure reference")
