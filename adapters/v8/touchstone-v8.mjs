// V8, through node's WebAssembly JS API, as a Touchstone engine: speaks the
// engine protocol (docs/engine-protocol.md) on stdin/stdout.
//
//   node [NODE FLAGS] touchstone-v8.mjs
//
// Everything goes through the real JS API: `new WebAssembly.Module`,
// `new WebAssembly.Instance` with an import object, exported functions
// called from JS (i64 as BigInt), exported globals read through
// `WebAssembly.Global`. What JS cannot carry exactly (v128 values, NaN
// payloads of f32/f64, which JS numbers canonicalise) goes through a small
// wrapper module built here: it imports the function or global and moves
// the values through its own memory, so they are checked bit for bit.
// The features V8 has are probed at start-up (features.mjs), not listed.
//
// Every store lives in a worker (`worker_threads`) running this same file;
// the main thread passes requests to them (see "the protocol" below). For
// the capability `threads`, shared memories (SharedArrayBuffer-backed) are
// what crosses between a script's stores; other exports stay where they are.

import { createInterface } from "node:readline";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import * as wasm from "./wasm-binary.mjs";
import { PROBES, probeFeatures } from "./features.mjs";

if (process.argv.includes("--probes")) {
  const hex = (bytes) => Buffer.from(bytes).toString("hex");
  process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(PROBES).map(([k, v]) => [k, hex(v)]))) + "\n");
  process.exit(0);
}

const PROTOCOL = 1;
const features = probeFeatures();
const has = new Set(features);

// ---------- values ----------

const f32 = new Float32Array(1), f32bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), f64bits = new BigUint64Array(f64.buffer);

/// `(ref.extern N)` as a JS value: one object per number, so identity
/// survives a round trip through wasm.
const externs = new Map();
const externNumbers = new WeakMap();
function externObject(n) {
  if (!externs.has(n)) {
    const o = { touchstoneExtern: n };
    externs.set(n, o);
    externNumbers.set(o, n);
  }
  return externs.get(n);
}

class Unsupported extends Error {}

/// A protocol value as the JS API's, for a parameter of type `type`.
function toJs(v, type) {
  switch (v.type) {
    case "i32": return Number(v.value) | 0;
    case "i64": return BigInt.asIntN(64, BigInt(v.value));
    case "f32": f32bits[0] = Number(v.value); return f32[0];
    case "f64": f64bits[0] = BigInt(v.value); return f64[0];
    case "ref.null": return null;
    case "ref.extern": return externObject(Number(v.value));
    case "ref.host":
      if (type.heap === "any") return externObject(Number(v.value));
      break;
    case "ref.i31":
      if (type.heap === "any") return Number(v.value);
      break;
  }
  throw new Unsupported(`the JS API cannot pass ${v.type} as ${describe(type)}`);
}

/// A JS API value as a protocol value of type `type`.
function fromJs(x, type) {
  switch (type.kind) {
    case "i32": return { type: "i32", value: String(x | 0) };
    case "i64": return { type: "i64", value: String(BigInt.asIntN(64, x)) };
    case "f32": f32[0] = x; return { type: "f32", value: String(f32bits[0]) };
    case "f64": f64[0] = x; return { type: "f64", value: String(f64bits[0]) };
  }
  if (x === null) return { type: "ref.null", heap: type.heap ?? "any" };
  switch (type.heap) {
    case "func": return { type: "ref.func" };
    case "extern":
      return externNumbers.has(x)
        ? { type: "ref.extern", value: String(externNumbers.get(x)) }
        : { type: "ref.opaque" };
    case "any":
      if (externNumbers.has(x)) return { type: "ref.host", value: String(externNumbers.get(x)) };
      if (typeof x === "number") return { type: "ref.i31", value: String(x) };
      return { type: "ref.opaque" };
    case "exn": return { type: "ref.exn" };
  }
  return { type: "ref.opaque" };
}

function describe(t) {
  return t.kind === "ref" ? `a ${t.nullable ? "nullable " : ""}${t.heap ?? "typed"} reference` : t.kind;
}

/// Whether JS passes values of `type` exactly. Floats are exact except NaN
/// payloads, so float results always take the wrapper; float arguments
/// only when NaN.
function jsCarries(type) {
  if (type.kind === "v128") return false;
  if (type.kind === "ref") return !type.indexed && ["func", "extern", "any"].includes(type.heap);
  return true;
}

