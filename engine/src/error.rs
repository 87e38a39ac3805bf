//! The errors of the engine, shaped after the JS API's `CompileError`,
//! `LinkError` and `RuntimeError`. The bottom layer: every other one may
//! use them (the API re-exports them as `api::error`).

use std::fmt;

/// Why a module failed to compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The bytes are not a well-formed binary module (spec 5, `assert_malformed`).
    Malformed,
    /// The module decoded but is not valid (spec 3, `assert_invalid`).
    Invalid,
    /// The module is valid but uses something this engine cannot run yet
    /// (SIMD, GC types, exceptions, ...).
    Unsupported,
}

/// A module could not be compiled (`WebAssembly.CompileError`).
///
/// ```
/// use touchstone_engine::{Module, CompileErrorKind};
/// let err = Module::new(b"\0asm\x02\0\0\0").unwrap_err();
/// assert_eq!(err.kind(), CompileErrorKind::Malformed);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} module: {message}")]
pub struct CompileError {
    kind: CompileErrorKind,
    message: String,
}

impl CompileError {
    /// Creates an error of the given kind.
    pub fn new(kind: CompileErrorKind, message: impl Into<String>) -> Self {
        CompileError {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for a [`CompileErrorKind::Unsupported`] error.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(CompileErrorKind::Unsupported, message)
    }

    /// Whether the module was malformed, invalid or unsupported.
    pub fn kind(&self) -> CompileErrorKind {
        self.kind
    }

    /// The decoder's or validator's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Imports did not match what a module asks for (`WebAssembly.LinkError`).
///
/// ```
/// use touchstone_engine::{Imports, Instance, Module, Store};
/// let module = Module::new(&wat::parse_str(r#"(module (import "m" "f" (func)))"#).unwrap()).unwrap();
/// let mut store = Store::default();
/// let err = Instance::new(&mut store, &module, &Imports::new()).unwrap_err();
/// assert!(matches!(err, touchstone_engine::InstantiationError::Link(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("link error: {0}")]
pub struct LinkError(pub String);

/// The kind of a trap, with the spec testsuite's wording as its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// `unreachable` was executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow or an out-of-range float-to-int truncation.
    IntegerOverflow,
    /// Float-to-int truncation of a NaN.
    InvalidConversionToInteger,
    /// A memory access or bulk memory operation outside the memory.
    MemoryOutOfBounds,
    /// A table access or bulk table operation outside the table.
    TableOutOfBounds,
    /// `call_indirect` through an index beyond the table.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch,
    /// A null reference was dereferenced (`ref.as_non_null`).
    NullReference,
    /// `call_ref` of a null reference.
    NullFunctionReference,
    /// An atomic access at an address not a multiple of its width.
    UnalignedAtomic,
    /// `memory.atomic.wait` on a memory that is not shared.
    ExpectedSharedMemory,
    /// `throw_ref` of a null reference.
    NullExceptionReference,
    /// A wasm exception was thrown and no handler caught it (not a trap:
    /// the embedder sees the exception).
    UncaughtException,
    /// The call stack (frames or value slots) ran out. This is *exhaustion*, not a trap, in spec terms.
    CallStackExhausted,
    /// A memory or table could not be allocated within the store's limits
    /// (exhaustion, like the call stack running out).
    ResourceLimit,
    /// The embedder's interrupt flag stopped execution.
    Interrupted,
    /// A host function failed.
    Host,
    /// `struct.get`/`struct.set` of a null reference (GC).
    NullStructReference,
    /// An array instruction on a null reference (GC).
    NullArrayReference,
    /// `i31.get_s`/`i31.get_u` of a null reference (GC).
    NullI31Reference,
    /// An array index or range beyond the array's length (GC).
    ArrayOutOfBounds,
    /// `ref.cast` of a value not of the target type (GC).
    CastFailure,
    /// A null descriptor given to `struct.new_desc` or a descriptor cast (custom descriptors).
    NullDescriptorReference,
    /// `ref.cast_desc_eq` of a value without that descriptor (custom descriptors).
    DescriptorCastFailure,
}

impl TrapKind {
    /// The message the spec testsuite expects for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::InvalidConversionToInteger => "invalid conversion to integer",
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::UndefinedElement => "undefined element",
            TrapKind::UninitializedElement => "uninitialized element",
            TrapKind::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapKind::NullReference => "null reference",
            TrapKind::NullFunctionReference => "null function reference",
            TrapKind::NullExceptionReference => "null exception reference",
            TrapKind::UnalignedAtomic => "unaligned atomic",
            TrapKind::ExpectedSharedMemory => "expected shared memory",
            TrapKind::UncaughtException => "uncaught exception",
            TrapKind::CallStackExhausted => "call stack exhausted",
            TrapKind::ResourceLimit => "resource limit exceeded",
            TrapKind::Interrupted => "interrupted",
            TrapKind::Host => "host function failed",
            TrapKind::NullStructReference => "null structure reference",
            TrapKind::NullArrayReference => "null array reference",
            TrapKind::NullI31Reference => "null i31 reference",
            TrapKind::ArrayOutOfBounds => "out of bounds array access",
            TrapKind::CastFailure => "cast failure",
            TrapKind::NullDescriptorReference => "null descriptor reference",
            TrapKind::DescriptorCastFailure => "descriptor cast failure",
        }
    }
}

