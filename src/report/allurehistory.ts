/**
 * Allure's history across runs, as Allure's documentation describes it: before a report is
 * generated, the previous report's `history/` folder is copied into the results, so the new
 * report's trend, retries and history widgets continue from it (`kube-scenario report`,
 * src/cli/report.ts).
 */
import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Copies `<report>/history` into `<results>/history`; returns how many files it copied: 0 when
 * there is no previous report, or when the results already have a history (a second report over
 * the same results must not count that run twice).
 */
export function keepHistory(reportDir: string, resultsDir: string): number {
  const previous = join(reportDir, "history");
  const into = join(resultsDir, "history");
  if (!existsSync(previous) || existsSync(into)) return 0;
  cpSync(previous, into, { recursive: true });
  return readdirSync(into).length;
}
