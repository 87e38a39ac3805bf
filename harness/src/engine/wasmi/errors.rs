//! wasmi's errors as the seam's failure kinds.

use wasmi::errors::{ErrorKind as W, InstantiationError};
use wasmi::TrapCode;

use crate::engine::{EngineError, ErrorKind};

/// Where an error came from: the same wasmi error kind means different
/// things at different stages (a wasmparser error while compiling is a bad
/// module; fuel running out during a call is the time limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Compile,
    Instantiate,
    Run,
}

/// Classifies a wasmi error.
pub fn classify(e: &wasmi::Error, stage: Stage) -> EngineError {
    let message = e.to_string();
    let kind = match e.kind() {
        _ if e.as_trap_code().is_some() => trap_kind(e.as_trap_code().unwrap(), stage),
        W::Linker(_) => ErrorKind::Link,
        W::Instantiation(i) => match i {
            InstantiationError::ElementSegmentDoesNotFit { .. } => ErrorKind::Trap,
            InstantiationError::FailedToInstantiateMemory(_)
            | InstantiationError::FailedToInstantiateTable(_)
            | InstantiationError::TooManyInstances
            | InstantiationError::TooManyTables
            | InstantiationError::TooManyMemories => ErrorKind::Exhaustion,
            InstantiationError::UnexpectedStartFn { .. } => ErrorKind::Other,
            _ => ErrorKind::Link,
        },
        // wasmparser's decode and validation errors share one type, so a
        // compile error cannot be told malformed from invalid; the runner
        // accepts either kind for either assertion and notes the mismatch.
        W::Wasm(_) | W::Read(_) | W::Translation(_) | W::Ir(_) if stage == Stage::Compile => {
            ErrorKind::Invalid
        }
        W::UserLimits(_) | W::ImplementationLimits(_) if stage == Stage::Compile => {
            ErrorKind::Invalid
        }
        W::Memory(_) | W::Table(_) | W::Global(_) if stage != Stage::Compile => ErrorKind::Trap,
        _ => ErrorKind::Other,
    };
    EngineError::new(kind, message)
}

fn trap_kind(code: TrapCode, stage: Stage) -> ErrorKind {
    match code {
        TrapCode::StackOverflow | TrapCode::OutOfSystemMemory => ErrorKind::Exhaustion,
        // During a call the adapter refuels until interrupted, so running out
        // only happens while instantiating, whose fuel is a fixed budget.
        TrapCode::OutOfFuel if stage == Stage::Run => ErrorKind::Interrupted,
        TrapCode::OutOfFuel => ErrorKind::Exhaustion,
        _ => ErrorKind::Trap,
    }
}
