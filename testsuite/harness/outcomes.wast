;; Each non-passing outcome, on purpose. Listed in the baselines; asserted
;; one by one in harness/tests/selftest.rs.

(module $one (func (export "one") (result i32) (i32.const 1)))

;; fail: the engine is right, the expectation wrong.
(assert_return (invoke "one") (i32.const 2))

;; fail: expected a trap, but the call returns.
(assert_trap (invoke "one") "unreachable")

;; A module that cannot instantiate, then an action on it: error.
(module $broken (import "nowhere" "nothing" (func)))
(assert_return (invoke $broken "f") (i32.const 0))

;; unsupported: a thread sharing an instance (wasmi cannot share any; our
;; engine shares only shared memories, not functions).
(thread $T (shared (module $one)) (invoke $one "one"))
(wait $T)
