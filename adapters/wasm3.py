"""Touchstone engine-protocol adapter for wasm3 through its Python bindings
(`pip install pywasm3`). Protocol: docs/engine-protocol.md.
Run by `touchstone test --engine wasm3`, or by hand:
`touchstone test --engine-cmd 'w3=python3 adapters/wasm3.py'`.

pywasm3 can link only host functions, so each instance gets its own
runtime and function imports from registered instances are forwarded
through Python; global, memory and table imports are `unsupported`."""
import base64, importlib.metadata, json, os, struct, sys
import wasm3

# wasm3 prints trap backtraces on stdout: keep the protocol on a private copy.
PROTOCOL = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr

TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64"}  # binary code -> name
CODES = {1: "i32", 2: "i64", 3: "f32", 4: "f64"}  # wasm3's type numbers
SIG = {"i32": "i", "i64": "I", "f32": "f", "f64": "F"}
STRUCT = {"f32": ("<f", "<I"), "f64": ("<d", "<Q")}


class Fail(Exception):
    def __init__(self, kind, message):
        self.kind, self.message = kind, message


def leb(b, i):
    result = shift = 0
    while True:
        byte = b[i]; i += 1
        result |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80: return result, i


def name(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode("utf-8", "replace"), i + n


def skip_expr(b, i):
    sizes = {0x41: "leb", 0x42: "leb", 0x43: 4, 0x44: 8, 0x23: "leb", 0xD0: "leb", 0xD2: "leb"}
    while b[i] != 0x0B:
        op = b[i]; i += 1
        size = sizes.get(op, 0)
        if op == 0xFD: i += 18  # v128.const: sub-opcode 12 and 16 bytes
        elif size == "leb": _, i = leb(b, i)
        else: i += size
    return i + 1


def sections(b):
    """Function imports [(module, field, params, results)], the type names of the
    module's own globals, global exports {name: index}, and whether any import is
    not a function."""
    types, imports, globals_, exports, other = [], [], [], {}, False
    i = 8
    while i < len(b):
        sid = b[i]; size, i = leb(b, i + 1); end = i + size
        if sid in (1, 2, 6, 7):
            count, i = leb(b, i)
            for _ in range(count):
                if sid == 1:  # function types (0x60 params results)
                    n, i = leb(b, i + 1); params = [TYPES.get(t, "?") for t in b[i:i + n]]; i += n
                    n, i = leb(b, i); results = [TYPES.get(t, "?") for t in b[i:i + n]]; i += n
                    types.append((params, results))
                elif sid == 2:
                    module, i = name(b, i); field, i = name(b, i); kind = b[i]; i += 1
                    if kind != 0: other = True; break
                    t, i = leb(b, i); imports.append((module, field) + types[t])
                elif sid == 6:
                    globals_.append(TYPES.get(b[i], "ref")); i = skip_expr(b, i + 2)
                else:
                    field, i = name(b, i); kind = b[i]; index, i = leb(b, i + 1)
                    if kind == 3: exports[field] = index
        i = end
    return imports, globals_, exports, other


def to_py(v):
    t, x = v["type"], v.get("value")
    if t in ("i32", "i64"): return int(x)
    if t in STRUCT: return struct.unpack(STRUCT[t][0], struct.pack(STRUCT[t][1], int(x)))[0]
    raise Fail("unsupported", "wasm3's Python API cannot pass a %s argument" % t)


def from_py(t, x):
    if t in STRUCT: x = struct.unpack(STRUCT[t][1], struct.pack(STRUCT[t][0], x))[0]
    elif t == "i32": x = (x + 2**31) % 2**32 - 2**31
    elif t == "i64": x = (x + 2**63) % 2**64 - 2**63
    else: raise Fail("unsupported", "wasm3's Python API cannot read a %s value" % t)
    return {"type": t, "value": str(x)}


def failure(e):
    text = str(e)
    if "stack overflow" in text: return Fail("exhaustion", text)
    if text.startswith("[trap]"): return Fail("trap", text[7:])
    return Fail("other", text)


class Session:
    def __init__(self):
        self.env = wasm3.Environment()

    def handle(self, r):
        op = r["op"]
        if op == "hello":
            return {"name": "wasm3", "version": importlib.metadata.version("pywasm3"), "protocol": 1,
                    "features": ["mutable_global", "saturating_float_to_int", "sign_extension",
                                 "multi_value", "bulk_memory", "floats"], "capabilities": []}
        if op == "new_store":
            # wasm3 also recurses on the native stack: a larger wasm stack lets
            # deep recursion overflow the native one first (SIGSEGV).
            self.stack = 64 * 1024
            self.modules, self.instances, self.registered = {}, {}, {}
            return {}
        if op == "compile":
            wasm = base64.b64decode(r["wasm"])
            try:
                self.env.parse_module(wasm)  # checked now; parsed again per instance
            except RuntimeError as e:
                raise Fail("malformed", str(e))
            self.modules[r["module"]] = (wasm,) + sections(wasm)
            return {}
        if op == "instantiate":
            wasm, imports, globals_, exports, other = self.modules[r["module"]]
            if other: raise Fail("unsupported", "wasm3 adapter links only function imports")
            runtime = self.env.new_runtime(self.stack)
            module = self.env.parse_module(wasm)
            try:
                runtime.load(module)
                for mod, field, params, results in imports:
                    module.link_function(mod, field, self.sig(params, results), self.target(mod, field))
            except RuntimeError as e:
                raise failure(e)
            self.instances[r["instance"]] = (runtime, module, globals_, exports)
            return {}
        if op == "register":
            self.registered[r["name"]] = self.instances[r["instance"]]
            return {}
        runtime, module, globals_, exports = self.instances[r["instance"]]
        if op == "invoke":
            try:
                f = runtime.find_function(r["export"])
                out = f(*[to_py(v) for v in r["args"]])
            except RuntimeError as e:
                raise failure(e)
            types = [CODES[t] for t in f.ret_types]
            out = [] if not types else [out] if len(types) == 1 else list(out)
            return {"results": [from_py(t, x) for t, x in zip(types, out)]}
        if op == "get_global":
            if r["export"] not in exports: raise Fail("other", "no exported global %r" % r["export"])
            return {"value": from_py(globals_[exports[r["export"]]], module.get_global(r["export"]))}
        raise Fail("unsupported", "operation %r" % op)

    def sig(self, params, results):
        if len(results) > 1: raise Fail("unsupported", "wasm3 cannot link multi-value imports")
        return "%s(%s)" % (SIG.get(results[0], "?") if results else "v", "".join(SIG.get(p, "?") for p in params))

    def target(self, mod, field):
        if mod == "spectest": return lambda *args: None
        if mod not in self.registered: raise Fail("link", "unknown import %s.%s" % (mod, field))
        runtime = self.registered[mod][0]
        try:
            f = runtime.find_function(field)
        except RuntimeError:
            raise Fail("link", "unknown import %s.%s" % (mod, field))
        return lambda *args: f(*args)


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
