//! Runs a parsed script's directives, one by one, against one store.

use std::collections::HashMap;

use wast::core::WastRetCore;
use wast::token::{Id, Span};
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use wasmparser::WasmFeatures;

use super::dialect::Dialect;
use super::feature_gate::gated_rejection;
use super::lines::LineIndex;
use super::matching::matches;
use super::values::{self, render_patterns, render_values};
use super::verdict::{describe, Failure, Verdict};
use crate::engine::{ErrorKind, InstanceId, ModuleId, Session, SharedInstance, Value};
use crate::report::{AssertionReport, Outcome};

/// The state of one script on one store: which instances the script can
/// name, and which one is current.
pub struct ScriptRun<'t> {
    store: Box<dyn Session>,
    lines: LineIndex,
    /// Ties the run to the script text its spans point into.
    _text: std::marker::PhantomData<&'t str>,
    /// Instances by script name (`$id`); `Err` says why it is missing.
    named: HashMap<String, Result<InstanceId, Missing>>,
    /// The most recent module, which unnamed actions refer to.
    current: Result<InstanceId, Missing>,
    /// `module definition`s by name, and the latest one.
    definitions: HashMap<String, Result<ModuleId, Missing>>,
    last_definition: Result<ModuleId, Missing>,
    /// Each compiled module's import module names.
    imports: HashMap<ModuleId, Vec<String>>,
    /// Names whose `register` failed (the instance was missing), and why:
    /// a link failure importing from one is a consequence, not a finding.
    broken_registrations: HashMap<String, Missing>,
    /// The features the file runs with (for the feature-gate check).
    features: WasmFeatures,
    dialect: Dialect,
}

impl<'t> ScriptRun<'t> {
    /// A run over `store` of a script whose source is `text` (for positions).
    pub fn new(store: Box<dyn Session>, text: &'t str) -> Self {
        ScriptRun {
            store,
            lines: LineIndex::new(text),
            _text: std::marker::PhantomData,
            named: HashMap::new(),
            current: Err(Missing::error("no module has been defined yet")),
            definitions: HashMap::new(),
            last_definition: Err(Missing::error("no module definition yet")),
            imports: HashMap::new(),
            broken_registrations: HashMap::new(),
            features: crate::suite::features::DEFAULT(),
            dialect: Dialect::default(),
        }
    }

    /// The file's features and the conventions it follows.
    pub fn with_context(mut self, features: WasmFeatures, dialect: Dialect) -> Self {
        self.features = features;
        self.dialect = dialect;
        self
    }

    /// 1-based line and column of `span`.
    pub fn position(&self, span: Span) -> (u32, u32) {
        self.lines.position(span.offset())
    }

