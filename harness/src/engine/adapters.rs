//! Engines reached through adapter scripts that ship inside the binary
//! (`adapters/` in the repository) and run under an interpreter found on
//! PATH: each speaks the engine protocol (`docs/engine-protocol.md`).

use std::process::{Command, Stdio};

use super::external::ExternalEngine;

/// An adapter script and what it needs to run.
pub struct ScriptAdapter {
    /// The engine's name on the command line and in reports.
    pub name: &'static str,
    /// Where the script lives in the repository (for messages).
    pub file: &'static str,
    pub source: &'static str,
    /// The interpreter, found on PATH.
    pub interpreter: &'static str,
    /// The interpreter's option that runs a program given as an argument
    /// (`-c` for Python, `-e` for node).
    pub inline: &'static str,
    /// A short program the interpreter runs to check that the engine is
    /// installed; it prints the engine's version.
    pub check: &'static str,
    /// How to install what the check found missing.
    pub install: &'static str,
}

/// Every adapter script this binary carries.
pub const ADAPTERS: &[ScriptAdapter] = &[
    ScriptAdapter {
        name: "wasm3",
        file: "adapters/wasm3.py",
        source: include_str!("../../../adapters/wasm3.py"),
        interpreter: "python3",
        inline: "-c",
        check: "import importlib.metadata as m, wasm3; print('pywasm3', m.version('pywasm3'))",
        install: "pip install pywasm3",
    },
    ScriptAdapter {
        name: "wasmtime-py",
        file: "adapters/wasmtime_py.py",
        source: include_str!("../../../adapters/wasmtime_py.py"),
        interpreter: "python3",
        inline: "-c",
        check: "import importlib.metadata as m, wasmtime; print('wasmtime', m.version('wasmtime'))",
        install: "pip install wasmtime",
    },
];

/// The adapter called `name`.
pub fn find(name: &str) -> Option<&'static ScriptAdapter> {
    ADAPTERS.iter().find(|a| a.name == name)
}

impl ScriptAdapter {
    /// The command that runs the script (passed inline: nothing needs to
    /// exist beside the binary).
    pub fn command(&self) -> Vec<String> {
        vec![
            self.interpreter.to_string(),
            self.inline.to_string(),
            self.source.to_string(),
        ]
    }

    /// Whether the interpreter and the engine are installed: the engine's
    /// version, or what is missing and how to install it.
    pub fn check(&self) -> Result<String, String> {
        let output = Command::new(self.interpreter)
            .args([self.inline, self.check])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("`{}` not found on PATH ({e})", self.interpreter))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        } else {
            Err(format!(
                "its engine is not installed for `{}`: run `{}`",
                self.interpreter, self.install
            ))
        }
    }

    /// The engine, if it can run here.
    pub fn engine(&self) -> Result<ExternalEngine, String> {
        self.check()
            .map(|_| ExternalEngine::new(self.name, self.command()))
            .map_err(|why| format!("engine `{}` ({}) cannot run: {why}", self.name, self.file))
    }
}
