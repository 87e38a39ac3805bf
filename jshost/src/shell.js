// Shell globals: output, script loading, timers, and a minimal `fetch`
// (file paths and http(s) URLs) with the `Response` methods that
// `WebAssembly.compileStreaming`/`instantiateStreaming` use.
(function () {
  "use strict";
  const S = globalThis.__touchstoneShell;
  delete globalThis.__touchstoneShell;
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });

  const text = (v) => {
    if (typeof v === "string") return v;
    try {
      return String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  };
  const print = (...args) => void S("print", args.map(text).join(" "));
  define("print", print);
  define("console", { log: print, info: print, warn: print, error: print, debug: print });
  define("load", (path) => S("loadFile", String(path)));
  // Web scripts (testharness.js among them) name the global object `self`.
  define("self", globalThis);

  // Timers run in due order on a virtual clock (see JsHost::run_event_loop).
  let now = 0, nextId = 1;
  const timers = new Map();
  define("setTimeout", (fn, delay = 0, ...args) => {
    const id = nextId++;
    timers.set(id, { fn, args, due: now + Math.max(0, +delay || 0), seq: id });
    return id;
  });
  define("clearTimeout", (id) => void timers.delete(id));
  define("setInterval", (fn, delay = 0, ...args) => {
    const id = nextId++;
    const tick = () => {
      timers.set(id, { fn: () => { tick(); fn(...args); }, args: [], due: now + Math.max(1, +delay || 0), seq: nextId++ });
    };
    tick();
    return id;
  });
  define("clearInterval", (id) => void timers.delete(id));
  define("queueMicrotask", (fn) => void Promise.resolve().then(fn));
  define("__touchstoneRunTimer", () => {
    let best;
    for (const [id, t] of timers) {
      if (!best || t.due < best[1].due || (t.due === best[1].due && t.seq < best[1].seq)) best = [id, t];
    }
    if (!best) return false;
    timers.delete(best[0]);
    now = Math.max(now, best[1].due);
    const fn = best[1].fn;
    if (typeof fn === "function") fn(...best[1].args);
    return true;
  });

  class Response {
    #bytes;
    #used = false;
    constructor(bytes, init = {}) {
      this.#bytes = bytes;
      this.status = init.status ?? 200;
      this.ok = this.status >= 200 && this.status < 300;
      this.url = init.url ?? "";
      this.headers = { get: (name) => (String(name).toLowerCase() === "content-type" && this.url.endsWith(".wasm") ? "application/wasm" : null) };
    }
    get bodyUsed() {
      return this.#used;
    }
    #take() {
      if (this.#used) return Promise.reject(new TypeError("body already used"));
      this.#used = true;
      return Promise.resolve(this.#bytes);
    }
    arrayBuffer() {
      return this.#take();
    }
    text() {
      return this.#take().then((b) => {
        let s = "";
        for (const c of new Uint8Array(b)) s += String.fromCharCode(c);
        try {
          return decodeURIComponent(escape(s));
        } catch {
          return s;
        }
      });
    }
    json() {
      return this.text().then(JSON.parse);
    }
  }
  define("Response", Response);
  define("fetch", (resource) => new Promise((resolve, reject) => {
    const url = String(resource?.url ?? resource);
    const r = /^https?:\/\//i.test(url) ? S("fetchUrl", url) : S("readFile", url.replace(/^file:\/\//, ""));
    if ("err" in r) reject(new TypeError(`fetch failed: ${r.err}`));
    else resolve(new Response(r.ok, { status: r.status ?? 200, url }));
  }));
})();
