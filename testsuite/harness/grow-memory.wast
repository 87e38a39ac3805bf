;; touchstone: max-memory-mib=64
;; Grows memory one page at a time for as long as the engine allows. The
;; harness bounds the store at 64 MiB (1024 pages), so growth must stop
;; there with `memory.grow` returning -1, not trap or exhaust the machine.

(module
  (memory 0)
  (func (export "grow-until-failure") (result i32)
    (block $done
      (loop $more
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
    (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(assert_return (invoke "grow-until-failure") (i32.const 1024))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
