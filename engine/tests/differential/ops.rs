//! The value types the generator uses and the instruction tables it draws
//! from, grouped by the stack shape of each instruction.

use super::rng::Rng;

/// A value type of generated code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    I32,
    I64,
    F64,
}

impl Ty {
    /// Every type, for uniform choice.
    pub const ALL: [Ty; 3] = [Ty::I32, Ty::I64, Ty::F64];

    /// The text-format name.
    pub fn name(self) -> &'static str {
        match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F64 => "f64",
        }
    }

    /// A random type, floats rarer: the hazards under test are about slots,
    /// and integer code checks them with exact values.
    pub fn random(rng: &mut Rng) -> Ty {
        [Ty::I32, Ty::I32, Ty::I32, Ty::I64, Ty::I64, Ty::F64][rng.below(6)]
    }
}

/// `t t -> t` instructions. Division and remainder can trap; both engines
/// must then trap alike.
pub fn binops(t: Ty) -> &'static [&'static str] {
    match t {
        Ty::I32 => &[
            "i32.add",
            "i32.sub",
            "i32.mul",
            "i32.and",
            "i32.or",
            "i32.xor",
            "i32.shl",
            "i32.shr_s",
            "i32.shr_u",
            "i32.rotl",
            "i32.rotr",
            "i32.div_s",
            "i32.div_u",
            "i32.rem_s",
            "i32.rem_u",
        ],
        Ty::I64 => &[
            "i64.add",
            "i64.sub",
            "i64.mul",
            "i64.and",
            "i64.or",
            "i64.xor",
            "i64.shl",
            "i64.shr_s",
            "i64.shr_u",
            "i64.rotl",
            "i64.rotr",
            "i64.div_s",
            "i64.div_u",
            "i64.rem_s",
            "i64.rem_u",
        ],
        Ty::F64 => &[
            "f64.add",
            "f64.sub",
            "f64.mul",
            "f64.div",
            "f64.min",
            "f64.max",
            "f64.copysign",
        ],
    }
}

/// `t -> t` instructions.
pub fn unops(t: Ty) -> &'static [&'static str] {
    match t {
        Ty::I32 => &[
            "i32.clz",
            "i32.ctz",
            "i32.popcnt",
            "i32.extend8_s",
            "i32.extend16_s",
        ],
        Ty::I64 => &[
            "i64.clz",
            "i64.ctz",
            "i64.popcnt",
            "i64.extend8_s",
            "i64.extend16_s",
            "i64.extend32_s",
        ],
        Ty::F64 => &[
            "f64.abs",
            "f64.neg",
            "f64.sqrt",
            "f64.ceil",
            "f64.floor",
            "f64.trunc",
            "f64.nearest",
        ],
    }
}

/// `t t -> i32` comparisons.
pub fn relops(t: Ty) -> &'static [&'static str] {
    match t {
        Ty::I32 => &[
            "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u", "i32.le_s",
            "i32.le_u", "i32.ge_s", "i32.ge_u",
        ],
        Ty::I64 => &[
            "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s",
            "i64.le_u", "i64.ge_s", "i64.ge_u",
        ],
        Ty::F64 => &["f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge"],
    }
}

/// `from -> to` conversions. Float bits never reach integers (no
/// `reinterpret`): NaN payloads may legally differ between engines. The
/// trapping truncations are listed last so callers can make them rare.
pub fn conversions(from: Ty, to: Ty) -> &'static [&'static str] {
    match (from, to) {
        (Ty::I64, Ty::I32) => &["i32.wrap_i64"],
        (Ty::I32, Ty::I64) => &["i64.extend_i32_s", "i64.extend_i32_u"],
        (Ty::I32, Ty::F64) => &["f64.convert_i32_s", "f64.convert_i32_u"],
        (Ty::I64, Ty::F64) => &["f64.convert_i64_s", "f64.convert_i64_u"],
        (Ty::F64, Ty::I32) => &[
            "i32.trunc_sat_f64_s",
            "i32.trunc_sat_f64_u",
            "i32.trunc_f64_s",
        ],
        (Ty::F64, Ty::I64) => &[
            "i64.trunc_sat_f64_s",
            "i64.trunc_sat_f64_u",
            "i64.trunc_f64_u",
        ],
        _ => &[],
    }
}

/// Loads producing `t`, as (instruction, access width in bytes).
pub fn loads(t: Ty) -> &'static [(&'static str, u32)] {
    match t {
        Ty::I32 => &[
            ("i32.load", 4),
            ("i32.load8_s", 1),
            ("i32.load8_u", 1),
            ("i32.load16_s", 2),
            ("i32.load16_u", 2),
        ],
        Ty::I64 => &[
            ("i64.load", 8),
            ("i64.load8_s", 1),
            ("i64.load8_u", 1),
            ("i64.load16_s", 2),
            ("i64.load16_u", 2),
            ("i64.load32_s", 4),
            ("i64.load32_u", 4),
        ],
        Ty::F64 => &[("f64.load", 8)],
    }
}

/// Stores taking a `t` value.
pub fn stores(t: Ty) -> &'static [&'static str] {
    match t {
        Ty::I32 => &["i32.store", "i32.store8", "i32.store16"],
        Ty::I64 => &["i64.store", "i64.store8", "i64.store16", "i64.store32"],
        Ty::F64 => &["f64.store"],
    }
}

/// Integer memory: bytes `0..INT_REGION` (addresses are masked with
/// `INT_REGION - 1`; offsets stay below 16). Floats live apart at
/// `FLOAT_BASE..FLOAT_BASE + 256` so integer loads never see NaN bits.
pub const INT_REGION: u32 = 512;
/// Start of the float region (see [`INT_REGION`]).
pub const FLOAT_BASE: u32 = 1024;

/// A constant of type `t` in text form, biased towards edge values.
pub fn constant(rng: &mut Rng, t: Ty) -> String {
    match t {
        Ty::I32 => format!("i32.const {}", int_value(rng) as i32),
        Ty::I64 => format!("i64.const {}", int_value(rng)),
        Ty::F64 => format!("f64.const {}", float_text(float_value(rng))),
    }
}

/// A random integer, often small or at a boundary.
pub fn int_value(rng: &mut Rng) -> i64 {
    match rng.below(8) {
        0..=2 => rng.range(0, 10) as i64 - 3,
        3 => *rng.pick(&[
            i32::MIN as i64,
            i32::MAX as i64,
            i64::MIN,
            i64::MAX,
            u32::MAX as i64,
            31,
            32,
            63,
            64,
        ]),
        4 => rng.below(1 << 16) as i64,
        _ => rng.next_u64() as i64,
    }
}

/// A random float, often special.
pub fn float_value(rng: &mut Rng) -> f64 {
    match rng.below(6) {
        0 => *rng.pick(&[
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]),
        1 => *rng.pick(&[
            2147483647.5,
            -2147483649.0,
            4294967296.0,
            9.3e18,
            -9.3e18,
            1e300,
            5e-324,
        ]),
        2..=3 => rng.range(0, 2000) as f64 / 8.0 - 100.0,
        _ => f64::from_bits(rng.next_u64()),
    }
}

/// `x` in the text format, exactly (Rust's shortest round-trip digits).
pub fn float_text(x: f64) -> String {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        format!("{sign}nan:0x{:x}", x.to_bits() & ((1 << 52) - 1))
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{x:e}")
    }
}
