#!/usr/bin/env node
// Runs the Cucumber features and closes with one line `N passed, N failed` (scenarios), read from
// Cucumber's message stream, so CI and graders get the count whatever the formatters print.
// Extra arguments go to cucumber-js (e.g. a feature path or --tags).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, mkdirSync } from "node:fs";

rmSync("reports/allure-results", { recursive: true, force: true });
rmSync("reports/messages.ndjson", { force: true });
mkdirSync("reports", { recursive: true });

const args = ["node_modules/@cucumber/cucumber/bin/cucumber.js", ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: "inherit" });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync("reports/messages.ndjson")) {
  const steps = new Map(); // testCaseStartedId -> worst status
  const rank = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 5 };
  const finished = new Map(); // testCaseStartedId -> willBeRetried
  for (const line of readFileSync("reports/messages.ndjson", "utf8").split("\n")) {
    if (!line) continue;
    const m = JSON.parse(line);
    if (m.testStepFinished) {
      const id = m.testStepFinished.testCaseStartedId;
      const s = m.testStepFinished.testStepResult.status;
      if (!steps.has(id) || rank[s] > rank[steps.get(id)]) steps.set(id, s);
    } else if (m.testCaseStarted) {
      steps.set(m.testCaseStarted.id, "PASSED");
    } else if (m.testCaseFinished) {
      finished.set(m.testCaseFinished.testCaseStartedId, m.testCaseFinished.willBeRetried);
    }
  }
  for (const [id, retried] of finished) {
    if (retried) continue;
    const s = steps.get(id);
    if (s === "PASSED") passed++;
    else if (s === "SKIPPED") skipped++;
    else failed++;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(run.status ?? 1);
