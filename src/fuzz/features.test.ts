/**
 * Feature-text fuzzing: generated scenarios of contract steps run through Cucumber (a child
 * process with the project's configuration, its report files left out: the run writes only its own
 * message stream, in reports/fuzz-features/, so it never overwrites a feature run's reports). Property: every step either passes, is skipped, or
 * fails with a readable error of our own — never an internal TypeError/RangeError/ReferenceError,
 * never a hang (the run has a wall-time limit). FUZZ_RUNS/10 scenarios per run (at least 10).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { contractSteps, featureText } from "./features.ts";
import { count } from "./properties.ts";

const SCENARIOS = Math.max(10, Math.ceil(Number(process.env.FUZZ_RUNS ?? 60) / 6));
const SEED = Number(process.env.FUZZ_SEED ?? 19);
const CRASH = /^(TypeError|RangeError|ReferenceError|SyntaxError|InternalError)\b|Cannot read propert|is not a function|is not iterable|Maximum call stack/;

test(`fuzz: ${SCENARIOS} generated scenarios of contract steps run through Cucumber without internal errors`, () => {
  const expressions = contractSteps();
  assert.ok(expressions.length > 20, "the contract steps were read from docs/steps.md");
  const [text] = fc.sample(featureText(expressions, SCENARIOS), { numRuns: 1, seed: SEED });
  const dir = "reports/fuzz-features";
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/generated.feature`, text);
  // The project's configuration without its formats: they write reports/messages.ndjson, the Allure
  // results and the other report files, which a feature run in the same checkout is writing too.
  writeFileSync(
    `${dir}/cucumber.mjs`,
    `import base from ${JSON.stringify(pathToFileURL(resolve("cucumber.js")).href)};\nexport default { ...base, format: [], formatOptions: {} };\n`,
  );
  const r = spawnSync(
    process.execPath,
    ["node_modules/@cucumber/cucumber/bin/cucumber.js", "--config", `${dir}/cucumber.mjs`, `${dir}/generated.feature`, "--format", `message:${dir}/messages.ndjson`, "--no-strict"],
    { encoding: "utf8", timeout: 180_000, maxBuffer: 1 << 28, env: { ...process.env, KUBE_SCENARIO_ADVANCE_BUDGET_MS: "10000" } },
  );
  assert.notEqual((r.error as NodeJS.ErrnoException | undefined)?.code, "ETIMEDOUT", "the generated feature run hung (over 180 s)");
  assert.equal(r.error, undefined, `could not run Cucumber: ${r.error}`);
  const crashes: string[] = [];
  let steps = 0;
  let scenarios = 0;
  for (const line of readFileSync(`${dir}/messages.ndjson`, "utf8").split("\n")) {
    if (!line) continue;
    const m = JSON.parse(line);
    if (m.testCaseFinished) scenarios++;
    const res = m.testStepFinished?.testStepResult;
    if (!res) continue;
    steps++;
    const msg = res.exception ? `${res.exception.type}: ${res.exception.message ?? ""}` : (res.message ?? "");
    if (res.status === "FAILED" && (CRASH.test(msg) || CRASH.test(res.message ?? ""))) crashes.push(msg.slice(0, 500));
  }
  count("feature scenarios", scenarios);
  assert.equal(scenarios, SCENARIOS, `Cucumber ran every generated scenario (stderr: ${r.stderr.slice(-1000)})`);
  assert.deepEqual(crashes, [], `internal errors in ${dir}/generated.feature (seed ${SEED}); ${steps} steps`);
});