    /// The keyword that names a directive in reports.
    pub fn kind(d: &WastDirective<'_>) -> &'static str {
        match d {
            WastDirective::Module(_) => "module",
            WastDirective::ModuleDefinition(_) => "module definition",
            WastDirective::ModuleInstance { .. } => "module instance",
            WastDirective::AssertMalformed { .. } => "assert_malformed",
            WastDirective::AssertInvalid { .. } => "assert_invalid",
            WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
            WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
            WastDirective::Register { .. } => "register",
            WastDirective::Invoke(_) => "invoke",
            WastDirective::AssertTrap { .. } => "assert_trap",
            WastDirective::AssertReturn { .. } => "assert_return",
            WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
            WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
            WastDirective::AssertException { .. } => "assert_exception",
            WastDirective::AssertSuspension { .. } => "assert_suspension",
            WastDirective::Thread(_) => "thread",
            WastDirective::Wait { .. } => "wait",
        }
    }

    /// Runs one directive (`thread` and `wait` are `runner::threads`').
    pub fn run(&mut self, d: WastDirective<'_>) -> Vec<AssertionReport> {
        let (line, col) = self.position(d.span());
        let kind = Self::kind(&d);
        vec![self.verdict(d).at(line, col, kind)]
    }

    /// Shares the instance named `id` with other threads' stores.
    pub fn share(&mut self, id: Id<'_>) -> Result<SharedInstance, (Outcome, String)> {
        let inst = self.instance(Some(id)).map_err(|f| match f {
            Failure::Runner(outcome, why) => (outcome, why),
            Failure::Engine(e) => (Outcome::Error, e.message),
        })?;
        self.store.share(inst).map_err(|e| {
            let outcome = if e.kind == ErrorKind::Unsupported {
                Outcome::Unsupported
            } else {
                Outcome::Error
            };
            (outcome, e.message)
        })
    }

    /// Names `shared` (another thread's instance) `$name` in this run.
    pub fn adopt(&mut self, name: &str, shared: &SharedInstance) -> Result<(), String> {
        let inst = self.store.adopt(shared).map_err(|e| e.message)?;
        self.named.insert(name.to_string(), Ok(inst));
        Ok(())
    }

    fn verdict(&mut self, d: WastDirective<'_>) -> Verdict {
        match d {
            WastDirective::Module(module) => self.module(module),
            WastDirective::ModuleDefinition(module) => self.module_definition(module),
            WastDirective::ModuleInstance {
                instance, module, ..
            } => self.module_instance(instance, module),
            WastDirective::Register { name, module, .. } => match self.instance(module) {
                Ok(inst) => match self.store.register(name, inst) {
                    Ok(()) => {
                        self.broken_registrations.remove(name);
                        Verdict::pass()
                    }
                    Err(e) => Verdict::unexpected_failure(e.into(), "registered"),
                },
                Err(f) => {
                    if let Failure::Runner(outcome, why) = &f {
                        self.broken_registrations
                            .insert(name.to_string(), Missing::new(*outcome, why.clone()));
                    }
                    Verdict::unexpected_failure(f, "registered")
                }
            },
            WastDirective::Invoke(invoke) => match self.invoke(invoke) {
                Ok(_) => Verdict::pass(),
                Err(f) => Verdict::unexpected_failure(f, "returns"),
            },
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, results),
            WastDirective::AssertTrap { exec, message, .. } => {
                let result = self.exec(exec).map(|v| returned(&v));
                let kinds: &[ErrorKind] = if self.dialect.trap_accepts_exhaustion(message) {
                    &[ErrorKind::Exhaustion, ErrorKind::Trap]
                } else {
                    &[ErrorKind::Trap]
                };
                Verdict::expect_failure(result, kinds, message)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let result = self.invoke(call).map(|v| returned(&v));
                Verdict::expect_failure(result, self.dialect.exhaustion_kinds(), message)
            }
            WastDirective::AssertException { exec, .. } => {
                let result = self.exec(exec).map(|v| returned(&v));
                Verdict::expect_failure(result, &[ErrorKind::Exception], "exception")
            }
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.assert_rejected(module, message, ErrorKind::Malformed),
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.assert_rejected(module, message, ErrorKind::Invalid),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.assert_unlinkable(module, message),
            WastDirective::AssertMalformedCustom {
                module, message, ..
            }
            | WastDirective::AssertInvalidCustom {
                module, message, ..
            } => self.assert_custom(module, message),
            WastDirective::AssertSuspension { .. } => Verdict::with(
                Outcome::Unsupported,
                "assert_suspension (stack switching) is not supported by the runner",
            ),
            WastDirective::Wait { .. } | WastDirective::Thread(_) => Verdict::with(
                Outcome::Error,
                "runner bug: `thread`/`wait` reached the single-directive runner",
            ),
        }
    }

