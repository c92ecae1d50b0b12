// The assumptions support/define.ts makes about Cucumber, checked through a real Cucumber run of the
// installed version: the arguments a step function gets (the expression's parameters in order, then
// the callback Cucumber appends), which `action`'s "and <duration> pass(es)" form pops; the function
// length Cucumber checks against the parameters (kept by every wrapper); the stack depth at which
// `callerLocation` finds the step file (STEP_LOCATIONS, the step catalogue's locations); and the end
// of each step reported to the world, failed or not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const STEPS = `import { appendFileSync } from "node:fs";
import { setWorldConstructor, World } from "@cucumber/cucumber";
import "../../support/fast-match.ts";
import "../../support/params.ts";
import { action, podStep, Given, Then, STEP_LOCATIONS } from "../../support/define.ts";

const record = (...x: unknown[]) => appendFileSync(process.env.DEFINE_TEST_OUT!, JSON.stringify(x) + "\\n");
class W extends World {
  backend = { pass: (ms: number) => record("pass", ms) };
  stepEnded(e?: unknown) { record("ended", e === undefined ? null : String(e)); }
}
setWorldConstructor(W);

action("{string} is poked", function (what: string, ...rest: unknown[]) { record("poked", what, rest.length); });
action("the async thing happens", async function () { await Promise.resolve(); record("async"); });
podStep(Then, "pod {string} is checked with {int}", function (pod: string, ns: string | undefined, n: number) { record("checked", pod, ns ?? null, n); });
Given("a plain step with {int}", function (n: number) { record("plain", n); });
When("the failing thing happens", function () { throw new Error("boom"); });

const ours = ["{string} is poked", "{string} is poked and {duration} pass(es)", "the async thing happens", "pod {string} is checked with {int}", "pod {string} in namespace {string} is checked with {int}", "a plain step with {int}", "the failing thing happens"];
record("locations", ours.map((e) => { const at = STEP_LOCATIONS.get(e); return at && [at.uri.replace(/^.*\\//, ""), at.line]; }));
`.replace('import { action, podStep, Given, Then,', "import { action, podStep, Given, Then, When,");

const FEATURE = `Feature: define.ts under the installed Cucumber
  Scenario: actions, pod steps and plain steps
    When "x" is poked
    When "y" is poked and 30 seconds pass
    When the async thing happens and 2 minutes pass
    Then pod "p" is checked with 1
    Then pod "p" in namespace "n" is checked with 2
    Given a plain step with 7

  Scenario: a failing step
    When the failing thing happens
    Given a plain step with 8
`;

test("define.ts under the installed Cucumber: arguments, durations, locations, step ends", () => {
  const dir = `.cache/define-test-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(`${dir}/steps.ts`, STEPS);
    writeFileSync(`${dir}/define.feature`, FEATURE);
    writeFileSync(`${dir}/cucumber.mjs`, `export default ${JSON.stringify({ import: ["support/register.mjs", `${dir}/steps.ts`], paths: [`${dir}/define.feature`], format: [], strict: true })};\n`);
    const out = resolve(`${dir}/record.ndjson`);
    const r = spawnSync(process.execPath, ["node_modules/@cucumber/cucumber/bin/cucumber.js", "--config", `${dir}/cucumber.mjs`], { encoding: "utf8", timeout: 120_000, env: { ...process.env, DEFINE_TEST_OUT: out } });
    assert.equal(r.status, 1, `the failing scenario fails the run\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /2 scenarios \(1 failed, 1 passed\)/, r.stdout);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const line = (text: string) => STEPS.split("\n").findIndex((l) => l.startsWith(text)) + 1;
    const poked = line('action("{string} is poked"');
    const pod = line("podStep(Then");
    assert.deepEqual(lines, [
      ["locations", [["steps.ts", poked], ["steps.ts", poked], ["steps.ts", line('action("the async')], ["steps.ts", pod], ["steps.ts", pod], ["steps.ts", line("Given(")], ["steps.ts", line("When(")]]],
      // Cucumber appends its callback after the parameters (the plain form's `rest` shows it); the
      // duration form pops it and the duration before calling the action with the same arguments.
      ["poked", "x", 1], ["ended", null],
      ["poked", "y", 0], ["pass", 30_000], ["ended", null],
      ["async"], ["pass", 120_000], ["ended", null],
      ["checked", "p", null, 1], ["ended", null],
      ["checked", "p", "n", 2], ["ended", null],
      ["plain", 7], ["ended", null],
      ["ended", "Error: boom"],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
