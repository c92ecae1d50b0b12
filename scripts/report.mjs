#!/usr/bin/env node
// Builds the Allure HTML report from reports/allure-results (written by `npm test`):
//   reports/allure-report/          the multi-file report (serve it: `npx allure open reports/allure-report`)
//   reports/allure-single/index.html one self-contained file, for CI artifacts and file:// viewing
// allure-commandline needs Java. ALLURE_NO_ANALYTICS=true keeps it from calling out of the machine.
// History: as Allure's documentation describes, the previous report's `history/` folder is copied
// into the results before generating, so the trend, retries and history widgets fill in over
// successive `npm test` + `npm run report` runs (the report keeps it in reports/allure-report/history).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { keepHistory } from "./report-history.mjs";

const env = { ...process.env, ALLURE_NO_ANALYTICS: "true" };
const java = spawnSync("java", ["-version"], { env, encoding: "utf8" });
if (java.error || java.status !== 0) {
  console.error(
    "npm run report needs Java (allure-commandline runs on the JVM), and `java -version` failed here.\n" +
      "Install a Java runtime (e.g. `apt-get install default-jre-headless`) or set JAVA_HOME, then run it again.\n" +
      "The test results themselves are in reports/ (cucumber.html, junit.xml, allure-results/).",
  );
  process.exit(1);
}
if (!existsSync("reports/allure-results") || readdirSync("reports/allure-results").length === 0) {
  console.error("no Allure results in reports/allure-results: run `npm test` first.");
  process.exit(1);
}
const kept = keepHistory("reports/allure-report", "reports/allure-results");
if (kept) console.log(`history: continued from the previous report (${kept} files from reports/allure-report/history)`);
const allure = "node_modules/allure-commandline/dist/bin/allure";
for (const args of [
  ["generate", "reports/allure-results", "-o", "reports/allure-report", "--clean"],
  ["generate", "reports/allure-results", "-o", "reports/allure-single", "--clean", "--single-file"],
]) {
  const r = spawnSync(allure, args, { env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.log("Allure report: reports/allure-report/ (serve it) and reports/allure-single/index.html (one file).");
