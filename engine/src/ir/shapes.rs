//! Operand shapes of the register instructions: which frame slots an
//! instruction reads and writes, and its immediates.
//!
//! A [`Reg`] is a slot index from the frame base: parameters and locals
//! first, then one slot per operand-stack height (the translator knows the
//! height at every instruction, so stack operands get fixed slots too).

/// A frame slot, counted from the frame base.
pub(crate) type Reg = u32;

/// What a shape says about the frame slots its instruction names. Only
/// `slot_shapes!` (below) implements it, from the same field list that declares
/// the struct, so a slot field cannot go uncounted.
pub(crate) trait SlotShape {
    /// Whether the shape writes a slot (`d`); a shape that writes none
    /// (a store) passes the threaded accumulator on.
    const WRITES: bool;
    /// One past the highest slot the shape names (read or written).
    fn slot_bound(&self) -> u32;
    /// The one slot written, if any.
    fn written_slot_mut(&mut self) -> Option<&mut Reg>;
}

/// Declares each operand shape: `writes d;` (the slot written, if any),
/// `reads a, b;` (slots read), `immediates name: type, ...;` (not slots;
/// a `Reg` there does not compile).
/// The fields keep that order (written, read, immediates), which is the
/// order the structs always had, so their layout does not change.
macro_rules! slot_shapes {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            $(writes $d:ident;)?
            $(reads $($r:ident),+;)?
            $(immediates $($i:ident: $ity:ident),+;)?
        }
    )*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) struct $name {
            $(pub $d: Reg,)?
            $($(pub $r: Reg,)+)?
            $($(pub $i: slot_shapes!(@immediate $ity),)+)?
        }

        impl SlotShape for $name {
            const WRITES: bool = slot_shapes!(@writes $($d)?);

            #[inline(always)]
            fn slot_bound(&self) -> u32 {
                [$(self.$d,)? $($(self.$r,)+)?]
                    .into_iter()
                    .max()
                    .map_or(0, |top: Reg| top.saturating_add(1))
            }

            #[inline(always)]
            fn written_slot_mut(&mut self) -> Option<&mut Reg> {
                slot_shapes!(@written self $($d)?)
            }
        }
    )*};
    // An immediate of type `Reg` would be a slot left uncounted.
    (@immediate Reg) => {
        compile_error!("a slot belongs under `writes` or `reads`")
    };
    (@immediate $t:ident) => { $t };
    (@writes $d:ident) => { true };
    (@writes) => { false };
    (@written $self:ident $d:ident) => { Some(&mut $self.$d) };
    (@written $self:ident) => { None };
}

slot_shapes! {
    /// `d = op(a)`.
    Un { writes d; reads a; }
    /// `d = op(a, b)`.
    Bin { writes d; reads a, b; }
    /// `d = op(a, imm)` with a 32-bit constant right operand.
    BinImm32 { writes d; reads a; immediates imm: u32; }
    /// `d = op(a, imm)` with a 64-bit constant right operand (integer or float bits).
    BinImm64 { writes d; reads a; immediates imm: u64; }
    /// `d = value`.
    Const { writes d; immediates value: u64; }
    /// `d = index space[i]` (a global).
    Indexed { writes d; immediates i: u32; }
    /// `d = c != 0 ? a : b`.
    Select { writes d; reads c, a, b; }
    /// A load from memory 0: `d = mem[a + offset]`.
    Load { writes d; reads a; immediates offset: u32; }
    /// A store to memory 0: `mem[a + offset] = v`.
    StoreReg { reads a, v; immediates offset: u32; }
    /// A multiply fused with the add that consumes it: `d = a * b + c` (or
    /// `c + a * b`), each operation rounded on its own for floats.
    MulAdd { writes d; reads a, b, c; }
    /// A memory-0 load at a 32-bit address plus a constant: `d = mem[(a + imm)
    /// mod 2^32 + offset]` (a fused `i32.add`; memory32 only).
    LoadAdd { writes d; reads a; immediates imm: u32, offset: u32; }
    /// A memory-0 store at a 32-bit address plus a constant (see [`LoadAdd`]).
    StoreAdd { reads a, v; immediates imm: u32, offset: u32; }
    /// Scaled-index address arithmetic: `d = (a << shift) + imm` (`i32`,
    /// wrapping; `shift` below 32).
    ShlAdd { writes d; reads a; immediates imm: u32, shift: u8; }
    /// A memory-0 load at a scaled index: `d = mem[((a << shift) + imm) mod
    /// 2^32 + offset]` (a fused [`ShlAdd`]; memory32 only).
    LoadScaled { writes d; reads a; immediates imm: u32, offset: u32, shift: u8; }
    /// A memory-0 store of a constant: `mem[a + offset] = value`.
    StoreImm { reads a; immediates offset: u32, value: u64; }
    /// A memory-0 load at a constant address: `d = mem[addr]`, `addr` the
    /// `i32.const` address plus the offset (below 2^33; memory32 only).
    LoadAt { writes d; immediates addr: u64; }
    /// A memory-0 store at a constant address (see [`LoadAt`]): `mem[addr] = v`.
    StoreAt { reads v; immediates addr: u64; }
}

