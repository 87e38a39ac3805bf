//! Engines by name, for the command line and the test target.

use super::adapters;
use super::external::ExternalEngine;
use super::{v8, Engine};

/// Makes an engine.
pub type Factory = fn() -> Box<dyn Engine>;

/// Engines added by a program built on this library (see [`add`]).
static ADDED: std::sync::Mutex<Vec<(&'static str, Factory)>> = std::sync::Mutex::new(Vec::new());

/// Adds an engine implemented outside this crate to this process's
/// registry, so that `--engine NAME`, `touchstone list`, `serve --engine`
/// and baselines know it: a Rust engine's own `touchstone` is
/// `registry::add("mine", || Box::new(Mine)); touchstone_harness::cli::main()`
/// (see `examples/toy-engine`). A later engine of the same name replaces it.
pub fn add(name: &'static str, factory: Factory) {
    let mut added = ADDED.lock().expect("engine registry");
    added.retain(|(n, _)| *n != name);
    added.push((name, factory));
}

fn added(name: &str) -> Option<Box<dyn Engine>> {
    let added = ADDED.lock().expect("engine registry");
    added
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, make)| make())
}

/// Names of the engines this build knows, the default one first.
pub fn names() -> Vec<&'static str> {
    let mut names = vec!["touchstone"];
    if cfg!(feature = "wasmi") {
        names.push("wasmi");
    }
    if cfg!(feature = "wasmtime") {
        names.push("wasmtime");
    }
    let added = ADDED.lock().expect("engine registry");
    names.extend(
        added
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !["touchstone", "wasmi", "wasmtime"].contains(n)),
    );
    names
}

/// The engine called `name`, or `None` if this build has no such engine.
pub fn create(name: &str) -> Option<Box<dyn Engine>> {
    match name {
        "touchstone" => Some(Box::new(super::touchstone::TouchstoneEngine::new())),
        #[cfg(feature = "wasmi")]
        "wasmi" => Some(Box::new(super::wasmi::WasmiEngine::new())),
        #[cfg(feature = "wasmtime")]
        "wasmtime" => Some(Box::new(super::wasmtime::WasmtimeEngine::new())),
        _ => added(name),
    }
}

/// Built-in engines this harness knows but this build left out, and the
/// cargo feature that brings each in.
const NOT_COMPILED: &[(&str, &str)] = &[("wasmi", "wasmi"), ("wasmtime", "wasmtime")];

/// An external engine given by the user: its name and command (program and
/// arguments), from `--engine-cmd NAME=COMMAND` or a config file.
pub type EngineCommand = (String, Vec<String>);

/// The engines of a run: built-in or adapter engines by name (`isolate`:
/// built-ins run in `touchstone serve` worker processes; `node`: how V8's
/// node runs), then the external commands. Errors say why an engine
/// cannot run here.
pub fn create_engines(
    names: &[String],
    commands: &[EngineCommand],
    isolate: bool,
    node: &v8::NodeSettings,
) -> Result<Vec<Box<dyn Engine>>, String> {
    let mut engines: Vec<Box<dyn Engine>> = Vec::new();
    for name in names {
        if engines.iter().any(|e| e.name() == name) {
            continue;
        }
        engines.push(resolve(name, isolate, node)?);
    }
    for (name, command) in commands {
        if engines.iter().any(|e| e.name() == name)
            || adapters::find(name).is_some()
            || name == v8::NAME
        {
            return Err(format!(
                "engine name `{name}` is already taken; give the external engine another"
            ));
        }
        engines.push(Box::new(ExternalEngine::new(name, command.clone())));
    }
    Ok(engines)
}

/// The engine `name`: built in, or an adapter script whose engine is installed.
pub fn resolve(
    name: &str,
    isolate: bool,
    node: &v8::NodeSettings,
) -> Result<Box<dyn Engine>, String> {
    if let Some(engine) = create(name) {
        if !isolate {
            return Ok(engine);
        }
        let exe = std::env::current_exe()
            .map_err(|e| format!("--isolate: cannot find the touchstone binary ({e})"))?;
        let command = vec![
            exe.display().to_string(),
            "serve".to_string(),
            "--engine".to_string(),
            name.to_string(),
        ];
        return Ok(Box::new(ExternalEngine::new(name, command)));
    }
    if name == v8::NAME {
        return v8::engine(node).map(|e| Box::new(e) as Box<dyn Engine>);
    }
    if let Some(adapter) = adapters::find(name) {
        return adapter.engine().map(|e| Box::new(e) as Box<dyn Engine>);
    }
    if let Some((_, feature)) = NOT_COMPILED.iter().find(|(n, _)| *n == name) {
        return Err(format!(
            "engine `{name}` is not compiled into this build (cargo feature `{feature}`)"
        ));
    }
    Err(format!(
        "unknown engine `{name}`; known: {} (see `touchstone list`), or add one with --engine-cmd NAME=COMMAND",
        known_names().join(", ")
    ))
}

/// Every engine name `--engine` knows, whether or not it can run here.
pub fn known_names() -> Vec<&'static str> {
    let mut all = names();
    all.push(v8::NAME);
    all.extend(adapters::ADAPTERS.iter().map(|a| a.name));
    all.extend(
        NOT_COMPILED
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| create(n).is_none()),
    );
    all
}

/// Every known engine and whether it can run here: what it is, or why not
/// (V8 with `node`, the config's node settings, and the environment's).
pub fn availability(node: &v8::NodeSettings) -> Vec<(&'static str, Result<String, String>)> {
    known_names()
        .into_iter()
        .map(|name| {
            let status = if create(name).is_some() {
                Ok("built in".to_string())
            } else if name == v8::NAME {
                v8::check(node)
            } else if let Some(adapter) = adapters::find(name) {
                adapter.check().map(|version| {
                    format!(
                        "{version}, through {} ({})",
                        adapter.interpreter, adapter.file
                    )
                })
            } else {
                resolve(name, false, node).map(|_| String::new())
            };
            (name, status)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_engine_with_an_adapter_has_its_name() {
        for name in names() {
            if let Some(engine) = create(name) {
                assert_eq!(engine.name(), name);
            }
        }
        assert!(create("nonesuch").is_none());
    }

    #[test]
    fn unknown_engines_and_taken_names_are_explained() {
        let err = create_engines(&["nonesuch".into()], &[], false, &Default::default())
            .err()
            .unwrap();
        assert!(err.contains("--engine-cmd"), "{err}");
        let taken = [("touchstone".to_string(), vec!["x".to_string()])];
        let err = create_engines(&["touchstone".into()], &taken, false, &Default::default())
            .err()
            .unwrap();
        assert!(err.contains("already taken"), "{err}");
    }

    #[test]
    fn added_engines_are_known_by_name() {
        add("added-for-test", || {
            Box::new(ExternalEngine::new("added-for-test", Vec::new()))
        });
        assert!(names().contains(&"added-for-test"));
        assert!(create("added-for-test").is_some());
    }

    #[test]
    fn isolated_engines_keep_their_names() {
        let engines =
            create_engines(&["touchstone".into()], &[], true, &Default::default()).unwrap();
        assert_eq!(engines[0].name(), "touchstone");
    }
}
