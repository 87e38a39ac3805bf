//! Conventions of the runner a suite was written for (`--dialect`).
//! Each is described, with where it comes from, in `docs/dialects.md`.

use serde::Deserialize;

use crate::engine::ErrorKind;

/// Whose conventions a script follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// The spec interpreter's (`WebAssembly/spec`), which the official
    /// suite is written for.
    #[default]
    Spec,
    /// wasmtime's `tests/misc_testsuite` conventions.
    Wasmtime,
}

impl Dialect {
    /// Whether `(module $m ...)` also registers the instance under `m`, so
    /// later modules can `(import "m" ...)` without a `register`.
    pub fn registers_named_modules(self) -> bool {
        self == Dialect::Wasmtime
    }

    /// Whether an `assert_trap` expecting `message` is also satisfied by
    /// resource exhaustion: wasmtime reports stack overflow as a trap
    /// whose text is "call stack exhausted", and its scripts assert it so.
    pub fn trap_accepts_exhaustion(self, message: &str) -> bool {
        self == Dialect::Wasmtime && message.contains("call stack exhausted")
    }

    /// The failure kinds an `assert_exhaustion` accepts, the one it names
    /// first. wasmtime checks both `assert_trap` and `assert_exhaustion`
    /// the same way (the error's text must contain the message), so its
    /// scripts may use either for either.
    pub fn exhaustion_kinds(self) -> &'static [ErrorKind] {
        match self {
            Dialect::Spec => &[ErrorKind::Exhaustion],
            Dialect::Wasmtime => &[ErrorKind::Exhaustion, ErrorKind::Trap],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wasmtime_has_its_conventions() {
        assert!(Dialect::Wasmtime.registers_named_modules());
        assert!(!Dialect::Spec.registers_named_modules());
        assert!(Dialect::Wasmtime.trap_accepts_exhaustion("call stack exhausted"));
        assert!(!Dialect::Wasmtime.trap_accepts_exhaustion("unreachable"));
        assert!(!Dialect::Spec.trap_accepts_exhaustion("call stack exhausted"));
        assert_eq!(Dialect::Spec.exhaustion_kinds(), [ErrorKind::Exhaustion]);
        assert!(Dialect::Wasmtime
            .exhaustion_kinds()
            .contains(&ErrorKind::Trap));
    }
}
