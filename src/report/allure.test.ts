import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATEGORIES, postProcessAllure, SUBMISSION_CATEGORY } from "./allure.ts";
import type { RunResult, ScenarioResult } from "./run.ts";
import { gradeRun } from "./grade.ts";

const scenario = (name: string, tags: string[], status: ScenarioResult["status"], startedAt: number): ScenarioResult => ({ pickleId: name, uri: "hidden/probes.feature", line: 3, name, tags, language: "en", status, startedAt });

function results(dir: string, list: Array<{ name: string; status: string; start: number; labels?: Array<{ name: string; value: string }> }>): void {
  list.forEach((r, i) =>
    writeFileSync(
      join(dir, `${i}-result.json`),
      JSON.stringify({
        uuid: String(i),
        name: r.name,
        fullName: `course:hidden/probes.feature#${r.name}`,
        status: r.status,
        start: r.start,
        titlePath: ["course", "hidden", "Probes"],
        labels: r.labels ?? [{ name: "feature", value: "Probes" }],
        steps: [{ name: "Then it works", status: r.status }],
      }),
    ),
  );
}

const read = (dir: string, i: number) => JSON.parse(readFileSync(join(dir, `${i}-result.json`), "utf8"));

test("statuses: a failed check is `failed` (one category), an undefined step `broken`, a passed scenario stays passed", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "allure-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  results(dir, [
    { name: "a", status: "broken", start: 1 },
    { name: "b", status: "passed", start: 2 },
    { name: "c", status: "passed", start: 3 },
  ]);
  const run: RunResult = { parseErrors: [], scenarios: [scenario("a", [], "failed", 1), scenario("b", [], "undefined", 2), scenario("c", [], "passed", 3)] };
  postProcessAllure(dir, run, { environment: { "kube-scenario": "1.0.0" } });
  assert.equal(read(dir, 0).status, "failed");
  assert.equal(read(dir, 0).steps[0].status, "failed");
  assert.equal(read(dir, 1).status, "broken");
  assert.match(read(dir, 1).statusDetails.message, /undefined/);
  assert.equal(read(dir, 2).status, "passed");
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "categories.json"), "utf8")), CATEGORIES);
  assert.equal(CATEGORIES.filter((c) => c.matchedStatuses.includes("failed")).map((c) => c.name).join(), SUBMISSION_CATEGORY);
  assert.equal(readFileSync(join(dir, "environment.properties"), "utf8"), "kube-scenario=1.0.0\n");
});

test("labels: an exercise is a suite named with its points; a @feature: tag replaces the feature name (no duplicate in Behaviors); the grade is attached", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "allure-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labels = [{ name: "feature", value: "Probes" }, { name: "feature", value: "Readiness" }, { name: "exercise", value: "probes-1" }];
  results(dir, [
    { name: "ready", status: "passed", start: 1, labels },
    { name: "ready", status: "broken", start: 2, labels },
    { name: "other", status: "passed", start: 3 },
  ]);
  const tags = ["@feature:Readiness", "@exercise:probes-1", "@points:2"];
  const run: RunResult = { parseErrors: [], scenarios: [scenario("ready", tags, "passed", 1), scenario("ready", tags, "failed", 2), scenario("other", [], "passed", 3)] };
  const grade = gradeRun(run, { features: ["hidden/"], version: "1.0.0" });
  postProcessAllure(dir, run, { grade, environment: { "kube-scenario": "1.0.0", project: "course@0.1.0" } });
  const first = read(dir, 0);
  const label = (r: any, n: string) => r.labels.filter((l: any) => l.name === n).map((l: any) => l.value);
  assert.deepEqual(label(first, "feature"), ["Readiness"]);
  assert.deepEqual(label(first, "parentSuite"), ["Exercises"]);
  assert.deepEqual(label(first, "suite"), ["probes-1 — 2/4 points"]);
  assert.deepEqual(first.parameters.map((p: any) => `${p.name}=${p.value}`), ["exercise=probes-1", "points=2", "earned=2"]);
  assert.deepEqual(read(dir, 1).parameters.map((p: any) => `${p.name}=${p.value}`), ["exercise=probes-1", "points=2", "earned=0"]);
  assert.equal(first.attachments[0].name, "grade summary");
  assert.ok(existsSync(join(dir, first.attachments[0].source)));
  const other = read(dir, 2);
  assert.deepEqual(label(other, "suite"), ["Probes"]);
  assert.deepEqual(label(other, "parentSuite"), ["hidden"]);
  assert.equal(other.attachments, undefined);
  const env = readFileSync(join(dir, "environment.properties"), "utf8");
  assert.match(env, /^kube-scenario=1\.0\.0\nproject=course@0\.1\.0\ngrade=2\/4 points \(below the pass mark\)\ngrade\.probes-1=2\/4\n$/);
});
