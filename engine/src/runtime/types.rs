//! Types of runtime objects (spec 2.3), as the embedding API exposes them.
//!
//! Value and reference types are wasmparser's, so GC and typed function
//! references fit later without a second type language.

pub use wasmparser::{RefType, ValType};

/// A function type: parameter and result types.
///
/// ```
/// use touchstone_engine::{FuncType, ValType};
/// let ty = FuncType::new([ValType::I32], [ValType::I64]);
/// assert_eq!(ty.params(), &[ValType::I32]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// Builds a function type.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }

    pub(crate) fn from_wasmparser(ty: &wasmparser::FuncType) -> Self {
        Self::new(ty.params().iter().copied(), ty.results().iter().copied())
    }
}

/// Limits and index width of a memory. Sizes are in 64 KiB pages.
///
/// ```
/// use touchstone_engine::MemoryType;
/// let ty = MemoryType::new(1, Some(2));
/// assert_eq!(ty.minimum(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    pub(crate) minimum: u64,
    pub(crate) maximum: Option<u64>,
    pub(crate) memory64: bool,
    /// log2 of the page size: 16 (64 KiB) unless the custom-page-sizes proposal says 0.
    pub(crate) page_size_log2: u8,
    /// Shared between threads (threads proposal).
    pub(crate) shared: bool,
}

impl MemoryType {
    /// A 32-bit-indexed memory with the given limits, in pages.
    pub fn new(minimum: u64, maximum: Option<u64>) -> Self {
        MemoryType {
            minimum,
            maximum,
            memory64: false,
            page_size_log2: 16,
            shared: false,
        }
    }

    /// A 64-bit-indexed memory (memory64) with the given limits.
    pub fn new64(minimum: u64, maximum: Option<u64>) -> Self {
        MemoryType {
            minimum,
            maximum,
            memory64: true,
            page_size_log2: 16,
            shared: false,
        }
    }

    /// Initial size in pages.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }

    /// Maximum size in pages, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }

    /// Whether addresses are 64-bit.
    pub fn is_64(&self) -> bool {
        self.memory64
    }

    /// The same memory type with pages of `2^log2` bytes (custom-page-sizes).
    pub fn with_page_size_log2(self, log2: u8) -> Self {
        MemoryType {
            page_size_log2: log2,
            ..self
        }
    }

    /// The same memory type, shared between threads.
    pub fn shared(self) -> Self {
        MemoryType {
            shared: true,
            ..self
        }
    }

    /// Whether the memory is shared.
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Bytes per page.
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The largest page count the index type allows (2^32 or 2^64 bytes).
    pub(crate) fn address_limit_pages(&self) -> u64 {
        let bytes: u128 = if self.memory64 { 1 << 64 } else { 1 << 32 };
        (bytes >> self.page_size_log2).min(u64::MAX as u128) as u64
    }

    pub(crate) fn from_wasmparser(ty: &wasmparser::MemoryType) -> Self {
        MemoryType {
            minimum: ty.initial,
            maximum: ty.maximum,
            memory64: ty.memory64,
            page_size_log2: ty.page_size_log2.map_or(16, |p| p as u8),
            shared: ty.shared,
        }
    }
}

/// Element type and limits of a table.
///
/// ```
/// use touchstone_engine::{RefType, TableType};
/// let ty = TableType::new(RefType::FUNCREF, 10, Some(20));
/// assert_eq!(ty.maximum(), Some(20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    pub(crate) element: RefType,
    pub(crate) minimum: u64,
    pub(crate) maximum: Option<u64>,
    pub(crate) table64: bool,
}

impl TableType {
    /// A 32-bit-indexed table.
    pub fn new(element: RefType, minimum: u64, maximum: Option<u64>) -> Self {
        TableType {
            element,
            minimum,
            maximum,
            table64: false,
        }
    }

    /// A 64-bit-indexed table (memory64's `table64`).
    pub fn new64(element: RefType, minimum: u64, maximum: Option<u64>) -> Self {
        TableType {
            element,
            minimum,
            maximum,
            table64: true,
        }
    }

    /// Whether indices are 64-bit.
    pub fn is_64(&self) -> bool {
        self.table64
    }

    /// The reference type of the elements.
    pub fn element(&self) -> RefType {
        self.element
    }

    /// Initial size in elements.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }

    /// Maximum size in elements, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }

    pub(crate) fn from_wasmparser(ty: &wasmparser::TableType) -> Self {
        TableType {
            element: ty.element_type,
            minimum: ty.initial,
            maximum: ty.maximum,
            table64: ty.table64,
        }
    }
}

/// Content type and mutability of a global.
///
/// ```
/// use touchstone_engine::{GlobalType, ValType};
/// let ty = GlobalType::new(ValType::I32, true);
/// assert!(ty.mutable());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    pub(crate) content: ValType,
    pub(crate) mutable: bool,
}

impl GlobalType {
    /// Builds a global type.
    pub fn new(content: ValType, mutable: bool) -> Self {
        GlobalType { content, mutable }
    }

    /// The value type.
    pub fn content(&self) -> ValType {
        self.content
    }

    /// Whether `global.set` is allowed.
    pub fn mutable(&self) -> bool {
        self.mutable
    }
}

/// The type of an import or export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// A function of this type.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// An exception tag (decoded, not yet supported at run time).
    Tag(FuncType),
}

/// Spec 4.4.x "import subtyping" of limits: `actual` matches `expected` when
/// it is at least as large and at most as permissive.
pub(crate) fn limits_match(
    actual_min: u64,
    actual_max: Option<u64>,
    expected_min: u64,
    expected_max: Option<u64>,
) -> bool {
    actual_min >= expected_min
        && match (actual_max, expected_max) {
            (_, None) => true,
            (Some(a), Some(e)) => a <= e,
            (None, Some(_)) => false,
        }
}

/// Number of 64-bit value-stack slots a value of type `ty` occupies.
/// A `v128` takes two, so SIMD fits the slot design without widening every slot.
pub(crate) fn slots_of(ty: ValType) -> u32 {
    match ty {
        ValType::V128 => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_subtyping_follows_the_spec() {
        assert!(limits_match(2, Some(3), 1, Some(4)));
        assert!(!limits_match(2, None, 1, Some(4)));
        assert!(!limits_match(0, Some(3), 1, None));
        assert!(limits_match(1, None, 1, None));
    }

    #[test]
    fn v128_takes_two_slots() {
        assert_eq!(slots_of(ValType::V128), 2);
        assert_eq!(slots_of(ValType::F64), 1);
    }
}
