//! A third opinion from V8 (`node` on the PATH) when two engines disagree:
//! it replays the same plan, and the group it matches is the reference.
//! Node 20's V8 lacks memory64, multi-memory and wide arithmetic, and no JS
//! engine can pass a `v128` across the boundary: then there is no opinion.

use std::process::Command;

use super::observe::{observe, ObserveLimits, Step, StepName};
use super::plan::Plan;
use crate::engine::{Engine, ErrorKind, Ref, Value, WasmFeatures};

/// Replays a plan. One output line per step:
/// `R <values>` / `T` (trap) / `X` (exception) / `E` (stack) / `N` (cannot say).
const REPLAY_JS: &str = r#"
const fs = require("fs");
const [wasmFile, planFile] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
const dv = new DataView(new ArrayBuffer(8));
const show = (x) => {
  if (x === null) return "null";
  if (typeof x === "bigint") return BigInt.asIntN(64, x) + "n";
  if (typeof x === "number") {
    if (Number.isNaN(x)) return "NaN";
    dv.setFloat64(0, x);
    return dv.getBigUint64(0).toString(16);
  }
  return "ref";
};
const arg = (a) => {
  if (a.t === "i32") return Number(a.v);
  if (a.t === "i64") return BigInt(a.v);
  if (a.t === "f32") { dv.setUint32(0, Number(a.v)); return dv.getFloat32(0); }
  if (a.t === "f64") { dv.setBigUint64(0, BigInt(a.v)); return dv.getFloat64(0); }
  return null;
};
let inst;
try {
  inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)));
} catch (e) {
  console.log(e instanceof WebAssembly.CompileError ? "C " + e.message
    : e instanceof WebAssembly.RuntimeError ? "I" : "N " + e);
  process.exit(0);
}
console.log("OK");
for (const c of plan.calls) {
  try {
    let r = inst.exports[c.export](...c.args.map(arg));
    if (!Array.isArray(r)) r = r === undefined ? [] : [r];
    console.log("R" + r.map((x) => " " + show(x)).join(""));
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) console.log("T");
    else if (e instanceof WebAssembly.Exception) console.log("X");
    else if (e instanceof RangeError) console.log("E");
    else console.log("N");
  }
}
for (const g of plan.globals) {
  try { console.log("R " + show(inst.exports[g].value)); } catch (e) { console.log("N"); }
}
for (const m of plan.memories) {
  const bytes = new Uint8Array(inst.exports[m].buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  console.log("M " + bytes.length + " " + h.toString(16));
}
"#;

/// What `REPLAY_JS` prints for one value of ours (JS numbers carry no
/// type: `i32` and `f32` print as the `f64` bits of their value).
fn show(v: &Value) -> String {
    let float = |x: f64| {
        if x.is_nan() {
            "NaN".to_string()
        } else {
            format!("{:x}", x.to_bits())
        }
    };
    match v {
        Value::I32(x) => float(*x as f64),
        Value::I64(x) => format!("{x}n"),
        Value::F32(b) => float(f32::from_bits(*b) as f64),
        Value::F64(b) => float(f64::from_bits(*b)),
        Value::Ref(Ref::Null(_)) => "null".into(),
        Value::Ref(_) => "ref".into(),
        Value::V128(_) => "v128".into(),
    }
}

/// The line `REPLAY_JS` prints for one step of ours; `None` when V8's
/// answer could not be compared (an exhaustion).
fn line(step: &Step) -> Option<String> {
    Some(match step {
        Step::Values(vs) => {
            "R".to_string()
                + &vs
                    .iter()
                    .map(|v| format!(" {}", show(v)))
                    .collect::<String>()
        }
        Step::Memory { len, digest } => format!("M {len} {digest:x}"),
        Step::Failed(ErrorKind::Trap, _) => "T".into(),
        Step::Failed(ErrorKind::Exception, _) => "X".into(),
        Step::Failed(_, _) => return None,
    })
}

fn plan_json(plan: &Plan) -> String {
    let arg = |v: &Value| match v {
        Value::I32(x) => format!(r#"{{"t":"i32","v":"{x}"}}"#),
        Value::I64(x) => format!(r#"{{"t":"i64","v":"{x}"}}"#),
        Value::F32(x) => format!(r#"{{"t":"f32","v":"{x}"}}"#),
        Value::F64(x) => format!(r#"{{"t":"f64","v":"{x}"}}"#),
        _ => r#"{"t":"null"}"#.to_string(),
    };
    let calls: Vec<String> = plan
        .calls
        .iter()
        .map(|c| {
            let args: Vec<String> = c.args.iter().map(arg).collect();
            format!(
                r#"{{"export":{},"args":[{}]}}"#,
                serde_json::to_string(&c.export).unwrap(),
                args.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"calls":[{}],"globals":{},"memories":{}}}"#,
        calls.join(","),
        serde_json::to_string(&plan.globals).unwrap(),
        serde_json::to_string(&plan.memories).unwrap()
    )
}

/// Runs the plan on V8; its lines.
fn replay(wasm: &[u8], plan: &Plan) -> Result<Vec<String>, String> {
    if plan
        .calls
        .iter()
        .any(|c| c.args.iter().any(|a| matches!(a, Value::V128(_))))
    {
        return Err("a v128 argument cannot cross into JS".into());
    }
    let dir = std::env::temp_dir().join(format!(
        "touchstone-fuzz-v8-{}-{:x}",
        std::process::id(),
        super::observe::fnv1a32(wasm)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (js, module, list) = (
        dir.join("replay.js"),
        dir.join("m.wasm"),
        dir.join("plan.json"),
    );
    let written = std::fs::write(&js, REPLAY_JS)
        .and_then(|_| std::fs::write(&module, wasm))
        .and_then(|_| std::fs::write(&list, plan_json(plan)));
    let out = written.map_err(|e| e.to_string()).and_then(|_| {
        Command::new("node")
            .arg("--stack-size=2000")
            .arg(&js)
            .arg(&module)
            .arg(&list)
            .output()
            .map_err(|e| format!("cannot run node: {e}"))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let out = out?;
    if !out.status.success() {
        return Err(format!(
            "node failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    match lines.first().map(String::as_str) {
        Some("OK") => {}
        Some(first) if first.starts_with('C') => {
            return Err(format!("V8 cannot compile it ({first})"))
        }
        other => return Err(format!("V8 could not instantiate it: {other:?}")),
    }
    if lines.iter().any(|l| l == "N") {
        return Err("V8 cannot call a function of this signature (v128 or non-JS type)".into());
    }
    Ok(lines[1..].to_vec())
}

/// Which of `groups` (of `engines`) V8 sides with on `wasm`: `Ok(None)`
/// for none of them; `Err` when V8 cannot give an opinion.
pub fn sides_with(
    wasm: &[u8],
    plan: &Plan,
    engines: &[&dyn Engine],
    groups: &[Vec<usize>],
    features: &WasmFeatures,
    limits: &ObserveLimits,
) -> Result<Option<usize>, String> {
    let theirs = replay(wasm, plan)?;
    let mut matching = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        let seen = observe(engines[members[0]], features, wasm, plan, limits)
            .map_err(|p| format!("panicked: {}", p.0))?;
        let ours: Vec<(&StepName, Option<String>)> =
            seen.steps.iter().map(|(n, s)| (n, line(s))).collect();
        if ours
            .iter()
            .any(|(n, _)| matches!(n, StepName::Compile | StepName::Instantiate))
        {
            continue;
        }
        let agrees = ours.len() == theirs.len()
            && ours
                .iter()
                .zip(&theirs)
                .all(|((_, o), t)| o.as_ref().is_none_or(|o| o == t || t == "E"));
        if agrees {
            matching.push(g);
        }
    }
    match matching.as_slice() {
        [g] => Ok(Some(*g)),
        [] => Ok(None),
        // The groups agree when run again: the divergence comes and goes.
        _ => Err("the engines agree when run again (a nondeterministic divergence)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::plan::Call;

    /// Needs `node` on the PATH (as `engine/tests/differential` does).
    #[test]
    fn v8_replays_calls_globals_and_memory() {
        let wasm = wat::parse_str(
            r#"(module (memory (export "m") 1) (global (export "g") (mut i64) (i64.const -5))
                 (func (export "f") (param i32 f32) (result i32 f32)
                   (i32.store8 (i32.const 3) (i32.const 9)) (local.get 0) (local.get 1))
                 (func (export "t") unreachable))"#,
        )
        .unwrap();
        let plan = Plan {
            calls: vec![
                Call {
                    export: "f".into(),
                    args: vec![Value::I32(-2), Value::F32(0x7fc0_0000)],
                },
                Call {
                    export: "t".into(),
                    args: vec![],
                },
            ],
            globals: vec!["g".into()],
            memories: vec!["m".into()],
        };
        let lines = replay(&wasm, &plan).expect("node runs");
        let mut mem = vec![0u8; 65536];
        mem[3] = 9;
        let expected = [
            line(&Step::Values(vec![Value::I32(-2), Value::F32(0x7fc0_0000)])).unwrap(),
            "T".to_string(),
            line(&Step::Values(vec![Value::I64(-5)])).unwrap(),
            line(&Step::Memory {
                len: mem.len(),
                digest: super::super::observe::fnv1a32(&mem),
            })
            .unwrap(),
        ];
        assert_eq!(lines, expected);
    }
}
