#!/usr/bin/env node
// Runs the Cucumber features and closes with one line `N passed, N failed` (scenarios), read from
// Cucumber's message stream, so CI and graders get the count whatever the formatters print.
// Extra arguments go to cucumber-js (e.g. a feature path, --tags, --parallel 2, or --shard i/n: the
// i-th of n slices, scenario k going to shard k mod n; see docs/performance.md for CI sharding).
// The support code is loaded from one cached bundle (scripts/bundle-steps.mjs) unless
// KUBE_SCENARIO_NO_BUNDLE=1, in which case Cucumber loads the TypeScript through tsx.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { suggestUndefined } from "./suggest-steps.mjs";
import { ensureBundle } from "./bundle-steps.mjs";

rmSync("reports/allure-results", { recursive: true, force: true });
rmSync("reports/messages.ndjson", { force: true });
mkdirSync("reports", { recursive: true });

const env = { ...process.env };
if (process.env.KUBE_SCENARIO_NO_BUNDLE !== "1") {
  try {
    env.KUBE_SCENARIO_STEPS_BUNDLE = await ensureBundle();
    // Stack traces (failure messages, step locations in the reports) name the original files.
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --enable-source-maps`.trim();
  } catch (err) {
    console.error(`could not bundle the support code (${err.message.split("\n")[0]}); loading it through tsx`);
  }
}
const args = ["node_modules/@cucumber/cucumber/bin/cucumber.js", ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: "inherit", env });

const grades = [];
const bad = new Set(["UNDEFINED", "PENDING", "AMBIGUOUS"]);
/** (uri#name) -> statuses of its test cases in start order, for fixing Allure's results. */
const outcomes = new Map();
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync("reports/messages.ndjson")) {
  const steps = new Map(); // testCaseStartedId -> worst status
  const rank = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 5 };
  const finished = new Map(); // testCaseStartedId -> willBeRetried
  const pickles = new Map(); // pickleId -> {uri, name}
  const cases = new Map(); // testCaseId -> pickleId
  const started = new Map(); // testCaseStartedId -> testCaseId
  for (const line of readFileSync("reports/messages.ndjson", "utf8").split("\n")) {
    if (!line) continue;
    const m = JSON.parse(line);
    if (m.pickle) pickles.set(m.pickle.id, { uri: m.pickle.uri, name: m.pickle.name, tags: m.pickle.tags.map((t) => t.name) });
    else if (m.testCase) cases.set(m.testCase.id, m.testCase.pickleId);
    if (m.testCaseStarted) started.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
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
    const p = pickles.get(cases.get(started.get(id)));
    if (p) {
      const k = `${p.uri}#${p.name}`;
      outcomes.set(k, [...(outcomes.get(k) ?? []), s]);
      grades.push(gradeOf(p, s));
    }
    if (s === "PASSED") passed++;
    else if (s === "SKIPPED") skipped++;
    else failed++;
  }
}
if (existsSync("reports/messages.ndjson")) for (const l of suggestUndefined(readFileSync("reports/messages.ndjson", "utf8"))) console.log(l);
fixAllureResults();
writeAllureEnvironment();
writeGrade();
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(run.status ?? 1);

/**
 * allure-cucumberjs reports a scenario with an undefined or pending step as passed (allure-js
 * issues #1358, #1353, #1083). Mark such results broken, with the reason, so the report never
 * shows them green.
 */
function fixAllureResults() {
  const dir = "reports/allure-results";
  if (!existsSync(dir)) return;
  const results = readdirSync(dir)
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => ({ f, r: JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) }))
    .sort((a, b) => a.r.start - b.r.start);
  const seen = new Map();
  for (const { f, r } of results) {
    const k = String(r.fullName ?? "").replace(/^[^:]*:/, "");
    const i = seen.get(k) ?? 0;
    seen.set(k, i + 1);
    const status = outcomes.get(k)?.[i];
    if (status && bad.has(status) && r.status === "passed") {
      r.status = "broken";
      r.statusDetails = { message: `This scenario has a step that is ${status.toLowerCase()}: it did not run, so it cannot pass.` };
      writeFileSync(`${dir}/${f}`, JSON.stringify(r));
    }
  }
}

/** `@points:N` marks a graded scenario; `@exercise:ID` names its exercise. */
function gradeOf(p, status) {
  const tag = (prefix) => p.tags.find((t) => t.startsWith(prefix))?.slice(prefix.length);
  const points = Number(tag("@points:") ?? 0) || 0;
  const passedCase = status === "PASSED";
  return { feature: p.uri, scenario: p.name, exercise: tag("@exercise:") ?? null, status: status.toLowerCase(), points, earned: passedCase ? points : 0 };
}

function writeGrade() {
  const graded = grades.filter((g) => g.points > 0);
  const total = graded.reduce((a, g) => a + g.points, 0);
  const earned = graded.reduce((a, g) => a + g.earned, 0);
  const byExercise = {};
  for (const g of graded) {
    const k = g.exercise ?? g.feature;
    byExercise[k] ??= { points: 0, earned: 0 };
    byExercise[k].points += g.points;
    byExercise[k].earned += g.earned;
  }
  const order = (a, b) => (a.feature + a.scenario < b.feature + b.scenario ? -1 : 1);
  writeFileSync("reports/grade.json", JSON.stringify({ total, earned, exercises: byExercise, scenarios: grades.sort(order) }, null, 2) + "\n");
}

/** Allure's Environment panel: what ran and against what. */
function writeAllureEnvironment() {
  const dir = "reports/allure-results";
  if (!existsSync(dir)) return;
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const lines = [
    `kube-scenario=${pkg.version}`,
    "Kubernetes.simulated=v1.32",
    `Node.js=${process.version}`,
    `Cucumber=${JSON.parse(readFileSync("node_modules/@cucumber/cucumber/package.json", "utf8")).version}`,
    `seed=${process.env.KUBE_SCENARIO_SEED ?? "1 (default)"}`,
    "clock.start=2024-01-08T00:00:00Z (unless a scenario sets it)",
  ];
  writeFileSync(`${dir}/environment.properties`, lines.join("\n") + "\n");
}
