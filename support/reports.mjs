// @ts-check
// The reports every kube-scenario run writes, shared by the framework's own cucumber.js and the
// preset a course uses (support/preset.mjs): the console formatter (progress, short failures), Cucumber's HTML report,
// JUnit XML, the message stream (which `kube-scenario test`/`grade` read back for the closing
// counts, the grade and the Allure labels) and Allure results.
import { fileURLToPath } from "node:url";

/**
 * The console formatter (support/console-formatter.mjs): progress dots, each failed scenario in a
 * few lines with its reason first; KUBE_SCENARIO_VERBOSE=1 prints everything. By absolute path, so
 * a course project using the preset finds it too.
 */
export const CONSOLE_FORMATTER = fileURLToPath(new URL("./console-formatter.mjs", import.meta.url));

/** Tags that become Allure labels, e.g. `@epic:Pods @feature:Probes @story:Readiness @severity:critical @exercise:probes-1 @points:2`. */
/**
 * The formatter that writes the report files from a worker thread (support/reports-formatter.mjs),
 * so that they are written on the other core while the scenarios run. By absolute path, as above.
 */
export const REPORTS_FORMATTER = fileURLToPath(new URL("./reports-formatter.mjs", import.meta.url));

export const LABEL_TAGS = ["epic", "feature", "story", "severity", "exercise", "points"];

/**
 * Cucumber `format` and `formatOptions` for kube-scenario's reports.
 * @param {{ allureReporter?: string }} [opts] allureReporter: the Allure formatter's module
 *   (a file: URL when the project cannot resolve `allure-cucumberjs` itself).
 */
export function reports(opts = {}) {
  const resultsDir = "reports/allure-results";
  const allure = opts.allureReporter ?? "allure-cucumberjs/reporter";
  return {
    // The console output in Cucumber's thread; the files from REPORTS_FORMATTER's thread, which
    // runs the formats of `formatOptions.reports` (Cucumber's format name or module, target).
    format: [CONSOLE_FORMATTER, [REPORTS_FORMATTER, "reports/allure-formatter.log"]],
    formatOptions: {
      reports: [
        ["html", "reports/cucumber.html"],
        ["junit", "reports/junit.xml"],
        ["message", "reports/messages.ndjson"],
        [allure, "reports/allure-formatter.log"],
      ],
      snippetInterface: "synchronous",
      resultsDir,
      // Allure writes through support/allure-writer.mjs (the same files as its own writer, without
      // an fsync per file), made in the reports' thread.
      labels: LABEL_TAGS.map((name) => ({ name, pattern: [new RegExp(`^@${name}:`)] })),
      junit: { suiteName: "kube-scenario" },
    },
  };
}
