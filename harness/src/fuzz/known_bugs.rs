//! Known bugs of other engines, recognised in a module, so a divergence
//! they explain is reported as theirs and not counted against us.
//!
//! wasmi 2.0.0 (found by `engine/tests/differential.rs`, where
//! `wasmi_bugs_are_still_there` pins them): a `br_table` carrying two or
//! more values, an `if` with parameters and an `else`, and a `select`
//! whose condition is an `i32.eqz` can give wrong results. Found by
//! `touchstone fuzz` (session 22, `fuzz-af34e0e9f8f3bffe`): a `loop` with
//! parameters entered right after `local.get A` that follows a
//! `local.get`/`local.tee` of another local B: the value of B below the
//! parameter reads as A's (pinned by `wasmi_still_misreads_...` below).
//! And (`fuzz-bd6555404e5a6a7f`): a `br_table` carrying a `v128` whose
//! targets are both the function's own label (a return) and another: with
//! a computed index and a computed value below the `v128`, wasmi returns
//! that value in the `v128`'s place (pinned by `wasmi_still_returns_...`).

use wasmparser::{BlockType, CompositeInnerType, FuncType, Operator, Parser, Payload, ValType};

/// A construct an engine is known to miscompile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownBug {
    pub engine: &'static str,
    pub what: &'static str,
}

pub const WASMI_BR_TABLE_VALUES: KnownBug = KnownBug {
    engine: "wasmi",
    what: "br_table carrying 2+ values (wasmi 2.0.0)",
};
pub const WASMI_IF_PARAMS_ELSE: KnownBug = KnownBug {
    engine: "wasmi",
    what: "if with parameters and an else (wasmi 2.0.0)",
};
pub const WASMI_SELECT_EQZ: KnownBug = KnownBug {
    engine: "wasmi",
    what: "select with an i32.eqz condition (wasmi 2.0.0)",
};
pub const WASMI_BR_TABLE_V128_RETURN: KnownBug = KnownBug {
    engine: "wasmi",
    what: "br_table carrying a v128 to the function's label and another (wasmi 2.0.0)",
};
pub const WASMI_LOOP_PARAM_LOCALS: KnownBug = KnownBug {
    engine: "wasmi",
    what: "loop with parameters entered after local.get A over local.get/tee B (wasmi 2.0.0)",
};

/// The known bugs of `engine` whose trigger appears in `wasm`.
pub fn triggers(engine: &str, wasm: &[u8]) -> Vec<KnownBug> {
    if engine != "wasmi" {
        return Vec::new();
    }
    let mut found = Vec::new();
    let _ = scan(wasm, &mut found);
    found
}

/// One open block: how many values a branch to it carries (and whether a
/// `v128` is among them), whether it is an `if` with parameters.
struct Frame {
    label_arity: usize,
    label_v128: bool,
    if_with_params: bool,
}

