// @ts-check
// The reports every kube-scenario run writes, shared by the framework's own cucumber.js and the
// preset a course uses (support/preset.mjs): Cucumber's progress on the console, its HTML report,
// JUnit XML, the message stream (which `kube-scenario test`/`grade` read back for the closing
// counts, the grade and the Allure labels) and Allure results.
import { PlainFileWriter } from "./allure-writer.mjs";

/** Tags that become Allure labels, e.g. `@epic:Pods @feature:Probes @story:Readiness @severity:critical @exercise:probes-1 @points:2`. */
export const LABEL_TAGS = ["epic", "feature", "story", "severity", "exercise", "points"];

/**
 * Cucumber `format` and `formatOptions` for kube-scenario's reports.
 * @param {{ allureReporter?: string }} [opts] allureReporter: the Allure formatter's module
 *   (a file: URL when the project cannot resolve `allure-cucumberjs` itself).
 */
export function reports(opts = {}) {
  const resultsDir = "reports/allure-results";
  return {
    format: [
      "progress",
      "html:reports/cucumber.html",
      "junit:reports/junit.xml",
      "message:reports/messages.ndjson",
      [opts.allureReporter ?? "allure-cucumberjs/reporter", "reports/allure-formatter.log"],
    ],
    formatOptions: {
      snippetInterface: "synchronous",
      resultsDir,
      // Same files as Allure's own writer, without an fsync per file (see support/allure-writer.mjs).
      writer: new PlainFileWriter({ resultsDir }),
      labels: LABEL_TAGS.map((name) => ({ name, pattern: [new RegExp(`^@${name}:`)] })),
      junit: { suiteName: "kube-scenario" },
    },
  };
}
