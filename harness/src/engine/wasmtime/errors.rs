//! wasmtime's errors as the seam's failure kinds.

use wasmtime::{ThrownException, Trap};

use crate::engine::{EngineError, ErrorKind};

/// Classifies an error from instantiating or calling.
pub fn classify_run(e: &wasmtime::Error, instantiating: bool) -> EngineError {
    let message = format!("{e:#}");
    let kind = if let Some(trap) = e.downcast_ref::<Trap>() {
        trap_kind(*trap)
    } else if e.is::<ThrownException>() {
        ErrorKind::Exception
    } else if is_resource_failure(&message) {
        ErrorKind::Exhaustion
    } else if instantiating {
        // What is left at instantiation is resolving imports: a missing one
        // or one whose type does not match.
        ErrorKind::Link
    } else {
        ErrorKind::Other
    };
    EngineError::new(kind, message)
}

/// A compile error. wasmtime reports decoding and validation errors alike,
/// so it cannot be told malformed from invalid; the runner accepts either
/// kind for either assertion and notes the mismatch.
pub fn classify_compile(e: &wasmtime::Error) -> EngineError {
    EngineError::new(ErrorKind::Invalid, format!("{e:#}"))
}

fn trap_kind(trap: Trap) -> ErrorKind {
    match trap {
        Trap::StackOverflow => ErrorKind::Exhaustion,
        // Raised by the epoch callback once the harness's flag is up.
        Trap::Interrupt => ErrorKind::Interrupted,
        _ => ErrorKind::Trap,
    }
}

/// Allocation refused by the store's limits or the system.
fn is_resource_failure(message: &str) -> bool {
    [
        "exceeds memory limits",
        "exceeds table limits",
        "resource limit exceeded",
        "out of memory",
        "failed to grow",
        "mmap failed",
    ]
    .iter()
    .any(|m| message.contains(m))
}
