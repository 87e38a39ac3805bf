//! The verdict on one directive, and how engine failures turn into one.

use crate::engine::{EngineError, ErrorKind};
use crate::report::{AssertionReport, Outcome};

use super::messages::loosely_matches;

/// Why an action could not produce values.
#[derive(Debug)]
pub enum Failure {
    /// The engine reported an error.
    Engine(EngineError),
    /// The runner could not do it (a missing module, an unencodable text
    /// module, an argument it cannot express); the outcome says which.
    Runner(Outcome, String),
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        Failure::Engine(e)
    }
}

/// What a directive came to, before its position is attached.
#[derive(Debug, Default)]
pub struct Verdict {
    pub outcome: Outcome,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub message: Option<String>,
    pub message_mismatch: bool,
}

impl Verdict {
    pub fn pass() -> Verdict {
        Verdict::default()
    }

    pub fn with(outcome: Outcome, message: impl Into<String>) -> Verdict {
        Verdict {
            outcome,
            message: Some(message.into()),
            ..Verdict::default()
        }
    }

    pub fn fail(
        expected: impl Into<String>,
        actual: impl Into<String>,
        message: Option<String>,
    ) -> Verdict {
        Verdict {
            outcome: Outcome::Fail,
            expected: Some(expected.into()),
            actual: Some(actual.into()),
            message,
            message_mismatch: false,
        }
    }

    /// An action that was expected to succeed (`expected` describes what it
    /// should have produced) failed.
    pub fn unexpected_failure(failure: Failure, expected: &str) -> Verdict {
        match failure {
            Failure::Runner(outcome, why) => Verdict::with(outcome, why),
            Failure::Engine(e) => match e.kind {
                ErrorKind::Interrupted => Verdict::with(Outcome::Timeout, e.message),
                ErrorKind::Unsupported => Verdict::with(Outcome::Unsupported, e.message),
                _ => Verdict::fail(expected, describe(&e), Some(e.message)),
            },
        }
    }

    /// An action that was expected to fail with one of `kinds` (the first
    /// is the one the script names; the others pass with a mismatch noted)
    /// and a message like `text`.
    pub fn expect_failure(
        result: Result<String, Failure>,
        kinds: &[ErrorKind],
        text: &str,
    ) -> Verdict {
        let expected = format!("{} \"{text}\"", kind_word(kinds[0]));
        match result {
            Ok(produced) => Verdict::fail(expected, produced, None),
            Err(Failure::Runner(outcome, why)) => Verdict::with(outcome, why),
            Err(Failure::Engine(e)) if kinds.contains(&e.kind) => Verdict {
                outcome: Outcome::Pass,
                message_mismatch: e.kind != kinds[0] || !loosely_matches(text, &e.message),
                expected: Some(expected),
                actual: Some(describe(&e)),
                message: Some(e.message),
            },
            Err(Failure::Engine(e)) => match e.kind {
                ErrorKind::Interrupted => Verdict::with(Outcome::Timeout, e.message),
                ErrorKind::Unsupported => Verdict::with(Outcome::Unsupported, e.message),
                _ => Verdict::fail(expected, describe(&e), Some(e.message)),
            },
        }
    }

    /// Attaches the directive's position and kind.
    pub fn at(self, line: u32, column: u32, kind: &str) -> AssertionReport {
        AssertionReport {
            line,
            column,
            kind: kind.to_string(),
            outcome: self.outcome,
            // A passing directive keeps its expectations only when the
            // wording differed, to keep reports small.
            expected: self
                .expected
                .filter(|_| self.outcome != Outcome::Pass || self.message_mismatch),
            actual: self
                .actual
                .filter(|_| self.outcome != Outcome::Pass || self.message_mismatch),
            message: self
                .message
                .filter(|_| self.outcome != Outcome::Pass || self.message_mismatch),
            message_mismatch: self.message_mismatch,
            ..AssertionReport::default()
        }
    }
}

/// An engine error in the words of `.wast` assertions: `trap "..."`.
pub fn describe(e: &EngineError) -> String {
    format!("{} \"{}\"", kind_word(e.kind), e.message)
}

fn kind_word(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Malformed => "malformed",
        ErrorKind::Invalid => "invalid",
        ErrorKind::Link => "unlinkable",
        ErrorKind::Trap => "trap",
        ErrorKind::Exhaustion => "exhaustion",
        ErrorKind::Exception => "exception",
        ErrorKind::Interrupted => "interrupted",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::Other => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trap(msg: &str) -> Result<String, Failure> {
        Err(Failure::Engine(EngineError::new(ErrorKind::Trap, msg)))
    }

    #[test]
    fn expected_trap_passes_and_notes_wording() {
        let v = Verdict::expect_failure(
            trap("integer division by zero"),
            &[ErrorKind::Trap],
            "integer divide by zero",
        );
        assert_eq!(v.outcome, Outcome::Pass);
        assert!(!v.message_mismatch);
        let v = Verdict::expect_failure(trap("boom"), &[ErrorKind::Trap], "integer overflow");
        assert_eq!(v.outcome, Outcome::Pass);
        assert!(v.message_mismatch);
    }

    #[test]
    fn wrong_kind_or_success_fails() {
        let v =
            Verdict::expect_failure(trap("x"), &[ErrorKind::Exhaustion], "call stack exhausted");
        assert_eq!(v.outcome, Outcome::Fail);
        assert_eq!(v.actual.as_deref(), Some("trap \"x\""));
        let v = Verdict::expect_failure(
            Ok("(i32.const 1)".into()),
            &[ErrorKind::Trap],
            "unreachable",
        );
        assert_eq!(v.outcome, Outcome::Fail);
        assert_eq!(v.expected.as_deref(), Some("trap \"unreachable\""));
    }

    #[test]
    fn second_kind_passes_with_mismatch() {
        let err = Err(Failure::Engine(EngineError::new(
            ErrorKind::Invalid,
            "unexpected end",
        )));
        let v = Verdict::expect_failure(
            err,
            &[ErrorKind::Malformed, ErrorKind::Invalid],
            "unexpected end",
        );
        assert_eq!(v.outcome, Outcome::Pass);
        assert!(v.message_mismatch);
    }

    #[test]
    fn interrupt_and_unsupported_keep_their_outcomes() {
        let e = Failure::Engine(EngineError::new(ErrorKind::Interrupted, "time"));
        assert_eq!(
            Verdict::unexpected_failure(e, "x").outcome,
            Outcome::Timeout
        );
        let e = Failure::Engine(EngineError::new(ErrorKind::Unsupported, "gc"));
        assert_eq!(
            Verdict::unexpected_failure(e, "x").outcome,
            Outcome::Unsupported
        );
    }
}
