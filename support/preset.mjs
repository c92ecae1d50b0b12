// @ts-check
// kube-scenario's Cucumber preset, for a project that installs kube-scenario (`kube-scenario/cucumber`):
//   // cucumber.mjs
//   export { default } from "kube-scenario/cucumber";
// It loads kube-scenario's steps (built JavaScript, no TypeScript loader) and the project's own
// step files (steps/**/*.{js,mjs} and features/**/*.{js,mjs}), runs features/**/*.feature unless
// paths are given, is strict (an undefined or pending step fails the run), and writes the same
// reports as the framework's own runs (support/reports.mjs). `kube-scenario test` uses it when the
// project has no Cucumber configuration of its own.
import { fileURLToPath } from "node:url";
import { reports } from "./reports.mjs";

export { reports };

/** kube-scenario's step library (world, parameter types, every step), as a path Cucumber can import. */
export const STEP_LIBRARY = fileURLToPath(new URL("../dist/support/index.js", import.meta.url));

/** The project's own step definitions (JavaScript ES modules). */
export const PROJECT_STEPS = ["steps/**/*.{js,mjs}", "features/**/*.{js,mjs}"];

const preset = {
  import: [STEP_LIBRARY, ...PROJECT_STEPS],
  strict: true,
  ...reports({ allureReporter: import.meta.resolve("allure-cucumberjs/reporter") }),
};

export default preset;

/** Both cores: `cucumber-js -p parallel` (or `kube-scenario test --parallel 2`). */
export const parallel = { ...preset, parallel: 2 };
