//! Runs a case on Touchstone and on wasmi and records, after every call,
//! what a program can observe: results or trap, globals, memory.

use touchstone_engine as ts;

/// A value crossing the embedding boundary. Floats compare equal when both
/// are NaN: arithmetic NaN payloads may legally differ between engines.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    I32(i32),
    I64(i64),
    F64(u64),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::I32(a), Value::I32(b)) => a == b,
            (Value::I64(a), Value::I64(b)) => a == b,
            (Value::F64(a), Value::F64(b)) => {
                a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
            }
            _ => false,
        }
    }
}

/// An export to call, with its arguments.
#[derive(Clone, Debug)]
pub struct Call {
    pub export: String,
    pub args: Vec<Value>,
}

/// Why a call trapped, in terms both engines share.
#[derive(Clone, Debug, PartialEq)]
pub enum Trap {
    Unreachable,
    DivideByZero,
    IntegerOverflow,
    InvalidConversion,
    MemoryOutOfBounds,
    StackExhausted,
    /// Anything else, with the engine's own description.
    Other(String),
}

/// How a call ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Returned(Vec<Value>),
    Trapped(Trap),
}

/// The state after one call.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub outcome: Outcome,
    pub globals: Vec<Value>,
    /// The integer region of memory, byte for byte.
    pub int_memory: Vec<u8>,
    /// The float region, as `f64`s (NaN-tolerant).
    pub float_memory: Vec<Value>,
}

/// Bytes of memory compared as integers, and the float region after them.
const INT_BYTES: usize = super::ops::FLOAT_BASE as usize;
const FLOAT_SLOTS: usize = 32;

fn split_memory(data: &[u8]) -> (Vec<u8>, Vec<Value>) {
    if data.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let floats = data[INT_BYTES..INT_BYTES + FLOAT_SLOTS * 8]
        .chunks_exact(8)
        .map(|c| Value::F64(u64::from_le_bytes(c.try_into().unwrap())))
        .collect();
    (data[..INT_BYTES].to_vec(), floats)
}

/// Runs `calls` on one Touchstone instance of `wasm`.
pub fn touchstone(wasm: &[u8], globals: usize, calls: &[Call]) -> Result<Vec<Observation>, String> {
    let module = ts::Module::new(wasm).map_err(|e| format!("touchstone rejects: {e}"))?;
    let mut store = ts::Store::default();
    let inst = ts::Instance::new(&mut store, &module, &ts::Imports::new())
        .map_err(|e| format!("touchstone fails to instantiate: {e}"))?;
    let mem = inst.get_memory(&store, "mem");
    let mut seen = Vec::new();
    for call in calls {
        let func = inst
            .get_func(&store, &call.export)
            .ok_or("missing export")?;
        let args: Vec<ts::Val> = call.args.iter().map(|v| to_ts(*v)).collect();
        let outcome = match func.call(&mut store, &args) {
            Ok(vals) => Outcome::Returned(vals.iter().map(from_ts).collect::<Result<_, _>>()?),
            Err(e) => Outcome::Trapped(ts_trap(&e)),
        };
        let globals = (0..globals)
            .map(|i| {
                let g = inst
                    .get_global(&store, &format!("g{i}"))
                    .ok_or("no global")?;
                from_ts(&g.get(&store))
            })
            .collect::<Result<_, String>>()?;
        let (int_memory, float_memory) = split_memory(mem.map_or(&[][..], |m| m.data(&store)));
        seen.push(Observation {
            outcome,
            globals,
            int_memory,
            float_memory,
        });
    }
    Ok(seen)
}

fn to_ts(v: Value) -> ts::Val {
    match v {
        Value::I32(x) => ts::Val::I32(x),
        Value::I64(x) => ts::Val::I64(x),
        Value::F64(x) => ts::Val::F64(x),
    }
}

fn from_ts(v: &ts::Val) -> Result<Value, String> {
    match v {
        ts::Val::I32(x) => Ok(Value::I32(*x)),
        ts::Val::I64(x) => Ok(Value::I64(*x)),
        ts::Val::F64(x) => Ok(Value::F64(*x)),
        other => Err(format!("unexpected touchstone value {other:?}")),
    }
}

fn ts_trap(e: &ts::RuntimeError) -> Trap {
    match e.kind() {
        ts::TrapKind::Unreachable => Trap::Unreachable,
        ts::TrapKind::IntegerDivideByZero => Trap::DivideByZero,
        ts::TrapKind::IntegerOverflow => Trap::IntegerOverflow,
        ts::TrapKind::InvalidConversionToInteger => Trap::InvalidConversion,
        ts::TrapKind::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        ts::TrapKind::CallStackExhausted => Trap::StackExhausted,
        _ => Trap::Other(e.to_string()),
    }
}

/// Runs `calls` on one wasmi instance of `wasm`.
pub fn wasmi(wasm: &[u8], globals: usize, calls: &[Call]) -> Result<Vec<Observation>, String> {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, wasm).map_err(|e| format!("wasmi rejects: {e}"))?;
    let mut store = wasmi::Store::new(&engine, ());
    let inst = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .map_err(|e| format!("wasmi fails to instantiate: {e}"))?;
    let mem = inst.get_memory(&store, "mem");
    let mut seen = Vec::new();
    for call in calls {
        let func = inst
            .get_func(&store, &call.export)
            .ok_or("missing export")?;
        let args: Vec<wasmi::Val> = call.args.iter().map(|v| to_wasmi(*v)).collect();
        let ty = func.ty(&store);
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|&t| wasmi::Val::default_for_ty(t))
            .collect();
        let outcome = match func.call(&mut store, &args, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(from_wasmi).collect::<Result<_, _>>()?),
            Err(e) => Outcome::Trapped(wasmi_trap(&e)),
        };
        let globals = (0..globals)
            .map(|i| {
                let g = inst
                    .get_global(&store, &format!("g{i}"))
                    .ok_or("no global")?;
                from_wasmi(&g.get(&store))
            })
            .collect::<Result<_, String>>()?;
        let (int_memory, float_memory) = split_memory(mem.map_or(&[][..], |m| m.data(&store)));
        seen.push(Observation {
            outcome,
            globals,
            int_memory,
            float_memory,
        });
    }
    Ok(seen)
}

fn to_wasmi(v: Value) -> wasmi::Val {
    match v {
        Value::I32(x) => wasmi::Val::I32(x),
        Value::I64(x) => wasmi::Val::I64(x),
        Value::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Result<Value, String> {
    match v {
        wasmi::Val::I32(x) => Ok(Value::I32(*x)),
        wasmi::Val::I64(x) => Ok(Value::I64(*x)),
        wasmi::Val::F64(x) => Ok(Value::F64(x.to_bits())),
        other => Err(format!("unexpected wasmi value {other:?}")),
    }
}

fn wasmi_trap(e: &wasmi::Error) -> Trap {
    use wasmi::TrapCode as C;
    match e.as_trap_code() {
        Some(C::UnreachableCodeReached) => Trap::Unreachable,
        Some(C::IntegerDivisionByZero) => Trap::DivideByZero,
        Some(C::IntegerOverflow) => Trap::IntegerOverflow,
        Some(C::BadConversionToInteger) => Trap::InvalidConversion,
        Some(C::MemoryOutOfBounds) => Trap::MemoryOutOfBounds,
        Some(C::StackOverflow) => Trap::StackExhausted,
        _ => Trap::Other(e.to_string()),
    }
}