/// Execution stopped abnormally (`WebAssembly.RuntimeError`, or exhaustion).
///
/// ```
/// use touchstone_engine::{Imports, Instance, Module, Store, TrapKind};
/// let wasm = wat::parse_str(r#"(module (func (export "f") unreachable))"#).unwrap();
/// let mut store = Store::default();
/// let instance = Instance::new(&mut store, &Module::new(&wasm).unwrap(), &Imports::new()).unwrap();
/// let err = instance.get_func(&store, "f").unwrap().call(&mut store, &[]).unwrap_err();
/// assert_eq!(err.kind(), TrapKind::Unreachable);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message.as_deref().unwrap_or(self.kind.message()))]
pub struct RuntimeError {
    kind: TrapKind,
    message: Option<String>,
    /// The exception's store address, when a wasm exception escaped (or a
    /// host function throws one into wasm); `RuntimeError::throw` and
    /// `exception` (in `runtime::handles`) speak of it as an `Exn`.
    exception: Option<u32>,
}

impl RuntimeError {
    /// A trap of the given kind with its standard message.
    pub fn new(kind: TrapKind) -> Self {
        RuntimeError {
            kind,
            message: None,
            exception: None,
        }
    }

    /// An uncaught exception, by its store address.
    pub(crate) fn uncaught(exn: u32) -> Self {
        RuntimeError {
            kind: TrapKind::UncaughtException,
            message: None,
            exception: Some(exn),
        }
    }

    /// The store address of the exception, for [`TrapKind::UncaughtException`].
    pub(crate) fn exception_address(&self) -> Option<u32> {
        self.exception
    }

    /// A failure raised by a host function, with its own message.
    pub fn host(message: impl Into<String>) -> Self {
        RuntimeError {
            kind: TrapKind::Host,
            message: Some(message.into()),
            exception: None,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> TrapKind {
        self.kind
    }

    /// Whether a resource ran out (spec "exhaustion") rather than a trap.
    pub fn is_exhaustion(&self) -> bool {
        matches!(
            self.kind,
            TrapKind::CallStackExhausted | TrapKind::ResourceLimit
        )
    }
}

impl From<TrapKind> for RuntimeError {
    fn from(kind: TrapKind) -> Self {
        RuntimeError::new(kind)
    }
}

/// Instantiation failed: imports did not link, or segment initialisation
/// or the start function trapped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstantiationError {
    /// An import was missing or of the wrong type.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// Initialisation or the start function trapped (earlier writes to
    /// shared memories and tables stay visible, as the spec requires).
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// The module uses something this engine cannot instantiate yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Helper so `?` works on string-formatted errors in internal code.
pub(crate) fn link(msg: impl fmt::Display) -> LinkError {
    LinkError(msg.to_string())
}
