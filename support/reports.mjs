// @ts-check
// The reports every kube-scenario run writes, shared by the framework's own cucumber.js and the
// preset a course uses (support/preset.mjs): the console formatter (progress, short failures), Cucumber's HTML report,
// JUnit XML, the message stream (which `kube-scenario test`/`grade` read back for the closing
// counts, the grade and the Allure labels) and Allure results.
import { fileURLToPath } from "node:url";
import { PlainFileWriter } from "./allure-writer.mjs";

/**
 * The console formatter (support/console-formatter.mjs): progress dots, each failed scenario in a
 * few lines with its reason first; KUBE_SCENARIO_VERBOSE=1 prints everything. By absolute path, so
 * a course project using the preset finds it too.
 */
export const CONSOLE_FORMATTER = fileURLToPath(new URL("./console-formatter.mjs", import.meta.url));

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
      CONSOLE_FORMATTER,
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