function isNaNBits(v) {
  if (v.type === "f32") return (Number(v.value) & 0x7fffffff) > 0x7f800000;
  if (v.type === "f64") return (BigInt(v.value) & 0x7fffffffffffffffn) > 0x7ff0000000000000n;
  return false;
}

// ---------- wrapper modules ----------

const WIDTH = { i32: 4, i64: 8, f32: 4, f64: 8, v128: 16 };
const LOAD = { i32: [0x28], i64: [0x29], f32: [0x2a], f64: [0x2b], v128: [0xfd, 0x00] };
const STORE = { i32: [0x36], i64: [0x37], f32: [0x38], f64: [0x39], v128: [0xfd, 0x0b] };

/// Where each numeric value of `types` sits in a wrapper's memory.
function layout(types) {
  let offset = 0;
  return types.map((t) => {
    if (t.kind === "ref") return null;
    const at = offset;
    offset += WIDTH[t.kind];
    return at;
  });
}

function memoryPages(bytes) {
  return Math.max(1, Math.ceil(bytes / 65536));
}

function checkWrappable(types) {
  for (const t of types) {
    if (t.kind === "v128" && !has.has("simd")) throw new Unsupported("V8 here has no SIMD");
    if (t.kind === "ref" && (t.indexed || !["func", "extern", "any"].includes(t.heap))) {
      throw new Unsupported(`V8's JS API cannot carry ${describe(t)}`);
    }
  }
}

const wrapperModules = new Map();

/// A module importing a function of signature `sig` as `t.f` and exporting
/// `run`: it loads the numeric arguments from its memory `mem` (references
/// are `run`'s own parameters), calls `t.f`, stores the numeric results
/// back (after the arguments) and returns the reference results.
function callWrapper(sig) {
  const key = JSON.stringify(sig, (k, v) => (k === "bytes" ? v.join(",") : v));
  if (wrapperModules.has(key)) return wrapperModules.get(key);
  checkWrappable([...sig.params, ...sig.results]);
  const argAt = layout(sig.params);
  const argBytes = sig.params.reduce((n, t) => n + (WIDTH[t.kind] ?? 0), 0);
  const resAt = layout(sig.results).map((o) => (o === null ? null : o + argBytes));
  const total = argBytes + sig.results.reduce((n, t) => n + (WIDTH[t.kind] ?? 0), 0);
  const refParams = sig.params.filter((t) => t.kind === "ref");
  const refResults = sig.results.filter((t) => t.kind === "ref");
  const code = [];
  let refIndex = 0;
  sig.params.forEach((t, i) => {
    if (t.kind === "ref") code.push(0x20, ...wasm.uleb(refIndex++));
    else code.push(0x41, ...wasm.sleb(argAt[i]), ...LOAD[t.kind], 0, 0);
  });
  code.push(0x10, 0); // call t.f
  // One local per result, after the reference parameters.
  const firstLocal = refParams.length;
  for (let i = sig.results.length - 1; i >= 0; i--) code.push(0x21, ...wasm.uleb(firstLocal + i));
  sig.results.forEach((t, i) => {
    if (t.kind !== "ref") {
      code.push(0x41, ...wasm.sleb(resAt[i]), 0x20, ...wasm.uleb(firstLocal + i), ...STORE[t.kind], 0, 0);
    }
  });
  sig.results.forEach((t, i) => {
    if (t.kind === "ref") code.push(0x20, ...wasm.uleb(firstLocal + i));
  });
  const bytes = wasm.module(
    wasm.section(1, wasm.vec([wasm.funcType(sig.params, sig.results), wasm.funcType(refParams, refResults)])),
    wasm.section(2, wasm.vec([[...wasm.name("t"), ...wasm.name("f"), 0x00, 0x00]])),
    wasm.section(3, wasm.vec([[0x01]])),
    wasm.section(5, wasm.vec([[0x00, ...wasm.uleb(memoryPages(total))]])),
    wasm.section(7, wasm.vec([[...wasm.name("run"), 0x00, 0x01], [...wasm.name("mem"), 0x02, 0x00]])),
    wasm.section(10, wasm.vec([wasm.body(sig.results, code)])),
  );
  const wrapper = { module: new WebAssembly.Module(bytes), argAt, resAt };
  wrapperModules.set(key, wrapper);
  return wrapper;
}