    fn module(&mut self, mut module: QuoteWat<'_>) -> Verdict {
        let name = module.name().map(|id| id.name().to_string());
        let (line, _) = self.position(module.span());
        let result = self.compile(&mut module).and_then(|m| self.instantiate(m));
        let stored = result
            .as_ref()
            .map(|i| *i)
            .map_err(|f| Missing::after(f, &format!("the module at line {line}"), "instantiate"));
        if let (Some(name), Ok(instance)) = (&name, &stored) {
            if self.dialect.registers_named_modules() {
                if let Err(e) = self.store.register(name, *instance) {
                    return Verdict::unexpected_failure(e.into(), "registered under its name");
                }
            }
        }
        if let Some(name) = name {
            self.named.insert(name, stored.clone());
        }
        self.current = stored;
        match result {
            Ok(_) => Verdict::pass(),
            Err(f) => Verdict::unexpected_failure(f, "a valid module"),
        }
    }

    fn module_definition(&mut self, mut module: QuoteWat<'_>) -> Verdict {
        let name = module.name().map(|id| id.name().to_string());
        let (line, _) = self.position(module.span());
        let result = self.compile(&mut module);
        let stored = result.as_ref().map(|m| *m).map_err(|f| {
            Missing::after(
                f,
                &format!("the module definition at line {line}"),
                "compile",
            )
        });
        if let Some(name) = name {
            self.definitions.insert(name, stored.clone());
        }
        self.last_definition = stored;
        match result {
            Ok(_) => Verdict::pass(),
            Err(f) => Verdict::unexpected_failure(f, "a valid module"),
        }
    }

