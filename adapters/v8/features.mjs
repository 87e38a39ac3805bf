// Which WebAssembly features this V8 has, asked of V8 itself: one tiny
// module per feature, using only that feature on top of Wasm 1.0, checked
// with `WebAssembly.validate`. Names are wasmparser's (the protocol's).
// `node touchstone-v8.mjs --probes` prints each probe's bytes, so the
// harness's tests can check every probe is valid with its feature and
// invalid without it.

import * as wasm from "./wasm-binary.mjs";

const { I32, I64, F32, V128, EXTERNREF, section, vec, module, funcType, body } = wasm;

/// A module with one function of type `params -> results` and `code`,
/// plus `extra` sections keyed by id (placed in section order).
function func(params, results, code, extra = {}) {
  const sections = {
    1: vec([funcType(params, results), ...(extra.types ?? [])]),
    3: vec([[0]]),
    10: vec([body([], code)]),
    ...extra.sections,
  };
  // Section order of the binary format (tags sit between memory and global).
  const order = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
  return module(...order.filter((id) => sections[id]).map((id) => section(id, sections[id])));
}

const memory = { 5: vec([[0x00, 1]]) };
const v128zero = [0xfd, 0x0c, ...new Array(16).fill(0)];

/// feature name -> probe module bytes.
export const PROBES = {
  floats: func([], [F32], [0x43, 0, 0, 0, 0]),
  mutable_global: module(section(2, vec([[...wasm.name("m"), ...wasm.name("g"), 0x03, I32, 0x01]]))),
  saturating_float_to_int: func([], [I32], [0x43, 0, 0, 0, 0, 0xfc, 0x00]),
  sign_extension: func([], [I32], [0x41, 0, 0xc0]),
  multi_value: func([], [I32, I32], [0x41, 0, 0x41, 0]),
  bulk_memory: func([], [], [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0x00], { sections: memory }),
  bulk_memory_opt: func([], [], [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0a, 0x00, 0x00], { sections: memory }),
  reference_types: func([], [EXTERNREF], [0xd0, EXTERNREF]),
  // A table index in `call_indirect` written in two bytes.
  call_indirect_overlong: func([], [], [0x41, 0, 0x11, 0x00, 0x80, 0x00], {
    sections: { 4: vec([[0x70, 0x00, 0]]) },
  }),
  simd: func([], [V128], v128zero),
  relaxed_simd: func([], [V128], [...v128zero, ...v128zero, 0xfd, 0x80, 0x02]),
  threads: module(section(5, vec([[0x03, 1, 1]]))),
  tail_call: func([], [], [0x12, 0x00]),
  multi_memory: module(section(5, vec([[0x00, 1], [0x00, 1]]))),
  memory64: module(section(5, vec([[0x04, 1]]))),
  custom_page_sizes: module(section(5, vec([[0x08, 1, 0]]))),
  extended_const: module(section(6, vec([[I32, 0x00, 0x41, 1, 0x41, 2, 0x6a, 0x0b]]))),
  // A tag, and `try_table` with no catch clauses.
  exceptions: func([], [], [0x1f, 0x40, 0x00, 0x0b], { sections: { 13: vec([[0x00, 0]]) } }),
  // `try` ... `catch_all` ... `end`.
  legacy_exceptions: func([], [], [0x06, 0x40, 0x19, 0x0b]),
  // `ref.null func` then `ref.as_non_null`.
  function_references: func([], [], [0xd0, 0x70, 0xd4, 0x1a]),
  // `ref.i31`.
  gc: func([], [], [0x41, 0, 0xfb, 0x1c, 0x1a]),
  // `i64.add128`.
  wide_arithmetic: func([], [], [0x42, 0, 0x42, 0, 0x42, 0, 0x42, 0, 0xfc, 0x13, 0x1a, 0x1a]),
  // A continuation type.
  stack_switching: func([], [], [], { types: [[0x5d, 0]] }),
};

/// The features whose probe V8 accepts.
export function probeFeatures() {
  return Object.entries(PROBES)
    .filter(([, bytes]) => WebAssembly.validate(bytes))
    .map(([name]) => name);
}
