//! A third opinion from V8 (`node`), asked only when Touchstone and wasmi
//! disagree: wasmi 2.0.0 has miscompilations of its own, and a disagreement
//! where V8 sides with Touchstone is wasmi's bug, not ours.

use super::run::{Call, Observation, Outcome, Value};
use std::process::Command;

/// Replays the calls and prints, per call, one canonical line (see `line`).
const REPLAY_JS: &str = r#"
const fs = require("fs");
const [wasmFile, callsFile] = process.argv.slice(2);
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)));
const dv = new DataView(new ArrayBuffer(8));
const fromBits = (b) => { dv.setBigUint64(0, BigInt(b)); return dv.getFloat64(0); };
const show = (x) => {
  if (typeof x === "bigint") return x + "n";
  if (Number.isNaN(x)) return "NaN";
  dv.setFloat64(0, x);
  return String(dv.getBigUint64(0));
};
const globals = Object.keys(inst.exports).filter((k) => /^g\d+$/.test(k))
  .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
for (const line of fs.readFileSync(callsFile, "utf8").split("\n")) {
  if (!line) continue;
  const [name, ...args] = line.split(" ");
  const vals = args.map((a) => a[0] === "i" ? Number(a.slice(1)) : a[0] === "l" ? BigInt(a.slice(1)) : fromBits(a.slice(1)));
  let out;
  try {
    let r = inst.exports[name](...vals);
    if (!Array.isArray(r)) r = r === undefined ? [] : [r];
    out = "R" + r.map((x) => " " + show(x)).join("");
  } catch (e) {
    out = "T";
  }
  out += " |" + globals.map((g) => " " + show(inst.exports[g].value)).join("");
  if (inst.exports.mem) {
    out += " | " + Buffer.from(new Uint8Array(inst.exports.mem.buffer, 0, 1024)).toString("hex");
    out += " |" + Array.from(new Float64Array(inst.exports.mem.buffer, 1024, 32), (x) => " " + show(x)).join("");
  }
  console.log(out);
}
"#;

/// What `REPLAY_JS` prints for a value: JS numbers carry no type, so `i32`
/// and `f64` both print as `f64` bits.
fn show(v: &Value) -> String {
    match *v {
        Value::I32(x) => (x as f64).to_bits().to_string(),
        Value::I64(x) => format!("{x}n"),
        Value::F64(b) if f64::from_bits(b).is_nan() => "NaN".into(),
        Value::F64(b) => b.to_string(),
    }
}

/// The line `REPLAY_JS` would print for an observation.
fn line(o: &Observation) -> String {
    let mut s = match &o.outcome {
        Outcome::Returned(vals) => {
            "R".to_string()
                + &vals
                    .iter()
                    .map(|v| format!(" {}", show(v)))
                    .collect::<String>()
        }
        Outcome::Trapped(_) => "T".into(),
    };
    s += " |";
    s += &o
        .globals
        .iter()
        .map(|v| format!(" {}", show(v)))
        .collect::<String>();
    if !o.int_memory.is_empty() {
        s += " | ";
        s += &o
            .int_memory
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        s += " |";
        s += &o
            .float_memory
            .iter()
            .map(|v| format!(" {}", show(v)))
            .collect::<String>();
    }
    s
}

/// Whether V8 observes exactly `ours`. Traps are compared by presence
/// only, so callers must not ask about a difference in trap kinds alone.
/// `Err` when `node` cannot be run.
pub fn agrees(
    tag: &str,
    wasm: &[u8],
    calls: &[Call],
    ours: &[Observation],
) -> Result<bool, String> {
    let dir =
        std::env::temp_dir().join(format!("touchstone-difftest-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (js, module, list) = (
        dir.join("replay.js"),
        dir.join(format!("{tag}.wasm")),
        dir.join(format!("{tag}.calls")),
    );
    let calls_text: String = calls
        .iter()
        .map(|c| {
            let args: String = c
                .args
                .iter()
                .map(|a| match *a {
                    Value::I32(x) => format!(" i{x}"),
                    Value::I64(x) => format!(" l{x}"),
                    Value::F64(b) => format!(" f{b}"),
                })
                .collect();
            format!("{}{args}\n", c.export)
        })
        .collect();
    std::fs::write(&js, REPLAY_JS).map_err(|e| e.to_string())?;
    std::fs::write(&module, wasm).map_err(|e| e.to_string())?;
    std::fs::write(&list, calls_text).map_err(|e| e.to_string())?;
    let out = Command::new("node")
        .arg(&js)
        .arg(&module)
        .arg(&list)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        return Err(format!(
            "node failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let theirs = String::from_utf8_lossy(&out.stdout);
    let ours: Vec<String> = ours.iter().map(line).collect();
    Ok(theirs.lines().eq(ours.iter().map(String::as_str)))
}
