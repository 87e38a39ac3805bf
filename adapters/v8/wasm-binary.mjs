// Just enough of the WebAssembly binary format for the V8 adapter: an
// encoder (the feature probes, the `spectest` module and the wrapper
// modules that carry values the JS API cannot) and a reader of the
// signatures of a module's exported functions and globals (the JS API of
// node 20 has no type reflection).

// ---------- encoding ----------

export function uleb(n) {
  let v = BigInt(n);
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

export function sleb(n) {
  let v = BigInt(n);
  const out = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function name(s) {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export function vec(items) {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id, body) {
  return [id, ...uleb(body.length), ...body];
}

/// A module from its sections (each already `section(...)`-encoded, in order).
export function module(...sections) {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
export const FUNCREF = 0x70, EXTERNREF = 0x6f;

export function funcType(params, results) {
  return [0x60, ...vec(params.map((t) => t.bytes ?? [t])), ...vec(results.map((t) => t.bytes ?? [t]))];
}

/// A function body: `locals` is a list of value types (one local each).
export function body(locals, instrs) {
  const code = [...vec(locals.map((t) => [1, ...(t.bytes ?? [t])])), ...instrs, 0x0b];
  return [...uleb(code.length), ...code];
}

// ---------- reading ----------

/// Heap-type codes of the abstract reference types, and the hierarchy each
/// belongs to (what a null of it is called on the protocol).
const ABSTRACT_HEAP = {
  0x73: "func", 0x70: "func",
  0x72: "extern", 0x6f: "extern",
  0x71: "any", 0x6e: "any", 0x6d: "any", 0x6c: "any", 0x6b: "any", 0x6a: "any",
  0x74: "exn", 0x69: "exn",
  0x75: "cont", 0x68: "cont",
};

const NUMERIC = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error("unexpected end");
    return this.bytes[this.pos++];
  }
  /// A LEB128 number, as a BigInt.
  leb(signed) {
    let result = 0n, shift = 0n, b;
    do {
      b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (signed && b & 0x40) result -= 1n << shift;
    return result;
  }
  u() {
    return Number(this.leb(false));
  }
  s() {
    return this.leb(true);
  }
  skip(n) {
    this.pos += n;
    if (this.pos > this.end) throw new Error("unexpected end");
  }
  name() {
    const n = this.u();
    const s = new TextDecoder("utf-8", { ignoreBOM: true }).decode(this.bytes.subarray(this.pos, this.pos + n));
    this.skip(n);
    return s;
  }
  /// A value type: `{kind, bytes}` with kind "i32".."v128" or "ref";
  /// references also carry `heap` (their hierarchy, or null for a
  /// reference to a defined type) and `nullable`.
  valType() {
    const start = this.pos;
    const b = this.byte();
    if (NUMERIC[b]) return { kind: NUMERIC[b], bytes: [b] };
    if (ABSTRACT_HEAP[b]) return { kind: "ref", heap: ABSTRACT_HEAP[b], nullable: true, bytes: [b] };
    if (b === 0x63 || b === 0x64) {
      const h = this.s();
      const code = Number(h & 0x7fn);
      const heap = h < 0n ? ABSTRACT_HEAP[code] ?? null : null;
      return {
        kind: "ref",
        heap,
        // A reference to a type of the module itself cannot be named in a
        // wrapper module without copying its type section.
        indexed: h >= 0n,
        nullable: b === 0x63,
        bytes: [...this.bytes.subarray(start, this.pos)],
      };
    }
    throw new Error(`unknown value type 0x${b.toString(16)}`);
  }
  limits() {
    const flags = this.byte();
    this.u();
    if (flags & 1) this.u();
    if (flags & 0x08) this.u();
  }
  /// Skips a constant expression (global initialisers).
  constExpr() {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x0b: return;
        case 0x41: case 0x42: this.s(); break;
        case 0x43: this.skip(4); break;
        case 0x44: this.skip(8); break;
        case 0x23: case 0xd2: this.u(); break;
        case 0xd0: this.s(); break;
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break;
        case 0xfd: this.u(); this.skip(16); break; // v128.const
        case 0xfb: {
          const sub = this.u();
          if ([0, 1, 6, 7].includes(sub)) this.u(); // struct.new(_default), array.new(_default)
          else if (sub === 8) { this.u(); this.u(); } // array.new_fixed
          else if ([0x1a, 0x1b, 0x1c].includes(sub)) { } // any/extern convert, ref.i31
          else throw new Error(`constant 0xfb ${sub}`);
          break;
        }
        default: throw new Error(`constant opcode 0x${op.toString(16)}`);
      }
    }
  }
  compositeType() {
    const form = this.byte();
    if (form === 0x60) {
      const params = [], results = [];
      for (let n = this.u(); n > 0; n--) params.push(this.valType());
      for (let n = this.u(); n > 0; n--) results.push(this.valType());
      return { func: { params, results } };
    }
    if (form === 0x5f) {
      for (let n = this.u(); n > 0; n--) { this.storageType(); this.byte(); }
      return {};
    }
    if (form === 0x5e) { this.storageType(); this.byte(); return {}; }
    if (form === 0x5d) { this.s(); return {}; }
    throw new Error(`composite type 0x${form.toString(16)}`);
  }
  storageType() {
    const b = this.bytes[this.pos];
    if (b === 0x78 || b === 0x77) { this.pos++; return; }
    this.valType();
  }
  subType() {
    const b = this.bytes[this.pos];
    if (b === 0x50 || b === 0x4f) {
      this.pos++;
      for (let n = this.u(); n > 0; n--) this.u();
    }
    return this.compositeType();
  }
}

/// The exported functions' signatures and globals' types of a module:
/// `{funcs: Map(name -> {params, results}), globals: Map(name -> {type, mutable})}`.
/// Throws if the binary has a form this reader does not know.
export function signatures(bytes) {
  const types = [];
  const funcTypes = []; // type of each function index
  const globalTypes = [];
  const exports = [];
  const r = new Reader(bytes, 8);
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.skip(size);
    if (id === 1) {
      for (let n = s.u(); n > 0; n--) {
        if (s.bytes[s.pos] === 0x4e) {
          s.pos++;
          for (let m = s.u(); m > 0; m--) types.push(s.subType());
        } else {
          types.push(s.subType());
        }
      }
    } else if (id === 2) {
      for (let n = s.u(); n > 0; n--) {
        s.name();
        s.name();
        const kind = s.byte();
        if (kind === 0) funcTypes.push(types[s.u()]);
        else if (kind === 1) { s.valType(); s.limits(); }
        else if (kind === 2) s.limits();
        else if (kind === 3) { const type = s.valType(); globalTypes.push({ type, mutable: s.byte() === 1 }); }
        else if (kind === 4) { s.byte(); s.u(); }
        else throw new Error(`import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = s.u(); n > 0; n--) funcTypes.push(types[s.u()]);
    } else if (id === 6) {
      for (let n = s.u(); n > 0; n--) {
        const type = s.valType();
        const mutable = s.byte() === 1;
        s.constExpr();
        globalTypes.push({ type, mutable });
      }
    } else if (id === 7) {
      for (let n = s.u(); n > 0; n--) exports.push({ name: s.name(), kind: s.byte(), index: s.u() });
    }
  }
  const funcs = new Map(), globals = new Map();
  for (const e of exports) {
    if (e.kind === 0 && funcTypes[e.index]?.func) funcs.set(e.name, funcTypes[e.index].func);
    if (e.kind === 3 && globalTypes[e.index]) globals.set(e.name, globalTypes[e.index]);
  }
  return { funcs, globals };
}
