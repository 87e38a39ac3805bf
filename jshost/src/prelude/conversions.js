// The `WebAssembly` namespace (WebAssembly JS API, https://webassembly.github.io/spec/js-api/)
// on touchstone-engine. Everything the spec defines in terms of JS values
// lives here: WebIDL conversions, brand checks, object caches, promises.
// The engine is reached through one native function (see native.rs), which
// this script captures and then removes from the global object.
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

  // ---- interfaces ------------------------------------------------------
  function iface(C, name, length) {
    Object.defineProperty(C, "length", { value: length, configurable: true });
    tag(C.prototype, "WebAssembly." + name);
    return C;
  }

  // ---- JS String Builtins (compile options) -------------------------------
  // `builtins: ["js-string"]` provides the imports of "wasm:js-string";
  // `importedStringConstants: ns` makes every global import of module `ns`
  // a string constant named by its field. Both are decided at compile
  // time and hidden from `Module.imports`.
  let stringArrays;
  const arrays = () => (stringArrays ??= new Instance(new Module(N("stringArrayHelper"))).exports);
  const trap = () => {
    throw new RuntimeError("illegal cast");
  };
  const str = (s) => (typeof s === "string" ? s : trap());
  // A: the builtins' `(ref null (array (mut i16)))`, as exactImportTypes names it.
  const E = "externref", RE = "(ref extern)", I = "i32", A = "i16arrayref";
  const jsStringBuiltins = {
    test: [[E], [I], (s) => (typeof s === "string" ? 1 : 0)],
    cast: [[E], [RE], (s) => str(s)],
    fromCharCodeArray: [[A, I, I], [RE], (array, start, count) => {
      start >>>= 0; count >>>= 0;
      if (array === null) trap();
      if (start + count > arrays().len(array)) trap();
      let out = "";
      for (let i = start; i < start + count; i++) out += String.fromCharCode(arrays().get(array, i));
      return out;
    }],
    intoCharCodeArray: [[E, A, I], [I], (s, array, start) => {
      start >>>= 0;
      str(s);
      if (array === null) trap();
      if (start + s.length > arrays().len(array)) trap();
      for (let i = 0; i < s.length; i++) arrays().set(array, start + i, s.charCodeAt(i));
      return s.length;
    }],
    fromCharCode: [[I], [RE], (c) => String.fromCharCode(c >>> 0)],
    fromCodePoint: [[I], [RE], (c) => {
      c >>>= 0;
      if (c > 0x10ffff) trap();
      return String.fromCodePoint(c);
    }],
    charCodeAt: [[E, I], [I], (s, i) => {
      i >>>= 0;
      if (i >= str(s).length) trap();
      return s.charCodeAt(i);
    }],
    codePointAt: [[E, I], [I], (s, i) => {
      i >>>= 0;
      if (i >= str(s).length) trap();
      return s.codePointAt(i);
    }],
    length: [[E], [I], (s) => str(s).length],
    concat: [[E, E], [RE], (a, b) => str(a) + str(b)],
    substring: [[E, I, I], [RE], (s, start, end) => {
      start >>>= 0; end >>>= 0;
      str(s);
      if (start > s.length || start > end) return "";
      return s.substring(start, end);
    }],
    equals: [[E, E], [I], (a, b) => {
      if (a !== null) str(a);
      if (b !== null) str(b);
      return a === b ? 1 : 0;
    }],
    compare: [[E, E], [I], (a, b) => {
      str(a); str(b);
      return a < b ? -1 : a > b ? 1 : 0;
    }],
  };
  const sameTypes = (have, want) => have.length === want.length && have.every((t, i) => t === want[i]);
  function compileOptions(options) {
    if (options === undefined || options === null) return { builtins: [], constants: undefined };
    if (!isObject(options)) throw new TypeError("compile options must be an object");
    const b = options.builtins;
    const builtins = b === undefined ? [] : iterate(b).map(String);
    const c = options.importedStringConstants;
    const constants = c === undefined ? undefined : usvString(c);
    return { builtins, constants };
  }
  // What each import of a module compiled with `options` is bound to at
  // compile time: a builtin, a string constant, or nothing (read from the
  // import object). Throws CompileError for a mismatch. A builtin's type
  // must be exactly the builtin's (isorecursive identity: alone in its
  // recursion group, final), which the native side reads from `bytes`.
  function compileTimeImports(id, options, bytes) {
    const useStrings = options.builtins.includes("js-string");
    const exact = useStrings ? N("exactImportTypes", bytes) : [];
    return N("imports", id).map(({ module, name, kind, type }, i) => {
      if (useStrings && module === "wasm:js-string") {
        const b = Object.hasOwn(jsStringBuiltins, name) ? jsStringBuiltins[name] : undefined;
        const e = exact[i];
        if (kind !== "function" || !b || !e || !sameTypes(e[0], b[0]) || !sameTypes(e[1], b[1])) {
          throw new CompileError(`import wasm:js-string.${name} does not match the builtin`);
        }
        return { builtin: b[2] };
      }
      if (options.constants !== undefined && module === options.constants) {
        if (kind !== "global" || type.mutable || (type.value !== E && type.value !== RE)) {
          throw new CompileError(`imported string constant ${name} must be an immutable externref global`);
        }
        return { constant: name };
      }
      return null;
    });
  }

  // Module
  // A native module id is a handle object owning the engine's module; it
  // is freed with the last Module object that refers to it.
  const modules = new WeakMap(); // Module -> native module id
  const compiledImports = new WeakMap(); // native module id -> compileTimeImports
  // The JS API's implementation limit on module size (the other limits of
  // its list are wasmparser's, enforced while decoding).
  const maxModuleSize = 1024 * 1024 * 1024;
  function compileSync(bytes, options = { builtins: [], constants: undefined }) {
    if (bytes.byteLength > maxModuleSize) throw new CompileError("the module is larger than 1 GiB");
    const id = ok(N("compile", bytes));
    compiledImports.set(id, compileTimeImports(id, options, bytes));
    return id;
  }
  function newModule(id) {
    const m = Object.create(Module.prototype);
    modules.set(m, id);
    return m;
  }
  class Module {
    constructor(bytes, options) {
      if (arguments.length < 1) throw new TypeError("Module requires a buffer source");
      const view = bytesView(bytes, options);
      modules.set(this, compileSync(view, compileOptions(options)));
    }
  }
  iface(Module, "Module", 1);
  const moduleStatics = {
    exports(m) {
      const id = brand(modules, m, "WebAssembly.Module");
      return N("exports", id).map(({ name, kind }) => ({ name, kind }));
    },
    imports(m) {
      const id = brand(modules, m, "WebAssembly.Module");
      const bound = compiledImports.get(id);
      return N("imports", id)
        .filter((_, i) => !bound[i])
        .map(({ module, name, kind }) => ({ module, name, kind }));
    },
    customSections(m, name) {
      const id = brand(modules, m, "WebAssembly.Module");
      if (arguments.length < 2) throw new TypeError("customSections requires a section name");
      const wanted = String(name);
      // Only names that are section names reach the engine (as UTF-8).
      return N("customSectionNames", id).includes(wanted) ? N("customSections", id, wanted) : [];
    },
  };
  methods(Module, moduleStatics);

  // Exported functions: one function object per function address.
  const funcObjects = new Map(); // extern id -> function
  const funcIds = new WeakMap(); // function -> extern id
  function exportedFunction(id, index) {
    let f = funcObjects.get(id);
    if (f) return f;
    const type = N("funcType", id);
    const call = (args) => {
      const params = type.parameters, results = type.results;
      if (params.includes("v128") || results.includes("v128")) {
        throw new TypeError("v128 values cannot cross to JS");
      }
      const raw = params.map((t, i) => toWasm(args[i], t));
      const out = ok(engine("call", id, raw));
      if (results.length === 0) return undefined;
      if (results.length === 1) return toJS(out[0], results[0]);
      return out.map((r, i) => toJS(r, results[i]));
    };
    // An arrow function: callable, not a constructor, no `prototype`.
    f = (...args) => call(args);
    Object.defineProperty(f, "length", { value: type.parameters.length, configurable: true });
    Object.defineProperty(f, "name", { value: String(index ?? id), configurable: true });
    funcObjects.set(id, f);
    funcIds.set(f, id);
    return f;
  }

  // JS functions imported by wasm: the native side calls `trampoline`.
  const hostFuncs = [];
  N("setTrampoline", (index, rawArgs) => {
    refreshBuffers();
    const { fn, type } = hostFuncs[index];
    try {
      const args = rawArgs.map((r, i) => toJS(r, type.parameters[i]));
      const ret = Reflect.apply(fn, undefined, args);
      const results = type.results;
      if (results.length === 0) return { ok: [] };
      if (results.length === 1) return { ok: [toWasm(ret, results[0])] };
      const values = iterate(ret);
      if (values.length !== results.length) throw new TypeError("wrong number of results");
      return { ok: values.map((v, i) => toWasm(v, results[i])) };
    } catch (e) {
      const exn = exceptions.get(e);
      if (exn !== undefined) {
        exnWrappers.strengthen(exn.exn);
        return { exn: exn.exn };
      }
      return { js: externId(e) };
    }
  });

  // Extern objects (memories, tables, globals, tags): one per address.
  const externObjects = new Map(); // extern id -> object
  function externObject(id, kind, make) {
    let o = externObjects.get(id);
    if (!o) {
      o = make();
      externObjects.set(id, o);
    }
    return o;
  }
  function wrap(Class, map, id) {
    return externObject(id, Class.name, () => {
      const o = Object.create(Class.prototype);
      map.set(o, id);
      return o;
    });
  }

  // Instance
  const instanceExports = new WeakMap();
  function readImports(moduleId, importObject) {
    const imports = N("imports", moduleId);
    const bound = compiledImports.get(moduleId) ?? [];
    if (imports.some((_, i) => !bound[i]) && importObject === undefined) {
      throw new TypeError("imports needed but no import object given");
    }
    if (importObject !== undefined && !isObject(importObject)) {
      throw new TypeError("the import object must be an object");
    }
    return imports.map(({ module, name, kind, type }, i) => {
      if (bound[i]?.builtin) {
        hostFuncs.push({ fn: bound[i].builtin, type });
        return N("hostFunc", moduleId, i, hostFuncs.length - 1);
      }
      if (bound[i]) return ok(N("globalNew", type.value, false, externId(bound[i].constant)));
      const o = importObject[module];
      if (!isObject(o)) throw new TypeError(`import module ${module} is not an object`);
      const v = o[name];
      switch (kind) {
        case "function": {
          if (typeof v !== "function") throw new LinkError(`import ${module}.${name} is not a function`);
          const id = funcIds.get(v);
          if (id !== undefined) return id;
          hostFuncs.push({ fn: v, type });
          return N("hostFunc", moduleId, i, hostFuncs.length - 1);
        }
        case "global": {
          const g = globals.get(v);
          if (g !== undefined) return g;
          const t = type.value;
          if (t === "v128") throw new LinkError(`import ${module}.${name}: v128 global`);
          if (t === "i64" && typeof v !== "bigint") throw new LinkError(`import ${module}.${name} must be a BigInt`);
          if ((t === "i32" || t === "f32" || t === "f64") && typeof v !== "number") {
            throw new LinkError(`import ${module}.${name} must be a number`);
          }
          if (type.mutable) throw new LinkError(`import ${module}.${name} must be a WebAssembly.Global`);
          return ok(N("globalNew", t, false, toWasm(v, t)));
        }
        case "memory": {
          const m = memories.get(v);
          if (m === undefined) throw new LinkError(`import ${module}.${name} is not a WebAssembly.Memory`);
          return m;
        }
        case "table": {
          const t = tables.get(v);
          if (t === undefined) throw new LinkError(`import ${module}.${name} is not a WebAssembly.Table`);
          return t;
        }
        case "tag": {
          const t = tags.get(v);
          if (t === undefined) throw new LinkError(`import ${module}.${name} is not a WebAssembly.Tag`);
          return t;
        }
      }
    });
  }
  function instantiateSync(moduleId, importObject) {
    return instantiateWith(moduleId, readImports(moduleId, importObject));
  }
  function instantiateWith(moduleId, externIds) {
    const exportIds = ok(engine("instantiate", moduleId, externIds));
    const exports = Object.create(null);
    N("exports", moduleId).forEach(({ name, kind, index }, i) => {
      const id = exportIds[i];
      let v;
      switch (kind) {
        case "function": v = exportedFunction(id, index); break;
        case "memory": v = wrap(Memory, memories, id); break;
        case "table": v = wrap(Table, tables, id); break;
        case "global": v = wrap(Global, globals, id); break;
        case "tag": v = wrap(Tag, tags, id); break;
      }
      Object.defineProperty(exports, name, { value: v, writable: true, enumerable: true, configurable: true });
    });
    Object.freeze(exports);
    const instance = Object.create(Instance.prototype);
    instanceExports.set(instance, exports);
    return instance;
  }
  class Instance {
    constructor(module, importObject) {
      const id = brand(modules, module, "WebAssembly.Module");
      const made = instantiateSync(id, importObject);
      instanceExports.set(this, instanceExports.get(made));
    }
  }
  iface(Instance, "Instance", 1);
  getter(Instance.prototype, "exports", function () {
    return brand(instanceExports, this, "WebAssembly.Instance");
  });

  // The limits members of a MemoryDescriptor / TableDescriptor, each read
  // and converted in turn (the order is observable).
  function limitsDescriptor(descriptor) {
    const addrRaw = descriptor.address;
    const address = addrRaw === undefined ? "i32" : String(addrRaw);
    if (address !== "i32" && address !== "i64") throw new TypeError("invalid address type");
    const initialRaw = descriptor.initial;
    const initialValue = initialRaw === undefined ? undefined : addressValue(initialRaw, address, "initial");
    const maximumRaw = descriptor.maximum;
    const maximum = maximumRaw === undefined ? undefined : addressValue(maximumRaw, address, "maximum");
    let initial = initialValue;
    if (initial === undefined) {
      const minimumRaw = descriptor.minimum;
      if (minimumRaw === undefined) throw new TypeError("initial is required");
      initial = addressValue(minimumRaw, address, "minimum");
    }
    return { address, initial, maximum };
  }

  // Memory
  const memories = new WeakMap();
  class Memory {
    constructor(descriptor) {
      if (!isObject(descriptor)) throw new TypeError("Memory descriptor must be an object");
      const { address, initial, maximum } = limitsDescriptor(descriptor);
      const shared = !!descriptor.shared;
      const limit = address === "i64" ? 2 ** 48 : 65536;
      if (initial > limit) throw new RangeError("initial is too large");
      if (maximum !== undefined && (maximum > limit || maximum < initial)) {
        throw new RangeError("maximum is out of range");
      }
      if (shared && maximum === undefined) throw new TypeError("a shared memory needs a maximum");
      const id = ok(N("memNew", initial, maximum, address === "i64", shared));
      memories.set(this, id);
      externObjects.set(id, this);
    }
  }
  iface(Memory, "Memory", 1);
  methods(Memory.prototype, {
    grow(delta) {
      const id = brand(memories, this, "WebAssembly.Memory");
      const type = N("memType", id);
      const d = addressValue(delta, type.address, "delta");
      const old = N("memGrow", id, d);
      if (old < 0) throw new RangeError("failed to grow memory");
      refreshBuffers(id);
      return type.address === "i64" ? BigInt(old) : old;
    },
  });
  getter(Memory.prototype, "buffer", function () {
    const id = brand(memories, this, "WebAssembly.Memory");
    let b = liveBuffers.get(id);
    if (b === undefined || N("memKey", id) !== b.key) {
      if (b !== undefined && !b.shared) N("detach", b.buffer);
      const buffer = N("memBuffer", id);
      const shared = isSharedArrayBuffer(buffer);
      if (shared) Object.freeze(buffer);
      b = { buffer, key: N("memKey", id), shared };
      liveBuffers.set(id, b);
    }
    return b.buffer;
  });

  // Table
  const tables = new WeakMap();
  const elementTypes = ["anyfunc", "funcref", "externref", "anyref", "eqref", "i31ref",
    "structref", "arrayref", "exnref"];
  class Table {
    constructor(descriptor, value) {
      if (!isObject(descriptor)) throw new TypeError("Table descriptor must be an object");
      let element = String(descriptor.element);
      if (!elementTypes.includes(element)) throw new TypeError(`invalid element type ${element}`);
      if (element === "anyfunc") element = "funcref";
      const { address, initial, maximum } = limitsDescriptor(descriptor);
      if (maximum !== undefined && maximum < initial) throw new RangeError("maximum is below initial");
      if (initial > 10000000) throw new RangeError("initial is too large");
      const init = arguments.length < 2 ? defaultValue(element) : toWasm(value, element);
      const id = ok(N("tableNew", element, initial, maximum, address === "i64", init));
      tables.set(this, id);
      externObjects.set(id, this);
    }
  }
  iface(Table, "Table", 1);
  const tableIndex = (id, v, what) => addressValue(v, N("tableType", id).address, what);
  methods(Table.prototype, {
    grow(delta, value) {
      const id = brand(tables, this, "WebAssembly.Table");
      const type = N("tableType", id);
      const d = addressValue(delta, type.address, "delta");
      const init = arguments.length < 2 ? defaultValue(type.element) : toWasm(value, type.element);
      const old = ok(N("tableGrow", id, d, init));
      return type.address === "i64" ? BigInt(old) : old;
    },
    get(index) {
      const id = brand(tables, this, "WebAssembly.Table");
      const i = tableIndex(id, index, "index");
      return toJS(ok(N("tableGet", id, i)), N("tableType", id).element);
    },
    set(index, value) {
      const id = brand(tables, this, "WebAssembly.Table");
      const type = N("tableType", id);
      const i = addressValue(index, type.address, "index");
      const v = arguments.length < 2 ? defaultValue(type.element) : toWasm(value, type.element);
      ok(N("tableSet", id, i, v));
    },
  });
  getter(Table.prototype, "length", function () {
    const id = brand(tables, this, "WebAssembly.Table");
    const type = N("tableType", id);
    return type.address === "i64" ? BigInt(type.minimum) : type.minimum;
  });

  // Global
  const globals = new WeakMap();
  class Global {
    constructor(descriptor, v) {
      if (!isObject(descriptor)) throw new TypeError("Global descriptor must be an object");
      const mutable = !!descriptor.mutable;
      const type = valueType(descriptor.value);
      if (type === "v128") throw new TypeError("v128 globals cannot be created from JS");
      const value = v === undefined ? defaultValue(type) : toWasm(v, type);
      const id = ok(N("globalNew", type, mutable, value));
      globals.set(this, id);
      externObjects.set(id, this);
    }
  }
  iface(Global, "Global", 1);
  const globalValue = (self) => {
    const id = brand(globals, self, "WebAssembly.Global");
    const t = N("globalType", id).value;
    if (t === "v128") throw new TypeError("v128 values cannot cross to JS");
    return toJS(N("globalGet", id), t);
  };
  methods(Global.prototype, {
    valueOf() {
      return globalValue(this);
    },
  });
  getter(Global.prototype, "value", function () {
    return globalValue(this);
  }, function (v) {
    const id = brand(globals, this, "WebAssembly.Global");
    const type = N("globalType", id);
    if (!type.mutable) throw new TypeError("the global is immutable");
    if (type.value === "v128") throw new TypeError("v128 values cannot cross to JS");
    ok(N("globalSet", id, toWasm(v, type.value)));
  });

  // Tag
  const tags = new WeakMap();
  class Tag {
    constructor(type) {
      if (!isObject(type)) throw new TypeError("Tag type must be an object");
      const params = type.parameters;
      if (!isObject(params) || typeof params[Symbol.iterator] !== "function") {
        throw new TypeError("parameters must be a sequence");
      }
      const names = [...params].map(valueType);
      const id = ok(N("tagNew", names));
      tags.set(this, id);
      externObjects.set(id, this);
    }
  }
  iface(Tag, "Tag", 1);
  const jsTagId = N("jsTag");
  const JSTag = wrap(Tag, tags, jsTagId);

  // Exception
  const exceptions = new WeakMap(); // Exception -> raw {exn: address, hold}
  function exceptionObject(raw) {
    let e = exnWrappers.get(raw.exn);
    if (!e) {
      e = Object.create(Exception.prototype);
      exceptions.set(e, raw);
      exnWrappers.add(raw.exn, e);
    }
    return e;
  }
  class Exception {
    constructor(exceptionTag, payload, options) {
      const tagId = brand(tags, exceptionTag, "WebAssembly.Tag");
      if (!isObject(payload) || typeof payload[Symbol.iterator] !== "function") {
        throw new TypeError("payload must be a sequence");
      }
      const values = [...payload];
      if (options !== undefined && options !== null && !isObject(options)) {
        throw new TypeError("options must be an object");
      }
      const traceStack = isObject(options) ? !!options.traceStack : false;
      if (tagId === jsTagId) throw new TypeError("cannot create an exception with WebAssembly.JSTag");
      const params = N("tagType", tagId).parameters;
      if (values.length !== params.length) throw new TypeError("payload length does not match the tag");
      const args = values.map((v, i) => toWasm(v, params[i]));
      const raw = ok(N("exnNew", tagId, args));
      exceptions.set(this, raw);
      exnWrappers.add(raw.exn, this);
      if (traceStack) {
        define(this, "stack", new Error().stack ?? "", false);
      }
    }
  }
  iface(Exception, "Exception", 2);
  methods(Exception.prototype, {
    getArg(exceptionTag, index) {
      const addr = brand(exceptions, this, "WebAssembly.Exception").exn;
      const tagId = brand(tags, exceptionTag, "WebAssembly.Tag");
      const i = enforceRange(index, U32, "index");
      if (N("exnTag", addr) !== tagId) throw new TypeError("the exception has another tag");
      const params = N("tagType", tagId).parameters;
      if (i >= params.length) throw new RangeError("index out of range");
      return toJS(N("exnPayload", addr)[i], params[i]);
    },
    is(exceptionTag) {
      const addr = brand(exceptions, this, "WebAssembly.Exception").exn;
      const tagId = brand(tags, exceptionTag, "WebAssembly.Tag");
      return N("exnTag", addr) === tagId;
    },
  });

  // ---- namespace functions ------------------------------------------------
  function validate(bytes, options) {
    const view = bytesView(bytes, options);
    const opts = compileOptions(options);
    if (view.byteLength > maxModuleSize) return false;
    const r = N("compile", view);
    // A module the engine cannot run yet is still valid.
    if (!("ok" in r)) return N("validate", view);
    try {
      compileTimeImports(r.ok, opts, view);
      return true;
    } catch (e) {
      if (e instanceof CompileError) return false;
      throw e;
    }
  }
  function compile(bytes, options) {
    return new Promise((resolve) => {
      const copy = bufferBytes(bytes);
      const opts = compileOptions(options);
      resolve(Promise.resolve().then(() => newModule(compileSync(copy, opts))));
    });
  }
  function instantiate(source, importObject, options) {
    return new Promise((resolve) => {
      if (modules.has(source)) {
        if (importObject !== undefined && !isObject(importObject)) {
          throw new TypeError("the import object must be an object");
        }
        // The imports are read at once; instantiation runs in a later job.
        const id = modules.get(source);
        const externIds = readImports(id, importObject);
        resolve(Promise.resolve().then(() => instantiateWith(id, externIds)));
        return;
      }
      const copy = bufferBytes(source);
      if (importObject !== undefined && !isObject(importObject)) {
        throw new TypeError("the import object must be an object");
      }
      const opts = compileOptions(options);
      resolve(Promise.resolve().then(() => {
        const id = compileSync(copy, opts);
        const module = newModule(id);
        return Promise.resolve().then(() => ({ module, instance: instantiateSync(id, importObject) }));
      }));
    });
  }
  // Streaming: the Response's bytes, then the same pipeline.
  async function responseBytes(source) {
    const response = await source;
    if (!isObject(response) || typeof response.arrayBuffer !== "function") {
      throw new TypeError("expected a Response");
    }
    if ("ok" in response && !response.ok) throw new TypeError("the response is not ok");
    return response.arrayBuffer();
  }
  function compileStreaming(source, options) {
    return responseBytes(source).then((bytes) => compile(bytes, options));
  }
  function instantiateStreaming(source, importObject, options) {
    return responseBytes(source).then((bytes) => instantiate(bytes, importObject, options));
  }

  const WebAssembly = {};
  methods(WebAssembly, { validate, compile, instantiate, compileStreaming, instantiateStreaming });
  // WebIDL lengths count the required arguments only.
  for (const [o, name, length] of [[WebAssembly, "instantiate", 1], [WebAssembly, "instantiateStreaming", 1],
    [WebAssembly, "validate", 1], [WebAssembly, "compile", 1], [WebAssembly, "compileStreaming", 1],
    [Table.prototype, "grow", 1], [Table.prototype, "set", 1]]) {
    Object.defineProperty(o[name], "length", { value: length, configurable: true });
  }
  for (const [name, C] of Object.entries({
    Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError,
  })) {
    define(WebAssembly, name, C, false);
  }
  Object.defineProperty(WebAssembly, "JSTag", { value: JSTag, writable: false, enumerable: true, configurable: false });
  tag(WebAssembly, "WebAssembly");
  define(globalThis, "WebAssembly", WebAssembly, false);
})();
