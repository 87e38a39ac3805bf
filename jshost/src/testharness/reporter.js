// Collects testharness.js results. Shared by our host and the node driver
// (node.js), so both engines report the same way.
globalThis.__touchstoneResults = { subtests: [], harness: null };
add_result_callback(function (t) {
  __touchstoneResults.subtests.push({
    name: String(t.name),
    status: t.status,
    message: t.message == null ? null : String(t.message),
  });
});
add_completion_callback(function (tests, status) {
  __touchstoneResults.harness = {
    status: status.status,
    message: status.message == null ? null : String(status.message),
  };
  // Subtests never reported (a harness error stops the run) as not run.
  for (const t of tests) {
    if (!__touchstoneResults.subtests.some((s) => s.name === String(t.name))) {
      __touchstoneResults.subtests.push({ name: String(t.name), status: 3, message: t.message == null ? null : String(t.message) });
    }
  }
});
