// Part 3 of 3 of the prelude (see conversions.js): `Instance`, `Memory`,
// `Table`, `Global`, `Tag`, `Exception`, the namespace functions, and the
// `WebAssembly` object itself; it closes the closure conversions.js opens.
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
