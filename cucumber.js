// The framework's own Cucumber configuration (a course repository uses the preset instead:
// `export { default } from "kube-scenario/cucumber"`, support/preset.mjs). `paths` is deliberately
// left out: features/**/*.feature is the default, and `npm test -- features/x.feature` then runs
// only that file.
import { ensureBundle } from "./scripts/bundle-steps.mjs";
import { reports } from "./support/reports.mjs";

// The step library by name: support/index.ts imports support/fast-match.ts first, then the world,
// parameter types and every step file, as the package's preset loads it.
const TYPESCRIPT = ["support/register.mjs", "support/index.ts"];

/**
 * The support code: the cached bundle of it (scripts/bundle-steps.mjs), so that a plain
 * `npx cucumber-js` loads exactly what `npm test` (scripts/run-features.mjs) loads, at the same
 * cost; the TypeScript through tsx with KUBE_SCENARIO_NO_BUNDLE=1, or when the bundle cannot be
 * built (the error is printed, and tsx then reports the source's own error if there is one).
 * The step catalogue (scripts/step-catalogue.ts), which names each step's TypeScript file and line,
 * loads the sources.
 */
async function supportCode() {
  if (process.env.KUBE_SCENARIO_STEPS_BUNDLE) return [process.env.KUBE_SCENARIO_STEPS_BUNDLE];
  if (process.env.KUBE_SCENARIO_NO_BUNDLE === "1") return TYPESCRIPT;
  try {
    // The bundle's entry turns source maps on before it loads the bundle (here and in --parallel
    // workers), so stack traces and step locations name the original files.
    const bundle = await ensureBundle();
    process.env.KUBE_SCENARIO_STEPS_BUNDLE = bundle;
    return [bundle];
  } catch (err) {
    console.error(`could not bundle the support code (${String(err?.message ?? err).split("\n")[0]}); loading it through tsx`);
    return TYPESCRIPT;
  }
}

const common = {
  import: await supportCode(),
  strict: true,
  ...reports(),
};

export default common;

/** Parallel runs over both cores: `npx cucumber-js -p parallel`. */
export const parallel = { ...common, parallel: 2 };