    fn module_instance(&mut self, instance: Option<Id<'_>>, module: Option<Id<'_>>) -> Verdict {
        let definition = match module {
            Some(id) => self.definitions.get(id.name()).cloned().unwrap_or_else(|| {
                Err(Missing::error(format!(
                    "no module definition named ${}",
                    id.name()
                )))
            }),
            None => self.last_definition.clone(),
        };
        let result = definition
            .map_err(Missing::failure)
            .and_then(|m| self.instantiate(m));
        let stored = result
            .as_ref()
            .map(|i| *i)
            .map_err(|f| Missing::after(f, "the module instance", "instantiate"));
        if let Some(id) = instance {
            self.named.insert(id.name().to_string(), stored.clone());
        }
        self.current = stored;
        match result {
            Ok(_) => Verdict::pass(),
            Err(f) => Verdict::unexpected_failure(f, "instantiates"),
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, results: Vec<WastRet<'_>>) -> Verdict {
        let mut patterns = Vec::with_capacity(results.len());
        for r in results {
            match r {
                WastRet::Core(p) => patterns.push(p),
                _ => {
                    return Verdict::with(
                        Outcome::Unsupported,
                        "component-model results are not supported",
                    )
                }
            }
        }
        // The expected text is rendered only for a report that shows it:
        // most assertions pass, and rendering them all costs measurable time.
        match self.exec(exec) {
            Ok(values) => {
                let all_match = values.len() == patterns.len()
                    && values.iter().zip(&patterns).all(|(v, p)| matches(v, p));
                if all_match {
                    Verdict::pass()
                } else {
                    let actual = render_values(&values, &patterns);
                    Verdict::fail(render_patterns(&patterns), actual, None)
                }
            }
            Err(f) => Verdict::unexpected_failure(f, &render_patterns(&patterns)),
        }
    }

    /// `assert_malformed` / `assert_invalid`: the module must be rejected.
    /// Text the runner's own parser rejects counts as rejected (for quoted
    /// modules that is what the assertion tests); a module the engine
    /// rejects passes with either failure kind, the other kind being noted
    /// as a wording mismatch (engines built on one decoder-validator often
    /// cannot tell the two apart).
    fn assert_rejected(
        &mut self,
        mut module: QuoteWat<'_>,
        message: &str,
        kind: ErrorKind,
    ) -> Verdict {
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return Verdict::with(
                Outcome::Unsupported,
                "component-model modules are not supported",
            );
        }
        // A binary given as bytes that only a feature makes decodable tests
        // just that: the encoding does not exist in the file's language.
        let given_as_binary = matches!(
            &module,
            QuoteWat::Wat(Wat::Module(m)) if matches!(m.kind, wast::core::ModuleKind::Binary(_))
        );
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) => return text_rejected(e, message, kind),
        };
        let other = if kind == ErrorKind::Malformed {
            ErrorKind::Invalid
        } else {
            ErrorKind::Malformed
        };
        let result = self
            .store
            .compile(&bytes)
            .map(|_| "a module that compiled".to_string());
        let verdict =
            Verdict::expect_failure(result.map_err(Failure::from), &[kind, other], message);
        if verdict.outcome != Outcome::Pass {
            return verdict;
        }
        if kind == ErrorKind::Malformed && given_as_binary {
            return verdict;
        }
        match gated_rejection(&bytes, self.features, message) {
            Some(why) => Verdict::fail(
                verdict.expected.unwrap_or_default(),
                verdict.actual.unwrap_or_default(),
                Some(why),
            ),
            None => verdict,
        }
    }

    fn assert_unlinkable(&mut self, mut module: Wat<'_>, message: &str) -> Verdict {
        let compiled = match module.encode() {
            Ok(bytes) => self.compile_bytes(&bytes),
            Err(e) => Err(Failure::Runner(
                Outcome::Error,
                format!("could not encode the module: {e}"),
            )),
        };
        let result = match compiled {
            Ok(m) => self
                .instantiate(m)
                .map(|_| "a module that linked".to_string()),
            Err(f) => return Verdict::unexpected_failure(f, "a valid module"),
        };
        Verdict::expect_failure(result, &[ErrorKind::Link], message)
    }

    /// Custom-section assertions test the text format's annotations: the
    /// runner's parser must reject the module (`assert_malformed_custom`),
    /// and engines must not let a bad custom section fail a module. What an
    /// engine does with a custom section's contents is not observable
    /// through the seam, so a module the parser accepts is `unsupported`.
    fn assert_custom(&mut self, mut module: QuoteWat<'_>, message: &str) -> Verdict {
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) => return text_rejected(e, message, ErrorKind::Malformed),
        };
        match self.store.compile(&bytes) {
            Ok(_) => Verdict::with(
                Outcome::Unsupported,
                "the text parser accepted this annotation and engines ignore custom sections, \
                 so the runner cannot check it",
            ),
            Err(e) => Verdict::fail(
                "a module that compiles (custom-section errors never fail a module)",
                describe(&e),
                Some(e.message),
            ),
        }
    }

    fn exec(&mut self, exec: WastExecute<'_>) -> Result<Vec<Value>, Failure> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module)?;
                Ok(vec![self.store.get_global(inst, global)?])
            }
            WastExecute::Wat(mut module) => {
                if matches!(module, Wat::Component(_)) {
                    return Err(Failure::Runner(
                        Outcome::Unsupported,
                        "component-model modules are not supported".into(),
                    ));
                }
                let bytes = module.encode().map_err(|e| {
                    Failure::Runner(Outcome::Error, format!("could not encode the module: {e}"))
                })?;
                let m = self.compile_bytes(&bytes)?;
                self.instantiate(m)?;
                Ok(Vec::new())
            }
        }
    }

    fn invoke(&mut self, invoke: WastInvoke<'_>) -> Result<Vec<Value>, Failure> {
        let inst = self.instance(invoke.module)?;
        let args = invoke
            .args
            .iter()
            .map(values::arg)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                Failure::Runner(
                    Outcome::Unsupported,
                    format!("argument not supported: {}", e.0),
                )
            })?;
        Ok(self.store.invoke(inst, invoke.name, &args)?)
    }

    fn compile(&mut self, module: &mut QuoteWat<'_>) -> Result<ModuleId, Failure> {
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return Err(Failure::Runner(
                Outcome::Unsupported,
                "component-model modules are not supported".into(),
            ));
        }
        let bytes = module.encode().map_err(|e| {
            Failure::Runner(
                Outcome::Error,
                format!("could not encode the module: {}", e.message()),
            )
        })?;
        self.compile_bytes(&bytes)
    }

    /// Instantiates; a link failure on a module importing from a name whose
    /// registration failed is an `error` (a consequence), not a finding.
    fn instantiate(&mut self, module: ModuleId) -> Result<InstanceId, Failure> {
        self.store.instantiate(module).map_err(|e| {
            if e.kind == ErrorKind::Link {
                let imports = self.imports.get(&module).map(Vec::as_slice).unwrap_or(&[]);
                if let Some((name, missing)) = imports
                    .iter()
                    .find_map(|n| self.broken_registrations.get(n).map(|w| (n, w)))
                {
                    return Failure::Runner(
                        missing.outcome,
                        format!(
                            "imports from \"{name}\", whose registration failed ({}): {}",
                            missing.why, e.message
                        ),
                    );
                }
            }
            Failure::Engine(e)
        })
    }

    /// Compiles a binary, remembering what it imports from.
    fn compile_bytes(&mut self, bytes: &[u8]) -> Result<ModuleId, Failure> {
        let id = self.store.compile(bytes)?;
        self.imports
            .insert(id, super::imports::import_modules(bytes));
        Ok(id)
    }

    fn instance(&self, module: Option<Id<'_>>) -> Result<InstanceId, Failure> {
        let found =
            match module {
                Some(id) => self.named.get(id.name()).cloned().unwrap_or_else(|| {
                    Err(Missing::error(format!("no module named ${}", id.name())))
                }),
                None => self.current.clone(),
            };
        found.map_err(Missing::failure)
    }
}

