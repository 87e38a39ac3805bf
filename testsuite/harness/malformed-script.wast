;; Not a valid script: the runner reports a parse error with file:line:col
;; as one `error` for the whole file.

(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1)
(assert_return (invoke "f" (i32.const 1))
