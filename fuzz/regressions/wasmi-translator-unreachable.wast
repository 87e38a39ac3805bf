;; wasmi 2.0.0 panics in its translator ("internal error: entered unreachable code",
;; wasmi-2.0.0/src/engine/translator/func/mod.rs:2583) when it translates this function
;; (lazily, at the first call). Found by `touchstone fuzz --engine touchstone,wasmi
;; --seconds 900` (session 22, run seed 1796682398965326735, module 196163, module seed
;; 17244267857389583474): in process the panic happened inside a function that cannot
;; unwind and aborted the whole run; in a worker process it is one crash finding.
;; Reduced by `touchstone fuzz --module-seed 17244267857389583474` from 2,174 to 140 bytes.
;; Assertions are what touchstone produced; `touchstone test --isolate --engine wasmi`
;; on this file reports a crash.
;;! wide_arithmetic = true
(module binary "\00\61\73\6d\01\00\00\00\01\04\01\60\00\00\03\02\01\00\05\0a\03\05\00\0c\05\01\08\01\10\10\06\25"
    "\04\7e\01\42\00\0b\7b\01\fd\0c\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\0b\7e\01\42\00\0b"
    "\7f\01\41\00\0b\07\08\02\01\31\00\00\00\02\02\0a\3b\01\39\03\01\7e\01\7c\01\7c\23\03\04\40\00\0b"
    "\23\03\24\03\42\00\fd\02\02\00\3f\02\ac\22\00\20\00\3c\40\01\9f\d8\1c\02\70\20\00\21\00\12\00\10"
    "\00\d0\70\0b\1a\23\01\fd\51\24\01\0b")
(assert_trap (invoke "1" ) "out of bounds memory access")
