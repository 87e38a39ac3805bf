;; touchstone: timeout=2
;; A loop that never ends: the file's time limit stops it (`timeout`), and
;; the directive after it is not run (also `timeout`).

(module (func (export "spin") (loop $l (br $l))))
(invoke "spin")
(assert_return (invoke "spin"))