/// A comparison fused into a branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// Every comparison.
    pub(crate) const ALL: [Cmp; 10] = [
        Cmp::Eq,
        Cmp::Ne,
        Cmp::LtS,
        Cmp::LtU,
        Cmp::GtS,
        Cmp::GtU,
        Cmp::LeS,
        Cmp::LeU,
        Cmp::GeS,
        Cmp::GeU,
    ];

    /// The comparison that holds exactly when this one does not (integers only:
    /// float comparisons are all false on NaN, so they have no negation).
    pub(crate) fn negate(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::LtS => Cmp::GeS,
            Cmp::LtU => Cmp::GeU,
            Cmp::GtS => Cmp::LeS,
            Cmp::GtU => Cmp::LeU,
            Cmp::LeS => Cmp::GtS,
            Cmp::LeU => Cmp::GtU,
            Cmp::GeS => Cmp::LtS,
            Cmp::GeU => Cmp::LtU,
        }
    }

    /// Evaluates the comparison on two `f64` slots (IEEE: NaN compares
    /// unequal); the signed names stand for the float comparisons.
    #[inline(always)]
    pub(crate) fn holds_f64(self, a: u64, b: u64) -> bool {
        let (a, b) = (f64::from_bits(a), f64::from_bits(b));
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS | Cmp::LtU => a < b,
            Cmp::GtS | Cmp::GtU => a > b,
            Cmp::LeS | Cmp::LeU => a <= b,
            Cmp::GeS | Cmp::GeU => a >= b,
        }
    }

    /// Evaluates the comparison on two `i64` slots.
    #[inline(always)]
    pub(crate) fn holds64(self, a: u64, b: u64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS => (a as i64) < (b as i64),
            Cmp::LtU => a < b,
            Cmp::GtS => (a as i64) > (b as i64),
            Cmp::GtU => a > b,
            Cmp::LeS => (a as i64) <= (b as i64),
            Cmp::LeU => a <= b,
            Cmp::GeS => (a as i64) >= (b as i64),
            Cmp::GeU => a >= b,
        }
    }

    /// Evaluates the comparison on two `i32` slots.
    #[inline(always)]
    pub(crate) fn holds(self, a: u64, b: u64) -> bool {
        let (a, b) = (a as u32, b as u32);
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::LtS => (a as i32) < (b as i32),
            Cmp::LtU => a < b,
            Cmp::GtS => (a as i32) > (b as i32),
            Cmp::GtU => a > b,
            Cmp::LeS => (a as i32) <= (b as i32),
            Cmp::LeU => a <= b,
            Cmp::GeS => (a as i32) >= (b as i32),
            Cmp::GeU => a >= b,
        }
    }
}

