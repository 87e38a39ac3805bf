// A minimal stand-in for testharness.js, for the harness's own tests: the
// few functions the fixture files use, with the same result callbacks.
(function () {
  const results = [], onResult = [], onDone = [];
  let pending = 0, started = false;
  function report(name, error) {
    const r = { name, status: error ? 1 : 0, message: error ? String(error.message ?? error) : null };
    results.push(r);
    onResult.forEach((f) => f(r));
  }
  function finish() {
    if (pending === 0 && started) onDone.forEach((f) => f(results, { status: 0, message: null }));
  }
  self.add_result_callback = (f) => onResult.push(f);
  self.add_completion_callback = (f) => onDone.push(f);
  self.test = (fn, name) => {
    try { fn(); report(name, null); } catch (e) { report(name, e); }
  };
  self.promise_test = (fn, name) => {
    pending++;
    Promise.resolve().then(fn).then(() => report(name, null), (e) => report(name, e))
      .then(() => { pending--; finish(); });
  };
  self.assert_equals = (a, b, what) => {
    if (a !== b) throw new Error(`assert_equals: ${what ?? ""} expected ${b} but got ${a}`);
  };
  Promise.resolve().then(() => Promise.resolve()).then(() => { started = true; finish(); });
})();
