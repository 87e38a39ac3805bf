//! A module an engine reports `unsupported` (it needs a feature the engine
//! lacks: an external engine's rejection explained by its handshake, or an
//! engine that says so itself) makes every directive that needs it
//! `unsupported` too, with the module's reason, never an `error`: an
//! unnamed module, a named one, its registration, and a module importing
//! from that registration. Shown with an engine that is ours but for GC,
//! which it refuses as unsupported.

use std::time::Duration;

use touchstone_harness::engine::touchstone::TouchstoneEngine;
use touchstone_harness::engine::{
    Engine, EngineError, ErrorKind, InstanceId, Limits, ModuleId, Session, Value, WasmFeatures,
};
use touchstone_harness::report::Outcome;
use touchstone_harness::script_runner::{run_script, RunOptions};
use touchstone_harness::suite::Script;

struct WithoutGc;

impl Engine for WithoutGc {
    fn name(&self) -> &'static str {
        "without-gc"
    }

    fn new_session(&self, features: &WasmFeatures, limits: &Limits) -> Box<dyn Session> {
        Box::new(WithoutGcSession(
            TouchstoneEngine::new().new_session(features, limits),
        ))
    }
}

struct WithoutGcSession(Box<dyn Session>);

impl Session for WithoutGcSession {
    fn compile(&mut self, wasm: &[u8]) -> Result<ModuleId, EngineError> {
        let without = WasmFeatures::WASM3.difference(WasmFeatures::GC);
        if wasmparser::Validator::new_with_features(without)
            .validate_all(wasm)
            .is_err()
        {
            return Err(EngineError::new(
                ErrorKind::Unsupported,
                "the module needs gc",
            ));
        }
        self.0.compile(wasm)
    }

    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, EngineError> {
        self.0.instantiate(module)
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), EngineError> {
        self.0.register(name, instance)
    }

    fn invoke(
        &mut self,
        i: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, EngineError> {
        self.0.invoke(i, export, args)
    }

    fn get_global(&mut self, i: InstanceId, export: &str) -> Result<Value, EngineError> {
        self.0.get_global(i, export)
    }
}

const SCRIPT: &str = r#"(module $M (type $s (struct (field i32)))
  (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(assert_return (invoke $M "f") (i32.const 1))
(register "m" $M)
(module (import "m" "f" (func (result i32))) (func (export "g") (result i32) (call 0)))
(assert_return (invoke "g") (i32.const 1))
(module (func (export "h") (result i32) (i32.const 2)))
(assert_return (invoke "h") (i32.const 2))
(assert_return (invoke $M "f") (i32.const 1))
(module definition $D (type $s (struct)))
(module instance $I $D)
(assert_return (invoke $I "f") (i32.const 1))
(module (import "nowhere" "f" (func)))
(assert_return (invoke "h") (i32.const 2))
"#;

#[test]
fn directives_needing_an_unsupported_module_are_unsupported() {
    let options = RunOptions {
        timeout: Duration::from_secs(60),
        ..RunOptions::default()
    };
    let report = run_script(
        &WithoutGc,
        &Script::from_text("lacking.wast", SCRIPT),
        &options,
    );
    let got: Vec<(u32, Outcome, &str)> = report
        .assertions
        .iter()
        .map(|a| (a.line, a.outcome, a.message.as_deref().unwrap_or_default()))
        .collect();
    let outcomes: Vec<(u32, Outcome)> = got.iter().map(|(l, o, _)| (*l, *o)).collect();
    use Outcome::*;
    assert_eq!(
        outcomes,
        [
            (1, Unsupported),
            (3, Unsupported),
            (4, Unsupported),
            (5, Unsupported),
            (6, Unsupported),
            (7, Unsupported),
            (8, Pass),
            (9, Pass),
            (10, Unsupported),
            (11, Unsupported),
            (12, Unsupported),
            (13, Unsupported),
            // A module that fails for another reason still leaves errors.
            (14, Fail),
            (15, Error),
        ],
        "{got:#?}"
    );
    for (line, outcome, message) in &got {
        if *outcome == Unsupported {
            assert!(
                message.contains("the module needs gc"),
                "line {line}: {message}"
            );
        }
    }
    assert_eq!(
        got[1].2,
        "the module at line 1 is unsupported: the module needs gc"
    );
    assert!(
        got[4]
            .2
            .starts_with("imports from \"m\", whose registration failed"),
        "{:?}",
        got[4]
    );
    assert_eq!(got[13].2, "the module at line 14 did not instantiate");
}
