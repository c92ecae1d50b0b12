// Cucumber configuration. `paths` is deliberately left out: features/**/*.feature is the default,
// and `npm test -- features/x.feature` then runs only that file.
import { PlainFileWriter } from "./support/allure-writer.mjs";

const common = {
  // scripts/run-features.mjs passes the same support code bundled into one file (scripts/bundle-steps.mjs).
  import: process.env.KUBE_SCENARIO_STEPS_BUNDLE ? [process.env.KUBE_SCENARIO_STEPS_BUNDLE] : ["support/register.mjs", "support/*.ts", "steps/**/*.ts"],
  strict: true,
  format: [
    // Progress dots; each failed scenario in a few lines, its reason first (KUBE_SCENARIO_VERBOSE=1: everything).
    "./support/console-formatter.mjs",
    "html:reports/cucumber.html",
    "junit:reports/junit.xml",
    "message:reports/messages.ndjson",
    ["allure-cucumberjs/reporter", "reports/allure-formatter.log"],
  ],
  formatOptions: {
    snippetInterface: "synchronous",
    resultsDir: "reports/allure-results",
    // Same files as Allure's own writer, without an fsync per file (see support/allure-writer.mjs).
    writer: new PlainFileWriter({ resultsDir: "reports/allure-results" }),
    // Tags such as @epic:Pods @feature:Probes @story:Readiness @severity:critical @exercise:probes-1
    // become Allure labels.
    labels: ["epic", "feature", "story", "severity", "exercise", "points"].map((name) => ({
      name,
      pattern: [new RegExp(`^@${name}:`)],
    })),
    junit: { suiteName: "kube-scenario" },
  },
};

export default common;

/** Parallel runs over both cores: `npx cucumber-js -p parallel`. */
export const parallel = { ...common, parallel: 2 };
