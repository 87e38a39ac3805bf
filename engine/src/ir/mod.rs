//! The interpreter's instruction set: a register machine over the 64-bit
//! slots of a frame, with a stack-machine escape for cold operators.
//!
//! Hot instructions (numerics, locals, globals, memory-0 loads and stores,
//! branches, calls) name the frame slots they read and write ([`Reg`]s):
//! the translator knows the operand-stack height everywhere, so every stack
//! operand has a fixed slot, and `local.get`/constants are read in place
//! rather than copied. Branches carry the instruction index to jump to;
//! values a branch carries are copied by explicit instructions before it.
//!
//! Cold operators (SIMD, GC, tables, bulk memory, atomics, exceptions, wide
//! arithmetic) run on an operand stack: [`Instr::StackMode`] cuts the value
//! stack back to the current height, the operators push and pop, and
//! [`Instr::RegisterMode`] restores the full frame. Their operands are always
//! in their fixed slots, so both views agree.

mod shapes;

pub(crate) use shapes::widen;
pub(crate) use shapes::{
    Bin, BinImm32, BinImm64, Cmp, Const, Indexed, Load, LoadAdd, LoadAt, LoadKind, LoadScaled,
    MemArg, MulAdd, Reg, Select, ShlAdd, SlotShape, StoreAdd, StoreAt, StoreImm, StoreReg, Un,
};

#[macro_use]
mod register_instrs;