fn scan(wasm: &[u8], found: &mut Vec<KnownBug>) -> wasmparser::Result<()> {
    let mut types: Vec<Option<FuncType>> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut body = 0;
    let note = |bug: KnownBug, found: &mut Vec<KnownBug>| {
        if !found.contains(&bug) {
            found.push(bug);
        }
    };
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group?.into_types() {
                        types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    if let wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) =
                        import?.ty
                    {
                        funcs.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                let imported = funcs.len();
                for t in r {
                    funcs.push(t?);
                }
                body = imported;
            }
            Payload::CodeSectionEntry(code) => {
                let ty = funcs
                    .get(body)
                    .and_then(|&t| types.get(t as usize))
                    .cloned()
                    .flatten();
                body += 1;
                let arity = |bt: BlockType, params: bool| match bt {
                    BlockType::Empty => 0,
                    BlockType::Type(_) => usize::from(!params),
                    BlockType::FuncType(i) => match types.get(i as usize) {
                        Some(Some(f)) if params => f.params().len(),
                        Some(Some(f)) => f.results().len(),
                        _ => 0,
                    },
                };
                // Whether a label of block type `bt` (its parameters for a
                // loop) carries a v128.
                let v128 = |bt: BlockType, params: bool| match bt {
                    BlockType::Empty => false,
                    BlockType::Type(t) => !params && t == ValType::V128,
                    BlockType::FuncType(i) => match types.get(i as usize) {
                        Some(Some(f)) if params => f.params().contains(&ValType::V128),
                        Some(Some(f)) => f.results().contains(&ValType::V128),
                        _ => false,
                    },
                };
                let mut frames = vec![Frame {
                    label_arity: ty.as_ref().map_or(0, |f| f.results().len()),
                    label_v128: ty.is_some_and(|f| f.results().contains(&ValType::V128)),
                    if_with_params: false,
                }];
                let mut previous_eqz = false;
                // The locals the last two operators left on the stack
                // (`local.get`, or `local.tee`), older first.
                let mut recent: [Option<(u32, bool)>; 2] = [None, None];
                for op in code.get_operators_reader()? {
                    let op = op?;
                    if let Operator::Loop { blockty } = &op {
                        let param_over_other_local = matches!(
                            recent,
                            [Some((b, _)), Some((a, true))] if a != b
                        );
                        if param_over_other_local && arity(*blockty, true) > 0 {
                            note(WASMI_LOOP_PARAM_LOCALS, found);
                        }
                    }
                    match &op {
                        Operator::Block { blockty }
                        | Operator::TryTable {
                            try_table: wasmparser::TryTable { ty: blockty, .. },
                        } => frames.push(Frame {
                            label_arity: arity(*blockty, false),
                            label_v128: v128(*blockty, false),
                            if_with_params: false,
                        }),
                        Operator::Loop { blockty } => frames.push(Frame {
                            label_arity: arity(*blockty, true),
                            label_v128: v128(*blockty, true),
                            if_with_params: false,
                        }),
                        Operator::If { blockty } => frames.push(Frame {
                            label_arity: arity(*blockty, false),
                            label_v128: v128(*blockty, false),
                            if_with_params: arity(*blockty, true) > 0,
                        }),
                        Operator::Try { blockty } => frames.push(Frame {
                            label_arity: arity(*blockty, false),
                            label_v128: v128(*blockty, false),
                            if_with_params: false,
                        }),
                        Operator::Else => {
                            if frames.last().is_some_and(|f| f.if_with_params) {
                                note(WASMI_IF_PARAMS_ELSE, found);
                            }
                        }
                        Operator::End => {
                            frames.pop();
                        }
                        Operator::BrTable { targets } => {
                            let depth = frames.len();
                            let carries = |d: u32| {
                                depth
                                    .checked_sub(1 + d as usize)
                                    .map_or(0, |i| frames[i].label_arity)
                            };
                            if carries(targets.default()) >= 2 {
                                note(WASMI_BR_TABLE_VALUES, found);
                            }
                            // Frame 0 is the function's: a branch to it returns.
                            let frame = |d: u32| depth.checked_sub(1 + d as usize);
                            let all: Vec<Option<usize>> = targets
                                .targets()
                                .filter_map(Result::ok)
                                .chain([targets.default()])
                                .map(frame)
                                .collect();
                            let returns = all.contains(&Some(0));
                            let elsewhere = all.iter().any(|f| f.is_some_and(|i| i > 0));
                            let v128 =
                                frame(targets.default()).is_some_and(|i| frames[i].label_v128);
                            if returns && elsewhere && v128 {
                                note(WASMI_BR_TABLE_V128_RETURN, found);
                            }
                        }
                        Operator::Select
                        | Operator::TypedSelect { .. }
                        | Operator::TypedSelectMulti { .. }
                            if previous_eqz =>
                        {
                            note(WASMI_SELECT_EQZ, found)
                        }
                        _ => {}
                    }
                    previous_eqz = matches!(op, Operator::I32Eqz);
                    recent = [
                        recent[1],
                        match op {
                            Operator::LocalGet { local_index } => Some((local_index, true)),
                            Operator::LocalTee { local_index } => Some((local_index, false)),
                            _ => None,
                        },
                    ];
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "wasmi")]
    use crate::engine::Value;

    /// `A(x)`: `-x` kept in local 1, then `PUSH` (two more values) and a
    /// loop taking the top one; returns the bits of `-x` (the value below).
    fn loop_after_locals(push: &str) -> String {
        format!(
            r#"(module (func (export "A") (param f32) (result i32) (local f32 f32)
                 (f32.neg (local.get 0)) {push}
                 (loop (param f32) (drop))
                 (i32.reinterpret_f32)))"#
        )
    }

    /// `A(x)`: a block of type `v128` holding `x + 1` and local 1 (zero),
    /// then `BR_TABLE` on `x == 0`, carrying the zero out.
    fn br_table_v128(br_table: &str) -> String {
        format!(
            r#"(module (func (export "A") (param i32) (result v128) (local v128)
                 (block (result v128)
                   (i32.add (local.get 0) (i32.const 1)) (local.get 1)
                   (i32.eqz (local.get 0)) {br_table})))"#
        )
    }

    /// A trigger is wasmi's bug and not a guess: on each module of `cases`
    /// (with whether the trigger names it), called as `A(arg)`, Touchstone
    /// answers `right` and wasmi 2.0.0 something else exactly when the
    /// trigger names the module. When a wasmi release fixes one, its test
    /// fails and the trigger can go.
    #[cfg(feature = "wasmi")]
    fn pin(cases: &[(String, bool)], arg: crate::engine::Value, right: &[crate::engine::Value]) {
        use crate::engine::{touchstone::TouchstoneEngine, wasmi::WasmiEngine};
        use crate::engine::{Engine, Limits, WasmFeatures};
        let run = |engine: &dyn Engine, wat: &str| {
            let mut store = engine.new_session(&WasmFeatures::default(), &Limits::default());
            let m = store.compile(&wat::parse_str(wat).unwrap()).unwrap();
            let i = store.instantiate(m).unwrap();
            store.invoke(i, "A", std::slice::from_ref(&arg)).unwrap()
        };
        for (wat, triggers) in cases {
            assert_eq!(run(&TouchstoneEngine, wat), right, "{wat}");
            let wasmi = run(&WasmiEngine, wat);
            assert_eq!(wasmi != right, *triggers, "{wat}: wasmi gives {wasmi:?}");
            assert_eq!(!bugs(wat).is_empty(), *triggers, "{wat}");
        }
    }

    /// wasmi answers `x + 1` in lane 0 where the zero `v128` is due, only
    /// when the targets mix the function's label with another.
    #[cfg(feature = "wasmi")]
    #[test]
    fn wasmi_still_returns_the_value_below_a_v128_br_table_carries() {
        let cases = [
            ("(br_table 0 1 0)", true),
            ("(br_table 1 0)", true),
            ("(br_table 0 0)", false),
            ("(br_table 1 1)", false),
        ]
        .map(|(targets, triggers)| (br_table_v128(targets), triggers));
        pin(&cases, Value::I32(1), &[Value::V128(0)]);
    }

    /// wasmi returns the loop parameter's local (`x`, or local 2's zero)
    /// where `-x` is due.
    #[cfg(feature = "wasmi")]
    #[test]
    fn wasmi_still_misreads_a_local_below_a_loop_parameter() {
        let cases = [
            ("(local.tee 1) (local.get 0)", true),
            ("(local.tee 1) (local.get 2)", true),
            ("(local.tee 1) (local.get 1)", false),
            ("(local.tee 1) (f32.abs (local.get 0))", false),
        ]
        .map(|(push, triggers)| (loop_after_locals(push), triggers));
        let negated = Value::I32(1.5f32.to_bits() as i32);
        pin(&cases, Value::F32((-1.5f32).to_bits()), &[negated]);
    }

    fn bugs(wat: &str) -> Vec<KnownBug> {
        triggers("wasmi", &wat::parse_str(wat).unwrap())
    }

    #[test]
    fn recognises_each_wasmi_trigger_and_only_those() {
        assert_eq!(
            bugs("(module (func (result i32 i32) (i32.const 1) (i32.const 2) (i32.const 0) (br_table 0 0)))"),
            [WASMI_BR_TABLE_VALUES]
        );
        assert_eq!(
            bugs(
                "(module (func (param i32) (result i32) (i32.const 1) (local.get 0)
                (if (param i32) (result i32) (then) (else (drop) (i32.const 2)))))"
            ),
            [WASMI_IF_PARAMS_ELSE]
        );
        assert_eq!(
            bugs(
                "(module (func (param i32) (result i32) (i32.const 1) (i32.const 2)
                (i32.eqz (local.get 0)) (select)))"
            ),
            [WASMI_SELECT_EQZ]
        );
        assert_eq!(
            bugs(&loop_after_locals("(local.tee 1) (local.get 0)")),
            [WASMI_LOOP_PARAM_LOCALS]
        );
        assert_eq!(
            bugs(&loop_after_locals("(local.get 1) (local.get 2)")),
            [WASMI_LOOP_PARAM_LOCALS]
        );
        assert_eq!(
            bugs(&br_table_v128("(br_table 0 1 0)")),
            [WASMI_BR_TABLE_V128_RETURN]
        );
        assert_eq!(bugs(&br_table_v128("(br_table 0 0)")), []);
        assert_eq!(bugs(&br_table_v128("(br_table 1 1)")), []);
        // The same local twice, or anything but a local between: no trigger
        // (and wasmi gets these right).
        assert_eq!(bugs(&loop_after_locals("(local.tee 1) (local.get 1)")), []);
        assert_eq!(
            bugs(&loop_after_locals("(local.tee 1) (f32.abs (local.get 0))")),
            []
        );
        let fine = "(module (func (param i32) (result i32) (block (result i32) (i32.const 1) (local.get 0) (br_table 0 0))
            (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))) (i32.add)))";
        assert_eq!(bugs(fine), []);
        assert!(triggers("touchstone", &wat::parse_str(fine).unwrap()).is_empty());
    }
}
