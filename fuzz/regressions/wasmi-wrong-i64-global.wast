;; Found by `touchstone fuzz --engine touchstone,wasmi --seed ...` (module seed 1571542991783122152).
;; Assertions are what touchstone produced.
;; divergence at global "8":
;;   touchstone: [I64(-5801097086885387419)]
;;   wasmi: [I64(1192993134420992869)]
;; reduced from 1978 to 251 bytes
;; V8 sides with touchstone
;; wasmtime 51.0.0 (`--engine wasmtime-py`) also gives touchstone's value; wasmi 2.0.0
;; fails every time through `touchstone test`. See docs/fuzzing-findings.md, finding 4.
(module binary "\00\61\73\6d\01\00\00\00\01\0d\03\60\00\00\60\00\01\7f\60\01\7e\01\7d\03\03\02\00\02\06\1a\05\7f"
    "\01\41\00\0b\7e\01\42\00\0b\7f\01\41\00\0b\7e\01\42\00\0b\7f\01\41\00\0b\07\08\02\01\31\00\01\00"
    "\03\01\0c\01\01\0a\ae\01\02\02\00\0b\a8\01\0b\01\70\01\70\01\7c\01\7c\01\7c\01\7c\01\7c\01\7d\01"
    "\7d\01\7c\01\7c\41\01\04\40\05\00\0b\41\01\24\04\41\01\b7\20\02\42\01\03\7c\41\00\04\40\00\0b\23"
    "\04\24\04\42\c1\e3\bc\94\ee\94\a6\c7\50\02\01\10\00\20\03\20\06\44\00\00\00\00\00\20\00\00\20\01"
    "\d1\1b\20\08\03\00\23\04\45\04\40\00\0b\23\04\24\04\fc\09\00\0b\bc\23\02\73\24\02\bd\23\01\85\24"
    "\01\bd\23\01\85\24\01\41\00\0b\23\00\73\24\00\23\03\85\24\03\44\65\a3\44\a3\10\a3\61\51\0b\bd\23"
    "\01\85\24\01\23\03\85\24\03\1a\bd\23\01\85\24\01\43\ff\ff\f7\ff\0b\0b\03\01\01\00")
(assert_return (invoke "1" (i64.const -9223372036854775808)) (f32.const nan:arithmetic))
(assert_return (get "") (i64.const 7967328507649106789))
