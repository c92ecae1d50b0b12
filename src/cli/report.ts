/**
 * `kube-scenario report`: the Allure HTML report from reports/allure-results (written by `test` or
 * `grade`):
 *   reports/allure-report/           the multi-file report (serve it: `npx allure open reports/allure-report`)
 *   reports/allure-single/index.html one self-contained file, for CI artifacts and file:// viewing
 * allure-commandline needs Java. ALLURE_NO_ANALYTICS=true, always: nothing leaves the machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { resolveFrom } from "./package.ts";
import { ALLURE_RESULTS } from "./run.ts";
import { keepHistory } from "../report/allurehistory.ts";

export const REPORT_HELP = `usage: kube-scenario report

Builds the Allure HTML report of the last \`kube-scenario test\` or \`grade\` run from
${ALLURE_RESULTS}: reports/allure-report/ (serve it: npx allure open reports/allure-report) and
reports/allure-single/index.html (one self-contained file, for CI artifacts). Each exercise is a
suite named with its points; a grade run adds the score table to every graded test and the grade to
the Environment panel. The previous report's history is kept, so the trend and retries widgets
fill in over successive runs (delete reports/allure-report/ to start again). Needs Java (allure-commandline runs on the JVM); runs with
ALLURE_NO_ANALYTICS=true so nothing leaves the machine.`;

export function reportCommand(_args: string[]): number {
  const env = { ...process.env, ALLURE_NO_ANALYTICS: "true" };
  const java = spawnSync("java", ["-version"], { env, encoding: "utf8" });
  if (java.error || java.status !== 0) {
    console.error(
      "kube-scenario report needs Java (allure-commandline runs on the JVM), and `java -version` failed here.\n" +
        "Install a Java runtime (e.g. `apt-get install default-jre-headless`) or set JAVA_HOME, then run it again.\n" +
        "The test results themselves are in reports/ (cucumber.html, junit.xml, allure-results/).",
    );
    return 1;
  }
  if (!existsSync(ALLURE_RESULTS) || readdirSync(ALLURE_RESULTS).length === 0) {
    console.error(`no Allure results in ${ALLURE_RESULTS}: run \`kube-scenario test\` (or grade) first.`);
    return 1;
  }
  // Allure's history: the previous report's history/ goes into the results, so trends and retries continue.
  const kept = keepHistory("reports/allure-report", ALLURE_RESULTS);
  if (kept) console.log(`history: continued from the previous report (${kept} files from reports/allure-report/history)`);
  const allure = join(dirname(resolveFrom("allure-commandline/package.json")), "dist", "bin", "allure");
  for (const args of [
    ["generate", ALLURE_RESULTS, "-o", "reports/allure-report", "--clean"],
    ["generate", ALLURE_RESULTS, "-o", "reports/allure-single", "--clean", "--single-file"],
  ]) {
    const r = spawnSync(allure, args, { env, stdio: "inherit" });
    if (r.status !== 0) return r.status ?? 1;
  }
  console.log("Allure report: reports/allure-report/ (serve it) and reports/allure-single/index.html (one file).");
  return 0;
}
