// Part 2 of 3 of the prelude (see conversions.js, which opens the one
// closure all three parts share; lib.rs evaluates them concatenated):
// compile options and JS String Builtins, `Module`, exported functions,
// JS imports, and the wrappers of extern objects.
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

