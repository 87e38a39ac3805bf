// The `WebAssembly` namespace (WebAssembly JS API, https://webassembly.github.io/spec/js-api/)
// on touchstone-engine. Everything the spec defines in terms of JS values
// lives here: WebIDL conversions, brand checks, object caches, promises.
// The engine is reached through one native function (see native/mod.rs), which
// this script captures and then removes from the global object.
//
// Part 1 of 3: the three files are one closure (the namespace's private
// state: caches, brand maps, the engine function), split by concern to stay
// readable, and lib.rs evaluates them concatenated, in order. This part: the
// engine outcome, WebIDL conversions, values, engine references held by JS,
// memory buffers, and the error classes.
(function () {
  "use strict";
  const N = globalThis.__touchstone;
  delete globalThis.__touchstone;

  const ok = (r) => {
    if (r !== null && typeof r === "object" && "ok" in r) return r.ok;
    fail(r);
  };
  function fail(r) {
    if ("trap" in r) throw new RuntimeError(r.trap);
    if ("link" in r) throw new LinkError(r.link);
    if ("compile" in r) throw new CompileError(r.compile);
    if ("range" in r) throw new RangeError(r.range);
    if ("type" in r) throw new TypeError(r.type);
    if ("exn" in r) throw exceptionObject(r.exn);
    if ("js" in r) throw externs[r.js];
    throw new TypeError("unexpected engine outcome");
  }

  // ---- WebIDL helpers -------------------------------------------------
  function isObject(v) {
    return (typeof v === "object" && v !== null) || typeof v === "function";
  }
  function enforceRange(v, max, what) {
    const x = +v;
    if (!Number.isFinite(x)) throw new TypeError(`${what} must be a finite number`);
    const t = Math.trunc(x);
    if (t < 0 || t > max) throw new TypeError(`${what} is out of range`);
    return t;
  }
  const U32 = 0xffffffff;
  // `[EnforceRange] unsigned long` or, for 64-bit address types, a BigInt
  // or number up to 2^53 (AddressValue).
  function addressValue(v, address, what) {
    if (address === "i64") {
      if (typeof v === "bigint") {
        if (v < 0n || v > 0xffffffffffffffffn) throw new TypeError(`${what} is out of range`);
        return Number(v);
      }
      return enforceRange(v, Number.MAX_SAFE_INTEGER, what);
    }
    return enforceRange(v, U32, what);
  }
  // WebIDL sequence<any> from an iterable, with the spec's observable steps.
  function iterate(v) {
    if (!isObject(v)) throw new TypeError("expected an iterable object");
    const method = v[Symbol.iterator];
    if (typeof method !== "function") throw new TypeError("expected an iterable object");
    const it = Reflect.apply(method, v, []);
    if (!isObject(it)) throw new TypeError("the iterator is not an object");
    const next = it.next;
    const values = [];
    for (;;) {
      const r = Reflect.apply(next, it, []);
      if (!isObject(r)) throw new TypeError("the iterator result is not an object");
      if (r.done) return values;
      values.push(r.value);
    }
  }
  // USVString: lone surrogates become U+FFFD.
  function usvString(v) {
    return String(v).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  }
  function bufferBytes(bytes) {
    if (bytes instanceof ArrayBuffer || isSharedArrayBuffer(bytes)) return new Uint8Array(bytes.slice(0));
    if (ArrayBuffer.isView(bytes)) {
      return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    throw new TypeError("first argument must be an ArrayBuffer or typed array object");
  }
  // The same bytes without a copy, for synchronous compiles that read no
  // options (nothing can run between the call and the compile, so the copy
  // the spec takes is unobservable; a 1 GiB module is not copied).
  function bytesView(bytes, options) {
    if (options !== undefined) return bufferBytes(bytes);
    if (isSharedArrayBuffer(bytes) || (bytes instanceof ArrayBuffer && !bytes.detached)) {
      return new Uint8Array(bytes);
    }
    if (ArrayBuffer.isView(bytes) && !bytes.buffer.detached) {
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return bufferBytes(bytes);
  }
  function isSharedArrayBuffer(v) {
    return typeof SharedArrayBuffer === "function" && v instanceof SharedArrayBuffer;
  }
  const define = (o, k, v, enumerable = true) =>
    Object.defineProperty(o, k, { value: v, writable: true, enumerable, configurable: true });
  function methods(proto, ms) {
    for (const [name, fn] of Object.entries(ms)) {
      Object.defineProperty(fn, "name", { value: name, configurable: true });
      define(proto, name, fn);
    }
  }
  function getter(proto, name, get, set) {
    Object.defineProperty(get, "name", { value: "get " + name, configurable: true });
    if (set) Object.defineProperty(set, "name", { value: "set " + name, configurable: true });
    Object.defineProperty(proto, name, { get, set, enumerable: true, configurable: true });
  }
  function tag(proto, name) {
    Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true });
  }
  function brand(map, self, what) {
    const v = map.get(self);
    if (v === undefined) throw new TypeError(`not a ${what}`);
    return v;
  }

  // ---- values ---------------------------------------------------------
  // externref values: wasm holds an index into this table.
  const externs = [];
  const externIds = new Map();
  function externId(v) {
    let id = externIds.get(v);
    if (id === undefined) {
      id = externs.length;
      externs.push(v);
      externIds.set(v, id);
    }
    return id;
  }
  const nullable = (t) => !t.startsWith("(ref ");
  const heapOf = (t) => (t.startsWith("(ref ") ? t.slice(5, -1) : t.replace(/ref$/, ""));

  // ---- engine references held by JS ---------------------------------
  // A GC object's proxy and a WebAssembly.Exception keep the raw form they
  // were made from, whose `hold` pins the engine object (native/holds.rs);
  // the pin is released when QuickJS frees the wrapper. The cache that
  // gives one wrapper per reference holds it strongly while wasm might
  // hand the reference back (a new wrapper would break identity), and
  // weakly once the engine says only JS holds it (`hostOnly`), so JS's own
  // collector can free it. Wasm can then get it only from JS: a wrapper
  // passed back into the engine is held strongly again until the next check.
  function wrapperCache() {
    const strong = new Map(), weak = new Map(); // key -> wrapper / WeakRef
    let swept = 0;
    return {
      get(key) {
        const o = strong.get(key);
        return o !== undefined ? o : weak.get(key)?.deref();
      },
      add(key, o) {
        weak.delete(key);
        strong.set(key, o);
        checkHeld();
      },
      strengthen(key) {
        const w = weak.get(key);
        if (w === undefined) return;
        weak.delete(key);
        const o = w.deref();
        if (o !== undefined) strong.set(key, o);
      },
      weaken(key) {
        const o = strong.get(key);
        if (o === undefined) return;
        strong.delete(key);
        weak.set(key, new WeakRef(o));
      },
      // Drops entries of freed wrappers, when there are many more than
      // after the last sweep (so sweeping stays linear overall).
      sweep() {
        if (weak.size < 2 * swept + 256) return;
        for (const [k, w] of weak) if (w.deref() === undefined) weak.delete(k);
        swept = weak.size;
      },
      get strongSize() { return strong.size; },
    };
  }
  const gcWrappers = wrapperCache(); // "struct:n" / "array:n" -> proxy
  const exnWrappers = wrapperCache(); // exception address -> Exception
  // A check walks the engine's heap (its arena slots): it runs once the
  // strongly held wrappers grew by as many as there were, or by 1/32 of
  // the arena, whichever is more, so each new wrapper pays for a few slots
  // and at most a few percent of the arena waits for a check.
  let nextCheck = 256;
  function checkHeld() {
    if (gcWrappers.strongSize + exnWrappers.strongSize < nextCheck) return;
    const r = N("hostOnly");
    let slots = 0;
    if (r !== null) {
      for (const k of r.gc) gcWrappers.weaken(k);
      for (const k of r.exn) exnWrappers.weaken(k);
      slots = r.slots;
    }
    gcWrappers.sweep();
    exnWrappers.sweep();
    const strong = gcWrappers.strongSize + exnWrappers.strongSize;
    nextCheck = strong + Math.max(256, strong, slots / 32);
  }

  // GC objects reach JS as opaque objects: no prototype, no properties,
  // and every attempt to change them is a TypeError. One per reference.
  const gcRaw = new WeakMap(); // object -> raw (its hold included)
  const gcKey = (raw) => ("struct" in raw ? "struct:" + raw.struct : "array:" + raw.array);
  const refuse = () => {
    throw new TypeError("WebAssembly GC objects are immutable from JS");
  };
  const gcHandler = {
    get: () => undefined,
    set: refuse,
    has: () => false,
    deleteProperty: refuse,
    defineProperty: refuse,
    setPrototypeOf: refuse,
    preventExtensions: () => false,
    ownKeys: () => [],
    getOwnPropertyDescriptor: () => undefined,
  };
  function gcObject(raw) {
    const key = gcKey(raw);
    let o = gcWrappers.get(key);
    if (!o) {
      const target = Object.preventExtensions(Object.create(null));
      o = new Proxy(target, gcHandler);
      gcRaw.set(o, raw);
      gcWrappers.add(key, o);
    }
    // A duplicate hand-out's `raw` (and its pin) is dropped here.
    return o;
  }
  const isI31 = (v) => typeof v === "number" && Number.isInteger(v) && !Object.is(v, -0) &&
    v >= -(2 ** 30) && v < 2 ** 30;

  function toWasm(v, t) {
    switch (t) {
      case "i32": return +v | 0;
      case "i64": return BigInt.asIntN(64, v);
      case "f32": return Math.fround(+v);
      case "f64": return +v;
      case "v128": throw new TypeError("v128 values cannot cross to JS");
    }
    const heap = heapOf(t);
    if (v === null) {
      if (!nullable(t)) throw new TypeError(`null is not a ${t}`);
      return null;
    }
    const gc = gcRaw.get(v);
    // Wasm may keep it now: its wrapper must stay while wasm can hand it back.
    if (gc) gcWrappers.strengthen(gcKey(gc));
    switch (heap) {
      case "extern":
        return gc ?? externId(v);
      case "func": case "nofunc": {
        const id = funcIds.get(v);
        if (id === undefined || heap === "nofunc") throw new TypeError("not a wasm function");
        return id;
      }
      case "concrete": {
        if (gc) return gc;
        const id = funcIds.get(v);
        if (id === undefined) throw new TypeError(`cannot convert to ${t}`);
        return id;
      }
      case "any": case "eq":
        if (gc) return gc;
        if (isI31(v)) return { i31: v };
        if (heap === "any") return externId(v);
        throw new TypeError(`cannot convert to ${t}`);
      case "i31":
        if (isI31(v)) return { i31: v };
        throw new TypeError(`cannot convert to ${t}`);
      case "struct": case "array":
        if (gc && heap in gc) return gc;
        throw new TypeError(`cannot convert to ${t}`);
      default: throw new TypeError(`cannot convert to ${t}`);
    }
  }
  function toJS(r, t) {
    switch (t) {
      case "i32": case "i64": case "f32": case "f64": return r;
      case "v128": throw new TypeError("v128 values cannot cross to JS");
    }
    if (r === null) return null;
    const heap = heapOf(t);
    if (heap === "exn" || heap === "noexn") throw new TypeError("exnref values cannot cross to JS");
    if (typeof r === "object") return "i31" in r ? r.i31 : gcObject(r);
    if (heap === "func" || heap === "concrete") return exportedFunction(r);
    return externs[r];
  }
  function defaultValue(t) {
    switch (t) {
      case "i32": case "f32": case "f64": return 0;
      case "i64": return 0n;
    }
    return heapOf(t) === "extern" ? externId(undefined) : null;
  }
  const valueTypes = ["i32", "i64", "f32", "f64", "v128", "externref", "anyfunc", "funcref",
    "anyref", "eqref", "i31ref", "structref", "arrayref", "exnref"];
  function valueType(v) {
    const s = String(v);
    if (!valueTypes.includes(s)) throw new TypeError(`invalid value type ${s}`);
    return s === "anyfunc" ? "funcref" : s;
  }

  // ---- memories: buffers alias the engine's bytes ------------------------
  // A shared memory's buffer is a frozen SharedArrayBuffer of the size the
  // memory had when it was made: growth makes a new one and never detaches
  // (the bytes never move).
  const liveBuffers = new Map(); // memory id -> { buffer, key, shared }
  function refreshBuffers(force) {
    for (const [id, b] of liveBuffers) {
      if (force === id || N("memKey", id) !== b.key) {
        if (!b.shared) N("detach", b.buffer);
        liveBuffers.delete(id);
      }
    }
  }
  // Any call into the engine may run wasm that grows a memory.
  function engine(...args) {
    try {
      return N(...args);
    } finally {
      refreshBuffers();
    }
  }

  // ---- errors ----------------------------------------------------------
  function errorClass(name) {
    const C = function (message, options) {
      if (new.target === undefined) return Reflect.construct(C, arguments);
      return Reflect.construct(Error, arguments, new.target);
    };
    Object.defineProperty(C, "name", { value: name, configurable: true });
    Object.defineProperty(C, "length", { value: 1, configurable: true });
    Object.setPrototypeOf(C, Error);
    const proto = Object.create(Error.prototype);
    define(proto, "constructor", C, false);
    define(proto, "name", name, false);
    define(proto, "message", "", false);
    Object.defineProperty(C, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
    return C;
  }
  const CompileError = errorClass("CompileError");
  const LinkError = errorClass("LinkError");
  const RuntimeError = errorClass("RuntimeError");

