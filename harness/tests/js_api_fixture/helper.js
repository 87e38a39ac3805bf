// Included by the fixture test through `// META: script=/wasm/jsapi/helper.js`.
const emptyModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
