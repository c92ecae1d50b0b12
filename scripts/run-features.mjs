#!/usr/bin/env node
// The framework's own feature runs: `npm run test:features [-- paths and cucumber-js options]` is
// `kube-scenario test`, and `npm run grade -- <paths> [grade options]` is `kube-scenario grade`
// (src/cli/run.ts: the closing `N passed, N failed` line, the grade, the Allure labels), with the
// framework's cucumber.js. The support code and this runner are loaded from one cached bundle
// (scripts/bundle-steps.mjs) unless KUBE_SCENARIO_NO_BUNDLE=1, in which case both load the
// TypeScript through tsx. Extra arguments go to cucumber-js (e.g. a feature path, --tags,
// --parallel 2, or --shard i/n: the i-th of n slices; see docs/performance.md for CI sharding).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { CLI_BUNDLE, ensureBundle } from "./bundle-steps.mjs";

let main;
if (process.env.KUBE_SCENARIO_NO_BUNDLE !== "1") {
  try {
    // The bundle's entry turns source maps on in Cucumber's process (scripts/bundle-steps.mjs,
    // ENTRY): stack traces (failure messages, step locations in the reports) name the original files.
    process.env.KUBE_SCENARIO_STEPS_BUNDLE = await ensureBundle();
    ({ main } = await import(pathToFileURL(resolve(CLI_BUNDLE)).href));
  } catch (err) {
    delete process.env.KUBE_SCENARIO_STEPS_BUNDLE;
    console.error(`could not bundle the support code (${err.message.split("\n")[0]}); loading it through tsx`);
  }
}
if (!main) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/index.ts"));
}
const argv = process.argv.slice(2);
process.exitCode = await main(argv[0] === "grade" ? argv : ["test", ...argv]);
