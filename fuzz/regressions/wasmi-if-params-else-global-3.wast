;; Found by `touchstone fuzz --engine touchstone,wasmi --seed ...` (module seed 12929181691401196497).
;; Assertions are what touchstone produced.
;; divergence at global "\u{34c}":
;;   touchstone: [I64(3127417891081890814)]
;;   wasmi: [I64(-3127417891081890815)]
;; reduced from 2454 to 426 bytes
;; no opinion from V8: V8 cannot call a function of this signature (v128 or non-JS type)
;; Explained by a known bug: wasmi: if with parameters and an else (wasmi 2.0.0)
(module binary "\00\61\73\6d\01\00\00\00\01\13\02\60\01\7e\02\7b\7d\60\08\7d\7e\7d\7e\7f\7d\70\7e\01\7c\03\05\04"
    "\01\01\01\00\06\3a\08\7f\01\41\00\0b\6f\00\d0\6f\0b\7f\01\41\00\0b\7f\01\41\00\0b\7e\01\42\00\0b"
    "\7b\01\fd\0c\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\0b\7e\01\42\00\0b\7f\01\41\b8\17\0b"
    "\07\2e\0a\01\32\00\00\01\33\00\01\01\34\00\02\01\35\00\03\01\36\03\00\01\37\03\01\02\43\2c\03\02"
    "\01\39\03\03\04\7b\2c\25\5a\03\05\02\cd\8c\03\06\0a\97\02\04\88\02\03\01\7e\01\7b\01\7b\23\07\45"
    "\04\40\00\0b\23\07\41\01\6b\24\07\d0\70\43\af\b8\4e\0f\d0\6f\20\08\43\fb\1c\ef\81\20\03\23\01\23"
    "\00\24\00\43\ff\ff\3f\00\fd\13\fd\15\04\42\fe\d7\8c\f1\88\c0\b4\b3\2b\23\00\c0\69\04\00\b9\bd\41"
    "\80\80\80\08\42\ff\ff\ff\ff\7b\03\7e\23\07\45\04\40\00\0b\23\07\24\07\d0\70\21\06\20\0a\23\05\fd"
    "\51\24\05\41\80\80\80\fe\07\ad\b4\bc\23\03\73\24\03\23\05\24\05\42\eb\9f\e2\bf\fb\e1\83\fb\d1\00"
    "\0b\23\06\85\24\06\23\06\85\24\06\23\02\73\24\02\23\06\85\24\06\fd\0c\00\00\00\00\00\00\fe\ff\00"
    "\00\00\00\00\01\00\00\43\2b\d7\71\d2\05\23\06\85\24\06\fd\0c\00\00\00\00\04\00\00\00\00\00\00\00"
    "\00\00\00\ff\43\fc\b8\17\5d\0b\bc\23\03\73\24\03\23\05\fd\51\24\05\23\02\73\24\02\1a\23\06\85\24"
    "\06\bc\23\03\73\24\03\23\06\85\24\06\1a\bc\23\03\73\24\03\1a\44\00\00\00\00\01\00\00\00\0b\03\00"
    "\00\0b\03\00\00\0b\03\00\00\0b")
(assert_return (invoke "2" (f32.const -0.0) (i64.const -9223372036854775808) (f32.const -1.9241448e-24) (i64.const -8871831512223484553) (i32.const 963990925) (f32.const 0.0) (ref.null func) (i64.const -2736978921854224440)) (f64.const 2.121995791e-314))
(assert_trap (invoke "3" (f32.const inf) (i64.const -9223372036854775808) (f32.const -0.0) (i64.const 4) (i32.const 1408773092) (f32.const nan:0x400000) (ref.null func) (i64.const 6541958791341422391)) "unreachable")
(assert_trap (invoke "4" (f32.const 0.0) (i64.const -9223372036854775808) (f32.const nan:0x400000) (i64.const 0) (i32.const 59) (f32.const nan:0x400000) (ref.null func) (i64.const -1)) "unreachable")
(assert_trap (invoke "5" (i64.const -1)) "unreachable")
(assert_return (get "6") (i32.const 0))
(assert_return (get "7") (ref.null extern))
(assert_return (get "C,") (i32.const -1))
(assert_return (get "9") (i32.const -743039832))
(assert_return (get "{,%Z") (v128.const i32x4 0 4 0 -16777216))
(assert_return (get "\cd\8c") (i64.const -5798879033899983223))