/// Why a module or instance the script refers to is missing, and so the
/// outcome of each directive that uses it: `unsupported` when the module
/// itself was (e.g. it needs a feature the engine lacks: what the engine
/// does not have is no finding, on the module or after it), else `error`.
#[derive(Clone, Debug)]
struct Missing {
    outcome: Outcome,
    why: String,
}

impl Missing {
    fn new(outcome: Outcome, why: String) -> Missing {
        Missing { outcome, why }
    }

    fn error(why: impl Into<String>) -> Missing {
        Missing::new(Outcome::Error, why.into())
    }

    /// `what` failed to `verb` with `failure`.
    fn after(failure: &Failure, what: &str, verb: &str) -> Missing {
        let unsupported = match failure {
            Failure::Runner(Outcome::Unsupported, why) => Some(why),
            Failure::Engine(e) if e.kind == ErrorKind::Unsupported => Some(&e.message),
            _ => None,
        };
        match unsupported {
            Some(why) => Missing::new(
                Outcome::Unsupported,
                format!("{what} is unsupported: {why}"),
            ),
            None => Missing::error(format!("{what} did not {verb}")),
        }
    }

    fn failure(self) -> Failure {
        Failure::Runner(self.outcome, self.why)
    }
}

/// What a successful action produced, for a report's `actual`.
fn returned(values: &[Value]) -> String {
    if values.is_empty() {
        "returned normally".to_string()
    } else {
        format!(
            "returned {}",
            render_values(values, &[] as &[WastRetCore<'_>])
        )
    }
}

/// The runner's text parser rejected a module an assertion expects to be
/// rejected: that is a pass (for `malformed`, exactly what it tests; for
/// `invalid`, the text format caught it first, noted as a wording mismatch).
fn text_rejected(e: wast::Error, message: &str, kind: ErrorKind) -> Verdict {
    let parse_message = e.message();
    Verdict {
        outcome: Outcome::Pass,
        expected: Some(format!(
            "{} \"{message}\"",
            if kind == ErrorKind::Malformed {
                "malformed"
            } else {
                "invalid"
            }
        )),
        actual: Some(format!("text parser: \"{parse_message}\"")),
        message_mismatch: kind != ErrorKind::Malformed
            || !super::messages::loosely_matches(message, &parse_message),
        message: Some(parse_message),
    }
}
