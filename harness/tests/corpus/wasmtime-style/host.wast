;; Imports the runner's `gc` trigger (a host module from the config).
(module
  (import "wasmtime" "gc" (func $gc))
  (func (export "collect") (result i32) (call $gc) (i32.const 1)))
(assert_return (invoke "collect") (i32.const 1))