/// A module importing a global of `type` as `t.g` and exporting `run`,
/// which stores its value at address 0 of `mem`.
function globalWrapper(global) {
  const key = `global:${global.type.bytes.join(",")}:${global.mutable}`;
  if (wrapperModules.has(key)) return wrapperModules.get(key);
  checkWrappable([global.type]);
  const bytes = wasm.module(
    wasm.section(1, wasm.vec([wasm.funcType([], [])])),
    wasm.section(2, wasm.vec([[...wasm.name("t"), ...wasm.name("g"), 0x03, ...global.type.bytes, global.mutable ? 1 : 0]])),
    wasm.section(3, wasm.vec([[0x00]])),
    wasm.section(5, wasm.vec([[0x00, 0x01]])),
    wasm.section(7, wasm.vec([[...wasm.name("run"), 0x00, 0x00], [...wasm.name("mem"), 0x02, 0x00]])),
    wasm.section(10, wasm.vec([wasm.body([], [0x41, 0, 0x23, 0, ...STORE[global.type.kind], 0, 0])])),
  );
  const wrapper = { module: new WebAssembly.Module(bytes) };
  wrapperModules.set(key, wrapper);
  return wrapper;
}

function writeValue(view, at, v) {
  switch (v.type) {
    case "i32": view.setInt32(at, Number(v.value), true); break;
    case "i64": view.setBigInt64(at, BigInt(v.value), true); break;
    case "f32": view.setUint32(at, Number(v.value), true); break;
    case "f64": view.setBigUint64(at, BigInt(v.value), true); break;
    case "v128": {
      for (let i = 0; i < 16; i++) view.setUint8(at + i, parseInt(v.value.slice(2 * i, 2 * i + 2), 16));
      break;
    }
    default: throw new Unsupported(`${v.type} where a number is expected`);
  }
}

function readValue(view, at, type) {
  switch (type.kind) {
    case "i32": return { type: "i32", value: String(view.getInt32(at, true)) };
    case "i64": return { type: "i64", value: String(view.getBigInt64(at, true)) };
    case "f32": return { type: "f32", value: String(view.getUint32(at, true)) };
    case "f64": return { type: "f64", value: String(view.getBigUint64(at, true)) };
    case "v128": {
      let hex = "";
      for (let i = 0; i < 16; i++) hex += view.getUint8(at + i).toString(16).padStart(2, "0");
      return { type: "v128", value: hex };
    }
  }
}

// ---------- the store ----------

class Store {
  constructor() {
    this.unshared = new Map(); // registered name -> export names left behind by `share`
    // A module V8 rejects for a feature it lacks (not among `features`) is
    // named as such by the harness, which validates the module itself.
    this.modules = new Map(); // id -> {module, sigs}
    this.instances = new Map(); // id -> {instance, sigs, wrappers}
    this.registered = new Map(); // name -> exports
    this.registered.set("spectest", spectest());
  }

  compile(id, bytes) {
    const module = new WebAssembly.Module(bytes);
    let sigs;
    try {
      sigs = wasm.signatures(bytes);
    } catch (e) {
      sigs = { error: e.message };
    }
    this.modules.set(id, { module, sigs });
  }

