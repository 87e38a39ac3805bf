//! The wire format of the engine protocol (`docs/engine-protocol.md`):
//! requests, responses, and the JSON form of [`Value`], [`ErrorKind`] and
//! feature sets. Used by both ends: the harness's external engine and
//! `touchstone serve`.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::{EngineError, ErrorKind, Limits, NullKind, Ref, Value, WasmFeatures};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The capability of `read_memory`.
pub const CAPABILITY_MEMORY: &str = "memory";

/// The capability of `share`, `adopt` and `end_thread`: stores of a
/// script's threads in the same process (a request's `thread` field names
/// the store it is for).
pub const CAPABILITY_THREADS: &str = "threads";

/// A request without its `id` (the envelope adds it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Hello {
        protocol: u32,
    },
    NewStore {
        features: Vec<String>,
        limits: WireLimits,
    },
    Compile {
        module: usize,
        /// The binary, base64.
        wasm: String,
    },
    Instantiate {
        module: usize,
        instance: usize,
    },
    Register {
        name: String,
        instance: usize,
    },
    Invoke {
        instance: usize,
        export: String,
        args: Vec<WireValue>,
    },
    GetGlobal {
        instance: usize,
        export: String,
    },
    /// Capability `memory`.
    ReadMemory {
        instance: usize,
        export: String,
        offset: u64,
        length: u64,
    },
    /// Capability `threads`: lets other stores of the process adopt `instance`.
    Share {
        instance: usize,
    },
    /// Capability `threads`: the request's thread store (made now if new)
    /// sees the shared `instance` under the same id.
    Adopt {
        instance: usize,
    },
    /// Capability `threads`: the request's thread store is done.
    EndThread {},
}

/// The resource limits of `new_store` (the time limit is the harness's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireLimits {
    pub max_memory_bytes: u64,
    pub max_table_elements: u64,
    pub max_call_depth: u32,
}

impl From<&Limits> for WireLimits {
    fn from(l: &Limits) -> Self {
        WireLimits {
            max_memory_bytes: l.max_memory_bytes,
            max_table_elements: l.max_table_elements,
            max_call_depth: l.max_call_depth,
        }
    }
}

/// A response line: `ok` or `error`, echoing the request's `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<WireError>,
}

/// An engine error on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub kind: String,
    #[serde(default)]
    pub message: String,
}

impl From<&EngineError> for WireError {
    fn from(e: &EngineError) -> Self {
        WireError {
            kind: kind_name(e.kind).to_string(),
            message: e.message.clone(),
        }
    }
}

impl From<WireError> for EngineError {
    fn from(e: WireError) -> Self {
        match kind_from_name(&e.kind) {
            Some(kind) => EngineError::new(kind, e.message),
            None => EngineError::new(
                ErrorKind::Other,
                format!("(unknown error kind {:?}) {}", e.kind, e.message),
            ),
        }
    }
}

/// The handshake's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    pub name: String,
    pub version: String,
    pub protocol: u32,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub capabilities: Vec<String>,
}

/// The protocol's name of an error kind.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Malformed => "malformed",
        ErrorKind::Invalid => "invalid",
        ErrorKind::Link => "link",
        ErrorKind::Trap => "trap",
        ErrorKind::Exhaustion => "exhaustion",
        ErrorKind::Exception => "exception",
        ErrorKind::Interrupted => "interrupted",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::Other => "other",
    }
}

/// Every error kind, for the reverse mapping.
const KINDS: [ErrorKind; 9] = [
    ErrorKind::Malformed,
    ErrorKind::Invalid,
    ErrorKind::Link,
    ErrorKind::Trap,
    ErrorKind::Exhaustion,
    ErrorKind::Exception,
    ErrorKind::Interrupted,
    ErrorKind::Unsupported,
    ErrorKind::Other,
];

pub fn kind_from_name(name: &str) -> Option<ErrorKind> {
    KINDS.into_iter().find(|k| kind_name(*k) == name)
}

/// A value on the wire: `{"type": T, "value": V, "heap": H}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireValue {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heap: Option<String>,
}

impl WireValue {
    fn new(ty: &str, value: Option<String>) -> WireValue {
        WireValue {
            ty: ty.to_string(),
            value,
            heap: None,
        }
    }
}

impl From<&Value> for WireValue {
    fn from(v: &Value) -> Self {
        let num = |ty: &str, n: String| WireValue::new(ty, Some(n));
        match v {
            Value::I32(x) => num("i32", x.to_string()),
            Value::I64(x) => num("i64", x.to_string()),
            Value::F32(bits) => num("f32", bits.to_string()),
            Value::F64(bits) => num("f64", bits.to_string()),
            Value::V128(x) => num("v128", hex(&x.to_le_bytes())),
            Value::Ref(r) => match r {
                Ref::Null(kind) => WireValue {
                    heap: Some(kind.name().to_string()),
                    ..WireValue::new("ref.null", None)
                },
                Ref::Func => WireValue::new("ref.func", None),
                Ref::Extern(n) => num("ref.extern", n.to_string()),
                Ref::ExternGc => WireValue::new("ref.extern", None),
                Ref::Host(n) => num("ref.host", n.to_string()),
                Ref::I31(n) => num("ref.i31", n.to_string()),
                Ref::Struct => WireValue::new("ref.struct", None),
                Ref::Array => WireValue::new("ref.array", None),
                Ref::Exn => WireValue::new("ref.exn", None),
                Ref::Opaque => WireValue::new("ref.opaque", None),
            },
        }
    }
}

