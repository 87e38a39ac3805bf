"""Touchstone engine-protocol adapter for wasmtime through its Python
bindings (`pip install wasmtime`). Protocol: docs/engine-protocol.md.
Run by `touchstone test --engine wasmtime-py`, or by hand:
`touchstone test --engine-cmd 'wt=python3 adapters/wasmtime_py.py'`."""
import base64, importlib.metadata, json, os, struct, sys
import wasmtime as w

# Only responses go to the protocol's stdout: anything else written on fd 1
# (by Python or native code) lands on stderr.
PROTOCOL = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr

# Protocol feature name -> wasmtime.Config switch.
SWITCHES = {
    "simd": "wasm_simd", "relaxed_simd": "wasm_relaxed_simd",
    "reference_types": "wasm_reference_types", "multi_value": "wasm_multi_value",
    "bulk_memory": "wasm_bulk_memory", "threads": "wasm_threads", "tail_call": "wasm_tail_call",
    "multi_memory": "wasm_multi_memory", "memory64": "wasm_memory64",
    "function_references": "wasm_function_references", "gc": "wasm_gc",
    "exceptions": "wasm_exceptions", "custom_page_sizes": "wasm_custom_page_sizes",
    "wide_arithmetic": "wasm_wide_arithmetic",
}
ALWAYS = ["mutable_global", "saturating_float_to_int", "sign_extension", "floats", "extended_const"]


class Fail(Exception):
    def __init__(self, kind, message):
        self.kind, self.message = kind, message


def to_bits(ty, x):
    return struct.unpack("<I", struct.pack("<f", x))[0] if ty == "f32" else struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(ty, bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0] if ty == "f32" else struct.unpack("<d", struct.pack("<Q", bits))[0]


def arg(v):
    t, x = v["type"], v.get("value")
    if t == "i32": return w.Val.i32(int(x))
    if t == "i64": return w.Val.i64(int(x))
    if t in ("f32", "f64"): return getattr(w.Val, t)(from_bits(t, int(x)))
    if t == "ref.extern": return w.Val.externref(int(x))
    if t == "ref.null" and v["heap"] == "func": return w.Val.funcref(None)
    if t == "ref.null" and v["heap"] == "extern": return w.Val.externref(None)
    raise Fail("unsupported", "wasmtime's Python API cannot pass a %s argument" % t)


def result(ty, x):
    t = str(ty)
    if t == "i32" or t == "i64": return {"type": t, "value": str(x)}
    if t == "f32" or t == "f64": return {"type": t, "value": str(to_bits(t, x))}
    if x is None: return {"type": "ref.null", "heap": "func" if "func" in t else "extern"}
    if isinstance(x, w.Func): return {"type": "ref.func"}
    if isinstance(x, int): return {"type": "ref.extern", "value": str(x)}
    raise Fail("unsupported", "wasmtime's Python API cannot read a %s result" % t)


def classify(e):
    """A wasmtime exception as a protocol error."""
    text = str(e)
    if "Unkown `ffi" in text or "Unknown `ffi" in text:  # a value the bindings cannot convert
        return Fail("unsupported", "wasmtime's Python API cannot pass this value: " + text)
    if isinstance(e, w.Trap):
        code = e.trap_code
        if code == w.TrapCode.STACK_OVERFLOW: return Fail("exhaustion", text)
        if code == w.TrapCode.UNCAUGHT_EXCEPTION or "exception" in text: return Fail("exception", text)
        return Fail("trap", text)
    if "unknown import" in text or "incompatible import" in text or "types incompatible" in text:
        return Fail("link", text)
    if "exception" in text: return Fail("exception", text)
    return Fail("trap", text)