  instantiate(moduleId, id) {
    const { module, sigs } = this.get(this.modules, moduleId, "module");
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      const from = this.registered.get(imp.module);
      if (!from) throw new Link(`unknown import module "${imp.module}"`);
      if (this.unshared.get(imp.module)?.includes(imp.name)) throw notShared(`${imp.module}.${imp.name}`);
      if (!Object.prototype.hasOwnProperty.call(from, imp.name)) {
        throw new Link(`unknown import "${imp.module}" "${imp.name}"`);
      }
      (imports[imp.module] ??= {})[imp.name] = from[imp.name];
    }
    const instance = new WebAssembly.Instance(module, imports);
    this.instances.set(id, { instance, sigs, wrappers: new Map() });
  }

  register(name, id) {
    const inst = this.get(this.instances, id, "instance");
    this.registered.set(name, inst.instance.exports);
    this.unshared.set(name, inst.unshared ?? []);
  }

  /// What of instance `id` another thread's store can adopt: its shared
  /// memories, and the names of the exports that cannot cross.
  share(id) {
    const exports = this.get(this.instances, id, "instance").instance.exports;
    const memories = {}, unshared = [];
    for (const [name, x] of Object.entries(exports)) {
      if (x instanceof WebAssembly.Memory && x.buffer instanceof SharedArrayBuffer) memories[name] = x;
      else unshared.push(name);
    }
    return { memories, unshared };
  }

  /// Names `shared` (another store's `share`) instance `id` here.
  adopt(id, shared) {
    const sigs = { funcs: new Map(), globals: new Map() };
    this.instances.set(id, { instance: { exports: shared.memories }, sigs, wrappers: new Map(), unshared: shared.unshared });
  }

  invoke(id, exportName, args) {
    const inst = this.get(this.instances, id, "instance");
    if (inst.unshared?.includes(exportName)) throw notShared(`export "${exportName}"`);
    const func = inst.instance.exports[exportName];
    if (typeof func !== "function") throw new Other(`no exported function "${exportName}"`);
    const sig = inst.sigs.funcs?.get(exportName);
    if (!sig) throw new Other(`cannot read the signature of "${exportName}": ${inst.sigs.error ?? "not found"}`);
    if (sig.params.length !== args.length) {
      throw new Other(`"${exportName}" takes ${sig.params.length} arguments, got ${args.length}`);
    }
    const direct =
      sig.params.every(jsCarries) &&
      sig.results.every((t) => jsCarries(t) && t.kind !== "f32" && t.kind !== "f64") &&
      !args.some(isNaNBits);
    if (direct) {
      const out = func(...args.map((v, i) => toJs(v, sig.params[i])));
      const results = sig.results.length === 1 ? [out] : sig.results.length === 0 ? [] : [...out];
      return results.map((x, i) => fromJs(x, sig.results[i]));
    }
    return this.invokeWrapped(inst, exportName, func, sig, args);
  }

  invokeWrapped(inst, exportName, func, sig, args) {
    const wrapper = callWrapper(sig);
    let w = inst.wrappers.get(exportName);
    if (!w) {
      w = new WebAssembly.Instance(wrapper.module, { t: { f: func } }).exports;
      inst.wrappers.set(exportName, w);
    }
    const view = new DataView(w.mem.buffer);
    const refArgs = [];
    args.forEach((v, i) => {
      if (sig.params[i].kind === "ref") refArgs.push(toJs(v, sig.params[i]));
      else writeValue(view, wrapper.argAt[i], v);
    });
    const out = w.run(...refArgs);
    const refTypes = sig.results.filter((t) => t.kind === "ref");
    const refs = refTypes.length === 1 ? [out] : refTypes.length === 0 ? [] : [...out];
    let r = 0;
    return sig.results.map((t, i) =>
      t.kind === "ref" ? fromJs(refs[r++], t) : readValue(view, wrapper.resAt[i], t),
    );
  }

  getGlobal(id, exportName) {
    const inst = this.get(this.instances, id, "instance");
    if (inst.unshared?.includes(exportName)) throw notShared(`export "${exportName}"`);
    const global = inst.instance.exports[exportName];
    if (!(global instanceof WebAssembly.Global)) throw new Other(`no exported global "${exportName}"`);
    const type = inst.sigs.globals?.get(exportName);
    if (!type) throw new Other(`cannot read the type of "${exportName}": ${inst.sigs.error ?? "not found"}`);
    if (type.type.kind === "ref" || type.type.kind === "i32" || type.type.kind === "i64") {
      if (!jsCarries(type.type)) throw new Unsupported(`V8's JS API cannot read ${describe(type.type)}`);
      return fromJs(global.value, type.type);
    }
    const run = new WebAssembly.Instance(globalWrapper(type).module, { t: { g: global } }).exports;
    run.run();
    return readValue(new DataView(run.mem.buffer), 0, type.type);
  }

  readMemory(id, exportName, offset, length) {
    const memory = this.get(this.instances, id, "instance").instance.exports[exportName];
    if (!(memory instanceof WebAssembly.Memory)) throw new Other(`no exported memory "${exportName}"`);
    const bytes = new Uint8Array(memory.buffer);
    const start = Math.min(offset, bytes.length);
    const end = Math.min(start + length, bytes.length);
    return { bytes: Buffer.from(bytes.subarray(start, end)).toString("base64"), size: bytes.length };
  }

  get(map, id, what) {
    if (!map.has(id)) throw new Other(`no ${what} ${id}`);
    return map.get(id);
  }
}

