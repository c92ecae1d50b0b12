// The framework's own Cucumber configuration (a course repository uses the preset instead:
// `export { default } from "kube-scenario/cucumber"`, support/preset.mjs). `paths` is deliberately
// left out: features/**/*.feature is the default, and `npm test -- features/x.feature` then runs
// only that file.
import { reports } from "./support/reports.mjs";

const common = {
  // The step library by name (support/index.ts imports support/fast-match.ts first, then the world,
  // parameter types and every step file), as the package's preset loads it. scripts/run-features.mjs
  // passes the same support code bundled into one file (scripts/bundle-steps.mjs).
  import: process.env.KUBE_SCENARIO_STEPS_BUNDLE ? [process.env.KUBE_SCENARIO_STEPS_BUNDLE] : ["support/register.mjs", "support/index.ts"],
  strict: true,
  ...reports(),
};

export default common;

/** Parallel runs over both cores: `npx cucumber-js -p parallel`. */
export const parallel = { ...common, parallel: 2 };