/// Declares the load kinds, each once with how its bytes become a slot:
/// the [`LoadKind`] enum the stack-mode loads carry (its `bytes` and
/// `extend`) and the [`widen`] functions the register forms call directly,
/// by the kind's name (`register_instrs.rs` names only the kind), so the two
/// paths cannot disagree.
macro_rules! load_kinds {
    ($( $(#[$doc:meta])* $kind:ident = |$b:ident: [u8; $n:literal]| $slot:expr, )*) => {
        /// A load: how many bytes it reads and how they become a slot.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum LoadKind {
            $( $(#[$doc])* $kind, )*
        }

        /// How loaded bytes become a slot, one function per [`LoadKind`] (the
        /// register forms call these by name, with no match on the kind).
        #[allow(non_snake_case)]
        pub(crate) mod widen {
            $(
                #[inline(always)]
                pub(crate) fn $kind($b: [u8; $n]) -> u64 {
                    $slot
                }
            )*
        }

        impl LoadKind {
            /// Bytes read.
            pub(crate) fn bytes(self) -> usize {
                match self {
                    $( LoadKind::$kind => $n, )*
                }
            }

            /// The slot for the bytes read, given zero-extended in `raw`.
            pub(crate) fn extend(self, raw: u64) -> u64 {
                match self {
                    $( LoadKind::$kind => widen::$kind(low_bytes(raw)), )*
                }
            }
        }
    };
}

/// The low `N` bytes of `raw`, little-endian.
fn low_bytes<const N: usize>(raw: u64) -> [u8; N] {
    let all = raw.to_le_bytes();
    std::array::from_fn(|i| all[i])
}

load_kinds! {
    /// 4 bytes, zero-extended (`i32.load`, `f32.load`, `i64.load32_u`).
    U32 = |b: [u8; 4]| u32::from_le_bytes(b) as u64,
    /// 8 bytes (`i64.load`, `f64.load`).
    U64 = |b: [u8; 8]| u64::from_le_bytes(b),
    I32From8S = |b: [u8; 1]| b[0] as i8 as i32 as u32 as u64,
    I32From16S = |b: [u8; 2]| i16::from_le_bytes(b) as i32 as u32 as u64,
    /// 1 byte zero-extended (`i32.load8_u`, `i64.load8_u`).
    U8 = |b: [u8; 1]| b[0] as u64,
    /// 2 bytes zero-extended.
    U16 = |b: [u8; 2]| u16::from_le_bytes(b) as u64,
    I64From8S = |b: [u8; 1]| b[0] as i8 as i64 as u64,
    I64From16S = |b: [u8; 2]| i16::from_le_bytes(b) as i64 as u64,
    I64From32S = |b: [u8; 4]| i32::from_le_bytes(b) as i64 as u64,
}

/// A memory immediate: which memory, and the static offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MemArg {
    pub mem: u32,
    pub offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fused_comparisons_follow_each_type() {
        let (nan, one) = (f64::NAN.to_bits(), 1f64.to_bits());
        for cmp in [Cmp::Eq, Cmp::LtS, Cmp::GtS, Cmp::LeS, Cmp::GeS] {
            assert!(!cmp.holds_f64(nan, one) && !cmp.holds_f64(one, nan));
        }
        assert!(Cmp::Ne.holds_f64(nan, nan));
        assert!(Cmp::LeS.holds_f64((-0f64).to_bits(), 0f64.to_bits()));
        let m1_32 = u32::MAX as u64;
        assert!(Cmp::LtS.holds(m1_32, 0) && Cmp::GtU.holds(m1_32, 0));
        assert!(Cmp::LtS.holds64(u64::MAX, 0) && Cmp::GtU.holds64(u64::MAX, 0));
        assert!(!Cmp::LtS.holds64(m1_32, 0));
    }

    #[test]
    fn every_declared_slot_counts_toward_the_bound() {
        let select = Select {
            d: 0,
            c: 9,
            a: 1,
            b: 2,
        };
        assert_eq!((select.slot_bound(), Select::WRITES), (10, true));
        let mut store = StoreImm {
            a: 4,
            offset: 100,
            value: 7,
        };
        assert_eq!(store.slot_bound(), 5, "immediates are not slots");
        assert!(!StoreImm::WRITES && store.written_slot_mut().is_none());
        let mut add = Bin { d: 8, a: 1, b: 2 };
        assert_eq!(add.slot_bound(), 9);
        assert_eq!(add.written_slot_mut().map(|d| *d), Some(8));
    }

    #[test]
    fn stack_loads_extend_as_their_kind_says() {
        assert_eq!(LoadKind::I32From8S.extend(0x80), 0xffff_ff80);
        assert_eq!(LoadKind::I64From16S.extend(0x8000), 0xffff_ffff_ffff_8000);
        assert_eq!(LoadKind::I64From32S.extend(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(LoadKind::U16.extend(0x8000), 0x8000);
        assert_eq!(LoadKind::U64.bytes() + LoadKind::I32From16S.bytes(), 10);
        // The register forms' widening is the same function.
        assert_eq!(widen::I32From8S([0x80]), 0xffff_ff80);
        assert_eq!(widen::U32([1, 0, 0, 0x80]), 0x8000_0001);
    }

    #[test]
    fn negated_integer_comparisons_hold_exactly_when_the_original_does_not() {
        let samples = [0u64, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff];
        for cmp in Cmp::ALL {
            for &a in &samples {
                for &b in &samples {
                    assert_ne!(cmp.holds(a, b), cmp.negate().holds(a, b), "{cmp:?} {a} {b}");
                    let (a64, b64) = (a.wrapping_mul(0x1_0000_0001), b << 31);
                    assert_ne!(cmp.holds64(a64, b64), cmp.negate().holds64(a64, b64));
                }
            }
        }
    }
}