impl TryFrom<&WireValue> for Value {
    type Error = String;

    fn try_from(w: &WireValue) -> Result<Self, String> {
        let text = || {
            w.value
                .as_deref()
                .ok_or_else(|| format!("a {} value needs \"value\"", w.ty))
        };
        let bad = |e: &dyn std::fmt::Display| format!("bad {} value {:?}: {e}", w.ty, w.value);
        Ok(match w.ty.as_str() {
            "i32" => Value::I32(text()?.parse().map_err(|e| bad(&e))?),
            "i64" => Value::I64(text()?.parse().map_err(|e| bad(&e))?),
            "f32" => Value::F32(text()?.parse().map_err(|e| bad(&e))?),
            "f64" => Value::F64(text()?.parse().map_err(|e| bad(&e))?),
            "v128" => {
                let bytes = unhex(text()?).map_err(|e| bad(&e))?;
                let bytes: [u8; 16] = bytes
                    .try_into()
                    .map_err(|_| bad(&"expected 16 bytes (32 hex digits)"))?;
                Value::V128(u128::from_le_bytes(bytes))
            }
            "ref.null" => {
                let heap = w.heap.as_deref().unwrap_or("");
                let kind = NullKind::ALL
                    .into_iter()
                    .find(|k| k.name() == heap)
                    .ok_or_else(|| bad(&format!("unknown heap {heap:?}")))?;
                Value::Ref(Ref::Null(kind))
            }
            "ref.func" => Value::Ref(Ref::Func),
            "ref.extern" if w.value.is_none() => Value::Ref(Ref::ExternGc),
            "ref.extern" => Value::Ref(Ref::Extern(text()?.parse().map_err(|e| bad(&e))?)),
            "ref.host" => Value::Ref(Ref::Host(text()?.parse().map_err(|e| bad(&e))?)),
            "ref.i31" => Value::Ref(Ref::I31(text()?.parse().map_err(|e| bad(&e))?)),
            "ref.struct" => Value::Ref(Ref::Struct),
            "ref.array" => Value::Ref(Ref::Array),
            "ref.exn" => Value::Ref(Ref::Exn),
            "ref.opaque" => Value::Ref(Ref::Opaque),
            other => return Err(format!("unknown value type {other:?}")),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return Err("odd number of hex digits".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// Module bytes for `compile`.
pub fn encode_bytes(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn decode_bytes(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("bad base64: {e}"))
}

/// Feature names as the protocol writes them: `wasmparser`'s, lower case
/// (`reference_types`, `simd`, ...).
pub fn feature_names(features: &WasmFeatures) -> Vec<String> {
    features
        .iter_names()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect()
}

/// The feature set named by `names`; unknown names are returned apart.
pub fn features_from_names(names: &[String]) -> (WasmFeatures, Vec<String>) {
    let mut features = WasmFeatures::empty();
    let mut unknown = Vec::new();
    for name in names {
        match WasmFeatures::from_name(&name.to_ascii_uppercase()) {
            Some(f) => features |= f,
            None => unknown.push(name.clone()),
        }
    }
    (features, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_survives_the_wire() {
        let values = [
            Value::I32(-7),
            Value::I64(i64::MIN),
            Value::F32(0x7fc0_0001),
            Value::F64(0x8000_0000_0000_0000),
            Value::V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
            Value::Ref(Ref::Null(NullKind::Exn)),
            Value::Ref(Ref::Extern(9)),
            Value::Ref(Ref::ExternGc),
            Value::Ref(Ref::Host(3)),
            Value::Ref(Ref::I31(-5)),
            Value::Ref(Ref::Func),
            Value::Ref(Ref::Opaque),
        ];
        for v in values {
            let json = serde_json::to_string(&WireValue::from(&v)).unwrap();
            let back: WireValue = serde_json::from_str(&json).unwrap();
            assert_eq!(Value::try_from(&back).unwrap(), v, "{json}");
        }
    }

    #[test]
    fn v128_bytes_are_in_memory_order() {
        let lanes = [1u32, 2, 3, 4];
        let mut bits = 0u128;
        for (i, lane) in lanes.iter().enumerate() {
            bits |= u128::from(*lane) << (32 * i);
        }
        let w = WireValue::from(&Value::V128(bits));
        assert_eq!(w.value.as_deref(), Some("01000000020000000300000004000000"));
    }

    #[test]
    fn requests_have_the_documented_shape() {
        let r = Request::Invoke {
            instance: 0,
            export: "f".into(),
            args: vec![WireValue::from(&Value::I32(1))],
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"op":"invoke","instance":0,"export":"f","args":[{"type":"i32","value":"1"}]}"#
        );
    }

    #[test]
    fn features_round_trip_by_name() {
        let features = WasmFeatures::default();
        let names = feature_names(&features);
        assert!(names.contains(&"simd".to_string()), "{names:?}");
        let (back, unknown) = features_from_names(&names);
        assert_eq!(back, features);
        assert!(unknown.is_empty());
        let (_, unknown) = features_from_names(&["warp_drive".into()]);
        assert_eq!(unknown, ["warp_drive"]);
    }

    #[test]
    fn error_kinds_round_trip_and_unknown_ones_are_other() {
        for kind in KINDS {
            assert_eq!(kind_from_name(kind_name(kind)), Some(kind));
        }
        let e = EngineError::from(WireError {
            kind: "meltdown".into(),
            message: "x".into(),
        });
        assert_eq!(e.kind, ErrorKind::Other);
    }
}
