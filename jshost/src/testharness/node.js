// Runs one testharness.js file in node (the `v8` column of `touchstone js-api`).
// argv: testharness.js, reporter.js, then the scripts to load in order
// (META includes, then the test). Prints the results as JSON on stdout.
"use strict";
const fs = require("fs");
const vm = require("vm");
const [testharness, reporter, ...scripts] = process.argv.slice(2);
globalThis.self = globalThis;
globalThis.print = (...a) => process.stderr.write(a.join(" ") + "\n");
const run = (file) => vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
let printed = false;
const finish = () => {
  if (printed) return;
  printed = true;
  process.stdout.write(JSON.stringify(globalThis.__touchstoneResults) + "\n");
};
run(testharness);
run(reporter);
add_completion_callback(() => setImmediate(finish));
for (const f of scripts) {
  try {
    run(f);
  } catch (e) {
    __touchstoneResults.errors = (__touchstoneResults.errors || []).concat(String(e && e.stack || e));
  }
}
process.on("exit", finish);