class Session:
    def __init__(self):
        self.engines = {}

    def new_store(self, features, limits):
        key = tuple(sorted(f for f in features if f in SWITCHES))
        if key not in self.engines:
            config = w.Config()
            for name, switch in SWITCHES.items():
                try: setattr(config, switch, name in features)
                except Exception: pass
            config.shared_memory = "threads" in features
            self.engines[key] = w.Engine(config)
        self.engine = self.engines[key]
        self.store = w.Store(self.engine)
        self.store.set_limits(memory_size=limits["max_memory_bytes"], table_elements=limits["max_table_elements"])
        self.linker = w.Linker(self.engine)
        self.linker.allow_shadowing = True
        self.modules, self.instances = {}, {}
        self.spectest()

    def spectest(self):
        s, define = self.store, lambda name, item: self.linker.define(self.store, "spectest", name, item)
        for name, params in [("print", []), ("print_i32", ["i32"]), ("print_i64", ["i64"]), ("print_f32", ["f32"]),
                             ("print_f64", ["f64"]), ("print_i32_f32", ["i32", "f32"]), ("print_f64_f64", ["f64", "f64"])]:
            define(name, w.Func(s, w.FuncType([getattr(w.ValType, p)() for p in params], []), lambda *a: None))
        for t, value in [("i32", 666), ("i64", 666), ("f32", 666.6), ("f64", 666.6)]:
            define("global_" + t, w.Global(s, w.GlobalType(getattr(w.ValType, t)(), False), getattr(w.Val, t)(value)))
        define("table", w.Table(s, w.TableType(w.ValType.funcref(), w.Limits(10, 20)), None))
        define("memory", w.Memory(s, w.MemoryType(w.Limits(1, 2))))
        try:
            define("shared_memory", w.SharedMemory(self.engine, w.MemoryType(w.Limits(1, 2), shared=True)))
        except Exception:
            pass  # no threads in this store's features

    def handle(self, r):
        op = r["op"]
        if op == "hello":
            return {"name": "wasmtime-py", "version": importlib.metadata.version("wasmtime"), "protocol": 1,
                    "features": ALWAYS + list(SWITCHES), "capabilities": []}
        if op == "new_store":
            self.new_store(r["features"], r["limits"])
            return {}
        if op == "compile":
            try:
                self.modules[r["module"]] = w.Module(self.engine, bytearray(base64.b64decode(r["wasm"])))  # bytearray: bytes not starting with 0 would be read as text
            except w.WasmtimeError as e:
                raise Fail("invalid", str(e))
            return {}
        if op == "instantiate":
            try:
                self.instances[r["instance"]] = self.linker.instantiate(self.store, self.modules[r["module"]])
            except (w.Trap, w.WasmtimeError) as e:
                raise classify(e)
            return {}
        if op == "register":
            self.linker.define_instance(self.store, r["name"], self.instances[r["instance"]])
            return {}
        exports = self.instances[r["instance"]].exports(self.store)
        item = exports.get(r["export"]) if hasattr(exports, "get") else exports[r["export"]]
        if op == "invoke":
            if not isinstance(item, w.Func): raise Fail("other", "no exported function %r" % r["export"])
            args = [arg(v) for v in r["args"]]
            try:
                out = item(self.store, *args)
            except (w.Trap, w.WasmtimeError) as e:
                raise classify(e)
            types = item.type(self.store).results
            out = [] if len(types) == 0 else [out] if len(types) == 1 else list(out)
            return {"results": [result(t, x) for t, x in zip(types, out)]}
        if op == "get_global":
            if not isinstance(item, w.Global): raise Fail("other", "no exported global %r" % r["export"])
            return {"value": result(item.type(self.store).content, item.value(self.store))}
        raise Fail("unsupported", "operation %r" % op)


def main():
    session = Session()
    for line in sys.stdin:
        r = json.loads(line)
        try:
            response = {"id": r["id"], "ok": session.handle(r)}
        except Fail as e:
            response = {"id": r["id"], "error": {"kind": e.kind, "message": e.message}}
        except Exception as e:
            response = {"id": r["id"], "error": {"kind": "other", "message": "%s: %s" % (type(e).__name__, e)}}
        PROTOCOL.write(json.dumps(response) + "\n")
        PROTOCOL.flush()


main()
