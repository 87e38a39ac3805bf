//! Generates a whole random module (memory, data, globals, functions) and
//! the calls to make on it.

use super::func_gen::{FuncGen, GlobalDef, ModuleView, Sig};
use super::ops::{self, Ty, FLOAT_BASE};
use super::rng::Rng;
use super::run::{Call, Value};

/// A generated test case.
pub struct Case {
    /// The module, in text form (what a failure prints).
    pub wat: String,
    /// The same module as wasmi runs it (see `func_gen::Generated::wasmi_text`).
    pub wasmi_wat: String,
    /// Number of exported globals, named `g0`, `g1`, ...
    pub globals: usize,
    /// Calls to make, in order, on one instance.
    pub calls: Vec<Call>,
}

/// Generates the case for `seed`.
pub fn generate(seed: u64) -> Case {
    let rng = &mut Rng::new(seed);
    let globals: Vec<GlobalDef> = (0..rng.range(1, 4))
        .map(|_| GlobalDef {
            ty: Ty::random(rng),
            mutable: !rng.chance(1, 5),
        })
        .collect();
    let nfuncs = rng.range(2, 6);
    let recursive = rng.chance(1, 2).then(|| rng.below(nfuncs));
    let sigs: Vec<Sig> = (0..nfuncs)
        .map(|i| {
            let mut params: Vec<Ty> = (0..rng.range(0, 4)).map(|_| Ty::random(rng)).collect();
            if recursive == Some(i) {
                params.insert(0, Ty::I32);
            }
            let results = (0..rng.range(0, 3)).map(|_| Ty::random(rng)).collect();
            Sig { params, results }
        })
        .collect();

    let mut wat = String::from("(module\n  (memory (export \"mem\") 1)\n");
    wat += &format!("  (data (i32.const 0) \"{}\")\n", hex_bytes(rng, 64));
    let floats: Vec<u8> = (0..16)
        .flat_map(|_| ops::float_value(rng).to_le_bytes())
        .collect();
    wat += &format!(
        "  (data (i32.const {FLOAT_BASE}) \"{}\")\n",
        escape(&floats)
    );
    for (i, g) in globals.iter().enumerate() {
        let ty = if g.mutable {
            format!("(mut {})", g.ty.name())
        } else {
            g.ty.name().into()
        };
        let init = ops::constant(rng, g.ty);
        wat += &format!("  (global (export \"g{i}\") {ty} ({init}))\n");
    }
    let mut wasmi_wat = wat.clone();
    let mut costs = Vec::new();
    for i in 0..nfuncs {
        let view = ModuleView {
            sigs: &sigs,
            costs: &costs,
            globals: &globals,
        };
        let func = FuncGen::generate(rng, &view, i, recursive == Some(i));
        wat += &func.text;
        wasmi_wat += &func.wasmi_text;
        costs.push(func.cost);
    }
    wat += ")\n";
    wasmi_wat += ")\n";

    let mut calls = Vec::new();
    for (i, sig) in sigs.iter().enumerate() {
        for _ in 0..3 {
            let args = sig.params.iter().map(|&t| random_value(rng, t)).collect();
            calls.push(Call {
                export: format!("f{i}"),
                args,
            });
        }
    }
    Case {
        wat,
        wasmi_wat,
        globals: globals.len(),
        calls,
    }
}

fn random_value(rng: &mut Rng, t: Ty) -> Value {
    match t {
        Ty::I32 => Value::I32(ops::int_value(rng) as i32),
        Ty::I64 => Value::I64(ops::int_value(rng)),
        Ty::F64 => Value::F64(ops::float_value(rng).to_bits()),
    }
}

fn hex_bytes(rng: &mut Rng, n: usize) -> String {
    let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
    escape(&bytes)
}

/// Bytes as a text-format string literal body.
fn escape(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}