class Link extends Error {}
class Other extends Error {}

/// `what` (an import or an export) stayed with another thread's store.
function notShared(what) {
  return new Unsupported(`${what} belongs to an instance on another thread; only shared memories cross threads`);
}

/// The `spectest` module, built in wasm so that its functions are typed
/// (an import of `print_i32` as another type fails to link, as the scripts
/// expect; a JS function would accept any type).
function spectest() {
  const le = (array, x) => { array[0] = x; return [...new Uint8Array(array.buffer)]; };
  const prints = [
    ["print", []], ["print_i32", [wasm.I32]], ["print_i64", [wasm.I64]],
    ["print_f32", [wasm.F32]], ["print_f64", [wasm.F64]],
    ["print_i32_f32", [wasm.I32, wasm.F32]], ["print_f64_f64", [wasm.F64, wasm.F64]],
  ];
  const globals = [
    ["global_i32", wasm.I32, [0x41, ...wasm.sleb(666)]],
    ["global_i64", wasm.I64, [0x42, ...wasm.sleb(666)]],
    ["global_f32", wasm.F32, [0x43, ...le(new Float32Array(1), 666.6)]],
    ["global_f64", wasm.F64, [0x44, ...le(new Float64Array(1), 666.6)]],
  ];
  const bytes = wasm.module(
    wasm.section(1, wasm.vec(prints.map(([, p]) => wasm.funcType(p, [])))),
    wasm.section(3, wasm.vec(prints.map((_, i) => [i]))),
    wasm.section(4, wasm.vec([[wasm.FUNCREF, 0x01, 10, 20]])),
    wasm.section(5, wasm.vec([[0x01, 1, 2]])),
    wasm.section(6, wasm.vec(globals.map(([, t, init]) => [t, 0x00, ...init, 0x0b]))),
    wasm.section(7, wasm.vec([
      ...prints.map(([n], i) => [...wasm.name(n), 0x00, i]),
      ...globals.map(([n], i) => [...wasm.name(n), 0x03, i]),
      [...wasm.name("table"), 0x01, 0],
      [...wasm.name("memory"), 0x02, 0],
    ])),
    wasm.section(10, wasm.vec(prints.map(() => wasm.body([], [])))),
  );
  const exports = { ...instantiate(bytes) };
  // Optional parts: present when this V8 can make them (V8 11.3 with
  // memory64 has 64-bit memories but not 64-bit tables).
  const optional = {
    table64: [wasm.section(4, wasm.vec([[wasm.FUNCREF, 0x05, 10, 20]])), 0x01],
    shared_memory: [wasm.section(5, wasm.vec([[0x03, 1, 2]])), 0x02],
  };
  for (const [name, [sec, kind]] of Object.entries(optional)) {
    const bytes = wasm.module(sec, wasm.section(7, wasm.vec([[...wasm.name(name), kind, 0]])));
    if (WebAssembly.validate(bytes)) exports[name] = instantiate(bytes)[name];
  }
  return exports;
}

function instantiate(bytes) {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
}

// ---------- errors ----------

/// The protocol's error kind for an exception thrown while doing `op`.
function errorKind(e, op) {
  if (e instanceof Unsupported) return "unsupported";
  if (e instanceof Link) return "link";
  if (e instanceof Other) return "other";
  if (e instanceof WebAssembly.CompileError) {
    // V8 decodes and validates in one pass and its messages do not say
    // which failed; the harness accepts either kind for either assertion.
    return "invalid";
  }
  if (e instanceof WebAssembly.LinkError) return "link";
  if (e instanceof WebAssembly.RuntimeError) return "trap";
  if (typeof WebAssembly.Exception === "function" && e instanceof WebAssembly.Exception) return "exception";
  if (e instanceof RangeError) {
    // "Maximum call stack size exceeded", or an allocation refused.
    return "exhaustion";
  }
  if (e instanceof TypeError && op === "instantiate") return "link";
  return "other";
}