/// The [`Instr`] enum, its metadata and the patterns of instruction
/// groups, from the declarations below and the table (`register_instrs.rs`).
/// `writing`: moves with an operand shape (metadata from the shape);
/// `other`: hot instructions with their own threaded handler
/// (`threaded::control::handler` chooses it); `cold`: run by the portable
/// loop only. Each `other` and `cold` entry states its metadata after `=>`.
macro_rules! declare_instr {
    (
        writing { $( $(#[$wd:meta])* $wn:ident($ws:ident) ),* $(,)? }
        other {
            $(
                $(#[$od:meta])*
                $on:ident
                $( ( $($tb:ident : $tty:ty),* ) )?
                $( { $($fname:ident : $fty:ty),* } )?
                => $ometa:expr
            ),* $(,)?
        }
        cold {
            $(
                $(#[$cd:meta])*
                $cn:ident
                $( ( $($ctb:ident : $ctty:ty),* ) )?
                $( { $($cfname:ident : $cfty:ty),* } )?
                => $cmeta:expr
            ),* $(,)?
        }
        instrs { $( $(#[$d:meta])* $name:ident($shape:ident) $kind:ident [$($args:tt)*] )* }
        $($operators:tt)*
    ) => {
        /// One interpreter instruction.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Instr {
            $( $(#[$wd])* $wn($ws), )*
            $( $(#[$d])* $name($shape), )*
            $( $(#[$od])* $on $( ( $($tty),* ) )? $( { $($fname : $fty),* } )?, )*
            $( $(#[$cd])* $cn $( ( $($ctty),* ) )? $( { $($cfname : $cfty),* } )?, )*
        }

        impl Instr {
            /// What the interpreter's unchecked paths and the threading
            /// pass need to know about this instruction. Exhaustive: an
            /// instruction without its entry does not compile.
            pub(crate) fn meta(&self) -> Meta {
                match *self {
                    $( Instr::$wn(x) => shape_meta(&x), )*
                    $( Instr::$name(x) => shape_meta(&x), )*
                    $(
                        Instr::$on $( ( $($tb),* ) )? $( { $($fname),* } )? => $ometa,
                    )*
                    $(
                        Instr::$cn $( ( $($ctb),* ) )? $( { $($cfname),* } )? => $cmeta,
                    )*
                }
            }

            /// The slot this instruction writes, when it writes exactly one
            /// (and nothing else): `local.set` after it can write the local directly.
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Reg> {
                match self {
                    $( Instr::$wn(x) => x.written_slot_mut(), )*
                    $( Instr::$name(x) => x.written_slot_mut(), )*
                    $( Instr::$on { .. } )|* $( | Instr::$cn { .. } )* => None,
                }
            }
        }

        /// A pattern matching every instruction of the table (`register_instrs.rs`),
        /// whose dispatch is generated from it.
        macro_rules! table_instr {
            () => {
                $( Instr::$name(_) )|*
            };
        }
        pub(crate) use table_instr;

        /// A pattern matching every instruction declared under `other` and
        /// `cold` (below): the ones with hand-written execution.
        macro_rules! other_instr {
            () => {
                $( Instr::$on { .. } )|* $( | Instr::$cn { .. } )*
            };
        }
        pub(crate) use other_instr;

        /// A pattern matching every instruction declared under `cold`: the
        /// portable loop runs them (threaded dispatch hands them over).
        macro_rules! cold_instr {
            () => {
                $( Instr::$cn { .. } )|*
            };
        }
        pub(crate) use cold_instr;
    };
}

for_each_register_instr!(declare_instr! {
    writing {
        /// `d = a`: a local or stack value moved between slots.
        Copy(Un),
        Const(Const),
        /// `d = global i` of the current instance (one-slot globals).
        GlobalGet(Indexed),
        Select(Select),
    }
    other {
        /// `global i = a` (one-slot globals).
        GlobalSet { g: u32, a: Reg } => {
            let _ = g;
            Meta::reads(&[a]).passes()
        },
        Unreachable => Meta::NONE.ends(),
        /// Traps when slot `a` holds a null reference (`ref.as_non_null`).
        TrapIfNull { a: Reg } => Meta::reads(&[a]).passes(),
        /// Continues at instruction `pc`. (Here and in every branch: in
        /// `FuncCode::ops` the target is the op's distance instead, see
        /// `exec::code::branch_op`.)
        Jump { pc: u32 } => Meta::NONE.branches(pc).ends(),
        /// Jumps to `pc` when slot `c` is non-zero (an `i32`, or a non-null reference).
        BrIf { c: Reg, pc: u32 } => Meta::reads(&[c]).branches(pc).passes(),
        /// Jumps to `pc` when slot `c` is zero.
        BrUnless { c: Reg, pc: u32 } => Meta::reads(&[c]).branches(pc).passes(),
        /// Jumps to `pc` when the `i32` comparison of `a` and `b` holds.
        BrCmp32 { cmp: Cmp, a: Reg, b: Reg, pc: u32 } => {
            let _ = cmp;
            Meta::reads(&[a, b]).branches(pc).passes()
        },
        BrCmp32Imm { cmp: Cmp, a: Reg, imm: u32, pc: u32 } => {
            let _ = (cmp, imm);
            Meta::reads(&[a]).branches(pc).passes()
        },
        BrCmp64 { cmp: Cmp, a: Reg, b: Reg, pc: u32 } => {
            let _ = cmp;
            Meta::reads(&[a, b]).branches(pc).passes()
        },
        /// `imm` is sign-extended to 64 bits.
        BrCmp64Imm { cmp: Cmp, a: Reg, imm: i32, pc: u32 } => {
            let _ = (cmp, imm);
            Meta::reads(&[a]).branches(pc).passes()
        },
        /// Jumps when the `f64` comparison holds (`negate: false`) or does not.
        BrCmpF64 { cmp: Cmp, negate: bool, a: Reg, b: Reg, pc: u32 } => {
            let _ = (cmp, negate);
            Meta::reads(&[a, b]).branches(pc).passes()
        },
        /// `imm` holds the `f64` constant's bits.
        BrCmpF64Imm { cmp: Cmp, negate: bool, a: Reg, imm: u64, pc: u32 } => {
            let _ = (cmp, negate, imm);
            Meta::reads(&[a]).branches(pc).passes()
        },
        /// Jumps to `br_targets[first + min(index, len - 1)]` (checked by
        /// `FuncCode::check_control`).
        BrTable { index: Reg, first: u32, len: u32 } => Meta::reads(&[index])
            .indexes(SideTable::BrTargets { first, len })
            .ends(),
        /// Returns the `n` slots starting at `from`.
        Return { from: Reg, n: u32 } => Meta::bound(from.saturating_add(n)).ends(),
        /// Calls function `func` of the instance; its arguments (and then its
        /// results) are in the slots from `at`, which become the callee's frame base.
        /// (The arguments end at or before the frame's end; the callee's
        /// frame is checked on entry.)
        Call { func: u32, at: Reg } => {
            let _ = func;
            Meta::bound(at)
        },
        /// [`Instr::Call`] of a function the module defines (not an
        /// import): it runs in the caller's instance, and its code, the
        /// same in every instance, is linked into `callee` once the whole
        /// module is translated (`exec::code::link_calls`).
        CallInternal { func: u32, at: Reg, callee: CodeLink } => {
            let _ = (func, callee);
            Meta::bound(at)
        },
        /// Calls through table `table` at the index in slot `index`, checking module type `ty`.
        CallIndirect { ty: u32, table: u32, index: Reg, at: Reg } => {
            let _ = (ty, table);
            Meta::reads(&[index, at])
        },
        /// Calls the function reference in slot `callee` (null traps).
        CallRef { callee: Reg, at: Reg } => Meta::reads(&[callee, at]),
        /// The tail-call forms: the callee replaces the current frame.
        ReturnCall { func: u32, at: Reg } => {
            let _ = func;
            Meta::bound(at).ends()
        },
        ReturnCallIndirect { ty: u32, table: u32, index: Reg, at: Reg } => {
            let _ = (ty, table);
            Meta::reads(&[index, at]).ends()
        },
        ReturnCallRef { callee: Reg, at: Reg } => Meta::reads(&[callee, at]).ends(),
    }
    // Run by the portable loop only: threaded dispatch leaves for them
    // (`threaded::control::handler`), so one arm in `interp/mod.rs` is
    // their whole execution.
    cold {
        /// Enters stack mode: the operand stack's top is slot `top`.
        StackMode { top: Reg } => Meta::bound(top),
        /// Leaves stack mode: the whole frame is addressable again.
        RegisterMode => Meta::NONE,

        // Stack mode only, from here on: operands on the value stack; no
        // slot named except by the `v128` local accesses.
        /// Throws an exception of the instance's tag, payload on the stack.
        Throw(tag: u32) => {
            let _ = tag;
            Meta::NONE.ends()
        },
        /// Rethrows the exception of the popped exnref (null traps).
        ThrowRef => Meta::NONE.ends(),
        /// Pushes a constant (the halves of a `v128.const`).
        PushConst(c: u64) => Meta::stack(c),
        /// `select` of two `v128` values (two slots each).
        SelectV128 => Meta::NONE,
        /// `v128` local accesses: the local's two slots from `r` (low half
        /// first), between the frame and the operand stack. They name frame
        /// slots, so their bound is checked like a register instruction's;
        /// `interp/simd.rs` also indexes the slot `Vec` with bounds checks.
        LocalGetV128(r: Reg) => Meta::bound(r.saturating_add(2)),
        LocalSetV128(r: Reg) => Meta::bound(r.saturating_add(2)),
        LocalTeeV128(r: Reg) => Meta::bound(r.saturating_add(2)),
        GlobalGetV128(g: u32) => Meta::stack(g),
        GlobalSetV128(g: u32) => Meta::stack(g),
        /// A SIMD operator: index into `FuncCode::simd`.
        Simd(i: u32) => Meta::stack(i),
        /// A SIMD load or store: index into `FuncCode::simd_mem`.
        SimdMem(i: u32) => Meta::stack(i),
        /// An atomic memory instruction: index into `FuncCode::atomics`.
        Atomic(i: u32) => Meta::stack(i),
        /// A load from any memory at any offset (memory-0 loads with 32-bit
        /// offsets use the register forms).
        LoadAny(kind: LoadKind, m: MemArg) => Meta::stack((kind, m)),
        /// A store of the low `bytes` bytes to any memory at any offset.
        StoreAny { bytes: u8, m: MemArg } => Meta::stack((bytes, m)),
        MemorySize(m: u32) => Meta::stack(m),
        MemoryGrow(m: u32) => Meta::stack(m),
        MemoryInit { data: u32, mem: u32 } => Meta::stack((data, mem)),
        DataDrop(d: u32) => Meta::stack(d),
        MemoryCopy { dst: u32, src: u32 } => Meta::stack((dst, src)),
        MemoryFill(m: u32) => Meta::stack(m),
        TableGet(t: u32) => Meta::stack(t),
        TableSet(t: u32) => Meta::stack(t),
        TableSize(t: u32) => Meta::stack(t),
        TableGrow(t: u32) => Meta::stack(t),
        TableFill(t: u32) => Meta::stack(t),
        TableCopy { dst: u32, src: u32 } => Meta::stack((dst, src)),
        TableInit { elem: u32, table: u32 } => Meta::stack((elem, table)),
        ElemDrop(e: u32) => Meta::stack(e),
        RefFunc(f: u32) => Meta::stack(f),
        /// Wide arithmetic: `[lo hi lo hi] -> [lo hi]` and `[i64 i64] -> [lo hi]`.
        I64Add128 => Meta::NONE,
        I64Sub128 => Meta::NONE,
        I64MulWideS => Meta::NONE,
        I64MulWideU => Meta::NONE,
        /// A GC operator: index into `FuncCode::gc`.
        Gc(i: u32) => Meta::stack(i),
    }
});

/// What the translator's checks and the threading pass know of an
/// instruction (from [`Instr::meta`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Meta {
    /// One past the highest frame slot the instruction reads or writes
    /// itself (a call's callee frame is checked on entry); `None` when it
    /// names no slot.
    pub slot_bound: Option<u32>,
    /// The instruction index a jump or branch may continue at (`br_table`'s
    /// targets are in `FuncCode::br_targets`).
    pub branch: Option<u32>,
    /// Execution never continues with the next instruction.
    pub ends_flow: bool,
    /// Writes no slot, and its threaded handler hands the accumulator it
    /// received to the next instruction unchanged.
    pub passes_accumulator: bool,
    /// The one slot it writes, when it writes exactly one (as
    /// [`Instr::dst`]): the threading pass reads it here rather than
    /// matching on the instruction again.
    pub written: Option<Reg>,
    /// The entries of the code's side tables the instruction indexes
    /// (checked by `FuncCode::check_control`).
    pub side_table: Option<SideTable>,
}

/// Entries of a function's side tables an instruction indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SideTable {
    /// `FuncCode::br_targets[first..first + len]`.
    BrTargets { first: u32, len: u32 },
}

/// The address of a defined function's translated code, carried by the
/// calls to it ([`Instr::CallInternal`]), so that a call reads its callee
/// from the op itself (a per-call-site cache in its own allocation cost a
/// load chain and, on large programs, a cache miss per call). Null until
/// the module's functions are all translated and `exec::code::link_calls`
/// fills it in. Opaque here: the code form is a layer above the
/// instruction set, and only the interpreter reads what it points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CodeLink(*const ());

// SAFETY: a `CodeLink` is only an address here; the code it points at is
// immutable after translation and shared like the `Arc` that holds it
// (`exec::code::link_calls` and `exec::code_ref::CodeRef::linked` say
// when it may be read).
unsafe impl Send for CodeLink {}
// SAFETY: as for `Send`.
unsafe impl Sync for CodeLink {}

impl CodeLink {
    /// Not linked yet.
    pub(crate) const NONE: CodeLink = CodeLink(std::ptr::null());

    /// A link to the value at `addr`.
    pub(crate) fn to<T>(addr: *const T) -> CodeLink {
        CodeLink(addr.cast())
    }

    /// The address linked, null when none.
    #[inline(always)]
    pub(crate) fn addr(self) -> *const () {
        self.0
    }
}

impl Meta {
    /// Names no slot, falls through, drops the accumulator.
    const NONE: Meta = Meta {
        slot_bound: None,
        branch: None,
        ends_flow: false,
        passes_accumulator: false,
        written: None,
        side_table: None,
    };

    /// Names slots below `bound`.
    fn bound(bound: u32) -> Meta {
        Meta {
            slot_bound: Some(bound),
            ..Meta::NONE
        }
    }

    /// Reads the slots `regs`.
    fn reads(regs: &[Reg]) -> Meta {
        Meta {
            slot_bound: regs.iter().max().map(|r| r.saturating_add(1)),
            ..Meta::NONE
        }
    }

    /// A stack-mode instruction whose immediates name no slot (its operands
    /// are on the value stack; `v128` local accesses are not of this kind).
    fn stack<T>(_immediates: T) -> Meta {
        Meta::NONE
    }

    fn branches(self, pc: u32) -> Meta {
        Meta {
            branch: Some(pc),
            ..self
        }
    }

    fn indexes(self, side_table: SideTable) -> Meta {
        Meta {
            side_table: Some(side_table),
            ..self
        }
    }

    fn ends(self) -> Meta {
        Meta {
            ends_flow: true,
            ..self
        }
    }

    fn passes(self) -> Meta {
        Meta {
            passes_accumulator: true,
            ..self
        }
    }
}

impl Instr {
    /// One past the highest frame slot the instruction names (see [`Meta`]).
    pub(crate) fn slot_bound(&self) -> Option<u32> {
        self.meta().slot_bound
    }

    /// The instruction index a jump or branch may continue at.
    pub(crate) fn branch_target(&self) -> Option<u32> {
        self.meta().branch
    }

    /// The operand [`Instr::branch_target`] reads, to be rewritten when
    /// the code is threaded (see `FuncCode::thread`).
    pub(crate) fn branch_target_mut(&mut self) -> Option<&mut u32> {
        match self {
            Instr::Jump { pc }
            | Instr::BrIf { pc, .. }
            | Instr::BrUnless { pc, .. }
            | Instr::BrCmp32 { pc, .. }
            | Instr::BrCmp32Imm { pc, .. }
            | Instr::BrCmp64 { pc, .. }
            | Instr::BrCmp64Imm { pc, .. }
            | Instr::BrCmpF64 { pc, .. }
            | Instr::BrCmpF64Imm { pc, .. } => Some(pc),
            _ => None,
        }
    }

    /// Whether execution never continues with the next instruction.
    pub(crate) fn ends_flow(&self) -> bool {
        self.meta().ends_flow
    }

    /// The slot this instruction writes, when it writes exactly one.
    pub(crate) fn dst(&self) -> Option<Reg> {
        let mut copy = *self;
        copy.dst_mut().map(|d| *d)
    }
}

/// The metadata of an instruction whose operands are a slot shape: the
/// slots its shape declares; a shape writing no slot (a store) passes the
/// accumulator.
fn shape_meta<S: SlotShape + Copy>(shape: &S) -> Meta {
    let meta = Meta::bound(shape.slot_bound());
    if S::WRITES {
        let mut copy = *shape;
        Meta {
            written: copy.written_slot_mut().map(|d| *d),
            ..meta
        }
    } else {
        meta.passes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_bounds_cover_every_slot_named() {
        assert_eq!(
            Instr::I32Add(Bin { d: 2, a: 7, b: 1 }).slot_bound(),
            Some(8)
        );
        assert_eq!(Instr::Return { from: 4, n: 2 }.slot_bound(), Some(6));
        assert_eq!(
            Instr::Store32(StoreReg {
                a: 9,
                v: 3,
                offset: 0
            })
            .slot_bound(),
            Some(10)
        );
        assert_eq!(Instr::Jump { pc: 100 }.slot_bound(), None);
        // A `v128` local names two frame slots even in stack mode.
        assert_eq!(Instr::LocalSetV128(5).slot_bound(), Some(7));
    }

    #[test]
    fn metadata_follows_each_instruction() {
        let branch = Instr::BrCmp32 {
            cmp: Cmp::LtS,
            a: 3,
            b: 9,
            pc: 7,
        };
        assert_eq!(
            branch.meta(),
            Meta {
                slot_bound: Some(10),
                branch: Some(7),
                ends_flow: false,
                passes_accumulator: true,
                written: None,
                side_table: None,
            }
        );
        assert!(Instr::Jump { pc: 0 }.ends_flow());
        assert!(!Instr::Jump { pc: 0 }.meta().passes_accumulator);
        let store = Instr::Store8Imm(StoreImm {
            a: 1,
            offset: 0,
            value: 5,
        });
        assert!(store.meta().passes_accumulator && store.dst().is_none());
        assert_eq!(store.meta().written, None);
        let add = Instr::I32Add(Bin { d: 0, a: 1, b: 2 });
        assert!(!add.meta().passes_accumulator && add.dst() == Some(0));
        // The threading pass reads the written slot from the metadata.
        assert_eq!(add.meta().written, Some(0));
        let copy = Instr::Copy(Un { d: 6, a: 1 });
        assert_eq!((copy.meta().written, copy.dst()), (Some(6), Some(6)));
        assert!(Instr::Throw(0).ends_flow());
        // Side-table indices come with the metadata, for `check_control`.
        let table = Instr::BrTable {
            index: 0,
            first: 2,
            len: 3,
        };
        assert_eq!(
            table.meta().side_table,
            Some(SideTable::BrTargets { first: 2, len: 3 })
        );
        let call = Instr::CallInternal {
            func: 1,
            at: 0,
            callee: CodeLink::NONE,
        };
        assert_eq!(call.meta().side_table, None);
        assert_eq!(add.meta().side_table, None);
        assert_eq!(Instr::Simd(3).slot_bound(), None);
        // A bound saturates rather than wrapping below the frame check.
        assert_eq!(
            Instr::Return {
                from: u32::MAX,
                n: 2
            }
            .slot_bound(),
            Some(u32::MAX)
        );
    }

    #[test]
    fn instructions_stay_small() {
        // Dispatch speed depends on instructions packing densely.
        assert!(std::mem::size_of::<Instr>() <= 24);
    }

    #[test]
    fn only_single_slot_writers_can_be_retargeted() {
        let mut add = Instr::I32Add(Bin { d: 5, a: 1, b: 2 });
        *add.dst_mut().expect("writes d") = 0;
        assert_eq!(add, Instr::I32Add(Bin { d: 0, a: 1, b: 2 }));
        assert!(Instr::Store32(StoreReg {
            a: 0,
            v: 1,
            offset: 0
        })
        .dst_mut()
        .is_none());
        assert!(Instr::Call { func: 0, at: 3 }.dst_mut().is_none());
    }
}
