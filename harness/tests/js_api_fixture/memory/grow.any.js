// META: global=jsshell
// META: script=/wasm/jsapi/helper.js

test(() => {
  assert_equals(WebAssembly.validate(emptyModule), true);
}, "validates an empty module");

test(() => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert_equals(memory.grow(1), 1);
  assert_equals(memory.buffer.byteLength, 2 * 65536);
}, "grows");

test(() => {
  assert_equals(1, 2, "deliberately");
}, "fails on purpose");

test(() => {
  assert_throws_exactly(TypeError, () => {});
}, "calls a function the fixture harness lacks");

promise_test(() => WebAssembly.compile(emptyModule).then((m) => {
  assert_equals(WebAssembly.Module.exports(m).length, 0);
}), "compiles asynchronously");