// ---------- the protocol ----------
//
// The main thread only reads requests, passes each to the worker of its
// store and writes the answers as they come: it never runs wasm, so a call
// blocked in `memory.atomic.wait32` (or spinning until another store
// notifies) in one store never holds up the requests of another. The
// file's store (no `thread`) has a worker for the life of the process;
// each thread store gets one at its first `adopt`.

/// This worker's store.
let store = null;

/// A store's answer to `req` (in its worker).
function handle(req, shared) {
  switch (req.op) {
    case "new_store":
      store = new Store();
      return {};
    case "share":
      return { shared: need().share(req.instance) };
    case "adopt":
      if (!store) store = new Store();
      store.adopt(req.instance, shared);
      return {};
    case "compile":
      need().compile(req.module, new Uint8Array(Buffer.from(req.wasm, "base64")));
      return {};
    case "instantiate":
      need().instantiate(req.module, req.instance);
      return {};
    case "register":
      need().register(req.name, req.instance);
      return {};
    case "invoke":
      return { results: need().invoke(req.instance, req.export, req.args) };
    case "get_global":
      return { value: need().getGlobal(req.instance, req.export) };
    case "read_memory":
      return need().readMemory(req.instance, req.export, req.offset, req.length);
    default:
      throw new Unsupported(`operation "${req.op}"`);
  }
}

function need() {
  if (!store) throw new Other("no store: `new_store` first");
  return store;
}

/// The answer to `req`: `run`'s result, or the error it threw.
function answer(req, run) {
  try {
    return { id: req.id, ok: run() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { id: req.id, error: { kind: errorKind(e, req.op), message } };
  }
}

// ---------- the main thread: requests to stores' workers ----------

const FILE_STORE = 0;
const workers = new Map(); // store (thread number; 0: the file's) -> Worker
const sharedInstances = new Map(); // instance id -> what its `share` gave

function write(answer) {
  process.stdout.write(JSON.stringify(answer) + "\n");
}

function fail(req, error) {
  write(answer(req, () => { throw error; }));
}

function startWorker(thread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on("message", (a) => {
    // A `share`: what crosses is kept here, for a later `adopt`.
    if (a.ok?.shared) {
      sharedInstances.set(a.instance, a.ok.shared);
      a.ok = {};
    }
    delete a.instance;
    write(a);
  });
  worker.on("error", (e) => {
    process.stderr.write(`touchstone-v8: the worker of store ${thread} died: ${e.stack ?? e}\n`);
    process.exit(3);
  });
  workers.set(thread, worker);
  return worker;
}

function dispatch(req) {
  const thread = req.thread ?? FILE_STORE;
  switch (req.op) {
    case "hello":
      // The node flags are the harness's to report (it gave them).
      return write(answer(req, () => ({
        name: "v8",
        version: `${process.versions.v8} (node ${process.version})`,
        protocol: PROTOCOL,
        features,
        capabilities: has.has("threads") ? ["memory", "threads"] : ["memory"],
      })));
    case "new_store":
      // Ends the previous file's thread stores.
      for (const [t, w] of workers) {
        if (t !== FILE_STORE) {
          w.terminate();
          workers.delete(t);
        }
      }
      sharedInstances.clear();
      break;
    case "end_thread":
      workers.get(thread)?.terminate();
      workers.delete(thread);
      return write({ id: req.id, ok: {} });
    case "adopt": {
      const shared = sharedInstances.get(req.instance);
      if (!shared) return fail(req, new Other(`instance ${req.instance} was not shared`));
      return (workers.get(thread) ?? startWorker(thread)).postMessage({ req, shared });
    }
  }
  const worker = workers.get(thread) ?? (thread === FILE_STORE ? startWorker(thread) : null);
  if (!worker) return fail(req, new Other(`no store for thread ${thread}: \`adopt\` first`));
  worker.postMessage({ req });
}

function respond(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    process.stderr.write(`touchstone-v8: unreadable request: ${e.message}\n`);
    process.exit(2);
  }
  dispatch(req);
}

if (isMainThread) {
  createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })
    .on("line", (line) => line.trim() && respond(line))
    .on("close", () => process.exit(0));
} else {
  // A store's worker: requests come from the main thread, one at a time.
  parentPort.on("message", ({ req, shared }) => {
    const a = answer(req, () => handle(req, shared));
    if (req.op === "share") a.instance = req.instance;
    parentPort.postMessage(a);
  });
}
