//! GC instructions, kept in a side table of [`FuncCode`](super::code::FuncCode)
//! (like SIMD) so [`Instr`](crate::ir::Instr) stays small. Type
//! indices are the module's; the interpreter resolves layouts through
//! the instance's module and canonical ids through its `type_ids`.

/// The target type of `ref.test`, `ref.cast` and `br_on_cast`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CastHeap {
    Any,
    Eq,
    I31,
    Struct,
    Array,
    /// `none`, `nofunc`, `noextern`, `noexn`: only null belongs to them.
    Bottom,
    /// `func`, `extern`, `exn`: every non-null value of the hierarchy.
    Top,
    /// A defined type, by module type index.
    Concrete(u32),
    /// Exactly a defined type, no subtype (custom descriptors).
    Exact(u32),
}

/// One GC operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GcOp {
    StructNew(u32),
    StructNewDefault(u32),
    /// `struct.get`; `signed` picks `_s` over `_u` for packed fields.
    StructGet {
        ty: u32,
        field: u32,
        signed: bool,
    },
    StructSet {
        ty: u32,
        field: u32,
    },
    ArrayNew(u32),
    ArrayNewDefault(u32),
    ArrayNewFixed {
        ty: u32,
        len: u32,
    },
    ArrayNewData {
        ty: u32,
        data: u32,
    },
    ArrayNewElem {
        ty: u32,
        elem: u32,
    },
    ArrayGet {
        ty: u32,
        signed: bool,
    },
    ArraySet(u32),
    ArrayLen,
    ArrayFill(u32),
    ArrayCopy {
        dst: u32,
        src: u32,
    },
    ArrayInitData {
        ty: u32,
        data: u32,
    },
    ArrayInitElem {
        ty: u32,
        elem: u32,
    },
    RefI31,
    I31Get {
        signed: bool,
    },
    RefEq,
    /// `ref.test`: pops a reference, pushes whether it is of the type.
    RefTest {
        heap: CastHeap,
        nullable: bool,
    },
    /// `ref.cast`: traps unless the top reference is of the type.
    RefCast {
        heap: CastHeap,
        nullable: bool,
    },
    /// `struct.new_desc` (custom descriptors): fields, then the descriptor.
    StructNewDesc(u32),
    StructNewDefaultDesc(u32),
    /// `ref.get_desc`: the descriptor of a struct (null traps).
    RefGetDesc,
    /// `ref.cast_desc_eq`: pops a descriptor; traps unless the reference has it.
    RefCastDescEq {
        nullable: bool,
    },
    /// `br_on_cast_desc_eq[_fail]`: pops a descriptor, keeps the reference,
    /// pushes the branch condition for a following `br_if`.
    BrOnCastDescTest {
        nullable: bool,
        fail: bool,
    },
    /// `br_on_cast` (`fail: false`) / `br_on_cast_fail` (`true`): keeps the
    /// reference and pushes the branch condition for a following `br_if`.
    BrOnCastTest {
        heap: CastHeap,
        nullable: bool,
        fail: bool,
    },
}
